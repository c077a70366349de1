"""Linear programmes through HiGHS's own Python interface (highspy).

The disclosure control solves thousands of small programmes that differ only in their
objective: the smallest and the largest value of one cell over the same relations.
scipy's `linprog` (the same HiGHS underneath) builds a new solver for every call and
checks its inputs each time, which cost more than the solving itself. Here one
`Program` holds the relations once and is solved for each objective in turn, every
solve starting from the previous one's optimal basis.

Results follow `scipy.optimize.linprog`'s: status 0 optimal, 2 infeasible, 3 unbounded,
4 anything else (HiGHS's "unbounded or infeasible" included, as scipy maps it), `fun`
the objective's value and `x` the solution (both None unless optimal).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np
from highspy._core import _Highs
from scipy import sparse

STATUS = {highspy.HighsModelStatus.kOptimal: 0, highspy.HighsModelStatus.kInfeasible: 2,
          highspy.HighsModelStatus.kUnbounded: 3}


@dataclass
class Solution:
    status: int
    fun: float | None
    x: np.ndarray | None
    message: str


class Program:
    """min c·x subject to a_eq·x = b_eq, a_ub·x <= b_ub and the bounds, for any c.

    bounds: one (low, high) pair for every variable or a list of pairs, None for no bound."""

    def __init__(self, n: int, a_eq: Any = None, b_eq: Any = None, a_ub: Any = None, b_ub: Any = None,
                 bounds: Any = (0, None)) -> None:
        self.n = n
        inf = highspy.kHighsInf
        blocks, lower, upper = [], [], []
        if a_eq is not None and a_eq.shape[0]:
            blocks.append(sparse.csr_matrix(a_eq))
            lower.append(np.asarray(b_eq, dtype=float))
            upper.append(np.asarray(b_eq, dtype=float))
        if a_ub is not None and a_ub.shape[0]:
            blocks.append(sparse.csr_matrix(a_ub))
            lower.append(np.full(a_ub.shape[0], -inf))
            upper.append(np.asarray(b_ub, dtype=float))
        matrix = (sparse.vstack(blocks) if blocks else sparse.csr_matrix((0, n))).tocsc()
        matrix.sort_indices()
        pairs = [bounds] * n if isinstance(bounds, tuple) else list(bounds)
        self._pass(matrix,
                   np.concatenate(lower) if lower else np.zeros(0), np.concatenate(upper) if upper else np.zeros(0),
                   np.array([-inf if low is None else low for low, _ in pairs], dtype=float),
                   np.array([inf if high is None else high for _, high in pairs], dtype=float))

    def _pass(self, matrix: sparse.csc_matrix, row_lower: np.ndarray, row_upper: np.ndarray,
              col_lower: np.ndarray, col_upper: np.ndarray, presolve: bool = True) -> None:
        """Hand the programme to a new solver, as HiGHS holds it (column-wise)."""
        n = self.n = matrix.shape[1]
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, matrix.shape[0]
        lp.col_cost_ = np.zeros(n)
        lp.col_lower_, lp.col_upper_ = col_lower, col_upper
        lp.row_lower_, lp.row_upper_ = row_lower, row_upper
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
        lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
        lp.a_matrix_.value_ = matrix.data.astype(float)
        # the bare solver (as scipy uses its copy): highspy.Highs adds Python callbacks to
        # every instance and prints a banner
        self.highs = _Highs()
        self.highs.setOptionValue("output_flag", False)
        if not presolve:
            self.highs.setOptionValue("presolve", "off")
        self.highs.passModel(lp)
        self.columns = np.arange(n, dtype=np.int32)

    @classmethod
    def columnwise(cls, matrix: sparse.csc_matrix, row_lower: np.ndarray, row_upper: np.ndarray,
                   col_lower: np.ndarray, col_upper: np.ndarray) -> Program:
        """A programme given as HiGHS holds it: row_lower <= matrix·x <= row_upper and
        col_lower <= x <= col_upper (numpy arrays, ±inf for no bound), presolve off: for
        the many small programmes of the cleanup, where setting it up costs more than
        solving (see cleanup.py)."""
        program = cls.__new__(cls)
        program._pass(matrix, row_lower, row_upper, col_lower, col_upper, presolve=False)
        return program

    def change_bounds(self, columns: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        """New bounds for some variables (the next solve starts from the last basis)."""
        self.highs.changeColsBounds(len(columns), np.asarray(columns, dtype=np.int32),
                                    np.asarray(lower, dtype=float), np.asarray(upper, dtype=float))

    def minimize(self, objective: np.ndarray) -> Solution:
        """The smallest value of objective·x (from the previous solve's basis, if any)."""
        self.highs.changeColsCost(self.n, self.columns, np.asarray(objective, dtype=float))
        self.highs.run()
        model_status = self.highs.getModelStatus()
        status = STATUS.get(model_status, 4)
        message = self.highs.modelStatusToString(model_status)
        if status != 0:
            return Solution(status, None, None, message)
        x = np.asarray(self.highs.getSolution().col_value, dtype=float)
        return Solution(0, float(self.highs.getInfo().objective_function_value), x, message)
