"""Explanations of plans a time limit left unproven: a route found while explaining such a plan
can cost less, or finish sooner, than the plan itself, and the explanation says so. The
unproven plans are built as valid, dearer schedules (a time limit cannot be relied on to
leave the same plan unproven on every machine)."""

from __future__ import annotations

import math

from hypothesis import event, given, settings
from hypothesis import strategies as st

from pathplanner.graph.planner import PlanRequest
from pathplanner.graph.planner.clock import Clock, Found
from pathplanner.graph.planner.cost_model import solve_cost_model
from pathplanner.graph.planner.instance import build_instance
from pathplanner.graph.planner.outcome import describe_plan, runner_up_lines
from pathplanner.graph.planner.schedule import evaluate, violations
from pathplanner.graph.planner.solve import conclude_cheapest, improve_unproven
from tests.planner.oracle import earliest_start_plans
from tests.planner.schedule_check import check_plan
from tests.planner.test_cost_plans import START, build, cred
from tests.planner.test_property_planner import (
    SETTINGS,
    SMALL,
    TINY,
    TRICKY,
    catalogues,
    exact_optimum,
    requests,
)


def test_a_route_cheaper_than_an_unproven_plan_is_said_to_cost_less() -> None:
    # A plan found under a time limit need not be the cheapest: when the runner-up search
    # finds a cheaper route, the explanation says how much less it costs (it said "$-50
    # more"). The dearer plan here stands for one a time limit left unproven.
    catalog = build(
        cred("x", cost=100, duration_weeks=1),
        cred("y", cost=50, duration_weeks=1),
        cred("goal", cost=0, duration_weeks=1, requires={"any": ["x", "y"]}),
    )
    instance = build_instance(catalog, PlanRequest(goal="goal", start_date=START))
    dearer = evaluate(instance, {"x": 0, "goal": 1})
    assert violations(instance, dearer) == []
    lines = runner_up_lines(instance, Clock(10.0, None, None), dearer, frozenset({"x"}), None)
    assert lines == ["Another route: $50 ($50 less), finishing in week 2; it takes y instead of x."]


def test_a_route_without_transfer_cheaper_than_an_unproven_plan_is_said_to_cost_less() -> None:
    # The same for the route without transfer credit: x alone ($20) against a dearer plan
    # taking s for its credit into b ($30 + $10 after 5 credits of 10 at $2).
    catalog = build(
        cred("x", cost=20, duration_weeks=1),
        cred("s", cost=30, duration_weeks=1, credits=5),
        cred(
            "b",
            credits_required=10,
            per_credit={"price": 2},
            transfer=["s"],
            duration_weeks=1,
        ),
        cred("goal", cost=0, duration_weeks=1, requires={"any": ["x", "b"]}),
    )
    instance = build_instance(catalog, PlanRequest(goal="goal", start_date=START))
    dearer = evaluate(instance, {"s": 0, "b": 1, "goal": 2})
    assert violations(instance, dearer) == []
    assert dearer.cost == 40
    text = describe_plan(instance, Clock(10.0, None, None), dearer, "feasible", 20.0)
    assert "Without transfer credit the cheapest route would cost $20 ($20 less)." in text


def test_a_cheapest_plan_finishing_before_an_unproven_fastest_plan_is_said_to_be_sooner() -> None:
    # For the time objective the cheapest plan is compared with the fastest: y ($50, 1 week)
    # against a dearer and slower plan through x that a time limit left unproven.
    catalog = build(
        cred("x", cost=100, duration_weeks=5),
        cred("y", cost=50, duration_weeks=1),
        cred("goal", cost=0, duration_weeks=1, requires={"any": ["x", "y"]}),
    )
    request = PlanRequest(goal="goal", start_date=START, objective="time")
    instance = build_instance(catalog, request)
    slower = evaluate(instance, {"x": 0, "goal": 5})
    assert violations(instance, slower) == []
    text = describe_plan(instance, Clock(10.0, None, None), slower, "feasible", 2.0)
    assert (
        "The cheapest plan costs $50 ($50 less) and finishes in week 2 (4 weeks sooner)."
    ) in text


def test_an_unproven_cheapest_plan_takes_a_cheaper_route_found_from_its_repairs() -> None:
    # A time limit can leave the cheapest plan at a poor incumbent (a quarter dearer than the
    # optimum on the hardest 100k degrees). Before it is explained, the routes found from its
    # repairs are adopted while they cost less: x -> y ($150 -> $60), then the plan's own
    # explanation names no cheaper route. The lower bound stays the main solve's.
    catalog = build(
        cred("core", cost=40, duration_weeks=1),
        cred("x", cost=110, duration_weeks=1, requires="core"),
        cred("y", cost=60, duration_weeks=1),
        cred("goal", cost=0, duration_weeks=1, requires={"any": ["x", "y"]}),
    )
    instance = build_instance(catalog, PlanRequest(goal="goal", start_date=START))
    dearer = evaluate(instance, {"core": 0, "x": 1, "goal": 2})
    assert violations(instance, dearer) == []
    assert dearer.cost == 150
    result = solve_cost_model(instance, 10.0)
    better = improve_unproven(
        instance, Clock(10.0, None, None), Found(dearer, 12.5, proven=False), result
    )
    assert better.schedule.ids == frozenset({"y", "goal"})
    assert better.schedule.cost == 60
    assert violations(instance, better.schedule) == []
    assert (better.lower_bound, better.proven) == (12.5, False)


