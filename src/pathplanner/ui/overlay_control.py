"""The "Colour by" chooser of the graph: kind (default), a complexity metric, or findings.

Metrics are computed in the background on what the graph shows (the whole catalogue, or the
goal's pathway); findings come from the Gaps panel's last report. Colours come from the pure
mappings in :mod:`pathplanner.ui.overlays`; the graph items only paint them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QComboBox

from pathplanner.graph.metrics import METRIC_NAMES, CurriculumMetrics, MetricsError, catalog_metrics
from pathplanner.model import Catalog
from pathplanner.ui.graph_view import CLOSURE, COMBO_MIN_WIDTH, GraphPanel
from pathplanner.ui.overlays import (
    FINDINGS,
    KIND,
    METRIC_LABELS,
    NO_FINDING,
    NO_VALUE,
    finding_colours,
    finding_legend,
    heat_colours,
    heat_legend,
)
from pathplanner.ui.tasks import Task, TaskRunner

if TYPE_CHECKING:  # loads the planner (SciPy)
    from pathplanner.analysis_service import AnalysisReport


class OverlayControl(QObject):
    """Owns the combo box; recolours the graph when the mode, scope, goal or report change."""

    def __init__(self, graph: GraphPanel, tasks: TaskRunner) -> None:
        super().__init__(graph)
        self._graph = graph
        self._tasks = tasks
        self._catalog: Catalog | None = None
        self.report: AnalysisReport | None = None
        self._task: Task | None = None
        self._generation = 0
        self.combo = QComboBox()
        self.combo.setAccessibleName("Colour the graph by")
        self.combo.setToolTip("Colour the credentials by kind, a complexity metric or findings")
        self.combo.addItem("Colour: kind", KIND)
        for metric in METRIC_NAMES:
            self.combo.addItem(f"Heat map: {METRIC_LABELS[metric].lower()}", metric)
        self.combo.addItem("Colour: findings", FINDINGS)
        self.combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.combo.setMinimumWidth(COMBO_MIN_WIDTH)  # shrinks only when the window is narrow
        graph.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        graph.layout_ready.connect(self.refresh)  # a new scope or goal is laid out first

    @property
    def mode(self) -> str:
        return str(self.combo.currentData())

    def set_mode(self, mode: str) -> None:
        self.combo.setCurrentIndex(self.combo.findData(mode))

    def set_catalog(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self.report = None
        self.refresh()

    def set_report(self, report: AnalysisReport | None) -> None:
        self.report = report
        if self.mode == FINDINGS:
            self.refresh()

    @property
    def busy(self) -> bool:
        return self._task is not None

    def refresh(self) -> None:
        self._generation += 1
        mode = self.mode
        if mode == KIND or self._catalog is None:
            self._graph.set_overlay(None)
        elif mode == FINDINGS:
            self._show_findings()
        else:
            self._measure(mode)

    def _show_findings(self) -> None:
        if self.report is None:
            self._graph.set_overlay(
                {},
                default=NO_FINDING,
                legend="<b>Findings</b>: run the analysis in the Gaps panel (View ▸ Gaps) "
                "to colour credentials by their findings.",
            )
            return
        overlay = self.report.finding_overlay()
        self._graph.set_overlay(
            finding_colours(overlay), default=NO_FINDING, legend=finding_legend(overlay)
        )

    def _measure(self, metric: str) -> None:
        catalog = self._catalog
        assert catalog is not None
        goal = self._graph.goal if self._graph.scope.currentData() == CLOSURE else None
        scope = f"pathway to {catalog.credential(goal).name}" if goal else "whole catalogue"
        generation = self._generation
        if self._task is not None:
            self._task.cancel()

        def work(progress: object, cancel: object) -> CurriculumMetrics:
            return catalog_metrics(catalog, goal, cancel=cancel)  # type: ignore[arg-type]

        def done(metrics: CurriculumMetrics) -> None:
            if generation != self._generation:
                return
            values = metrics.values(metric)  # type: ignore[arg-type]
            self._graph.set_overlay(
                heat_colours(values), default=NO_VALUE, legend=heat_legend(metric, values, scope)
            )

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                message = str(exc) if isinstance(exc, MetricsError) else f"error: {exc}"
                self._graph.set_overlay(
                    {}, default=NO_VALUE, legend=f"<b>Metrics not computed</b>: {message}"
                )

        self._task = task = self._tasks.start("metrics", work, on_success=done, on_failure=failed)
        task.finished.connect(lambda: self._task_done(task))

    def _task_done(self, task: Task) -> None:
        if self._task is task:
            self._task = None
