"""Measure the warehouse at national scale on this machine.

Generates (or reuses) national-scale Parquet with the raw generator (synthetic/raw.py): the
extract through the last quarter (--data) and the same extract as it was one
quarter earlier (--data-previous, written with --through). Then times, on those
files:
  * limit: one DuckDB query that scans the payroll once and sums paid hours per
    person per quarter (the floor any correct build pays);
  * full build, models only: `dbt build --exclude test_type:data test_type:unit`;
  * full build with tests: `dbt build`;
  * incremental: the warehouse built on the previous extract, refreshed with the
    new one (one more quarter, and whatever changed within the look-back window),
    models only, as a data engineer does every quarter;
  * write floor: only writing the tables the incremental models keep (the
    person-level layers and the breakdown mart; copied from the built warehouse
    into a new DuckDB file, nothing computed), the part of any build that keeping
    those layers as incremental tables makes unavoidable;
and the peak memory (RSS) of each step. dbt runs as the README's commands run it: with the
profile's defaults (profiles.yml: one model at a time with a raw extract, DuckDB's memory
limit 50% of the machine), unless DBT_THREADS, DUCKDB_THREADS or DUCKDB_MEMORY_LIMIT are
set in the environment. Each timing is
repeated (--repeat, default 3) and the median reported, as wall time and as model time (the models'
own execution times from dbt's run_results.json, without dbt's start-up). Prints
progress and a table, and writes it as JSON and Markdown to --out.

With --spark it measures instead one full build (models only) of the same
national files on a local Spark session (dbt-spark, `.venv-spark`, `make
setup-spark`) and writes benchmark-spark.json/.md beside the DuckDB report, with
DuckDB's full build from benchmark.json next to it. Once, not repeated: it takes
long, and a 2-core machine is not a cluster, so there is no target for it.

Usage: scripts/benchmark.py [--data DIR] [--out DIR] [--repeat N] [--spark]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from banenafspraak.config import ROOT, Logger
from banenafspraak.sql import sql_literal
from banenafspraak.synthetic.common import TABLES

BIN = Path(sys.executable).parent

# Runs a command and reports the peak RSS (kB) of its process tree.
RSS_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)

LIMIT_SQL = """
create temp table limit_result as
select person_id,
       year(period_month) * 4 + quarter(period_month) - 1 as quarter_index,
       sum(paid_hours) as paid_hours
from read_parquet({payroll})
group by all
"""


# Copies the tables of the incremental models (the person-level layers) into a new file.
WRITE_FLOOR_SCRIPT = """
import duckdb, pathlib, sys
out = pathlib.Path(sys.argv[2])
for suffix in ('', '.wal'):
    pathlib.Path(str(out) + suffix).unlink(missing_ok=True)
con = duckdb.connect(str(out))
con.execute("set threads = {threads}; set memory_limit = '{memory_limit}'")
con.execute("attach '" + sys.argv[1].replace("'", "''") + "' as built (read_only)")  # a quote doubled, as sql_literal
for table in sys.argv[3:]:  # schema.table
    con.execute(f"create table {{table.replace('.', '__')}} as select * from built.{{table}}")
con.execute("checkpoint")
"""

DURABILITY_MODELS = ["int_payroll_employment_starts", "int_work_durability_cohort",
                     "fct_work_durability_year", "fct_participation_year"]


log = Logger()


def limit_command(data: Path) -> list[str]:
    """The limit: one DuckDB query that scans the extract's payroll once (LIMIT_SQL)."""
    threads = os.environ.get("DUCKDB_THREADS", "2")
    limit_sql = LIMIT_SQL.format(payroll=sql_literal(data / "payroll.parquet"))
    return [sys.executable, "-c", "import duckdb\n"
            f"con = duckdb.connect(); con.execute(\"set threads = {threads}\")\n"
            f"con.execute(\"\"\"{limit_sql}\"\"\")\n"]


