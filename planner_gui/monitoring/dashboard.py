"""The monitoring dashboard of a plan for a fiscal year (up to a quarter).

Plan progress and status, then four charts: progress against the schedule by axis and by
responsible unit, indicators' target against actual for a chosen level, and budget planned
against spent by axis; above them the units overdue with quarterly reports (monitoring/overdue.py).
The status thresholds of the plan are edited here (an undo step).
Everything is re-read from the roll-up services shortly after ``ctx.changed``.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from planner_core import plan_years, plans
from planner_core.budget_rollups import BudgetRollup, budget_rollup
from planner_core.errors import PlannerError
from planner_core.evaluation import UnitProgress, progress_by_unit
from planner_core.levels import PLURAL_LABELS
from planner_core.progress import STATUS_LABELS, Status
from planner_core.rollups import IndicatorProgress, ProgressTree, indicator_progress, progress_tree
from planner_core.text import format_number, format_percent, to_persian_digits
from planner_gui.commands import ServiceCommand, execute
from planner_gui.common import make_table, push_button, status_badge_style
from planner_gui.context import AppContext
from planner_gui.monitoring.charts import (
    ACTUAL_COLOR,
    EXPECTED_COLOR,
    PLANNED_COLOR,
    PROGRESS_COLOR,
    SPENT_COLOR,
    BarData,
    bar_chart,
)
from planner_gui.monitoring.common import MonitoringWindow
from planner_gui.monitoring.models import AxisSummaryModel
from planner_gui.monitoring.overdue import OverduePanel
from planner_gui.read_only import edit_refusal, lock

RIALS_PER_MILLIARD = 1_000_000_000
INDICATOR_LEVELS = ("axis", "goal", "strategy", "program", "project")
CHART_HEIGHT = 330
BAR_ROW_HEIGHT = 34  # vertical room per category, so every label of a tall chart is drawn


class ThresholdsCommand(ServiceCommand):
    """Change the plan's status thresholds; undo puts the previous ones back."""

    def __init__(self, ctx: AppContext, plan_id: int, before: tuple[float, float], after: tuple[float, float]) -> None:
        db = ctx.db

        def set_to(values: tuple[float, float]) -> int:
            plans.update_plan(db, plan_id, on_track=values[0], at_risk=values[1])
            return plan_id

        super().__init__(ctx, "ویرایش آستانه‌های وضعیت برنامه", "plan",
                         lambda: set_to(after), lambda: set_to(before))


