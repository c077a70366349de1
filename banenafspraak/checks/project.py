"""Structure checks over dbt's manifest: the dbt-project-evaluator rules, as a script.

dbt packages cannot be installed on these machines, so the rules of
dbt-labs/dbt-project-evaluator that this project follows are implemented here,
over target/manifest.json (run `dbt parse` first). Each finding names the rule,
the node, why it matters and how to fix it. Findings can be waived, with a reason,
in scripts/check_project_waivers.csv (rule,node,reason); a waiver that no longer
matches a finding is reported too. Exits 1 on any unwaived finding.

Usage: scripts/check_project.py [--manifest target/manifest.json] [--waivers FILE]
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from banenafspraak.config import ROOT, config

FANOUT_LIMIT = 3          # more direct leaf children than this is a finding
JOIN_LIMIT = 7            # this many joins or more in one model is a finding
CHAIN_LIMIT = 4           # more views than this in an unbroken chain is a finding
VIEW_MATERIALIZATIONS = ("view", "ephemeral")
FOLDER_PREFIXES = {       # models/<folder>/…: allowed name prefixes
    "staging": ("stg_",),
    "intermediate": ("int_",),
    "marts": ("fct_", "dim_"),
    "audit": ("quarantine_", "reconciliation", "disclosure_"),
    "publication": ("pub_",),
    "semantic": ("sem_",),
}


@dataclass(frozen=True)
class Finding:
    rule: str
    node: str
    why: str
    fix: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.node}: {self.why} Fix: {self.fix}"


RULES = {}


def rule(name: str):
    def register(function):
        RULES[name] = function
        return function
    return register


def models(manifest: dict) -> dict[str, dict]:
    project = manifest["metadata"].get("project_name")
    return {uid: n for uid, n in manifest["nodes"].items()
            if n["resource_type"] == "model" and (project is None or n["package_name"] == project)}


def folder(node: dict) -> str:
    parts = Path(node["original_file_path"]).parts
    return parts[1] if len(parts) > 2 and parts[0] == "models" else ""


def parents(manifest: dict, uid: str) -> list[str]:
    return manifest["parent_map"].get(uid, [])


def children(manifest: dict, uid: str) -> list[str]:
    return manifest["child_map"].get(uid, [])


def name(uid: str) -> str:
    return uid.split(".")[-1] if not uid.startswith("source.") else ".".join(uid.split(".")[-2:])


@rule("direct_join_to_source")
def direct_join_to_source(manifest):
    for uid in models(manifest):
        ups = parents(manifest, uid)
        if any(p.startswith("source.") for p in ups) and any(p.startswith("model.") for p in ups):
            yield Finding("direct_join_to_source", name(uid), "joins a source directly with other models.",
                          "read the source through its staging model and join that.")


@rule("marts_or_intermediate_dependent_on_source")
def marts_or_intermediate_dependent_on_source(manifest):
    for uid, node in models(manifest).items():
        if folder(node) in ("marts", "intermediate", "audit") and any(
                p.startswith("source.") for p in parents(manifest, uid)):
            yield Finding("marts_or_intermediate_dependent_on_source", name(uid),
                          f"a {folder(node)} model reads a source.", "read the staging model instead.")


@rule("staging_dependent_on_staging")
def staging_dependent_on_staging(manifest):
    all_models = models(manifest)
    for uid, node in all_models.items():
        if folder(node) == "staging":
            for p in parents(manifest, uid):
                if p in all_models and folder(all_models[p]) == "staging":
                    yield Finding("staging_dependent_on_staging", name(uid), f"staging model reads {name(p)}.",
                                  "staging reads exactly one source; combine in intermediate.")


@rule("staging_dependent_on_marts_or_intermediate")
def staging_dependent_on_marts_or_intermediate(manifest):
    all_models = models(manifest)
    for uid, node in all_models.items():
        if folder(node) == "staging":
            for p in parents(manifest, uid):
                if p in all_models and folder(all_models[p]) in ("intermediate", "marts", "audit"):
                    yield Finding("staging_dependent_on_marts_or_intermediate", name(uid),
                                  f"staging model reads {folder(all_models[p])} model {name(p)}.",
                                  "staging only renames and casts its source; move the logic downstream.")


@rule("multiple_sources_joined")
def multiple_sources_joined(manifest):
    for uid in models(manifest):
        sources = [p for p in parents(manifest, uid) if p.startswith("source.")]
        if len(sources) > 1:
            yield Finding("multiple_sources_joined", name(uid), f"reads {len(sources)} sources.",
                          "give each source its own staging model and join those.")


@rule("unused_sources")
def unused_sources(manifest):
    for uid in manifest["sources"]:
        if not children(manifest, uid):
            yield Finding("unused_sources", name(uid), "no model reads this source.",
                          "remove it or add its staging model.")


@rule("root_models")
def root_models(manifest):
    for uid in models(manifest):
        if not parents(manifest, uid):
            yield Finding("root_models", name(uid), "has no parents: it reads no source, seed or model.",
                          "read inputs through source() or ref(), never by name or path.")


@rule("model_fanout")
def model_fanout(manifest):
    all_models = models(manifest)
    for uid in all_models:
        leaves = [c for c in children(manifest, uid) if c in all_models
                  and not any(cc in all_models for cc in children(manifest, c))]
        if len(leaves) > FANOUT_LIMIT:
            yield Finding("model_fanout", name(uid), f"feeds {len(leaves)} end models directly "
                          f"(more than {FANOUT_LIMIT}).", "build a shared model the end models read instead.")


@rule("too_many_joins")
def too_many_joins(manifest):
    for uid, node in models(manifest).items():
        joins = len(re.findall(r"\bjoin\b", strip_jinja(node.get("raw_code", "")), re.IGNORECASE))
        if joins >= JOIN_LIMIT:
            yield Finding("too_many_joins", name(uid), f"has {joins} joins ({JOIN_LIMIT} or more).",
                          "split it into intermediate models with fewer joins each.")


@rule("model_naming_conventions")
def model_naming_conventions(manifest):
    for uid, node in models(manifest).items():
        prefixes = FOLDER_PREFIXES.get(folder(node))
        if prefixes and not node["name"].startswith(prefixes):
            yield Finding("model_naming_conventions", name(uid),
                          f"a model in models/{folder(node)}/ should be named {' or '.join(prefixes)}….",
                          "rename it (staging stg_, intermediate int_, marts fct_/dim_).")


@rule("model_directories")
def model_directories(manifest):
    for uid, node in models(manifest).items():
        for directory, prefixes in FOLDER_PREFIXES.items():
            if node["name"].startswith(prefixes) and folder(node) != directory:
                yield Finding("model_directories", name(uid),
                              f"named like a {directory} model but lives in models/{folder(node) or '.'}/.",
                              f"move it to models/{directory}/.")


@rule("missing_primary_key_tests")
def missing_primary_key_tests(manifest):
    tested = {}
    for node in manifest["nodes"].values():
        meta = node.get("test_metadata") or {}
        if node["resource_type"] == "test" and node.get("attached_node"):
            tested.setdefault(node["attached_node"], []).append((meta.get("name"), node.get("column_name")))
    for uid in models(manifest):
        tests = tested.get(uid, [])
        unique_columns = {c for t, c in tests if t == "unique"}
        not_null_columns = {c for t, c in tests if t == "not_null"}
        if not (unique_columns & not_null_columns) and not any(t == "unique_combination_of_columns"
                                                               for t, _ in tests):
            yield Finding("missing_primary_key_tests", name(uid),
                          "no primary-key test (unique and not_null on a column, or unique_combination_of_columns).",
                          "declare the grain with a primary-key test in the model's YAML.")


@rule("documentation_coverage")
def documentation_coverage(manifest):
    project = manifest["metadata"].get("project_name")
    nodes = [n for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed")
             and (project is None or n["package_name"] == project)] + list(manifest["sources"].values())
    for node in nodes:
        label = node["name"] if node["resource_type"] != "source" else f"{node['source_name']}.{node['name']}"
        if not (node.get("description") or "").strip():
            yield Finding("documentation_coverage", label, f"{node['resource_type']} has no description.",
                          "describe it in its YAML (the grain first: 'One row per …').")
        for column, spec in node.get("columns", {}).items():
            if not (spec.get("description") or "").strip():
                yield Finding("documentation_coverage", f"{label}.{column}", "column has no description.",
                              "describe it in the YAML.")
    for macro in manifest.get("macros", {}).values():
        if macro.get("package_name") == project and not (macro.get("description") or "").strip():
            yield Finding("documentation_coverage", f"macro {macro['name']}", "macro has no description.",
                          "describe it and its arguments in macros/_macros.yml.")
        for argument in macro.get("arguments", []) if macro.get("package_name") == project else []:
            if not (argument.get("description") or "").strip():
                yield Finding("documentation_coverage", f"macro {macro['name']}.{argument['name']}",
                              "macro argument has no description.", "describe it in macros/_macros.yml.")
    for node in nodes:
        if node["resource_type"] in ("model", "seed") and not node.get("columns"):
            label = node["name"]
            yield Finding("documentation_coverage", label, "no column is documented.",
                          "list its columns with descriptions in the YAML.")


@rule("rejoining_of_upstream_concepts")
def rejoining_of_upstream_concepts(manifest):
    """A → B → C and A → C, where B feeds nothing but C: B is a step of C, not a concept of its own."""
    all_models = models(manifest)
    reported = set()
    for uid in all_models:
        direct = set(children(manifest, uid))
        for middle in sorted(direct - reported):
            if middle not in all_models:
                continue
            downstream = [c for c in children(manifest, middle) if not c.startswith(("test.", "unit_test."))]
            if len(downstream) == 1 and downstream[0] in direct and downstream[0] in all_models:
                reported.add(middle)
                yield Finding("rejoining_of_upstream_concepts", name(middle),
                              f"sits between {name(uid)} and {name(downstream[0])}, which also reads "
                              f"{name(uid)} directly, and feeds nothing else.",
                              f"fold it into {name(downstream[0])} as a CTE, or let more than one model use it.")


def materialization(node: dict) -> str:
    return (node.get("config") or {}).get("materialized", "view")


@rule("chained_views")
def chained_views(manifest):
    """More than CHAIN_LIMIT views in an unbroken chain: every read runs the whole chain again."""
    all_models = models(manifest)
    depth: dict[str, int] = {}

    def views_up_to(uid: str) -> int:  # views in the longest unbroken chain ending at uid (0 if uid is a table)
        if uid not in depth:
            depth[uid] = 0  # a cycle cannot occur in dbt's DAG; this only guards the recursion
            if materialization(all_models[uid]) in VIEW_MATERIALIZATIONS:
                depth[uid] = 1 + max([views_up_to(p) for p in parents(manifest, uid) if p in all_models],
                                     default=0)
        return depth[uid]

    for uid, node in all_models.items():
        is_view = materialization(node) in VIEW_MATERIALIZATIONS
        chain = views_up_to(uid) if is_view else max(
            [views_up_to(p) for p in parents(manifest, uid) if p in all_models], default=0)
        model_children = [c for c in children(manifest, uid) if c in all_models]
        if chain > CHAIN_LIMIT and not (is_view and model_children):  # report where the chain ends
            yield Finding("chained_views", name(uid), f"reads a chain of {chain} views (more than {CHAIN_LIMIT}).",
                          "materialize a model in the middle of the chain as a table.")


@rule("source_fanout")
def source_fanout(manifest):
    """A source read by more than one model: its renaming and casting is done in more than one place."""
    all_models = models(manifest)
    for uid in manifest["sources"]:
        readers = [c for c in children(manifest, uid) if c in all_models]
        if len(readers) > 1:
            yield Finding("source_fanout", name(uid), f"is read by {len(readers)} models "
                          f"({', '.join(sorted(name(r) for r in readers))}).",
                          "read it in one staging model only; the others read that model.")
        for reader in readers:
            if folder(all_models[reader]) != "staging":
                yield Finding("source_fanout", name(reader), f"reads source {name(uid)} but is not a staging "
                              "model.", "read the source's staging model instead.")


@rule("test_directories")
def test_directories(manifest):
    """Tests live next to what they test: a model's data and unit tests in a YAML file of the model's
    folder, singular tests (SQL files) under tests/singular/."""
    all_models = models(manifest)
    project = manifest["metadata"].get("project_name")
    nodes = [n for n in manifest["nodes"].values() if n["resource_type"] == "test"]
    nodes += list(manifest.get("unit_tests", {}).values())
    for test in nodes:
        if project is not None and test.get("package_name") != project:
            continue
        if not test.get("original_file_path"):
            continue
        path = Path(test["original_file_path"])
        if path.suffix == ".sql":  # a singular test
            if path.parts[:2] != ("tests", "singular"):
                yield Finding("test_directories", test["name"], f"singular test in {path.parent}/.",
                              "put singular tests under tests/singular/ (generic test definitions in "
                              "tests/generic/).")
            continue
        tested = test.get("attached_node") or (test.get("depends_on") or {}).get("nodes", [None])[0]
        if test["resource_type"] == "unit_test":
            tested = next((uid for uid, n in all_models.items() if n["name"] == test.get("model")), tested)
        if tested in all_models and path.parent != Path(all_models[tested]["original_file_path"]).parent:
            yield Finding("test_directories", test["name"],
                          f"tests {name(tested)} but is declared in {path}, not in the model's folder.",
                          f"move it to a YAML file in {Path(all_models[tested]['original_file_path']).parent}/.")


@rule("exposure_parents")
def exposure_parents(manifest):
    """Exposures (dashboards, reports) read the public marts only, never staging, intermediate or sources."""
    all_models = models(manifest)
    for exposure in manifest.get("exposures", {}).values():
        for parent in (exposure.get("depends_on") or {}).get("nodes", []):
            if parent in all_models and folder(all_models[parent]) == "marts":
                continue
            kind = f"{folder(all_models[parent])} model" if parent in all_models else parent.split(".")[0]
            yield Finding("exposure_parents", exposure["name"], f"depends on {kind} {name(parent)}.",
                          "let the exposure read a mart (models/marts/); add one if it needs more.")


def strip_jinja(code: str) -> str:
    """SQL with Jinja blocks, expressions and comments blanked, and SQL comments removed."""
    code = re.sub(r"\{#.*?#\}", " ", code, flags=re.S)
    code = re.sub(r"\{%.*?%\}", " ", code, flags=re.S)
    code = re.sub(r"\{\{.*?\}\}", " __jinja__ ", code, flags=re.S)
    return re.sub(r"--[^\n]*", " ", code)


@rule("hard_coded_references")
def hard_coded_references(manifest):
    for uid, node in models(manifest).items():
        sql = strip_jinja(node.get("raw_code", ""))
        for match in re.finditer(r"\b(from|join)\s+([a-z_\"][\w\"]*\.[\w\"]+(?:\.[\w\"]+)?)", sql, re.IGNORECASE):
            if re.search(r"extract\s*\(\s*\w+\s*$", sql[max(0, match.start() - 40):match.start()], re.IGNORECASE):
                continue  # extract(day from column): not a relation
            yield Finding("hard_coded_references", name(uid), f"reads {match.group(2)} by name.",
                          "use ref() or source().")
        for match in re.finditer(r"(read_(?:csv|parquet|json)\w*\s*\(|'[^']*\.(?:csv|parquet|json)')", sql,
                                 re.IGNORECASE):
            yield Finding("hard_coded_references", name(uid), f"reads a file path ({match.group(1)}).",
                          "declare the file as a raw source (registered by check_raw_inputs) and use source().")


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
