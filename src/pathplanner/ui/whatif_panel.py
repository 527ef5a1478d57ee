"""The What-if panel: compose changes (a transfer link, a price, a dropped prerequisite), run
them on a scratch copy in the background, and compare today's cheapest and fastest routes and
complexity metrics with the changed catalogue's, side by side.

All the work is the core's :func:`pathplanner.graph.whatif.what_if`; keeping the change is the
window's business (``apply_requested`` carries the changed catalogue).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pathplanner.graph.metrics import METRIC_NAMES
from pathplanner.model import Catalog, Credential, requirement_refs
from pathplanner.ui.goal_list import GoalChecklist
from pathplanner.ui.overlays import METRIC_LABELS
from pathplanner.ui.requirement_editor import CredentialPicker
from pathplanner.ui.run_controls import RunControls
from pathplanner.ui.tasks import Task, TaskRunner

if TYPE_CHECKING:  # the what-if plans routes: it loads the planner (SciPy) when first used
    from pathplanner.graph.planner import Plan
    from pathplanner.graph.whatif import Change, RouteComparison, WhatIfResult

ChangeRole = Qt.ItemDataRole.UserRole
TRANSFER, PRICE, DROP = "transfer", "price", "drop"
OBJECTIVE_TEXT = {"cost": "Cheapest", "time": "Fastest"}


def route_text(plan: Plan, currency: str) -> str:
    if plan.status == "infeasible":
        return "no route"
    # two lines: the table wraps, so cost and weeks stay readable in a narrow column
    return f"{plan.total_cost:,.0f} {currency}\n{plan.finish_week} wk · {len(plan.steps)} steps"


def change_text(route: RouteComparison, currency: str) -> str:
    cost, weeks = route.cost_change, route.weeks_change
    if cost is None or weeks is None:
        before, after = route.before.status, route.after.status
        if before == after:
            return "no route either way"
        return "a route appears" if before == "infeasible" else "the route is lost"
    if cost == 0 and weeks == 0:
        return "no change"
    parts = []
    if cost:
        parts.append(f"{cost:+,.0f} {currency}")
    if weeks:
        parts.append(f"{weeks:+d} weeks")
    return ", ".join(parts)


def step_changes(route: RouteComparison, catalog: Catalog) -> str:
    """The credentials that join or leave the route."""
    before = [s.id for s in route.before.steps]
    after = [s.id for s in route.after.steps]
    known = catalog.credentials_by_id

    def name(cid: str) -> str:
        return known[cid].name if cid in known else cid

    added = [f"+ {name(c)}" for c in after if c not in before]
    dropped = [f"− {name(c)}" for c in before if c not in after]  # noqa: RUF001 (minus sign)
    return "\n".join(added + dropped) or "same steps"


def step_summary(changes: str) -> str:
    """One line for the table (the full list is the cell's tooltip): "adds 5, drops 1"."""
    lines = changes.splitlines()
    added = sum(1 for line in lines if line.startswith("+"))
    dropped = len(lines) - added if lines != ["same steps"] else 0
    parts = [f"adds {added}" if added else "", f"drops {dropped}" if dropped else ""]
    return ", ".join(p for p in parts if p) or changes


class WhatIfPanel(QWidget):
    apply_requested = Signal(object)  # WhatIfResult: keep the change

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog: Catalog | None = None
        self.result: WhatIfResult | None = None
        self.time_limit = 5.0  # seconds per planner call (the window passes its preference)

        self.change_type = QComboBox()
        self.change_type.setAccessibleName("Kind of change")
        self.change_type.addItem("Add a transfer link", TRANSFER)
        self.change_type.addItem("Change a price", PRICE)
        self.change_type.addItem("Drop a prerequisite", DROP)
        self.pages = QStackedWidget()
        self.change_type.currentIndexChanged.connect(self.pages.setCurrentIndex)

        self.transfer_source = CredentialPicker("Transfer from")
        self.transfer_target = CredentialPicker("Transfer into")
        self.transfer_credits = QDoubleSpinBox()
        self.transfer_credits.setAccessibleName("Credits transferred")
        self.transfer_credits.setRange(0, 1000)
        self.transfer_credits.setDecimals(1)
        self.transfer_credits.setSpecialValueText("its own credits")
        page = QWidget()
        form = QFormLayout(page)
        form.addRow("From", self.transfer_source)
        form.addRow("Into credit block", self.transfer_target)
        form.addRow("Credits", self.transfer_credits)
        self.pages.addWidget(page)

        self.price_credential = CredentialPicker("Credential to reprice")
        self.price_cost = self._money_spin("New cost")
        self.price_per_credit = self._money_spin("New price per credit")
        self.price_credential.currentIndexChanged.connect(lambda _i: self._price_chosen())
        page = QWidget()
        form = QFormLayout(page)
        form.addRow("Credential", self.price_credential)
        form.addRow("Cost", self.price_cost)
        form.addRow("Price per credit", self.price_per_credit)
        self.pages.addWidget(page)

        self.drop_credential = CredentialPicker("Credential whose prerequisite goes")
        self.drop_prerequisite = QComboBox()
        self.drop_prerequisite.setAccessibleName("Prerequisite to drop")
        self.drop_credential.currentIndexChanged.connect(lambda _i: self._drop_chosen())
        page = QWidget()
        form = QFormLayout(page)
        form.addRow("Credential", self.drop_credential)
        form.addRow("Drop", self.drop_prerequisite)
        self.pages.addWidget(page)

        # The boxes fill the form's width whatever their longest name: sized to it (~750 px
        # on the bundled catalogue) they once laid the scrolling form out wider than its
        # viewport, cut at the right edge (seen once in a dark-mode screenshot, not again).
        for box in (
            self.transfer_source,
            self.transfer_target,
            self.price_credential,
            self.drop_credential,
            self.drop_prerequisite,
        ):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(16)

        self.add_button = QPushButton("Add &Change")
        self.add_button.clicked.connect(lambda _checked: self.add_current_change())
        self.changes = QListWidget()
        self.changes.setAccessibleName("Changes to try")
        self.changes.setMaximumHeight(80)
        self.changes.setWordWrap(True)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self._remove_change)
        self.goals = GoalChecklist("Goals to compare")
        self.goals.setMinimumHeight(70)
        self.controls = RunControls(
            tasks,
            "&Try It",
            "Add one or more changes, tick the goals to compare, press Try It.",
            self,
        )
        self.run_button = self.controls.run_button
        self.run_button.clicked.connect(lambda _checked: self.start())
        self.progress = self.controls.progress
        self.message = self.controls.message
        self.controls.state_changed.connect(self._update_buttons)

        self.routes = QTableWidget(0, 5)
        self.routes.setAccessibleName("Routes before and after")
        self.routes.setTabKeyNavigation(False)  # Tab leaves the table; arrows choose a row
        self.routes.setHorizontalHeaderLabels(
            ["Route", "Today", "With the change", "Difference", "Steps that change"]
        )
        self.routes.verticalHeader().setVisible(False)
        self.routes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.routes.setWordWrap(True)
        header = self.routes.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        width = self.fontMetrics().horizontalAdvance("With the change") + 24
        for column, columns in enumerate((1.6, 1, 1, 1)):
            header.resizeSection(column, int(width * columns))
        self.metrics = QTableWidget(0, 4)
        self.metrics.setAccessibleName("Complexity before and after")
        self.metrics.setTabKeyNavigation(False)
        self.metrics.setHorizontalHeaderLabels(
            ["Complexity (total)", "Today", "With the change", ""]
        )
        self.metrics.verticalHeader().setVisible(False)
        self.metrics.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.metrics.horizontalHeader().setStretchLastSection(True)
        self.metrics.horizontalHeader().resizeSection(0, 200)
        self.metrics.setMaximumHeight(150)
        self.apply_button = QPushButton("&Keep This Change…")
        self.apply_button.setToolTip(
            "Apply it in the open catalogue editor (undoable), or save the changed catalogue "
            "as a new file"
        )
        self.apply_button.clicked.connect(self._apply)

        change_box = QGroupBox("Change")
        change_layout = QVBoxLayout(change_box)
        change_layout.addWidget(self.change_type)
        change_layout.addWidget(self.pages)
        change_layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignRight)
        change_layout.addWidget(self.changes)
        change_layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignRight)
        left = QVBoxLayout()
        left.addWidget(change_box)
        left.addWidget(QLabel("Compare routes to"))
        left.addWidget(self.goals, 1)
        left_widget = QWidget()
        left_widget.setLayout(left)
        # The form scrolls in a short dock (it shares the Plan dock's height, which on a
        # 800-pixel screen is less than the form needs) instead of holding the window taller;
        # Try It, the progress and the message stay in view under it.
        form_scroll = QScrollArea()
        form_scroll.setWidgetResizable(True)
        form_scroll.setWidget(left_widget)
        form_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        form_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields
        form_scroll.setMinimumWidth(380)  # the pickers show most of a name
        form_column = QVBoxLayout()
        form_column.setContentsMargins(0, 0, 0, 0)
        form_column.addWidget(form_scroll, 1)
        form_column.addLayout(self.controls.buttons)
        form_column.addWidget(self.progress)
        form_column.addWidget(self.message)
        column_widget = QWidget()
        column_widget.setLayout(form_column)
        column_widget.setMaximumWidth(416)
        right = QVBoxLayout()
        right.addWidget(self.routes, 2)
        right.addWidget(self.metrics, 1)
        keep = QHBoxLayout()
        keep.addStretch(1)
        keep.addWidget(self.apply_button)
        right.addLayout(keep)
        layout = QHBoxLayout(self)
        layout.addWidget(column_widget)
        layout.addLayout(right, 1)
        self._update_buttons()

    @staticmethod
    def _money_spin(name: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setAccessibleName(name)
        spin.setRange(0, 10_000_000)
        spin.setDecimals(2)
        spin.setSingleStep(50)
        return spin

    # -- data ---------------------------------------------------------------------------------

    def set_catalog(self, catalog: Catalog) -> None:
        self.cancel()

        def _fill(picker: CredentialPicker, credentials: list[Credential]) -> None:
            picker.set_credentials([(c.id, c.name) for c in credentials])

        self._catalog = catalog
        credentials = list(catalog.credentials)
        _fill(self.transfer_source, [c for c in credentials if c.credits > 0])
        _fill(self.transfer_target, [c for c in credentials if c.has_credit_block])
        _fill(self.price_credential, credentials)
        _fill(self.drop_credential, [c for c in credentials if c.requires])
        self.goals.set_catalog(catalog)
        self.changes.clear()
        self.show_result(None)

    def set_goal(self, goal: str | None) -> None:
        """The planner's goal is compared unless the designer ticked others."""
        if goal is not None and not self.goals.checked():
            self.goals.set_checked([goal])

    def _price_chosen(self) -> None:
        cid = self.price_credential.picked()
        if self._catalog is None or cid is None:
            return
        credential = self._catalog.credential(cid)
        self.price_cost.setValue(credential.cost)
        per_credit = credential.per_credit
        self.price_per_credit.setEnabled(per_credit is not None)
        self.price_per_credit.setValue(per_credit.price if per_credit is not None else 0)

    def _drop_chosen(self) -> None:
        self.drop_prerequisite.clear()
        cid = self.drop_credential.picked()
        if self._catalog is None or cid is None:
            return
        credential = self._catalog.credential(cid)
        known = self._catalog.credentials_by_id
        refs = requirement_refs(credential.requires) if credential.requires else []
        for ref in dict.fromkeys(refs):
            self.drop_prerequisite.addItem(known[ref].name if ref in known else ref, ref)

    # -- changes ------------------------------------------------------------------------------

    def current_change(self) -> Change | None:
        """The change the form describes, or None (with the reason in the message line)."""
        from pathplanner.graph.whatif import (  # noqa: PLC0415 (loads the planner)
            AddTransfer,
            DropPrerequisite,
            SetPrice,
        )

        kind = self.change_type.currentData()
        if kind == TRANSFER:
            source, target = self.transfer_source.picked(), self.transfer_target.picked()
            if source is None or target is None:
                return self._refuse("Pick both credentials from the lists.")
            if source == target:
                return self._refuse("A credential cannot transfer into itself.")
            return AddTransfer(source, target, self.transfer_credits.value() or None)
        if kind == PRICE:
            cid = self.price_credential.picked()
            if cid is None or self._catalog is None:
                return self._refuse("Pick a credential from the list.")
            credential = self._catalog.credential(cid)
            cost = self.price_cost.value()
            per = self.price_per_credit.value() if credential.per_credit is not None else None
            old_per = credential.per_credit.price if credential.per_credit is not None else None
            change = SetPrice(
                cid,
                cost=cost if cost != credential.cost else None,
                per_credit_price=per if per != old_per else None,
            )
            if change.cost is None and change.per_credit_price is None:
                return self._refuse("Change the cost or the price per credit first.")
            return change
        cid, prerequisite = self.drop_credential.picked(), self.drop_prerequisite.currentData()
        if cid is None or prerequisite is None:
            return self._refuse("Pick a credential with a prerequisite to drop.")
        return DropPrerequisite(cid, str(prerequisite))

    def _refuse(self, message: str) -> Change | None:
        self.message.setText(message)
        return None

    def add_current_change(self) -> bool:
        change = self.current_change()
        if change is None:
            return False
        item = QListWidgetItem(self._describe(change))
        item.setData(ChangeRole, change)
        self.changes.addItem(item)
        self.message.setText("Tick the goals to compare, then press Try It.")
        self._update_buttons()
        return True

    def _describe(self, change: Change) -> str:
        """The change in names (the core's description uses ids)."""
        known = self._catalog.credentials_by_id if self._catalog else {}

        def name(cid: str) -> str:
            return known[cid].name if cid in known else cid

        data = change.__dict__
        if "source" in data:
            amount = f" ({data['credits']:g} credits)" if data["credits"] else ""
            return f"Transfer {name(data['source'])} → {name(data['target'])}{amount}"
        if "prerequisite" in data:
            return f"{name(data['credential'])} no longer needs {name(data['prerequisite'])}"
        parts = []
        if data["cost"] is not None:
            parts.append(f"cost {data['cost']:,.2f}")
        if data["per_credit_price"] is not None:
            parts.append(f"{data['per_credit_price']:,.2f} per credit")
        return f"{name(data['credential'])}: {' and '.join(parts)}"

    def _remove_change(self) -> None:
        for item in self.changes.selectedItems():
            self.changes.takeItem(self.changes.row(item))
        self._update_buttons()

    def change_list(self) -> list[Change]:
        return [self.changes.item(row).data(ChangeRole) for row in range(self.changes.count())]

    # -- running ------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.controls.running

    def start(self) -> Task | None:
        catalog = self._catalog
        if catalog is None or self.running:
            return None
        changes = self.change_list()
        if not changes and self.add_current_change():
            changes = self.change_list()  # the form's change, added for the designer
        if not changes:
            return None
        goals = list(self.goals.checked())
        if not goals:
            self.message.setText("Tick at least one goal to compare routes to.")
            return None
        time_limit = self.time_limit

        def work(progress: Callable[[float, str], None], cancel: Callable[[], bool]) -> Any:
            from pathplanner.graph.planner import PlanRequest  # noqa: PLC0415
            from pathplanner.graph.whatif import what_if  # noqa: PLC0415

            request = PlanRequest(time_limit=time_limit)
            return what_if(
                catalog, changes, goals, request=request, progress=progress, cancel=cancel
            )

        return self.controls.start(
            "what-if",
            work,
            busy_text="Planning routes before and after…",
            on_success=lambda result: self._finished(catalog, result),
            failure_text=_failure_text,
            cancelled_text="What-if cancelled.",
        )

    def cancel(self) -> None:
        self.controls.cancel()

    def _finished(self, catalog: Catalog, result: WhatIfResult) -> None:
        if catalog is not self._catalog:
            return
        self.show_result(result)
        better = [r for r in result.routes if (r.cost_change or 0) < 0 or (r.weeks_change or 0) < 0]
        self.message.setText(
            f"{len(better)} of {len(result.routes)} routes improve. Keep the change to save the "
            "changed catalogue."
        )

    def _update_buttons(self) -> None:
        running = self.running
        self.remove_button.setEnabled(self.changes.count() > 0)
        self.apply_button.setEnabled(self.result is not None and not running)

    # -- results ------------------------------------------------------------------------------

    def show_result(self, result: WhatIfResult | None) -> None:
        self.result = result
        self.routes.setRowCount(0)
        self.metrics.setRowCount(0)
        if result is not None and self._catalog is not None:
            catalog = self._catalog
            currency = catalog.currency
            for route in result.routes:
                goal = catalog.credentials_by_id.get(route.goal)
                changes = step_changes(route, result.catalog)
                cells = [
                    f"{OBJECTIVE_TEXT[route.objective]} to {goal.name if goal else route.goal}",
                    route_text(route.before, currency),
                    route_text(route.after, currency),
                    change_text(route, currency),
                    step_summary(changes),
                ]
                self._add_row(self.routes, cells, tips={4: changes})
            self.routes.resizeRowsToContents()
            for metric in METRIC_NAMES:
                before = result.metrics_before.total(metric)
                after = result.metrics_after.total(metric)
                moved = sum(1 for m in result.metric_changes().values() if metric in m)
                note = f"{after - before:+,}; {moved} credentials change" if moved else "no change"
                self._add_row(
                    self.metrics, [METRIC_LABELS[metric], f"{before:,}", f"{after:,}", note]
                )
        self._update_buttons()

    @staticmethod
    def _add_row(table: QTableWidget, cells: list[str], tips: dict[int, str] | None = None) -> None:
        """A row of read-only cells; each cell's tooltip is its text unless ``tips`` says
        otherwise (by column)."""
        row = table.rowCount()
        table.insertRow(row)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip((tips or {}).get(column, text))
            table.setItem(row, column, item)

    def _apply(self) -> None:
        if self.result is not None:
            self.apply_requested.emit(self.result)


def _failure_text(exc: BaseException) -> str:
    from pathplanner.graph.whatif import WhatIfError  # noqa: PLC0415

    if isinstance(exc, WhatIfError):
        return f"This change cannot be made: {exc}."
    return f"The what-if stopped with an error: {exc}"
