"""Reference tables a user supplies as CSV files: the real regional baselines and targets
(var regional_targets_csv) and the real beschut werk quotas (var sheltered_work_quota_csv).

Regional targets: a file with the synthetic split of 2019-2023 gives exactly the progress mart and the
regions' baselines of the default build for those years (the file is used as given);
a file whose regions do not add up to the national target builds with warnings; a
file breaking each rule of supplied_regional_targets_valid stops the build before the
progress mart, naming region, year and rule; a wrong header stops it at the start,
naming the file. The path has a quote and a space: it is data, never SQL.

Quotas: the quotas in use of 2021-2023 as a file give exactly the beschut werk marts of
the default build in those years, and no quota in 2020; a file breaking each rule of
supplied_sheltered_work_quota_valid stops the build before the marts, naming
municipality, year and rule; a missing file stops it at the start, naming the file.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import Warehouse

pytestmark = pytest.mark.slow  # builds of the demo with a supplied file: not in make test-fast

COLUMNS = ["region_code", "target_year", "target_total", "target_market", "target_government",
           "baseline_jobs"]
YEARS = range(2019, 2024)
SELECT = ["--select", "stg_inputs__regional_targets+", "--exclude", "test_type:unit"]


def synthetic_rows(warehouse: Warehouse) -> list[list[str]]:
    """The default build's regional targets and baselines of 2019-2023, as file lines."""
    rows = warehouse.query(f"""
        select t.region_code, t.target_year, t.target_total, t.target_market, t.target_government,
               b.baseline_jobs
        from intermediate.int_region_targets_yearly as t
        inner join intermediate.int_region_baselines as b on b.region_code = t.region_code
        where t.target_year between {min(YEARS)} and {max(YEARS)}
        order by t.target_year, t.region_code""")
    assert len(rows) == 35 * len(YEARS)
    return [["" if v is None else str(v) for v in row] for row in rows]


QUOTA_COLUMNS = ["gemeente_code", "year", "quota_places"]
QUOTA_YEARS = range(2021, 2024)
QUOTA_SELECT = ["--select", "stg_inputs__sheltered_work_quota+", "--exclude", "test_type:unit"]
QUOTA_MARTS = ["marts.fct_sheltered_work_municipality_quarter", "marts.fct_sheltered_work_quarter"]


def write(path: Path, rows: list[list[str]], header: list[str] = COLUMNS) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def build_with(demo_warehouse: Warehouse, directory: Path, file: Path) -> tuple[Warehouse, object]:
    warehouse = demo_warehouse.copy_to(directory)
    return warehouse, warehouse.build(*SELECT, extra_vars={"regional_targets_csv": str(file)})


def test_the_synthetic_split_as_a_file_gives_the_same_progress(demo_warehouse, tmp_path):
    file = write(tmp_path / "De Werkkamer's tabel" / "regional targets.csv", synthetic_rows(demo_warehouse))
    warehouse, run = build_with(demo_warehouse, tmp_path / "wh", file)
    assert run.ok, run.output[-4000:]
    assert not [r for r in run.results if r["status"] == "warn"], run.output[-3000:]
    years = f"extract(year from quarter_end_date) between {min(YEARS)} and {max(YEARS)}"
    for relation, where in [("marts.fct_region_progress_quarter", years), ("marts.dim_region", "true")]:
        with_file = warehouse.query(f"select * from {relation} where {where} order by all")
        default = demo_warehouse.query(f"select * from {relation} where {where} order by all")
        assert with_file == default, relation
    # years outside the file have no regional target
    assert warehouse.query("select count(*) from marts.fct_region_progress_quarter where region_code <> "
                           "'UNKNOWN' and quarter_label like '2015%' and target_year_end is not null") == [(0,)]


def test_regions_not_adding_up_warn_and_are_used_as_given(demo_warehouse, tmp_path):
    rows = synthetic_rows(demo_warehouse)
    for row in rows:
        if row[0] == "AM01" and row[1] == "2023":
            row[2], row[3] = str(int(row[2]) + 7), str(int(row[3]) + 7)
    warehouse, run = build_with(demo_warehouse, tmp_path / "wh", write(tmp_path / "targets.csv", rows))
    assert run.ok, run.output[-4000:]
    warned = {r["unique_id"].split(".")[2] for r in run.results if r["status"] == "warn"}
    assert any(name.startswith("regional_targets_add_up") for name in warned), warned
    query = ("select target_year_end from marts.fct_region_progress_quarter where region_code = 'AM01' "
             "and quarter_label = '2023Q4'")
    assert warehouse.query(query)[0][0] == demo_warehouse.query(query)[0][0] + 7


