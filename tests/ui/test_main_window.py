"""The main window end to end, on a real store: learner, goal and held credentials, plan
cheapest and fastest, keep both, reopen in a new window, compare, export a PDF and read it."""

from __future__ import annotations

import gc
import threading
import unicodedata
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGraphicsView,
    QInputDialog,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from pathplanner.catalog import LoadedCatalog, load_catalog
from pathplanner.paths import database_url
from pathplanner.store import Store
from pathplanner.ui.about import about_text
from pathplanner.ui.learners import LearnerDialog
from pathplanner.ui.main_window import MainWindow
from tests.conftest import catalog_dict
from tests.ui.conftest import small_catalog

pytestmark = pytest.mark.gui


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(database_url(str(tmp_path / "plans.db")), backup_dir=tmp_path)
    yield opened
    opened.close()


def open_window(qtbot: Any, loaded: LoadedCatalog, settings: QSettings, store: Any) -> MainWindow:
    window = MainWindow(loaded, settings, store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.graph_panel.laying_out and bool(window.graph_panel.items))
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=30000)  # see conftest's window
    return window


def plan_now(qtbot: Any, window: MainWindow, objective: str) -> None:
    window.planner.set_objective(objective)
    window.planner.plan_button.click()
    qtbot.waitUntil(lambda: window._planning is None and window.plan_view.current is not None)
    qtbot.waitUntil(lambda: not window.tasks.busy)


def keep(monkeypatch: pytest.MonkeyPatch, window: MainWindow, name: str) -> None:
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (name, True))
    window.plans_panel.keep_current()


def close(window: MainWindow) -> None:
    window.close()
    window.tasks.wait()


def test_end_to_end_plan_save_reopen_compare_export(  # noqa: PLR0917 (fixtures)
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    loaded_small: LoadedCatalog,
    settings: QSettings,
    store: Store,
) -> None:
    window = open_window(qtbot, loaded_small, settings, store)
    assert "Choose a goal to start" in window.plan_view.summary.text()

    # A new learner through the learner dialog.
    def fill(dialog: LearnerDialog) -> bool:
        dialog.name.setText("Ana Lima")
        dialog.contact.setText("ana@example.org")
        return True

    monkeypatch.setattr(LearnerDialog, "exec", fill)
    window.planner.new_learner.click()
    assert window.planner.learner_name() == "Ana Lima"
    assert store.get_learner("Ana Lima").contact == "ana@example.org"

    # Goal and held credentials; held ones are saved for the learner as they are ticked.
    window.browser.select("degree")
    window.browser.goal_chosen.emit("degree")
    assert window.planner.goal_id() == "degree"
    window.planner.held.set_checked(frozenset({"python-basics"}))
    assert [h.credential_id for h in store.get_learner("Ana Lima").held] == ["python-basics"]
    assert window.graph_panel.items["python-basics"].held

    plan_now(qtbot, window, "cost")
    cheapest = window.plan_view.current
    assert cheapest is not None
    assert cheapest.total_cost == 3400  # python-basics is held: statistics + analyst + degree
    # The panel says what to do with the plan next.
    assert window.planner.message.text().startswith("Plan ready. Keep it with Plan ▸ Keep Plan (")
    assert window.graph_panel.items["degree"].order == len(cheapest.steps)
    keep(monkeypatch, window, "Cheapest route")

    plan_now(qtbot, window, "time")
    fastest = window.plan_view.current
    assert fastest is not None
    assert fastest.finish_week < cheapest.finish_week
    keep(monkeypatch, window, "Fastest route")
    assert [p.name for p in store.list_plans("Ana Lima")] == ["Fastest route", "Cheapest route"]

    panel = window.plans_panel
    panel.select_keys([panel.book.entries[0].key])
    panel.notes.setPlainText("Ask about the spring intake.")
    panel.flush_notes()
    panel.toggle_approved()
    close(window)

    # Reopen: a new window on the same store shows the learner's held credentials and plans.
    again = open_window(
        qtbot, loaded_small, QSettings(str(tmp_path / "s2.ini"), QSettings.Format.IniFormat), store
    )
    again.planner.learner.setCurrentIndex(again.planner.learner.findData("Ana Lima"))
    assert again.planner.held.checked() == frozenset({"python-basics"})
    entries = again.book.entries
    assert sorted(e.name for e in entries) == ["Cheapest route", "Fastest route"]
    saved = next(e for e in entries if e.name == "Cheapest route")
    assert (saved.approved, saved.notes) == (True, "Ask about the spring intake.")
    assert saved.plan.total_cost == cheapest.total_cost
    assert [s.id for s in saved.plan.steps] == [s.id for s in cheapest.steps]
    # each step still says why it is needed, and its study hours, as when it was computed
    assert [(s.reason, s.effort_hours) for s in saved.plan.steps] == [
        (s.reason, s.effort_hours) for s in cheapest.steps
    ]
    assert all(s.reason for s in saved.plan.steps)

    again.plans_panel.select_keys([e.key for e in entries])
    dialog = again.plans_panel.compare_selected()
    assert dialog is not None
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(3)]
    assert sorted(headers[1:]) == ["Cheapest route", "Fastest route"]
    dialog.close()

    again.plans_panel.select_keys([saved.key])
    again.plans_panel.open_selected()
    assert again.plan_view.current is saved.plan
    pdf = tmp_path / "plan.pdf"
    assert again.export_pdf(pdf)
    raw = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    # The PDF separates words by tabs and lines and uses ligatures ("ﬁ").
    text = " ".join(unicodedata.normalize("NFKC", raw).split())
    for expected in (
        "Cheapest route",
        "Ana Lima",
        "BSc Data Science",
        "Statistics Certificate",
        "3,400 USD",
        "Ask about the spring intake.",
        "Python Basics",  # already held
    ):
        assert expected in text
    csv_path = tmp_path / "plan.csv"
    assert again.export_csv(csv_path)
    assert "statistics" in csv_path.read_text(encoding="utf-8")
    close(again)


