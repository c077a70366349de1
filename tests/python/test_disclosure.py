"""Disclosure control (banenafspraak.disclosure.protection) and its audit (banenafspraak.disclosure.audit).

Hand-made tables where the naive approach ("blank every cell under 10") leaks, each
worked out by hand: the audit must catch the leak, and the suppression must fix it.
Then the real thing: the public files of a publication of the hand-made scenario.
"""
from __future__ import annotations

import json

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy.optimize import linprog

from banenafspraak.benchmarks.disclosure import headlines_hidden
from banenafspraak.disclosure.audit import audit_publication
from banenafspraak.disclosure.cells import KEY
from banenafspraak.disclosure import protection
from banenafspraak.disclosure.cleanup import Certificates, cleanup
from banenafspraak.disclosure.intervals import intervals
from banenafspraak.disclosure.lp import Program
from banenafspraak.disclosure.protection import protect
from banenafspraak.disclosure.publication_figures import statuses as status_and_symbol
from banenafspraak.disclosure.relations import build_relations
from banenafspraak.disclosure.vintages import read_vintages

pytestmark = pytest.mark.slow  # two publications of the scenario (scenario_publications): not in make test-fast


def table(rows: list[tuple]) -> pd.DataFrame:
    """Cells from (period, region, group, breakdown, measure, value[, kind])."""
    frame = pd.DataFrame([(r[0], r[1], r[2], r[3], r[4], float(r[5]), r[6] if len(r) > 6 else "count")
                          for r in rows],
                         columns=["period", "region_code", "target_group", "breakdown", "measure", "exact_value",
                                  "value_kind"])
    frame.insert(0, "period_type", "quarter")
    frame["period_end_date"] = pd.Timestamp("2023-03-31")
    return frame.sort_values(KEY).reset_index(drop=True)


def publication(cells: pd.DataFrame, hidden: set[tuple]) -> pd.DataFrame:
    """The public table that hides exactly the given (region, group, measure[, period]) cells."""
    keys = [tuple(k) for k in cells[["region_code", "target_group", "measure"]].itertuples(index=False)]
    keys4 = [k + (p,) for k, p in zip(keys, cells["period"])]
    suppressed = np.array([k in hidden or k4 in hidden for k, k4 in zip(keys, keys4)])
    public = cells[KEY].copy()
    public["value"] = np.where(suppressed, np.nan, cells["exact_value"])
    public["status"], public["symbol"] = status_and_symbol(suppressed, cells["exact_value"])
    return public


def publication_of(cells: pd.DataFrame, suppressed: np.ndarray) -> pd.DataFrame:
    """The public table that hides the cells of a suppression mask."""
    public = cells[KEY].copy()
    public["value"] = np.where(suppressed, np.nan, cells["exact_value"])
    public["status"], public["symbol"] = status_and_symbol(suppressed, cells["exact_value"])
    return public


def protected(cells: pd.DataFrame, previous: pd.DataFrame | None = None) -> pd.DataFrame:
    return publication_of(cells, protect(cells, previous, quiet=True)["suppressed"])


def audit(cells, public, previous=None, exhaustive=True):
    return audit_publication(cells, public, previous, quiet=True, exhaustive=exhaustive)


def regions_row(a: int, b: int, c: int, measure: str = "persons_registered") -> pd.DataFrame:
    """Three regions and their national total, one measure, one quarter."""
    return table([("2023Q1", "AM01", "all", "all", measure, a), ("2023Q1", "AM02", "all", "all", measure, b),
                  ("2023Q1", "AM03", "all", "all", measure, c), ("2023Q1", "NL", "all", "all", measure, a + b + c)])


def test_the_solver_gives_what_scipy_linprog_gives():
    """lp.Program (one HiGHS instance, solved for one objective after another from the last
    basis) reaches scipy's linprog optimum on random systems that the exact figures solve,
    with a solution that satisfies them; an unbounded programme is status 3 and then, on
    the same instance, a bounded objective is solved again."""
    rng = np.random.default_rng(2026)
    for _ in range(25):
        n = int(rng.integers(3, 9))
        exact = rng.integers(0, 30, n).astype(float)
        a_eq = sparse.csr_matrix(rng.integers(-1, 2, (int(rng.integers(1, n)), n)).astype(float))
        a_ub = sparse.csr_matrix(rng.integers(-1, 2, (2, n)).astype(float))
        b_eq, b_ub = a_eq @ exact, a_ub @ exact + rng.integers(0, 5, 2)
        box = [(0.0, 60.0)] * n
        program = Program(n, a_eq, b_eq, a_ub, b_ub, box)
        for _ in range(4):
            objective = rng.normal(size=n)
            ours = program.minimize(objective)
            theirs = linprog(objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=box, method="highs")
            assert ours.status == theirs.status == 0
            assert ours.fun == pytest.approx(theirs.fun, abs=1e-7)
            assert np.allclose(a_eq @ ours.x, b_eq) and (a_ub @ ours.x <= b_ub + 1e-7).all()
            assert ((ours.x >= -1e-9) & (ours.x <= 60 + 1e-9)).all()
    program = Program(2, sparse.csr_matrix([[1.0, -1.0]]), np.array([0.0]))   # x1 = x2, both >= 0
    assert program.minimize(np.array([-1.0, 0.0])).status == 3                 # max x1: unbounded
    smallest = program.minimize(np.array([1.0, 0.0]))                           # min x1: 0
    assert smallest.status == 0 and smallest.fun == pytest.approx(0.0)