def test_a_file_breaking_the_rules_stops_the_build_naming_region_year_and_rule(demo_warehouse, tmp_path):
    rows = synthetic_rows(demo_warehouse)
    expected = set()

    def change(region: str, year: str, column: str, value: str) -> None:
        row = next(r for r in rows if r[0] == region and r[1] == year)
        row[COLUMNS.index(column)] = value

    am01 = next(r for r in rows if r[0] == "AM01" and r[1] == "2019")
    change("AM01", "2019", "target_government", str(int(am01[2]) + 3))
    change("AM01", "2019", "target_market", "-3")  # the split still adds up to the total
    expected.add(("AM01", "2019", "negative_value"))
    change("AM02", "2019", "target_market", "12,5")
    expected.add(("AM02", "2019", "unreadable_value"))
    change("AM03", "2019", "target_government", "")
    expected.add(("AM03", "2019", "split_incomplete"))
    change("AM05", "2019", "target_total", "")
    expected.add(("AM05", "2019", "missing_value"))
    change("AM06", "2019", "target_total", str(int(next(r for r in rows if r[0] == "AM06" and r[1] == "2019")[2]) + 1))
    expected.add(("AM06", "2019", "split_not_total"))
    change("AM07", "2020", "baseline_jobs", "999")
    expected.add(("AM07", None, "baseline_differs"))
    rows.append(["AM99", "2020", "1", "1", "0", "5"])
    expected.add(("AM99", "2020", "unknown_region"))
    rows.append(list(next(r for r in rows if r[0] == "AM08" and r[1] == "2020")))
    expected.add(("AM08", "2020", "duplicate_row"))
    rows[:] = [r for r in rows if not (r[0] == "AM09" and r[1] == "2020")]
    expected.add(("AM09", "2020", "missing_region"))
    rows[:] = [r for r in rows if r[1] != "2021"]
    expected.add((None, "2021", "year_gap"))

    file = write(tmp_path / "it's bad" / "targets.csv", rows)
    warehouse, run = build_with(demo_warehouse, tmp_path / "wh", file)
    assert not run.ok
    assert any("supplied_regional_targets_valid" in uid for uid in run.failed()), run.output[-3000:]
    progress = [r for r in run.results if r["unique_id"] == "model.banenafspraak.fct_region_progress_quarter"]
    assert progress and progress[0]["status"] == "skipped"
    found = set(warehouse.query("select region_code, target_year, rule from audit.supplied_regional_targets_valid"))
    assert found == expected


def test_a_wrong_header_stops_the_build_at_the_start_naming_the_file(demo_warehouse, tmp_path):
    file = write(tmp_path / "targets.csv", [["AM01", "2020", "1", "1", "0", "5"]],
                 header=COLUMNS[:-1] + ["baseline"])
    _, run = build_with(demo_warehouse, tmp_path / "wh", file)
    assert not run.ok
    assert (f"reference file {file} (var regional_targets_csv) has the wrong header: missing column(s) "
            "baseline_jobs; unexpected column(s) baseline") in run.output, run.output[-3000:]


def quota_rows(warehouse: Warehouse) -> list[list[str]]:
    """The default build's quotas in use of 2021-2023, as file lines."""
    rows = warehouse.query(f"""
        select gemeente_code, calendar_year, quota_places
        from intermediate.int_sheltered_work_quota_municipalities
        where calendar_year between {min(QUOTA_YEARS)} and {max(QUOTA_YEARS)}
        order by calendar_year, gemeente_code""")
    municipalities = warehouse.query("select count(distinct gemeente_code) from reference.municipality_region")
    assert len(rows) == municipalities[0][0] * len(QUOTA_YEARS)
    return [[str(v) for v in row] for row in rows]


def build_with_quota(demo_warehouse: Warehouse, directory: Path, file: Path) -> tuple[Warehouse, object]:
    warehouse = demo_warehouse.copy_to(directory)
    return warehouse, warehouse.build(*QUOTA_SELECT, extra_vars={"sheltered_work_quota_csv": str(file)})


