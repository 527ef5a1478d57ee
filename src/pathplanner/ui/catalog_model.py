"""A read-only Qt table model over a catalogue's credentials."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from pathplanner.model import Catalog, Credential

_COLUMNS = ["Name", "Kind", "Provider", "Cost", "Weeks", "Hours", "Credits", "Delivery"]
_NUMERIC = {3, 4, 5, 6}

AnyIndex = QModelIndex | QPersistentModelIndex


class CredentialTableModel(QAbstractTableModel):
    """One row per credential, in catalogue order; ``CredentialRole`` gives the record."""

    CredentialRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, catalog: Catalog, parent: Any = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._rows = list(catalog.credentials)

    def set_catalog(self, catalog: Catalog) -> None:
        self.beginResetModel()
        self._catalog = catalog
        self._rows = list(catalog.credentials)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(_COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if section == 3:
                return f"Cost ({self._catalog.currency})"
            return _COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        credential = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(credential, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return credential.description or credential.name
        if role == self.CredentialRole:
            return credential
        return None

    def _display(self, credential: Credential, column: int) -> str:
        provider = self._catalog.provider_of(credential)
        values = [
            credential.name,
            credential.kind.value,
            provider.name if provider else "",
            f"{credential.cost:,.0f}",
            str(credential.duration_weeks),
            f"{credential.effort_hours:g}",
            f"{credential.credits:g}",
            credential.delivery.value.replace("_", " "),
        ]
        return values[column]
