"""Regional reports: a quarterly factsheet per labour-market region, one for the
Netherlands and an index that compares the regions (`make reports`).

Modelled on UWV's public "Voortgang Banenafspraken" update per region (e.g. the
factsheet for Friesland, Q2 2023; docs/reports.md): headline
tiles with their change against the previous quarter, sentences on the current
developments, charts over all published quarters, beschut werk, and a block for the
region's own remarks. The pages are in Dutch (their readers are Dutch); code is English.

Reads only public data:
  - `publication.figures` from the public file (publish/public/public.duckdb, what
    `make publish` writes after disclosure control): a suppressed figure shows its
    symbol and the legend, and a chart leaves a gap; nothing is recomputed from the
    exact marts;
  - the public reference data in seeds/reference (region names, target-group labels).
Remarks of a region come from a text file, see reports/remarks/README.md.

Writes publish/reports/<quarter>/<region_code>.html, NL.html and index.html: each one
self-contained (CSS inline, charts as inline SVG, no fonts or scripts from anywhere
else; the index has a small inline script to sort its table), printable on A4; with
--pdf also a PDF twin of each page, printed by headless Chromium (Debian's package).

    python scripts/build_reports.py [--quarter 2023Q4] [--public FILE] [--out DIR] [--pdf]
"""
from __future__ import annotations

import argparse
import csv
import math
import re
import sys
import time
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from banenafspraak.config import ROOT, config
from banenafspraak.reports import charts

REFERENCE = ROOT / "seeds" / "reference"
TEMPLATES = ROOT / "reports" / "templates"
REMARKS = ROOT / "reports" / "remarks"
NATIONAL = "NL"
GROUPS = ["participatiewet", "wajong", "wsw", "wiw_id"]
QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


# ------------------------------------------------------------------ the public figures

@dataclass(frozen=True)
class Cell:
    """One public figure as a reader sees it: a value, or a symbol and no value."""

    value: Decimal | None
    status: str  # published | suppressed | absent (not in the publication)
    symbol: str | None

    @property
    def shown(self) -> bool:
        return self.status == "published" and self.value is not None

    def as_float(self) -> float:
        return float(self.value) if self.shown and self.value is not None else math.nan


ABSENT = Cell(None, "absent", None)


class Figures:
    """publication.figures of one public file, looked up by period, region, measure."""

    def __init__(self, public: Path) -> None:
        if not public.exists():
            raise SystemExit(f"build_reports: {public} does not exist; run `make publish` first")
        with duckdb.connect(str(public), read_only=True) as con:
            rows = con.execute("""
                select period, region_code, target_group, breakdown, measure, value, status, symbol, run_id
                from publication.figures where period_type = 'quarter'""").fetchall()
            cohort_rows = con.execute("""
                select period, region_code, target_group, measure, value, status, symbol
                from publication.figures where period_type = 'cohort_year'""").fetchall()
        if not rows:
            raise SystemExit(f"build_reports: {public}: publication.figures has no quarterly figures")
        self.cells = {(p, r, g, b, m): Cell(v, s, sym) for p, r, g, b, m, v, s, sym, _ in rows}
        self.cohort_cells = {(p, r, g, m): Cell(v, s, sym) for p, r, g, m, v, s, sym in cohort_rows}
        self.cohort_years = sorted({row[0] for row in cohort_rows})
        self.run_ids = sorted({row[-1] for row in rows})
        self.periods = sorted({row[0] for row in rows})
        self.regions = sorted({row[1] for row in rows})

    def get(self, period: str, region: str, measure: str, group: str = "all", breakdown: str = "all") -> Cell:
        return self.cells.get((period, region, group, breakdown, measure), ABSENT)


# ------------------------------------------------------------------ Dutch formatting