def test_one_suppressed_cell_beside_a_published_total_is_caught_and_fixed():
    cells = regions_row(3, 20, 30)
    naive = audit(cells, publication(cells, {("AM01", "all", "persons_registered")}))
    assert not naive.passed
    # AM01 = 53 - 20 - 30 = 3 exactly
    assert naive.table.iloc[0][["lower", "upper"]].tolist() == [3, 3]
    public = protected(cells)
    result = audit(cells, public)
    assert result.passed, result.problems
    # the cheapest cover: AM02 (20, the smallest cell of at least 10 that is not a total)
    assert public.set_index("region_code").loc["AM02", "status"] == "suppressed"
    assert public.set_index("region_code").loc["NL", "status"] == "published"
    # AM01 + AM02 = 23: AM01 anywhere in [0, 23]
    assert result.table.iloc[0][["lower", "upper"]].tolist() == [0, 23]


def test_two_small_cells_hiding_each_other_only_are_caught_and_fixed():
    cells = regions_row(3, 4, 30)
    naive = audit(cells, publication(cells, {("AM01", "all", "persons_registered"),
                                             ("AM02", "all", "persons_registered")}))
    # AM01 + AM02 = 7: both within [0, 7], narrower than 10
    assert not naive.passed
    assert sorted(naive.table["upper"].tolist()) == [7, 7]
    public = protected(cells)
    result = audit(cells, public)
    assert result.passed, result.problems
    assert (public["status"] == "suppressed").sum() == 3      # AM03 as well; NL stays
    assert result.narrowest["width"] == 37


def flow_scenario(region: str = "AM01", group: str = "all") -> pd.DataFrame:
    """One region over two quarters (all groups): the stock of Q1, the flows of Q2.

    Q2: registered_start 50 (= Q1's stock), inflow 20, outflow 5, registered_end 65
    (= Q2's stock), no moves or group changes: 50 + 20 - 5 + 0 - 0 + 0 - 0 = 65.
    """
    return table([
        ("2023Q1", region, group, "all", "persons_registered", 50),
        ("2023Q2", region, group, "all", "persons_registered", 65),
        ("2023Q2", region, group, "all", "registered_start", 50),
        ("2023Q2", region, group, "all", "inflow", 20),
        ("2023Q2", region, group, "all", "outflow", 5),
        ("2023Q2", region, group, "all", "registered_end", 65),
    ] + [("2023Q2", region, group, "all", measure, 0)
         for measure in ("moved_in", "moved_out", "group_in", "group_out")])


def test_a_cell_recoverable_only_through_the_flow_balance_across_quarters():
    cells = flow_scenario()
    # protecting the flows row on its own: outflow and registered_start hidden, so within
    # the row 50 - outflow ... start - outflow = 45 leaves outflow anywhere in [0, 45]
    per_table = publication(cells, {("AM01", "all", "outflow"), ("AM01", "all", "registered_start")})
    result = audit(cells, per_table)
    # but registered_start = the previous quarter's stock (50, published): outflow = 5
    assert not result.passed
    assert result.table.iloc[0][["lower", "upper"]].tolist() == [5, 5]
    public = protected(cells)
    fixed = audit(cells, public)
    assert fixed.passed, fixed.problems
    assert fixed.narrowest["width"] >= 10


def test_a_headline_is_the_last_cell_chosen_to_cover_a_small_one():
    """AM01, all groups: 50 registered in Q1; in Q2 start 50, inflow 3 (small), outflow 40,
    end 13 = Q2's registered 13. The flow row needs a second hidden cell. By size alone
    the end stock (13) would go, and with it Q2's registered total (end = the stock): a
    headline. Headlines come last, so the outflow (40) goes: inflow + 37 = outflow, inflow
    in [0, 13] (the outflow is at most the start stock, 50)."""
    cells = table([("2023Q1", "AM01", "all", "all", "persons_registered", 50),
                   ("2023Q2", "AM01", "all", "all", "persons_registered", 13),
                   ("2023Q2", "AM01", "all", "all", "registered_start", 50),
                   ("2023Q2", "AM01", "all", "all", "inflow", 3),
                   ("2023Q2", "AM01", "all", "all", "outflow", 40),
                   ("2023Q2", "AM01", "all", "all", "registered_end", 13)]
                  + [("2023Q2", "AM01", "all", "all", measure, 0)
                     for measure in ("moved_in", "moved_out", "group_in", "group_out")])
    public = protected(cells).set_index(["period", "measure"])["status"]
    assert public[("2023Q2", "outflow")] == "suppressed"
    assert public[[("2023Q1", "persons_registered"), ("2023Q2", "persons_registered"),
                   ("2023Q2", "registered_start"), ("2023Q2", "registered_end")]].eq("published").all()
    result = audit(cells, protected(cells))
    assert result.passed, result.problems
    assert result.narrowest["width"] >= 10


