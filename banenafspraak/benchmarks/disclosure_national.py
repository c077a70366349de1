"""make benchmark-disclosure-national: disclosure control at national scale, two vintages.

On the national-scale extracts of `make benchmark` (synthetic/raw.py, generated when
absent: --data through the last quarter, --data-previous the same extract one quarter
earlier), as a publisher runs it every quarter:

1. vintage 1: `dbt build` (models and seeds, no tests) of the previous extract, then
   `scripts/publish.py --skip-build` into a new publish folder: protection and the
   audit with no earlier vintage;
2. vintage 2: the same for the extract with one more quarter, published into the same
   folder: protection against vintage 1 (the time of adding a quarter) and the audit;
3. on vintage 2's figures: tau-ARGUS's optimal method per table beside ours, both
   audited over every relation (banenafspraak.benchmarks.disclosure), with the region
   headlines of the last quarter that each hides.

Reports per vintage the cells, primary and secondary suppressions, the seconds of
protection and audit (from the publication's manifest) and the wall time and peak RSS
of the publish process; writes JSON and Markdown to --out. Needs pytauargus
(requirements-benchmark.txt; the make target installs it).

Usage: scripts/benchmark_disclosure_national.py [--data DIR] [--data-previous DIR]
       [--last-quarter 2024Q4] [--out benchmark/disclosure-national]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from banenafspraak.benchmarks.disclosure import HEADER, markdown, side_by_side
from banenafspraak.benchmarks.national import BIN, extract_arguments, generate, log, measured, quarter_before
from banenafspraak.config import ROOT, config

VINTAGE_HEADER = ["vintage", "cells", "primary", "secondary", "protect_seconds", "audit_seconds",
                  "publish_wall_seconds", "publish_peak_rss_mb", "build_wall_seconds"]


def vintage(number: int, data: Path, out: Path, label: str) -> dict:
    """Build one extract (no tests) and publish it into out/publish; returns its row."""
    warehouse, target = out / f"vintage{number}.duckdb", out / f"target{number}"
    for suffix in ("", ".wal"):
        Path(str(warehouse) + suffix).unlink(missing_ok=True)
    log(f"{label}: dbt build of {data} …")
    build_seconds, _ = measured(
        [str(BIN / "dbt"), "build", "--exclude", "test_type:data", "test_type:unit",
         "--vars", json.dumps({"raw_path": str(data), "raw_format": "parquet"}),
         "--target-path", str(target), "--log-path", str(out / "logs")],
        {"WAREHOUSE_PATH": str(warehouse), "DBT_PROFILES_DIR": str(ROOT)}, f"{label}: build")
    log(f"{label}: built in {build_seconds:.1f} s; publishing (protection and audit) …")
    wall, rss = measured([sys.executable, str(ROOT / "scripts" / "publish.py"), "--skip-build"],
                         {"PUBLISH_PATH": str(out / "publish" / "warehouse.duckdb"), "WAREHOUSE_PATH": str(warehouse),
                          "DBT_TARGET_PATH": str(target), "DBT_PROFILES_DIR": str(ROOT)}, f"{label}: publish")
    disclosure = json.loads((out / "publish" / "manifest.json").read_text())["disclosure"]
    row = {"vintage": label, "cells": disclosure["cells"], "primary": disclosure["primary"],
           "secondary": disclosure["secondary"], "protect_seconds": disclosure["seconds"],
           "audit_seconds": round(disclosure["audit"]["seconds"], 1), "audit_passed": disclosure["audit"]["passed"],
           "publish_wall_seconds": round(wall, 1), "publish_peak_rss_mb": rss,
           "build_wall_seconds": round(build_seconds, 1), "warehouse": str(warehouse)}
    log(f"{label}: {row['primary']} primary, {row['secondary']} secondary; protection {row['protect_seconds']} s, "
        f"audit {row['audit_seconds']} s; publish {row['publish_wall_seconds']} s, peak {rss} MB")
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    extract_arguments(parser, ROOT / "benchmark" / "disclosure-national")
    args = parser.parse_args(argv)
    previous_dir = args.data_previous or args.data.with_name(args.data.name + "_previous")
    earlier = quarter_before(args.last_quarter)
    if not (args.data / "payroll.parquet").exists():
        generate(args.data)
    if not (previous_dir / "payroll.parquet").exists():
        generate(previous_dir, "--through", earlier)
    args.out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(args.out / "publish", ignore_errors=True)   # a new history: vintage 1 is the first
    vintages = [vintage(1, previous_dir, args.out, f"1: through {earlier}"),
                vintage(2, args.data, args.out, f"2: + {args.last_quarter}")]
    settings = config()
    min_persons = int(settings.var("disclosure_min_persons", 10))
    protection = float(settings.var("disclosure_protection", 10))
    log("vintage 2 beside tau-ARGUS per table (every table a tau-ARGUS process; minutes) …")
    rows, ratio = side_by_side(vintages[1]["warehouse"], min_persons, protection)
    (args.out / "disclosure_national.json").write_text(json.dumps(
        {"vintages": vintages, "side_by_side": rows, "secondary_ratio": ratio}, indent=2))
    lines = ["# Disclosure control at national scale", "", "## Two vintages, as published", ""]
    lines += markdown(vintages, VINTAGE_HEADER)
    lines += ["", f"## Vintage 2 beside tau-ARGUS per table ({args.last_quarter} region headlines)", ""]
    lines += markdown(rows, HEADER)
    lines += ["", f"Secondary suppressions, ours / tau-ARGUS: {ratio:.2f}"]
    (args.out / "disclosure_national.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
