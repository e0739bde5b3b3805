"""Shared input widgets: three digit scripts in, Persian digits out; Jalali dates; errors beside fields."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from planner_core.errors import RuleError, ValidationError
from planner_gui.widgets import FormWithErrors, JalaliDateEdit, MoneyEdit, NumberEdit, YearEdit
from tests.gui.helpers import retype


@pytest.mark.parametrize(("typed", "value", "shown"), [
    ("12500", Decimal(12500), "۱۲٬۵۰۰"),
    ("۱۲٬۵۰۰", Decimal(12500), "۱۲٬۵۰۰"),
    ("١٢٬٥٠٠", Decimal(12500), "۱۲٬۵۰۰"),
    ("12,500.5", Decimal("12500.5"), "۱۲٬۵۰۰٫۵"),
    ("۱۲٫۵", Decimal("12.5"), "۱۲٫۵"),
])
def test_number_edit_reads_three_scripts_and_shows_persian(qtbot, typed, value, shown):
    edit = NumberEdit()
    qtbot.addWidget(edit)
    retype(qtbot, edit, typed)
    assert edit.value() == value and edit.error() == ""
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.text() == shown


def test_number_edit_keeps_unreadable_text_and_says_why(qtbot):
    edit = NumberEdit()
    qtbot.addWidget(edit)
    retype(qtbot, edit, "دوازده")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.value() is None and edit.text() == "دوازده"
    assert edit.error() == "«دوازده» عدد نیست."


def test_money_edit_in_million_rials(qtbot):
    edit = MoneyEdit()
    qtbot.addWidget(edit)
    edit.show()
    retype(qtbot, edit, "١٢٬٥٠٠")
    assert edit.rials() == 12_500_000_000
    edit.setRials(40_000_000_000)
    assert edit.text() == "۴۰٬۰۰۰"
    assert edit.unit_text() == "میلیون ریال" and "میلیون ریال" not in edit.placeholderText()


@pytest.mark.parametrize("dialog_of", ["report", "allocation"])
def test_money_unit_shows_once_in_the_dialogs(qtbot, ctx, small_plan, dialog_of):
    """An empty amount field in the report and allocation dialogs says «میلیون ریال» once."""
    from planner_core import nodes
    from planner_gui.tabs.allocations_tab import BudgetTab
    from planner_gui.tabs.monitoring_tab import MonitoringTab

    tab = (MonitoringTab if dialog_of == "report" else BudgetTab)(ctx)
    qtbot.addWidget(tab)
    tab.set_node(nodes.get_node(ctx.db, small_plan["project"].id))
    dialog = tab.open_report_dialog() if dialog_of == "report" else tab.open_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    for edit in dialog.findChildren(MoneyEdit):
        edit.clear()
        said = [label.text() for label in edit.findChildren(QLabel) if label.isVisible()] + [edit.placeholderText()]
        assert sum(text.count("میلیون ریال") for text in said) == 1, said


def test_year_edit(qtbot):
    edit = YearEdit()
    qtbot.addWidget(edit)
    retype(qtbot, edit, "١٤٠٣")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.year() == 1403 and edit.text() == "۱۴۰۳"


def test_jalali_date_edit(qtbot):
    edit = JalaliDateEdit()
    qtbot.addWidget(edit)
    assert edit.date_value() is None and edit.text() == "—"
    edit.set_date_value(date(2025, 9, 16))
    assert edit.text() == "۲۵ شهریور ۱۴۰۴"
    assert edit.date_value() == date(2025, 9, 16)
    calendar = edit.calendarWidget()
    assert calendar.firstDayOfWeek() == Qt.DayOfWeek.Saturday
    friday = calendar.weekdayTextFormat(Qt.DayOfWeek.Friday).foreground().color().name()
    saturday = calendar.weekdayTextFormat(Qt.DayOfWeek.Saturday).foreground().color().name()
    assert friday != saturday
    edit.set_date_value(None)
    assert edit.date_value() is None


def test_form_with_errors_puts_messages_beside_fields(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    form = FormWithErrors()
    host.setLayout(form.layout)
    title, weight = QLineEdit(), NumberEdit()
    form.add_row("عنوان", title, "title")
    form.add_row("وزن", weight, "weight")
    form.add_general_row()
    host.show()
    assert form.show_exception(ValidationError("weight", "وزن: «x» عدد نیست."))
    assert form.visible_errors() == {"weight": "وزن: «x» عدد نیست."}
    assert form.error_label("weight").parentWidget() is weight.parentWidget()
    assert not form.show_exception(RuleError("برنامه مصوب است."))
    assert form.general.text() == "برنامه مصوب است." and form.general.isVisible()
    form.clear_errors()
    assert form.visible_errors() == {} and not form.general.isVisible()
