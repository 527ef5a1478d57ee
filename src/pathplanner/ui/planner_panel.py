"""The planner dock: learner, goal, held credentials, constraints, objective, Plan/Cancel.

It only gathers a :class:`PlanRequest`; the window runs the planner in the background.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QSignalBlocker,
    Qt,
    Signal,
)
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pathplanner.model import Catalog, Delivery, Recognition
from pathplanner.ui.theme import CheckBoxesDelegate

if TYPE_CHECKING:  # the planner (SciPy) loads in the background after start-up
    from pathplanner.graph.planner import PlanRequest

COST, TIME, TRADE_OFF = "cost", "time", "trade-off"
AnyIndex = QModelIndex | QPersistentModelIndex


class CheckListModel(QAbstractListModel):
    """(id, text) rows with a check box each; the checked ids are a Python set, so a list of
    thousands of credentials is filled and reset without a Qt call per row."""

    KeyRole = Qt.ItemDataRole.UserRole + 1

    checks_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.keys: list[str] = []
        self.texts: list[str] = []
        self.checked: set[str] = set()

    def set_items(self, items: list[tuple[str, str]], checked: frozenset[str]) -> None:
        self.beginResetModel()
        self.keys = [k for k, _ in items]
        self.texts = [t for _, t in items]
        self.checked = set(checked) & set(self.keys)
        self.endResetModel()

    def set_checked(self, keys: frozenset[str]) -> None:
        changed = (set(keys) & set(self.keys)) ^ self.checked
        self.checked = set(keys) & set(self.keys)
        for row, key in enumerate(self.keys):
            if key in changed:  # only the rows that change: lists can be long
                index = self.index(row)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.keys)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.keys):
            return None
        key = self.keys[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.texts[index.row()]
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if key in self.checked else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.ToolTipRole, self.KeyRole):
            return key
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        key = self.keys[index.row()]
        on = Qt.CheckState(value) == Qt.CheckState.Checked
        if on == (key in self.checked):
            return False
        (self.checked.add if on else self.checked.discard)(key)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checks_changed.emit()
        return True

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )


class WrappedLabel(QLabel):
    """A word-wrapped label whose minimum height is what its text needs at its width.

    A wrapping QLabel's size hints guess a width, and box layouts hand out heights by hints:
    in the crowded planner form the second line of a long goal name was cut off."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit()

    def setText(self, text: str) -> None:  # noqa: N802
        super().setText(text)
        self._fit()

    def _fit(self) -> None:
        if self.width() > 0:
            self.setMinimumHeight(self.heightForWidth(self.width()) if self.text() else 0)


class CheckList(QWidget):
    """A searchable list of check boxes (held credentials, skills, excluded providers)."""

    changed = Signal()

    def __init__(self, name: str, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter = QLineEdit(placeholderText=placeholder)
        self.filter.setAccessibleName(f"Search {name}")
        self.filter.setClearButtonEnabled(True)
        self.model = CheckListModel(self)
        self.list = QListView()
        self.list.setAccessibleName(name)
        self.list.setUniformItemSizes(True)
        self.list.setModel(self.model)
        self.list.setItemDelegate(CheckBoxesDelegate(self.list))
        self.summary = WrappedLabel()
        # a role, not a style sheet: "palette(placeholder-text)" kept the colour of the palette
        # it was set under, dark grey on the dark palette
        self.summary.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.summary)
        self.filter.textChanged.connect(self._filter)
        self.model.checks_changed.connect(self._changed)

    def set_items(
        self, items: list[tuple[str, str]], checked: frozenset[str] = frozenset()
    ) -> None:
        """``items`` are (id, text) pairs."""
        self.model.set_items(items, checked)
        self._filter(self.filter.text())
        self._changed()

    def checked(self) -> frozenset[str]:
        return frozenset(self.model.checked)

    def set_checked(self, keys: frozenset[str]) -> None:
        self.model.set_checked(keys)
        self._changed()

    def toggle(self, key: str) -> None:
        self.set_checked(self.checked() ^ {key})

    def visible_texts(self) -> list[str]:
        return [text for row, text in enumerate(self.model.texts) if not self.list.isRowHidden(row)]

    def _filter(self, text: str) -> None:
        words = text.lower().split()
        for row, (key, name) in enumerate(zip(self.model.keys, self.model.texts, strict=True)):
            haystack = f"{name} {key}".lower()
            hidden = not all(w in haystack for w in words)
            if hidden != self.list.isRowHidden(row):
                self.list.setRowHidden(row, hidden)

    def _changed(self) -> None:
        model = self.model
        names = [t for k, t in zip(model.keys, model.texts, strict=True) if k in model.checked]
        self.summary.setText(
            f"{len(names)} chosen: " + ", ".join(names[:4]) + ("…" if len(names) > 4 else "")
            if names
            else "None chosen."
        )
        self.changed.emit()


