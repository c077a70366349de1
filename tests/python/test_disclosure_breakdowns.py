"""Disclosure control of the breakdown classes, the provinces and the jobs by sector, on
hand-made cells whose answers are worked out in each test: the relations a reader knows
about them, the primary rule of their jobs, and that the audit catches a cell pinned
through them and the protection covers it."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from banenafspraak.disclosure.audit import audit_publication
from banenafspraak.disclosure.cells import KEY, primary_cells
from banenafspraak.disclosure.intervals import intervals
from banenafspraak.disclosure.protection import protect
from banenafspraak.disclosure.publication_figures import statuses
from banenafspraak.disclosure.relations import build_relations, check_relations_hold


def table(rows: list[tuple]) -> pd.DataFrame:
    """Cells from (region, group, breakdown, measure, value[, kind]), all of 2023Q1."""
    frame = pd.DataFrame([(r[0], r[1], r[2], r[3], float(r[4]), r[5] if len(r) > 5 else "count") for r in rows],
                         columns=["region_code", "target_group", "breakdown", "measure", "exact_value", "value_kind"])
    frame.insert(0, "period", "2023Q1")
    frame.insert(0, "period_type", "quarter")
    frame["period_end_date"] = pd.Timestamp("2023-03-31")
    return frame.sort_values(KEY).reset_index(drop=True)


def hiding(cells: pd.DataFrame, hidden: set[tuple]) -> pd.DataFrame:
    """The public table that hides the given (region, breakdown, measure) cells."""
    keys = list(zip(cells["region_code"], cells["breakdown"], cells["measure"], strict=True))
    suppressed = np.array([k in hidden for k in keys])
    return publication_of(cells, suppressed)


def publication_of(cells: pd.DataFrame, suppressed: np.ndarray) -> pd.DataFrame:
    public = cells[KEY].copy()
    public["value"] = np.where(suppressed, np.nan, cells["exact_value"])
    public["status"], public["symbol"] = statuses(suppressed, cells["exact_value"])
    return public


def audit(cells: pd.DataFrame, public: pd.DataFrame):
    return audit_publication(cells, public, None, quiet=True, exhaustive=True)


def equations(cells: pd.DataFrame) -> set[str]:
    return {name.split("|")[0] for name in build_relations(cells).equality_names}


AGES = [("<27", 3), ("27-44", 17), ("45-54", 10), ("55+", 10)]   # 40 persons


def ages() -> pd.DataFrame:
    return table([("NL", "all", "all", "persons_registered", 40)]
                 + [("NL", "all", f"age_class:{c}", "persons_registered", v) for c, v in AGES])


def test_a_class_pinned_by_the_other_classes_and_the_total_is_caught_and_covered():
    cells = ages()
    assert "classes" in equations(cells)
    # hiding only <27: 40 - 17 - 10 - 10 = 3 exactly
    naive = audit(cells, hiding(cells, {("NL", "age_class:<27", "persons_registered")}))
    assert not naive.passed
    assert naive.table.iloc[0][["lower", "upper"]].tolist() == [3, 3]
    result = protect(cells, None, quiet=True)
    public = publication_of(cells, result["suppressed"])
    checked = audit(cells, public)
    assert checked.passed, checked.problems
    # covered by a second class, not by the total (a headline)
    shown = dict(zip(public["breakdown"], public["status"], strict=True))
    assert shown["all"] == "published"
    assert sum(status == "suppressed" for status in shown.values()) == 2


def test_classes_that_do_not_add_up_stop_the_protection():
    cells = ages()
    cells.loc[cells["breakdown"].eq("age_class:55+"), "exact_value"] = 11.0   # the mart's fault: 41 != 40
    with pytest.raises(ValueError, match="classes"):
        check_relations_hold(cells, build_relations(cells))


def provinces(pv20: int = 3) -> pd.DataFrame:
    """Two regions and three provinces (with PVUNKNOWN = UNKNOWN = 2), both adding up to NL."""
    return table([("AM01", "all", "all", "persons_registered", 30), ("AM02", "all", "all", "persons_registered", 20),
                  ("UNKNOWN", "all", "all", "persons_registered", 2),
                  ("PV20", "all", "all", "persons_registered", pv20),
                  ("PV21", "all", "all", "persons_registered", 47 - pv20 + 3),
                  ("PVUNKNOWN", "all", "all", "persons_registered", 2),
                  ("NL", "all", "all", "persons_registered", 52)])


def test_provinces_add_up_to_nl_beside_the_regions_and_pin_a_small_province():
    cells = provinces()
    relations = build_relations(cells)
    check_relations_hold(cells, relations)          # regions alone, and provinces alone, make NL
    assert {"sum_region_code", "sum_province", "unknown_province"} <= equations(cells)
    naive = audit(cells, hiding(cells, {("PV20", "all", "persons_registered")}))
    assert not naive.passed                          # 52 - 47 - 2 = 3
    result = protect(cells, None, quiet=True)
    checked = audit(cells, publication_of(cells, result["suppressed"]))
    assert checked.passed, checked.problems
    assert not result["suppressed"][cells.index[cells["region_code"].eq("NL")][0]]


def test_unknown_is_at_most_the_unknown_province_where_they_differ():
    """Persons in a municipality without a province (Haaren) are in PVUNKNOWN, not in UNKNOWN:
    the reader knows UNKNOWN <= PVUNKNOWN, not their equality."""
    cells = provinces()
    cells.loc[cells["region_code"].eq("PVUNKNOWN"), "exact_value"] = 4.0
    cells.loc[cells["region_code"].eq("PV21"), "exact_value"] -= 2
    relations = build_relations(cells)
    check_relations_hold(cells, relations)
    assert "unknown_province" not in equations(cells)
    assert any(name.startswith("unknown<=unknown_province|") for name in relations.inequality_names)


def sector(market_persons: int, market_jobs: float = 2.5) -> pd.DataFrame:
    return table([("NL", "all", "all", "persons_working", 30),
                  ("NL", "all", "all", "jobs", 20.0, "amount"),
                  ("NL", "all", "all", "jobs_market", market_jobs, "amount"),
                  ("NL", "all", "all", "jobs_government", 20.0 - market_jobs, "amount"),
                  ("NL", "all", "sector:market", "persons_working", market_persons),
                  ("NL", "all", "sector:market", "jobs", market_jobs, "amount"),
                  ("NL", "all", "sector:government", "persons_working", 30 - market_persons),
                  ("NL", "all", "sector:government", "jobs", 20.0 - market_jobs, "amount")])


def test_jobs_by_sector_follow_the_working_persons_of_their_sector():
    primary = dict(zip(sector(4)["breakdown"] + "/" + sector(4)["measure"], primary_cells(sector(4), 10), strict=True))
    assert primary["all/jobs_market"] and primary["sector:market/jobs"] and primary["sector:market/persons_working"]
    assert not primary["all/jobs_government"] and not primary["all/jobs"]
    assert not any(primary_cells(sector(12, 8.0), 10))
    # jobs of a sector whose class counts nobody (a second employment only) are hidden too
    none = sector(0, 0.5)
    flagged = dict(zip(none["breakdown"] + "/" + none["measure"], primary_cells(none, 10), strict=True))
    assert flagged["all/jobs_market"] and flagged["sector:market/jobs"]


def test_jobs_market_is_the_sector_class_jobs_and_both_are_hidden_together():
    cells = sector(4)
    assert {"jobs_market_is_sector_jobs", "jobs_government_is_sector_jobs", "total_jobs"} <= equations(cells)
    # hiding the small sector's persons and jobs class but not jobs_market pins it exactly
    naive = audit(cells, hiding(cells, {("NL", "sector:market", "persons_working"),
                                        ("NL", "sector:market", "jobs")}))
    assert not naive.passed
    result = protect(cells, None, quiet=True)
    checked = audit(cells, publication_of(cells, result["suppressed"]))
    assert checked.passed, checked.problems


def test_classes_without_their_row_figure_give_no_relation():
    """Classes whose row has no figure of that measure (not published) are not made to add
    up to 0: that would be a relation that does not hold."""
    cells = ages()
    cells = cells[~cells["breakdown"].eq("all")].reset_index(drop=True)
    relations = build_relations(cells)
    check_relations_hold(cells, relations)
    assert "classes" not in equations(cells)


def test_zero_jobs_of_a_sector_a_group_has_no_class_of_are_not_primary():
    """A group with one working person, in the market sector: its government jobs are 0 and
    it has no government class. The nation's government class is then the other group's
    alone, so the reader knows the 0 exactly: hiding it protects nothing, and as a primary
    cell no protection could ever widen it (the publication stopped on such cells)."""
    rows = [("NL", "all", "all", "persons_working", 30), ("NL", "all", "all", "jobs", 20.0, "amount"),
            ("NL", "all", "all", "jobs_market", 12.0, "amount"), ("NL", "all", "all", "jobs_government", 8.0, "amount"),
            ("NL", "all", "sector:market", "persons_working", 18), ("NL", "all", "sector:market", "jobs", 12.0, "amount"),
            ("NL", "all", "sector:government", "persons_working", 12),
            ("NL", "all", "sector:government", "jobs", 8.0, "amount"),
            ("NL", "wajong", "all", "persons_working", 29), ("NL", "wajong", "all", "jobs", 19.25, "amount"),
            ("NL", "wajong", "all", "jobs_market", 11.25, "amount"),
            ("NL", "wajong", "all", "jobs_government", 8.0, "amount"),
            ("NL", "wajong", "sector:market", "persons_working", 17),
            ("NL", "wajong", "sector:market", "jobs", 11.25, "amount"),
            ("NL", "wajong", "sector:government", "persons_working", 12),
            ("NL", "wajong", "sector:government", "jobs", 8.0, "amount"),
            ("NL", "wsw", "all", "persons_working", 1), ("NL", "wsw", "all", "jobs", 0.75, "amount"),
            ("NL", "wsw", "all", "jobs_market", 0.75, "amount"), ("NL", "wsw", "all", "jobs_government", 0.0, "amount"),
            ("NL", "wsw", "sector:market", "persons_working", 1), ("NL", "wsw", "sector:market", "jobs", 0.75, "amount")]
    cells = table(rows)
    name = cells["target_group"] + "/" + cells["breakdown"] + "/" + cells["measure"]
    primary = dict(zip(name, primary_cells(cells, 10), strict=True))
    assert not primary["wsw/all/jobs_government"]
    assert primary["wsw/all/jobs_market"] and primary["wsw/all/jobs"] and primary["wsw/sector:market/jobs"]
    # pinned at 0 whatever is hidden: with every cell hidden, its interval is still [0, 0]
    everything = np.ones(len(cells), bool)
    cell = int(np.flatnonzero(name.eq("wsw/all/jobs_government").to_numpy())[0])
    bounds, _ = intervals(cells, build_relations(cells), everything, name.eq("wsw/all/jobs_government").to_numpy(),
                          exact=True)
    assert bounds.set_index("cell").loc[cell, ["lower", "upper"]].tolist() == [0, 0]
    result = protect(cells, None, quiet=True)
    checked = audit(cells, publication_of(cells, result["suppressed"]))
    assert checked.passed, checked.problems
