"""Incremental refresh by quarter: building quarter N in full and then refreshing with
the extract of quarter N+1 (which also corrects payroll of quarter N) gives exactly
the marts of a full build on the N+1 extract, on demo-sized and mid-sized data.
A correction older than the look-back window makes the refresh fail its reconciliation
(so it cannot go unnoticed) and is mended by --full-refresh."""
from __future__ import annotations

import shutil
import subprocess
import sys

import duckdb
import pytest

from conftest import ROOT, Warehouse

pytestmark = pytest.mark.slow  # full and incremental builds of the demo and a mid-size extract: not in make test-fast

COMPARED = ["marts.fct_register_quarter", "marts.fct_register_flows_quarter",
            "marts.fct_register_flow_reasons_quarter", "marts.fct_sheltered_work_quarter",
            "marts.fct_region_progress_quarter", "marts.fct_work_durability_year",
            "marts.fct_participation_year", "marts.dim_quarter", "marts.dim_municipality",
            "marts.fct_register_breakdowns_quarter", "marts.fct_municipality_quarter",
            "marts.fct_province_quarter", "marts.fct_sheltered_work_municipality_quarter",
            "audit.reconciliation", "audit.quarantine_payroll", "intermediate.int_work_durability_cohort"]


# Builds that only set the stage (quarter N) or serve as the comparison (a full build
# on N+1) run models and seeds without data tests: the refresh under test runs them all
# (except the unit tests, which do not depend on the data and run in the demo build).
MODELS_ONLY = ("--exclude", "resource_type:test", "resource_type:unit_test")


def generate(out, *args):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_raw.py"), "--quiet", "--format", "parquet",
                    "--out", str(out), *args], check=True, cwd=ROOT)


def add_corrections(raw, first_day: str, last_day: str, hours: str = "7.50") -> None:
    """A late correction: one more row (+hours) for 40 employment-months in [first_day, last_day],
    and one exact copy of a row in that range (the generated extracts have none, so the
    previous warehouse's table of copies is empty: the refresh then takes its window from
    int_payroll_person_quarters, see macro incremental_cutoff_quarter)."""
    payroll = raw / "payroll.parquet"
    with duckdb.connect() as con:
        con.execute(f"create table payroll as select * from read_parquet('{payroll}')")
        con.execute(f"""insert into payroll
            select person_id, employment_id, employer_id, sector, period_month,
                   cast({hours} as decimal(12, 2)), contract_type, employment_kind, employment_start
            from payroll where employment_kind = 'regular'
              and period_month between date '{first_day}' and date '{last_day}'
            order by all limit 40""")
        con.execute(f"""insert into payroll
            select * from payroll where employment_kind = 'regular'
              and period_month between date '{first_day}' and date '{last_day}'
            order by all desc limit 1""")
        con.execute(f"copy payroll to '{payroll}' (format parquet)")


def add_earlier_start(raw) -> None:
    """A new row in the extract's last month that reports an earlier start for an
    employment paid for more than two years: its start (the earliest on its rows) moves
    back three years, and with it the duration class of its older quarters in the
    breakdowns, outside the look-back window (int_payroll_employment_starts is rebuilt
    in full, and the breakdown mart sees the changed start among its kept inputs and
    recomputes every quarter, so the refresh still equals a full build)."""
    payroll = raw / "payroll.parquet"
    with duckdb.connect() as con:
        con.execute(f"create table payroll as select * from read_parquet('{payroll}')")
        added = con.execute("""insert into payroll
            with latest as (select max(period_month) as last_month from payroll),
            long_paid as (
                select person_id, employment_id, min(employment_start) as first_start
                from payroll where employment_kind = 'regular'
                group by 1, 2
                having min(period_month) < (select last_month from latest) - interval 2 years
                   and max(period_month) = (select last_month from latest))
            select payroll.person_id, payroll.employment_id, payroll.employer_id, payroll.sector,
                   payroll.period_month, cast(1 as decimal(12, 2)), payroll.contract_type,
                   payroll.employment_kind, cast(long_paid.first_start - interval 3 years as date)
            from payroll
            inner join long_paid using (person_id, employment_id)
            where payroll.period_month = (select last_month from latest)
              and payroll.employment_kind = 'regular'
            order by payroll.person_id, payroll.employment_id limit 1""").fetchall()
        assert added == [(1,)], added
        con.execute(f"copy payroll to '{payroll}' (format parquet)")


