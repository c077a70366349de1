"""The same models on Apache Spark give the same marts as on DuckDB.

Builds the demo on Spark (dbt-spark, a local SparkSession, `.venv-spark`) with one
`dbt build --target spark --full-refresh` (seeds, models, data tests and unit
tests), exports the marts, `audit.reconciliation` and `audit.disclosure_figures_exact`
(every figure the public layer may show) with
`scripts/spark_export.py`, and compares them with the DuckDB demo build row by
row (on each mart's grain) and value by value, decimals at their declared scale.
Any difference fails with the mart, the key and both values. The hand-made
register scenario (`tests/fixtures/scenario_register`) is built once more on
Spark through the raw-file route (`raw_path`), from CSV and from Parquet, and
compared: from Parquet the marts, from CSV the staging models (the two routes differ
only in reading and casting the files; from staging on, the same SQL runs on the same
typed columns, which the Parquet build and the demo build compare).

On Spark the build leaves out dbt's own `not_null` tests (321 of 489 data tests, one
`where column is null` each, the same SQL on every adapter; about a second each on a
local Spark): every test this project wrote (generic and singular), `unique`,
`accepted_values` and `relationships` run on both engines.

`make test` sets up `.venv-spark` and Java 17 first (`make setup-spark`).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

import typed_variants
from banenafspraak.registry import declared_grains, ensure_artifacts, load_artifacts
from conftest import FIXTURES, ROOT

SPARK_VENV = ROOT / ".venv-spark" / "bin"

def grains() -> dict[str, list[str]]:
    """Each mart's grain as its tests declare it (unique_combination_of_columns or a unique
    column), from the project's manifest: one definition, shared with the privacy check."""
    target = ROOT / "target"
    ensure_artifacts(target)
    return declared_grains(load_artifacts(target)[1])


# publication_info describes the run (run id, time, engine): different by design
NOT_COMPARED = {"publication_info"}

pytestmark = pytest.mark.slow


def _spark_ready() -> None:
    if not (SPARK_VENV / "dbt").exists():
        pytest.fail("no .venv-spark: run `make setup-spark` (make test does it first)")
    if subprocess.run(["java", "-version"], capture_output=True).returncode != 0:
        pytest.fail("no Java: Spark needs Java 17 (Debian: openjdk-17-jre-headless)")


