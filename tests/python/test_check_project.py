"""scripts/check_project.py (banenafspraak.checks.project): every rule catches its violation in a tiny manifest, the
project's own manifest has no unwaived finding, and waivers need a reason."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

from banenafspraak.checks import project as check_project


def model(name: str, folder: str, sql: str = "select 1", description: str = "One row per thing.",
          columns: dict | None = None, materialized: str = "table") -> dict:
    return {"resource_type": "model", "name": name, "package_name": "p", "unique_id": f"model.p.{name}",
            "original_file_path": f"models/{folder}/{name}.sql", "raw_code": sql, "description": description,
            "columns": columns if columns is not None else {"id": {"description": "The key."}},
            "config": {"materialized": materialized}}


def pk_tests(*names: str) -> dict:
    tests = {}
    for target in names:
        for kind in ("unique", "not_null"):
            tests[f"test.p.{kind}_{target}"] = {
                "resource_type": "test", "name": f"{kind}_{target}", "package_name": "p",
                "attached_node": f"model.p.{target}", "column_name": "id", "test_metadata": {"name": kind}}
    return tests


def manifest(models: list[dict], edges: list[tuple[str, str]], sources: list[str] = ("raw.a",)) -> dict:
    nodes = {m["unique_id"]: m for m in models}
    nodes.update(pk_tests(*[m["name"] for m in models]))
    source_nodes = {f"source.p.{s}": {"resource_type": "source", "name": s.split(".")[1], "source_name": s.split(".")[0],
                                      "description": "A source.", "columns": {}, "package_name": "p"}
                    for s in sources}
    parent_map = {uid: [] for uid in nodes}
    child_map = {uid: [] for uid in list(nodes) + list(source_nodes)}
    for parent, child in edges:
        parent_map.setdefault(child, []).append(parent)
        child_map.setdefault(parent, []).append(child)
    return {"metadata": {"project_name": "p"}, "nodes": nodes, "sources": source_nodes,
            "parent_map": parent_map, "child_map": child_map}


def clean() -> dict:
    """A small, clean project: source → staging → intermediate → mart."""
    return manifest([model("stg_raw__a", "staging"), model("int_a_joined", "intermediate"),
                     model("fct_a", "marts")],
                    [("source.p.raw.a", "model.p.stg_raw__a"), ("model.p.stg_raw__a", "model.p.int_a_joined"),
                     ("model.p.int_a_joined", "model.p.fct_a")])


def findings(m: dict, rule: str) -> list:
    return [f for f in check_project.RULES[rule](m)]


def test_clean_project_has_no_findings():
    assert check_project.check(clean(), {})[0] == []


def add(m: dict, node: dict, parents: list[str]) -> dict:
    m["nodes"][node["unique_id"]] = node
    m["nodes"].update(pk_tests(node["name"]))
    m["parent_map"][node["unique_id"]] = parents
    for parent in parents:
        m["child_map"].setdefault(parent, []).append(node["unique_id"])
    m["child_map"].setdefault(node["unique_id"], [])
    return m


VIOLATIONS = {
    "direct_join_to_source": lambda m: add(m, model("int_b", "intermediate"),
                                           ["source.p.raw.a", "model.p.stg_raw__a"]),
    "marts_or_intermediate_dependent_on_source": lambda m: add(m, model("fct_b", "marts"), ["source.p.raw.a"]),
    "staging_dependent_on_staging": lambda m: add(m, model("stg_raw__b", "staging"), ["model.p.stg_raw__a"]),
    "staging_dependent_on_marts_or_intermediate": lambda m: add(m, model("stg_raw__c", "staging"),
                                                                ["model.p.int_a_joined"]),
    "multiple_sources_joined": lambda m: (m["sources"].update({"source.p.raw.b": dict(m["sources"]["source.p.raw.a"],
                                                                                      name="b")}),
                                          add(m, model("stg_raw__d", "staging"),
                                              ["source.p.raw.a", "source.p.raw.b"]))[1],
    "unused_sources": lambda m: (m["sources"].update({"source.p.raw.z": dict(m["sources"]["source.p.raw.a"],
                                                                             name="z")}),
                                 m["child_map"].update({"source.p.raw.z": []}), m)[2],
    "root_models": lambda m: add(m, model("int_orphan", "intermediate"), []),
    "model_fanout": lambda m: [add(m, model(f"fct_end{i}", "marts"), ["model.p.int_a_joined"]) for i in range(4)][-1],
    "too_many_joins": lambda m: add(m, model("int_joins", "intermediate", "select 1 " + " join x on true" * 7),
                                    ["model.p.stg_raw__a"]),
    "model_naming_conventions": lambda m: add(m, model("orders", "marts"), ["model.p.int_a_joined"]),
    "model_directories": lambda m: add(m, model("stg_raw__e", "intermediate"), ["source.p.raw.a"]),
    "missing_primary_key_tests": lambda m: (m["nodes"].pop("test.p.unique_fct_a"), m)[1],
    "documentation_coverage": lambda m: (m["nodes"]["model.p.fct_a"]["columns"].update(
        {"jobs": {"description": ""}}), m)[1],
    "hard_coded_references": lambda m: add(m, model("int_hard", "intermediate",
                                                    "select * from {{ ref('stg_raw__a') }} join marts.fct_a using (id)"),
                                           ["model.p.stg_raw__a"]),
    "rejoining_of_upstream_concepts": lambda m: link(add(m, model("int_a_step", "intermediate"),
                                                         ["model.p.stg_raw__a"]),
                                                     "model.p.int_a_step", "model.p.int_a_joined"),
    "chained_views": lambda m: [add(m, model(f"int_v{i}", "intermediate", materialized="view"),
                                    [f"model.p.int_v{i - 1}" if i > 1 else "model.p.stg_raw__a"])
                                for i in range(1, 6)][-1],
    "source_fanout": lambda m: add(m, model("stg_raw__a_again", "staging"), ["source.p.raw.a"]),
    "test_directories": lambda m: (m["nodes"].update({"test.p.not_null_fct_a_jobs": {
        "resource_type": "test", "name": "not_null_fct_a_jobs", "package_name": "p",
        "attached_node": "model.p.fct_a", "original_file_path": "models/staging/_staging__models.yml"}}), m)[1],
    "exposure_parents": lambda m: (m.update({"exposures": {"exposure.p.dashboard": {
        "name": "dashboard", "depends_on": {"nodes": ["model.p.fct_a", "model.p.int_a_joined"]}}}}), m)[1],
}


def link(m: dict, parent: str, child: str) -> dict:
    """An extra edge parent → child."""
    m["parent_map"][child].append(parent)
    m["child_map"][parent].append(child)
    return m


def test_every_rule_has_a_violation_case():
    assert set(VIOLATIONS) == set(check_project.RULES)


@pytest.mark.parametrize("rule", sorted(VIOLATIONS))
def test_rule_catches_its_violation(rule):
    assert findings(clean(), rule) == []
    broken = VIOLATIONS[rule](clean())
    caught = findings(broken, rule)
    assert caught, f"{rule} did not catch its violation"
    assert all(f.rule == rule and f.why and f.fix for f in caught)


def test_file_paths_in_sql_are_hard_coded_references():
    m = add(clean(), model("int_file", "intermediate", "select * from read_parquet('/data/payroll.parquet')"),
            ["model.p.stg_raw__a"])
    assert {f.node for f in findings(m, "hard_coded_references")} == {"int_file"}
    m = add(clean(), model("int_extract", "intermediate", "select extract(day from payroll.period_month) from x"),
            ["model.p.stg_raw__a"])
    assert [f for f in findings(m, "hard_coded_references") if f.node == "int_extract"] == []


def test_chained_views_count_only_unbroken_chains_of_views():
    m = clean()
    for i in range(1, 8):  # stg → v1 → v2 → t3 (a table) → v4 → v5 → v6 → v7: no chain longer than 4
        add(m, model(f"int_c{i}", "intermediate", materialized="table" if i == 3 else "view"),
            [f"model.p.int_c{i - 1}" if i > 1 else "model.p.stg_raw__a"])
    assert findings(m, "chained_views") == []
    add(m, model("int_c8", "intermediate", materialized="view"), ["model.p.int_c7"])
    add(m, model("fct_c", "marts"), ["model.p.int_c8"])
    assert [f.node for f in findings(m, "chained_views")] == ["fct_c"]  # reported once, where the chain ends


def test_source_read_outside_staging_is_source_fanout():
    m = add(clean(), model("int_reads_source", "intermediate"), ["source.p.raw.a"])
    assert {f.node for f in findings(m, "source_fanout")} == {"raw.a", "int_reads_source"}


def test_singular_tests_live_under_tests_singular_and_unit_tests_beside_their_model():
    m = clean()
    m["nodes"]["test.p.assert_in_models"] = {"resource_type": "test", "name": "assert_in_models", "package_name": "p",
                                             "original_file_path": "models/marts/assert_in_models.sql"}
    m["nodes"]["test.p.assert_ok"] = {"resource_type": "test", "name": "assert_ok", "package_name": "p",
                                      "original_file_path": "tests/singular/assert_ok.sql"}
    m["unit_tests"] = {"unit_test.p.fct_a.far_away": {
        "resource_type": "unit_test", "name": "far_away", "package_name": "p", "model": "fct_a",
        "original_file_path": "models/intermediate/_intermediate__models.yml"},
        "unit_test.p.fct_a.nearby": {
        "resource_type": "unit_test", "name": "nearby", "package_name": "p", "model": "fct_a",
        "original_file_path": "models/marts/_marts__models.yml"}}
    assert {f.node for f in findings(m, "test_directories")} == {"assert_in_models", "far_away"}


def test_rejoining_needs_the_middle_model_to_feed_only_the_rejoining_one():
    m = VIOLATIONS["rejoining_of_upstream_concepts"](clean())
    add(m, model("fct_step", "marts"), ["model.p.int_a_step"])  # now int_a_step is shared: a concept of its own
    assert findings(m, "rejoining_of_upstream_concepts") == []


def test_macros_need_a_description():
    m = clean()
    m["macros"] = {"macro.p.documented": {"name": "documented", "package_name": "p", "description": "Does a thing.",
                                          "arguments": [{"name": "x", "description": "The thing."}]},
                   "macro.p.bare": {"name": "bare", "package_name": "p", "description": "", "arguments": []},
                   "macro.p.half": {"name": "half", "package_name": "p", "description": "Does.",
                                    "arguments": [{"name": "y", "description": ""}]},
                   "macro.dbt.other": {"name": "other", "package_name": "dbt", "description": ""}}
    assert {f.node for f in findings(m, "documentation_coverage")} == {"macro bare", "macro half.y"}


def test_waivers_need_a_reason_and_must_match(tmp_path):
    waivers = tmp_path / "waivers.csv"
    waivers.write_text("rule,node,reason\nroot_models,int_orphan,\n")
    with pytest.raises(SystemExit, match="has no reason"):
        check_project.load_waivers(waivers)
    broken = VIOLATIONS["root_models"](clean())
    unwaived, waived, stale = check_project.check(broken, {("root_models", "int_orphan"): "a reason",
                                                           ("root_models", "int_gone"): "old"})
    assert unwaived == [] and len(waived) == 1 and stale == [("root_models", "int_gone")]


def test_project_manifest_has_no_unwaived_finding(demo_warehouse):
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_project.py"), "--manifest",
                           str(demo_warehouse.target / "manifest.json")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 findings" in proc.stdout