def a_cohorts_only_new_job(warehouse: Warehouse) -> tuple:
    """A person of the oldest durability cohort who started exactly one new job in that
    cohort's window: (person_id, cohort_year, start_quarter_index, employment_id)."""
    found = warehouse.query("""
        select cohort.person_id, cohort.cohort_year, cohort.start_quarter_index,
               min(starts.employment_id) as employment_id
        from intermediate.int_work_durability_cohort as cohort
        inner join intermediate.int_payroll_employment_starts as starts
            on cohort.person_id = starts.person_id
            and starts.start_quarter_index between 4 * cohort.cohort_year - 1 and 4 * cohort.cohort_year + 2
        where cohort.cohort_year = (select min(cohort_year) from intermediate.int_work_durability_cohort)
        group by 1, 2, 3
        having count(*) = 1
        order by 1 limit 1""")
    assert found, "no cohort person with exactly one new job"
    return found[0]


def move_start_back(raw, person_id: str, employment_id: str) -> None:
    """A new row in the extract's last month (1 hour) that reports the employment's start
    three years earlier: its start quarter leaves the cohort window it was in."""
    payroll = raw / "payroll.parquet"
    with duckdb.connect() as con:
        con.execute(f"create table payroll as select * from read_parquet('{payroll}')")
        added = con.execute("""insert into payroll
            select person_id, employment_id, employer_id, sector,
                   (select max(period_month) from payroll), cast(1 as decimal(12, 2)), contract_type,
                   employment_kind, cast(employment_start - interval 3 years as date)
            from payroll
            where person_id = ? and employment_id = ? and employment_kind = 'regular'
            order by employment_start, period_month limit 1""", [person_id, employment_id]).fetchall()
        assert added == [(1,)], added
        con.execute(f"copy payroll to '{payroll}' (format parquet)")


def differences(left: Warehouse, right: Warehouse) -> dict[str, int]:
    found = {}
    with duckdb.connect(str(left.path), read_only=True) as con:
        con.execute(f"attach '{right.path}' as other (read_only)")
        for relation in COMPARED:
            mine, theirs = f"select * from {relation}", f"select * from other.{relation}"
            count = con.execute(f"select count(*) from ({mine} except all {theirs})").fetchone()[0]
            count += con.execute(f"select count(*) from ({theirs} except all {mine})").fetchone()[0]
            if count:
                found[relation] = count
    return found


@pytest.fixture(scope="module", params=[("demo", ["--scale", "demo", "--stock", "1200"], "2023Q3", "2023Q4"),
                                        ("mid-size", ["--scale", "small"], "2023Q2", "2023Q3")],
                ids=lambda p: p[0])
def extracts(request, tmp_path_factory):
    name, scale, quarter_n, quarter_next = request.param
    root = tmp_path_factory.mktemp(f"incremental_{name}")
    generate(root / "n", *scale, "--through", quarter_n)
    generate(root / "next", *scale, "--through", quarter_next)
    # the N+1 extract corrects payroll of quarter N (inside the look-back window)
    year, q = int(quarter_n[:4]), int(quarter_n[5])
    add_corrections(root / "next", f"{year}-{3 * q - 2:02d}-01", f"{year}-{3 * q:02d}-01")
    return root, quarter_n, quarter_next