def test_a_cell_recoverable_from_an_earlier_vintage():
    cells = regions_row(3, 20, 30)
    # the earlier vintage hid AM01 and AM03, published AM02 = 20 and NL = 53
    earlier = publication(cells, {("AM01", "all", "persons_registered"), ("AM03", "all", "persons_registered")})
    earlier["exact_value"] = cells["exact_value"]
    assert audit(cells, earlier).passed
    # a new vintage that, on its own, hides AM01 and AM02 instead and publishes AM03 = 30
    naive = publication(cells, {("AM01", "all", "persons_registered"), ("AM02", "all", "persons_registered")})
    assert audit(cells, naive).passed                       # safe on its own …
    result = audit(cells, naive, previous=earlier)          # … not next to the earlier vintage
    assert not result.passed
    assert any("suppressed in an earlier vintage, published now" in p for p in result.problems)
    assert result.table.iloc[0][["lower", "upper"]].tolist() == [3, 3]
    # the suppression keeps what was hidden hidden and does not rely on what is out
    public = protected(cells, previous=earlier)
    assert audit(cells, public, previous=earlier).passed
    assert public.set_index("region_code").loc["AM03", "status"] == "suppressed"


def test_a_revision_below_the_threshold_is_suppressed_and_reported():
    cells = regions_row(3, 20, 30)
    earlier = publication(cells, {("AM01", "all", "persons_registered"), ("AM02", "all", "persons_registered")})
    earlier["exact_value"] = cells["exact_value"]
    revised = regions_row(3, 20, 9)                          # AM03 revised from 30 to 9
    result = protect(revised, earlier, quiet=True)
    position = revised.index[revised["region_code"] == "AM03"][0]
    assert result["suppressed"][position] and result["revised_below"][position]
    public = protected(revised, previous=earlier)
    assert audit(revised, public, previous=earlier).passed


def test_zero_is_published_and_jobs_follow_their_working_persons():
    cells = table([("2023Q1", "AM01", "all", "all", "persons_working", 4),
                   ("2023Q1", "AM01", "all", "all", "jobs", 3.25, "amount"),
                   ("2023Q1", "AM02", "all", "all", "persons_working", 0),
                   ("2023Q1", "AM02", "all", "all", "jobs", 0, "amount"),
                   ("2023Q1", "AM03", "all", "all", "persons_working", 40),
                   ("2023Q1", "AM03", "all", "all", "jobs", 31.5, "amount")])
    result = protect(cells, None, quiet=True)
    status = dict(zip(cells["region_code"] + "/" + cells["measure"], result["suppressed"]))
    assert status["AM01/persons_working"] and status["AM01/jobs"]
    assert not status["AM02/persons_working"] and not status["AM02/jobs"]
    assert not status["AM03/persons_working"] and not status["AM03/jobs"]


def test_the_mutant_without_secondary_suppression_fails_the_audit():
    cells = pd.concat([regions_row(3, 20, 30), flow_scenario("AM09", "wajong")]).sort_values(KEY).reset_index(drop=True)
    result = protect(cells, None, secondary=False, quiet=True)
    public = cells[KEY].copy()
    public["value"] = np.where(result["suppressed"], np.nan, cells["exact_value"])
    public["status"], public["symbol"] = status_and_symbol(result["suppressed"], cells["exact_value"])
    assert not audit(cells, public).passed
    assert audit(cells, protected(cells)).passed


def release(cells: pd.DataFrame, hidden_regions: list[str], order: list[str]) -> list[str]:
    """The regions cleanup() publishes again: the row's AM01 is the small cell, the other
    hidden regions the candidates, tried in the given order."""
    relations = build_relations(cells)
    hidden = cells["region_code"].isin(hidden_regions).to_numpy()
    small = cells["region_code"].eq("AM01").to_numpy()
    where = {code: i for i, code in enumerate(cells["region_code"])}
    released = cleanup(cells, relations, hidden, small, np.array([where[c] for c in order]), 10)
    return sorted(cells.loc[released, "region_code"])


