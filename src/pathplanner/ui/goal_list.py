"""A checkable list of credentials to pick goals from, qualifications first (highest level)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from pathplanner.graph.findings import QUALIFICATION_KINDS, level_of
from pathplanner.model import Catalog
from pathplanner.ui.theme import CheckBoxesDelegate

IdRole = Qt.ItemDataRole.UserRole


class GoalChecklist(QListWidget):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setItemDelegate(CheckBoxesDelegate(self))

    def set_catalog(self, catalog: Catalog) -> None:
        self.clear()
        ordered = sorted(
            catalog.credentials,
            key=lambda c: (c.kind not in QUALIFICATION_KINDS, -(level_of(c.kind) or 0), c.name),
        )
        for credential in ordered:
            item = QListWidgetItem(f"{credential.name} ({credential.kind.value})")
            item.setData(IdRole, credential.id)
            item.setToolTip(credential.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)

    def set_checked(self, ids: list[str]) -> None:
        wanted = set(ids)
        for row in range(self.count()):
            item = self.item(row)
            checked = item.data(IdRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            if checked and item.data(IdRole) == ids[0]:
                self.scrollToItem(item)

    def checked(self) -> tuple[str, ...]:
        return tuple(
            str(self.item(row).data(IdRole))
            for row in range(self.count())
            if self.item(row).checkState() == Qt.CheckState.Checked
        )