def test_the_quotas_in_use_as_a_file_give_the_same_sheltered_work_marts(demo_warehouse, tmp_path):
    file = write(tmp_path / "Bijlage II, it's real" / "quota.csv", quota_rows(demo_warehouse), QUOTA_COLUMNS)
    warehouse, run = build_with_quota(demo_warehouse, tmp_path / "wh", file)
    assert run.ok, run.output[-4000:]
    years = f"extract(year from quarter_end_date) between {min(QUOTA_YEARS)} and {max(QUOTA_YEARS)}"
    for relation in QUOTA_MARTS:
        with_file = warehouse.query(f"select * from {relation} where {years} order by all")
        default = demo_warehouse.query(f"select * from {relation} where {years} order by all")
        assert with_file and with_file == default, relation
        # a year outside the file has no quota (the default build has one)
        assert warehouse.query(f"select count(quota) from {relation} where quarter_label = '2020Q4'") == [(0,)]
        assert demo_warehouse.query(f"select count(quota) > 0 from {relation} where quarter_label = '2020Q4'") \
            == [(True,)]


def test_a_quota_file_breaking_the_rules_stops_the_build_naming_municipality_year_and_rule(
        demo_warehouse, tmp_path):
    rows = quota_rows(demo_warehouse)
    expected = set()

    def change(gemeente: str, year: str, value: str) -> None:
        next(r for r in rows if r[0] == gemeente and r[1] == year)[2] = value

    change("GM0014", "2021", "-2")
    expected.add(("GM0014", "2021", "negative_value"))
    change("GM0034", "2021", "3.5")
    expected.add(("GM0034", "2021", "unreadable_value"))
    change("GM0037", "2021", "")
    expected.add(("GM0037", "2021", "missing_value"))
    next(r for r in rows if r[0] == "GM0047" and r[1] == "2021")[1] = "21"
    expected.add(("GM0047", "21", "unreadable_value"))
    expected.add(("GM0047", "2021", "missing_municipality"))   # its 2021 line now has no year
    rows.append(["GM9999", "2022", "4"])
    expected.add(("GM9999", "2022", "unknown_municipality"))
    rows.append(list(next(r for r in rows if r[0] == "GM0014" and r[1] == "2022")))
    expected.add(("GM0014", "2022", "duplicate_row"))
    gm0034_2023 = next(r for r in rows if r[0] == "GM0034" and r[1] == "2023")
    rows.remove(gm0034_2023)
    expected.add(("GM0034", "2023", "missing_municipality"))
    rows[:] = [r for r in rows if r[1] != "2022" or r[0] in ("GM9999", "GM0014")]
    # 2022 keeps two lines (an unknown municipality and a duplicate): every other one is missing
    municipalities = [m for (m,) in demo_warehouse.query(
        "select distinct gemeente_code from reference.municipality_region")]
    expected |= {(m, "2022", "missing_municipality") for m in municipalities if m != "GM0014"}
    rows.append(["GM0014", "2025", "1"])
    expected.add((None, "2024", "year_gap"))
    expected |= {(m, "2025", "missing_municipality") for m in municipalities if m != "GM0014"}

    file = write(tmp_path / "quota's" / "quota.csv", rows, QUOTA_COLUMNS)
    warehouse, run = build_with_quota(demo_warehouse, tmp_path / "wh", file)
    assert not run.ok
    assert any("supplied_sheltered_work_quota_valid" in uid for uid in run.failed()), run.output[-3000:]
    for mart in ("fct_sheltered_work_municipality_quarter", "fct_sheltered_work_quarter"):
        status = [r["status"] for r in run.results if r["unique_id"] == f"model.banenafspraak.{mart}"]
        assert status == ["skipped"], (mart, status)
    found = set(warehouse.query(
        "select gemeente_code, calendar_year, rule from audit.supplied_sheltered_work_quota_valid"))
    assert found == expected


def test_a_missing_quota_file_stops_the_build_at_the_start_naming_it(demo_warehouse, tmp_path):
    file = tmp_path / "no such" / "quota.csv"
    _, run = build_with_quota(demo_warehouse, tmp_path / "wh", file)
    assert not run.ok
    assert f"reference file {file} (var sheltered_work_quota_csv) is missing" in run.output, run.output[-3000:]
