"""The raw-file route (raw_path / raw_format): a file that cannot be read stops the
build with an error naming the file and the problem, before any model runs, and never
a row's values. Paths and vars are data: an apostrophe works (test_typed_inputs.py
builds every typing under such a folder), SQL in a path or var executes nothing. That
Parquet of any typing and CSV give the same marts: test_typed_inputs.py."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, Warehouse

SCENARIO = FIXTURES / "scenario_register" / "raw"


def scenario_copy(directory: Path) -> tuple[Warehouse, Path]:
    """A warehouse reading a copy of the scenario's files in its own folder (`raw`), given to
    dbt as a path relative to that folder (dbt runs there): every such test has the same
    vars, so dbt parses the project once for all of them (conftest.PARSE_CACHE)."""
    warehouse = Warehouse(directory / "wh", {"raw_path": "raw", "raw_format": "csv"})
    raw = warehouse.directory / "raw"
    shutil.copytree(SCENARIO, raw)
    return warehouse, raw


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
    warehouse, raw = scenario_copy(tmp_path)
    damage, file_name, problem = BROKEN[case]
    damage(raw)
    run = warehouse.build()
    assert not run.ok
    assert f"raw/{file_name}" in run.output, run.output[-3000:]
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


def test_bad_vars_stop_the_build_all_named_at_once(tmp_path):
    """Vars that are not what they must be, SQL in them included: one error before any
    model naming every one (a var is data; numbers and quarters reach SQL as such)."""
    bad_vars = {"raw_format": "xlsx", "first_quarter": "2022Q1'; drop table x; --",
                "paid_hours_per_job_month": "1) as decimal); drop schema marts cascade; --",
                "unknown_region_max_share": "0.01 or 1=1"}
    run = Warehouse(tmp_path / "wh", {"raw_path": str(SCENARIO), **bad_vars}).build()
    assert not run.ok
    assert run.results == []
    for message in ("var raw_format = 'xlsx': use 'csv' or 'parquet'",
                    "var first_quarter = '2022Q1'; drop table x; --' is not a quarter like '2022Q1'",
                    "var paid_hours_per_job_month = '1) as decimal); drop schema marts cascade; --' is not a number",
                    "var unknown_region_max_share = '0.01 or 1=1' is not a number"):
        assert message in run.output, run.output[-3000:]


@pytest.mark.parametrize("bad_vars,message", [
    ({"first_quarter": "2023Q1", "last_quarter": "2022Q4"}, "comes after last_quarter"),
    ({"first_quarter": "1000Q1", "last_quarter": "2024Q4"}, "span more than 1000 quarters"),
])
def test_a_quarter_range_that_cannot_be_reported_stops_the_build(tmp_path, bad_vars, message):
    run = Warehouse(tmp_path / "wh", {"raw_path": str(SCENARIO), "raw_format": "csv", **bad_vars}).build()
    assert not run.ok
    assert run.results == []
    assert message in run.output, run.output[-3000:]


def test_quarter_vars_bound_the_reported_quarters(tmp_path):
    warehouse = Warehouse(tmp_path / "wh", {"raw_path": str(SCENARIO), "raw_format": "csv",
                                            "first_quarter": "2022Q2", "last_quarter": "2022Q3"})
    run = warehouse.build()
    assert run.ok, run.output[-4000:]
    assert warehouse.query("select quarter_label from marts.dim_quarter order by 1") == [("2022Q2",), ("2022Q3",)]
    assert warehouse.query("select distinct quarter_label from marts.fct_register_flows_quarter") == [("2022Q3",)]


SECRET = "SECRET-4711"  # a value that must never reach a log


MALFORMED_LINES = {
    # found by the lenient scan: a bare carriage return cuts a line in two (+1 and +2), bytes not UTF-8 (+3)
    "lenient": ([f"PZ1,1990-01-01,{SECRET}\r,".encode(), f"PZ2,1990-01-01,{SECRET}\xff\xfe,".encode("latin-1")],
                [1, 2, 3]),
    # found by the strict scan once the lenient one passes: too many fields (+1), an unterminated quote (+2)
    "strict": ([f"PZ1,1990-01-01,F,,{SECRET}".encode(), f'PZ3,1990-01-01,F,"{SECRET}'.encode()], [1, 2]),
}


@pytest.mark.parametrize("scan", sorted(MALFORMED_LINES))
def test_malformed_csv_lines_are_named_by_line_never_by_value(tmp_path, scan):
    """Lines that are not well-formed CSV, each holding a value: the build stops before
    any model naming the file, the lines and the errors; neither the console nor dbt's
    log file shows the values."""
    lines, numbers = MALFORMED_LINES[scan]
    warehouse, raw = scenario_copy(tmp_path)
    persons = raw / "persons.csv"
    valid_lines = len(persons.read_text().splitlines())
    with open(persons, "ab") as handle:
        handle.write(b"".join(line + b"\n" for line in lines))
    run = warehouse.build()
    assert not run.ok
    assert run.results == [], "no model may run"
    assert f"raw file raw/persons.csv has {len(numbers)} line(s) that are not well-formed CSV" in run.output, run.output[-3000:]
    for number in numbers:
        assert f"line {valid_lines + number} " in run.output, run.output[-3000:]
    log_file = (warehouse.target / "logs" / "dbt.log").read_text()
    assert SECRET not in run.output and SECRET not in log_file
    assert "PZ1" not in run.output and "PZ1" not in log_file


def test_a_path_is_data_not_sql(tmp_path):
    """raw_path holding SQL: nothing is executed, the build stops at the missing file."""
    owned = tmp_path / "owned.csv"
    injection = f"x'); copy (select 42) to '{owned}'; select 1 --"
    run = Warehouse(tmp_path / "wh", {"raw_path": injection, "raw_format": "csv"}).build()
    assert not run.ok
    assert f"raw file {injection}/persons.csv is missing" in run.output, run.output[-3000:]
    assert not owned.exists()


def test_a_quarter_range_beyond_the_series_stops_the_model_not_cut_short(tmp_path):
    """first_quarter alone far back: the range from it to the last payroll quarter is
    wider than the quarter series (1000); int_quarters_reported stops with an error
    instead of reporting a shorter range."""
    warehouse = Warehouse(tmp_path / "wh", {"raw_path": str(SCENARIO), "raw_format": "csv",
                                            "first_quarter": "1500Q1"})
    run = warehouse.dbt("build", "--select", "+int_quarters_reported", "--exclude", "test_type:unit")
    assert not run.ok
    assert ("model.banenafspraak.int_quarters_reported", "error") in run.status_of("int_quarters_reported")
    assert "the reported quarters span more than 1000 quarters" in run.output, run.output[-3000:]
