"""The public figures of the regional reports (build.py): publication.figures read from the
public file, and how a figure shows on a page (Dutch number formats, symbols for suppressed
and absent figures, figures computed on the page).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
from markupsafe import Markup, escape

# ------------------------------------------------------------------ the public figures

@dataclass(frozen=True)
class Cell:
    """One public figure as a reader sees it: a value, or a symbol and no value."""

    value: Decimal | None
    status: str  # published | suppressed | not_applicable | absent (not in the publication)
    symbol: str | None

    @property
    def shown(self) -> bool:
        return self.status == "published" and self.value is not None

    def as_float(self) -> float:
        return float(self.value) if self.shown and self.value is not None else math.nan


ABSENT = Cell(None, "absent", None)
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")


class Figures:
    """publication.figures of one public file, looked up by period, region, measure; and the
    measures' labels (publication.measures)."""

    def __init__(self, public: Path) -> None:
        if not public.exists():
            raise SystemExit(f"build_reports: {public} does not exist; run `make publish` first")
        with duckdb.connect(str(public), read_only=True) as con:
            rows = con.execute("""
                select period, region_code, target_group, breakdown, measure, value, status, symbol, run_id
                from publication.figures where period_type = 'quarter'""").fetchall()
            self.publication_ids = [row[0] for row in con.execute(
                "select distinct publication_id from publication.figures where publication_id is not null "
                "order by 1").fetchall()]
            cohort_rows = con.execute("""
                select period, region_code, target_group, measure, value, status, symbol
                from publication.figures where period_type = 'cohort_year'""").fetchall()
            has_measures = con.execute("select count(*) from information_schema.tables where "
                                       "table_schema = 'publication' and table_name = 'measures'").fetchall()[0][0]
            if not has_measures:
                raise SystemExit(f"build_reports: {public} has no publication.measures (the measures' labels): "
                                 "publish again with this version (`make publish`)")
            self.labels = {(period_type, measure): label for period_type, measure, label in con.execute(
                "select period_type, measure, label from publication.measures").fetchall()}
        if not rows:
            raise SystemExit(f"build_reports: {public}: publication.figures has no quarterly figures")
        self.cells = {(p, r, g, b, m): Cell(v, s, sym) for p, r, g, b, m, v, s, sym, _ in rows}
        self.cohort_cells = {(p, r, g, m): Cell(v, s, sym) for p, r, g, m, v, s, sym in cohort_rows}
        self.cohort_years = sorted({row[0] for row in cohort_rows})
        self.run_ids = sorted({row[-1] for row in rows})
        self.periods = sorted({row[0] for row in rows})
        self.regions = sorted({row[1] for row in rows})

    def published_on(self) -> str | None:
        """The date of the (latest) publication, in Dutch ('5 december 2026'), from its id
        (20261205T014002Z-…); None when the file names none."""
        if not self.publication_ids:
            return None
        stamp = self.publication_ids[-1]
        try:
            year, month, day = int(stamp[0:4]), int(stamp[4:6]), int(stamp[6:8])
            return f"{day} {MONTHS[month - 1]} {year}"
        except (ValueError, IndexError):
            return None

    def get(self, period: str, region: str, measure: str, group: str = "all", breakdown: str = "all") -> Cell:
        return self.cells.get((period, region, group, breakdown, measure), ABSENT)

    def label(self, measure: str, period_type: str = "quarter") -> str:
        """The measure's Dutch label, as the public file's publication.measures gives it
        (from the measure registry)."""
        try:
            return self.labels[(period_type, measure)]
        except KeyError:
            raise SystemExit(f"build_reports: publication.measures has no label for {measure} ({period_type})"
                             ) from None


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
    if cell.status == "not_applicable":
        # StatLine leaves such a cell blank; in a sentence a blank reads as a gap, so a dash
        return Markup(f'<data class="fig not-applicable" {where} title="kan niet voorkomen">\u2013</data>')
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
