"""Bad input, batched: one build of the scenario with every fault of bad_inputs.FAULTS
and one of the valid scenario minus what the bad rows carried.

For every fault: exactly its rows are in audit.quarantine_<table> with its rule;
audit.reconciliation balances; and every mart of the faulty build equals the marts
of the valid fixture minus the carried rows. Whole-file faults (missing, empty,
wrong header, wrong format, ragged line) stop the build: test_raw_inputs.py.
"""
from __future__ import annotations

from collections import Counter

import pytest

from bad_inputs import FAULTS, TABLES, carried_rows, expected_quarantine, read_lines, write_fixture
from conftest import FIXTURES, Warehouse

pytestmark = pytest.mark.slow  # a warehouse per injected fault: not in make test-fast

VALID = FIXTURES / "scenario_register" / "raw"
MARTS = ["fct_register_quarter", "fct_register_flows_quarter", "fct_register_flow_reasons_quarter",
         "fct_sheltered_work_quarter", "fct_region_progress_quarter", "dim_region", "dim_municipality",
         "dim_quarter", "dim_target_group", "dim_flow_reason",
         "fct_work_durability_year", "fct_participation_year"]


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad_inputs")
    write_fixture(VALID, root / "faulty_raw", FAULTS, apply_faults=True)
    write_fixture(VALID, root / "expected_raw", FAULTS, apply_faults=False)
    faulty = Warehouse(root / "faulty", {"raw_path": str(root / "faulty_raw"), "raw_format": "csv"})
    expected = Warehouse(root / "expected", {"raw_path": str(root / "expected_raw"), "raw_format": "csv"})
    for warehouse in (faulty, expected):
        run = warehouse.build("--exclude", "test_type:unit")
        assert run.ok, run.output[-5000:]
    return faulty, expected


def quarantine_rows(warehouse: Warehouse) -> Counter:
    rows = Counter()
    for table in TABLES:
        header, _ = read_lines(VALID, table)
        columns = header.split(",")
        for row in warehouse.query(f"select {', '.join(columns)}, rule from audit.quarantine_{table}"):
            rows[(table, tuple(row[:-1]), row[-1])] += 1
    return rows


def test_catalogue_has_at_least_30_fault_kinds_over_all_tables():
    assert len(FAULTS) >= 30
    assert {f.table for f in FAULTS} == set(TABLES)
    assert len({f.name for f in FAULTS}) == len(FAULTS)


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_fault_rows_are_quarantined_with_their_rule(builds, fault):
    faulty, _ = builds
    found = quarantine_rows(faulty)
    for row in expected_quarantine(fault, VALID):
        assert found[row] >= 1, f"{fault.name}: {row} not in quarantine; quarantine has {sorted(found)}"


def test_quarantine_holds_exactly_the_bad_rows(builds):
    faulty, _ = builds
    expected = Counter(row for fault in FAULTS for row in expected_quarantine(fault, VALID))
    assert quarantine_rows(faulty) == expected


def test_reconciliation_balances(builds):
    faulty, _ = builds
    added = Counter(f.table for f in FAULTS for _ in f.add)
    quarantined = Counter(table for fault in FAULTS for table, _, _ in expected_quarantine(fault, VALID))
    for table, raw, accepted, in_quarantine in faulty.query("select * from audit.reconciliation"):
        _, valid_lines = read_lines(VALID, table)
        assert raw == len(valid_lines) + added[table], table
        assert in_quarantine == quarantined[table], table
        assert raw == accepted + in_quarantine, table


@pytest.mark.parametrize("mart", MARTS)
def test_marts_equal_valid_fixture_minus_carried_rows(builds, mart):
    faulty, expected = builds
    query = f"select * from marts.{mart}"
    import duckdb
    with duckdb.connect(str(faulty.path), read_only=True) as con:
        con.execute(f"attach '{expected.path}' as expected (read_only)")
        extra = con.execute(f"{query} except all select * from expected.marts.{mart}").fetchall()
        missing = con.execute(f"select * from expected.marts.{mart} except all {query}").fetchall()
    assert extra == [] and missing == [], f"{mart}: extra {extra[:5]}, missing {missing[:5]}"


def test_the_carried_rows_really_change_the_figures(builds, scenario_warehouse):
    """The expected difference against the valid scenario, worked out by hand."""
    faulty, _ = builds
    carried = {(t, line) for f in FAULTS for t, line in carried_rows(f, VALID)}
    assert len(carried) == 1 + 15 + 1 + 1 + 1  # P20 (person + 15 rows), S050, P17 May, R01
    cell = ("select persons_working, paid_hours from marts.fct_register_quarter"
            " where quarter_label = '2022Q2' and region_code = 'AM02' and target_group = 'wajong'")
    # P17's 12 May hours were his only hours in Q2: without them he does not work
    assert scenario_warehouse.query(cell) == [(1, 12)]
    assert faulty.query(cell) == [(0, 0)]
    # P20 (conflicting key) was the only person in AM35 (not registered in Q3): the region disappears
    assert scenario_warehouse.query("select count(*) from marts.fct_register_quarter where region_code = 'AM35'")[0][0] == 3  # Q1, Q2, Q4
    assert faulty.query("select count(*) from marts.fct_register_quarter where region_code = 'AM35'")[0][0] == 0
    # S050 (conflicting spell id) was P05's only spell: AM01 wajong has one person less in Q1
    stock = ("select persons_registered from marts.fct_register_quarter"
             " where quarter_label = '2022Q1' and region_code = 'AM01' and target_group = 'wajong'")
    assert scenario_warehouse.query(stock) == [(3,)] and faulty.query(stock) == [(2,)]
    # R01 (conflicting request id) was P15's advice: AM01 has one valid advice less
    advices = ("select valid_positive_advices, persons_working_sheltered from marts.fct_sheltered_work_quarter"
               " where quarter_label = '2022Q1' and region_code = 'AM01'")
    assert scenario_warehouse.query(advices) == [(2, 1)] and faulty.query(advices) == [(1, 0)]
