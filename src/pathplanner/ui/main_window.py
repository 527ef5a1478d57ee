"""The main window: the catalogue as a searchable table with a details pane.

A first, minimal window; the planner, graph and plan views are built on it later.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from pathplanner import __version__
from pathplanner.catalog import CatalogError, LoadedCatalog, load_catalog
from pathplanner.graph import build_graph, unlocks
from pathplanner.model import Catalog, Credential
from pathplanner.requirement_text import item_text, requirement_text
from pathplanner.ui.catalog_model import CredentialTableModel


class MainWindow(QMainWindow):
    def __init__(self, loaded: LoadedCatalog) -> None:
        super().__init__()
        self.resize(1100, 700)
        self._catalog = loaded.catalog
        self._graph = build_graph(loaded.catalog)

        self.model = CredentialTableModel(loaded.catalog, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)  # search every column: name, kind, provider...

        self.search = QLineEdit(placeholderText="Search credentials by name, kind or provider")
        self.search.setAccessibleName("Search credentials")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)

        self.table = QTableView()
        self.table.setAccessibleName("Credentials")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.selectionModel().currentRowChanged.connect(self._show_details)

        self.details = QTextBrowser()
        self.details.setAccessibleName("Credential details")
        self.details.setOpenExternalLinks(True)
        self.details.setHtml("<p><i>Select a credential to see its details.</i></p>")

        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.table)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.details)
        splitter.setSizes([700, 400])
        self.setCentralWidget(splitter)
        self._build_menus()
        self._show_catalog(loaded)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        open_action = QAction("&Open Catalogue…", self)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self.choose_catalog)
        file_menu.addAction(open_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About pathplanner", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def choose_catalog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Open catalogue", "", "Catalogues (*.json);;All files (*)"
        )
        if name:
            self.open_catalog(Path(name))

    def open_catalog(self, path: Path) -> bool:
        """Open a catalogue file; show its problems in a dialog when it is not valid."""
        try:
            loaded = load_catalog(path)
        except CatalogError as exc:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "Catalogue not opened",
                f"{path.name} has {len(exc.errors)} problem(s) and was not "
                "opened. Fix them and open it again.",
                parent=self,
            )
            box.setDetailedText("\n".join(str(p) for p in exc.problems))
            box.open()
            return False
        self._catalog = loaded.catalog
        self._graph = build_graph(loaded.catalog)
        self.model.set_catalog(loaded.catalog)
        self._show_catalog(loaded)
        return True

    def _show_catalog(self, loaded: LoadedCatalog) -> None:
        catalog = loaded.catalog
        self.setWindowTitle(f"{catalog.name} — pathplanner")
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(0, 320)
        self.statusBar().showMessage(
            f"{len(catalog.credentials)} credentials from {len(catalog.providers)} providers"
            + (f" · {len(loaded.warnings)} warnings" if loaded.warnings else "")
        )

    @property
    def catalog(self) -> Catalog:
        return self._catalog

    def _show_details(self, current: QModelIndex, _previous: QModelIndex) -> None:
        credential = self.proxy.data(current, CredentialTableModel.CredentialRole)
        if isinstance(credential, Credential):
            self.details.setHtml(self.details_html(credential))

    def details_html(self, credential: Credential) -> str:
        catalog = self._catalog
        esc = html.escape
        provider = catalog.provider_of(credential)
        rows = [
            ("Kind", credential.kind.value),
            ("Provider", f"{provider.name} ({provider.recognition.value})" if provider else "—"),
            ("Cost", f"{credential.cost:,.2f} {catalog.currency}"),
            ("Effort", f"{credential.effort_hours:g} hours over {credential.duration_weeks} weeks"),
            ("Credits carried", f"{credential.credits:g}"),
            ("Delivery", credential.delivery.value.replace("_", " ")),
        ]
        if credential.start_dates:
            rows.append(("Intakes", ", ".join(d.isoformat() for d in credential.start_dates)))
        if credential.requires is not None:
            rows.append(("Requires", requirement_text(credential.requires)))
        if credential.credits_required is not None:
            per = credential.per_credit
            block = f"{credential.credits_required:g} credits"
            if per is not None:
                block += f" at {per.price:,.2f} {catalog.currency} per credit"
            rows.append(("Credit block", block))
        if credential.transfer:
            sources = ", ".join(item_text(i) for i in credential.transfer)
            rows.append(("Accepts transfer", f"up to {credential.transfer_cap:g} from {sources}"))
        stacks = sorted(unlocks(self._graph, credential.id))
        rows.append(("Stacks into", ", ".join(stacks) if stacks else "nothing"))
        if credential.skills:
            names = [catalog.skills_by_id[s].name for s in credential.skills]
            rows.append(("Skills", ", ".join(names)))
        table = "".join(
            f"<tr><th align='left' valign='top'>{esc(k)}</th><td>{esc(v)}</td></tr>"
            for k, v in rows
        )
        parts = [f"<h3>{esc(credential.name)}</h3>", f"<table cellspacing='4'>{table}</table>"]
        if credential.description:
            parts.append(f"<p>{esc(credential.description)}</p>")
        for label, link in (("Programme page", credential.url), ("Source", credential.source)):
            if link:
                parts.append(f"<p>{label}: <a href='{esc(link)}'>{esc(link)}</a></p>")
        return "".join(parts)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About pathplanner",
            f"<b>pathplanner {__version__}</b><p>Plan the cheapest or fastest route through "
            "stackable credentials to a goal qualification.</p>",
        )
