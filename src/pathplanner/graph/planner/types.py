"""Request and result types of the planner (the contract in docs/planning.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pathplanner.model import Delivery, Recognition

Objective = Literal["cost", "time"]
Status = Literal["optimal", "feasible", "infeasible"]


class PlanningCancelled(Exception):  # noqa: N818 (the contract's name)
    """The caller's ``cancel`` callback asked the planner to stop."""


class PlanningError(ValueError):
    """A bad request: unknown goal, held, skill or filter ids, or contradictory fields.

    ``field`` names the request field at fault and ``value`` the offending value, so a front
    end can point at the right input.
    """

    def __init__(self, message: str, *, field: str = "", value: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.value = value


@dataclass(frozen=True)
class PlanRequest:
    goal: str | None = None
    skills: frozenset[str] = frozenset()
    held: frozenset[str] = frozenset()
    objective: Objective = "cost"
    budget: float | None = None
    hours_per_week: float | None = None
    start_date: date | None = None
    delivery: frozenset[Delivery] | None = None
    exclude_providers: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    min_recognition: Recognition | None = None
    insist: frozenset[str] = frozenset()
    horizon_weeks: int = 520
    time_limit: float = 10.0


@dataclass(frozen=True)
class PlanStep:
    id: str
    start_week: int
    finish_week: int
    duration_weeks: int
    cost: float
    effort_hours: float
    hours_per_week: float
    transferred_credits: float
    reason: str


@dataclass(frozen=True)
class Plan:
    request: PlanRequest
    status: Status
    steps: tuple[PlanStep, ...]
    total_cost: float
    finish_week: int
    start_date: date
    finish_date: date
    lower_bound: float | None
    explanation: str

    def to_json(self) -> dict[str, Any]:
        """The CLI's JSON object (issue 3), with plain JSON types only."""
        goal: str | list[str] = (
            self.request.goal if self.request.goal is not None else sorted(self.request.skills)
        )
        return {
            "goal": goal,
            "objective": self.request.objective,
            "status": self.status,
            "total_cost": _round(self.total_cost),
            "finish_week": self.finish_week,
            "start_date": self.start_date.isoformat(),
            "finish_date": self.finish_date.isoformat(),
            "lower_bound": None if self.lower_bound is None else _round(self.lower_bound),
            "steps": [
                {
                    "id": s.id,
                    "start_week": s.start_week,
                    "finish_week": s.finish_week,
                    "cost": _round(s.cost),
                    "hours_per_week": _round(s.hours_per_week),
                    "transferred_credits": _round(s.transferred_credits),
                }
                for s in self.steps
            ],
            "explanation": self.explanation,
        }


def _round(value: float) -> float:
    """Money and hours to cents/hundredths; whole numbers stay exact in JSON."""
    rounded = round(value, 2)
    return rounded + 0.0  # normalises -0.0
