#!/usr/bin/env python3
"""Export the marts and two audit tables of a Spark build to Parquet.

Runs in `.venv-spark` after `make build-spark`: opens the same local Spark
warehouse and Derby metastore as dbt's `spark` target (SPARK_HOME_DIR, default
target/spark) and writes every table of schema `marts`, `audit.reconciliation`
and `audit.disclosure_figures_exact` under --out, one Parquet directory per
table (<schema>.<table>.parquet, written by Spark). The Spark equivalence test
reads them with DuckDB and compares them with the DuckDB build, row by row and
value by value. --relations names other relations instead (schema.name, views too),
e.g. the staging models of a build that stopped there.

Usage:
  .venv-spark/bin/python scripts/spark_export.py --out target/spark-export
  .venv-spark/bin/python scripts/spark_export.py --out DIR --relations staging.stg_raw__persons
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

TABLES = ["audit.reconciliation", "audit.disclosure_figures_exact"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="output directory")
    parser.add_argument("--home", default=os.environ.get("SPARK_HOME_DIR", "target/spark"),
                        help="the Spark warehouse and metastore directory (SPARK_HOME_DIR)")
    parser.add_argument("--relations", nargs="+", metavar="SCHEMA.NAME",
                        help="export these relations instead of the marts and the two audit tables")
    args = parser.parse_args(argv)
    from pyspark.sql import SparkSession  # only in .venv-spark

    t0 = time.perf_counter()
    spark = (SparkSession.builder.enableHiveSupport()
             .config("spark.sql.warehouse.dir", f"{args.home}/warehouse")
             .config("spark.hadoop.javax.jdo.option.ConnectionURL",
                     f"jdbc:derby:;databaseName={args.home}/metastore_db;create=false")
             .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "4g"))
             .config("spark.sql.shuffle.partitions", "4")
             .config("spark.ui.enabled", "false")
             .config("spark.sql.session.timeZone", "UTC")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    if args.relations:
        names = list(args.relations)
    else:
        marts = [f"marts.{row.tableName}" for row in spark.sql("show tables in marts").collect()
                 if not row.isTemporary]
        if not marts:
            print(f"spark_export: no tables in schema marts under {args.home}; run make build-spark",
                  file=sys.stderr)
            return 1
        names = sorted(marts) + TABLES
    args.out.mkdir(parents=True, exist_ok=True)
    for name in names:
        frame = spark.table(name)
        frame.coalesce(1).write.mode("overwrite").parquet(str(args.out / f"{name}.parquet"))
        print(f"[{time.perf_counter() - t0:6.1f}s] {name}: {frame.count():,} rows", flush=True)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