def test_undo_of_a_deleted_saved_plan_saves_it_again(
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    loaded_small: LoadedCatalog,
    settings: QSettings,
    store: Store,
) -> None:
    store.add_learner("Bo")
    window = open_window(qtbot, loaded_small, settings, store)
    window.planner.learner.setCurrentIndex(window.planner.learner.findData("Bo"))
    window.set_goal("analyst")
    plan_now(qtbot, window, "cost")
    keep(monkeypatch, window, "Mine")
    window.plans_panel.delete_selected()
    assert store.list_plans("Bo") == []
    window.undo_stack.undo()
    assert [p.name for p in store.list_plans("Bo")] == ["Mine"]
    close(window)


def test_a_bad_catalogue_shows_its_problems_not_a_traceback(
    qtbot: Any, window: MainWindow, write_catalog: Any
) -> None:
    bad = write_catalog(
        catalog_dict([{"id": "x", "name": "X", "kind": "wizard"}], name="bad"), "bad.json"
    )
    with qtbot.waitSignal(window.catalog_opened) as opened:
        window.open_catalog(bad)
    assert opened.args == [False]
    box = window.last_error_box
    assert "bad.json has 1 problem(s)" in box.text()
    assert "kind" in box.informativeText()
    assert "Traceback" not in box.detailedText()
    box.close()
    assert window.catalog.name == "test catalogue"


def test_opening_a_catalogue_shows_it_and_remembers_it(
    qtbot: Any, window: MainWindow, write_catalog: Any, small_catalog_path: Path
) -> None:
    other = write_catalog(
        catalog_dict([{"id": "solo", "name": "Solo Badge", "kind": "badge"}], name="other"),
        "other.json",
    )
    with qtbot.waitSignal(window.catalog_opened) as opened:
        window.open_catalog(other)
    assert opened.args == [True]
    assert window.windowTitle() == "other — pathplanner"
    assert window.browser.model.rowCount() == 1
    qtbot.waitUntil(lambda: set(window.graph_panel.items) == {"solo"})
    with qtbot.waitSignal(window.catalog_opened):
        window.open_catalog(small_catalog_path)
    assert window.recent_catalogues() == [str(small_catalog_path.resolve()), str(other.resolve())]
    assert [a.text() for a in window.recent_menu.actions()] == ["&1 small.json", "&2 other.json"]


