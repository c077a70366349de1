#!/usr/bin/env python3
"""Writes raw CSV files as Parquet the way Spark does by default (run in .venv-spark).

Two conventions, each a directory under TARGET with <table>.parquet files:
- spark_dates: dates cast to DateType (Parquet DATE), hours to DoubleType;
- spark_timestamps_amsterdam: session time zone Europe/Amsterdam, dates cast to
  TimestampType (midnight in Amsterdam), written as Spark's default INT96 (a UTC
  instant: 22:00 or 23:00 UTC the day before), hours DoubleType.
Text stays text (an empty field is NULL). Spark refuses INT96 values before 1900
unless told the calendar is already right (int96RebaseModeInWrite CORRECTED), as a
user writing such dates must set too. Used by test_typed_inputs.py.

Usage: .venv-spark/bin/python tests/python/spark_write_typed.py SOURCE_DIR TARGET_DIR COLUMNS_JSON
(COLUMNS_JSON: {"tables": [...], "dates": [...], "hours": [...]}, from typed_variants.py)
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path


def main(source: Path, target: Path, columns: dict) -> None:
    TABLES, DATES, HOURS = columns["tables"], columns["dates"], columns["hours"]
    from pyspark.sql import SparkSession, functions as F  # only in .venv-spark

    spark = (SparkSession.builder.master("local[1]").appName("typed-raw-writer")
             .config("spark.ui.enabled", "false")
             .config("spark.sql.shuffle.partitions", "1")
             .config("spark.sql.parquet.int96RebaseModeInWrite", "CORRECTED")
             .config("spark.sql.parquet.datetimeRebaseModeInWrite", "CORRECTED")
             .getOrCreate())
    for variant, time_zone, date_type in (("spark_dates", "UTC", "date"),
                                          ("spark_timestamps_amsterdam", "Europe/Amsterdam", "timestamp")):
        spark.conf.set("spark.sql.session.timeZone", time_zone)
        folder = target / variant
        folder.mkdir(parents=True, exist_ok=True)
        for table in TABLES:
            frame = spark.read.option("header", True).csv(str(source / f"{table}.csv"))
            for column in frame.columns:
                if column in DATES:
                    frame = frame.withColumn(column, F.col(column).cast(date_type))
                elif column in HOURS:
                    frame = frame.withColumn(column, F.col(column).cast("double"))
            written = folder / f".{table}.spark"
            frame.coalesce(1).write.mode("overwrite").parquet(str(written))
            part = next(written.glob("part-*.parquet"))
            shutil.move(str(part), folder / f"{table}.parquet")
            shutil.rmtree(written)
    spark.stop()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3]))
