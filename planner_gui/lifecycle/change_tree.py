"""The comparison as a marked tree: the plan's nodes that changed, under their ancestors, with
their field, indicator and allocation changes as child rows.

Each change is marked twice, so the view reads in black and white too: a colour behind the
first column and a text mark before the kind («+ افزوده», «− حذف‌شده», «↔ جابه‌جا», «~ تغییر»);
an added node is bold, a removed one struck through, an unchanged ancestor grey (context only).
``ChangeTreeFilter`` keeps a row when its change matches the kind and entity chosen, and the
ancestors of every kept row (recursive filtering), so filtering never loses a change's place.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel

from planner_core.lifecycle.compare import Change, Comparison, NodeRef, display_value
from planner_core.text import format_money, to_persian_digits
from planner_gui.common import ID_ROLE
from planner_gui.lifecycle.models import KIND_COLORS, KIND_LABELS, LEVEL_LABELS

Index = QModelIndex | QPersistentModelIndex
KIND_MARKS = {"added": "+", "removed": "−", "moved": "↔", "changed": "~"}
CHANGE_ROLE = Qt.ItemDataRole.UserRole + 10  # the Change a row shows (None on a context row)
KIND_ROLE = Qt.ItemDataRole.UserRole  # its kind, also on a node row marked by its children
CONTEXT_COLOR = QColor("#667085")
PLAN_KEY = "\0plan"


def kind_text(kind: str) -> str:
    return f"{KIND_MARKS[kind]} {KIND_LABELS[kind]}"


class ChangeTreeModel(QStandardItemModel):
    COL_KIND, COL_LEVEL, COL_CODE, COL_TITLE, COL_FIELD, COL_OLD, COL_NEW = range(7)
    HEADERS = ("تغییر", "سطح", "کد", "عنوان", "مورد", "پیشین", "تازه")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels(list(self.HEADERS))
        self.rows: dict[str, list[QStandardItem]] = {}  # node uuid → its row's items
        self._details: dict[int, int] = {}
        self._root = QStandardItem()  # the tree is built under this, then moved into the model

    def set_result(self, result: Comparison | None) -> None:
        """The tree is built off the model, then put in whole: a proxy that filters recursively sees
        each branch complete (rows marked after insertion would leave their hidden ancestors hidden)."""
        self.removeRows(0, self.rowCount())  # not clear(): the columns (and the view's header modes) stay
        self.rows = {}
        self._details: dict[int, int] = {}  # id(node item) → its change rows, listed before its child nodes
        self._root = QStandardItem()
        for change in result.changes if result is not None else []:
            self._place(result, change)  # type: ignore[arg-type]
        while self._root.rowCount():
            self.appendRow(self._root.takeRow(0))

    # building ---------------------------------------------------------------------------
    @staticmethod
    def _value(change: Change, value: Any) -> str:
        if change.field == "amount" and isinstance(value, int):
            return format_money(value)
        return display_value(value)

    @staticmethod
    def _items(texts: list[str], uuid: str | None) -> list[QStandardItem]:
        items = []
        for text in texts:
            item = QStandardItem(text)
            item.setEditable(False)
            item.setData(uuid, ID_ROLE)
            items.append(item)
        return items

    def _node_row(self, result: Comparison, uuid: str) -> list[QStandardItem]:
        """The row of a node (made with its ancestors' rows the first time it is needed)."""
        if uuid in self.rows:
            return self.rows[uuid]
        if uuid == PLAN_KEY:
            row = self._items(["", LEVEL_LABELS["plan"], "", "برنامه راهبردی", "", "", ""], None)
            parent: Any = self._root
        else:
            ref = result.nodes.get(uuid) or NodeRef(uuid, "", "", "", None)
            row = self._items(["", LEVEL_LABELS.get(ref.level, ref.level), to_persian_digits(ref.code), ref.title,
                               "", "", ""], uuid)
            parent = self._node_row(result, ref.parent_uuid)[0] if ref.parent_uuid else self._root
        for item in row:
            item.setForeground(QBrush(CONTEXT_COLOR))
        parent.appendRow(row)
        self.rows[uuid] = row
        return row

    def _mark(self, row: list[QStandardItem], change: Change, own: bool) -> None:
        kind = change.kind
        row[self.COL_KIND].setText(kind_text(kind))
        row[self.COL_KIND].setBackground(QBrush(KIND_COLORS[kind]))
        row[self.COL_KIND].setData(kind, KIND_ROLE)
        for item in row:
            item.setForeground(QBrush())  # no longer context: the palette's text colour
        if own:
            row[self.COL_KIND].setData(change, CHANGE_ROLE)
            if kind in ("added", "removed"):
                for item in row[self.COL_KIND + 1:]:  # the mark stays plain, so «−» reads
                    font = QFont(item.font())
                    font.setBold(kind == "added")
                    font.setStrikeOut(kind == "removed")
                    item.setFont(font)

    def _place(self, result: Comparison, change: Change) -> None:
        if change.entity == "node" and change.kind in ("added", "removed", "moved"):
            row = self._node_row(result, change.uuid)
            self._mark(row, change, own=True)
            if change.kind == "moved":
                row[self.COL_FIELD].setText(change.field_label)
                row[self.COL_OLD].setText(self._value(change, change.old))
                row[self.COL_NEW].setText(self._value(change, change.new))
            return
        owner = PLAN_KEY if change.entity == "plan" else (change.node_uuid or change.uuid)
        node_row = self._node_row(result, owner)
        if change.entity == "node" and node_row[self.COL_KIND].data(CHANGE_ROLE) is None:
            self._mark(node_row, change, own=False)  # its fields changed: marked, matched through its children
        code = change.code.rsplit("/", 1)[-1] if change.entity == "indicator" else ""
        title = {"indicator": change.title, "allocation": to_persian_digits(change.title)}.get(change.entity, "")
        row = self._items([kind_text(change.kind), LEVEL_LABELS.get(change.level, change.level) if title else "",
                           to_persian_digits(code), title, change.field_label or "—",
                           self._value(change, change.old), self._value(change, change.new)],
                          change.node_uuid or change.uuid)
        self._mark(row, change, own=True)
        at = self._details.get(id(node_row[0]), 0)
        node_row[0].insertRow(at, row)
        self._details[id(node_row[0])] = at + 1


class ChangeTreeFilter(QSortFilterProxyModel):
    """Keeps the changes of the chosen kind and entity, with their ancestors for context."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.kind = ""
        self.entity = ""
        self.setRecursiveFilteringEnabled(True)

    def set_filters(self, kind: str, entity: str) -> None:
        self.beginFilterChange()
        self.kind, self.entity = kind, entity
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        change = self.sourceModel().index(row, 0, parent).data(CHANGE_ROLE)
        if not isinstance(change, Change):
            return False  # a context row: shown only as the ancestor of a kept change
        return (not self.kind or change.kind == self.kind) and (not self.entity or change.entity == self.entity)

    def changes(self, parent: QModelIndex | None = None) -> list[Change]:
        """The changes the filter keeps, in tree order."""
        parent = parent or QModelIndex()
        out: list[Change] = []
        for row in range(self.rowCount(parent)):
            index = self.index(row, 0, parent)
            change = index.data(CHANGE_ROLE)
            if isinstance(change, Change) and self.filterAcceptsRow(
                    self.mapToSource(index).row(), self.mapToSource(index).parent()):
                out.append(change)
            out.extend(self.changes(index))
        return out