def test_dock_layout_is_remembered(
    qtbot: Any, loaded_small: LoadedCatalog, settings: QSettings
) -> None:
    first = open_window(qtbot, loaded_small, settings, None)
    first.catalog_dock.hide()
    close(first)
    second = open_window(qtbot, loaded_small, settings, None)
    assert not second.catalog_dock.isVisible()
    assert second.planner_dock.isVisible()
    second.reset_layout()
    assert second.catalog_dock.isVisible()
    close(second)


@pytest.mark.parametrize("size", [(1440, 900), (1280, 800)])
def test_first_launch_gives_the_graph_and_the_plan_room(
    qtbot: Any, loaded_small: LoadedCatalog, settings: QSettings, size: tuple[int, int]
) -> None:
    width, height = size
    window = MainWindow(loaded_small, settings)
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitUntil(lambda: not window.graph_panel.laying_out)
    qtbot.wait(50)  # the default dock sizes are set once the window is shown
    # The window fits the screen (it was held 1,465 x 823 by its docks' minimum sizes).
    assert window.size().toTuple() == size
    assert window.minimumSizeHint().width() <= 1280
    assert window.minimumSizeHint().height() <= 760  # 800 less a task bar
    # The graph and the plan share the height (the graph was ~210 pixels high at 1440 x 900).
    assert window.graph_panel.view.height() >= 0.3 * height
    assert window.plan_dock.height() >= 0.38 * height
    assert window.planner_dock.width() >= 340
    assert window.catalog_dock.width() >= 340
    close(window)


def test_first_launch_fits_a_small_screen(
    qtbot: Any, loaded_small: LoadedCatalog, settings: QSettings
) -> None:
    window = MainWindow(loaded_small, settings)
    qtbot.addWidget(window)
    room = window.screen().availableGeometry()  # offscreen: 800 x 800
    assert room.height() < 900
    assert window.height() <= room.height() - 30  # and its title bar above it
    window.tasks.wait()


def test_saved_dock_sizes_win_over_the_defaults(
    qtbot: Any, loaded_small: LoadedCatalog, settings: QSettings
) -> None:
    first = open_window(qtbot, loaded_small, settings, None)
    qtbot.wait(50)
    default = first.plan_dock.height()
    first.resizeDocks([first.plan_dock], [default + 60], Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: first.plan_dock.height() > default + 10)
    saved = first.plan_dock.height()
    close(first)
    second = open_window(qtbot, loaded_small, settings, None)
    qtbot.wait(50)
    assert abs(second.plan_dock.height() - saved) <= 4
    second.reset_layout()
    qtbot.waitUntil(lambda: second.plan_dock.height() < saved - 10)  # the default again
    close(second)


def test_tab_follows_the_layout_planner_plan_graph_catalogue(
    qtbot: Any, window: MainWindow
) -> None:
    window.resize(1440, 900)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.planner.learner.setFocus()
    visited: list[QWidget] = []
    for _ in range(80):
        focused = QApplication.focusWidget()
        assert focused is not None
        visited.append(focused)
        if focused is window.browser.search:
            break
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    names = [w.accessibleName() for w in visited]
    wanted = [
        "Learner",
        "Goal credential",
        "Budget",
        "Objective cost",
        "Plan",
        "Plan steps",
        "Graph scope",
        "Colour the graph by",
        "Focus on a credential",
        "Pathway graph",
        "Search credentials",
    ]
    assert [n for n in names if n in wanted] == wanted
    # nothing in the docks tabbed behind the Plan dock (Qt keeps them "visible", out of sight)
    hidden = (window.plans_dock, window.gaps_dock, window.whatif_dock)
    assert not [w for w in visited if any(d.isAncestorOf(w) for d in hidden)]


def test_guest_plans_are_kept_for_the_session_only(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, window: MainWindow
) -> None:
    assert not window.planner.new_learner.isEnabled()  # no store
    window.set_goal("analyst")
    plan_now(qtbot, window, "cost")
    keep(monkeypatch, window, "Try 1")
    assert [e.name for e in window.book.entries] == ["Try 1"]
    assert "session only" in window.plans_panel.empty.text()


