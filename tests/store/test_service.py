"""Learners, held credentials, catalogue versions and plans through the Store service."""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from pathplanner.store import (
    ConcurrentEditError,
    DuplicateError,
    NotFoundError,
    Store,
    StoreError,
)
from pathplanner.store.schema import Learner
from tests.store.conftest import plan_request, plan_result, small_catalog


def test_learners_are_added_listed_and_found_by_name_or_id(store: Store) -> None:
    ann = store.add_learner("Ann Lee", contact="ann@example.org", notes="evening classes")
    store.add_learner("Bo")
    assert [learner.name for learner in store.list_learners()] == ["Ann Lee", "Bo"]
    assert store.get_learner("Ann Lee") == store.get_learner(ann.id) == ann
    assert ann.contact == "ann@example.org"
    assert ann.version == 1
    assert ann.created_at.tzinfo is not None


def test_duplicate_and_unknown_learners_are_reported(store: Store) -> None:
    store.add_learner("Ann")
    with pytest.raises(DuplicateError, match="'Ann' already exists"):
        store.add_learner(" Ann ")
    with pytest.raises(NotFoundError, match="no learner named 'Zed'"):
        store.get_learner("Zed")
    with pytest.raises(StoreError, match="cannot be empty"):
        store.add_learner("  ")


def test_held_credentials_keep_dates_and_evidence(store: Store) -> None:
    badge = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "urn:x"}
    store.add_learner("Ann")
    store.set_held_credential("Ann", "a", earned_on=date(2025, 6, 1), evidence=badge)
    learner = store.set_held_credential("Ann", "b")
    assert [(h.credential_id, h.earned_on, h.evidence) for h in learner.held] == [
        ("a", date(2025, 6, 1), badge),
        ("b", None, None),
    ]
    assert learner.version == 3  # each change of what the learner holds is an edit
    assert [h.credential_id for h in store.remove_held_credential("Ann", "a").held] == ["b"]
    with pytest.raises(NotFoundError, match="does not hold 'a'"):
        store.remove_held_credential("Ann", "a")


def test_catalogue_versions_are_stored_once_and_read_back_exactly(store: Store) -> None:
    catalog = small_catalog()
    first = store.add_catalog_version(catalog, source="/data/catalog.json")
    again = store.add_catalog_version(catalog, source="elsewhere")
    changed = store.add_catalog_version(small_catalog(cost_b=999))
    assert again == first
    assert changed.id != first.id
    assert store.catalog(first.id) == catalog
    assert store.catalog(changed.id).credential("b").cost == 999
    assert [v.id for v in store.list_catalog_versions()] == [first.id, changed.id]


def test_a_saved_plan_reads_back_exactly_as_saved(store: Store) -> None:
    store.add_learner("Ann")
    version = store.add_catalog_version(small_catalog())
    result, request = plan_result(60), plan_request()
    summary = store.save_plan(
        "Ann", "cheapest", catalog_version_id=version.id, request=request, result=result
    )
    saved = store.get_plan(summary.id)
    assert saved.result == result
    assert saved.request == request
    assert saved.catalog_version == version
    assert saved.summary == summary
    assert (summary.step_count, summary.total_cost, summary.finish_week) == (60, 600.0, 240)
    assert (summary.goal, summary.plan_status, summary.status) == ("goal", "optimal", "draft")
    assert store.find_plan("Ann", "cheapest") == saved


def test_plans_list_newest_first_and_by_learner(store: Store) -> None:
    version = store.add_catalog_version(small_catalog()).id
    for learner in ("Ann", "Bo"):
        store.add_learner(learner)
        for name in ("p1", "p2"):
            store.save_plan(
                learner, name, catalog_version_id=version, request={}, result=plan_result()
            )
    everything = store.list_plans()
    assert [(p.learner_name, p.name) for p in everything] == [
        ("Bo", "p2"),
        ("Bo", "p1"),
        ("Ann", "p2"),
        ("Ann", "p1"),
    ]
    assert [p.name for p in store.list_plans("Ann")] == ["p2", "p1"]
    with pytest.raises(DuplicateError, match="already has a plan named 'p1'"):
        store.save_plan("Ann", "p1", catalog_version_id=version, request={}, result={})


def test_plan_edits_are_recorded_in_the_history(store: Store) -> None:
    store.add_learner("Ann")
    version = store.add_catalog_version(small_catalog()).id
    plan = store.save_plan("Ann", "p", catalog_version_id=version, request={}, result=plan_result())
    plan = store.update_plan(plan.id, plan.version, status="shared", advisor_notes="looks good")
    plan = store.update_plan(plan.id, plan.version, status="approved")
    history = store.plan_history(plan.id)
    assert [(c.action, c.who) for c in history] == [
        ("created", "tester"),
        ("updated", "tester"),
        ("updated", "tester"),
    ]
    assert history[1].detail == {"status": ["draft", "shared"], "advisor_notes": ["", "looks good"]}
    assert history[2].detail == {"status": ["shared", "approved"]}
    with pytest.raises(StoreError, match="'final' is not one of draft, shared, approved"):
        store.update_plan(plan.id, plan.version, status="final")


