"""Saving what the planner computed, and re-planning a saved plan to see if it is stale.

The planner's :class:`PlanRequest` is kept as JSON with its start date pinned to the week 0
the plan was computed for, so re-planning the saved request later asks the same question and
only a changed catalogue can change the answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pathplanner.graph.planner import Plan, PlanRequest, plan
from pathplanner.model import Catalog, Delivery, Recognition
from pathplanner.store.errors import StoreError
from pathplanner.store.records import PlanSummary
from pathplanner.store.service import LearnerKey, Store

_SETS = ("skills", "held", "exclude_providers", "exclude", "insist")


def request_to_json(request: PlanRequest, start_date: date | None = None) -> dict[str, Any]:
    """The request as JSON; ``start_date`` (the plan's week 0) pins an unset start date."""
    pinned = request.start_date or start_date
    return {
        "goal": request.goal,
        **{name: sorted(getattr(request, name)) for name in _SETS},
        "objective": request.objective,
        "budget": request.budget,
        "hours_per_week": request.hours_per_week,
        "start_date": pinned.isoformat() if pinned is not None else None,
        "delivery": sorted(d.value for d in request.delivery) if request.delivery else None,
        "min_recognition": request.min_recognition.value if request.min_recognition else None,
        "horizon_weeks": request.horizon_weeks,
        "time_limit": request.time_limit,
    }


def request_from_json(data: Mapping[str, Any]) -> PlanRequest:
    """The planner request saved by :func:`request_to_json`."""
    try:
        delivery = data.get("delivery")
        recognition = data.get("min_recognition")
        start = data.get("start_date")
        return PlanRequest(
            goal=data.get("goal"),
            **{name: frozenset(data.get(name) or ()) for name in _SETS},
            objective=data.get("objective", "cost"),
            budget=data.get("budget"),
            hours_per_week=data.get("hours_per_week"),
            start_date=date.fromisoformat(start) if start else None,
            delivery=frozenset(Delivery(d) for d in delivery) if delivery is not None else None,
            min_recognition=Recognition(recognition) if recognition else None,
            horizon_weeks=int(data.get("horizon_weeks", 520)),
            time_limit=float(data.get("time_limit", 10.0)),
        )
    except (TypeError, ValueError) as exc:
        raise StoreError(f"saved plan request cannot be read back: {exc}") from exc


def save_computed_plan(
    store: Store,
    learner: LearnerKey,
    name: str,
    catalog: Catalog,
    computed: Plan,
    *,
    catalog_source: str = "",
) -> PlanSummary:
    """Keep the catalogue version (once per content) and save ``computed`` under ``name``."""
    version = store.add_catalog_version(catalog, source=catalog_source)
    return store.save_plan(
        learner,
        name,
        catalog_version_id=version.id,
        request=request_to_json(computed.request, computed.start_date),
        result=result_to_json(computed),
    )


STEP_DETAILS = "step_details"


def result_to_json(computed: Plan) -> dict[str, Any]:
    """What a saved plan keeps: the plan's JSON (the CLI contract, unchanged) plus, under
    ``"step_details"``, what the app shows that the contract leaves out: each step's reason,
    study hours and weeks, so a reopened plan reads exactly as it did when it was saved."""
    result = computed.to_json()
    result[STEP_DETAILS] = {
        step.id: {
            "reason": step.reason,
            "effort_hours": step.effort_hours,
            "duration_weeks": step.duration_weeks,
        }
        for step in computed.steps
    }
    return result


def replan(catalog: Catalog, request: Mapping[str, Any]) -> Mapping[str, Any]:
    """Re-plan a saved request with the planner: the ``replan`` for :meth:`Store.check_stale`."""
    return plan(catalog, request_from_json(request)).to_json()
