"""The interval each hidden cell can take, given every cell not hidden.

hidden: cells whose value the reader does not know (suppressed now and not published
unchanged in an earlier vintage); targets: hidden cells to check.

Two kinds of proof, both by linear programming over every relation (HiGHS, lp.py):
* feasible points: solutions of the relations that agree with everything published.
  The exact figures are one; a few linear programmes that push all targets apart at
  once give more (screening_points, push_apart). A target whose values over these
  points already spread by at least `protection` is safe: the reader cannot exclude
  any value between them (`method` = 'feasible points'; the true interval is at least
  as wide);
* for every other target, two linear programmes: the smallest and the largest value
  the cell can take (`method` = 'minimum and maximum', min_max), the exact interval.
With exact=True every target gets the two programmes (small tables, the tests).
Before the whole component, a cell is tried on its neighbourhood (neighbourhood()):
'neighbourhood' proves it safe by a sub-interval, 'relaxation' proves it narrow by a
wider one; only undecided cells get the whole component's two programmes.
Counts are rounded inward to whole persons.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from banenafspraak.disclosure.cells import KEY, TOLERANCE, log
from banenafspraak.disclosure.lp import Program
from banenafspraak.disclosure.relations import Relations

CHUNK = 200          # cells pushed apart by one screening programme
# relations walked out from a cell for its neighbourhood: few in a quick round (most cells
# settle there, and an undecided one waits for a full round), more in a full round, where
# the alternative is two programmes over the whole component (on the demo: 88 cells left
# for a full round, 33 s over their components at 3 hops, 12 s at 6)
QUICK_HOPS = 3
FULL_HOPS = 6
COLUMNS = ["cell", "lower", "upper", "method", "component_size"]
Row = tuple[int, float, float, str, int]   # one row of the table intervals() returns


class HiddenSystem:
    """The relations over the hidden cells, every other cell at its known value:
    A_eq·x = b_eq, A_ub·x <= b_ub, x >= 0 (x: the hidden cells, in cell order), and
    its components: hidden cells linked by a relation they share."""

    def __init__(self, cells: pd.DataFrame, relations: Relations, hidden: np.ndarray) -> None:
        self.cells = cells
        self.values = cells["exact_value"].fillna(0).to_numpy(dtype=float)
        e, u = relations.equalities, relations.inequalities
        self.hidden_index = np.flatnonzero(hidden)
        n = self.n = len(self.hidden_index)
        self.position = -np.ones(len(cells), dtype=int)     # cell -> its column among the hidden
        self.position[self.hidden_index] = np.arange(n)
        e_hidden, u_hidden = e[:, self.hidden_index].tocsr(), u[:, self.hidden_index].tocsr()
        e_rows = np.flatnonzero(e_hidden.getnnz(axis=1))
        u_rows = np.flatnonzero(u_hidden.getnnz(axis=1))
        self.has_eq, self.has_ub = bool(len(e_rows)), bool(len(u_rows))
        # the right-hand sides from the hidden cells' exact values, so that the exact figures
        # solve the system exactly: jobs rounded to 6 decimals per cell add up to their total
        # only to within rounding (a municipality's jobs and its region's, a class's and its
        # row's), a residual of millionths that the solver would call infeasible
        exact_hidden = np.where(hidden, self.values, 0.0)
        e_rhs, u_rhs = e @ exact_hidden, np.maximum(u @ exact_hidden, -(u @ np.where(hidden, 0.0, self.values)))
        self.a_eq, self.b_eq = e_hidden[e_rows], e_rhs[e_rows]
        self.a_ub, self.b_ub = u_hidden[u_rows], u_rhs[u_rows]
        # components: hidden cells linked by a relation they share (the programmes per component)
        incidence = sparse.vstack([self.a_eq, self.a_ub]).tocsc()
        graph = sparse.bmat([[None, incidence.T], [incidence, None]]).tocsr() if incidence.shape[0] else \
            sparse.csr_matrix((n, n))
        _, labels = connected_components(graph, directed=False)
        self.cell_labels, self.e_labels = labels[:n], labels[n:n + len(e_rows)]
        self.u_labels = labels[n + len(e_rows):]
        self.sizes = np.bincount(self.cell_labels)
        self.is_count = cells["value_kind"].eq("count").to_numpy()
        # every row at once, for the neighbourhoods
        self.a_all = sparse.vstack([self.a_eq, self.a_ub]).tocsr() if self.has_ub else self.a_eq.tocsr()
        self.a_all_csc = self.a_all.tocsc()
        self.b_all = np.concatenate([self.b_eq, self.b_ub]) if self.has_ub else self.b_eq
        self.is_equality = np.arange(self.a_all.shape[0]) < len(e_rows)
        self.hidden_values = self.values[self.hidden_index]
        self.programs: dict[tuple, Program] = {}   # set up once, solved for many objectives

    def solve(self, objective: np.ndarray, columns: np.ndarray | None = None, bounds: Any = (0, None)) -> Any:
        """The programme over every hidden cell (within the bounds), or over one component
        (columns: its hidden cells). Each is set up once and solved for every objective
        asked of it, from the previous solution's basis."""
        if columns is None:
            key: tuple = ("all", tuple(map(tuple, bounds)) if isinstance(bounds, list) else bounds)
            if key not in self.programs:
                self.programs[key] = Program(self.n, self.a_eq if self.has_eq else None, self.b_eq,
                                             self.a_ub if self.has_ub else None, self.b_ub, bounds)
            return self.programs[key].minimize(objective)
        component = int(self.cell_labels[columns[0]])
        key = ("component", component, tuple(map(tuple, bounds)) if isinstance(bounds, list) else bounds)
        if key not in self.programs:
            rows_e, rows_u = np.flatnonzero(self.e_labels == component), np.flatnonzero(self.u_labels == component)
            self.programs[key] = Program(
                len(columns), self.a_eq[rows_e][:, columns] if len(rows_e) else None, self.b_eq[rows_e],
                self.a_ub[rows_u][:, columns] if len(rows_u) else None, self.b_ub[rows_u], bounds)
        return self.programs[key].minimize(objective)

    def point(self, x: np.ndarray, columns: np.ndarray | None = None) -> np.ndarray:
        """A feasible point over all cells: the known values, and x for the hidden cells (of columns)."""
        point = self.values.copy()
        point[self.hidden_index if columns is None else self.hidden_index[columns]] = x
        return point

    def component_columns(self, cell: int) -> np.ndarray:
        """The hidden cells (as columns) of the cell's component."""
        return np.flatnonzero(self.cell_labels == self.cell_labels[self.position[cell]])

    def component_size(self, cell: int) -> int:
        return int(self.sizes[self.cell_labels[self.position[cell]]])

    def box(self, protection: float) -> list[tuple[float, float]]:
        """Bounds for the screening programmes over every hidden cell, so that none is unbounded."""
        return [(0.0, 2 * self.values[c] + 10 * protection) for c in self.hidden_index]

    def small_interval(self, columns: np.ndarray, rows: np.ndarray, local: int) -> tuple[float, float]:
        """Min and max of one cell over the given rows, the given cells free and every other
        hidden cell in those rows fixed at its exact value."""
        sub = self.a_all[rows]
        inside = np.zeros(self.n, bool)
        inside[columns] = True
        fixed = sub.multiply(np.where(inside, 0.0, self.hidden_values)[None, :]).sum(axis=1).A.ravel()
        rhs = self.b_all[rows] - fixed
        matrix = sub[:, columns]
        equal = self.is_equality[rows]
        where = int(np.searchsorted(columns, local))
        program = Program(len(columns), matrix[equal] if equal.any() else None, rhs[equal],
                          matrix[~equal] if (~equal).any() else None, rhs[~equal])
        bounds = []
        for sense in (-1.0, 1.0):
            objective = np.zeros(len(columns))
            objective[where] = sense
            result = program.minimize(objective)
            if result.status == 3:          # unbounded: no upper end
                bounds.append(math.inf)
            elif result.fun is None:        # the exact figures solve it: anything else is a solver failure
                raise RuntimeError(f"disclosure: a neighbourhood's linear program failed: {result.message}")
            else:
                bounds.append(sense * result.fun)
        return bounds[1], bounds[0]


