"""The measure registry, read from dbt's artefacts.

Every public measure of the marts is declared once, as a MetricFlow metric in
models/semantic/_semantic__models.yml; what MetricFlow has no field for sits in
the metric's config meta (mart, column, value_kind, additivity, rounding,
public, relations). This module reads target/semantic_manifest.json and
target/manifest.json (written by `dbt parse`; ensure_artifacts runs it when they
are missing) and returns plain data: the metrics, their balance identities and
totals (read by the disclosure relations), and the grain each fact mart's tests
declare (read by the revision report and the privacy check).

    python -m banenafspraak registry [TARGET_DIR]   # prints the public metrics
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def load_artifacts(target_dir: Path) -> tuple[dict, dict]:
    """(semantic_manifest, manifest) as parsed JSON from a dbt target directory."""
    target_dir = Path(target_dir)
    semantic = json.loads((target_dir / "semantic_manifest.json").read_text(encoding="utf-8"))
    manifest = json.loads((target_dir / "manifest.json").read_text(encoding="utf-8"))
    return semantic, manifest


def ensure_artifacts(target_dir: Path) -> None:
    """Write dbt's artefacts into target_dir with `dbt parse` when they are missing (a
    warehouse published as it is, with no build in this target folder). dbt is the one
    beside this interpreter; the project is the package's root."""
    target_dir = Path(target_dir)
    if (target_dir / "semantic_manifest.json").is_file() and (target_dir / "manifest.json").is_file():
        return
    import os
    import subprocess

    from banenafspraak.config import ROOT
    command = [str(Path(sys.executable).with_name("dbt")), "parse", "--target-path", str(target_dir)]
    env = {**os.environ, "DBT_PROFILES_DIR": os.environ.get("DBT_PROFILES_DIR", str(ROOT))}
    proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0 or not (target_dir / "semantic_manifest.json").is_file():
        raise RuntimeError(f"the measure registry: `{' '.join(command)}` failed in {ROOT}:\n{proc.stdout[-3000:]}")


def _meta(metric: dict) -> dict:
    config = metric.get("config") or {}
    return config.get("meta") or metric.get("meta") or {}


def _measure_models(semantic: dict) -> dict[str, tuple[str | None, str | None]]:
    """measure name -> (model name, column) from the semantic models."""
    out: dict[str, tuple[str | None, str | None]] = {}
    for model in semantic.get("semantic_models", []):
        ref = model.get("node_relation") or {}
        model_name = ref.get("alias") or model["name"]
        for measure in model.get("measures", []):
            out[measure["name"]] = (model_name, measure.get("expr") or measure["name"])
    return out


def registry(semantic: dict, manifest: dict) -> list[dict]:
    """One dict per metric, sorted by name: name, label, description, type, mart, column,
    value_kind, additivity, rounding, public, relations, cell (the person-level
    definition of a flow column: side and condition, or None), hidden_with (a derived
    figure's inputs for the disclosure control, or None).

    Metric meta (from manifest.json, where dbt keeps config.meta) wins; mart and
    column fall back to the measure's semantic model and expression."""
    manifest_meta = {m["name"]: _meta(m) for m in manifest.get("metrics", {}).values()}
    measures = _measure_models(semantic)
    rows = []
    for metric in semantic.get("metrics", []):
        meta = {**_meta(metric), **manifest_meta.get(metric["name"], {})}
        measure = ((metric.get("type_params") or {}).get("measure") or {}).get("name")
        mart, column = measures.get(measure or "", (None, None))
        rows.append({
            "name": metric["name"],
            "label": metric.get("label"),
            "description": metric.get("description"),
            "type": metric.get("type"),
            "mart": meta.get("mart", mart),
            "column": meta.get("column", column),
            "value_kind": meta.get("value_kind"),
            "additivity": meta.get("additivity"),
            "rounding": meta.get("rounding"),
            "public": bool(meta.get("public", False)),
            "relations": meta.get("relations") or {},
            "cell": meta.get("cell"),
            "hidden_with": meta.get("hidden_with"),
        })
    return sorted(rows, key=lambda row: row["name"])


