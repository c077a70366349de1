"""Mutation testing of the checks: every data test of the project is shown to fail on
data broken in the way it exists to catch (see check_mutants.py). The score (checks
killed / checks) is printed at the end of the run and must be 100 %."""
from __future__ import annotations

import json
import re
import shutil

import duckdb
import pytest

from check_mutants import HAND_MUTANTS, SINGULAR_TESTS
from conftest import summary_line

RESULTS: dict[str, bool] = {}


def data_tests(manifest: dict) -> list[dict]:
    """The data tests dbt build runs. Those tagged after_publish test tables the publish step
    writes (absent from a build warehouse); test_publish.py breaks them and sees them fail."""
    return sorted((n for n in manifest["nodes"].values()
                   if n["resource_type"] == "test" and "after_publish" not in n.get("tags", [])),
                  key=lambda n: n["name"])


def relation(manifest: dict, test: dict) -> str:
    attached = test.get("attached_node") or f"model.banenafspraak.{SINGULAR_TESTS[test['name']]}"
    return manifest["nodes"][attached]["relation_name"]


def column_type(con, rel: str, column: str) -> str:
    schema, table = [part.strip('"') for part in rel.split(".")[-2:]]
    return con.execute("select data_type from information_schema.columns where table_schema = ? "
                       "and table_name = ? and column_name = ?", [schema, table, column]).fetchone()[0]


def generic_mutant(con, manifest: dict, test: dict) -> str | None:
    kind = (test.get("test_metadata") or {}).get("name")
    kwargs = (test.get("test_metadata") or {}).get("kwargs", {})
    column = test.get("column_name") or kwargs.get("column_name")
    rel = relation(manifest, test)
    if kind == "not_null":
        return f"update {rel} set {column} = null where {{one_where({column} is not null)}}"
    if kind in ("unique", "unique_combination_of_columns"):
        return f"insert into {rel} select * from {rel} limit 1"
    if kind in ("accepted_values", "relationships"):
        numeric = re.search(r"INT|DECIMAL|DOUBLE|FLOAT", column_type(con, rel, column))
        bad = "999999" if numeric else "'__mutant__'"
        return f"update {rel} set {column} = {bad} where {{one_where({column} is not null)}}"
    if kind == "not_empty":
        return f"delete from {rel}"
    return None


def render(template: str, rel: str) -> str:
    def one_where(match: re.Match) -> str:
        return f"rowid = (select min(rowid) from {rel} where {match.group(1)})"
    sql = re.sub(r"\{one_where\((.*?)\)\}", one_where, template)
    return sql.replace("{one}", f"rowid = (select min(rowid) from {rel})").replace("{rel}", rel)


def as_table(con, rel: str) -> None:
    """Turn a view into a table of its rows (inside the transaction), so it can be mutated."""
    database, schema, table = [part.strip('"') for part in rel.split(".")]
    kind = con.execute("select table_type from information_schema.tables where table_schema = ? "
                       "and table_name = ?", [schema, table]).fetchone()[0]
    if kind == "VIEW":
        con.execute(f'create table "{schema}"."{table}__rows" as select * from {rel}')
        con.execute(f"drop view {rel}")
        con.execute(f'alter table "{schema}"."{table}__rows" rename to "{table}"')


def failing_rows(con, test: dict) -> int:
    return con.execute(f"select count(*) from ({test['compiled_code']}) as dbt_test").fetchone()[0]


@pytest.fixture(scope="module")
def mutation_setup(demo_warehouse, tmp_path_factory):
    copy = tmp_path_factory.mktemp("mutants") / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse.path, copy)
    manifest = json.loads((demo_warehouse.target / "manifest.json").read_text())
    con = duckdb.connect(str(copy))
    yield con, manifest
    con.close()


def test_every_check_passes_unmutated(mutation_setup):
    con, manifest = mutation_setup
    tests = data_tests(manifest)
    assert len(tests) > 200
    failing = {t["name"]: failing_rows(con, t) for t in tests if failing_rows(con, t)}
    assert failing == {}


def test_every_check_has_a_mutant(mutation_setup):
    con, manifest = mutation_setup
    missing = [t["name"] for t in data_tests(manifest)
               if t["name"] not in HAND_MUTANTS and generic_mutant(con, manifest, t) is None]
    assert missing == [], "checks without a mutant (add one to tests/python/check_mutants.py)"
    unknown = set(HAND_MUTANTS) - {t["name"] for t in data_tests(manifest)}
    assert unknown == set(), "mutants for checks that no longer exist"


def test_every_mutant_is_killed(mutation_setup):
    con, manifest = mutation_setup
    survivors = []
    for test in data_tests(manifest):
        template = HAND_MUTANTS.get(test["name"]) or generic_mutant(con, manifest, test)
        rel = relation(manifest, test)
        con.execute("begin transaction")
        try:
            as_table(con, rel)
            con.execute(render(template, rel))
            killed = failing_rows(con, test) > 0
        finally:
            con.execute("rollback")
        RESULTS[test["name"]] = killed
        if not killed:
            survivors.append(test["name"])
    killed = sum(RESULTS.values())
    summary_line("mutation_score", f"mutation score of the checks: {killed}/{len(RESULTS)} killed "
                                   f"({100 * killed / len(RESULTS):.0f} %)")
    assert survivors == [], f"checks that did not fail on their mutant: {survivors}"
