"""The planning service: what a front end (the CLI, the UI's worker thread) calls to plan.

It opens a catalogue, runs :func:`pathplanner.graph.planner.plan` or
:func:`~pathplanner.graph.planner.pareto_front`, and turns every failure into one of a few
typed exceptions. No Qt: the UI runs :meth:`PlanningService.run` in a background thread, shows
the ``progress`` reports and stops it with a :class:`CancelToken`.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pathplanner.catalog import CatalogError, Problem, bundled_catalog_path, load_catalog
from pathplanner.graph.planner import (
    Plan,
    PlanningCancelled,
    PlanningError,
    PlanRequest,
    pareto_front,
    plan,
)
from pathplanner.model import Catalog

Progress = Callable[[float, str], None]


class PlanningServiceError(Exception):
    """Base of the service's errors."""


class CatalogUnavailableError(PlanningServiceError):
    """The catalogue could not be opened; ``problems`` lists what is wrong with it."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        detail = "; ".join(str(p) for p in problems[:3])
        super().__init__(f"cannot open catalogue {path}: {detail}")


class InvalidRequestError(PlanningServiceError):
    """The request names something unknown or contradicts itself; ``field`` says which input."""

    def __init__(self, message: str, field: str, value: str) -> None:
        super().__init__(message)
        self.field = field
        self.value = value


class NoPlanError(PlanningServiceError):
    """The request has no plan; ``reason`` says which requirement fails under which constraint
    and ``plan`` is the infeasible result (its ``explanation`` holds the same reason)."""

    def __init__(self, plan_result: Plan) -> None:
        super().__init__(plan_result.explanation)
        self.plan = plan_result
        self.reason = plan_result.explanation


class CancelledError(PlanningServiceError):
    """The run was cancelled through its :class:`CancelToken`."""


class CancelToken:
    """Thread-safe cancellation flag: the UI calls :meth:`cancel`, the planner polls it."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def __call__(self) -> bool:
        return self._event.is_set()


@dataclass(frozen=True)
class PlanningOutcome:
    """Plans found for a request: one plan, or the Pareto front (sorted by finish week)."""

    request: PlanRequest
    plans: tuple[Plan, ...]
    seconds: float

    @property
    def best(self) -> Plan:
        return self.plans[0]


class PlanningService:
    """Plans over one loaded catalogue; safe to call from a worker thread (no shared state
    is modified while planning)."""

    def __init__(self, catalog: Catalog, path: Path | None = None) -> None:
        self.catalog = catalog
        self.path = path

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> PlanningService:
        """Open a catalogue file (the bundled one when ``path`` is None)."""
        file_path = Path(path) if path is not None else bundled_catalog_path()
        try:
            loaded = load_catalog(file_path)
        except CatalogError as exc:
            raise CatalogUnavailableError(file_path, exc.errors) from None
        return cls(loaded.catalog, file_path)

    def run(
        self,
        request: PlanRequest,
        *,
        trade_off: bool = False,
        limit: int = 20,
        progress: Progress | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> PlanningOutcome:
        """Plan ``request``: the best plan, or with ``trade_off`` the cost-versus-finish front.

        Raises :class:`InvalidRequestError`, :class:`NoPlanError` or :class:`CancelledError`.
        """
        started = time.perf_counter()
        try:
            if trade_off:
                plans = pareto_front(
                    self.catalog, request, limit=limit, progress=progress, cancel=cancel
                )
                if not plans:
                    # the front is empty exactly when there is no plan: get the reason
                    raise NoPlanError(plan(self.catalog, request, cancel=cancel))
            else:
                result = plan(self.catalog, request, progress=progress, cancel=cancel)
                if result.status == "infeasible":
                    raise NoPlanError(result)
                plans = [result]
        except PlanningError as exc:
            raise InvalidRequestError(str(exc), exc.field, exc.value) from None
        except PlanningCancelled:
            raise CancelledError("planning cancelled") from None
        return PlanningOutcome(request, tuple(plans), time.perf_counter() - started)
