"""The story of a quarter on a report page (pages.py), generated from the public figures:
job growth this quarter against what was needed, the requirement against last quarter's,
the jobs still to go this year, a conclusion in words; in- and outflow by reason; the
breakdowns (published nationally); and the national news sentences.

Every number is a published figure (figures.figure: a <data> element naming its cell) or
a figure computed on the page from published ones (figures.derived, with its formula).
A verdict compares the numbers as the page shows them (rounded half up to whole jobs),
so that a reader who sees "183 against 111" reads "meer dan nodig", never a verdict the
shown numbers contradict. When an input is suppressed, the sentence says so instead of
judging.
"""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from markupsafe import Markup, escape

from banenafspraak.reports.figures import ABSENT, Cell, Figures, derived, round_half_up

# the reasons of in- and outflow (breakdown `inflow:<reason>` / `outflow:<reason>` of the
# measure `persons`), in the order of the definitions, with their Dutch labels
REASONS = {
    "inflow": (("new_indication", "nieuwe indicatie"),
               ("wsw_sheltered_ended", "beschutte WSW-werkplek beëindigd"),
               ("group_change", "wisseling van doelgroep"),
               ("other", "overig")),
    "outflow": (("wsw_sheltered_started", "beschut aan het werk in de WSW"),
                ("sheltered_work_indication", "indicatie beschut werk (Participatiewet)"),
                ("voluntary_deregistration", "vrijwillige uitschrijving"),
                ("no_work_capacity", "correctie duurzaam geen arbeidsvermogen"),
                ("pension_age", "AOW-leeftijd bereikt"),
                ("death", "overlijden"),
                ("group_change", "wisseling van doelgroep"),
                ("other", "overig")),
}
# the breakdowns charted on a page (those with cells in the publication: nationally), their
# classes in order and Dutch labels
BREAKDOWNS = (
    ("age_class", "Leeftijd", (("<27", "jonger dan 27"), ("27-44", "27 tot 45"), ("45-54", "45 tot 55"),
                               ("55+", "55 en ouder"), ("unknown", "onbekend"))),
    ("gender", "Geslacht", (("M", "man"), ("F", "vrouw"), ("U", "onbekend"))),
    ("hours_class", "Uren per week", (("<12", "minder dan 12"), ("12-<20", "12 tot 20"), ("20-<30", "20 tot 30"),
                                      ("30+", "30 of meer"))),
    ("contract_type", "Soort contract", (("permanent", "vast"), ("temporary", "tijdelijk"), ("unknown", "onbekend"))),
)
BREAKDOWN_MEASURES = ("persons_registered", "persons_working", "jobs")

Fig = Callable[..., Markup]


def shown(cell: Cell) -> Decimal | None:
    """The published value, or None (suppressed, not applicable, absent)."""
    return cell.value if cell.shown else None


def compare(value: Decimal, other: Decimal) -> int:
    """-1, 0 or 1: the two as the page shows them (whole numbers, half up)."""
    a, b = round_half_up(value), round_half_up(other)
    return (a > b) - (a < b)


def verdict(growth: Decimal | None, needed: Decimal | None, words: tuple[str, str, str]) -> str | None:
    """words (more, as much, less) for growth against needed; None when one is hidden."""
    if growth is None or needed is None:
        return None
    return words[1 - compare(growth, needed)]


NEEDED_WORDS = ("meer dan nodig", "precies zoveel als nodig", "minder dan nodig")
PACE_WORDS = ("meer dan verwacht", "zoals verwacht", "minder dan verwacht")


def needed_this_quarter(f: Figures, region: str, quarter: str, previous: str, q: int) -> tuple[Cell, str, str]:
    """The jobs needed this quarter, as known at its start: in Q1 the yearly pace (this
    year's target less the growth at last year's end, over four quarters); later the
    previous quarter's requirement per remaining quarter. (cell, period, measure)."""
    if q == 1:
        return f.get(quarter, region, "required_per_quarter_yearly_pace"), quarter, "required_per_quarter_yearly_pace"
    return f.get(previous, region, "required_per_remaining_quarter"), previous, "required_per_remaining_quarter"


