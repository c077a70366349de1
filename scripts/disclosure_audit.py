#!/usr/bin/env python3
"""The disclosure audit: can a reader of the public figures work out a small cell?

A reader of `publication.figures` knows every published value, every value an
earlier vintage published that has not changed since (every vintage in the history,
withdrawn ones included: readers downloaded them), that counts and jobs are never
negative, and every linear relation between the cells:

* target groups add up to `all`, regions (with UNKNOWN) add up to `NL`;
* flow reasons add up to `inflow` / `outflow`;
* registered = working + not working;
* both balance identities of the flows, on every row:
  registered_end = registered_start + inflow − outflow + moved_in − moved_out
  + group_in − group_out, and the same for the working persons;
* `registered_start` / `working_start` equal the previous quarter's stock,
  `registered_end` / `working_end` the quarter's stock;
* moves cancel nationally (moved_in = moved_out for NL), group changes cancel
  within a region (group_in = group_out for a region's `all`);
* the working part of a flow is at most the flow (inflow_working <= inflow, …),
  working sheltered <= valid positive advices.

For every primary cell (fewer than `disclosure_min_persons` contributing
persons) the audit computes, by linear programming over those facts (scipy's
HiGHS), the smallest and largest value the cell can take, rounded inward to whole
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

Usage (run by `make publish` and by the tests):
  scripts/disclosure_audit.py [--warehouse build.duckdb] [--history publish/history]
Exit status 0 when the publication passes, 1 when it fails (the failing cells
listed), 2 on a usage or input error.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

ROOT = Path(__file__).resolve().parents[1]
KEY = ["period_type", "period", "region_code", "target_group", "breakdown", "measure"]
LP_KINDS = ("count", "amount")
TOLERANCE = 1e-6
CHUNK = 200          # cells pushed apart by one screening programme

REGISTER_BALANCE = {"registered_end": -1, "registered_start": 1, "inflow": 1, "outflow": -1,
                    "moved_in": 1, "moved_out": -1, "group_in": 1, "group_out": -1}
WORKING_BALANCE = {"working_end": -1, "working_start": 1, "found_work": 1, "lost_work": -1,
                   "inflow_working": 1, "outflow_working": -1, "moved_in_working": 1,
                   "moved_out_working": -1, "group_in_working": 1, "group_out_working": -1}
# (part, whole): the part is at most the whole, on the same row
AT_MOST = [("inflow_working", "inflow"), ("outflow_working", "outflow"),
           ("moved_in_working", "moved_in"), ("moved_out_working", "moved_out"),
           ("group_in_working", "group_in"), ("group_out_working", "group_out"),
           ("working_start", "registered_start"), ("working_end", "registered_end"),
           ("persons_working_sheltered", "valid_positive_advices"),
           ("persons_same_job", "persons_still_working"), ("persons_still_working", "persons_started")]
# derived measure -> inputs on the same region and target group: (measure, quarter offset)
DERIVED_INPUTS = {
    "paid_hours": [("jobs", 0)],
    "job_growth": [("jobs", 0)],
    "required_per_remaining_quarter": [("jobs", 0)],
    "required_per_quarter_yearly_pace": [("jobs", "previous_year_end")],
    "jobs_change": [("jobs", 0), ("jobs", -1)],
    "jobs_change_pct": [("jobs", 0), ("jobs", -1)],
    "persons_registered_change": [("persons_registered", 0), ("persons_registered", -1)],
    "persons_registered_change_pct": [("persons_registered", 0), ("persons_registered", -1)],
    "persons_working_change": [("persons_working", 0), ("persons_working", -1)],
    "persons_working_change_pct": [("persons_working", 0), ("persons_working", -1)],
    "share_working": [("persons_working_sheltered", 0), ("valid_positive_advices", 0)],
}
# the same for the yearly cells: (period_type, measure) -> inputs (measure, where):
# 'same' = the same cell row; 'q4' = the quarterly cell of that year's Q4
DERIVED_INPUTS_YEARLY = {
    ("cohort_year", "share_still_working"): [("persons_still_working", "same"), ("persons_started", "same")],
    ("cohort_year", "share_same_job"): [("persons_same_job", "same"), ("persons_started", "same")],
    ("year", "share_working"): [("persons_working", "q4"), ("persons_registered", "q4")],
}


def log(message: str, quiet: bool = False) -> None:
    if not quiet:
        print(f"[disclosure {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- what a reader knows

@dataclass
class Relations:
    """Equalities E·x = 0 and inequalities U·x <= 0 over the cells (columns = cell rows)."""
    equalities: sparse.csr_matrix
    inequalities: sparse.csr_matrix
    equality_names: list[str] = field(default_factory=list)
    inequality_names: list[str] = field(default_factory=list)


def _terms(frame: pd.DataFrame, family: str, key: list[str], coefficient) -> pd.DataFrame:
    out = pd.DataFrame({"cell": frame.index.to_numpy()})
    out["equation"] = [family + "|" + "|".join(map(str, row)) for row in frame[key].itertuples(index=False)] \
        if len(frame) else []
    out["coefficient"] = coefficient if np.isscalar(coefficient) else np.asarray(coefficient, dtype=float)
    return out


def quarter_shift(period: pd.Series, offset: int) -> pd.Series:
    """'2023Q1' shifted by offset quarters."""
    year = period.str.slice(0, 4).astype(int)
    quarter = period.str.slice(5, 6).astype(int)
    index = year * 4 + quarter - 1 + offset
    return (index // 4).astype(str) + "Q" + (index % 4 + 1).astype(str)


def complete_rows(frame: pd.DataFrame, measures, row: list[str]) -> pd.DataFrame:
    """The cells of the given measures on rows that have every one of them (an identity
    only holds where all its terms are figures)."""
    frame = frame[frame["measure"].isin(measures)]
    if not len(frame):
        return frame
    return frame[frame.groupby(row)["measure"].transform("nunique") == len(measures)]


def build_relations(cells: pd.DataFrame) -> Relations:
    """Every linear relation a reader knows, from the cells' keys alone."""
    lp = cells[cells["value_kind"].isin(LP_KINDS)]
    parts: list[pd.DataFrame] = []
    sums = ["period_type", "period", "breakdown", "measure"]

    # target groups add up to `all`, regions to `NL` (only where both sides are published)
    for column, total in (("target_group", "all"), ("region_code", "NL")):
        other = "region_code" if column == "target_group" else "target_group"
        totals = lp[lp[column] == total]
        details = lp[lp[column] != total]
        joined = details.reset_index().merge(totals.reset_index()[sums + [other, "index"]],
                                             on=sums + [other], suffixes=("", "_total"))
        if len(joined):
            equation = f"sum_{column}|" + joined["index_total"].astype(str)
            parts.append(pd.DataFrame({"cell": joined["index"], "equation": equation, "coefficient": 1.0}))
            used = joined["index_total"].unique()
            parts.append(pd.DataFrame({"cell": used, "equation": f"sum_{column}|" + pd.Series(used).astype(str),
                                       "coefficient": -1.0}))

    row = ["period_type", "period", "region_code", "target_group"]
    plain = lp[lp["breakdown"] == "all"]

    # registered = working + not working
    coefficients = {"persons_registered": -1.0, "persons_working": 1.0, "persons_not_working": 1.0}
    frame = complete_rows(plain, coefficients, row)
    parts.append(_terms(frame, "stock", row, frame["measure"].map(coefficients)))

    # the balance identities
    for family, coefficients in (("balance_registered", REGISTER_BALANCE), ("balance_working", WORKING_BALANCE)):
        frame = complete_rows(plain, coefficients, row)
        parts.append(_terms(frame, family, row, frame["measure"].map(coefficients)))

    # flow reasons add up to inflow / outflow
    reasons = lp[lp["measure"].eq("persons") & lp["breakdown"].str.contains(":")]
    direction = reasons["breakdown"].str.split(":").str[0]
    reasons = reasons.assign(direction=direction)
    flows = plain[plain["measure"].isin(["inflow", "outflow"])].assign(direction=lambda f: f["measure"])
    flows = flows[flows.set_index(row + ["direction"]).index.isin(reasons.set_index(row + ["direction"]).index)]
    parts.append(_terms(reasons, "reasons", row + ["direction"], 1.0))
    parts.append(_terms(flows, "reasons", row + ["direction"], -1.0))

    # start = the previous quarter's stock, end = the quarter's stock
    for flow, stock, offset in (("registered_start", "persons_registered", 1), ("working_start", "persons_working", 1),
                                ("registered_end", "persons_registered", 0), ("working_end", "persons_working", 0)):
        starts = plain[plain["measure"] == flow]
        stocks = plain[(plain["measure"] == stock) & (plain["period_type"] == "quarter")]
        stocks = stocks.assign(period=quarter_shift(stocks["period"], offset)) if len(stocks) else stocks
        stocks = stocks[stocks.set_index(row).index.isin(starts.set_index(row).index)]
        parts.append(_terms(starts, f"{flow}_is_stock", row, 1.0))
        parts.append(_terms(stocks, f"{flow}_is_stock", row, -1.0))

    # moves cancel nationally, group changes within a region
    for inward, outward, where in (("moved_in", "moved_out", plain["region_code"] == "NL"),
                                   ("moved_in_working", "moved_out_working", plain["region_code"] == "NL"),
                                   ("group_in", "group_out", pd.Series(True, index=plain.index)),
                                   ("group_in_working", "group_out_working", pd.Series(True, index=plain.index))):
        frame = plain[where & (plain["target_group"] == "all") & plain["measure"].isin([inward, outward])]
        parts.append(_terms(frame, f"{inward}_cancels", row, np.where(frame["measure"] == inward, 1.0, -1.0)))

    equalities = pd.concat([p for p in parts if len(p)] or
                           [pd.DataFrame(columns=["cell", "equation", "coefficient"])], ignore_index=True)

    inequality_parts = []
    for part, whole in AT_MOST:
        frame = plain[plain["measure"].isin([part, whole])]
        complete = frame.groupby(row)["measure"].transform("nunique") == 2
        frame = frame[complete]
        inequality_parts.append(_terms(frame, f"{part}<={whole}", row, np.where(frame["measure"] == part, 1.0, -1.0)))
    inequalities = pd.concat([p for p in inequality_parts if len(p)] or
                             [pd.DataFrame(columns=["cell", "equation", "coefficient"])], ignore_index=True)

    def matrix(terms: pd.DataFrame) -> tuple[sparse.csr_matrix, list[str]]:
        codes, names = pd.factorize(terms["equation"])
        m = sparse.coo_matrix((terms["coefficient"].astype(float), (codes, terms["cell"].astype(int))),
                              shape=(len(names), len(cells))).tocsr()
        m.sum_duplicates()
        return m, list(names)

    e, e_names = matrix(equalities)
    u, u_names = matrix(inequalities)
    return Relations(e, u, e_names, u_names)