def test_the_cleanup_publishes_again_the_largest_secondary_the_small_cell_does_not_need():
    """AM01 (3) is small; AM02 (20) and AM03 (30) are hidden with it, NL (53) published.
    Without AM03: AM01 + AM02 = 23, AM01 anywhere in [0, 23], wide enough, so AM03 (the
    largest, tried first) is published again. Then without AM02 as well, AM01 = 53 - 20 -
    30 = 3 exactly: AM02 stays. Tried the other way round, AM02 would go and AM03 stay
    (AM01 + AM03 = 33)."""
    cells = regions_row(3, 20, 30)
    assert release(cells, ["AM01", "AM02", "AM03"], ["AM03", "AM02"]) == ["AM03"]
    assert release(cells, ["AM01", "AM02", "AM03"], ["AM02", "AM03"]) == ["AM02"]


def test_the_cleanup_keeps_a_secondary_the_small_cell_needs():
    """AM01 (3) and AM02 (5) are small, AM03 (30) hidden with them. Without AM03, AM01 +
    AM02 = 8: AM01 in [0, 8], narrower than 10, so AM03 stays. AM02 is small, not a
    candidate. And a row where AM01 needs nothing more (a second small cell of 9 and a
    large one, AM01 + AM02 + AM03 = 42): AM03 (30) goes, AM01 + AM02 = 12 is enough."""
    assert release(regions_row(3, 5, 30), ["AM01", "AM02", "AM03"], ["AM03"]) == []
    assert release(regions_row(3, 9, 30), ["AM01", "AM02", "AM03"], ["AM03"]) == ["AM03"]


def test_the_cleanup_sees_the_relations_across_quarters():
    """The flows of AM01, all groups (flow_scenario: Q1 stock 50; Q2 start 50, inflow 20,
    outflow 5, end 65, all published but these). The outflow (5) is small, hidden with
    Q2's start and Q1's stock. Within the flow row, start + 20 - outflow = 65 leaves the
    outflow = start - 45 anywhere from 0 up: Q1's stock looks unneeded there. But the
    start equals the previous quarter's stock: with Q1's stock published, start = 50 and
    the outflow = 5 exactly. So Q1's stock stays; and so does the start (published, it
    pins the outflow at once). With the inflow hidden as well, both can go: then
    outflow = inflow - 15, the inflow free, the outflow anywhere in [0, 50] (at most the
    start)."""
    cells = flow_scenario()
    relations = build_relations(cells)
    measure, period = cells["measure"].to_numpy(), cells["period"].to_numpy()

    def cell(quarter: str, name: str) -> int:
        return int(np.flatnonzero((period == quarter) & (measure == name))[0])

    small = np.zeros(len(cells), bool)
    small[cell("2023Q2", "outflow")] = True
    order = np.array([cell("2023Q1", "persons_registered"), cell("2023Q2", "registered_start")])
    hidden = small.copy()
    hidden[order] = True
    assert not cleanup(cells, relations, hidden, small, order, 10).any()
    hidden[cell("2023Q2", "inflow")] = True
    released = cleanup(cells, relations, hidden, small, order, 10)
    assert released[cell("2023Q1", "persons_registered")] and released[cell("2023Q2", "registered_start")]
    assert released.sum() == 2


def test_protection_with_the_cleanup_hides_no_more_and_passes_the_audit(monkeypatch):
    """On a table of six regions by three groups with small cells scattered over it (drawn
    at random, the same every run), the cleanup leaves the pattern the audit passes,
    with at most as many suppressed cells as without it; and a cleanup that publishes
    every candidate again without a certificate (the mutant) fails the audit."""
    rng = np.random.default_rng(23)
    regions = ["AM01", "AM02", "AM03", "AM05", "AM06", "AM07"]
    fewer = 0
    tables = []
    for _ in range(6):
        values = np.where(rng.random((6, 2)) < 0.3, rng.integers(1, 10, (6, 2)), rng.integers(10, 60, (6, 2)))
        rows = [("2023Q1", r, g, "all", "persons_registered", int(values[i, j]))
                for i, r in enumerate(regions) for j, g in enumerate(["wajong", "wsw"])]
        rows += [("2023Q1", r, "all", "all", "persons_registered", int(values[i].sum())) for i, r in enumerate(regions)]
        rows += [("2023Q1", "NL", g, "all", "persons_registered", int(values[:, j].sum()))
                 for j, g in enumerate(["wajong", "wsw"])]
        rows += [("2023Q1", "NL", "all", "all", "persons_registered", int(values.sum()))]
        cells = table(rows)
        with_cleanup = protect(cells, None, quiet=True)
        without = protect(cells, None, quiet=True, cleanup=False)
        assert with_cleanup["suppressed"].sum() <= without["suppressed"].sum()
        fewer += int(with_cleanup["suppressed"].sum() < without["suppressed"].sum())
        result = audit(cells, publication_of(cells, with_cleanup["suppressed"]))
        assert result.passed, result.problems
        tables.append(cells)
    assert fewer        # the cleanup published something again in at least one table
    # the mutant: every small cell "certified" by no point at all, so every candidate goes,
    # and no repair round after the cleanup (the rounds before it run as ever)
    repair_rounds = protection.repair_rounds
    calls = []

    def first_rounds_only(*args, **kwargs):
        calls.append(1)
        return repair_rounds(*args, **kwargs) if len(calls) == 1 else pd.DataFrame()

    monkeypatch.setattr(Certificates, "find", lambda self, cell, max_hops: ())
    monkeypatch.setattr(protection, "repair_rounds", first_rounds_only)
    verdicts = []
    for cells in tables:
        calls.clear()
        verdicts.append(audit(cells, publication_of(cells, protect(cells, None, quiet=True)["suppressed"])).passed)
    assert not all(verdicts)


