"""Cleanup: publish again every secondary suppression the small cells do not need.

The greedy choice and the repair rounds (protection.py) hide a partner for every cell
that is too narrow, one at a time, and never look back: a partner hidden early often
turns out not to be needed once later partners are hidden. The cleanup pass goes over
the secondary cells, the most costly first (candidate_order read backwards: headlines,
then totals, then the largest), and publishes each again when every small cell stays
protected without it.

"Stays protected" is proved by a certificate per small cell: one or two solutions of
the relations that agree with every published value, and in which the cell lies at
least `protection` away from where the exact figures put it, or two that lie that far
apart (up and down). By convexity every value between them is possible too. A
certificate stays valid when a cell is published again at its exact value, unless one
of its solutions moves that cell (the solution's support). So publishing a candidate
needs new certificates only for the small cells whose certificate moves it.

A certificate is found on the small cell's neighbourhood: the hidden cells within
FIRST_HOP, FIRST_HOP + 1, ... relations move, every other cell stays at its exact
value, so each solution is a solution of the whole system. Each moves the cells as
little as it can in total, which keeps supports small, and goes into a pool: a small
cell is first certified from solutions already found (a cycle of cells moved for one
small cell often moves others). While checking a candidate, a small cell looks for a
new certificate within CHECK_HOPS relations only; none found, the candidate stays
hidden. Only the small cells within CHECK_HOPS + 1 relations of a candidate are
certified at all (a later vintage has few new secondary cells): a farther small cell
could lose only a certificate found beyond that many relations, and the audit after
the pass checks every small cell anyway.

The certificate is a proof of a sub-interval: the real interval can only be wider.
protection.py still audits every small cell after the pass (and repairs, should a
cell be too narrow), and the independent audit judges the publication.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import sparse

from banenafspraak.disclosure.cells import TOLERANCE, log
from banenafspraak.disclosure.lp import Program
from banenafspraak.disclosure.relations import Relations

FIRST_HOP = 3         # the first neighbourhood tried (a smaller one rarely suffices)
CHECK_HOPS = 6        # while checking a candidate: how far a small cell may look for a new certificate
EPSILON = 1e-4        # weight of the total deviation against the width (width first)
MOVED = 1e-7          # a cell moves in a solution when it deviates more than this


def gather(indptr: np.ndarray, indices: np.ndarray, select: np.ndarray) -> np.ndarray:
    """The indices of the selected rows of a compressed sparse matrix, concatenated."""
    starts, ends = indptr[select], indptr[select + 1]
    lengths = ends - starts
    if not lengths.sum():
        return np.zeros(0, dtype=indices.dtype)
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return indices[offsets + np.arange(lengths.sum())]


def near(rows: sparse.csr_matrix, columns: sparse.csc_matrix, hidden: np.ndarray, start: np.ndarray,
         hops: int) -> np.ndarray:
    """The hidden cells within `hops` relations of any of the start cells, through hidden
    cells (a mask). rows / columns: every relation (equalities and inequalities) as a
    compressed row and column matrix."""
    reached = np.zeros(len(hidden), bool)
    reached[start] = True
    frontier = np.asarray(start)
    for _ in range(hops):
        if not len(frontier):
            break
        touching = np.unique(gather(columns.indptr, columns.indices, frontier))
        found = np.unique(gather(rows.indptr, rows.indices, touching))
        frontier = found[hidden[found] & ~reached[found]]
        reached[frontier] = True
    return reached


class Certificates:
    """Certificates for the small cells over a changing set of hidden cells.

    A certificate is one or two points, each a deviation from the exact figures on a few
    hidden cells (its support) that keeps every relation: the exact figures move the
    cell by 0, so one point moving it by `protection` suffices, else one up and one
    down. Every point found goes to a pool, and a small cell is first certified from
    points already found (a cycle of cells moved for one small cell often moves others).
    """

    def __init__(self, cells: pd.DataFrame, relations: Relations, hidden: np.ndarray, protection: float) -> None:
        self.values = cells["exact_value"].fillna(0).to_numpy(dtype=float)
        self.is_count = cells["value_kind"].eq("count").to_numpy()
        e, u = relations.equalities.tocsr(), relations.inequalities.tocsr()
        self.rows = sparse.vstack([e, u]).tocsr()
        self.columns = self.rows.tocsc()
        self.is_equality = np.arange(self.rows.shape[0]) < e.shape[0]
        # how far each inequality is from binding at the exact figures (U·x <= 0)
        # (never below 0: jobs rounded per cell can break one by millionths)
        self.slack = np.concatenate([np.zeros(e.shape[0]), np.maximum(-(u @ self.values), 0.0)])
        self.hidden = hidden.copy()
        self.protection = protection
        self.moves: dict[int, dict[int, float]] = {}     # cell -> {active point: its deviation}
        self.support: list[np.ndarray] = []              # point -> the cells it moves
        self.deviation: list[np.ndarray] = []            # point -> how far it moves them
        self.certificate: dict[int, tuple[int, ...]] = {}  # small cell -> its points
        self.users: dict[int, set[int]] = {}             # point -> small cells certified by it
        self.solves = 0

    def _rows_of(self, cells_: np.ndarray) -> np.ndarray:
        return np.unique(gather(self.columns.indptr, self.columns.indices, cells_))

    def neighbourhoods(self, cell: int, max_hops: int | None):
        """The hidden cells within FIRST_HOP, FIRST_HOP + 1, ... max_hops relations of the cell
        (None: until the whole component), each with the relations touching them."""
        free = np.array([cell])
        hop = 0
        while max_hops is None or hop < max_hops:
            hop += 1
            wider = np.unique(gather(self.rows.indptr, self.rows.indices, self._rows_of(free)))
            wider = np.union1d(wider[self.hidden[wider]], free)
            if len(wider) == len(free):          # the whole component
                if hop - 1 < FIRST_HOP:           # not given yet
                    yield free, self._rows_of(free)
                return
            free = wider
            if hop >= FIRST_HOP:
                yield free, self._rows_of(free)
        return

    def near(self, start: np.ndarray, hops: int) -> np.ndarray:
        """The hidden cells within `hops` relations of any of the start cells (a mask)."""
        return near(self.rows, self.columns, self.hidden, start, hops)

    def _add_point(self, free: np.ndarray, up: np.ndarray) -> int:
        moved = np.abs(up) > MOVED
        point = len(self.support)
        self.support.append(free[moved])
        self.deviation.append(up[moved])
        for cell, value in zip(free[moved].tolist(), up[moved].tolist(), strict=True):
            self.moves.setdefault(cell, {})[point] = value
        return point

    def _width(self, cell: int, up: float, down: float) -> float:
        """The width between the cell moved up and down, counts rounded inward."""
        if self.is_count[cell]:
            return math.floor(up + TOLERANCE) - math.ceil(down - TOLERANCE)
        return up - down

    def from_pool(self, cell: int) -> tuple[int, ...] | None:
        """A certificate from points already found, or None."""
        moves = self.moves.get(cell)
        if not moves:
            return None
        up_point = max(moves, key=moves.__getitem__)
        down_point = min(moves, key=moves.__getitem__)
        up, down = max(moves[up_point], 0.0), min(moves[down_point], 0.0)
        if self._width(cell, up, down) < self.protection - TOLERANCE:
            return None
        return tuple(p for p, d in ((up_point, up), (down_point, down)) if d != 0.0)

    def solve(self, cell: int, free: np.ndarray, rows: np.ndarray) -> tuple[int, ...] | None:
        """A certificate for cell with only `free` moving (new points), or None.

        Variables: each free cell's move up and move down (x = exact + up − down); every
        relation touching them keeps holding (equalities: the moves cancel; inequalities:
        within their slack). First the cell as far up as needed (at most `protection`),
        then, if that is not enough, down; each time with the least total movement."""
        k = len(free)
        sub = self.columns[:, free]                      # the free cells' columns, all relations
        local_rows = np.searchsorted(rows, sub.indices)
        matrix = sparse.csc_matrix((np.concatenate([sub.data, -sub.data]),
                                    np.concatenate([local_rows, local_rows]),
                                    np.concatenate([sub.indptr, sub.indptr[1:] + sub.indptr[-1]])),
                                   shape=(len(rows), 2 * k))
        row_upper = self.slack[rows]
        row_lower = np.where(self.is_equality[rows], 0.0, -np.inf)
        col_lower = np.zeros(2 * k)
        col_upper = np.concatenate([np.full(k, np.inf), self.values[free]])
        where = int(np.searchsorted(free, cell))
        up, down = where, k + where
        col_upper[down] = 0.0                             # first up: the cell does not move down
        col_upper[up] = self.protection
        program = Program.columnwise(matrix, row_lower, row_upper, col_lower, col_upper)
        gained = [0.0, 0.0]
        deviations = []
        for side, column in enumerate((up, down)):
            if side == 1:                                 # then down, as far as still needed
                # (a count's move up counts in whole persons: 6.5 up is 6)
                still = self.protection - self._width(cell, gained[0], 0.0)
                program.change_bounds(np.array([up, down]), np.zeros(2),
                                      np.array([0.0, min(self.values[cell], still)]))
            cost = np.full(2 * k, EPSILON)
            cost[column] = -1.0
            self.solves += 1
            result = program.minimize(cost)
            if result.status != 0 or result.x is None:
                return None
            gained[side] = float(result.x[column])
            deviations.append(result.x[:k] - result.x[k:])
            if self._width(cell, gained[0], -gained[1]) >= self.protection - TOLERANCE:
                break
        if self._width(cell, gained[0], -gained[1]) < self.protection - TOLERANCE:
            return None
        return tuple(self._add_point(free, d) for d in deviations if (np.abs(d) > MOVED).any())

    def find(self, cell: int, max_hops: int | None) -> tuple[int, ...] | None:
        """A certificate for the small cell on the current hidden cells, or None."""
        found = self.from_pool(cell)
        if found is not None:
            return found
        levels = self.neighbourhoods(cell, max_hops)
        if max_hops is not None:          # a check: straight to the widest (one programme pair)
            levels = iter(list(levels)[-1:])
        for free, rows in levels:
            found = self.solve(cell, free, rows)
            if found is not None:
                return found
        return None

    def record(self, cell: int, points: tuple[int, ...]) -> None:
        for point in self.certificate.get(cell, ()):
            self.users.get(point, set()).discard(cell)
        self.certificate[cell] = points
        for point in points:
            self.users.setdefault(point, set()).add(cell)

    def deactivate(self, points: list[int]) -> None:
        for point in points:
            for cell in self.support[point].tolist():
                self.moves[cell].pop(point, None)

    def activate(self, points: list[int]) -> None:
        for point in points:
            for cell, value in zip(self.support[point].tolist(), self.deviation[point].tolist(), strict=True):
                self.moves.setdefault(cell, {})[point] = value


def cleanup(cells: pd.DataFrame, relations: Relations, hidden: np.ndarray, small: np.ndarray,
            candidates: np.ndarray, protection: float, quiet: bool = True) -> np.ndarray:
    """The candidates (secondary cells, most costly first) that can be published again.

    hidden: the cells the reader does not know; small: the hidden cells to protect.
    Returns a mask of the candidates published again (each one's check assumes the
    earlier ones published)."""
    certificates = Certificates(cells, relations, hidden, protection)
    released = np.zeros(len(cells), bool)
    # only the small cells near a candidate can lose their certificate (a certificate moves
    # cells within the relations it was found on): the others are left to the audit after
    targets = np.flatnonzero(small & hidden & certificates.near(candidates, CHECK_HOPS + 1))
    missing = []
    for number, cell in enumerate(targets.tolist(), 1):
        points = certificates.find(cell, None)
        if points is None:
            missing.append(cell)
        else:
            certificates.record(cell, points)
        if number % 2000 == 0:
            log(f"cleanup: {number} of {len(targets)} small cells certified", quiet)
    log(f"cleanup: certificates for {len(certificates.certificate)} of {len(targets)} small cells near a candidate "
        f"({certificates.solves} programmes, {len(certificates.support)} points)", quiet)
    if missing:      # the pattern does not protect them: nothing can be published again safely
        log(f"cleanup: {len(missing)} small cells without a certificate: no cleanup", quiet)
        return released
    checked = certificates.solves
    for number, candidate in enumerate(candidates.tolist(), 1):
        if not certificates.hidden[candidate]:
            continue
        removed = sorted(certificates.moves.get(candidate, {}))
        affected = sorted(set().union(*(certificates.users.get(p, set()) for p in removed)))
        certificates.hidden[candidate] = False
        certificates.deactivate(removed)
        renewed = {}
        for cell in affected:
            points = certificates.find(cell, CHECK_HOPS)
            if points is None:
                break
            renewed[cell] = points
            certificates.record(cell, points)
        if len(renewed) < len(affected):        # needed: hidden again, its points valid again
            certificates.hidden[candidate] = True
            certificates.activate(removed)
        else:
            released[candidate] = True
        if number % 500 == 0:
            log(f"cleanup: {number} of {len(candidates)} candidates, {int(released.sum())} published again", quiet)
    log(f"cleanup: {int(released.sum())} of {len(candidates)} secondary cells published again "
        f"({certificates.solves - checked} programmes)", quiet)
    return released
