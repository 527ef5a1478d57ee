"""Hand-worked cheapest plans: every requirement construct, credit blocks, shared prerequisites."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest

from pathplanner.catalog import check_catalog_data
from pathplanner.graph.planner import Plan, PlanningCancelled, PlanRequest, plan
from pathplanner.graph.planner.milp import Model
from pathplanner.model import Catalog
from tests.conftest import catalog_dict
from tests.planner.oracle import unlimited_capacity_optimum
from tests.planner.schedule_check import check_plan

START = date(2027, 1, 4)  # a Monday


def cred(cid: str, **fields: Any) -> dict[str, Any]:
    return {"id": cid, "name": cid.upper(), "kind": "certificate", **fields}


def build(*records: dict[str, Any], **extra: Any) -> Catalog:
    return check_catalog_data(catalog_dict(list(records), **extra)).catalog


def solve(catalog: Catalog, **fields: Any) -> Plan:
    fields.setdefault("start_date", START)
    result = plan(catalog, PlanRequest(**fields))
    assert check_plan(catalog, result) == []
    return result


def ids(result: Plan) -> set[str]:
    return {s.id for s in result.steps}


def test_all_of_takes_every_part() -> None:
    catalog = build(
        cred("a", cost=100),
        cred("b", cost=200),
        cred("goal", cost=50, requires={"all": ["a", "b"]}),
    )
    result = solve(catalog, goal="goal")
    assert result.status == "optimal"
    assert ids(result) == {"a", "b", "goal"}
    assert result.total_cost == 350
    assert result.lower_bound == 350


def test_any_k_picks_the_cheapest_k() -> None:
    catalog = build(
        cred("a", cost=100),
        cred("b", cost=300),
        cred("c", cost=50),
        cred("goal", cost=10, requires={"any": ["a", "b", "c"], "count": 2}),
    )
    result = solve(catalog, goal="goal")
    assert ids(result) == {"a", "c", "goal"}
    assert result.total_cost == 160
    reasons = {s.id: s.reason for s in result.steps}
    assert reasons["a"] == "satisfies '2 of (a, b, c)' of goal"


def test_credits_from_reaches_the_sum_cheaply() -> None:
    # 6 credits: b alone (6 cr, $500) or a + c (3 + 3 cr, $150 + $150) -> a + c is cheaper
    catalog = build(
        cred("a", cost=150, credits=3),
        cred("b", cost=500, credits=6),
        cred("c", cost=150, credits=3),
        cred("goal", requires={"credits": 6, "from": ["a", "b", "c"]}),
    )
    assert ids(solve(catalog, goal="goal")) == {"a", "c", "goal"}


def test_credit_item_override_counts_instead_of_own_credits() -> None:
    # b carries 1 credit of its own but 6 inside this requirement
    catalog = build(
        cred("a", cost=150, credits=3),
        cred("b", cost=200, credits=1),
        cred("goal", requires={"credits": 6, "from": ["a", {"id": "b", "credits": 6}]}),
    )
    assert ids(solve(catalog, goal="goal")) == {"b", "goal"}


def test_shared_prerequisite_is_paid_once() -> None:
    # A tree search prices `core` into each branch (310 > 200, so it picks q1 and q2 for 400);
    # shared, core + p1 + p2 = 320 is cheaper.
    catalog = build(
        cred("core", cost=300),
        cred("p1", cost=10, requires="core"),
        cred("p2", cost=10, requires="core"),
        cred("q1", cost=200),
        cred("q2", cost=200),
        cred(
            "goal",
            requires={"all": [{"any": ["p1", "q1"]}, {"any": ["p2", "q2"]}]},
        ),
    )
    result = solve(catalog, goal="goal")
    assert ids(result) == {"core", "p1", "p2", "goal"}
    assert result.total_cost == 320


def test_credit_block_cost_duration_and_cap() -> None:
    # degree: 30 credits at $100, 1 h and 0.5 week each; transfer capped at 10
    catalog = build(
        cred("cert", cost=400, credits=12, duration_weeks=4, effort_hours=40),
        cred(
            "degree",
            cost=1000,
            effort_hours=20,
            duration_weeks=2,
            credits_required=30,
            per_credit={"price": 100, "hours": 1, "weeks": 0.5},
            transfer=["cert"],
            transfer_max=10,
        ),
    )
    result = solve(catalog, goal="degree")
    # with cert: 400 + 1000 + 100 * (30 - 10) = 3400 < without: 1000 + 3000 = 4000
    assert result.total_cost == 3400
    degree = next(s for s in result.steps if s.id == "degree")
    assert degree.transferred_credits == 10
    assert degree.cost == 3000
    assert degree.duration_weeks == 2 + 10  # ceil(0.5 * 20)
    assert degree.effort_hours == 40
    assert degree.start_week == 4  # after cert finishes
    cert = next(s for s in result.steps if s.id == "cert")
    assert cert.reason == "brings 10 transfer credits into degree, saving $1,000"
    assert "Without transfer credit the cheapest route would cost $4,000" in result.explanation


def test_transfer_not_worth_its_price_is_left_out() -> None:
    catalog = build(
        cred("cert", cost=900, credits=6),
        cred(
            "degree",
            credits_required=30,
            per_credit={"price": 100},
            transfer=["cert"],
        ),
    )
    # cert saves 600 but costs 900
    result = solve(catalog, goal="degree")
    assert ids(result) == {"degree"}
    assert result.total_cost == 3000


def test_held_credentials_count_and_transfer() -> None:
    catalog = build(
        cred("a", cost=100, credits=6),
        cred("b", cost=100),
        cred(
            "goal",
            requires={"all": ["a", "b"]},
            credits_required=12,
            per_credit={"price": 10},
            transfer=["a"],
        ),
    )
    result = solve(catalog, goal="goal", held=frozenset({"a"}))
    assert ids(result) == {"b", "goal"}
    goal = next(s for s in result.steps if s.id == "goal")
    assert goal.transferred_credits == 6
    assert goal.cost == 60


def test_goal_already_held_is_an_empty_optimal_plan() -> None:
    catalog = build(cred("a", cost=100), cred("goal", requires="a"))
    result = solve(catalog, goal="goal", held=frozenset({"goal"}))
    assert result.status == "optimal"
    assert result.steps == ()
    assert result.total_cost == 0
    assert result.finish_week == 0
    assert result.finish_date == START


def test_skills_goal_covers_every_skill_cheaply() -> None:
    skills = [{"id": s, "name": s} for s in ("python", "sql", "stats")]
    catalog = build(
        cred("py", cost=100, skills=["python"]),
        cred("db", cost=100, skills=["sql"]),
        cred("combo", cost=150, skills=["python", "sql"]),
        cred("st", cost=80, skills=["stats"]),
        skills=skills,
    )
    result = solve(catalog, skills=frozenset({"python", "sql", "stats"}))
    assert ids(result) == {"combo", "st"}
    assert result.total_cost == 230
    assert result.to_json()["goal"] == ["python", "sql", "stats"]
    reasons = {s.id: s.reason for s in result.steps}
    assert reasons["combo"] == "teaches goal skills python, sql"


def test_insisted_credential_is_taken_even_if_not_cheapest() -> None:
    catalog = build(
        cred("a", cost=100),
        cred("b", cost=300),
        cred("goal", requires={"any": ["a", "b"]}),
    )
    result = solve(catalog, goal="goal", insist=frozenset({"b"}))
    assert ids(result) == {"b", "goal"}


def test_no_dead_weight_with_free_credentials() -> None:
    # free optional credentials must not ride along
    catalog = build(
        cred("free", cost=0),
        cred("a", cost=10),
        cred("goal", requires={"any": ["a", "free"]}),
        cred("other", cost=0, requires="free"),
    )
    result = solve(catalog, goal="goal")
    assert ids(result) == {"free", "goal"}


def test_cost_ties_are_broken_by_earliest_finish() -> None:
    # slow and fast cost the same; the plan finishing first wins
    catalog = build(
        cred("slow", cost=100, duration_weeks=10),
        cred("fast", cost=100, duration_weeks=2),
        cred("goal", cost=0, requires={"any": ["slow", "fast"]}),
    )
    result = solve(catalog, goal="goal")
    assert ids(result) == {"fast", "goal"}
    assert result.finish_week == 3


def test_budget_is_a_hard_limit() -> None:
    catalog = build(
        cred("cheap", cost=100, duration_weeks=20),
        cred("dear", cost=500, duration_weeks=1),
        cred("goal", requires={"any": ["cheap", "dear"]}),
    )
    fastest = solve(catalog, goal="goal", objective="time", budget=200)
    assert ids(fastest) == {"cheap", "goal"}
    assert fastest.total_cost <= 200
    unlimited = solve(catalog, goal="goal", objective="time")
    assert ids(unlimited) == {"dear", "goal"}


@pytest.mark.parametrize("objective", ["cost", "time"])
def test_json_shape_follows_the_contract(objective: str) -> None:
    catalog = build(
        cred("a", cost=100, effort_hours=30, duration_weeks=3), cred("goal", requires="a")
    )
    data = solve(catalog, goal="goal", objective=objective).to_json()
    keys = "goal objective status total_cost finish_week start_date finish_date lower_bound"
    assert list(data) == [*keys.split(), "steps", "explanation"]
    assert data["goal"] == "goal"
    assert data["objective"] == objective
    assert data["start_date"] == "2027-01-04"
    assert data["finish_week"] == 4
    assert data["finish_date"] == "2027-02-01"
    assert data["steps"][0] == {
        "id": "a",
        "start_week": 0,
        "finish_week": 3,
        "cost": 100.0,
        "hours_per_week": 10.0,
        "transferred_credits": 0.0,
    }


@pytest.mark.parametrize("held", [frozenset(), frozenset({"m1"})])
def test_credits_from_of_mixed_sizes_matches_exhaustive_search(held: frozenset[str]) -> None:
    # 60 credits from blocks of 40/30/30 credits and a 4-credit item: the LP alone would take
    # fractions of blocks; the rounding cuts on this row must not cut off the optimum (two
    # blocks, or, when m1 is held, the cheaper combination it opens up)
    catalog = build(
        cred("m1", cost=90, credits=12),
        cred("m2", cost=120, credits=15),
        cred("m3", cost=60, credits=8),
        cred("d40", cost=900, credits=40, requires={"credits": 20, "from": ["m1", "m2", "m3"]}),
        cred("d30a", cost=500, credits=30, requires={"credits": 12, "from": ["m1", "m3"]}),
        cred("d30b", cost=650, credits=30, requires={"any": ["m2", "m3"]}),
        cred("small", cost=20, credits=4),
        cred(
            "goal",
            cost=100,
            requires={"credits": 60, "from": ["d40", "d30a", "d30b", "small", "m1"]},
        ),
    )
    request = PlanRequest(goal="goal", start_date=START, held=held)
    result = plan(catalog, request)
    assert check_plan(catalog, result) == []
    exact = unlimited_capacity_optimum(catalog, request, START)
    assert result.status == "optimal"
    assert result.total_cost == pytest.approx(exact.cost)


def test_milp_model_solves_again_after_changes() -> None:
    # the explanation's comparison solves reuse a model: new bounds and rows must count
    model = Model()
    a, b, c = model.binary(), model.binary(), model.binary()
    model.row({a: 1.0, b: 1.0, c: 1.0}, lower=2.0)
    costs = {a: 1.0, b: 2.0, c: 4.0}
    assert model.solve(costs, 5.0).value == pytest.approx(3.0)
    model.set_bounds(a, 0.0, 0.0)
    assert model.solve(costs, 5.0).value == pytest.approx(6.0)
    model.row({b: 1.0}, upper=0.0)
    assert model.solve(costs, 5.0).status == "infeasible"
    model.set_bounds(a, 0.0, 1.0)
    solution = model.solve(costs, 5.0)
    assert solution.status == "optimal"
    assert solution.value == pytest.approx(5.0)
    assert [solution.is_one(v) for v in (a, b, c)] == [True, False, True]


def test_milp_model_stops_when_interrupted() -> None:
    # a set-covering model HiGHS does not solve in presolve: the interrupt is polled during
    # the branch and bound and stops it (the planner's Cancel)
    rng = random.Random(3)
    model = Model()
    xs = [model.binary() for _ in range(60)]
    for _ in range(40):
        model.row({x: float(rng.randint(1, 9)) for x in rng.sample(xs, 8)}, lower=13.0)
    costs = {x: float(rng.randint(1, 20)) for x in xs}
    polls: list[int] = []

    def interrupt() -> bool:
        polls.append(1)
        return True

    with pytest.raises(PlanningCancelled):
        model.solve(costs, 5.0, interrupt=interrupt)
    assert polls
    # without an interrupt the same model solves to optimality
    assert model.solve(costs, 5.0).status == "optimal"


def test_comparison_routes_each_see_their_own_variation_of_the_model() -> None:
    # the explanation's comparison solves share the cheapest plan's model: the runner-up,
    # solved after the route without transfer credit, must get its transfer credit back
    catalog = build(
        cred("a", cost=100, credits=10),
        cred("b", cost=150, credits=10),
        cred("c", cost=120),  # cheaper than b, but brings no credit
        cred(
            "degree",
            cost=200,
            duration_weeks=2,
            credits_required=20,
            per_credit={"price": 50, "hours": 1, "weeks": 0.1},
            transfer=["a", "b"],
            transfer_max=10,
            requires={"any": ["a", "b", "c"]},
        ),
    )
    result = solve(catalog, goal="degree")
    # a + degree with 10 credits from a: 100 + 200 + 50 * 10
    assert result.total_cost == 800
    assert "Without transfer credit the cheapest route would cost $1,300 ($500 more)." in (
        result.explanation
    )
    # b instead of a, still with its transfer credit: 150 + 700 (c would be 120 + 1,200)
    assert "Runner-up route: $850 ($50 more), finishing in week 4; it takes b instead of a." in (
        result.explanation
    )
    again = solve(catalog, goal="degree", exclude=frozenset({"a"}))
    assert again.total_cost == 850
