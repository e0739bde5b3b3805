"""Item models of the budget window, each over rows a planner_core service returns.

Money is rials in every row; cells show million rials with Persian grouping (``format_money``)
and sort by the integer.  Rows over their ceiling are red.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush

from planner_core.budget import CodeUse
from planner_core.budget_rollups import BudgetMatrix
from planner_core.checks import Finding
from planner_core.jalali import format_jalali
from planner_core.levels import AMENDMENT_KIND_LABELS, LABELS
from planner_core.text import format_money, format_percent, to_persian_digits
from planner_gui.row_models import NUMBER_ALIGN, RED, TEXT_ALIGN, RowTableModel, RowTreeModel, bold_font

AnyIndex = QModelIndex | QPersistentModelIndex


def _money_sort(value: int | None) -> int:
    return -1 if value is None else value


def signed_money(rials: int, plus: bool = False) -> str:
    """A signed amount in million rials.  In a right-to-left cell the Unicode bidi rules put a
    leading minus after the digits («۵٬۰۰۰-»); an LTR isolate keeps it in front («-۵٬۰۰۰»)."""
    if rials >= 0 and not plus:
        return format_money(rials)
    return "\u2066" + ("-" if rials < 0 else "+") + format_money(abs(rials)) + "\u2069"


# --- budget codes ----------------------------------------------------------------------------

@dataclass(frozen=True)
class CodeLine:
    """One budget code in one fiscal year: its catalogue entry and its budget line."""

    code_id: int
    code: str
    title: str
    parent_id: int | None
    approved: int | None  # the approved ceiling; None: no line in that year's budget
    amendments: int  # sum of supplements and amendments
    ceiling: int | None  # approved plus amendments
    planned: int | None  # allocated from it (and its sub-codes) by the plan's projects
    spent: int | None

    @property
    def remaining(self) -> int | None:
        return None if self.ceiling is None or self.planned is None else self.ceiling - self.planned

    @property
    def over(self) -> bool:
        return self.ceiling is not None and self.planned is not None and self.planned > self.ceiling


CeilingEditor = Callable[[CodeLine, object], bool]


class CodeTreeModel(RowTreeModel[CodeLine]):
    """The catalogue as a tree (function → program → sub-program → project/activity) with one
    year's ceilings.  The approved ceiling is edited in place; the edit goes to ``on_ceiling``."""

    COL_CODE, COL_TITLE, COL_APPROVED, COL_AMENDMENTS, COL_CEILING, COL_PLANNED, COL_SPENT, COL_REMAINING = range(8)
    HEADERS = ("کد", "عنوان", "سقف مصوب", "متمم و اصلاحیه", "سقف اصلاح‌شده", "برنامه‌ریزی‌شده", "هزینه‌شده",
               "مانده")
    NUMBER_COLUMNS = frozenset(range(2, 8))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.on_ceiling: CeilingEditor | None = None

    def set_lines(self, lines: list[CodeLine]) -> None:
        self.set_rows(lines, lambda r: r.code_id, lambda r: r.parent_id)

    def _value(self, row: CodeLine, column: int) -> int | None:
        return {self.COL_APPROVED: row.approved, self.COL_AMENDMENTS: row.amendments if row.approved is not None
                else None, self.COL_CEILING: row.ceiling, self.COL_PLANNED: row.planned,
                self.COL_SPENT: row.spent, self.COL_REMAINING: row.remaining}.get(column)

    def display(self, row: CodeLine, column: int) -> str:
        if column == self.COL_CODE:
            return to_persian_digits(row.code)
        if column == self.COL_TITLE:
            return row.title
        value = self._value(row, column)
        if column == self.COL_AMENDMENTS:
            return signed_money(value, plus=True) if value else ""
        return "" if value is None else signed_money(value)

    def sort_value(self, row: CodeLine, column: int) -> Any:
        if column in (self.COL_CODE, self.COL_TITLE):
            return row.code if column == self.COL_CODE else row.title
        return _money_sort(self._value(row, column))

    def cell(self, row: CodeLine, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.EditRole and column == self.COL_APPROVED:
            return row.approved
        return super().cell(row, column, role)

    def row_id(self, row: CodeLine) -> int:
        return row.code_id

    def foreground(self, row: CodeLine, column: int) -> QBrush | None:
        return RED if row.over else None

    def tooltip(self, row: CodeLine, column: int) -> str | None:
        if row.over:
            return "جمع برنامه‌ریزی‌شده از سقف این کد بیشتر است."
        if column == self.COL_APPROVED:
            return "برای تعیین سقف مصوب این سال دوبار کلیک کنید (میلیون ریال)."
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == self.COL_APPROVED and self.on_ceiling is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        row = self.row_at(index)
        if row is None or role != Qt.ItemDataRole.EditRole or index.column() != self.COL_APPROVED \
                or self.on_ceiling is None:
            return False
        # The model does not change itself: the window runs an undo command and refreshes.
        return self.on_ceiling(row, value)


class UsageModel(RowTableModel[CodeUse]):
    """Where a code is used: each project's allocation from it, by year."""

    COL_PROJECT, COL_YEAR, COL_AMOUNT, COL_SPENT = range(4)
    HEADERS = ("پروژه یا فعالیت", "سال", "تخصیص", "هزینه‌شده")
    NUMBER_COLUMNS = frozenset({COL_AMOUNT, COL_SPENT})

    def display(self, row: CodeUse, column: int) -> str:
        return (row.project_title, to_persian_digits(row.year), format_money(row.amount),
                format_money(row.spent))[column]

    def sort_value(self, row: CodeUse, column: int) -> Any:
        return (row.project_title, row.year, row.amount, row.spent)[column]

    def row_id(self, row: CodeUse) -> int:
        return row.project_id


@dataclass(frozen=True)
class AmendmentLine:
    date: str  # ISO
    kind: str
    delta: int
    reason: str


class AmendmentModel(RowTableModel[AmendmentLine]):
    COL_DATE, COL_KIND, COL_DELTA, COL_REASON = range(4)
    HEADERS = ("تاریخ", "نوع", "مبلغ تغییر", "دلیل")
    NUMBER_COLUMNS = frozenset({COL_DELTA})

    def display(self, row: AmendmentLine, column: int) -> str:
        if column == self.COL_DATE:
            return format_jalali(row.date)
        if column == self.COL_KIND:
            return AMENDMENT_KIND_LABELS.get(row.kind, row.kind)
        if column == self.COL_DELTA:
            return signed_money(row.delta, plus=True)
        return row.reason

    def sort_value(self, row: AmendmentLine, column: int) -> Any:
        return (row.date, row.kind, row.delta, row.reason)[column]


# --- roll-ups --------------------------------------------------------------------------------

@dataclass(frozen=True)
class RollupLine:
    node_id: int
    parent_id: int | None
    kind: str
    code: str  # full code, e.g. 2-1-3
    title: str
    planned: int
    spent: int
    share: float | None  # of the year's planned total, percent


class RollupTreeModel(RowTreeModel[RollupLine]):
    """Axis → macro goal → strategy → operational program, planned and spent in the year."""

    COL_TITLE, COL_LEVEL, COL_PLANNED, COL_SPENT, COL_SHARE = range(5)
    HEADERS = ("کد و عنوان", "سطح", "برنامه‌ریزی‌شده", "هزینه‌شده", "سهم از بودجه سال")
    NUMBER_COLUMNS = frozenset({COL_PLANNED, COL_SPENT, COL_SHARE})

    def set_lines(self, lines: list[RollupLine]) -> None:
        self.set_rows(lines, lambda r: r.node_id, lambda r: r.parent_id)

    def display(self, row: RollupLine, column: int) -> str:
        if column == self.COL_TITLE:
            return f"{to_persian_digits(row.code)}. {row.title}"
        if column == self.COL_LEVEL:
            return LABELS.get(row.kind, row.kind)
        if column == self.COL_PLANNED:
            return format_money(row.planned)
        if column == self.COL_SPENT:
            return format_money(row.spent)
        return format_percent(row.share, 1)

    def sort_value(self, row: RollupLine, column: int) -> Any:
        return (row.code, row.kind, row.planned, row.spent, row.share or 0.0)[column]

    def row_id(self, row: RollupLine) -> int:
        return row.node_id


@dataclass(frozen=True)
class UnitLine:
    unit: str
    planned: int
    spent: int
    share: float | None


class UnitModel(RowTableModel[UnitLine]):
    COL_UNIT, COL_PLANNED, COL_SPENT, COL_SHARE = range(4)
    HEADERS = ("واحد مسئول", "برنامه‌ریزی‌شده", "هزینه‌شده", "سهم از بودجه سال")
    NUMBER_COLUMNS = frozenset({COL_PLANNED, COL_SPENT, COL_SHARE})

    def display(self, row: UnitLine, column: int) -> str:
        return (row.unit or "بدون واحد مسئول", format_money(row.planned), format_money(row.spent),
                format_percent(row.share, 1))[column]

    def sort_value(self, row: UnitLine, column: int) -> Any:
        return (row.unit, row.planned, row.spent, row.share or 0.0)[column]


# --- matrix ----------------------------------------------------------------------------------

def _short(title: str, limit: int = 26) -> str:
    """A program title short enough for a column header (the whole title is the tooltip)."""
    if len(title) <= limit:
        return title
    cut = title[:limit].rsplit(" ", 1)[0]
    return cut + "…"


class MatrixModel(RowTableModel[tuple[int, str, str]]):
    """Budget codes (rows) × operational programs (columns) for one year, with totals.

    Columns: code, title, one per program, total; the last row is the column totals.
    """

    COL_CODE, COL_TITLE, COL_FIRST_PROGRAM = 0, 1, 2
    TOTAL = "جمع"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.matrix: BudgetMatrix | None = None
        self.HEADERS = ("کد بودجه", "عنوان", self.TOTAL)

    def set_matrix(self, matrix: BudgetMatrix | None) -> None:
        self.beginResetModel()
        self.matrix = matrix
        programs = matrix.programs if matrix else []
        self.HEADERS = ("کد بودجه", "عنوان", *(f"{to_persian_digits(code)}\n{_short(title)}"
                                               for _i, code, title in programs), self.TOTAL)
        self.NUMBER_COLUMNS = frozenset(range(2, len(self.HEADERS)))
        self.rows = [*matrix.codes, (0, "", self.TOTAL)] if matrix and matrix.codes else []
        self.endResetModel()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal and self.matrix \
                and self.COL_FIRST_PROGRAM <= section < self.col_total:
            _pid, code, title = self.matrix.programs[section - self.COL_FIRST_PROGRAM]
            return f"{to_persian_digits(code)} {title}"
        return super().headerData(section, orientation, role)

    @property
    def col_total(self) -> int:
        return len(self.HEADERS) - 1

    def amount(self, row: int, column: int) -> int | None:
        """The cell's rials (None for the code and title columns)."""
        m = self.matrix
        if m is None or column < self.COL_FIRST_PROGRAM or not 0 <= row < len(self.rows):
            return None
        total_row = row == len(self.rows) - 1
        if column == self.col_total:
            return sum(m.cells.values()) if total_row else m.row_total(self.rows[row][0])
        program_id = m.programs[column - self.COL_FIRST_PROGRAM][0]
        if total_row:
            return m.column_total(program_id)
        return m.cells.get((self.rows[row][0], program_id), 0)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        code_id, code, title = self.rows[row]
        total = code_id == 0
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_CODE:
                return self.TOTAL if total else to_persian_digits(code)
            if column == self.COL_TITLE:
                return "" if total else title
            value = self.amount(row, column)
            return "" if not value and not total and column != self.col_total else format_money(value or 0)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int((NUMBER_ALIGN if column >= self.COL_FIRST_PROGRAM else TEXT_ALIGN).value)
        if role == Qt.ItemDataRole.FontRole and (total or column == self.col_total):
            return bold_font()
        if role == Qt.ItemDataRole.ToolTipRole and column >= self.COL_FIRST_PROGRAM and self.matrix:
            if column == self.col_total:
                return None
            _pid, pcode, ptitle = self.matrix.programs[column - self.COL_FIRST_PROGRAM]
            return f"{to_persian_digits(pcode)} {ptitle}"
        return None


# --- findings --------------------------------------------------------------------------------

class FindingsModel(RowTableModel[Finding]):
    """Budget findings of the year; a row with a node jumps to it when double-clicked."""

    COL_SEVERITY, COL_MESSAGE = range(2)
    HEADERS = ("شدت", "یافته")

    def display(self, row: Finding, column: int) -> str:
        return row.severity_label if column == self.COL_SEVERITY else row.message

    def row_id(self, row: Finding) -> int:
        return row.node_id or 0

    def foreground(self, row: Finding, column: int) -> QBrush | None:
        return RED if row.severity == "error" else None

    def tooltip(self, row: Finding, column: int) -> str | None:
        return "برای رفتن به این مورد در درخت برنامه دوبار کلیک کنید." if row.node_id else row.message