class DashboardWindow(MonitoringWindow):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "dashboardWindow", "داشبورد پایش", (1400, 900), parent)
        self.tree: ProgressTree | None = None
        self.units: list[UnitProgress] = []
        self.indicators: list[IndicatorProgress] = []
        self.budget: BudgetRollup | None = None

        self.level_combo = QComboBox()
        self.level_combo.setObjectName("indicatorLevel")
        for kind in INDICATOR_LEVELS:
            self.level_combo.addItem(f"شاخص‌های {PLURAL_LABELS[kind]}", kind)
        self.level_combo.setCurrentIndex(1)  # the outcome indicators of the macro goals
        self.level_combo.currentIndexChanged.connect(lambda _i: self._draw_indicators())

        self.on_track = self._threshold_box("onTrackSpin")
        self.at_risk = self._threshold_box("atRiskSpin")
        self.apply_thresholds = push_button(
            "اعمال آستانه‌ها", lambda: self.set_thresholds(self.on_track.value(), self.at_risk.value()),
            "applyThresholds")
        top = QHBoxLayout()
        top.addWidget(self.period)
        top.addSpacing(24)
        top.addWidget(QLabel("آستانه «در مسیر» (٪):"))
        top.addWidget(self.on_track)
        top.addWidget(QLabel("آستانه «در معرض خطر» (٪):"))
        top.addWidget(self.at_risk)
        top.addWidget(self.apply_thresholds)
        top.addSpacing(24)
        top.addWidget(QLabel("نمودار شاخص‌ها:"))
        top.addWidget(self.level_combo)
        top.addStretch(1)

        self.summary = QLabel()
        self.summary.setObjectName("planSummary")
        self.summary.setWordWrap(True)
        self.status_badge = QLabel()
        self.status_badge.setObjectName("planStatus")
        self.counts = QLabel()
        self.counts.setObjectName("statusCounts")
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.status_badge)
        summary_row.addWidget(self.summary, 1)
        summary_row.addWidget(self.counts)

        self.axis_view = self._chart_view("axisChart")
        self.unit_view = self._chart_view("unitChart")
        self.indicator_view = self._chart_view("indicatorChart")
        self.budget_view = self._chart_view("budgetChart")
        charts = QWidget()
        grid = QGridLayout(charts)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.axis_view, 0, 0)
        grid.addWidget(self.budget_view, 0, 1)
        grid.addWidget(self.unit_view, 1, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.indicator_view, 1, 1, Qt.AlignmentFlag.AlignTop)

        self.axis_model = AxisSummaryModel(self)
        self.axis_table = make_table(self.axis_model, stretch=AxisSummaryModel.COL_TITLE)
        self.axis_table.setObjectName("axisTable")
        self.axis_table.doubleClicked.connect(self.open_node)
        grid.addWidget(self.axis_table, 2, 0, 1, 2)
        # Unit and indicator charts grow with their bars, so the page scrolls instead of dropping labels.
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(charts)
        # A year without any report, actual or allocation: one sentence instead of empty axes.
        self.no_data = QLabel()
        self.no_data.setObjectName("noDataNote")
        self.no_data.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_data.setWordWrap(True)
        self.no_data.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(summary_row)
        self.overdue = OverduePanel(ctx, self)
        layout.addWidget(self.overdue)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.no_data, 1)
        layout.addWidget(self.message)

        self.refresh()

    # building ------------------------------------------------------------------------------
    @staticmethod
    def _threshold_box(name: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setObjectName(name)
        box.setRange(0, 100)
        box.setDecimals(0)
        box.setSingleStep(5)
        return box

    @staticmethod
    def _chart_view(name: str) -> QChartView:
        view = QChartView()
        view.setObjectName(name)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumSize(420, CHART_HEIGHT)
        return view

    # reading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.message.clear_message()
        year, plan_id = self.period.year(), self.ctx.plan_id
        # The thresholds are the plan's own settings: greyed, saying why, whenever the plan is read-only.
        why = edit_refusal(self.ctx.db, plan_id)
        if why is None:
            self.apply_thresholds.setEnabled(True)
        lock(self.apply_thresholds, why)
        if year is None or not plan_id:
            self.tree, self.units, self.indicators, self.budget = None, [], [], None
            self.summary.setText("برنامه‌ای باز نیست.")
        else:
            try:
                plan = plans.get_plan(self.ctx.db, plan_id)
                self.tree = progress_tree(self.ctx.db, plan_id, year, self.period.quarter())
                self.units = progress_by_unit(self.tree)
                self.indicators = indicator_progress(self.ctx.db, plan_id, year, self.period.quarter())
                self.budget = budget_rollup(self.ctx.db, plan_id, year)
            except PlannerError as exc:
                self.tree, self.units, self.indicators, self.budget = None, [], [], None
                self.message.show_error(exc)
            else:
                self.setWindowTitle(f"داشبورد پایش — {plan.title}")
                for box, value in ((self.on_track, plan.on_track), (self.at_risk, plan.at_risk)):
                    box.blockSignals(True)
                    box.setValue(value)
                    box.blockSignals(False)
        self._show_summary()
        self.overdue.refresh(plan_id)
        self._show_no_data(year, plan_id)
        axes = self.tree.children(None) if self.tree else []
        self.axis_model.set_data(axes, self.budget)
        self._fit_table()
        self._draw_axes(axes)
        self._draw_units()
        self._draw_indicators()
        self._draw_budget(axes)

    def _show_no_data(self, year: int | None, plan_id: int | None) -> None:
        """Charts for a year with data; else the sentence saying so and which years have some."""
        monitored: list[int] = []
        planned: list[int] = []
        if year is not None and plan_id:
            try:
                monitored, planned = plan_years.years_with_data(self.ctx.db, plan_id)
            except PlannerError:
                pass
        empty = self.tree is not None and year not in monitored and year not in planned
        if empty:
            years = sorted(set(monitored) | set(planned))
            text = f"برای سال {to_persian_digits(year)} داده‌ای (گزارش پیشرفت، مقدار شاخص یا تخصیص) ثبت نشده است."
            if years:
                text += " سال‌های دارای داده: " + "، ".join(to_persian_digits(y) for y in years) + "."
            self.no_data.setText(text)
        self.no_data.setVisible(empty)
        self.scroll.setVisible(not empty)

    def _show_summary(self) -> None:
        tree = self.tree
        if tree is None:
            self.status_badge.setText("")
            self.status_badge.setStyleSheet("")
            self.counts.setText("")
            return
        self.status_badge.setText(STATUS_LABELS[tree.plan_status])
        self.status_badge.setStyleSheet(status_badge_style(tree.plan_status))
        period = f"سال {to_persian_digits(tree.year)} تا پایان فصل {to_persian_digits(tree.quarter)}"
        self.summary.setText(
            f"پیشرفت برنامه: {format_percent(tree.plan_progress, 1)} از "
            f"{format_percent(tree.plan_expected, 1)} مورد انتظار ({period})")
        counts = Counter(n.status for n in tree.nodes.values() if n.kind in ("project", "activity")
                         and n.expected is not None)
        self.counts.setText("پروژه‌ها: " + "، ".join(
            f"{STATUS_LABELS[s]} {to_persian_digits(counts.get(s, 0))}"
            for s in (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.NO_DATA)))

    @property
    def plan_status(self) -> Status | None:
        return self.tree.plan_status if self.tree else None

    def _set_chart(self, view: QChartView, chart: QChart) -> None:
        old = view.chart()
        view.setChart(chart)
        if old is not None and old is not chart:
            old.deleteLater()

    @staticmethod
    def _fit_height(view: QChartView, bars: int) -> None:
        view.setFixedHeight(max(CHART_HEIGHT, BAR_ROW_HEIGHT * bars + 170))

    def _fit_table(self) -> None:
        table = self.axis_table
        rows = self.axis_model.rowCount()
        row_height = table.verticalHeader().defaultSectionSize()
        height = table.horizontalHeader().sizeHint().height() + max(rows, 1) * row_height
        table.setFixedHeight(height + 2 * table.frameWidth())

    def _draw_axes(self, axes: list) -> None:
        chart = bar_chart("پیشرفت محورها در برابر برنامه زمانی", [a.title for a in axes], [
            BarData("پیشرفت فیزیکی", [a.progress or 0.0 for a in axes], PROGRESS_COLOR),
            BarData("مورد انتظار", [a.expected or 0.0 for a in axes], EXPECTED_COLOR),
        ], "درصد", maximum=100.0)
        self._set_chart(self.axis_view, chart)

    def _draw_units(self) -> None:
        units = self.units
        chart = bar_chart("پیشرفت به تفکیک واحد مسئول", [u.unit for u in units], [
            BarData("پیشرفت فیزیکی", [u.progress or 0.0 for u in units], PROGRESS_COLOR),
            BarData("مورد انتظار", [u.expected or 0.0 for u in units], EXPECTED_COLOR),
        ], "درصد", maximum=100.0)
        self._set_chart(self.unit_view, chart)
        self._fit_height(self.unit_view, len(units))

    def indicator_rows(self) -> list[IndicatorProgress]:
        kind = self.level_combo.currentData()
        return [i for i in self.indicators if i.node_kind == kind]

    def _draw_indicators(self) -> None:
        """Achievement in percent (comparable across units); the raw target and actual in the tooltip."""
        rows = [i for i in self.indicator_rows() if i.target is not None or i.actual is not None]
        percents = [i.achievement.percent or 0.0 for i in rows]
        chart = bar_chart(f"دستیابی {self.level_combo.currentText()}", [i.title for i in rows], [
            BarData("دستیابی", percents, ACTUAL_COLOR),
        ], "درصد دستیابی به هدف سال", maximum=max([100.0, *percents]),
            tooltips=[indicator_tooltip(i) for i in rows])
        self._set_chart(self.indicator_view, chart)
        self._fit_height(self.indicator_view, len(rows))

    def _draw_budget(self, axes: list) -> None:
        by_node = self.budget.by_node if self.budget else {}
        # Milliard rials on the chart: a municipal budget in million rials runs to seven digits, which
        # QtCharts prints with Latin digits and commas; four digits stay Persian and readable.
        planned = [by_node[a.node_id].planned / RIALS_PER_MILLIARD if a.node_id in by_node else 0.0 for a in axes]
        spent = [by_node[a.node_id].spent / RIALS_PER_MILLIARD if a.node_id in by_node else 0.0 for a in axes]
        chart = bar_chart("بودجه مصوب و هزینه‌شده محورها", [a.title for a in axes], [
            BarData("مصوب", planned, PLANNED_COLOR),
            BarData("هزینه‌شده", spent, SPENT_COLOR),
        ], "میلیارد ریال")
        self._set_chart(self.budget_view, chart)

    # editing -------------------------------------------------------------------------------
    def set_thresholds(self, on_track: float, at_risk: float) -> PlannerError | None:
        plan_id = self.ctx.plan_id
        if not plan_id:
            return None
        try:
            plan = plans.get_plan(self.ctx.db, plan_id)
        except PlannerError as exc:
            self.message.show_error(exc)
            return exc
        if (plan.on_track, plan.at_risk) == (on_track, at_risk):
            return None
        command = ThresholdsCommand(self.ctx, plan_id, (plan.on_track, plan.at_risk), (on_track, at_risk))
        command.on_error = self.message.show_error
        return execute(self.ctx, command, show=self.message.show_error)


def indicator_tooltip(row: IndicatorProgress) -> str:
    unit = f" {row.unit}" if row.unit else ""
    lines = [row.title,
             f"هدف: {format_number(row.target, 2) or '—'}{unit}",
             f"واقعی: {format_number(row.actual, 2) or '—'}{unit}",
             f"دستیابی: {format_percent(row.achievement.percent)}"]
    if row.achievement.reason:
        lines.append(row.achievement.reason)
    return "\n".join(lines)
