"""«پایش» tab: quarterly progress reports of a project or activity, and lessons learned on any node.

Each report is shown beside the progress expected by the end of its quarter (linear over
the program's years) and its status colour; a lagging report says whether a corrective
action was recorded.  The judgement itself is ``monitoring.report_progress``'s.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from planner_core import monitoring, spans
from planner_core.errors import PlannerError
from planner_core.jalali import format_jalali
from planner_core.monitoring import LessonInfo, ProgressReportInfo, ReportProgress
from planner_core.progress import STATUS_LABELS, Status
from planner_core.text import MONEY_UNIT, format_money, format_percent, to_persian_digits
from planner_gui.commands import AddCommand, ServiceCommand, execute
from planner_gui.common import (
    FormDialog,
    Submit,
    button_row,
    make_table,
    push_button,
    select_row,
    selected_id,
    status_cell,
    vertical_split,
)
from planner_gui.context import AppContext
from planner_gui.row_models import RowTableModel
from planner_gui.tabs.base import NodeTab
from planner_gui.widgets import ERROR_COLOR, JalaliDateEdit, MoneyEdit, NumberEdit

Index = QModelIndex | QPersistentModelIndex

(COL_YEAR, COL_QUARTER, COL_PHYSICAL, COL_EXPECTED, COL_STATUS, COL_CORRECTIVE, COL_SPENT, COL_NARRATIVE,
 COL_DATE) = range(9)
HEADERS = ("سال", "فصل", "پیشرفت فیزیکی", "پیشرفت مورد انتظار", "وضعیت", "اقدام اصلاحی",
           f"هزینه‌شده ({MONEY_UNIT})", "شرح پیشرفت", "تاریخ گزارش")
QUARTERS = ("فصل ۱ (بهار)", "فصل ۲ (تابستان)", "فصل ۳ (پاییز)", "فصل ۴ (زمستان)")


def _first_line(text: str, limit: int = 60) -> str:
    line = text.strip().split("\n", 1)[0]
    return line if len(line) <= limit else line[:limit].rstrip() + "…"


class ReportsModel(RowTableModel[ReportProgress]):
    HEADERS = HEADERS
    CENTERED = frozenset({COL_YEAR, COL_QUARTER, COL_PHYSICAL, COL_EXPECTED, COL_STATUS})

    def row_of(self, year: int, quarter: int) -> int:
        return next((i for i, r in enumerate(self.rows)
                     if r.report.year == year and r.report.quarter == quarter), -1)

    def display(self, row: ReportProgress, col: int) -> str | None:
        report = row.report
        corrective = "ثبت شده" if row.has_corrective_action else ("ندارد!" if row.lagging else "—")
        return {
            COL_YEAR: to_persian_digits(report.year),
            COL_QUARTER: to_persian_digits(report.quarter),
            COL_PHYSICAL: format_percent(report.physical_progress, 1),
            COL_EXPECTED: format_percent(row.expected, 1),
            COL_STATUS: ("▼ " if row.lagging else "") + STATUS_LABELS[Status(row.status)],
            COL_CORRECTIVE: corrective,
            COL_SPENT: format_money(report.spent),
            COL_NARRATIVE: _first_line(report.narrative),
            COL_DATE: format_jalali(report.reported_on),
        }.get(col)

    def row_id(self, row: ReportProgress) -> int:
        return row.report.id

    def sort_value(self, row: ReportProgress, col: int) -> Any:
        report = row.report
        return {COL_YEAR: report.year * 10 + report.quarter, COL_QUARTER: report.quarter,
                COL_PHYSICAL: report.physical_progress, COL_EXPECTED: row.expected,
                COL_SPENT: report.spent}.get(col, self.display(row, col))

    def tooltip(self, row: ReportProgress, col: int) -> str | None:
        report = row.report
        if col == COL_STATUS:
            ratio = format_percent(row.ratio, 0) if row.ratio is not None else "—"
            return f"پیشرفت فیزیکی {ratio} پیشرفت مورد انتظار این فصل است."
        if col == COL_CORRECTIVE and report.corrective_action:
            return report.corrective_action
        if col == COL_NARRATIVE and report.narrative:
            return report.narrative
        return None

    def cell(self, row: ReportProgress, col: int, role: int) -> Any:
        if col == COL_STATUS and role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            return status_cell(row.status, role)
        return super().cell(row, col, role)

    def foreground(self, row: ReportProgress, col: int) -> QColor | None:
        if col == COL_CORRECTIVE and row.lagging and not row.has_corrective_action:
            return QColor(ERROR_COLOR)
        return None

    def alignment(self, column: int) -> int | None:
        return int(Qt.AlignmentFlag.AlignCenter) if column in self.CENTERED else None


class LessonsModel(RowTableModel[LessonInfo]):
    HEADERS = ("درس آموخته", "تاریخ ثبت")

    def display(self, lesson: LessonInfo, col: int) -> str:
        return lesson.title if col == 0 else format_jalali(lesson.recorded_on)

    def tooltip(self, lesson: LessonInfo, col: int) -> str | None:
        return lesson.body or None

    def row_id(self, lesson: LessonInfo) -> int:
        return lesson.id

    def sort_value(self, lesson: LessonInfo, col: int) -> Any:
        return lesson.title if col == 0 else (lesson.recorded_on or date.min).isoformat()

    def alignment(self, column: int) -> int | None:
        return None


class ReportDialog(FormDialog):
    def __init__(self, years: list[int], submit: Submit, report: ProgressReportInfo | None = None,
                 parent: QWidget | None = None, taken: frozenset[tuple[int, int]] = frozenset()) -> None:
        """``taken``: the (year, quarter) pairs that already have a report; a new report starts
        on the first quarter of ``years`` without one."""
        super().__init__("ویرایش گزارش پیشرفت" if report else "ثبت گزارش پیشرفت فصلی", submit, parent)
        self.setObjectName("reportDialog")
        self.year = QComboBox()
        for year in years:
            self.year.addItem(to_persian_digits(year), year)
        self.quarter = QComboBox()
        for number, label in enumerate(QUARTERS, start=1):
            self.quarter.addItem(label, number)
        self.physical = NumberEdit(decimals=1)
        self.physical.setPlaceholderText("درصد، ۰ تا ۱۰۰")
        self.spent = MoneyEdit()
        self.narrative = QPlainTextEdit()
        self.narrative.setTabChangesFocus(True)
        self.narrative.setFixedHeight(80)
        self.corrective = QPlainTextEdit()
        self.corrective.setTabChangesFocus(True)
        self.corrective.setFixedHeight(60)
        self.reported_on = JalaliDateEdit(optional=True)
        self.form.add_row("&سال", self.year, "year")
        self.form.add_row("&فصل", self.quarter, "quarter")
        self.form.add_row("پیشرفت &فیزیکی (٪)", self.physical, "physical_progress")
        self.form.add_row("&هزینه‌شده", self.spent, "spent")
        self.form.add_row("&شرح پیشرفت", self.narrative, "narrative")
        self.form.add_row("&اقدام اصلاحی", self.corrective, "corrective_action")
        self.form.add_row("&تاریخ گزارش", self.reported_on, "date")
        self.finish_layout()
        if report is not None:
            if self.year.findData(report.year) < 0:
                self.year.addItem(to_persian_digits(report.year), report.year)
            self.year.setCurrentIndex(self.year.findData(report.year))
            self.quarter.setCurrentIndex(report.quarter - 1)
            # A report is one quarter's: editing keeps its quarter (record another for another quarter).
            self.year.setEnabled(False)
            self.quarter.setEnabled(False)
            self.physical.setValue(report.physical_progress)
            self.spent.setRials(report.spent)
            self.narrative.setPlainText(report.narrative)
            self.corrective.setPlainText(report.corrective_action)
            self.reported_on.set_date_value(report.reported_on)
        else:
            free = next(((year, quarter) for year in years for quarter in range(1, 5)
                         if (year, quarter) not in taken), None)
            if free is not None:
                self.year.setCurrentIndex(self.year.findData(free[0]))
                self.quarter.setCurrentIndex(free[1] - 1)

    def values(self) -> dict[str, Any]:
        return {"year": self.year.currentData(), "quarter": self.quarter.currentData(),
                "physical_progress": self.physical.text(),
                "spent": self.spent.text() if not self.spent.is_empty() else 0,
                "narrative": self.narrative.toPlainText(), "corrective_action": self.corrective.toPlainText(),
                "reported_on": self.reported_on.date_value()}


class LessonDialog(FormDialog):
    def __init__(self, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__("ثبت درس آموخته", submit, parent)
        self.setObjectName("lessonDialog")
        self.title_edit = QLineEdit()
        self.body = QPlainTextEdit()
        self.body.setTabChangesFocus(True)
        self.form.add_row("&عنوان", self.title_edit, "title")
        self.form.add_row("&شرح", self.body, "description")
        self.finish_layout()

    def values(self) -> dict[str, Any]:
        return {"title": self.title_edit.text(), "body": self.body.toPlainText()}


class MonitoringTab(NodeTab):
    """Lessons on any node; reports only on projects and activities."""

    tab_title = "پایش"
    RELOAD_ON = frozenset({"report", "lesson", "node", "plan"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "monitoringTab", parent)
        self.reports = ReportsModel(self)
        self.report_table = make_table(self.reports, stretch=COL_NARRATIVE)
        self.report_table.setObjectName("reportTable")
        self.report_table.doubleClicked.connect(lambda _index: self.edit_report())
        self.add_report_button = push_button("ثبت گزارش فصلی…", self.add_report)
        self.edit_report_button = push_button("ویرایش…", self.edit_report)
        self.delete_report_button = push_button("حذف", self.delete_report)
        self.report_box = QGroupBox("گزارش‌های پیشرفت فصلی")
        box = QVBoxLayout(self.report_box)
        box.addLayout(button_row(self.add_report_button, self.edit_report_button, self.delete_report_button))
        box.addWidget(self.report_table)

        self.lessons = LessonsModel(self)
        self.lesson_table = make_table(self.lessons, stretch=0)
        self.lesson_table.setObjectName("lessonTable")
        self.add_lesson_button = push_button("ثبت درس آموخته…", self.add_lesson)
        self.delete_lesson_button = push_button("حذف", self.delete_lesson)
        lesson_box = QGroupBox("درس‌های آموخته")
        box = QVBoxLayout(lesson_box)
        box.addLayout(button_row(self.add_lesson_button, self.delete_lesson_button))
        box.addWidget(self.lesson_table)

        splitter = vertical_split(self.report_box, lesson_box)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        layout.addWidget(self.message)
        for table in (self.report_table, self.lesson_table):
            table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()

    @property
    def has_reports(self) -> bool:
        return self.node is not None and self.node.kind in ("project", "activity")

    def reload(self) -> None:
        try:
            reports = monitoring.report_progress(self.ctx.db, self.node.id) if self.has_reports else []
            lessons = monitoring.list_lessons(self.ctx.db, self.node.plan_id, self.node.id) if self.node else []
        except PlannerError as exc:
            reports, lessons = [], []
            self.message.show_error(exc)
        self.reports.set_rows(reports)
        self.lessons.set_rows(lessons)
        self.report_box.setVisible(self.has_reports)
        self._update_buttons()

    def selected_report(self) -> ProgressReportInfo | None:
        report_id = selected_id(self.report_table)
        return next((r.report for r in self.reports.rows if r.report.id == report_id), None)

    def _update_buttons(self) -> None:
        self.add_report_button.setEnabled(self.has_reports)
        self.edit_report_button.setEnabled(selected_id(self.report_table) is not None)
        self.delete_report_button.setEnabled(selected_id(self.report_table) is not None)
        self.add_lesson_button.setEnabled(self.node is not None)
        self.delete_lesson_button.setEnabled(selected_id(self.lesson_table) is not None)
        self.enforce_read_only()

    def monitor_controls(self) -> list[QWidget]:
        return [self.add_report_button, self.edit_report_button, self.delete_report_button,
                self.add_lesson_button, self.delete_lesson_button]

    # reports -------------------------------------------------------------------------------
    def open_report_dialog(self, report: ProgressReportInfo | None = None) -> ReportDialog:
        assert self.node is not None
        first, last = spans.program_span(self.ctx.db, self.node.id)
        taken = frozenset((row.report.year, row.report.quarter) for row in self.reports.rows)
        # A new report never overwrites the quarter's report (the service refuses, beside «فصل»).
        replace = report is not None
        return ReportDialog(list(range(first, last + 1)), lambda values: self.submit_report(values, replace=replace),
                            report, self, taken)

    def add_report(self) -> None:
        if self.has_reports:
            self.open_report_dialog().exec()

    def edit_report(self) -> None:
        report = self.selected_report()
        if report is not None:
            self.open_report_dialog(report).exec()

    Change = tuple[ProgressReportInfo | None, ProgressReportInfo | None]  # (before, after)

    def _report_command(self, text: str, first: Callable[[], Change]) -> ServiceCommand:
        """``first`` changes the store once (save or delete) and says what the quarter held before
        and after; undo and redo then put back exactly those rows (same ids and UUIDs)."""
        assert self.node is not None
        db, project_id = self.ctx.db, self.node.id
        state: dict[str, Any] = {}

        def put(report: ProgressReportInfo | None, instead_of: ProgressReportInfo | None) -> int:
            if report is not None:
                monitoring.restore_progress_report(db, report)  # replaces that quarter's row
            elif instead_of is not None:
                monitoring.delete_progress_report(db, instead_of.id)
            return project_id

        def apply() -> int:
            if "after" in state:
                return put(state["after"], state["before"])
            state["before"], state["after"] = first()
            return project_id

        def revert() -> int:
            return put(state["before"], state["after"])

        return ServiceCommand(self.ctx, text, "report", apply, revert, self._show_error)

    def submit_report(self, values: dict[str, Any], replace: bool = False) -> PlannerError | None:
        """Record a new report (``replace=False``: refused when the quarter has one) or save an edited one."""
        assert self.node is not None
        db, project_id = self.ctx.db, self.node.id
        title = f"گزارش فصل {to_persian_digits(values['quarter'])} سال {to_persian_digits(values['year'])}"

        def save() -> MonitoringTab.Change:
            saved, previous = monitoring.save_progress_report(db, project_id, **values, replace=replace)
            return previous, saved

        failure = execute(self.ctx, self._report_command(title, save), show=self._show_error)
        if failure is None:
            select_row(self.report_table, self.reports.row_of(values["year"], values["quarter"]))
        return failure

    def delete_report(self) -> PlannerError | None:
        report = self.selected_report()
        if report is None or self.node is None:
            return None
        db, project_id, key = self.ctx.db, self.node.id, (report.year, report.quarter)

        def remove() -> MonitoringTab.Change:
            current = next(r for r in monitoring.list_progress_reports(db, project_id) if (r.year, r.quarter) == key)
            return monitoring.delete_progress_report(db, current.id), None

        title = f"حذف گزارش فصل {to_persian_digits(report.quarter)} سال {to_persian_digits(report.year)}"
        return execute(self.ctx, self._report_command(title, remove), show=self._show_error)

    # lessons -------------------------------------------------------------------------------
    def open_lesson_dialog(self) -> LessonDialog:
        return LessonDialog(self.submit_lesson, self)

    def add_lesson(self) -> None:
        if self.node is not None:
            self.open_lesson_dialog().exec()

    def submit_lesson(self, values: dict[str, Any]) -> PlannerError | None:
        assert self.node is not None
        db, plan_id, node_id = self.ctx.db, self.node.plan_id, self.node.id
        command = AddCommand(self.ctx, "ثبت درس آموخته", "lesson",
                             lambda: monitoring.add_lesson(db, plan_id, node_id, **values),
                             lambda lesson_id: monitoring.delete_lesson(db, lesson_id),
                             lambda info: monitoring.restore_lesson(db, info), self._show_error)
        return execute(self.ctx, command, show=self._show_error)

    def delete_lesson(self) -> PlannerError | None:
        lesson_id = selected_id(self.lesson_table)
        if lesson_id is None:
            return None
        db, saved = self.ctx.db, {}

        def apply() -> int:
            saved["lesson"] = monitoring.delete_lesson(db, lesson_id)
            return lesson_id

        def revert() -> int:
            monitoring.restore_lesson(db, saved["lesson"])
            return lesson_id

        command = ServiceCommand(self.ctx, "حذف درس آموخته", "lesson", apply, revert, self._show_error)
        return execute(self.ctx, command, show=self._show_error)


def make_monitoring_tab(ctx: AppContext, parent: QWidget | None = None) -> QWidget:
    return MonitoringTab(ctx, parent)
