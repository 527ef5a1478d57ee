"""Numbers the plan view, the comparison and the exports all show: Qt-free helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from pathplanner.model import Catalog

if TYPE_CHECKING:  # the planner (SciPy) loads in the background after start-up
    from pathplanner.graph.planner import Plan, PlanStep


@dataclass(frozen=True)
class PlanTotals:
    cost: float
    finish: date
    weeks: int
    hours: float
    transferred_credits: float
    saved_by_transfer: float
    steps: int


def totals(plan: Plan, catalog: Catalog) -> PlanTotals:
    saved = 0.0
    for step in plan.steps:
        credential = catalog.credentials_by_id.get(step.id)
        if credential is not None and step.transferred_credits:
            saved += max(credential.cost_for(0.0) - step.cost, 0.0)
    return PlanTotals(
        cost=plan.total_cost,
        finish=plan.finish_date,
        weeks=plan.finish_week,
        hours=sum(s.effort_hours for s in plan.steps),
        transferred_credits=sum(s.transferred_credits for s in plan.steps),
        saved_by_transfer=saved,
        steps=len(plan.steps),
    )


def step_dates(plan: Plan, step: PlanStep) -> tuple[date, date]:
    """First day of the start week and the day the credential finishes (end of its last week)."""
    start = plan.start_date + timedelta(weeks=step.start_week)
    finish = plan.start_date + timedelta(weeks=step.finish_week) - timedelta(days=1)
    return start, finish


def weekly_load(plan: Plan) -> list[float]:
    """Hours of study in each week from 0 to the finish week."""
    load = [0.0] * max(plan.finish_week, 0)
    for step in plan.steps:
        for week in range(step.start_week, min(step.finish_week, len(load))):
            load[week] += step.hours_per_week
    return load


def credential_name(catalog: Catalog, credential_id: str) -> str:
    credential = catalog.credentials_by_id.get(credential_id)
    return credential.name if credential else credential_id


# A word that may be a credential id: letters, digits, '_', '-', '.' and ':' inside, never
# at its end (so "... cisco-ccna." is the id "cisco-ccna" and a full stop).
_ID_WORD = re.compile(r"[\w][\w.:-]*[\w]|[\w]")


def readable(text: str, catalog: Catalog) -> str:
    """The planner's prose (explanations, each step's reason) with credential ids replaced by
    their names: a learner knows "CompTIA Network+", not "comptia-network-plus"."""
    credentials = catalog.credentials_by_id

    def name(match: re.Match[str]) -> str:
        credential = credentials.get(match.group())
        return credential.name if credential is not None else match.group()

    return _ID_WORD.sub(name, text)


def provider_name(catalog: Catalog, credential_id: str) -> str:
    credential = catalog.credentials_by_id.get(credential_id)
    provider = catalog.provider_of(credential) if credential else None
    return provider.name if provider else ""


def goal_text(plan: Plan, catalog: Catalog) -> str:
    request = plan.request
    if request.goal is not None:
        return credential_name(catalog, request.goal)
    names = [
        catalog.skills_by_id[s].name if s in catalog.skills_by_id else s
        for s in sorted(request.skills)
    ]
    return "skills: " + ", ".join(names)


def objective_text(plan: Plan) -> str:
    return "cheapest" if plan.request.objective == "cost" else "fastest"


def money(value: float, currency: str) -> str:
    return f"{value:,.0f} {currency}"