def test_graph_export_and_menus(tmp_path: Path, window: MainWindow) -> None:
    assert window.export_graph("png", tmp_path / "g.png")
    assert window.export_graph("svg", tmp_path / "g.svg")
    assert (tmp_path / "g.png").stat().st_size > 1000
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&View", "&Plan", "&Help"]
    assert not window.export_pdf_action.isEnabled()  # nothing planned yet
    assert "PySide6" in about_text()
    assert "OR-Tools" in about_text()
    assert "HiGHS (highspy)" in about_text()


def test_the_store_opens_in_the_background_and_offers_its_learners(
    qtbot: Any, window: MainWindow, store: Store, tmp_path: Path
) -> None:
    store.add_learner("Cy")
    assert window.store is None
    task = window.open_store_in_background(database_url(str(tmp_path / "plans.db")))
    with qtbot.waitSignal(task.finished):
        pass
    assert window.store is not None
    assert window.planner.new_learner.isEnabled()
    assert window.planner.learner.findData("Cy") > 0
    window.store.close()


def test_a_store_that_cannot_be_opened_is_reported(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, window: MainWindow, tmp_path: Path
) -> None:
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("just some text, not SQLite", encoding="utf-8")
    warnings: list[str] = []
    monkeypatch.setattr(
        "pathplanner.ui.main_window.QMessageBox.warning",
        lambda _parent, _title, text: warnings.append(text),
    )
    task = window.open_store_in_background(database_url(str(not_a_database)))
    with qtbot.waitSignal(task.finished):
        pass
    assert window.store is None
    assert "runs without saving" in warnings[0]
    assert not_a_database.read_text(encoding="utf-8") == "just some text, not SQLite"


def test_choosing_a_goal_shows_what_leads_to_it_on_the_graph(
    qtbot: Any, window: MainWindow
) -> None:
    panel = window.graph_panel
    assert "degree" in panel.items  # no goal yet: the whole catalogue
    window.set_goal("analyst")
    qtbot.waitUntil(lambda: not panel.laying_out and "degree" not in panel.items)
    assert set(panel.items) == {"intro-sql", "python-basics", "statistics", "analyst"}
    assert panel.items["analyst"].goal
    # The user's own choice of the whole catalogue stays while the goal stays.
    panel.show_whole_catalogue(True)
    qtbot.waitUntil(lambda: not panel.laying_out and "degree" in panel.items)
    window.planner.goal.editingFinished.emit()  # the goal field left, the goal unchanged
    assert not panel.laying_out
    assert "degree" in panel.items


def test_search_placeholders_fit_their_boxes_in_the_default_layout(
    qtbot: Any, window: MainWindow
) -> None:
    window.resize(1440, 900)  # as in the screenshots
    qtbot.wait(50)
    for box in (window.graph_panel.find_box, window.browser.search):
        room = box.width() - 30  # frame, margins and the clear button
        assert box.fontMetrics().horizontalAdvance(box.placeholderText()) <= room, (
            box.placeholderText()
        )


def test_keyboard_zoom_and_fit_in_the_window(qtbot: Any, window: MainWindow) -> None:
    view = window.graph_panel.view
    window.activateWindow()
    view.setFocus()
    view.resetTransform()
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == pytest.approx(1.25)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == pytest.approx(1.0)
    view.scale(8, 8)
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() < 8


def test_every_input_and_view_has_an_accessible_name(window: MainWindow) -> None:
    kinds = (
        QLineEdit,
        QComboBox,
        QAbstractSpinBox,
        QAbstractItemView,
        QTextEdit,
        QPlainTextEdit,
        QGraphicsView,
    )
    unnamed = [
        type(widget).__name__
        for widget in window.findChildren(QWidget)
        if isinstance(widget, kinds)
        and widget.window() is window  # not the popups of completers and combo boxes
        # nor the inner parts of spin boxes, combo boxes and tables (headers)
        and not isinstance(widget.parent(), QAbstractSpinBox | QComboBox | QAbstractItemView)
        and not widget.accessibleName()
    ]
    assert unnamed == []


