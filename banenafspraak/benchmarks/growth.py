"""Growth: the full build and the refresh at 1×, 2× and 4× the national register.

`make benchmark` ends with it, and `make benchmark-growth` runs it alone. For each
size it uses the generator's national extract with that many times the register's
persons on the first day (`--stock`; 1× is the extract of `make benchmark`,
`<data>_x2` and `<data>_x4` beside it, generated when absent), and the same extract as
it was one quarter earlier (`<folder>_previous`, `--through`). Each is built as the
README's real-extract command builds it: `dbt build` without tests, the profile's
defaults (one model at a time, DuckDB's memory limit 50 % of the machine, spilling to
disk beyond it). Per size: the limit (one DuckDB scan of the payroll, median of
three); one full build; the previous quarter's extract built and then refreshed with
the new one (the refresh measured), and the refreshed warehouse's marts compared with
the full build's. Reported per size: payroll rows, wall time, model time (the models'
own times from run_results.json), peak RSS of the build's process tree, the ratios to
1× (time over rows: 1.0 is linear), × the limit, the refresh's share of the full
build and whether the marts are identical. Written as growth.json, growth.md and
growth.svg (time and memory against size) into --out.

Usage: python -m banenafspraak benchmark-growth [--data DIR] [--out DIR] [--sizes 1,2,4]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import duckdb

from banenafspraak.benchmarks import national
from banenafspraak.config import ROOT
from banenafspraak.sql import sql_literal
from banenafspraak.synthetic.common import SCALES

log = national.log


def extract(data: Path, size: int, through: str | None = None) -> Path:
    """The national extract at `size` times the register (generated when absent); with
    `through`, the same extract as it was at that quarter (`<folder>_previous`)."""
    folder = data if size == 1 else data.with_name(f"{data.name}_x{size}")
    extra = ["--stock", str(SCALES["national"].stock * size)]
    if through is not None:
        folder = folder.with_name(folder.name + "_previous")
        extra += ["--through", through]
    if not (folder / "payroll.parquet").exists():
        national.generate(folder, *extra)
    return folder


# Relations compared between the refreshed and the fully built warehouse: every table of
# the marts (publication_info names the run, so it differs by design) and the audit's
# reconciliation and quarantine.
COMPARED_SQL = """
select table_schema || '.' || table_name from information_schema.tables
where table_catalog = current_database() and table_type = 'BASE TABLE'
  and ((table_schema = 'marts' and table_name <> 'publication_info')
       or (table_schema = 'audit' and (table_name = 'reconciliation' or starts_with(table_name, 'quarantine_'))))