def test_the_audit_checks_that_each_status_says_what_it_means():
    """not_applicable only where the figure does not exist and nothing hidden stands behind
    it (a share shown as not applicable while its denominator is hidden tells that the
    denominator is 0); never a published cell without a value."""
    nan = float("nan")
    cells = table([("2023Q1", "AM01", "all", "all", "valid_positive_advices", 0),
                   ("2023Q1", "AM01", "all", "all", "persons_working_sheltered", 0),
                   ("2023Q1", "AM01", "all", "all", "share_working", nan, "derived"),
                   ("2023Q1", "AM02", "all", "all", "valid_positive_advices", 40),
                   ("2023Q1", "AM02", "all", "all", "persons_working_sheltered", 20),
                   ("2023Q1", "AM02", "all", "all", "share_working", 0.5, "derived")])
    clean = publication(cells, set())
    assert sorted(clean["status"]) == ["not_applicable"] + ["published"] * 5
    assert audit(cells, clean).passed, audit(cells, clean).problems
    leaky = publication(cells, {("AM01", "all", "valid_positive_advices"),
                                ("AM01", "all", "persons_working_sheltered")})
    assert "derived figure not_applicable while an input is suppressed: quarter/2023Q1/AM01/all/all/share_working" \
        in audit(cells, leaky).problems
    wrong = clean.copy()
    am01, am02 = (wrong["measure"] == "share_working") & (wrong["region_code"] == "AM01"), \
        (wrong["measure"] == "share_working") & (wrong["region_code"] == "AM02")
    wrong.loc[am01, "status"], wrong.loc[am01, "symbol"] = "published", None
    wrong.loc[am02, "value"], wrong.loc[am02, "status"], wrong.loc[am02, "symbol"] = nan, "not_applicable", ""
    problems = audit(cells, wrong).problems
    assert "a published cell has no value (not_applicable is the status for that)" in problems
    assert "not_applicable while the figure exists: quarter/2023Q1/AM02/all/all/share_working" in problems


def test_the_fast_audit_agrees_with_the_exhaustive_one():
    """Feasible points and neighbourhoods give the same verdicts as two programmes per cell."""
    cells = pd.concat([regions_row(3, 4, 30), flow_scenario("AM09", "wajong")]).sort_values(KEY).reset_index(drop=True)
    for public in (protected(cells), publication(cells, {("AM01", "all", "persons_registered"),
                                                         ("AM02", "all", "persons_registered")})):
        fast, full = audit(cells, public, exhaustive=False), audit(cells, public, exhaustive=True)
        assert fast.passed == full.passed
        assert set(fast.table.loc[fast.table["upper"] - fast.table["lower"] < 10, "cell"]) == \
            set(full.table.loc[full.table["upper"] - full.table["lower"] < 10, "cell"])


def test_a_cell_a_quick_round_left_undecided_waits_for_the_full_round():
    """A quick round does not try the neighbourhood of a cell an earlier quick round left
    undecided (deferred) again; the full round decides it: AM01 (3) hidden beside AM02
    (4), AM03 and NL published, so AM01 + AM02 = 7 and AM01 lies in [0, 7], too narrow
    (no feasible point can show it safe; its neighbourhood proves it narrow)."""
    cells = regions_row(3, 4, 30)
    relations = build_relations(cells)
    hidden = cells["region_code"].isin(["AM01", "AM02"]).to_numpy()
    targets = cells["region_code"].eq("AM01").to_numpy()
    fresh, _ = intervals(cells, relations, hidden, targets, quick=True, exact=False)
    assert fresh["method"].tolist() == ["relaxation"] and fresh[["lower", "upper"]].values.tolist() == [[0, 7]]
    quick, _ = intervals(cells, relations, hidden, targets, quick=True, deferred=targets)
    assert quick["method"].tolist() == ["undecided"] and quick["lower"].isna().all()
    full, _ = intervals(cells, relations, hidden, targets, quick=False, deferred=targets)
    assert full["method"].tolist() == ["relaxation"] and full[["lower", "upper"]].values.tolist() == [[0, 7]]