def check_relations_hold(cells: pd.DataFrame, relations: Relations) -> None:
    """Every relation must hold on the exact values, or the audit's premise is wrong."""
    values = cells["exact_value"].fillna(0).to_numpy(dtype=float)
    for matrix, names, kind in ((relations.equalities, relations.equality_names, "equality"),
                                (relations.inequalities, relations.inequality_names, "inequality")):
        residual = matrix @ values
        bad = np.flatnonzero(np.abs(residual) > 1e-4) if kind == "equality" else np.flatnonzero(residual > 1e-4)
        if len(bad):
            examples = []
            for i in bad[:5]:
                members = matrix[i].indices
                examples.append(f"{names[i]}: residual {residual[i]:.6f} over "
                                + ", ".join(f"{'/'.join(map(str, cells.loc[c, KEY[1:]].tolist()))}="
                                            f"{cells.loc[c, 'exact_value']}" for c in members[:12]))
            raise ValueError(f"{len(bad)} {kind} relation(s) do not hold on the exact figures "
                             f"(a mart broke a documented identity):\n  " + "\n  ".join(examples))


# ---------------------------------------------------------------- the rules without a solver

def primary_cells(cells: pd.DataFrame, min_persons: int) -> np.ndarray:
    """Counts of 1 .. min_persons-1, and jobs whose cell has that many working persons."""
    value = cells["exact_value"]
    small = cells["value_kind"].eq("count") & value.ge(1) & value.lt(min_persons)
    working = cells[cells["measure"].eq("persons_working")]
    small_working = working[working["exact_value"].ge(1) & working["exact_value"].lt(min_persons)]
    keys = ["period_type", "period", "region_code", "target_group", "breakdown"]
    jobs = cells["value_kind"].eq("amount") & cells.set_index(keys).index.isin(small_working.set_index(keys).index)
    # a durability row (started >= still working >= same job) with a small count is hidden
    # whole: with its row total published, the nesting pins a small cell to a narrow range
    cohort = cells["period_type"].eq("cohort_year") & cells["value_kind"].eq("count")
    small_rows = cells[cohort & small].set_index(keys).index
    whole_rows = cohort & cells.set_index(keys).index.isin(small_rows)
    return (small | jobs | whole_rows).to_numpy()