def inward(low: Any, high: Any, count: bool) -> tuple[Any, Any]:
    """An interval rounded inward to whole persons for a count (an infinite upper end stays)."""
    if not count:
        return low, high
    return math.ceil(low - TOLERANCE), (math.floor(high + TOLERANCE) if math.isfinite(high) else high)


def spread(points: np.ndarray, cells: np.ndarray, is_count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The lowest and highest value of each cell over the points, counts rounded inward."""
    low, high = points[:, cells].min(axis=0), points[:, cells].max(axis=0)
    counts = is_count[cells]
    low = np.where(counts, np.ceil(low - TOLERANCE), low)
    high = np.where(counts, np.floor(high + TOLERANCE), high)
    return low, high


def screening_points(system: HiddenSystem, local_targets: np.ndarray, box: list[tuple[float, float]],
                     rng: np.random.Generator, quiet: bool) -> list[np.ndarray]:
    """A few programmes over every hidden cell at once, in a box so that none is unbounded:
    all targets up, all down, and four random mixes."""
    found = []
    directions = [np.ones(len(local_targets)), -np.ones(len(local_targets))]
    directions += [rng.choice([-1.0, 1.0], size=len(local_targets)) for _ in range(4)]
    for step, direction in enumerate(directions, 1):
        objective = np.zeros(system.n)
        objective[local_targets] = direction
        result = system.solve(objective, bounds=box)
        if result.status == 0:
            found.append(system.point(result.x))
        log(f"feasible point {step}/{len(directions)}", quiet)
    return found


def push_apart(system: HiddenSystem, target_index: np.ndarray, base: np.ndarray, found: list[np.ndarray],
               box: list[tuple[float, float]], rng: np.random.Generator, protection: float,
               quiet: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Push the cells not yet shown safe apart, a few hundred at a time (fewer cells compete
    less for the same slack), until that stops paying. Appends to found; returns (all
    points, each target's lowest and highest value over them)."""
    local_targets = system.position[target_index]
    all_points = np.vstack([base] + ([np.vstack(found)] if found else []))
    lower, upper = spread(all_points, target_index, system.is_count)
    for _ in range(6):
        unsafe = np.flatnonzero(upper - lower < protection - TOLERANCE)
        if len(unsafe) < 20:
            break
        before = len(unsafe)
        rng.shuffle(unsafe)
        for chunk in np.array_split(unsafe, max(1, len(unsafe) // CHUNK)):
            for sense in (1.0, -1.0):
                objective = np.zeros(system.n)
                objective[local_targets[chunk]] = -sense
                result = system.solve(objective, bounds=box)
                if result.status == 0:
                    found.append(system.point(result.x))
        all_points = np.vstack([base] + found)
        lower, upper = spread(all_points, target_index, system.is_count)
        after = int((upper - lower < protection - TOLERANCE).sum())
        log(f"pushing {before} cells apart in groups of about {CHUNK}: {after} left", quiet)
        if after > 0.7 * before:
            break
    return all_points, lower, upper


def neighbourhood(system: HiddenSystem, cell: int, protection: float, hops: int = 3) -> Row | None:
    """Settle a cell on its neighbourhood when that is enough, else None.

    Restriction: the cells within `hops` relations free, every other cell at its exact
    value: every solution is a solution of the whole system, so a wide interval here
    proves the cell safe. Relaxation: only the relations touching that neighbourhood,
    every cell in them free: it can only widen the interval, so a narrow interval
    here proves the cell narrow. Either settles it; otherwise the whole component.
    """
    local = system.position[cell]
    count = bool(system.is_count[cell])
    free = np.array([local])
    for _ in range(hops):
        rows = np.unique(system.a_all_csc[:, free].indices)
        wider = np.unique(system.a_all[rows].indices)
        low, high = inward(*system.small_interval(wider, rows, local), count)          # relaxation
        if high - low < protection - TOLERANCE:
            return (int(cell), float(low), float(high), "relaxation", int(len(wider)))
        low, high = inward(*system.small_interval(free, rows, local), count)           # restriction
        if high - low >= protection - TOLERANCE:
            return (int(cell), float(low), float(high), "neighbourhood", int(len(free)))
        free = wider
    return None


def min_max(system: HiddenSystem, cell: int, protection: float, exact: bool, lowest_seen: float,
            extra: list[np.ndarray]) -> Row:
    """The largest value the cell can take, then the smallest, over its whole component.
    Every solution found is appended to extra. Unless exact, the lowest value already
    seen (lowest_seen, or in extra) may suffice with the maximum."""
    columns = system.component_columns(cell)
    where = int(np.searchsorted(columns, system.position[cell]))
    count = bool(system.is_count[cell])
    bounds: list[float] = []
    for sense in (-1.0, 1.0):           # the largest value first, then the smallest
        objective = np.zeros(len(columns))
        objective[where] = sense
        result = system.solve(objective, columns)
        if result.status == 3:          # unbounded: no upper end
            bounds.append(math.inf)
        elif result.status != 0:
            raise RuntimeError(f"disclosure audit: the linear program for cell "
                               f"{'/'.join(map(str, system.cells.loc[cell, KEY].tolist()))} failed: "
                               f"{result.message}")
        else:
            bounds.append(sense * result.fun)
            extra.append(system.point(result.x, columns))
        if sense < 0 and not exact:
            # the lowest value already seen is attainable: with the maximum it may suffice
            seen, top = inward(min(lowest_seen, min(p[cell] for p in extra)), bounds[0], count)
            if top - seen >= protection - TOLERANCE:
                return (int(cell), float(seen), float(top), "feasible point and maximum", int(len(columns)))
    lower, upper = inward(bounds[1], bounds[0], count)
    return (int(cell), float(lower), float(upper), "minimum and maximum", int(len(columns)))


def settle(system: HiddenSystem, pending: list[int], all_points: np.ndarray, target_index: np.ndarray,
           protection: float, exact: bool, quick: bool, quiet: bool,
           deferred: np.ndarray | None = None) -> tuple[list[Row], list[np.ndarray]]:
    """The targets the feasible points did not show safe, one by one: by the points found
    for earlier ones, by the neighbourhood, else (unless quick: then 'undecided') by
    min_max. In a quick round a deferred cell (one an earlier quick round left undecided)
    is left undecided without its neighbourhood again: the full round decides it.
    Returns the rows and the points found on the way."""
    out: list[Row] = []
    extra: list[np.ndarray] = []
    done = set()
    lower_seen = dict(zip(target_index, all_points[:, target_index].min(axis=0), strict=True))
    upper_seen = dict(zip(target_index, all_points[:, target_index].max(axis=0), strict=True))
    for number, cell in enumerate(pending, 1):
        if cell in done:
            continue
        if extra and not exact:             # points found for earlier cells may already show it safe
            rows = np.array([p[cell] for p in extra] + [lower_seen[cell], upper_seen[cell]])
            low, high = inward(rows.min(), rows.max(), bool(system.is_count[cell]))
            if high - low >= protection - TOLERANCE:
                out.append((int(cell), float(low), float(high), "feasible points", system.component_size(cell)))
                continue
        if not exact:
            if quick and deferred is not None and deferred[cell]:
                out.append((int(cell), math.nan, math.nan, "undecided", 0))
                continue
            verdict = neighbourhood(system, cell, protection, hops=QUICK_HOPS if quick else FULL_HOPS)
            if verdict is not None:
                out.append(verdict)
                continue
            if quick:                       # undecided: left for a later, full round
                out.append((int(cell), math.nan, math.nan, "undecided", 0))
                continue
        row = min_max(system, cell, protection, exact, lower_seen[cell], extra)
        out.append(row)
        done.add(cell)
        if row[3] == "minimum and maximum" and number % 200 == 0:
            log(f"{number} of {len(pending)} minimum/maximum pairs", quiet)
    return out, extra


def intervals(cells: pd.DataFrame, relations: Relations, hidden: np.ndarray, targets: np.ndarray,
              protection: float = 10, points: np.ndarray | None = None, exact: bool = False,
              quick: bool = False, quiet: bool = True,
              deferred: np.ndarray | None = None) -> tuple[pd.DataFrame, np.ndarray | None]:
    """The interval each target cell can take, given every cell not hidden (see the module).

    points: earlier feasible points (rows over all cells), still feasible when more cells
    are hidden. quick: leave the cells the neighbourhood does not settle 'undecided'.
    deferred: cells an earlier quick round left undecided (a mask over all cells): a
    quick round leaves them undecided without trying their neighbourhood again.
    Returns (table: cell, lower, upper, method, component_size; a few feasible points
    for the next round).
    """
    values = cells["exact_value"].fillna(0).to_numpy(dtype=float)
    target_index = np.flatnonzero(targets & hidden)
    base = values[None, :] if points is None else np.vstack([values[None, :], points])
    if not len(target_index):
        return pd.DataFrame(columns=COLUMNS), base
    system = HiddenSystem(cells, relations, hidden)
    out: list[Row] = []
    if not exact:
        box = system.box(protection)
        rng = np.random.default_rng(len(target_index))
        found = screening_points(system, system.position[target_index], box, rng, quiet)
        all_points, lower, upper = push_apart(system, target_index, base, found, box, rng, protection, quiet)
        safe = upper - lower >= protection - TOLERANCE
        for cell, lo, hi in zip(target_index[safe], lower[safe], upper[safe], strict=True):
            out.append((int(cell), float(lo), float(hi), "feasible points", system.component_size(cell)))
        pending = list(target_index[~safe])
    else:
        all_points = np.vstack([base])
        pending = list(target_index)
    log(f"{len(target_index) - len(pending)} of {len(target_index)} cells shown safe by feasible points; "
        f"{len(pending)} get their minimum and maximum", quiet)
    settled, extra = settle(system, pending, all_points, target_index, protection, exact, quick, quiet, deferred)
    out += settled
    all_points = np.vstack([all_points] + extra) if extra else all_points
    table = pd.DataFrame(out, columns=COLUMNS)
    log("settled by " + ", ".join(f"{k}: {v}" for k, v in table["method"].value_counts().items()), quiet)
    # keep a handful of points for the next round (the exact figures are always added back)
    keep = all_points[1:][-12:] if len(all_points) > 1 else None
    return table, keep
