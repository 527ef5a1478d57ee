"""Check a returned plan against every rule of issue 3's semantics; list what is wrong.

Independent of the planner: from the catalogue, the request and the plan's (id, start week)
pairs it recomputes each step's transfer credit, duration, cost and load, then checks the
reported figures and the rules (held, filters, intakes, precedence, capacity, horizon, budget,
insisted credentials, goal, no dead weight). An empty list means the plan is valid.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from pathplanner.graph.planner import Plan, PlanRequest
from pathplanner.model import Catalog, is_satisfied, transferred_credits
from tests.planner.rules import goal_reached, intake_weeks, may_take, topological_order, week_start

STATUSES = {"optimal", "feasible", "infeasible"}
JSON_KEYS = {
    "goal",
    "objective",
    "status",
    "total_cost",
    "finish_week",
    "start_date",
    "finish_date",
    "lower_bound",
    "steps",
    "explanation",
}
STEP_KEYS = {"id", "start_week", "finish_week", "cost", "hours_per_week", "transferred_credits"}


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


@dataclass(frozen=True)
class Recomputed:
    """A step as the semantics define it, from its start week and the rest of the plan."""

    start: int
    duration: int
    finish: int
    transferred: float
    cost: float
    effort: float
    load: float


def schedule_of(
    catalog: Catalog, request: PlanRequest, starts: Mapping[str, int]
) -> dict[str, Recomputed]:
    """Recompute every step; T counts held credentials and steps finishing by its start."""
    result: dict[str, Recomputed] = {}
    known = [cid for cid in starts if cid in catalog.credentials_by_id]
    # transfer sources come before their credit block in topological order
    for cid in topological_order(catalog, known):
        cred = catalog.credential(cid)
        start = starts[cid]
        earned = request.held | {x for x, r in result.items() if r.finish <= start}
        transfer = transferred_credits(cred, earned, catalog)
        duration = cred.duration_for(transfer)
        effort = cred.effort_for(transfer)
        result[cid] = Recomputed(
            start=start,
            duration=duration,
            finish=start + duration,
            transferred=transfer,
            cost=cred.cost_for(transfer),
            effort=effort,
            load=effort / duration,
        )
    return result


def rule_violations(
    catalog: Catalog, request: PlanRequest, starts: Mapping[str, int], start_date: date
) -> tuple[list[str], dict[str, Recomputed]]:
    """Every rule the schedule ``starts`` breaks (dead weight aside), and its recomputation."""
    problems: list[str] = []
    for cid in starts:
        if cid not in catalog.credentials_by_id:
            problems.append(f"{cid}: not in the catalogue")
    schedule = schedule_of(catalog, request, starts)
    for cid, step in schedule.items():
        cred = catalog.credential(cid)
        forbidden = may_take(catalog, cred, request)
        if forbidden is not None:
            problems.append(f"{cid}: may not be taken ({forbidden})")
        if step.start < 0:
            problems.append(f"{cid}: starts in week {step.start} < 0")
        weeks = intake_weeks(cred, start_date, request.horizon_weeks)
        if weeks is not None and step.start not in weeks:
            problems.append(
                f"{cid}: starts in week {step.start} (from {week_start(start_date, step.start)})"
                f" but its intakes are {sorted(d.isoformat() for d in cred.start_dates or ())}"
            )
        earned = request.held | {x for x, r in schedule.items() if r.finish <= step.start}
        if not is_satisfied(cred.requires, earned, catalog):
            problems.append(
                f"{cid}: starts in week {step.start} before its requirement is met "
                f"(earned by then: {sorted(earned)})"
            )
        if step.finish > request.horizon_weeks:
            problems.append(
                f"{cid}: finishes in week {step.finish}, beyond the horizon {request.horizon_weeks}"
            )
    if request.hours_per_week is not None and schedule:
        last = max(r.finish for r in schedule.values())
        for week in range(max(0, min(r.start for r in schedule.values())), last):
            running = [x for x, r in schedule.items() if r.start <= week < r.finish]
            load = sum(schedule[x].load for x in running)
            if load > request.hours_per_week + 1e-6:
                problems.append(
                    f"week {week}: load {load:.3f} h exceeds {request.hours_per_week} h/week "
                    f"({', '.join(sorted(running))})"
                )
    total = sum(r.cost for r in schedule.values())
    if request.budget is not None and total > request.budget + 1e-6:
        problems.append(f"total cost {total:.2f} exceeds the budget {request.budget}")
    if not goal_reached(catalog, request, request.held | set(starts)):
        missing = sorted(request.insist - request.held - set(starts))
        what = f"insisted {missing} missing" if missing else "goal not reached"
        problems.append(f"plan does not reach the goal: {what}")
    return problems, schedule


def value_key(objective: str, cost: float, finish: int) -> tuple[float, float]:
    """Objective then tie-break, costs rounded so that float noise ties."""
    rounded = round(cost, 6)
    return (rounded, finish) if objective == "cost" else (finish, rounded)


def check_plan(catalog: Catalog, plan: Plan, *, today: date | None = None) -> list[str]:
    """Every way ``plan`` breaks the semantics of issue 3 (empty when it is valid)."""
    request = plan.request
    problems: list[str] = []
    if plan.status not in STATUSES:
        return [f"unknown status {plan.status!r}"]
    problems.extend(_json_problems(plan))
    if not plan.explanation.strip():
        problems.append("empty explanation")
    if plan.status == "infeasible":
        if plan.steps:
            problems.append("an infeasible plan lists steps")
        return problems

    if request.start_date is not None:
        if plan.start_date != request.start_date:
            problems.append(f"start_date {plan.start_date} != requested {request.start_date}")
    else:
        today = today or date.today()
        ahead = (plan.start_date - today).days
        if plan.start_date.weekday() != 0 or not 0 < ahead <= 7:
            problems.append(f"start_date {plan.start_date} is not the next Monday after {today}")

    ids = [s.id for s in plan.steps]
    if len(set(ids)) != len(ids):
        problems.append(f"a credential appears twice: {sorted(ids)}")
    order = [(s.start_week, s.id) for s in plan.steps]
    if order != sorted(order):
        problems.append("steps are not ordered by start week, then id")

    starts = {s.id: s.start_week for s in plan.steps}
    rule_problems, schedule = rule_violations(catalog, request, starts, plan.start_date)
    problems.extend(rule_problems)

    for step in plan.steps:
        real = schedule.get(step.id)
        if real is None:
            continue
        reported = {
            "duration_weeks": (step.duration_weeks, real.duration),
            "finish_week": (step.finish_week, real.finish),
            "transferred_credits": (step.transferred_credits, real.transferred),
            "cost": (step.cost, real.cost),
            "effort_hours": (step.effort_hours, real.effort),
            "hours_per_week": (step.hours_per_week, real.load),
        }
        for name, (got, want) in reported.items():
            if not close(got, want):
                problems.append(f"{step.id}: {name} is {got}, the semantics give {want}")
        if not step.reason.strip():
            problems.append(f"{step.id}: no reason given")

    total = sum(r.cost for r in schedule.values())
    if not close(plan.total_cost, total):
        problems.append(f"total_cost {plan.total_cost} != sum of the steps' costs {total}")
    finish = max((r.finish for r in schedule.values()), default=0)
    if plan.finish_week != finish:
        problems.append(f"finish_week {plan.finish_week} != latest finish {finish}")
    if plan.finish_date != plan.start_date + timedelta(days=7 * plan.finish_week):
        problems.append(f"finish_date {plan.finish_date} != start_date + 7 * finish_week")

    value = total if request.objective == "cost" else float(finish)
    if plan.status == "optimal" and (
        plan.lower_bound is None or not close(plan.lower_bound, value)
    ):
        problems.append(f"optimal plan with lower_bound {plan.lower_bound} != value {value}")
    if plan.lower_bound is not None and plan.lower_bound > value + 1e-6:
        problems.append(f"lower_bound {plan.lower_bound} above the plan's value {value}")

    if not rule_problems:
        problems.extend(
            _dead_weight(catalog, request, starts, plan.start_date, cost=total, finish=finish)
        )
    return problems


def _dead_weight(
    catalog: Catalog,
    request: PlanRequest,
    starts: Mapping[str, int],
    start_date: date,
    *,
    cost: float,
    finish: int,
) -> list[str]:
    """Steps whose removal (others unchanged) leaves a valid plan that is no worse."""
    problems = []
    current = value_key(request.objective, cost, finish)
    for cid in starts:
        rest = {x: s for x, s in starts.items() if x != cid}
        broken, schedule = rule_violations(catalog, request, rest, start_date)
        if broken:
            continue
        new_cost = sum(r.cost for r in schedule.values())
        new_finish = max((r.finish for r in schedule.values()), default=0)
        if value_key(request.objective, new_cost, new_finish) <= current:
            problems.append(
                f"{cid}: dead weight: without it the plan is still valid "
                f"(cost {new_cost:.2f} vs {cost:.2f}, finish week {new_finish} vs {finish})"
            )
    return problems


def _json_problems(plan: Plan) -> list[str]:
    data = plan.to_json()
    problems = []
    if set(data) != JSON_KEYS:
        problems.append(f"to_json keys {sorted(data)} != {sorted(JSON_KEYS)}")
        return problems
    request = plan.request
    goal = request.goal if request.goal is not None else sorted(request.skills)
    expected = {
        "goal": goal,
        "objective": request.objective,
        "status": plan.status,
        "finish_week": plan.finish_week,
        "start_date": plan.start_date.isoformat(),
        "finish_date": plan.finish_date.isoformat(),
    }
    for key, want in expected.items():
        if data[key] != want:
            problems.append(f"to_json {key} is {data[key]!r}, expected {want!r}")
    if abs(float(data["total_cost"]) - plan.total_cost) > 0.005 + 1e-9:
        problems.append(f"to_json total_cost {data['total_cost']} != {plan.total_cost}")
    steps = data["steps"]
    if len(steps) != len(plan.steps):
        problems.append("to_json lists a different number of steps")
        return problems
    for got, step in zip(steps, plan.steps, strict=True):
        if set(got) != STEP_KEYS:
            problems.append(f"to_json step keys {sorted(got)} != {sorted(STEP_KEYS)}")
            continue
        if (got["id"], got["start_week"], got["finish_week"]) != (
            step.id,
            step.start_week,
            step.finish_week,
        ):
            problems.append(f"to_json step {got} does not match {step}")
    return problems