def story(f: Figures, region: str, name: str, quarter: str, previous: str, year: int, q: int, fig: Fig) -> dict:
    """The sentences of 'Het verhaal van dit kwartaal' and the 'Conclusie' (Markup each, by id)."""
    def cell(measure: str, period: str = quarter) -> Cell:
        return f.get(period, region, measure)

    growth_q = shown(cell("jobs_change"))
    needed_cell, needed_period, needed_measure = needed_this_quarter(f, region, quarter, previous, q)
    needed = shown(needed_cell)
    pace = shown(cell("required_per_quarter_yearly_pace"))
    growth, target = shown(cell("job_growth")), shown(cell("target_year_end"))
    to_go = target - growth if growth is not None and target is not None else None
    sentences: dict[str, Markup] = {}

    # 1. growth this quarter against what was needed and against the yearly pace
    direction = ("veranderde het aantal banen met" if growth_q is None
                 else "groeide het aantal banen met" if growth_q >= 0 else "daalde het aantal banen met")
    against_needed = verdict(growth_q, needed, NEEDED_WORDS)
    against_pace = verdict(growth_q, pace, PACE_WORDS)
    needed_fig = fig(needed_measure, period=needed_period)
    if needed is not None and round_half_up(needed) == 0:
        judged = Markup(f"; er waren dit kwartaal geen extra banen nodig (nodig: {needed_fig}): de doelstelling "
                        f"voor eind {year} was al gehaald.")
    elif against_needed and against_pace:
        judged = Markup(f": <strong class=\"verdict\" id=\"verdict-needed\">{escape(against_needed)}</strong> "
                        f"(nodig: {needed_fig}) en <strong class=\"verdict\" id=\"verdict-pace\">"
                        f"{escape(against_pace)}</strong> in het tempo van het jaar "
                        f"({fig('required_per_quarter_yearly_pace')} per kwartaal).")
    else:
        judged = Markup(f". Nodig waren {needed_fig} banen, in het tempo van het jaar "
                        f"{fig('required_per_quarter_yearly_pace')} per kwartaal; of dat gehaald is, is niet te "
                        "zeggen omdat een cijfer geheim is of ontbreekt.")
    sentences["story-growth"] = Markup(f"In {escape(quarter_text(quarter))} {direction} "
                                       f"{fig('jobs_change', 'abs')}") + judged

    # 2. this quarter's requirement against last quarter's (only Q2 and Q3 have both)
    if q in (2, 3):
        now, before = shown(cell("required_per_remaining_quarter")), shown(cell("required_per_remaining_quarter",
                                                                                previous))
        move = "veranderde" if now is None or before is None else \
            ("steeg" if compare(now, before) > 0 else "daalde" if compare(now, before) < 0 else "bleef gelijk")
        sentences["story-requirement"] = Markup(
            f"De groei die per resterend kwartaal nodig is, <span class=\"move\">{move}</span>: van "
            f"{fig('required_per_remaining_quarter', period=previous)} in het vorige kwartaal naar "
            f"{fig('required_per_remaining_quarter')} banen per kwartaal in de {4 - q} resterende "
            f"kwarta{'al' if q == 3 else 'len'}.")
    elif q == 1:
        sentences["story-requirement"] = Markup(
            f"Dit is het eerste kwartaal van {year}: om de doelstelling te halen zijn nu "
            f"{fig('required_per_remaining_quarter')} banen per kwartaal nodig in de drie resterende kwartalen.")

    # 3. the jobs still to go this year, every quarter
    if to_go is None:
        sentences["story-to-go"] = Markup(f"Hoeveel banen er in {year} nog bij moeten, is niet te zien omdat een "
                                          "cijfer geheim is of ontbreekt.")
    elif to_go <= 0:
        sentences["story-to-go"] = Markup(
            f"De doelstelling voor eind {year} ({fig('target_year_end')}) is gehaald: de banengroei is "
            f"{fig('job_growth')}.")
    else:
        sentences["story-to-go"] = Markup(
            f"Er moeten in {year} nog {derived(to_go, 'int', 'target_year_end − job_growth')} banen bij "
            f"(doelstelling {fig('target_year_end')}, banengroei {fig('job_growth')}).")

    return {"sentences": sentences,
            "conclusion": conclusion(name, year, q, growth_q, growth, target, to_go, fig)}


