"""Hand-worked fastest plans: intakes, weekly capacity, transfer-dependent durations, ties."""

from __future__ import annotations

from datetime import date

from pathplanner.graph.planner import PlanRequest, plan
from tests.planner.test_cost_plans import START, build, cred, ids, solve


def test_intakes_fix_start_weeks() -> None:
    # b can start only in the week of 2027-02-03 (week 4) or 2026-12-01 (before the start)
    catalog = build(
        cred("a", duration_weeks=2),
        cred("b", duration_weeks=3, requires="a", start_dates=["2026-12-01", "2027-02-03"]),
    )
    result = solve(catalog, goal="b", objective="time")
    steps = {s.id: s for s in result.steps}
    assert steps["a"].start_week == 0
    assert steps["b"].start_week == 4
    assert result.finish_week == 7
    assert result.status == "optimal"


def test_intake_missed_by_a_prerequisite_waits_for_the_next() -> None:
    catalog = build(
        cred("a", duration_weeks=5),
        cred("b", duration_weeks=1, requires="a", start_dates=["2027-01-25", "2027-03-01"]),
    )
    # a finishes at week 5; the week-3 intake is missed, the next is week 8
    result = solve(catalog, goal="b", objective="time")
    assert {s.id: s.start_week for s in result.steps} == {"a": 0, "b": 8}


def test_capacity_serialises_parallel_work() -> None:
    catalog = build(
        cred("a", duration_weeks=4, effort_hours=40),
        cred("b", duration_weeks=4, effort_hours=40),
        cred("goal", duration_weeks=1, effort_hours=5, requires={"all": ["a", "b"]}),
    )
    unlimited = solve(catalog, goal="goal", objective="time")
    assert unlimited.finish_week == 5
    limited = solve(catalog, goal="goal", objective="time", hours_per_week=15)
    assert limited.finish_week == 9  # 10 h/week each: one after the other
    assert limited.status == "optimal"
    assert limited.lower_bound == 9
    assert max(s.hours_per_week for s in limited.steps) <= 15


def test_capacity_picks_lighter_options() -> None:
    # heavy is short but 30 h/week; with 20 h/week only the longer light option fits
    catalog = build(
        cred("heavy", duration_weeks=2, effort_hours=60),
        cred("light", duration_weeks=6, effort_hours=60),
        cred("goal", duration_weeks=1, requires={"any": ["heavy", "light"]}),
    )
    assert ids(solve(catalog, goal="goal", objective="time")) == {"heavy", "goal"}
    result = solve(catalog, goal="goal", objective="time", hours_per_week=20)
    assert ids(result) == {"light", "goal"}
    assert result.finish_week == 7


def test_transfer_shortens_a_credit_block_enough_to_be_faster() -> None:
    # degree alone: 1 + ceil(1 * 20) = 21 weeks; after cert (2 weeks, 10 credits): 2 + 11 = 13
    catalog = build(
        cred("cert", duration_weeks=2, credits=10, cost=300),
        cred(
            "degree",
            duration_weeks=1,
            credits_required=20,
            per_credit={"weeks": 1, "price": 10},
            transfer=["cert"],
        ),
    )
    result = solve(catalog, goal="degree", objective="time")
    assert ids(result) == {"cert", "degree"}
    assert result.finish_week == 13
    degree = next(s for s in result.steps if s.id == "degree")
    assert degree.transferred_credits == 10
    assert degree.duration_weeks == 11


def test_fastest_ties_are_broken_by_lowest_cost() -> None:
    catalog = build(
        cred("a", duration_weeks=3, cost=500),
        cred("b", duration_weeks=3, cost=100),
        cred("goal", duration_weeks=1, requires={"any": ["a", "b"]}),
    )
    result = solve(catalog, goal="goal", objective="time")
    assert ids(result) == {"b", "goal"}
    assert result.finish_week == 4


def test_start_date_defaults_to_the_next_monday() -> None:
    catalog = build(cred("goal"))
    result = plan(catalog, PlanRequest(goal="goal"))
    assert result.start_date.weekday() == 0
    assert result.start_date > date.today()
    assert (result.start_date - date.today()).days <= 7


def test_horizon_limits_the_finish() -> None:
    catalog = build(cred("goal", duration_weeks=30))
    assert solve(catalog, goal="goal", horizon_weeks=30).status == "optimal"
    result = solve(catalog, goal="goal", horizon_weeks=29)
    assert result.status == "infeasible"
    assert "horizon" in result.explanation


def test_finish_date_is_seven_days_per_week() -> None:
    catalog = build(cred("goal", duration_weeks=3))
    result = solve(catalog, goal="goal", start_date=START)
    assert result.finish_date == date(2027, 1, 25)
