"""The growth report of make benchmark (banenafspraak.benchmarks.growth), on hand-made
timings: the ratios to 1× and the plot. The builds themselves are measured by make
benchmark-growth, not here."""
from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

from banenafspraak.benchmarks import growth


def hand_rows() -> list[dict]:
    # 1×: 26 M rows in 60 s; 2×: 52 M rows in 126 s; 4×: 104 M rows in 270 s
    return [{"payroll_rows": 26_000_000, "wall_seconds": 65.0, "model_seconds": 60.0, "peak_rss_mb": 4000},
            {"payroll_rows": 52_000_000, "wall_seconds": 131.0, "model_seconds": 126.0, "peak_rss_mb": 8000},
            {"payroll_rows": 104_000_000, "wall_seconds": 280.0, "model_seconds": 270.0, "peak_rss_mb": 12000}]


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
    for size in (1, 2):
        folder = data if size == 1 else tmp_path / f"national_x{size}"
        folder.mkdir()
        (folder / "payroll.parquet").write_bytes(b"")   # present: not generated again
    assert growth.extract(data, 1) == data
    assert growth.extract(data, 2) == Path(tmp_path / "national_x2")
