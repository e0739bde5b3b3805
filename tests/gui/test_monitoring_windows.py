"""The monitoring windows on real widgets: targets and actuals typed into the indicator grid and a
progress report recorded change the dashboard's roll-up and the deviations list; Excel export;
the year-end explanation with undo; every model through qtmodeltester; screenshots."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit

import planner_gui.monitoring  # noqa: F401  (registers the windows)
from planner_core import indicators, monitoring, nodes, plans
from planner_core.budget_rollups import budget_rollup
from planner_core.evaluation import progress_by_unit
from planner_core.progress import STATUS_LABELS, Status, indicator_achievement
from planner_core.rollups import progress_tree
from planner_gui.common import ID_ROLE, SORT_ROLE
from planner_gui.extensions import WINDOW_ACTIONS
from planner_gui.monitoring import DashboardWindow, DeviationsWindow, EvaluationWindow
from planner_gui.monitoring.charts import chart_categories, chart_tooltips, chart_values, short_label
from planner_gui.monitoring.models import AxisSummaryModel, DeviationsModel, EvaluationModel
from planner_gui.tabs.indicators_tab import IndicatorsTab
from planner_gui.tabs.monitoring_tab import MonitoringTab
from planner_gui.tabs.targets_model import ROW_ANNUAL, ROW_TARGET
from tests.gui.helpers import screenshot_dir


@pytest.fixture
def mctx(ctx, small_plan):
    ctx.set_plan(small_plan["plan"].id)
    return ctx


def _settle(qtbot, window, check) -> None:
    """Wait for the debounced refresh that follows ctx.changed."""
    qtbot.waitUntil(lambda: not window.debouncer.timer.isActive() and check(), timeout=3000)


def _grid_cell(tab: IndicatorsTab, row: int, year: int):
    model = tab.targets
    return model.index(row, model.years.index(year))


def _type_in_grid(qtbot, tab: IndicatorsTab, row: int, year: int, text: str) -> None:
    """Open the cell's editor, type like a planner and press Enter."""
    index = _grid_cell(tab, row, year)
    tab.grid.setCurrentIndex(index)
    tab.grid.edit(index)
    editor = tab.grid.focusWidget()
    assert isinstance(editor, QLineEdit)
    if text.isascii():
        qtbot.keyClicks(editor, text)
    else:  # QTest types ASCII only; Persian digits arrive as an input method would put them
        editor.insert(text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits and closes the editor through a queued call.
    qtbot.waitUntil(lambda: tab.grid.state() != QAbstractItemView.State.EditingState, timeout=2000)


def test_windows_are_registered():
    found = {a.object_name: a for a in WINDOW_ACTIONS}
    assert found["action_dashboard"].shortcut == "Ctrl+D"
    assert found["action_deviations"].shortcut == "Ctrl+Shift+D"
    assert found["action_evaluation"].factory is EvaluationWindow
    assert len([a for a in WINDOW_ACTIONS if a.object_name == "action_dashboard"]) == 1


def _record_report(tab, physical, corrective="", editing=False):
    """Fill the quarterly report dialog of the monitoring tab as a planner does (1403, fourth quarter)."""
    dialog = tab.open_report_dialog(tab.selected_report() if editing else None)
    if not editing:
        dialog.year.setCurrentIndex(dialog.year.findData(1403))
        dialog.quarter.setCurrentIndex(3)
    dialog.physical.setText(physical)
    dialog.corrective.setPlainText(corrective)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.form.visible_errors()


def test_grid_entries_and_report_change_dashboard_and_deviations(qtbot, db, mctx, small_plan):
    plan, program, project = small_plan["plan"], small_plan["program"], small_plan["project"]
    dashboard = DashboardWindow(mctx)
    devs = DeviationsWindow(mctx)
    for window in (dashboard, devs):
        qtbot.addWidget(window)
        window.period.set_period(1403, 4)
    assert dashboard.plan_status == Status.NO_DATA
    assert dashboard.status_badge.text() == STATUS_LABELS[Status.NO_DATA]
    assert devs.model.rowCount() == 0

    # Targets and actuals through the indicator grid of the program's tab.
    indicators.add_indicator(db, program.id, title="اتوبوس‌های برقی فعال", kind="output", baseline_value=10)
    tab = IndicatorsTab(mctx)
    qtbot.addWidget(tab)
    tab.set_node(nodes.get_node(db, program.id))
    tab.show()
    qtbot.waitExposed(tab)
    _type_in_grid(qtbot, tab, ROW_TARGET, 1403, "۲۰")
    _type_in_grid(qtbot, tab, ROW_ANNUAL, 1403, "12")
    assert (tab.targets.value(ROW_TARGET, 1403), tab.targets.value(ROW_ANNUAL, 1403)) == (20, 12)
    expected_achievement = indicator_achievement("increase", 10, 20, 12).percent  # 20 %
    assert expected_achievement == pytest.approx(20)
    _settle(qtbot, devs, lambda: devs.model.rowCount() == 1)
    row = devs.rows[0]
    assert (row.what, row.node_id, row.status) == ("indicator", program.id, Status.OFF_TRACK)
    assert devs.model.index(0, DeviationsModel.COL_ACHIEVEMENT).data() == "۲۰٪"
    assert devs.model.index(0, DeviationsModel.COL_ACTION).data() == "ندارد"

    # A progress report behind schedule, through the project's monitoring tab:
    # 30 % done of 50 % expected → 60 % → off track.
    reports = MonitoringTab(mctx)
    qtbot.addWidget(reports)
    reports.set_node(nodes.get_node(db, project.id))
    _record_report(reports, "٣٠", corrective="قرارداد پیمانکار دوم")
    _settle(qtbot, dashboard, lambda: dashboard.plan_status == Status.OFF_TRACK)
    assert "۳۰٪" in dashboard.summary.text() and "۵۰٪" in dashboard.summary.text()
    _settle(qtbot, devs, lambda: devs.model.rowCount() == 2)
    project_row = next(r for r in devs.rows if r.what == "project")
    assert project_row.achievement == pytest.approx(30 / 50 * 100)
    assert project_row.has_corrective_action
    # The charts carry the roll-up's own figures.
    tree = progress_tree(db, plan.id, 1403, 4)
    axes = tree.children(None)
    assert chart_categories(dashboard.axis_view.chart()) == [short_label(a.title) for a in axes]
    values = chart_values(dashboard.axis_view.chart())
    assert values["پیشرفت فیزیکی"] == pytest.approx([a.progress for a in axes])
    assert values["پیشرفت فیزیکی"] == pytest.approx([30.0])
    assert values["مورد انتظار"] == pytest.approx([a.expected for a in axes])
    units = progress_by_unit(tree)
    assert chart_values(dashboard.unit_view.chart())["پیشرفت فیزیکی"] == pytest.approx(
        [u.progress or 0 for u in units])
    budget = budget_rollup(db, plan.id, 1403)
    planned = chart_values(dashboard.budget_view.chart())["مصوب"]
    assert planned == pytest.approx([budget.by_node[a.node_id].planned / 1_000_000_000 for a in axes])
    assert planned == pytest.approx([40])  # 40 milliard rials
    dashboard.level_combo.setCurrentIndex(dashboard.level_combo.findData("program"))
    # Indicators: achievement in percent, the raw target and actual in the bar's tooltip.
    (row,) = dashboard.indicator_rows()
    assert chart_values(dashboard.indicator_view.chart()) == {"دستیابی": [pytest.approx(row.achievement.percent)]}
    (tip,) = chart_tooltips(dashboard.indicator_view.chart())
    assert "هدف: ۲۰" in tip and "واقعی: ۱۲" in tip and "دستیابی:" in tip

    # Catching up: 48 of 50 → 96 % → on track; the project leaves the deviations list.
    reports.report_table.selectRow(0)
    _record_report(reports, "۴۸", editing=True)
    _settle(qtbot, dashboard, lambda: dashboard.plan_status == Status.ON_TRACK)
    _settle(qtbot, devs, lambda: [r.what for r in devs.rows] == ["indicator"])
    # Undo the report's edit: behind schedule again, the project is back in the list.
    mctx.undo_stack.undo()
    _settle(qtbot, devs, lambda: sorted(r.what for r in devs.rows) == ["indicator", "project"])
    # Undo the report itself and the grid's actual: nothing measured, nothing behind.
    mctx.undo_stack.undo()
    mctx.undo_stack.undo()
    _settle(qtbot, devs, lambda: devs.model.rowCount() == 0)


def test_thresholds_are_an_undo_step(qtbot, db, mctx, small_plan):
    monitoring.save_progress_report(db, small_plan["project"].id, year=1403, quarter=4, physical_progress=40)
    dashboard = DashboardWindow(mctx)
    qtbot.addWidget(dashboard)
    dashboard.period.set_period(1403, 4)
    assert dashboard.plan_status == Status.AT_RISK  # 40 / 50 = 80 %: between 70 and 90
    dashboard.on_track.setValue(80)
    dashboard.at_risk.setValue(60)
    qtbot.mouseClick(dashboard.apply_thresholds, Qt.MouseButton.LeftButton)
    _settle(qtbot, dashboard, lambda: dashboard.plan_status == Status.ON_TRACK)
    assert mctx.undo_stack.undoText() == "ویرایش آستانه‌های وضعیت برنامه"
    mctx.undo_stack.undo()
    _settle(qtbot, dashboard, lambda: dashboard.plan_status == Status.AT_RISK)
    assert dashboard.on_track.value() == 90
    failure = dashboard.set_thresholds(50, 80)  # at risk above on track: refused in Persian
    assert failure is not None and dashboard.message.text() == str(failure)
    assert not dashboard.message.isHidden()
    assert mctx.undo_stack.count() == 1


def test_deviations_export_and_open_node(qtbot, tmp_path, db, mctx, small_plan):
    project = small_plan["project"]
    monitoring.save_progress_report(db, project.id, year=1403, quarter=2, physical_progress=5)
    devs = DeviationsWindow(mctx)
    qtbot.addWidget(devs)
    devs.period.set_period(1403, 2)
    assert [r.node_id for r in devs.rows] == [project.id]
    devs.show()
    requested = []
    mctx.node_requested.connect(requested.append)
    view = devs.table
    index = view.model().index(0, DeviationsModel.COL_ITEM)
    center = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert requested == [project.id]
    assert devs.export_to(tmp_path / "انحراف") is None
    sheet = load_workbook(tmp_path / "انحراف.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "کد" and len(rows) == 2
    assert rows[1][2] == project.title and rows[1][4] == small_plan["unit"].name
    assert rows[1][7] == pytest.approx(5 / 25 * 100, abs=0.1)  # 5 of 25 % expected after Q2 of 2 years
    assert rows[1][10] == "خیر"
    assert devs.export_to(tmp_path / "no-such-dir" / "x.xlsx") is not None
    assert "ذخیره" in devs.message.text()


def test_evaluation_explanation_edit_and_undo(qtbot, db, mctx, small_plan):
    program, project = small_plan["program"], small_plan["project"]
    with_actual = indicators.add_indicator(db, program.id, title="سهم ناوگان برقی", kind="result",
                                           baseline_value=10)
    indicators.set_target(db, with_actual.id, 1403, 20)
    indicators.set_actual(db, with_actual.id, 1403, "annual", 15, note="")
    without = indicators.add_indicator(db, project.id, title="اتوبوس تحویلی", kind="output")
    indicators.set_target(db, without.id, 1403, 50)
    window = EvaluationWindow(mctx)
    qtbot.addWidget(window)
    window.set_program(program.id)
    window.period.set_period(1403)
    model = window.model
    assert [r.indicator_id for r in model.rows] == [with_actual.id, without.id]
    assert model.index(0, model.COL_ACHIEVEMENT).data() == "۵۰٪"
    assert not model.flags(model.index(1, model.COL_EXPLANATION)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(0, model.COL_EXPLANATION)) & Qt.ItemFlag.ItemIsEditable

    text = "تأمین نشدن ارز برای خرید باتری"
    window.select_row(0)
    window.editor.setPlainText(text)
    qtbot.mouseClick(window.save_button, Qt.MouseButton.LeftButton)
    assert model.index(0, model.COL_EXPLANATION).data() == text
    stored = indicators.get_indicator(db, with_actual.id).actual(1403, "annual")
    assert stored is not None and (stored.value, stored.note) == (15, text)
    assert model.setData(model.index(0, model.COL_EXPLANATION), text + " و تحریم")
    assert indicators.get_indicator(db, with_actual.id).actual(1403, "annual").note == text + " و تحریم"
    mctx.undo_stack.undo()
    mctx.undo_stack.undo()
    _settle(qtbot, window, lambda: model.rows[0].explanation == "")
    assert indicators.get_indicator(db, with_actual.id).actual(1403, "annual").value == 15
    mctx.undo_stack.redo()
    _settle(qtbot, window, lambda: model.rows[0].explanation == text)

    window.select_row(1)
    assert not window.save_button.isEnabled()
    assert "مقدار واقعی سالانه" in window.reason.text()
    failure = window.set_explanation(model.rows[1], "توضیح")
    assert failure is not None and "نخست" in window.message.text()
    assert mctx.undo_stack.index() == 1

    # Year-end evaluation is monitoring: it goes on while the plan is approved (issue 12) …
    plans.update_plan(db, small_plan["plan"].id, status="approved")
    window.select_row(0)
    assert window.save_selected("متن تازه") is None
    assert (mctx.undo_stack.index(), mctx.undo_stack.count()) == (2, 2)
    # … and stops once it is archived: the service's Persian refusal is shown, nothing is stacked.
    plans.update_plan(db, small_plan["plan"].id, status="archived")
    failure = window.save_selected("متن دیگر")
    assert failure is not None and window.message.text() == str(failure) and "بایگانی" in str(failure)
    assert (mctx.undo_stack.index(), mctx.undo_stack.count()) == (2, 2)


def test_models_pass_qtmodeltester(qtbot, qtmodeltester, db, mctx, small_plan):
    program, project = small_plan["program"], small_plan["project"]
    ind = indicators.add_indicator(db, program.id, title="شاخص", kind="output", baseline_value=0)
    indicators.set_target(db, ind.id, 1403, 10)
    indicators.set_actual(db, ind.id, 1403, "annual", 2, note="کمبود اعتبار")
    monitoring.save_progress_report(db, project.id, year=1403, quarter=4, physical_progress=10)
    dashboard, devs, evaluation = DashboardWindow(mctx), DeviationsWindow(mctx), EvaluationWindow(mctx)
    for window in (dashboard, devs, evaluation):
        qtbot.addWidget(window)
        window.period.set_period(1403, 4)
    assert devs.model.rowCount() == 2 and evaluation.model.rowCount() == 1
    assert dashboard.axis_model.rowCount() == 1
    assert dashboard.axis_model.index(0, AxisSummaryModel.COL_PLANNED).data() == "۴۰٬۰۰۰"
    assert dashboard.axis_model.index(0, 0).data(ID_ROLE) == small_plan["axis"].id
    # Standalone copies: the tester outlives the windows (pytest-qt closes widgets first).
    deviations_model = DeviationsModel()
    deviations_model.set_rows(devs.rows)
    evaluation_model = EvaluationModel()
    evaluation_model.set_rows(evaluation.model.rows)
    axis_model = AxisSummaryModel()
    axis_model.set_data(dashboard.axis_model.rows, dashboard.axis_model.budget)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(deviations_model)
    proxy.setSortRole(SORT_ROLE)
    proxy.sort(DeviationsModel.COL_ACHIEVEMENT)
    for model in (deviations_model, evaluation_model, axis_model, proxy):
        qtmodeltester.check(model, force_py=True)
    assert {deviations_model.rowCount(), evaluation_model.rowCount(), axis_model.rowCount()} == {2, 1}


def test_screenshots_on_sample_plan(qtbot, db, ctx):
    from planner_core.plans import list_plans
    from planner_core.sample import load_sample

    load_sample(db)
    ctx.set_plan(list_plans(db)[0].id)
    shots = screenshot_dir()
    dashboard = DashboardWindow(ctx)
    qtbot.addWidget(dashboard)
    dashboard.period.set_period(1403, 4)
    dashboard.show()
    dashboard.resize(1366, 768)  # the office laptop's screen (after show: windows are placed when shown)
    qtbot.waitExposed(dashboard)
    tree = progress_tree(db, ctx.plan_id, 1403, 4)
    assert chart_values(dashboard.axis_view.chart())["پیشرفت فیزیکی"] == pytest.approx(
        [a.progress for a in tree.children(None)])
    assert dashboard.grab().save(str(shots / "dashboard.png"))

    devs = DeviationsWindow(ctx)
    qtbot.addWidget(devs)
    devs.period.set_period(1403, 4)
    devs.show()
    devs.resize(1366, 768)
    qtbot.waitExposed(devs)
    assert devs.model.rowCount() > 10
    assert devs.grab().save(str(shots / "deviations.png"))

    evaluation = EvaluationWindow(ctx)
    qtbot.addWidget(evaluation)
    evaluation.period.set_period(1403)
    evaluation.show()
    evaluation.resize(1366, 768)
    qtbot.waitExposed(evaluation)
    assert evaluation.model.rowCount() > 0
    evaluation.select_row(0)
    assert evaluation.save_selected("کمبود نهال مناسب در فصل کاشت؛ قرارداد تأمین نهال برای ۱۴۰۴ بسته شد.") is None
    assert evaluation.grab().save(str(shots / "evaluation.png"))


def test_dashboard_lists_units_overdue_with_reports_and_opens_the_report_window(qtbot, db, mctx, small_plan):
    from planner_core import orgunits
    from planner_core.jalali import format_jalali, parse_jalali
    from planner_core.lifecycle import discipline

    plan, project = small_plan["plan"], small_plan["project"]
    parks = orgunits.add_org_unit(db, code="D-PRK", name="سازمان پارک‌ها و فضای سبز", kind="department")
    second = nodes.add_node(db, plan.id, small_plan["program"].id, "project", title="ایستگاه‌های شارژ",
                            start_date="1404/07/01", end_date="1404/12/29", responsible_unit_id=parks.id)
    monitoring.save_progress_report(db, project.id, year=1403, quarter=1, physical_progress=5)
    discipline.set_due_date(db, plan.id, 1403, 2, "1403/07/20")
    dashboard = DashboardWindow(mctx)
    qtbot.addWidget(dashboard)
    dashboard.period.set_period(1403, 4)
    panel = dashboard.overdue
    rows = {panel.model.index(r, 0).data(): [panel.model.index(r, c).data() for c in range(5)]
            for r in range(panel.model.rowCount())}
    # the bus project owes 1403 Q2 … 1404 Q4 (7 reports) since the plan's own Q2 due date;
    # the charging stations only the two quarters they run in
    traffic = rows["معاونت حمل‌ونقل و ترافیک"]
    assert traffic[1:4] == ["۷", "۱", format_jalali(parse_jalali("1403/07/20"))]
    assert rows["سازمان پارک‌ها و فضای سبز"][1:3] == ["۲", "۱"]
    assert "۹ گزارش فصلی معوق از ۲ واحد مسئول" in panel.summary.text()
    assert panel.view.isVisibleTo(dashboard)
    # a report recorded elsewhere takes one off after the debounced refresh
    monitoring.save_progress_report(db, second.id, year=1404, quarter=3, physical_progress=20)
    mctx.changed.emit("monitoring", second.id)
    _settle(qtbot, dashboard, lambda: "۸ گزارش فصلی معوق" in panel.summary.text())
    # a unit's row opens the reporting window on that unit's overdue reports
    row = next(r for r in range(panel.model.rowCount()) if panel.model.rows[r].unit == parks.name)
    index = panel.model.index(row, 0)
    panel.view.setCurrentIndex(index)
    panel.view.doubleClicked.emit(index)
    window = panel.report_window
    assert window is not None and window.isVisible() and window.tabs.currentIndex() == 0
    chosen = window.overdue_view.currentIndex()
    assert chosen.isValid() and chosen.data(ID_ROLE) == second.id
    assert window.overdue.rowCount() == 8
    window.close()