def quarter_text(quarter: str) -> str:
    return f"Q{quarter[-1]} {quarter[:4]}"


def conclusion(name: str, year: int, q: int, growth_q: Decimal | None, growth: Decimal | None,
               target: Decimal | None, to_go: Decimal | None, fig: Fig) -> Markup:
    """The 'Conclusie': met, on course (this quarter's growth kept up over the remaining
    quarters reaches the target), or not; or that it cannot be said (a figure is hidden)."""
    who = escape(name)
    if growth is None or target is None or to_go is None:
        return Markup(f"Of {who} op koers ligt voor de doelstelling van eind {year}, is niet te zeggen: een van "
                      "de cijfers is geheim of ontbreekt.")
    if to_go <= 0:
        return Markup(f"{who} heeft de doelstelling voor eind {year} gehaald: de banengroei sinds 2012 "
                      f"({fig('job_growth')}) is minstens de doelstelling ({fig('target_year_end')}).")
    if q == 4:
        return Markup(f"{who} heeft de doelstelling voor eind {year} niet gehaald: er ontbreken "
                      f"{derived(to_go, 'int', 'target_year_end − job_growth')} banen.")
    left = 4 - q
    if growth_q is None:
        return Markup(f"Of {who} op koers ligt voor de doelstelling van eind {year}, is niet te zeggen: de "
                      "banengroei van dit kwartaal is geheim of ontbreekt.")
    if round_half_up(growth_q) <= 0:
        return Markup(
            f"{who} ligt <strong class=\"verdict\" id=\"verdict-course\">niet op koers</strong> voor de "
            f"doelstelling van eind {year}: het aantal banen groeide dit kwartaal niet "
            f"({fig('jobs_change', 'signed')}), terwijl er nog "
            f"{derived(to_go, 'int', 'target_year_end − job_growth')} bij moeten.")
    reached = growth_q * left
    status = "op koers" if compare(reached, to_go) >= 0 else "niet op koers"
    return Markup(
        f"{who} ligt <strong class=\"verdict\" id=\"verdict-course\">{status}</strong> voor de doelstelling van "
        f"eind {year}: groeit het aantal banen de komende {left} kwarta{'al' if left == 1 else 'len'} zoals in dit "
        f"kwartaal ({fig('jobs_change', 'signed')}), dan komen er "
        f"{derived(reached, 'int', f'jobs_change × {left}')} banen bij, tegen "
        f"{derived(to_go, 'int', 'target_year_end − job_growth')} die nog nodig zijn.")


def flows(f: Figures, region: str, quarter: str, fig: Fig) -> dict:
    """In- and outflow by reason (rows: total then each reason), and work found and lost."""
    tables = {}
    for direction, title in (("inflow", "Instroom"), ("outflow", "Uitstroom")):
        rows = [(title, fig(direction))]
        for reason, label in REASONS[direction]:
            breakdown = f"{direction}:{reason}"
            if f.get(quarter, region, "persons", breakdown=breakdown) is not ABSENT:
                rows.append((f"waarvan {label}", fig("persons", breakdown=breakdown)))
        tables[direction] = rows
    work = [(f.label(m), fig(m)) for m in ("found_work", "lost_work", "inflow_working", "outflow_working")]
    sentence = Markup(
        f"In {escape(quarter_text(quarter))} stroomden {fig('inflow')} personen het doelgroepregister in en "
        f"{fig('outflow')} uit. {fig('found_work')} personen in het register vonden werk, {fig('lost_work')} "
        f"verloren hun werk; van wie instroomde, werkten er {fig('inflow_working')}, van wie uitstroomde "
        f"{fig('outflow_working')}.")
    return {"inflow": tables["inflow"], "outflow": tables["outflow"], "work": work, "sentence": sentence}


