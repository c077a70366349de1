"""scripts/check_project.py (banenafspraak.checks.project): every rule catches its violation in a tiny manifest, the
project's own manifest has no unwaived finding, and waivers need a reason."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

from banenafspraak.checks import project as check_project


def model(name: str, folder: str, sql: str = "select 1", description: str = "One row per thing.",
          columns: dict | None = None) -> dict:
    return {"resource_type": "model", "name": name, "package_name": "p", "unique_id": f"model.p.{name}",
            "original_file_path": f"models/{folder}/{name}.sql", "raw_code": sql, "description": description,
            "columns": columns if columns is not None else {"id": {"description": "The key."}}}


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
}


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