def test_cancel_stops_planning_and_says_so(qtbot: Any, window: MainWindow) -> None:
    # Hold both pool threads so that the plan is queued, cancel it, then let it run: the
    # planner sees the cancel at its first poll.
    release = threading.Event()
    holds = [window.tasks.start("hold", lambda _p, _c: release.wait(10)) for _ in range(2)]
    window.set_goal("degree")
    window.planner.plan_button.click()
    assert window.planner.cancel_button.isEnabled()
    assert not window.planner.plan_button.isEnabled()
    window.planner.cancel_button.click()
    release.set()
    qtbot.waitUntil(lambda: window._planning is None and all(h.done for h in holds))
    assert window.planner.message.text() == "Planning cancelled."
    assert window.plan_view.current is None
    assert window.planner.plan_button.isEnabled()


def test_a_trade_off_without_any_plan_says_why(qtbot: Any, window: MainWindow) -> None:
    # the cheapest route to the degree costs 3,450: a budget of 100 leaves no plan at all
    window.set_goal("degree")
    window.planner.budget.setValue(100)
    plan_now(qtbot, window, "trade-off")
    shown = window.plan_view.current
    assert shown is not None
    assert shown.status == "infeasible"
    assert "budget" in shown.explanation
    assert window.planner.message.text() == "No plan meets these constraints: see the Plan panel."


def test_a_trade_off_with_one_plan_says_there_is_nothing_to_trade(
    qtbot: Any, window: MainWindow
) -> None:
    window.set_goal("statistics")  # no prerequisites: one route, cheapest and fastest
    plan_now(qtbot, window, "trade-off")
    assert len(window.plan_view.plans) == 1
    assert not window.plan_view.tabs.isTabEnabled(1)  # no curve to show
    assert window.planner.message.text() == (
        "Nothing to trade off: the cheapest plan is also the fastest."
    )


def test_marking_credentials_held_can_be_undone(
    qtbot: Any, loaded_small: LoadedCatalog, settings: QSettings, store: Store
) -> None:
    store.add_learner("Di")
    window = open_window(qtbot, loaded_small, settings, store)
    window.planner.learner.setCurrentIndex(window.planner.learner.findData("Di"))
    window.browser.held_toggled.emit("statistics")  # the catalogue's "I hold this"
    window.browser.held_toggled.emit("bootcamp")
    assert window.held == frozenset({"statistics", "bootcamp"})
    assert window.undo_stack.undoText() == "Mark Held bootcamp"
    window.undo_stack.undo()
    assert window.planner.held.checked() == frozenset({"statistics"})
    assert [h.credential_id for h in store.get_learner("Di").held] == ["statistics"]
    assert not window.graph_panel.items["bootcamp"].held
    window.undo_stack.redo()
    assert window.held == frozenset({"statistics", "bootcamp"})
    assert {h.credential_id for h in store.get_learner("Di").held} == {"statistics", "bootcamp"}
    close(window)


