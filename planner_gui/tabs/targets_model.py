"""The targets/actuals grid of one indicator: fiscal years across, target/actual/achievement rows down.

Column 0 is the earliest year; the app's right-to-left direction puts it on the right.
Cells take what the planner typed (Latin, Persian or Arabic-Indic digits) and hand the
text to ``indicators.set_target`` / ``set_actual`` through undo commands; the service
reads the number and says in Persian what is wrong with it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QWidget

from planner_core import indicators
from planner_core.errors import PlannerError
from planner_core.indicators import ActualInfo, IndicatorInfo
from planner_core.levels import PERIOD_LABELS
from planner_core.progress import Achievement, classify, indicator_achievement, year_actual
from planner_core.text import format_number, format_percent, to_persian_digits
from planner_gui.commands import ServiceCommand, execute, quoted
from planner_gui.common import status_cell
from planner_gui.context import AppContext
from planner_gui.widgets import NumberEdit

ROW_TARGET, ROW_ANNUAL, ROW_Q1, ROW_Q2, ROW_Q3, ROW_Q4, ROW_ACHIEVEMENT = range(7)
ROW_COUNT = 7
ROW_PERIODS = {ROW_ANNUAL: "annual", ROW_Q1: "q1", ROW_Q2: "q2", ROW_Q3: "q3", ROW_Q4: "q4"}
ROW_LABELS = {
    ROW_TARGET: "مقدار هدف",
    ROW_ANNUAL: "واقعی سالانه",
    ROW_Q1: "واقعی فصل ۱",
    ROW_Q2: "واقعی فصل ۲",
    ROW_Q3: "واقعی فصل ۳",
    ROW_Q4: "واقعی فصل ۴",
    ROW_ACHIEVEMENT: "دستیابی",
}
NOTE_ROLE = Qt.ItemDataRole.UserRole + 10  # the note of an actual cell ('' when none)
VALUE_ROLE = Qt.ItemDataRole.UserRole + 11  # the stored number (float) or None
DECIMALS = 3

Index = QModelIndex | QPersistentModelIndex


class TargetsModel(QAbstractTableModel):
    """One indicator's targets, actuals and achievement per year."""

    error = Signal(object)  # a PlannerError a service raised while editing a cell

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.indicator: IndicatorInfo | None = None
        self.years: list[int] = []
        self.thresholds = (90.0, 70.0)
        # Read-only editor: targets are plan content, actuals monitoring (which an approved plan keeps).
        self.targets_locked = False
        self.actuals_locked = False

    def set_locks(self, targets: bool, actuals: bool) -> None:
        if (targets, actuals) != (self.targets_locked, self.actuals_locked):
            self.layoutAboutToBeChanged.emit()
            self.targets_locked, self.actuals_locked = targets, actuals
            self.layoutChanged.emit()

    # loading -----------------------------------------------------------------------------
    def set_indicator(self, indicator: IndicatorInfo | None, years: list[int],
                      thresholds: tuple[float, float] = (90.0, 70.0)) -> None:
        self.beginResetModel()
        self.indicator = indicator
        self.thresholds = thresholds
        self.years = self._with_data_years(indicator, years)
        self.endResetModel()

    @staticmethod
    def _with_data_years(indicator: IndicatorInfo | None, years: list[int]) -> list[int]:
        if indicator is None:
            return []
        # Years outside the node's span that still hold values stay visible, so nothing is hidden.
        extra = set(indicator.targets) | {a.year for a in indicator.actuals}
        return sorted(set(years) | extra)

    def refresh(self) -> None:
        """Re-read the indicator after an edit (or an undo made elsewhere)."""
        if self.indicator is None:
            return
        try:
            fresh = indicators.get_indicator(self.ctx.db, self.indicator.id)
        except PlannerError:
            self.set_indicator(None, [])
            return
        years = self._with_data_years(fresh, self.years)
        if years != self.years:
            self.set_indicator(fresh, years, self.thresholds)
            return
        self.indicator = fresh
        if self.years:
            self.dataChanged.emit(self.index(0, 0), self.index(ROW_COUNT - 1, len(self.years) - 1))

    # reading -----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.indicator is None else ROW_COUNT

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.years)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return to_persian_digits(self.years[section]) if 0 <= section < len(self.years) else None
        return ROW_LABELS.get(section)

    def value(self, row: int, year: int) -> float | None:
        if self.indicator is None:
            return None
        if row == ROW_TARGET:
            return self.indicator.targets.get(year)
        actual = self.actual(row, year)
        return actual.value if actual else None

    def actual(self, row: int, year: int) -> ActualInfo | None:
        if self.indicator is None or row not in ROW_PERIODS:
            return None
        return self.indicator.actual(year, ROW_PERIODS[row])

    def achievement(self, year: int) -> Achievement | None:
        if self.indicator is None:
            return None
        ind = self.indicator
        annual = self.value(ROW_ANNUAL, year)
        quarters = [self.value(row, year) for row in (ROW_Q1, ROW_Q2, ROW_Q3, ROW_Q4)]
        try:
            return indicator_achievement(ind.direction, ind.baseline_value, ind.targets.get(year),
                                         year_actual(annual, quarters))
        except (TypeError, ValueError) as exc:
            return Achievement(None, None, False, str(exc), "no_actual")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.indicator is None:
            return None
        row, year = index.row(), self.years[index.column()]
        if row == ROW_ACHIEVEMENT:
            return self._achievement_data(year, role)
        value = self.value(row, year)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return format_number(value, DECIMALS) if value is not None else ""
        if role == VALUE_ROLE:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        actual = self.actual(row, year)
        if role == NOTE_ROLE:
            return actual.note if actual else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            label = ROW_LABELS[row] + " " + to_persian_digits(year)
            if actual and actual.note:
                return f"{label}\nیادداشت: {actual.note}"
            return label
        if role == Qt.ItemDataRole.FontRole and actual and actual.note:
            font = QFont()
            font.setUnderline(True)  # a note is attached: hover to read it
            return font
        return None

    def _achievement_data(self, year: int, role: int) -> Any:
        result = self.achievement(year)
        if result is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return format_percent(result.percent)
        if role == VALUE_ROLE:
            return result.percent
        if role == Qt.ItemDataRole.ToolTipRole:
            return result.reason
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if result.percent is None:
            return None
        return status_cell(classify(result.percent, *self.thresholds), role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.row() == ROW_ACHIEVEMENT:
            return base
        if self.targets_locked if index.row() == ROW_TARGET else self.actuals_locked:
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    # editing -----------------------------------------------------------------------------
    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.indicator is None:
            return False
        row, year = index.row(), self.years[index.column()]
        if row == ROW_ACHIEVEMENT or not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        text = "" if value is None else str(value).strip()
        if text == self.data(index, Qt.ItemDataRole.EditRole):
            return True  # unchanged: no empty undo step
        command = (self._target_command(year, text) if row == ROW_TARGET
                   else self._actual_command(year, ROW_PERIODS[row], text, None))
        failure = execute(self.ctx, command)
        if failure is not None:
            self.error.emit(failure)
            return False
        self.refresh()
        return True

    def set_note(self, index: Index, note: str) -> PlannerError | None:
        """Attach a note to an actual (the value stays as it is)."""
        if self.indicator is None or index.row() not in ROW_PERIODS:
            return None
        year = self.years[index.column()]
        current = self.actual(index.row(), year)
        if current is None:
            return None
        command = self._actual_command(year, ROW_PERIODS[index.row()], current.value, note)
        failure = execute(self.ctx, command)
        if failure is not None:
            self.error.emit(failure)
        else:
            self.refresh()
        return failure

    def _target_command(self, year: int, text: str) -> ServiceCommand:
        assert self.indicator is not None
        ind_id, db = self.indicator.id, self.ctx.db
        previous: list[float | None] = []

        def apply() -> int:
            before = indicators.set_target(db, ind_id, year, text)
            if not previous:
                previous.append(before)
            return ind_id

        def revert() -> int:
            indicators.set_target(db, ind_id, year, previous[0])
            return ind_id

        title = f"هدف {to_persian_digits(year)} شاخص {quoted(self.indicator.title)}"
        return ServiceCommand(self.ctx, title, "indicator", apply, revert, self.error.emit)

    def _actual_command(self, year: int, period: str, value: object, note: str | None) -> ServiceCommand:
        assert self.indicator is not None
        ind_id, db = self.indicator.id, self.ctx.db
        previous: list[ActualInfo | None] = []

        def apply() -> int:
            before = indicators.set_actual(db, ind_id, year, period, value, note)
            if not previous:
                previous.append(before)
            return ind_id

        def revert() -> int:
            before = previous[0]
            if before is None:
                indicators.set_actual(db, ind_id, year, period, None)
            else:
                indicators.set_actual(db, ind_id, year, period, before.value, before.note)
            return ind_id

        what = "یادداشت" if note is not None else "مقدار"
        title = f"{what} {PERIOD_LABELS[period]} {to_persian_digits(year)} شاخص {quoted(self.indicator.title)}"
        return ServiceCommand(self.ctx, title, "indicator", apply, revert, self.error.emit)


class NumberDelegate(QStyledItemDelegate):
    """Edits a cell in a NumberEdit, so Latin, Persian and Arabic-Indic digits are all accepted."""

    def __init__(self, parent: Any = None, decimals: int = DECIMALS) -> None:
        super().__init__(parent)
        self.decimals = decimals

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = NumberEdit(parent, decimals=self.decimals)
        editor.setFrame(False)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, NumberEdit)
        editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        editor.selectAll()

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, NumberEdit)
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
