"""One metric entry added in one place reaches both readers of the registry:
banenafspraak.registry (from target/*.json) and the macro measure_registry()
(from dbt's graph), and through them the disclosure relations (a toy total
becomes an equation over the public cells), the check that the public cells hold
every public metric (assert_public_cells_follow_registry), the publication model that
unpivots the mart's public columns (pub_register_stock_cells, with the value kind in
pub_additive_cells; the mart then needs the column itself), the audit trace (a toy flow with its `cell`
becomes a traceable measure with its condition) and the docs (dbt's manifest, which
the docs site shows, carries its Dutch label). Works on a temporary copy of the project."""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import pandas as pd

from banenafspraak import registry as module
from banenafspraak.disclosure.relations import build_relations, registry_relations
from banenafspraak.trace.cell import END, flow_cells
from conftest import DBT, ROOT

TOY = """
- name: toy_persons_working
  label: Speelgoedmaat
  description: A toy metric added by the test.
  type: simple
  type_params: {measure: toy_persons_working}
  config:
    meta: {mart: fct_register_quarter, column: toy_persons_working, value_kind: count_of_persons,
           additivity: semi_additive, rounding: 0, public: true,
           relations: {total_of: [persons_working]}}
"""
TOY_FLOW = """
- name: toy_inflow
  label: Speelgoedinstroom
  description: A toy flow added by the test.
  type: simple
  type_params: {measure: inflow}
  config:
    meta: {mart: fct_register_flows_quarter, column: toy_inflow, value_kind: count_of_persons,
           additivity: additive, rounding: 0, public: false,
           cell: {side: end, where: "transitions.transition_type = 'inflow' and transitions.is_toy"}}
"""
TOY_MEASURE = """
  - name: toy_persons_working
    agg: sum
    expr: persons_working
    description: A toy measure added by the test.
    non_additive_dimension: {name: quarter_end_date, window_choice: max}
"""


def test_toy_metric_reaches_module_and_macro(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
        ".venv", "target", "logs", "*.duckdb*", ".git", "reports", "__pycache__"))
    path = project / "models" / "semantic" / "_semantic__models.yml"
    text = path.read_text()
    anchor = "  measures:\n"
    at = text.index(anchor) + len(anchor)  # the first semantic model: fct_register_quarter
    text = text[:at] + TOY_MEASURE.lstrip("\n") + text[at:]
    path.write_text(text.rstrip("\n") + "\n" + TOY.lstrip("\n") + TOY_FLOW.lstrip("\n"))
    env = {**os.environ, "DBT_PROFILES_DIR": str(project), "WAREHOUSE_PATH": str(tmp_path / "w.duckdb"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    parse = subprocess.run([DBT, "parse", "--no-partial-parse"], cwd=project, env=env,
                           capture_output=True, text=True)
    assert parse.returncode == 0, parse.stdout[-3000:]
    rows = module.public_metrics(module.registry(*module.load_artifacts(project / "target")))
    toy = [r for r in rows if r["name"] == "toy_persons_working"]
    assert toy and toy[0]["mart"] == "fct_register_quarter" and toy[0]["value_kind"] == "count_of_persons"
    op = subprocess.run([DBT, "run-operation", "print_measure_registry"], cwd=project, env=env,
                        capture_output=True, text=True)
    assert op.returncode == 0, op.stdout[-3000:]
    line = next(l for l in op.stdout.splitlines() if "MEASURE_REGISTRY " in l)
    registry = json.loads(line.split("MEASURE_REGISTRY ", 1)[1])
    assert any(r["name"] == "toy_persons_working" and r["mart"] == "fct_register_quarter" for r in registry)
    assert {r["name"] for r in registry} == {r["name"] for r in module.registry(*module.load_artifacts(project / "target"))}
    # the disclosure relations: the toy total is a relation a reader knows
    declared = registry_relations(project / "target")
    assert declared.totals["toy_persons_working"] == {"toy_persons_working": -1.0, "persons_working": 1.0}
    cells = pd.DataFrame({"period_type": "quarter", "period": "2023Q1", "region_code": "AM01", "target_group": "all",
                          "breakdown": "all", "measure": ["toy_persons_working", "persons_working"],
                          "exact_value": [12.0, 12.0], "value_kind": "count"})
    relations = build_relations(cells, declared)
    assert [n for n in relations.equality_names if n.startswith("total_toy_persons_working")] != []
    # the trace: the toy flow is a traceable measure, counted with its own condition
    cells = flow_cells(project / "target")
    assert cells["toy_inflow"] == f"(transitions.transition_type = 'inflow' and transitions.is_toy) and {END}"
    # the public cells' check expects the toy among the published measures
    compiled = subprocess.run([DBT, "compile", "--select", "assert_public_cells_follow_registry",
                               "pub_register_stock_cells", "pub_additive_cells"], cwd=project,
                              env=env, capture_output=True, text=True)
    assert compiled.returncode == 0, compiled.stdout[-3000:]
    sql = next((project / "target" / "compiled").rglob("assert_public_cells_follow_registry.sql")).read_text()
    assert "'toy_persons_working' as measure" in sql
    # the public cells: the publication model unpivots the toy column, with its value kind
    sql = next((project / "target" / "compiled").rglob("pub_register_stock_cells.sql")).read_text()
    assert "'toy_persons_working' as measure" in sql and "cast(toy_persons_working as decimal(18, 6))" in sql
    sql = next((project / "target" / "compiled").rglob("pub_additive_cells.sql")).read_text()
    assert "when 'toy_persons_working' then 'count'" in sql
    # the docs: the manifest the docs site reads carries the toy with its Dutch label
    manifest = json.loads((project / "target" / "manifest.json").read_text())
    assert any(m["name"] == "toy_persons_working" and m["label"] == "Speelgoedmaat"
               for m in manifest["metrics"].values())
