"""The Gaps panel in the main window: analyse in the background, findings grouped and
filterable, a click selects the credentials, cancel, JSON and PDF reports; graph overlays."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QTreeWidgetItem

from pathplanner.catalog import load_catalog
from pathplanner.graph.findings import Finding, FindingKind, FindingSeverity
from pathplanner.graph.metrics import catalog_metrics
from pathplanner.model import Delivery
from pathplanner.ui.gaps_panel import FindingRole, GapsPanel
from pathplanner.ui.overlays import (
    FINDINGS,
    KIND,
    NO_FINDING,
    NO_VALUE,
    SEVERITY_COLOURS,
    heat_colours,
)
from pathplanner.ui.tasks import TaskRunner

pytestmark = pytest.mark.gui


def analyse(qtbot: Any, window: Any) -> None:
    panel = window.gaps_panel
    panel.budget.setValue(1000)
    panel.delivery.setCurrentIndex(panel.delivery.findText("Online only"))
    panel.run_button.click()
    qtbot.waitUntil(lambda: not panel.running and panel.report is not None, timeout=20000)


def finding_items(panel: GapsPanel) -> list[QTreeWidgetItem]:
    tree = panel.tree
    return [
        tree.topLevelItem(i).child(j)
        for i in range(tree.topLevelItemCount())
        for j in range(tree.topLevelItem(i).childCount())
    ]


def test_analysis_lists_findings_by_category_and_selects_them(qtbot: Any, window: Any) -> None:
    analyse(qtbot, window)
    panel = window.gaps_panel
    options = panel.report.options
    assert options.budget == 1000
    assert options.filters.delivery == frozenset({Delivery.ONLINE})
    titles = [panel.tree.topLevelItem(i).text(0) for i in range(panel.tree.topLevelItemCount())]
    assert "Missing bridges (2)" in titles
    assert "Access equity (1)" in titles
    assert "findings" in panel.message.text()

    budget = next(
        item
        for item in finding_items(panel)
        if item.data(0, FindingRole).kind is FindingKind.OVER_BUDGET
    )
    assert "Data Analyst Certificate" in budget.text(2)
    assert budget.text(1) == "2,830 USD over"  # the cheapest online route costs 3,830
    bridges = [
        item
        for item in finding_items(panel)
        if item.data(0, FindingRole).kind is FindingKind.MISSING_BRIDGE
    ]
    # either certificate's 12 credits, if the degree accepted them, would save 300 and 3 weeks
    assert [b.text(1) for b in bridges] == ["saves 300 USD, 3 wk"] * 2
    # The finding says which credentials by name; the report (and its JSON) keeps the ids.
    bridge = bridges[0].data(0, FindingRole)
    assert bridge.message.startswith("a transfer link intro-sql -> degree would lower")
    # The tree says which link (its saving is in the next column); the tooltip has the sentence.
    assert {b.text(0) for b in bridges} == {
        "Intro to SQL →\nBSc Data Science",
        "Python Basics →\nBSc Data Science",
    }
    assert (
        bridges[0]
        .toolTip(0)
        .startswith(
            "info: a transfer link Intro to SQL -> BSc Data Science would lower the cheapest "
            "route to BSc Data Science from"
        )
    )
    panel.tree.setCurrentItem(budget)
    selected = {
        item.node_id
        for item in window.graph_panel.scene.selectedItems()
        if hasattr(item, "node_id")
    }
    assert selected == {"degree", "intro-sql", "python-basics", "analyst"}
    assert window.browser.current_credential().id == "degree"


def test_findings_filter_by_severity_and_text(qtbot: Any, window: Any) -> None:
    analyse(qtbot, window)
    panel = window.gaps_panel
    assert len(finding_items(panel)) == 3
    panel.severity.setCurrentIndex(panel.severity.findData(FindingSeverity.WARNING))
    assert [i.data(0, FindingRole).kind for i in finding_items(panel)] == [FindingKind.OVER_BUDGET]
    panel.severity.setCurrentIndex(0)
    panel.search.setText("python basics")  # a credential's name, not in the message
    found = [i.data(0, FindingRole) for i in finding_items(panel)]
    assert len(found) == 2  # the bridge from it, the over-budget route through it
    assert all("python-basics" in f.credentials for f in found)
    panel.search.setText("no such thing")
    assert panel.tree.topLevelItem(0).text(0) == "No findings match."


def test_chosen_goals_must_be_ticked(qtbot: Any, window: Any) -> None:
    panel = window.gaps_panel
    # unset limits read as in the Planner panel ("no budget" and "any" before)
    for spin, planner_spin in (
        (panel.budget, window.planner.budget),
        (panel.hours, window.planner.hours),
    ):
        assert spin.specialValueText() == planner_spin.specialValueText() == "No limit"
    panel.budget.setValue(20000)
    assert panel.budget.text() == "USD 20,000"
    assert window.planner.budget.prefix() == "USD "  # the same prefix in both
    panel.chosen_goals.setChecked(True)
    assert panel.start() is None
    assert "Tick at least one goal" in panel.message.text()
    panel.set_chosen_goals(["analyst"])
    assert panel.goal_list.item(0).text() == "BSc Data Science (bachelor)"  # qualifications first
    panel.run_button.click()
    qtbot.waitUntil(lambda: panel.report is not None, timeout=20000)
    assert panel.report.goals == ("analyst",)


def test_cancel_stops_the_analysis(qtbot: Any, loaded_small: Any) -> None:
    tasks = TaskRunner(threads=1)
    panel = GapsPanel(tasks)
    qtbot.addWidget(panel)
    panel.set_catalog(loaded_small.catalog)
    progress = panel.controls.progress
    assert progress.isHidden()  # idle: no empty bar
    release = threading.Event()
    tasks.start("hold the only thread", lambda _p, _c: release.wait(10))
    panel.start()  # queued behind the blocker, so it is cancelled before it begins
    assert not progress.isHidden()
    panel.cancel()
    release.set()
    qtbot.waitUntil(lambda: not panel.running, timeout=10000)
    tasks.wait()
    assert progress.isHidden()
    assert panel.message.text() == "Analysis cancelled."
    assert panel.report is None
    assert panel.run_button.isEnabled()
    assert not panel.export_pdf_button.isEnabled()


def test_reports_export_as_json_and_pdf(qtbot: Any, window: Any, tmp_path: Path) -> None:
    panel = window.gaps_panel
    assert not panel.export_json(tmp_path / "none.json")  # nothing to export yet
    analyse(qtbot, window)
    assert panel.export_json(tmp_path / "gaps.json")
    data = json.loads((tmp_path / "gaps.json").read_text())
    assert data["format"] == "pathplanner-analysis"
    assert data["summary"]["findings"] == 3
    assert panel.export_pdf(tmp_path / "gaps.pdf")
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "gaps.pdf").pages)
    flat = " ".join(text.split())
    assert "Gap analysis" in flat
    assert "Missing bridges (2)" in flat
    assert "Access equity (1)" in flat
    assert "over a budget of 1,000.00 USD" in flat
    assert "Structural complexity" in flat


def test_heat_map_and_finding_overlays(qtbot: Any, window: Any, loaded_small: Any) -> None:
    overlay = window.overlay
    items = window.graph_panel.items
    kind_fill = items["degree"].fill
    overlay.set_mode("complexity")
    qtbot.waitUntil(lambda: not overlay.busy)
    expected = heat_colours(catalog_metrics(loaded_small.catalog).values("complexity"))
    assert {cid: item.fill for cid, item in items.items()} == expected
    assert "Structural complexity" in window.graph_panel.legend.text()

    overlay.set_mode(FINDINGS)
    assert {item.fill for item in items.values()} == {NO_FINDING}  # no report yet
    assert "Gaps panel" in window.graph_panel.legend.text()
    analyse(qtbot, window)
    assert items["degree"].fill == SEVERITY_COLOURS[FindingSeverity.WARNING]
    assert items["statistics"].fill == NO_FINDING
    assert "warning&nbsp;(4)" in window.graph_panel.legend.text()

    overlay.set_mode(KIND)
    assert items["degree"].fill == kind_fill


def test_heat_map_on_the_goal_pathway(qtbot: Any, window: Any, loaded_small: Any) -> None:
    window.set_goal("analyst")
    window.graph_panel.show_whole_catalogue(False)
    window.overlay.set_mode("blocking")
    qtbot.waitUntil(lambda: not window.graph_panel.laying_out and not window.overlay.busy)
    qtbot.waitUntil(lambda: "pathway to Data Analyst" in window.graph_panel.legend.text())
    fills = {cid: item.fill for cid, item in window.graph_panel.items.items()}
    values = catalog_metrics(loaded_small.catalog, "analyst").values("blocking")
    assert fills == heat_colours(values)
    assert NO_VALUE not in fills.values()


def test_a_finding_outside_the_shown_closure_switches_to_the_whole_catalogue(
    qtbot: Any, window: Any
) -> None:
    window.set_goal("analyst")
    window.graph_panel.show_whole_catalogue(False)
    qtbot.waitUntil(
        lambda: not window.graph_panel.laying_out and "degree" not in window.graph_panel.items
    )
    finding = Finding(FindingKind.DEAD_END, FindingSeverity.INFO, ("degree",), "test")
    window.gaps_panel.finding_activated.emit(list(finding.credentials))
    qtbot.waitUntil(
        lambda: (
            "degree" in window.graph_panel.items and window.graph_panel.items["degree"].isSelected()
        )
    )


def test_report_is_dropped_with_a_new_catalogue(
    qtbot: Any, window: Any, small_catalog_path: Path
) -> None:
    analyse(qtbot, window)
    with qtbot.waitSignal(window.catalog_opened, timeout=20000):
        window.open_catalog(small_catalog_path)
    assert window.gaps_panel.report is None
    assert window.gaps_panel.tree.topLevelItemCount() == 0
    assert load_catalog(small_catalog_path).catalog.name == window.catalog.name
