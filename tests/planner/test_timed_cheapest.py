"""The cheapest plan when the untimed optimum cannot be scheduled (``timed_cheapest``): the
time-indexed model too big for the time left, the CP-SAT scheduling model instead; a plan
whenever one exists; an honest message when none was found."""

from __future__ import annotations

from datetime import date
from typing import Any

from pathplanner.catalog import bundled_catalog_path, check_catalog_data, load_catalog
from pathplanner.graph.planner import PlanRequest, plan
from pathplanner.graph.planner.bounds import earliest_starts
from pathplanner.graph.planner.clock import Clock
from pathplanner.graph.planner.instance import build_instance
from pathplanner.graph.planner.outcome import infeasible
from pathplanner.graph.planner.time_model import fits_in_time
from pathplanner.graph.planner.timed_cheapest import cost_horizon
from pathplanner.graph.whatif import AddTransfer, apply_changes
from pathplanner.model import Catalog, Delivery
from tests.conftest import catalog_dict
from tests.planner.oracle import unlimited_capacity_optimum
from tests.planner.schedule_check import check_plan

START = date(2027, 1, 4)  # a Monday


def cred(cid: str, **fields: Any) -> dict[str, Any]:
    return {"id": cid, "name": cid.upper(), "kind": "certificate", **fields}


def build(*records: dict[str, Any]) -> Catalog:
    return check_catalog_data(catalog_dict(list(records))).catalog


def long_routes() -> Catalog:
    """G (250 weeks, any start) needs A or B. A is cheap but lasts 300 weeks, so A then G
    (550 weeks) misses the 520-week horizon: the untimed optimum ($150) cannot be scheduled.
    B is dear and short: B then G ($1,050) is the cheapest plan. Long credentials without
    intakes make the time-indexed model too big for the time limit."""
    return build(
        cred("a", cost=100, duration_weeks=300),
        cred("b", cost=1000, duration_weeks=10),
        cred("g", cost=50, duration_weeks=250, requires={"any": ["a", "b"]}),
    )


def test_unschedulable_optimum_with_too_big_time_model_is_proven() -> None:
    catalog = long_routes()
    request = PlanRequest(goal="g", start_date=START, time_limit=10)
    instance = build_instance(catalog, request)
    horizon = cost_horizon(instance)
    # the situation under test: the time-indexed model does not fit even the whole limit
    assert not fits_in_time(instance, horizon, earliest_starts(instance), 0.4 * 10)
    result = plan(catalog, request)
    assert check_plan(catalog, result) == []
    assert {s.id for s in result.steps} == {"b", "g"}
    assert result.total_cost == 1050
    assert result.status == "optimal", result.explanation  # proven by CP-SAT
    assert result.lower_bound == 1050
    assert unlimited_capacity_optimum(catalog, request, START).cost == 1050
    # tie-break at the same cost: B in weeks 0-9, G from week 10
    assert result.finish_week == 260


def _bundled_request() -> PlanRequest:
    return PlanRequest(
        goal="wgu-ms-cybersecurity",
        delivery=frozenset({Delivery.ONLINE, Delivery.HYBRID}),
        time_limit=10,
    )


def test_bundled_route_stays_found_after_adding_a_transfer_link() -> None:
    """Bundled wgu-ms-cybersecurity (online/hybrid): the untimed optimum misses intakes. After
    adding the transfer ivy-tech-aas-cybersecurity -> wgu-ms-cybersecurity no heuristic set
    could be scheduled and the planner answered 'no plan' in 0.1 s of its 10 s, although
    today's route ($27,880.29) is still valid."""
    bundled = load_catalog(bundled_catalog_path()).catalog
    request = _bundled_request()
    today = plan(bundled, request, alternatives=False)
    assert today.status in {"optimal", "feasible"}
    assert check_plan(bundled, today) == []
    changed = apply_changes(
        bundled, [AddTransfer("ivy-tech-aas-cybersecurity", "wgu-ms-cybersecurity")]
    )
    result = plan(changed, request, alternatives=False)
    assert result.status in {"optimal", "feasible"}, result.explanation
    assert check_plan(changed, result) == []
    # a link only adds options: today's plan is still a plan, so nothing worse is returned
    assert result.total_cost <= today.total_cost + 1e-6
    assert result.lower_bound is not None
    assert result.lower_bound <= result.total_cost + 1e-6


def test_no_plan_message_names_the_time_limit_only_when_it_was_used_up() -> None:
    catalog = long_routes()
    request = PlanRequest(goal="g", start_date=START, time_limit=10)
    instance = build_instance(catalog, request)
    spent = infeasible(instance, Clock(0.0, None, None), proven=False)
    assert spent.status == "infeasible"
    assert "within the time limit of 10 s" in spent.explanation
    early = infeasible(instance, Clock(10.0, None, None), proven=False)
    assert "within the time limit" not in early.explanation
    assert "stopped after" in early.explanation
    assert "10 s time limit" in early.explanation
    # OR-Tools loaded (as after any CP-SAT solve): the scheduling model needs 0.3 s, and a
    # 2 s limit counts as used up below 0.05 s left
    import pathplanner.graph.planner.cpsat_model  # noqa: F401, PLC0415

    two = build_instance(catalog, PlanRequest(goal="g", start_date=START, time_limit=2))
    short = infeasible(two, Clock(0.29, None, None), proven=False)
    assert "too few for the exact scheduling model" in short.explanation
