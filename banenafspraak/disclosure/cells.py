"""The cells of the public figures and the rules about them that need no solver.

A cell is one row of `audit.disclosure_figures_exact` / `publication.figures`, named
by KEY. Primary cells are the small ones (primary_cells); derived figures (shares,
changes, job growth, paid hours) are hidden when one of their inputs is
(derived_inputs).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from banenafspraak.config import Logger

KEY = ["period_type", "period", "region_code", "target_group", "breakdown", "measure"]
LP_KINDS = ("count", "amount")
TOLERANCE = 1e-6
log = Logger("disclosure")


def quarter_shift(period: pd.Series, offset: int) -> pd.Series:
    """'2023Q1' shifted by offset quarters."""
    year = period.str.slice(0, 4).astype(int)
    quarter = period.str.slice(5, 6).astype(int)
    index = year * 4 + quarter - 1 + offset
    return (index // 4).astype(str) + "Q" + (index % 4 + 1).astype(str)



# The jobs by sector count the persons of the sector breakdown's class on the same row.
SECTOR_JOBS = {"jobs_market": "sector:market", "jobs_government": "sector:government"}


def primary_cells(cells: pd.DataFrame, min_persons: int) -> np.ndarray:
    """Counts of 1 .. min_persons-1, and jobs whose cell has that many working persons.

    The working persons of a jobs cell are those of the same row, except for the jobs by
    sector (SECTOR_JOBS: the persons of that sector's class) and the jobs of a breakdown
    class: there the jobs can include employments of persons counted in another class (a
    second employment in another sector, contract or duration), so jobs above zero whose
    class has fewer than min_persons working persons, or none, are hidden too. Jobs of
    0 whose class has no working persons are not: the reader knows them from the class's
    zero (a group without a government class has 0 government jobs, whatever its row).
    """
    value = cells["exact_value"]
    small = cells["value_kind"].eq("count") & value.ge(1) & value.lt(min_persons)
    working = cells[cells["measure"].eq("persons_working")]
    small_working = working[working["exact_value"].ge(1) & working["exact_value"].lt(min_persons)]
    keys = ["period_type", "period", "region_code", "target_group", "breakdown"]
    amount = cells["value_kind"].eq("amount")
    # (not the jobs by sector: the row's working persons do not count them, their class's do)
    jobs = amount & ~cells["measure"].isin(list(SECTOR_JOBS)) \
        & cells.set_index(keys).index.isin(small_working.set_index(keys).index)
    # jobs of a class or a sector: counted by the class's working persons, missing = none
    by_class = amount & (cells["breakdown"].ne("all") | cells["measure"].isin(list(SECTOR_JOBS)))
    if by_class.any():
        counted = cells[by_class].copy()
        counted["breakdown"] = counted["measure"].map(SECTOR_JOBS).fillna(counted["breakdown"])
        persons = working.drop_duplicates(keys).set_index(keys)["exact_value"]
        persons_of = persons.reindex(pd.MultiIndex.from_frame(counted[keys])).to_numpy(dtype=float)
        thin = counted["exact_value"].gt(0).to_numpy() & ~(persons_of >= min_persons)
        jobs = jobs | cells.index.isin(counted.index[thin])
    # a durability row (started >= still working >= same job) with a small count is hidden
    # whole: with its row total published, the nesting pins a small cell to a narrow range
    cohort = cells["period_type"].eq("cohort_year") & cells["value_kind"].eq("count")
    small_rows = cells[cohort & small].set_index(keys).index
    whole_rows = cohort & cells.set_index(keys).index.isin(small_rows)
    return (small | jobs | whole_rows).to_numpy()


def derived_inputs(cells: pd.DataFrame, rules: list[tuple[str, str, list[tuple[str, str]]]] | None = None
                   ) -> pd.DataFrame:
    """(derived cell, input cell) pairs: a derived figure is hidden when an input is.

    rules: (period_type, measure, [(input measure, period), ...]) as the measure registry
    declares them (meta hidden_with, relations.RegistryRelations.derived; the default).
    An input is on the same region, target group and breakdown; its period is the same,
    the previous quarter, the previous year's Q4 (previous_year_end) or, for a yearly
    cell, that year's quarterly Q4 cell (q4)."""
    if rules is None:
        from banenafspraak.disclosure.relations import registry_relations  # it imports this module
        rules = registry_relations().derived
    keys = ["period_type", "region_code", "target_group", "breakdown"]
    lookup = cells.reset_index()[keys + ["period", "measure", "index"]].rename(columns={"index": "input"})
    pairs = []
    for period_type, measure, inputs in rules:
        derived = cells[(cells["period_type"] == period_type) & (cells["measure"] == measure)]
        if not len(derived):
            continue
        for input_measure, where in inputs:
            wanted = derived[keys].assign(period=derived["period"].to_numpy(), measure=input_measure,
                                          derived=derived.index.to_numpy())
            if where == "q4":
                wanted = wanted.assign(period_type="quarter", period=wanted["period"] + "Q4")
            elif where == "previous_quarter":
                wanted = wanted.assign(period=quarter_shift(derived["period"], -1).to_numpy())
            elif where == "previous_year_end":
                wanted = wanted.assign(period=((derived["period"].str.slice(0, 4).astype(int) - 1).astype(str)
                                               + "Q4").to_numpy())
            elif where != "same":
                raise ValueError(f"measure registry: {measure}: unknown period {where!r} in hidden_with")
            pairs.append(wanted.merge(lookup, on=keys + ["period", "measure"])[["derived", "input"]])
    return pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame(columns=["derived", "input"])