def measured(command: list[str], env: dict | None = None, label: str = "") -> tuple[float, int]:
    """Seconds and peak RSS (MB) of one command; stops the benchmark when it fails."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", RSS_WRAPPER, *command], cwd=ROOT,
                          env={**os.environ, **(env or {})}, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"benchmark: step '{label}' failed:\n{(proc.stdout + proc.stderr)[-4000:]}")
    rss_kb = int(next(line.split()[1] for line in proc.stderr.splitlines() if line.startswith("PEAK_RSS_KB")))
    return seconds, rss_kb // 1024


def model_seconds(target: Path) -> tuple[float, dict[str, float]]:
    results = json.loads((target / "run_results.json").read_text())["results"]
    per_model = {r["unique_id"].split(".")[-1]: r["execution_time"] for r in results
                 if r["unique_id"].startswith("model.")}
    return sum(per_model.values()), per_model


def repeat(label: str, times: int, command: list[str], env: dict | None = None, before=None,
           target: Path | None = None) -> dict:
    walls, models, peaks, per_model_runs = [], [], [], []
    for attempt in range(1, times + 1):
        if before:
            before()
        log(f"{label}: run {attempt}/{times} …")
        wall, rss = measured(command, env, label)
        walls.append(wall)
        peaks.append(rss)
        note = ""
        if target is not None:
            total, per_model = model_seconds(target)
            models.append(total)
            per_model_runs.append(per_model)
            note = f", models {total:.1f} s"
        log(f"{label}: run {attempt}/{times} took {wall:.1f} s{note}, peak {rss} MB")
    result = {"step": label, "median_seconds": round(statistics.median(walls), 2),
              "runs_seconds": [round(s, 2) for s in walls], "peak_rss_mb": max(peaks)}
    if models:
        result["median_model_seconds"] = round(statistics.median(models), 2)
        names = per_model_runs[0].keys()
        result["model_seconds"] = {n: round(statistics.median(r.get(n, 0) for r in per_model_runs), 2)
                                   for n in names}
    return result


def generate(out: Path, *extra: str) -> dict:
    log(f"generating national data in {out} {' '.join(extra)} …")
    seconds, rss = measured([sys.executable, "-m", "banenafspraak.synthetic.raw", "--scale", "national",
                             "--format", "parquet", "--out", str(out), *extra], label="generate")
    log(f"generated in {seconds:.1f} s (peak {rss} MB)")
    return {"step": f"generate {out.name} (once)", "median_seconds": round(seconds, 2),
            "runs_seconds": [round(seconds, 2)], "peak_rss_mb": rss}


def quarter_before(quarter: str) -> str:
    """The quarter before 'YYYYQn'."""
    year, q = int(quarter[:4]), int(quarter[5])
    return f"{year}Q{q - 1}" if q > 1 else f"{year - 1}Q4"


def extract_arguments(parser: argparse.ArgumentParser, out: Path) -> None:
    """The national extracts (--data, --data-previous, --last-quarter) and --out: shared
    with the national disclosure benchmark, which reads the same files."""
    parser.add_argument("--data", type=Path, default=ROOT.parent / "data" / "national",
                        help="national Parquet through the last quarter (generated when absent)")
    parser.add_argument("--data-previous", type=Path, default=None,
                        help="the same extract one quarter earlier (default: <data>_previous)")
    parser.add_argument("--last-quarter", default="2024Q4", help="last quarter of --data")
    parser.add_argument("--out", type=Path, default=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    extract_arguments(parser, ROOT / "benchmark")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--spark", action="store_true",
                        help="measure one full build on a local Spark session instead")
    args = parser.parse_args(argv)
    if args.spark:
        return spark_benchmark(args)
    previous_dir = args.data_previous or args.data.with_name(args.data.name + "_previous")
    year, q = int(args.last_quarter[:4]), int(args.last_quarter[5])
    previous_quarter = quarter_before(args.last_quarter)
    args.out.mkdir(parents=True, exist_ok=True)
    results = []
    if args.regenerate or not (args.data / "payroll.parquet").exists():
        results.append(generate(args.data))
    if args.regenerate or not (previous_dir / "payroll.parquet").exists():
        results.append(generate(previous_dir, "--through", previous_quarter))

    import duckdb  # noqa: PLC0415
    with duckdb.connect() as con:
        counts = {t: con.execute("select count(*) from read_parquet(?)",
                                 [str(args.data / (t + '.parquet'))]).fetchall()[0][0]
                  for t in TABLES}
        registered = con.execute(
            "select count(distinct person_id) from read_parquet(?) "
            "where valid_from <= cast(? as date) and (valid_until is null or valid_until > cast(? as date))",
            [str(args.data / "register_spells.parquet")] + [f"{year}-{3 * q:02d}-28"] * 2).fetchall()[0][0]
    log("data: " + ", ".join(f"{t} {c:,}" for t, c in counts.items()) + f"; about {registered:,} registered")

    threads = os.environ.get("DUCKDB_THREADS", "2")
    results.append(repeat("limit (one payroll scan)", args.repeat, limit_command(args.data)))

    warehouse = args.out / "national.duckdb"
    target = args.out / "target"
    # the profile's defaults unless the environment sets them (profiles.yml)
    dbt_threads = os.environ.get("DBT_THREADS", "1 (profile default with a raw extract)")
    memory_limit = os.environ.get("DUCKDB_MEMORY_LIMIT", "50%")
    dbt_env = {"WAREHOUSE_PATH": str(warehouse), "DBT_PROFILES_DIR": str(ROOT)}
    common = ["--target-path", str(target), "--log-path", str(args.out / "logs")]
    models_only = ["--exclude", "test_type:data", "test_type:unit"]

    def vars_for(path: Path) -> list[str]:
        return ["--vars", json.dumps({"raw_path": str(path), "raw_format": "parquet"})]

    def fresh() -> None:
        for suffix in ("", ".wal"):
            Path(str(warehouse) + suffix).unlink(missing_ok=True)

    dbt = str(BIN / "dbt")
    results.append(repeat("full build, models only", args.repeat,
                          [dbt, "build", *models_only, *vars_for(args.data), *common], dbt_env, fresh, target))
    results.append(repeat("full build, with tests", args.repeat,
                          [dbt, "build", *vars_for(args.data), *common], dbt_env, fresh, target))

    # the incremental models, from dbt's manifest of the builds above
    manifest = json.loads((target / "manifest.json").read_text())
    models = [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]
    incremental_models = sorted(node["name"] for node in models if node["config"].get("materialized") == "incremental")
    # schema.table of each: the person-level layers (intermediate) and the breakdown mart (marts)
    incremental_tables = sorted(f'{node["schema"]}.{node["name"]}' for node in models
                                if node["config"].get("materialized") == "incremental")
    floor_file = args.out / "write_floor.duckdb"
    floor_script = WRITE_FLOOR_SCRIPT.format(threads=threads,
                                             memory_limit=memory_limit)
    results.append(repeat("write floor: the incremental tables, copied", args.repeat,
                          [sys.executable, "-c", floor_script, str(warehouse), str(floor_file),
                           *incremental_tables]))
    for suffix in ("", ".wal"):
        Path(str(floor_file) + suffix).unlink(missing_ok=True)

    log(f"preparing the incremental step: a full build on the {previous_quarter} extract …")
    snapshot = args.out / "national_previous.duckdb"
    fresh()
    measured([dbt, "build", *models_only, *vars_for(previous_dir), *common], dbt_env, "previous build")
    shutil.copyfile(warehouse, snapshot)

    def from_snapshot() -> None:
        fresh()
        shutil.copyfile(snapshot, warehouse)

    results.append(repeat(f"incremental: {previous_quarter} → {args.last_quarter}, models only", args.repeat,
                          [dbt, "build", *models_only, *vars_for(args.data), *common], dbt_env, from_snapshot,
                          target))
    snapshot.unlink(missing_ok=True)

    limit = next(r for r in results if r["step"].startswith("limit"))["median_seconds"]
    full = next(r for r in results if r["step"] == "full build, models only")
    incremental = results[-1]
    for r in results:
        r["ratio_to_limit"] = round(r.get("median_model_seconds", r["median_seconds"]) / limit, 1)
    # where the refresh's time goes: the incremental models (only the window) and
    # everything dbt rebuilds in full each time (validation of the register tables,
    # durability, quarantine, marts, hooks)
    incremental_part = sum(seconds for name, seconds in incremental["model_seconds"].items()
                           if name in incremental_models)
    incremental["incremental_models_seconds"] = round(incremental_part, 2)
    incremental["rebuilt_in_full_seconds"] = round(incremental["median_model_seconds"] - incremental_part, 2)
    incremental["share_of_full_build_model_time"] = round(
        incremental["median_model_seconds"] / full["median_model_seconds"], 3)
    # the durability of work and yearly participation models (their own share of the build)
    durability = {name: seconds for name, seconds in full["model_seconds"].items() if name in DURABILITY_MODELS}
    full["durability_model_seconds"] = round(sum(durability.values()), 2)
    full["durability_share_of_model_time"] = round(sum(durability.values()) / full["median_model_seconds"], 3)
    machine = {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
               "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
               "duckdb_threads": threads, "dbt_threads": dbt_threads,
               "duckdb_memory_limit": memory_limit + ("" if "DUCKDB_MEMORY_LIMIT" in os.environ
                                                                else " (profile default)")}
    report = {"data": counts, "registered_last_quarter": registered, "machine": machine, "repeat": args.repeat,
              "results": results, "measured_at": time.strftime("%Y-%m-%d %H:%M")}
    (args.out / "benchmark.json").write_text(json.dumps(report, indent=2))
    lines = [f"Measured {report['measured_at']} on {machine['cpus']} cores, {machine['memory_gb']} GB "
             f"(dbt threads {machine['dbt_threads']}, DuckDB threads {machine['duckdb_threads']}, "
             f"memory_limit {machine['duckdb_memory_limit']}); "
             f"payroll {counts['payroll']:,} rows, persons {counts['persons']:,}, about {registered:,} "
             f"registered in {args.last_quarter}. Median of {args.repeat} runs.", "",
             "| step | wall (s) | models (s) | × limit | peak RSS (MB) |", "|---|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['step']} | {r['median_seconds']} | {r.get('median_model_seconds', '')} "
                     f"| {r['ratio_to_limit']} | {r['peak_rss_mb']} |")
    lines += ["", f"Incremental refresh: {100 * incremental['share_of_full_build_model_time']:.1f} % of the full "
                  f"build's model time: the incremental models {incremental['incremental_models_seconds']} s, "
                  f"what is rebuilt in full on every run (other models, hooks) "
                  f"{incremental['rebuilt_in_full_seconds']} s. × limit: model time (wall time for the limit, "
                  f"the write floor and generation) over the limit.",
              "", f"Durability of work and yearly participation ({', '.join(DURABILITY_MODELS)}): "
                  f"{full['durability_model_seconds']} s, {100 * full['durability_share_of_model_time']:.1f} % of the "
                  f"full build's model time.",
              "", "Slowest models in the full build (median s): " + ", ".join(
                  f"{name} {seconds}" for name, seconds in sorted(full["model_seconds"].items(),
                                                                 key=lambda item: -item[1])[:8])]
    markdown = "\n".join(lines) + "\n"
    (args.out / "benchmark.md").write_text(markdown)
    print(markdown)
    return 0


def spark_benchmark(args) -> int:
    """One full build (models only) of the national files on local Spark."""
    spark_dbt = ROOT / ".venv-spark" / "bin" / "dbt"
    if not spark_dbt.exists():
        raise SystemExit("benchmark --spark: no .venv-spark; run `make setup-spark` first")
    if not (args.data / "payroll.parquet").exists():
        raise SystemExit(f"benchmark --spark: no national data in {args.data}; run `make benchmark` first")
    args.out.mkdir(parents=True, exist_ok=True)
    home = args.out / "spark"
    target = args.out / "target-spark"
    env = {"DBT_PROFILES_DIR": str(ROOT), "SPARK_HOME_DIR": str(home),
           "SPARK_DRIVER_MEMORY": os.environ.get("SPARK_DRIVER_MEMORY", "8g")}
    command = [str(spark_dbt), "build", "--target", "spark", "--full-refresh",
               "--exclude", "test_type:data", "test_type:unit",
               "--vars", json.dumps({"raw_path": str(args.data), "raw_format": "parquet"}),
               "--target-path", str(target), "--log-path", str(target / "logs")]
    shutil.rmtree(home, ignore_errors=True)
    log(f"Spark (local session, driver memory {env['SPARK_DRIVER_MEMORY']}): full build, models only, once …")
    wall, rss = measured(command, env, "spark full build")
    total, per_model = model_seconds(target)
    # pyspark starts the JVM through spark-submit and does not wait for it, so the
    # process tree's peak RSS misses the JVM: it is not reported
    log(f"Spark: {wall:.1f} s wall, models {total:.1f} s")
    duck = None
    if (args.out / "benchmark.json").exists():
        previous = json.loads((args.out / "benchmark.json").read_text())
        duck = next((r for r in previous["results"] if r["step"] == "full build, models only"), None)
    report = {"step": "Spark (local session), full build, models only", "wall_seconds": round(wall, 2),
              "model_seconds": round(total, 2), "peak_rss_mb": None, "spark_driver_memory": env["SPARK_DRIVER_MEMORY"],
              "per_model_seconds": {n: round(v, 2) for n, v in per_model.items()},
              "duckdb_full_build_models_only": duck and {k: duck[k]
                                                         for k in ("median_seconds", "median_model_seconds")},
              "cpus": os.cpu_count(), "measured_at": time.strftime("%Y-%m-%d %H:%M")}
    (args.out / "benchmark-spark.json").write_text(json.dumps(report, indent=2))
    lines = [f"Measured {report['measured_at']} on {os.cpu_count()} cores, one run.", "",
             "| engine | full build, models only: wall (s) | models (s) | peak RSS (MB) |", "|---|---:|---:|---:|"]
    if duck:
        lines.append(f"| DuckDB (median of benchmark.json) | {duck['median_seconds']} | {duck['median_model_seconds']} "
                     f"| {duck['peak_rss_mb']} |")
    lines.append(f"| Spark, local session (driver {env['SPARK_DRIVER_MEMORY']}) | {report['wall_seconds']} "
                 f"| {report['model_seconds']} | not measured (JVM) |")
    lines += ["", "Slowest models on Spark (s): " + ", ".join(
        f"{n} {v:.1f}" for n, v in sorted(per_model.items(), key=lambda item: -item[1])[:8])]
    markdown = "\n".join(lines) + "\n"
    (args.out / "benchmark-spark.md").write_text(markdown)
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
