"""The plans kept in a session: a plain-Python book with change listeners, the Qt model over
it, undoable edits (keep, rename, duplicate, delete, approve, notes) and the Plans dock with
the side-by-side comparison.

Undo commands change only the book; the list view follows the book's notifications.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pathplanner.model import Catalog
from pathplanner.ui.plan_summary import credential_name, goal_text, money, objective_text, totals

if TYPE_CHECKING:  # the planner (SciPy) loads in the background after start-up
    from pathplanner.graph.planner import Plan

AnyIndex = QModelIndex | QPersistentModelIndex
_keys = itertools.count(1)


@dataclass(frozen=True)
class PlanEntry:
    key: int
    name: str
    plans: tuple[Plan, ...]  # one plan, or a trade-off set
    selected: int = 0
    learner: str | None = None
    notes: str = ""
    approved: bool = False
    stale: bool = False
    saved_id: int | None = None  # its row in the store, when saved there
    version: int | None = None  # the store's version counter, for conflict detection

    @property
    def plan(self) -> Plan:
        return self.plans[self.selected]


class PlanRepository(Protocol):
    """Where the book keeps its entries beyond the session (the store)."""

    def add(self, entry: PlanEntry) -> PlanEntry: ...
    def update(self, current: PlanEntry, new: PlanEntry) -> PlanEntry: ...
    def remove(self, entry: PlanEntry) -> None: ...


class PlanBook:
    """Ordered plan entries; listeners are called with no arguments after every change.

    With a ``repository`` every change is written through to it first (a failure leaves the
    book unchanged); the book keeps each entry's store id and version."""

    def __init__(self) -> None:
        self.entries: list[PlanEntry] = []
        self._listeners: list[Callable[[], None]] = []
        self.repository: PlanRepository | None = None
        # Called with the store's error when a write-through fails (the book is unchanged).
        self.on_error: Callable[[Exception], None] | None = None

    def _write(self, action: Callable[[], Any]) -> tuple[bool, Any]:
        if self.repository is None:
            return True, None
        try:
            return True, action()
        except Exception as exc:
            if self.on_error is None or not is_store_error(exc):
                raise
            self.on_error(exc)
            return False, None

    def load(self, entries: list[PlanEntry]) -> None:
        """Replace the entries with ones read from the repository (nothing written)."""
        self.entries = list(entries)
        self._changed()

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in self._listeners:
            listener()

    def index_of(self, key: int) -> int:
        return next(i for i, e in enumerate(self.entries) if e.key == key)

    def get(self, key: int) -> PlanEntry:
        return self.entries[self.index_of(key)]

    def insert(self, entry: PlanEntry, position: int | None = None) -> bool:
        entry = replace(entry, saved_id=None, version=None)
        repository = self.repository
        ok, saved = self._write(lambda: repository.add(entry) if repository else None)
        if not ok:
            return False
        self.entries.insert(len(self.entries) if position is None else position, saved or entry)
        self._changed()
        return True

    def remove(self, key: int) -> tuple[int, PlanEntry] | None:
        position = self.index_of(key)
        repository, entry = self.repository, self.entries[position]
        ok, _ = self._write(lambda: repository.remove(entry) if repository else None)
        if not ok:
            return None
        self.entries.pop(position)
        self._changed()
        return position, entry

    def replace(self, entry: PlanEntry) -> bool:
        position = self.index_of(entry.key)
        old = self.entries[position]
        entry = replace(entry, saved_id=old.saved_id, version=old.version)
        repository = self.repository
        ok, saved = self._write(lambda: repository.update(old, entry) if repository else None)
        if not ok:
            return False
        self.entries[position] = saved or entry
        self._changed()
        return True

    def clear(self) -> None:
        self.entries.clear()
        self._changed()

    def unique_name(self, base: str) -> str:
        names = {e.name for e in self.entries}
        if base not in names:
            return base
        return next(f"{base} ({n})" for n in itertools.count(2) if f"{base} ({n})" not in names)

    def entry_for(self, plan: Plan) -> PlanEntry | None:
        return next((e for e in self.entries if any(p is plan for p in e.plans)), None)


def is_store_error(exc: BaseException) -> bool:
    """A store error (checked lazily: the store, and SQLAlchemy, load after start-up)."""
    from pathplanner.store import StoreError  # noqa: PLC0415

    return isinstance(exc, StoreError)


def new_entry(name: str, plans: list[Plan], selected: int, learner: str | None) -> PlanEntry:
    return PlanEntry(next(_keys), name, tuple(plans), selected, learner)


