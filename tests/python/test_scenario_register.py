"""The hand-made register scenario (tests/fixtures/scenario_register): the marts built
through the raw_path route equal the tables worked out by hand, cell by cell."""
from __future__ import annotations

import csv
from decimal import Decimal

from conftest import FIXTURES

EXPECTED = FIXTURES / "scenario_register" / "expected"
HOURS_PER_JOB = Decimal("3") * Decimal("110.92")
KEYS = ("quarter_label", "region_code", "target_group")


def read_expected(name: str) -> list[dict]:
    with open(EXPECTED / f"{name}.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def as_int_table(rows, keys, columns):
    return {tuple(str(r[k]) for k in keys): {c: int(r[c]) for c in columns} for r in rows}


def test_every_raw_row_is_accepted(scenario_warehouse):
    rows = scenario_warehouse.query_dicts("select * from audit.reconciliation order by table_name")
    assert {r["table_name"]: (r["raw_rows"], r["accepted_rows"], r["quarantined_rows"]) for r in rows} == {
        "payroll": (118, 118, 0),
        "persons": (24, 24, 0),
        "register_spells": (26, 26, 0),
        "residences": (21, 21, 0),
        "sheltered_work_requests": (9, 9, 0),
    }


def test_reported_quarters_are_the_complete_payroll_quarters(scenario_warehouse):
    rows = scenario_warehouse.query("select quarter_label, cast(quarter_end_date as varchar) from marts.dim_quarter order by 1")
    assert rows == [("2022Q1", "2022-03-31"), ("2022Q2", "2022-06-30"), ("2022Q3", "2022-09-30"), ("2022Q4", "2022-12-31")]


def test_register_quarter_matches_hand_worked_table(scenario_warehouse):
    expected = read_expected("fct_register_quarter")
    actual = scenario_warehouse.query_dicts("select * from marts.fct_register_quarter")
    counts = ("persons_registered", "persons_working", "persons_not_working")
    assert as_int_table(actual, KEYS, counts) == as_int_table(expected, KEYS, counts)
    actual_by_key = {tuple(r[k] for k in KEYS): r for r in actual}
    for row in expected:
        got = actual_by_key[tuple(row[k] for k in KEYS)]
        hours = Decimal(row["paid_hours"])
        assert got["paid_hours"] == hours, row
        # jobs = paid hours / (3 x 110.92), the definition in docs/definitions.md#jobs, at six decimals
        for jobs_column, hours_column in (("jobs", "paid_hours"), ("jobs_market", "paid_hours_market"),
                                          ("jobs_government", "paid_hours_government")):
            want = (Decimal(row[hours_column]) / HOURS_PER_JOB).quantize(Decimal("0.000001"))
            assert got[jobs_column] == want, (row, jobs_column)


def test_flows_match_hand_worked_table(scenario_warehouse):
    expected = read_expected("fct_register_flows_quarter")
    columns = [c for c in expected[0] if c not in KEYS]
    actual = scenario_warehouse.query_dicts("select * from marts.fct_register_flows_quarter")
    want = as_int_table(expected, KEYS, columns)
    got = as_int_table(actual, KEYS, columns)
    assert sorted(got) == sorted(want), "flows rows differ (missing or extra cells)"
    for key in want:
        assert got[key] == want[key], key


def test_flow_reasons_match_hand_worked_table(scenario_warehouse):
    expected = read_expected("fct_register_flow_reasons_quarter")
    keys = KEYS + ("direction", "reason")
    actual = scenario_warehouse.query_dicts("select * from marts.fct_register_flow_reasons_quarter")
    assert as_int_table(actual, keys, ["persons"]) == as_int_table(expected, keys, ["persons"])


def test_persons_without_residence_and_in_former_municipalities(scenario_warehouse):
    rows = scenario_warehouse.query(
        "select person_id, region_code, gemeente_code from intermediate.int_register_person_quarters"
        " where quarter_index = 8091 and person_id in ('P09', 'P16', 'P20') order by 1")
    assert rows == [("P09", "UNKNOWN", None), ("P16", "AM18", "GM0457"), ("P20", "AM35", "GM0620")]
