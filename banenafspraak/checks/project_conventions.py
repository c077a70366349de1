"""The project's structure rules (project.py) on conventions: joins per model, names and
folders, primary-key tests, documentation, where tests live and references by name. Each
rule yields its Findings.
"""
from __future__ import annotations

import re
from pathlib import Path

from banenafspraak.checks.project_manifest import (
    FOLDER_PREFIXES,
    JOIN_LIMIT,
    Finding,
    folder,
    models,
    name,
    strip_jinja,
)


def too_many_joins(manifest):
    for uid, node in models(manifest).items():
        joins = len(re.findall(r"\bjoin\b", strip_jinja(node.get("raw_code", "")), re.IGNORECASE))
        if joins >= JOIN_LIMIT:
            yield Finding("too_many_joins", name(uid), f"has {joins} joins ({JOIN_LIMIT} or more).",
                          "split it into intermediate models with fewer joins each.")


def model_naming_conventions(manifest):
    for uid, node in models(manifest).items():
        prefixes = FOLDER_PREFIXES.get(folder(node))
        if prefixes and not node["name"].startswith(prefixes):
            yield Finding("model_naming_conventions", name(uid),
                          f"a model in models/{folder(node)}/ should be named {' or '.join(prefixes)}….",
                          "rename it (staging stg_, intermediate int_, marts fct_/dim_).")


def model_directories(manifest):
    for uid, node in models(manifest).items():
        for directory, prefixes in FOLDER_PREFIXES.items():
            if node["name"].startswith(prefixes) and folder(node) != directory:
                yield Finding("model_directories", name(uid),
                              f"named like a {directory} model but lives in models/{folder(node) or '.'}/.",
                              f"move it to models/{directory}/.")


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