class AddEntry(QUndoCommand):
    def __init__(self, book: PlanBook, entry: PlanEntry, text: str = "Keep Plan") -> None:
        super().__init__(f"{text} “{entry.name}”")
        self.book, self.entry = book, entry

    def redo(self) -> None:
        self.setObsolete(not self.book.insert(self.entry))

    def undo(self) -> None:
        self.setObsolete(self.book.remove(self.entry.key) is None)


class DeleteEntry(QUndoCommand):
    def __init__(self, book: PlanBook, key: int) -> None:
        super().__init__(f"Delete Plan “{book.get(key).name}”")
        self.book, self.key = book, key
        self.position, self.entry = 0, book.get(key)

    def redo(self) -> None:
        removed = self.book.remove(self.key)
        if removed is None:
            self.setObsolete(True)
        else:
            self.position, self.entry = removed

    def undo(self) -> None:
        self.setObsolete(not self.book.insert(self.entry, self.position))


class EditEntry(QUndoCommand):
    """Any change of an entry's fields (rename, approve, notes)."""

    def __init__(self, book: PlanBook, new: PlanEntry, text: str) -> None:
        super().__init__(text)
        self.book, self.new, self.old = book, new, book.get(new.key)

    def redo(self) -> None:
        self.setObsolete(not self.book.replace(self.new))

    def undo(self) -> None:
        self.setObsolete(not self.book.replace(self.old))

    def id(self) -> int:
        return 1 if self.text().startswith("Edit Notes") else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802
        # Typing notes is one undo step per plan, not one per keystroke.
        if isinstance(other, EditEntry) and other.new.key == self.new.key:
            self.new = other.new
            return True
        return False


PLAN_COLUMNS = ["Name", "Learner", "Goal", "Objective", "Cost", "Finish", "Status"]


