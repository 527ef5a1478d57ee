"""Import a learner's Open Badge: match it to the catalogue, confirm uncertain matches, mark the
credential held and keep the badge document as evidence in the store.

Reading and matching run in the background (``openbadges.read_badge`` / ``match_badge``). A
certain match (alignment, CTID, web page) is added at once; a match by name goes through
:class:`BadgeMatchDialog`, where the user picks a candidate or none. Adding is one undo step:
the held-credential change (the window's own undo command) and the evidence written with it.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QPalette, QUndoCommand
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from pathplanner.interop.openbadges import Badge, BadgeMatch, match_badge, read_badge
from pathplanner.interop.safe_json import InputError
from pathplanner.model import Catalog
from pathplanner.ui.file_dialogs import choose_open_paths
from pathplanner.ui.tasks import Task

if TYPE_CHECKING:
    from pathplanner.store import HeldCredentialRecord
    from pathplanner.ui.main_window import MainWindow

BADGE_FILES = "Open Badges 3.0 (*.json *.jwt *.png *.svg);;All files (*)"
NONE_OF_THESE = ""  # the data of the "none of these" row


@dataclass(frozen=True)
class BadgeReading:
    path: Path
    badge: Badge
    matches: list[BadgeMatch]


def read_and_match(path: Path, catalog: Catalog) -> BadgeReading:
    """Runs in a worker thread: no Qt."""
    badge = read_badge(path)
    return BadgeReading(path, badge, match_badge(badge, catalog))


def earned_on(badge: Badge) -> date | None:
    """The date the badge was issued (``validFrom`` / ``issuanceDate``), if it gives one."""
    try:
        return date.fromisoformat(badge.issued[:10]) if badge.issued else None
    except ValueError:
        return None


def badge_summary(badge: Badge) -> str:
    """Badge name, issuer and date as rich text (for dialogs)."""
    parts = [f"<b>{html.escape(badge.name or '(no name)')}</b>"]
    if badge.issuer:
        parts.append(f"issued by {html.escape(badge.issuer)}")
    issued = earned_on(badge)
    if issued is not None:
        parts.append(f"on {issued.isoformat()}")
    return " ".join(parts)


def _percent(match: BadgeMatch) -> str:
    return f"{round(match.confidence * 100)} %"


class BadgeMatchDialog(QDialog):
    """Which catalogue credential is this badge? The candidates with their confidence, and
    "none of these"; :meth:`chosen` is the credential id picked, or None."""

    def __init__(
        self, badge: Badge, matches: list[BadgeMatch], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("BadgeMatch")
        self.setWindowTitle("Which credential is this badge?")
        intro = QLabel(
            f"The badge {badge_summary(badge)} does not say for certain which credential of this "
            "catalogue it is: pathplanner only found credentials with a similar name. Pick the "
            "credential the badge certifies, or <i>None of these</i>."
        )
        intro.setWordWrap(True)
        self.candidates = QListWidget()
        self.candidates.setAccessibleName("Candidate credentials")
        self.candidates.setWordWrap(True)
        self.candidates.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.candidates.setAlternatingRowColors(True)
        for match in matches:
            item = QListWidgetItem(
                f"{match.credential_name}\n    {_percent(match)} sure: {match.method}"
            )
            item.setData(Qt.ItemDataRole.UserRole, match.credential_id)
            item.setToolTip(f"{match.credential_id}: {match.detail}")
            self.candidates.addItem(item)
        none = QListWidgetItem("None of these\n    do not add the badge")
        none.setData(Qt.ItemDataRole.UserRole, NONE_OF_THESE)
        self.candidates.addItem(none)
        signed = (
            "The badge carries a signature, which pathplanner does not verify."
            if badge.signed
            else "The badge carries no signature."
        )
        footnote = QLabel(
            f"{signed} Once added, the badge document is kept with the learner as evidence."
        )
        footnote.setWordWrap(True)
        footnote.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # follows the palette
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Use This Credential")
        self.ok_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.candidates.currentItemChanged.connect(self._selected)
        self.candidates.itemDoubleClicked.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.candidates, 1)
        layout.addWidget(footnote)
        layout.addWidget(self.buttons)
        self.resize(600, 380)

    def select(self, credential_id: str | None) -> None:
        """Pick a candidate (None: "none of these")."""
        wanted = credential_id or NONE_OF_THESE
        for row in range(self.candidates.count()):
            if self.candidates.item(row).data(Qt.ItemDataRole.UserRole) == wanted:
                self.candidates.setCurrentRow(row)
                return
        raise KeyError(credential_id)

    def _selected(self, item: QListWidgetItem | None) -> None:
        self.ok_button.setEnabled(item is not None)
        if item is not None:
            none = item.data(Qt.ItemDataRole.UserRole) == NONE_OF_THESE
            self.ok_button.setText("&Do Not Add" if none else "&Use This Credential")

    def chosen(self) -> str | None:
        item = self.candidates.currentItem()
        if item is None:
            return None
        value = item.data(Qt.ItemDataRole.UserRole)
        return value or None


class KeepEvidence(QUndoCommand):
    """The badge document written as evidence of a held credential; undo puts back what the
    store had before (the held-credential change next to it in the same macro removes a
    credential that was not held)."""

    def __init__(
        self,
        window: MainWindow,
        learner: str,
        credential_id: str,
        badge: Badge,
        previous: HeldCredentialRecord | None,
    ) -> None:
        super().__init__(f"Keep badge {badge.name}")
        self.window, self.learner, self.credential_id = window, learner, credential_id
        self.evidence: dict[str, Any] = json.loads(badge.text)
        self.earned_on = earned_on(badge)
        self.previous = previous

    def _write(self, earned: date | None, evidence: dict[str, Any] | None) -> None:
        store = self.window.store
        if store is None:
            return
        self.window._store_call(
            lambda: store.set_held_credential(
                self.learner, self.credential_id, earned_on=earned, evidence=evidence
            )
        )

    def redo(self) -> None:
        self._write(self.earned_on, self.evidence)

    def undo(self) -> None:
        if self.previous is not None:
            self._write(self.previous.earned_on, self.previous.evidence)


class BadgeImporter(QObject):
    """Plan ▸ Import Learner's Badge… and the planner panel's button."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.task: Task | None = None
        self.match_dialog: BadgeMatchDialog | None = None
        self.message: QMessageBox | None = None  # the last result message (non-blocking)

    def choose(self) -> None:
        paths = choose_open_paths(
            self.window,
            self.window.preferences,
            "Import a learner's Open Badge (JSON, JWT, or a badge image)",
            BADGE_FILES,
            many=False,
        )
        if paths:
            self.start(paths[0])

    def start(self, path: Path) -> Task | None:
        if self.task is not None:
            return None
        catalog = self.window.catalog
        self.window.statusBar().showMessage(f"Reading {path.name}…")
        self.task = self.window.tasks.start(
            "import badge",
            lambda _p, _c: read_and_match(path, catalog),
            on_success=lambda reading: self._read(reading, catalog),
            on_failure=lambda exc: self._failed(path, exc),
        )
        self.task.finished.connect(self._finished)
        return self.task

    def _finished(self) -> None:
        self.task = None

    def _failed(self, path: Path, exc: BaseException) -> None:
        self.window.statusBar().clearMessage()
        if isinstance(exc, InputError | OSError):
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self._tell(
                QMessageBox.Icon.Warning,
                "Badge not read",
                f"{path.name} could not be read as an Open Badge: {reason}",
            )
            return
        self._tell(QMessageBox.Icon.Critical, "Badge not read", f"{path.name}: {exc}.")

    def _read(self, reading: BadgeReading, catalog: Catalog) -> None:
        self.window.statusBar().clearMessage()
        if catalog is not self.window.catalog:
            return  # another catalogue was opened meanwhile
        badge, matches = reading.badge, reading.matches
        if not matches:
            self._tell(
                QMessageBox.Icon.Information,
                "No matching credential",
                f"The badge {badge_summary(badge)} matches no credential in “"
                f"{html.escape(catalog.name)}”, so nothing was added. Open the catalogue that "
                "lists it, or tick the credential by hand in <i>Credentials already held</i>.",
            )
            return
        best = matches[0]
        if not best.needs_confirmation:
            self.add(badge, best.credential_id, best)
            return
        dialog = BadgeMatchDialog(badge, matches, self.window)
        dialog.finished.connect(lambda result: self._confirmed(dialog, badge, result))
        self.match_dialog = dialog
        dialog.open()

    def _confirmed(self, dialog: BadgeMatchDialog, badge: Badge, result: int) -> None:
        chosen = dialog.chosen() if result == QDialog.DialogCode.Accepted else None
        dialog.deleteLater()
        self.match_dialog = None
        if chosen is None:
            self.window.statusBar().showMessage(f"Badge {badge.name} not added.", 5000)
            return
        self.add(badge, chosen, None)

    def add(self, badge: Badge, credential_id: str, match: BadgeMatch | None) -> None:
        """Mark ``credential_id`` held and keep the badge as its evidence (one undo step);
        ``match`` is None when the user picked the credential."""
        window = self.window
        name = window.catalog.credential(credential_id).name
        how = (
            f" (matched by {match.method}: {html.escape(match.detail)})"
            if match
            else " (as you confirmed)"
        )
        learner = window.planner.learner_name()
        store = window.store
        if learner is None or store is None:
            window.planner.held.set_checked(window.held | {credential_id})
            why = (
                "No plan store is open, so the badge document cannot be kept."
                if store is None
                else "The guest learner is not saved, so the badge document is not kept. "
                "Choose <i>Keep for a New Learner…</i> to create a learner who holds it, with "
                "the badge kept as evidence."
            )
            box = self._tell(
                QMessageBox.Icon.Information,
                "Badge added for this session",
                f"The badge {badge_summary(badge)} is <b>{html.escape(name)}</b>{how}: it is "
                f"ticked in <i>Credentials already held</i>.<br><br>{why}",
            )
            if store is not None:
                keep = box.addButton("&Keep for a New Learner…", QMessageBox.ButtonRole.ActionRole)
                keep.setObjectName("KeepForNewLearner")
                keep.clicked.connect(
                    lambda: self._keep_for_new_learner(badge, credential_id, match)
                )
            return
        record = window._store_call(lambda: store.get_learner(learner))
        if record is None:
            return
        previous = next((h for h in record.held if h.credential_id == credential_id), None)
        window.undo_stack.beginMacro(f"Import Badge {badge.name}")
        window.planner.held.set_checked(window.held | {credential_id})
        window.undo_stack.push(KeepEvidence(window, learner, credential_id, badge, previous))
        window.undo_stack.endMacro()
        already = " (already held: the badge is now its evidence)" if previous else ""
        self._tell(
            QMessageBox.Icon.Information,
            "Badge imported",
            f"The badge {badge_summary(badge)} is <b>{html.escape(name)}</b>{how}.<br><br>"
            f"{html.escape(learner)} now holds it{already}; the badge document is kept with "
            "the learner as evidence. Edit ▸ Undo takes it back.",
        )

    def _keep_for_new_learner(
        self, badge: Badge, credential_id: str, match: BadgeMatch | None
    ) -> None:
        """Create a learner (the learner dialog) and add the badge for them, with evidence."""
        self.window.new_learner()
        if self.window.planner.learner_name() is not None:
            self.add(badge, credential_id, match)

    def _tell(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("BadgeResult")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(lambda _o=None: self._forget(box))
        self.message = box
        box.open()
        return box

    def _forget(self, box: QMessageBox) -> None:
        if self.message is box:
            self.message = None
