"""The auditor's figure-to-rows trace (scripts/trace.py, banenafspraak.trace): the persons behind cells of
the hand-made scenario are exactly the expected ones; for every cell of one demo
quarter the traced rows add up to the published value; a trace is written
owner-only and recorded in audit.run_log."""
from __future__ import annotations

import json
import re
import stat
import subprocess
import sys
from decimal import Decimal

import duckdb
import pytest

from conftest import ROOT

from banenafspraak.trace import cli, output
from banenafspraak.trace.cell import REGISTER_HOURS, REGISTER_PERSONS, TraceError, flow_cells, trace_cell

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


@pytest.mark.slow  # every cell of a demo quarter traced: not in make test-fast
def test_every_cell_of_a_demo_quarter_adds_up(demo_warehouse):
    quarter = "2022Q4"
    mismatches, checked = [], 0
    with duckdb.connect(str(demo_warehouse.path), read_only=True) as con:
        cells = con.execute("select region_code, target_group from marts.fct_register_quarter "
                            "where quarter_label = ?", [quarter]).fetchall()
        flow_keys = con.execute("select region_code, target_group from marts.fct_register_flows_quarter "
                                 "where quarter_label = ?", [quarter]).fetchall()
        reasons = con.execute("select region_code, target_group, direction, reason from "
                              "marts.fct_register_flow_reasons_quarter where quarter_label = ?", [quarter]).fetchall()
        regions = [r for (r,) in con.execute("select region_code from marts.fct_sheltered_work_quarter "
                                             "where quarter_label = ?", [quarter]).fetchall()]
        jobs = [(region, group, measure) for region, group in cells for measure in [*REGISTER_PERSONS, *REGISTER_HOURS]]
        flows = [(region, group, measure) for region, group in flow_keys for measure in flow_cells()]
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
    # named after the validated codes of the cell and the time only
    assert re.fullmatch(r"fct_register_flows_quarter_2022Q3_AM02_wsw_outflow_working_\d{8}T\d{6}\.json", files[0].name)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700 and stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert json.loads(files[0].read_text())["persons"][0]["person_id"] == "P04"
    logged = copy.query("select user_name, success, detail from audit.run_log where event = 'trace'")
    assert len(logged) == 1 and logged[0][1] is True
    assert json.loads(logged[0][2])["cell"]["measure"] == "outflow_working"


# ---------------------------------------------------------------- hostile arguments

INJECTION = "x'; drop table marts.dim_region; --"
CELL = {"--mart": "fct_register_quarter", "--quarter": "2022Q3", "--region": "AM02", "--target-group": "wajong"}
HOSTILE = [
    # (what the arguments change in CELL, a part of the message expected on stderr)
    ({"--region": "../../etc"}, "unknown region '../../etc'"),
    ({"--region": "../../../../../escaped"}, "unknown region"),
    ({"--region": INJECTION}, "unknown region"),
    ({"--region": "AM99"}, "unknown region 'AM99'"),
    ({"--region": "am02"}, "unknown region"),
    ({"--region": "AM02\n"}, "unknown region 'AM02\\n'"),
    ({"--target-group": INJECTION}, "unknown target group"),
    ({"--target-group": "nobody"}, "unknown target group 'nobody'"),
    ({"--target-group": None}, "fct_register_quarter needs --target-group"),
    ({"--quarter": "2022Q3' or '1'='1"}, "is not of the form YYYYQn"),
    ({"--quarter": "2022Q5"}, "is not of the form YYYYQn"),
    ({"--quarter": "1999Q1"}, "is not a reported quarter of this warehouse (2022Q1 … 2022Q4)"),
    ({"--mart": "dim_region"}, "no trace for mart 'dim_region'"),
    ({"--mart": "fct_register_quarter; drop table marts.dim_region; --"}, "no trace for mart"),
    ({"--measure": "persons_registered from marts.dim_region; drop table marts.dim_region; --"},
     "has no traceable measure"),
    ({"--measure": "share_working"}, "has no traceable measure 'share_working'"),
    ({"--mart": "fct_register_flows_quarter"}, "has no traceable measure None"),
    ({"--mart": "fct_register_flow_reasons_quarter", "--direction": "inflow", "--reason": "bogus"},
     "unknown inflow reason 'bogus'"),
    ({"--mart": "fct_register_flow_reasons_quarter", "--direction": "inflow", "--reason": "death"},
     "unknown inflow reason 'death'"),  # death is an outflow reason
    ({"--mart": "fct_register_flow_reasons_quarter", "--direction": "outflow", "--reason": INJECTION},
     "unknown outflow reason"),
    ({"--mart": "fct_register_flow_reasons_quarter", "--reason": "death"}, "needs --direction"),
    ({"--reason": "death"}, "fct_register_quarter has no direction or reason"),
    ({"--mart": "fct_sheltered_work_quarter"}, "fct_sheltered_work_quarter has no target group"),
    ({"--out": "{root}/publish/traces"}, "is under the published folder"),
    ({"--out": "{root}/audit_traces/../publish"}, "is under the published folder"),
    ({"--out": "{sandbox}/pub/traces"}, "is under the published folder"),  # PUBLISH_PATH's folder
    ({"--out": "{sandbox}/pub"}, "is under the published folder"),
    ({"--out": "{sandbox}/audit_traces/../pub/x"}, "is under the published folder"),
    ({"--out": "{sandbox}/link_to_pub/x"}, "is under the published folder"),  # a symlink into it
    ({"--out": "{sandbox}/link_to_root/publish/x"}, "is under the published folder"),
    ({"--warehouse": "{sandbox}/no_such.duckdb"}, "no warehouse at"),
]