def test_improving_an_unproven_plan_keeps_it_when_no_route_costs_less() -> None:
    catalog = build(
        cred("x", cost=100, duration_weeks=1),
        cred("y", cost=150, duration_weeks=1),
        cred("goal", cost=0, duration_weeks=1, requires={"any": ["x", "y"]}),
    )
    instance = build_instance(catalog, PlanRequest(goal="goal", start_date=START))
    plan_schedule = evaluate(instance, {"x": 0, "goal": 1})
    found = Found(plan_schedule, 50.0, proven=False)
    kept = improve_unproven(
        instance, Clock(10.0, None, None), found, solve_cost_model(instance, 10.0)
    )
    assert kept == found


def test_an_unproven_plan_that_reaches_its_lower_bound_gets_the_earliest_finish_at_its_cost() -> (
    None
):
    # An unproven plan whose cost comes down to its lower bound (here by pruning y; in the
    # planner also by adopting a cheaper route) is proven, so it must get the cheapest plan's
    # tie-break too: it was reported optimal while finishing in week 5, where x then the goal
    # finish in week 2 at the same $50.
    catalog = build(
        cred("x", cost=50, duration_weeks=1),
        cred("y", cost=100, duration_weeks=1),
        cred("goal", cost=0, duration_weeks=1, requires={"any": ["x", "y"]}),
    )
    instance = build_instance(catalog, PlanRequest(goal="goal", start_date=START))
    late = evaluate(instance, {"x": 0, "y": 0, "goal": 4})
    assert violations(instance, late) == []
    result = solve_cost_model(instance, 10.0)
    concluded = conclude_cheapest(
        instance, Clock(10.0, None, None), Found(late, 50.0, proven=False), result
    )
    assert (concluded.status, concluded.total_cost, concluded.finish_week) == ("optimal", 50, 2)
    assert check_plan(catalog, concluded) == []


@settings(max_examples=300, **SETTINGS)
@given(st.data())
def test_unproven_plans_are_concluded_into_valid_plans_no_dearer_and_sound(
    data: st.DataObject,
) -> None:
    # A dearer valid plan stands for an incumbent the time limit left unproven (random
    # catalogues and requests of the property tests: budgets, filters, insisted credentials,
    # skills goals, intakes, horizons, capacity), with a lower bound of 0, the optimum or
    # the cost model's. The concluded plan must pass the schedule checker, cost no more than
    # the incumbent and no less than the optimum, and when it says optimal be the optimum
    # with the earliest finish at that cost.
    if data.draw(st.booleans(), label="capacity"):
        catalog = data.draw(catalogues(**TINY, odds=2), label="catalogue")
        horizons = [8, 10, 12]
        request = data.draw(
            requests(catalog, objectives=["cost"], capacity=True, horizons=horizons),
            label="request",
        )
    else:
        size = data.draw(st.sampled_from([SMALL, TRICKY]), label="size")
        catalog = data.draw(catalogues(**size), label="catalogue")
        request = data.draw(
            requests(catalog, objectives=["cost"], capacity=False, horizons=[520, 15, 8]),
            label="request",
        )
    expected = exact_optimum(catalog, request)
    instance = build_instance(catalog, request)
    dearer = []
    for plan_steps in earliest_start_plans(catalog, request, request.start_date or START):
        schedule = evaluate(instance, {cid: s.start for cid, s in plan_steps.items()})
        if not violations(instance, schedule) and schedule.cost > expected.cost + 1e-6:
            dearer.append(schedule)
    if not dearer:
        event("no dearer plan")
        return
    dearer.sort(key=lambda s: (s.cost, s.finish, sorted(s.ids)))
    incumbent = data.draw(st.sampled_from(dearer), label="incumbent")
    result = solve_cost_model(instance, 10.0)
    model_bound = result.solution.bound or 0.0
    bound = data.draw(st.sampled_from([0.0, expected.cost, model_bound]), label="lower bound")
    concluded = conclude_cheapest(
        instance, Clock(10.0, None, None), Found(incumbent, bound, proven=False), result
    )
    where = f"\nrequest: {request}\nconcluded: {concluded.to_json()}\noracle: {expected}"
    assert check_plan(catalog, concluded) == [], where
    assert expected.cost - 1e-6 <= concluded.total_cost <= incumbent.cost + 1e-9, where
    event(concluded.status)
    if concluded.status == "optimal":
        assert math.isclose(concluded.total_cost, expected.cost, abs_tol=1e-6), where
        assert concluded.finish_week == expected.finish_week, f"tie-break{where}"
