"""A planner builds a plan from nothing through the real widgets, undoes it all, redoes it all,
then finds the project by typing its name with an Arabic keyboard."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox

from planner_core import budget, nodes, plans
from planner_gui.main_window import MainWindow
from planner_gui.plan_dialog import NewPlanDialog
from planner_gui.widgets import JALALI
from tests.gui.helpers import open_main_window, retype, type_text, visible_titles


@pytest.fixture
def window(qtbot, db, tmp_path):
    return open_main_window(qtbot, db, tmp_path)


def _create_plan(qtbot, window: MainWindow) -> None:
    assert window.pages.currentWidget() is window.welcome  # an empty file greets the user
    qtbot.mouseClick(window.welcome.new_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(NewPlanDialog)
    assert dialog is not None and dialog.isVisible()
    retype(qtbot, dialog.municipality, "شهرداری آزمایشی")  # a new file: whose plans these are
    retype(qtbot, dialog.code, "TST-1410")
    retype(qtbot, dialog.title_edit, "برنامه راهبردی آزمایشی")
    retype(qtbot, dialog.first_year, "١٤٠٣")  # Arabic-Indic digits
    retype(qtbot, dialog.last_year, "1410")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def _add_child_titled(qtbot, window: MainWindow, title: str) -> None:
    window.tree.view.setFocus()
    window.add_child_action.trigger()
    form = window.detail.node_form
    assert form.title.hasFocus() or form.title.selectedText()  # ready to type the real title
    retype(qtbot, form.title, title)
    qtbot.keyClick(form.title, Qt.Key.Key_Return)  # Enter saves
    assert not form.form.visible_errors()


def _build_whole_plan(qtbot, window: MainWindow) -> None:
    _create_plan(qtbot, window)
    assert window.pages.currentWidget() is window.splitter
    _add_child_titled(qtbot, window, "محیط زیست شهری")
    _add_child_titled(qtbot, window, "افزایش سرانه فضای سبز")
    _add_child_titled(qtbot, window, "توسعه پارک‌های محله‌ای")
    _add_child_titled(qtbot, window, "برنامه فضای سبز محلات")
    form = window.detail.node_form
    retype(qtbot, form.first_year, "۱۴۰۳")
    retype(qtbot, form.last_year, "1404")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert not form.form.visible_errors()
    _add_child_titled(qtbot, window, "احداث پارک محله‌ای زاینده‌رود")
    assert "افزودن پروژه" in window.undo_action.text() or "ویرایش" in window.undo_action.text()
    # Jalali dates through the date widgets, an amount typed in Arabic-Indic digits.
    form.start_date.setDate(QDate(1403, 7, 1, JALALI))
    form.end_date.setDate(QDate(1404, 6, 25, JALALI))
    assert form.end_date.text() == "۲۵ شهریور ۱۴۰۴"
    retype(qtbot, form.weight, "٢٫٥")  # Arabic-Indic digits with the Arabic decimal sign
    form.weight.editingFinished.emit()
    assert form.weight.text() == "۲٫۵"
    window.save_action.trigger()
    assert not form.form.visible_errors()
    _allocate(qtbot, window, "١٢٬٥٠٠")


def _allocate(qtbot, window: MainWindow, amount: str) -> None:
    """The project's «بودجه» tab: 12,500 million rials typed in Arabic-Indic digits."""
    tabs = window.detail.tabs
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert "بودجه" in titles
    tabs.setCurrentIndex(titles.index("بودجه"))
    budget_tab = tabs.currentWidget()
    dialog = budget_tab.open_dialog()
    qtbot.addWidget(dialog)
    dialog.year.setCurrentIndex(dialog.year.findData(1404))
    dialog.code.set_code("301")
    retype(qtbot, dialog.amount, amount)
    dialog.amount.editingFinished.emit()
    assert dialog.amount.text() == "۱۲٬۵۰۰"
    dialog.accept()
    assert not dialog.form.visible_errors()
    tabs.setCurrentIndex(0)


def _project(db) -> nodes.NodeInfo | None:
    [plan] = plans.list_plans(db)
    level = nodes.children(db, plan.id, None)
    for _depth in range(4):
        if len(level) != 1:
            return None
        level = nodes.children(db, plan.id, level[0].id)
    return level[0] if len(level) == 1 else None


def test_build_undo_redo_and_search(qtbot, window, db):
    # The municipality's budget code list is kept outside any plan; it is there beforehand.
    budget.add_budget_code(db, code="3", title="عمران شهری")
    budget.add_budget_code(db, code="301", title="فضای سبز و پارک‌ها", parent_code="3")
    _build_whole_plan(qtbot, window)
    project = _project(db)
    assert project is not None and project.kind == "project"
    assert project.title == "احداث پارک محله‌ای زاینده‌رود"
    assert project.start_date == date(2024, 9, 22)  # 1 Mehr 1403
    assert project.end_date == date(2025, 9, 16)  # 25 Shahrivar 1404
    assert project.weight == 2.5
    [allocation] = budget.list_allocations(db, project.id)
    assert (allocation.year, allocation.budget_code, allocation.amount) == (1404, "301", 12_500_000_000)
    assert project.full_code == "1-1-1-1-1"
    # The tree shows the whole chain with Persian codes.
    titles = visible_titles(window.tree.view)
    assert "احداث پارک محله‌ای زاینده‌رود" in titles

    # Undo everything: the Edit menu says what goes, and the file ends up empty.
    steps = window.ctx.undo_stack.count()
    assert steps >= 10  # each add-then-rename is one step
    while window.ctx.undo_stack.canUndo():
        assert window.undo_action.text().replace("&", "").startswith("واگردانی")
        window.undo_action.trigger()
    assert plans.list_plans(db) == []
    assert nodes.search(db, project.plan_id) == set()
    assert window.pages.currentWidget() is window.welcome

    # Redo everything: the same plan, down to the project's dates and weight.
    while window.ctx.undo_stack.canRedo():
        window.redo_action.trigger()
    again = _project(db)
    assert again is not None
    assert (again.id, again.title, again.start_date, again.end_date, again.weight) == (
        project.id, project.title, project.start_date, project.end_date, project.weight)
    assert [a.amount for a in budget.list_allocations(db, again.id)] == [12_500_000_000]
    assert window.pages.currentWidget() is window.splitter
    assert "برنامه راهبردی آزمایشی" in window.windowTitle() and "plan.db" in window.windowTitle()

    # Search with Arabic kaf and yeh finds the project even in a freshly loaded (lazy) tree.
    window.tree.set_plan(again.plan_id)
    window.tree.search.setFocus()
    type_text(window.tree.search, "پارك محله اي")
    qtbot.waitUntil(lambda: window.tree.result_label.isVisible(), timeout=2000)
    titles = visible_titles(window.tree.view)
    assert "احداث پارک محله‌ای زاینده‌رود" in titles
    assert "پیدا نشد" not in window.tree.result_label.text()
    retype(qtbot, window.tree.search, "چیزی که نیست")
    window.tree.apply_filter()
    assert window.tree.result_label.text() == "چیزی پیدا نشد."
    assert visible_titles(window.tree.view) == ["برنامه راهبردی آزمایشی"]
