"""Table models of the monitoring windows, over rows the planner_core services return."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal

from planner_core.budget_rollups import BudgetRollup
from planner_core.deviations import Deviation
from planner_core.errors import PlannerError
from planner_core.evaluation import EvaluationRow
from planner_core.levels import INDICATOR_KIND_LABELS, LABELS
from planner_core.progress import STATUS_LABELS, Status
from planner_core.rollups import NodeProgress
from planner_core.text import format_money, format_number, format_percent, to_persian_digits
from planner_gui.common import status_cell
from planner_gui.row_models import RowTableModel

Index = QModelIndex | QPersistentModelIndex
_STATUS_ORDER = {Status.OFF_TRACK: 0, Status.AT_RISK: 1, Status.ON_TRACK: 2, Status.NO_DATA: 3}
_CENTER = int(Qt.AlignmentFlag.AlignCenter)


def _code_key(code: str) -> list[int]:
    return [int(x) if x.isdigit() else 0 for x in code.split("-")]


class _RowsModel(RowTableModel[Any]):
    """A read-only table over a list of rows, with one status column in its traffic-light colour."""

    STATUS_COLUMN = -1
    CENTERED: frozenset[int] = frozenset()

    def row_status(self, row: Any) -> Status:
        return Status.NO_DATA

    def row_id(self, row: Any) -> int:
        raise NotImplementedError

    def cell(self, row: Any, column: int, role: int) -> Any:
        if column == self.STATUS_COLUMN and role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            return status_cell(self.row_status(row), role)
        return super().cell(row, column, role)

    def alignment(self, column: int) -> int | None:
        return _CENTER if column in self.CENTERED else None

    def header(self, section: int, orientation: Qt.Orientation, role: int) -> Any:
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return to_persian_digits(section + 1)
        return super().header(section, orientation, role)


class DeviationsModel(_RowsModel):
    (COL_CODE, COL_LEVEL, COL_ITEM, COL_NODE, COL_UNIT, COL_EXPECTED, COL_ACTUAL, COL_ACHIEVEMENT,
     COL_STATUS, COL_ACTION) = range(10)
    HEADERS = ("کد", "سطح", "مورد", "گره برنامه", "واحد مسئول", "هدف / مورد انتظار", "واقعی",
               "دستیابی", "وضعیت", "اقدام اصلاحی")
    STATUS_COLUMN = COL_STATUS
    CENTERED = frozenset({COL_CODE, COL_EXPECTED, COL_ACTUAL, COL_ACHIEVEMENT, COL_STATUS, COL_ACTION})

    def row_status(self, row: Deviation) -> Status:
        return row.status

    def row_id(self, row: Deviation) -> int:
        return row.node_id

    def _value(self, row: Deviation, value: float | None) -> str:
        if row.what == "project":
            return format_percent(value)
        return format_number(value, 2) if value is not None else "—"

    def display(self, row: Deviation, column: int) -> str:
        return {
            self.COL_CODE: lambda: to_persian_digits(row.full_code),
            self.COL_LEVEL: lambda: row.level,
            self.COL_ITEM: lambda: row.title,
            self.COL_NODE: lambda: row.node_title,
            self.COL_UNIT: lambda: row.unit,
            self.COL_EXPECTED: lambda: self._value(row, row.expected),
            self.COL_ACTUAL: lambda: self._value(row, row.actual),
            self.COL_ACHIEVEMENT: lambda: format_percent(row.achievement),
            self.COL_STATUS: lambda: row.status_label,
            self.COL_ACTION: lambda: "دارد" if row.has_corrective_action else "ندارد",
        }[column]()

    def sort_value(self, row: Deviation, column: int) -> Any:
        if column == self.COL_CODE:
            return _code_key(row.full_code)
        if column in (self.COL_EXPECTED, self.COL_ACTUAL, self.COL_ACHIEVEMENT):
            value = {self.COL_EXPECTED: row.expected, self.COL_ACTUAL: row.actual,
                     self.COL_ACHIEVEMENT: row.achievement}[column]
            return -1.0 if value is None else float(value)
        if column == self.COL_STATUS:
            return _STATUS_ORDER[row.status]
        return self.display(row, column)

    def tooltip(self, row: Deviation, column: int) -> str | None:
        if column == self.COL_ACTION:
            return row.corrective_action or "اقدام اصلاحی در گزارش‌های پیشرفت ثبت نشده است"
        if column in (self.COL_ACHIEVEMENT, self.COL_STATUS):
            return row.reason
        if column in (self.COL_ITEM, self.COL_NODE, self.COL_UNIT):
            return self.display(row, column) or None
        return None


class EvaluationModel(_RowsModel):
    """A program's indicators for a year; the explanation column is editable (via ``edit``)."""

    (COL_NODE, COL_CODE, COL_TITLE, COL_TARGET, COL_ACTUAL, COL_ACHIEVEMENT, COL_STATUS, COL_REASON,
     COL_EXPLANATION) = range(9)
    HEADERS = ("برنامه / پروژه", "کد", "شاخص", "هدف", "واقعی", "دستیابی", "وضعیت", "دلیل / روش سنجش",
               "توضیح برنامه‌ریز")
    STATUS_COLUMN = COL_STATUS
    CENTERED = frozenset({COL_CODE, COL_TARGET, COL_ACTUAL, COL_ACHIEVEMENT, COL_STATUS})

    error = Signal(object)  # a PlannerError from editing an explanation

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        # (row, new explanation) -> None on success or the service's refusal; set by the window.
        self.edit: Callable[[EvaluationRow, str], PlannerError | None] | None = None

    def row_status(self, row: EvaluationRow) -> Status:
        return row.status

    def row_id(self, row: EvaluationRow) -> int:
        return row.indicator_id

    def display(self, row: EvaluationRow, column: int) -> str:
        unit = f" {row.unit}" if row.unit else ""
        return {
            self.COL_NODE: lambda: f"{LABELS[row.node_kind]} {to_persian_digits(row.node_code)}: {row.node_title}",
            self.COL_CODE: lambda: to_persian_digits(row.code),
            self.COL_TITLE: lambda: f"{row.title} ({INDICATOR_KIND_LABELS[row.kind]})",
            self.COL_TARGET: lambda: format_number(row.target, 2) + unit if row.target is not None else "—",
            self.COL_ACTUAL: lambda: format_number(row.actual, 2) + unit if row.actual is not None else "—",
            self.COL_ACHIEVEMENT: lambda: format_percent(row.achievement),
            self.COL_STATUS: lambda: STATUS_LABELS[row.status],
            self.COL_REASON: lambda: row.reason,
            self.COL_EXPLANATION: lambda: row.explanation,
        }[column]()

    def sort_value(self, row: EvaluationRow, column: int) -> Any:
        numbers = {self.COL_TARGET: row.target, self.COL_ACTUAL: row.actual, self.COL_ACHIEVEMENT: row.achievement}
        if column in numbers:
            return -1.0 if numbers[column] is None else float(numbers[column])  # type: ignore[arg-type]
        if column == self.COL_STATUS:
            return _STATUS_ORDER[row.status]
        return self.display(row, column)

    def tooltip(self, row: EvaluationRow, column: int) -> str | None:
        if column == self.COL_EXPLANATION and row.annual_actual is None:
            return "برای نوشتن توضیح، نخست مقدار واقعی سالانه این شاخص را در جدول هدف‌ها وارد کنید."
        if column in (self.COL_REASON, self.COL_EXPLANATION, self.COL_TITLE, self.COL_NODE):
            return self.display(row, column) or None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.EditRole and index.isValid() and index.column() == self.COL_EXPLANATION
                and 0 <= index.row() < len(self.rows)):
            return self.rows[index.row()].explanation
        return super().data(index, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.COL_EXPLANATION and self.rows[index.row()].annual_actual is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != self.COL_EXPLANATION
                or self.edit is None):
            return False
        row = self.rows[index.row()]
        text = "" if value is None else str(value)
        if text.strip() == row.explanation.strip():
            return True
        failure = self.edit(row, text)
        if failure is not None:
            self.error.emit(failure)
            return False
        return True

    def row_of(self, indicator_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.indicator_id == indicator_id), -1)


