"""The catalogue browser dock: search as you type, filters, the credential table, details."""

from __future__ import annotations

import html
from typing import Any

import networkx as nx
from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QSpinBox,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from pathplanner.graph import unlocks
from pathplanner.model import Catalog, Credential, Delivery, Kind
from pathplanner.requirement_text import item_text, requirement_text
from pathplanner.ui.catalog_model import (
    COLUMNS,
    CredentialFilter,
    CredentialFilterProxy,
    CredentialTableModel,
)

ANY = "Any"
COLUMN_EMS = (16, 8, 12, 8, 5, 5, 5, 6)  # name, kind, provider, cost, weeks, hours, ...


class CatalogBrowser(QWidget):
    """Emits the id of the credential the user acts on; knows nothing about planning."""

    credential_selected = Signal(str)
    goal_chosen = Signal(str)
    held_toggled = Signal(str)
    show_in_graph = Signal(str)

    def __init__(self, catalog: Catalog, graph: nx.DiGraph, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._graph = graph
        self.model = CredentialTableModel(catalog, self)
        self.proxy = CredentialFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit(placeholderText="Name, provider, skill… (Ctrl+F)")
        self.search.setAccessibleName("Search credentials")
        self.search.setClearButtonEnabled(True)
        self.kind = self._combo("Kind", [(k.value, k) for k in Kind])
        self.delivery = self._combo("Delivery", [(d.value.replace("_", " "), d) for d in Delivery])
        self.provider = self._combo("Provider", [])
        self.provider.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.provider.setMinimumContentsLength(8)
        self.max_cost = self._limit_spin("Maximum cost", 1_000_000, 100)
        self.max_weeks = self._limit_spin("Maximum weeks", 1000, 1)
        self.max_cost.setPrefix("≤ ")
        self.max_weeks.setPrefix("≤ ")
        self.max_weeks.setSuffix(" wk")
        self.count = QLabel()

        self.table = QTableView()
        self.table.setAccessibleName("Credentials")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows choose a row
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        # one line of text per row (Fusion's default fits two): more credentials in view
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.doubleClicked.connect(lambda _i: self._emit_current(self.show_in_graph))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        # What a learner compares first stands next to the name, in view in a narrow dock: cost
        # and weeks (the model's column order stays: sorting and exports use it).
        for visual, column in enumerate((COLUMNS.index("Cost"), COLUMNS.index("Weeks")), 1):
            header.moveSection(header.visualIndex(column), visual)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)

        self.details = QTextBrowser()
        self.details.setAccessibleName("Credential details")
        self.details.setOpenExternalLinks(True)

        filters = QGridLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        for position, (label, widget) in enumerate(
            (
                ("&Kind", self.kind),
                ("&Delivery", self.delivery),
                ("Pro&vider", self.provider),
                ("C&ost", self.max_cost),
                ("&Weeks", self.max_weeks),
            )
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            row, column = divmod(position, 3) if position < 3 else (1, position - 3)
            filters.addWidget(caption, row, column * 2)
            filters.addWidget(widget, row, column * 2 + 1)
            widget.setMinimumWidth(60)
        filters.setColumnStretch(1, 1)
        filters.setColumnStretch(3, 1)
        filters.setColumnStretch(5, 1)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.count)
        top_layout.addLayout(search_row)
        top_layout.addLayout(filters)
        top_layout.addWidget(self.table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

        self.search.textChanged.connect(self._apply_filter)
        for combo in (self.kind, self.delivery, self.provider):
            combo.currentIndexChanged.connect(self._apply_filter)
        for spin in (self.max_cost, self.max_weeks):
            spin.valueChanged.connect(self._apply_filter)
        self.set_catalog(catalog, graph)

    @staticmethod
    def _combo(name: str, items: list[tuple[str, object]]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(f"Filter by {name.lower()}")
        combo.addItem(ANY, None)
        for text, value in items:
            combo.addItem(text, value)
        return combo

    @staticmethod
    def _limit_spin(name: str, maximum: int, step: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setAccessibleName(name)
        spin.setRange(0, maximum)
        spin.setSingleStep(step)
        spin.setSpecialValueText(ANY)  # 0 means no limit
        return spin

    def set_catalog(self, catalog: Catalog, graph: nx.DiGraph) -> None:
        self._catalog = catalog
        self._graph = graph
        self.model.set_catalog(catalog)
        self.provider.blockSignals(True)
        self.provider.clear()
        self.provider.addItem(ANY, None)
        for provider in sorted(catalog.providers, key=lambda p: p.name.lower()):
            self.provider.addItem(provider.name, provider.id)
        self.provider.blockSignals(False)
        # Widths from the font, not the rows: measuring 2,000 rows froze the window.
        em = self.table.fontMetrics().horizontalAdvance("M")
        for column, ems in enumerate(COLUMN_EMS):
            self.table.setColumnWidth(column, ems * em)
        self.details.setHtml(
            "<p style='color:gray'><i>Select a credential to see everything about it: what it "
            "requires, what it stacks into and where the information comes from.</i></p>"
        )
        self._apply_filter()

    def current_filter(self) -> CredentialFilter:
        kind = self.kind.currentData()
        delivery = self.delivery.currentData()
        return CredentialFilter(
            text=self.search.text(),
            kinds=frozenset({kind}) if kind is not None else frozenset(),
            delivery=frozenset({delivery}) if delivery is not None else frozenset(),
            provider=self.provider.currentData(),
            max_cost=float(self.max_cost.value()) or None,
            max_weeks=self.max_weeks.value() or None,
        )

    def _apply_filter(self) -> None:
        self.proxy.set_credential_filter(self.current_filter())
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{shown} of {total}" if shown != total else f"{total} credentials")

    def select(self, credential_id: str) -> bool:
        """Select a credential in the table (clearing filters that hide it)."""
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if self.proxy.data(index, CredentialTableModel.CredentialRole).id == credential_id:
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)
                return True
        if credential_id in self._catalog.credentials_by_id and self.current_filter() != (
            CredentialFilter()
        ):
            self.clear_filters()
            return self.select(credential_id)
        return False

    def clear_filters(self) -> None:
        self.search.clear()
        for combo in (self.kind, self.delivery, self.provider):
            combo.setCurrentIndex(0)
        self.max_cost.setValue(0)
        self.max_weeks.setValue(0)

    def current_credential(self) -> Credential | None:
        value = self.proxy.data(self.table.currentIndex(), CredentialTableModel.CredentialRole)
        return value if isinstance(value, Credential) else None

    def _emit_current(self, signal: Any) -> None:
        credential = self.current_credential()
        if credential is not None:
            signal.emit(credential.id)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        credential = self.proxy.data(current, CredentialTableModel.CredentialRole)
        if isinstance(credential, Credential):
            self.details.setHtml(details_html(self._catalog, self._graph, credential))
            self.credential_selected.emit(credential.id)

    def _context_menu(self, point: QPoint) -> None:
        credential = self.current_credential()
        if credential is None:
            return
        menu = QMenu(self)
        menu.addAction("Plan towards this", lambda: self.goal_chosen.emit(credential.id))
        held = "I no longer hold this" if credential.id in self.model.held else "I hold this"
        menu.addAction(held, lambda: self.held_toggled.emit(credential.id))
        menu.addAction("Show in pathway graph", lambda: self.show_in_graph.emit(credential.id))
        menu.popup(self.table.viewport().mapToGlobal(point))


def _cost_text(credential: Credential, currency: str) -> str:
    """The list price; for a credit block, how it is made up and that transfer lowers it."""
    text = f"{credential.full_cost:,.2f} {currency}"
    per = credential.per_credit
    if credential.credits_required is not None and per is not None and per.price:
        text += (
            f" before transfer credit ({credential.cost:,.2f} fixed + "
            f"{credential.credits_required:g} credits at {per.price:,.2f} each)"
        )
    return text


def details_html(catalog: Catalog, graph: nx.DiGraph, credential: Credential) -> str:
    """Everything about a credential, as rich text for the details pane."""
    esc = html.escape
    provider = catalog.provider_of(credential)

    def named(ids: list[str]) -> str:
        return ", ".join(
            catalog.credentials_by_id[i].name if i in catalog.credentials_by_id else i for i in ids
        )

    rows = [
        ("Kind", credential.kind.value),
        ("Provider", f"{provider.name} ({provider.recognition.value})" if provider else "—"),
        ("Cost", _cost_text(credential, catalog.currency)),
        ("Effort", f"{credential.full_effort:g} hours over {credential.full_duration} weeks"),
        ("Credits carried", f"{credential.credits:g}"),
        ("Delivery", credential.delivery.value.replace("_", " ")),
    ]
    if credential.start_dates:
        rows.append(("Intakes", ", ".join(d.isoformat() for d in credential.start_dates)))
    rows.append(
        (
            "Requires",
            requirement_text(credential.requires) if credential.requires else "nothing (entry)",
        )
    )
    if credential.credits_required is not None:
        per = credential.per_credit
        block = f"{credential.credits_required:g} credits"
        if per is not None:
            block += f" at {per.price:,.2f} {catalog.currency} per credit"
        rows.append(("Credit block", block))
    if credential.transfer:
        sources = ", ".join(item_text(i) for i in credential.transfer)
        rows.append(("Accepts transfer", f"up to {credential.transfer_cap:g} from {sources}"))
    stacks = sorted(unlocks(graph, credential.id)) if credential.id in graph else []
    rows.append(("Stacks into", named(stacks) if stacks else "nothing"))
    if credential.skills:
        names = [
            catalog.skills_by_id[s].name if s in catalog.skills_by_id else s
            for s in credential.skills
        ]
        rows.append(("Skills", ", ".join(names)))
    table = "".join(
        f"<tr><th align='left' valign='top'>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows
    )
    parts = [
        f"<h3>{esc(credential.name)}</h3><p style='color:gray'>{esc(credential.id)}</p>",
        f"<table cellspacing='4'>{table}</table>",
    ]
    if credential.description:
        parts.append(f"<p>{esc(credential.description)}</p>")
    for label, link in (("Programme page", credential.url), ("Source", credential.source)):
        if link:
            parts.append(f"<p>{label}: <a href='{esc(link)}'>{esc(link)}</a></p>")
    return "".join(parts)
