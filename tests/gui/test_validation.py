"""Invalid input shows a Persian message beside the field and changes nothing in the store."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt

from planner_core import nodes, plans
from planner_gui.plan_dialog import NewPlanDialog
from planner_gui.widgets import JALALI
from tests.gui.helpers import open_main_window, retype


@pytest.fixture
def window(qtbot, db, small_plan, tmp_path):
    return open_main_window(qtbot, db, tmp_path)


def _select(window, node):
    assert window.select_node(node.id)
    assert window.detail.node is not None and window.detail.node.id == node.id
    return window.detail.node_form


def _error_beside(form, field: str) -> str:
    label = form.form.error_label(field)
    assert label is not None and label.isVisible(), f"no error shown beside {field}"
    # The label sits under its own field, in the same row of the form.
    assert label.parentWidget() is form.form.widget(field).parentWidget()
    return label.text()


def test_text_in_a_number_field(qtbot, window, db, small_plan):
    form = _select(window, small_plan["project"])
    before = nodes.get_node(db, small_plan["project"].id)
    retype(qtbot, form.weight, "زیاد")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    message = _error_beside(form, "weight")
    assert message.startswith("وزن:") and "عدد نیست" in message
    assert nodes.get_node(db, small_plan["project"].id) == before
    assert window.ctx.undo_stack.count() == 0


def test_end_date_before_start_date(qtbot, window, db, small_plan):
    form = _select(window, small_plan["project"])
    before = nodes.get_node(db, small_plan["project"].id)
    form.start_date.setDate(QDate(1404, 5, 1, JALALI))
    form.end_date.setDate(QDate(1403, 5, 1, JALALI))
    window.save_action.trigger()
    assert "نباید پیش از تاریخ شروع" in _error_beside(form, "end_date")
    # Each field commits on its own: the valid start date is stored, the refused end date is not.
    stored = nodes.get_node(db, small_plan["project"].id)
    assert stored.end_date == before.end_date and stored.start_date.isoformat() == "2025-07-23"
    # Fixing the field clears the message on the next save.
    form.end_date.setDate(QDate(1404, 6, 25, JALALI))
    window.save_action.trigger()
    assert not form.form.visible_errors()
    assert nodes.get_node(db, small_plan["project"].id).end_date.isoformat() == "2025-09-16"


def test_duplicate_code_among_siblings(qtbot, window, db, small_plan):
    second = nodes.add_node(db, small_plan["plan"].id, small_plan["program"].id, "project", title="پروژه دوم")
    window.tree.set_plan(small_plan["plan"].id)
    form = _select(window, second)
    retype(qtbot, form.code, "۱")
    qtbot.keyClick(form.code, Qt.Key.Key_Return)
    assert "تکراری" in _error_beside(form, "code")
    assert nodes.get_node(db, second.id).code == "2"


def test_program_years_outside_the_plan(qtbot, window, db, small_plan):
    form = _select(window, small_plan["program"])
    retype(qtbot, form.last_year, "١٤٢٠")
    window.save_action.trigger()
    assert _error_beside(form, "last_year") or _error_beside(form, "first_year")
    assert nodes.get_node(db, small_plan["program"].id).last_year == 1404


def test_new_plan_dialog_shows_errors_beside_fields(qtbot, ctx, db, small_plan):
    dialog = NewPlanDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    retype(qtbot, dialog.code, "T-1410")  # the small plan's code
    retype(qtbot, dialog.title_edit, "برنامه دیگر")
    dialog.accept()
    assert "کد" in dialog.form.visible_errors()["code"]
    retype(qtbot, dialog.code, "T-2")
    retype(qtbot, dialog.first_year, "سال")
    dialog.accept()
    assert "عدد نیست" in dialog.form.visible_errors()["first_year"]
    assert [p.code for p in plans.list_plans(db)] == ["T-1410"]
    assert dialog.isVisible()
