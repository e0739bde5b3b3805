"""The indicators tab: the list, the indicator form, and the targets/actuals grid, driven like a user."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from planner_core import indicators, nodes
from planner_core.errors import PlannerError
from planner_gui.tabs.indicators_tab import COL_TITLE, IndicatorsTab
from planner_gui.tabs.targets_model import (
    NOTE_ROLE,
    ROW_ACHIEVEMENT,
    ROW_ANNUAL,
    ROW_LABELS,
    ROW_Q2,
    ROW_TARGET,
    VALUE_ROLE,
)
from planner_gui.widgets import NumberEdit
from tests.gui.helpers import type_text

pytestmark = pytest.mark.usefixtures("rtl_app")


@pytest.fixture
def tab(qtbot, ctx, small_plan):
    program = small_plan["program"]
    indicators.add_indicator(ctx.db, program.id, title="تعداد اتوبوس برقی فعال", kind="output",
                             unit="دستگاه", baseline_year=1402, baseline_value=10)
    widget = IndicatorsTab(ctx)
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_node(nodes.get_node(ctx.db, program.id))
    return widget


def type_into(qtbot, view, row: int, column: int, text: str) -> None:
    """Open the cell's editor as a double-click would, type, press Enter."""
    index = view.model().index(row, column)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.indexWidget(index)
    assert isinstance(editor, NumberEdit)
    editor.selectAll()
    if text:
        type_text(editor, text)
    else:
        qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits and closes the editor from a queued call.
    qtbot.waitUntil(lambda: view.indexWidget(index) is None)