def test_the_benchmark_counts_the_headlines_of_the_last_quarter_it_hides():
    """benchmark-disclosure's headline count: a region's or the nation's total registered,
    working or jobs (every group, no breakdown) in the last quarter, of at least 10,
    hidden. AM01 (12) counts; AM02 (5, a small cell), AM01's wajong cell (a group),
    AM01's inflow (not a headline), AM01 in 2023Q1 (not the last quarter) and the
    province PV20 (a province, not a region) do not."""
    cells = table([("2023Q1", "AM01", "all", "all", "persons_registered", 11),
                   ("2023Q2", "PV20", "all", "all", "persons_registered", 12),
                   ("2023Q2", "AM01", "all", "all", "persons_registered", 12),
                   ("2023Q2", "AM01", "all", "all", "inflow", 15),
                   ("2023Q2", "AM01", "wajong", "all", "persons_registered", 12),
                   ("2023Q2", "AM02", "all", "all", "persons_registered", 5),
                   ("2023Q2", "NL", "all", "all", "persons_registered", 17)])
    hidden = ~cells["region_code"].eq("NL").to_numpy()
    assert headlines_hidden(cells, hidden, 10) == 1
    assert headlines_hidden(cells, np.ones(len(cells), bool), 10) == 2      # NL (17) as well
    assert headlines_hidden(cells, np.zeros(len(cells), bool), 10) == 0


def test_a_withdrawn_vintage_keeps_constraining(tmp_path):
    """Readers keep what they downloaded, also from a vintage that was rolled back: every
    vintage in the history counts, not only the latest."""
    cells = regions_row(3, 20, 30)
    # vintage A hid AM01 and AM02, published AM03 = 30 and NL = 53
    a = publication(cells, {("AM01", "all", "persons_registered"), ("AM02", "all", "persons_registered")})
    a["exact_value"] = cells["exact_value"]
    # vintage B (revised: AM03 31, NL 54; later withdrawn) hid AM01 and AM03, published AM02 = 20
    revised = regions_row(3, 20, 31)
    b = publication(revised, {("AM01", "all", "persons_registered"), ("AM03", "all", "persons_registered")})
    b["exact_value"] = revised["exact_value"]
    history = tmp_path / "history"
    for name, frame in (("A", a), ("B", b)):
        (history / name).mkdir(parents=True)
        frame[KEY + ["exact_value", "status"]].to_parquet(history / name / "cells.parquet", index=False)
    (history / "index.json").write_text(json.dumps({"vintages": ["A", "B"], "withdrawn": {"B": {"back_to": "A"}}}))
    vintages, earlier = read_vintages(history)
    assert vintages == ["A", "B"] and len(earlier) == 2 * len(cells)
    # the figures are A's again; protected against B alone, AM01 and AM03 stay hidden beside AM02 = 20 …
    public = protected(cells, previous=b)
    assert audit(cells, public, previous=b).passed
    # … but A published AM03 = 30 and NL = 53: AM01 = 53 - 20 - 30 = 3 exactly
    result = audit(cells, public, previous=earlier)
    assert not result.passed
    assert result.table.iloc[0][["lower", "upper"]].tolist() == [3, 3]
    # the protection, given every vintage, knows all that and cannot hide AM01: the audit stops it
    assert not audit(cells, protected(cells, previous=earlier), previous=earlier).passed


# ---------------------------------------------------------------- a real publication

@pytest.fixture(scope="module")
def published(scenario_publications, tmp_path_factory):
    """A copy of the scenario published twice (the scenario, then with a late correction)."""
    shared = scenario_publications
    return shared.publication.clone(tmp_path_factory.mktemp("disclosure"), shared.second_build), shared.log


