"""The catalogue editor: credentials, providers and skills in lists, a form for the selected
record, the validator's problems live, undo/redo, save to the file or the store.

Model first, view follows (the Orange canvas pattern): every user edit becomes an
:class:`~pathplanner.catalog_editing.Edit` pushed on the editor's QUndoStack; the command only
applies or reverts it on the :class:`~pathplanner.catalog_editing.EditableCatalog`, whose
listener refreshes the lists, the form and the problems.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pathplanner.catalog import CatalogError, Severity, save_catalog
from pathplanner.catalog_editing import (
    COLLECTIONS,
    RECORD_NOUN,
    Collection,
    Edit,
    EditableCatalog,
    EditError,
    Record,
    ReferencedError,
)
from pathplanner.model import Delivery, Kind, Recognition
from pathplanner.ui.requirement_editor import RequirementEditor, TransferEditor

if TYPE_CHECKING:
    from pathplanner.store import Store

IdRole = Qt.ItemDataRole.UserRole
CREDIT_BLOCK_FIELDS = ("credits_required", "per_credit", "transfer", "transfer_max")


def add_undo_actions(menu: QMenu, stack: QUndoStack, parent: QObject) -> tuple[QAction, QAction]:
    """Undo and Redo actions (named after the command) with the standard keys, in ``menu``."""
    undo = stack.createUndoAction(parent, "&Undo")
    undo.setShortcuts(QKeySequence.StandardKey.Undo)
    redo = stack.createRedoAction(parent, "&Redo")
    redo.setShortcuts(QKeySequence.StandardKey.Redo)
    menu.addAction(undo)
    menu.addAction(redo)
    return undo, redo


class EditCommand(QUndoCommand):
    """Applies or reverts one edit on the model; the views follow from its listeners."""

    def __init__(self, model: EditableCatalog, edit: Edit) -> None:
        super().__init__(edit.text)
        self.model, self.edit = model, edit

    def redo(self) -> None:
        self.model.apply(self.edit)

    def undo(self) -> None:
        self.model.revert(self.edit)


def _set_or_drop(record: Record, key: str, value: Any) -> None:
    if value in (None, "", []):
        record.pop(key, None)
    else:
        record[key] = value


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


class CatalogEditor(QMainWindow):
    saved = Signal(object)  # the Path written (the window reopens it)

    def __init__(
        self,
        model: EditableCatalog,
        path: Path | None = None,
        store: Store | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("CatalogEditor")
        self.model = model
        self.path = path
        self.store = store
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._update_title)
        self._loading = False
        self._current: tuple[Collection, str] | None = None
        model.listeners.append(self._model_changed)

        self.tabs = QTabWidget()
        self.lists: dict[Collection, QListWidget] = {}
        for collection in COLLECTIONS:
            title = collection.capitalize()
            records = QListWidget()
            records.setAccessibleName(title)
            records.currentItemChanged.connect(lambda *_a, c=collection: self._selected(c))
            self.lists[collection] = records
            self.tabs.addTab(records, title)
        self.tabs.currentChanged.connect(lambda _i: self._selected(self.collection))
        self.search = QLineEdit(placeholderText="Filter by name or id…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._filter())
        self.add_button = QPushButton("&Add")
        self.add_button.clicked.connect(lambda _c: self.add_new())
        self.duplicate_button = QPushButton("D&uplicate")
        self.duplicate_button.clicked.connect(lambda _c: self.duplicate_current())
        self.delete_button = QPushButton("&Delete")
        self.delete_button.clicked.connect(lambda _c: self.delete_current())

        self.forms = QStackedWidget()
        self.forms.addWidget(self._empty_form())
        self.credential_form = self._credential_form()
        self.provider_form = self._provider_form()
        self.skill_form = self._skill_form()
        self.record_problems = QLabel()
        self.record_problems.setWordWrap(True)
        self.record_problems.setTextFormat(Qt.TextFormat.RichText)
        self.problems = QListWidget()
        self.problems.setAccessibleName("Problems")
        self.problems.itemActivated.connect(self._problem_activated)
        self.problems.itemClicked.connect(self._problem_activated)
        self.summary = QLabel()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.tabs, 1)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.duplicate_button, self.delete_button):
            buttons.addWidget(button)
        left_layout.addLayout(buttons)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.forms, 1)
        right_layout.addWidget(self.record_problems)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([320, 680])
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(6, 0, 6, 6)
        bottom_layout.addWidget(self.summary)
        bottom_layout.addWidget(self.problems)
        vertical = QSplitter(Qt.Orientation.Vertical)
        vertical.addWidget(splitter)
        vertical.addWidget(bottom)
        vertical.setSizes([620, 160])
        self.setCentralWidget(vertical)
        self._build_menus()
        self.resize(1100, 800)
        self._reload()

    # -- construction -------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.save_action = self._action(
            file_menu, "&Save", self.save, QKeySequence.StandardKey.Save
        )
        self._action(file_menu, "Save &As…", self.save_as, QKeySequence.StandardKey.SaveAs)
        self.store_action = self._action(
            file_menu, "Save to the Plan &Store", self.save_to_store, None
        )
        self.store_action.setEnabled(self.store is not None)
        file_menu.addSeparator()
        self._action(file_menu, "&Close", self.close, QKeySequence.StandardKey.Close)
        edit_menu = self.menuBar().addMenu("&Edit")
        undo, redo = add_undo_actions(edit_menu, self.undo_stack, self)
        toolbar = self.addToolBar("Edit")
        toolbar.setObjectName("EditorToolbar")
        toolbar.addAction(undo)
        toolbar.addAction(redo)
        toolbar.addAction(self.save_action)

    def _action(self, menu: Any, text: str, slot: Callable[[], Any], shortcut: Any) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _c=False: slot())
        menu.addAction(action)
        return action

    def _empty_form(self) -> QWidget:
        label = QLabel("Select a record on the left, or press Add.")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    def _line(self, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(name)
        edit.editingFinished.connect(self.commit)
        return edit

    def _spin(self, name: str, maximum: float, decimals: int = 2) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setAccessibleName(name)
        spin.setRange(0, maximum)
        spin.setDecimals(decimals)
        spin.editingFinished.connect(self.commit)
        return spin

    def _combo(self, name: str, values: list[tuple[str, Any]]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        for text, value in values:
            combo.addItem(text, value)
        combo.activated.connect(lambda _i: self.commit())
        return combo

    def _credential_form(self) -> dict[str, Any]:
        f: dict[str, Any] = {
            "id": self._line("Id"),
            "name": self._line("Name"),
            "kind": self._combo("Kind", [(k.value, k.value) for k in Kind]),
            "provider": self._combo("Provider", []),
            "cost": self._spin("Cost", 10_000_000),
            "effort_hours": self._spin("Effort hours", 100_000, 1),
            "duration_weeks": QSpinBox(),
            "credits": self._spin("Credits", 1000, 1),
            "delivery": self._combo("Delivery", [(d.value, d.value) for d in Delivery]),
            "skills": QListWidget(),
            "url": self._line("Web page"),
            "description": QPlainTextEdit(),
            "requires": RequirementEditor(),
            "credits_required": self._spin("Credits required", 1000, 1),
            "price": self._spin("Price per credit", 100_000),
            "hours": self._spin("Hours per credit", 1000, 1),
            "weeks": self._spin("Weeks per credit", 100, 2),
            "transfer": TransferEditor(),
            "transfer_max": self._spin("Most credits by transfer", 1000, 1),
        }
        f["duration_weeks"].setAccessibleName("Duration in weeks")
        f["duration_weeks"].setRange(0, 1000)
        f["duration_weeks"].editingFinished.connect(self.commit)
        f["skills"].setAccessibleName("Skills")
        f["skills"].setMaximumHeight(90)
        f["skills"].itemChanged.connect(lambda _i: self.commit())
        f["description"].setAccessibleName("Description")
        f["description"].setMaximumHeight(60)
        f["requires"].changed.connect(self.commit)
        f["transfer"].changed.connect(self.commit)
        f["transfer_max"].setSpecialValueText("no limit")
        block = QGroupBox("Credit block (a programme priced per credit, accepting transfer)")
        block.setCheckable(True)
        block.toggled.connect(lambda _on: self.commit())
        f["block"] = block
        block_form = QFormLayout(block)
        block_form.addRow("Credits required", f["credits_required"])
        per = QHBoxLayout()
        for key, label in (("price", "Price"), ("hours", "Hours"), ("weeks", "Weeks")):
            per.addWidget(QLabel(label))
            per.addWidget(f[key])
        block_form.addRow("Per credit", per)
        block_form.addRow("Transfer from", f["transfer"])
        block_form.addRow("At most", f["transfer_max"])
        page = QWidget()
        form = QFormLayout(page)
        top = QHBoxLayout()
        top.addWidget(f["id"])
        top.addWidget(QLabel("Kind"))
        top.addWidget(f["kind"])
        form.addRow("Id", top)
        form.addRow("Name", f["name"])
        form.addRow("Provider", f["provider"])
        numbers = QHBoxLayout()
        for key, label in (
            ("cost", "Cost"),
            ("effort_hours", "Hours"),
            ("duration_weeks", "Weeks"),
            ("credits", "Credits"),
        ):
            numbers.addWidget(QLabel(label))
            numbers.addWidget(f[key])
        form.addRow(numbers)
        form.addRow("Delivery", f["delivery"])
        form.addRow("Skills", f["skills"])
        form.addRow("Requires", f["requires"])
        form.addRow(block)
        form.addRow("Web page", f["url"])
        form.addRow("Description", f["description"])
        self.forms.addWidget(page)
        return f

    def _provider_form(self) -> dict[str, Any]:
        f: dict[str, Any] = {
            "id": self._line("Provider id"),
            "name": self._line("Provider name"),
            "recognition": self._combo("Recognition", [(r.value, r.value) for r in Recognition]),
            "url": self._line("Provider web page"),
        }
        page = QWidget()
        form = QFormLayout(page)
        for key, label in (
            ("id", "Id"),
            ("name", "Name"),
            ("recognition", "Recognition"),
            ("url", "Web page"),
        ):
            form.addRow(label, f[key])
        self.forms.addWidget(page)
        return f

    def _skill_form(self) -> dict[str, Any]:
        f: dict[str, Any] = {
            "id": self._line("Skill id"),
            "name": self._line("Skill name"),
            "framework": self._line("Framework"),
            "url": self._line("Skill web page"),
        }
        page = QWidget()
        form = QFormLayout(page)
        for key, label in (
            ("id", "Id"),
            ("name", "Name"),
            ("framework", "Framework"),
            ("url", "Web page"),
        ):
            form.addRow(label, f[key])
        self.forms.addWidget(page)
        return f

    # -- model -> view ------------------------------------------------------------------------

    @property
    def collection(self) -> Collection:
        return COLLECTIONS[self.tabs.currentIndex()]

    def _model_changed(self, edit: Edit, undone: bool) -> None:
        # Follow the record the edit was about (its new id after a rename, or its old one).
        first = edit.changes[0] if edit.changes else None
        if first is not None:
            record = first.before if undone else first.after
            if record is None:  # removed: select nothing
                self._current = None
            else:
                self._current = (first.collection, str(record.get("id")))
                self.tabs.setCurrentIndex(
                    ("credentials", "providers", "skills").index(first.collection)
                )
        self._reload()

    def _reload(self) -> None:
        """Lists, form and problems from the model (after every edit, undo and redo)."""
        self._loading = True
        try:
            validation = self.model.validate()
            bad = {p.record.split(" (")[0] for p in validation.errors}
            for collection, records in self.lists.items():
                records.blockSignals(True)
                records.clear()
                for record in self.model.records(collection):
                    rid = str(record.get("id", ""))
                    name = str(record.get("name", ""))
                    item = QListWidgetItem(f"{name or '(no name)'}  ·  {rid}")
                    item.setData(IdRole, rid)
                    if f"{RECORD_NOUN[collection]} '{rid}'" in bad:
                        item.setForeground(Qt.GlobalColor.red)
                        item.setToolTip("This record has errors: see the problems below")
                    records.addItem(item)
                    if self._current == (collection, rid):
                        records.setCurrentItem(item)
                records.blockSignals(False)
            self._filter()
            self._show_problems()
            self._fill_form()
        finally:
            self._loading = False
        self._update_title()

    def _filter(self) -> None:
        text = self.search.text().strip().lower()
        for records in self.lists.values():
            for row in range(records.count()):
                item = records.item(row)
                item.setHidden(bool(text) and text not in item.text().lower())

    def _show_problems(self) -> None:
        validation = self.model.validate()
        self.problems.clear()
        for problem in validation.problems:
            item = QListWidgetItem(str(problem))  # as the CLI prints it
            style = self.style()
            icon = (
                style.StandardPixmap.SP_MessageBoxCritical
                if problem.severity is Severity.ERROR
                else style.StandardPixmap.SP_MessageBoxWarning
            )
            item.setIcon(style.standardIcon(icon))
            item.setData(IdRole, problem.record)
            self.problems.addItem(item)
        errors = len(validation.errors)
        warnings = len(validation.problems) - errors
        counts = (
            f"{len(self.model.ids('credentials'))} credentials, "
            f"{len(self.model.ids('providers'))} providers, {len(self.model.ids('skills'))} skills"
        )
        if errors:
            self.summary.setText(
                f"<b style='color:#b91c1c'>{errors} error(s)</b>, {warnings} warning(s) — "
                f"fix the errors to save. {counts}."
            )
        else:
            self.summary.setText(f"<b>Valid</b> ({warnings} warning(s)). {counts}.")
        self.save_action.setEnabled(errors == 0)
        self.store_action.setEnabled(errors == 0 and self.store is not None)

    def _selected(self, collection: Collection) -> None:
        if self._loading:
            return
        item = self.lists[collection].currentItem()
        self._current = (collection, str(item.data(IdRole))) if item is not None else None
        self._loading = True
        try:
            self._fill_form()
        finally:
            self._loading = False

    def _fill_form(self) -> None:
        current = self._current
        if current is None or current[1] not in self.model.ids(current[0]):
            self.forms.setCurrentIndex(0)
            self.record_problems.setText("")
            self.duplicate_button.setEnabled(False)
            self.delete_button.setEnabled(False)
            return
        collection, rid = current
        self.duplicate_button.setEnabled(True)
        self.delete_button.setEnabled(True)
        record = self.model.record(collection, rid)
        if collection == "credentials":
            self._fill_credential(record)
            self.forms.setCurrentIndex(1)
        else:
            form = self.provider_form if collection == "providers" else self.skill_form
            for key, widget in form.items():
                if isinstance(widget, QLineEdit):
                    widget.setText(str(record.get(key, "") or ""))
                else:
                    widget.setCurrentIndex(max(0, widget.findData(record.get(key))))
            self.forms.setCurrentIndex(2 if collection == "providers" else 3)
        problems = self.model.validate().for_record(collection, rid)
        self.record_problems.setText(
            "".join(
                f"<div style='color:{'#b91c1c' if p.severity is Severity.ERROR else '#92400e'}'>"
                f"{'✖' if p.severity is Severity.ERROR else '⚠'} "
                f"{p.field + ': ' if p.field else ''}{p.message}</div>"
                for p in problems
            )
        )

    def _fill_credential(self, record: Record) -> None:
        f = self.credential_form
        f["id"].setText(str(record.get("id", "")))
        f["name"].setText(str(record.get("name", "")))
        f["kind"].setCurrentIndex(max(0, f["kind"].findData(record.get("kind"))))
        provider = f["provider"]
        provider.clear()
        provider.addItem("(no provider)", None)
        for p in self.model.records("providers"):
            provider.addItem(f"{p.get('name')} ({p.get('id')})", p.get("id"))
        provider.setCurrentIndex(max(0, provider.findData(record.get("provider"))))
        for key in ("cost", "effort_hours", "credits"):
            f[key].setValue(float(record.get(key, 0) or 0))
        f["duration_weeks"].setValue(int(record.get("duration_weeks", 1) or 0))
        f["delivery"].setCurrentIndex(
            max(0, f["delivery"].findData(record.get("delivery", "online")))
        )
        skills: QListWidget = f["skills"]
        skills.blockSignals(True)
        skills.clear()
        held = set(record.get("skills", []))
        ordered = sorted(self.model.records("skills"), key=lambda k: k.get("id") not in held)
        for skill in ordered:  # its skills first
            item = QListWidgetItem(str(skill.get("name")))
            item.setData(IdRole, skill.get("id"))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if skill.get("id") in held else Qt.CheckState.Unchecked
            )
            skills.addItem(item)
        skills.blockSignals(False)
        credentials = [
            (str(c.get("id")), str(c.get("name")))
            for c in self.model.records("credentials")
            if c.get("id") != record.get("id")
        ]
        f["requires"].set_credentials(credentials)
        f["requires"].set_requirement(record.get("requires"))
        f["transfer"].set_credentials(credentials)
        f["transfer"].set_items(list(record.get("transfer", [])))
        f["block"].blockSignals(True)
        f["block"].setChecked("credits_required" in record)
        f["block"].blockSignals(False)
        f["credits_required"].setValue(float(record.get("credits_required", 0) or 0))
        per = record.get("per_credit", {}) or {}
        for key in ("price", "hours", "weeks"):
            f[key].setValue(float(per.get(key, 0) or 0))
        f["transfer_max"].setValue(float(record.get("transfer_max", 0) or 0))
        f["url"].setText(str(record.get("url", "") or ""))
        f["description"].setPlainText(str(record.get("description", "") or ""))

    # -- view -> model ------------------------------------------------------------------------

    def form_record(self) -> Record | None:
        """The selected record as the form shows it (unknown fields kept)."""
        if self._current is None:
            return None
        collection, rid = self._current
        record = self.model.record(collection, rid)
        if collection != "credentials":
            form = self.provider_form if collection == "providers" else self.skill_form
            for key, widget in form.items():
                value = (
                    widget.text().strip() if isinstance(widget, QLineEdit) else widget.currentData()
                )
                _set_or_drop(record, key, value)
            return record
        f = self.credential_form
        record["id"] = f["id"].text().strip()
        record["name"] = f["name"].text().strip()
        record["kind"] = f["kind"].currentData()
        _set_or_drop(record, "provider", f["provider"].currentData())
        for key in ("cost", "effort_hours", "credits"):
            record[key] = _number(f[key].value())
        record["duration_weeks"] = f["duration_weeks"].value()
        record["delivery"] = f["delivery"].currentData()
        skills: QListWidget = f["skills"]
        record["skills"] = [
            skills.item(i).data(IdRole)
            for i in range(skills.count())
            if skills.item(i).checkState() == Qt.CheckState.Checked
        ]
        _set_or_drop(record, "requires", f["requires"].requirement())
        if f["block"].isChecked():
            record["credits_required"] = _number(f["credits_required"].value())
            record["per_credit"] = {k: _number(f[k].value()) for k in ("price", "hours", "weeks")}
            _set_or_drop(record, "transfer", f["transfer"].items())
            _set_or_drop(record, "transfer_max", _number(f["transfer_max"].value()) or None)
        else:
            for key in CREDIT_BLOCK_FIELDS:
                record.pop(key, None)
        _set_or_drop(record, "url", f["url"].text().strip())
        _set_or_drop(record, "description", f["description"].toPlainText().strip())
        return record

    def commit(self) -> bool:
        """Push the form's record as an edit when it differs from the model's."""
        if self._loading or self._current is None:
            return False
        collection, rid = self._current
        record = self.form_record()
        if record is None or record == self.model.record(collection, rid):
            return False
        try:
            edit = self.model.edit_record(collection, rid, record)
        except EditError as exc:
            QMessageBox.warning(self, "Not changed", f"{exc}.")
            self._reload()
            return False
        self.undo_stack.push(EditCommand(self.model, edit))
        return True

    def push(self, edit: Edit) -> None:
        self.undo_stack.push(EditCommand(self.model, edit))

    def add_new(self) -> None:
        collection = self.collection
        rid = self.model.new_id(collection, f"new-{RECORD_NOUN[collection]}")
        record: Record = {"id": rid, "name": f"New {RECORD_NOUN[collection]}"}
        if collection == "credentials":
            record.update({"kind": Kind.CERTIFICATE.value, "delivery": Delivery.ONLINE.value})
        elif collection == "providers":
            record["recognition"] = Recognition.UNVERIFIED.value
        self.push(self.model.add_record(collection, record))

    def duplicate_current(self) -> None:
        if self._current is not None:
            self.push(self.model.duplicate(*self._current))

    def delete_current(self, *, confirm: bool = True) -> bool:
        if self._current is None:
            return False
        collection, rid = self._current
        try:
            edit = self.model.delete_record(collection, rid)
        except ReferencedError as exc:
            if confirm:
                answer = QMessageBox.question(
                    self,
                    "Delete and remove references?",
                    f"{str(exc)[:1].upper()}{str(exc)[1:]}.\n\nDelete it and remove it from "
                    "their requirements and transfer lists (one step you can undo)?",
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                    QMessageBox.StandardButton.Cancel,
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return False
            edit = self.model.delete_record(collection, rid, remove_references=True)
        self.push(edit)
        return True

    def _problem_activated(self, item: QListWidgetItem) -> None:
        record = str(item.data(IdRole) or "")
        for collection in COLLECTIONS:
            prefix = f"{RECORD_NOUN[collection]} '"
            if record.startswith(prefix):
                rid = record[len(prefix) :].split("'", maxsplit=1)[0]
                self._current = (collection, rid)
                self.tabs.setCurrentIndex(COLLECTIONS.index(collection))
                self._reload()
                return

    # -- saving -------------------------------------------------------------------------------

    def _catalog_or_warn(self) -> Any:
        try:
            return self.model.to_catalog()
        except CatalogError as exc:
            QMessageBox.warning(
                self, "Not saved", f"The catalogue has {len(exc.errors)} error(s): fix them first."
            )
            return None

    def save(self, path: Path | None = None) -> bool:
        path = path or self.path
        if path is None:
            return self.save_as()
        catalog = self._catalog_or_warn()
        if catalog is None:
            return False
        try:
            save_catalog(catalog, path)
        except OSError as exc:
            QMessageBox.warning(self, "Not saved", f"{exc}.")
            return False
        self.path = path
        self.undo_stack.setClean()
        self.statusBar().showMessage(f"Saved to {path}", 5000)
        self.saved.emit(path)
        return True

    def save_as(self) -> bool:
        start = str(self.path) if self.path else str(Path.home() / "catalogue.json")
        name, _ = QFileDialog.getSaveFileName(
            self, "Save catalogue as", start, "Catalogues (*.json)"
        )
        if not name:
            return False
        path = Path(name)
        return self.save(path if path.suffix else path.with_suffix(".json"))

    def save_to_store(self) -> bool:
        catalog = self._catalog_or_warn()
        if catalog is None or self.store is None:
            return False
        source = str(self.path or "")
        try:
            version = self.store.add_catalog_version(catalog, source=source)
        except Exception as exc:  # the store's errors become a message
            QMessageBox.warning(self, "Not saved", f"{exc}.")
            return False
        self.statusBar().showMessage(f"Saved in the store as version {version.id}", 5000)
        return True

    def _update_title(self, clean: bool | None = None) -> None:
        if not shiboken6.isValid(self.undo_stack):
            return  # the stack reports "clean" as it is destroyed with the editor
        if clean is None:
            clean = self.undo_stack.isClean()
        name = self.path.name if self.path else self.model.name
        self.setWindowTitle(f"{'' if clean else '*'}{name} — Catalogue editor")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.undo_stack.isClean() and self.isVisible():
            answer = QMessageBox.question(
                self,
                "Unsaved changes",
                "Close the editor and lose the unsaved changes?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                event.ignore()
                return
        self.model.listeners.remove(self._model_changed)
        super().closeEvent(event)
