"""The auditor's figure-to-rows trace (scripts/trace.py): the persons behind cells of
the hand-made scenario are exactly the expected ones; for every cell of one demo
quarter the traced rows add up to the published value; a trace is written
owner-only and recorded in audit.run_log."""
from __future__ import annotations

import importlib.util
import json
import stat
import subprocess
import sys
from decimal import Decimal

import duckdb
import pytest

from conftest import ROOT

# scripts/trace.py, loaded under another name so it does not shadow Python's own `trace`
_spec = importlib.util.spec_from_file_location("figure_trace", ROOT / "scripts" / "trace.py")
figure_trace = importlib.util.module_from_spec(_spec)
sys.modules["figure_trace"] = figure_trace
_spec.loader.exec_module(figure_trace)
FLOW_CELLS, REGISTER_HOURS, REGISTER_PERSONS = figure_trace.FLOW_CELLS, figure_trace.REGISTER_HOURS, figure_trace.REGISTER_PERSONS
trace_cell = figure_trace.trace_cell

SCENARIO_CELLS = [
    # (arguments, persons expected from the scenario's table in tests/fixtures/scenario_register/README.md)
    (("fct_register_quarter", "2022Q3", "AM02", "wajong", "persons_working"), {"P05", "P11"}),
    (("fct_register_flows_quarter", "2022Q3", "AM01", "wiw_id", "moved_in"), {"P07"}),
    (("fct_register_flows_quarter", "2022Q2", "AM01", "participatiewet", "outflow"), {"P12"}),
    (("fct_sheltered_work_quarter", "2022Q3", "AM02", None, "valid_positive_advices"), {"P11", "P23"}),
]


@pytest.mark.parametrize("arguments,persons", SCENARIO_CELLS, ids=[" ".join(filter(None, a)) for a, _ in SCENARIO_CELLS])
def test_trace_returns_exactly_the_expected_persons(scenario_warehouse, arguments, persons):
    with duckdb.connect(str(scenario_warehouse.path), read_only=True) as con:
        trace = trace_cell(con, *arguments)
    assert {p["person_id"] for p in trace.persons} == persons
    assert trace.adds_up and trace.published == len(persons)


def test_trace_of_jobs_lists_the_payroll_rows(scenario_warehouse):
    with duckdb.connect(str(scenario_warehouse.path), read_only=True) as con:
        trace = trace_cell(con, "fct_register_quarter", "2022Q2", "AM02", "participatiewet", "jobs")
    # P03: 30 market hours in April (before registering) and 60 government hours in June
    assert [(y["person_id"], y["period_month"].isoformat(), y["paid_hours"]) for y in trace.raw_rows["payroll"]] == [
        ("P03", "2022-04-01", Decimal("30.0000")), ("P03", "2022-06-01", Decimal("60.0000"))]
    assert trace.computed == (Decimal(90) / Decimal("332.76")).quantize(Decimal("0.000001")) == trace.published
    assert [s["spell_id"] for s in trace.raw_rows["register_spells"]] == ["S030"]


def test_trace_of_a_reason(scenario_warehouse):
    with duckdb.connect(str(scenario_warehouse.path), read_only=True) as con:
        trace = trace_cell(con, "fct_register_flow_reasons_quarter", "2022Q4", "AM35", "wajong",
                           direction="inflow", reason="group_change")
    assert [p["person_id"] for p in trace.persons] == ["P20"] and trace.adds_up


def test_every_cell_of_a_demo_quarter_adds_up(demo_warehouse):
    quarter = "2022Q4"
    mismatches, checked = [], 0
    with duckdb.connect(str(demo_warehouse.path), read_only=True) as con:
        cells = con.execute("select region_code, target_group from marts.fct_register_quarter "
                            "where quarter_label = ?", [quarter]).fetchall()
        flow_cells = con.execute("select region_code, target_group from marts.fct_register_flows_quarter "
                                 "where quarter_label = ?", [quarter]).fetchall()
        reasons = con.execute("select region_code, target_group, direction, reason from "
                              "marts.fct_register_flow_reasons_quarter where quarter_label = ?", [quarter]).fetchall()
        regions = [r for (r,) in con.execute("select region_code from marts.fct_sheltered_work_quarter "
                                             "where quarter_label = ?", [quarter]).fetchall()]
        jobs = [(region, group, measure) for region, group in cells for measure in [*REGISTER_PERSONS, *REGISTER_HOURS]]
        flows = [(region, group, measure) for region, group in flow_cells for measure in FLOW_CELLS]
        for region, group, measure in jobs:
            checked += 1
            trace = trace_cell(con, "fct_register_quarter", quarter, region, group, measure)
            if not trace.adds_up:
                mismatches.append(trace.cell)
        for region, group, measure in flows:
            checked += 1
            trace = trace_cell(con, "fct_register_flows_quarter", quarter, region, group, measure)
            if not trace.adds_up:
                mismatches.append(trace.cell)
        for region, group, direction, reason in reasons:
            checked += 1
            if not trace_cell(con, "fct_register_flow_reasons_quarter", quarter, region, group,
                              direction=direction, reason=reason).adds_up:
                mismatches.append((region, group, direction, reason))
        for region in regions:
            for measure in ["requests_municipality", "requests_citizen", "positive_advices",
                            "valid_positive_advices", "persons_working_sheltered"]:
                checked += 1
                if not trace_cell(con, "fct_sheltered_work_quarter", quarter, region, measure=measure).adds_up:
                    mismatches.append((region, measure))
    assert checked > 3000 and mismatches == []


def test_cli_writes_owner_only_and_records_the_trace(scenario_warehouse, tmp_path):
    copy = scenario_warehouse.copy_to(tmp_path / "wh")
    out = tmp_path / "traces"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "trace.py"), "--warehouse", str(copy.path),
                           "--out", str(out), "--mart", "fct_register_flows_quarter", "--quarter", "2022Q3",
                           "--region", "AM02", "--target-group", "wsw", "--measure", "outflow_working"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "P04" in proc.stdout and "OK" in proc.stdout
    files = list(out.iterdir())
    assert len(files) == 1
    assert stat.S_IMODE(out.stat().st_mode) == 0o700 and stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert json.loads(files[0].read_text())["persons"][0]["person_id"] == "P04"
    logged = copy.query("select user_name, success, detail from audit.run_log where event = 'trace'")
    assert len(logged) == 1 and logged[0][1] is True
    assert json.loads(logged[0][2])["cell"]["measure"] == "outflow_working"
