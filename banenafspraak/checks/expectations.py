"""Great Expectations checkpoint over the built marts.

The expectation suites live in tests/great_expectations/<relation>.json (GX's own
suite format, plus meta.query: the SQL that reads the relation, with derived
columns for identities such as the flow balances). Each relation is read from the
DuckDB warehouse (read-only) into pandas and validated with GX's pandas route (its
SQL route over SQLAlchemy/duckdb_engine was seen returning empty metrics against
DuckDB). Writes GX Data Docs (HTML) and a summary (Markdown and JSON) to --out,
prints failing expectations, and exits 1 when any expectation fails.

Usage: scripts/run_great_expectations.py [--warehouse warehouse.duckdb] [--out target/great_expectations]
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

import duckdb  # noqa: E402
import great_expectations as gx  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402
from great_expectations.expectations.expectation_configuration import ExpectationConfiguration  # noqa: E402

from banenafspraak.config import ROOT, config  # noqa: E402

SUITES = ROOT / "tests" / "great_expectations"


def load_suites(directory: Path = SUITES) -> list[dict]:
    return [json.loads(path.read_text()) for path in sorted(directory.glob("*.json"))]


def run(warehouse: Path, out: Path, suites: list[dict] | None = None, quiet: bool = False) -> dict:
    """Validate every suite; returns the summary (also written to out)."""
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    suites = suites if suites is not None else load_suites()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    context = gx.get_context(mode="file", project_root_dir=str(out))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("warehouse")
    summary: dict[str, Any] = {"warehouse": str(warehouse), "validated_at": time.strftime("%Y-%m-%d %H:%M:%S"),
               "success": True, "suites": []}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for spec in suites:
            started = time.perf_counter()
            frame = con.execute(spec["meta"]["query"]).df()
            batch = source.add_dataframe_asset(spec["name"]).add_batch_definition_whole_dataframe("whole")
            suite = gx.ExpectationSuite(name=spec["name"], meta={"description": spec["meta"]["description"],
                                                                 "relation": spec["meta"]["relation"]})
            for expectation in spec["expectations"]:
                suite.add_expectation_configuration(ExpectationConfiguration(**expectation))
            suite = context.suites.add(suite)
            definition = context.validation_definitions.add(
                gx.ValidationDefinition(name=spec["name"], data=batch, suite=suite))
            checkpoint = context.checkpoints.add(gx.Checkpoint(
                name=spec["name"], validation_definitions=[definition],
                actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")]))
            result = checkpoint.run(batch_parameters={"dataframe": frame})
            failures = []
            count = 0
            for validation in result.run_results.values():
                for outcome in validation.results:
                    count += 1
                    if not outcome.success:
                        config = outcome.expectation_config
                        assert config is not None   # every result of a suite names its expectation
                        failures.append({"expectation": config.type,
                                         "kwargs": {k: v for k, v in config.kwargs.items() if k != "batch_id"},
                                         "why": (config.meta or {}).get("notes", ""),
                                         "unexpected_count": outcome.result.get("unexpected_count"),
                                         "observed_value": outcome.result.get("observed_value")})
            summary["suites"].append({"suite": spec["name"], "relation": spec["meta"]["relation"],
                                      "rows": len(frame), "expectations": count, "failed": len(failures),
                                      "failures": failures, "seconds": round(time.perf_counter() - started, 2)})
            summary["success"] &= not failures
            if not quiet:
                state = "ok" if not failures else f"FAILED {len(failures)}"
                print(f"  {spec['meta']['relation']:<40} {len(frame):>7} rows {count:>3} expectations  {state}",
                      file=sys.stderr)
                for failure in failures:
                    print(f"      - {failure['expectation']} {failure['kwargs']}: {failure['why']}"
                          f" (unexpected: {failure['unexpected_count']})", file=sys.stderr)
    docs = context.get_docs_sites_urls()
    summary["data_docs"] = docs[0]["site_url"] if docs else None
    (out / "summary.json").write_text(json.dumps(summary, indent=2, default=str))
    lines = [f"# Great Expectations: {'all expectations met' if summary['success'] else 'FAILED'}", "",
             f"Warehouse `{warehouse}`, {summary['validated_at']}. Data Docs: {summary['data_docs']}", "",
             "| relation | rows | expectations | failed |", "|---|---:|---:|---:|"]
    lines += [f"| {s['relation']} | {s['rows']} | {s['expectations']} | {s['failed']} |" for s in summary["suites"]]
    for s in summary["suites"]:
        for f in s["failures"]:
            lines.append(f"\n- **{s['relation']}**: {f['expectation']} {f['kwargs']} — {f['why']} "
                         f"(unexpected: {f['unexpected_count']})")
    (out / "summary.md").write_text("\n".join(lines) + "\n")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    settings = config()
    parser.add_argument("--warehouse", type=Path, default=settings.warehouse)
    parser.add_argument("--out", type=Path, default=settings.target / "great_expectations")
    args = parser.parse_args(argv)
    print(f"Great Expectations checkpoint on {args.warehouse}:", file=sys.stderr)
    summary = run(args.warehouse, args.out)
    total = sum(s["expectations"] for s in summary["suites"])
    failed = sum(s["failed"] for s in summary["suites"])
    print(f"{total - failed}/{total} expectations met in {len(summary['suites'])} suites; "
          f"summary {args.out / 'summary.md'}; Data Docs {summary['data_docs']}")
    return 0 if summary["success"] else 1


if __name__ == "__main__":
    sys.exit(main())
