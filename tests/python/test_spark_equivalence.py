"""The same models on Apache Spark give the same marts as on DuckDB.

Builds the demo on Spark (dbt-spark, a local SparkSession, `.venv-spark`) with one
`dbt build --target spark --full-refresh` (seeds, models, data tests and unit
tests), exports the marts, `audit.reconciliation` and `audit.disclosure_figures_exact`
(every figure the public layer may show) with
`scripts/spark_export.py`, and compares them with the DuckDB demo build row by
row (on each mart's grain) and value by value, decimals at their declared scale.
Any difference fails with the mart, the key and both values. The raw-file route
(the hand-made register scenario) is compared in test_spark_scenarios.py, a file of
its own so that pytest's two workers run the two Spark files side by side.

On Spark the build leaves out dbt's own `not_null` tests (321 of 489 data tests, one
`where column is null` each, the same SQL on every adapter; about a second each on a
local Spark): every test this project wrote (generic and singular), `unique`,
`accepted_values` and `relationships` run on both engines.

`make test` sets up `.venv-spark` and Java 17 first (`make setup-spark`).
"""
from __future__ import annotations

import duckdb
import pytest
from spark import differences, spark_build

pytestmark = pytest.mark.slow


def test_the_demo_gives_the_same_marts_on_spark_and_duckdb(demo_warehouse, tmp_path_factory):
    export = spark_build(tmp_path_factory.mktemp("spark_demo"), None, "--exclude", "test_name:not_null")
    diff = differences(demo_warehouse.path, export)
    assert not diff, "Spark and DuckDB differ:\n" + "\n".join(diff)


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
