"""File ▸ Export: the catalogue as CSV or CTDL JSON-LD; the shown plan as iCalendar, as a CTDL
pathway or as plan JSON. Every file is written atomically (a failed write leaves the old one)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu, QMessageBox

from pathplanner.catalog import write_text_atomic
from pathplanner.interop.csv_catalog import catalog_to_csv
from pathplanner.interop.ctdl_export import ctdl_json, plan_to_ctdl
from pathplanner.interop.ical import plan_to_ics
from pathplanner.model import Catalog
from pathplanner.ui.file_dialogs import choose_save_path, file_stem

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from pathplanner.graph.planner import Plan
    from pathplanner.ui.main_window import MainWindow


class Exporter:
    """The export actions of one window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.plan_actions: list[QAction] = []

    # -- catalogue --------------------------------------------------------------------------

    def catalogue_csv(self, path: Path | None = None) -> bool:
        return self._write(
            "Export catalogue as CSV", "csv", "CSV files", path, lambda c, _p: catalog_to_csv(c)
        )

    def catalogue_ctdl(self, path: Path | None = None) -> bool:
        return self._write(
            "Export catalogue as CTDL JSON-LD",
            "jsonld",
            "CTDL JSON-LD",
            path,
            lambda c, _p: ctdl_json(c),
        )

    # -- the shown plan ---------------------------------------------------------------------

    def plan_ics(self, path: Path | None = None) -> bool:
        return self._write(
            "Export plan as a calendar",
            "ics",
            "iCalendar files",
            path,
            lambda c, p: plan_to_ics(p, c),
            plan=True,
        )

    def plan_ctdl(self, path: Path | None = None) -> bool:
        return self._write(
            "Export plan as a CTDL pathway",
            "jsonld",
            "CTDL JSON-LD",
            path,
            lambda c, p: _json_text(plan_to_ctdl(p, c)),
            plan=True,
        )

    def plan_json(self, path: Path | None = None) -> bool:
        return self._write(
            "Export plan as JSON",
            "json",
            "JSON files",
            path,
            lambda _c, p: _json_text(p.to_json()),
            plan=True,
        )

    def update_actions(self) -> None:
        """Plan exports need a shown plan."""
        has_plan = self.window.plan_view.current is not None
        for action in self.plan_actions:
            action.setEnabled(has_plan)

    def _write(
        self,
        title: str,
        suffix: str,
        kind: str,
        path: Path | None,
        render: Callable[[Catalog, Plan], str],
        *,
        plan: bool = False,
    ) -> bool:
        window = self.window
        catalog, current = window.catalog, window.plan_view.current
        if plan and current is None:
            window.statusBar().showMessage("Plan first: there is no plan to export.", 4000)
            return False
        stem = _plan_stem(current, catalog) if plan and current else file_stem(catalog.name)
        path = path or choose_save_path(
            window, window.preferences, title=title, stem=stem, kind=kind, suffix=suffix
        )
        if path is None:
            return False
        try:
            write_text_atomic(path, render(catalog, current))  # type: ignore[arg-type]
        except OSError as exc:
            QMessageBox.warning(
                window,
                "Not exported",
                f"{path} could not be written: {exc.strerror or exc}. "
                "Choose another folder and try again.",
            )
            return False
        window.statusBar().showMessage(f"Exported to {path}", 5000)
        return True


def _json_text(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _plan_stem(plan: Plan, catalog: Catalog) -> str:
    goal = plan.request.goal
    name = catalog.credential(goal).name if goal in catalog.credentials_by_id else "skills"
    return f"plan-{file_stem(name)}"


def attach(window: MainWindow, menu: QMenu) -> Exporter:
    """Fill ``menu`` (File ▸ Export) and return the exporter its actions use."""
    exporter = Exporter(window)
    entries = [
        ("Catalogue as &CSV Spreadsheet…", exporter.catalogue_csv, False),
        ("Catalogue as CTDL JSON-&LD…", exporter.catalogue_ctdl, False),
        ("Plan as &iCalendar (.ics)…", exporter.plan_ics, True),
        ("Plan as CTDL &Pathway (JSON-LD)…", exporter.plan_ctdl, True),
        ("Plan as &JSON…", exporter.plan_json, True),
    ]
    for text, slot, needs_plan in entries:
        if needs_plan and not exporter.plan_actions:
            menu.addSeparator()
        action = menu.addAction(text)
        action.triggered.connect(lambda _c=False, s=slot: s())
        if needs_plan:
            exporter.plan_actions.append(action)
    menu.aboutToShow.connect(exporter.update_actions)
    exporter.update_actions()
    return exporter
