"""Item models of the exchange dialogs: the import preview, and the conflicts with a choice per field."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from planner_core.exchange.jobs import PreviewRow
from planner_gui.row_models import RowTableModel

COLOURS = {"add": "#e8f5e9", "change": "#e3f2fd", "keep": "#f5f5f5", "conflict": "#fff3e0"}
AnyIndex = QModelIndex | QPersistentModelIndex


class PreviewModel(RowTableModel[PreviewRow]):
    """Every line of what an import would do: added, changed, left alone, in conflict."""

    COL_ACTION, COL_WHAT, COL_FIELD, COL_OURS, COL_THEIRS = range(5)
    HEADERS = ("کار", "مورد", "فیلد", "مقدار این فایل", "مقدار بسته")

    def display(self, row: PreviewRow, column: int) -> str | None:
        return (row.action_label, row.what, row.field, row.ours, row.theirs)[column]

    def background(self, row: PreviewRow, column: int) -> QBrush | QColor | None:
        return QBrush(QColor(COLOURS[row.action]))

    def tooltip(self, row: PreviewRow, column: int) -> str | None:
        return (row.action_label, row.what, row.field, row.ours, row.theirs)[column] or None


class ConflictModel(RowTableModel[PreviewRow]):
    """Both values of each conflicting field side by side; the planner ticks the one to keep."""

    COL_WHAT, COL_FIELD, COL_OURS, COL_THEIRS = range(4)
    HEADERS = ("مورد", "فیلد", "مقدار این فایل", "مقدار بسته رسیده")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.choices: dict[tuple[str, str], str] = {}

    def set_conflicts(self, rows: list[PreviewRow]) -> None:
        self.choices = {}
        self.set_rows([r for r in rows if r.action == "conflict"])

    def display(self, row: PreviewRow, column: int) -> str | None:
        return (row.what, row.field, row.ours, row.theirs)[column]

    def tooltip(self, row: PreviewRow, column: int) -> str | None:
        return self.display(row, column)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        if row is not None and role == Qt.ItemDataRole.CheckStateRole and index.column() in (
                self.COL_OURS, self.COL_THEIRS):
            side = "ours" if index.column() == self.COL_OURS else "theirs"
            chosen = self.choices.get(row.key) if row.key else None
            return Qt.CheckState.Checked if chosen == side else Qt.CheckState.Unchecked
        if row is not None and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor("#e8f5e9" if row.key in self.choices else COLOURS["conflict"]))
        return super().data(index, role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() in (self.COL_OURS, self.COL_THEIRS):
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        row = self.row_at(index)
        if row is None or row.key is None or role != Qt.ItemDataRole.CheckStateRole \
                or index.column() not in (self.COL_OURS, self.COL_THEIRS):
            return False
        self.choose(index.row(), "ours" if index.column() == self.COL_OURS else "theirs")
        return True

    def choose(self, row_number: int, side: str) -> None:
        row = self.rows[row_number]
        assert row.key is not None
        self.choices[row.key] = side
        self.dataChanged.emit(self.index(row_number, 0), self.index(row_number, len(self.HEADERS) - 1))

    def unresolved(self) -> int:
        return sum(1 for r in self.rows if r.key not in self.choices)
