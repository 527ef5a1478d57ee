"""The exhaustive oracle against optima worked out by hand, so it can be trusted on its own."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from pathplanner.catalog import check_catalog_data
from pathplanner.graph.planner import PlanRequest
from pathplanner.model import Catalog
from tests.conftest import catalog_dict
from tests.planner.oracle import (
    InstanceTooLargeError,
    scheduled_front,
    scheduled_optimum,
    unlimited_capacity_front,
    unlimited_capacity_optimum,
)

START = date(2027, 1, 4)  # a Monday


def cred(cid: str, **fields: Any) -> dict[str, Any]:
    return {"id": cid, "name": cid.upper(), "kind": "certificate", **fields}


def build(*credentials: dict[str, Any], **extra: Any) -> Catalog:
    return check_catalog_data(catalog_dict(list(credentials), **extra)).catalog


def shared_prerequisite() -> Catalog:
    """G needs A and B; A needs X or Y, B needs X or Z: X is dearer alone but serves both."""
    return build(
        cred("g", cost=100, requires={"all": ["a", "b"]}),
        cred("a", cost=10, requires={"any": ["x", "y"]}),
        cred("b", cost=10, requires={"any": ["x", "z"]}),
        cred("x", cost=60),
        cred("y", cost=50),
        cred("z", cost=50),
    )


def request(**fields: Any) -> PlanRequest:
    return PlanRequest(**{"goal": "g", "start_date": START, **fields})


def test_shared_prerequisite_is_paid_once() -> None:
    result = unlimited_capacity_optimum(shared_prerequisite(), request(), START)
    assert result.feasible
    assert result.cost == 180
    assert set(result.schedule) == {"g", "a", "b", "x"}
    assert result.finish_week == 3


def test_exclusion_forces_the_dearer_branches() -> None:
    result = unlimited_capacity_optimum(shared_prerequisite(), request(exclude={"x"}), START)
    assert (result.cost, set(result.schedule)) == (220, {"g", "a", "b", "y", "z"})


def test_held_credentials_cost_nothing_and_goal_held_is_an_empty_plan() -> None:
    catalog = shared_prerequisite()
    assert unlimited_capacity_optimum(catalog, request(held={"a"}), START).cost == 100 + 10 + 50
    held_goal = unlimited_capacity_optimum(catalog, request(held={"g"}), START)
    assert (held_goal.feasible, held_goal.cost, held_goal.schedule) == (True, 0, {})


def test_budget_below_the_optimum_is_infeasible() -> None:
    catalog = shared_prerequisite()
    assert unlimited_capacity_optimum(catalog, request(budget=180), START).feasible
    assert not unlimited_capacity_optimum(catalog, request(budget=179.99), START).feasible


def credit_block() -> Catalog:
    """D: 30 credits at 10 each, cap 15 transferred; M1 and M2 bring 10 credits each."""
    return build(
        cred(
            "d",
            kind="diploma",
            cost=100,
            duration_weeks=2,
            credits_required=30,
            per_credit={"price": 10, "hours": 2, "weeks": 0.2},
            transfer=["m1", "m2"],
            transfer_max=15,
        ),
        cred("m1", cost=50, credits=10, duration_weeks=3),
        cred("m2", cost=50, credits=10, duration_weeks=3),
    )


def test_credit_block_transfer_and_cap() -> None:
    # D alone 100 + 300 = 400, 8 weeks; with M1: 50 + 300 = 350, 3 + 6 weeks;
    # with M1 and M2 (capped at 15): 100 + 250 = 350, 3 + 5 weeks: same cost, earlier finish.
    catalog = credit_block()
    cheapest = unlimited_capacity_optimum(catalog, request(goal="d"), START)
    assert (cheapest.cost, cheapest.finish_week) == (350, 8)
    assert cheapest.schedule["d"].transferred == 15
    fastest = unlimited_capacity_optimum(catalog, request(goal="d", objective="time"), START)
    assert (fastest.finish_week, fastest.cost) == (8, 350)


def waiting_for_transfer() -> Catalog:
    """G needs B and X; X (8 weeks) transfers 10 credits into B, which saves $200 and 5 weeks."""
    return build(
        cred("g", cost=100, requires={"all": ["b", "x"]}),
        cred("x", cost=10, credits=10, duration_weeks=8),
        cred(
            "b",
            kind="diploma",
            credits_required=10,
            per_credit={"price": 20, "weeks": 0.5},
            transfer=["x"],
        ),
    )


def test_cost_and_time_objectives_disagree_on_waiting_for_transfer() -> None:
    catalog = waiting_for_transfer()
    cheapest = unlimited_capacity_optimum(catalog, request(), START)
    # B waits for X (weeks 8-9), G runs week 9: $110, finish 10
    assert (cheapest.cost, cheapest.finish_week) == (110, 10)
    fastest = unlimited_capacity_optimum(catalog, request(objective="time"), START)
    # B starts at once without transfer (6 weeks, $200); G waits for X: week 8-9
    assert (fastest.finish_week, fastest.cost) == (9, 310)


def test_intake_weeks_and_dates_before_the_start_are_ignored() -> None:
    catalog = build(
        cred(
            "g", requires="a", start_dates=["2026-12-01", (START + timedelta(days=37)).isoformat()]
        ),
        cred("a", duration_weeks=2),
    )
    result = unlimited_capacity_optimum(catalog, request(), START)
    assert (result.schedule["g"].start, result.finish_week) == (5, 6)
    late = unlimited_capacity_optimum(
        catalog, request(start_date=START + timedelta(days=30)), START + timedelta(days=30)
    )
    assert not late.feasible  # only intake left is in week 1, before A can finish


def test_horizon() -> None:
    catalog = shared_prerequisite()
    assert unlimited_capacity_optimum(catalog, request(horizon_weeks=3), START).feasible
    assert not unlimited_capacity_optimum(catalog, request(horizon_weeks=2), START).feasible


def test_skills_goal_and_insisted_credentials() -> None:
    catalog = build(
        cred("a", cost=30, skills=["s1"]),
        cred("b", cost=20, skills=["s2"]),
        cred("c", cost=45, skills=["s1", "s2"]),
        cred("d", cost=5, requires="c"),
        skills=[{"id": "s1", "name": "S1"}, {"id": "s2", "name": "S2"}],
    )
    skills = request(goal=None, skills=frozenset({"s1", "s2"}))
    assert set(unlimited_capacity_optimum(catalog, skills, START).schedule) == {"c"}
    insisting = replace(skills, insist=frozenset({"d"}))
    assert unlimited_capacity_optimum(catalog, insisting, START).cost == 50


def two_parallel_prerequisites() -> Catalog:
    return build(
        cred("g", effort_hours=5, requires={"all": ["a", "b"]}),
        cred("a", effort_hours=10, duration_weeks=2, cost=1),
        cred("b", effort_hours=10, duration_weeks=2, cost=1),
    )


@pytest.mark.parametrize(("hours", "finish"), [(None, 3), (10, 3), (9.99, 5), (5, 5), (4.99, None)])
def test_capacity(hours: float | None, finish: int | None) -> None:
    result = scheduled_optimum(
        two_parallel_prerequisites(),
        request(objective="time", hours_per_week=hours, horizon_weeks=8),
        START,
    )
    assert result.feasible == (finish is not None)
    if finish is not None:
        assert result.finish_week == finish


@pytest.mark.parametrize("objective", ["cost", "time"])
@pytest.mark.parametrize(
    "catalog_factory", [shared_prerequisite, credit_block, waiting_for_transfer]
)
def test_both_searches_agree_without_capacity(objective: str, catalog_factory: Any) -> None:
    catalog = catalog_factory()
    goal = "d" if catalog_factory is credit_block else "g"
    req = request(goal=goal, objective=objective, horizon_weeks=6)
    by_sets = unlimited_capacity_optimum(catalog, req, START)
    by_weeks = scheduled_optimum(catalog, req, START)
    assert (by_sets.cost, by_sets.finish_week) == (by_weeks.cost, by_weeks.finish_week)


def test_capacity_can_force_less_transfer() -> None:
    # Full transfer leaves B 10 h in one week (above 6 h/week); without it 30 h over 6 weeks.
    catalog = build(
        cred("g", requires={"all": ["b", "x"]}),
        cred("x", credits=10, duration_weeks=1, cost=1),
        cred(
            "b",
            kind="diploma",
            effort_hours=10,
            credits_required=10,
            per_credit={"price": 20, "hours": 2, "weeks": 0.5},
            transfer=["x"],
        ),
    )
    result = scheduled_optimum(catalog, request(hours_per_week=6, horizon_weeks=10), START)
    assert (result.cost, result.schedule["b"].transferred) == (201, 0)


def test_refuses_instances_too_large() -> None:
    with pytest.raises(InstanceTooLargeError):
        unlimited_capacity_optimum(shared_prerequisite(), request(), START, limit=3)


def test_front_of_cost_against_finish() -> None:
    # waiting for X's transfer: $110 finishing week 10, or $310 finishing week 9
    assert unlimited_capacity_front(waiting_for_transfer(), request(), START) == [
        (310.0, 9),
        (110.0, 10),
    ]
    # one point when the cheapest plan is also the fastest
    assert unlimited_capacity_front(shared_prerequisite(), request(), START) == [(180.0, 3)]


def test_front_under_capacity() -> None:
    # with 5 h/week the two prerequisites run one after the other: one plan, finishing week 5
    catalog = two_parallel_prerequisites()
    assert scheduled_front(catalog, request(hours_per_week=5, horizon_weeks=8), START) == [(2.0, 5)]
    # waiting for transfer still trades $200 against one week when capacity does not bind
    waiting = request(hours_per_week=100, horizon_weeks=12)
    assert scheduled_front(waiting_for_transfer(), waiting, START) == [(310.0, 9), (110.0, 10)]
