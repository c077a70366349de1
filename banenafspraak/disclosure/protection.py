"""Disclosure control: the public figures, with small groups protected.

Reads every publishable figure exactly (`audit.disclosure_figures_exact`, built by
dbt), decides which cells the public sees, and writes, into the build warehouse:

* `publication.figures`: one row per cell; `value` NULL and `status` `suppressed`
  with the symbol `.` for every hidden cell, whatever the reason, else the exact
  value and `published`;
* `audit.disclosure_cells`: the same cells with the exact value, why each is
  hidden (`primary` / `secondary`) and the interval the audit proved;
* `audit.disclosure_settings`: the settings and the vintages it builds on
(all three written by publication_figures.write_publication_figures).

Steps:
1. Primary: a count with 1 to `disclosure_min_persons` − 1 persons; jobs whose
   cell has that few working persons. Zero is published as 0.
2. Vintages: every earlier vintage in the history counts, withdrawn ones too
   (readers downloaded them). A cell suppressed in any of them stays suppressed; a
   value one of them published and unchanged since is known to the reader (it
   cannot hide anything now). A published cell that a revision pushed below the
   threshold is suppressed and reported.
3. Secondary, greedily: every relation a reader knows (see relations.py)
   with exactly one hidden cell gets a second one, the cheapest: not a headline (a
   region's or the nation's total registered, working or jobs, or a flow's start or
   end stock, which equals one), not a total, with at least `disclosure_protection`
   persons, and of those the smallest (least information lost); then the audit computes every primary
   cell's interval by linear programming and each cell narrower than
   `disclosure_protection` gets one more partner, until the audit passes.
4. Cleanup (cleanup.py): the secondary cells are tried again, the most costly first
   (headlines, then totals, then the largest), and each is published again when every
   small cell can still be shown safe without it. Then every small cell is audited
   again, and repaired should one be too narrow.
5. Headlines (publish_headlines): the newest quarter's region and national totals
   still hidden as secondaries are tried once more, one at a time: published again,
   with detail cells hidden instead by the repair rounds (never another headline).
   One stays hidden when no detail cell can protect without it: for instance when a
   region's registered and working totals would then pin its persons not working.
   Every small cell is audited again after the pass; should one fail, the pass is undone.
6. Derived figures (shares, changes, growth, paid hours) are hidden when one of
   their inputs is.

Usage: scripts/disclosure.py [--warehouse build.duckdb] [--history publish/history]
       [--min-persons 10] [--protection 10]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from scipy import sparse

from banenafspraak.config import config
from banenafspraak.disclosure.cells import KEY, LP_KINDS, TOLERANCE, derived_inputs, log, primary_cells
from banenafspraak.disclosure.cleanup import cleanup as publish_again
from banenafspraak.disclosure.cleanup import near
from banenafspraak.disclosure.intervals import intervals
from banenafspraak.disclosure.publication_figures import write_publication_figures
from banenafspraak.disclosure.relations import Relations, build_relations, check_relations_hold
from banenafspraak.disclosure.vintages import previous_published_mask, read_index, read_vintages, reader_knowledge

MAX_ROUNDS = 60
HEADLINE_HOPS = 8      # a headline published again: the small cells audited before the full audit
HEADLINE_ROUNDS = 4    # and the repair rounds it gets to protect them with detail cells


# What users read first: a region's or the nation's total registered, working and jobs
# (every group, no breakdown), the headline of every report (REPORT_HEADLINES, which
# benchmark-disclosure counts when hidden); and the flows' start and end stocks, which
# equal a quarter's headline (hiding one forces hiding the headline too).
REPORT_HEADLINES = ("persons_registered", "persons_working", "jobs")
HEADLINES = REPORT_HEADLINES + ("registered_start", "registered_end", "working_start", "working_end")


def headlines(cells: pd.DataFrame) -> np.ndarray:
    """The headline cells: HEADLINES of every region and NL, every group, no breakdown (a
    province's or municipality's total is not on a report's first page)."""
    return (cells["target_group"].eq("all") & cells["breakdown"].eq("all")
            & cells["measure"].isin(HEADLINES)
            & ~cells["region_code"].str.startswith(("GM", "PV"))).to_numpy()


def candidate_order(cells: pd.DataFrame, protection: float) -> np.ndarray:
    """Rank of each cell as a secondary partner: lower is cheaper to hide."""
    value = cells["exact_value"].fillna(0).to_numpy(dtype=float)
    total = (cells["region_code"].eq("NL") | cells["target_group"].eq("all")).to_numpy()
    big = value >= protection
    # a headline last; then not a total first; then cells big enough to give cover, smallest
    # first; then the largest small ones
    frame = pd.DataFrame({"headline": headlines(cells), "total": total, "small": ~big,
                          "size": np.where(big, value, -value), "cell": np.arange(len(cells))})
    order = frame.sort_values(["headline", "total", "small", "size", "cell"])["cell"].to_numpy()
    rank = np.empty(len(cells), dtype=int)
    rank[order] = np.arange(len(cells))
    return rank


def close_singletons(relations: Relations, suppressed: np.ndarray, known: np.ndarray,
                     allowed: np.ndarray, rank: np.ndarray) -> int:
    """Give every equality with exactly one hidden cell a second hidden cell. Returns cells added."""
    e = relations.equalities.tocsr()
    e_bool = (e != 0).astype(np.int32).tocsr()
    added = 0
    while True:
        hidden = (suppressed & ~known).astype(np.int32)
        per_row = e_bool @ hidden
        singles = np.flatnonzero(per_row == 1)
        if not len(singles):
            return added
        progress = False
        for row in singles:
            members = e.indices[e.indptr[row]:e.indptr[row + 1]]
            if (suppressed[members] & ~known[members]).sum() != 1:
                continue        # an earlier pick this round already covered it
            candidates = members[allowed[members] & ~suppressed[members] & ~known[members]]
            if not len(candidates):
                continue        # nothing can cover it: the audit will say so
            suppressed[candidates[np.argmin(rank[candidates])]] = True
            added += 1
            progress = True
        if not progress:
            return added


def find_partner(relations: Relations, cell: int, suppressed: np.ndarray, known: np.ndarray,
                 allowed: np.ndarray, rank: np.ndarray, max_hops: int = 8) -> int | None:
    """The cheapest cell to hide next for a cell that is still too narrow.

    Walks the relations outward from the cell through cells the reader does not know
    (hidden ones): a relation that pins the cell runs through them. At the first distance
    where publishable cells appear, the cheapest of them (candidate_order). None when
    nothing within max_hops relations can be hidden.
    """
    e = relations.equalities.tocsr()
    e_csc = relations.equalities.tocsc()
    frontier = np.array([cell])
    seen = np.zeros(len(suppressed), bool)
    seen[cell] = True
    for _ in range(max_hops):
        rows = np.unique(np.concatenate([e_csc.indices[e_csc.indptr[c]:e_csc.indptr[c + 1]] for c in frontier]))
        if not len(rows):
            return None
        near = np.unique(np.concatenate([e.indices[e.indptr[r]:e.indptr[r + 1]] for r in rows]))
        near = near[~seen[near]]
        seen[near] = True
        candidates = near[allowed[near] & ~suppressed[near] & ~known[near]]
        if len(candidates):
            return int(candidates[np.argmin(rank[candidates])])
        frontier = near[suppressed[near] & ~known[near]]
        if not len(frontier):
            return None
    return None


def latest_intervals(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """Each cell's interval from the last of the tables that has it."""
    tables = [t for t in tables if len(t)]
    if not tables:
        return pd.DataFrame(columns=["cell", "lower", "upper", "width"])
    return pd.concat(tables, ignore_index=True).drop_duplicates("cell", keep="last").reset_index(drop=True)


def too_narrow(table: pd.DataFrame, protection: float) -> int:
    """How many audited cells are narrower than the protection."""
    if not len(table):
        return 0
    return int(((table["upper"] - table["lower"]) < protection - TOLERANCE).sum())


# a quarter's flow end stock equals its stock (the reader knows one from the other): published
# again with it
END_STOCK = {"persons_registered": "registered_end", "persons_working": "working_end"}


def report_totals(cells: pd.DataFrame) -> np.ndarray:
    """The totals on the first page of a report: REPORT_HEADLINES of every region, NL and
    province, every group, no breakdown (a mask)."""
    return (cells["target_group"].eq("all") & cells["breakdown"].eq("all")
            & cells["measure"].isin(REPORT_HEADLINES) & ~cells["region_code"].str.startswith("GM")).to_numpy()


def newest_quarter(cells: pd.DataFrame) -> np.ndarray:
    """The cells of the newest quarter (a mask)."""
    quarter = cells["period_type"].eq("quarter")
    if not quarter.any():
        return np.zeros(len(cells), bool)
    return (quarter & cells["period"].eq(cells.loc[quarter, "period"].max())).to_numpy()


def newest_headlines(cells: pd.DataFrame, hidden: np.ndarray, protection: float) -> list[np.ndarray]:
    """The newest quarter's hidden report totals (report_totals) of `protection` or more,
    each with the end stock that equals it, in the order they are tried: NL, the
    regions, UNKNOWN, then the provinces; the largest first."""
    value = cells["exact_value"].fillna(0).to_numpy(dtype=float)
    found = np.flatnonzero(report_totals(cells) & newest_quarter(cells) & hidden
                           & (value >= protection - TOLERANCE))
    position = pd.Series(np.arange(len(cells)), index=pd.MultiIndex.from_frame(cells[KEY]))
    groups = []
    for cell in found.tolist():
        members = [cell]
        pair = END_STOCK.get(cells.at[cell, "measure"])
        if pair is not None:
            key = tuple(cells.loc[cell, KEY].tolist()[:-1]) + (pair,)
            if key in position.index and hidden[int(position[key])]:
                members.append(int(position[key]))
        groups.append(np.array(members))
    region = cells["region_code"].to_numpy()

    def order(group: np.ndarray) -> tuple:
        code = str(region[group[0]])
        level = 0 if code == "NL" else 3 if code.startswith("PV") else 2 if code == "UNKNOWN" else 1
        return (level, code == "PVUNKNOWN", -value[group[0]], int(group[0]))

    groups.sort(key=order)
    return groups


def publish_headlines(cells: pd.DataFrame, relations: Relations, suppressed: np.ndarray, known: np.ndarray,
                      small: np.ndarray, allowed: np.ndarray, rank: np.ndarray, protection: float,
                      state: dict, quiet: bool, candidates: np.ndarray,
                      table: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Publish again the newest quarter's hidden headlines, and then its provinces' totals,
    one at a time, by hiding detail cells instead (a headline costs far more than any
    detail cell).

    candidates: the cells that may be published again (secondary, not hidden in an earlier
    vintage). For each headline (newest_headlines), with it published, the small cells
    within HEADLINE_HOPS relations are audited and repaired with detail cells only (no
    headline hidden anew), for at most HEADLINE_ROUNDS rounds; when they pass, it stays
    published, else the pattern goes back to what it was. Then every small cell is
    audited and repaired (detail cells only); should that fail, every headline goes back
    to hidden, as before the pass. Returns (the cells published again, the intervals of
    the pattern kept); suppressed changes in place."""
    released = np.zeros(len(cells), bool)
    groups = [g for g in newest_headlines(cells, suppressed & ~known, protection) if candidates[g].all()]
    if not groups:
        return released, table
    # never a headline, nor another total of the newest quarter's reports (a province's)
    detail = allowed & ~headlines(cells) & ~(report_totals(cells) & newest_quarter(cells))
    start = suppressed.copy()
    rows = sparse.vstack([relations.equalities.tocsr(), relations.inequalities.tocsr()]).tocsr()
    columns = rows.tocsc()
    for group in groups:
        name = "/".join(map(str, cells.loc[int(group[0]), KEY]))
        before = suppressed.copy()
        suppressed[group] = False
        local = small & near(rows, columns, before & ~known, group, HEADLINE_HOPS)
        state["points"] = None
        trial = repair_rounds(cells, relations, suppressed, known, local, detail, rank, protection, state, quiet,
                              max_rounds=HEADLINE_ROUNDS)
        if too_narrow(trial, protection):
            suppressed[:] = before
            narrow = trial[(trial["upper"] - trial["lower"]) < protection - TOLERANCE]
            pinned = "; ".join(
                f"{'/'.join(map(str, cells.loc[int(c), KEY][1:]))} = {cells.at[int(c), 'exact_value']:g} "
                f"in [{lo:g}, {hi:g}]"
                for c, lo, hi in narrow[["cell", "lower", "upper"]].head(3).itertuples(index=False))
            log(f"headline {name}: detail cells do not protect its neighbourhood without it (too narrow: {pinned}); "
                "stays hidden", quiet)
            continue
        released[group] = True
        log(f"headline {name}: published again, {int((suppressed & ~before).sum())} detail cells hidden "
            "instead", quiet)
    if not released.any():
        return released, table
    state["points"] = None
    final = repair_rounds(cells, relations, suppressed, known, small, detail, rank, protection, state, quiet)
    if too_narrow(final, protection):
        suppressed[:] = start
        log("headlines: the full audit after the pass fails without them; all hidden again as before", quiet)
        return np.zeros(len(cells), bool), table
    return released, final


def repair_rounds(cells: pd.DataFrame, relations: Relations, suppressed: np.ndarray, known: np.ndarray,
                  small: np.ndarray, allowed: np.ndarray, rank: np.ndarray, protection: float, state: dict,
                  quiet: bool, max_rounds: int = MAX_ROUNDS) -> pd.DataFrame:
    """Audit every small cell and give each one that is too narrow one more hidden partner,
    until the audit passes (suppressed grows in place). Returns every audited cell's
    interval from the last round that audited it (a width proven stays proven when more
    is hidden); a cell still too narrow has width < protection.

    A cell shown safe stays safe when more is hidden: each round checks only the others
    again. Quick rounds settle cells on their neighbourhood only; the undecided wait for a
    full round, which comes once a quick round finds nothing more to repair.
    state: the round count and the feasible points, carried between calls."""
    in_lp = cells["value_kind"].isin(LP_KINDS).to_numpy()
    safe = np.zeros(len(cells), bool)
    deferred = np.zeros(len(cells), bool)      # left undecided by a quick round: for the full round
    quick = True
    rounds = 0
    proven: list[pd.DataFrame] = []            # every round's intervals: a safe cell is not audited again
    while True:
        rounds += 1
        state["rounds"] += 1
        hidden = suppressed & ~known & in_lp
        table, state["points"] = intervals(cells, relations, hidden, small & hidden & ~safe, protection,
                                           points=state["points"], quick=quick, quiet=quiet, deferred=deferred)
        table["width"] = table["upper"] - table["lower"]
        proven.append(table)
        failing = table[table["width"] < protection - TOLERANCE].sort_values("width")
        safe[table.loc[table["width"] >= protection - TOLERANCE, "cell"].astype(int).to_numpy()] = True
        undecided = int(table["width"].isna().sum())
        deferred[table.loc[table["width"].isna(), "cell"].astype(int).to_numpy()] = True
        log(f"round {state['rounds']} ({'quick' if quick else 'full'}): {int(suppressed.sum())} suppressed, "
            f"{len(table)} primary cells audited, {len(failing)} too narrow, {undecided} undecided", quiet)
        if not len(failing) and quick and undecided:
            quick = False
            continue
        if not len(failing) or rounds >= max_rounds:
            return latest_intervals(proven)
        added = 0
        columns = relations.equalities.tocsc()
        touched: set[int] = set()                 # relations that got a new hidden cell this round
        for cell in failing["cell"].astype(int):
            rows = set(columns.indices[columns.indptr[cell]:columns.indptr[cell + 1]].tolist())
            if rows & touched:
                continue                # covered already, perhaps enough: the next round tells
            partner = find_partner(relations, cell, suppressed, known, allowed, rank)
            if partner is None:
                log(f"no cell left that could cover {'/'.join(map(str, cells.loc[cell, KEY]))}: "
                    "the audit will fail", quiet)
                continue
            suppressed[partner] = True
            touched |= set(columns.indices[columns.indptr[partner]:columns.indptr[partner + 1]].tolist())
            added += 1
        added += close_singletons(relations, suppressed, known, allowed, rank)
        if not added:
            return latest_intervals(proven)


def protect(cells: pd.DataFrame, previous: pd.DataFrame | None, min_persons: int = 10,
            protection: float = 10, secondary: bool = True, quiet: bool = False,
            cleanup: bool = True, headline_pass: bool = True) -> dict:
    """Decide the suppression pattern. Returns arrays and counts; cells keep their order.
    cleanup: after the repair rounds, publish again the secondary cells no small cell
    needs (cleanup.py), then audit and repair once more. headline_pass: then publish
    again the newest quarter's hidden headlines where detail cells can protect instead
    (publish_headlines)."""
    started = time.perf_counter()
    relations = build_relations(cells)
    check_relations_hold(cells, relations)
    in_lp = cells["value_kind"].isin(LP_KINDS).to_numpy()
    primary = primary_cells(cells, min_persons)
    known, suppressed_before = reader_knowledge(cells, previous)
    suppressed = primary | suppressed_before
    revised_below = primary & previous_published_mask(cells, previous)
    allowed = in_lp & ~cells["exact_value"].isna().to_numpy()
    rank = candidate_order(cells, protection)
    state = {"rounds": 0, "points": None}
    table = pd.DataFrame(columns=["cell", "lower", "upper", "component", "component_size"])
    released = np.zeros(len(cells), bool)
    again = np.zeros(len(cells), bool)
    cleanup_seconds = headline_seconds = 0.0
    if secondary:
        close_singletons(relations, suppressed, known, allowed, rank)
        table = repair_rounds(cells, relations, suppressed, known, primary & in_lp, allowed, rank, protection,
                              state, quiet)
        if cleanup:
            # publish again what the small cells turned out not to need, the most costly first;
            # then audit every small cell again (and repair, should one be too narrow)
            cleanup_started = time.perf_counter()
            hidden = suppressed & ~known & in_lp
            candidates = np.flatnonzero(hidden & ~primary & ~suppressed_before)
            candidates = candidates[np.argsort(-rank[candidates], kind="stable")]
            released = publish_again(cells, relations, hidden, primary & in_lp, candidates, protection, quiet)
            suppressed &= ~released
            cleanup_seconds = time.perf_counter() - cleanup_started
            if released.any():
                state["points"] = None      # points that move a cell published again no longer hold
                table = repair_rounds(cells, relations, suppressed, known, primary & in_lp, allowed, rank,
                                      protection, state, quiet)
                released &= ~suppressed     # a repair may hide one again
        if headline_pass and not too_narrow(table, protection):
            # the newest quarter's headlines still hidden: hide detail cells instead where that protects
            headline_started = time.perf_counter()
            again, table = publish_headlines(cells, relations, suppressed, known, primary & in_lp, allowed, rank,
                                             protection, state, quiet, in_lp & ~primary & ~suppressed_before,
                                             table)
            headline_seconds = time.perf_counter() - headline_started
    # derived figures follow their inputs
    pairs = derived_inputs(cells)
    hidden_input = pairs[suppressed[pairs["input"].to_numpy(dtype=int)]]
    derived_hidden = np.zeros(len(cells), bool)
    derived_hidden[hidden_input["derived"].to_numpy(dtype=int)] = True
    primary_input = pairs[primary[pairs["input"].to_numpy(dtype=int)]]
    derived_primary = np.zeros(len(cells), bool)
    derived_primary[primary_input["derived"].to_numpy(dtype=int)] = True
    suppressed = suppressed | derived_hidden
    return {"primary": primary | (derived_primary & ~in_lp), "suppressed": suppressed, "known": known,
            "suppressed_before": suppressed_before, "revised_below": revised_below,
            "intervals": table, "rounds": state["rounds"], "released": released,
            "headlines_released": again, "cleanup_seconds": cleanup_seconds, "headline_seconds": headline_seconds,
            "seconds": time.perf_counter() - started}


def reasons(cells: pd.DataFrame, result: dict, min_persons: int) -> list[str | None]:
    in_lp = cells["value_kind"].isin(LP_KINDS).to_numpy()
    out: list[str | None] = []
    for i, kind in enumerate(cells["value_kind"]):
        if not result["suppressed"][i]:
            out.append(None)
        elif result["primary"][i] and kind == "count":
            out.append(f"fewer than {min_persons} persons")
        elif result["primary"][i] and kind == "amount":
            out.append(f"jobs of fewer than {min_persons} working persons")
        elif not in_lp[i]:
            out.append("an input is suppressed" if not result["suppressed_before"][i] or result["primary"][i]
                       else "suppressed in an earlier vintage")
        elif result["suppressed_before"][i]:
            out.append("suppressed in an earlier vintage")
        else:
            out.append("secondary: protects a small cell")
    return out


def read_cells(warehouse: Path) -> tuple[pd.DataFrame, str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cells = con.execute(f"select {', '.join(KEY)}, period_end_date, value_kind, "
                            "cast(exact_value as double) as exact_value "
                            "from audit.disclosure_figures_exact order by all").df()
        run_id = con.execute("select run_id from marts.publication_info").fetchall()[0][0]
    return cells, run_id


def build_vars(warehouse: Path, run_id: str) -> dict:
    """The disclosure vars the dbt run of these figures used (audit.run_log.vars_used:
    dbt_project.yml's values, or what --vars gave), so `make publish VARS=...` protects
    with the values the build saw. A warehouse built before they were logged: the
    project's defaults."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute("select vars_used from audit.run_log where run_id = ?", [run_id]).fetchone()
    logged = json.loads(row[0]) if row and row[0] else {}
    settings = config()
    return {name: logged.get(name, settings.var(name, 10))
            for name in ("disclosure_min_persons", "disclosure_protection")}


def run(warehouse: Path, history: Path, min_persons: int | None = None, protection: float | None = None,
        quiet: bool = False, vintage: str = "") -> dict:
    """Protect the build warehouse's figures against every earlier vintage in the history
    (withdrawn ones included); returns a summary. vintage: the id this publication will be
    recorded under (publish.py passes it), so that an audit run later knows it is not an
    earlier one."""
    cells, run_id = read_cells(warehouse)
    used = build_vars(warehouse, run_id)
    min_persons = min_persons or int(used["disclosure_min_persons"])
    protection = protection or float(used["disclosure_protection"])
    earlier, previous = read_vintages(history)
    withdrawn = read_index(history)["withdrawn"]
    earlier_withdrawn = [v for v in earlier if v in withdrawn]
    log(f"{len(cells)} cells of run {run_id}; earlier vintages: {len(earlier)}"
        + (f" (latest {earlier[-1]}" + (f"; withdrawn: {', '.join(earlier_withdrawn)}" if earlier_withdrawn else "")
           + ")" if earlier else ""), quiet)
    result = protect(cells, previous, min_persons, protection, quiet=quiet)
    recorded = {"disclosure_min_persons": min_persons, "disclosure_protection": protection,
                "previous_run_id": earlier[-1] if earlier else "", "earlier_vintages": json.dumps(earlier),
                "vintage": vintage, "run_id": run_id,
                "seconds": round(result["seconds"], 1)}
    write_publication_figures(warehouse, cells, result["suppressed"], result["primary"],
                              reasons(cells, result, min_persons), result["intervals"], result["known"],
                              result["revised_below"], run_id, recorded)
    suppressed, primary = result["suppressed"], result["primary"]
    summary = {"run_id": run_id, "vintage": vintage or None, "previous_run_id": earlier[-1] if earlier else None,
               "earlier_vintages": len(earlier), "cells": len(cells),
               "published": int((~suppressed).sum()), "primary": int((suppressed & primary).sum()),
               "secondary": int((suppressed & ~primary).sum()),
               "revised_below_threshold": int(result["revised_below"].sum()),
               "published_again_by_cleanup": int(result["released"].sum()),
               "headlines_published_again": int(result["headlines_released"].sum()),
               "cleanup_seconds": round(result["cleanup_seconds"], 1),
               "headline_seconds": round(result["headline_seconds"], 1),
               "rounds": result["rounds"], "seconds": round(result["seconds"], 1)}
    log(f"{summary['published']} published, {summary['primary']} primary and {summary['secondary']} secondary "
        f"suppressed ({summary['revised_below_threshold']} published before, now below the threshold; "
        f"{summary['published_again_by_cleanup']} secondary cells published again by the cleanup in "
        f"{summary['cleanup_seconds']} s; {summary['headlines_published_again']} headline cells published again "
        f"in {summary['headline_seconds']} s) in {summary['seconds']} s, {summary['rounds']} audit round(s)", quiet)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    settings = config()
    parser.add_argument("--warehouse", default=str(settings.warehouse))
    parser.add_argument("--history", default=None, help="vintage history (default publish/history)")
    parser.add_argument("--min-persons", type=int, default=None)
    parser.add_argument("--protection", type=float, default=None)
    args = parser.parse_args(argv)
    history = Path(args.history) if args.history else settings.history
    run(Path(args.warehouse), history, args.min_persons, args.protection)
    return 0


if __name__ == "__main__":
    sys.exit(main())
