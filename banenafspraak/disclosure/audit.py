"""The disclosure audit: can a reader of the public figures work out a small cell?

A reader knows every published value, every value an earlier vintage published that
has not changed since, that counts and jobs are never negative, and every linear
relation between the cells (relations.py lists them).

For every primary cell (fewer than `disclosure_min_persons` contributing
persons) the audit computes, by linear programming over those facts (HiGHS,
lp.py), the smallest and largest value the cell can take, rounded inward to whole
persons for counts. A cell whose interval is narrower than `disclosure_protection`
fails: a reader could narrow it down too far. The audit also checks the rules
that need no solver: only the statuses `published` and `suppressed`, no
published count of 1 to 9, published values equal to the exact ones, jobs hidden
with their working persons, derived figures hidden with their inputs, and no cell
suppressed in an earlier vintage published again.

Derived figures (shares, changes, job growth, paid hours) are not in the linear
system: they are published only when every input is, so they add nothing a reader
could not compute.

The earlier vintages are read from the history itself (index.json and each
vintage's cells.parquet); the audit stops with status 2 when the protection did not
build on every one of them, or when one it built on is missing.

Usage (run by `make publish` through run_audit, and by the tests):
  scripts/disclosure_audit.py [--warehouse build.duckdb] [--history publish/history]
Exit status 0 when the publication passes, 1 when it fails (the failing cells
listed), 2 on a usage or input error.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from banenafspraak.config import config
from banenafspraak.disclosure.cells import KEY, LP_KINDS, TOLERANCE, derived_inputs, primary_cells
from banenafspraak.disclosure.intervals import intervals
from banenafspraak.disclosure.publication_figures import NOT_APPLICABLE_SYMBOL, STATUSES, SYMBOL
from banenafspraak.disclosure.relations import build_relations, check_relations_hold
from banenafspraak.disclosure.vintages import read_vintages, reader_knowledge


@dataclass
class AuditResult:
    passed: bool
    cells: int
    published: int
    suppressed: int
    primary: int
    checked: int
    narrowest: dict | None
    seconds: float
    problems: list[str]
    table: pd.DataFrame

    def summary(self) -> dict:
        return {"passed": self.passed, "cells": self.cells, "published": self.published,
                "suppressed": self.suppressed, "primary": self.primary, "cells_checked": self.checked,
                "narrowest_interval": self.narrowest, "seconds": round(self.seconds, 2),
                "problems": self.problems[:50], "problem_count": len(self.problems)}


def audit_publication(exact: pd.DataFrame, public: pd.DataFrame, previous: pd.DataFrame | None,
                      min_persons: int = 10, protection: float = 10, quiet: bool = False,
                      exhaustive: bool = False) -> AuditResult:
    """Audit a publication (public: KEY, value, status, symbol) against the exact cells."""
    started = time.perf_counter()
    problems: list[str] = []
    cells = exact.reset_index(drop=True)
    merged = cells[KEY].merge(public[KEY + ["value", "status", "symbol"]], on=KEY, how="outer", indicator=True)
    if (merged["_merge"] != "both").any():
        extra = merged[merged["_merge"] != "both"]
        problems.append(f"{len(extra)} cell(s) differ between the exact figures and the publication, e.g. "
                        + "/".join(map(str, extra.iloc[0][KEY].tolist())))
    public = cells[KEY].merge(public, on=KEY, how="left")
    status = public["status"].fillna("missing")
    bad_status = sorted(set(status) - set(STATUSES))
    if bad_status:
        problems.append(f"statuses other than {'/'.join(STATUSES)}: {bad_status}")
    suppressed = status.eq("suppressed").to_numpy()
    published = status.eq("published").to_numpy()
    not_applicable = status.eq("not_applicable").to_numpy()
    if public.loc[suppressed | not_applicable, "value"].notna().any():
        problems.append("a suppressed or not_applicable cell carries a value")
    if public.loc[published, "value"].isna().any():
        problems.append("a published cell has no value (not_applicable is the status for that)")
    if (public.loc[suppressed, "symbol"] != SYMBOL).any() or public.loc[published, "symbol"].notna().any() \
            or (public.loc[not_applicable, "symbol"] != NOT_APPLICABLE_SYMBOL).any():
        problems.append("the symbol is not '.' on exactly the suppressed cells and blank on the not_applicable ones")
    for i in np.flatnonzero(not_applicable & cells["exact_value"].notna().to_numpy())[:10]:
        problems.append(f"not_applicable while the figure exists: {'/'.join(map(str, cells.loc[i, KEY]))}")
    exact_value = cells["exact_value"].to_numpy(dtype=float)
    shown = public["value"].to_numpy(dtype=float)
    differs = published & ~((np.isnan(exact_value) & np.isnan(shown)) | (np.abs(exact_value - shown) <= TOLERANCE))
    for i in np.flatnonzero(differs)[:10]:
        problems.append(f"published value differs from the exact one: {'/'.join(map(str, cells.loc[i, KEY]))}")
    primary = primary_cells(cells, min_persons)
    for i in np.flatnonzero(primary & published)[:20]:
        problems.append(f"primary cell published: {'/'.join(map(str, cells.loc[i, KEY]))} "
                        f"= {cells.loc[i, 'exact_value']}")
    pairs = derived_inputs(cells)
    # a derived figure shown (or shown as not applicable: that tells a hidden denominator is 0)
    # while a figure it is made of is hidden
    leaky = pairs[(published | not_applicable)[pairs["derived"].to_numpy(dtype=int)]
                  & suppressed[pairs["input"].to_numpy(dtype=int)]]
    for d in leaky["derived"].unique()[:10]:
        problems.append(f"derived figure {status.iloc[d]} while an input is suppressed: "
                        f"{'/'.join(map(str, cells.loc[d, KEY]))}")
    known, suppressed_before = reader_knowledge(cells, previous)
    for i in np.flatnonzero(suppressed_before & published)[:10]:
        problems.append(f"suppressed in an earlier vintage, published now: {'/'.join(map(str, cells.loc[i, KEY]))}")

    relations = build_relations(cells)
    check_relations_hold(cells, relations)
    in_lp = cells["value_kind"].isin(LP_KINDS).to_numpy()
    hidden = suppressed & ~known & in_lp
    targets = primary & in_lp
    pinned_known = targets & known
    for i in np.flatnonzero(pinned_known)[:10]:
        problems.append(f"primary cell already published unchanged in an earlier vintage: "
                        f"{'/'.join(map(str, cells.loc[i, KEY]))}")
    table, _ = intervals(cells, relations, hidden, targets & hidden, protection, exact=exhaustive, quiet=quiet)
    table["width"] = table["upper"] - table["lower"]
    narrow = table[table["width"] < protection - TOLERANCE]
    for row in narrow.head(30).itertuples():
        problems.append(f"cell can be narrowed to [{row.lower:g}, {row.upper:g}] (width {row.width:g} < "
                        f"{protection:g}): {'/'.join(map(str, cells.loc[row.cell, KEY]))} = "
                        f"{cells.loc[row.cell, 'exact_value']:g}")
    narrowest = None
    if len(table):
        row = table.sort_values(["width", "cell"]).iloc[0]
        narrowest = {"cell": "/".join(map(str, cells.loc[int(row.cell), KEY])), "lower": float(row.lower) + 0.0,
                     "upper": float(row.upper), "width": float(row.width)}
    result = AuditResult(passed=not problems, cells=len(cells), published=int(published.sum()),
                         suppressed=int(suppressed.sum()), primary=int(primary.sum()),
                         checked=int(len(table)), narrowest=narrowest,
                         seconds=time.perf_counter() - started, problems=problems, table=table)
    return result


def read_publication(warehouse: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        exact = con.execute(f"select {', '.join(KEY)}, value_kind, cast(exact_value as double) as exact_value "
                            "from audit.disclosure_figures_exact order by all").df()
        public = con.execute(f"select {', '.join(KEY)}, cast(value as double) as value, status, symbol "
                             "from publication.figures").df()
        settings = dict(con.execute("select setting, value from audit.disclosure_settings").fetchall())
    return exact, public, settings


def run_audit(warehouse: Path, history: Path) -> tuple[int, dict]:
    """Audit the protected figures of a build warehouse against every vintage in the
    history; prints the verdict. Returns (exit status, summary)."""
    if not warehouse.exists():
        print(f"disclosure audit: {warehouse}: no such warehouse (run make publish first)", file=sys.stderr)
        return 2, {}
    try:
        exact, public, settings = read_publication(warehouse)
    except duckdb.Error as error:
        print(f"disclosure audit: {warehouse}: {error} (run scripts/disclosure.py first)", file=sys.stderr)
        return 2, {}
    # every earlier vintage, read from the history itself; the protection must have seen them all
    try:
        vintages, previous = read_vintages(history)
    except FileNotFoundError as error:
        print(f"disclosure audit: {error}", file=sys.stderr)
        return 2, {}
    seen = json.loads(settings.get("earlier_vintages") or "[]")
    unseen = [v for v in vintages if v not in seen and v != settings.get("vintage")]
    if unseen:
        print(f"disclosure audit: the protection did not build on the vintage(s) {', '.join(unseen)} of "
              f"{history}: run the protection again", file=sys.stderr)
        return 2, {}
    missing = [v for v in seen if v not in vintages]
    if missing:
        print(f"disclosure audit: the earlier vintage(s) {', '.join(missing)} the protection built on are "
              f"missing from {history}", file=sys.stderr)
        return 2, {}
    result = audit_publication(exact, public, previous, int(settings["disclosure_min_persons"]),
                               float(settings["disclosure_protection"]))
    summary = result.summary()
    narrowest = summary["narrowest_interval"]
    print(f"disclosure audit: {'PASSED' if result.passed else 'FAILED'}: {result.cells} cells, "
          f"{result.published} published, {result.suppressed} suppressed, {result.primary} primary; "
          f"{len(vintages)} earlier vintage(s); "
          f"{result.checked} primary cells checked by linear programming in {result.seconds:.1f} s; "
          + (f"narrowest interval [{narrowest['lower'] + 0.0:g}, {narrowest['upper'] + 0.0:g}] (width "
             f"{narrowest['width']:g}) for {narrowest['cell']}" if narrowest else "no primary cell"), flush=True)
    for problem in result.problems[:40]:
        print(f"  FAIL {problem}")
    sys.stdout.flush()
    return (0 if result.passed else 1), summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    settings = config()
    parser.add_argument("--warehouse", default=str(settings.warehouse))
    parser.add_argument("--history", default=None,
                        help="the vintage history (default: publish/history next to PUBLISH_PATH)")
    parser.add_argument("--json", help="write the summary here as JSON (it names cells with their exact values)")
    args = parser.parse_args(argv)
    history = Path(args.history) if args.history else settings.history
    code, summary = run_audit(Path(args.warehouse), history)
    if args.json and summary:
        descriptor = os.open(args.json, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(json.dumps(summary, indent=2))
    return code


if __name__ == "__main__":
    sys.exit(main())