def test_edit_and_delete_a_learner(
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    loaded_small: LoadedCatalog,
    settings: QSettings,
    store: Store,
) -> None:
    store.add_learner("Ed")
    window = open_window(qtbot, loaded_small, settings, store)
    window.planner.learner.setCurrentIndex(window.planner.learner.findData("Ed"))
    window.planner.held.toggle("statistics")  # bumps the learner's version in the store

    def rename(dialog: LearnerDialog) -> bool:
        dialog.name.setText("Edda")
        return True

    monkeypatch.setattr(LearnerDialog, "exec", rename)
    window.planner.edit_learner.click()
    assert window.planner.learner_name() == "Edda"
    assert [h.credential_id for h in store.get_learner("Edda").held] == ["statistics"]
    # a rename is undone (which reloads the learner's plans and starts a new undo history)
    assert window.undo_stack.undoText() == "Edit Learner Edda"
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: window.planner.learner_name() == "Ed")
    assert [r.name for r in store.list_learners()] == ["Ed"]

    def add_notes(dialog: LearnerDialog) -> bool:
        dialog.name.setText("Edda")
        dialog.notes.setPlainText("evening classes only")
        return True

    monkeypatch.setattr(LearnerDialog, "exec", add_notes)
    window.planner.edit_learner.click()
    assert store.get_learner("Edda").notes == "evening classes only"

    def edit_notes(dialog: LearnerDialog) -> bool:
        dialog.notes.setPlainText("weekends")
        return True

    monkeypatch.setattr(LearnerDialog, "exec", edit_notes)
    window.planner.edit_learner.click()  # notes only: undo and redo keep the history
    assert store.get_learner("Edda").notes == "weekends"
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: store.get_learner("Edda").notes == "evening classes only")
    window.undo_stack.redo()
    qtbot.waitUntil(lambda: store.get_learner("Edda").notes == "weekends")
    assert window.planner.learner_name() == "Edda"
    assert [h.credential_id for h in store.get_learner("Edda").held] == ["statistics"]
    window.set_goal("analyst")
    plan_now(qtbot, window, "cost")
    keep(monkeypatch, window, "Hers")
    window.delete_learner(confirmed=True)
    assert [r.name for r in store.list_learners()] == []
    assert window.planner.learner_name() is None
    assert window.book.entries == []
    close(window)


def test_plans_made_on_an_older_catalogue_are_checked_and_flagged_stale(  # noqa: PLR0917
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    loaded_small: LoadedCatalog,
    settings: QSettings,
    store: Store,
    write_catalog: Any,
) -> None:
    store.add_learner("Flo")
    window = open_window(qtbot, loaded_small, settings, store)
    window.planner.learner.setCurrentIndex(window.planner.learner.findData("Flo"))
    window.set_goal("analyst")
    plan_now(qtbot, window, "cost")  # intro-sql + python-basics + analyst
    keep(monkeypatch, window, "Before the price rise")
    close(window)

    # The catalogue changes: Python Basics now costs more than Statistics.
    data = small_catalog()
    next(c for c in data["credentials"] if c["id"] == "python-basics")["cost"] = 900
    newer = load_catalog(write_catalog(data, "newer.json"))
    again = open_window(
        qtbot, newer, QSettings(str(tmp_path / "s3.ini"), QSettings.Format.IniFormat), store
    )
    again.planner.learner.setCurrentIndex(again.planner.learner.findData("Flo"))
    qtbot.waitUntil(lambda: bool(again.book.entries) and again.book.entries[0].stale)
    assert again.plans_panel.model.index(0, 6).data() == "draft · stale"
    assert store.list_plans("Flo")[0].stale is True
    close(again)


def test_a_replaced_catalogue_is_freed(
    qtbot: Any, window: MainWindow, write_catalog: Any, small_catalog_path: Path
) -> None:
    # Opened in the background, a catalogue and its graph are frozen out of the cyclic
    # collector (gc.freeze), so only reference counting can free them once replaced: nothing
    # may keep them in a reference cycle (NetworkX's cached views of the graph, a closure
    # scheduling itself were such cycles). Thawing everything to collect them instead cost a
    # full pass over the heap on the GUI thread.
    with qtbot.waitSignal(window.catalog_opened):
        window.open_catalog(small_catalog_path)
    qtbot.waitUntil(lambda: not window.tasks.busy)
    old_graph = weakref.ref(window.graph)
    old_catalog = weakref.ref(window.catalog)
    old_credential = weakref.ref(window.catalog.credentials[0])
    other = write_catalog(
        catalog_dict([{"id": "solo", "name": "Solo Badge", "kind": "badge"}], name="other"),
        "other.json",
    )
    gc.disable()  # freed by reference counting, not by a collection
    try:
        with qtbot.waitSignal(window.catalog_opened):
            window.open_catalog(other)
        qtbot.waitUntil(lambda: set(window.graph_panel.items) == {"solo"})
        qtbot.waitUntil(lambda: not window.tasks.busy)
        qtbot.waitUntil(lambda: old_graph() is None, timeout=2000)
        assert old_catalog() is None
        assert old_credential() is None
    finally:
        gc.enable()
