"""The plan dock: summary and totals, the steps in order, the timeline, the trade-off chart
and the explanation; infeasible requests are explained in words."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from pathplanner.model import Catalog
from pathplanner.ui.charts import TimelineChart, TradeOffChart
from pathplanner.ui.plan_summary import (
    credential_name,
    goal_text,
    money,
    objective_text,
    provider_name,
    readable,
    step_dates,
    totals,
    weekly_load,
)

if TYPE_CHECKING:  # the planner (SciPy) loads in the background after start-up
    from pathplanner.graph.planner import Plan

AnyIndex = QModelIndex | QPersistentModelIndex
STEP_COLUMNS = [
    "#",
    "Credential",
    "Provider",
    "Start",
    "Finish",
    "Cost",
    "h/week",
    "Transfer",
    "Why",
]


class PlanStepsModel(QAbstractTableModel):
    """The steps of one plan, in order."""

    StepIdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.plan: Plan | None = None
        self.catalog: Catalog | None = None

    def set_plan(self, plan: Plan | None, catalog: Catalog | None) -> None:
        self.beginResetModel()
        self.plan, self.catalog = plan, catalog
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid() or self.plan is None:
            return 0
        return len(self.plan.steps)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(STEP_COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if section == 5 and self.catalog is not None:
                return f"Cost ({self.catalog.currency})"
            return STEP_COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.plan is None or self.catalog is None or not index.isValid():
            return None
        if not 0 <= index.row() < len(self.plan.steps):
            return None
        step = self.plan.steps[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            start, finish = step_dates(self.plan, step)
            values = [
                str(index.row() + 1),
                credential_name(self.catalog, step.id),
                provider_name(self.catalog, step.id),
                start.isoformat(),
                finish.isoformat(),
                f"{step.cost:,.0f}",
                f"{step.hours_per_week:.1f}",
                f"{step.transferred_credits:g} cr" if step.transferred_credits else "",
                readable(step.reason, self.catalog),
            ]
            return values[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            name = credential_name(self.catalog, step.id)
            return f"{name}: {readable(step.reason, self.catalog)}" if step.reason else name
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (0, 5, 6, 7):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.StepIdRole:
            return step.id
        return None


class PlanView(QWidget):
    """Shows one plan (or a Pareto set of them, one selected)."""

    plan_selected = Signal(object)  # the Plan shown
    step_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalog: Catalog | None = None
        self.plans: list[Plan] = []
        self.current: Plan | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAccessibleName("Plan summary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = PlanStepsModel(self)
        self.steps = QTableView()
        self.steps.setAccessibleName("Plan steps")
        self.steps.setTabKeyNavigation(False)  # Tab leaves the table; arrows choose a row
        self.steps.setModel(self.model)
        self.steps.verticalHeader().hide()
        self.steps.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.steps.setAlternatingRowColors(True)
        self.steps.setWordWrap(False)
        self.steps.horizontalHeader().setStretchLastSection(True)
        self.steps.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # One line of text per row (Fusion's default fits two): more steps in a short dock.
        self.steps.verticalHeader().setDefaultSectionSize(self.steps.fontMetrics().height() + 8)
        self.steps.doubleClicked.connect(self._activate)
        # The selected step in full under the table: its name, provider and reason are cut in
        # their columns at the default size, and a tooltip needs the mouse.
        self.step_details = QLabel()
        self.step_details.setAccessibleName("Selected step")
        self.step_details.setWordWrap(True)
        self.step_details.setTextFormat(Qt.TextFormat.RichText)
        self.step_details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.step_details.setContentsMargins(2, 2, 2, 2)
        self.steps.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_step(current.row())
        )
        self.timeline = TimelineChart()
        timeline_scroll = QScrollArea()
        timeline_scroll.setWidgetResizable(True)
        timeline_scroll.setWidget(self.timeline)
        self.trade_off = TradeOffChart()
        self.trade_off.plan_clicked.connect(self.select_plan)
        self.explanation = QTextBrowser()
        self.explanation.setAccessibleName("Explanation")
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Plan details")
        self.tabs.addTab(timeline_scroll, "&Timeline")
        self.tabs.addTab(self.trade_off, "Trade-&off")
        self.tabs.addTab(self.explanation, "&Explanation")
        steps_box = QWidget()
        steps_layout = QVBoxLayout(steps_box)
        steps_layout.setContentsMargins(0, 0, 0, 0)
        steps_layout.setSpacing(2)
        steps_layout.addWidget(self.steps, 1)
        steps_layout.addWidget(self.step_details)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(steps_box)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        self.steps.setMinimumHeight(90)  # the header and three steps
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        self.show_message("Choose a goal to start, then press Plan.")

    def show_message(self, text: str) -> None:
        """Empty state or a planner failure in words; clears the plan."""
        self.plans, self.current = [], None
        self.summary.setText(f"<p style='font-size:11pt'>{html.escape(text)}</p>")
        self.model.set_plan(None, None)
        self._show_step(-1)
        self.timeline.set_plan(None, None)
        self.trade_off.set_plans([], "")
        self.explanation.setPlainText(text)

    def set_plans(self, plans: list[Plan], catalog: Catalog, selected: int = 0) -> None:
        self.catalog = catalog
        self.plans = list(plans)
        self.trade_off.set_plans(self.plans, catalog.currency, selected)
        self.tabs.setTabEnabled(1, len(self.plans) > 1)
        if len(self.plans) > 1:
            self.tabs.setCurrentIndex(1)
        self.select_plan(selected)

    def select_plan(self, index: int) -> None:
        if not 0 <= index < len(self.plans) or self.catalog is None:
            return
        plan = self.plans[index]
        self.current = plan
        self.trade_off.set_selected(index)
        catalog = self.catalog
        explanation = readable(plan.explanation, catalog)
        self.explanation.setPlainText(explanation)
        if plan.status == "infeasible":
            self.summary.setText(
                "<p style='font-size:11pt'><b>No plan meets these constraints.</b></p>"
                f"<p>{html.escape(explanation)}</p>"
                "<p>Loosen a constraint in the Planner panel (budget, hours per week, delivery,"
                " recognition, excluded providers) or choose another goal, then press Plan"
                " again.</p>"
            )
            self.model.set_plan(None, None)
            self._show_step(-1)
            self.timeline.set_plan(None, None)
            self.tabs.setCurrentIndex(2)
            self.plan_selected.emit(plan)
            return
        t = totals(plan, catalog)
        proof = {
            "optimal": "proven optimal",
            "feasible": "best found within the time limit",
        }.get(plan.status, plan.status)
        saved = (
            f" · transfer credit {t.transferred_credits:g} cr saves "
            f"{money(t.saved_by_transfer, catalog.currency)}"
            if t.transferred_credits
            else ""
        )
        which = f" (plan {index + 1} of {len(self.plans)})" if len(self.plans) > 1 else ""
        # The busiest week, and whether it was planned against a limit: a learner who left
        # "Hours per week" at no limit may be shown a route needing 60 hours in some weeks.
        peak = max(weekly_load(plan), default=0.0)
        load = f"up to {peak:.1f} h/week" + (
            "" if plan.request.hours_per_week else " (no limit set in Hours per week)"
        )
        self.summary.setText(
            f"<p style='font-size:11pt'><b>{html.escape(goal_text(plan, catalog))}</b> — "
            f"{objective_text(plan)} route{which}, {proof}</p>"
            f"<p><b>{money(t.cost, catalog.currency)}</b> · finishes <b>{t.finish:%d %b %Y}</b> "
            f"({t.weeks} weeks) · {t.steps} steps · {t.hours:,.0f} study hours, {load}{saved}</p>"
        )
        self.model.set_plan(plan, catalog)
        self.steps.resizeColumnsToContents()
        # Leave room for "why": names and providers can be long, the tooltip has them whole.
        self.steps.setColumnWidth(1, min(self.steps.columnWidth(1), 240))
        self.steps.setColumnWidth(2, min(self.steps.columnWidth(2), 170))
        self.steps.selectRow(0)  # its details are shown: the first step, until another is chosen
        self._show_step(0)
        self.timeline.set_plan(plan, catalog)
        self.plan_selected.emit(plan)

    def _show_step(self, row: int) -> None:
        """The step in full under the table, or nothing when there is none."""
        plan, catalog = self.current, self.catalog
        if plan is None or catalog is None or not 0 <= row < self.model.rowCount():
            self.step_details.clear()
            self.step_details.hide()
            return
        step = plan.steps[row]
        start, finish = step_dates(plan, step)
        provider = provider_name(catalog, step.id)
        why = readable(step.reason, catalog) if step.reason else ""
        self.step_details.setText(
            f"<b>{row + 1}. {html.escape(credential_name(catalog, step.id))}</b>"
            f"{' · ' + html.escape(provider) if provider else ''}"
            f" · {start:%d %b %Y} to {finish:%d %b %Y}"
            + (f"<br>Why: {html.escape(why, quote=False)}" if why else "")
        )
        self.step_details.show()

    def _activate(self, index: QModelIndex) -> None:
        step_id = self.model.data(index, PlanStepsModel.StepIdRole)
        if step_id:
            self.step_activated.emit(step_id)


def route_of(plan: Plan | None) -> list[str]:
    return [] if plan is None or plan.status == "infeasible" else [s.id for s in plan.steps]


__all__ = ["PlanStepsModel", "PlanView", "credential_name", "route_of"]