def breakdowns(f: Figures, region: str, quarter: str, fig: Fig) -> list[dict]:
    """The breakdowns with cells in the publication for this region and quarter: per
    breakdown its classes × (registered, working, jobs), and the series of its chart."""
    out = []
    for breakdown, title, classes in BREAKDOWNS:
        present = [(c, label) for c, label in classes
                   if f.get(quarter, region, "persons_working", breakdown=f"{breakdown}:{c}") is not ABSENT]
        if not present:
            continue
        measures = [m for m in BREAKDOWN_MEASURES
                    if any(f.get(quarter, region, m, breakdown=f"{breakdown}:{c}") is not ABSENT for c, _ in present)]
        rows = [(label, [fig(m, breakdown=f"{breakdown}:{c}") for m in measures]) for c, label in present]
        series = [(f.label(m), [f.get(quarter, region, m, breakdown=f"{breakdown}:{c}").as_float()
                                for c, _ in present]) for m in measures if m != "jobs"]
        out.append({"id": f"b-{breakdown}", "breakdown": breakdown, "title": title,
                    "classes": [label for _, label in present], "columns": [f.label(m) for m in measures],
                    "rows": rows, "series": series})
    return out


def news(f: Figures, quarter: str, year: int, fig: Fig, progress: Markup | None) -> dict[str, Markup]:
    """The national page's news sentences, as UWV's quarterly news reads (by id)."""
    def cell(measure: str, breakdown: str = "all") -> Cell:
        return f.get(quarter, "NL", measure, breakdown=breakdown)

    def verb(measure: str) -> str:
        value = shown(cell(measure))
        return "veranderde" if value is None else "steeg" if value > 0 else "daalde" if value < 0 else "bleef gelijk"

    def reasons(direction: str) -> Markup:
        parts = [Markup(f"{escape(label)} {fig('persons', breakdown=f'{direction}:{reason}')}")
                 for reason, label in REASONS[direction]
                 if cell("persons", f"{direction}:{reason}") is not ABSENT]
        return Markup("; ").join(parts) if parts else Markup("geen redenen gepubliceerd")

    label = quarter_text(quarter)
    return {
        "news-growth": Markup(
            f"Eind {label} waren er {fig('job_growth')} banen meer voor mensen met een arbeidsbeperking dan bij de "
            f"nulmeting van 2012. De doelstelling voor eind {year} is {fig('target_year_end')} extra banen"
            + (f"; daarvan is {progress} gehaald." if progress is not None else ".")),
        "news-change": Markup(
            f"Ten opzichte van het vorige kwartaal <span class=\"move\">{verb('jobs_change')}</span> het aantal "
            f"banen met {fig('jobs_change', 'abs')} ({fig('jobs_change_pct', 'abspct')}) tot {fig('jobs')}; het "
            f"aantal werkzame personen <span class=\"move\">{verb('persons_working_change')}</span> met "
            f"{fig('persons_working_change', 'abs')} ({fig('persons_working_change_pct', 'abspct')}) tot "
            f"{fig('persons_working')}."),
        "news-flows": Markup(
            f"In {label} stroomden {fig('inflow')} personen het doelgroepregister in ({reasons('inflow')}) en "
            f"{fig('outflow')} personen uit ({reasons('outflow')}). Het register telt nu "
            f"{fig('persons_registered')} personen."),
        "news-sheltered": Markup(
            f"Beschut werk: gemeenten vroegen {fig('requests_municipality')} keer een advies aan en burgers "
            f"{fig('requests_citizen')} keer; {fig('positive_advices')} adviezen waren positief. Op de peildatum "
            f"hadden {fig('valid_positive_advices')} personen een geldig positief advies, van wie "
            f"{fig('persons_working_sheltered')} beschut werken."),
    }


__all__ = ["BREAKDOWNS", "REASONS", "breakdowns", "conclusion", "flows", "news", "story", "verdict"]