def test_a_recomputed_plan_replaces_the_result_and_keeps_the_old_one_in_history(
    store: Store,
) -> None:
    store.add_learner("Ann")
    old_version = store.add_catalog_version(small_catalog()).id
    new_version = store.add_catalog_version(small_catalog(cost_b=50)).id
    plan = store.save_plan(
        "Ann", "p", catalog_version_id=old_version, request={}, result=plan_result(2)
    )
    updated = store.update_plan(
        plan.id, plan.version, recomputed=(new_version, {"goal": "goal"}, plan_result(3))
    )
    assert (updated.step_count, updated.catalog_version_id) == (3, new_version)
    (change,) = [c for c in store.plan_history(plan.id) if c.action == "updated"]
    assert change.detail["result"] == [plan_result(2), plan_result(3)]
    assert change.detail["catalog_version_id"] == [old_version, new_version]


def test_deleting_a_plan_keeps_its_history(store: Store) -> None:
    store.add_learner("Ann")
    version = store.add_catalog_version(small_catalog()).id
    plan = store.save_plan("Ann", "p", catalog_version_id=version, request={}, result={})
    store.delete_plan(plan.id, plan.version)
    with pytest.raises(NotFoundError):
        store.get_plan(plan.id)
    assert store.plan_history(plan.id) == []  # unlinked from the deleted plan's id ...
    actions = [(c.plan_name, c.action, c.plan_id) for c in store.history("Ann")]
    assert actions == [("p", "created", None), ("p", "deleted", None)]


def test_concurrent_edit_of_a_plan_is_detected_not_overwritten(
    store_url: str, store: Store
) -> None:
    store.add_learner("Ann")
    version = store.add_catalog_version(small_catalog()).id
    plan = store.save_plan("Ann", "p", catalog_version_id=version, request={}, result={})
    with Store.open(store_url, actor="second window") as other:
        mine = store.get_plan(plan.id)
        theirs = other.get_plan(plan.id)
        other.update_plan(theirs.id, theirs.version, advisor_notes="theirs")
        with pytest.raises(ConcurrentEditError, match="changed by someone else") as caught:
            store.update_plan(mine.id, mine.version, advisor_notes="mine")
        assert (caught.value.expected_version, caught.value.found_version) == (1, 2)
        with pytest.raises(ConcurrentEditError, match="changed by someone else"):
            store.delete_plan(mine.id, mine.version)
        other.delete_plan(theirs.id)
        with pytest.raises(ConcurrentEditError, match="has been deleted"):
            store.update_plan(mine.id, 2, advisor_notes="mine")
    assert store.plan_history(plan.id) == []


def test_concurrent_edit_of_a_learner_is_detected(store: Store) -> None:
    ann = store.add_learner("Ann")
    store.update_learner(ann.id, ann.version, notes="first")
    with pytest.raises(ConcurrentEditError):
        store.update_learner(ann.id, ann.version, notes="second")
    assert store.get_learner(ann.id).notes == "first"


def test_deleting_a_learner_deletes_their_plans(store: Store) -> None:
    ann = store.add_learner("Ann")
    store.set_held_credential("Ann", "a")
    version = store.add_catalog_version(small_catalog()).id
    store.save_plan("Ann", "p", catalog_version_id=version, request={}, result={})
    store.delete_learner(ann.id, store.get_learner(ann.id).version)
    assert store.list_learners() == []
    assert store.list_plans() == []


def test_two_windows_writing_at_once_both_succeed(store_url: str, store: Store) -> None:
    """The second writer waits for the first one's transaction (busy timeout), then commits."""
    in_transaction = threading.Event()
    with Store.open(store_url, actor="second window") as other:

        def hold_a_write_transaction() -> None:
            with other.transaction(write=True) as session:
                session.add(Learner(name="Bo", version=1))
                session.flush()
                in_transaction.set()
                time.sleep(0.5)

        writer = threading.Thread(target=hold_a_write_transaction)
        writer.start()
        try:
            assert in_transaction.wait(timeout=10)
            store.add_learner("Ann")
        finally:
            writer.join()
    assert [learner.name for learner in store.list_learners()] == ["Ann", "Bo"]


def test_an_edit_racing_another_commit_is_caught_by_the_versioned_update(
    store_url: str, store: Store
) -> None:
    """Both editors pass the version check; the UPDATE ... WHERE version = read catches it."""
    if store_url.startswith("sqlite"):
        pytest.skip("SQLite serialises write transactions (BEGIN IMMEDIATE): no such window")
    store.add_learner("Ann")
    version = store.add_catalog_version(small_catalog()).id
    plan = store.save_plan("Ann", "p", catalog_version_id=version, request={}, result={})
    with Store.open(store_url, actor="second window") as other:
        raced: list[int] = []

        def commit_theirs_first(session: Session, context: Any, instances: Any) -> None:
            if raced:  # only in our edit's flush, after its version check passed
                return
            raced.append(0)
            raced[0] = other.update_plan(plan.id, plan.version, advisor_notes="theirs").version

        event.listen(Session, "before_flush", commit_theirs_first)
        try:
            with pytest.raises(ConcurrentEditError, match="changed by someone else"):
                store.update_plan(plan.id, plan.version, advisor_notes="mine")
        finally:
            event.remove(Session, "before_flush", commit_theirs_first)
    assert raced == [2]
    assert store.get_plan(plan.id).version == 2
    assert [c.detail for c in store.plan_history(plan.id)][-1] == {"advisor_notes": ["", "theirs"]}
