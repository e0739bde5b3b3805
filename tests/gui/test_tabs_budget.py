"""The budget tab: allocations through the form, the searchable code picker, totals, undo, program sums."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from planner_core import budget, nodes
from planner_gui.tabs.allocations_tab import COL_AMOUNT, COL_CODE, COL_SPENT, COL_TITLE, HEADERS, BudgetTab
from planner_gui.tabs.budget_codes import CODE_ROLE, BudgetCodeCombo

pytestmark = pytest.mark.usefixtures("rtl_app")


@pytest.fixture
def tab(qtbot, ctx, small_plan):
    budget.add_budget_code(ctx.db, code="302", title="پیاده‌راه و دوچرخه", parent_code="3")
    widget = BudgetTab(ctx)
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.show()
    widget.set_node(nodes.get_node(ctx.db, small_plan["project"].id))
    return widget


def rows(tab):
    m = tab.model
    return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]


def test_headers_name_the_money_unit(tab):
    assert "میلیون ریال" in HEADERS[COL_AMOUNT] and "میلیون ریال" in HEADERS[COL_SPENT]


def test_the_picker_offers_only_codes_without_sub_codes(qtbot, tab):
    dialog = tab.open_dialog()
    qtbot.addWidget(dialog)
    offered = [dialog.code.itemData(i, CODE_ROLE) for i in range(dialog.code.count())]
    assert "3" not in offered and {"301", "302"} <= set(offered)  # «۳» has sub-codes: refused, so not offered
    assert dialog.code.search("عمران") == []
    assert dialog.code.search("۳") == ["301", "302"]


def test_allocate_a_project_to_two_codes_and_see_the_totals(tab, small_plan):
    stack, project = tab.ctx.undo_stack, small_plan["project"]
    dialog = tab.open_dialog()
    assert [dialog.year.itemText(i) for i in range(dialog.year.count())] == ["۱۴۰۳", "۱۴۰۴"]
    dialog.year.setCurrentIndex(0)
    assert dialog.code.search("حمل و نقل") == ["301"]  # ZWNJ vs space does not matter
    assert dialog.code.search("٣٠٢") == ["302"]  # Arabic-Indic digits
    dialog.code.setEditText("302")
    dialog.amount.setText("٢٬٥٠٠")  # Arabic-Indic with a Persian thousands sign: 2,500 million
    dialog.spent.setText("۱۲۰۰٫۵")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    added = [a for a in budget.list_allocations(tab.ctx.db, project.id) if a.budget_code == "302"]
    assert [(a.year, a.amount, a.spent) for a in added] == [(1403, 2_500_000_000, 1_200_500_000)]
    table = rows(tab)
    assert [r[COL_CODE] for r in table] == ["۳۰۱", "۳۰۲", "", "۳۰۱", ""]
    assert table[2][COL_TITLE] == "جمع سال ۱۴۰۳" and table[2][COL_AMOUNT] == "۴۲٬۵۰۰"
    assert table[2][COL_SPENT] == "۱٬۲۰۰٫۵" and table[4][COL_AMOUNT] == "۴۰٬۰۰۰"
    assert tab.model.index(2, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert stack.count() == 1 and tab.selected().budget_code == "302"

    stack.undo()
    assert [r[COL_CODE] for r in rows(tab)] == ["۳۰۱", "", "۳۰۱", ""]
    stack.redo()
    assert rows(tab)[2][COL_AMOUNT] == "۴۲٬۵۰۰"


def test_errors_show_beside_the_fields_and_nothing_is_stored(tab, small_plan):
    before = budget.list_allocations(tab.ctx.db, small_plan["project"].id)
    dialog = tab.open_dialog()
    dialog.code.setEditText("۳")
    dialog.amount.setText("ده")
    dialog.accept()
    assert "عدد نیست" in dialog.form.visible_errors()["amount"]
    dialog.code.setEditText("۳۰۱")
    dialog.amount.setText("10")
    dialog.accept()  # 1403 already has code 301
    assert "همین سال" in dialog.form.visible_errors()["budget_code"]
    dialog.code.setEditText("999")
    dialog.accept()
    assert "فهرست کدهای بودجه نیست" in dialog.form.visible_errors()["budget_code"]
    assert budget.list_allocations(tab.ctx.db, small_plan["project"].id) == before
    assert tab.ctx.undo_stack.count() == 0 and dialog.result() == 0


def test_edit_and_delete_with_undo(tab, small_plan):
    stack = tab.ctx.undo_stack
    tab.table.selectionModel().select(tab.model.index(0, 0), tab.table.selectionModel().SelectionFlag.ClearAndSelect
                                      | tab.table.selectionModel().SelectionFlag.Rows)
    chosen = tab.selected()
    dialog = tab.open_dialog(chosen)
    assert dialog.code.code() == "301" and dialog.amount.text() == "۴۰٬۰۰۰"
    dialog.amount.setText("۴۵۰۰۰")
    dialog.spent.setText("50000")
    dialog.accept()
    assert "هزینه‌شده" in dialog.form.visible_errors()["spent"]
    dialog.spent.setText("1000")
    dialog.accept()
    assert budget.list_allocations(tab.ctx.db, small_plan["project"].id)[0].amount == 45_000_000_000
    stack.undo()
    assert budget.list_allocations(tab.ctx.db, small_plan["project"].id)[0].amount == 40_000_000_000
    tab.table.selectionModel().select(tab.model.index(0, 0), tab.table.selectionModel().SelectionFlag.ClearAndSelect
                                      | tab.table.selectionModel().SelectionFlag.Rows)
    assert tab.delete_allocation() is None
    assert len(budget.list_allocations(tab.ctx.db, small_plan["project"].id)) == 1
    stack.undo()
    assert len(budget.list_allocations(tab.ctx.db, small_plan["project"].id)) == 2


def test_program_shows_a_read_only_sum(tab, ctx, small_plan):
    other = nodes.add_node(ctx.db, small_plan["plan"].id, small_plan["program"].id, "activity", title="فعالیت")
    budget.add_allocation(ctx.db, other.id, year=1403, budget_code="301", amount=5_000_000_000)
    tab.set_node(nodes.get_node(ctx.db, small_plan["program"].id))
    table = rows(tab)
    assert table[0][COL_AMOUNT] == "۴۵٬۰۰۰" and table[1][COL_TITLE] == "جمع سال ۱۴۰۳"
    assert "۲" in tab.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)  # from 2 projects
    assert not tab.add_button.isVisible() and tab.applies_to("program") and not tab.applies_to("goal")


def test_code_combo_picks_from_the_completer(qtbot, ctx, small_plan):
    combo = BudgetCodeCombo(budget.list_budget_codes(ctx.db))
    qtbot.addWidget(combo)
    combo.setEditText("عمومي")  # Arabic yeh
    assert combo.code() == "301"
    combo.completer().activated[str].emit(combo.itemText(0))
    assert combo.currentIndex() == 0 and combo.code() == "3"


def test_models_pass_the_model_tester(qtmodeltester, tab):
    qtmodeltester.check(tab.model)
    combo = tab.open_dialog().code
    qtmodeltester.check(combo.codes)
    combo.search("۳۰")
    qtmodeltester.check(combo.proxy)
