"""What the regional reports' templates get (build.py): the context of a region's page
(and the Netherlands') with its figures, sentences, charts and tables, and of the index.
"""
from __future__ import annotations

import re

from banenafspraak.reports import charts, story
from banenafspraak.reports.figures import ABSENT, Figures, derived, figure, progress_of
from banenafspraak.reports.sources import NATIONAL, UNKNOWN_PROVINCE, remarks

QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
# the columns of the durability table (measure, kind) and of the table per target group, in order
DURABILITY_MEASURES = (("persons_started", "int"), ("persons_still_working", "int"), ("share_still_working", "share"),
                       ("persons_same_job", "int"), ("share_same_job", "share"))
GROUP_MEASURES = ("persons_registered", "persons_working", "persons_not_working", "jobs")
# what a province publishes (all target groups together), in the order of its tiles and tables
PROVINCE_MEASURES = ("persons_registered", "persons_working", "persons_not_working", "jobs")


# ------------------------------------------------------------------ one page

def quarter_parts(period: str) -> tuple[str, str]:
    """('2023', '4') of '2023Q4'."""
    match = QUARTER.match(period)
    if match is None:
        raise ValueError(f"not a quarter like 2023Q4: {period!r}")
    year, q = match.groups()
    return year, q


def quarter_label(period: str) -> str:
    year, q = quarter_parts(period)
    return f"Q{q} {year}"


def previous_quarter(period: str) -> str:
    year, q = map(int, quarter_parts(period))
    return f"{year - 1}Q4" if q == 1 else f"{year}Q{q - 1}"