def test_the_public_file_holds_only_the_publication(published):
    publication, _ = published
    with duckdb.connect(str(publication.folder / "public" / "public.duckdb"), read_only=True) as con:
        tables = con.execute("select table_schema, table_name from information_schema.tables order by all").fetchall()
        assert tables == [("publication", "figures"), ("publication", "measures")]
        # every measure of the figures is described once, with the registry's label
        assert con.execute("""
            select count(*) from (select distinct period_type, measure from publication.figures) as f
            anti join publication.measures as m using (period_type, measure)""").fetchone()[0] == 0
        assert con.execute("select count(*) = count(distinct (period_type, measure)) from publication.measures"
                           ).fetchone()[0]
        labels = dict(((p, m), label) for p, m, label in con.execute(
            "select period_type, measure, label from publication.measures").fetchall())
        assert labels[("quarter", "persons_working")] == "Werkzame personen"
        # one column name, two figures: beschut werk per quarter and participation per year
        assert labels[("quarter", "share_working")] == "Aandeel werkzaam in beschut werk"
        assert labels[("year", "share_working")] == "Aandeel werkenden"
        statuses = {s for (s,) in con.execute("select distinct status from publication.figures").fetchall()}
        assert statuses <= {"published", "suppressed", "not_applicable"}
        assert con.execute("""
            select count(*) from publication.figures
            where (status = 'suppressed') <> (value is null and symbol = '.')
               or (status = 'not_applicable') <> (value is null and symbol = '')
               or (status = 'published') <> (value is not null and symbol is null)""").fetchone()[0] == 0
    with duckdb.connect() as con:
        parquet = str(publication.folder / "public" / "figures.parquet")
        assert con.execute(f"select count(*) from read_parquet('{parquet}')").fetchone()[0] > 0
        with duckdb.connect(str(publication.build), read_only=True) as build:
            counts = build.execute("""
                select count(*) from publication.figures as f
                inner join audit.disclosure_cells as d
                    using (period_type, period, region_code, target_group, breakdown, measure)
                where f.status = 'published' and d.value_kind = 'count' and f.value between 1 and 9""").fetchone()
            assert counts[0] == 0
            kinds = build.execute("select suppression, count(*) from audit.disclosure_cells group by all").fetchall()
            assert {k for k, _ in kinds} <= {"none", "primary", "secondary"}


def test_a_publication_that_fails_the_audit_changes_nothing(published):
    """The mutant (publish_with_faults.py --disclosure-mutant: no secondary suppression,
    earlier vintages forgotten) must be stopped by the audit."""
    publication, _ = published
    before = {path: path.read_bytes() for path in publication.folder.rglob("*")
              if path.is_file() and path.name != ".lock"}
    failed = publication.run("--skip-build", faults=["--disclosure-mutant"])
    assert failed.returncode != 0
    assert "disclosure audit: FAILED" in failed.stdout
    assert "the disclosure audit failed" in failed.stderr and "nothing was published" in failed.stderr
    after = {path: path.read_bytes() for path in publication.folder.rglob("*")
             if path.is_file() and path.name != ".lock"}
    assert after == before


def test_publication_runs_the_audit_and_records_the_vintages(published):
    publication, log = published
    assert log.count("disclosure audit: PASSED") == 2
    manifest = publication.manifest()
    first = publication.history()["vintages"][0]
    assert publication.history()["vintages"] == [first, manifest["publication_id"]]
    assert manifest["disclosure"]["audit"]["passed"] is True
    assert manifest["disclosure"]["earlier_vintages"] == 1
    rolled = publication.run("--rollback")
    assert rolled.returncode == 0, rolled.stderr
    # withdrawn, never forgotten: the vintage stays, marked, and constrains the next publication
    history = publication.history()
    assert history["vintages"] == [first, manifest["publication_id"]]
    assert history["withdrawn"][manifest["publication_id"]]["back_to"] == first
    assert (publication.folder / "history" / manifest["publication_id"] / "cells.parquet").exists()
    again = publication.run("--skip-build")
    assert again.returncode == 0, again.stderr[-3000:]
    assert "earlier vintages: 2" in again.stderr and "disclosure audit: PASSED" in again.stdout
    assert "2 earlier vintage(s)" in again.stdout


def test_derived_figures_follow_the_inputs_the_registry_names():
    """Hand-worked: jobs_change of 2023Q1 is made of jobs 2023Q1 and jobs 2022Q4
    (previous_quarter); the yearly pace of 2023Q1 of jobs 2022Q4 (previous_year_end); a
    year's share of its Q4 quarterly counts (q4). Pairs are (derived cell, input cell)."""
    from banenafspraak.disclosure.cells import derived_inputs
    cells = table([("2022Q4", "AM01", "all", "all", "jobs", 30, "amount"),
                   ("2023Q1", "AM01", "all", "all", "jobs", 32, "amount"),
                   ("2023Q1", "AM01", "all", "all", "jobs_change", 2, "derived"),
                   ("2023Q1", "AM01", "all", "all", "required_per_quarter_yearly_pace", 4, "derived"),
                   ("2023Q4", "AM01", "all", "all", "persons_working", 9),
                   ("2023Q4", "AM01", "all", "all", "persons_registered", 20)])
    share = cells.iloc[[0]].assign(period_type="year", period="2023", measure="share_working",
                                   exact_value=45.0, value_kind="derived")
    cells = pd.concat([cells, share], ignore_index=True)
    rules = [("quarter", "jobs_change", [("jobs", "same"), ("jobs", "previous_quarter")]),
             ("quarter", "required_per_quarter_yearly_pace", [("jobs", "previous_year_end")]),
             ("year", "share_working", [("persons_working", "q4"), ("persons_registered", "q4")])]
    pairs = derived_inputs(cells, rules)

    def name(i: int) -> tuple:
        return tuple(cells.loc[i, ["period", "measure"]])
    assert sorted((name(d), name(i)) for d, i in pairs.itertuples(index=False)) == sorted([
        (("2023Q1", "jobs_change"), ("2023Q1", "jobs")), (("2023Q1", "jobs_change"), ("2022Q4", "jobs")),
        (("2023Q1", "required_per_quarter_yearly_pace"), ("2022Q4", "jobs")),
        (("2023", "share_working"), ("2023Q4", "persons_working")),
        (("2023", "share_working"), ("2023Q4", "persons_registered"))])
    with pytest.raises(ValueError, match="unknown period 'last_week'"):
        derived_inputs(cells, [("quarter", "jobs_change", [("jobs", "last_week")])])


