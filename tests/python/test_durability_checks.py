"""The checks on the durability and participation marts fail on broken data.

As in test_balance_checks_catch_faults.py: each case copies the built demo
warehouse, injects one fault with SQL, runs only the check it is aimed at and
asserts that this check fails; the untouched copy passes the same checks. Also the
demo's shares: well inside (0, 1), per durability group."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow  # the dbt tests rerun on a corrupted copy per check: not in make test-fast

DURABILITY = "marts.fct_work_durability_year"
PARTICIPATION = "marts.fct_participation_year"
ONE_DURABILITY_CELL = (f"cohort_year || region_code || durability_group = (select min(cohort_year || region_code"
                       f" || durability_group) from {DURABILITY} where persons_started >= 2 and persons_still_working"
                       f" < persons_started)")
ONE_PARTICIPATION_CELL = (f"year || region_code || target_group = (select min(year || region_code || target_group)"
                          f" from {PARTICIPATION} where persons_registered > persons_working)")

# (check, selector, fault)
MUTANTS = [
    ("same job above still working", "durability_counts_nested",
     f"update {DURABILITY} set persons_same_job = persons_still_working + 1 where {ONE_DURABILITY_CELL}"),
    ("still working above started", "durability_counts_nested",
     f"update {DURABILITY} set persons_still_working = persons_started + 1, persons_same_job = 0"
     f" where {ONE_DURABILITY_CELL}"),
    ("share above 1", "durability_shares_recompute_between_0_and_1",
     f"update {DURABILITY} set share_still_working = 1.5 where {ONE_DURABILITY_CELL}"),
    ("share not the count over started", "durability_shares_recompute_between_0_and_1",
     f"update {DURABILITY} set share_still_working = share_still_working + 0.01 where {ONE_DURABILITY_CELL}"),
    ("participation differs from Q4 register", "assert_participation_equals_register_q4",
     f"update {PARTICIPATION} set persons_working = persons_working + 1 where {ONE_PARTICIPATION_CELL}"),
    ("participation misses a Q4 cell", "assert_participation_equals_register_q4",
     f"delete from {PARTICIPATION} where {ONE_PARTICIPATION_CELL}"),
    ("participation share above 1", "participation_share_recomputes_between_0_and_1",
     f"update {PARTICIPATION} set share_working = 1.2 where {ONE_PARTICIPATION_CELL}"),
]
SELECTORS = sorted({selector for _, selector, _ in MUTANTS})


def test_checks_pass_on_the_untouched_demo(demo_warehouse, tmp_path):
    copy = demo_warehouse.copy_to(tmp_path / "clean")
    run = copy.dbt("test", "--select", *SELECTORS)
    assert run.ok, run.output[-4000:]
    assert len(run.results) == len(SELECTORS) and all(r["status"] == "pass" for r in run.results)


@pytest.mark.parametrize("check,selector,fault", MUTANTS, ids=[m[0] for m in MUTANTS])
def test_check_fails_on_broken_data(demo_warehouse, tmp_path, check, selector, fault):
    copy = demo_warehouse.copy_to(tmp_path / "mutant")
    changed = copy.query(f"select count(*) from ({fault.replace('update', 'select 1 from', 1).split(' set ')[0]}"
                         f" where {fault.split(' where ', 1)[1]})") if fault.startswith("update") else None
    assert changed is None or changed[0][0] == 1, f"{check}: the fault must hit exactly one cell"
    copy.execute(fault)
    run = copy.dbt("test", "--select", selector)
    assert not run.ok, f"{check}: the check passed on broken data"
    assert run.failed(), f"{check}: dbt failed without a failing test:\n{run.output[-3000:]}"


def test_demo_shares_are_inside_0_1_and_differ_by_group(demo_warehouse):
    """The demo is calibrated on UWV's study (67 % still working, 34 % same job)."""
    rows = demo_warehouse.query(f"""
        select durability_group,
               1.0 * sum(persons_still_working) / sum(persons_started),
               1.0 * sum(persons_same_job) / sum(persons_started)
        from {DURABILITY} group by 1 order by 1""")
    assert [r[0] for r in rows] == ["participatiewet", "wajong", "wsw_wiw"]
    for _, still, same in rows:
        assert 0.4 < still < 0.9 and 0.2 < same < still
    # both shares differ by group by more than rounding
    for column in (1, 2):
        values = [float(r[column]) for r in rows]
        assert max(values) - min(values) > 0.03, values
    ((still, same),) = demo_warehouse.query(f"""
        select 1.0 * sum(persons_still_working) / sum(persons_started),
               1.0 * sum(persons_same_job) / sum(persons_started)
        from {DURABILITY}""")
    assert 0.57 < float(still) < 0.77, "about two thirds still work a year later"
    assert 0.27 < float(same) < 0.42, "about a third in the same job"
