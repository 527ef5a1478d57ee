"""Bridge candidates ruled out by a lower bound are exactly those re-planning would not report."""

from __future__ import annotations

import math
from typing import Any

import pytest

from pathplanner.graph.bridges import (
    BridgeSettings,
    cheapest_routes,
    link_bound,
    missing_bridges,
    plan_request,
)
from pathplanner.graph.planner import PlanningCancelled, PlanRequest, plan
from pathplanner.graph.reachability import LearnerFilters
from pathplanner.graph.whatif import AddTransfer, apply_changes
from pathplanner.model import Catalog
from tests.analysis.helpers import cred, degree, make
from tests.analysis.test_bridge_search import ONLINE, goal_routes, random_catalogue

EVERY = BridgeSettings(bound_links=False)


def deg_with_c_transferring(transfer_max: int, **extra: Any) -> Catalog:
    """c (10 credits, 100) is required by deg and already transfers into it; b (5 credits,
    50) does not. Baseline: 100 + (30 - 10) x 20 = 500."""
    return make(
        [
            cred("c", credits=10, cost=100),
            cred("b", "badge", credits=5, cost=50),
            degree(transfer=["c"], transfer_max=transfer_max, **extra),
        ]
    )


def test_a_link_into_a_full_transfer_cap_is_ruled_out_without_replanning() -> None:
    # c already fills deg's cap of 10, so b's credit cannot count: the estimate (5 x 20 - 50)
    # promises 50, but every route taking b costs 550, above the baseline of 500.
    catalog = deg_with_c_transferring(10)
    routes = cheapest_routes(catalog, ["deg"], plan_request(LearnerFilters(), 5))
    assert routes["deg"].total_cost == 500
    scratch = apply_changes(catalog, [AddTransfer("b", "deg")])
    assert link_bound(scratch, routes["deg"].request, "b", "deg") == pytest.approx(550)
    messages: list[str] = []
    search = missing_bridges(catalog, routes, progress=lambda _f, m: messages.append(m))
    assert (search.candidates, search.evaluated, search.replanned) == (1, 1, 0)
    assert search.findings == []
    assert not any(m.startswith("bridge b -> deg") for m in messages)
    every = missing_bridges(catalog, routes, settings=EVERY)
    assert (every.candidates, every.evaluated, every.replanned) == (1, 1, 1)
    assert every.findings == []


def test_a_link_with_room_under_the_cap_is_replanned_and_reported_exactly() -> None:
    # With a cap of 15, b's 5 credits fit: 100 + 50 + (30 - 15) x 20 = 450, saving 50 and
    # 2.5 weeks of the degree (10 -> 7.5 weeks, whole weeks: 10 -> 8).
    catalog = deg_with_c_transferring(15)
    routes = cheapest_routes(catalog, ["deg"], plan_request(LearnerFilters(), 5))
    scratch = apply_changes(catalog, [AddTransfer("b", "deg")])
    assert link_bound(scratch, routes["deg"].request, "b", "deg") == pytest.approx(450)
    search = missing_bridges(catalog, routes)
    assert (search.candidates, search.evaluated, search.replanned) == (1, 1, 1)
    [finding] = search.findings
    assert finding.credentials == ("deg", "b")
    assert finding.numbers["money_saved"] == 50.0
    assert finding.numbers["cost_before"] == 500
    assert finding.numbers["cost_after"] == 450
    assert finding.numbers["weeks_saved"] == 2
    assert [f.to_json() for f in search.findings] == [
        f.to_json() for f in missing_bridges(catalog, routes, settings=EVERY).findings
    ]


def test_a_link_that_cannot_beat_the_goals_best_found_is_not_replanned() -> None:
    # deg takes transfer from nothing yet: c -> deg saves 200, b -> deg at most 50. With one
    # bridge reported per goal, b's bound cannot beat c's saving.
    catalog = make(
        [cred("c", credits=10, cost=100), cred("b", "badge", credits=5, cost=50), degree()]
    )
    routes = cheapest_routes(catalog, ["deg"], plan_request(LearnerFilters(), 5))
    one = BridgeSettings(bridges_per_goal=1)
    fractions: list[float] = []
    search = missing_bridges(
        catalog, routes, settings=one, progress=lambda f, _m: fractions.append(f)
    )
    assert fractions == sorted(fractions)
    assert fractions[0] >= 0
    assert fractions[-1] < 1
    assert (search.candidates, search.evaluated, search.replanned) == (2, 2, 1)
    assert [(f.credentials, f.numbers["money_saved"]) for f in search.findings] == [
        (("deg", "c"), 200.0)
    ]
    two = missing_bridges(catalog, routes)
    assert two.replanned == 2
    assert [f.numbers["money_saved"] for f in two.findings] == [200.0, 50.0]


def test_a_source_with_no_intake_in_the_horizon_bounds_at_infinity() -> None:
    catalog = make(
        [
            cred("c", credits=10, cost=100),
            cred("b", "badge", credits=5, cost=0, start_dates=["2001-01-01"]),
            degree(),
        ]
    )
    routes = cheapest_routes(catalog, ["deg"], plan_request(LearnerFilters(), 5))
    scratch = apply_changes(catalog, [AddTransfer("b", "deg")])
    assert link_bound(scratch, routes["deg"].request, "b", "deg") == math.inf
    search = missing_bridges(catalog, routes)
    assert [f.credentials for f in search.findings] == [("deg", "c")]
    assert search.replanned == 1


@pytest.mark.parametrize("seed", range(12))
def test_bounded_search_reports_what_replanning_every_candidate_reports(seed: int) -> None:
    catalog = random_catalogue(seed)
    for filters in (LearnerFilters(), ONLINE):
        reachable, routes = goal_routes(catalog, filters)
        for per_goal in (1, 2):
            settings = BridgeSettings(bridges_per_goal=per_goal)
            reference = BridgeSettings(bridges_per_goal=per_goal, bound_links=False)
            fast = missing_bridges(
                catalog, routes, filters=filters, reachable=reachable, settings=settings
            )
            every = missing_bridges(
                catalog, routes, filters=filters, reachable=reachable, settings=reference
            )
            assert [f.to_json() for f in fast.findings] == [f.to_json() for f in every.findings]
            assert fast.replanned <= every.replanned == every.candidates


def test_the_search_can_be_cancelled_while_bounding() -> None:
    catalog = deg_with_c_transferring(10)
    routes = cheapest_routes(catalog, ["deg"], plan_request(LearnerFilters(), 5))
    with pytest.raises(PlanningCancelled):
        missing_bridges(catalog, routes, cancel=lambda: True)


def test_a_route_to_skills_is_searched_on_the_whole_catalogue() -> None:
    # Skills are taught by credentials found anywhere, so no part of the catalogue will do.
    skills = [{"id": s, "name": s} for s in ("math", "art")]
    catalog = make(
        [
            cred("c", credits=10, cost=100),
            cred("b", "badge", credits=5, cost=50, skills=["art"]),
            degree(skills=["math", "art"]),
        ],
        skills=skills,
    )
    route = plan(catalog, PlanRequest(skills=frozenset({"math"}), time_limit=5))
    assert route.total_cost == 700
    search = missing_bridges(catalog, {"math": route})
    assert [f.numbers["money_saved"] for f in search.findings] == [200.0, 50.0]