order by 1
"""


def differing_rows(full: Path, refreshed: Path) -> dict[str, int]:
    """Rows that differ (EXCEPT ALL both ways) per relation between two warehouses;
    relations that agree are left out, so {} means identical."""
    found = {}
    with duckdb.connect(str(full), read_only=True) as con:
        con.execute(f"attach {sql_literal(refreshed)} as refreshed (read_only)")
        for (relation,) in con.execute(COMPARED_SQL).fetchall():
            mine, theirs = f"select * from {relation}", f"select * from refreshed.{relation}"
            count = con.execute(f"select (select count(*) from ({mine} except all {theirs})) "
                                f"+ (select count(*) from ({theirs} except all {mine}))").fetchall()[0][0]
            if count:
                found[relation] = count
    return found


def build(folder: Path, previous: Path, out: Path, label: str) -> dict:
    """At one size: the limit (one payroll scan, median of three); one full build, models only, as the
    README's command runs it; the warehouse built on the previous quarter's extract and
    refreshed with this one (the refresh measured); the marts of both compared."""
    full, refreshed, target = out / "growth.duckdb", out / "growth_refresh.duckdb", out / "target-growth"

    def remove(*warehouses: Path) -> None:
        for warehouse in warehouses:
            for suffix in ("", ".wal"):
                Path(str(warehouse) + suffix).unlink(missing_ok=True)

    def dbt_build(source: Path, warehouse: Path, step: str) -> tuple[float, int, float]:
        env = {"WAREHOUSE_PATH": str(warehouse), "DBT_PROFILES_DIR": str(ROOT)}
        command = [str(national.BIN / "dbt"), "build", "--exclude", "test_type:data", "test_type:unit",
                   "--vars", json.dumps({"raw_path": str(source), "raw_format": "parquet"}),
                   "--target-path", str(target), "--log-path", str(out / "logs")]
        log(f"{label}: {step} …")
        wall, rss = national.measured(command, env, f"{label} {step}")
        model, _ = national.model_seconds(target)
        log(f"{label}: {step}: wall {wall:.1f} s, models {model:.1f} s, peak {rss} MB")
        return wall, rss, model

    remove(full, refreshed)
    # the limit is a few seconds: the median of three, as in make benchmark (a single run
    # was off by a cold file cache: 4.5 s at 1× against a median of 1.8 s)
    limit = statistics.median(national.measured(national.limit_command(folder), None, f"{label} limit")[0]
                              for _ in range(3))
    wall, rss, model = dbt_build(folder, full, f"full build of {folder}")
    dbt_build(previous, refreshed, f"build of the previous quarter's extract {previous}")
    refresh_wall, refresh_rss, refresh_model = dbt_build(folder, refreshed, "refresh with the new extract")
    differing = differing_rows(full, refreshed)
    remove(full, refreshed)
    with duckdb.connect() as con:
        rows = con.execute("select count(*) from read_parquet(?)", [str(folder / "payroll.parquet")]).fetchall()[0][0]
    log(f"{label}: {rows:,} payroll rows; refresh {100 * refresh_model / model:.1f} % of the full build; "
        f"marts {'identical' if not differing else f'DIFFER: {differing}'}")
    return {"payroll_rows": rows, "wall_seconds": round(wall, 1), "model_seconds": round(model, 1),
            "peak_rss_mb": rss, "limit_seconds": round(limit, 2), "times_limit": round(model / limit, 1),
            "refresh_wall_seconds": round(refresh_wall, 1), "refresh_model_seconds": round(refresh_model, 1),
            "refresh_peak_rss_mb": refresh_rss, "refresh_share": round(refresh_model / model, 3),
            "refresh_differing_rows": differing}


def ratios(rows: list[dict]) -> list[dict]:
    """Each size's ratios to the first (1×): rows, wall, model time, memory, and model time
    over rows (1.0: linear growth)."""
    base = rows[0]
    for row in rows:
        row["rows_ratio"] = round(row["payroll_rows"] / base["payroll_rows"], 2)
        row["wall_ratio"] = round(row["wall_seconds"] / base["wall_seconds"], 2)
        row["model_ratio"] = round(row["model_seconds"] / base["model_seconds"], 2)
        row["memory_ratio"] = round(row["peak_rss_mb"] / base["peak_rss_mb"], 2)
        row["model_over_rows"] = round(row["model_ratio"] / row["rows_ratio"], 2)
    return rows


def svg(rows: list[dict]) -> str:
    """Model time (s) and peak RSS (GB) against payroll rows (millions): two lines on
    one chart, each with its own scale (left: seconds; right: GB)."""
    width, height, left, right, top, bottom = 560, 320, 60, 60, 30, 50
    xs = [r["payroll_rows"] / 1e6 for r in rows]
    seconds = [r["model_seconds"] for r in rows]
    memory = [r["peak_rss_mb"] / 1024 for r in rows]
    x_max, s_max, m_max = max(xs) * 1.1, max(seconds) * 1.15, max(memory) * 1.15

    def point(x: float, y: float, y_max: float) -> tuple[float, float]:
        return (left + x / x_max * (width - left - right), height - bottom - y / y_max * (height - top - bottom))

    def line(values: list[float], y_max: float, colour: str) -> str:
        points = [point(x, y, y_max) for x, y in zip(xs, values, strict=True)]
        dots = "".join(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}"/>' for px, py in points)
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        return f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>{dots}'

    linear = [seconds[0] * x / xs[0] for x in xs]
    reference = ('<polyline points="' + " ".join(f"{px:.1f},{py:.1f}" for px, py in
                                                (point(x, y, s_max) for x, y in zip(xs, linear, strict=True)))
                 + '" fill="none" stroke="grey" stroke-dasharray="4 4"/>')
    labels = "".join(
        f'<text x="{point(x, 0, 1)[0]:.1f}" y="{height - bottom + 18}" text-anchor="middle" font-size="11">'
        f'{r["payroll_rows"] / 1e6:.0f} M ({r["rows_ratio"]}×)</text>' for x, r in zip(xs, rows, strict=True))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif">'
        f'<rect width="{width}" height="{height}" fill="white"/>'
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="black"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="black"/>'
        f'<line x1="{width - right}" y1="{top}" x2="{width - right}" y2="{height - bottom}" stroke="black"/>'
        f'<text x="{left}" y="18" font-size="12">model time (s), max {s_max:.0f}</text>'
        f'<text x="{width - right}" y="18" font-size="12" text-anchor="end">peak RSS (GB), max {m_max:.1f}</text>'
        f'<text x="{width / 2}" y="{height - 8}" font-size="12" text-anchor="middle">payroll rows</text>'
        f'{reference}{line(seconds, s_max, "steelblue")}{line(memory, m_max, "darkorange")}{labels}'
        f'<text x="{left + 10}" y="{top + 14}" font-size="11" fill="steelblue">model time</text>'
        f'<text x="{left + 10}" y="{top + 28}" font-size="11" fill="darkorange">peak RSS</text>'
        f'<text x="{left + 10}" y="{top + 42}" font-size="11" fill="grey">linear in rows (time)</text>'
        "</svg>\n")


def markdown(rows: list[dict], sizes: list[int], machine: str) -> str:
    lines = [f"Growth, measured {time.strftime('%Y-%m-%d %H:%M')} on {machine}: one full build (models "
             "only, the profile's defaults) per size.", "",
             "| size | payroll rows | wall (s) | model time (s) | peak RSS (MB) | rows × 1× | model time × 1× "
             "| model time over rows (1.0 = linear) | peak RSS × 1× |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size, r in zip(sizes, rows, strict=True):
        lines.append(f"| {size}× | {r['payroll_rows']:,} | {r['wall_seconds']} | {r['model_seconds']} "
                     f"| {r['peak_rss_mb']} | {r['rows_ratio']} | {r['model_ratio']} | {r['model_over_rows']} "
                     f"| {r['memory_ratio']} |")
    lines += ["", "The same sizes: the full build against the limit (one DuckDB scan of the payroll), and a "
                  "refresh (the warehouse built on the previous quarter's extract, then `dbt build` with this "
                  "one, the same command) against the full build. Marts: the refreshed warehouse's marts, "
                  "reconciliation and quarantine against the full build's (EXCEPT ALL both ways).", "",
              "| size | limit (s) | full build × limit | refresh wall (s) | refresh model time (s) "
              "| refresh share of the full build | refresh peak RSS (MB) | marts of refresh and full build |",
              "|---|---:|---:|---:|---:|---:|---:|---|"]
    for size, r in zip(sizes, rows, strict=True):
        differing = r["refresh_differing_rows"]
        verdict = "identical" if not differing else "differ: " + ", ".join(f"{k} {v}" for k, v in differing.items())
        lines.append(f"| {size}× | {r['limit_seconds']} | {r['times_limit']} | {r['refresh_wall_seconds']} "
                     f"| {r['refresh_model_seconds']} | {100 * r['refresh_share']:.1f} % | {r['refresh_peak_rss_mb']} "
                     f"| {verdict} |")
    return "\n".join(lines + ["", "Plot: growth.svg (model time and peak RSS against payroll rows)."]) + "\n"


def run(data: Path, out: Path, sizes: list[int]) -> list[dict]:
    out.mkdir(parents=True, exist_ok=True)
    previous_quarter = national.quarter_before(SCALES["national"].last_quarter)
    rows = ratios([build(extract(data, size), extract(data, size, through=previous_quarter), out, f"growth {size}×")
                   for size in sizes])
    memory_gb = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    machine = f"{os.cpu_count()} cores, {memory_gb} GB"
    report = {"sizes": sizes, "machine": machine, "results": rows, "measured_at": time.strftime("%Y-%m-%d %H:%M")}
    (out / "growth.json").write_text(json.dumps(report, indent=2))
    (out / "growth.svg").write_text(svg(rows))
    text = markdown(rows, sizes, machine)
    (out / "growth.md").write_text(text)
    print(text)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "data" / "national",
                        help="the 1× national Parquet (generated when absent); the larger ones beside it")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmark")
    parser.add_argument("--sizes", default="1,2,4", help="multiples of the national register, 1 first")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if not sizes or sizes[0] != 1:
        parser.error("--sizes must start with 1 (the ratios are to 1×)")
    run(args.data, args.out, sizes)
    return 0
