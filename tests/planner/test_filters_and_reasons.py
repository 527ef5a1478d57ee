"""Learner filters, insisted credentials, request errors and the reasons given for no plan."""

from __future__ import annotations

from typing import Any

import pytest

from pathplanner.graph.planner import PlanningCancelled, PlanningError, PlanRequest, plan
from pathplanner.model import Catalog, Delivery, Recognition
from tests.planner.test_cost_plans import START, build, cred, ids, solve

PROVIDERS = [
    {"id": "uni", "name": "University", "recognition": "accredited"},
    {"id": "vendor", "name": "Vendor", "recognition": "industry"},
    {"id": "boss", "name": "Employer", "recognition": "employer"},
]


def three_routes() -> Catalog:
    """goal needs 2 of (a, b, c): a cheapest (online, uni), b (in person, vendor), c (hybrid,
    employer), d (no provider) as a last resort."""
    return build(
        cred("a", cost=100, provider="uni", delivery="online"),
        cred("b", cost=200, provider="vendor", delivery="in_person"),
        cred("c", cost=300, provider="boss", delivery="hybrid"),
        cred("d", cost=400),
        cred("goal", cost=10, provider="uni", requires={"any": ["a", "b", "c", "d"], "count": 2}),
        providers=PROVIDERS,
    )


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, {"a", "b", "goal"}),
        ({"exclude": frozenset({"b"})}, {"a", "c", "goal"}),
        ({"exclude_providers": frozenset({"vendor"})}, {"a", "c", "goal"}),
        ({"delivery": frozenset({Delivery.ONLINE, Delivery.HYBRID})}, {"a", "c", "goal"}),
        ({"min_recognition": Recognition.INDUSTRY}, {"a", "b", "goal"}),
        ({"min_recognition": Recognition.ACCREDITED}, set()),  # only a is accredited
        ({"delivery": frozenset({Delivery.ONLINE})}, {"a", "d", "goal"}),
        ({"insist": frozenset({"c"})}, {"a", "c", "goal"}),
    ],
)
def test_each_filter_changes_the_route(fields: dict[str, Any], expected: set[str]) -> None:
    result = solve(three_routes(), goal="goal", **fields)
    if expected:
        assert ids(result) == expected
    else:
        assert result.status == "infeasible"


def test_credentials_without_provider_count_as_unverified() -> None:
    result = solve(
        three_routes(), goal="goal", min_recognition=Recognition.EMPLOYER, exclude=frozenset({"b"})
    )
    assert ids(result) == {"a", "c", "goal"}  # d has no provider: unverified, filtered


def test_delivery_reason_names_the_requirement_and_the_filter() -> None:
    result = solve(
        three_routes(), goal="goal", delivery=frozenset({Delivery.ONLINE}), exclude=frozenset({"d"})
    )
    assert result.status == "infeasible"
    assert result.explanation == (
        "No plan: the goal goal cannot be reached: goal requires 2 of (a, b, c, d) but "
        "b is in_person, excluded by the delivery filter (online only); "
        "c is hybrid, excluded by the delivery filter (online only); "
        "d is excluded (exclude list)."
    )


def test_same_reasons_are_grouped() -> None:
    result = solve(three_routes(), goal="goal", exclude=frozenset({"b", "c", "d"}))
    assert "b, c and d are excluded (exclude list)" in result.explanation


def test_budget_reason_gives_the_cheapest_possible_cost() -> None:
    result = solve(three_routes(), goal="goal", budget=250)
    assert result.status == "infeasible"
    assert result.explanation == "No plan: budget 250 < cheapest possible 310."
    assert result.steps == ()
    assert result.lower_bound is None


def test_capacity_reason_names_the_weekly_load() -> None:
    catalog = build(cred("a", effort_hours=60, duration_weeks=5), cred("goal", requires="a"))
    result = solve(catalog, goal="goal", hours_per_week=10)
    assert result.explanation == (
        "No plan: the goal goal cannot be reached: goal requires a but "
        "a needs 12 h/week but capacity is 10."
    )


def test_intake_reason_names_the_last_intake() -> None:
    catalog = build(
        cred("a", duration_weeks=6),
        cred("goal", requires="a", start_dates=["2027-01-11"]),
    )
    result = solve(catalog, goal="goal")
    assert result.status == "infeasible"
    assert "last intake in week 1 (2027-01-11)" in result.explanation
    assert "can be met in week 6 at the earliest" in result.explanation


def test_skill_nobody_teaches_is_named() -> None:
    catalog = build(
        cred("a", skills=["x"]), skills=[{"id": "x", "name": "X"}, {"id": "y", "name": "Y"}]
    )
    result = solve(catalog, skills=frozenset({"x", "y"}))
    assert result.explanation == "No plan: no credential in the catalogue teaches skill y."


def test_insisting_on_an_excluded_credential_is_infeasible_with_reason() -> None:
    result = solve(three_routes(), goal="goal", insist=frozenset({"b"}), exclude=frozenset({"b"}))
    assert "insisted credential b cannot be reached: b is excluded" in result.explanation


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"goal": "gaol"}, "goal", "goal: unknown credential 'gaol' (did you mean 'goal'?)"),
        ({"goal": "goal", "held": frozenset({"zz"})}, "held", "held: unknown credential 'zz'"),
        (
            {"goal": "goal", "exclude_providers": frozenset({"vendr"})},
            "exclude_providers",
            "exclude_providers: unknown provider 'vendr' (did you mean 'vendor'?)",
        ),
        ({}, "goal", "give exactly one goal: a goal credential or a set of skills"),
        ({"goal": "goal", "hours_per_week": 0}, "hours_per_week", "hours per week must be > 0"),
    ],
)
def test_bad_requests_name_the_field(fields: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(PlanningError) as caught:
        plan(three_routes(), PlanRequest(**fields))
    assert caught.value.field == field
    assert str(caught.value).startswith(message)


def test_progress_is_reported_and_cancel_stops() -> None:
    seen: list[tuple[float, str]] = []
    result = plan(
        three_routes(),
        PlanRequest(goal="goal", start_date=START),
        progress=lambda fraction, message: seen.append((fraction, message)),
    )
    assert result.status == "optimal"
    fractions = [f for f, _ in seen]
    assert fractions[0] == 0.0
    assert fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    assert all(message for _, message in seen)
    with pytest.raises(PlanningCancelled):
        plan(three_routes(), PlanRequest(goal="goal"), cancel=lambda: True)


def test_cancel_is_polled_during_the_solve() -> None:
    calls = 0

    def cancel_later() -> bool:
        nonlocal calls
        calls += 1
        return calls > 2

    with pytest.raises(PlanningCancelled):
        plan(three_routes(), PlanRequest(goal="goal", objective="time"), cancel=cancel_later)
