"""Is a saved plan stale? Re-plan it on the current catalogue and compare the answers.

The comparison is on the answer, not the wording: status, goal, objective, total cost, finish
week and each step (credential, weeks, cost, load, transfer credit). The explanation text and
the dates are left out: the dates follow from the saved request's start date, and the wording
of an explanation may change between pathplanner versions without the plan changing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pathplanner.model import Catalog

# (current catalogue, the saved request JSON) -> the new plan's JSON (``Plan.to_json()``).
Replan = Callable[[Catalog, Mapping[str, Any]], Mapping[str, Any]]

_STEP_FIELDS = ("id", "start_week", "finish_week", "cost", "hours_per_week", "transferred_credits")


def plan_answer(result: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a plan's JSON that decides whether two plans are the same answer."""
    steps = result.get("steps") or []
    return {
        "status": result.get("status"),
        "goal": result.get("goal"),
        "objective": result.get("objective"),
        "total_cost": _rounded(result.get("total_cost")),
        "finish_week": result.get("finish_week"),
        "steps": sorted(
            (tuple(_rounded(step.get(field)) for field in _STEP_FIELDS) for step in steps),
            key=repr,
        ),
    }


def is_stale(saved: Mapping[str, Any], replanned: Mapping[str, Any]) -> bool:
    return plan_answer(saved) != plan_answer(replanned)


def _rounded(value: Any) -> Any:
    # Cost and load are sums of floats: differences below a millionth are not a new answer.
    return round(value, 6) if isinstance(value, float) else value
