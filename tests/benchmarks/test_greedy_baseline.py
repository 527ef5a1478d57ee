"""The greedy tree-shaped baseline on hand-worked catalogues."""

from __future__ import annotations

import math

from benchmarks.greedy_baseline import greedy_plan
from tests.planner.test_oracle import build, cred, shared_prerequisite


def test_pays_a_shared_prerequisite_per_use_when_choosing() -> None:
    plan = greedy_plan(shared_prerequisite(), "g")
    # tree price: 100 + (10 + 50) + (10 + 50); the union really costs the same here
    assert (plan.tree_price, plan.cost) == (220, 220)
    assert plan.chosen == {"g", "a", "b", "y", "z"}


def test_tree_price_counts_a_shared_pick_twice_the_real_cost_once() -> None:
    catalog = build(
        cred("g", cost=100, requires={"all": ["a", "b"]}),
        cred("a", cost=10, requires="x"),
        cred("b", cost=10, requires="x"),
        cred("x", cost=60),
    )
    plan = greedy_plan(catalog, "g")
    assert (plan.tree_price, plan.cost) == (240, 180)


def test_credits_from_by_price_per_credit_and_transfer_from_its_own_branch() -> None:
    catalog = build(
        cred(
            "d",
            kind="diploma",
            cost=100,
            requires={"credits": 10, "from": ["m1", "m2", {"id": "m3", "credits": 10}]},
            credits_required=20,
            per_credit={"price": 10},
            transfer=["m1", "m2", "m3"],
        ),
        cred("m1", cost=50, credits=5),  # $10 a credit
        cred("m2", cost=40, credits=5),  # $8 a credit
        cred("m3", cost=150, credits=0),  # $15 a credit through its override
    )
    plan = greedy_plan(catalog, "d")
    # M2 then M1 reach 10 credits; D gets their 10 credits: 100 + 10 * 10
    assert plan.chosen == {"d", "m1", "m2"}
    assert plan.cost == plan.tree_price == 50 + 40 + 200


def test_held_and_filtered_credentials() -> None:
    catalog = shared_prerequisite()
    assert greedy_plan(catalog, "g", held=frozenset({"a"})).cost == 100 + 10 + 50
    no_x_or_z = greedy_plan(catalog, "g", allowed=lambda c: c.id not in {"y", "z"})
    assert no_x_or_z.chosen == {"g", "a", "b", "x"}
    assert math.isinf(greedy_plan(catalog, "g", allowed=lambda c: c.id != "g").cost)


def test_takes_a_transfer_source_only_when_it_saves_more_than_it_costs() -> None:
    catalog = build(
        cred(
            "d",
            kind="diploma",
            credits_required=10,
            per_credit={"price": 10},
            transfer=["s", "t"],
        ),
        cred("s", cost=30, credits=5),  # saves $50 for $30: taken
        cred("t", cost=60, credits=5),  # saves $50 for $60: left
    )
    plan = greedy_plan(catalog, "d")
    assert plan.chosen == {"d", "s"}
    assert plan.cost == plan.tree_price == 30 + 50
