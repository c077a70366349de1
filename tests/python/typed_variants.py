"""The same raw data written as Parquet in the physical types real writers use.

Each variant turns the raw contract's CSV files of a directory into Parquet files
of one typing convention: text everywhere, DuckDB's DATE and DECIMAL, pandas'
defaults (datetime64[ns], float64), pandas with Amsterdam time zones, pyarrow
with UTC timestamps, dictionary-encoded codes and DECIMAL(38, 10), integer keys.
Spark's two conventions are written by spark_write_typed.py in the Spark venv.
The values are the same in every variant, so the warehouse must give the same
marts and the same quarantine from each (test_typed_inputs.py).
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from banenafspraak.synthetic.common import TABLES

KEYS = ["person_id", "employment_id", "employer_id", "spell_id", "request_id"]
DATES = ["birth_date", "date_of_death", "valid_from", "valid_until", "period_month", "employment_start",
         "request_date", "decision_date", "advice_valid_until"]
CODES = ["gender", "gemeente_code", "target_group", "inflow_reason", "outflow_reason", "sector",
         "contract_type", "employment_kind", "requester", "decision"]
HOURS = ["paid_hours"]


def read_text_table(path: Path) -> pa.Table:
    """A raw CSV file as strings, an empty field as NULL (as the CSV route reads it)."""
    names = path.read_text().splitlines()[0].split(",")
    return pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
        column_types={name: pa.string() for name in names}, strings_can_be_null=True,
        null_values=[""]))


def _pandas(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas()


def parquet_text(table: pa.Table, name: str) -> pa.Table:
    return table


def pandas_defaults(table: pa.Table, name: str) -> pd.DataFrame:
    """What df.to_parquet() writes after pd.read_csv(parse_dates=...): datetime64[ns], float64."""
    frame = _pandas(table)
    for column in frame.columns:
        if column in DATES:
            frame[column] = pd.to_datetime(frame[column])
        elif column in HOURS:
            frame[column] = frame[column].astype("float64")
    return frame


def pandas_amsterdam(table: pa.Table, name: str) -> pd.DataFrame:
    """Dates as midnight in Europe/Amsterdam (stored as 22:00 or 23:00 UTC the day before), hours float32."""
    frame = pandas_defaults(table, name)
    for column in frame.columns:
        if column in DATES:
            frame[column] = frame[column].dt.tz_localize("Europe/Amsterdam")
        elif column in HOURS:
            frame[column] = frame[column].astype("float32")
    return frame


def pyarrow_utc_dictionary(table: pa.Table, name: str) -> pa.Table:
    """Dates as UTC-midnight timestamps (ms), codes dictionary-encoded, hours DECIMAL(38, 10), keys large_string."""
    columns = []
    for column in table.column_names:
        values = table[column]
        if column in DATES:
            values = values.cast(pa.date32()).cast(pa.timestamp("ms")).cast(pa.timestamp("ms", tz="UTC"))
        elif column in CODES:
            values = values.dictionary_encode()
        elif column in HOURS:
            values = values.cast(pa.decimal128(38, 10))
        elif column in KEYS:
            values = values.cast(pa.large_string())
        columns.append(values)
    return pa.table(columns, names=table.column_names)


def integer_keys(key_map: dict) -> callable:
    """Keys as BIGINT (ranked so their text order is the original text order), dates DATE, hours DOUBLE."""
    def convert(table: pa.Table, name: str) -> pa.Table:
        columns = []
        for column in table.column_names:
            values = table[column]
            if column in KEYS:
                values = pa.array([None if v is None else key_map[column][v] for v in values.to_pylist()],
                                  pa.int64())
            elif column in DATES:
                values = values.cast(pa.date32())
            elif column in HOURS:
                values = values.cast(pa.float64())
            columns.append(values)
        return pa.table(columns, names=table.column_names)
    return convert


def key_map_of(source: Path) -> dict[str, dict[str, int]]:
    """For each key column, its values (over all tables) -> an integer of fixed width in text order."""
    values: dict[str, set] = {key: set() for key in KEYS}
    for name in TABLES:
        table = read_text_table(source / f"{name}.csv")
        for key in KEYS:
            if key in table.column_names:
                values[key] |= {v for v in table[key].to_pylist() if v is not None}
    return {key: {v: 1_000_000 + rank for rank, v in enumerate(sorted(found))} for key, found in values.items()}


def duckdb_date_decimal(source: Path, target: Path) -> None:
    """DuckDB's own typing: DATE dates, DECIMAL(10, 2) hours, text otherwise."""
    target.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        for name in TABLES:
            csv_file = source / f"{name}.csv"
            names = csv_file.read_text().splitlines()[0].split(",")
            casts = ", ".join(f"cast({c} as date) as {c}" if c in DATES else
                              f"cast({c} as decimal(10, 2)) as {c}" if c in HOURS else c for c in names)
            # (the path is bound, never pasted: a folder name may hold an apostrophe)
            typed = con.sql(f"select {casts} from read_csv(?, header = true, all_varchar = true)",
                            params=[str(csv_file)]).to_arrow_table()
            pq.write_table(typed, target / f"{name}.parquet")


def write_variant(source: Path, target: Path, convert) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        converted = convert(read_text_table(source / f"{name}.csv"), name)
        if isinstance(converted, pd.DataFrame):
            converted.to_parquet(target / f"{name}.parquet", index=False)
        else:
            pq.write_table(converted, target / f"{name}.parquet")


def write_all(source: Path, root: Path) -> dict[str, Path]:
    """Every variant of this module (not Spark's) under root; name -> directory."""
    variants = {
        "parquet_text": parquet_text,
        "pandas_defaults": pandas_defaults,
        "pandas_amsterdam": pandas_amsterdam,
        "pyarrow_utc_dictionary": pyarrow_utc_dictionary,
        "integer_keys": integer_keys(key_map_of(source)),
    }
    written = {}
    for name, convert in variants.items():
        write_variant(source, root / name, convert)
        written[name] = root / name
    duckdb_date_decimal(source, root / "duckdb_date_decimal")
    written["duckdb_date_decimal"] = root / "duckdb_date_decimal"
    return written
