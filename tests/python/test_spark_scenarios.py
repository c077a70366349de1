"""The raw-file route (`raw_path`) on Apache Spark gives what it gives on DuckDB.

The hand-made register scenario (`tests/fixtures/scenario_register`) is built on Spark
from CSV and from Parquet and compared with its DuckDB build: from Parquet the marts,
from CSV the staging models (the two routes differ only in reading and casting the
files; from staging on, the same SQL runs on the same typed columns, which the Parquet
build and the demo build in test_spark_equivalence.py compare). A malformed CSV line and
a supplied reference file are checked on Spark too.

`make test` sets up `.venv-spark` and Java 17 first (`make setup-spark`).
"""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import typed_variants
from conftest import FIXTURES, ROOT
from spark import SMALL_DATA, SPARK_VENV, differences, spark_build, spark_ready

pytestmark = pytest.mark.slow


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
    spark_ready()
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES / "scenario_register" / "raw", raw)
    with open(raw / "persons.csv", "a") as handle:
        handle.write("PZ1,1990-01-01,F,,SECRET-4711\nPZ2,1990-01-01\n")
    env = {**os.environ, "DBT_PROFILES_DIR": str(ROOT), "SPARK_HOME_DIR": str(tmp_path / "spark"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", **SMALL_DATA}
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
    spark_ready()
    municipalities = [line.split(",")[0] for line in
                      (ROOT / "seeds" / "reference" / "municipality_region.csv").read_text().splitlines()[1:]]
    file = tmp_path / "Bijlage II, it's" / "quota.csv"
    file.parent.mkdir()
    lines = [f"{m},2022,{-4 if i == 0 else 1}" for i, m in enumerate(municipalities)] + ["GM9999,2022,3"]
    file.write_text("gemeente_code,year,quota_places\n" + "\n".join(lines) + "\n")
    env = {**os.environ, "DBT_PROFILES_DIR": str(ROOT), "SPARK_HOME_DIR": str(tmp_path / "spark"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", **SMALL_DATA}
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
