"""Keyboard, menus and discoverability of the tree: the context menu, cut/paste and «انتقال به…»,
one undo step for add-then-rename, shortcuts named the same way in tooltips and menus,
tab order, and search that counts and highlights what it found."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLibraryInfo, Qt, QTranslator
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QToolBar, QToolButton

from planner_core import nodes
from planner_gui.shortcuts import action_keys, key_text
from planner_gui.tree_menu import MoveToDialog
from planner_gui.tree_model import COL_TITLE
from tests.gui.helpers import open_main_window, retype, type_text


@pytest.fixture
def window(qtbot, db, small_plan, tmp_path):
    win = open_main_window(qtbot, db, tmp_path)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    return win


@pytest.fixture
def two_programs(db, small_plan):
    """A second strategy with its own program, to move the project to."""
    plan_id = small_plan["plan"].id
    strategy = nodes.add_node(db, plan_id, small_plan["goal"].id, "strategy", title="مدیریت تقاضای سفر")
    program = nodes.add_node(db, plan_id, strategy.id, "program", title="برنامه پارک‌سوار", first_year=1403,
                             last_year=1404)
    return {**small_plan, "strategy2": strategy, "program2": program}


def _menu_texts(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions() if a.isVisible() and not a.isSeparator()]


def _trigger(menu: QMenu, text: str) -> None:
    action = next(a for a in menu.actions() if a.text() == text)
    assert action.isEnabled(), text
    action.trigger()


def test_context_menu_offers_every_tree_edit(window, small_plan):
    window.select_node(small_plan["project"].id)
    texts = _menu_texts(window.editing.menu())
    for text in ("افزودن &زیرمجموعه", "افزودن &هم‌سطح", "&تغییر نام", "انتقال به &بالا", "انتقال به &پایین",
                 "&برش (برای انتقال)", "&چسباندن زیر این گره", "انتقال &به…", "&حذف…",
                 "باز کردن &شاخص‌ها", "باز کردن &بودجه", "باز کردن &پایش"):
        assert text in texts, text
    assert "افزودن &فعالیت" not in texts  # only programs take activities
    window.select_node(small_plan["program"].id)
    assert "افزودن &فعالیت" in _menu_texts(window.editing.menu())


def test_context_menu_on_a_row_selects_it_and_moves_it_down(qtbot, window, db, small_plan):
    plan_id, program = small_plan["plan"].id, small_plan["program"]
    second = nodes.add_node(db, plan_id, program.id, "project", title="پروژه دوم")
    window.tree.set_plan(plan_id)
    window.select_node(second.id)
    view = window.tree.view
    project_index = window.tree.proxy.mapFromSource(window.tree.model.index_of(small_plan["project"].id, COL_TITLE))
    view.customContextMenuRequested.emit(view.visualRect(project_index).center())
    assert window.tree.current_info().id == small_plan["project"].id
    menus = [m for m in QApplication.topLevelWidgets() if isinstance(m, QMenu) and m.isVisible()]
    assert menus and menus[-1].objectName() == "treeContextMenu"
    _trigger(menus[-1], "انتقال به &پایین")
    menus[-1].close()
    assert [n.id for n in nodes.children(db, plan_id, program.id)] == [second.id, small_plan["project"].id]
    assert window.undo_action.text().startswith("&واگردانی جابه‌جایی پروژه")


def test_cut_and_paste_moves_a_project_under_another_program(window, db, two_programs):
    project, target = two_programs["project"], two_programs["program2"]
    window.select_node(project.id)
    _trigger(window.editing.menu(), "&برش (برای انتقال)")
    window.select_node(target.id)
    _trigger(window.editing.menu(), "&چسباندن زیر این گره")
    assert nodes.get_node(db, project.id).parent_id == target.id
    assert window.tree.current_info().id == project.id  # the selection follows the moved node
    assert window.undo_action.text() == ("&واگردانی انتقال پروژه «خرید ۵۰ دستگاه اتوبوس برقی» "
                                         "به زیر برنامه عملیاتی «برنامه پارک‌سوار»")
    window.undo_action.trigger()
    assert nodes.get_node(db, project.id).parent_id == two_programs["program"].id


def test_cut_and_paste_by_keyboard(qtbot, window, db, two_programs):
    project, target = two_programs["project"], two_programs["program2"]
    window.select_node(project.id)
    window.tree.view.setFocus()
    qtbot.keyClick(window.tree.view, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    window.select_node(target.id)
    window.tree.view.setFocus()
    qtbot.keyClick(window.tree.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert nodes.get_node(db, project.id).parent_id == target.id


def test_move_to_picker_lists_programs_and_moves(qtbot, window, db, two_programs):
    project = two_programs["project"]
    window.select_node(project.id)
    _trigger(window.editing.menu(), "انتقال &به…")
    dialog = window.findChild(MoveToDialog)
    assert dialog is not None and dialog.isVisible()
    shown = [dialog.proxy.index(r, 0).data() for r in range(dialog.proxy.rowCount())]
    assert len(shown) == 1 and "برنامه پارک‌سوار" in shown[0]  # the present parent is not offered
    type_text(dialog.search, "پارك")  # Arabic ك finds Persian ک
    assert dialog.proxy.rowCount() == 1
    dialog.list.setCurrentIndex(dialog.proxy.index(0, 0))
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert nodes.get_node(db, project.id).parent_id == two_programs["program2"].id
    assert window.tree.current_info().id == project.id


def test_open_tab_from_the_menu(window, small_plan):
    window.select_node(small_plan["project"].id)
    _trigger(window.editing.menu(), "باز کردن &بودجه")
    assert window.detail.tabs.currentWidget().objectName() == "budgetTab"


def test_add_then_rename_is_one_undo_step(qtbot, window, db, small_plan):
    window.select_node(small_plan["program"].id)
    window.tree.view.setFocus()
    window.add_child_action.trigger()
    title = window.detail.node_form.title
    assert title.hasFocus() and title.selectedText() == "پروژه جدید"
    type_text(title, "نوسازی ایستگاه‌ها")
    qtbot.keyClick(title, Qt.Key.Key_Return)
    stack = window.ctx.undo_stack
    assert stack.count() == 1
    assert stack.text(0) == "افزودن پروژه «نوسازی ایستگاه‌ها»"
    added = window.detail.node.id
    window.undo_action.trigger()
    assert all(n.id != added for n in nodes.children(db, small_plan["plan"].id, small_plan["program"].id))
    window.redo_action.trigger()
    assert nodes.get_node(db, added).title == "نوسازی ایستگاه‌ها"
    # A later rename is its own step.
    window.select_node(added)
    retype(qtbot, window.detail.node_form.title, "نوسازی ۱۰ ایستگاه")
    qtbot.keyClick(window.detail.node_form.title, Qt.Key.Key_Return)
    assert stack.count() == 2 and stack.text(1) == "ویرایش عنوان"


def test_tooltips_name_the_shortcut_as_the_menus_do(window):
    for action in window.findChildren(QAction):
        keys = action_keys(action)
        if keys:
            assert action.toolTip().endswith(f"({keys})"), action.text()
            assert "Ctrl" not in action.toolTip()
    assert window.undo_action.toolTip().startswith("واگردانی")
    assert window.delete_action.toolTip() == "حذف (حذف)"
    # With Qt's own Persian translation loaded, the menus render the same text as the tooltips.
    translator = QTranslator()
    assert translator.load("qtbase_fa", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    QApplication.installTranslator(translator)
    try:
        for sequence in ("Ctrl+Shift+Z", "Insert", "Ctrl+Up", "Ctrl+Return", "Del", "Ctrl+Shift+X"):
            native = QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)
            assert key_text(sequence) == native
    finally:
        QApplication.removeTranslator(translator)


def test_every_menu_and_menu_item_has_a_mnemonic(window):
    for top in window.menuBar().actions():
        assert "&" in top.text(), top.text()
        menu = top.menu()
        if menu is window.recent_menu:
            continue
        for action in menu.actions():
            if action.isSeparator() or action.menu() is window.recent_menu:
                continue
            assert "&" in action.text(), action.text()


def test_undo_buttons_keep_their_width(window, small_plan):
    toolbar = window.findChild(QToolBar, "mainToolbar")
    button = toolbar.widgetForAction(window.undo_action)
    assert isinstance(button, QToolButton)
    width = button.width()
    window.select_node(small_plan["goal"].id)
    window.add_sibling_action.trigger()
    assert button.text() == "واگردانی" and button.width() == width
    assert window.undo_action.toolTip().startswith("واگردانی افزودن هدف کلان «هدف کلان جدید»")


# --- search ------------------------------------------------------------------------------------

def _search(window, text: str) -> None:
    window.tree.search.setText(text)
    window.tree.apply_filter()


def _row(window, node_id: int):
    return window.tree.proxy.mapFromSource(window.tree.model.index_of(node_id, COL_TITLE))


def test_search_counts_and_highlights_matches_not_ancestors(window, small_plan):
    _search(window, "اتوبوس")  # the strategy «توسعه شبکه اتوبوس‌رانی» and the project match
    assert window.tree.result_label.text() == "۲ مورد یافت شد."
    proxy = window.tree.proxy
    for key in ("strategy", "project"):
        assert proxy.is_match(_row(window, small_plan[key].id))
        assert _row(window, small_plan[key].id).data(Qt.ItemDataRole.BackgroundRole) is not None
    for key in ("axis", "goal", "program"):  # shown only to reach the matches
        index = _row(window, small_plan[key].id)
        assert index.isValid() and not proxy.is_match(index)
        assert index.data(Qt.ItemDataRole.BackgroundRole) is None


def test_search_finds_the_plans_own_title(window, small_plan):
    _search(window, "آزمايشي")  # Arabic ي in the query, Persian ی in the title
    assert window.tree.result_label.text() == "۱ مورد یافت شد."
    assert window.tree.proxy.is_match(window.tree.proxy.index(0, COL_TITLE))


def test_clearing_the_search_keeps_the_selection(window, small_plan):
    window.select_node(small_plan["program"].id)
    _search(window, "اتوبوس")  # the program is shown (an ancestor of the project) and stays selected
    assert window.tree.current_info().id == small_plan["program"].id
    window.select_node(small_plan["project"].id)  # the user picks a match
    _search(window, "ناوگان")  # the project is hidden now
    window.tree.clear_filter()
    assert window.tree.current_info().id == small_plan["project"].id
    view = window.tree.view  # and it is in sight: its ancestors unfolded, scrolled to
    assert view.viewport().rect().intersects(view.visualRect(view.currentIndex().siblingAtColumn(COL_TITLE)))


# --- tab order -----------------------------------------------------------------------------------

def _tab_chain(start, count):
    chain, widget = [start], start
    for _ in range(count):
        widget = widget.nextInFocusChain()
        while not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus) or not widget.isVisible():
            widget = widget.nextInFocusChain()
        chain.append(widget)
    return chain


def test_node_form_tab_order_is_top_to_bottom_with_one_stop_per_date(qtbot, window, small_plan):
    window.select_node(small_plan["project"].id)
    form = window.detail.node_form
    expected = [form.code, form.title, form.description, form.unit, form.start_date, form.end_date,
                form.location, form.weight, form.state, form.save_button, form.revert_button]
    form.code.setFocus()
    seen = [form.code]
    for _ in expected[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focus = QApplication.focusWidget()
        while focus is not None and focus not in expected and focus.parentWidget() in expected:
            focus = focus.parentWidget()  # the line edit inside a date or combo
        seen.append(focus)
    assert seen == expected


def test_empty_date_is_one_tab_stop(qtbot, window, small_plan):
    window.select_node(small_plan["project"].id)
    form = window.detail.node_form
    form.start_date.clear_date()
    form.start_date.setFocus()
    qtbot.keyClick(form.start_date, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() in (form.end_date, *form.end_date.findChildren(type(form.code)))


def test_dialog_tab_order_is_fields_then_buttons(qtbot, window):
    dialog = window.new_plan()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    cancel = dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
    expected = [dialog.code, dialog.title_edit, dialog.first_year, dialog.last_year, dialog.vision, ok, cancel]
    dialog.code.setFocus()
    seen = [dialog.code]
    for _ in expected[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == expected
    dialog.done(0)


def test_plan_form_tab_order(qtbot, window):
    window.select_node(0)
    form = window.detail.plan_form
    texts = [form.booklet_texts[name] for name in ("preface", "mayor_message", "methodology", "plan_values")]
    expected = [form.code, form.title, form.first_year, form.last_year, form.vision, form.mission, *texts,
                form.status, form.on_track, form.at_risk, form.save_button, form.revert_button]
    form.code.setFocus()
    seen = [form.code]
    for _ in expected[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == expected
