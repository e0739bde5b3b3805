"""«بودجه» tab: a project's allocations by year and budget code; for a program, its projects' sums.

Amounts are typed and shown in million rials; the store keeps whole rials.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from planner_core import budget, spans
from planner_core.budget import AllocationInfo, BudgetCodeInfo, ProgramAllocationRow
from planner_core.errors import PlannerError
from planner_core.text import MONEY_UNIT, format_int, format_money, to_persian_digits
from planner_gui.commands import AddCommand, ServiceCommand, execute
from planner_gui.common import FormDialog, Submit, button_row, make_table, push_button, select_row, selected_id
from planner_gui.context import AppContext
from planner_gui.row_models import RowTableModel, bold_font
from planner_gui.tabs.base import NodeTab
from planner_gui.tabs.budget_codes import BudgetCodeCombo
from planner_gui.widgets import MoneyEdit

Index = QModelIndex | QPersistentModelIndex

COL_YEAR, COL_CODE, COL_TITLE, COL_AMOUNT, COL_SPENT, COL_REMAINING = range(6)
HEADERS = ("سال", "کد بودجه", "عنوان کد بودجه", f"مبلغ مصوب ({MONEY_UNIT})", f"هزینه‌شده ({MONEY_UNIT})",
           f"مانده ({MONEY_UNIT})")


@dataclass(frozen=True)
class Line:
    """One row of the table: an allocation (or a program's sum for a code), or a year's total."""

    year: int
    code: str
    title: str
    amount: int
    spent: int
    allocation_id: int | None = None
    is_total: bool = False
    note: str = ""


def with_totals(lines: list[Line]) -> list[Line]:
    """The lines in year order, each year followed by its total row."""
    out: list[Line] = []
    for year in sorted({line.year for line in lines}):
        of_year = [line for line in lines if line.year == year]
        out.extend(of_year)
        out.append(Line(year, "", f"جمع سال {to_persian_digits(year)}", sum(x.amount for x in of_year),
                        sum(x.spent for x in of_year), is_total=True))
    return out


def project_lines(rows: list[AllocationInfo]) -> list[Line]:
    return with_totals([Line(r.year, r.budget_code, r.budget_title, r.amount, r.spent, r.id) for r in rows])


def program_lines(rows: list[ProgramAllocationRow]) -> list[Line]:
    return with_totals([Line(r.year, r.budget_code, r.budget_title, r.amount, r.spent,
                             note=f"از {format_int(r.project_count)} پروژه/فعالیت") for r in rows])


class AllocationsModel(RowTableModel[Line]):
    HEADERS = HEADERS
    NUMBER_COLUMNS = frozenset({COL_AMOUNT, COL_SPENT, COL_REMAINING})

    def row_of(self, allocation_id: int) -> int:
        return next((i for i, x in enumerate(self.rows) if x.allocation_id == allocation_id), -1)

    def display(self, line: Line, col: int) -> str | None:
        return {
            COL_YEAR: "" if line.is_total else to_persian_digits(line.year),
            COL_CODE: to_persian_digits(line.code),
            COL_TITLE: line.title,
            COL_AMOUNT: format_money(line.amount),
            COL_SPENT: format_money(line.spent),
            COL_REMAINING: format_money(line.amount - line.spent),
        }.get(col)

    def sort_value(self, line: Line, col: int) -> Any:
        return {COL_YEAR: line.year, COL_AMOUNT: line.amount, COL_SPENT: line.spent,
                COL_REMAINING: line.amount - line.spent}.get(col, self.display(line, col))

    def row_id(self, line: Line) -> int | None:
        return line.allocation_id

    def font(self, line: Line, col: int) -> QFont | None:
        return bold_font() if line.is_total else None

    def tooltip(self, line: Line, col: int) -> str | None:
        return line.note or None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.rows[index.row()].is_total:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class AllocationDialog(FormDialog):
    """Year, budget code (searchable), amount and spent in million rials; errors beside fields."""

    def __init__(self, years: list[int], codes: list[BudgetCodeInfo], submit: Submit,
                 allocation: AllocationInfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__("ویرایش تخصیص" if allocation else "تخصیص تازه", submit, parent, min_width=520)
        self.setObjectName("allocationDialog")
        self.year = QComboBox()
        for year in years:
            self.year.addItem(to_persian_digits(year), year)
        self.code = BudgetCodeCombo(codes)
        self.amount = MoneyEdit()
        self.spent = MoneyEdit()
        self.form.add_row("&سال", self.year, "year")
        self.form.add_row("&کد بودجه", self.code, "budget_code")
        self.form.add_row("&مبلغ مصوب", self.amount, "amount")
        self.form.add_row("&هزینه‌شده", self.spent, "spent")
        self.finish_layout()
        if allocation is not None:
            if self.year.findData(allocation.year) < 0:
                self.year.addItem(to_persian_digits(allocation.year), allocation.year)
            self.year.setCurrentIndex(self.year.findData(allocation.year))
            self.code.set_code(allocation.budget_code)
            self.amount.setRials(allocation.amount)
            self.spent.setRials(allocation.spent)

    def values(self) -> dict[str, Any]:
        return {"year": self.year.currentData(), "budget_code": self.code.code(),
                "amount": self.amount.text(), "spent": self.spent.text() if not self.spent.is_empty() else 0}


class BudgetTab(NodeTab):
    tab_title = "بودجه"
    RELOAD_ON = frozenset({"allocation", "node", "plan", "budget"})
    CLEAR_MESSAGE_ON_CHANGE = False

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "budgetTab", parent)
        self.model = AllocationsModel(self)
        self.table = make_table(self.model, stretch=COL_TITLE)
        self.table.setObjectName("allocationTable")
        self.table.doubleClicked.connect(lambda _index: self.edit_allocation())
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.add_button = push_button("افزودن تخصیص…", self.add_allocation)
        self.edit_button = push_button("ویرایش…", self.edit_allocation)
        self.delete_button = push_button("حذف", self.delete_allocation)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addLayout(button_row(self.add_button, self.edit_button, self.delete_button))
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()

    def applies_to(self, kind: str) -> bool:
        return kind in ("program", "project", "activity")

    @property
    def editable(self) -> bool:
        return self.node is not None and self.node.kind in ("project", "activity")

    def reload(self) -> None:
        keep = self.selected_id()
        lines: list[Line] = []
        try:
            if self.node is not None and self.editable:
                lines = project_lines(budget.list_allocations(self.ctx.db, self.node.id))
            elif self.node is not None and self.node.kind == "program":
                lines = program_lines(budget.program_allocations(self.ctx.db, self.node.id))
        except PlannerError as exc:
            self.message.show_error(exc)
        self.model.set_rows(lines)
        if self.node is not None and self.node.kind == "program":
            self.caption.setText("جمع تخصیص پروژه‌ها و فعالیت‌های این برنامه به تفکیک سال و کد بودجه "
                                 "(فقط‌خواندنی؛ تخصیص را در زبانه بودجه هر پروژه وارد کنید).")
        else:
            self.caption.setText(f"تخصیص اعتبار به تفکیک سال و کد بودجه؛ مبالغ به {MONEY_UNIT}.")
        for button in (self.add_button, self.edit_button, self.delete_button):
            button.setVisible(self.editable)
        if keep is not None and self.model.row_of(keep) >= 0:
            select_row(self.table, self.model.row_of(keep))
        self._update_buttons()

    def selected_id(self) -> int | None:
        return selected_id(self.table)

    def selected(self) -> AllocationInfo | None:
        alloc_id = self.selected_id()
        if alloc_id is None or self.node is None:
            return None
        return next((a for a in budget.list_allocations(self.ctx.db, self.node.id) if a.id == alloc_id), None)

    def _update_buttons(self) -> None:
        has_row = self.selected_id() is not None
        self.add_button.setEnabled(self.editable)
        self.edit_button.setEnabled(self.editable and has_row)
        self.delete_button.setEnabled(self.editable and has_row)
        self.enforce_read_only()

    def edit_controls(self) -> list[QWidget]:
        return [self.add_button, self.edit_button, self.delete_button]

    # editing -------------------------------------------------------------------------------
    def open_dialog(self, allocation: AllocationInfo | None = None) -> AllocationDialog:
        """Build (not run) the allocation dialog, so tests can fill and accept it."""
        assert self.node is not None
        first, last = spans.program_span(self.ctx.db, self.node.id)
        codes = budget.allocatable_budget_codes(self.ctx.db)  # parent codes are refused: not offered
        if allocation is not None and all(c.code != allocation.budget_code for c in codes):
            codes += [c for c in budget.list_budget_codes(self.ctx.db) if c.code == allocation.budget_code]
        submit = self.submit_new if allocation is None else (lambda v: self.submit_edit(allocation, v))
        return AllocationDialog(list(range(first, last + 1)), codes, submit, allocation, self)

    def add_allocation(self) -> None:
        if self.editable and self.read_only is None:
            self.open_dialog().exec()

    def edit_allocation(self) -> None:
        allocation = self.selected()
        if allocation is not None and self.read_only is None:  # double-click on a read-only plan opens nothing
            self.open_dialog(allocation).exec()

    def submit_new(self, values: dict[str, Any]) -> PlannerError | None:
        assert self.node is not None
        db, project_id = self.ctx.db, self.node.id
        command = AddCommand(self.ctx, "افزودن تخصیص", "allocation",
                             lambda: budget.add_allocation(db, project_id, **values),
                             lambda allocation_id: budget.delete_allocation(db, allocation_id),
                             lambda info: budget.restore_allocation(db, info), self._show_error)
        failure = execute(self.ctx, command, show=self._show_error)
        if failure is None:
            select_row(self.table, self.model.row_of(command.added.id))
        return failure

    def submit_edit(self, allocation: AllocationInfo, values: dict[str, Any]) -> PlannerError | None:
        db, alloc_id = self.ctx.db, allocation.id
        before = {"year": allocation.year, "budget_code": allocation.budget_code, "amount": allocation.amount,
                  "spent": allocation.spent}
        command = ServiceCommand(
            self.ctx, "ویرایش تخصیص", "allocation",
            lambda: budget.update_allocation(db, alloc_id, **values).id,
            lambda: budget.update_allocation(db, alloc_id, **before).id, self._show_error)
        return execute(self.ctx, command, show=self._show_error)

    def delete_allocation(self) -> PlannerError | None:
        allocation = self.selected()
        if allocation is None:
            return None
        db, saved = self.ctx.db, [allocation]

        def apply() -> int:
            saved[0] = budget.delete_allocation(db, allocation.id)
            return allocation.id

        def revert() -> int:
            budget.restore_allocation(db, saved[0])
            return allocation.id

        command = ServiceCommand(self.ctx, "حذف تخصیص", "allocation", apply, revert, self._show_error)
        return execute(self.ctx, command, show=self._show_error)


def make_budget_tab(ctx: AppContext, parent: QWidget | None = None) -> QWidget:
    return BudgetTab(ctx, parent)
