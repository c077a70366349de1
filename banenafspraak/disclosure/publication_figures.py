"""The public figures as the disclosure control decided them, written into the build warehouse.

The one place that writes `publication.figures` (what `make publish` publishes as
public/public.duckdb and figures.parquet): one row per cell of
`audit.disclosure_figures_exact`, with one of three statuses:

* `published`: the exact value, no symbol;
* `suppressed`: `value` NULL and the symbol `.` (hidden to protect small groups, whatever
  the reason);
* `not_applicable`: `value` NULL and an empty symbol: the figure cannot exist (no
  previous quarter for a change, a zero denominator, no target that year). A cell
  without a value that the protection hid stays `suppressed`: saying "not applicable"
  there could tell that a hidden count is zero.

Beside it, for the auditors and the next publication,
`audit.disclosure_cells` (the exact value, why a cell is hidden, the proven
interval) and `audit.disclosure_settings`.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from banenafspraak.disclosure.cells import KEY

SYMBOL = "."             # suppressed: geheim
NOT_APPLICABLE_SYMBOL = ""  # not_applicable: blank, as StatLine shows a figure that cannot exist
STATUSES = ("published", "suppressed", "not_applicable")


def statuses(suppressed: np.ndarray, exact_value: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(status, symbol) per cell: suppressed first, then not_applicable where there is no value."""
    missing = exact_value.isna().to_numpy()
    status = np.where(suppressed, "suppressed", np.where(missing, "not_applicable", "published"))
    symbol = np.where(suppressed, SYMBOL, np.where(missing, NOT_APPLICABLE_SYMBOL, None))  # type: ignore[call-overload]
    return status, symbol


def write_publication_figures(warehouse: Path, cells: pd.DataFrame, suppressed: np.ndarray, primary: np.ndarray,
                              reasons: list[str | None], intervals: pd.DataFrame, known: np.ndarray,
                              revised_below: np.ndarray, run_id: str, settings: dict) -> None:
    """Write publication.figures, audit.disclosure_cells and audit.disclosure_settings into
    the build warehouse, in one transaction.

    cells: the exact cells (KEY, period_end_date, value_kind, exact_value), in order; the
    arrays and reasons run along them: suppressed (hidden from the public), primary (why),
    known (published unchanged in an earlier vintage), revised_below (published before,
    now below the threshold). intervals: the audit's table (cell, lower, upper).
    settings: recorded as audit.disclosure_settings (setting, value as text).
    """
    suppression = np.where(~suppressed, "none", np.where(primary, "primary", "secondary"))
    audit = cells[KEY].copy()
    audit.insert(2, "period_end_date", cells["period_end_date"])
    audit["value_kind"] = cells["value_kind"]
    audit["exact_value"] = cells["exact_value"]
    audit["suppression"] = suppression
    audit["suppression_reason"] = reasons
    bounds = intervals.set_index("cell")
    audit["proven_lower"] = pd.Series(bounds["lower"], dtype=float).reindex(range(len(cells))).to_numpy() \
        if len(bounds) else np.nan
    audit["proven_upper"] = pd.Series(bounds["upper"], dtype=float).reindex(range(len(cells))).to_numpy() \
        if len(bounds) else np.nan
    audit["known_from_earlier_vintage"] = known
    audit["revised_below_threshold"] = revised_below
    audit["run_id"] = run_id
    figures = cells[KEY].copy()
    figures.insert(2, "period_end_date", cells["period_end_date"])
    figures["value"] = np.where(suppressed, np.nan, cells["exact_value"])
    figures["status"], figures["symbol"] = statuses(suppressed, cells["exact_value"])
    figures["run_id"] = run_id
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema if not exists publication")
        con.execute("create schema if not exists audit")
        con.register("audit_frame", audit)
        con.register("figures_frame", figures)
        con.register("settings_frame", pd.DataFrame({"setting": list(settings),
                                                     "value": [str(v) for v in settings.values()]}))
        con.execute("begin")
        con.execute("""
            create or replace table audit.disclosure_cells as
            select period_type, period, cast(period_end_date as date) as period_end_date, region_code,
                   target_group, breakdown, measure, value_kind,
                   cast(exact_value as decimal(18, 6)) as exact_value, suppression, suppression_reason,
                   case when isinf(proven_lower) then null else proven_lower end as proven_lower,
                   case when isinf(proven_upper) then null else proven_upper end as proven_upper,
                   known_from_earlier_vintage, revised_below_threshold, run_id
            from audit_frame""")
        con.execute("""
            create or replace table publication.figures as
            select period_type, period, cast(period_end_date as date) as period_end_date, region_code,
                   target_group, breakdown, measure, cast(value as decimal(18, 6)) as value,
                   status, cast(symbol as varchar) as symbol, run_id
            from figures_frame
            order by period_type, period, region_code, target_group, breakdown, measure""")
        con.execute("create or replace table audit.disclosure_settings as select * from settings_frame")
        con.execute("commit")
