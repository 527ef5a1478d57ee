"""What-if changes on a scratch copy, and the planner-based findings (bridges, budget)."""

from __future__ import annotations

import pytest

from pathplanner.graph.bridges import (
    BridgeSettings,
    cheapest_routes,
    missing_bridges,
    over_budget,
    plan_request,
)
from pathplanner.graph.findings import FindingKind
from pathplanner.graph.metrics import AnalysisCancelledError
from pathplanner.graph.planner import PlanRequest
from pathplanner.graph.reachability import LearnerFilters
from pathplanner.graph.whatif import (
    AddTransfer,
    DropPrerequisite,
    SetPrice,
    WhatIfError,
    apply_changes,
    change_to_json,
    what_if,
)
from pathplanner.model import AnyOf, CreditItem, CreditsFrom, Delivery, PerCredit
from tests.analysis.helpers import cred, degree, make

BASE = [
    cred("c", credits=10, cost=100),
    cred("b", "badge", credits=5, cost=50),
    cred("m", "master", credits=30, cost=10),
]


def test_add_transfer_lowers_the_cheapest_route_on_a_copy_only() -> None:
    catalog = make([*BASE, degree()])
    result = what_if(catalog, [AddTransfer("c", "deg")], ["deg"])
    cheapest = next(r for r in result.routes if r.objective == "cost")
    assert cheapest.before.total_cost == 700
    assert cheapest.after.total_cost == 500
    assert cheapest.cost_change == -200
    # 30 credits at half a week each = 15 weeks; 20 credits = 10 weeks.
    assert cheapest.weeks_change == -5
    assert {r.objective for r in result.routes} == {"cost", "time"}
    assert catalog.credential("deg").transfer == ()
    assert result.catalog.credential("deg").transfer == ("c",)
    data = result.to_json()
    assert data["changes"][0]["description"] == "add transfer c -> deg"
    assert data["metrics"]["before"] == data["metrics"]["after"]  # transfer is not an edge


def test_set_price_and_drop_prerequisite() -> None:
    catalog = make([*BASE, degree(), cred("top", "master", requires={"all": ["deg", "b"]})])
    cheaper = apply_changes(catalog, [SetPrice("deg", cost=5, per_credit_price=10)])
    assert cheaper.credential("deg").cost == 5
    assert cheaper.credential("deg").per_credit == PerCredit(price=10, weeks=0.5)
    result = what_if(catalog, [DropPrerequisite("top", "b")], ["top"])
    assert result.catalog.credential("top").requires == "deg"
    assert result.metric_changes()["b"] == {
        "blocking": (1, 0),
        "delay": (2, 1),
        "complexity": (3, 1),
    }
    cheapest = next(r for r in result.routes if r.objective == "cost")
    assert cheapest.cost_change == -50


def test_dropping_from_groups_caps_counts_and_credit_sums() -> None:
    catalog = make(
        [
            cred("x", credits=4),
            cred("y", credits=4),
            cred("z", credits=4),
            cred("k", requires={"any": ["x", "y", "z"], "count": 3}),
            cred("s", requires={"credits": 10, "from": ["x", "y", {"id": "z", "credits": 2}]}),
        ]
    )
    changed = apply_changes(catalog, [DropPrerequisite("k", "z"), DropPrerequisite("s", "x")])
    assert changed.credential("k").requires == AnyOf(any=("x", "y"), count=2)
    assert changed.credential("s").requires == CreditsFrom.model_validate(
        {"credits": 6, "from": ["y", CreditItem(id="z", credits=2)]}
    )


def test_changes_that_cannot_apply_are_refused_with_a_reason() -> None:
    catalog = make([*BASE, degree(), cred("after", "master", requires="deg", credits=5)])
    with pytest.raises(WhatIfError, match="unknown source credential 'nope'"):
        apply_changes(catalog, [AddTransfer("nope", "deg")])
    with pytest.raises(WhatIfError, match="c has no credit block"):
        apply_changes(catalog, [AddTransfer("b", "c")])
    with pytest.raises(WhatIfError, match="cycle"):
        apply_changes(catalog, [AddTransfer("after", "deg")])
    with pytest.raises(WhatIfError, match="deg does not require b"):
        apply_changes(catalog, [DropPrerequisite("deg", "b")])
    with pytest.raises(WhatIfError, match="already transfers"):
        apply_changes(catalog, [AddTransfer("c", "deg"), AddTransfer("c", "deg")])
    assert change_to_json(SetPrice("c", cost=1)) == {
        "change": "set_price",
        "credential": "c",
        "cost": 1,
        "per_credit_price": None,
        "description": "set c cost 1",
    }


def test_missing_bridges_ranked_by_money_saved() -> None:
    catalog = make([*BASE, degree(), cred("after", "master", requires="deg", credits=5)])
    template = plan_request(LearnerFilters(), time_limit=5)
    routes = cheapest_routes(catalog, ["deg"], template)
    assert routes["deg"].total_cost == 700
    search = missing_bridges(catalog, routes)
    assert (search.candidates, search.evaluated) == (2, 2)
    found = search.findings
    # c is on the route already (saves 10 x 20); b costs 50 and saves 5 x 20.
    assert [(f.credentials, f.numbers["money_saved"]) for f in found] == [
        (("deg", "c"), 200.0),
        (("deg", "b"), 50.0),
    ]
    assert found[0].kind is FindingKind.MISSING_BRIDGE
    assert found[0].numbers["weeks_saved"] == 5
    assert "from 700.00 to 500.00 USD (save 200.00, 5 weeks sooner)" in found[0].message
    # The master (higher level) and what is built on the degree are never candidates.
    assert all("m" not in f.credentials and "after" not in f.credentials for f in found)
    assert (
        len(missing_bridges(catalog, routes, settings=BridgeSettings(bridges_per_goal=1)).findings)
        == 1
    )


def test_bridge_sources_respect_the_filters() -> None:
    in_person_c = cred("c", credits=10, cost=100, delivery="in_person")
    catalog = make([in_person_c, cred("b", "badge", credits=5, cost=50), degree()])
    online = LearnerFilters(delivery=frozenset({Delivery.ONLINE}))
    routes = cheapest_routes(catalog, ["deg"], plan_request(LearnerFilters(), 5))
    assert [f.credentials for f in missing_bridges(catalog, routes, filters=online).findings] == [
        ("deg", "b")
    ]


def test_over_budget_goals() -> None:
    catalog = make([*BASE, degree()])
    routes = cheapest_routes(catalog, ["deg", "c"], PlanRequest(time_limit=5))
    found = over_budget(routes, 600, "USD")
    assert [(f.credentials, f.numbers) for f in found] == [
        (("deg", "c"), {"cheapest_cost": 700.0, "budget": 600})
    ]
    assert "costs 700.00 USD, over a budget of 600.00 USD" in found[0].message


def test_what_if_reports_progress_and_can_be_cancelled() -> None:
    catalog = make([*BASE, degree()])
    seen: list[float] = []
    what_if(catalog, [SetPrice("c", cost=0)], ["deg"], progress=lambda f, _m: seen.append(f))
    assert seen == sorted(seen)
    assert seen[-1] == 1.0
    with pytest.raises(AnalysisCancelledError):
        what_if(catalog, [SetPrice("c", cost=0)], ["deg"], cancel=lambda: True)