def test_incremental_refresh_equals_full_refresh(extracts):
    root, quarter_n, quarter_next = extracts
    incremental = Warehouse(root / "incremental", {"raw_path": str(root / "n"), "raw_format": "parquet"})
    run = incremental.build(*MODELS_ONLY)
    assert run.ok, run.output[-3000:]
    assert incremental.query("select max(quarter_label) from marts.dim_quarter") == [(quarter_n,)]
    refresh = incremental.build("--exclude", "test_type:unit", extra_vars={"raw_path": str(root / "next")})
    assert refresh.ok, refresh.output[-3000:]
    incremental_models = {r["unique_id"] for r in refresh.results if r["unique_id"].startswith("model.")}
    assert "model.banenafspraak.int_register_person_quarters" in incremental_models
    # the table of copies was empty before the refresh: its window still came from the
    # previous load (int_payroll_person_quarters), not a recomputation of every quarter
    copies = next(r for r in refresh.results if r["unique_id"].endswith(".int_payroll_duplicate_rows"))
    assert "checked.period_month >= cast(" in copies["compiled_code"], copies["compiled_code"][:2000]
    # the breakdowns' employment attributes read only the window's months too
    attributes = next(r for r in refresh.results if r["unique_id"].endswith(".int_payroll_employment_attributes"))
    assert "payroll_rows.period_month >= cast(" in attributes["compiled_code"]

    full = Warehouse(root / "full", {"raw_path": str(root / "next"), "raw_format": "parquet"})
    run = full.build(*MODELS_ONLY)
    assert run.ok, run.output[-3000:]
    assert full.query("select max(quarter_label) from marts.dim_quarter") == [(quarter_next,)]
    assert differences(incremental, full) == {}
    # no kept input changed: the breakdown mart and the durability cohorts recomputed only
    # what reaches the look-back window (the cohorts: the last complete cohort year, new
    # in the mid-size refresh, and the quarter N corrections' cohort in the demo's)
    assert BREAKDOWN_WINDOW in compiled(refresh, "fct_register_breakdowns_quarter")
    assert DURABILITY_WINDOW in compiled(refresh, "int_work_durability_cohort")

    # two new rows report earlier starts: one changes the duration class of older
    # quarters in the breakdowns, the other takes the only new job of a person of the
    # oldest cohort out of that cohort's window. The breakdown mart and the cohorts saw
    # them among their kept inputs and recomputed everything
    person_id, cohort_year, start_quarter, employment_id = a_cohorts_only_new_job(incremental)
    earlier_start = root / "next_earlier_start"
    shutil.copytree(root / "next", earlier_start)
    add_earlier_start(earlier_start)
    move_start_back(earlier_start, person_id, employment_id)
    refresh = incremental.build(*MODELS_ONLY, extra_vars={"raw_path": str(earlier_start)})
    assert refresh.ok, refresh.output[-3000:]
    assert BREAKDOWN_WINDOW not in compiled(refresh, "fct_register_breakdowns_quarter")
    assert DURABILITY_WINDOW not in compiled(refresh, "int_work_durability_cohort")
    full = Warehouse(root / "full_earlier_start", {"raw_path": str(earlier_start), "raw_format": "parquet"})
    assert full.build(*MODELS_ONLY).ok
    # the moved start did change an old cohort (so recomputing only the window would differ)
    assert full.query(f"""select count(*) from intermediate.int_work_durability_cohort
                          where person_id = '{person_id}' and cohort_year = {cohort_year}
                            and start_quarter_index = {start_quarter}""") == [(0,)]
    assert differences(incremental, full) == {}

    # the same extract again: nothing kept changed, so both recompute only their window
    again = incremental.build(*MODELS_ONLY, extra_vars={"raw_path": str(earlier_start)})
    assert again.ok, again.output[-3000:]
    assert BREAKDOWN_WINDOW in compiled(again, "fct_register_breakdowns_quarter")
    assert DURABILITY_WINDOW in compiled(again, "int_work_durability_cohort")
    assert differences(incremental, full) == {}

    # a corrected birth date (a person under 39 made 30 years older) changes that
    # person's age class in every quarter they were registered: the refresh recomputes every quarter again
    corrected = root / "corrected_birth_date"
    shutil.copytree(earlier_start, corrected)
    with duckdb.connect() as con:
        persons = corrected / "persons.parquet"
        con.execute(f"create table persons as select * from read_parquet('{persons}')")
        con.execute("""update persons set birth_date = birth_date - interval 30 years
                       where person_id = (select min(person_id) from persons
                                          where birth_date > date '1985-01-01')""")
        con.execute(f"copy persons to '{persons}' (format parquet)")
    refresh = incremental.build(*MODELS_ONLY, extra_vars={"raw_path": str(corrected)})
    assert refresh.ok, refresh.output[-3000:]
    assert BREAKDOWN_WINDOW not in compiled(refresh, "fct_register_breakdowns_quarter")
    full = Warehouse(root / "full_corrected", {"raw_path": str(corrected), "raw_format": "parquet"})
    assert full.build(*MODELS_ONLY).ok
    assert differences(incremental, full) == {}


