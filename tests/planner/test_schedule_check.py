"""The schedule checker on hand-built plans: silent on a valid one, precise on each broken rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from pathplanner.graph.planner import Plan, PlanRequest, PlanStep
from pathplanner.model import Catalog, Delivery, Recognition, credit_value, item_id
from tests.planner.schedule_check import check_plan
from tests.planner.test_oracle import START, build, cred, credit_block, shared_prerequisite


def make_plan(
    catalog: Catalog,
    req: PlanRequest,
    starts: dict[str, int],
    *,
    status: str = "optimal",
    **overrides: Any,
) -> Plan:
    """A plan whose figures follow the semantics (worked out here by hand-checked formulas)."""
    finishes: dict[str, int] = {}
    steps = []
    for cid, start in sorted(starts.items(), key=lambda kv: (kv[1], kv[0])):
        c = catalog.credential(cid)
        credits = sum(
            credit_value(item, catalog)
            for item in c.transfer
            if item_id(item) in req.held or finishes.get(item_id(item), start + 1) <= start
        )
        t = min(credits, c.transfer_cap)
        d = c.duration_for(t)
        finishes[cid] = start + d
        steps.append(
            PlanStep(
                id=cid,
                start_week=start,
                finish_week=start + d,
                duration_weeks=d,
                cost=c.cost_for(t),
                effort_hours=c.effort_for(t),
                hours_per_week=c.effort_for(t) / d,
                transferred_credits=t,
                reason=f"needed for {req.goal}",
            )
        )
    total = sum(s.cost for s in steps)
    finish = max(finishes.values(), default=0)
    value = total if req.objective == "cost" else finish
    fields: dict[str, Any] = {
        "request": req,
        "status": status,
        "steps": tuple(steps),
        "total_cost": total,
        "finish_week": finish,
        "start_date": START,
        "finish_date": START + timedelta(days=7 * finish),
        "lower_bound": float(value),
        "explanation": "because",
    }
    fields.update(overrides)
    return Plan(**fields)


def req(**fields: Any) -> PlanRequest:
    return PlanRequest(**{"goal": "g", "start_date": START, **fields})


OPTIMAL = {"x": 0, "a": 1, "b": 1, "g": 2}


def test_a_valid_plan_has_no_violations() -> None:
    catalog = shared_prerequisite()
    plan = make_plan(catalog, req(), OPTIMAL)
    assert plan.total_cost == 180
    assert check_plan(catalog, plan) == []


def test_transfer_counts_only_from_earlier_finishers() -> None:
    catalog = credit_block()
    both = make_plan(catalog, req(goal="d"), {"m1": 0, "m2": 0, "d": 3})
    assert check_plan(catalog, both) == []
    # D starting in week 2 gets no credit: a plan claiming 15 credits is wrong
    early = make_plan(catalog, req(goal="d"), {"m1": 0, "m2": 0, "d": 2})
    claimed = replace(early.steps[2], transferred_credits=15, cost=250)
    bad = replace(early, steps=(*early.steps[:2], claimed))
    problems = check_plan(catalog, bad)
    assert any("d: transferred_credits is 15" in p for p in problems)
    assert any("d: cost is 250" in p for p in problems)
    # and the M's then lower no cost: dead weight
    assert any("m1: dead weight" in p for p in check_plan(catalog, early))


@pytest.mark.parametrize(
    ("starts", "fragment"),
    [
        ({"x": 0, "a": 0, "b": 1, "g": 2}, "a: starts in week 0 before its requirement is met"),
        ({"x": 0, "a": 1, "b": 1}, "goal not reached"),
        ({"x": 0, "y": 0, "a": 1, "b": 1, "g": 2}, "y: dead weight"),
        ({"x": -1, "a": 1, "b": 1, "g": 2}, "x: starts in week -1"),
    ],
)
def test_broken_precedence_goal_and_dead_weight(starts: dict[str, int], fragment: str) -> None:
    catalog = shared_prerequisite()
    problems = check_plan(catalog, make_plan(catalog, req(), starts))
    assert any(fragment in p for p in problems), problems


@pytest.mark.parametrize(
    ("request_fields", "fragment"),
    [
        ({"held": frozenset({"x"})}, "x: may not be taken (already held)"),
        ({"exclude": frozenset({"a"})}, "a: may not be taken (excluded credential)"),
        ({"budget": 179.0}, "exceeds the budget"),
        ({"horizon_weeks": 2}, "beyond the horizon"),
        ({"insist": frozenset({"z"})}, "insisted ['z'] missing"),
        ({"hours_per_week": 1.0}, "week 1: load 2.000 h exceeds 1.0 h/week (a, b)"),
    ],
)
def test_request_constraints(request_fields: dict[str, Any], fragment: str) -> None:
    catalog = build(
        cred("g", cost=100, requires={"all": ["a", "b"]}),
        cred("a", cost=10, effort_hours=1, requires={"any": ["x", "y"]}),
        cred("b", cost=10, effort_hours=1, requires={"any": ["x", "z"]}),
        cred("x", cost=60),
        cred("y", cost=50),
        cred("z", cost=50),
    )
    problems = check_plan(catalog, make_plan(catalog, req(**request_fields), OPTIMAL))
    assert any(fragment in p for p in problems), problems


def test_filters_on_delivery_provider_and_recognition() -> None:
    catalog = build(
        cred("g", provider="uni", delivery="in_person", requires="a"),
        cred("a", provider="club"),
        providers=[
            {"id": "uni", "name": "Uni", "recognition": "accredited"},
            {"id": "club", "name": "Club", "recognition": "employer"},
        ],
    )
    plan = make_plan(catalog, req(), {"a": 0, "g": 1})
    assert check_plan(catalog, plan) == []
    online = check_plan(catalog, replace(plan, request=req(delivery=frozenset({Delivery.ONLINE}))))
    assert online == ["g: may not be taken (delivery in_person not allowed)"]
    provider = check_plan(
        catalog, replace(plan, request=req(exclude_providers=frozenset({"club"})))
    )
    assert provider == ["a: may not be taken (provider club excluded)"]
    ranked = check_plan(catalog, replace(plan, request=req(min_recognition=Recognition.INDUSTRY)))
    assert ranked == ["a: may not be taken (provider recognition below the minimum)"]


def test_intakes() -> None:
    intake = START + timedelta(days=9)  # a Wednesday in week 1
    catalog = build(cred("g", requires="a", start_dates=[intake.isoformat()]), cred("a"))
    assert check_plan(catalog, make_plan(catalog, req(), {"a": 0, "g": 1})) == []
    problems = check_plan(catalog, make_plan(catalog, req(), {"a": 0, "g": 2}))
    assert any("g: starts in week 2" in p for p in problems), problems


def test_reported_figures() -> None:
    catalog = shared_prerequisite()
    plan = make_plan(catalog, req(), OPTIMAL)
    cases = {
        "total_cost 170": replace(plan, total_cost=170.0),
        "finish_week 4 != latest finish 3": replace(plan, finish_week=4),
        "finish_date": replace(plan, finish_date=date(2027, 2, 1)),
        "optimal plan with lower_bound 100.0": replace(plan, lower_bound=100.0),
        "not ordered": replace(plan, steps=tuple(reversed(plan.steps))),
        "start_date": replace(plan, start_date=START + timedelta(days=7)),
        "g: finish_week is 4": replace(
            plan, steps=(*plan.steps[:3], replace(plan.steps[3], finish_week=4))
        ),
    }
    for fragment, broken in cases.items():
        problems = check_plan(catalog, broken)
        assert any(fragment in p for p in problems), (fragment, problems)
    feasible = replace(plan, status="feasible", lower_bound=150.0)
    assert check_plan(catalog, feasible) == []


def test_time_objective_dead_weight_counts_the_tie_break() -> None:
    catalog = credit_block()
    # M1 alone: D costs 300 and runs 6 weeks after M1's 3; adding M2 (same 3 weeks) makes D
    # 5 weeks: finish 8 instead of 9, so M2 is not dead weight under the time objective
    plan = make_plan(catalog, req(goal="d", objective="time"), {"m1": 0, "m2": 0, "d": 3})
    assert check_plan(catalog, plan) == []


def test_infeasible_plan() -> None:
    catalog = shared_prerequisite()
    plan = make_plan(catalog, req(budget=10), {}, status="infeasible", lower_bound=None)
    assert check_plan(catalog, plan) == []
    assert "an infeasible plan lists steps" in check_plan(
        catalog, replace(plan, steps=make_plan(catalog, req(), OPTIMAL).steps)
    )
