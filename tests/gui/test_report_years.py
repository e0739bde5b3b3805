"""Report windows open where the plan's data is; a year without data says so instead of empty axes;
chart axes read in Persian digits."""

from __future__ import annotations

import pytest

import planner_gui.monitoring  # noqa: F401  (registers the windows)
from planner_core import monitoring, plans
from planner_gui.budget.window import BudgetWindow
from planner_gui.monitoring import DashboardWindow, DeviationsWindow, EvaluationWindow
from planner_gui.monitoring.charts import value_labels


@pytest.fixture
def reported(ctx, small_plan, db):
    """The small plan (1403–1410) with its only progress report in 1403."""
    monitoring.save_progress_report(db, small_plan["project"].id, year=1403, quarter=4, physical_progress=35)
    ctx.set_plan(small_plan["plan"].id)
    return ctx


@pytest.mark.parametrize("window_class", [DashboardWindow, DeviationsWindow, EvaluationWindow])
def test_monitoring_windows_open_on_the_year_with_reports(qtbot, reported, window_class):
    window = window_class(reported)
    qtbot.addWidget(window)
    assert window.period.year() == 1403  # not this fiscal year, empty, nor the plan's first by chance
    assert window.period.year_combo.currentText() == "۱۴۰۳"


def test_budget_window_opens_on_the_year_with_reports(qtbot, reported):
    window = BudgetWindow(reported)
    qtbot.addWidget(window)
    assert window.year == 1403


def test_switching_plans_opens_the_new_plans_year(qtbot, reported, db):
    window = DashboardWindow(reported)
    qtbot.addWidget(window)
    other = plans.create_plan(db, code="N-2", title="برنامه دوم", first_year=1407, last_year=1409)
    reported.set_plan(other.id)
    assert window.period.year() in (1407, 1408, 1409)


def test_a_year_without_data_says_so_instead_of_drawing_axes(qtbot, reported):
    dashboard = DashboardWindow(reported)
    qtbot.addWidget(dashboard)
    dashboard.show()
    assert dashboard.scroll.isVisible() and not dashboard.no_data.isVisible()
    dashboard.period.set_period(1407, 4)
    assert dashboard.no_data.isVisible() and not dashboard.scroll.isVisible()
    assert "برای سال ۱۴۰۷ داده‌ای" in dashboard.no_data.text()
    assert "سال‌های دارای داده: ۱۴۰۳، ۱۴۰۴" in dashboard.no_data.text()  # reports 1403, allocations 1404
    dashboard.period.set_period(1403, 4)
    assert dashboard.scroll.isVisible() and not dashboard.no_data.isVisible()


def test_chart_axes_use_persian_digits_and_grouping(qtbot, reported):
    dashboard = DashboardWindow(reported)
    qtbot.addWidget(dashboard)
    progress = value_labels(dashboard.axis_view.chart())
    assert progress == ["۰", "۲۰", "۴۰", "۶۰", "۸۰", "۱۰۰"]
    budget = value_labels(dashboard.budget_view.chart())  # 40 milliard rials planned
    assert budget[0] == "۰" and all(not any(c.isascii() and c.isdigit() for c in label) for label in budget)
    from planner_gui.monitoring.charts import persian_value_axis

    assert list(persian_value_axis(2500).categoriesLabels())[-1] == "۲٬۵۰۰"
