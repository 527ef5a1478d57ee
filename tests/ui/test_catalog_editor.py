"""The catalogue editor: form edits become undoable model edits, live validation with the
CLI's messages, the requirement and transfer editors, delete with references, save to the
file and to the store, and a what-if kept as one edit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pathplanner.catalog import CatalogError, check_catalog_data, load_catalog
from pathplanner.catalog_editing import EditableCatalog
from pathplanner.paths import database_url
from pathplanner.store import Store
from pathplanner.ui.catalog_editor import CatalogEditor
from pathplanner.ui.requirement_editor import ANY, CREDITS, RequirementEditor
from tests.ui.conftest import small_catalog

pytestmark = pytest.mark.gui


@pytest.fixture
def editor(qtbot: Any, small_catalog_path: Path) -> Iterator[CatalogEditor]:
    model = EditableCatalog(small_catalog(), "small.json")
    shown = CatalogEditor(model, small_catalog_path)
    shown.show()
    yield shown
    shown.undo_stack.setClean()  # no "unsaved changes" question when the test ends
    shown.close()
    shown.deleteLater()


def select(editor: CatalogEditor, collection: str, record_id: str) -> None:
    editor.tabs.setCurrentIndex(("credentials", "providers", "skills").index(collection))
    records = editor.lists[collection]  # type: ignore[index]
    for row in range(records.count()):
        if records.item(row).data(256) == record_id:
            records.setCurrentRow(row)
            return
    raise AssertionError(f"{record_id} not listed")


def problems(editor: CatalogEditor) -> list[str]:
    return [editor.problems.item(i).text() for i in range(editor.problems.count())]


def test_form_edits_are_undoable_model_edits(editor: CatalogEditor) -> None:
    select(editor, "credentials", "statistics")
    form = editor.credential_form
    assert form["cost"].value() == 300
    form["cost"].setValue(275)
    form["cost"].editingFinished.emit()
    assert editor.model.record("credentials", "statistics")["cost"] == 275
    assert editor.undo_stack.undoText() == "Edit credential 'statistics'"
    assert editor.windowTitle().startswith("*")
    editor.undo_stack.undo()
    assert editor.model.record("credentials", "statistics")["cost"] == 300
    assert form["cost"].value() == 300  # the form follows the model
    editor.undo_stack.redo()
    assert form["cost"].value() == 275
    assert not editor.commit()  # nothing changed since


def test_live_validation_uses_the_clis_messages(editor: CatalogEditor) -> None:
    select(editor, "credentials", "analyst")
    requirement: RequirementEditor = editor.credential_form["requires"]
    group = requirement.tree.topLevelItem(0)
    assert group.text(0) == "Any of these 3"
    requirement.tree.setCurrentItem(group)
    requirement.number.setValue(5)
    requirement.number.editingFinished.emit()
    with pytest.raises(CatalogError) as cli:
        check_catalog_data(editor.model.data(), "small.json")
    assert problems(editor) == [str(p) for p in cli.value.problems]
    assert any(
        "count 5 is larger than the 3 options listed in 'any'" in p for p in problems(editor)
    )
    assert "1 error(s)" in editor.summary.text()
    assert "count 5 is larger" in editor.record_problems.text()
    assert not editor.save_action.isEnabled()
    editor.undo_stack.undo()
    assert "Valid" in editor.summary.text()
    assert editor.save_action.isEnabled()


def test_requirement_and_transfer_editors(editor: CatalogEditor) -> None:
    select(editor, "credentials", "bootcamp")
    requirement: RequirementEditor = editor.credential_form["requires"]
    assert requirement.requirement() is None
    requirement.picker.setCurrentIndex(requirement.picker.findData("intro-sql"))
    requirement.add_credential.click()
    assert editor.model.record("credentials", "bootcamp")["requires"] == "intro-sql"
    requirement.picker.setCurrentIndex(requirement.picker.findData("python-basics"))
    requirement.add_credential.click()  # a second one: "all of" both
    assert editor.model.record("credentials", "bootcamp")["requires"] == {
        "all": ["intro-sql", "python-basics"]
    }
    requirement.tree.setCurrentItem(requirement.tree.topLevelItem(0))
    requirement.group_type.setCurrentIndex(requirement.group_type.findData(CREDITS))
    requirement.group_type.activated.emit(requirement.group_type.currentIndex())
    requirement.number.setValue(4)
    requirement.number.editingFinished.emit()
    assert editor.model.record("credentials", "bootcamp")["requires"] == {
        "credits": 4,
        "from": ["intro-sql", "python-basics"],
    }
    assert editor.model.validate().catalog is not None
    requirement.tree.setCurrentItem(requirement.tree.topLevelItem(0))
    requirement.group_type.setCurrentIndex(requirement.group_type.findData(ANY))
    requirement.add_group.click()  # nested: an "any" group inside
    nested = editor.model.record("credentials", "bootcamp")["requires"]["from"][-1]
    assert nested == {"any": [], "count": 1}
    assert any("any" in p for p in problems(editor))  # an empty group is an error
    requirement.remove.click()  # the selected (new) group
    assert editor.model.record("credentials", "bootcamp")["requires"]["from"] == [
        "intro-sql",
        "python-basics",
    ]

    select(editor, "credentials", "degree")
    transfer = editor.credential_form["transfer"]
    transfer.picker.setCurrentIndex(transfer.picker.findData("intro-sql"))
    transfer.credits.setValue(2)
    transfer.add.click()
    assert editor.model.record("credentials", "degree")["transfer"][-1] == {
        "id": "intro-sql",
        "credits": 2,
    }
    editor.credential_form["block"].setChecked(False)  # no credit block: its fields go
    degree = editor.model.record("credentials", "degree")
    assert "credits_required" not in degree
    assert "transfer" not in degree


def test_add_duplicate_delete_and_rename(editor: CatalogEditor) -> None:
    editor.tabs.setCurrentIndex(2)
    editor.add_new()
    assert editor.model.ids("skills")[-1] == "new-skill"
    assert editor.skill_form["name"].text() == "New skill"
    select(editor, "credentials", "statistics")
    editor.duplicate_current()
    assert "statistics-copy" in editor.model.ids("credentials")
    assert editor.credential_form["name"].text() == "Statistics Certificate (copy)"

    select(editor, "credentials", "intro-sql")
    form = editor.credential_form
    form["id"].setText("sql-101")
    form["id"].editingFinished.emit()
    assert editor.model.record("credentials", "analyst")["requires"]["any"][0] == "sql-101"
    assert editor.model.validate().catalog is not None

    select(editor, "credentials", "statistics")
    assert editor.delete_current(confirm=False)  # referenced: removed from the others too
    assert editor.undo_stack.undoText() == "Delete credential 'statistics' and 2 references"
    assert "statistics" not in editor.model.ids("credentials")
    assert editor.model.record("credentials", "analyst")["requires"]["any"] == [
        "sql-101",
        "python-basics",
    ]
    assert editor.model.validate().catalog is not None
    editor.undo_stack.undo()
    assert "statistics" in editor.model.ids("credentials")


def test_save_to_file_and_store(editor: CatalogEditor, tmp_path: Path) -> None:
    select(editor, "providers", "beta")
    editor.provider_form["name"].setText("Beta Academy Online")
    editor.provider_form["name"].editingFinished.emit()
    path = tmp_path / "edited.json"
    saved: list[Path] = []
    editor.saved.connect(saved.append)
    assert editor.save(path)
    assert saved == [path]
    assert load_catalog(path).catalog.providers_by_id["beta"].name == "Beta Academy Online"
    assert json.loads(path.read_text())["format"] == "pathplanner-catalog"
    assert editor.undo_stack.isClean()

    store = Store.open(database_url(str(tmp_path / "plans.db")), backup_dir=tmp_path)
    try:
        editor.store = store
        assert editor.save_to_store()
        versions = store.list_catalog_versions()
        assert len(versions) == 1
        assert "saved in the store" in editor.statusBar().currentMessage().lower()
    finally:
        store.close()


def test_window_opens_the_editor_and_keeps_a_what_if_in_it(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    editor = window.edit_catalog()
    assert editor.model.ids("credentials") == [c.id for c in window.catalog.credentials]
    panel = window.whatif_panel
    panel.goals.set_checked(["degree"])
    panel.transfer_source.setCurrentIndex(panel.transfer_source.findData("intro-sql"))
    panel.start()
    qtbot.waitUntil(lambda: not panel.running and panel.result is not None, timeout=30000)
    panel.apply_button.click()
    assert editor.undo_stack.undoText().startswith("What-if: add transfer intro-sql -> degree")
    assert "intro-sql" in editor.model.record("credentials", "degree")["transfer"]
    editor.undo_stack.undo()
    assert "intro-sql" not in editor.model.record("credentials", "degree")["transfer"]
    editor.undo_stack.redo()
    path = tmp_path / "kept.json"
    with qtbot.waitSignal(window.catalog_opened, timeout=20000):
        assert editor.save(path)  # the window opens what was saved
    assert "intro-sql" in window.catalog.credential("degree").transfer
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=20000)
    assert editor.undo_stack.isClean()
    editor.close()


def test_unsaved_edits_keep_the_window_open_until_discarded(
    qtbot: Any, window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415

    editor = window.edit_catalog()
    editor.tabs.setCurrentIndex(2)
    editor.add_new()
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    assert not window.close()
    assert window.isVisible()
    assert editor.isVisible()
    assert window.close()
    assert not editor.isVisible()
    assert answers == []
