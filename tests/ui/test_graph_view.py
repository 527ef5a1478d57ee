"""The pathway graph dock: items from the layout, scope, marks, zoom, focus, export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent

from pathplanner.catalog import LoadedCatalog
from pathplanner.graph import build_graph
from pathplanner.ui.graph_items import GroupItem
from pathplanner.ui.graph_view import GraphPanel
from pathplanner.ui.tasks import TaskRunner

pytestmark = pytest.mark.gui


@pytest.fixture
def panel(qtbot: Any, loaded_small: LoadedCatalog) -> Any:
    runner = TaskRunner()
    widget = GraphPanel(runner)
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    widget.set_catalog(loaded_small.catalog, build_graph(loaded_small.catalog))
    qtbot.waitUntil(lambda: not widget.laying_out and bool(widget.items))
    yield widget
    runner.cancel_all()
    runner.wait()


def test_every_credential_and_group_is_drawn(panel: GraphPanel) -> None:
    assert set(panel.items) == {
        "intro-sql",
        "python-basics",
        "statistics",
        "analyst",
        "bootcamp",
        "degree",
    }
    groups = sorted(i.label for i in panel.scene.items() if isinstance(i, GroupItem))
    assert groups == ["2 of 3", "any of 2"]
    assert "intro-sql" in panel.items["intro-sql"].toolTip() or "Intro to SQL" in (
        panel.items["intro-sql"].toolTip()
    )
    assert "bachelor" in panel.legend.text()


def test_goal_closure_scope_shows_only_what_leads_to_the_goal(
    qtbot: Any, panel: GraphPanel
) -> None:
    panel.set_marks(held=frozenset(), goal="analyst", route=[])
    panel.show_whole_catalogue(False)
    qtbot.waitUntil(lambda: not panel.laying_out and "degree" not in panel.items)
    assert set(panel.items) == {"intro-sql", "python-basics", "statistics", "analyst"}
    panel.set_marks(held=frozenset(), goal=None, route=[])
    qtbot.waitUntil(lambda: not panel.items)
    assert "Choose a goal" in " ".join(
        i.toPlainText() for i in panel.scene.items() if hasattr(i, "toPlainText")
    )


def test_held_goal_and_route_order_are_marked(panel: GraphPanel) -> None:
    panel.set_marks(held=frozenset({"intro-sql"}), goal="degree", route=["statistics", "degree"])
    items = panel.items
    assert items["intro-sql"].held
    assert items["degree"].goal
    assert (items["statistics"].order, items["degree"].order) == (1, 2)
    assert items["bootcamp"].dimmed
    assert not items["intro-sql"].dimmed


def test_zoom_with_keys_and_wheel_and_fit(qtbot: Any, panel: GraphPanel) -> None:
    view = panel.view
    view.resetTransform()
    panel.zoom_in_action.trigger()
    assert view.zoom() == pytest.approx(1.25)
    panel.zoom_out_action.trigger()
    assert view.zoom() == pytest.approx(1.0)
    centre = QPointF(view.viewport().rect().center())
    wheel = QWheelEvent(
        centre,
        view.viewport().mapToGlobal(centre),
        QPoint(),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    view.wheelEvent(wheel)
    assert view.zoom() == pytest.approx(1.15)
    assert panel.zoom_label.text() == "115%"
    view.scale(10, 10)
    panel.fit_action.trigger()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(panel.scene.itemsBoundingRect())


def test_focus_on_a_searched_credential_selects_and_centres_it(
    qtbot: Any, panel: GraphPanel
) -> None:
    selected: list[str] = []
    panel.credential_activated.connect(selected.append)
    qtbot.keyClicks(panel.find_box, "bootcamp")
    qtbot.keyClick(panel.find_box, Qt.Key.Key_Return)
    assert selected == ["bootcamp"]
    item = panel.items["bootcamp"]
    assert item.isSelected()
    visible = panel.view.mapToScene(panel.view.viewport().rect()).boundingRect()
    assert visible.contains(item.sceneBoundingRect())
    assert not panel.focus_on_text("no such credential")


def test_export_png_and_svg(tmp_path: Path, panel: GraphPanel) -> None:
    png, svg = tmp_path / "graph.png", tmp_path / "graph.svg"
    panel.export_png(png)
    panel.export_svg(svg)
    image = QImage(str(png))
    assert image.width() > 300
    assert image.height() > 100
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml")
    assert "<svg" in text
    assert "BSc Data Science" in text
