"""Structure checks over dbt's manifest: the dbt-project-evaluator rules, as a script.

dbt packages cannot be installed on these machines, so the rules of
dbt-labs/dbt-project-evaluator that this project follows are implemented here,
over target/manifest.json (run `dbt parse` first). Each finding names the rule,
the node, why it matters and how to fix it. Findings can be waived, with a reason,
in scripts/check_project_waivers.csv (rule,node,reason); a waiver that no longer
matches a finding is reported too. Exits 1 on any unwaived finding.

Usage: scripts/check_project.py [--manifest target/manifest.json] [--waivers FILE]
"""
# The rules are in project_dag.py and project_conventions.py, what they share in
# project_manifest.py; here the order they run in, the waivers and the command line.
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from banenafspraak.checks import project_conventions as conventions
from banenafspraak.checks import project_dag as dag
from banenafspraak.checks.project_manifest import Finding
from banenafspraak.config import ROOT, config

# rule name -> rule, in the order they run; findings and waived findings are printed in this order
RULES = {rule.__name__: rule for rule in (
    dag.direct_join_to_source,
    dag.marts_or_intermediate_dependent_on_source,
    dag.staging_dependent_on_staging,
    dag.staging_dependent_on_marts_or_intermediate,
    dag.multiple_sources_joined,
    dag.unused_sources,
    dag.root_models,
    dag.model_fanout,
    conventions.too_many_joins,
    conventions.model_naming_conventions,
    conventions.model_directories,
    conventions.missing_primary_key_tests,
    conventions.documentation_coverage,
    dag.rejoining_of_upstream_concepts,
    dag.chained_views,
    dag.source_fanout,
    conventions.test_directories,
    dag.exposure_parents,
    conventions.hard_coded_references,
)}

__all__ = ["RULES", "Finding", "check", "load_waivers", "main"]


def load_waivers(path: Path) -> dict[tuple[str, str], str]:
    if not path.exists():
        return {}
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if not (row.get("reason") or "").strip():
            raise SystemExit(f"check_project: waiver {row} in {path} has no reason")
    return {(row["rule"], row["node"]): row["reason"] for row in rows}


def check(manifest: dict, waivers: dict[tuple[str, str], str]) -> tuple[list[Finding], list[tuple], list]:
    """(unwaived findings, waived (finding, reason), waivers matching nothing)."""
    findings = [f for function in RULES.values() for f in function(manifest)]
    unwaived = [f for f in findings if (f.rule, f.node) not in waivers]
    waived = [(f, waivers[(f.rule, f.node)]) for f in findings if (f.rule, f.node) in waivers]
    used = {(f.rule, f.node) for f in findings}
    stale = [key for key in waivers if key not in used]
    return unwaived, waived, stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--manifest", type=Path, default=config().target / "manifest.json")
    parser.add_argument("--waivers", type=Path, default=ROOT / "scripts" / "check_project_waivers.csv")
    args = parser.parse_args(argv)
    manifest = json.loads(args.manifest.read_text())
    unwaived, waived, stale = check(manifest, load_waivers(args.waivers))
    for finding, reason in waived:
        print(f"waived  [{finding.rule}] {finding.node}: {reason}")
    for rule_name, node in stale:
        print(f"STALE WAIVER [{rule_name}] {node}: matches no finding; remove it from {args.waivers.name}")
    for finding in unwaived:
        print(f"FINDING {finding}")
    print(f"check_project: {len(RULES)} rules, {len(unwaived)} findings, {len(waived)} waived, "
          f"{len(stale)} stale waivers")
    return 1 if unwaived or stale else 0


if __name__ == "__main__":
    sys.exit(main())
