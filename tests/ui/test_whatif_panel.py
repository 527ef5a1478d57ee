"""The What-if panel: compose changes with the pickers, compare routes and metrics before and
after (in the background, cancellable), keep the change as a new catalogue file."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from pathplanner.catalog import load_catalog
from pathplanner.graph.planner import PlanRequest
from pathplanner.graph.whatif import AddTransfer, DropPrerequisite, SetPrice, what_if
from pathplanner.ui.tasks import TaskRunner
from pathplanner.ui.whatif_panel import DROP, PRICE, WhatIfPanel, route_text, step_summary

pytestmark = pytest.mark.gui


def pick(combo: Any, credential_id: str) -> None:
    combo.setCurrentIndex(combo.findData(credential_id))


def test_transfer_link_compared_before_and_after(qtbot: Any, window: Any) -> None:
    panel = window.whatif_panel
    window.set_goal("degree")
    assert panel.goals.checked() == ("degree",)  # the planner's goal is offered
    pick(panel.transfer_source, "intro-sql")
    pick(panel.transfer_target, "degree")
    # a picked name shows from its start, and in full on hover
    assert panel.transfer_target.lineEdit().cursorPosition() == 0
    assert panel.transfer_target.toolTip() == "BSc Data Science (degree)"
    assert panel.add_current_change()
    assert panel.changes.item(0).text() == "Transfer Intro to SQL → BSc Data Science"
    panel.run_button.click()
    qtbot.waitUntil(lambda: not panel.running and panel.result is not None, timeout=30000)

    expected = what_if(
        window.catalog,
        [AddTransfer("intro-sql", "degree")],
        ["degree"],
        request=PlanRequest(time_limit=panel.time_limit),
    )
    table = panel.routes
    assert table.rowCount() == 2
    assert table.item(0, 0).text() == "Cheapest to BSc Data Science"
    assert table.item(1, 0).text() == "Fastest to BSc Data Science"
    cheapest = expected.routes[0]
    assert table.item(0, 1).text() == route_text(cheapest.before, "USD")
    assert route_text(cheapest.before, "USD") == (
        f"{cheapest.before.total_cost:,.0f} USD\n{cheapest.before.finish_week} wk · "
        f"{len(cheapest.before.steps)} steps"
    )
    assert table.item(0, 2).text() == route_text(cheapest.after, "USD")
    assert cheapest.cost_change is not None
    assert cheapest.cost_change < 0
    assert table.item(0, 3).text().startswith(f"{cheapest.cost_change:+,.0f} USD")
    # the certificate's credit only lowers the degree's price: the same steps either way
    assert {s.id for s in cheapest.before.steps} == {s.id for s in cheapest.after.steps}
    assert table.item(0, 4).text() == "same steps"
    assert panel.metrics.rowCount() == 4
    assert panel.metrics.item(0, 0).text() == "Blocking factor"
    assert "routes improve" in panel.message.text()
    assert panel.apply_button.isEnabled()


def test_price_and_prerequisite_pickers(qtbot: Any, window: Any) -> None:
    panel = window.whatif_panel
    panel.change_type.setCurrentIndex(panel.change_type.findData(PRICE))
    pick(panel.price_credential, "degree")
    assert panel.price_cost.value() == 1000  # the current price, to edit
    assert panel.price_per_credit.value() == 100
    assert panel.current_change() is None
    assert "Change the cost" in panel.message.text()
    panel.price_per_credit.setValue(60)
    assert panel.current_change() == SetPrice("degree", per_credit_price=60)
    pick(panel.price_credential, "statistics")
    assert not panel.price_per_credit.isEnabled()  # no credit block

    panel.change_type.setCurrentIndex(panel.change_type.findData(DROP))
    pick(panel.drop_credential, "analyst")
    options = [panel.drop_prerequisite.itemText(i) for i in range(panel.drop_prerequisite.count())]
    assert options == ["Intro to SQL", "Python Basics", "Statistics Certificate"]
    panel.drop_prerequisite.setCurrentIndex(2)
    assert panel.current_change() == DropPrerequisite("analyst", "statistics")
    panel.add_current_change()
    assert panel.changes.item(0).text() == (
        "Data Analyst Certificate no longer needs Statistics Certificate"
    )
    panel.changes.setCurrentRow(0)
    panel.remove_button.click()
    assert panel.change_list() == []


def test_what_if_needs_a_goal_and_a_change(qtbot: Any, window: Any) -> None:
    panel = window.whatif_panel
    panel.transfer_source.setEditText("Nothing by this name")
    assert panel.start() is None
    assert panel.message.text() == "Pick both credentials from the lists."
    pick(panel.transfer_source, "bootcamp")
    assert panel.start() is None  # the form's change is added, but no goal is ticked
    assert panel.change_list() == [AddTransfer("bootcamp", "degree")]
    assert panel.message.text() == "Tick at least one goal to compare routes to."


def test_cancel(qtbot: Any, loaded_small: Any) -> None:
    tasks = TaskRunner(threads=1)
    panel = WhatIfPanel(tasks)
    qtbot.addWidget(panel)
    panel.set_catalog(loaded_small.catalog)
    panel.goals.set_checked(["degree"])
    pick(panel.transfer_source, "intro-sql")
    release = threading.Event()
    tasks.start("hold the only thread", lambda _p, _c: release.wait(10))
    panel.start()
    panel.cancel()
    release.set()
    qtbot.waitUntil(lambda: not panel.running, timeout=10000)
    tasks.wait()
    assert panel.message.text() == "What-if cancelled."
    assert panel.result is None
    assert not panel.apply_button.isEnabled()


def test_keep_the_change_saves_and_opens_the_changed_catalogue(
    qtbot: Any, window: Any, tmp_path: Path
) -> None:
    panel = window.whatif_panel
    panel.goals.set_checked(["degree"])
    pick(panel.transfer_source, "intro-sql")
    panel.start()
    qtbot.waitUntil(lambda: not panel.running and panel.result is not None, timeout=30000)
    path = tmp_path / "changed.json"
    with qtbot.waitSignal(window.catalog_opened, timeout=20000):
        assert window.keep_what_if(panel.result, path)
    assert "intro-sql" in load_catalog(path).catalog.credential("degree").transfer
    assert "intro-sql" in window.catalog.credential("degree").transfer
    assert panel.result is None  # the panel starts afresh on the new catalogue
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=20000)


def test_step_summary_counts_what_joins_and_leaves() -> None:
    assert step_summary("+ A\n+ B\n− C") == "adds 2, drops 1"  # noqa: RUF001 (minus sign)
    assert step_summary("− C") == "drops 1"  # noqa: RUF001
    assert step_summary("same steps") == "same steps"
