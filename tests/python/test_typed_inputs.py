"""Typed inputs: the same raw data in every physical type gives the same warehouse.

The hand-made register scenario plus a few plausibility faults that every type can
express (a birth in 1899, a death in 2101, a spell from 1899, 745 hours, negative
hours, a month in 2099, an employment from 1899, a request in 2101) is written as
CSV and as Parquet in each typing convention of typed_variants.py and
spark_write_typed.py. Every variant is built through the raw-file route, all of them
under a folder whose name has an apostrophe, spaces and non-ASCII letters
(`'s-Hertogenbosch extract één`), so every path also goes through the quoting.

Asserted per variant against the CSV build: every mart (but publication_info) and
audit.reconciliation identical row for row; the quarantine identical as (keys,
rule, column) — the raw text of a typed value differs by type, its verdict must not.
Documented outcomes beside the matrix: a timestamp without time zone that is not
midnight is unreadable_value (not truncated); a column whose type cannot carry the
contract's value (integer codes, an integer date, boolean hours, floating-point keys)
stops the build before any model, naming file, column and type, and no value.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import typed_variants as tv
from conftest import FIXTURES, ROOT, Warehouse

SCENARIO = FIXTURES / "scenario_register" / "raw"
SPARK_PYTHON = ROOT / ".venv-spark" / "bin" / "python"
# faults every physical type can carry (dates within pandas' nanosecond range)
TYPED_FAULTS = {
    "persons": ["PT01,1899-12-31,F,", "PT02,1990-01-01,M,2101-01-01"],
    "register_spells": ["ST01,P03,wajong,1899-01-01,2022-02-01,new_indication,other"],
    "payroll": ["P01,E011,W01,market,2022-05-01,745.00,permanent,regular,2018-01-01",
                "P01,E011,W01,market,2022-06-01,-5.00,permanent,regular,2018-01-01",
                "P01,E011,W01,market,2099-01-01,5.00,permanent,regular,2018-01-01",
                "P01,E011,W01,market,2022-07-01,5.00,permanent,regular,1899-06-01"],
    "sheltered_work_requests": ["RT01,P22,GM0080,citizen,2101-03-01,pending,,"],
}
EXPECTED_FAULT_RULES = Counter({
    ("persons", "implausible_date"): 2, ("register_spells", "implausible_date"): 1,
    ("payroll", "implausible_hours"): 1, ("payroll", "negative_hours"): 1,
    ("payroll", "future_period_month"): 1, ("payroll", "implausible_date"): 1,
    ("sheltered_work_requests", "implausible_date"): 1,
})
ID_COLUMNS = {"persons": ["person_id"], "residences": ["person_id"], "register_spells": ["spell_id", "person_id"],
              "payroll": ["person_id", "employment_id", "employer_id"],
              "sheltered_work_requests": ["request_id", "person_id"]}
NOT_COMPARED = {"publication_info"}  # the run itself: raw path, format, run id

pytestmark = pytest.mark.slow


def write_matrix_scenario(target: Path) -> Path:
    shutil.copytree(SCENARIO, target)
    for table, lines in TYPED_FAULTS.items():
        with open(target / f"{table}.csv", "a") as handle:
            handle.write("\n".join(lines) + "\n")
    return target


def spark_variants(source: Path, root: Path) -> dict[str, Path]:
    if not SPARK_PYTHON.exists():
        pytest.fail("no .venv-spark: run `make setup-spark` (make test does it first)")
    columns = json.dumps({"tables": tv.TABLES, "dates": tv.DATES, "hours": tv.HOURS})
    proc = subprocess.run([str(SPARK_PYTHON), str(Path(__file__).with_name("spark_write_typed.py")),
                           str(source), str(root), columns], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return {name: root / name for name in ("spark_dates", "spark_timestamps_amsterdam")}


def add_non_midnight_timestamp(directory: Path) -> None:
    """One person more whose birth_date is a timestamp at 13:45 (no time zone)."""
    path = directory / "persons.parquet"
    frame = pd.read_parquet(path)
    extra = pd.DataFrame({"person_id": ["PT99"], "birth_date": [pd.Timestamp("1990-01-01 13:45")],
                          "gender": ["F"], "date_of_death": [pd.NaT]})
    pd.concat([frame, extra.astype(frame.dtypes.to_dict())], ignore_index=True).to_parquet(path, index=False)


def marts(warehouse: Warehouse) -> dict[str, Counter]:
    found = {}
    with duckdb.connect(str(warehouse.path), read_only=True) as con:
        for schema, table in con.execute(
                "select table_schema, table_name from information_schema.tables where "
                "(table_schema = 'marts' or (table_schema = 'audit' and table_name = 'reconciliation'))"
        ).fetchall():
            if table not in NOT_COMPARED:
                found[f"{schema}.{table}"] = Counter(con.execute(f"select * from {schema}.{table}").fetchall())
    return found


def quarantine(warehouse: Warehouse, key_map: dict | None = None) -> Counter:
    """(table, ids…, rule, rule column) of every quarantined row; integer keys mapped back to text."""
    back = {column: {str(v): k for k, v in values.items()} for column, values in (key_map or {}).items()}
    found = Counter()
    for table, ids in ID_COLUMNS.items():
        for row in warehouse.query(f"select {', '.join(ids)}, rule, rule_column from audit.quarantine_{table}"):
            values = [back.get(c, {}).get(v, v) for c, v in zip(ids, row)]
            found[(table, *values, row[-2], row[-1])] += 1
    return found


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    root = tmp_path_factory.mktemp("typed") / "'s-Hertogenbosch extract één"
    source = write_matrix_scenario(root / "csv")
    variants = {"csv": source, **tv.write_all(source, root), **spark_variants(source, root)}
    add_non_midnight_timestamp(variants["pandas_defaults"])
    # each warehouse reads its variant through a link named like the folder, given to dbt as a
    # path relative to the warehouse's folder (dbt runs there): the same quotes, spaces and
    # letters in every path, and the same vars for every Parquet variant, so dbt parses the
    # project once for all of them (conftest.PARSE_CACHE)
    warehouses = {name: Warehouse(root / "warehouses" / name,
                                  {"raw_path": root.name, "raw_format": "csv" if name == "csv" else "parquet"})
                  for name in variants}
    for name, path in variants.items():
        (warehouses[name].directory / root.name).symlink_to(path, target_is_directory=True)

    def build(name: str):
        # the CSV reference with every data test; the variants' models only (compared with it)
        args = () if name == "csv" else ("--resource-type", "seed", "--resource-type", "model")
        return name, warehouses[name].build(*args)

    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = dict(pool.map(build, warehouses))
    return root, variants, warehouses, runs


def test_every_variant_builds(matrix):
    _, _, _, runs = matrix
    failed = {name: run.output[-3000:] for name, run in runs.items() if not run.ok}
    assert not failed, failed


def test_the_csv_reference_quarantines_the_plausibility_faults(matrix):
    _, _, warehouses, _ = matrix
    rules = Counter((table, rule) for (table, *_, rule, _column), n in quarantine(warehouses["csv"]).items()
                    for _ in range(n))
    assert rules == EXPECTED_FAULT_RULES


@pytest.mark.parametrize("variant", ["parquet_text", "duckdb_date_decimal", "pandas_defaults", "pandas_amsterdam",
                                     "pyarrow_utc_dictionary", "integer_keys", "spark_dates",
                                     "spark_timestamps_amsterdam"])
def test_the_same_marts_and_quarantine_whatever_the_types(matrix, variant):
    root, variants, warehouses, runs = matrix
    assert runs[variant].ok, runs[variant].output[-3000:]
    reference, built = marts(warehouses["csv"]), marts(warehouses[variant])
    if variant == "pandas_defaults":  # one raw persons row more, quarantined (below)
        (raw_rows, accepted, quarantined), = [r[1:] for r in reference["audit.reconciliation"] if r[0] == "persons"]
        reference["audit.reconciliation"][("persons", raw_rows, accepted, quarantined)] -= 1
        reference["audit.reconciliation"][("persons", raw_rows + 1, accepted, quarantined + 1)] += 1
        reference["audit.reconciliation"] += Counter()  # drop the zero count
    assert built.keys() == reference.keys()
    for name in reference:
        assert built[name] == reference[name], (
            f"{variant}: {name} differs; only here {list((built[name] - reference[name]).items())[:5]}, "
            f"only in the CSV build {list((reference[name] - built[name]).items())[:5]}")
    key_map = tv.key_map_of(variants["csv"]) if variant == "integer_keys" else None
    expected = quarantine(warehouses["csv"])
    if variant == "pandas_defaults":  # the extra person born at 13:45: not a date, never truncated
        expected[("persons", "PT99", "unreadable_value", "birth_date")] += 1
    assert quarantine(warehouses[variant], key_map) == expected


def test_variants_really_differ_in_type(matrix):
    """The matrix tests what it claims: the variants' files have the types named."""
    _, variants, _, _ = matrix

    def type_of(variant: str, table: str, column: str) -> str:
        with duckdb.connect() as con:
            return dict((r[0], r[1]) for r in con.execute(
                "describe select * from read_parquet(?)", [str(variants[variant] / f"{table}.parquet")]
            ).fetchall())[column]

    assert type_of("parquet_text", "persons", "birth_date") == "VARCHAR"
    assert type_of("duckdb_date_decimal", "payroll", "paid_hours") == "DECIMAL(10,2)"
    assert type_of("pandas_defaults", "persons", "birth_date").startswith("TIMESTAMP")
    assert type_of("pandas_defaults", "payroll", "paid_hours") == "DOUBLE"
    assert type_of("pandas_amsterdam", "persons", "birth_date") == "TIMESTAMP WITH TIME ZONE"
    assert type_of("pandas_amsterdam", "payroll", "paid_hours") == "FLOAT"
    assert type_of("pyarrow_utc_dictionary", "payroll", "paid_hours") == "DECIMAL(38,10)"
    assert type_of("integer_keys", "persons", "person_id") == "BIGINT"
    assert type_of("spark_dates", "payroll", "period_month") == "DATE"
    assert type_of("spark_timestamps_amsterdam", "payroll", "period_month") == "TIMESTAMP"  # INT96
    with duckdb.connect() as con:
        physical = con.execute("select type from parquet_schema(?) where name = 'period_month'",
                               [str(variants["spark_timestamps_amsterdam"] / "payroll.parquet")]).fetchone()[0]
        dictionary = pq.ParquetFile(variants["pyarrow_utc_dictionary"] / "payroll.parquet").schema_arrow
    assert physical == "INT96"
    assert pa.types.is_dictionary(dictionary.field("sector").type)


