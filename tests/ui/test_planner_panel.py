"""The planner panel turns its form into a PlanRequest, or says what is missing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPalette

from pathplanner.catalog import LoadedCatalog, load_catalog
from pathplanner.graph.planner import PlanRequest
from pathplanner.model import Delivery, Recognition
from pathplanner.ui import theme
from pathplanner.ui.planner_panel import TRADE_OFF, CheckList, PlannerPanel
from tests.ui.conftest import small_catalog

pytestmark = pytest.mark.gui


@pytest.fixture
def panel(qtbot: Any, loaded_small: LoadedCatalog) -> PlannerPanel:
    widget = PlannerPanel()
    qtbot.addWidget(widget)
    widget.set_catalog(loaded_small.catalog)
    return widget


def test_without_a_goal_the_panel_says_choose_a_goal(qtbot: Any, panel: PlannerPanel) -> None:
    assert panel.build_request() == (
        "Choose a goal to start: type a credential's name and pick it from the list."
    )
    with qtbot.assertNotEmitted(panel.plan_requested):
        panel.plan_button.click()
    assert "Choose a goal" in panel.message.text()


def test_an_unknown_goal_name_is_pointed_out(qtbot: Any, panel: PlannerPanel) -> None:
    qtbot.keyClicks(panel.goal, "Astronaut")
    panel.goal.editingFinished.emit()
    assert "No credential has that name" in panel.goal_status.text()
    assert panel.goal_id() is None


def test_the_form_becomes_a_request(qtbot: Any, panel: PlannerPanel) -> None:
    goals: list[object] = []
    panel.goal_changed.connect(goals.append)
    panel.goal.setText("bsc data science")  # names match without regard to case
    panel.goal.editingFinished.emit()
    assert goals[-1] == "degree"
    panel.held.set_checked(frozenset({"intro-sql"}))
    panel.budget.setValue(5000)
    panel.hours.setValue(12)
    panel.start.setDate(QDate(2027, 1, 4))
    panel.delivery[Delivery.IN_PERSON].setChecked(False)
    panel.providers.set_checked(frozenset({"beta"}))
    panel.recognition.setCurrentIndex(panel.recognition.findData(Recognition.INDUSTRY))
    panel.set_objective("time")
    with qtbot.waitSignal(panel.plan_requested) as blocker:
        panel.plan_button.click()
    request, mode = blocker.args
    assert mode == "time"
    assert request == PlanRequest(
        goal="degree",
        held=frozenset({"intro-sql"}),
        objective="time",
        budget=5000,
        hours_per_week=12,
        start_date=date(2027, 1, 4),
        delivery=frozenset({Delivery.ONLINE, Delivery.HYBRID}),
        exclude_providers=frozenset({"beta"}),
        min_recognition=Recognition.INDUSTRY,
    )


def test_no_limits_and_all_modes_mean_none(panel: PlannerPanel) -> None:
    panel.set_goal("analyst")
    panel.set_objective(TRADE_OFF)
    request = panel.build_request()
    assert isinstance(request, PlanRequest)
    assert (request.budget, request.hours_per_week, request.delivery) == (None, None, None)
    assert request.objective == "cost"  # the trade-off front is asked of pareto_front
    assert panel.objective() == TRADE_OFF


def test_a_skills_goal(panel: PlannerPanel) -> None:
    panel.goal_kind.setCurrentIndex(1)
    assert panel.build_request() == "Tick at least one skill to aim for."
    panel.skills.set_checked(frozenset({"sql", "python"}))
    request = panel.build_request()
    assert isinstance(request, PlanRequest)
    assert (request.goal, request.skills) == (None, frozenset({"sql", "python"}))


def test_check_list_model_passes_the_model_tester(qtmodeltester: Any, panel: PlannerPanel) -> None:
    qtmodeltester.check(panel.held.model)


def test_ticking_a_box_changes_the_held_credentials(qtbot: Any, panel: PlannerPanel) -> None:
    model = panel.held.model
    row = model.keys.index("bootcamp")
    with qtbot.waitSignal(panel.held_changed) as changed:
        model.setData(model.index(row), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert changed.args == [frozenset({"bootcamp"})]


def test_held_list_is_searchable(qtbot: Any, panel: PlannerPanel) -> None:
    qtbot.keyClicks(panel.held.filter, "cert")
    assert panel.held.visible_texts() == ["Data Analyst Certificate", "Statistics Certificate"]
    panel.held.toggle("statistics")
    assert panel.held.checked() == frozenset({"statistics"})
    assert "Statistics Certificate" in panel.held.summary.text()


def test_running_state_swaps_plan_and_cancel(panel: PlannerPanel) -> None:
    panel.set_running(True)
    assert not panel.plan_button.isEnabled()
    assert panel.cancel_button.isEnabled()
    assert not panel.progress.isHidden()
    panel.show_progress(0.4, "solving")
    assert panel.progress.value() == 40
    assert panel.message.text() == "solving"
    panel.set_running(False)
    assert panel.progress.isHidden()  # idle, an empty bar looked like a field to fill in
    assert panel.plan_button.isEnabled()


def test_a_long_goal_name_is_not_cut_off(qtbot: Any, write_catalog: Any) -> None:
    data = small_catalog()
    long_name = "Indiana Registered Nurse (RN) licence, Associate of Science in Nursing track"
    data["credentials"][-1]["name"] = long_name
    panel = PlannerPanel()
    qtbot.addWidget(panel)
    panel.set_catalog(load_catalog(write_catalog(data, "long.json")).catalog)
    panel.resize(340, 600)  # a crowded dock: the form scrolls
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.message.text() == ""  # the goal field says what to do first
    assert panel.progress.isHidden()
    panel.set_goal("degree")
    label = panel.goal_status
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
    assert label.heightForWidth(label.width()) > label.fontMetrics().lineSpacing() * 1.5


def test_unticked_boxes_show_on_a_dark_palette(qtbot: Any) -> None:
    checks = CheckList("Held credentials", "Search…")
    qtbot.addWidget(checks)
    checks.setPalette(theme.dark_palette())
    checks.set_items([("a", "Alpha"), ("b", "Beta")])
    checks.resize(240, 200)
    checks.show()
    qtbot.waitExposed(checks)
    image = checks.list.viewport().grab().toImage()
    base = theme.dark_palette().color(QPalette.ColorRole.Base).lightness()
    row = checks.list.visualRect(checks.model.index(0))
    box = [  # the check box sits at the row's left end
        image.pixelColor(x, y).lightness()
        for x in range(row.left(), row.left() + row.height())
        for y in range(row.top(), row.bottom())
    ]
    assert max(box) - base > 40  # its outline stands out from the list (it was ~4 apart)
