"""File ▸ Import: CTDL JSON-LD, a CSV catalogue, a Curricular Analytics CSV, RSD skills.

An import runs off the GUI thread (the one :class:`TaskRunner`) with a cancellable progress
dialog; its report is then shown (records read, mapped and skipped per type, and every note)
and the user saves the catalogue as a file and opens it, opens it unsaved, or discards it.
When the import describes a pathway, its destination is offered as the goal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pathplanner.catalog import LoadedCatalog, save_catalog
from pathplanner.graph import build_graph
from pathplanner.interop.csv_catalog import import_csv
from pathplanner.interop.ctdl_import import ImportCancelledError, import_ctdl_files
from pathplanner.interop.curricular_analytics import SOURCE as CURRICULAR_ANALYTICS
from pathplanner.interop.curricular_analytics import import_curricular_analytics
from pathplanner.interop.import_report import Action, ImportReport, ImportResult, Note
from pathplanner.interop.jsonld import CTID
from pathplanner.interop.skills_rsd import add_skills, read_rsd_files
from pathplanner.model import Catalog
from pathplanner.ui.file_dialogs import choose_open_paths, choose_save_path, file_stem
from pathplanner.ui.tasks import Task

if TYPE_CHECKING:
    from pathplanner.ui.main_window import MainWindow

Progress = Callable[[float, str], None]
Cancel = Callable[[], bool]

SAVE, OPEN, DISCARD = "save", "open", "discard"
MAX_NOTE_ROWS = 200  # per reason: a 2,000-record import must not build 10,000 tree items


@dataclass(frozen=True)
class ImportSource:
    key: str
    menu_text: str
    dialog_title: str
    filters: str
    many: bool  # several files make one catalogue


SOURCES = {
    s.key: s
    for s in (
        ImportSource(
            "ctdl",
            "&CTDL JSON-LD (Credential Engine)…",
            "Import CTDL JSON-LD files",
            "CTDL JSON-LD (*.json *.jsonld);;All files (*)",
            True,
        ),
        ImportSource(
            "csv",
            "Catalogue &Spreadsheet (CSV)…",
            "Import a catalogue spreadsheet",
            "CSV files (*.csv);;All files (*)",
            False,
        ),
        ImportSource(
            "curricular-analytics",
            "Curricular &Analytics Curriculum (CSV)…",
            "Import a Curricular Analytics curriculum or degree plan",
            "CSV files (*.csv);;All files (*)",
            False,
        ),
        ImportSource(
            "rsd",
            "S&kills (Rich Skill Descriptors) into This Catalogue…",
            "Add skills (RSD, OSMT or CTDL competency files) to the open catalogue",
            "Skills files (*.json *.jsonc *.jsonld);;All files (*)",
            True,
        ),
    )
}


@dataclass(frozen=True)
class ImportOutcome:
    source: ImportSource
    paths: tuple[Path, ...]
    result: ImportResult
    graph: nx.DiGraph | None  # built in the background when there is a catalogue
    skills_before: int  # skills in the catalogue the RSD import added to


def run_import(
    source: ImportSource, paths: list[Path], current: Catalog, progress: Progress, cancel: Cancel
) -> ImportOutcome:
    """The import itself (runs in a worker thread; no Qt). Raises ImportCancelledError."""
    progress(
        0.0, f"Reading {paths[0].name}…" if len(paths) == 1 else f"Reading {len(paths)} files…"
    )
    if source.key == "ctdl":
        result = import_ctdl_files(paths, progress=progress, cancel=cancel)
    elif source.key == "csv":
        result = import_csv(paths[0])
    elif source.key == "curricular-analytics":
        result = import_curricular_analytics(paths[0])
    else:
        skills, report = read_rsd_files(paths)
        result = (
            ImportResult(None, report) if report.errors else add_skills(current, skills, report)
        )
    if cancel():
        raise ImportCancelledError("import cancelled")
    graph = None
    if result.catalog is not None:
        progress(0.95, "Building the pathway graph…")
        graph = build_graph(result.catalog)
    return ImportOutcome(source, tuple(paths), result, graph, len(current.skills))


# --- the report ----------------------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _record_label(note: Note, catalog: Catalog | None) -> str:
    """The note's record by name where the catalogue has it (ids are long registry URLs)."""
    record = note.record
    if catalog is not None and record:
        match = CTID.search(record)
        key = match.group(0).lower() if match else record
        for known in (key, record):
            if known in catalog.credentials_by_id:
                return f"{catalog.credential(known).name} ({known})"
    return record or "(the whole file)"


def _files_text(paths: tuple[Path, ...]) -> str:
    if len(paths) > 3:
        return f"{paths[0].name} and {len(paths) - 1} more files"
    return ", ".join(p.name for p in paths)


