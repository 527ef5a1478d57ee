"""Kept plans: the book, its Qt model, undoable edits, and the comparison."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtGui import QUndoStack

from pathplanner.catalog import LoadedCatalog
from pathplanner.graph.planner import Plan, PlanRequest, plan
from pathplanner.ui.plan_book import PlanBook, PlansPanel, compare_rows

pytestmark = pytest.mark.gui


def planned(loaded: LoadedCatalog, objective: str) -> Plan:
    request = PlanRequest(goal="degree", objective=objective, start_date=date(2027, 1, 4))  # type: ignore[arg-type]
    return plan(loaded.catalog, request)


@pytest.fixture
def panel(qtbot: Any, loaded_small: LoadedCatalog) -> PlansPanel:
    widget = PlansPanel(PlanBook(), QUndoStack())
    qtbot.addWidget(widget)
    widget.set_catalog(loaded_small.catalog)
    return widget


def names(panel: PlansPanel) -> list[str]:
    return [e.name for e in panel.book.entries]


def test_keep_rename_duplicate_delete_with_undo_and_redo(
    qtmodeltester: Any, panel: PlansPanel, loaded_small: LoadedCatalog
) -> None:
    undo = panel.undo_stack
    panel.keep([planned(loaded_small, "cost")], 0, None, "Cheapest")
    panel.keep([planned(loaded_small, "time")], 0, None, "Cheapest")  # name made unique
    assert names(panel) == ["Cheapest", "Cheapest (2)"]
    qtmodeltester.check(panel.model)
    assert panel.model.index(0, 4).data() == "3,450 USD"
    panel.select_keys([panel.book.entries[1].key])
    panel.rename_selected("Fastest")
    panel.duplicate_selected()
    assert names(panel) == ["Cheapest", "Fastest", "Fastest copy"]
    panel.delete_selected()  # the copy is selected after duplicating
    assert names(panel) == ["Cheapest", "Fastest"]
    undo.undo()
    assert names(panel) == ["Cheapest", "Fastest", "Fastest copy"]
    undo.undo()
    undo.undo()
    assert names(panel) == ["Cheapest", "Cheapest (2)"]
    undo.redo()
    assert names(panel) == ["Cheapest", "Fastest"]
    assert undo.undoText() == "Rename Plan “Cheapest (2)”"


def test_approve_and_notes_are_undoable_edits(
    qtbot: Any, panel: PlansPanel, loaded_small: LoadedCatalog
) -> None:
    entry = panel.keep([planned(loaded_small, "cost")], 0, "Ana", "Plan A")
    panel.toggle_approved()
    assert panel.book.get(entry.key).approved
    assert panel.model.index(0, 6).data() == "approved"
    qtbot.keyClicks(panel.notes, "Call the college")
    panel.flush_notes()
    assert panel.book.get(entry.key).notes == "Call the college"
    assert panel.undo_stack.count() == 3  # keep, approve, the notes as one step
    panel.undo_stack.undo()
    assert panel.book.get(entry.key).notes == ""
    panel.undo_stack.undo()
    assert not panel.book.get(entry.key).approved


def test_stale_plans_are_flagged(panel: PlansPanel, loaded_small: LoadedCatalog) -> None:
    entry = panel.keep([planned(loaded_small, "cost")], 0, None, "Old")
    panel.mark_stale({entry.key})
    assert panel.model.index(0, 6).data() == "draft · stale"
    assert "catalogue changed" in panel.model.index(0, 6).data(3)  # ToolTipRole


def test_compare_two_plans_marks_what_differs(
    panel: PlansPanel, loaded_small: LoadedCatalog
) -> None:
    a = panel.keep([planned(loaded_small, "cost")], 0, None, "Cheapest")
    b = panel.keep([planned(loaded_small, "time")], 0, None, "Fastest")
    rows = {
        label: (values, differs)
        for label, values, differs in compare_rows([a, b], loaded_small.catalog)
    }
    assert rows["Cost"] == (["3,450 USD", "4,400 USD"], True)
    assert rows["Goal"] == (["BSc Data Science", "BSc Data Science"], False)
    assert rows["Statistics Certificate"][1] is False  # in both plans
    assert rows["Analytics Bootcamp"] == (["—", "✓ weeks 0-4"], True)
    panel.select_keys([a.key, b.key])
    assert panel.buttons["compare"].isEnabled()
    dialog = panel.compare_selected()
    assert dialog is not None
    assert dialog.table.columnCount() == 3
    dialog.close()
