"""«جمع‌بندی», «ماتریس بودجه-برنامه» and «یافته‌ها»: read-only views of one fiscal year."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from planner_core.budget_rollups import budget_matrix
from planner_core.checks import Finding, budget_check
from planner_core.errors import PlannerError
from planner_core.excel import write_matrix
from planner_core.text import MONEY_UNIT, format_money, ltr, to_persian_digits
from planner_gui.budget.data import Rollup, rollup_lines
from planner_gui.budget.models import FindingsModel, MatrixModel, RollupTreeModel, UnitModel
from planner_gui.common import make_table, make_tree, push_button, request_node, vertical_split
from planner_gui.context import AppContext
from planner_gui.widgets import FieldError

NO_PLAN = "برنامه‌ای از این شهرداری باز نیست؛ ابتدا یکی از برنامه‌های راهبردی آن را باز کنید."


class _YearView(QWidget):
    message = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan_id: int | None = None
        self.year: int | None = None
        self.error = FieldError(self)

    def _jump(self, index: QModelIndex) -> None:
        request_node(self.ctx, index)


class RollupTab(_YearView):
    tab_title = "جمع‌بندی"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.rollup: Rollup | None = None
        self.model = RollupTreeModel(self)
        self.unit_model = UnitModel(self)
        self.tree = make_tree(self.model, "rollupTree", RollupTreeModel.COL_TITLE)
        self.tree.doubleClicked.connect(self._jump)
        self.unit_view = make_table(self.unit_model, stretch=UnitModel.COL_UNIT, name="unitTable")
        self.total_label = QLabel()
        self.total_label.setObjectName("rollupTotal")
        units = QWidget()
        units_layout = QVBoxLayout(units)
        units_layout.setContentsMargins(0, 0, 0, 0)
        units_layout.addWidget(QLabel("به تفکیک واحد مسئول"))
        units_layout.addWidget(self.unit_view)
        splitter = vertical_split(self.tree, units, (3, 2))
        layout = QVBoxLayout(self)
        layout.addWidget(self.total_label)
        layout.addWidget(splitter)
        layout.addWidget(self.error)

    def refresh(self, plan_id: int | None, year: int | None) -> None:
        self.plan_id, self.year = plan_id, year
        self.error.clear_error()
        if plan_id is None or year is None:
            self.model.set_lines([])
            self.unit_model.set_rows([])
            self.total_label.setText(NO_PLAN if plan_id is None else "")
            return
        try:
            self.rollup = rollup_lines(self.ctx.db, plan_id, year)
        except PlannerError as exc:
            self.error.show_error(str(exc))
            return
        self.model.set_lines(self.rollup.nodes)
        self.unit_model.set_rows(self.rollup.units)
        self.tree.expandToDepth(1)
        self.total_label.setText(
            f"سال {to_persian_digits(year)}: جمع برنامه‌ریزی‌شده {format_money(self.rollup.planned)}، "
            f"هزینه‌شده {format_money(self.rollup.spent)} ({MONEY_UNIT}).  سهم هر محور از بودجه سال در ستون آخر.")


class MatrixTab(_YearView):
    tab_title = "ماتریس بودجه-برنامه"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = MatrixModel(self)
        self.view = make_table(self.model, name="matrixTable")
        self.view.setSelectionBehavior(self.view.SelectionBehavior.SelectItems)
        self.view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.export_button = push_button("خروجی اکسل…", self.choose_export_file, "exportMatrix")
        self.caption = QLabel()
        self.caption.setObjectName("matrixCaption")
        top = QHBoxLayout()
        top.addWidget(self.caption, 1)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view)
        layout.addWidget(self.error)

    def refresh(self, plan_id: int | None, year: int | None) -> None:
        self.plan_id, self.year = plan_id, year
        self.error.clear_error()
        if plan_id is None or year is None:
            self.model.set_matrix(None)
            self.caption.setText(NO_PLAN if plan_id is None else "")
            self.export_button.setEnabled(False)
            return
        try:
            matrix = budget_matrix(self.ctx.db, plan_id, year)
        except PlannerError as exc:
            self.error.show_error(str(exc))
            return
        self.model.set_matrix(matrix)
        self.export_button.setEnabled(bool(matrix.codes))
        self.caption.setText(
            f"کدهای بودجه × برنامه‌های عملیاتی، سال {to_persian_digits(year)} ({MONEY_UNIT}): "
            f"{to_persian_digits(len(matrix.codes))} کد، {to_persian_digits(len(matrix.programs))} برنامه"
            if matrix.codes else f"در سال {to_persian_digits(year)} تخصیصی ثبت نشده است.")

    def choose_export_file(self) -> None:
        default = f"ماتریس-بودجه-{self.year or ''}.xlsx"
        path, _filter = QFileDialog.getSaveFileName(self, "خروجی اکسل ماتریس بودجه-برنامه", default,
                                                    "پرونده اکسل (*.xlsx)")
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> bool:
        if self.model.matrix is None:
            return False
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        try:
            write_matrix(self.model.matrix, path)
        except PlannerError as exc:
            self.error.show_error(str(exc))
            return False
        except OSError:
            self.error.show_error(f"پرونده «{ltr(path)}» نوشته نشد؛ دسترسی به پوشه و باز نبودن فایل را بررسی کنید.")
            return False
        self.message.emit(f"ماتریس بودجه-برنامه در «{ltr(path)}» ذخیره شد.")
        return True


class FindingsTab(_YearView):
    tab_title = "یافته‌ها"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = FindingsModel(self)
        self.view = make_table(self.model, stretch=FindingsModel.COL_MESSAGE, name="findingsTable")
        self.view.setWordWrap(True)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.doubleClicked.connect(self._jump)
        self.summary = QLabel()
        self.summary.setObjectName("findingsSummary")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view)
        layout.addWidget(self.error)

    def refresh(self, plan_id: int | None, year: int | None) -> None:
        self.plan_id, self.year = plan_id, year
        self.error.clear_error()
        if year is None or plan_id is None:
            self.model.set_rows([])
            self.summary.setText(NO_PLAN if plan_id is None else "")
            return
        try:
            findings = budget_check(self.ctx.db, plan_id, year)
        except PlannerError as exc:
            self.error.show_error(str(exc))
            return
        findings.sort(key=lambda f: (f.severity != "error", f.message))
        self.model.set_rows(findings)
        errors = sum(1 for f in findings if f.severity == "error")
        self.summary.setText(
            f"بررسی سازگاری بودجه سال {to_persian_digits(year)}: {to_persian_digits(errors)} خطا و "
            f"{to_persian_digits(len(findings) - errors)} هشدار.  برای رفتن به مورد در درخت برنامه دوبار کلیک کنید."
            if findings else f"بودجه سال {to_persian_digits(year)} هیچ ناسازگاری ندارد.")

    def findings(self) -> list[Finding]:
        return list(self.model.rows)
