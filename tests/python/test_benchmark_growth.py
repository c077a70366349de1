"""The growth report of make benchmark (banenafspraak.benchmarks.growth), on hand-made
timings: the ratios to 1× and the plot. The builds themselves are measured by make
benchmark-growth, not here."""
from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import duckdb

from banenafspraak.benchmarks import growth


def hand_rows() -> list[dict]:
    # 1×: 26 M rows in 60 s; 2×: 52 M rows in 126 s; 4×: 104 M rows in 270 s
    refresh = {"limit_seconds": 2.0, "times_limit": 30.0, "refresh_wall_seconds": 20.0,
               "refresh_model_seconds": 15.0, "refresh_peak_rss_mb": 3000, "refresh_share": 0.25,
               "refresh_differing_rows": {}}
    return [{"payroll_rows": 26_000_000, "wall_seconds": 65.0, "model_seconds": 60.0, "peak_rss_mb": 4000,
             **refresh},
            {"payroll_rows": 52_000_000, "wall_seconds": 131.0, "model_seconds": 126.0, "peak_rss_mb": 8000,
             **refresh},
            {"payroll_rows": 104_000_000, "wall_seconds": 280.0, "model_seconds": 270.0, "peak_rss_mb": 12000,
             **refresh, "refresh_differing_rows": {"marts.fct_register_quarter": 3}}]


def test_growth_is_each_size_over_1x_and_time_over_rows():
    """2×: 2.0 the rows, 126 / 60 = 2.1 the model time, so 2.1 / 2.0 = 1.05 over linear;
    4×: 4.0 the rows, 270 / 60 = 4.5 the time, 4.5 / 4.0 = 1.125, rounded 1.12 (half to
    even); memory 8000 / 4000 = 2.0 and 12000 / 4000 = 3.0."""
    rows = growth.ratios(hand_rows())
    assert [r["rows_ratio"] for r in rows] == [1.0, 2.0, 4.0]
    assert [r["model_ratio"] for r in rows] == [1.0, 2.1, 4.5]
    assert [r["model_over_rows"] for r in rows] == [1.0, 1.05, 1.12]
    assert [r["memory_ratio"] for r in rows] == [1.0, 2.0, 3.0]
    table = growth.markdown(rows, [1, 2, 4], "2 cores")
    assert "| 4× | 104,000,000 | 280.0 | 270.0 | 12000 | 4.0 | 4.5 | 1.12 | 3.0 |" in table
    # the refresh table: the share as a percentage, and which marts differ
    assert "| 1× | 2.0 | 30.0 | 20.0 | 15.0 | 25.0 % | 3000 | identical |" in table
    assert "| 4× | 2.0 | 30.0 | 20.0 | 15.0 | 25.0 % | 3000 | differ: marts.fct_register_quarter 3 |" in table


def test_differing_rows_counts_both_ways_and_skips_the_run_and_other_schemas(tmp_path):
    """Two warehouses: a mart with one row changed (1 row only left + 1 only right = 2),
    a mart equal in both, a quarantine table with a row missing on one side (1),
    publication_info (names the run: differs by design, not compared) and an
    intermediate table (person-level, not compared)."""
    full, refreshed = tmp_path / "growth.duckdb", tmp_path / "refresh's copy.duckdb"
    for path, value in ((full, 1), (refreshed, 2)):
        with duckdb.connect(str(path)) as con:
            con.execute("create schema marts; create schema audit; create schema intermediate")
            con.execute(f"create table marts.fct_a as select * from (values ('AM01', {value}), ('AM02', 5)) t(r, v)")
            con.execute("create table marts.fct_b as select 1 as v")
            con.execute(f"create table marts.publication_info as select {value} as run_id")
            con.execute(f"create table intermediate.int_x as select {value} as v")
            rows = "(1), (2)" if value == 1 else "(1)"
            con.execute(f"create table audit.quarantine_payroll as select * from (values {rows}) t(v)")
    assert growth.differing_rows(full, refreshed) == {"marts.fct_a": 2, "audit.quarantine_payroll": 1}
    assert growth.differing_rows(full, full) == {}


def test_the_plot_has_a_point_per_size_for_time_and_memory():
    svg = growth.svg(growth.ratios(hand_rows()))
    root = ElementTree.fromstring(svg)
    circles = root.findall("{http://www.w3.org/2000/svg}circle")
    assert len(circles) == 6                       # 3 sizes × (time, memory)
    lines = root.findall("{http://www.w3.org/2000/svg}polyline")
    assert len(lines) == 3                         # linear reference, time, memory
    # the time line rises left to right: larger sizes are further right and higher (smaller y)
    time_points = [tuple(map(float, p.split(","))) for p in lines[1].get("points").split()]
    assert [x for x, _ in time_points] == sorted(x for x, _ in time_points)
    assert [y for _, y in time_points] == sorted((y for _, y in time_points), reverse=True)


def test_the_larger_extracts_sit_beside_the_national_one(tmp_path):
    data = tmp_path / "national"
    for name in ("national", "national_x2", "national_previous", "national_x2_previous"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "payroll.parquet").write_bytes(b"")   # present: not generated again
    assert growth.extract(data, 1) == data
    assert growth.extract(data, 2) == Path(tmp_path / "national_x2")
    # the previous quarter's extracts, for the refresh: beside them too
    assert growth.extract(data, 1, through="2024Q3") == Path(tmp_path / "national_previous")
    assert growth.extract(data, 2, through="2024Q3") == Path(tmp_path / "national_x2_previous")
