"""The main window: the pathway graph in the middle, docks around it, menus, status bar.

The window wires the views together and runs long work through one :class:`TaskRunner`; it
holds the session state (catalogue, held credentials, goal, the plans computed so far).
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from pathplanner.catalog import CatalogError, LoadedCatalog, catalog_to_json, load_catalog
from pathplanner.catalog_editing import EditableCatalog, EditError
from pathplanner.graph import build_graph
from pathplanner.model import Catalog
from pathplanner.ui import badge_import, export_actions, import_actions, theme
from pathplanner.ui.about import about_text
from pathplanner.ui.catalog_browser import CatalogBrowser
from pathplanner.ui.catalog_editor import CatalogEditor, add_undo_actions
from pathplanner.ui.gaps_panel import GapsPanel
from pathplanner.ui.graph_view import GraphPanel
from pathplanner.ui.learners import LearnerDialog
from pathplanner.ui.overlay_control import OverlayControl
from pathplanner.ui.plan_book import PlanBook, PlanEntry, PlansPanel, is_store_error
from pathplanner.ui.plan_export import plan_document, print_document, write_csv, write_pdf
from pathplanner.ui.plan_store import StorePlans
from pathplanner.ui.plan_view import PlanView, route_of
from pathplanner.ui.planner_panel import TRADE_OFF, PlannerPanel
from pathplanner.ui.preferences import Preferences, PreferencesDialog
from pathplanner.ui.tasks import Task, TaskRunner
from pathplanner.ui.whatif_panel import WhatIfPanel

if TYPE_CHECKING:  # the planner (SciPy) and the store (SQLAlchemy) load after start-up
    from pathplanner.graph.planner import Plan, PlanRequest
    from pathplanner.store import LearnerRecord, Store

MAX_RECENT = 8
DEFAULT_SIZE = (1440, 900)  # first launch; smaller when the screen is
TITLE_BAR = 32  # room left for the window's frame above it (a typical title bar)
# Shares of the window the docks get on first launch (see _default_sizes).
DEFAULT_PLANNER_SHARE = 0.24
DEFAULT_CATALOGUE_SHARE = 0.26
DEFAULT_PLAN_SHARE = 0.45


def focus_stops(group: QWidget) -> list[QWidget]:
    """The widgets in ``group`` that Tab stops at, in their focus-chain order (the parts of
    spin boxes, combo boxes and tab widgets that stand in for them are left out)."""
    stops: list[QWidget] = []
    widget = group.nextInFocusChain()
    while widget is not None and widget is not group and group.isAncestorOf(widget):
        # (not by parent.focusProxy(): with PySide6 6.11, calling it in this walk let the
        # collector delete the What-if panel's editable combo boxes)
        inner = isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox | QTabWidget)
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and not inner:
            stops.append(widget)
        widget = widget.nextInFocusChain()
    return stops


class HeldChange(QUndoCommand):
    """Held credentials ticked or unticked: undo puts the previous set back (and in the
    store, through the window)."""

    def __init__(self, window: MainWindow, before: frozenset[str], after: frozenset[str]) -> None:
        added, removed = sorted(after - before), sorted(before - after)
        what = added or removed
        verb = "Mark Held" if added else "Unmark Held"
        super().__init__(f"{verb} {', '.join(what[:2])}{'…' if len(what) > 2 else ''}")
        self.window, self.before, self.after = window, before, after
        self._first = True

    def redo(self) -> None:
        if self._first:  # pushed after the change was made
            self._first = False
            return
        self.window.replay_held(self.after)

    def undo(self) -> None:
        self.window.replay_held(self.before)


LearnerValues = tuple[str, str, str]  # name, contact, notes


class LearnerEdit(QUndoCommand):
    """A learner's name, contact or notes edited: undo writes the previous values back to the
    store (as a new version, so a concurrent edit is still reported, not overwritten).

    The write runs after the command returns: renaming the selected learner reloads their plans,
    which starts a new undo history (the plans' commands refer to the entries being replaced),
    and a stack must not be cleared from inside one of its commands."""

    def __init__(
        self, window: MainWindow, learner_id: int, before: LearnerValues, after: LearnerValues
    ) -> None:
        super().__init__(f"Edit Learner {after[0]}")
        self.window, self.learner_id, self.before, self.after = window, learner_id, before, after
        self._first = True

    def redo(self) -> None:
        if self._first:  # pushed after the edit was saved
            self._first = False
            return
        self._write(self.after)

    def undo(self) -> None:
        self._write(self.before)

    def _write(self, values: LearnerValues) -> None:
        window, learner_id = self.window, self.learner_id
        QTimer.singleShot(0, window, lambda: window.write_learner(learner_id, values))


class MainWindow(QMainWindow):
    catalog_opened = Signal(bool)  # after open_catalog: shown, or refused with its problems

    def __init__(
        self,
        loaded: LoadedCatalog,
        settings: QSettings | None = None,
        store: Store | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self._guest_entries: list[PlanEntry] = []
        self._learner: LearnerRecord | None = None
        self.setObjectName("MainWindow")
        self.settings = settings or QSettings()
        self.preferences = Preferences.load(self.settings)
        self.tasks = TaskRunner(self)
        self.undo_stack = QUndoStack(self)
        self._loaded = loaded
        self._graph: nx.DiGraph = build_graph(loaded.catalog)
        self._planning: Task | None = None
        self._pending_steps: list[Callable[[], None]] = []  # of showing a catalogue
        self.held: frozenset[str] = frozenset()
        self.goal: str | None = None
        self._shown_once = False
        self._replaying_held = False
        self._last_layout_status = ""

        self.graph_panel = GraphPanel(self.tasks)
        self.setCentralWidget(self.graph_panel)
        self.browser = CatalogBrowser(loaded.catalog, self._graph)
        self.planner = PlannerPanel()
        self.plan_view = PlanView()
        self.book = PlanBook()
        self.book.on_error = self._store_error
        self.plans_panel = PlansPanel(self.book, self.undo_stack)
        self.planner_dock = self._dock(
            "Planner", "PlannerDock", self.planner, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.catalog_dock = self._dock(
            "Catalogue", "CatalogueDock", self.browser, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.plan_dock = self._dock(
            "Plan", "PlanDock", self.plan_view, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.plans_dock = self._dock(
            "Plans", "PlansDock", self.plans_panel, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.tabifyDockWidget(self.plan_dock, self.plans_dock)
        self.plan_dock.raise_()
        self.gaps_panel = GapsPanel(self.tasks)
        self.gaps_dock = self._dock(
            "Gaps", "GapsDock", self.gaps_panel, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.tabifyDockWidget(self.plans_dock, self.gaps_dock)
        self.whatif_panel = WhatIfPanel(self.tasks)
        self.whatif_panel.time_limit = self.preferences.time_limit
        self.catalog_editor: CatalogEditor | None = None
        self.whatif_dock = self._dock(
            "What-if", "WhatIfDock", self.whatif_panel, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.tabifyDockWidget(self.gaps_dock, self.whatif_dock)
        self.plan_dock.raise_()
        self.overlay = OverlayControl(self.graph_panel, self.tasks)
        self.graph_panel.toolbar.insertWidget(2, self.overlay.combo)
        self.catalog_label = QLabel()
        self.statusBar().addPermanentWidget(self.catalog_label)

        self._connect()
        self._build_menus()
        self._set_tab_order()
        self.resize(*self._first_size())
        self._restore_window()
        theme.apply(self.preferences.theme)
        self._show_catalog(loaded)

    # -- construction -------------------------------------------------------------------------

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)  # saveState/restoreState key
        dock.setWidget(widget)
        dock.setAccessibleName(f"{title} panel")
        self.addDockWidget(area, dock)
        return dock

    def _connect(self) -> None:
        self.gaps_panel.finding_activated.connect(self.show_finding)
        self.gaps_panel.report_changed.connect(self.overlay.set_report)
        self.whatif_panel.apply_requested.connect(self.keep_what_if)
        self.browser.goal_chosen.connect(self.set_goal)
        self.browser.held_toggled.connect(self.planner.held.toggle)
        self.browser.show_in_graph.connect(self.show_in_graph)
        self.browser.credential_selected.connect(self._browser_selected)
        self.graph_panel.credential_activated.connect(self._graph_selected)
        self.graph_panel.status.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.graph_panel.layout_status.connect(self._layout_status)
        self.planner.goal_changed.connect(self._goal_changed)
        self.planner.held_changed.connect(self._held_changed)
        self.planner.plan_requested.connect(self.start_planning)
        self.planner.cancel_requested.connect(self.cancel_planning)
        self.plan_view.plan_selected.connect(self._plan_shown)
        self.plan_view.step_activated.connect(self.show_in_graph)
        self.plans_panel.open_requested.connect(self.show_entry)
        self.plans_panel.current_plan_getter = self._current_plans
        self.planner.learner_changed.connect(self._learner_changed)
        self.planner.new_learner_requested.connect(self.new_learner)
        self.planner.edit_learner_requested.connect(self.edit_learner)
        self.planner.delete_learner_requested.connect(self.delete_learner)

    def _tab_groups(self) -> list[QWidget]:
        """The panels in the order Tab visits them: the planner's inputs, what they produce
        (the Plan dock and the docks tabbed with it), the graph, the catalogue."""
        return [
            self.planner,
            self.plan_view,
            self.plans_panel,
            self.gaps_panel,
            self.whatif_panel,
            self.graph_panel,
            self.browser,
        ]

    def _set_tab_order(self) -> None:
        # Qt's default is the order the widgets joined the window: the graph first (it is the
        # central widget), its colour chooser last (added to its toolbar afterwards).
        stops: list[QWidget] = []
        for group in self._tab_groups():
            stops += (
                self.graph_panel.focus_order() if group is self.graph_panel else focus_stops(group)
            )
        for before, after in itertools.pairwise(stops):
            QWidget.setTabOrder(before, after)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 (Qt's names)
        """Tab skips the docks tabbed behind another: Qt keeps them "visible" out of sight,
        so focus went to the Plans, Gaps and What-if fields behind the Plan dock."""
        docks = self.findChildren(QDockWidget)
        for _ in range(500):  # more than the window's focus stops: never loops for ever
            if not super().focusNextPrevChild(next):
                return False
            focused = QApplication.focusWidget()
            if focused is None or not any(
                d.isAncestorOf(focused) and d.visibleRegion().isEmpty() for d in docks
            ):
                return True
        return True

    def _action(
        self, menu: QMenu, text: str, slot: Any, shortcut: Any = None, tip: str = ""
    ) -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, tuple):  # a standard key, and our key where it has none
            standard, fallback = shortcut
            keys = QKeySequence.keyBindings(standard)
            action.setShortcuts(keys or [QKeySequence(fallback)])
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(
            file_menu, "&Open Catalogue…", self.choose_catalog, QKeySequence.StandardKey.Open
        )
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self._update_recent_menu()
        self.importer = import_actions.attach(self, file_menu.addMenu("&Import"))
        self.exporter = export_actions.attach(self, file_menu.addMenu("E&xport"))
        file_menu.addSeparator()
        self.export_pdf_action = self._action(
            file_menu, "Export Plan as &PDF…", self.export_pdf, "Ctrl+Shift+E"
        )
        self.export_csv_action = self._action(file_menu, "Export Plan as &CSV…", self.export_csv)
        self.print_action = self._action(
            file_menu, "&Print Plan…", self.print_plan, QKeySequence.StandardKey.Print
        )
        file_menu.addSeparator()
        self._action(file_menu, "Export Graph as P&NG…", lambda: self.export_graph("png"))
        self._action(file_menu, "Export Graph as &SVG…", lambda: self.export_graph("svg"))
        file_menu.addSeparator()
        self._action(
            file_menu,
            "Pre&ferences…",
            self.edit_preferences,
            (QKeySequence.StandardKey.Preferences, "Ctrl+,"),
        ).setMenuRole(QAction.MenuRole.PreferencesRole)
        quit_action = self._action(
            file_menu, "&Quit", self.close, (QKeySequence.StandardKey.Quit, "Ctrl+Q")
        )
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        edit_menu = bar.addMenu("&Edit")
        add_undo_actions(edit_menu, self.undo_stack, self)
        edit_menu.addSeparator()
        self._action(edit_menu, "&Find Credential", self._find, QKeySequence.StandardKey.Find)
        self._action(edit_menu, "Set Selected as &Goal", self._goal_from_selection, "Ctrl+G")
        self._action(edit_menu, "Toggle Selected as &Held", self._held_from_selection, "Ctrl+H")
        edit_menu.addSeparator()
        self._action(edit_menu, "Edit &Catalogue…", self.edit_catalog, "Ctrl+Shift+K")

        view_menu = bar.addMenu("&View")
        for dock in (self.catalog_dock, self.planner_dock, self.plan_dock, self.plans_dock):
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addAction(self.gaps_dock.toggleViewAction())
        view_menu.addAction(self.whatif_dock.toggleViewAction())
        colour_menu = view_menu.addMenu("&Colour Graph By")
        for index in range(self.overlay.combo.count()):
            self._action(
                colour_menu,
                self.overlay.combo.itemText(index),
                lambda _c=False, i=index: self.overlay.combo.setCurrentIndex(i),
            )
        view_menu.addSeparator()
        for action in (
            self.graph_panel.zoom_in_action,
            self.graph_panel.zoom_out_action,
            self.graph_panel.fit_action,
            self.graph_panel.actual_size_action,
        ):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            view_menu.addAction(action)
        self._action(
            view_menu, "Show &Whole Catalogue", lambda: self.graph_panel.show_whole_catalogue(True)
        )
        self._action(
            view_menu, "Show Goal's &Closure", lambda: self.graph_panel.show_whole_catalogue(False)
        )
        view_menu.addSeparator()
        self._action(view_menu, "Reset &Layout", self.reset_layout)

        plan_menu = bar.addMenu("&Plan")
        self.plan_action = self._action(
            plan_menu, "&Plan Route", self.planner.request_plan, "Ctrl+Return"
        )
        self.cancel_action = self._action(
            plan_menu, "&Cancel Planning", self.cancel_planning, "Ctrl+."
        )
        self.cancel_action.setEnabled(False)
        plan_menu.addSeparator()
        for key, text, shortcut in (
            ("cost", "Objective: C&heapest", "Alt+1"),
            ("time", "Objective: &Fastest", "Alt+2"),
            (TRADE_OFF, "Objective: &Trade-off", "Alt+3"),
        ):
            self._action(
                plan_menu, text, lambda _c=False, k=key: self.planner.set_objective(k), shortcut
            )
        plan_menu.addSeparator()
        self._action(
            plan_menu, "&Keep Plan…", self.plans_panel.keep_current, QKeySequence.StandardKey.Save
        )
        self._action(plan_menu, "C&ompare Plans…", self.plans_panel.compare_selected, "Ctrl+M")
        plan_menu.addSeparator()
        self.badge_importer = badge_import.BadgeImporter(self)
        self._action(plan_menu, "Import Learner's &Badge…", self.badge_importer.choose)
        self.planner.import_badge_requested.connect(self.badge_importer.choose)

        help_menu = bar.addMenu("&Help")
        self._action(
            help_menu, "&Keyboard Shortcuts", self._shortcuts, QKeySequence.StandardKey.HelpContents
        )
        self._action(help_menu, "&About pathplanner", self._about).setMenuRole(
            QAction.MenuRole.AboutRole
        )
        self._update_plan_actions()

    # -- catalogue ----------------------------------------------------------------------------

    @property
    def catalog(self) -> Catalog:
        return self._loaded.catalog

    @property
    def graph(self) -> nx.DiGraph:
        """The open catalogue's graph."""
        return self._graph

    def choose_catalog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Open catalogue", self.preferences.last_dir, "Catalogues (*.json);;All files (*)"
        )
        if name:
            self.open_catalog(Path(name))

    def open_catalog(self, path: Path) -> Task:
        """Open a catalogue file: read, check and build its graph in the background, then show
        it a step per event-loop turn; ``catalog_opened`` says how it went. A catalogue with
        problems is not opened and its validation messages are shown."""
        self.statusBar().showMessage(f"Opening {path.name}…")

        def work(progress: Any, cancel: Any) -> tuple[LoadedCatalog, nx.DiGraph]:
            loaded = load_catalog(path)
            return loaded, build_graph(loaded.catalog)

        return self.tasks.start(
            "open catalogue",
            work,
            on_success=lambda result: self._catalog_loaded(path, *result),
            on_failure=lambda exc: self._catalog_failed(path, exc),
            builds_data=True,
        )

    def _catalog_failed(self, path: Path, exc: BaseException) -> None:
        self.statusBar().clearMessage()
        if isinstance(exc, CatalogError):
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "Catalogue not opened",
                f"{path.name} has {len(exc.errors)} problem(s) and was not opened.",
                parent=self,
            )
            more = len(exc.errors) - 8
            box.setInformativeText(
                "Fix these in the file and open it again:\n\n"
                + "\n".join(f"• {p}" for p in exc.errors[:8])
                + (f"\n… and {more} more (see details)" if more > 0 else "")
            )
            box.setDetailedText("\n".join(str(p) for p in exc.problems))
            box.setObjectName("CatalogueProblems")
            box.open()
            self.last_error_box = box
        elif isinstance(exc, OSError):
            QMessageBox.warning(
                self, "Catalogue not opened", f"{path} could not be read: {exc.strerror or exc}."
            )
        else:
            QMessageBox.critical(
                self, "Catalogue not opened", f"{path.name} could not be opened: {exc}."
            )
        self.catalog_opened.emit(False)

    def show_loaded_catalog(self, loaded: LoadedCatalog, graph: nx.DiGraph) -> None:
        """Show a catalogue read elsewhere (an import; ``loaded.path`` None if not saved)."""
        self._catalog_loaded(loaded.path, loaded, graph)

    def _catalog_loaded(self, path: Path | None, loaded: LoadedCatalog, graph: nx.DiGraph) -> None:
        _drop_cached_views(self._graph)
        self._loaded = loaded
        self._graph = graph
        self.undo_stack.clear()
        steps = self._catalog_steps(loaded)
        if path is not None:
            steps.append(lambda: self._remember_recent(path))
        opened = path.name if path else f"{loaded.catalog.name} (not saved)"
        steps.append(lambda: self._catalog_shown(opened))
        self._pending_steps = steps
        self._run_next_step()

    def _run_next_step(self) -> None:
        """One step of showing a catalogue per event-loop turn: each is short, the window keeps
        painting. (A method, not a closure that schedules itself: such a closure is a
        reference cycle that kept the previous catalogue alive until a full collection.)"""
        steps = self._pending_steps
        if steps:
            steps.pop(0)()
        if steps:
            QTimer.singleShot(0, self._run_next_step)

    def _catalog_shown(self, opened: str) -> None:
        self.statusBar().showMessage(f"Opened {opened}", 4000)
        self.catalog_opened.emit(True)

    def _show_catalog(self, loaded: LoadedCatalog) -> None:
        for step in self._catalog_steps(loaded):
            step()

    def _catalog_steps(self, loaded: LoadedCatalog) -> list[Callable[[], None]]:
        catalog = loaded.catalog

        def reset() -> None:
            self.setWindowTitle(f"{catalog.name} — pathplanner")
            self.held, self.goal = frozenset(), None
            self.plans_panel.set_catalog(catalog)
            self.planner.set_store_available(self.store is not None)
            self.book.repository = None
            self.book.clear()
            self._guest_entries, self._learner = [], None
            self.plan_view.show_message("Choose a goal to start, then press Plan.")

        def learners() -> None:
            if self.store is not None:
                names = [r.name for r in self._store_call(self.store.list_learners) or []]
                self.planner.set_learners(names)
            self._learner_changed(self.planner.learner_name())

        def finish() -> None:
            self.graph_panel.set_catalog(catalog, self._graph)
            warnings = f" · {len(loaded.warnings)} warnings" if loaded.warnings else ""
            self.catalog_label.setText(
                f"{catalog.name}: {len(catalog.credentials)} credentials, "
                f"{len(catalog.providers)} providers{warnings}"
            )
            self._update_plan_actions()

        return [
            reset,
            lambda: self.browser.set_catalog(catalog, self._graph),
            lambda: self.planner.set_catalog(catalog),
            lambda: self.gaps_panel.set_catalog(catalog),
            lambda: self.overlay.set_catalog(catalog),
            lambda: self.whatif_panel.set_catalog(catalog),
            learners,
            finish,
        ]

    def _remember_recent(self, path: Path) -> None:
        recent = [str(path.resolve())] + [
            p for p in self.recent_catalogues() if p != str(path.resolve())
        ]
        self.settings.setValue("recent/catalogues", recent[:MAX_RECENT])
        self.preferences.last_dir = str(path.parent)
        self.preferences.save(self.settings)
        self._update_recent_menu()

    def recent_catalogues(self) -> list[str]:
        value: Any = self.settings.value("recent/catalogues", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value or []]

    def _update_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_catalogues()
        for index, name in enumerate(recent):
            action = self.recent_menu.addAction(f"&{index + 1} {Path(name).name}")
            action.setToolTip(name)
            action.triggered.connect(lambda _c=False, n=name: self.open_catalog(Path(n)))
        if not recent:
            self.recent_menu.addAction("No recent catalogues").setEnabled(False)

    # -- session state ------------------------------------------------------------------------

    def set_goal(self, credential_id: str) -> None:
        self.planner.set_goal(credential_id)
        self.planner_dock.raise_()

    def _layout_status(self, text: str) -> None:
        """The graph's layout progress, unless the status bar says something else (e.g.
        "Opened … (not saved)" while the newly chosen goal's pathway is laid out)."""
        current = self.statusBar().currentMessage()
        if not current or current == self._last_layout_status:
            self.statusBar().showMessage(text, 5000)
        self._last_layout_status = text

    def _goal_changed(self, goal: str | None) -> None:
        chosen = goal is not None and goal != self.goal
        self.goal = goal
        self.whatif_panel.set_goal(goal)
        self._update_marks()
        if chosen:
            # A newly chosen goal is shown with what leads to it: in the whole catalogue it is
            # usually off screen, and so is the route planned to it. "Show" switches back.
            self.graph_panel.show_whole_catalogue(False)

    def _held_changed(self, held: frozenset[str]) -> None:
        if not self._replaying_held and held != self.held:
            # Record the change for undo (the panel already shows it: redo must not redo it).
            self.undo_stack.push(HeldChange(self, self.held, held))
        if self.store is not None and self._learner is not None:
            name = self._learner.name
            before = self.held
            for credential_id in sorted(held - before):
                self._store_call(lambda c=credential_id: self.store.set_held_credential(name, c))
            for credential_id in sorted(before - held):
                self._store_call(lambda c=credential_id: self.store.remove_held_credential(name, c))
        self.held = held
        self.browser.model.set_held(held)
        self._update_marks()

    def replay_held(self, held: frozenset[str]) -> None:
        self._replaying_held = True
        try:
            self.planner.set_held(held)
        finally:
            self._replaying_held = False

    def _update_marks(self) -> None:
        self.graph_panel.set_marks(
            held=self.held, goal=self.goal, route=route_of(self.plan_view.current)
        )

    def show_in_graph(self, credential_id: str) -> None:
        if not self.graph_panel.focus_on(credential_id):
            self.graph_panel.show_whole_catalogue(True)
            self.graph_panel.layout_ready.connect(
                lambda: self.graph_panel.focus_on(credential_id),
                Qt.ConnectionType.SingleShotConnection,
            )

    def show_finding(self, credential_ids: list[str]) -> None:
        """Select a finding's credentials on the graph (the main one centred) and the main one
        in the catalogue browser."""
        if not credential_ids:
            return

        def select() -> None:
            self.graph_panel.select_credentials(credential_ids)
            self.browser.select(credential_ids[0])  # after: the graph selection reports too

        if credential_ids[0] in self.graph_panel.items:
            select()
        else:
            self.graph_panel.show_whole_catalogue(True)
            self.graph_panel.layout_ready.connect(select, Qt.ConnectionType.SingleShotConnection)

    def edit_catalog(self) -> CatalogEditor:
        """Open the catalogue editor on the current catalogue (one editor at a time)."""
        editor = self.catalog_editor
        if editor is None or not editor.isVisible():
            path = self._loaded.path
            model = EditableCatalog.from_catalog(self.catalog, path.name if path else "<catalogue>")
            editor = CatalogEditor(model, path, self.store, self)
            editor.setWindowFlag(Qt.WindowType.Window)
            editor.saved.connect(self.open_catalog)
            self.catalog_editor = editor
        editor.show()
        editor.raise_()
        return editor

    def keep_what_if(self, result: Any, path: Path | None = None) -> bool:
        """Keep the what-if's change: as one undoable edit in the open catalogue editor, or
        else by saving the changed catalogue as a new file and opening it."""
        from pathplanner.catalog import save_catalog  # noqa: PLC0415

        editor = self.catalog_editor
        if path is None and editor is not None and editor.isVisible():
            described = "; ".join(c.describe() for c in result.changes)
            try:
                editor.push(editor.model.edit_to_match(result.catalog, f"What-if: {described}"))
            except EditError as exc:
                QMessageBox.warning(self, "Not applied", f"{exc}.")
                return False
            editor.raise_()
            return True
        if path is None:
            stem = (self._loaded.path.stem if self._loaded.path else "catalogue") + "-changed"
            folder = Path(self.preferences.last_dir or str(Path.home()))
            name, _ = QFileDialog.getSaveFileName(
                self,
                "Save the changed catalogue",
                str(folder / f"{stem}.json"),
                "Catalogues (*.json)",
            )
            if not name:
                return False
            path = Path(name) if Path(name).suffix else Path(name).with_suffix(".json")
        try:
            save_catalog(result.catalog, path)
        except OSError as exc:
            QMessageBox.warning(self, "Not saved", f"{exc}. Choose another folder.")
            return False
        self.open_catalog(path)
        return True

    def _browser_selected(self, credential_id: str) -> None:
        self.statusBar().showMessage(
            f"{self.catalog.credential(credential_id).name} — right-click for actions, "
            "double-click to show in the graph",
            4000,
        )

    def _graph_selected(self, credential_id: str) -> None:
        self.browser.select(credential_id)

    def _goal_from_selection(self) -> None:
        credential = self.browser.current_credential()
        if credential is not None:
            self.set_goal(credential.id)

    def _held_from_selection(self) -> None:
        credential = self.browser.current_credential()
        if credential is not None:
            self.planner.held.toggle(credential.id)

    def _find(self) -> None:
        self.catalog_dock.show()
        self.catalog_dock.raise_()
        self.browser.search.setFocus()
        self.browser.search.selectAll()

    # -- learners and the store ---------------------------------------------------------------

    def _store_call(self, action: Any) -> Any:
        """Run one store action; a store error becomes a message, never a traceback."""
        try:
            return action()
        except Exception as exc:
            if not is_store_error(exc):
                raise
            self._store_error(exc)
            return None

    def _store_error(self, exc: Exception) -> None:
        QMessageBox.warning(self, "Not saved", f"{exc}.")

    def _learner_changed(self, name: str | None) -> None:
        self.plans_panel.flush_notes()
        if self._learner is None:
            self._guest_entries = list(self.book.entries)
        self._learner = None
        if name is not None and self.store is not None:
            self._learner = self._store_call(lambda: self.store.get_learner(name))
        self.undo_stack.clear()
        held: frozenset[str] = frozenset()
        if self._learner is not None:
            known = self.catalog.credentials_by_id
            held = frozenset(
                h.credential_id for h in self._learner.held if h.credential_id in known
            )
        self.held = held  # before ticking, so nothing is written back
        self.planner.set_held(held)
        self._load_learner_plans()

    def _load_learner_plans(self) -> None:
        if self.store is None or self._learner is None:
            self.book.repository = None
            self.book.load(self._guest_entries)
            self.plans_panel.set_saving_to(None)
            return
        repository = StorePlans(self.store, self.catalog, str(self._loaded.path or ""))
        entries = self._store_call(lambda: repository.load(self._learner.name)) or []
        self.book.repository = None
        self.book.load(entries)
        self.book.repository = repository
        self.plans_panel.set_saving_to(self._learner.name)
        self._check_stale(entries)

    def _check_stale(self, entries: list[PlanEntry]) -> None:
        """Re-plan, in the background, saved plans made on another catalogue version."""
        store, catalog = self.store, self.catalog
        if store is None:
            return
        from pathplanner.store.service import content_hash  # noqa: PLC0415 (store is open)

        current = content_hash(catalog_to_json(catalog))
        saved = [(e.key, e.saved_id) for e in entries if e.saved_id is not None]
        if not saved:
            return

        def work(progress: Any, cancel: Any) -> set[int]:
            from pathplanner.store.plans import replan  # noqa: PLC0415 (loads the planner)

            stale = set()
            for done, (key, plan_id) in enumerate(saved):
                if cancel():
                    break
                progress(done / len(saved), "checking saved plans")
                if store.get_plan(plan_id).catalog_version.content_hash == current:
                    continue
                if store.check_stale(plan_id, catalog, replan, cancel=cancel):
                    stale.add(key)
            return stale

        self.tasks.start("stale plans", work, on_success=self.plans_panel.mark_stale)

    def open_store_in_background(self, url: str | None) -> Task:
        """Open the plan store (SQLAlchemy, migrations) off the GUI thread, then offer its
        learners; until then the app plans as a guest."""

        def work(progress: Any, cancel: Any) -> Store:
            from pathplanner.store import Store  # noqa: PLC0415 (SQLAlchemy, in the background)

            store = Store.open(url)
            store.engine.dispose()  # its connections are made again in the GUI thread
            return store

        self.statusBar().showMessage("Opening the plan store…")
        return self.tasks.start(
            "open store", work, on_success=self.set_store, on_failure=self._store_failed
        )

    def set_store(self, store: Store) -> None:
        self.store = store
        self.statusBar().clearMessage()
        self.planner.set_store_available(True)
        learners = self._store_call(store.list_learners) or []
        self.planner.set_learners([r.name for r in learners])

    def _store_failed(self, exc: BaseException) -> None:
        self.statusBar().clearMessage()
        QMessageBox.warning(
            self,
            "Plan store not opened",
            f"{exc}.\n\npathplanner runs without saving learners and plans. Start it with "
            "--db FILE to use another store.",
        )

    def new_learner(self) -> None:
        if self.store is None:
            return
        taken = frozenset(r.name for r in self._store_call(self.store.list_learners) or [])
        dialog = LearnerDialog(self, taken=taken)
        if dialog.exec():
            name, contact, notes = dialog.values()
            record = self._store_call(
                lambda: self.store.add_learner(name, contact=contact, notes=notes)
            )
            if record is not None:
                self._refresh_learners(record.name)

    def _fresh_learner(self) -> LearnerRecord | None:
        """The selected learner as stored now (held edits bump its version)."""
        if self.store is None or self._learner is None:
            return None
        name = self._learner.name
        return self._store_call(lambda: self.store.get_learner(name))

    def edit_learner(self) -> None:
        learner = self._fresh_learner()
        if self.store is None or learner is None:
            return
        taken = frozenset(r.name for r in self._store_call(self.store.list_learners) or [])
        dialog = LearnerDialog(
            self, name=learner.name, contact=learner.contact, notes=learner.notes, taken=taken
        )
        if dialog.exec():
            before = (learner.name, learner.contact, learner.notes)
            after = dialog.values()
            if after != before and self.write_learner(learner.id, after):
                self.undo_stack.push(LearnerEdit(self, learner.id, before, after))

    def write_learner(self, learner_id: int, values: LearnerValues) -> bool:
        """Save a learner's name, contact and notes; the learner list follows."""
        store = self.store
        if store is None:
            return False
        name, contact, notes = values

        def update() -> LearnerRecord:
            current = store.get_learner(learner_id)
            return store.update_learner(
                learner_id, current.version, name=name, contact=contact, notes=notes
            )

        record = self._store_call(update)
        if record is None:
            return False
        selected = self._learner is not None and self._learner.id == learner_id
        if selected:
            self._learner = record
        self._refresh_learners(record.name if selected else self.planner.learner_name())
        return True

    def delete_learner(self, confirmed: bool = False) -> None:
        learner = self._fresh_learner()
        if self.store is None or learner is None:
            return
        if not confirmed:
            answer = QMessageBox.question(
                self,
                "Delete learner",
                f"Delete {learner.name} with their held credentials and "
                f"{len(self.book.entries)} saved plan(s)? This cannot be undone (the plans' "
                "history is kept).",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        store = self.store

        def delete() -> bool:
            store.delete_learner(learner.id, learner.version)
            return True

        if self._store_call(delete):
            self.book.repository = None
            self.book.load([])  # their plans are gone; not to be kept as the guest's
            self.undo_stack.clear()
            self._learner = None
            self._refresh_learners(None)

    def _refresh_learners(self, current: str | None) -> None:
        if self.store is not None:
            names = [r.name for r in self._store_call(self.store.list_learners) or []]
            self.planner.set_learners(names, current)

    # -- planning -----------------------------------------------------------------------------

    def start_planning(self, request: PlanRequest, mode: str) -> None:
        if self._planning is not None:
            return
        catalog = self.catalog
        request = replace(request, time_limit=self.preferences.time_limit)

        def work(progress: Any, cancel: Any) -> list[Plan]:
            # imported here: the service loads SciPy, which the window must not wait for
            from pathplanner.planning_service import NoPlanError, PlanningService  # noqa: PLC0415

            service = PlanningService(catalog)
            try:
                outcome = service.run(
                    request, trade_off=mode == TRADE_OFF, progress=progress, cancel=cancel
                )
            except NoPlanError as exc:
                return [exc.plan]  # shown with its reason in the Plan panel
            return list(outcome.plans)

        self.planner.set_running(True)
        self.cancel_action.setEnabled(True)
        self.plan_action.setEnabled(False)
        self.statusBar().showMessage("Planning…")
        self._planning = self.tasks.start(
            "plan",
            work,
            on_success=lambda plans: self._planned(plans, catalog, mode),
            on_failure=self._planning_failed,
            on_progress=self.planner.show_progress,
        )
        self._planning.finished.connect(self._planning_done)

    def cancel_planning(self) -> None:
        if self._planning is not None:
            self._planning.cancel()
            self.planner.message.setText("Cancelling…")

    def _planning_done(self) -> None:
        self._planning = None
        self.planner.set_running(False)
        self.cancel_action.setEnabled(False)
        self.plan_action.setEnabled(True)

    def _planned(self, plans: list[Plan], catalog: Catalog, mode: str) -> None:
        if catalog is not self.catalog:
            return  # the catalogue changed while planning
        self.plan_dock.show()
        self.plan_dock.raise_()
        self.plan_view.set_plans(plans, catalog)  # never empty: see PlanningService.run
        first = plans[0]
        if first.status == "infeasible":
            self.planner.message.setText("No plan meets these constraints: see the Plan panel.")
        elif mode == TRADE_OFF and len(plans) == 1:
            self.planner.message.setText(
                "Nothing to trade off: the cheapest plan is also the fastest."
            )
        else:
            keys = QKeySequence(QKeySequence.StandardKey.Save).toString(
                QKeySequence.SequenceFormat.NativeText
            )
            self.planner.message.setText(
                (
                    f"{len(plans)} plans on the trade-off curve: click one in the chart."
                    if mode == TRADE_OFF
                    else "Plan ready."
                )
                # what to do with it: an advisor keeps alternatives to compare and hand over
                + f" Keep it with Plan ▸ Keep Plan ({keys}) to compare or export it."
            )
        self.statusBar().showMessage("Planning finished", 4000)
        self._update_plan_actions()

    def _planning_failed(self, exc: BaseException) -> None:
        from pathplanner.planning_service import (  # noqa: PLC0415
            CancelledError,
            InvalidRequestError,
        )

        if isinstance(exc, CancelledError):
            self.planner.message.setText("Planning cancelled.")
            self.statusBar().showMessage("Planning cancelled", 4000)
        elif isinstance(exc, InvalidRequestError):
            self.planner.message.setText(f"Please check the request: {exc}")
            self.plan_view.show_message(f"The request could not be planned: {exc}")
        else:
            self.planner.message.setText("Planning failed.")
            QMessageBox.critical(
                self,
                "Planning failed",
                f"The planner stopped with an error: {exc}\n\nTry again with fewer "
                "constraints, and report this if it persists.",
            )

    def _plan_shown(self, shown: Plan) -> None:
        self._update_marks()
        self._update_plan_actions()

    def _current_plans(self) -> tuple[list[Plan], int, str | None] | None:
        view = self.plan_view
        if view.current is None:
            return None
        return view.plans, view.plans.index(view.current), self.planner.learner_name()

    def show_entry(self, plans: list[Plan], index: int) -> None:
        self.plan_view.set_plans(plans, self.catalog, index)
        self.plan_dock.raise_()

    def _update_plan_actions(self) -> None:
        has_plan = self.plan_view.current is not None
        for action in (self.export_pdf_action, self.export_csv_action, self.print_action):
            action.setEnabled(has_plan)

    # -- export -------------------------------------------------------------------------------

    def _save_name(self, title: str, suffix: str, kind: str) -> Path | None:
        stem = (
            self.plan_view.current and (self.plan_view.current.request.goal or "skills")
        ) or "pathway"
        default = str(Path(self.preferences.last_dir or str(Path.home())) / f"{stem}.{suffix}")
        name, _ = QFileDialog.getSaveFileName(self, title, default, f"{kind} (*.{suffix})")
        if not name:
            return None
        path = Path(name)
        self.preferences.last_dir = str(path.parent)
        return path if path.suffix else path.with_suffix(f".{suffix}")

    def export_pdf(self, path: Path | None = None) -> bool:
        current = self.plan_view.current
        if current is None:
            return False
        path = path or self._save_name("Export plan as PDF", "pdf", "PDF documents")
        if path is None:
            return False
        entry = self.book.entry_for(current)
        write_pdf(
            current,
            self.catalog,
            path,
            learner=self.planner.learner_name(),
            notes=entry.notes if entry else "",
            name=entry.name if entry else "",
            page=self.preferences.page_size,
        )
        self.statusBar().showMessage(f"Plan exported to {path}", 5000)
        return True

    def export_csv(self, path: Path | None = None) -> bool:
        current = self.plan_view.current
        if current is None:
            return False
        path = path or self._save_name("Export plan as CSV", "csv", "CSV files")
        if path is None:
            return False
        write_csv(current, self.catalog, path)
        self.statusBar().showMessage(f"Plan exported to {path}", 5000)
        return True

    def print_plan(self) -> None:
        current = self.plan_view.current
        if current is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            entry = self.book.entry_for(current)
            print_document(
                plan_document(
                    current,
                    self.catalog,
                    learner=self.planner.learner_name(),
                    notes=entry.notes if entry else "",
                ),
                printer,
            )

    def export_graph(self, kind: str, path: Path | None = None) -> bool:
        path = path or self._save_name(
            f"Export graph as {kind.upper()}", kind, f"{kind.upper()} images"
        )
        if path is None:
            return False
        try:
            (self.graph_panel.export_svg if kind == "svg" else self.graph_panel.export_png)(path)
        except OSError as exc:
            QMessageBox.warning(
                self, "Not exported", f"{exc}. Choose another folder and try again."
            )
            return False
        self.statusBar().showMessage(f"Graph exported to {path}", 5000)
        return True

    # -- dialogs ------------------------------------------------------------------------------

    def edit_preferences(self) -> None:
        dialog = PreferencesDialog(self.preferences, self)
        if dialog.exec():
            self.preferences = dialog.result_preferences()
            self.preferences.save(self.settings)
            theme.apply(self.preferences.theme)
            self.whatif_panel.time_limit = self.preferences.time_limit

    def _about(self) -> None:
        QMessageBox.about(self, "About pathplanner", about_text())

    def _shortcuts(self) -> None:
        lines = []
        for menu in self.menuBar().findChildren(QMenu):
            for action in menu.actions():
                if not action.shortcut().isEmpty():
                    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                    name = action.text().replace("&", "")
                    lines.append(f"<tr><td>{name}</td><td><b>{keys}</b></td></tr>")
        QMessageBox.information(
            self,
            "Keyboard shortcuts",
            # cellspacing: without it the longest name ran into its keys ("…HeldCtrl+H")
            "<table cellspacing='4'>" + "".join(dict.fromkeys(lines)) + "</table>",
        )

    # -- window state -------------------------------------------------------------------------

    def _default_sizes(self) -> None:
        """The first launch's layout (saved state wins): the side docks get about a quarter of
        the width each, the graph and the Plan dock share the height about evenly."""
        width, height = self.width(), self.height()
        self.resizeDocks(
            [self.planner_dock, self.catalog_dock],
            [round(width * DEFAULT_PLANNER_SHARE), round(width * DEFAULT_CATALOGUE_SHARE)],
            Qt.Orientation.Horizontal,
        )
        self.resizeDocks(
            [self.plan_dock], [round(height * DEFAULT_PLAN_SHARE)], Qt.Orientation.Vertical
        )

    def _first_size(self) -> tuple[int, int]:
        """The default size, or what the screen has room for (a 1280 x 800 laptop), less a
        title bar: the size set is the window's inside."""
        width, height = DEFAULT_SIZE
        screen = self.screen()
        if screen is not None:
            room = screen.availableGeometry()
            width, height = min(width, room.width()), min(height, room.height() - TITLE_BAR)
        return width, height

    def _restore_window(self) -> None:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        self._default_sizes()
        self._default_state = self.saveState()
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def reset_layout(self) -> None:
        self.restoreState(self._default_state)
        for dock in (self.catalog_dock, self.planner_dock, self.plan_dock, self.plans_dock):
            dock.show()
        self._default_sizes()

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            # Load the planner (SciPy) now, in the background, so the first Plan is quick.
            self.tasks.start(
                "load planner", lambda _p, _c: importlib.import_module("pathplanner.graph.planner")
            )
            if not isinstance(self.settings.value("window/state"), QByteArray):
                QTimer.singleShot(0, self._default_sizes)  # once the docks have their sizes

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.catalog_editor is not None and not self.catalog_editor.close():
            event.ignore()  # the editor has unsaved changes and the user kept them
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.preferences.save(self.settings)
        self.plans_panel.flush_notes()
        self.tasks.cancel_all()
        self.tasks.wait()
        super().closeEvent(event)


def _drop_cached_views(graph: nx.DiGraph) -> None:
    """NetworkX caches a graph's views (``nodes``, ``edges``, ``in_degree``, ...) in the graph
    itself, and each view refers back to it: a reference cycle, so a replaced graph was freed
    only by a full collection. Dropping the cached views lets reference counting free it as
    soon as nothing else holds it (they are rebuilt on the next use)."""
    for name in [k for k in vars(graph) if k not in _GRAPH_DATA]:
        del vars(graph)[name]


_GRAPH_DATA = frozenset({"graph", "_node", "_adj", "_succ", "_pred", "__networkx_cache__"})
