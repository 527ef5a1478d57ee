"""Qt item models over a catalogue: the credential table and the filter the browser applies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

from pathplanner.model import Catalog, Credential, Delivery, Kind

COLUMNS = ["Name", "Kind", "Provider", "Cost", "Weeks", "Hours", "Credits", "Delivery"]
_NUMERIC = {3, 4, 5, 6}

AnyIndex = QModelIndex | QPersistentModelIndex


class CredentialTableModel(QAbstractTableModel):
    """One row per credential, in catalogue order; ``CredentialRole`` gives the record and
    ``SortRole`` a value that sorts numbers as numbers."""

    CredentialRole = Qt.ItemDataRole.UserRole + 1
    SortRole = Qt.ItemDataRole.UserRole + 2
    SearchTextRole = Qt.ItemDataRole.UserRole + 3

    def __init__(self, catalog: Catalog, parent: Any = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._rows = list(catalog.credentials)
        self._search: list[str] = self._search_texts()
        self.held: frozenset[str] = frozenset()

    def set_catalog(self, catalog: Catalog) -> None:
        self.beginResetModel()
        self._catalog = catalog
        self._rows = list(catalog.credentials)
        self._search = self._search_texts()
        self.endResetModel()

    def set_held(self, held: frozenset[str]) -> None:
        changed = held ^ self.held
        self.held = held
        rows = {c.id: i for i, c in enumerate(self._rows)}
        for row in sorted(rows[c] for c in changed if c in rows):  # only those that changed
            index = self.index(row, 0)
            self.dataChanged.emit(
                index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.FontRole]
            )

    def _search_texts(self) -> list[str]:
        """Name, id, provider and skill names of each row, lower-cased, for search as you type."""
        texts = []
        for credential in self._rows:
            provider = self._catalog.provider_of(credential)
            skills = [
                self._catalog.skills_by_id[s].name if s in self._catalog.skills_by_id else s
                for s in credential.skills
            ]
            parts = [credential.name, credential.id, provider.name if provider else "", *skills]
            texts.append(" ".join(parts).lower())
        return texts

    @property
    def catalog(self) -> Catalog:
        return self._catalog

    def credential_at(self, row: int) -> Credential:
        return self._rows[row]

    def search_text_at(self, row: int) -> str:
        return self._search[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if section == 3:
                return f"Cost ({self._catalog.currency})"
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        credential = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(credential, column)
        if role == self.SortRole:
            return self._sort_value(credential, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return credential.description or credential.name
        if role == Qt.ItemDataRole.FontRole and column == 0 and credential.id in self.held:
            font = QFont()
            font.setBold(True)
            return font
        if role == self.CredentialRole:
            return credential
        if role == self.SearchTextRole:
            return self._search[index.row()]
        return None

    def _sort_value(self, credential: Credential, column: int) -> Any:
        numbers = {
            3: credential.full_cost,
            4: credential.full_duration,
            5: credential.full_effort,
            6: credential.credits,
        }
        if column in numbers:
            return float(numbers[column])
        return self._display(credential, column).lower()

    def _display(self, credential: Credential, column: int) -> str:
        provider = self._catalog.provider_of(credential)
        values = [
            credential.name + (" ✓" if credential.id in self.held else ""),
            credential.kind.value,
            provider.name if provider else "",
            f"{credential.full_cost:,.0f}",
            str(credential.full_duration),
            f"{credential.full_effort:g}",
            f"{credential.credits:g}",
            credential.delivery.value.replace("_", " "),
        ]
        return values[column]


@dataclass(frozen=True)
class CredentialFilter:
    """What the browser shows: search words and the filters (``None``/empty means any)."""

    text: str = ""
    kinds: frozenset[Kind] = field(default_factory=frozenset)
    delivery: frozenset[Delivery] = field(default_factory=frozenset)
    provider: str | None = None
    max_cost: float | None = None
    max_weeks: int | None = None

    def accepts(self, credential: Credential, search_text: str) -> bool:
        words = self.text.lower().split()
        return (
            all(word in search_text for word in words)
            and (not self.kinds or credential.kind in self.kinds)
            and (not self.delivery or credential.delivery in self.delivery)
            and (self.provider is None or credential.provider == self.provider)
            and (self.max_cost is None or credential.full_cost <= self.max_cost)
            and (self.max_weeks is None or credential.full_duration <= self.max_weeks)
        )


NO_FILTER = CredentialFilter()


class CredentialFilterProxy(QSortFilterProxyModel):
    """Sorts numerically and keeps the rows a :class:`CredentialFilter` accepts."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._filter = CredentialFilter()
        self.setSortRole(CredentialTableModel.SortRole)

    @property
    def credential_filter(self) -> CredentialFilter:
        return self._filter

    def set_credential_filter(self, new: CredentialFilter) -> None:
        if new != self._filter:
            self.beginFilterChange()
            self._filter = new
            self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802
        if self._filter == NO_FILTER:
            return True
        model = self.sourceModel()
        # Straight to the model's lists: going through data() twice per row made filtering
        # a 2,000-credential catalogue visibly slow.
        assert isinstance(model, CredentialTableModel)
        return self._filter.accepts(
            model.credential_at(source_row), model.search_text_at(source_row)
        )