class PlanBookModel(QAbstractTableModel):
    KeyRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, book: PlanBook, parent: Any = None) -> None:
        super().__init__(parent)
        self.book = book
        self.catalog: Catalog | None = None
        book.subscribe(self._reset)

    def _reset(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.book.entries)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(PLAN_COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return PLAN_COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.book.entries):
            return None
        entry = self.book.entries[index.row()]
        if role == self.KeyRole:
            return entry.key
        if role == Qt.ItemDataRole.DisplayRole:
            plan = entry.plan
            catalog = self.catalog
            status = "approved" if entry.approved else "draft"
            if entry.stale:
                status += " · stale"
            values = [
                entry.name,
                entry.learner or "Guest",
                goal_text(plan, catalog) if catalog else str(plan.request.goal),
                objective_text(plan)
                + (f" ({len(entry.plans)} options)" if len(entry.plans) > 1 else ""),
                money(plan.total_cost, catalog.currency if catalog else "")
                if plan.status != "infeasible"
                else "—",
                plan.finish_date.isoformat() if plan.status != "infeasible" else "—",
                status,
            ]
            return values[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 6 and entry.stale:
            return QBrush(QColor("#b45309"))
        if role == Qt.ItemDataRole.ToolTipRole and entry.stale:
            return (
                "Stale: the catalogue changed since this plan was made; plan again to refresh it."
            )
        return None


class PlansPanel(QWidget):
    """List of kept plans with rename, duplicate, delete, approve, notes and compare."""

    open_requested = Signal(object, int)  # plans, selected index
    current_plan_getter: Callable[[], tuple[list[Plan], int, str | None] | None] | None = None

    def __init__(
        self, book: PlanBook, undo_stack: QUndoStack, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.undo_stack = undo_stack
        self.catalog: Catalog | None = None
        self.model = PlanBookModel(book, self)
        self.table = QTableView()
        self.table.setAccessibleName("Kept plans")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows choose a row
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        self.empty = QLabel("No plans kept yet. Plan a route, then use Plan ▸ Keep Plan (Ctrl+S).")
        self.empty.setWordWrap(True)
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Plan notes")
        self.notes.setPlaceholderText("Advisor notes for the selected plan…")
        self.notes.textChanged.connect(self._notes_typed)
        # Notes are saved when typing pauses (one store write, one undo step), or on leaving.
        self._notes_timer = QTimer(self)
        self._notes_timer.setSingleShot(True)
        self._notes_timer.setInterval(700)
        self._notes_timer.timeout.connect(self._notes_edited)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, text, slot in (
            ("open", "&Show", self.open_selected),
            ("rename", "Re&name…", self.rename_selected),
            ("duplicate", "D&uplicate", self.duplicate_selected),
            ("delete", "&Delete", self.delete_selected),
            ("approve", "&Approve", self.toggle_approved),
            ("compare", "Co&mpare", self.compare_selected),
        ):
            button = QPushButton(text)
            button.setAccessibleName(text.replace("&", "").rstrip("…"))
            button.clicked.connect(slot)
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.empty)
        column.addWidget(self.table, 1)
        column.addLayout(row)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.notes)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self._loading_notes = False
        self.saving_to: str | None = None
        self._remembered: list[int] = []
        self._notes_key: list[int] = []  # the plan whose notes are being typed
        self._restoring = False
        book.subscribe(self._book_changed)
        self._book_changed()

    def set_catalog(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.model.catalog = catalog
        self.model._reset()

    def set_saving_to(self, learner: str | None) -> None:
        """Say where kept plans go: the learner's saved plans, or this session only."""
        self.saving_to = learner
        self.empty.setText(
            f"No saved plans for {learner} yet. Plan a route, then use Plan ▸ Keep Plan (Ctrl+S)."
            if learner
            else "Plans kept for a guest last for this session only: choose or add a learner "
            "in the Planner panel to save them. Plan a route, then use Plan ▸ Keep Plan (Ctrl+S)."
        )

    def selected_keys(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.book.entries[r].key for r in rows if r < len(self.book.entries)]

    def select_keys(self, keys: list[int]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for key in keys:
            selection.select(self.model.index(self.book.index_of(key), 0), flags)

    def _book_changed(self) -> None:
        self.table.resizeColumnsToContents()  # a learner's plans: a short list
        # The model was reset: select again what was selected, where it still exists.
        present = {e.key for e in self.book.entries}
        self._restoring = True
        self.select_keys([k for k in self._remembered if k in present])
        self._restoring = False
        self.empty.setVisible(not self.book.entries)
        self._selection_changed()

    def _selection_changed(self) -> None:
        if self._restoring:
            return
        self.flush_notes()
        keys = self.selected_keys()
        self._remembered = keys
        one = len(keys) == 1
        for name in ("open", "rename", "duplicate", "delete", "approve"):
            self.buttons[name].setEnabled(one)
        self.buttons["compare"].setEnabled(2 <= len(keys) <= 3)
        self.notes.setEnabled(one)
        self._loading_notes = True
        self.notes.setPlainText(self.book.get(keys[0]).notes if one else "")
        self._loading_notes = False
        if one:
            self.buttons["approve"].setText(
                "Un&approve" if self.book.get(keys[0]).approved else "&Approve"
            )

    # -- actions ------------------------------------------------------------------------------

    def keep(self, plans: list[Plan], selected: int, learner: str | None, name: str) -> PlanEntry:
        entry = new_entry(self.book.unique_name(name), plans, selected, learner)
        self.undo_stack.push(AddEntry(self.book, entry))
        self.select_keys([entry.key])
        return entry

    def keep_current(self) -> None:
        if self.current_plan_getter is None:
            return
        current = self.current_plan_getter()
        if current is None:
            return
        plans, selected, learner = current
        default = self.book.unique_name(self._default_name(plans[selected]))
        name, ok = QInputDialog.getText(self, "Keep plan", "Name for this plan:", text=default)
        if ok and name.strip():
            self.keep(plans, selected, learner, name.strip())

    def _default_name(self, plan: Plan) -> str:
        goal = goal_text(plan, self.catalog) if self.catalog else "plan"
        return f"{goal} — {objective_text(plan)}"

    def open_selected(self) -> None:
        keys = self.selected_keys()
        if len(keys) == 1:
            entry = self.book.get(keys[0])
            self.open_requested.emit(list(entry.plans), entry.selected)

    def rename_selected(self, name: str | None = None) -> None:
        keys = self.selected_keys()
        if len(keys) != 1:
            return
        entry = self.book.get(keys[0])
        if name is None:
            name, ok = QInputDialog.getText(self, "Rename plan", "New name:", text=entry.name)
            if not ok:
                return
        name = name.strip()
        if name and name != entry.name:
            self.undo_stack.push(
                EditEntry(
                    self.book,
                    replace(entry, name=self.book.unique_name(name)),
                    f"Rename Plan “{entry.name}”",
                )
            )

    def duplicate_selected(self) -> None:
        keys = self.selected_keys()
        if len(keys) == 1:
            entry = self.book.get(keys[0])
            copy = replace(
                entry,
                key=next(_keys),
                name=self.book.unique_name(f"{entry.name} copy"),
                approved=False,
            )
            self.undo_stack.push(AddEntry(self.book, copy, "Duplicate Plan"))
            self.select_keys([copy.key])

    def delete_selected(self) -> None:
        for key in self.selected_keys():
            self.undo_stack.push(DeleteEntry(self.book, key))

    def toggle_approved(self) -> None:
        keys = self.selected_keys()
        if len(keys) == 1:
            entry = self.book.get(keys[0])
            verb = "Unapprove" if entry.approved else "Approve"
            self.undo_stack.push(
                EditEntry(
                    self.book,
                    replace(entry, approved=not entry.approved),
                    f"{verb} Plan “{entry.name}”",
                )
            )
            self.select_keys(keys)

    def _notes_typed(self) -> None:
        if not self._loading_notes:
            self._notes_key = self.selected_keys()
            self._notes_timer.start()

    def flush_notes(self) -> None:
        if self._notes_timer.isActive():
            self._notes_timer.stop()
            self._notes_edited()

    def _notes_edited(self) -> None:
        keys = self._notes_key
        if (
            self._loading_notes
            or len(keys) != 1
            or keys[0] not in {e.key for e in self.book.entries}
        ):
            return
        entry = self.book.get(keys[0])
        text = self.notes.toPlainText()
        if text != entry.notes:
            self._loading_notes = True
            self.undo_stack.push(
                EditEntry(self.book, replace(entry, notes=text), f"Edit Notes of “{entry.name}”")
            )
            self.select_keys(keys)
            self._loading_notes = False

    def mark_stale(self, stale_keys: set[int]) -> None:
        """Flag entries (not an edit: nothing is written, nothing to undo)."""
        self.book.load([replace(e, stale=e.key in stale_keys) for e in self.book.entries])

    def compare_selected(self) -> CompareDialog | None:
        keys = self.selected_keys()
        if not 2 <= len(keys) <= 3 or self.catalog is None:
            return None
        dialog = CompareDialog([self.book.get(k) for k in keys], self.catalog, self)
        dialog.open()
        return dialog


class CompareDialog(QDialog):
    """Two or three plans side by side: totals, then every credential with where it differs."""

    def __init__(
        self, entries: list[PlanEntry], catalog: Catalog, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare plans")
        self.resize(960, 600)
        rows = compare_rows(entries, catalog)
        self.table = QTableWidget(len(rows), len(entries) + 1)
        self.table.setAccessibleName("Plan comparison")
        self.table.setHorizontalHeaderLabels(["", *[e.name for e in entries]])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        highlight = QBrush(QColor("#fef3c7"))
        for r, (label, values, differs) in enumerate(rows):
            head = QTableWidgetItem(label)
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            self.table.setItem(r, 0, head)
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if differs:
                    item.setBackground(highlight)
                    item.setForeground(QBrush(QColor("#111827")))
                self.table.setItem(r, c + 1, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(0, 300)
        self.table.setWordWrap(False)
        self.table.resizeRowsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Rows that differ are highlighted."))
        layout.addWidget(self.table)
        layout.addWidget(buttons)


def compare_rows(entries: list[PlanEntry], catalog: Catalog) -> list[tuple[str, list[str], bool]]:
    """(label, one value per plan, whether the values differ) for the comparison table."""
    plans = [e.plan for e in entries]
    sums = [totals(p, catalog) for p in plans]
    rows: list[tuple[str, list[str]]] = [
        ("Learner", [e.learner or "Guest" for e in entries]),
        ("Goal", [goal_text(p, catalog) for p in plans]),
        ("Objective", [objective_text(p) for p in plans]),
        ("Cost", [money(t.cost, catalog.currency) for t in sums]),
        ("Finish", [f"{t.finish.isoformat()} ({t.weeks} wk)" for t in sums]),
        ("Steps", [str(t.steps) for t in sums]),
        ("Study hours", [f"{t.hours:,.0f}" for t in sums]),
    ]
    ids = list(dict.fromkeys(s.id for p in plans for s in p.steps))
    for credential_id in ids:
        values = []
        for plan in plans:
            step = next((s for s in plan.steps if s.id == credential_id), None)
            values.append(f"✓ weeks {step.start_week}-{step.finish_week}" if step else "—")
        rows.append((credential_name(catalog, credential_id), values))
    result = []
    for label, values in rows:
        marks = [v.split(" ")[0] for v in values] if label not in dict(rows[:7]) else values
        result.append((label, values, len(set(marks)) > 1))
    return result