def declared_grains(manifest: dict) -> dict[str, list[str]]:
    """Mart name -> grain columns, from its unique / unique_combination_of_columns tests."""
    grains = {}
    for node in manifest["nodes"].values():
        meta = node.get("test_metadata") or {}
        if node["resource_type"] != "test" or not node.get("attached_node"):
            continue
        model = node["attached_node"].split(".")[-1]
        if meta.get("name") == "unique_combination_of_columns":
            grains[model] = list(meta["kwargs"]["combination_of_columns"])
        elif meta.get("name") == "unique" and model not in grains:
            grains[model] = [node.get("column_name") or meta["kwargs"]["column_name"]]
    return grains


def fact_grains(target_dir: Path) -> dict[str, list[str]]:
    """The grain of every fact mart (fct_*), as its data tests declare it, from the
    manifest in target_dir (written by dbt parse when missing), sorted by mart."""
    ensure_artifacts(target_dir)
    grains = declared_grains(load_artifacts(target_dir)[1])
    return {mart: grains[mart] for mart in sorted(grains) if mart.startswith("fct_")}


def period_types(semantic: dict) -> dict[str, str]:
    """Mart -> the period_type of its cells in publication.figures (`quarter`, `year`,
    `cohort_year`), from its semantic model's config meta."""
    types = {}
    for model in semantic.get("semantic_models", []):
        mart = (model.get("node_relation") or {}).get("alias") or model["name"]
        period_type = ((model.get("config") or {}).get("meta") or {}).get("period_type")
        if period_type is None:
            raise ValueError(f"the measure registry: semantic model {model['name']} has no meta period_type")
        types[mart] = period_type
    return types


def measure_dictionary(semantic: dict, manifest: dict) -> list[dict]:
    """The public measures as publication.figures names them, for the public file's
    publication.measures: one dict per (period_type, measure) with the metric, its Dutch
    label, English description and value kind, sorted. A measure name used by two public
    metrics of one period type is an error (a reader could not tell them apart)."""
    types = period_types(semantic)
    entries: dict[tuple[str, str], dict] = {}
    for row in public_metrics(registry(semantic, manifest)):
        if not row["column"]:
            continue
        key = (types[row["mart"]], row["column"])
        if key in entries:
            raise ValueError(f"the measure registry: measure {key[1]} ({key[0]}) is public twice: "
                             f"{entries[key]['metric']} and {row['name']}")
        entries[key] = {"period_type": key[0], "measure": key[1], "metric": row["name"], "label": row["label"],
                        "description": row["description"], "value_kind": row["value_kind"]}
    return [entries[key] for key in sorted(entries)]


def public_metrics(rows: list[dict]) -> list[dict]:
    """The public metrics of a registry()."""
    return [row for row in rows if row["public"]]


def balance_identities(rows: list[dict], mart: str) -> dict[str, dict]:
    """{identity: {"start": column, "end": column, "terms": [(sign, column), ...]}}
    for one mart, terms in their declared order."""
    entries = sorted((row for row in rows if row["mart"] == mart and "balance" in row["relations"]),
                     key=lambda row: row["relations"]["balance"]["order"])
    identities: dict[str, dict] = {}
    for row in entries:
        balance = row["relations"]["balance"]
        identity = identities.setdefault(balance["identity"], {"start": None, "end": None, "terms": []})
        if balance["term"] in ("start", "end"):
            identity[balance["term"]] = row["column"]
        else:
            identity["terms"].append((balance["term"], row["column"]))
    return identities


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from banenafspraak.config import config
    target = Path(argv[0]) if argv else config().target
    for row in public_metrics(registry(*load_artifacts(target))):
        print(f"{row['name']:<28} {row['mart']:<32} {row['column'] or '':<24} {row['value_kind']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
