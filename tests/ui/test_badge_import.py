"""Importing a learner's Open Badge: a certain match is added at once, an uncertain one is
confirmed in the dialog; the badge is kept as evidence in a real store; undo takes it back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QPushButton

from pathplanner.catalog import LoadedCatalog
from pathplanner.interop.openbadges import bake_png
from pathplanner.paths import database_url
from pathplanner.store import Store
from pathplanner.ui.learners import LearnerDialog
from pathplanner.ui.main_window import MainWindow
from tests.conftest import catalog_dict

pytestmark = pytest.mark.gui

LEARNER = "Ana Lima"


def badge(name: str, *, aligned_to: str | None = None, issued: str = "2025-03-14") -> str:
    """An Open Badges 3.0 credential; ``aligned_to`` a web page the catalogue knows."""
    alignments = [{"type": ["Alignment"], "targetUrl": aligned_to, "targetName": name}]
    return json.dumps(
        {
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
            "id": "urn:uuid:7",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": "https://example.org/issuer", "type": ["Profile"], "name": "Beta"},
            "validFrom": f"{issued}T09:00:00Z",
            "name": name,
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "achievement": {
                    "id": "https://example.org/achievements/7",
                    "type": ["Achievement"],
                    "name": name,
                    "alignment": alignments if aligned_to else [],
                },
            },
        }
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(database_url(str(tmp_path / "plans.db")), backup_dir=tmp_path)
    opened.add_learner(LEARNER)
    yield opened
    opened.close()


@pytest.fixture
def learner_window(
    qtbot: Any, loaded_small: LoadedCatalog, settings: QSettings, store: Store
) -> Iterator[MainWindow]:
    window = MainWindow(loaded_small, settings, store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=30000)
    window.planner.learner.setCurrentIndex(window.planner.learner.findData(LEARNER))
    yield window
    window.tasks.cancel_all()
    window.tasks.wait()


def import_badge(qtbot: Any, window: MainWindow, path: Path) -> None:
    importer = window.badge_importer
    window.badge_importer.start(path)
    qtbot.waitUntil(lambda: importer.task is None, timeout=30000)


def confirmation_for(qtbot: Any, window: MainWindow, path: Path) -> Any:
    """The confirmation dialog for a badge whose name only resembles a credential's."""
    path.write_text(badge("Statistics Cert"), encoding="utf-8")
    import_badge(qtbot, window, path)
    dialog = window.badge_importer.match_dialog
    assert dialog is not None
    return dialog


def held_records(store: Store) -> dict[str, Any]:
    return {h.credential_id: h for h in store.get_learner(LEARNER).held}


def test_a_certain_match_is_held_with_the_badge_as_evidence_and_undoable(
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    learner_window: MainWindow,
    store: Store,
) -> None:
    window = learner_window
    text = badge("SQL for Everyone", aligned_to="https://example.org/intro-sql")
    path = tmp_path / "sql.png"  # baked into an image, as a learner would have it
    path.write_bytes(bake_png(tiny_png(), text))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.planner.import_badge.click()  # the button beside the held list
    qtbot.waitUntil(lambda: window.badge_importer.task is None, timeout=30000)

    assert window.badge_importer.match_dialog is None  # certain: no question asked
    assert window.planner.held.checked() == frozenset({"intro-sql"})
    held = held_records(store)["intro-sql"]
    assert held.evidence == json.loads(text)
    assert held.earned_on == date(2025, 3, 14)
    message = window.badge_importer.message
    assert message is not None
    assert "Intro to SQL" in message.text()
    assert "kept with the learner as evidence" in message.text()
    message.close()

    window.undo_stack.undo()  # one step: the held credential and its evidence
    assert window.planner.held.checked() == frozenset()
    assert held_records(store) == {}
    window.undo_stack.redo()
    assert window.planner.held.checked() == frozenset({"intro-sql"})
    assert held_records(store)["intro-sql"].evidence == json.loads(text)


def test_an_uncertain_match_is_confirmed_in_the_dialog(
    qtbot: Any, tmp_path: Path, learner_window: MainWindow, store: Store
) -> None:
    window = learner_window
    dialog = confirmation_for(qtbot, window, tmp_path / "stats.json")
    rows = [dialog.candidates.item(r).text() for r in range(dialog.candidates.count())]
    assert rows[0].startswith("Statistics Certificate\n")
    assert "% sure: similar name" in rows[0]
    assert rows[-1].startswith("None of these")
    assert held_records(store) == {}  # nothing before the user answers

    dialog.select("statistics")
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    assert window.badge_importer.match_dialog is None
    assert window.planner.held.checked() == frozenset({"statistics"})
    assert held_records(store)["statistics"].evidence == json.loads(
        (tmp_path / "stats.json").read_text()
    )
    assert window.badge_importer.message is not None
    assert "as you confirmed" in window.badge_importer.message.text()
    window.badge_importer.message.close()