def cell(tab, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    return tab.targets.index(row, column).data(role)


def stored(tab):
    return indicators.get_indicator(tab.ctx.db, tab.targets.indicator.id)


def test_grid_years_follow_the_program_and_earliest_is_on_the_right(tab):
    grid = tab.grid
    assert [tab.targets.headerData(c, Qt.Orientation.Horizontal) for c in range(2)] == ["۱۴۰۳", "۱۴۰۴"]
    assert [tab.targets.headerData(r, Qt.Orientation.Vertical) for r in range(7)] == list(ROW_LABELS.values())
    assert grid.isRightToLeft()
    assert grid.columnViewportPosition(0) > grid.columnViewportPosition(1)


def test_typing_targets_and_actuals_in_any_digit_script(qtbot, tab):
    stack = tab.ctx.undo_stack
    type_into(qtbot, tab.grid, ROW_TARGET, 0, "٤٥")  # Arabic-Indic 45
    type_into(qtbot, tab.grid, ROW_ANNUAL, 0, "۱۲٫۵")  # Persian 12.5
    type_into(qtbot, tab.grid, ROW_Q2, 1, "7.25")
    info = stored(tab)
    assert info.targets == {1403: 45.0}
    assert info.actual(1403).value == 12.5 and info.actual(1404, "q2").value == 7.25
    assert cell(tab, ROW_TARGET, 0) == "۴۵" and cell(tab, ROW_ANNUAL, 0) == "۱۲٫۵"
    # (12.5 − 10) / (45 − 10) = 7.1 %, with its reason as the tooltip and a status colour.
    assert cell(tab, ROW_ACHIEVEMENT, 0) == "۷٪"
    assert "مقدار پایه تا هدف" in cell(tab, ROW_ACHIEVEMENT, 0, Qt.ItemDataRole.ToolTipRole)
    assert cell(tab, ROW_ACHIEVEMENT, 0, Qt.ItemDataRole.BackgroundRole) is not None
    assert cell(tab, ROW_ACHIEVEMENT, 1) == "—"  # no target for 1404
    assert "هدفی" in cell(tab, ROW_ACHIEVEMENT, 1, Qt.ItemDataRole.ToolTipRole)
    assert stack.count() == 3

    type_into(qtbot, tab.grid, ROW_ANNUAL, 0, "45")
    assert cell(tab, ROW_ACHIEVEMENT, 0) == "۱۰۰٪"

    stack.undo()
    assert stored(tab).actual(1403).value == 12.5 and cell(tab, ROW_ACHIEVEMENT, 0) == "۷٪"
    stack.undo()
    stack.undo()
    stack.undo()
    info = stored(tab)
    assert info.targets == {} and info.actuals == ()
    assert cell(tab, ROW_TARGET, 0) == "" and cell(tab, ROW_ACHIEVEMENT, 0) == "—"
    stack.redo()
    stack.redo()
    assert stored(tab).targets == {1403: 45.0} and stored(tab).actual(1403).value == 12.5
    assert cell(tab, ROW_ACHIEVEMENT, 0) == "۷٪"


def test_invalid_cell_text_shows_a_persian_message_and_changes_nothing(qtbot, tab):
    type_into(qtbot, tab.grid, ROW_TARGET, 0, "۴۵")
    count = tab.ctx.undo_stack.count()
    type_into(qtbot, tab.grid, ROW_TARGET, 0, "چهل")
    assert tab.message.isVisible() and "عدد نیست" in tab.message.text()
    assert stored(tab).targets == {1403: 45.0}
    assert tab.ctx.undo_stack.count() == count
    assert cell(tab, ROW_TARGET, 0) == "۴۵"
    # Clearing a cell clears the value (one undo step).
    type_into(qtbot, tab.grid, ROW_TARGET, 0, "")
    assert stored(tab).targets == {} and not tab.message.isVisible()
    tab.ctx.undo_stack.undo()
    assert stored(tab).targets == {1403: 45.0}


def test_note_on_an_actual(qtbot, tab):
    type_into(qtbot, tab.grid, ROW_ANNUAL, 1, "11")
    index = tab.targets.index(ROW_ANNUAL, 1)
    assert tab.edit_note(index, "برآورد اولیه واحد حمل‌ونقل") is None
    assert stored(tab).actual(1404).note == "برآورد اولیه واحد حمل‌ونقل"
    assert index.data(NOTE_ROLE) == "برآورد اولیه واحد حمل‌ونقل"
    assert "برآورد اولیه" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert index.data(VALUE_ROLE) == 11.0
    tab.ctx.undo_stack.undo()
    assert stored(tab).actual(1404).note == "" and stored(tab).actual(1404).value == 11.0


def test_kinds_offered_are_only_those_of_the_level(tab, ctx, small_plan):
    dialog = tab.open_dialog()
    assert [dialog.kind.itemData(i) for i in range(dialog.kind.count())] == ["output", "result"]
    tab.set_node(nodes.get_node(ctx.db, small_plan["goal"].id))
    dialog = tab.open_dialog()
    assert [dialog.kind.itemText(i) for i in range(dialog.kind.count())] == ["پیامدی"]


def test_add_edit_delete_indicator_with_errors_beside_fields(qtbot, tab):
    stack = tab.ctx.undo_stack
    dialog = tab.open_dialog()
    dialog.title_edit.setText("سهم سفرهای عمومی")
    dialog.kind.setCurrentIndex(dialog.kind.findData("result"))
    dialog.unit.setText("درصد")
    dialog.baseline_year.setText("١٤٠٢")
    dialog.baseline_value.setText("۳۰")
    dialog.weight.setText("دو")
    dialog.accept()
    assert dialog.result() == 0 and "weight" in dialog.form.visible_errors()
    assert "عدد نیست" in dialog.form.visible_errors()["weight"]
    assert stack.count() == 0 and tab.model.rowCount() == 1
    dialog.weight.setText("۲")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.form.visible_errors() == {}
    assert tab.model.rowCount() == 2 and stack.count() == 1
    new = tab.selected()
    assert new.title == "سهم سفرهای عمومی" and new.baseline_year == 1402 and new.weight == 2
    assert tab.model.index(1, COL_TITLE).data() == "سهم سفرهای عمومی"
    assert tab.model.index(1, 2).data() == "نتیجه‌ای"

    edit = tab.open_dialog(new)
    assert edit.baseline_value.text() == "۳۰"
    edit.title_edit.setText("")
    edit.accept()
    assert "title" in edit.form.visible_errors() and stack.count() == 1
    edit.title_edit.setText("سهم سفرهای حمل‌ونقل عمومی")
    edit.accept()
    assert tab.selected().title == "سهم سفرهای حمل‌ونقل عمومی"

    indicators.set_target(tab.ctx.db, new.id, 1403, 35)
    assert tab.delete_indicator() is None
    assert tab.model.rowCount() == 1
    stack.undo()  # the deleted indicator comes back whole, target included
    assert tab.model.rowCount() == 2
    assert indicators.get_indicator(tab.ctx.db, new.id).targets == {1403: 35.0}
    stack.undo()
    stack.undo()  # the add itself
    assert tab.model.rowCount() == 1
    stack.redo()
    assert [r.id for r in tab.model.rows][-1] == new.id


def test_refused_edit_stays_off_the_stack(tab, ctx, small_plan):
    from planner_core import plans

    plans.update_plan(ctx.db, small_plan["plan"].id, status="approved")
    index = tab.targets.index(ROW_TARGET, 0)
    assert tab.targets.setData(index, "12") is False
    assert ctx.undo_stack.count() == 0 and "مصوب" in tab.message.text()
    failure = tab.delete_indicator()
    assert isinstance(failure, PlannerError) and tab.model.rowCount() == 1


def test_models_pass_the_model_tester(qtmodeltester, tab):
    tab.targets.setData(tab.targets.index(ROW_TARGET, 0), "5")
    qtmodeltester.check(tab.model)
    qtmodeltester.check(tab.targets)


def test_registered_as_a_node_tab(ctx):
    import planner_gui.tabs  # noqa: F401 - registers
    from planner_gui.extensions import NODE_TABS

    titles = [factory(ctx, None).tab_title for factory in NODE_TABS]
    assert "شاخص‌ها" in titles


def test_line_edits_are_not_used_for_numbers(tab):
    dialog = tab.open_dialog()
    assert isinstance(dialog.baseline_value, NumberEdit) and isinstance(dialog.title_edit, QLineEdit)