def suggested_name(outcome: ImportOutcome) -> str:
    """The catalogue's name, shortened when the importer joined many file names into it."""
    catalog = outcome.result.catalog
    if catalog is None:
        return ""
    stems = [p.stem for p in outcome.paths]
    if len(stems) > 2 and catalog.name == ", ".join(stems):
        return f"{stems[0]} and {len(stems) - 1} more"
    return catalog.name


def _headline(outcome: ImportOutcome) -> str:
    result, files = outcome.result, _files_text(outcome.paths)
    catalog = result.catalog
    if catalog is None:
        return f"<b>Nothing was imported from {files}.</b> Fix the problems below and try again."
    if outcome.source.key == "rsd":
        added = len(catalog.skills) - outcome.skills_before
        return (
            f"<b>{_plural(added, 'new skill')} added</b> to “{catalog.name}” from {files} "
            f"(now {_plural(len(catalog.skills), 'skill')})."
        )
    return (
        f"<b>Imported {_plural(len(catalog.credentials), 'credential')}</b> from {files}: "
        f"{_plural(len(catalog.providers), 'provider')}, {_plural(len(catalog.skills), 'skill')}."
    )


def goal_offers(outcome: ImportOutcome) -> list[tuple[str, str]]:
    """(label, credential id) of the goals an import points at: the destinations of its CTDL
    pathways, or the curriculum of a Curricular Analytics file (the credential whose ``source``
    is the file itself, the courses' being ``file#course-N``)."""
    catalog, report = outcome.result.catalog, outcome.result.report
    if catalog is None:
        return []
    offers = [
        (f"{p['name']} → {catalog.credential(p['destination']).name}", p["destination"])
        for p in report.pathways
        if p.get("destination") in catalog.credentials_by_id
    ]
    if outcome.source.key == "curricular-analytics":
        files = {f"{CURRICULAR_ANALYTICS}:{path.name}" for path in outcome.paths}
        offers += [(c.name, c.id) for c in catalog.credentials if c.source in files]
    return offers


