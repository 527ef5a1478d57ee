"""A saved plan is stale when re-planning it on the current catalogue gives another answer."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pathplanner.catalog import check_catalog_data
from pathplanner.graph.planner import PlanRequest, plan
from pathplanner.model import Catalog, Delivery, Recognition
from pathplanner.store import Store, is_stale
from pathplanner.store.plans import (
    STEP_DETAILS,
    replan,
    request_from_json,
    request_to_json,
    save_computed_plan,
)
from tests.conftest import catalog_dict
from tests.store.conftest import credential, plan_result, small_catalog


def test_only_a_different_answer_makes_a_plan_stale() -> None:
    saved = plan_result(3)
    reworded = {**saved, "explanation": "worded otherwise", "start_date": "2027-02-01"}
    dearer = {**saved, "total_cost": saved["total_cost"] + 1}
    moved = {**saved, "steps": [{**saved["steps"][0], "start_week": 9}, *saved["steps"][1:]]}
    assert not is_stale(saved, reworded)
    assert not is_stale(saved, {**saved, "total_cost": saved["total_cost"] + 1e-9})
    assert is_stale(saved, dearer)
    assert is_stale(saved, moved)
    assert is_stale(saved, {**saved, "status": "infeasible", "steps": []})


def test_a_request_reads_back_as_it_was_saved() -> None:
    request = PlanRequest(
        goal="goal",
        held=frozenset({"a"}),
        objective="time",
        budget=900.0,
        hours_per_week=12.5,
        delivery=frozenset({Delivery.ONLINE}),
        exclude_providers=frozenset({"p"}),
        exclude=frozenset({"x"}),
        min_recognition=Recognition.INDUSTRY,
        insist=frozenset({"b"}),
        horizon_weeks=104,
        time_limit=3.0,
    )
    saved = request_to_json(request, start_date=date(2027, 1, 4))
    assert saved["start_date"] == "2027-01-04"  # pinned: re-planning asks the same question
    assert request_from_json(saved) == PlanRequest(
        **{**request.__dict__, "start_date": date(2027, 1, 4)}
    )


def _with_extra_credential(catalog: Catalog) -> Catalog:
    document = catalog.model_dump(mode="json", by_alias=True, exclude_none=True)
    document["credentials"].append(credential("unrelated", cost=5))
    return check_catalog_data(catalog_dict(document["credentials"])).catalog


def test_check_stale_replans_with_the_planner_and_records_the_flag(store: Store) -> None:
    store.add_learner("Ann")
    catalog = small_catalog()
    computed = plan(catalog, PlanRequest(goal="goal", start_date=date(2027, 1, 4)))
    summary = save_computed_plan(store, "Ann", "cheapest", catalog, computed, catalog_source="f")
    assert summary.stale is None
    kept = store.get_plan(summary.id).result
    # the CLI's plan JSON, unchanged, plus each step's reason for the app
    assert {k: v for k, v in kept.items() if k != STEP_DETAILS} == computed.to_json()
    assert kept[STEP_DETAILS] == {
        s.id: {
            "reason": s.reason,
            "effort_hours": s.effort_hours,
            "duration_weeks": s.duration_weeks,
        }
        for s in computed.steps
    }

    assert store.check_stale(summary.id, _with_extra_credential(catalog), replan) is False
    assert store.get_plan(summary.id).summary.stale is False

    cheaper = small_catalog(cost_b=50)
    assert store.check_stale(summary.id, cheaper, replan) is True
    after = store.get_plan(summary.id)
    assert after.summary.stale is True
    assert after.stale_checked_at is not None
    assert after.version == summary.version  # not an edit: no conflict with an open editor
    assert after.result == kept  # shown exactly as saved ...
    assert store.catalog(after.catalog_version.id) == catalog  # ... with its own catalogue


def test_check_stale_takes_any_replan_callable(store: Store) -> None:
    store.add_learner("Ann")
    version = store.add_catalog_version(small_catalog()).id
    summary = store.save_plan(
        "Ann", "p", catalog_version_id=version, request={"goal": "goal"}, result=plan_result(2)
    )
    seen: list[Mapping[str, Any]] = []

    def same_answer(catalog: Catalog, request: Mapping[str, Any]) -> Mapping[str, Any]:
        seen.append(request)
        return plan_result(2)

    assert store.check_stale(summary.id, small_catalog(), same_answer) is False
    assert seen == [{"goal": "goal"}]