def derived_inputs(cells: pd.DataFrame) -> pd.DataFrame:
    """(derived cell, input cell) pairs: a derived figure is hidden when an input is."""
    keys = ["period_type", "region_code", "target_group", "breakdown"]
    lookup = cells.reset_index()[keys + ["period", "measure", "index"]].rename(columns={"index": "input"})
    pairs = []
    for (period_type, measure), inputs in DERIVED_INPUTS_YEARLY.items():
        derived = cells[(cells["period_type"] == period_type) & (cells["measure"] == measure)]
        for input_measure, where in inputs:
            wanted = derived[keys].assign(period=derived["period"].to_numpy(), measure=input_measure,
                                          derived=derived.index.to_numpy())
            if where == "q4":
                wanted = wanted.assign(period_type="quarter", period=wanted["period"] + "Q4")
            pairs.append(wanted.merge(lookup, on=keys + ["period", "measure"])[["derived", "input"]])
    for measure, inputs in DERIVED_INPUTS.items():
        derived = cells[(cells["measure"] == measure) & (cells["period_type"] == "quarter")]
        if not len(derived):
            continue
        for input_measure, offset in inputs:
            if offset == "previous_year_end":
                period = (derived["period"].str.slice(0, 4).astype(int) - 1).astype(str) + "Q4"
            else:
                period = quarter_shift(derived["period"], offset)
            wanted = derived[keys].assign(period=period.to_numpy(), measure=input_measure,
                                          derived=derived.index.to_numpy())
            pairs.append(wanted.merge(lookup, on=keys + ["period", "measure"])[["derived", "input"]])
    return pd.concat(pairs, ignore_index=True) if pairs else pd.DataFrame(columns=["derived", "input"])


