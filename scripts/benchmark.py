#!/usr/bin/env python3
"""Measure the warehouse at national scale on this machine.

Generates (or reuses) national-scale Parquet with scripts/generate_raw.py, then
times, on the same files:
  * limit: one DuckDB query that scans the payroll once and sums paid hours per
    person per quarter (the floor any correct build pays);
  * build (models): `dbt build --exclude test_type:data test_type:unit`;
  * build (with tests): `dbt build` (data and unit tests too);
and the peak memory (RSS) of each step. Each timing is repeated (--repeat, default
3) and the median reported. Prints a table with progress, and writes it as JSON
and Markdown (figures, ratios to the limit, machine facts) to --out.

Usage: scripts/benchmark.py [--data DIR] [--out DIR] [--repeat N] [--scale national]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

# Runs a command and prints its peak RSS (kB) of the command's process tree.
RSS_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)

LIMIT_SQL = """
select person_id,
       year(period_month) * 4 + quarter(period_month) - 1 as quarter_index,
       sum(paid_hours) as paid_hours
from read_parquet('{payroll}')
group by all
"""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def measured(command: list[str], env: dict | None = None, label: str = "") -> tuple[float, int]:
    """Seconds and peak RSS (MB) of one command; raises when it fails."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", RSS_WRAPPER, *command], cwd=ROOT,
                          env={**os.environ, **(env or {})}, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr)[-4000:]
        raise SystemExit(f"benchmark: step '{label}' failed ({' '.join(command[:3])} …):\n{tail}")
    rss_kb = int(next(line.split()[1] for line in proc.stderr.splitlines() if line.startswith("PEAK_RSS_KB")))
    return seconds, rss_kb // 1024


def repeat(label: str, times: int, command: list[str], env: dict | None = None,
           before=None) -> dict:
    seconds, peaks = [], []
    for attempt in range(1, times + 1):
        if before:
            before()
        log(f"{label}: run {attempt}/{times} …")
        s, rss = measured(command, env, label)
        log(f"{label}: run {attempt}/{times} took {s:.1f} s, peak {rss} MB")
        seconds.append(s)
        peaks.append(rss)
    return {"step": label, "median_seconds": round(statistics.median(seconds), 2),
            "runs_seconds": [round(s, 2) for s in seconds], "peak_rss_mb": max(peaks)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "data" / "national",
                        help="national Parquet directory (generated when absent)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmark")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", default="national")
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    results = []

    if args.regenerate or not (args.data / "payroll.parquet").exists():
        log(f"generating {args.scale} data in {args.data} …")
        s, rss = measured([sys.executable, str(ROOT / "scripts" / "generate_raw.py"), "--scale", args.scale,
                           "--format", "parquet", "--out", str(args.data)], label="generate")
        results.append({"step": "generate (once)", "median_seconds": round(s, 2), "runs_seconds": [round(s, 2)],
                        "peak_rss_mb": rss})
        log(f"generated in {s:.1f} s")

    import duckdb  # noqa: PLC0415 (only needed here)
    with duckdb.connect() as con:
        counts = {t: con.execute(f"select count(*) from read_parquet('{args.data / (t + '.parquet')}')").fetchone()[0]
                  for t in ["persons", "residences", "register_spells", "payroll", "sheltered_work_requests"]}
    log("data: " + ", ".join(f"{t} {c:,}" for t, c in counts.items()))

    limit_script = (
        "import duckdb, sys\n"
        f"con = duckdb.connect(); con.execute(\"set threads = {os.environ.get('DUCKDB_THREADS', '2')}\")\n"
        f"con.execute(\"\"\"create temp table limit_result as {LIMIT_SQL.format(payroll=args.data / 'payroll.parquet')}\"\"\")\n"
    )
    results.append(repeat("limit (one payroll scan)", args.repeat, [sys.executable, "-c", limit_script]))

    warehouse = args.out / "national.duckdb"
    dbt_env = {"WAREHOUSE_PATH": str(warehouse), "DBT_PROFILES_DIR": str(ROOT)}
    dbt_vars = json.dumps({"raw_path": str(args.data), "raw_format": "parquet"})
    target = ["--target-path", str(args.out / "target"), "--log-path", str(args.out / "logs")]

    def fresh() -> None:
        for suffix in ("", ".wal"):
            Path(str(warehouse) + suffix).unlink(missing_ok=True)

    results.append(repeat("full build, models only", args.repeat,
                          [str(BIN / "dbt"), "build", "--exclude", "test_type:data", "test_type:unit",
                           "--vars", dbt_vars, *target], dbt_env, before=fresh))
    run_results = json.loads((args.out / "target" / "run_results.json").read_text())
    model_seconds = sum(r["execution_time"] for r in run_results["results"] if r["unique_id"].startswith("model."))
    results[-1]["model_seconds_in_dbt"] = round(model_seconds, 2)
    results.append(repeat("full build, with tests", args.repeat,
                          [str(BIN / "dbt"), "build", "--vars", dbt_vars, *target], dbt_env, before=fresh))

    limit = next(r for r in results if r["step"].startswith("limit"))["median_seconds"]
    for r in results:
        r["ratio_to_limit"] = round(r["median_seconds"] / limit, 1) if limit else None
    machine = {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
               "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
               "duckdb_threads": os.environ.get("DUCKDB_THREADS", "2"),
               "duckdb_memory_limit": os.environ.get("DUCKDB_MEMORY_LIMIT", "4GB")}
    report = {"data": counts, "machine": machine, "repeat": args.repeat, "results": results,
              "measured_at": time.strftime("%Y-%m-%d %H:%M")}
    (args.out / "benchmark.json").write_text(json.dumps(report, indent=2))
    lines = [f"Measured {report['measured_at']} on {machine['cpus']} cores, {machine['memory_gb']} GB "
             f"(DuckDB threads {machine['duckdb_threads']}, memory_limit {machine['duckdb_memory_limit']}); "
             f"payroll {counts['payroll']:,} rows, persons {counts['persons']:,}. Median of {args.repeat} runs.",
             "", "| step | median (s) | runs (s) | × limit | peak RSS (MB) |", "|---|---:|---|---:|---:|"]
    for r in results:
        lines.append(f"| {r['step']} | {r['median_seconds']} | {', '.join(map(str, r['runs_seconds']))} "
                     f"| {r['ratio_to_limit']} | {r['peak_rss_mb']} |")
    markdown = "\n".join(lines) + "\n"
    (args.out / "benchmark.md").write_text(markdown)
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
