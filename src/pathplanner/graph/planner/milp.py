"""A small sparse MILP builder over :func:`scipy.optimize.milp` (HiGHS).

Variables and rows are appended one by one into coordinate lists and turned into one
``scipy.sparse`` matrix at solve time, so building a model is linear in its size.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

Linear = Mapping[int, float]
SolveStatus = Literal["optimal", "feasible", "infeasible", "unknown"]


@dataclass(frozen=True)
class Solution:
    status: SolveStatus  # "unknown": time limit hit before any solution was found
    x: NDArray[np.float64] | None
    value: float | None
    bound: float | None  # proven lower bound on the objective (minimisation)

    def is_one(self, var: int) -> bool:
        return self.x is not None and self.x[var] > 0.5


class Model:
    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[int] = []
        self._rows: list[int] = []
        self._cols: list[int] = []
        self._vals: list[float] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []

    @property
    def size(self) -> int:
        return len(self.lower)

    def binary(self) -> int:
        return self.var(0.0, 1.0, integer=True)

    def var(self, lower: float, upper: float, *, integer: bool = False) -> int:
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(1 if integer else 0)
        return len(self.lower) - 1

    def row(self, coeffs: Linear, lower: float = -math.inf, upper: float = math.inf) -> None:
        index = len(self.row_lower)
        for col, val in coeffs.items():
            if val != 0.0:
                self._rows.append(index)
                self._cols.append(col)
                self._vals.append(val)
        self.row_lower.append(lower)
        self.row_upper.append(upper)

    def solve(self, objective: Linear, time_limit: float, *, gap: float = 1e-6) -> Solution:
        if self.size == 0:
            self.var(0.0, 0.0)  # HiGHS (through scipy) needs at least one variable
        n = self.size
        c = np.zeros(n)
        for col, val in objective.items():
            c[col] += val
        constraints = []
        if self.row_lower:
            matrix = csr_array(
                (self._vals, (self._rows, self._cols)), shape=(len(self.row_lower), n)
            )
            constraints.append(LinearConstraint(matrix, self.row_lower, self.row_upper))
        result = milp(
            c,
            integrality=np.array(self.integer),
            bounds=Bounds(np.array(self.lower), np.array(self.upper)),
            constraints=constraints,
            options={"time_limit": max(0.01, time_limit), "mip_rel_gap": gap, "presolve": True},
        )
        x = None if result.x is None else np.asarray(result.x, dtype=np.float64)
        value = None if x is None else float(c @ x)
        bound = getattr(result, "mip_dual_bound", None)
        if result.status == 0:
            return Solution("optimal", x, value, value if bound is None else float(bound))
        if result.status == 2:
            return Solution("infeasible", None, None, None)
        if x is not None:
            return Solution("feasible", x, value, None if bound is None else float(bound))
        return Solution("unknown", None, None, None if bound is None else float(bound))