def page_context(f: Figures, region: str, quarter: str, names: dict, labels: dict) -> dict:
    year, q = map(int, quarter_parts(quarter))

    def cell(measure, group="all", breakdown="all", period=quarter, at=region):
        return f.get(period, at, measure, group, breakdown)

    def fig(measure, kind="int", group="all", breakdown="all", period=quarter, at=region):
        return figure(cell(measure, group, breakdown, period, at), kind, period, at, measure, group, breakdown)

    def change_word(measure, up, down, same, at=region):
        c = cell(measure, at=at)
        if not c.shown:
            return "veranderde"
        return up if c.value > 0 else down if c.value < 0 else same

    growth, target = cell("job_growth"), cell("target_year_end")
    progress = progress_of(growth, target)
    still_to_go = target.value - growth.value if growth.shown and target.shown else None

    periods = [p for p in f.periods if p <= quarter]
    label = f.label
    labels_q = [quarter_label(p) for p in periods]

    def series(measure, at=region):
        return [f.get(p, at, measure).as_float() for p in periods]

    def line(measure, *kind):
        """A chart's series: (the measure's label, its values per quarter[, kind])."""
        return (label(measure), series(measure), *kind)

    def table(columns):
        """The text equivalent of a chart: quarters × measures ((measure, kind) pairs), with symbols."""
        return {"columns": [label(m) for m, _ in columns],
                "rows": [(quarter_label(p), [figure(f.get(p, region, m), k, p, region, m) for m, k in columns])
                         for p in periods]}

    name = names.get(region, region)
    chart_list = [
        {"id": "c-growth", "title": "Banengroei en doelstelling",
         "svg": charts.line_chart(
             "c-growth", f"Banengroei t.o.v. de nulmeting en doelstelling per jaar, {name}",
             "Lijn: banengroei per kwartaal; stippellijn: de doelstelling voor het einde van het jaar.",
             labels_q, [line("job_growth", "int")],
             steps=[line("target_year_end")]),
         "table": table([("job_growth", "int"),
                         ("target_year_end", "int"),
                         ("jobs", "int")])},
        {"id": "c-persons", "title": "Personen in het doelgroepregister en werkzame personen",
         "svg": charts.line_chart(
             "c-persons", f"Personen in het doelgroepregister en werkzame personen, {name}",
             "Twee lijnen per kwartaal: geregistreerde personen en werkzame personen.",
             labels_q, [line("persons_registered", "int"),
                        line("persons_working", "int")]),
         "table": table([("persons_registered", "int"),
                         ("persons_working", "int"),
                         ("persons_not_working", "int")])},
        {"id": "c-flows", "title": "Instroom en uitstroom doelgroepregister",
         "svg": charts.bar_chart(
             "c-flows", f"Instroom en uitstroom doelgroepregister per kwartaal, {name}",
             "Staven per kwartaal: instroom en uitstroom van geregistreerde personen.",
             labels_q, [line("inflow"), line("outflow")]),
         "table": table([("inflow", "int"), ("outflow", "int"),
                         ("found_work", "int"), ("lost_work", "int")])},
    ]
    sheltered = [
        {"id": "c-requests", "title": "Beschut werk: aanvragen en positieve adviezen",
         "svg": charts.bar_chart(
             "c-requests", f"Beschut werk: aanvragen en positieve adviezen per kwartaal, {name}",
             "Staven per kwartaal: aanvragen door gemeenten, aanvragen door burgers, positieve adviezen.",
             labels_q, [line("requests_municipality"),
                        line("requests_citizen"),
                        line("positive_advices")]),
         "table": table([("requests_municipality", "int"),
                         ("requests_citizen", "int"),
                         ("positive_advices", "int")])},
        {"id": "c-sheltered", "title": "Beschut werk: geldige adviezen, werkzaam en taakstelling",
         "svg": charts.line_chart(
             "c-sheltered", f"Beschut werk: geldige positieve adviezen, werkzaam en taakstelling, {name}",
             "Lijnen per kwartaal: personen met een geldig positief advies en personen die beschut werken; "
             "stippellijn: de taakstelling van het jaar.",
             labels_q, [line("valid_positive_advices", "int"),
                        line("persons_working_sheltered", "int")],
             steps=[line("quota")]),
         "table": table([("valid_positive_advices", "int"),
                         ("persons_working_sheltered", "int"),
                         ("share_working", "share"), ("quota", "int")])},
    ]
    # durability of work: the latest cohort year whose follow-up (up to Q3 of the next
    # year) is over by this quarter
    finished = [c for c in f.cohort_years if f"{int(c) + 1}Q3" <= quarter]
    cohort = finished[-1] if finished else None
    durability = None
    if cohort:
        def cohort_fig(measure, group, kind):
            return figure(f.cohort_cells.get((cohort, region, group, measure), ABSENT), kind, cohort, region,
                          measure, group, period_type="cohort_year")
        durability = {"year": cohort, "columns": [label(m, "cohort_year") for m, _ in DURABILITY_MEASURES],
                      "rows": [(group_label, [cohort_fig(m, g, kind) for m, kind in DURABILITY_MEASURES])
                               for g, group_label in (("participatiewet", "Doelgroep Participatiewet"),
                                                      ("wajong", "Wajong"), ("wsw_wiw", "WSW-indicatie en Wiw/ID"),
                                                      ("all", "Totaal"))]}
    remark_html, remark_file = remarks(region, quarter)
    previous = previous_quarter(quarter)
    told = story.story(f, region, name, quarter, previous, year, q, fig)
    progress_markup = derived(progress, "pct", "job_growth / target_year_end × 100") if progress is not None else None
    breakdowns = story.breakdowns(f, region, quarter, fig)
    for b in breakdowns:
        b["svg"] = charts.bar_chart(
            b["id"], f"{b['title']}, {name}, {quarter_label(quarter)}",
            f"Staven per klasse van {b['title'].lower()}: " + ", ".join(label for label, _ in b["series"]) + ".",
            b["classes"], b["series"])
    return {
        "region": region, "name": name, "quarter": quarter, "label": quarter_label(quarter), "year": year,
        "q": q, "previous_label": quarter_label(previous_quarter(quarter)), "is_national": region == NATIONAL,
        "cell": cell, "fig": fig, "change_word": change_word, "progress": progress_markup,
        "still_to_go": derived(still_to_go, "int", "target_year_end − job_growth")
        if still_to_go is not None else None,
        "groups": list(labels.items()), "group_columns": [(m, label(m)) for m in GROUP_MEASURES],
        "charts": chart_list, "sheltered": sheltered,
        "remarks": remark_html, "remark_file": remark_file, "run_ids": f.run_ids, "durability": durability,
        "story": told["sentences"], "conclusion": told["conclusion"], "flows": story.flows(f, region, quarter, fig),
        "breakdowns": breakdowns,
        "news": story.news(f, quarter, year, fig, progress_markup) if region == NATIONAL else None,
        "publication_ids": f.publication_ids, "published_on": f.published_on(),
    }


