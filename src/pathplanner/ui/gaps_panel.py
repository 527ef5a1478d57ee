"""The Gaps panel: run the program-designer analysis in the background and list its findings,
grouped by question, filterable; a click on a finding selects its credentials.

The panel owns no analysis logic: it builds :class:`AnalysisOptions`, runs
:func:`run_analysis` through the window's :class:`TaskRunner` and shows the report.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pathplanner.graph.findings import Finding, FindingKind, FindingSeverity
from pathplanner.graph.reachability import LearnerFilters
from pathplanner.model import Catalog, Delivery, Recognition
from pathplanner.ui.analysis_export import CATEGORY_TITLES, write_report_pdf
from pathplanner.ui.goal_list import GoalChecklist
from pathplanner.ui.plan_summary import readable
from pathplanner.ui.run_controls import RunControls
from pathplanner.ui.tasks import Task, TaskRunner

if TYPE_CHECKING:  # the analysis loads the planner (SciPy): imported when first used
    from pathplanner.analysis_service import AnalysisOptions, AnalysisReport

FindingRole = Qt.ItemDataRole.UserRole
DELIVERY_CHOICES: list[tuple[str, frozenset[Delivery] | None]] = [
    ("Any delivery", None),
    ("Online only", frozenset({Delivery.ONLINE})),
    ("Online or hybrid", frozenset({Delivery.ONLINE, Delivery.HYBRID})),
]
SEVERITY_ICONS = {
    FindingSeverity.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    FindingSeverity.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    FindingSeverity.INFO: QStyle.StandardPixmap.SP_MessageBoxInformation,
}
_RANK = {FindingSeverity.INFO: 0, FindingSeverity.WARNING: 1, FindingSeverity.ERROR: 2}


class GapsPanel(QWidget):
    """Options, Analyse/Cancel with progress, the findings tree, export."""

    finding_activated = Signal(list)  # the finding's credential ids, the main one first
    report_changed = Signal(object)  # AnalysisReport | None

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog: Catalog | None = None
        self.report: AnalysisReport | None = None
        self.last_dir = ""

        self.all_goals = QRadioButton("All &qualifications")
        self.all_goals.setToolTip("Every diploma, associate, bachelor, master and doctorate")
        self.chosen_goals = QRadioButton("C&hosen goals:")
        group = QButtonGroup(self)
        group.addButton(self.all_goals)
        group.addButton(self.chosen_goals)
        self.all_goals.setChecked(True)
        self.goal_list = GoalChecklist("Goals to analyse")
        self.goal_list.setMinimumHeight(90)
        self.goal_list.setVisible(False)
        self.chosen_goals.toggled.connect(self.goal_list.setVisible)
        self.delivery = QComboBox()
        self.delivery.setAccessibleName("Delivery filter")
        for text, value in DELIVERY_CHOICES:
            self.delivery.addItem(text, value)
        self.recognition = QComboBox()
        self.recognition.setAccessibleName("Minimum recognition")
        self.recognition.addItem("Any provider", None)
        for level in (Recognition.ACCREDITED, Recognition.INDUSTRY, Recognition.EMPLOYER):
            self.recognition.addItem(f"At least {level.value}", level)
        self.budget = self._spin("Budget", 10_000_000, 500, "No limit")
        self.hours = self._spin("Hours per week", 80, 1, "No limit")
        self.plan_routes = QCheckBox("Plan &routes (missing bridges, budget)")
        self.plan_routes.setChecked(True)
        self.plan_routes.setToolTip("Needs the planner: slower on big catalogues")

        self.controls = RunControls(
            tasks, "&Analyse", "Press Analyse to look for gaps in this catalogue.", self
        )
        self.run_button = self.controls.run_button
        self.run_button.clicked.connect(lambda _checked: self.start())
        self.cancel_button = self.controls.cancel_button
        self.progress = self.controls.progress
        self.message = self.controls.message
        self.controls.state_changed.connect(self._update_buttons)

        self.severity = QComboBox()
        self.severity.setAccessibleName("Show severity")
        self.severity.addItem("All findings", FindingSeverity.INFO)
        self.severity.addItem("Warnings and errors", FindingSeverity.WARNING)
        self.severity.addItem("Errors only", FindingSeverity.ERROR)
        self.severity.currentIndexChanged.connect(lambda _i: self._fill_tree())
        self.search = QLineEdit(placeholderText="Filter findings…")
        self.search.setAccessibleName("Filter findings")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._fill_tree())
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Findings")
        self.tree.setHeaderLabels(["Finding", "Impact", "Credentials"])
        self.tree.headerItem().setToolTip(
            1, "What the finding costs or would save: money, weeks, hours a week, overlap"
        )
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, self.fontMetrics().horizontalAdvance("saves 99,999 USD, 99 wk"))
        header.resizeSection(2, 260)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.currentItemChanged.connect(self._current_changed)
        self.export_json_button = QPushButton("Export &JSON…")
        self.export_json_button.clicked.connect(lambda _checked: self.export_json())
        self.export_pdf_button = QPushButton("Export &PDF…")
        self.export_pdf_button.clicked.connect(lambda _checked: self.export_pdf())

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        goals = QVBoxLayout()
        goals.addWidget(self.all_goals)
        goals.addWidget(self.chosen_goals)
        form.addRow("Goals", goals)
        form.addRow(self.goal_list)
        form.addRow("Delivery", self.delivery)
        form.addRow("Providers", self.recognition)
        form.addRow("Budget", self.budget)
        form.addRow("Hours/week", self.hours)
        form.addRow(self.plan_routes)
        options = QVBoxLayout()
        options.addLayout(form)
        options.addLayout(self.controls.buttons)
        options.addWidget(self.progress)
        options.addWidget(self.message)
        options.addStretch(1)
        left = QWidget()
        left.setLayout(options)
        left.setMaximumWidth(380)
        filters = QHBoxLayout()
        filters.addWidget(self.severity)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.export_json_button)
        filters.addWidget(self.export_pdf_button)
        results = QVBoxLayout()
        results.setContentsMargins(0, 0, 0, 0)
        results.addLayout(filters)
        results.addWidget(self.tree, 1)
        layout = QHBoxLayout(self)
        layout.addWidget(left)
        layout.addLayout(results, 1)
        self._update_buttons()

    @staticmethod
    def _spin(name: str, maximum: int, step: int, special: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setAccessibleName(name)
        spin.setRange(0, maximum)
        spin.setDecimals(0)
        spin.setSingleStep(step)
        spin.setSpecialValueText(special)  # shown at 0: no limit
        spin.setGroupSeparatorShown(True)  # "20,000", as in the Planner panel
        return spin

    # -- data ---------------------------------------------------------------------------------

    def set_catalog(self, catalog: Catalog) -> None:
        """A new catalogue: its qualifications first in the goal list; the old report goes."""
        self.cancel()
        self._catalog = catalog
        self.budget.setPrefix(f"{catalog.currency} ")
        self.goal_list.set_catalog(catalog)
        self.set_report(None)
        self.message.setText("Press Analyse to look for gaps in this catalogue.")

    def set_chosen_goals(self, goals: list[str]) -> None:
        """Analyse these goals only (an empty list: all qualifications)."""
        self.goal_list.set_checked(goals)
        (self.chosen_goals if goals else self.all_goals).setChecked(True)

    def options(self) -> AnalysisOptions:
        from pathplanner.analysis_service import AnalysisOptions  # noqa: PLC0415 (SciPy)

        goals: tuple[str, ...] = ()
        if self.chosen_goals.isChecked():
            goals = self.goal_list.checked()
        filters = LearnerFilters(
            delivery=self.delivery.currentData(),
            min_recognition=self.recognition.currentData(),
        )
        return AnalysisOptions(
            goals=goals,
            filters=filters,
            budget=self.budget.value() or None,
            hours_per_week=self.hours.value() or None,
            plan_routes=self.plan_routes.isChecked(),
        )

    # -- running ------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.controls.running

    def start(self) -> Task | None:
        catalog = self._catalog
        if catalog is None or self.running:
            return None
        options = self.options()
        if self.chosen_goals.isChecked() and not options.goals:
            self.message.setText("Tick at least one goal, or choose All qualifications.")
            return None

        def work(progress: Callable[[float, str], None], cancel: Callable[[], bool]) -> Any:
            from pathplanner.analysis_service import run_analysis  # noqa: PLC0415

            return run_analysis(catalog, options, progress=progress, cancel=cancel)

        return self.controls.start(
            "analyse",
            work,
            busy_text="Analysing…",
            on_success=lambda report: self._finished(catalog, report),
            failure_text=_failure_text,
            cancelled_text="Analysis cancelled.",
        )

    def cancel(self) -> None:
        self.controls.cancel()

    def _finished(self, catalog: Catalog, report: AnalysisReport) -> None:
        if catalog is not self._catalog:
            return  # the catalogue changed meanwhile
        summary = report.summary()["by_severity"]
        counts = ", ".join(f"{n} {s}" for s, n in summary.items()) or "nothing to report"
        self.message.setText(
            f"{len(report.findings)} findings ({counts}) for {len(report.goals)} goals "
            f"in {report.elapsed_seconds:.1f} s. Click one to see it on the graph."
        )
        self.set_report(report)

    def _update_buttons(self) -> None:
        has_report = self.report is not None
        self.export_json_button.setEnabled(has_report)
        self.export_pdf_button.setEnabled(has_report)

    # -- findings -----------------------------------------------------------------------------

    def set_report(self, report: AnalysisReport | None) -> None:
        self.report = report
        self._fill_tree()
        self._update_buttons()
        self.report_changed.emit(report)

    def visible_findings(self) -> list[Finding]:
        if self.report is None:
            return []
        least = _RANK[self.severity.currentData()]
        text = self.search.text().strip().lower()
        catalog = self._catalog
        shown = []
        for finding in self.report.findings:
            if _RANK[finding.severity] < least:
                continue
            if text:
                names = " ".join(_names(catalog, finding.credentials))
                message = _message(catalog, finding)
                haystack = f"{message} {finding.message} {names} {finding.kind.value}".lower()
                if text not in haystack:
                    continue
            shown.append(finding)
        return shown

    def _fill_tree(self) -> None:
        self.tree.clear()
        findings = self.visible_findings()
        style = self.style()
        for category, title in CATEGORY_TITLES.items():
            members = sorted(
                (f for f in findings if f.category == category),
                key=lambda f: -_RANK[f.severity],
            )
            if not members:
                continue
            worst = members[0].severity
            parent = QTreeWidgetItem([f"{title} ({len(members)})"])
            parent.setIcon(0, style.standardIcon(SEVERITY_ICONS[worst]))
            font = parent.font(0)
            font.setBold(True)
            parent.setFont(0, font)
            parent.setFirstColumnSpanned(False)
            self.tree.addTopLevelItem(parent)
            for finding in members:
                names = _names(self._catalog, finding.credentials)
                impact = impact_text(finding, self._catalog.currency if self._catalog else "")
                message = _message(self._catalog, finding)
                child = QTreeWidgetItem(
                    [_headline(finding, names, message), impact, ", ".join(names)]
                )
                child.setIcon(0, style.standardIcon(SEVERITY_ICONS[finding.severity]))
                child.setToolTip(0, f"{finding.severity.value}: {message}")
                child.setStatusTip(0, "Click to select on the graph")
                child.setToolTip(1, message)
                child.setToolTip(2, "\n".join(names))
                child.setData(0, FindingRole, finding)
                parent.addChild(child)
            parent.setExpanded(True)
        if self.report is not None and self.report.notes:
            notes = QTreeWidgetItem([f"Notes on this analysis ({len(self.report.notes)})"])
            notes.setIcon(0, style.standardIcon(QStyle.StandardPixmap.SP_FileDialogInfoView))
            for note in self.report.notes:
                child = QTreeWidgetItem([note])
                child.setToolTip(0, note)
                notes.addChild(child)
            self.tree.addTopLevelItem(notes)
        if self.report is not None and not findings:
            empty = QTreeWidgetItem(
                ["No findings match." if self.report.findings else "No findings: no gaps found."]
            )
            self.tree.addTopLevelItem(empty)

    def _current_changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        finding = current.data(0, FindingRole) if current is not None else None
        if isinstance(finding, Finding):
            self.finding_activated.emit(list(finding.credentials))

    # -- export -------------------------------------------------------------------------------

    def _save_name(self, title: str, suffix: str, kind: str) -> Path | None:
        stem = f"{self._catalog.name if self._catalog else 'catalogue'} gaps"
        default = str(Path(self.last_dir or str(Path.home())) / f"{stem}.{suffix}")
        name, _ = QFileDialog.getSaveFileName(self, title, default, f"{kind} (*.{suffix})")
        if not name:
            return None
        path = Path(name)
        self.last_dir = str(path.parent)
        return path if path.suffix else path.with_suffix(f".{suffix}")

    def export_json(self, path: Path | None = None) -> bool:
        if self.report is None:
            return False
        path = path or self._save_name("Export analysis as JSON", "json", "JSON reports")
        if path is None:
            return False
        from pathplanner.analysis_service import write_report_json  # noqa: PLC0415

        try:
            write_report_json(self.report, path)
        except OSError as exc:
            QMessageBox.warning(self, "Not exported", f"{exc}. Choose another folder.")
            return False
        self.message.setText(f"Report saved to {path}.")
        return True

    def export_pdf(self, path: Path | None = None, page: str = "A4") -> bool:
        if self.report is None or self._catalog is None:
            return False
        path = path or self._save_name("Export analysis as PDF", "pdf", "PDF documents")
        if path is None:
            return False
        write_report_pdf(self.report, self._catalog, path, page=page)
        self.message.setText(f"Report saved to {path}.")
        return True


def impact_text(finding: Finding, currency: str) -> str:
    """The figure that makes a finding matter, short enough for a column ("" when none)."""
    numbers = finding.numbers
    kind = finding.kind
    if kind is FindingKind.MISSING_BRIDGE:
        weeks = int(numbers.get("weeks_saved", 0))
        text = f"saves {numbers['money_saved']:,.0f} {currency}"
        return f"{text}, {weeks} wk" if weeks > 0 else text
    if kind is FindingKind.OVER_BUDGET:
        over = numbers["cheapest_cost"] - numbers["budget"]
        return f"{over:,.0f} {currency} over"
    if kind is FindingKind.TOO_MANY_HOURS:
        return f"needs {numbers['heaviest_load']:.0f} h/week"
    if kind is FindingKind.OVERLAP:
        return f"{numbers['jaccard']:.0%} alike"
    if kind is FindingKind.IN_PERSON_ONLY:
        count = int(numbers["in_person_credentials"])
        return f"{count} in person"
    return ""


def _message(catalog: Catalog | None, finding: Finding) -> str:
    """The finding in words, its credential ids named (the JSON export keeps the ids)."""
    return finding.message if catalog is None else readable(finding.message, catalog)


def _headline(finding: Finding, names: list[str], message: str) -> str:
    """What the tree's first column shows: a missing bridge as "source →" over "block" on two
    lines (its saving is in the Impact column, the whole sentence in the tooltip; the sentence
    on one line was cut before it named the block), other findings as their sentence,
    capitalised."""
    if finding.kind is FindingKind.MISSING_BRIDGE and len(names) in (2, 3):
        goal, source = names[0], names[1]
        target = names[2] if len(names) == 3 else goal
        route = "" if target == goal else f" (route to {goal})"
        return f"{source} →\n{target}{route}"
    return message[:1].upper() + message[1:]


def _names(catalog: Catalog | None, ids: tuple[str, ...]) -> list[str]:
    known = catalog.credentials_by_id if catalog is not None else {}
    return [known[c].name if c in known else c for c in ids]


def _failure_text(exc: BaseException) -> str:
    from pathplanner.analysis_service import AnalysisError  # noqa: PLC0415

    if isinstance(exc, AnalysisError):
        return f"Please check the options: {exc}."
    return f"The analysis stopped with an error: {exc}"
