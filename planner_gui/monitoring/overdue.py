"""The dashboard's compact list of units overdue with quarterly progress reports, and since when.

One row per responsible unit (how many reports, for how many projects, the oldest missed due
date); activating a row opens the reporting-discipline window on that unit's overdue reports,
and «فهرست کامل…» opens it on the whole list.  The dates are reckoned as of today, whatever
period the dashboard shows, because a report is overdue now or not at all.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from planner_core.errors import PlannerError
from planner_core.jalali import format_jalali
from planner_core.lifecycle import discipline
from planner_core.text import to_persian_digits as fa
from planner_gui.common import make_table
from planner_gui.context import AppContext
from planner_gui.lifecycle.reporting import ReportingWindow, RowsModel

VISIBLE_ROWS = 3  # compact: a few units show, the rest scroll


class OverduePanel(QGroupBox):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("گزارش‌های فصلی معوق (تا امروز)", parent)
        self.ctx = ctx
        self.setObjectName("overduePanel")
        self.report_window: ReportingWindow | None = None
        self.model = RowsModel([("واحد مسئول", lambda u: u.unit or "بدون واحد مسئول"),
                                ("گزارش معوق", lambda u: u.reports), ("پروژه", lambda u: u.projects),
                                ("معوق از", lambda u: format_jalali(u.since)), ("روز", lambda u: u.days)],
                               key=lambda u: u.unit, parent=self)
        self.view: QTableView = make_table(self.model, stretch=0)
        self.view.setObjectName("overdueUnits")
        self.view.setToolTip("برای دیدن گزارش‌های معوق یک واحد، روی آن دوبار کلیک کنید یا Enter بزنید.")
        self.view.activated.connect(self.open_unit)
        self.view.doubleClicked.connect(self.open_unit)
        self.summary = QLabel()
        self.summary.setObjectName("overdueSummary")
        self.full = QPushButton("فهرست کامل…")
        self.full.setObjectName("overdueFullList")
        self.full.clicked.connect(lambda: self.open_report())
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.full)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.view)

    def refresh(self, plan_id: int | None) -> None:
        units: list[discipline.OverdueUnit] = []
        text = "برنامه‌ای باز نیست."
        if plan_id:
            try:
                rows = discipline.overdue_reports(self.ctx.db, plan_id)
            except PlannerError as exc:
                text = str(exc)
            else:
                units = discipline.overdue_by_unit(rows)
                text = (f"{fa(len(rows))} گزارش فصلی معوق از {fa(len(units))} واحد مسئول"
                        if rows else "هیچ واحدی گزارش فصلی معوق ندارد.")
        self.summary.setText(text)
        self.model.set_rows(units)
        self.view.setVisible(bool(units))
        self.full.setEnabled(bool(plan_id))
        rows_shown = min(max(len(units), 1), VISIBLE_ROWS)
        height = self.view.horizontalHeader().sizeHint().height()
        height += rows_shown * self.view.verticalHeader().defaultSectionSize() + 2 * self.view.frameWidth()
        self.view.setFixedHeight(height)

    def open_unit(self, index: QModelIndex) -> ReportingWindow | None:
        """The reporting window showing this row's unit's overdue reports."""
        if not index.isValid():
            return None
        return self.open_report(self.model.rows[index.row()].unit)

    def open_report(self, unit: str | None = None) -> ReportingWindow | None:
        if not self.ctx.plan_id:
            return None
        if self.report_window is None:
            self.report_window = ReportingWindow(self.ctx, self.window())
            self.report_window.destroyed.connect(lambda _o=None: setattr(self, "report_window", None))
        else:
            self.report_window.refresh()
        self.report_window.show_overdue(unit)
        self.report_window.show()
        self.report_window.raise_()
        return self.report_window