# the breakdown mart's filter on its look-back window, in its compiled SQL
BREAKDOWN_WINDOW = "person_quarters.quarter_index >="
# the durability cohorts' filter on the starts of the cohorts that reach the window
DURABILITY_WINDOW = "where true and start_quarter_index >="


def compiled(run, model: str) -> str:
    return next(r for r in run.results if r["unique_id"].endswith("." + model))["compiled_code"]


def test_a_correction_older_than_the_look_back_is_caught_and_mended_by_a_full_refresh(tmp_path):
    generate(tmp_path / "n", "--scale", "demo", "--stock", "600", "--through", "2023Q3")
    generate(tmp_path / "next", "--scale", "demo", "--stock", "600", "--through", "2023Q4")
    add_corrections(tmp_path / "next", "2021-01-01", "2021-03-01", hours="100.00")  # 2021Q1: far back
    incremental = Warehouse(tmp_path / "incremental", {"raw_path": str(tmp_path / "n"), "raw_format": "parquet"})
    assert incremental.build(*MODELS_ONLY).ok
    refresh = incremental.build("--exclude", "test_type:unit", extra_vars={"raw_path": str(tmp_path / "next")})
    # the 40 new rows of 2021Q1 are outside the look-back window: the reconciliation
    # (raw = accepted + quarantined) does not balance and fails the refresh
    assert not refresh.ok
    assert sorted(uid.split(".")[2] for uid in refresh.failed()) == [
        "reconciliation_raw_equals_accepted_plus_quarantined"]
    full = Warehouse(tmp_path / "full", {"raw_path": str(tmp_path / "next"), "raw_format": "parquet"})
    assert full.build(*MODELS_ONLY).ok
    refreshed = incremental.build("--full-refresh", "--exclude", "test_type:unit",
                                  extra_vars={"raw_path": str(tmp_path / "next")})
    assert refreshed.ok
    assert differences(incremental, full) == {}


def test_a_build_with_an_earlier_last_quarter_drops_the_later_breakdown_cells(tmp_path):
    """The demo built through 2023Q4, then again with last_quarter 2023Q3: 2023Q4 is no
    longer reported, so the breakdown mart (incremental) must lose its 2023Q4 cells, as
    a full build with last_quarter 2023Q3 has none (its pre-hook empties what the run
    recomputes; delete+insert alone deletes only the quarters of the new rows, and kept
    2,196 cells of 2023Q4 here). Then forward again to 2023Q4: equal to the full build."""
    warehouse = Warehouse(tmp_path / "moved")
    assert warehouse.build(*MODELS_ONLY).ok
    back = warehouse.build("--exclude", "test_type:unit", extra_vars={"last_quarter": "2023Q3"})
    assert back.ok, back.output[-3000:]
    assert warehouse.query("select max(quarter_label) from marts.fct_register_breakdowns_quarter") == [("2023Q3",)]
    full = Warehouse(tmp_path / "full", {"last_quarter": "2023Q3"})
    assert full.build(*MODELS_ONLY).ok
    assert differences(warehouse, full) == {}
    forward = warehouse.build(*MODELS_ONLY)
    assert forward.ok, forward.output[-3000:]
    assert BREAKDOWN_WINDOW in compiled(forward, "fct_register_breakdowns_quarter")
    assert warehouse.query("select max(quarter_label) from marts.fct_register_breakdowns_quarter") == [("2023Q4",)]