def test_a_type_that_cannot_carry_the_value_stops_the_build(matrix, tmp_path):
    """Integer codes, an integer date, boolean hours and floating-point keys: one error
    before any model, naming every file, column and type, and no value of the files."""
    root, variants, _, _ = matrix
    raw = root / "wrong_types"
    shutil.copytree(variants["parquet_text"], raw)

    def retype(table: str, column: str, convert) -> None:
        data = pq.read_table(raw / f"{table}.parquet")
        index = data.column_names.index(column)
        pq.write_table(data.set_column(index, column, convert(data[column])), raw / f"{table}.parquet")

    retype("persons", "gender", lambda c: pa.array([{"M": 1, "F": 2}.get(v, 3) for v in c.to_pylist()], pa.int8()))
    retype("residences", "valid_from",
           lambda c: pa.array([int(v.replace("-", "")) for v in c.to_pylist()], pa.int32()))
    retype("payroll", "paid_hours", lambda c: pa.array([True] * len(c), pa.bool_()))
    retype("register_spells", "person_id", lambda c: pa.array([float(v[1:]) for v in c.to_pylist()], pa.float64()))
    warehouse = Warehouse(tmp_path / "wh", {"raw_path": str(raw), "raw_format": "parquet"})
    run = warehouse.build()
    assert not run.ok
    assert run.results == [], "no model may run"
    for table, column, data_type in (("persons", "gender", "TINYINT"), ("residences", "valid_from", "INTEGER"),
                                     ("payroll", "paid_hours", "BOOLEAN"),
                                     ("register_spells", "person_id", "DOUBLE")):
        assert f"{raw / (table + '.parquet')}: column {column} has type {data_type}" in run.output, run.output[-3000:]
    logged = run.output + (warehouse.target / "logs" / "dbt.log").read_text()
    for value in ("P01", "P03", "S010", "1990-03-14"):
        assert value not in logged


def test_an_empty_column_of_any_type_is_fine(matrix, tmp_path):
    """A column that holds no value (pandas writes an all-None column as type NULL) carries
    nothing wrong: date_of_death empty for everyone builds."""
    _, variants, _, _ = matrix
    raw = tmp_path / "raw"
    shutil.copytree(variants["pandas_defaults"], raw)
    frame = pd.read_parquet(raw / "persons.parquet")
    frame["date_of_death"] = None
    frame.to_parquet(raw / "persons.parquet", index=False)
    with duckdb.connect() as con:
        assert con.execute("describe select date_of_death from read_parquet(?)",
                           [str(raw / "persons.parquet")]).fetchone()[1] == '"NULL"'
    warehouse = Warehouse(tmp_path / "wh", {"raw_path": str(raw), "raw_format": "parquet"})
    run = warehouse.dbt("run", "--select", "stg_raw__persons")
    assert run.ok, run.output[-3000:]
    assert warehouse.query("select count(*), count(date_of_death), count(*) filter (where is_date_of_death_unreadable)"
                           " from staging.stg_raw__persons") == [(len(frame), 0, 0)]
