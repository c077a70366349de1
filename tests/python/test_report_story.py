"""The story of a quarter on a report page (banenafspraak/reports/story.py), on hand-made
public figures whose sentences are worked out here by hand.

The hand-worked year (region AM99, target 1,000 extra jobs at the end of 2023; job growth
556 at the end of 2022):
* yearly pace: (1000 − 556) / 4 = 111 per quarter;
* Q1: growth 500, so (1000 − 500) / 3 = 166.67 per remaining quarter (shown 167);
* Q2: growth 526, so (1000 − 526) / 2 = 237 per remaining quarter;
* Q3: 183 jobs more (growth 709), so 1000 − 709 = 291 to go in the one quarter left.
In Q3 the region grew 183: less than the 237 needed (Q2's requirement), more than the
yearly pace of 111; the requirement rose from 237 to 291; at this quarter's pace one more
quarter brings 183 < 291: not on course.
"""
from __future__ import annotations

import html
import re
from decimal import Decimal

from banenafspraak.reports import story
from banenafspraak.reports.figures import Cell, Figures, figure

REGION = "AM99"


def figures(values: dict[tuple[str, str], float | None]) -> Figures:
    """A Figures of hand-made cells: (period, measure) → value (None: suppressed)."""
    f = Figures.__new__(Figures)
    f.cells = {(period, REGION, "all", "all", measure):
               Cell(None, "suppressed", ".") if value is None else Cell(Decimal(str(value)), "published", None)
               for (period, measure), value in values.items()}
    f.labels = {}
    return f


def tell(f: Figures, quarter: str) -> dict:
    year, q = int(quarter[:4]), int(quarter[-1])
    previous = f"{year - 1}Q4" if q == 1 else f"{year}Q{q - 1}"

    def fig(measure, kind="int", group="all", breakdown="all", period=quarter, at=REGION):
        return figure(f.get(period, at, measure, group, breakdown), kind, period, at, measure, group, breakdown)

    return story.story(f, REGION, "Proefregio", quarter, previous, year, q, fig)


def text(markup) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", str(markup)))).strip()


YEAR = {("2023Q3", "jobs_change"): 183, ("2023Q3", "required_per_quarter_yearly_pace"): 111,
        ("2023Q3", "job_growth"): 709, ("2023Q3", "target_year_end"): 1000,
        ("2023Q3", "required_per_remaining_quarter"): 291, ("2023Q2", "required_per_remaining_quarter"): 237,
        ("2023Q1", "jobs_change"): -56, ("2023Q1", "required_per_quarter_yearly_pace"): 111,
        ("2023Q1", "job_growth"): 500, ("2023Q1", "target_year_end"): 1000,
        ("2023Q1", "required_per_remaining_quarter"): 166.666667}


def test_growth_against_what_was_needed_and_the_yearly_pace():
    told = tell(figures(YEAR), "2023Q3")
    sentences = {k: text(v) for k, v in told["sentences"].items()}
    assert sentences["story-growth"] == ("In Q3 2023 groeide het aantal banen met 183: minder dan nodig "
                                         "(nodig: 237) en meer dan verwacht in het tempo van het jaar "
                                         "(111 per kwartaal).")
    assert sentences["story-requirement"] == ("De groei die per resterend kwartaal nodig is, steeg: van 237 in het "
                                              "vorige kwartaal naar 291 banen per kwartaal in de 1 resterende "
                                              "kwartaal.")
    assert sentences["story-to-go"] == "Er moeten in 2023 nog 291 banen bij (doelstelling 1.000, banengroei 709)."
    assert text(told["conclusion"]) == (
        "Proefregio ligt niet op koers voor de doelstelling van eind 2023: groeit het aantal banen de komende "
        "1 kwartaal zoals in dit kwartaal (+183), dan komen er 183 banen bij, tegen 291 die nog nodig zijn.")


