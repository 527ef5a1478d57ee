"""Readable reasons: why each step is in the plan, and why a request has no plan."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta

from pathplanner.graph.planner.bounds import EarliestPlan, earliest_plan, goal_finish
from pathplanner.graph.planner.instance import Instance
from pathplanner.graph.planner.schedule import Schedule
from pathplanner.model import (
    AllOf,
    AnyOf,
    Requirement,
    is_satisfied,
    item_id,
    transferred_credits,
)
from pathplanner.requirement_text import requirement_text


def money(value: float, currency: str) -> str:
    """An amount in the catalogue's currency: "$1,250" for US dollars, else "1,250 EUR"."""
    amount = f"{value:,.0f}" if abs(value - round(value)) < 0.005 else f"{value:,.2f}"
    return f"${amount}" if currency == "USD" else f"{amount} {currency}"


def week_text(instance: Instance, week: int) -> str:
    return f"week {week} ({(instance.start_date + timedelta(days=7 * week)).isoformat()})"


def step_reasons(instance: Instance, schedule: Schedule) -> dict[str, str]:
    """Why each step is in the plan: the requirements it satisfies and the credit it brings
    (each step's transfer sources are listed once for all steps)."""
    sources = {
        s.id: {item_id(i) for i in instance.credential(s.id).transfer} for s in schedule.slots
    }
    return {s.id: _step_reason(instance, schedule, s.id, sources) for s in schedule.slots}


def _step_reason(
    instance: Instance, schedule: Schedule, cid: str, sources: dict[str, set[str]]
) -> str:
    request = instance.request
    catalog = instance.catalog
    reasons: list[str] = []
    if cid == request.goal:
        reasons.append("the goal")
    if cid in request.insist:
        reasons.append("you asked for it")
    taught = sorted(set(catalog.credentials_by_id[cid].skills) & set(instance.open_skills))
    if taught:
        reasons.append(f"teaches goal skill{'s' if len(taught) > 1 else ''} {', '.join(taught)}")
    slots = {s.id: s for s in schedule.slots}
    for user in schedule.slots:
        credential = catalog.credentials_by_id[user.id]
        group = _innermost_group(credential.requires, cid)
        if group is not None:
            if isinstance(group, str | AllOf):
                reasons.append(f"required by {user.id}")
            else:
                reasons.append(f"satisfies '{requirement_text(group)}' of {user.id}")
        if cid in sources[user.id] and slots[cid].finish <= user.start:
            earned = instance.held | {
                s.id for s in schedule.slots if s.finish <= user.start and s.id != cid
            }
            without = transferred_credits(credential, earned, catalog)
            brought = user.transferred - without
            if brought > 1e-9:
                saving = credential.cost_for(without) - user.cost
                text = f"brings {brought:g} transfer credits into {user.id}"
                if saving > 0.005:
                    text += f", saving {money(saving, catalog.currency)}"
                reasons.append(text)
    return "; ".join(dict.fromkeys(reasons)) or "counts towards the goal"


def _innermost_group(req: Requirement | None, cid: str) -> Requirement | None:
    """The smallest requirement (group, or the bare reference) that names ``cid``."""
    if req is None:
        return None
    if isinstance(req, str):
        return req if req == cid else None
    if isinstance(req, AllOf | AnyOf):
        subs = req.all if isinstance(req, AllOf) else req.any
        for sub in subs:
            if isinstance(sub, str):
                if sub == cid:
                    return req
                continue
            found = _innermost_group(sub, cid)
            if found is not None:
                return found
        return None
    return req if any(item_id(i) == cid for i in req.from_) else None


