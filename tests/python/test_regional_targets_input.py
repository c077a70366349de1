"""The real regional baselines and targets as an input (var regional_targets_csv).

A file with the synthetic split of 2019-2023 gives exactly the progress mart and the
regions' baselines of the default build for those years (the file is used as given);
a file whose regions do not add up to the national target builds with warnings; a
file breaking each rule of supplied_regional_targets_valid stops the build before the
progress mart, naming region, year and rule; a wrong header stops it at the start,
naming the file. The path has a quote and a space: it is data, never SQL.
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