@pytest.fixture(scope="module")
def traced_copy(scenario_warehouse, tmp_path_factory):
    """A copy of the scenario warehouse the command line may record traces in."""
    return scenario_warehouse.copy_to(tmp_path_factory.mktemp("trace_copy"))


def files_under(folder) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if not p.is_symlink()} if folder.exists() else set()


@pytest.mark.parametrize("change,message", HOSTILE, ids=[" ".join(f"{k} {v!r}" for k, v in c.items()) for c, _ in HOSTILE])
def test_hostile_arguments_fail_clearly_and_write_nothing(traced_copy, tmp_path, monkeypatch, capsys, change, message):
    sandbox = tmp_path / "sandbox"
    (sandbox / "pub").mkdir(parents=True)
    (sandbox / "link_to_pub").symlink_to(sandbox / "pub")
    (sandbox / "link_to_root").symlink_to(ROOT)
    monkeypatch.setenv("PUBLISH_PATH", str(sandbox / "pub" / "warehouse.duckdb"))
    monkeypatch.chdir(sandbox)  # relative paths (../../etc) start deep inside the sandbox
    arguments = {"--warehouse": str(traced_copy.path), "--out": "{sandbox}/a/b/c/audit_traces", **CELL, **change}
    argv = [str(x) for k, v in arguments.items() if v is not None
            for x in (k, v.format(root=ROOT, sandbox=sandbox))]
    published = files_under(ROOT / "publish")
    assert cli.main(argv) == 2
    out, err = capsys.readouterr()
    assert err.startswith("trace: ") and message in err and "Traceback" not in err, err
    assert out == ""
    assert files_under(sandbox) == {"pub"}  # nothing written anywhere, not even audit_traces/
    assert files_under(ROOT / "publish") == published
    assert not (ROOT / "etc").exists() and not (tmp_path / "escaped").exists()
    assert traced_copy.query("select count(*) from marts.dim_region") == [(36,)]
    assert traced_copy.query("select count(*) from audit.run_log where event = 'trace'") == [(0,)]


def test_a_cell_the_mart_does_not_have_is_an_error(traced_copy, tmp_path, capsys):
    """Valid codes, but no row in the mart: an error (exit 2), not 'OK, 0 = 0'."""
    missing_register = traced_copy.query(
        "select r.region_code, g.target_group from marts.dim_region as r cross join marts.dim_target_group as g "
        "where (r.region_code, g.target_group) not in (select (region_code, target_group) from "
        "marts.fct_register_quarter where quarter_label = '2022Q3') order by all limit 1")[0]
    missing_reason = traced_copy.query(
        "select f.direction, f.reason from marts.dim_flow_reason as f where (f.direction, f.reason) not in "
        "(select (direction, reason) from marts.fct_register_flow_reasons_quarter where quarter_label = '2022Q4' "
        "and region_code = 'AM35' and target_group = 'wajong') order by all limit 1")[0]
    cells = [
        ["--mart", "fct_register_quarter", "--region", missing_register[0], "--target-group", missing_register[1],
         "--quarter", "2022Q3", "--measure", "jobs"],
        ["--mart", "fct_register_flows_quarter", "--region", missing_register[0],
         "--target-group", missing_register[1], "--quarter", "2022Q3", "--measure", "inflow"],
        ["--mart", "fct_register_flow_reasons_quarter", "--region", "AM35", "--target-group", "wajong",
         "--quarter", "2022Q4", "--direction", missing_reason[0], "--reason", missing_reason[1]],
        ["--mart", "fct_sheltered_work_quarter", "--region", "UNKNOWN", "--quarter", "2022Q3"],
    ]
    for cell in cells:
        assert cli.main(["--warehouse", str(traced_copy.path), "--out", str(tmp_path / "out"), *cell]) == 2
        err = capsys.readouterr().err
        assert "no such cell: marts." in err and "has no row for" in err, (cell, err)
    assert not (tmp_path / "out").exists()
    assert traced_copy.query("select count(*) from audit.run_log where event = 'trace'") == [(0,)]


def test_the_command_line_reports_a_hostile_argument_without_a_traceback(traced_copy, tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "trace.py"), "--warehouse", str(traced_copy.path),
                           "--out", str(tmp_path / "audit_traces"), "--mart", "fct_register_quarter",
                           "--quarter", "2022Q3", "--region", INJECTION, "--target-group", "wajong"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("trace: unknown region") and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_trace_cell_refuses_unknown_codes(scenario_warehouse):
    with duckdb.connect(str(scenario_warehouse.path), read_only=True) as con:
        for arguments in [("fct_register_quarter", "2022Q3", "AM99", "wajong"),
                          ("fct_register_quarter", "2022Q3", "AM02", None),
                          ("fct_register_quarter", "2022Q3", "AM38", "wajong"),  # no such cell
                          ("fct_register_flow_reasons_quarter", "2022Q4", "AM35", "wajong", None, "inflow", "death")]:
            with pytest.raises(TraceError):
                trace_cell(con, *arguments)


def test_a_trace_never_overwrites_or_follows_a_link(tmp_path):
    folder = tmp_path / "traces"
    first = output.write_private(folder, "cell", "one")
    second = output.write_private(folder, "cell", "two")
    assert (first.name, second.name) == ("cell.json", "cell_2.json") and first.read_text() == "one"
    (folder / "link.json").symlink_to(tmp_path / "elsewhere.json")
    assert output.write_private(folder, "link", "x").name == "link_2.json"
    assert not (tmp_path / "elsewhere.json").exists()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and stat.S_IMODE(second.stat().st_mode) == 0o600
