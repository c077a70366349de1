"""The disclosure vars come from the dbt run that built the figures (audit.run_log),
so `make publish VARS='{disclosure_min_persons: 15}'` protects with 15: a value given
with --vars is not lost to a re-read of dbt_project.yml."""
from __future__ import annotations

import json

import duckdb

from banenafspraak.config import config
from banenafspraak.disclosure.protection import build_vars


def warehouse_with_run_log(path, vars_used: dict | None):
    with duckdb.connect(str(path)) as con:
        con.execute("create schema audit")
        con.execute("create table audit.run_log (run_id varchar, vars_used varchar)")
        con.execute("insert into audit.run_log values ('run-1', ?), ('run-0', ?)",
                    [json.dumps(vars_used) if vars_used is not None else None,
                     json.dumps({"disclosure_min_persons": 99, "disclosure_protection": 99})])
    return path


def test_the_values_of_the_run_are_used(tmp_path):
    path = warehouse_with_run_log(tmp_path / "w.duckdb", {"disclosure_min_persons": 15, "disclosure_protection": 12})
    assert build_vars(path, "run-1") == {"disclosure_min_persons": 15, "disclosure_protection": 12}


def test_a_run_that_did_not_log_them_gets_the_project_defaults(tmp_path):
    path = warehouse_with_run_log(tmp_path / "w.duckdb", {"raw_path": ""})
    defaults = {name: config().var(name) for name in ("disclosure_min_persons", "disclosure_protection")}
    assert build_vars(path, "run-1") == defaults
    assert build_vars(warehouse_with_run_log(tmp_path / "v.duckdb", None), "run-1") == defaults