def test_the_first_quarter_is_judged_against_the_yearly_pace():
    told = tell(figures(YEAR), "2023Q1")
    sentences = {k: text(v) for k, v in told["sentences"].items()}
    # Q1 needs the yearly pace (111); the jobs fell by 56
    assert sentences["story-growth"].startswith("In Q1 2023 daalde het aantal banen met 56: minder dan nodig "
                                                "(nodig: 111) en minder dan verwacht")
    assert "nu 167 banen per kwartaal nodig in de drie resterende kwartalen" in sentences["story-requirement"]
    # no growth this quarter while 1000 - 500 = 500 are still to go
    assert text(told["conclusion"]) == ("Proefregio ligt niet op koers voor de doelstelling van eind 2023: het "
                                        "aantal banen groeide dit kwartaal niet (−56), terwijl er nog 500 bij "
                                        "moeten.")


def test_the_verdict_reads_the_numbers_as_shown():
    """110.6 and 111.4 both show as 111: 'precies zoveel als nodig', not 'minder'."""
    assert story.verdict(Decimal("110.6"), Decimal("111.4"), story.NEEDED_WORDS) == "precies zoveel als nodig"
    assert story.verdict(Decimal("110.4"), Decimal("110.6"), story.NEEDED_WORDS) == "minder dan nodig"
    assert story.verdict(Decimal("112"), Decimal("111"), story.PACE_WORDS) == "meer dan verwacht"
    assert story.verdict(None, Decimal("111"), story.PACE_WORDS) is None


def test_a_hidden_figure_gives_no_verdict_and_no_conclusion():
    hidden = {**YEAR, ("2023Q3", "jobs_change"): None}
    told = tell(figures(hidden), "2023Q3")
    growth = text(told["sentences"]["story-growth"])
    assert "meer dan" not in growth and "minder dan" not in growth
    assert growth.startswith("In Q3 2023 veranderde het aantal banen met .")   # hidden: no direction either
    assert growth.endswith("of dat gehaald is, is niet te zeggen omdat een cijfer geheim is of ontbreekt.")
    assert text(told["conclusion"]) == ("Of Proefregio op koers ligt voor de doelstelling van eind 2023, is niet "
                                        "te zeggen: de banengroei van dit kwartaal is geheim of ontbreekt.")
    no_target = tell(figures({**YEAR, ("2023Q3", "target_year_end"): None}), "2023Q3")
    assert "is niet te zien omdat een cijfer geheim is" in text(no_target["sentences"]["story-to-go"])
    assert "is niet te zeggen: een van de cijfers is geheim" in text(no_target["conclusion"])


def test_a_target_met_and_a_target_missed_at_the_end_of_the_year():
    met = {("2023Q4", "jobs_change"): 10, ("2023Q4", "job_growth"): 1001, ("2023Q4", "target_year_end"): 1000,
           ("2023Q4", "required_per_quarter_yearly_pace"): 111, ("2023Q3", "required_per_remaining_quarter"): 0}
    told = tell(figures(met), "2023Q4")
    assert text(told["sentences"]["story-to-go"]) == "De doelstelling voor eind 2023 (1.000) is gehaald: de " \
                                                     "banengroei is 1.001."
    assert "story-requirement" not in told["sentences"]   # no quarter left
    # met by Q3 already (nothing needed in Q4): no verdict on the growth
    assert text(told["sentences"]["story-growth"]) == (
        "In Q4 2023 groeide het aantal banen met 10; er waren dit kwartaal geen extra banen nodig (nodig: 0): "
        "de doelstelling voor eind 2023 was al gehaald.")
    assert text(told["conclusion"]).startswith("Proefregio heeft de doelstelling voor eind 2023 gehaald")
    missed = {**met, ("2023Q4", "job_growth"): 950}
    assert text(tell(figures(missed), "2023Q4")["conclusion"]) == (
        "Proefregio heeft de doelstelling voor eind 2023 niet gehaald: er ontbreken 50 banen.")