# ------------------------------------------------------------------ a province

def province_context(f: Figures, province: str, quarter: str, names: dict) -> dict:
    """A province's page: its stocks (all target groups together), against last quarter,
    and over the quarters."""
    previous = previous_quarter(quarter)

    def fig(measure, kind="int", period=quarter):
        return figure(f.get(period, province, measure), kind, period, province, measure)

    def move(measure):
        """steeg / daalde / bleef gelijk from the two published figures; None when one is not."""
        now, before = f.get(quarter, province, measure), f.get(previous, province, measure)
        if not (now.shown and before.shown) or now.value is None or before.value is None:
            return None
        return "steeg" if now.value > before.value else "daalde" if now.value < before.value else "bleef gelijk"

    periods = [p for p in f.periods if p <= quarter]
    name = names.get(province, province)
    chart = {"id": "c-province", "title": "Personen in het doelgroepregister en werkzame personen",
             "svg": charts.line_chart(
                 "c-province", f"Personen in het doelgroepregister en werkzame personen, provincie {name}",
                 "Twee lijnen per kwartaal: geregistreerde personen en werkzame personen.",
                 [quarter_label(p) for p in periods],
                 [(f.label(m), [f.get(p, province, m).as_float() for p in periods], "int")
                  for m in ("persons_registered", "persons_working")]),
             "table": {"columns": [f.label(m) for m in PROVINCE_MEASURES],
                       "rows": [(quarter_label(p), [figure(f.get(p, province, m), "int", p, province, m)
                                                    for m in PROVINCE_MEASURES]) for p in periods]}}
    return {"province": province, "name": name, "quarter": quarter, "label": quarter_label(quarter),
            "previous": previous, "previous_label": quarter_label(previous), "fig": fig, "move": move,
            "tiles": [(m, f.label(m)) for m in PROVINCE_MEASURES], "chart": chart,
            "is_unknown": province == UNKNOWN_PROVINCE, "run_ids": f.run_ids,
            "publication_ids": f.publication_ids, "published_on": f.published_on()}


# ------------------------------------------------------------------ the index

def index_context(f: Figures, quarter: str, regions: list[str], names: dict,
                  provinces: dict[str, str] | None = None) -> dict:
    columns = [("jobs", "int"), ("job_growth", "int"), ("target_year_end", "int"),
               ("jobs_change_pct", "signedpct"), ("persons_registered", "int"), ("persons_working", "int"),
               ("persons_working_sheltered", "int")]
    rows = []
    for region in [NATIONAL, *regions]:
        cells = []
        for measure, kind in columns:
            c = f.get(quarter, region, measure)
            cells.append((figure(c, kind, quarter, region, measure),
                          float(c.value) if c.shown and c.value is not None else None))
        progress = progress_of(f.get(quarter, region, "job_growth"), f.get(quarter, region, "target_year_end"))
        rows.append({"region": region, "name": names.get(region, region), "cells": cells,
                     "progress": derived(progress, "pct", "job_growth / target_year_end × 100"),
                     "progress_value": float(progress) if progress is not None else None,
                     "bar": max(0.0, min(100.0, float(progress))) if progress is not None else 0.0})
    province_rows = []
    for province, province_name in (provinces or {}).items():
        cells = []
        for measure in PROVINCE_MEASURES:
            c = f.get(quarter, province, measure)
            cells.append((figure(c, "int", quarter, province, measure),
                          float(c.value) if c.shown and c.value is not None else None))
        province_rows.append({"region": province, "name": province_name, "cells": cells})
    return {"quarter": quarter, "label": quarter_label(quarter), "columns": [f.label(m) for m, _ in columns],
            "rows": rows, "run_ids": f.run_ids, "province_rows": province_rows,
            "publication_ids": f.publication_ids, "published_on": f.published_on(),
            "province_columns": [f.label(m) for m in PROVINCE_MEASURES],
            "national_provinces": [figure(f.get(quarter, NATIONAL, m), "int", quarter, NATIONAL, m)
                                   for m in PROVINCE_MEASURES]}
