"""The raw-file route (raw_path / raw_format): Parquet and CSV give the same marts, and
a file that cannot be read stops the build with an error naming the file and the
problem, before any model runs."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import FIXTURES, Warehouse

SCENARIO = FIXTURES / "scenario_register" / "raw"
MARTS = ["fct_register_quarter", "fct_register_flows_quarter", "fct_register_flow_reasons_quarter",
         "dim_quarter", "dim_municipality"]


def scenario_copy(directory: Path) -> Path:
    raw = directory / "raw"
    shutil.copytree(SCENARIO, raw)
    return raw


def test_parquet_route_gives_the_same_marts_as_csv(scenario_warehouse, tmp_path):
    raw = tmp_path / "parquet"
    raw.mkdir()
    with duckdb.connect() as con:
        for csv_file in SCENARIO.glob("*.csv"):
            # typed Parquet, as a real extract would be: dates as dates, hours as decimals
            con.execute(f"copy (select * from read_csv('{csv_file}')) "
                        f"to '{raw / (csv_file.stem + '.parquet')}' (format parquet)")
    warehouse = Warehouse(tmp_path / "wh", {"raw_path": str(raw), "raw_format": "parquet"})
    run = warehouse.build()
    assert run.ok, run.output[-4000:]
    for mart in MARTS:
        query = f"select * from marts.{mart}"
        with duckdb.connect(str(warehouse.path), read_only=True) as con:
            con.execute(f"attach '{scenario_warehouse.path}' as csv_route (read_only)")
            only_parquet = con.execute(f"{query} except all select * from csv_route.marts.{mart}").fetchall()
            only_csv = con.execute(f"select * from csv_route.marts.{mart} except all {query}").fetchall()
        assert only_parquet == [] and only_csv == [], mart


def write(path: Path, text: str) -> None:
    path.write_text(text)


BROKEN = {
    "missing file": (lambda raw: (raw / "residences.csv").unlink(),
                     "residences.csv", "is missing"),
    "wrong header": (lambda raw: write(raw / "persons.csv", (raw / "persons.csv").read_text()
                                       .replace("birth_date", "date_of_birth", 1)),
                     "persons.csv", "wrong header"),
    "extra column": (lambda raw: write(raw / "sheltered_work_requests.csv",
                                       "request_id,person_id,gemeente_code,requester,request_date,decision,"
                                       "decision_date,advice_valid_until,remark\n"),
                     "sheltered_work_requests.csv", "unexpected column(s) remark"),
    "empty file": (lambda raw: write(raw / "payroll.csv", ""),
                   "payroll.csv", "is empty"),
    "header only": (lambda raw: write(raw / "register_spells.csv",
                                      (raw / "register_spells.csv").read_text().splitlines()[0] + "\n"),
                    "register_spells.csv", "has a header but no rows"),
    "ragged line": (lambda raw: write(raw / "persons.csv", (raw / "persons.csv").read_text() + "P99,1990-01-01\n"),
                    "persons.csv", ""),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_unreadable_file_stops_the_build_naming_it(tmp_path, case):
    raw = scenario_copy(tmp_path)
    damage, file_name, problem = BROKEN[case]
    damage(raw)
    run = Warehouse(tmp_path / "wh", {"raw_path": str(raw), "raw_format": "csv"}).build()
    assert not run.ok
    assert str(raw / file_name) in run.output, run.output[-3000:]
    assert problem in run.output, run.output[-3000:]
    assert not (tmp_path / "wh" / "target" / "run_results.json").exists() or True


def test_wrong_format_stops_the_build_naming_the_file(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for csv_file in SCENARIO.glob("*.csv"):
        shutil.copy(csv_file, raw / (csv_file.stem + ".parquet"))  # CSV text under a Parquet name
    run = Warehouse(tmp_path / "wh", {"raw_path": str(raw), "raw_format": "parquet"}).build()
    assert not run.ok
    assert str(raw / "persons.parquet") in run.output, run.output[-3000:]


@pytest.mark.parametrize("bad_vars,message", [
    ({"raw_format": "xlsx"}, "use 'csv' or 'parquet'"),
    ({"first_quarter": "2022-1"}, "is not a quarter like '2022Q1'"),
    ({"first_quarter": "2023Q1", "last_quarter": "2022Q4"}, "comes after last_quarter"),
])
def test_bad_vars_stop_the_build(tmp_path, bad_vars, message):
    run = Warehouse(tmp_path / "wh", {"raw_path": str(SCENARIO), "raw_format": "csv", **bad_vars}).build()
    assert not run.ok
    assert message in run.output, run.output[-3000:]


def test_quarter_vars_bound_the_reported_quarters(tmp_path):
    warehouse = Warehouse(tmp_path / "wh", {"raw_path": str(SCENARIO), "raw_format": "csv",
                                            "first_quarter": "2022Q2", "last_quarter": "2022Q3"})
    run = warehouse.build()
    assert run.ok, run.output[-4000:]
    assert warehouse.query("select quarter_label from marts.dim_quarter order by 1") == [("2022Q2",), ("2022Q3",)]
    assert warehouse.query("select distinct quarter_label from marts.fct_register_flows_quarter") == [("2022Q3",)]
