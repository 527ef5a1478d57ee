"""A small sparse MILP builder solved by HiGHS through its own Python binding (``highspy``).

Variables and rows are appended one by one into coordinate lists and handed to HiGHS as one
column-wise matrix at solve time, so building a model is linear in its size. One solver
object is kept per model: solving again after changing bounds or adding rows (the
explanation's comparison routes) reuses the model HiGHS already holds instead of passing it
again. HiGHS writes nothing to stdout (its output is switched off before anything else), and
an ``interrupt`` callback lets a caller stop a running solve (the planner's Cancel).
"""

from __future__ import annotations

import bisect
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

import highspy
import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_array

from pathplanner.graph.planner.types import PlanningCancelled

Linear = Mapping[int, float]
SolveStatus = Literal["optimal", "feasible", "infeasible", "unknown"]
Interrupt = Callable[[], bool]
# Told, during a MIP solve, the best objective found so far (inf before the first) and the
# proven bound (-inf before the first), when either changed: a long solve's live progress.
Report = Callable[[float, float], None]
# Seconds between two reports of a solve (HiGHS calls back at every node).
REPORT_EVERY = 0.25
Option = bool | int | float | str

_STATUS = highspy.HighsModelStatus
_INFEASIBLE = {_STATUS.kInfeasible, _STATUS.kUnboundedOrInfeasible}


@dataclass(frozen=True)
class Solution:
    status: SolveStatus  # "unknown": time limit hit before any solution was found
    x: NDArray[np.float64] | None
    value: float | None
    bound: float | None  # proven lower bound on the objective (minimisation)

    def is_one(self, var: int) -> bool:
        return self.x is not None and self.x[var] > 0.5


class Model:
    def __init__(self, options: Mapping[str, Option] | None = None) -> None:
        """``options``: HiGHS options for this model, over :data:`OPTIONS`."""
        self.options = {**OPTIONS, **(options or {})}
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[int] = []
        self._rows: list[int] = []
        self._cols: list[int] = []
        self._vals: list[float] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []
        self._solver: _QuietHighs | None = None  # the HiGHS object holding this model once solved
        self._passed_cols = 0  # columns and rows HiGHS holds
        self._passed_rows = 0
        self._passed_entries = 0

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

    @property
    def row_count(self) -> int:
        return len(self.row_lower)

    def drop_rows(self, first: int) -> None:
        """Remove the rows from index ``first`` on (the cuts of a comparison solve)."""
        if first >= self.row_count:
            return
        entries = bisect.bisect_left(self._rows, first)  # rows are appended in order
        del self._rows[entries:], self._cols[entries:], self._vals[entries:]
        del self.row_lower[first:], self.row_upper[first:]
        if self._solver is not None and self._passed_rows > first:
            gone = np.arange(first, self._passed_rows, dtype=np.int32)
            self._solver.deleteRows(len(gone), gone)
            self._passed_rows, self._passed_entries = first, entries

    def write(self, path: str) -> None:
        """Write the model as HiGHS holds it (with the last objective) to ``path``, e.g. an
        ``.mps`` file, to study it outside the planner (benchmarks/bench_cheapest.py)."""
        self._sync().writeModel(path)

    def set_bounds(self, var: int, lower: float, upper: float) -> None:
        """Change a variable's bounds (kept for later solves of this model)."""
        self.lower[var] = lower
        self.upper[var] = upper
        if self._solver is not None and var < self._passed_cols:
            self._solver.changeColBounds(var, lower, upper)

    def solve(
        self,
        objective: Linear,
        time_limit: float,
        *,
        gap: float = 1e-6,
        interrupt: Interrupt | None = None,
        start: Mapping[int, float] | None = None,
        report: Report | None = None,
    ) -> Solution:
        """Minimise ``objective``. ``interrupt``: polled during the solve; when it returns
        True the solve stops and :class:`PlanningCancelled` is raised. ``start``: values of
        some variables (the rest 0) that HiGHS may complete into a first incumbent.
        ``report``: told the best value and bound while a MIP solve runs (see :data:`Report`)."""
        if self.size == 0:
            self.var(0.0, 0.0)  # HiGHS needs at least one variable
        highs = self._sync()
        n = self.size
        c = np.zeros(n)
        for col, val in objective.items():
            c[col] += val
        highs.changeColsCost(n, np.arange(n, dtype=np.int32), c)
        highs.setOptionValue("time_limit", max(0.01, time_limit))
        highs.setOptionValue("mip_rel_gap", gap)
        if start is not None:
            values = np.zeros(n)
            for var, value in start.items():
                values[var] = value
            guess = highspy.HighsSolution()
            guess.col_value = values
            guess.value_valid = True
            highs.setSolution(guess)
        if interrupt is None and report is None:
            status = highs.run()
        else:
            watch = _Watch(interrupt, report)
            highs.cbMipInterrupt.subscribe(watch)
            try:
                status = highs.run()
            finally:
                highs.cbMipInterrupt.unsubscribe(watch)
            if watch.failure is not None:
                raise watch.failure
            if watch.stopped:
                raise PlanningCancelled("planning cancelled")
        if status == highspy.HighsStatus.kError:
            raise RuntimeError(
                f"HiGHS failed ({highs.modelStatusToString(highs.getModelStatus())})"
            )
        return self._solution(highs, c, any(self.integer))

    def _sync(self) -> _QuietHighs:
        """The HiGHS object holding this model: created and passed the whole model on the
        first solve, then given only the columns and rows added since."""
        if self._solver is None:
            highs = _QuietHighs()  # type: ignore[no-untyped-call]
            for option, value in self.options.items():
                highs.setOptionValue(option, value)
            self._solver = highs
        highs = self._solver
        n, m = self.size, len(self.row_lower)
        if n > self._passed_cols:
            first = self._passed_cols
            count = n - first
            highs.addVars(count, np.array(self.lower[first:]), np.array(self.upper[first:]))
            integer = [i for i in range(first, n) if self.integer[i]]
            if integer:
                highs.changeColsIntegrality(
                    len(integer),
                    np.array(integer, dtype=np.int32),
                    np.ones(len(integer), dtype=np.uint8),  # HighsVarType.kInteger
                )
            self._passed_cols = n
        if m > self._passed_rows:
            first_row, first_entry = self._passed_rows, self._passed_entries
            rows = np.array(self._rows[first_entry:], dtype=np.int64) - first_row
            matrix = csr_array(
                (self._vals[first_entry:], (rows, self._cols[first_entry:])),
                shape=(m - first_row, n),
            )
            matrix.sum_duplicates()
            highs.addRows(
                m - first_row,
                np.array(self.row_lower[first_row:]),
                np.array(self.row_upper[first_row:]),
                matrix.nnz,
                matrix.indptr.astype(np.int32),
                matrix.indices.astype(np.int32),
                matrix.data.astype(np.float64),
            )
            self._passed_rows, self._passed_entries = m, len(self._vals)
        return highs

    @staticmethod
    def _solution(highs: _QuietHighs, c: NDArray[np.float64], integer: bool) -> Solution:
        status = highs.getModelStatus()
        info = highs.getInfo()
        x = None
        if info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible:
            x = np.asarray(highs.getSolution().col_value, dtype=np.float64)
        value = None if x is None else float(c @ x)
        bound = None
        if integer and math.isfinite(info.mip_dual_bound):
            bound = float(info.mip_dual_bound)
        if status == _STATUS.kOptimal and x is not None:
            return Solution("optimal", x, value, value if bound is None else bound)
        if status in _INFEASIBLE:
            return Solution("infeasible", None, None, None)
        if x is not None:
            return Solution("feasible", x, value, bound)
        return Solution("unknown", None, None, bound)