class ImportReportDialog(QDialog):
    """The import report; ``choice`` is SAVE, OPEN or DISCARD once it closes."""

    def __init__(self, outcome: ImportOutcome, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ImportReport")
        self.setWindowTitle("Import report")
        self.outcome = outcome
        self.choice = DISCARD
        report, catalog = outcome.result.report, outcome.result.catalog
        layout = QVBoxLayout(self)

        headline = QLabel(_headline(outcome))
        headline.setWordWrap(True)
        headline.setAccessibleName("Import result")
        layout.addWidget(headline)
        self.headline = headline

        self.name = QLineEdit(suggested_name(outcome))
        self.name.setAccessibleName("Catalogue name")
        self.name.setPlaceholderText("a name for the catalogue")
        if catalog is not None and outcome.source.key != "rsd":
            row = QHBoxLayout()
            name_label = QLabel("Catalogue &name:")
            name_label.setBuddy(self.name)
            row.addWidget(name_label)
            row.addWidget(self.name, 1)
            layout.addLayout(row)

        self.counts = self._counts_table(report)
        if report.types():
            layout.addWidget(QLabel("Records in the files:"))
            layout.addWidget(self.counts)

        self.pathways = QComboBox()
        self.pathways.setAccessibleName("Goal offered by the import")
        self.use_goal = QCheckBox("Make it the learner's &goal after opening")
        offers = goal_offers(outcome)
        for label, credential_id in offers:
            self.pathways.addItem(label, credential_id)
        if offers:
            if outcome.source.key == "curricular-analytics":
                text = "The curriculum's degree can be the learner's goal:"
            elif len(offers) == 1:
                text = "This import describes a pathway; its destination can be the learner's goal:"
            else:
                text = (
                    f"This import describes {len(offers)} pathways; choose the destination to "
                    "make the learner's goal:"
                )
            note = QLabel(text)
            note.setWordWrap(True)
            layout.addWidget(note)
            layout.addWidget(self.pathways)
            self.use_goal.setChecked(True)
            layout.addWidget(self.use_goal)

        self.notes = self._notes_tree(report, catalog)
        if report.notes:
            counts = {a: sum(n.action == a for n in report.notes) for a in Action}
            parts = []
            if counts[Action.SKIPPED]:
                parts.append(
                    f"{counts[Action.SKIPPED]:,} skipped (something the files say that "
                    "pathplanner cannot use)"
                )
            if counts[Action.APPROXIMATED]:
                parts.append(
                    f"{counts[Action.APPROXIMATED]:,} approximated (a value was missing or "
                    "simplified: check these before relying on a plan)"
                )
            explain = QLabel(
                f"<b>{_plural(len(report.notes), 'note')}</b>: {' and '.join(parts)}. "
                "Expand a line to see the records it concerns."
            )
            explain.setWordWrap(True)
            layout.addWidget(explain)
            layout.addWidget(self.notes, 1)

        self.errors = QPlainTextEdit("\n".join(report.errors))
        self.errors.setReadOnly(True)
        self.errors.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.errors.setAccessibleName("Import problems")
        if report.errors:
            layout.addWidget(QLabel(f"<b>{_plural(len(report.errors), 'problem')}</b>:"))
            layout.addWidget(self.errors, 1)

        self.buttons = QDialogButtonBox()
        if catalog is not None:
            self.save_button = self._button("&Save As Catalogue and Open…", SAVE, "SaveAndOpen")
            self.save_button.setDefault(True)
            self.save_button.setToolTip(
                "Write the catalogue to a file (it can be opened again later), then open it"
            )
            self.open_button = self._button("&Open Without Saving", OPEN, "OpenUnsaved")
            self.open_button.setToolTip(
                "Open it for this session only: it is not written to a file or added to Open Recent"
            )
            self._button("&Discard", DISCARD, "Discard")
        else:
            self._button("&Close", DISCARD, "Close")
        layout.addWidget(self.buttons)
        if report.notes:
            self.resize(760, 560)
        elif report.errors:
            self.resize(640, 180 + 20 * min(len(report.errors), 16))
        else:
            self.resize(640, 320)

    def _button(self, text: str, choice: str, name: str) -> QPushButton:
        button = self.buttons.addButton(
            text,
            QDialogButtonBox.ButtonRole.RejectRole
            if choice == DISCARD
            else QDialogButtonBox.ButtonRole.AcceptRole,
        )
        button.setObjectName(name)
        button.clicked.connect(lambda: self._choose(choice))
        return button

    def _choose(self, choice: str) -> None:
        self.choice = choice
        (self.reject if choice == DISCARD else self.accept)()

    def catalog(self) -> Catalog | None:
        """The imported catalogue under the name the user gave it."""
        catalog = self.outcome.result.catalog
        name = self.name.text().strip()
        if catalog is None or not name or name == catalog.name:
            return catalog
        return catalog.model_copy(update={"name": name})

    def goal(self) -> str | None:
        """The pathway destination to plan towards, if the user kept the box ticked."""
        if self.pathways.count() and self.use_goal.isChecked():
            value = self.pathways.currentData()
            return value if isinstance(value, str) else None
        return None

    @staticmethod
    def _counts_table(report: ImportReport) -> QTableWidget:
        types = report.types()
        table = QTableWidget(len(types), 4)
        table.setAccessibleName("Records read, mapped and skipped")
        table.setHorizontalHeaderLabels(["Record type", "Read", "Mapped", "Skipped"])
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for row, name in enumerate(types):
            figures = (report.read[name], report.mapped[name], report.skipped[name])
            table.setItem(row, 0, QTableWidgetItem(name))
            for column, value in enumerate(figures, start=1):
                item = QTableWidgetItem(f"{value:,}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if column == 3 and value:
                    item.setForeground(Qt.GlobalColor.darkRed)
                table.setItem(row, column, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        height = table.horizontalHeader().sizeHint().height() + 4
        height += sum(table.rowHeight(r) for r in range(min(len(types), 6)))
        table.setFixedHeight(height)
        return table

    @staticmethod
    def _notes_tree(report: ImportReport, catalog: Catalog | None) -> QTreeWidget:
        """One line per distinct reason (with a count), its records underneath."""
        tree = QTreeWidget()
        tree.setAccessibleName("Import notes")
        tree.setColumnCount(3)
        tree.setHeaderLabels(["What and why", "Field", "Records"])
        tree.setUniformRowHeights(True)
        groups: dict[tuple[Action, str], list[Note]] = {}
        for note in report.notes:
            groups.setdefault((note.action, note.reason), []).append(note)
        for (action, reason), notes in sorted(groups.items(), key=lambda g: -len(g[1])):
            top = QTreeWidgetItem([f"{action.value.capitalize()}: {reason}", "", f"{len(notes):,}"])
            top.setToolTip(0, reason)
            top.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for note in notes[:MAX_NOTE_ROWS]:
                child = QTreeWidgetItem([_record_label(note, catalog), note.field, ""])
                child.setToolTip(0, str(note))
                top.addChild(child)
            if len(notes) > MAX_NOTE_ROWS:
                top.addChild(QTreeWidgetItem([f"… and {len(notes) - MAX_NOTE_ROWS:,} more", ""]))
            tree.addTopLevelItem(top)
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        return tree


# --- the controller ------------------------------------------------------------------------


class CatalogueImporter(QObject):
    """Runs imports for the window and opens what they produce."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.task: Task | None = None
        self.progress: QProgressDialog | None = None
        self.report_dialog: ImportReportDialog | None = None
        self.actions: dict[str, Any] = {}  # File ▸ Import actions by source key

    def choose(self, key: str) -> None:
        source = SOURCES[key]
        paths = choose_open_paths(
            self.window,
            self.window.preferences,
            source.dialog_title,
            source.filters,
            many=source.many,
        )
        if paths:
            self.start(key, paths)

    def start(self, key: str, paths: list[Path]) -> Task | None:
        """Import ``paths`` in the background; the report dialog follows."""
        if self.task is not None:
            self.window.statusBar().showMessage("An import is already running.", 4000)
            return None
        source, current = SOURCES[key], self.window.catalog
        progress = QProgressDialog(f"Importing {paths[0].name}…", "Cancel", 0, 100, self.window)
        progress.setObjectName("ImportProgress")
        progress.setWindowTitle("Importing")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        progress.setAutoReset(False)
        progress.setAutoClose(False)
        self.progress = progress

        def show_progress(fraction: float, message: str) -> None:
            progress.setValue(round(fraction * 100))
            progress.setLabelText(message[:1].upper() + message[1:])

        self.task = self.window.tasks.start(
            f"import {key}",
            lambda report, cancel: run_import(source, paths, current, report, cancel),
            on_success=self._imported,
            on_failure=self._failed,
            on_progress=show_progress,
            builds_data=True,
        )
        progress.canceled.connect(self.task.cancel)
        self.task.finished.connect(self._finished)
        return self.task

    def _finished(self) -> None:
        self.task = None
        if self.progress is not None:
            self.progress.canceled.disconnect()
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ImportCancelledError):
            self.window.statusBar().showMessage("Import cancelled: nothing was changed.", 5000)
            return
        QMessageBox.warning(self.window, "Not imported", f"The files could not be imported: {exc}.")

    def _imported(self, outcome: ImportOutcome) -> None:
        dialog = ImportReportDialog(outcome, self.window)
        dialog.finished.connect(lambda _r: self._report_closed(dialog))
        self.report_dialog = dialog
        dialog.open()

    def _report_closed(self, dialog: ImportReportDialog) -> None:
        outcome, choice, catalog = dialog.outcome, dialog.choice, dialog.catalog()
        wanted = catalog is not None and outcome.graph is not None and choice != DISCARD
        path = None
        if wanted and catalog is not None and choice == SAVE:
            path = self._save(catalog)
            if path is None:  # not saved: back to the report, nothing is lost
                dialog.open()
                return
        dialog.deleteLater()
        self.report_dialog = None
        if wanted and catalog is not None and outcome.graph is not None:
            loaded = LoadedCatalog(catalog, outcome.result.warnings, path)
            self.open(loaded, outcome.graph, dialog.goal())

    def _save(self, catalog: Catalog) -> Path | None:
        """Ask where to save the catalogue and write it (atomically); None if not saved."""
        path = choose_save_path(
            self.window,
            self.window.preferences,
            title="Save the imported catalogue",
            stem=file_stem(catalog.name),
            kind="Catalogues",
            suffix="json",
        )
        if path is None:
            return None
        try:
            save_catalog(catalog, path)
        except OSError as exc:
            QMessageBox.warning(
                self.window,
                "Catalogue not saved",
                f"{path} could not be written: {exc.strerror or exc}. "
                "Choose another folder and try again.",
            )
            return None
        return path

    def open(self, loaded: LoadedCatalog, graph: nx.DiGraph, goal: str | None) -> None:
        window = self.window
        if goal is not None:

            def set_goal(ok: bool) -> None:
                if ok and goal in window.catalog.credentials_by_id:
                    window.set_goal(goal)
                    window.planner.message.setText(
                        f"Goal set to {window.catalog.credential(goal).name} from the import: "
                        "press Plan."
                    )

            window.catalog_opened.connect(set_goal, Qt.ConnectionType.SingleShotConnection)
        window.show_loaded_catalog(loaded, graph)


def import_menu_entries() -> list[tuple[str, str]]:
    """(key, menu text) for File ▸ Import, in menu order."""
    return [(s.key, s.menu_text) for s in SOURCES.values()]


def attach(window: MainWindow, menu: Any) -> CatalogueImporter:
    """Fill ``menu`` (File ▸ Import) and return the importer the actions use."""
    importer = CatalogueImporter(window)
    for key, text in import_menu_entries():
        action = menu.addAction(text)
        action.setStatusTip(SOURCES[key].dialog_title)
        action.triggered.connect(lambda _c=False, k=key: importer.choose(k))
        importer.actions[key] = action
        if key == "curricular-analytics":
            menu.addSeparator()
    return importer
