"""The monitoring tab: quarterly reports with expected progress and lag marker, lessons, undo."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from planner_core import monitoring, nodes
from planner_core.progress import STATUS_COLORS, Status
from planner_gui.tabs.monitoring_tab import (
    COL_CORRECTIVE,
    COL_EXPECTED,
    COL_PHYSICAL,
    COL_SPENT,
    COL_STATUS,
    MonitoringTab,
)

pytestmark = pytest.mark.usefixtures("rtl_app")


@pytest.fixture
def tab(qtbot, ctx, small_plan):
    widget = MonitoringTab(ctx)
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    widget.set_node(nodes.get_node(ctx.db, small_plan["project"].id))
    return widget


def cell(tab, row, col, role=Qt.ItemDataRole.DisplayRole):
    return tab.reports.index(row, col).data(role)


def record(tab, year_index, quarter, physical, spent="", corrective="", reported_on=None):
    dialog = tab.open_report_dialog()
    dialog.show()
    dialog.year.setCurrentIndex(year_index)
    dialog.quarter.setCurrentIndex(quarter - 1)
    dialog.physical.setText(physical)
    dialog.spent.setText(spent)
    dialog.corrective.setPlainText(corrective)
    dialog.reported_on.set_date_value(reported_on)
    dialog.accept()
    return dialog


def test_record_a_report_and_see_the_lag_marker(tab, small_plan):
    project = small_plan["project"].id
    dialog = record(tab, 0, 4, "۱۰", spent="١٥٠٠", reported_on=date(2025, 3, 15))
    assert dialog.result() == dialog.DialogCode.Accepted
    [saved] = monitoring.list_progress_reports(tab.ctx.db, project)
    assert (saved.year, saved.quarter, saved.physical_progress, saved.spent) == (1403, 4, 10.0, 1_500_000_000)
    # End of 1403 is half of the program's two years: 10 % done of 50 % expected is lagging.
    assert cell(tab, 0, COL_PHYSICAL) == "۱۰٪" and cell(tab, 0, COL_EXPECTED) == "۵۰٪"
    assert cell(tab, 0, COL_STATUS).startswith("▼") and "عقب از برنامه" in cell(tab, 0, COL_STATUS)
    assert cell(tab, 0, COL_STATUS, Qt.ItemDataRole.BackgroundRole).name().upper() == STATUS_COLORS[Status.OFF_TRACK]
    assert cell(tab, 0, COL_CORRECTIVE) == "ندارد!" and cell(tab, 0, COL_SPENT) == "۱٬۵۰۰"
    assert "۲۰٪" in cell(tab, 0, COL_STATUS, Qt.ItemDataRole.ToolTipRole)

    # A new report on the same quarter is refused beside «فصل» (the first is kept); editing replaces it.
    dialog = record(tab, 0, 4, "12.5", corrective="افزودن پیمانکار دوم")
    assert dialog.result() == 0 and dialog.isVisible()
    assert "گزارشی ثبت شده است" in dialog.form.visible_errors()["quarter"]
    assert monitoring.list_progress_reports(tab.ctx.db, project)[0].physical_progress == 10.0
    assert tab.ctx.undo_stack.count() == 1
    dialog.close()
    select_first_report(tab)
    edit = tab.open_report_dialog(tab.selected_report())
    edit.physical.setText("12.5")
    edit.corrective.setPlainText("افزودن پیمانکار دوم")
    edit.accept()
    assert cell(tab, 0, COL_CORRECTIVE) == "ثبت شده" and tab.reports.rowCount() == 1
    assert "پیمانکار دوم" in cell(tab, 0, COL_CORRECTIVE, Qt.ItemDataRole.ToolTipRole)
    tab.ctx.undo_stack.undo()
    assert monitoring.list_progress_reports(tab.ctx.db, project)[0].physical_progress == 10.0
    tab.ctx.undo_stack.undo()
    assert monitoring.list_progress_reports(tab.ctx.db, project) == [] and tab.reports.rowCount() == 0
    tab.ctx.undo_stack.redo()
    assert cell(tab, 0, COL_PHYSICAL) == "۱۰٪"
    # Redo brings back the very report that was recorded: same row, UUID and date.
    assert monitoring.list_progress_reports(tab.ctx.db, project) == [saved]
    tab.ctx.undo_stack.redo()
    assert monitoring.list_progress_reports(tab.ctx.db, project)[0].physical_progress == 12.5


def select_first_report(tab):
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    tab.report_table.selectionModel().select(tab.reports.index(0, 0), flags)


def test_new_report_starts_on_the_first_quarter_without_one(tab):
    dialog = tab.open_report_dialog()
    assert (dialog.year.currentData(), dialog.quarter.currentData()) == (1403, 1)
    for quarter in (1, 2, 4):
        record(tab, 0, quarter, "5")
    dialog = tab.open_report_dialog()
    assert (dialog.year.currentData(), dialog.quarter.currentData()) == (1403, 3)
    record(tab, 0, 3, "5")
    dialog = tab.open_report_dialog()
    assert (dialog.year.currentData(), dialog.quarter.currentData()) == (1404, 1)


def test_a_report_date_in_the_future_is_refused_beside_the_date(tab):
    dialog = record(tab, 0, 1, "5", reported_on=date.today().replace(year=date.today().year + 1))
    assert dialog.result() == 0 and "آینده" in dialog.form.visible_errors()["date"]
    assert tab.reports.rowCount() == 0


def test_on_track_report_is_not_lagging(tab):
    record(tab, 0, 2, "۳۰")
    assert not cell(tab, 0, COL_STATUS).startswith("▼") and cell(tab, 0, COL_CORRECTIVE) == "—"


def test_bad_progress_shows_beside_the_field(tab):
    dialog = record(tab, 0, 1, "۱۲۰")
    assert "physical_progress" in dialog.form.visible_errors() and dialog.result() == 0
    assert tab.ctx.undo_stack.count() == 0 and tab.reports.rowCount() == 0


def test_edit_keeps_the_quarter_and_delete_undoes(tab, small_plan):
    record(tab, 1, 3, "60")
    sel = tab.report_table.selectionModel()
    sel.select(tab.reports.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
               | QItemSelectionModel.SelectionFlag.Rows)
    dialog = tab.open_report_dialog(tab.selected_report())
    assert not dialog.year.isEnabled() and dialog.quarter.currentData() == 3 and dialog.physical.text() == "۶۰"
    dialog.physical.setText("70")
    dialog.accept()
    assert cell(tab, 0, COL_PHYSICAL) == "۷۰٪"
    sel.select(tab.reports.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
               | QItemSelectionModel.SelectionFlag.Rows)
    assert tab.delete_report() is None and tab.reports.rowCount() == 0
    tab.ctx.undo_stack.undo()
    assert cell(tab, 0, COL_PHYSICAL) == "۷۰٪"
    tab.ctx.undo_stack.redo()
    assert tab.reports.rowCount() == 0


def test_lessons_on_any_node(tab, ctx, small_plan):
    tab.set_node(nodes.get_node(ctx.db, small_plan["goal"].id))
    assert not tab.report_box.isVisible() and tab.applies_to("goal")
    dialog = tab.open_lesson_dialog()
    dialog.accept()
    assert "title" in dialog.form.visible_errors()
    dialog.title_edit.setText("هماهنگی زودهنگام با مناطق")
    dialog.body.setPlainText("تأخیر در مجوز حفاری")
    dialog.accept()
    assert tab.lessons.rowCount() == 1 and tab.lessons.index(0, 0).data() == "هماهنگی زودهنگام با مناطق"
    tab.lesson_table.selectionModel().select(tab.lessons.index(0, 0),
                                             QItemSelectionModel.SelectionFlag.ClearAndSelect
                                             | QItemSelectionModel.SelectionFlag.Rows)
    assert tab.delete_lesson() is None and tab.lessons.rowCount() == 0
    ctx.undo_stack.undo()
    assert tab.lessons.rowCount() == 1
    ctx.undo_stack.undo()
    assert tab.lessons.rowCount() == 0


def test_models_pass_the_model_tester(qtmodeltester, tab):
    record(tab, 0, 1, "5", corrective="x")
    record(tab, 0, 4, "5")
    monitoring.add_lesson(tab.ctx.db, tab.node.plan_id, tab.node.id, title="درس")
    tab.reload()
    qtmodeltester.check(tab.reports)
    qtmodeltester.check(tab.lessons)