def test_the_registry_gives_every_public_derived_figure_its_inputs():
    """The project's registry: every public derived metric names the cells that hide it
    (meta hidden_with); one without it stops the disclosure control."""
    from banenafspraak import registry
    from banenafspraak.config import ROOT
    from banenafspraak.disclosure.relations import registry_relations_of
    registry.ensure_artifacts(ROOT / "target")
    rows = registry.registry(*registry.load_artifacts(ROOT / "target"))
    derived = {row["column"] for row in rows if row["public"] and row["value_kind"] == "derived"}
    declared = registry_relations_of(rows).derived
    assert {measure for _, measure, _ in declared} == derived
    assert ("cohort_year", "share_same_job", [("persons_same_job", "same"), ("persons_started", "same")]) in declared
    without = [dict(row, hidden_with=None) if row["name"] == "paid_hours" else row for row in rows]
    with pytest.raises(ValueError, match="paid_hours is a public derived figure without meta hidden_with"):
        registry_relations_of(without)


def semantic_and_manifest(metrics: list[tuple[str, str, str, str]],
                          marts: dict[str, str | None]) -> tuple[dict, dict]:
    """A hand-made pair of dbt artefacts: metrics (name, label, mart, column), all public,
    and semantic models (mart -> meta period_type, None for none)."""
    semantic = {
        "semantic_models": [{"name": mart, "node_relation": {"alias": mart}, "measures": [],
                             "config": {"meta": {} if period is None else {"period_type": period}}}
                            for mart, period in marts.items()],
        "metrics": [{"name": name, "label": label, "description": f"{name} in English", "type": "simple",
                     "config": {"meta": {"mart": mart, "column": column, "public": True, "value_kind": "count"}}}
                    for name, label, mart, column in metrics]}
    return semantic, {"metrics": {}}


def test_the_measure_dictionary_names_each_public_measure_once():
    """publication.measures: one entry per (period_type, measure) with the metric's label;
    one column name in a quarterly and a yearly mart is two entries; the same name twice
    in one period type, or a mart without its period type, is an error."""
    from banenafspraak.registry import measure_dictionary
    marts = {"fct_q": "quarter", "fct_y": "year"}
    entries = measure_dictionary(*semantic_and_manifest(
        [("share_q", "Aandeel per kwartaal", "fct_q", "share"), ("share_y", "Aandeel per jaar", "fct_y", "share"),
         ("persons", "Personen", "fct_q", "persons")], marts))
    assert [(e["period_type"], e["measure"], e["metric"], e["label"]) for e in entries] == [
        ("quarter", "persons", "persons", "Personen"), ("quarter", "share", "share_q", "Aandeel per kwartaal"),
        ("year", "share", "share_y", "Aandeel per jaar")]
    with pytest.raises(ValueError, match="measure share .quarter. is public twice: share_a and share_b"):
        measure_dictionary(*semantic_and_manifest(
            [("share_a", "A", "fct_q", "share"), ("share_b", "B", "fct_q", "share")], marts))
    with pytest.raises(ValueError, match="semantic model fct_y has no meta period_type"):
        measure_dictionary(*semantic_and_manifest([("persons", "Personen", "fct_q", "persons")],
                                                  {"fct_q": "quarter", "fct_y": None}))


def test_a_figure_without_a_description_stops_the_public_file(tmp_path):
    """write_measures: a measure of publication.figures that the registry does not describe
    stops the publication, naming the measure and its period type."""
    from banenafspraak.config import ROOT
    from banenafspraak.publication.run import write_measures
    from banenafspraak.registry import ensure_artifacts
    ensure_artifacts(ROOT / "target")
    with duckdb.connect() as con:
        con.execute(f"attach '{tmp_path / 'public.duckdb'}' as public")
        con.execute("create schema public.publication")
        con.execute("create table public.publication.figures as "
                    "select * from (values ('quarter', 'jobs'), ('quarter', 'no_such_measure')) "
                    "as t(period_type, measure)")
        with pytest.raises(RuntimeError, match=r"does not describe: no_such_measure \(quarter\)$"):
            write_measures(con, ROOT / "target")
