"""Our disclosure control side by side with tau-ARGUS (pytauargus, optimal method).

The anchor: statistical offices protect each table on its own with tau-ARGUS. This
script takes the same exact figures (audit.disclosure_figures_exact of the build
warehouse, after `make publish`), protects every quarter's tables one by one with
pytauargus's optimal method (OPT, HiGHS) and the frequency rule FREQ(10, 10):

* per quarter and stock measure: region × target group, with both totals;
* per quarter and flow measure: region (all groups) with the national total, and
  target group (national) with `all`;
* per quarter and flow direction: region × flow reason (the reason total is the flow);
* per quarter and sheltered-work count: region with the national total.

Jobs follow their working persons and derived figures their inputs, as in ours.
Then our audit (banenafspraak.disclosure.audit, every relation across tables and
quarters) is run on both patterns, and the script reports, side by side: primary and
secondary suppressions, persons hidden (sum of the suppressed counts) and how many
small cells a reader can pin to an interval narrower than `disclosure_protection`.

Usage: scripts/benchmark_disclosure.py [--warehouse W] [--out benchmark/disclosure]
Needs pytauargus (requirements-benchmark.txt; `make benchmark-disclosure` installs it).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from banenafspraak.config import ROOT, config
from banenafspraak.disclosure.audit import audit_publication
from banenafspraak.disclosure.cells import KEY, derived_inputs, log, primary_cells
from banenafspraak.disclosure.protection import REPORT_HEADLINES
from banenafspraak.disclosure.publication_figures import statuses
from banenafspraak.disclosure.relations import area_level

STOCKS = ["persons_registered", "persons_working", "persons_not_working"]


def tau_table(detail: pd.DataFrame, dims: list[str], workdir: Path, min_persons: int) -> pd.DataFrame:
    """Protect one table (detail cells: dims + value) with tau-ARGUS; returns dims + status."""
    if not detail["value"].between(1, min_persons - 1).any():
        return pd.DataFrame(columns=dims + ["tau_status"])   # nothing to protect (tau-ARGUS crashes on all-zero tables)
    workdir.mkdir(parents=True, exist_ok=True)
    lines = [";".join(f'"{row[d]}"' for d in dims) + f";{int(row['value'])};{int(row['value'])}"
             for _, row in detail.iterrows()]
    (workdir / "t.tab").write_text("\n".join(lines) + "\n")
    rda = ['<SEPARATOR> ";"']
    for d in dims:
        rda += [d, "  <RECODEABLE>", '  <TOTCODE> "Total"']
    rda += ["value", "  <NUMERIC>", "freq", "  <FREQUENCY>"]
    (workdir / "t.rda").write_text("\n".join(rda) + "\n")
    spec = "".join(f'"{d}"' for d in dims)
    (workdir / "t.arb").write_text("\n".join([
        '<OPENTABLEDATA> "t.tab"', '<OPENMETADATA> "t.rda"', f'<SPECIFYTABLE> {spec}|"value"||',
        f"<SAFETYRULE> FREQ({min_persons},10)", "<READTABLE> 1", "<SUPPRESS> OPT(1,1)",
        '<WRITETABLE> (1,5,SO+,"out.tab")']) + "\n")
    # one process per table: the engine is native code, a crash must not take the benchmark down
    run = subprocess.run([str(Path(sys.executable).parent / "tauargus"), "run", str(workdir / "t.arb")],
                         cwd=workdir, capture_output=True, text=True)
    if run.returncode != 0 or not (workdir / "out.tab").exists():
        raise RuntimeError(f"tau-ARGUS failed on {workdir} (exit {run.returncode}): {run.stderr[-500:]}")
    out = pd.read_csv(workdir / "out.tab", sep=";", header=None, quotechar='"', dtype=str)
    out = out.iloc[:, list(range(len(dims))) + [len(dims) + 3]]
    out.columns = dims + ["tau_status"]
    for d in dims:                      # tau-ARGUS pads codes to the longest
        out[d] = out[d].str.strip()
    out["tau_status"] = out["tau_status"].str.strip()
    return out


def tau_pattern(cells: pd.DataFrame, min_persons: int, workdir: Path) -> np.ndarray:
    """Suppressed cells (bool per cell) when every table is protected on its own by tau-ARGUS."""
    counts = cells[cells["value_kind"].eq("count")]
    index = {tuple(k): i for i, k in zip(cells.index, cells[KEY[1:]].itertuples(index=False), strict=True)}
    suppressed = np.zeros(len(cells), bool)
    number = 0

    def apply(out: pd.DataFrame, to_key) -> None:
        for row in out.itertuples(index=False):
            if row.tau_status in ("U", "M", "D"):     # unsafe (primary), secondary, any other hidden mark
                key = to_key(row)
                if key in index:
                    suppressed[index[key]] = True

    for period, quarter in counts.groupby("period"):
        plain = quarter[quarter["breakdown"].eq("all")]
        level = area_level(plain["region_code"])
        for measure in STOCKS:
            # regions × groups, and provinces × groups: two tables, each with its NL
            for areas in ("region", "province"):
                detail = plain[plain["measure"].eq(measure) & level.eq(areas) & ~plain["target_group"].eq("all")]
                if not len(detail):
                    continue
                number += 1
                out = tau_table(detail.rename(columns={"exact_value": "value"}), ["region_code", "target_group"],
                                workdir / f"t{number}", min_persons)
                apply(out, lambda r, m=measure, p=period: (p, "NL" if r.region_code == "Total" else r.region_code,
                                                          "all" if r.target_group == "Total" else r.target_group,
                                                          "all", m))
        # the classes of a breakdown × groups, nationally: one table per breakdown and measure
        classes = quarter[quarter["region_code"].eq("NL") & ~quarter["target_group"].eq("all")
                          & quarter["breakdown"].str.contains(":")
                          & ~quarter["breakdown"].str.startswith(("inflow:", "outflow:"))]
        for (_family, measure), detail in classes.groupby([classes["breakdown"].str.split(":").str[0],
                                                          classes["measure"]]):
            number += 1
            out = tau_table(detail.rename(columns={"exact_value": "value"}), ["breakdown", "target_group"],
                            workdir / f"t{number}", min_persons)
            apply(out, lambda r, m=measure, p=period: (p, "NL", "all" if r.target_group == "Total" else r.target_group,
                                                      "all" if r.breakdown == "Total" else r.breakdown, m))
        for measure in sorted(set(plain["measure"]) - set(STOCKS)):
            rows = plain[plain["measure"].eq(measure) & level.isin(["region", "national"])]
            by_region = rows[rows["target_group"].eq("all") & ~rows["region_code"].eq("NL")]
            by_group = rows[rows["region_code"].eq("NL") & ~rows["target_group"].eq("all")]
            for detail, dim in ((by_region, "region_code"), (by_group, "target_group")):
                if len(detail) < 2:
                    continue
                number += 1
                # a one-way table as region × a single category: tau-ARGUS's optimal method crashes
                # (segmentation fault) on one-way tables
                out = tau_table(detail.rename(columns={"exact_value": "value"}).assign(one="x"), [dim, "one"],
                                workdir / f"t{number}", min_persons)
                out = out[out["one"] == "x"]

                def key(r, m=measure, p=period, d=dim):
                    code = getattr(r, d)
                    if d == "region_code":
                        return (p, "NL" if code == "Total" else code, "all", "all", m)
                    return (p, "NL", "all" if code == "Total" else code, "all", m)
                apply(out, key)
        reasons = quarter[quarter["breakdown"].str.startswith(("inflow:", "outflow:"))
                          & quarter["target_group"].eq("all") & ~quarter["region_code"].eq("NL")]
        for direction, detail in reasons.groupby(reasons["breakdown"].str.split(":").str[0]):
            number += 1
            detail = detail.assign(reason=detail["breakdown"].str.split(":").str[1])
            out = tau_table(detail.rename(columns={"exact_value": "value"}), ["region_code", "reason"],
                            workdir / f"t{number}", min_persons)
            apply(out, lambda r, p=period, d=direction: (
                p, "NL" if r.region_code == "Total" else r.region_code, "all",
                "all" if r.reason == "Total" else f"{d}:{r.reason}", d if r.reason == "Total" else "persons"))
    log(f"tau-ARGUS protected {number} tables")
    # jobs follow their working persons, derived figures their inputs (as in ours)
    keys = ["period_type", "period", "region_code", "target_group", "breakdown"]
    working = cells[cells["measure"].eq("persons_working") & suppressed]
    jobs = cells["value_kind"].eq("amount") & cells.set_index(keys).index.isin(working.set_index(keys).index)
    suppressed |= jobs.to_numpy()
    pairs = derived_inputs(cells)
    suppressed[pairs.loc[suppressed[pairs["input"].to_numpy(dtype=int)], "derived"].to_numpy(dtype=int)] = True
    return suppressed


def public_table(cells: pd.DataFrame, suppressed: np.ndarray) -> pd.DataFrame:
    public = cells[KEY].copy()
    public["value"] = np.where(suppressed, np.nan, cells["exact_value"])
    public["status"], public["symbol"] = statuses(suppressed, cells["exact_value"])
    return public


def headlines_hidden(cells: pd.DataFrame, suppressed: np.ndarray, min_persons: int) -> int:
    """Region headlines of the last quarter (a region's, UNKNOWN's or the nation's total
    registered, working and jobs: every group, no breakdown; not a province's) of at least
    min_persons that the pattern hides."""
    quarters = cells.loc[cells["period_type"].eq("quarter"), "period"]
    headline = (cells["period_type"].eq("quarter") & cells["period"].eq(quarters.max())
                & cells["target_group"].eq("all") & cells["breakdown"].eq("all")
                & ~cells["region_code"].str.startswith(("PV", "GM"))
                & cells["measure"].isin(REPORT_HEADLINES) & cells["exact_value"].ge(min_persons)).to_numpy()
    return int((headline & suppressed).sum())


def figures(cells: pd.DataFrame, suppressed: np.ndarray, min_persons: int, protection: float,
            name: str, seconds: float) -> dict:
    primary = primary_cells(cells, min_persons)
    in_lp = cells["value_kind"].isin(["count", "amount"]).to_numpy()
    counts = cells["value_kind"].eq("count").to_numpy()
    result = audit_publication(cells, public_table(cells, suppressed), None, min_persons, protection, quiet=True)
    narrow = result.table[result.table["upper"] - result.table["lower"] < protection - 1e-6]
    return {"method": name, "cells": len(cells), "primary": int((primary & in_lp).sum()),
            "secondary": int((suppressed & ~primary & in_lp).sum()),
            "persons_hidden": int(cells.loc[suppressed & counts, "exact_value"].sum()),
            "headlines_hidden": headlines_hidden(cells, suppressed, min_persons),
            "small_cells_pinned_narrower_than_protection": int(len(narrow)),
            "small_cells_pinned_exactly": int((narrow["upper"] == narrow["lower"]).sum()),
            "seconds": round(seconds, 1)}


HEADER = ["method", "primary", "secondary", "persons_hidden", "headlines_hidden",
          "small_cells_pinned_narrower_than_protection", "small_cells_pinned_exactly", "seconds"]


def read_protected(warehouse: str) -> tuple[pd.DataFrame, np.ndarray, float]:
    """The exact cells of a published build warehouse (audit.disclosure_cells), our
    pattern on them and the seconds our protection took."""
    with duckdb.connect(warehouse, read_only=True) as con:
        cells = con.execute(f"select {', '.join(KEY)}, value_kind, cast(exact_value as double) as exact_value "
                            "from audit.disclosure_cells order by all").df()
        ours = con.execute(f"select suppression <> 'none' from audit.disclosure_cells order by "
                           f"{', '.join(KEY)}").df().iloc[:, 0].to_numpy()
        our_seconds = float(con.execute("select coalesce(max(try_cast(value as double)), 0) from "
                                        "audit.disclosure_settings where setting = 'seconds'").fetchall()[0][0])
    return cells, ours, our_seconds


def side_by_side(warehouse: str, min_persons: int, protection: float) -> tuple[list[dict], float]:
    """Ours and tau-ARGUS per table on the same figures, each audited jointly; and the
    ratio of secondary suppressions (ours / tau-ARGUS)."""
    cells, ours, our_seconds = read_protected(warehouse)
    log(f"{len(cells)} cells, {cells['period'].nunique()} periods")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=os.environ.get("TAU_WORKDIR")) as workdir:
        tau = tau_pattern(cells, min_persons, Path(workdir))
    tau_seconds = time.perf_counter() - started
    rows = [figures(cells, ours, min_persons, protection, "ours (joint, all quarters)", our_seconds),
            figures(cells, tau, min_persons, protection, "tau-ARGUS OPT per table", tau_seconds)]
    return rows, rows[0]["secondary"] / max(rows[1]["secondary"], 1)


def markdown(rows: list[dict], header: list[str]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(str(r[h]) for h in header) + " |" for r in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    settings = config()
    parser.add_argument("--warehouse", default=str(settings.warehouse))
    parser.add_argument("--out", default=str(ROOT / "benchmark" / "disclosure"))
    args = parser.parse_args(argv)
    min_persons = int(settings.var("disclosure_min_persons", 10))
    protection = float(settings.var("disclosure_protection", 10))
    rows, ratio = side_by_side(args.warehouse, min_persons, protection)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "disclosure_benchmark.json").write_text(json.dumps({"rows": rows, "secondary_ratio": ratio}, indent=2))
    lines = markdown(rows, HEADER) + [f"\nSecondary suppressions, ours / tau-ARGUS: {ratio:.2f}"]
    (out / "disclosure_benchmark.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