class PlannerPanel(QWidget):
    """Emits ``plan_requested(request, mode)`` with mode "cost", "time" or "trade-off"."""

    plan_requested = Signal(object, str)
    cancel_requested = Signal()
    goal_changed = Signal(object)  # credential id or None
    held_changed = Signal(object)  # frozenset of ids
    learner_changed = Signal(object)  # learner name, or None for the guest
    new_learner_requested = Signal()
    edit_learner_requested = Signal()
    delete_learner_requested = Signal()
    import_badge_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog: Catalog | None = None
        self._ids_by_name: dict[str, str] = {}

        self.learner = QComboBox()
        self.learner.setAccessibleName("Learner")
        self.learner.setEditable(False)
        self.learner.addItem("Guest (not saved)", None)
        self.learner.currentIndexChanged.connect(
            lambda _i: self.learner_changed.emit(self.learner_name())
        )
        self.new_learner = QPushButton("New…")
        self.new_learner.setAccessibleName("New learner")
        self.new_learner.clicked.connect(self.new_learner_requested)
        self.edit_learner = QPushButton("Edit…")
        self.edit_learner.setAccessibleName("Edit learner")
        self.edit_learner.clicked.connect(self.edit_learner_requested)
        self.edit_learner.setEnabled(False)
        self.delete_learner = QPushButton("Delete…")
        self.delete_learner.setAccessibleName("Delete learner")
        self.delete_learner.clicked.connect(self.delete_learner_requested)
        self.delete_learner.setEnabled(False)
        self.learner_changed.connect(self._learner_buttons)

        self.goal_kind = QComboBox()
        self.goal_kind.setAccessibleName("Goal kind")
        self.goal_kind.addItem("A credential", "credential")
        self.goal_kind.addItem("A set of skills", "skills")
        self.goal = QLineEdit(placeholderText="Type a credential name, e.g. Data Analyst")
        self.goal.setAccessibleName("Goal credential")
        self.goal.setClearButtonEnabled(True)
        self.goal.editingFinished.connect(self._goal_edited)
        self.skills = CheckList("Goal skills", "Search skills…")
        self.skills.hide()
        self.goal_kind.currentIndexChanged.connect(self._goal_kind_changed)
        self.goal_status = WrappedLabel()

        self.held = CheckList("Held credentials", "Search credentials you hold…")
        self.held.changed.connect(lambda: self.held_changed.emit(self.held.checked()))
        self.import_badge = QPushButton("Import Badge…")
        self.import_badge.setAccessibleName("Import a learner's badge")
        self.import_badge.setToolTip(
            "Mark a credential held from the learner's Open Badge (JSON, JWT, PNG or SVG file)"
        )
        self.import_badge.clicked.connect(self.import_badge_requested)

        self.budget = self._money_spin()
        self.hours = QDoubleSpinBox()
        self.hours.setAccessibleName("Hours per week")
        self.hours.setRange(0, 168)
        self.hours.setSingleStep(1)
        self.hours.setDecimals(0)
        self.hours.setSpecialValueText("No limit")
        self.hours.setSuffix(" h/week")
        self.start = QDateEdit()
        self.start.setAccessibleName("Start date")
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd")
        today = date.today()
        monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
        self.start.setDate(QDate(monday.year, monday.month, monday.day))
        self.delivery = {d: QCheckBox(d.value.replace("_", " ")) for d in Delivery}
        for mode, box in self.delivery.items():
            box.setChecked(True)
            box.setAccessibleName(f"Allow {mode.value.replace('_', ' ')} delivery")
        self.providers = CheckList("Excluded providers", "Search providers to exclude…")
        self.recognition = QComboBox()
        self.recognition.setAccessibleName("Minimum recognition")
        self.recognition.addItem("Any provider", None)
        for level in (Recognition.EMPLOYER, Recognition.INDUSTRY, Recognition.ACCREDITED):
            self.recognition.addItem(f"{level.value} or better", level)

        self.objective_group = QButtonGroup(self)
        self.objectives: dict[str, QRadioButton] = {}
        objective_row = QHBoxLayout()
        for key, text in ((COST, "&Cheapest"), (TIME, "&Fastest"), (TRADE_OFF, "&Trade-off")):
            button = QRadioButton(text)
            button.setAccessibleName(f"Objective {key}")
            self.objectives[key] = button
            self.objective_group.addButton(button)
            objective_row.addWidget(button)
        self.objectives[COST].setChecked(True)

        self.plan_button = QPushButton("&Plan")
        self.plan_button.setAccessibleName("Plan")
        self.plan_button.setDefault(True)
        self.plan_button.clicked.connect(self.request_plan)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel planning")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Planning progress")
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(True)
        self.progress.setFormat("")
        self.progress.setValue(0)
        # Shown while planning only: idle, an empty bar looks like a text field to fill in.
        self.progress.hide()
        # Empty until there is something to say: the goal field says what to do first.
        self.message = WrappedLabel()
        self.message.setAccessibleName("Planner message")

        goal_box = QGroupBox("Goal")
        goal_form = QFormLayout(goal_box)
        learner_buttons = QHBoxLayout()
        learner_buttons.addWidget(self.new_learner)
        learner_buttons.addWidget(self.edit_learner)
        learner_buttons.addWidget(self.delete_learner)
        learner_buttons.addStretch(1)
        goal_form.addRow("&Learner", self.learner)
        goal_form.addRow("", learner_buttons)
        goal_form.addRow("&Aim for", self.goal_kind)
        goal_form.addRow(self.goal)
        goal_form.addRow(self.skills)
        goal_form.addRow(self.goal_status)
        held_box = QGroupBox("Credentials already held")
        held_layout = QVBoxLayout(held_box)
        held_layout.addWidget(self.held)
        held_layout.addWidget(self.import_badge, 0, Qt.AlignmentFlag.AlignLeft)
        constraints = QGroupBox("Constraints")
        form = QFormLayout(constraints)
        form.addRow("&Budget", self.budget)
        form.addRow("&Hours per week", self.hours)
        form.addRow("&Start", self.start)
        modes = QVBoxLayout()
        modes.setSpacing(2)
        for box in self.delivery.values():
            modes.addWidget(box)
        form.addRow("Delivery", modes)
        form.addRow("&Recognition", self.recognition)
        form.addRow("Exclude", self.providers)
        objective_box = QGroupBox("Objective")
        objective_box.setLayout(objective_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.plan_button, 1)
        buttons.addWidget(self.cancel_button)

        inner = QWidget()
        column = QVBoxLayout(inner)
        column.addWidget(goal_box)
        column.addWidget(held_box, 2)
        column.addWidget(constraints, 2)
        # The objective, Plan/Cancel and the progress stay in view below the scrolling form.
        footer = QVBoxLayout()
        footer.setContentsMargins(9, 0, 9, 6)
        footer.addWidget(objective_box)
        footer.addLayout(buttons)
        footer.addWidget(self.progress)
        footer.addWidget(self.message)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields; it follows them
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, 1)
        outer.addLayout(footer)
        self.setMinimumWidth(340)
        inner.setMinimumWidth(300)
        for widget in (self.held, self.providers, self.skills):
            widget.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            widget.list.setTextElideMode(Qt.TextElideMode.ElideRight)
            widget.list.setMinimumWidth(150)
        self.held.list.setMinimumHeight(110)
        self.providers.list.setMinimumHeight(80)
        self.skills.list.setMinimumHeight(110)

    @staticmethod
    def _money_spin() -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setAccessibleName("Budget")
        spin.setRange(0, 10_000_000)
        spin.setDecimals(0)
        spin.setSingleStep(500)
        spin.setSpecialValueText("No limit")
        spin.setGroupSeparatorShown(True)
        return spin

    def set_catalog(self, catalog: Catalog) -> None:
        self._catalog = catalog
        credentials = sorted(catalog.credentials, key=lambda c: c.name.lower())
        self._ids_by_name = {c.name.lower(): c.id for c in credentials}
        completer = QCompleter([c.name for c in credentials], self.goal)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(lambda _text: self._goal_edited())
        self.goal.setCompleter(completer)
        self.goal.clear()
        self.held.set_items([(c.id, c.name) for c in credentials])
        self.skills.set_items(
            [(s.id, s.name) for s in sorted(catalog.skills, key=lambda s: s.name.lower())]
        )
        self.providers.set_items(
            [(p.id, p.name) for p in sorted(catalog.providers, key=lambda p: p.name.lower())]
        )
        self.budget.setPrefix(f"{catalog.currency} ")
        self._goal_edited()

    def set_learners(self, names: list[str], current: str | None = None) -> None:
        """Fill the selector; emits ``learner_changed`` if the selection changes."""
        before = self.learner_name()
        wanted = current if current is not None else before
        with QSignalBlocker(self.learner):
            self.learner.clear()
            self.learner.addItem("Guest (not saved)", None)
            for name in names:
                self.learner.addItem(name, name)
            self.learner.setCurrentIndex(max(self.learner.findData(wanted), 0))
        if self.learner_name() != before:
            self.learner_changed.emit(self.learner_name())

    def _learner_buttons(self, name: str | None) -> None:
        self.edit_learner.setEnabled(name is not None)
        self.delete_learner.setEnabled(name is not None)

    def set_store_available(self, available: bool) -> None:
        self.new_learner.setEnabled(available)
        self.new_learner.setToolTip("" if available else "No plan store is open.")

    def learner_name(self) -> str | None:
        value = self.learner.currentData()
        return value if isinstance(value, str) else None

    def goal_id(self) -> str | None:
        if self.goal_kind.currentData() != "credential":
            return None
        text = self.goal.text().strip()
        if self._catalog is not None and text in self._catalog.credentials_by_id:
            return text
        return self._ids_by_name.get(text.lower())

    def set_goal(self, credential_id: str) -> None:
        if self._catalog is None or credential_id not in self._catalog.credentials_by_id:
            return
        self.goal_kind.setCurrentIndex(0)
        self.goal.setText(self._catalog.credential(credential_id).name)
        self._goal_edited()

    def set_held(self, held: frozenset[str]) -> None:
        self.held.set_checked(held)

    def set_objective(self, key: str) -> None:
        self.objectives[key].setChecked(True)

    def objective(self) -> str:
        return next(k for k, b in self.objectives.items() if b.isChecked())

    def _goal_kind_changed(self, index: int) -> None:
        self.goal.setVisible(index == 0)
        self.skills.setVisible(index == 1)
        self._goal_edited()

    def _goal_edited(self) -> None:
        goal = self.goal_id()
        if self.goal_kind.currentData() == "skills":
            self.goal_status.setText(
                "Tick the skills the learner wants; any route teaching all counts."
            )
        elif goal is None and self.goal.text().strip():
            self.goal_status.setText(
                "<font color='#b91c1c'>No credential has that name: pick one from the list.</font>"
            )
        elif goal is None:
            self.goal_status.setText("Choose a goal to start.")
        else:
            self.goal_status.setText(
                f"Goal: <b>{self._catalog.credential(goal).name}</b>" if self._catalog else ""
            )
        self.goal_changed.emit(goal)

    def build_request(self) -> PlanRequest | str:
        """The request the form describes, or a sentence saying what is missing."""
        skills: frozenset[str] = frozenset()
        goal = None
        if self.goal_kind.currentData() == "skills":
            skills = self.skills.checked()
            if not skills:
                return "Tick at least one skill to aim for."
        else:
            goal = self.goal_id()
            if goal is None:
                return "Choose a goal to start: type a credential's name and pick it from the list."
        from pathplanner.graph.planner import PlanRequest  # noqa: PLC0415 (loads SciPy)

        delivery = frozenset(d for d, box in self.delivery.items() if box.isChecked())
        if not delivery:
            return "Allow at least one delivery mode."
        start = self.start.date()
        objective = self.objective()
        return PlanRequest(
            goal=goal,
            skills=skills,
            held=self.held.checked(),
            objective="time" if objective == TIME else "cost",
            budget=self.budget.value() or None,
            hours_per_week=self.hours.value() or None,
            start_date=date(start.year(), start.month(), start.day()),
            delivery=None if len(delivery) == len(Delivery) else delivery,
            exclude_providers=self.providers.checked(),
            min_recognition=self.recognition.currentData(),
        )

    def request_plan(self) -> None:
        request = self.build_request()
        if isinstance(request, str):
            self.message.setText(request)
            return
        self.plan_requested.emit(request, self.objective())

    def set_running(self, running: bool) -> None:
        self.plan_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.progress.setValue(0)
        self.progress.setFormat("%p%" if running else "")
        self.progress.setVisible(running)

    def show_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(round(fraction * 100))
        self.message.setText(message)