def spark_build(directory: Path, dbt_vars: dict | None, *select: str,
                relations: list[str] | None = None) -> Path:
    """One dbt invocation on Spark, then the export (the marts and two audit tables, or the
    relations named); returns the export directory."""
    _spark_ready()
    env = {**os.environ, "DBT_PROFILES_DIR": str(ROOT), "SPARK_HOME_DIR": str(directory / "spark"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    command = [str(SPARK_VENV / "dbt"), "build", "--target", "spark", "--full-refresh",
               "--target-path", str(directory / "target"),
               "--log-path", str(directory / "target" / "logs"), *select]
    if dbt_vars:
        command += ["--vars", str(dbt_vars)]
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    print(f"spark build: {time.perf_counter() - started:.0f} s")
    assert proc.returncode == 0, f"dbt build on Spark failed:\n{(proc.stdout + proc.stderr)[-6000:]}"
    out = directory / "export"
    export = [str(SPARK_VENV / "python"), "scripts/spark_export.py", "--out", str(out)]
    if relations:
        export += ["--relations", *relations]
    proc = subprocess.run(export, cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, f"export from Spark failed:\n{(proc.stdout + proc.stderr)[-4000:]}"
    return out


def differences(duckdb_file: Path, export: Path, limit: int = 30,
                relations: list[str] | None = None) -> list[str]:
    """Every difference between the DuckDB marts (or the relations named) and the Spark
    export, as text. A relation with a declared grain is compared key by key; one
    without (a staging model) as a multiset of rows."""
    found: list[str] = []
    grain = grains()
    with duckdb.connect() as con:
        con.execute(f"attach '{duckdb_file}' as duck (read_only)")
        if relations:
            tables = [tuple(name.split(".", 1)) for name in relations]
        else:
            tables = [(s, t) for s, t in con.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_catalog = 'duck' and (table_schema = 'marts' or (table_schema = 'audit' "
                "and table_name in ('reconciliation', 'disclosure_figures_exact'))) "
                "order by all").fetchall() if t not in NOT_COMPARED]
        exported = {p.name.removesuffix(".parquet") for p in export.glob("*.parquet")}
        wanted = {f"{s}.{t}" for s, t in tables}
        for name in sorted(wanted ^ (exported - {f"marts.{t}" for t in NOT_COMPARED})):
            found.append(f"{name}: only on {'DuckDB' if name in wanted else 'Spark'}")
        for schema, table in tables:
            name = f"{schema}.{table}"
            if name not in exported:
                continue
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = 'duck' and table_schema = ? and table_name = ? "
                "order by ordinal_position",
                [schema, table]).fetchall()
            spark_columns = {r[0] for r in con.execute(
                f"describe select * from read_parquet('{export / (name + '.parquet')}/*.parquet')"
            ).fetchall()}
            missing = [c for c, _ in columns if c not in spark_columns]
            if missing or len(spark_columns) != len(columns):
                found.append(f"{name}: columns differ (DuckDB {[c for c, _ in columns]}, "
                             f"Spark {sorted(spark_columns)})")
                continue
            # Spark's values at DuckDB's declared types (decimals at their declared scale)
            con.execute(f"""create or replace temp view spark_side as select {', '.join(
                f'cast("{c}" as {t}) as "{c}"' for c, t in columns)}
                from read_parquet('{export / (name + '.parquet')}/*.parquet')""")
            if relations and table not in grain:
                for side, first, second in (("DuckDB", f"duck.{schema}.{table}", "spark_side"),
                                            ("Spark", "spark_side", f"duck.{schema}.{table}")):
                    for row in con.execute(f"select * from {first} except all select * from {second} "
                                           f"order by all limit {limit}").fetchall():
                        found.append(f"{name}: only on {side}: {row}")
                continue
            key = grain.get(table) or [columns[0][0]]
            values = [c for c, _ in columns if c not in key]
            rows = con.execute(f"""
                select {', '.join(f'coalesce(d."{k}", s."{k}")' for k in key)},
                       d."{key[0]}" is null as only_spark, s."{key[0]}" is null as only_duckdb,
                       {', '.join(f'd."{c}", s."{c}"' for c in values) or 'null, null'}
                from duck.{schema}.{table} as d
                full outer join spark_side as s
                    on {' and '.join(f'd."{k}" is not distinct from s."{k}"' for k in key)}
                where d."{key[0]}" is null or s."{key[0]}" is null
                   {''.join(f' or d."{c}" is distinct from s."{c}"' for c in values)}
                order by all limit {limit}""").fetchall()
            for row in rows:
                k = dict(zip(key, row[:len(key)]))
                if row[len(key)]:
                    found.append(f"{name} {k}: only on Spark")
                elif row[len(key) + 1]:
                    found.append(f"{name} {k}: only on DuckDB")
                else:
                    pairs = row[len(key) + 2:]
                    for i, column in enumerate(values):
                        d, s = pairs[2 * i], pairs[2 * i + 1]
                        if d != s:
                            found.append(f"{name} {k} {column}: DuckDB {d!r}, Spark {s!r}")
            counts = con.execute(
                f"select (select count(*) from duck.{schema}.{table}), (select count(*) from spark_side)"
            ).fetchone()
            if counts[0] != counts[1]:
                found.append(f"{name}: {counts[0]} rows on DuckDB, {counts[1]} on Spark")
    return found[:limit]


def test_the_demo_gives_the_same_marts_on_spark_and_duckdb(demo_warehouse, tmp_path_factory):
    export = spark_build(tmp_path_factory.mktemp("spark_demo"), None, "--exclude", "test_name:not_null")
    diff = differences(demo_warehouse.path, export)
    assert not diff, "Spark and DuckDB differ:\n" + "\n".join(diff)


@pytest.mark.parametrize("raw_format", ["csv", "parquet"])
def test_the_register_scenario_gives_the_same_marts_on_spark(scenario_warehouse, tmp_path_factory,
                                                            raw_format):
    """The raw-file route (raw_path) on Spark, from CSV and from typed Parquet (dates as
    timestamps with time zone at midnight in Amsterdam, hours as FLOAT, as pandas
    writes them), compared with the DuckDB build of the CSV files: from Parquet every
    model and the marts; from CSV the staging models, where the routes part."""
    raw = FIXTURES / "scenario_register" / "raw"
    directory = tmp_path_factory.mktemp(f"spark_scenario_{raw_format}")
    relations = None
    select: tuple[str, ...] = ("--exclude", "resource_type:test", "resource_type:unit_test")
    if raw_format == "parquet":
        typed_variants.write_variant(raw, directory / "raw", typed_variants.pandas_amsterdam)
        raw = directory / "raw"
    else:
        relations = [f"staging.stg_raw__{table}" for table in typed_variants.TABLES]
        select = ("--select", *(name.split(".")[1] for name in relations))
    export = spark_build(directory, {"raw_path": str(raw), "raw_format": raw_format}, *select,
                         relations=relations)
    diff = differences(scenario_warehouse.path, export, relations=relations)
    assert not diff, f"Spark ({raw_format}) and DuckDB differ on the register scenario:\n" + "\n".join(diff)


def test_a_malformed_csv_line_stops_the_spark_build_without_its_values(tmp_path):
    """On Spark too: every CSV line is parsed by the input check and a malformed one stops
    the build before any model, naming the file, never the line's values (Spark's own
    FAILFAST error would print the line)."""
    _spark_ready()
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES / "scenario_register" / "raw", raw)
    with open(raw / "persons.csv", "a") as handle:
        handle.write("PZ1,1990-01-01,F,,SECRET-4711\nPZ2,1990-01-01\n")
    env = {**os.environ, "DBT_PROFILES_DIR": str(ROOT), "SPARK_HOME_DIR": str(tmp_path / "spark"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    proc = subprocess.run([str(SPARK_VENV / "dbt"), "run", "--target", "spark", "--select", "stg_raw__persons",
                           "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
                           "--vars", str({"raw_path": str(raw), "raw_format": "csv"})],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert f"raw file {raw}/persons.csv has 2 malformed CSV line(s)" in output, output[-3000:]
    assert "SECRET-4711" not in output and "SECRET-4711" not in (tmp_path / "logs" / "dbt.log").read_text()


def test_a_supplied_reference_file_is_read_and_checked_on_spark(tmp_path):
    """The reference-input route on Spark (a table over the user's CSV file, every value as
    text): a quota file at a path with a quote and a space, with one negative quota and one
    unknown municipality, is read and fails supplied_sheltered_work_quota_valid with exactly
    those two rows."""
    _spark_ready()
    municipalities = [line.split(",")[0] for line in
                      (ROOT / "seeds" / "reference" / "municipality_region.csv").read_text().splitlines()[1:]]
    file = tmp_path / "Bijlage II, it's" / "quota.csv"
    file.parent.mkdir()
    lines = [f"{m},2022,{-4 if i == 0 else 1}" for i, m in enumerate(municipalities)] + ["GM9999,2022,3"]
    file.write_text("gemeente_code,year,quota_places\n" + "\n".join(lines) + "\n")
    env = {**os.environ, "DBT_PROFILES_DIR": str(ROOT), "SPARK_HOME_DIR": str(tmp_path / "spark"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    proc = subprocess.run([str(SPARK_VENV / "dbt"), "build", "--target", "spark",
                           "--select", "stg_inputs__sheltered_work_quota", "municipality_region",
                           "--exclude", "test_name:relationships",
                           "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
                           "--vars", str({"sheltered_work_quota_csv": str(file)})],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert f"reference input: sheltered_work_quota from {file}" in output, output[-3000:]
    assert "FAIL 2 supplied_sheltered_work_quota_valid" in output, output[-3000:]


def test_the_comparison_reports_a_changed_value(demo_warehouse, tmp_path):
    """The comparison itself can fail: a mart exported from DuckDB with one value
    changed is reported with its mart, key and both values."""
    out = tmp_path / "export"
    out.mkdir()
    with duckdb.connect() as con:
        con.execute(f"attach '{demo_warehouse.path}' as duck (read_only)")
        for schema, table in con.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_catalog = 'duck' and (table_schema = 'marts' "
                "or (table_schema = 'audit' and table_name in ('reconciliation', 'disclosure_figures_exact')))"
        ).fetchall():
            (out / f"{schema}.{table}.parquet").mkdir()
            con.execute(f"copy (select * from duck.{schema}.{table}) to "
                        f"'{out}/{schema}.{table}.parquet/part-0.parquet' (format parquet)")
        con.execute(f"""copy (select * replace (case when region_code = 'AM02'
                            and quarter_label = '2023Q4' and target_group = 'wajong'
                            then jobs + 0.000001 else jobs end as jobs)
                        from duck.marts.fct_register_quarter)
                        to '{out}/marts.fct_register_quarter.parquet/part-0.parquet' (format parquet)""")
    assert differences(demo_warehouse.path, out) == [
        "marts.fct_register_quarter {'quarter_label': '2023Q4', 'region_code': 'AM02', "
        "'target_group': 'wajong'} jobs: DuckDB "
        + repr(demo_warehouse.query("select jobs from marts.fct_register_quarter where region_code = "
                                    "'AM02' and quarter_label = '2023Q4' and target_group = 'wajong'")[0][0])
        + ", Spark "
        + repr(demo_warehouse.query("select jobs + 0.000001 from marts.fct_register_quarter where "
                                    "region_code = 'AM02' and quarter_label = '2023Q4' and "
                                    "target_group = 'wajong'")[0][0])]
