"""scripts/generate_raw.py: deterministic, reproduces the committed demo seeds, and an
earlier --through cut-off gives the extract as it was known then."""
from __future__ import annotations

import subprocess
import sys

import duckdb

from banenafspraak.synthetic.common import TABLES
from conftest import ROOT

GENERATOR = [sys.executable, str(ROOT / "scripts" / "generate_raw.py"), "--quiet"]


def generate(out, *args):
    subprocess.run([*GENERATOR, "--out", str(out), *args], check=True, cwd=ROOT)


def test_committed_demo_seeds_are_the_generator_output(tmp_path):
    # the `make demo-data` command (docs/demo-data.md); the demo seeds must be reproducible from it
    generate(tmp_path, "--scale", "demo", "--format", "csv", "--faults")
    for table in TABLES:
        assert (tmp_path / f"{table}.csv").read_bytes() == (ROOT / "seeds" / "demo" / f"{table}.csv").read_bytes(), table


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    args = ("--scale", "demo", "--stock", "300", "--format", "parquet")
    generate(tmp_path / "a", *args, "--seed", "7")
    generate(tmp_path / "b", *args, "--seed", "7")
    generate(tmp_path / "c", *args, "--seed", "8")
    with duckdb.connect() as con:
        for table in TABLES:
            a, b, c = (f"read_parquet('{tmp_path / d / (table + '.parquet')}')" for d in "abc")
            assert con.execute(f"select count(*) from (select * from {a} except all select * from {b})").fetchone()[0] == 0
            assert con.execute(f"select count(*) from {a}").fetchone() == con.execute(f"select count(*) from {b}").fetchone()
        payroll_a = f"read_parquet('{tmp_path / 'a' / 'payroll.parquet'}')"
        payroll_c = f"read_parquet('{tmp_path / 'c' / 'payroll.parquet'}')"
        assert con.execute(f"select count(*) from (select * from {payroll_a} except select * from {payroll_c})").fetchone()[0] > 0


def test_parquet_is_typed(tmp_path):
    generate(tmp_path, "--scale", "demo", "--stock", "200", "--format", "parquet")
    with duckdb.connect() as con:
        types = dict(con.execute(f"select column_name, column_type from (describe select * from "
                                 f"read_parquet('{tmp_path / 'payroll.parquet'}'))").fetchall())
    assert types["period_month"] == "DATE" and types["paid_hours"].startswith("DECIMAL")


def test_the_payroll_written_by_year_is_the_payroll_in_year_employment_month_order(tmp_path):
    """Parquet without faults: the payroll is written one year at a time (to keep memory
    low at four times the national register). The same rows as the CSV route (one COPY
    of the whole table), the same types as before, and in the file's own order: by
    year, then employment, then month, as the single ordered COPY wrote it."""
    args = ("--scale", "demo", "--stock", "300", "--seed", "5")
    generate(tmp_path / "parquet", *args, "--format", "parquet")
    generate(tmp_path / "csv", *args, "--format", "csv")
    parquet = f"read_parquet('{tmp_path / 'parquet' / 'payroll.parquet'}')"
    csv = f"read_csv('{tmp_path / 'csv' / 'payroll.csv'}', types={{'paid_hours': 'decimal(12, 2)'}})"
    with duckdb.connect() as con:
        for one, other in ((parquet, csv), (csv, parquet)):
            assert con.execute(f"select count(*) from (select * from {one} except all select * from {other})"
                               ).fetchone()[0] == 0
        assert con.execute(f"select count(distinct year(period_month)) from {parquet}").fetchone()[0] > 1
        out_of_order = con.execute(f"""
            select count(*) from (
                select year(period_month) as y, employment_id, period_month,
                       lag(year(period_month)) over (order by file_row_number) as prev_y,
                       lag(employment_id) over (order by file_row_number) as prev_e,
                       lag(period_month) over (order by file_row_number) as prev_m
                from read_parquet('{tmp_path / 'parquet' / 'payroll.parquet'}', file_row_number = true))
            where prev_y is not null
              and (y, employment_id, period_month) < (prev_y, prev_e, prev_m)""").fetchone()[0]
        assert out_of_order == 0


def test_through_gives_the_extract_as_known_then(tmp_path):
    args = ("--scale", "demo", "--stock", "400", "--format", "parquet", "--seed", "11")
    generate(tmp_path / "full", *args)
    generate(tmp_path / "cut", *args, "--through", "2022Q2")
    cutoff = "date '2022-07-01'"
    with duckdb.connect() as con:
        def read(d, t):
            return f"read_parquet('{tmp_path / d / (t + '.parquet')}')"
        assert con.execute(f"select max(period_month) from {read('cut', 'payroll')}").fetchone()[0].isoformat() == "2022-06-01"
        # payroll up to the cut-off is the same in both extracts
        assert con.execute(f"""select count(*) from (
            (select * from {read('full', 'payroll')} where period_month < {cutoff})
            except all select * from {read('cut', 'payroll')})""").fetchone()[0] == 0
        assert con.execute(f"select count(*) from {read('cut', 'register_spells')} where valid_from >= {cutoff}"
                           f" or valid_until >= {cutoff} or (valid_until is null) <> (outflow_reason is null)").fetchone()[0] == 0
        assert con.execute(f"select count(*) from {read('cut', 'persons')} where date_of_death >= {cutoff}").fetchone()[0] == 0
        assert con.execute(f"select count(*) from {read('cut', 'sheltered_work_requests')} where request_date >= {cutoff}"
                           f" or decision_date >= {cutoff} or (decision = 'pending') <> (decision_date is null)").fetchone()[0] == 0