def test_none_of_these_adds_nothing(
    qtbot: Any, tmp_path: Path, learner_window: MainWindow, store: Store
) -> None:
    window = learner_window
    dialog = confirmation_for(qtbot, window, tmp_path / "stats.json")
    dialog.select(None)
    assert dialog.ok_button.text() == "&Do Not Add"
    dialog.ok_button.click()
    assert window.planner.held.checked() == frozenset()
    assert held_records(store) == {}
    assert "not added" in window.statusBar().currentMessage()


def test_evidence_for_a_credential_already_held_is_undone_to_what_was_there(
    qtbot: Any, tmp_path: Path, learner_window: MainWindow, store: Store
) -> None:
    window = learner_window
    window.planner.held.set_checked(frozenset({"intro-sql"}))
    path = tmp_path / "sql.json"
    path.write_text(badge("SQL", aligned_to="https://example.org/intro-sql"), encoding="utf-8")
    import_badge(qtbot, window, path)
    assert held_records(store)["intro-sql"].evidence is not None
    window.badge_importer.message.close()
    window.undo_stack.undo()
    assert window.planner.held.checked() == frozenset({"intro-sql"})
    assert held_records(store)["intro-sql"].evidence is None


def test_without_a_store_the_badge_is_held_for_the_session_and_it_says_why(
    qtbot: Any, tmp_path: Path, window: MainWindow
) -> None:
    path = tmp_path / "sql.json"
    path.write_text(badge("SQL", aligned_to="https://example.org/intro-sql"), encoding="utf-8")
    import_badge(qtbot, window, path)
    assert window.planner.held.checked() == frozenset({"intro-sql"})
    message = window.badge_importer.message
    assert message is not None
    assert "No plan store is open, so the badge document cannot be kept" in message.text()
    assert message.findChild(QPushButton, "KeepForNewLearner") is None
    message.close()


def test_a_guest_badge_can_be_kept_for_a_new_learner(
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    learner_window: MainWindow,
    store: Store,
) -> None:
    window = learner_window
    window.planner.learner.setCurrentIndex(0)  # the guest
    path = tmp_path / "sql.json"
    path.write_text(badge("SQL", aligned_to="https://example.org/intro-sql"), encoding="utf-8")
    import_badge(qtbot, window, path)
    message = window.badge_importer.message
    assert message is not None
    assert "The guest learner is not saved" in message.text()
    assert window.planner.held.checked() == frozenset({"intro-sql"})

    def fill(dialog: LearnerDialog) -> bool:
        dialog.name.setText("Bo Chen")
        return True

    monkeypatch.setattr(LearnerDialog, "exec", fill)
    message.findChild(QPushButton, "KeepForNewLearner").click()
    assert window.planner.learner_name() == "Bo Chen"
    assert window.planner.held.checked() == frozenset({"intro-sql"})
    held = store.get_learner("Bo Chen").held
    assert [h.credential_id for h in held] == ["intro-sql"]
    assert held[0].evidence == json.loads(path.read_text())
    window.badge_importer.message.close()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"type": ["VerifiableCredential"]}', ""),
        (b"\x89PNG\r\n\x1a\n", ""),
    ],
)
def test_an_unreadable_badge_is_explained(
    qtbot: Any, tmp_path: Path, window: MainWindow, content: bytes, reason: str
) -> None:
    path = tmp_path / "odd.json"
    path.write_bytes(content)
    import_badge(qtbot, window, path)
    message = window.badge_importer.message
    assert message is not None
    assert message.windowTitle() == "Badge not read"
    assert "odd.json could not be read as an Open Badge" in message.text()
    assert reason in message.text()
    assert "Traceback" not in message.text()
    assert window.planner.held.checked() == frozenset()
    message.close()


def test_real_badges_match_by_alignment_or_say_there_is_no_match(
    qtbot: Any, learner_window: MainWindow, store: Store, shared_data: Path, write_catalog: Any
) -> None:
    window = learner_window
    badges = shared_data / "openbadges"
    import_badge(qtbot, window, badges / "basicOpenBadgeCredential.json")
    message = window.badge_importer.message
    assert message is not None
    assert message.windowTitle() == "No matching credential"
    assert "Teamwork" in message.text()
    message.close()

    ctid = "ce-cf4dee18-7cea-443a-b920-158a0762c6bf"  # the badge's alignment targetCode
    aligned = catalog_dict([{"id": ctid, "name": "Requirements Analysis", "kind": "certificate"}])
    with qtbot.waitSignal(window.catalog_opened, timeout=30000) as opened:
        window.open_catalog(write_catalog(aligned, "aligned.json"))
    assert opened.args == [True]
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=30000)
    assert window.planner.learner_name() == LEARNER
    import_badge(qtbot, window, badges / "achievementAlignmentCe.json")
    assert window.badge_importer.match_dialog is None
    held = held_records(store)[ctid]
    assert held.evidence is not None
    assert held.evidence["name"] == "Example University Degree"
    assert held.earned_on == date(2010, 1, 1)
    window.badge_importer.message.close()


def tiny_png() -> bytes:
    """A valid 1x1 PNG to bake a badge into."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice  # noqa: PLC0415
    from PySide6.QtGui import QImage  # noqa: PLC0415

    image = QImage(1, 1, QImage.Format.Format_RGB32)
    image.fill(0)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())