def round_half_up(value: Decimal, places: int = 0) -> Decimal:
    """Half up, as UWV rounds its reports (499 / 3 → 166; 2.45 % → 2,5 %)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def dutch(value: Decimal, places: int = 0) -> str:
    """3062 → '3.062'; 2.94 (1 place) → '2,9'; negative with a real minus sign."""
    rounded = round_half_up(value, places)
    text = f"{abs(rounded):,.{places}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return ("\u2212" if rounded < 0 else "") + text


FORMATS = {
    # name: (places, multiply by, suffix, absolute value, explicit sign)
    "int": (0, 1, "", False, False),
    "abs": (0, 1, "", True, False),
    "signed": (0, 1, "", False, True),
    "pct": (1, 1, "%", False, False),
    "abspct": (1, 1, "%", True, False),
    "signedpct": (1, 1, "%", False, True),
    "share": (0, 100, "%", False, False),
}


def format_value(value: Decimal, kind: str) -> str:
    places, factor, suffix, absolute, signed = FORMATS[kind]
    value = value * factor
    if absolute:
        value = abs(value)
    text = dutch(value, places)
    if signed and round_half_up(value, places) > 0:
        text = "+" + text
    elif signed and round_half_up(value, places) == 0:
        text = "\u00b10"  # ±0
    return text + suffix


def figure(cell: Cell, kind: str, period: str, region: str, measure: str, group: str = "all",
           breakdown: str = "all", period_type: str = "quarter") -> Markup:
    """A published figure as <data>, marked with where it comes from (the tests read it back)."""
    where = (f'data-period-type="{period_type}" data-period="{escape(period)}" data-region="{escape(region)}" '
             f'data-measure="{escape(measure)}" data-group="{escape(group)}" data-breakdown="{escape(breakdown)}" '
             f'data-format="{kind}"')
    if cell.status == "suppressed":
        return Markup(f'<data class="fig suppressed" {where} title="geheim: te kleine aantallen">'
                      f'{escape(cell.symbol or ".")}</data>')
    if not cell.shown or cell.value is None:
        return Markup(f'<data class="fig absent" {where} title="geen cijfer">\u2013</data>')
    return Markup(f'<data class="fig" {where} value="{cell.value}">{escape(format_value(cell.value, kind))}</data>')


def derived(value: Decimal | None, kind: str, formula: str) -> Markup:
    """A figure computed on the page from published ones (e.g. growth / target)."""
    if value is None:
        return Markup(f'<data class="fig derived absent" data-formula="{escape(formula)}" '
                      f'title="niet te berekenen: een van de cijfers is geheim">.</data>')
    return Markup(f'<data class="fig derived" data-formula="{escape(formula)}" data-format="{kind}" '
                  f'value="{value}">{escape(format_value(value, kind))}</data>')


def progress_of(growth: Cell, target: Cell) -> Decimal | None:
    """Job growth as a percentage of the year-end target, when both are published."""
    if growth.value is not None and target.value is not None and growth.shown and target.shown \
            and target.value > 0:
        return growth.value / target.value * 100
    return None


# ------------------------------------------------------------------ reference data and remarks

def read_csv(name: str) -> list[dict]:
    with open(REFERENCE / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def region_names() -> dict[str, str]:
    names = {row["region_code"]: row["region_name"] for row in read_csv("labour_market_regions.csv")}
    names[NATIONAL] = "Nederland"
    return names


def group_labels() -> dict[str, str]:
    rows = sorted(read_csv("target_groups.csv"), key=lambda row: int(row["sort_order"]))
    return {row["target_group"]: row["label_nl"] for row in rows}


def remarks(region: str, quarter: str) -> tuple[Markup | None, str]:
    """The region's own remarks: reports/remarks/<quarter>/<region>.md, else <region>.md.

    Plain text: lines starting with '- ' become a list, blank lines separate
    paragraphs, **words** are bold. Everything else is escaped (no HTML)."""
    for path in (REMARKS / quarter / f"{region}.md", REMARKS / f"{region}.md"):
        if path.exists():
            return render_remarks(path.read_text(encoding="utf-8")), str(path.relative_to(ROOT))
    return None, str((REMARKS / quarter / f"{region}.md").relative_to(ROOT))


def render_remarks(text: str) -> Markup:
    def inline(line: str) -> str:
        return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", str(escape(line)))

    html: list[str] = []
    items: list[str] = []
    paragraph: list[str] = []

    def flush():
        if items:
            html.append("<ul>" + "".join(f"<li>{inline(i)}</li>" for i in items) + "</ul>")
            items.clear()
        if paragraph:
            html.append(f"<p>{inline(' '.join(paragraph))}</p>")
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#"):
            continue  # comments for whoever edits the file
        if line.startswith("- "):
            if paragraph:
                flush()
            items.append(line[2:])
        elif not line:
            flush()
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return Markup("\n".join(html))


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
    labels_q = [quarter_label(p) for p in periods]

    def series(measure, at=region):
        return [f.get(p, at, measure).as_float() for p in periods]

    def table(columns):
        """The text equivalent of a chart: quarters × measures, with symbols."""
        return {"columns": [title for title, _, _ in columns],
                "rows": [(quarter_label(p), [figure(f.get(p, region, m), k, p, region, m) for _, m, k in columns])
                         for p in periods]}

    name = names.get(region, region)
    chart_list = [
        {"id": "c-growth", "title": "Banengroei en doelstelling",
         "svg": charts.line_chart(
             "c-growth", f"Banengroei t.o.v. de nulmeting en doelstelling per jaar, {name}",
             "Lijn: banengroei per kwartaal; stippellijn: de doelstelling voor het einde van het jaar.",
             labels_q, [("Banengroei", series("job_growth"), "int")],
             steps=[("Doelstelling eind jaar", series("target_year_end"))]),
         "table": table([("Banengroei", "job_growth", "int"), ("Doelstelling eind jaar", "target_year_end", "int"),
                         ("Aantal banen", "jobs", "int")])},
        {"id": "c-persons", "title": "Personen in het doelgroepregister en werkzame personen",
         "svg": charts.line_chart(
             "c-persons", f"Personen in het doelgroepregister en werkzame personen, {name}",
             "Twee lijnen per kwartaal: geregistreerde personen en werkzame personen.",
             labels_q, [("Doelgroepregister", series("persons_registered"), "int"),
                        ("Werkzame personen", series("persons_working"), "int")]),
         "table": table([("Doelgroepregister", "persons_registered", "int"),
                         ("Werkzame personen", "persons_working", "int"),
                         ("Niet werkzaam", "persons_not_working", "int")])},
        {"id": "c-flows", "title": "Instroom en uitstroom doelgroepregister",
         "svg": charts.bar_chart(
             "c-flows", f"Instroom en uitstroom doelgroepregister per kwartaal, {name}",
             "Staven per kwartaal: instroom en uitstroom van geregistreerde personen.",
             labels_q, [("Instroom", series("inflow")), ("Uitstroom", series("outflow"))]),
         "table": table([("Instroom", "inflow", "int"), ("Uitstroom", "outflow", "int"),
                         ("Werk gevonden", "found_work", "int"), ("Werk verloren", "lost_work", "int")])},
    ]
    sheltered = [
        {"id": "c-requests", "title": "Beschut werk: aanvragen en positieve adviezen",
         "svg": charts.bar_chart(
             "c-requests", f"Beschut werk: aanvragen en positieve adviezen per kwartaal, {name}",
             "Staven per kwartaal: aanvragen door gemeenten, aanvragen door burgers, positieve adviezen.",
             labels_q, [("Aanvragen gemeente", series("requests_municipality")),
                        ("Aanvragen burger", series("requests_citizen")),
                        ("Positieve adviezen", series("positive_advices"))]),
         "table": table([("Aanvragen gemeente", "requests_municipality", "int"),
                         ("Aanvragen burger", "requests_citizen", "int"),
                         ("Positieve adviezen", "positive_advices", "int")])},
        {"id": "c-sheltered", "title": "Beschut werk: geldige adviezen, werkzaam en taakstelling",
         "svg": charts.line_chart(
             "c-sheltered", f"Beschut werk: geldige positieve adviezen, werkzaam en taakstelling, {name}",
             "Lijnen per kwartaal: personen met een geldig positief advies en personen die beschut werken; "
             "stippellijn: de taakstelling van het jaar.",
             labels_q, [("Geldig positief advies", series("valid_positive_advices"), "int"),
                        ("Werkzaam in beschut werk", series("persons_working_sheltered"), "int")],
             steps=[("Taakstelling", series("quota"))]),
         "table": table([("Geldig positief advies", "valid_positive_advices", "int"),
                         ("Werkzaam", "persons_working_sheltered", "int"),
                         ("Aandeel werkzaam", "share_working", "share"), ("Taakstelling", "quota", "int")])},
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
        durability = {"year": cohort, "rows": [
            (label, [cohort_fig("persons_started", g, "int"), cohort_fig("persons_still_working", g, "int"),
                     cohort_fig("share_still_working", g, "share"), cohort_fig("persons_same_job", g, "int"),
                     cohort_fig("share_same_job", g, "share")])
            for g, label in (("participatiewet", "Doelgroep Participatiewet"), ("wajong", "Wajong"),
                             ("wsw_wiw", "WSW-indicatie en Wiw/ID"), ("all", "Totaal"))]}
    remark_html, remark_file = remarks(region, quarter)
    return {
        "region": region, "name": name, "quarter": quarter, "label": quarter_label(quarter), "year": year,
        "q": q, "previous_label": quarter_label(previous_quarter(quarter)), "is_national": region == NATIONAL,
        "cell": cell, "fig": fig, "change_word": change_word, "progress": derived(
            progress, "pct", "job_growth / target_year_end × 100") if progress is not None else None,
        "still_to_go": derived(still_to_go, "int", "target_year_end − job_growth")
        if still_to_go is not None else None,
        "groups": [(g, labels[g]) for g in GROUPS], "charts": chart_list, "sheltered": sheltered,
        "remarks": remark_html, "remark_file": remark_file, "run_ids": f.run_ids, "durability": durability,
    }


# ------------------------------------------------------------------ the index

def index_context(f: Figures, quarter: str, regions: list[str], names: dict) -> dict:
    columns = [("Banen", "jobs", "int"), ("Banengroei", "job_growth", "int"),
               ("Doelstelling eind jaar", "target_year_end", "int"),
               ("Banen t.o.v. vorig kwartaal", "jobs_change_pct", "signedpct"),
               ("Doelgroepregister", "persons_registered", "int"), ("Werkzame personen", "persons_working", "int"),
               ("Beschut werkzaam", "persons_working_sheltered", "int")]
    rows = []
    for region in [NATIONAL, *regions]:
        cells = []
        for _, measure, kind in columns:
            c = f.get(quarter, region, measure)
            cells.append((figure(c, kind, quarter, region, measure),
                          float(c.value) if c.shown and c.value is not None else None))
        progress = progress_of(f.get(quarter, region, "job_growth"), f.get(quarter, region, "target_year_end"))
        rows.append({"region": region, "name": names.get(region, region), "cells": cells,
                     "progress": derived(progress, "pct", "job_growth / target_year_end × 100"),
                     "progress_value": float(progress) if progress is not None else None,
                     "bar": max(0.0, min(100.0, float(progress))) if progress is not None else 0.0})
    return {"quarter": quarter, "label": quarter_label(quarter), "columns": [c[0] for c in columns],
            "rows": rows, "run_ids": f.run_ids}


# ------------------------------------------------------------------ PDF

def print_pdfs(pages: list[Path], progress) -> None:
    """A PDF twin of each page, printed by headless Chromium (Debian's package) on A4."""
    import shutil
    import subprocess
    if shutil.which("chromium") is None:
        subprocess.run([str(ROOT / "scripts" / "ensure_chromium.sh")], check=False)
    executable = shutil.which("chromium")
    if executable is None:
        raise SystemExit("build_reports: --pdf needs Debian's chromium package (scripts/ensure_chromium.sh)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        page = browser.new_page()
        for number, html in enumerate(pages, 1):
            page.goto(html.as_uri())
            page.emulate_media(media="print")
            page.pdf(path=str(html.with_suffix(".pdf")), format="A4", print_background=True,
                     prefer_css_page_size=True)
            progress(number, len(pages), f"PDF {html.with_suffix('.pdf').name}")
        browser.close()


# ------------------------------------------------------------------ main

def progress_bar(done: int, total: int, what: str) -> None:
    """One redrawn bar on a terminal; a line per tenth in a log file."""
    width = 30
    filled = int(width * done / total)
    line = f"[{'#' * filled}{'.' * (width - filled)}] {done:>2}/{total} {what}"
    if sys.stderr.isatty():
        print(f"\r{line:<70}", end="\n" if done == total else "", file=sys.stderr, flush=True)
    elif done == total or done % max(1, total // 10) == 0:
        print(line, file=sys.stderr, flush=True)


def build(public: Path, out_root: Path, quarter: str | None = None, pdf: bool = False) -> Path:
    started = time.monotonic()
    f = Figures(public)
    quarter = quarter or f.periods[-1]
    if not QUARTER.match(quarter or ""):
        raise SystemExit(f"build_reports: --quarter {quarter!r}: expected a quarter like 2023Q4")
    if quarter not in f.periods:
        raise SystemExit(f"build_reports: {public}: no published figures for {quarter} "
                         f"(published: {f.periods[0]} … {f.periods[-1]})")
    names, labels = region_names(), group_labels()
    regions = [r for r in sorted(names) if r != NATIONAL]
    missing = [r for r in regions if not any(k[1] == r and k[0] == quarter for k in f.cells)]
    if missing:
        raise SystemExit(f"build_reports: {public}: no figures for regions {', '.join(missing)} in {quarter}")
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["css"] = Markup((TEMPLATES / "report.css").read_text(encoding="utf-8"))
    out = out_root / quarter
    out.mkdir(parents=True, exist_ok=True)
    pages = []
    total = len(regions) + 2
    for number, region in enumerate([*regions, NATIONAL], 1):
        html = env.get_template("region.html.j2").render(**page_context(f, region, quarter, names, labels))
        path = out / f"{region}.html"
        path.write_text(html, encoding="utf-8")
        pages.append(path)
        progress_bar(number, total, f"{region}.html")
    index = out / "index.html"
    index.write_text(env.get_template("index.html.j2").render(**index_context(f, quarter, regions, names)),
                     encoding="utf-8")
    pages.append(index)
    progress_bar(total, total, "index.html")
    if pdf:
        print_pdfs(pages, progress_bar)
    print(f"build_reports: {len(pages)} pages for {quarter_label(quarter)} in {out} "
          f"({time.monotonic() - started:.1f} s{', with PDF' if pdf else ''})", file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quarter", help="e.g. 2023Q4 (default: the latest published quarter)")
    settings = config()
    parser.add_argument("--public", type=Path, default=settings.publish_folder / "public" / "public.duckdb",
                        help="the public file that `make publish` writes")
    parser.add_argument("--out", type=Path, default=settings.publish_folder / "reports")
    parser.add_argument("--pdf", action="store_true", help="also print each page to PDF (headless Chromium)")
    args = parser.parse_args(argv)
    build(args.public, args.out, args.quarter, args.pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
