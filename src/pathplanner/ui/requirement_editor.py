"""Editors for a credential's requirement (nested all / any-k / credits-from groups) and its
transfer list, on the JSON form of the catalogue (what :mod:`pathplanner.catalog_editing`
holds). They emit ``changed`` after each user edit; the catalogue editor then commits."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

NodeRole = Qt.ItemDataRole.UserRole
ALL, ANY, CREDITS, REF = "all", "any", "credits", "ref"
GROUP_TEXT = {ALL: "All of", ANY: "Any of", CREDITS: "Credits from"}


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


class CredentialPicker(QComboBox):
    """Pick a credential by name (type to search)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumContentsLength(16)
        completer = self.completer()
        assert completer is not None
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        # a long name must show its beginning, not its end (the line edit's cursor is put at
        # the end when the item is set), and the whole of it on hover
        self.currentIndexChanged.connect(lambda _i: self._show_start())

    def _show_start(self) -> None:
        line = self.lineEdit()
        if line is not None and not line.hasFocus():
            line.setCursorPosition(0)
        self.setToolTip(self.currentText())

    def set_credentials(
        self, credentials: list[tuple[str, str]], *, pick_first: bool = True
    ) -> None:
        """(id, name) pairs, listed by name; the first is picked, or none (a placeholder)."""
        self.clear()
        for cid, name in sorted(credentials, key=lambda c: c[1].lower()):
            self.addItem(f"{name} ({cid})", cid)
        if not pick_first:
            self.setCurrentIndex(-1)
            line = self.lineEdit()
            if line is not None:
                line.setPlaceholderText("Type or pick a credential…")

    def picked(self) -> str | None:
        index = self.findText(self.currentText(), Qt.MatchFlag.MatchFixedString)
        return str(self.itemData(index)) if index >= 0 else None


