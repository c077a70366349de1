"""Synthetic raw data for the banenafspraak warehouse (raw contract, version 1).

Writes the five raw tables (persons, residences, register_spells, payroll,
sheltered_work_requests) as CSV or Parquet. Everything is synthetic: no real
person is described. The same --seed always gives the same files.

The simulation is vectorised with numpy (no per-row Python loops); DuckDB formats
the identifiers and writes the files, so national scale (tens of millions of
payroll rows) generates in minutes.

What the data contains, on purpose (see README, "Demo data"):
  * all 35 labour-market regions, all four target groups;
  * inflow for every inflow reason and outflow for every outflow reason;
  * group changes, moves between regions (some together with a group change),
    overlapping spells, spells shorter than a quarter, persons without a
    residence, deaths (also where the register was not updated), pension age;
  * payroll corrections (several rows per employment-month), several
    employments at once, market and government employers, zero-hour months,
    `sheltered_work` and `wsw_sheltered` employments;
  * beschut werk requests by municipalities and citizens, all four decisions,
    advices that expire, and positive advices with and without sheltered work;
  * job starts, changes and losses such that about two thirds of the people who
    start a job still work a year later and about a third in the same job.
Rates are roughly those of UWV's publications: about half of the registered
persons work, about 2 % of the stock flows in and about 1 % flows out per quarter.

Usage:
  generate_raw.py --scale demo --format csv --out seeds/demo
  generate_raw.py --scale national --format parquet --out /data/raw_national
  generate_raw.py --scale national --through 2024Q3 ...   # data as known then

The code is split by topic: common.py (scales, rates, helpers), persons.py (persons and
register spells), residences.py, sheltered.py (beschut werk requests), employment.py
(employments and payroll), generator.py (the state and the cut-off), writing.py and
faults.py (the tables and the --faults rows); this module is the command line.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from banenafspraak.synthetic.common import SCALES, TABLES, Progress, Scale
from banenafspraak.synthetic.generator import Generator
from banenafspraak.synthetic.writing import write

# what drives the generator from Python, importable from here as before the split
__all__ = ["SCALES", "TABLES", "Generator", "Progress", "Scale", "main", "write"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="demo", help="demo, small or national (default demo)")
    parser.add_argument("--stock", type=int, help="override: persons registered on the first day")
    parser.add_argument("--first-quarter", help="override: first quarter with payroll (YYYYQn)")
    parser.add_argument("--last-quarter", help="override: last quarter simulated (YYYYQn)")
    parser.add_argument("--through", help="write only what is known at the end of this quarter")
    parser.add_argument("--format", choices=["csv", "parquet"], default="parquet")
    parser.add_argument("--out", required=True, type=Path, help="output directory")
    parser.add_argument("--seed", type=int, default=20150401)
    parser.add_argument("--faults", action="store_true", help="add a few contract-breaking rows")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.scale not in SCALES:
        parser.error(f"unknown scale {args.scale!r}; choose from {', '.join(SCALES)}")
    base = SCALES[args.scale]
    scale = Scale(
        stock=args.stock or base.stock,
        first_quarter=args.first_quarter or base.first_quarter,
        last_quarter=args.last_quarter or base.last_quarter,
    )
    progress = Progress(args.quiet)
    progress.step(f"generating {args.scale} data, {scale.first_quarter}..{scale.last_quarter}, seed {args.seed}")
    gen = Generator(scale, args.seed, progress)
    gen.persons_and_spells()
    gen.residences()
    gen.sheltered_work()
    gen.employments()
    gen.payroll()
    gen.cut_off(args.through or scale.last_quarter)
    counts = write(gen, args.out, args.format, args.faults, progress)
    progress.step("done: " + ", ".join(f"{t} {c:,}" for t, c in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
