"""``export-all`` / ``import-all``: the whole store survives a trip through one JSON file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pathplanner.paths import sqlite_url
from pathplanner.store import (
    Store,
    StoreImportError,
    export_all,
    export_all_to_file,
    import_all,
    parse_export,
    read_export_file,
)
from tests.store.conftest import plan_request, plan_result, small_catalog


def _fill(store: Store) -> None:
    old = store.add_catalog_version(small_catalog(), source="/data/catalog.json")
    new = store.add_catalog_version(small_catalog(cost_b=50), source="/data/catalog.json")
    ann = store.add_learner("Ann", contact="ann@example.org", notes="prefers online")
    store.add_learner("Bo")
    store.set_held_credential("Ann", "a", earned_on=date(2024, 5, 2), evidence={"type": "Badge"})
    plan = store.save_plan(
        "Ann", "cheapest", catalog_version_id=old.id, request=plan_request(), result=plan_result(60)
    )
    store.update_plan(plan.id, plan.version, status="shared", advisor_notes="check intake dates")
    gone = store.save_plan("Bo", "draft", catalog_version_id=new.id, request={}, result={})
    store.delete_plan(gone.id)
    store.save_plan("Bo", "draft", catalog_version_id=new.id, request={}, result=plan_result(1))
    assert ann.id


def _comparable(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key != "exported_at"}


def test_export_then_import_restores_everything(store: Store, tmp_path: Path) -> None:
    _fill(store)
    path = tmp_path / "everything.json"
    exported = export_all_to_file(store, path)
    with Store.open(sqlite_url(tmp_path / "new.sqlite3"), backup_dir=tmp_path) as restored:
        counts = import_all(restored, read_export_file(path))
        assert counts == {"catalog_versions": 2, "learners": 2, "plans": 2, "history": 5}
        again = export_all(restored)
        assert _comparable(again.model_dump(mode="json")) == _comparable(
            exported.model_dump(mode="json")
        )
        (shared,) = [p for p in restored.list_plans() if p.name == "cheapest"]
        saved = restored.get_plan(shared.id)
        assert saved.result == plan_result(60)
        assert restored.catalog(saved.catalog_version.id) == small_catalog()
        assert [c.action for c in restored.plan_history(shared.id)] == ["created", "updated"]
        assert [(c.plan_name, c.action, c.plan_id is None) for c in restored.history("Bo")] == [
            ("draft", "created", True),
            ("draft", "deleted", True),
            ("draft", "created", False),
        ]


def test_import_into_a_store_that_has_data_needs_replace(store: Store, tmp_path: Path) -> None:
    _fill(store)
    document = export_all(store)
    with pytest.raises(StoreImportError, match="not empty"):
        import_all(store, document)
    store.add_learner("Cy")
    import_all(store, document, replace=True)
    assert [learner.name for learner in store.list_learners()] == ["Ann", "Bo"]


def test_a_failing_import_changes_nothing(store: Store) -> None:
    _fill(store)
    data = export_all(store).model_dump(mode="json")
    data["plans"][1]["learner"] = "Nobody"
    with pytest.raises(StoreImportError, match=r"plans\[1\] \(draft\): field 'learner'"):
        import_all(store, parse_export(data), replace=True)
    assert [learner.name for learner in store.list_learners()] == ["Ann", "Bo"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="other"), "not a pathplanner export"),
        (lambda d: d["learners"][0].pop("name"), r"learners\[0\]: field 'name': Field required"),
        (
            lambda d: d["plans"][0].update(status="final"),
            r"plans\[0\]: field 'status': Input should be 'draft', 'shared' or 'approved'",
        ),
        (
            lambda d: d["catalog_versions"][0].update(content="{}"),
            r"catalog_versions\[0\] \(test catalogue\): content does not match",
        ),
    ],
    ids=["format", "missing-field", "bad-status", "altered-catalogue"],
)
def test_bad_export_files_are_reported_precisely(
    store: Store, tmp_path: Path, change: Any, message: str
) -> None:
    _fill(store)
    data = export_all(store).model_dump(mode="json")
    change(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(StoreImportError, match=message):
        import_all(store, read_export_file(path), replace=True)


def test_malformed_json_is_reported_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"format": ', encoding="utf-8")
    with pytest.raises(StoreImportError, match=r"bad.json: malformed JSON at line 1, column 12"):
        read_export_file(path)
