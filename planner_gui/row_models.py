"""Small bases for the GUI's item models: a flat table and a tree over the rows a service returns.

Subclasses name their columns with ``COL_*`` constants and say how a row shows in a cell;
the bases answer Qt's questions (indexes, parents, headers, roles) the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from planner_gui.common import ID_ROLE, SORT_ROLE
from planner_gui.widgets import ERROR_COLOR

NUMBER_ALIGN = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter
TEXT_ALIGN = Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter
RED = QBrush(QColor(ERROR_COLOR))

Row = TypeVar("Row")
AnyIndex = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()  # the invisible root, as a default argument


def bold_font() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class _Cells(Generic[Row]):
    """What tables and trees share: headers, which columns hold numbers, the roles a cell answers.

    Each role has a hook that subclasses override; None leaves the view's default.
    """

    HEADERS: tuple[str, ...] = ()
    NUMBER_COLUMNS: frozenset[int] = frozenset()

    def display(self, row: Row, column: int) -> str | None:
        raise NotImplementedError

    def sort_value(self, row: Row, column: int) -> Any:
        return self.display(row, column)

    def row_id(self, row: Row) -> int | None:
        return 0

    def foreground(self, row: Row, column: int) -> QBrush | QColor | None:
        return None

    def background(self, row: Row, column: int) -> QBrush | QColor | None:
        return None

    def font(self, row: Row, column: int) -> QFont | None:
        return None

    def tooltip(self, row: Row, column: int) -> str | None:
        return None

    def alignment(self, column: int) -> int | None:
        return int((NUMBER_ALIGN if column in self.NUMBER_COLUMNS else TEXT_ALIGN).value)

    def cell(self, row: Row, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self.display(row, column)
        if role == SORT_ROLE:
            return self.sort_value(row, column)
        if role == ID_ROLE:
            return self.row_id(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(row, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.background(row, column)
        if role == Qt.ItemDataRole.FontRole:
            return self.font(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(column)
        return None

    def header(self, section: int, orientation: Qt.Orientation, role: int) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None


class RowTableModel(_Cells[Row], QAbstractTableModel):
    """A flat table over ``rows``."""

    def __init__(self, parent: QObject | None = None) -> None:
        QAbstractTableModel.__init__(self, parent)
        self.rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, index: AnyIndex) -> Row | None:
        return self.rows[index.row()] if index.isValid() and 0 <= index.row() < len(self.rows) else None

    def rowCount(self, parent: AnyIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        return None if row is None else self.cell(row, index.column(), role)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self.header(section, orientation, role)


class _Node(Generic[Row]):
    __slots__ = ("children", "parent", "payload", "row")

    def __init__(self, payload: Row | None, parent: _Node[Row] | None, row: int) -> None:
        self.payload = payload
        self.parent = parent
        self.row = row
        self.children: list[_Node[Row]] = []


class RowTreeModel(_Cells[Row], QAbstractItemModel):
    """A tree built from flat rows that each name their parent's key (unknown parents: top level)."""

    def __init__(self, parent: QObject | None = None) -> None:
        QAbstractItemModel.__init__(self, parent)
        self._root: _Node[Row] = _Node(None, None, 0)
        self._by_key: dict[Hashable, _Node[Row]] = {}

    def set_rows(self, rows: Sequence[Row], key: Callable[[Row], Hashable],
                 parent_key: Callable[[Row], Hashable | None]) -> None:
        self.beginResetModel()
        root: _Node[Row] = _Node(None, None, 0)
        nodes = {key(r): _Node(r, None, 0) for r in rows}
        for r in rows:
            node = nodes[key(r)]
            above = nodes.get(parent_key(r)) or root
            if above is node:
                above = root
            node.parent = above
            node.row = len(above.children)
            above.children.append(node)
        self._root, self._by_key = root, nodes
        self.endResetModel()

    def _node(self, index: AnyIndex) -> _Node[Row]:
        return index.internalPointer() if index.isValid() else self._root  # type: ignore[return-value]

    def row_at(self, index: AnyIndex) -> Row | None:
        return self._node(index).payload if index.isValid() else None

    def index_of(self, key: Hashable, column: int = 0) -> QModelIndex:
        node = self._by_key.get(key)
        return QModelIndex() if node is None else self.createIndex(node.row, column, node)

    def all_rows(self) -> list[Row]:
        return [n.payload for n in self._by_key.values() if n.payload is not None]

    def index(self, row: int, column: int, parent: AnyIndex = NO_PARENT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, self._node(parent).children[row])

    def parent(self, child: AnyIndex | None = None) -> Any:  # type: ignore[override]
        if child is None:  # QObject.parent()
            return QObject.parent(self)
        if not child.isValid():
            return QModelIndex()
        above = self._node(child).parent
        if above is None or above is self._root:
            return QModelIndex()
        return self.createIndex(above.row, 0, above)

    def rowCount(self, parent: AnyIndex = NO_PARENT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: AnyIndex = NO_PARENT) -> int:
        return len(self.HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        return None if row is None else self.cell(row, index.column(), role)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self.header(section, orientation, role)