def diagnose(instance: Instance, min_cost: float | None = None) -> str:
    """The specific reason a request has no plan (which requirement fails under what)."""
    request = instance.request
    earliest = earliest_plan(instance)
    finish = earliest.finish
    horizon = request.horizon_weeks
    reachable = {c for c, f in finish.items() if f <= horizon}
    explainer = _Explainer(instance, reachable, earliest)
    for root in instance.requirement_roots():
        if root not in reachable:
            label = "the goal" if root == request.goal else "insisted credential"
            return f"{label} {root} cannot be reached: {root} {explainer.why(root)}"
    for skill in instance.open_skills:
        teachers = instance.skill_teachers[skill]
        if not teachers:
            return f"no credential in the catalogue teaches skill {skill}"
        if not any(t in reachable for t in teachers):
            parts = _grouped(teachers[:5], explainer.why)
            return f"no credential teaching skill {skill} can be taken: {parts}"
    goal = goal_finish(instance, finish)
    if goal > horizon:
        return f"the earliest possible finish is week {goal:g}, after the {horizon}-week horizon"
    budget = request.budget
    if budget is not None and min_cost is not None and min_cost > budget + 1e-6:
        return f"budget {budget:,.0f} < cheapest possible {min_cost:,.0f}"
    capacity = request.hours_per_week
    limits = [f"the {horizon}-week horizon"]
    if capacity is not None:
        limits.append(f"{capacity:g} h/week")
    if budget is not None:
        limits.append(f"a budget of {budget:,.0f}")
    return (
        "every route needs more than "
        + " and ".join(limits)
        + " allow together (intake dates and weekly hours cannot all be met)"
    )


class _Explainer:
    def __init__(self, instance: Instance, reachable: set[str], earliest: EarliestPlan) -> None:
        self.instance = instance
        self.reachable = reachable
        self.finish = earliest.finish
        self.ready = earliest.ready

    def why(self, cid: str, depth: int = 0) -> str:
        """Why ``cid`` cannot be taken, following the first failing requirement down."""
        instance = self.instance
        if cid in instance.blocked:
            return instance.blocked[cid]
        if cid not in instance.universe:
            return "is not available"
        credential = instance.catalog.credentials_by_id[cid]
        if credential.requires is not None and depth < 4:
            failing = self._failing(credential.requires)
            if failing is not None:
                req, missing = failing
                parts = _grouped(missing[:4], lambda m: self.why(m, depth + 1))
                if parts:
                    return f"requires {requirement_text(req)} but {parts}"
                return f"requires {requirement_text(req)}, which cannot be met"
        when = self.finish.get(cid, math.inf)
        ready = self.ready.get(cid, math.inf)
        weeks = instance.intakes.get(cid)
        if when == math.inf and weeks and ready < math.inf:
            last = instance.start_date + timedelta(days=7 * weeks[-1])
            need = (
                f"its requirement {requirement_text(credential.requires)}"
                if (credential.requires is not None)
                else "it"
            )
            return (
                f"has its last intake in week {weeks[-1]} ({last.isoformat()}), but "
                f"{need} can be met in week {ready:g} at the earliest"
            )
        if when == math.inf:
            return "cannot start within the horizon"
        return f"cannot finish before week {when:g}, after the horizon"

    def _failing(self, req: Requirement) -> tuple[Requirement, list[str]] | None:
        """The failing requirement and the unavailable credentials it names."""
        if self._holds(req):
            return None
        if isinstance(req, AllOf):
            for sub in req.all:
                inner = self._failing(sub)
                if inner is not None:
                    return inner
        if isinstance(req, str):
            return req, [req]
        refs = [r for r in _direct_refs(req) if not self._available(r)]
        return req, refs

    def _available(self, cid: str) -> bool:
        return cid in self.instance.held or cid in self.reachable

    def _holds(self, req: Requirement) -> bool:
        earned = self.instance.held | self.reachable
        return is_satisfied(req, earned, self.instance.catalog)


def _direct_refs(req: Requirement) -> list[str]:
    if isinstance(req, str):
        return [req]
    if isinstance(req, AllOf):
        return [r for sub in req.all for r in _direct_refs(sub)]
    if isinstance(req, AnyOf):
        return [r for sub in req.any for r in _direct_refs(sub)]
    return [item_id(i) for i in req.from_]


def _grouped(ids: list[str], why: Callable[[str], str]) -> str:
    """ "b and c are excluded ...; d needs ..." (ids sharing a reason are named together)."""
    by_reason: dict[str, list[str]] = {}
    for cid in ids:
        by_reason.setdefault(why(cid), []).append(cid)
    parts = []
    for reason, names in by_reason.items():
        if len(names) == 1:
            parts.append(f"{names[0]} {reason}")
            continue
        joined = ", ".join(names[:-1]) + f" and {names[-1]}"
        plural = "are " + reason[3:] if reason.startswith("is ") else reason
        plural = "have " + plural[4:] if plural.startswith("has ") else plural
        plural = "need " + plural[6:] if plural.startswith("needs ") else plural
        plural = "require " + plural[9:] if plural.startswith("requires ") else plural
        parts.append(f"{joined} {plural}")
    return "; ".join(parts)
