"""Screenshots of the main views, taken from the real app, into ``docs/screenshots/``.

Usage: ``python scripts/screenshots.py [OUTPUT_DIR]``. Runs offscreen (no display needed) on
the bundled catalogue, with a throwaway store and settings, so the user's own data is never
touched.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from pathplanner.catalog import bundled_catalog_path, load_catalog
from pathplanner.interop.ctdl_export import export_ctdl
from pathplanner.paths import database_url
from pathplanner.store import Store
from pathplanner.ui import theme
from pathplanner.ui.app import make_application
from pathplanner.ui.main_window import MainWindow
from pathplanner.ui.planner_panel import TRADE_OFF

ROOT = Path(__file__).resolve().parent.parent
GOAL = "wgu-bs-data-analytics"
HELD = ("google-data-analytics-cert", "comptia-a-plus")
SHARED_PATHWAY = ROOT.parent / "shared/data/ctdl/pathways/comptia_it_networking_specialist.jsonld"
BADGE = {  # an Open Badges 3.0 credential as a learner would bring it
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ],
    "id": "urn:uuid:0b8c3d1e-5d0c-4a51-9f35-2b1f7f7f0a11",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "https://example.org/issuers/1", "type": ["Profile"], "name": "Google"},
    "validFrom": "2025-03-01T00:00:00Z",
    "name": "Google Data Analytics Certificate",
    "credentialSubject": {
        "type": ["AchievementSubject"],
        "achievement": {
            "id": "https://example.org/achievements/data-analytics",
            "type": ["Achievement"],
            "name": "Google Data Analytics Certificate",
            "criteria": {"narrative": "Completed the eight courses."},
        },
    },
}


def wait_until(app: QApplication, condition: Callable[[], bool], timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the app did not get there in time")
        app.processEvents()
        time.sleep(0.01)


def settle(app: QApplication, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def shoot(widget: QWidget, path: Path) -> None:
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def plan(app: QApplication, window: MainWindow, objective: str) -> None:
    window.planner.set_objective(objective)
    window.planner.request_plan()
    wait_until(app, lambda: window._planning is None and not window.tasks.busy)
    settle(app)


def designer_shots(app: QApplication, window: MainWindow, goal: str, out: Path) -> None:
    """The program-designer tools: Gaps panel, heat map, what-if, catalogue editor."""
    gaps = window.gaps_panel
    gaps.budget.setValue(20000)
    gaps.hours.setValue(15)
    window.gaps_dock.raise_()
    gaps.start()
    wait_until(app, lambda: not gaps.running)
    bridges = next(
        (
            gaps.tree.topLevelItem(i)
            for i in range(gaps.tree.topLevelItemCount())
            if gaps.tree.topLevelItem(i).text(0).startswith("Missing bridges")
        ),
        None,
    )
    if bridges is not None and bridges.childCount():
        gaps.tree.setCurrentItem(bridges.child(0))
    window.gaps_dock.resize(1440, 420)
    settle(app)
    shoot(window.gaps_dock, out / "gaps-panel.png")

    ladder = "indiana-rn-license"  # a pathway with prerequisites (transfer does not count)
    window.set_goal(ladder if ladder in window.catalog.credentials_by_id else goal)
    window.overlay.set_mode("complexity")
    window.graph_panel.show_whole_catalogue(False)
    wait_until(app, lambda: not window.graph_panel.laying_out and not window.overlay.busy)
    docks = (
        window.planner_dock,
        window.catalog_dock,
        window.plan_dock,
        window.plans_dock,
        window.gaps_dock,
        window.whatif_dock,
    )
    for dock in docks:
        dock.hide()
    shown_goal = window.graph_panel.goal
    window.graph_panel.set_marks(held=frozenset(), goal=shown_goal, route=[])  # colours unfaded
    settle(app)
    window.graph_panel.view.fit()
    settle(app)
    shoot(window, out / "heat-map.png")
    for dock in docks:
        dock.show()
    window.overlay.set_mode("kind")
    window.set_goal(goal)

    panel = window.whatif_panel
    panel.goals.set_checked([goal])
    source = panel.transfer_source.findData("google-data-analytics-cert")
    panel.transfer_source.setCurrentIndex(max(0, source))
    panel.transfer_target.setCurrentIndex(max(0, panel.transfer_target.findData(goal)))
    panel.add_current_change()
    window.whatif_dock.raise_()
    panel.start()
    wait_until(app, lambda: not panel.running)
    settle(app)
    shoot(window.whatif_dock, out / "what-if.png")

    editor = window.edit_catalog()
    editor.resize(1150, 860)
    shown = "ivy-tech-aas-it"
    records = editor.lists["credentials"]
    for row in range(records.count()):
        if records.item(row).data(256) == shown:
            records.setCurrentRow(row)
    settle(app)
    shoot(editor, out / "catalogue-editor.png")
    editor.close()


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = make_application()
    with tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        store = Store.open(database_url(str(Path(scratch) / "plans.db")), backup_dir=Path(scratch))
        loaded = load_catalog(bundled_catalog_path())
        catalog = loaded.catalog
        goal = GOAL if GOAL in catalog.credentials_by_id else catalog.credentials[-1].id
        store.add_learner("Ana Lima", contact="ana@example.org")
        window = MainWindow(loaded, settings, store)
        window.resize(1440, 900)
        window.show()
        wait_until(app, lambda: not window.graph_panel.laying_out)
        settle(app)
        shoot(window, out / "start.png")

        window.planner.learner.setCurrentIndex(window.planner.learner.findData("Ana Lima"))
        window.set_goal(goal)
        window.planner.held.set_checked(
            frozenset(h for h in HELD if h in catalog.credentials_by_id)
        )
        window.browser.select(goal)
        window.graph_panel.show_whole_catalogue(False)
        wait_until(app, lambda: not window.graph_panel.laying_out)
        window.planner.hours.setValue(40)
        plan(app, window, "cost")
        window.plans_panel.keep([window.plan_view.current], 0, "Ana Lima", "Cheapest, 40 h/week")  # type: ignore[list-item]
        window.plan_dock.raise_()
        settle(app)
        shoot(window, out / "main-window.png")
        shoot(window.catalog_dock, out / "catalogue-browser.png")
        shoot(window.planner_dock, out / "planner-panel.png")

        plan(app, window, "time")
        window.plans_panel.keep([window.plan_view.current], 0, "Ana Lima", "Fastest, 40 h/week")  # type: ignore[list-item]
        window.plan_view.tabs.setCurrentIndex(0)
        window.plan_dock.resize(1440, 420)
        settle(app)
        shoot(window.plan_dock, out / "plan-timeline.png")

        plan(app, window, TRADE_OFF)
        settle(app)
        shoot(window.plan_dock, out / "trade-off.png")

        window.plans_dock.raise_()
        panel = window.plans_panel
        panel.select_keys([e.key for e in panel.book.entries])
        dialog = panel.compare_selected()
        settle(app)
        if dialog is not None:
            shoot(dialog, out / "compare.png")
            dialog.close()
        shoot(window.plans_dock, out / "plans.png")

        # File ▸ Import: the report of a real CTDL pathway (or of our own export of one).
        source = SHARED_PATHWAY
        if not source.is_file():
            source = Path(scratch) / "pathway.jsonld"
            export_ctdl(catalog, source, goal=goal)
        window.importer.start("ctdl", [source])
        wait_until(app, lambda: window.importer.report_dialog is not None)
        report = window.importer.report_dialog
        if report.notes.topLevelItemCount():
            report.notes.topLevelItem(0).setExpanded(True)  # the records a note concerns
        settle(app)
        shoot(report, out / "import-report.png")
        report.reject()
        # Plan ▸ Import Learner's Badge…: a badge whose name only resembles credentials'.
        badge_path = Path(scratch) / "badge.json"
        badge_path.write_text(json.dumps(BADGE), encoding="utf-8")
        window.badge_importer.start(badge_path)
        wait_until(app, lambda: window.badge_importer.task is None)
        confirm = window.badge_importer.match_dialog
        if confirm is not None:
            confirm.candidates.setCurrentRow(0)
            settle(app)
            shoot(confirm, out / "badge-confirmation.png")
            confirm.reject()
        settle(app)

        designer_shots(app, window, goal, out)

        # The pathway graph on its own: a nursing ladder, its cheapest route numbered.
        nursing = "indiana-rn-license"
        if nursing in catalog.credentials_by_id:
            window.planner.hours.setValue(0)
            window.planner.held.set_checked(frozenset())
            window.set_goal(nursing)
            wait_until(app, lambda: not window.graph_panel.laying_out)
            plan(app, window, "cost")
            for dock in (
                window.planner_dock,
                window.catalog_dock,
                window.plan_dock,
                window.plans_dock,
                window.gaps_dock,  # raised by the designer shots: the graph alone here
                window.whatif_dock,
            ):
                dock.hide()
            settle(app)
            window.graph_panel.view.fit()
            settle(app)
            shoot(window, out / "pathway-graph.png")
        # The same window with the dark palette (Preferences ▸ Appearance ▸ Dark).
        for dock in (window.planner_dock, window.catalog_dock, window.plan_dock):
            dock.show()
        window.plan_dock.raise_()
        window.plan_view.tabs.setCurrentIndex(0)
        theme.apply("dark")
        settle(app, 0.5)
        shoot(window, out / "dark.png")
        theme.apply("system")
        window.close()
        window.tasks.wait()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
