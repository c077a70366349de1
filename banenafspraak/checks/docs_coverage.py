"""Documentation coverage: every model, seed and source, and every one of their
columns as they exist in the warehouse, has a description.

Reads dbt's target/manifest.json (descriptions) and target/catalog.json (the
columns each relation really has; run `dbt docs generate` first). Prints the
coverage and every undocumented item; exits 1 unless coverage is 100 %.

Usage: scripts/check_docs_coverage.py [--target target]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from banenafspraak.config import config

KINDS = {"model", "seed", "source"}


def undocumented(manifest: dict, catalog: dict) -> tuple[list[str], int]:
    """(missing items, number of items checked)."""
    missing, checked = [], 0
    for section in ("nodes", "sources"):
        for unique_id, node in manifest[section].items():
            if node["resource_type"] not in KINDS or node.get("package_name") != manifest["metadata"].get(
                    "project_name", node.get("package_name")):
                continue
            checked += 1
            if not (node.get("description") or "").strip():
                missing.append(f"{unique_id}: no description")
            documented = {name.lower(): (col.get("description") or "").strip()
                          for name, col in node.get("columns", {}).items()}
            columns = (catalog.get(section, {}).get(unique_id) or {}).get("columns", {})
            if not columns and node["resource_type"] != "source":
                missing.append(f"{unique_id}: not in the catalog (build and run `dbt docs generate`)")
            for column in columns:
                checked += 1
                if not documented.get(column.lower()):
                    missing.append(f"{unique_id}.{column}: no description")
    return missing, checked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", type=Path, default=config().target)
    args = parser.parse_args(argv)
    manifest = json.loads((args.target / "manifest.json").read_text())
    catalog = json.loads((args.target / "catalog.json").read_text())
    missing, checked = undocumented(manifest, catalog)
    for item in missing:
        print(f"UNDOCUMENTED: {item}", file=sys.stderr)
    coverage = 100 * (checked - len(missing)) / checked if checked else 0
    print(f"documentation coverage: {checked - len(missing)}/{checked} ({coverage:.1f} %) "
          "models, seeds, sources and their columns")
    return 0 if not missing else 1


if __name__ == "__main__":
    sys.exit(main())
