"""No edit is ever lost: a field commits when it loses focus or on Enter (one undo step each);
every way of leaving the form keeps what was typed, or asks when it cannot be committed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from planner_core import nodes, plans
from planner_core.store import open_store
from planner_gui.tree_model import COL_TITLE
from tests.gui.helpers import open_main_window, retype, type_text

LOCATION = "منطقه ۱۲، خیابان ولی‌عصر"


@pytest.fixture
def window(qtbot, db, small_plan, tmp_path):
    win = open_main_window(qtbot, db, tmp_path)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    return win


@pytest.fixture
def asked(monkeypatch):
    """Answer the «discard?» question with ``reply[0]`` and record what it said."""
    questions: list[str] = []
    reply = [QMessageBox.StandardButton.Cancel]

    def question(_parent, _title, text, *args, **kwargs):
        questions.append(text)
        return reply[0]

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return questions, reply


def _click_node(qtbot, window, node_id: int) -> None:
    """Click a row of the tree with the mouse, as a user leaves the form."""
    view = window.tree.view
    index = window.tree.proxy.mapFromSource(window.tree.model.index_of(node_id, COL_TITLE))
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())


def _type_project_fields(qtbot, window, small_plan):
    """Select the project and type a location, a weight and a state, without pressing Enter on the last."""
    window.select_node(small_plan["project"].id)
    form = window.detail.node_form
    retype(qtbot, form.location, LOCATION)
    assert window.isWindowModified() and form.modified_label.isVisible()  # typed, not yet committed
    qtbot.keyClick(form.location, Qt.Key.Key_Tab)  # leaving the field commits it
    retype(qtbot, form.weight, "۲٫۵")
    form.state.setFocus()  # focus out of the weight commits it
    qtbot.keyClick(form.state, Qt.Key.Key_Down)  # a choice commits at once
    return form


def test_clicking_another_node_keeps_location_weight_and_state(qtbot, window, db, small_plan):
    project = small_plan["project"]
    before_state = nodes.get_node(db, project.id).state
    form = _type_project_fields(qtbot, window, small_plan)
    retype(qtbot, form.title, "خرید ۶۰ دستگاه اتوبوس برقی")  # still in the field when the tree is clicked
    _click_node(qtbot, window, small_plan["program"].id)
    assert window.detail.node.id == small_plan["program"].id
    stored = nodes.get_node(db, project.id)
    assert stored.location == LOCATION and Decimal(str(stored.weight)) == Decimal("2.5")
    assert stored.state != before_state and stored.title == "خرید ۶۰ دستگاه اتوبوس برقی"
    # Coming back shows the stored values; nothing is marked modified.
    _click_node(qtbot, window, project.id)
    assert form.location.text() == LOCATION and form.weight.text() == "۲٫۵"
    assert form.state.currentData() == stored.state
    assert not window.isWindowModified() and not form.modified_label.isVisible()
    # One undo step per field, each named after its field.
    texts = [window.ctx.undo_stack.text(i) for i in range(window.ctx.undo_stack.count())]
    assert texts == ["ویرایش محل اجرا", "ویرایش وزن", "ویرایش وضعیت", "ویرایش عنوان"]
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert nodes.get_node(db, project.id).state == before_state
    assert nodes.get_node(db, project.id).location == LOCATION  # the earlier steps stay


def test_enter_commits_and_clears_the_marker(qtbot, window, db, small_plan):
    window.select_node(small_plan["project"].id)
    form = window.detail.node_form
    retype(qtbot, form.location, LOCATION)
    assert window.windowTitle().endswith("[*]") and window.isWindowModified()
    qtbot.keyClick(form.location, Qt.Key.Key_Return)
    assert nodes.get_node(db, small_plan["project"].id).location == LOCATION
    assert not window.isWindowModified() and not form.modified_label.isVisible()


def test_closing_the_window_keeps_a_typed_title(qtbot, window, db, small_plan):
    window.select_node(small_plan["strategy"].id)
    retype(qtbot, window.detail.node_form.title, "گسترش خطوط تندرو")
    assert window.close()
    assert nodes.get_node(db, small_plan["strategy"].id).title == "گسترش خطوط تندرو"


def test_quit_keeps_a_typed_plan_title(qtbot, window, db, small_plan):
    window.select_node(0)
    retype(qtbot, window.detail.plan_form.title, "برنامه راهبردی شهر ۱۴۱۰")
    window.quit_action.trigger()
    assert not window.isVisible()
    assert plans.get_plan(db, small_plan["plan"].id).title == "برنامه راهبردی شهر ۱۴۱۰"


def test_switching_plan_keeps_typed_fields(qtbot, window, db, small_plan):
    other = plans.create_plan(db, code="P-2", title="برنامه دوم", first_year=1405, last_year=1410)
    window._fill_plan_combo()
    window.select_node(small_plan["project"].id)
    retype(qtbot, window.detail.node_form.location, LOCATION)
    window.plan_combo.activated.emit(window.plan_combo.findData(other.id))
    assert window.ctx.plan_id == other.id
    assert nodes.get_node(db, small_plan["project"].id).location == LOCATION


def test_opening_another_file_keeps_typed_fields(qtbot, window, small_plan, tmp_path):
    window.select_node(small_plan["project"].id)
    retype(qtbot, window.detail.node_form.weight, "۳")
    assert window.open_database(tmp_path / "دیگر.db")
    store = open_store(tmp_path / "plan.db")
    try:
        assert nodes.get_node(store, small_plan["project"].id).weight == 3
    finally:
        store.dispose()


def test_an_invalid_field_keeps_its_text_and_asks_before_leaving(qtbot, window, db, small_plan, asked):
    questions, reply = asked
    project = small_plan["project"]
    before = nodes.get_node(db, project.id)
    window.select_node(project.id)
    form = window.detail.node_form
    retype(qtbot, form.location, LOCATION)
    form.weight.setFocus()  # the location commits
    retype(qtbot, form.weight, "زیاد")
    qtbot.keyClick(form.weight, Qt.Key.Key_Return)
    assert form.weight.text() == "زیاد" and "عدد نیست" in form.form.error_label("weight").text()
    assert form.form.error_label("weight").isVisible() and window.isWindowModified()

    # Clicking another node asks; «انصراف» stays on the project with the typed text and its error.
    _click_node(qtbot, window, small_plan["program"].id)
    assert len(questions) == 1 and "«وزن»" in questions[0] and "عدد نیست" in questions[0]
    assert window.tree.current_info().id == project.id and window.detail.node.id == project.id
    assert form.weight.text() == "زیاد" and form.location.text() == LOCATION
    # Closing asks too, and «انصراف» keeps the window open.
    assert not window.close() and window.isVisible() and len(questions) == 2

    # «کنار گذاشتن» moves on; the valid location was committed, the weight is the stored one.
    reply[0] = QMessageBox.StandardButton.Discard
    _click_node(qtbot, window, small_plan["program"].id)
    assert window.detail.node.id == small_plan["program"].id and not window.isWindowModified()
    stored = nodes.get_node(db, project.id)
    assert stored.location == LOCATION and stored.weight == before.weight


def test_committing_one_field_keeps_another_typed_one(qtbot, window, db, small_plan):
    """A commit re-reads the node; the field still being corrected keeps its typed text."""
    window.select_node(small_plan["project"].id)
    form = window.detail.node_form
    retype(qtbot, form.weight, "زیاد")
    form.location.setFocus()
    type_text(form.location, "الف")
    qtbot.keyClick(form.location, Qt.Key.Key_Return)
    assert nodes.get_node(db, small_plan["project"].id).location == "الف"
    assert form.weight.text() == "زیاد" and form.form.error_label("weight").isVisible()
    assert window.isWindowModified()


def test_a_target_cell_being_typed_is_committed_when_another_node_is_selected(qtbot, window, db, small_plan):
    from planner_core import indicators
    from planner_gui.tabs.targets_model import ROW_TARGET
    from planner_gui.widgets import NumberEdit

    program = small_plan["program"]
    indicator = indicators.add_indicator(db, program.id, title="تعداد اتوبوس برقی فعال", kind="output",
                                         unit="دستگاه", baseline_year=1402, baseline_value=10)
    window.select_node(program.id)
    tab = next(t for t in window.detail.extra_tabs if t.objectName() == "indicatorsTab")
    window.detail.tabs.setCurrentWidget(tab)
    index = tab.targets.index(ROW_TARGET, 0)
    tab.grid.setCurrentIndex(index)
    tab.grid.edit(index)
    editor = tab.grid.indexWidget(index)
    assert isinstance(editor, NumberEdit)
    editor.setFocus()
    editor.selectAll()
    type_text(editor, "۴۵")
    window.select_node(small_plan["project"].id)  # by keyboard or from a report: no click on the grid
    assert indicators.get_indicator(db, indicator.id).targets == {1403: 45.0}


def test_cancel_in_a_dialog_asks_before_dropping_typed_values(qtbot, window, db, asked):
    from planner_core import municipality

    questions, reply = asked
    dialog = window.open_municipality()
    qtbot.waitExposed(dialog)
    retype(qtbot, dialog.name, "شهرداری کرج")
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert questions and "ثبت شوند" in questions[-1] and dialog.isVisible()  # «انصراف»: stay
    reply[0] = QMessageBox.StandardButton.Save
    dialog.reject()  # Esc
    assert not dialog.isVisible()
    assert municipality.home_municipality(db).name == "شهرداری کرج"


def test_cancel_without_changes_closes_without_asking(qtbot, window, asked):
    questions, _reply = asked
    dialog = window.open_municipality()
    qtbot.waitExposed(dialog)
    dialog.reject()
    assert not dialog.isVisible() and not questions


def test_a_typed_year_end_explanation_is_committed_on_another_row_and_on_close(qtbot, ctx, small_plan):
    from planner_core import indicators
    from planner_gui.monitoring import EvaluationWindow

    ctx.set_plan(small_plan["plan"].id)
    program = small_plan["program"]
    first = indicators.add_indicator(ctx.db, program.id, title="سهم ناوگان برقی", kind="result", baseline_value=10)
    second = indicators.add_indicator(ctx.db, program.id, title="سفرهای روزانه", kind="result", baseline_value=1)
    for ind in (first, second):
        indicators.set_target(ctx.db, ind.id, 1403, 20)
        indicators.set_actual(ctx.db, ind.id, 1403, "annual", 15, note="")
    window = EvaluationWindow(ctx)
    qtbot.addWidget(window)
    window.set_program(program.id)
    window.period.set_period(1403)
    rows = [r.indicator_id for r in window.model.rows]
    window.select_row(rows.index(first.id))
    window.editor.setPlainText("تأمین نشدن ارز برای خرید باتری")  # typed, «ذخیره توضیح» not pressed
    window.select_row(rows.index(second.id))
    assert indicators.get_indicator(ctx.db, first.id).actual(1403, "annual").note == "تأمین نشدن ارز برای خرید باتری"
    window.select_row([r.indicator_id for r in window.model.rows].index(second.id))
    window.editor.setPlainText("افزایش خطوط")
    window.close()
    assert indicators.get_indicator(ctx.db, second.id).actual(1403, "annual").note == "افزایش خطوط"