# ---------------------------------------------------------------- intervals by linear programming

def intervals(cells: pd.DataFrame, relations: Relations, hidden: np.ndarray, targets: np.ndarray,
              protection: float = 10, points: np.ndarray | None = None, exact: bool = False,
              quick: bool = False, quiet: bool = True) -> tuple[pd.DataFrame, np.ndarray]:
    """The interval each target cell can take, given every cell not hidden.

    hidden: cells whose value the reader does not know (suppressed now and not published
    unchanged in an earlier vintage); targets: hidden cells to check.

    Two kinds of proof, both by linear programming over every relation (scipy's HiGHS):
    * feasible points: solutions of the relations that agree with everything published.
      The exact figures are one; a few linear programmes that push all targets apart at
      once give more. A target whose values over these points already spread by at least
      `protection` is safe: the reader cannot exclude any value between them
      (`method` = 'feasible points'; the true interval is at least as wide);
    * for every other target, two linear programmes: the smallest and the largest value
      the cell can take (`method` = 'minimum and maximum'), the exact interval.
    With exact=True every target gets the two programmes (small tables, the tests).
    Before the whole component, a cell is tried on its neighbourhood (see neighbourhood()):
    'neighbourhood' proves it safe by a sub-interval, 'relaxation' proves it narrow by a
    wider one; only undecided cells get the whole component's two programmes.
    points: earlier feasible points (rows over all cells), still feasible when more cells
    are hidden. Returns (table: cell, lower, upper, method, component_size; points).
    Counts are rounded inward to whole persons.
    """
    values = cells["exact_value"].fillna(0).to_numpy(dtype=float)
    e, u = relations.equalities, relations.inequalities
    hidden_index = np.flatnonzero(hidden)
    n = len(hidden_index)
    columns_out = ["cell", "lower", "upper", "method", "component_size"]
    target_index = np.flatnonzero(targets & hidden)
    base = values[None, :] if points is None else np.vstack([values[None, :], points])
    if not len(target_index):
        return pd.DataFrame(columns=columns_out), base
    position = -np.ones(len(cells), dtype=int)
    position[hidden_index] = np.arange(n)
    e_hidden, u_hidden = e[:, hidden_index].tocsr(), u[:, hidden_index].tocsr()
    e_rows = np.flatnonzero(e_hidden.getnnz(axis=1))
    u_rows = np.flatnonzero(u_hidden.getnnz(axis=1))
    known = np.where(hidden, 0.0, values)
    e_rhs, u_rhs = -(e @ known), -(u @ known)
    a_eq, b_eq = e_hidden[e_rows], e_rhs[e_rows]
    a_ub, b_ub = u_hidden[u_rows], u_rhs[u_rows]
    # components: hidden cells linked by a relation they share (the programmes per component)
    incidence = sparse.vstack([a_eq, a_ub]).tocsc()
    graph = sparse.bmat([[None, incidence.T], [incidence, None]]).tocsr() if incidence.shape[0] else \
        sparse.csr_matrix((n, n))
    _, labels = connected_components(graph, directed=False)
    cell_labels, e_labels, u_labels = labels[:n], labels[n:n + len(e_rows)], labels[n + len(e_rows):]
    sizes = np.bincount(cell_labels)
    is_count = cells["value_kind"].eq("count").to_numpy()
    local_targets = position[target_index]

    def solve(objective: np.ndarray, columns: np.ndarray | None = None, bounds=(0, None)):
        if columns is None:
            return linprog(objective, A_ub=a_ub if len(u_rows) else None, b_ub=b_ub if len(u_rows) else None,
                           A_eq=a_eq if len(e_rows) else None, b_eq=b_eq if len(e_rows) else None,
                           bounds=bounds, method="highs")
        component = cell_labels[columns[0]]
        rows_e, rows_u = np.flatnonzero(e_labels == component), np.flatnonzero(u_labels == component)
        return linprog(objective, A_ub=a_ub[rows_u][:, columns] if len(rows_u) else None,
                       b_ub=b_ub[rows_u] if len(rows_u) else None,
                       A_eq=a_eq[rows_e][:, columns] if len(rows_e) else None,
                       b_eq=b_eq[rows_e] if len(rows_e) else None, bounds=bounds, method="highs")

    found: list[np.ndarray] = []
    if not exact:
        # a few programmes over every hidden cell at once, in a box so that none is unbounded
        box = [(0.0, 2 * values[c] + 10 * protection) for c in hidden_index]
        rng = np.random.default_rng(len(target_index))
        directions = [np.ones(len(target_index)), -np.ones(len(target_index))]
        directions += [rng.choice([-1.0, 1.0], size=len(target_index)) for _ in range(4)]
        for step, direction in enumerate(directions, 1):
            objective = np.zeros(n)
            objective[local_targets] = direction
            result = solve(objective, bounds=box)
            if result.status == 0:
                point = values.copy()
                point[hidden_index] = result.x
                found.append(point)
            log(f"feasible point {step}/{len(directions)}", quiet)

    def spread(point_rows: np.ndarray, cells_: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        low, high = point_rows[:, cells_].min(axis=0), point_rows[:, cells_].max(axis=0)
        counts = is_count[cells_]
        low = np.where(counts, np.ceil(low - TOLERANCE), low)
        high = np.where(counts, np.floor(high + TOLERANCE), high)
        return low, high

    all_points = np.vstack([base] + ([np.vstack(found)] if found else []))
    lower, upper = spread(all_points, target_index) if not exact else (np.zeros(0), np.zeros(0))
    if not exact:
        # push the cells not yet shown safe apart, a few hundred at a time (fewer cells
        # compete less for the same slack), until that stops paying
        for step in range(6):
            unsafe = np.flatnonzero(upper - lower < protection - TOLERANCE)
            if len(unsafe) < 20:
                break
            before = len(unsafe)
            rng.shuffle(unsafe)
            for chunk in np.array_split(unsafe, max(1, len(unsafe) // CHUNK)):
                for sense in (1.0, -1.0):
                    objective = np.zeros(n)
                    objective[local_targets[chunk]] = -sense
                    result = solve(objective, bounds=box)
                    if result.status == 0:
                        point = values.copy()
                        point[hidden_index] = result.x
                        found.append(point)
            all_points = np.vstack([base] + found)
            lower, upper = spread(all_points, target_index)
            after = int((upper - lower < protection - TOLERANCE).sum())
            log(f"pushing {before} cells apart in groups of about {CHUNK}: {after} left", quiet)
            if after > 0.7 * before:
                break
    out = []
    if not exact:
        safe = upper - lower >= protection - TOLERANCE
        for cell, lo, hi in zip(target_index[safe], lower[safe], upper[safe]):
            out.append((int(cell), float(lo), float(hi), "feasible points", int(sizes[cell_labels[position[cell]]])))
        pending = list(target_index[~safe])
    else:
        pending = list(target_index)
    log(f"{len(target_index) - len(pending)} of {len(target_index)} cells shown safe by feasible points; "
        f"{len(pending)} get their minimum and maximum", quiet)
    a_all = sparse.vstack([a_eq, a_ub]).tocsr() if len(u_rows) else a_eq.tocsr()
    a_all_csc = a_all.tocsc()
    b_all = np.concatenate([b_eq, b_ub]) if len(u_rows) else b_eq
    is_equality = np.arange(a_all.shape[0]) < len(e_rows)
    hidden_values = values[hidden_index]

    def small_interval(columns: np.ndarray, rows: np.ndarray, local: int) -> tuple[float, float]:
        """Min and max of one cell over the given rows, the given cells free and every other
        hidden cell in those rows fixed at its exact value."""
        sub = a_all[rows]
        inside = np.zeros(n, bool)
        inside[columns] = True
        fixed = sub.multiply(np.where(inside, 0.0, hidden_values)[None, :]).sum(axis=1).A.ravel()
        rhs = b_all[rows] - fixed
        matrix = sub[:, columns]
        equal = is_equality[rows]
        where = int(np.searchsorted(columns, local))
        bounds = []
        for sense in (-1.0, 1.0):
            objective = np.zeros(len(columns))
            objective[where] = sense
            result = linprog(objective, A_ub=matrix[~equal] if (~equal).any() else None,
                             b_ub=rhs[~equal] if (~equal).any() else None,
                             A_eq=matrix[equal] if equal.any() else None, b_eq=rhs[equal] if equal.any() else None,
                             bounds=(0, None), method="highs")
            bounds.append(math.inf if result.status == 3 else sense * result.fun)
        return bounds[1], bounds[0]

    def neighbourhood(cell: int, hops: int = 3):
        """Settle a cell on its neighbourhood when that is enough, else None.

        Restriction: the cells within `hops` relations free, every other cell at its exact
        value: every solution is a solution of the whole system, so a wide interval here
        proves the cell safe. Relaxation: only the relations touching that neighbourhood,
        every cell in them free: it can only widen the interval, so a narrow interval
        here proves the cell narrow. Either settles it; otherwise the whole component.
        """
        local = position[cell]
        free = np.array([local])
        for _ in range(hops):
            rows = np.unique(a_all_csc[:, free].indices)
            wider = np.unique(a_all[rows].indices)
            low, high = small_interval(wider, rows, local)          # relaxation
            if is_count[cell]:
                low, high = math.ceil(low - TOLERANCE), (math.floor(high + TOLERANCE) if math.isfinite(high)
                                                         else high)
            if high - low < protection - TOLERANCE:
                return (int(cell), float(low), float(high), "relaxation", int(len(wider)))
            low, high = small_interval(free, rows, local)           # restriction
            if is_count[cell]:
                low, high = math.ceil(low - TOLERANCE), (math.floor(high + TOLERANCE) if math.isfinite(high)
                                                         else high)
            if high - low >= protection - TOLERANCE:
                return (int(cell), float(low), float(high), "neighbourhood", int(len(free)))
            free = wider
        return None

    extra: list[np.ndarray] = []
    done = set()
    lower_seen = dict(zip(target_index, all_points[:, target_index].min(axis=0)))
    upper_seen = dict(zip(target_index, all_points[:, target_index].max(axis=0)))
    for number, cell in enumerate(pending, 1):
        if cell in done:
            continue
        if extra and not exact:             # points found for earlier cells may already show it safe
            rows = np.array([p[cell] for p in extra] + [lower_seen[cell], upper_seen[cell]])
            if is_count[cell]:
                low, high = math.ceil(rows.min() - TOLERANCE), math.floor(rows.max() + TOLERANCE)
            else:
                low, high = float(rows.min()), float(rows.max())
            if high - low >= protection - TOLERANCE:
                out.append((int(cell), float(low), float(high), "feasible points",
                            int(sizes[cell_labels[position[cell]]])))
                continue
        if not exact:
            verdict = neighbourhood(cell)
            if verdict is not None:
                out.append(verdict)
                continue
            if quick:                       # undecided: left for a later, full round
                out.append((int(cell), math.nan, math.nan, "undecided", 0))
                continue
        component = cell_labels[position[cell]]
        columns = np.flatnonzero(cell_labels == component)
        where = int(np.searchsorted(columns, position[cell]))
        bounds = []
        for sense in (-1.0, 1.0):           # the largest value first, then the smallest
            objective = np.zeros(len(columns))
            objective[where] = sense
            result = solve(objective, columns)
            if result.status == 3:          # unbounded: no upper end
                bounds.append(math.inf)
            elif result.status != 0:
                raise RuntimeError(f"disclosure audit: the linear program for cell "
                                   f"{'/'.join(map(str, cells.loc[cell, KEY].tolist()))} failed: {result.message}")
            else:
                bounds.append(sense * result.fun)
                point = values.copy()
                point[hidden_index[columns]] = result.x
                extra.append(point)
            if sense < 0 and not exact:
                # the lowest value already seen is attainable: with the maximum it may suffice
                seen = min(lower_seen[cell], min(p[cell] for p in extra))
                seen = math.ceil(seen - TOLERANCE) if is_count[cell] else seen
                top = math.floor(bounds[0] + TOLERANCE) if is_count[cell] and math.isfinite(bounds[0]) \
                    else bounds[0]
                if top - seen >= protection - TOLERANCE:
                    bounds.append(None)
                    break
        upper_value, lower_value = bounds
        if lower_value is None:
            out.append((int(cell), float(seen), float(top), "feasible point and maximum", int(len(columns))))
            done.add(cell)
            continue
        if is_count[cell]:
            lower_value = math.ceil(lower_value - TOLERANCE)
            upper_value = math.floor(upper_value + TOLERANCE) if math.isfinite(upper_value) else upper_value
        out.append((int(cell), float(lower_value), float(upper_value), "minimum and maximum", int(len(columns))))
        done.add(cell)
        if number % 200 == 0:
            log(f"{number} of {len(pending)} minimum/maximum pairs", quiet)
    all_points = np.vstack([all_points] + extra) if extra else all_points
    table = pd.DataFrame(out, columns=columns_out)
    log("settled by " + ", ".join(f"{k}: {v}" for k, v in table["method"].value_counts().items()), quiet)
    # keep a handful of points for the next round (the exact figures are always added back)
    keep = all_points[1:][-12:] if len(all_points) > 1 else None
    return table, keep


# ---------------------------------------------------------------- the audit of a publication

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


def reader_knowledge(cells: pd.DataFrame, previous: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    """(known_before, suppressed_before): published unchanged in an earlier vintage / suppressed in one.

    previous holds the cells of every earlier vintage (read_vintages), one row per cell and
    vintage: a value is known when any vintage published it with the value it has now, and
    a cell stays suppressed when any vintage suppressed it."""
    if previous is None or not len(previous):
        return np.zeros(len(cells), bool), np.zeros(len(cells), bool)
    current = cells[KEY + ["exact_value"]].reset_index(drop=True)
    current["cell"] = np.arange(len(current))
    merged = current.merge(
        previous[KEY + ["exact_value", "status"]].rename(columns={"exact_value": "previous_value",
                                                                 "status": "previous_status"}),
        on=KEY, how="inner")
    same = (merged["previous_value"].isna() & merged["exact_value"].isna()) | \
        ((merged["previous_value"] - merged["exact_value"]).abs() <= TOLERANCE)
    cell = merged["cell"].to_numpy()
    known = np.zeros(len(cells), bool)
    before = np.zeros(len(cells), bool)
    known[cell[(merged["previous_status"].eq("published") & same).to_numpy()]] = True
    before[cell[merged["previous_status"].eq("suppressed").to_numpy()]] = True
    return known, before


def read_vintages(history: Path) -> tuple[list[str], pd.DataFrame | None]:
    """Every vintage in the history (publish/history/index.json, in the order recorded),
    withdrawn ones included: readers may still hold them. Returns (ids, their cells
    stacked with a `vintage` column), or ([], None) without a history."""
    index = history / "index.json"
    ids = json.loads(index.read_text())["vintages"] if index.exists() else []
    frames = []
    for vintage in ids:
        path = history / vintage / "cells.parquet"
        if not path.exists():
            raise FileNotFoundError(f"{path}: a vintage listed in {index} is missing")
        frames.append(pd.read_parquet(path).assign(vintage=vintage))
    return ids, (pd.concat(frames, ignore_index=True) if frames else None)


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
    bad_status = sorted(set(status) - {"published", "suppressed"})
    if bad_status:
        problems.append(f"statuses other than published/suppressed: {bad_status}")
    suppressed = status.eq("suppressed").to_numpy()
    published = status.eq("published").to_numpy()
    if public.loc[suppressed, "value"].notna().any():
        problems.append("a suppressed cell carries a value")
    if (public.loc[suppressed, "symbol"] != ".").any() or public.loc[published, "symbol"].notna().any():
        problems.append("the symbol is not '.' on exactly the suppressed cells")
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
    leaky = pairs[published[pairs["derived"].to_numpy(dtype=int)] & suppressed[pairs["input"].to_numpy(dtype=int)]]
    for d in leaky["derived"].unique()[:10]:
        problems.append(f"derived figure published while an input is suppressed: "
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
    parser.add_argument("--warehouse", default=os.environ.get("WAREHOUSE_PATH", str(ROOT / "warehouse.duckdb")))
    parser.add_argument("--history", default=None,
                        help="the vintage history (default: publish/history next to PUBLISH_PATH)")
    parser.add_argument("--json", help="write the summary here as JSON (it names cells with their exact values)")
    args = parser.parse_args(argv)
    history = Path(args.history) if args.history else \
        Path(os.environ.get("PUBLISH_PATH", ROOT / "publish" / "warehouse.duckdb")).resolve().parent / "history"
    code, summary = run_audit(Path(args.warehouse), history)
    if args.json and summary:
        descriptor = os.open(args.json, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(json.dumps(summary, indent=2))
    return code


if __name__ == "__main__":
    sys.exit(main())