class AxisSummaryModel(_RowsModel):
    """The dashboard's table beside the charts: each axis's progress, status and budget."""

    (COL_CODE, COL_TITLE, COL_PROGRESS, COL_EXPECTED, COL_STATUS, COL_PLANNED, COL_SPENT) = range(7)
    HEADERS = ("کد", "محور", "پیشرفت", "مورد انتظار", "وضعیت", "بودجه مصوب (میلیون ریال)", "هزینه‌شده")
    STATUS_COLUMN = COL_STATUS
    CENTERED = frozenset({COL_CODE, COL_PROGRESS, COL_EXPECTED, COL_STATUS, COL_PLANNED, COL_SPENT})

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.budget: BudgetRollup | None = None

    def set_data(self, axes: Sequence[NodeProgress], budget: BudgetRollup | None) -> None:
        self.beginResetModel()
        self.rows, self.budget = list(axes), budget
        self.endResetModel()

    def row_status(self, row: NodeProgress) -> Status:
        return row.status

    def row_id(self, row: NodeProgress) -> int:
        return row.node_id

    def _amounts(self, row: NodeProgress) -> tuple[int, int]:
        if self.budget is None or row.node_id not in self.budget.by_node:
            return 0, 0
        amounts = self.budget.by_node[row.node_id]
        return amounts.planned, amounts.spent

    def display(self, row: NodeProgress, column: int) -> str:
        planned, spent = self._amounts(row)
        return {
            self.COL_CODE: lambda: to_persian_digits(row.code),
            self.COL_TITLE: lambda: row.title,
            self.COL_PROGRESS: lambda: format_percent(row.progress, 1),
            self.COL_EXPECTED: lambda: format_percent(row.expected, 1),
            self.COL_STATUS: lambda: STATUS_LABELS[row.status],
            self.COL_PLANNED: lambda: format_money(planned),
            self.COL_SPENT: lambda: format_money(spent),
        }[column]()

    def sort_value(self, row: NodeProgress, column: int) -> Any:
        planned, spent = self._amounts(row)
        values = {self.COL_PROGRESS: row.progress, self.COL_EXPECTED: row.expected,
                  self.COL_PLANNED: planned, self.COL_SPENT: spent}
        if column in values:
            return -1.0 if values[column] is None else float(values[column])  # type: ignore[arg-type]
        if column == self.COL_STATUS:
            return _STATUS_ORDER[row.status]
        return self.display(row, column)
