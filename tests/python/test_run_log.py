"""audit.run_log: one new row per dbt invocation with the right facts (inputs and their
md5, mart row counts, test results, commit), surviving a full refresh; a failing
invocation is logged as failed with the failing nodes."""
from __future__ import annotations

import hashlib
import json
import subprocess

import pytest

from conftest import FIXTURES, ROOT

pytestmark = pytest.mark.slow  # builds on a copy of the scenario: not in make test-fast

RAW = FIXTURES / "scenario_register" / "raw"


def test_run_log_records_every_build(scenario_warehouse, tmp_path):
    # the first build is the scenario fixture's (dbt build of the CSV route), on a copy
    warehouse = scenario_warehouse.copy_to(tmp_path / "wh")
    first = json.loads((scenario_warehouse.directory / "build_results.json").read_text())
    log = warehouse.query_dicts("select * from audit.run_log")
    assert len(log) == 1
    row = log[0]
    assert row["event"] == "dbt build" and row["success"] is True and row["ended_at"] >= row["started_at"]
    # raw inputs: the files read, their rows and an md5 of their content
    inputs = {i["table"]: i for i in json.loads(row["raw_inputs"])}
    reconciliation = dict(warehouse.query("select table_name, raw_rows from audit.reconciliation"))
    for table, entry in inputs.items():
        assert entry["file"] == f"{RAW}/{table}.csv"
        assert entry["rows"] == reconciliation[table]
        assert entry["md5"] == hashlib.md5((RAW / f"{table}.csv").read_bytes()).hexdigest()
    # row counts of every mart, as they are
    counts = json.loads(row["mart_row_counts"])
    assert len(counts) >= 11
    for mart, rows in counts.items():
        assert warehouse.query(f"select count(*) from marts.{mart}")[0][0] == rows, mart
    # test results as dbt reported them
    results = json.loads(row["results"])
    passed = sum(1 for r in first if r["unique_id"].startswith("test.") and r["status"] == "pass")
    assert results["test:pass"] == passed > 200
    assert json.loads(row["vars_used"])["raw_path"] == str(RAW)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    assert row["git_commit"] == head and row["dbt_version"].startswith("1.11")

    # a second build and a full refresh of the marts: the log keeps growing
    assert warehouse.build("--exclude", "test_type:unit").ok
    assert warehouse.build("--full-refresh", "--select", "marts", "--exclude", "test_type:unit").ok
    assert warehouse.query("select count(*), count(distinct run_id) from audit.run_log") == [(3, 3)]

    # a failing invocation is logged as failed, naming what failed
    warehouse.execute("update marts.fct_register_flows_quarter set inflow = inflow + 1"
                      " where rowid = (select min(rowid) from marts.fct_register_flows_quarter)")
    assert not warehouse.dbt("test", "--select", "test_name:flow_balance_holds").ok
    last = warehouse.query_dicts("select * from audit.run_log order by ended_at desc limit 1")[0]
    assert last["event"] == "dbt test" and last["success"] is False
    assert "flow_balance_holds" in last["detail"]