# One thread: on these small MIPs HiGHS' second thread mostly waits (one is as fast, in CPU
# and wall time, on the planner benchmark's models), and the other core stays free for the
# GUI. The option is process-wide in HiGHS (its scheduler starts once), so every model
# solved through this module uses it.
OPTIONS: dict[str, Option] = {"threads": 1}


class _QuietHighs(highspy.Highs):
    """HiGHS with its output off from the start: by default HiGHS prints a banner to stdout
    when the wrapper installs its callback handler in the constructor."""

    def enableCallbacks(self) -> None:  # noqa: N802 (HiGHS' name)
        self.setOptionValue("output_flag", False)
        super().enableCallbacks()  # type: ignore[no-untyped-call]


class _Watch:
    """HiGHS' MIP interrupt callback (called at every node): asks HiGHS to stop once
    ``interrupt`` returns True, and passes the best value and bound on to ``report`` when
    they changed, at most every :data:`REPORT_EVERY` seconds. An error raised by either is
    kept in ``failure`` and stops the solve (raised through HiGHS it would only make the
    solve fail with "Solve error"), for the caller to raise once HiGHS has returned."""

    def __init__(self, interrupt: Interrupt | None, report: Report | None) -> None:
        self.interrupt = interrupt
        self.report = report
        self.stopped = False
        self.failure: BaseException | None = None
        self._reported = (math.inf, -math.inf)
        self._next = time.perf_counter() + REPORT_EVERY

    def __call__(self, event: highspy.HighsCallbackEvent) -> None:
        try:
            self._watch(event)
        except BaseException as exc:  # re-raised by Model.solve
            self.failure = exc
            event.interrupt()

    def _watch(self, event: highspy.HighsCallbackEvent) -> None:
        if self.interrupt is not None and self.interrupt():
            self.stopped = True
            event.interrupt()
            return
        if self.report is None or time.perf_counter() < self._next:
            return
        data = event.data_out
        now = (float(data.mip_primal_bound), float(data.mip_dual_bound))
        if now != self._reported:
            self._reported = now
            self._next = time.perf_counter() + REPORT_EVERY
            self.report(*now)
