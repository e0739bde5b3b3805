"""«شاخص‌ها» tab: the node's indicators, and the targets/actuals grid of the selected one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner_core import indicators, plans, spans
from planner_core.errors import PlannerError
from planner_core.indicators import IndicatorInfo
from planner_core.levels import DIRECTION_LABELS
from planner_core.text import format_number, to_persian_digits
from planner_gui.commands import AddCommand, ServiceCommand, execute, quoted
from planner_gui.common import button_row, make_table, push_button, select_row, selected_id, vertical_split
from planner_gui.context import AppContext
from planner_gui.row_models import RowTableModel
from planner_gui.shortcuts import undo_keys
from planner_gui.tabs.base import NodeTab
from planner_gui.tabs.indicator_dialog import IndicatorDialog
from planner_gui.tabs.targets_model import NOTE_ROLE, ROW_PERIODS, NumberDelegate, TargetsModel

Index = QModelIndex | QPersistentModelIndex

COL_CODE, COL_TITLE, COL_KIND, COL_UNIT, COL_DIRECTION, COL_BASELINE = range(6)
HEADERS = ("کد", "عنوان شاخص", "نوع", "واحد سنجش", "جهت مطلوب", "مقدار پایه")


def short_direction(direction: str) -> str:
    return DIRECTION_LABELS.get(direction, direction).split(" (")[0]


def baseline_text(ind: IndicatorInfo) -> str:
    if ind.baseline_value is None:
        return "—"
    text = format_number(ind.baseline_value, 3)
    # «سال» gives the cell a right-to-left reading order: the value first, then its year.
    return f"{text} (سال {to_persian_digits(ind.baseline_year)})" if ind.baseline_year else text


class IndicatorsModel(RowTableModel[IndicatorInfo]):
    """The indicators of one node, as ``indicators.list_indicators`` returns them."""

    HEADERS = HEADERS

    def set_rows(self, rows: Sequence[IndicatorInfo]) -> None:
        if [r.id for r in rows] == [r.id for r in self.rows] and rows:
            # Same indicators: update in place so the view keeps its selection.
            self.rows = list(rows)
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(HEADERS) - 1))
            return
        super().set_rows(rows)

    def row_of(self, indicator_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == indicator_id), -1)

    def display(self, ind: IndicatorInfo, col: int) -> str | None:
        return {
            COL_CODE: to_persian_digits(ind.code),
            COL_TITLE: ind.title,
            COL_KIND: ind.kind_label,
            COL_UNIT: ind.unit,
            COL_DIRECTION: short_direction(ind.direction),
            COL_BASELINE: baseline_text(ind),
        }.get(col)

    def row_id(self, ind: IndicatorInfo) -> int:
        return ind.id

    def sort_value(self, ind: IndicatorInfo, col: int) -> Any:
        if col == COL_CODE:
            return int(ind.code) if ind.code.isdigit() else ind.code
        if col == COL_BASELINE:
            return ind.baseline_value if ind.baseline_value is not None else float("-inf")
        return self.display(ind, col)

    def tooltip(self, ind: IndicatorInfo, col: int) -> str | None:
        return ind.definition if col == COL_TITLE and ind.definition else None

    def alignment(self, column: int) -> int | None:
        return None


class IndicatorsTab(NodeTab):
    tab_title = "شاخص‌ها"
    RELOAD_ON = frozenset({"indicator", "node", "plan"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "indicatorsTab", parent)
        self.model = IndicatorsModel(self)
        self.table = make_table(self.model, stretch=COL_TITLE)
        self.table.setObjectName("indicatorTable")
        self.table.doubleClicked.connect(lambda _index: self.edit_indicator())

        self.add_button = push_button("افزودن شاخص…", self.add_indicator)
        self.edit_button = push_button("ویرایش…", self.edit_indicator)
        self.delete_button = push_button("حذف", self.delete_indicator)

        self.targets = TargetsModel(ctx, self)
        self.grid = QTableView()
        self.grid.setObjectName("targetsGrid")
        self.grid.setModel(self.targets)
        self.grid.setItemDelegate(NumberDelegate(self.grid))
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.horizontalHeader().setMinimumSectionSize(90)
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.grid.customContextMenuRequested.connect(self._grid_menu)
        self.targets.error.connect(self._show_error)
        self.grid_hint = QLabel("برای ورود مقدار روی خانه دوبار کلیک کنید یا تایپ کنید؛ ارقام فارسی، عربی "
                                "و لاتین پذیرفته می‌شود. یادداشت مقدار واقعی: کلیک راست.")
        self.grid_hint.setWordWrap(True)
        self.grid_box = QGroupBox("هدف‌ها و مقادیر واقعی")
        box_layout = QVBoxLayout(self.grid_box)
        box_layout.addWidget(self.grid)
        box_layout.addWidget(self.grid_hint)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(button_row(self.add_button, self.edit_button, self.delete_button))
        top_layout.addWidget(self.table)
        splitter = vertical_split(top, self.grid_box, (1, 1))
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        layout.addWidget(self.message)

        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())
        self._update_buttons()

    # loading -------------------------------------------------------------------------------
    def reload(self) -> None:
        keep = self.selected_id()
        try:
            rows = indicators.list_indicators(self.ctx.db, self.node.id) if self.node else []
        except PlannerError as exc:
            rows = []
            self._show_error(exc)
        self.model.set_rows(rows)
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0 and rows:
            row = 0
        if row >= 0 and self.selected_id() != self.model.rows[row].id:
            select_row(self.table, row)
        self._show_selected()

    def selected_id(self) -> int | None:
        return selected_id(self.table)

    def selected(self) -> IndicatorInfo | None:
        ind_id = self.selected_id()
        row = self.model.row_of(ind_id) if ind_id is not None else -1
        return self.model.rows[row] if row >= 0 else None

    def _show_selected(self) -> None:
        ind = self.selected()
        if ind is None or self.node is None:
            self.targets.set_indicator(None, [])
            self.grid_box.setTitle("هدف‌ها و مقادیر واقعی")
        else:
            current = self.targets.indicator
            if current is not None and current.id == ind.id:
                self.targets.refresh()
            else:
                self.targets.set_indicator(ind, self._years(), self._thresholds())
            unit = f" ({ind.unit})" if ind.unit else ""
            self.grid_box.setTitle(f"هدف‌ها و مقادیر واقعی: {to_persian_digits(ind.code)}. {ind.title}{unit}")
        self._update_buttons()

    def _years(self) -> list[int]:
        assert self.node is not None
        try:
            return spans.node_years(self.ctx.db, self.node.id)
        except PlannerError:
            return []

    def _thresholds(self) -> tuple[float, float]:
        assert self.node is not None
        try:
            plan = plans.get_plan(self.ctx.db, self.node.plan_id)
        except PlannerError:
            return (90.0, 70.0)
        return (plan.on_track, plan.at_risk)

    def _update_buttons(self) -> None:
        has_node, has_row = self.node is not None, self.selected_id() is not None
        self.add_button.setEnabled(has_node)
        self.edit_button.setEnabled(has_row)
        self.delete_button.setEnabled(has_row)
        state = self.read_only
        self.targets.set_locks(state is not None, state is not None and state.monitoring is not None)
        self.enforce_read_only()

    def edit_controls(self) -> list[QWidget]:
        return [self.add_button, self.edit_button, self.delete_button]

    # editing -------------------------------------------------------------------------------
    def open_dialog(self, indicator: IndicatorInfo | None = None) -> IndicatorDialog:
        """Build (not run) the indicator dialog, so tests can fill and accept it."""
        assert self.node is not None
        submit = self.submit_new if indicator is None else (lambda v: self.submit_edit(indicator, v))
        return IndicatorDialog(self.node.kind, submit, indicator, self)

    def add_indicator(self) -> None:
        if self.node is not None and self.read_only is None:
            self.open_dialog().exec()

    def edit_indicator(self) -> None:
        ind = self.selected()
        if ind is not None and self.read_only is None:  # double-click on a read-only plan opens nothing
            self.open_dialog(ind).exec()

    def submit_new(self, values: dict[str, Any]) -> PlannerError | None:
        assert self.node is not None
        node_id, db = self.node.id, self.ctx.db
        command = AddCommand(self.ctx, f"افزودن شاخص {quoted(str(values.get('title', '')))}", "indicator",
                             lambda: indicators.add_indicator(db, node_id, **values),
                             lambda ind_id: indicators.delete_indicator(db, ind_id),
                             lambda info: indicators.restore_indicator(db, info), self._show_error)
        failure = execute(self.ctx, command, show=self._show_error)
        if failure is None:
            self.message.clear_message()
            row = self.model.row_of(command.added.id)
            if row >= 0:
                select_row(self.table, row)
        return failure

    def submit_edit(self, indicator: IndicatorInfo, values: dict[str, Any]) -> PlannerError | None:
        db, ind_id, before = self.ctx.db, indicator.id, indicator.values()
        command = ServiceCommand(
            self.ctx, f"ویرایش شاخص {quoted(indicator.title)}", "indicator",
            lambda: indicators.update_indicator(db, ind_id, **values).id,
            lambda: indicators.update_indicator(db, ind_id, **before).id, self._show_error)
        failure = execute(self.ctx, command, show=self._show_error)
        if failure is None:
            self.message.clear_message()
        return failure

    def delete_indicator(self) -> PlannerError | None:
        ind = self.selected()
        if ind is None:
            return None
        db, saved = self.ctx.db, [ind]

        def apply() -> int:
            saved[0] = indicators.delete_indicator(db, ind.id)
            return ind.id

        def revert() -> int:
            return indicators.restore_indicator(db, saved[0]).id

        command = ServiceCommand(self.ctx, f"حذف شاخص {quoted(ind.title)}", "indicator", apply, revert,
                                 self._show_error)
        failure = execute(self.ctx, command, show=self._show_error)
        if failure is None:
            self.message.show_note(f"شاخص «{ind.title}» حذف شد؛ با واگردانی ({undo_keys()}) برمی‌گردد.")
        return failure

    # notes on actuals ----------------------------------------------------------------------
    def _grid_menu(self, pos: QPoint) -> None:
        index = self.grid.indexAt(pos)
        if not index.isValid() or index.row() not in ROW_PERIODS or not index.data(Qt.ItemDataRole.EditRole):
            return
        if self.read_only is not None and self.read_only.monitoring is not None:
            self.message.show_note(self.read_only.monitoring)
            return
        menu = QMenu(self)
        action = menu.addAction("یادداشت مقدار واقعی…")
        if menu.exec(self.grid.viewport().mapToGlobal(pos)) is action:
            self.edit_note(index)

    def edit_note(self, index: Index, note: str | None = None) -> PlannerError | None:
        """Ask for (or, in tests, take) the note of an actual cell and save it as an undo step."""
        if note is None:
            text, ok = QInputDialog.getMultiLineText(self, "یادداشت مقدار واقعی", "یادداشت:",
                                                     str(index.data(NOTE_ROLE) or ""))
            if not ok:
                return None
            note = text
        return self.targets.set_note(index, note)


def make_indicators_tab(ctx: AppContext, parent: QWidget | None = None) -> QWidget:
    return IndicatorsTab(ctx, parent)
