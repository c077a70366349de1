"""Helpers for the Spark tests (test_spark_equivalence.py, test_spark_scenarios.py): one
dbt build on a local Spark (`.venv-spark`), the export of its relations as Parquet
(`scripts/spark_export.py`) and the comparison with a DuckDB warehouse, key by key on
each mart's declared grain, value by value."""
from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT

from banenafspraak.registry import declared_grains, ensure_artifacts, load_artifacts

SPARK_VENV = ROOT / ".venv-spark" / "bin"
# Spark settings for the tests' small data (profiles.yml): one shuffle partition, no
# adaptive planning, no whole-stage code generation; about 15 % less time per query
SMALL_DATA = {"SPARK_SHUFFLE_PARTITIONS": "1", "SPARK_ADAPTIVE": "false", "SPARK_CODEGEN": "false"}


def grains() -> dict[str, list[str]]:
    """Each mart's grain as its tests declare it (unique_combination_of_columns or a unique
    column), from the project's manifest: one definition, shared with the privacy check."""
    target = ROOT / "target"
    ensure_artifacts(target)
    return declared_grains(load_artifacts(target)[1])


# publication_info describes the run (run id, time, engine): different by design
NOT_COMPARED = {"publication_info"}


def spark_ready() -> None:
    if not (SPARK_VENV / "dbt").exists():
        pytest.fail("no .venv-spark: run `make setup-spark` (make test does it first)")
    if subprocess.run(["java", "-version"], capture_output=True).returncode != 0:
        pytest.fail("no Java: Spark needs Java 17 (Debian: openjdk-17-jre-headless)")


def spark_build(directory: Path, dbt_vars: dict | None, *select: str,
                relations: list[str] | None = None) -> Path:
    """One dbt invocation on Spark, then the export (the marts and two audit tables, or the
    relations named); returns the export directory."""
    spark_ready()
    env = {**os.environ, "DBT_PROFILES_DIR": str(ROOT), "SPARK_HOME_DIR": str(directory / "spark"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", **SMALL_DATA}
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
