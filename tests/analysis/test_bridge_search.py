"""The bridge search's shortcuts give the results of re-planning every candidate link."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

import pytest

from pathplanner.graph.bridges import BridgeSettings, cheapest_routes, missing_bridges, plan_request
from pathplanner.graph.findings import Finding
from pathplanner.graph.planner import Plan, PlanRequest, plan
from pathplanner.graph.reachability import LearnerFilters, dependents_index, filtered_reachable
from pathplanner.graph.whatif import AddTransfer, WhatIfError, apply_changes
from pathplanner.model import Catalog, Delivery
from tests.analysis.helpers import cred, degree, make

ONLINE = LearnerFilters(delivery=frozenset({Delivery.ONLINE, Delivery.HYBRID}))


def search_messages(
    catalog: Catalog, filters: LearnerFilters, *, with_reachable: bool
) -> tuple[list[tuple[tuple[str, ...], Mapping[str, float]]], tuple[int, int], list[str]]:
    routes = cheapest_routes(catalog, ["deg"], plan_request(filters, 5))
    reachable = filtered_reachable(catalog, filters, dependents_index(catalog))
    messages: list[str] = []
    search = missing_bridges(
        catalog,
        routes,
        filters=filters,
        reachable=reachable if with_reachable else None,
        progress=lambda _f, message: messages.append(message),
    )
    found = [(f.credentials, f.numbers) for f in search.findings]
    return found, (search.candidates, search.evaluated), messages


def test_a_source_out_of_reach_under_the_filters_is_ruled_out_without_replanning() -> None:
    # x is online but needs an in-person lab: under "online" no learner can earn it, so a link
    # from x can never lower the route.
    catalog = make(
        [
            cred("c", credits=10, cost=100),
            cred("b", "badge", credits=5, cost=50),
            cred("lab", "badge", delivery="in_person"),
            cred("x", credits=20, cost=10, requires="lab"),
            degree(),
        ]
    )
    fast, counts, messages = search_messages(catalog, ONLINE, with_reachable=True)
    slow, slow_counts, slow_messages = search_messages(catalog, ONLINE, with_reachable=False)
    assert fast == slow
    assert [credentials for credentials, _ in fast] == [("deg", "c"), ("deg", "b")]
    assert slow_counts == (3, 3)  # without the reachable set x is re-planned, in vain
    assert counts == (2, 2)  # with it, x never takes a candidate's place
    assert any("bridge x -> deg" in m for m in slow_messages)
    assert not any("bridge x -> deg" in m for m in messages)


def test_sources_share_a_skill_with_the_target_or_are_on_the_route() -> None:
    skills = [{"id": s, "name": s} for s in ("math", "art")]
    catalog = make(
        [
            cred("c", credits=10, cost=100),  # on the route, no shared skill
            cred("b", "badge", credits=5, cost=50, skills=["math"]),
            cred("a", "badge", credits=5, cost=50, skills=["art"]),
            degree(skills=["math"]),
        ],
        skills=skills,
    )
    found, counts, _ = search_messages(catalog, LearnerFilters(), with_reachable=True)
    assert counts == (2, 2)
    assert [credentials for credentials, _ in found] == [("deg", "c"), ("deg", "b")]
    # A target listing no skill takes sources whatever their skills.
    open_degree = make(
        [
            cred("c", credits=10, cost=100),
            cred("b", "badge", credits=5, cost=50, skills=["math"]),
            cred("a", "badge", credits=5, cost=40, skills=["art"]),
            degree(),
        ],
        skills=skills,
    )
    found, counts, _ = search_messages(open_degree, LearnerFilters(), with_reachable=True)
    assert counts == (3, 3)
    assert [credentials for credentials, _ in found] == [("deg", "c"), ("deg", "a")]


def test_unvalidated_scratch_copies_still_check_each_change() -> None:
    catalog = make([cred("c", credits=10, cost=100), cred("b", "badge", credits=5), degree()])
    with pytest.raises(WhatIfError, match="unknown source credential 'nope'"):
        apply_changes(catalog, [AddTransfer("nope", "deg")], validate=False)
    with pytest.raises(WhatIfError, match="c has no credit block"):
        apply_changes(catalog, [AddTransfer("b", "c")], validate=False)
    fast = apply_changes(catalog, [AddTransfer("b", "deg")], validate=False)
    assert fast == apply_changes(catalog, [AddTransfer("b", "deg")])
    assert fast.credential("deg").transfer == ("b",)
    assert catalog.credential("deg").transfer == ()


def random_catalogue(seed: int) -> Catalog:
    """Small catalogues with badges and certificates (some in person, some with
    prerequisites) under two credit-block degrees with partial transfer lists."""
    rng = random.Random(seed)
    records: list[dict[str, Any]] = []
    lower: list[str] = []
    for i in range(rng.randint(5, 8)):
        cid = f"s{i}"
        extra: dict[str, Any] = {
            "credits": rng.choice([3, 6, 10, 15]),
            "cost": rng.choice([0, 40, 120, 300]),
            "delivery": rng.choice(["online", "online", "hybrid", "in_person"]),
        }
        if lower and rng.random() < 0.4:
            extra["requires"] = rng.choice(lower)
        records.append(cred(cid, rng.choice(["badge", "certificate"]), **extra))
        lower.append(cid)
    for name in ("deg", "dip"):
        transfer = rng.sample(lower, rng.randint(0, 2))
        records.append(
            cred(
                name,
                "bachelor" if name == "deg" else "diploma",
                requires=rng.choice(lower),
                credits_required=rng.choice([20, 30]),
                transfer_max=rng.choice([10, 15, 20]),
                per_credit={"price": rng.choice([15, 25]), "weeks": 0.5},
                transfer=transfer,
                delivery=rng.choice(["online", "hybrid"]),
            )
        )
    return make(records)


def savings(findings: list[Finding], goal: str) -> list[float]:
    return sorted(
        (f.numbers["money_saved"] for f in findings if f.credentials[0] == goal), reverse=True
    )


def goal_routes(catalog: Catalog, filters: LearnerFilters) -> tuple[set[str], dict[str, Plan]]:
    """What a learner can earn under the filters, and the cheapest routes to deg and dip."""
    reachable = filtered_reachable(catalog, filters, dependents_index(catalog))
    goals = [g for g in ("deg", "dip") if g in reachable]
    return reachable, cheapest_routes(catalog, goals, plan_request(filters, 10))


@pytest.mark.parametrize("seed", range(8))
def test_fast_search_matches_replanning_every_candidate_on_a_validated_copy(seed: int) -> None:
    catalog = random_catalogue(seed)
    for filters in (LearnerFilters(), ONLINE):
        reachable, routes = goal_routes(catalog, filters)
        goals = list(routes)
        fast = missing_bridges(catalog, routes, filters=filters, reachable=reachable)
        every = missing_bridges(catalog, routes, filters=filters)
        # Without the reachable set, sources no learner can earn take candidates' places in
        # vain; with it, the places go to links that can work: per goal, its best savings are
        # at least as large, rank by rank.
        for goal in goals:
            mine = savings(fast.findings, goal)
            theirs = savings(every.findings, goal)
            assert len(mine) >= len(theirs)
            assert all(a >= b - 1e-6 for a, b in zip(mine, theirs, strict=False))
        if filters == LearnerFilters():
            assert [f.to_json() for f in fast.findings] == [f.to_json() for f in every.findings]
        for finding in fast.findings:
            goal, source = finding.credentials[0], finding.credentials[1]
            target = finding.credentials[-1] if len(finding.credentials) == 3 else goal
            copy = apply_changes(catalog, [AddTransfer(source, target)])
            again = plan(copy, routes[goal].request, alternatives=False)
            assert finding.numbers["cost_after"] == again.total_cost
            assert finding.numbers["weeks_saved"] == routes[goal].finish_week - again.finish_week


def test_a_route_with_an_insisted_credential_keeps_that_credentials_prerequisites() -> None:
    # The learner insists on extra, which needs pre: neither is on deg's pathway, but every
    # re-plan (and bound) of deg's route must still be able to take them.
    catalog = make(
        [
            cred("c", credits=10, cost=100),
            cred("b", "badge", credits=5, cost=50),
            cred("pre", "badge", cost=30),
            cred("extra", cost=40, requires="pre"),
            degree(),
        ]
    )
    route = plan(catalog, PlanRequest(goal="deg", insist=frozenset({"extra"}), time_limit=5))
    assert route.total_cost == 770  # c + deg + pre + extra
    for settings in (BridgeSettings(), BridgeSettings(bound_links=False)):
        search = missing_bridges(catalog, {"deg": route}, settings=settings)
        assert [(f.credentials, f.numbers["cost_after"]) for f in search.findings] == [
            (("deg", "c"), 570.0),
            (("deg", "b"), 720.0),
        ]