class RequirementEditor(QWidget):
    """A tree of groups and credentials; add, remove, change a group's type and number."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names: dict[str, str] = {}
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Requirement")
        self.tree.setHeaderLabels(["Requires", "Number"])
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 110)
        self.tree.setMinimumHeight(120)
        self.tree.currentItemChanged.connect(lambda *_a: self._selection_changed())
        self.group_type = QComboBox()
        self.group_type.setAccessibleName("Group type")
        for key, text in GROUP_TEXT.items():
            self.group_type.addItem(text, key)
        self.group_type.activated.connect(lambda _i: self._set_group_type())
        self.number = QDoubleSpinBox()
        self.number.setAccessibleName("How many, or how many credits")
        self.number.setRange(0, 10_000)
        self.number.setDecimals(1)
        self.number.editingFinished.connect(self._set_number)
        self.number_label = QLabel("Count")
        self.picker = CredentialPicker("Credential to add")
        self.add_credential = QPushButton("Add Credential")
        self.add_credential.clicked.connect(lambda _c: self._add_credential())
        self.add_group = QPushButton("Add Group")
        self.add_group.clicked.connect(lambda _c: self._add_group())
        self.remove = QPushButton("Remove")
        self.remove.clicked.connect(lambda _c: self._remove())

        node = QHBoxLayout()
        node.addWidget(self.group_type)
        node.addWidget(self.number_label)
        node.addWidget(self.number)
        node.addStretch(1)
        node.addWidget(self.remove)
        add = QHBoxLayout()
        add.addWidget(self.picker, 1)
        add.addWidget(self.add_credential)
        add.addWidget(self.add_group)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addLayout(node)
        layout.addLayout(add)
        self._selection_changed()

    def set_credentials(self, credentials: list[tuple[str, str]]) -> None:
        self._names = dict(credentials)
        self.picker.set_credentials(credentials, pick_first=False)

    # -- JSON <-> tree ------------------------------------------------------------------------

    def set_requirement(self, requirement: Any) -> None:
        path = self._path(self.tree.currentItem())
        self.tree.clear()
        if requirement is not None:
            self.tree.addTopLevelItem(self._item(requirement, in_credits=False))
        self.tree.expandAll()
        self._select_path(path)
        self._selection_changed()

    def _item(self, node: Any, *, in_credits: bool) -> QTreeWidgetItem:
        if isinstance(node, str) or (isinstance(node, dict) and "id" in node):
            cid = node if isinstance(node, str) else str(node["id"])
            credits = node.get("credits") if isinstance(node, dict) else None
            return self._ref_item(cid, credits)
        kind = CREDITS if "from" in node else ALL if "all" in node else ANY
        number = {ALL: None, ANY: node.get("count", 1), CREDITS: node.get("credits", 0)}[kind]
        item = QTreeWidgetItem()
        item.setData(0, NodeRole, {"type": kind, "number": number})
        key = {ALL: "all", ANY: "any", CREDITS: "from"}[kind]
        for sub in node.get(key, []):
            item.addChild(self._item(sub, in_credits=kind == CREDITS))
        self._label(item)
        return item

    def _ref_item(self, cid: str, credits: float | None) -> QTreeWidgetItem:
        item = QTreeWidgetItem()
        item.setData(0, NodeRole, {"type": REF, "id": cid, "number": credits})
        self._label(item)
        return item

    def _label(self, item: QTreeWidgetItem) -> None:
        node = item.data(0, NodeRole)
        if node["type"] == REF:
            name = self._names.get(node["id"])
            item.setText(0, f"{name} ({node['id']})" if name else f"{node['id']} (unknown)")
            item.setText(1, f"{node['number']:g} credits" if node["number"] is not None else "")
            return
        count = item.childCount()
        text = GROUP_TEXT[node["type"]]
        if node["type"] == ANY:
            item.setText(0, f"{text} these {count}")
            item.setText(1, f"{node['number']} needed")
        elif node["type"] == CREDITS:
            item.setText(0, f"{text} these {count}")
            item.setText(1, f"{node['number']:g} credits")
        else:
            item.setText(0, f"{text} these {count}")
            item.setText(1, "")
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)

    def _root(self) -> QTreeWidgetItem | None:
        return self.tree.topLevelItem(0) if self.tree.topLevelItemCount() else None

    def requirement(self) -> Any:
        root = self._root()
        return self._json(root) if root is not None else None

    def _json(self, item: QTreeWidgetItem) -> Any:
        node = item.data(0, NodeRole)
        if node["type"] == REF:
            if node["number"] is not None:
                return {"id": node["id"], "credits": _number(node["number"])}
            return node["id"]
        subs = [self._json(child) for child in _children(item)]
        if node["type"] == ALL:
            return {"all": subs}
        if node["type"] == ANY:
            return {"any": subs, "count": int(node["number"] or 1)}
        return {"credits": _number(node["number"] or 0), "from": subs}

    # -- edits --------------------------------------------------------------------------------

    def _current_group(self) -> QTreeWidgetItem | None:
        item = self.tree.currentItem()
        if item is not None and item.data(0, NodeRole)["type"] == REF:
            item = item.parent()
        return item

    def _add_credential(self) -> None:
        cid = self.picker.picked()
        if cid is None:
            return
        group = self._current_group()
        if group is None and self.tree.topLevelItemCount() == 0:
            self.tree.addTopLevelItem(self._ref_item(cid, None))
        else:
            if group is None:
                group = self._wrap_root()
            group.addChild(self._ref_item(cid, None))
            self._label(group)
        self.changed.emit()

    def _wrap_root(self) -> QTreeWidgetItem:
        """A single credential at the top becomes "all of" it and what is added next."""
        root = self._root()
        assert root is not None  # called when the tree is not empty
        if root.data(0, NodeRole)["type"] != REF:
            return root
        self.tree.takeTopLevelItem(0)
        group = QTreeWidgetItem()
        group.setData(0, NodeRole, {"type": ALL, "number": None})
        group.addChild(root)
        self.tree.addTopLevelItem(group)
        return group

    def _add_group(self) -> None:
        item = QTreeWidgetItem()
        kind = self.group_type.currentData()
        item.setData(0, NodeRole, {"type": kind, "number": {ALL: None, ANY: 1, CREDITS: 0}[kind]})
        group = self._current_group()
        if group is None and self.tree.topLevelItemCount() == 0:
            self.tree.addTopLevelItem(item)
        else:
            group = group or self._wrap_root()
            group.addChild(item)
            self._label(group)
        self._label(item)
        self.tree.setCurrentItem(item)
        self.changed.emit()

    def _remove(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        parent = item.parent()
        if parent is None:
            self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(item))
        else:
            parent.removeChild(item)
            self._label(parent)
        self.changed.emit()

    def _set_group_type(self) -> None:
        item = self.tree.currentItem()
        if item is None or item.data(0, NodeRole)["type"] == REF:
            return
        kind = self.group_type.currentData()
        number = {ALL: None, ANY: 1, CREDITS: 0}[kind]
        item.setData(0, NodeRole, {"type": kind, "number": number})
        self._label(item)
        self._selection_changed()
        self.changed.emit()

    def _set_number(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        node = dict(item.data(0, NodeRole))
        value = self.number.value()
        in_credits = _in_credits(item)
        if node["type"] == ALL or (node["type"] == REF and not in_credits):
            return
        new = (value or None) if node["type"] == REF else value
        if node["type"] == ANY:
            new = int(value)
        if new == node["number"]:
            return
        node["number"] = new
        item.setData(0, NodeRole, node)
        self._label(item)
        self.changed.emit()

    def _selection_changed(self) -> None:
        item = self.tree.currentItem()
        node = item.data(0, NodeRole) if item is not None else None
        self.remove.setEnabled(item is not None)
        is_group = node is not None and node["type"] != REF
        self.group_type.setToolTip(
            "Type of the selected group" if is_group else "Type of the group Add Group adds"
        )
        if node is not None and is_group:
            self.group_type.setCurrentIndex(self.group_type.findData(node["type"]))
        in_credits = item is not None and _in_credits(item)
        if node is None or node["type"] == ALL or (node["type"] == REF and not in_credits):
            self.number.setEnabled(False)
            self.number_label.setText("")
            return
        self.number.setEnabled(True)
        self.number_label.setText(
            "Needed"
            if node["type"] == ANY
            else "Credits (0: its own)"
            if node["type"] == REF
            else "Credits"
        )
        self.number.setDecimals(0 if node["type"] == ANY else 1)
        self.number.setValue(float(node["number"] or 0))

    def _path(self, item: QTreeWidgetItem | None) -> list[int]:
        path: list[int] = []
        while item is not None:
            parent = item.parent()
            path.insert(
                0,
                parent.indexOfChild(item)
                if parent is not None
                else self.tree.indexOfTopLevelItem(item),
            )
            item = parent
        return path

    def _select_path(self, path: list[int]) -> None:
        if not path or self.tree.topLevelItemCount() == 0:
            return
        item = self._root()
        for index in path[1:]:
            if item is None or index >= item.childCount():
                break
            item = item.child(index)
        if item is not None:
            self.tree.setCurrentItem(item)


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [child for i in range(item.childCount()) if (child := item.child(i)) is not None]


def _in_credits(item: QTreeWidgetItem) -> bool:
    """Whether an item is listed in a "credits from" group (it may then carry credits)."""
    parent = item.parent()
    return parent is not None and parent.data(0, NodeRole)["type"] == CREDITS


class TransferEditor(QWidget):
    """The credentials whose credits count towards a credit block, each with optional credits."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names: dict[str, str] = {}
        self.list = QListWidget()
        self.list.setAccessibleName("Transfer credit from")
        self.list.setMaximumHeight(90)
        self.picker = CredentialPicker("Credential to accept transfer from")
        self.credits = QDoubleSpinBox()
        self.credits.setAccessibleName("Credits it transfers")
        self.credits.setRange(0, 1000)
        self.credits.setDecimals(1)
        self.credits.setSpecialValueText("its own")
        self.add = QPushButton("Add")
        self.add.clicked.connect(lambda _c: self._add())
        self.remove = QPushButton("Remove")
        self.remove.clicked.connect(lambda _c: self._remove())
        row = QHBoxLayout()
        row.addWidget(self.picker, 1)
        row.addWidget(QLabel("Credits"))
        row.addWidget(self.credits)
        row.addWidget(self.add)
        row.addWidget(self.remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(row)

    def set_credentials(self, credentials: list[tuple[str, str]]) -> None:
        self._names = dict(credentials)
        self.picker.set_credentials(credentials, pick_first=False)

    def set_items(self, items: list[Any]) -> None:
        self.list.clear()
        for entry in items:
            self._append(entry)

    def _append(self, entry: Any) -> None:
        cid = entry if isinstance(entry, str) else str(entry.get("id"))
        credits = entry.get("credits") if isinstance(entry, dict) else None
        name = self._names.get(cid, f"{cid} (unknown)")
        text = f"{name}" + (f" — {credits:g} credits" if credits is not None else "")
        item = QListWidgetItem(text)
        item.setData(NodeRole, entry)
        self.list.addItem(item)

    def items(self) -> list[Any]:
        return [self.list.item(i).data(NodeRole) for i in range(self.list.count())]

    def _add(self) -> None:
        cid = self.picker.picked()
        if cid is None:
            return
        credits = self.credits.value()
        self._append({"id": cid, "credits": _number(credits)} if credits else cid)
        self.changed.emit()

    def _remove(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self.changed.emit()
