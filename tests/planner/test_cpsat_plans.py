"""Hand-worked fastest plans under a weekly capacity (the CP-SAT scheduling model's ground):
packing light work beside heavy work, intakes, credit-block durations set by the transfer
credit that arrives, the lowest-cost tie-break, and cancellation during the solve."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from benchmarks.catalog_generator import benchmark_goals, generate_catalog_data

from pathplanner.catalog import check_catalog_data
from pathplanner.graph.planner import PlanningCancelled, PlanRequest, plan
from tests.planner.test_cost_plans import START, build, cred, ids, solve


def steps_of(result: Any) -> dict[str, Any]:
    return {s.id: s for s in result.steps}


def test_light_work_runs_beside_heavy_work_that_cannot_overlap() -> None:
    # a and b need 6 h/week each: never together under 10 h/week, so 8 weeks one after the
    # other; c (4 h/week for 8 weeks) fits beside either; the goal follows: finished in week 9
    catalog = build(
        cred("a", duration_weeks=4, effort_hours=24),
        cred("b", duration_weeks=4, effort_hours=24),
        cred("c", duration_weeks=8, effort_hours=32),
        cred("goal", duration_weeks=1, effort_hours=1, requires={"all": ["a", "b", "c"]}),
    )
    result = solve(catalog, goal="goal", objective="time", hours_per_week=10)
    assert result.status == "optimal"
    assert result.finish_week == 9
    assert result.lower_bound == 9
    steps = steps_of(result)
    assert steps["c"].start_week == 0
    assert {steps["a"].start_week, steps["b"].start_week} == {0, 4}


def test_capacity_and_intakes_together_decide_the_goal_start() -> None:
    # the goal starts only in week 3 (2027-01-25) or week 6 (2027-02-15); a and b (6 h/week,
    # 3 weeks each) are done by week 3 in parallel, but only by week 6 one after the other
    catalog = build(
        cred("a", duration_weeks=3, effort_hours=18),
        cred("b", duration_weeks=3, effort_hours=18),
        cred(
            "goal",
            duration_weeks=2,
            effort_hours=10,
            requires={"all": ["a", "b"]},
            start_dates=["2027-01-25", "2027-02-15"],
        ),
    )
    wide = solve(catalog, goal="goal", objective="time", hours_per_week=12)
    assert (wide.status, wide.finish_week) == ("optimal", 5)
    narrow = solve(catalog, goal="goal", objective="time", hours_per_week=10)
    assert (narrow.status, narrow.finish_week) == ("optimal", 8)
    assert steps_of(narrow)["goal"].start_week == 6


BLOCK = {
    "kind": "diploma",
    "duration_weeks": 0,
    "effort_hours": 12,
    "credits_required": 10,
    "per_credit": {"price": 10, "hours": 5, "weeks": 1},
}


def test_transfer_credit_sets_a_block_duration_and_its_weekly_load() -> None:
    # deg alone: 10 weeks at 6.2 h/week. After src (4 credits, 5 h/week for 2 weeks): 6 weeks
    # at 7 h/week, so weeks 0-2 then 2-8 under 10 h/week; under 6.5 h/week the shorter
    # block is too heavy and deg alone (finishing in week 10) is the fastest plan
    catalog = build(
        cred("src", duration_weeks=2, effort_hours=10, credits=4, cost=30),
        cred("deg", transfer=["src"], cost=60, **BLOCK),
    )
    fast = solve(catalog, goal="deg", objective="time", hours_per_week=10)
    assert (fast.status, fast.finish_week) == ("optimal", 8)
    deg = steps_of(fast)["deg"]
    assert (deg.start_week, deg.duration_weeks, deg.transferred_credits) == (2, 6, 4)
    assert deg.hours_per_week == pytest.approx(7.0)
    slow = solve(catalog, goal="deg", objective="time", hours_per_week=6.5)
    assert (slow.status, slow.finish_week) == ("optimal", 10)
    assert ids(slow) == {"deg"}
    assert steps_of(slow)["deg"].transferred_credits == 0


def test_tie_break_takes_the_transfer_source_only_when_it_fits_beside_the_prerequisite() -> None:
    # p and s (5 h/week, 2 weeks each), then deg (2 h/week, 4 weeks, weeks unaffected by
    # credit): finished in week 6 either way. Under 10 h/week s runs beside p and its 5
    # credits save $100 for $30: $270. Under 9 h/week s cannot finish by week 2, so the
    # cheapest plan finishing in week 6 leaves it out: $340
    catalog = build(
        cred("p", duration_weeks=2, effort_hours=10, cost=40),
        cred("s", duration_weeks=2, effort_hours=10, credits=5, cost=30),
        cred(
            "deg",
            kind="diploma",
            duration_weeks=4,
            effort_hours=8,
            cost=100,
            requires="p",
            credits_required=10,
            per_credit={"price": 20},
            transfer=["s"],
        ),
    )
    roomy = solve(catalog, goal="deg", objective="time", hours_per_week=10)
    assert (roomy.status, roomy.finish_week, roomy.total_cost) == ("optimal", 6, 270)
    assert ids(roomy) == {"p", "s", "deg"}
    tight = solve(catalog, goal="deg", objective="time", hours_per_week=9)
    assert (tight.status, tight.finish_week, tight.total_cost) == ("optimal", 6, 340)
    assert ids(tight) == {"p", "deg"}


@pytest.mark.slow
def test_cancel_stops_the_scheduling_model_while_it_searches() -> None:
    """A synthetic degree at 10 h/week keeps CP-SAT searching far longer than the test
    runs; the cancel callback turns true once the model is being solved and must be seen by
    the watcher thread (not only at the next step), which stops the search."""
    catalog = check_catalog_data(generate_catalog_data(1000, seed=0)).catalog
    goal = benchmark_goals((c.id for c in catalog.credentials), 1, 0)[0]
    solving = threading.Event()
    cancelled_from: list[str] = []

    def progress(_fraction: float, message: str) -> None:
        if "CP-SAT" in message:
            solving.set()

    def cancel() -> bool:
        if solving.is_set():
            cancelled_from.append(threading.current_thread().name)
            return True
        return False

    request = PlanRequest(
        goal=goal, start_date=START, objective="time", hours_per_week=10, time_limit=600
    )
    with pytest.raises(PlanningCancelled):
        plan(catalog, request, progress=progress, cancel=cancel)
    assert solving.is_set()
    assert cancelled_from[0] != threading.main_thread().name
