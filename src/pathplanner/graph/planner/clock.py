"""The solve's deadline, progress reports and cancellation; the best plan found so far."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from pathplanner.graph.planner.schedule import (
    Schedule,
)
from pathplanner.graph.planner.types import (
    PlanningCancelled,
)

Progress = Callable[[float, str], None]


Cancel = Callable[[], bool]


class Clock:
    """The solve's deadline, progress reports and cancellation checks."""

    def __init__(
        self,
        limit: float,
        progress: Progress | None,
        cancel: Cancel | None,
        *,
        reserve: float = 0.0,
    ) -> None:
        # ``reserve``: seconds kept back from the search for the steps after it (pruning, the
        # tie-break check, the explanation), so the whole call ends within ``limit``
        self.reserve = reserve
        self.deadline = time.perf_counter() + limit - reserve
        self._progress = progress
        self._cancel = cancel

    main_solve: float = 0.1  # seconds the first model solve took: sizes the side solves
    alternatives: bool = True  # compare with other routes in the explanation

    def side_budget(self) -> float:
        """Time for an explanation's extra solve: a few times the main solve, at most 30% of
        what is left (so explanations never dominate the planning time)."""
        return min(self.remaining(0.3), max(0.2, 3 * self.main_solve))

    def remaining(self, share: float = 1.0) -> float:
        return max(0.0, (self.deadline - time.perf_counter()) * share)

    def cancelled(self) -> bool:
        """Whether the caller asked to stop (polled by HiGHS during a solve)."""
        return self._cancel is not None and self._cancel()

    @property
    def interrupt(self) -> Cancel | None:
        """What a solver should poll to stop early: None when nothing can cancel."""
        return None if self._cancel is None else self.cancelled

    def check(self) -> None:
        """Raise PlanningCancelled when the caller asked to stop."""
        if self._cancel is not None and self._cancel():
            raise PlanningCancelled("planning cancelled")

    def step(self, fraction: float, message: str) -> None:
        self.check()
        self.tell(fraction, message)

    def tell(self, fraction: float, message: str) -> None:
        """Report progress without the cancel check (from inside a solver's callback, where
        raising would cut through the solver; the solver polls :attr:`interrupt` itself)."""
        if self._progress is not None:
            self._progress(min(1.0, max(0.0, fraction)), message)

    @property
    def reports(self) -> bool:
        """Whether anyone listens to progress (live solver figures cost a callback)."""
        return self._progress is not None


@dataclass
class Found:
    schedule: Schedule
    lower_bound: float
    proven: bool
