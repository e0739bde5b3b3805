"""Structural edits from the main window: delete with a counted confirmation, move, add, shortcuts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from planner_core import nodes
from planner_gui.tree_model import COL_CODE, COL_TITLE
from tests.gui.helpers import open_main_window


@pytest.fixture
def window(qtbot, db, small_plan, tmp_path):
    return open_main_window(qtbot, db, tmp_path)


@pytest.fixture
def answer(monkeypatch):
    """Answer the confirmation box and remember what it asked."""
    asked: list[str] = []
    reply = {"button": QMessageBox.StandardButton.Yes}

    def question(_parent, _title, text, *args, **kwargs):
        asked.append(text)
        return reply["button"]

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked, reply


def test_delete_says_how_many_descendants_go_and_undo_restores(window, db, small_plan, answer):
    asked, reply = answer
    plan_id = small_plan["plan"].id
    window.select_node(small_plan["goal"].id)
    reply["button"] = QMessageBox.StandardButton.No
    assert not window.delete_selected()
    assert "۳ زیرمجموعه" in asked[-1] and "«افزایش سهم حمل‌ونقل عمومی»" in asked[-1]
    assert nodes.count_descendants(db, small_plan["axis"].id) == 4

    reply["button"] = QMessageBox.StandardButton.Yes
    window.tree.view.setFocus()
    window.delete_action.trigger()
    assert nodes.children(db, plan_id, small_plan["axis"].id) == []
    assert window.undo_action.text() == "&واگردانی حذف هدف کلان «افزایش سهم حمل‌ونقل عمومی» و ۳ زیرمجموعه"
    window.undo_action.trigger()
    assert nodes.count_descendants(db, small_plan["axis"].id) == 4
    assert window.select_node(small_plan["project"].id)  # the restored branch is in the tree again


def _codes_and_titles(window, parent_id):
    model = window.tree.model
    parent = model.index_of(parent_id)
    return [(model.index(r, COL_CODE, parent).data(), model.index(r, COL_TITLE, parent).data())
            for r in range(model.rowCount(parent))]


def test_move_up_and_down_renumber_codes(qtbot, window, db, small_plan):
    plan_id, program = small_plan["plan"].id, small_plan["program"]
    second = nodes.add_node(db, plan_id, program.id, "project", title="پروژه دوم")
    window.tree.set_plan(plan_id)
    window.select_node(second.id)
    window.tree.view.setFocus()
    qtbot.keyClick(window.tree.view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    rows = _codes_and_titles(window, program.id)
    assert [title for _code, title in rows] == ["پروژه دوم", "خرید ۵۰ دستگاه اتوبوس برقی"]
    assert [code.rsplit("-", 1)[1] for code, _title in rows] == ["۱", "۲"]
    assert nodes.get_node(db, second.id).code == "1"
    assert window.tree.current_info().id == second.id  # the selection follows the moved row
    window.move_down_action.trigger()
    assert [t for _c, t in _codes_and_titles(window, program.id)] == ["خرید ۵۰ دستگاه اتوبوس برقی", "پروژه دوم"]
    assert not window.move_down_action.trigger() and nodes.get_node(db, second.id).code == "2"
    window.undo_action.trigger()
    assert nodes.get_node(db, second.id).code == "1"


def test_add_sibling_and_activity(window, db, small_plan):
    window.select_node(small_plan["project"].id)
    window.tree.view.setFocus()
    window.add_sibling_action.trigger()
    siblings = nodes.children(db, small_plan["plan"].id, small_plan["program"].id)
    assert [s.title for s in siblings] == ["خرید ۵۰ دستگاه اتوبوس برقی", "پروژه جدید"]
    assert window.detail.node.id == siblings[1].id
    window.select_node(small_plan["program"].id)
    assert window.add_activity_action.isEnabled()
    window.add_activity_action.trigger()
    kinds = [s.kind for s in nodes.children(db, small_plan["plan"].id, small_plan["program"].id)]
    assert kinds == ["project", "project", "activity"]
    window.select_node(siblings[0].id)
    assert not window.add_child_action.isEnabled()  # nothing goes under a project


def test_every_action_has_a_keyboard_shortcut(window):
    actions = [window.new_plan_action, window.new_file_action, window.open_action, window.sample_action,
               window.quit_action, window.undo_action, window.redo_action, window.save_action,
               window.add_child_action, window.add_activity_action, window.add_sibling_action,
               window.delete_action, window.move_up_action, window.move_down_action, window.find_action,
               window.focus_tree_action, window.focus_form_action, window.clear_filter_action]
    missing = [a.text() for a in actions if a.shortcut().isEmpty()]
    assert missing == []
    keys = {a.objectName(): [s.toString() for s in a.shortcuts()] for a in actions}
    assert "Ctrl+Z" in keys["undo"]
    assert {"Ctrl+Shift+Z", "Ctrl+Y"} <= set(keys["redo"])
    assert QKeySequence("Ctrl+S").toString() in keys["save"]
    shortcuts = [s.toString() for a in actions for s in a.shortcuts()]
    assert len(shortcuts) == len(set(shortcuts)), "two actions share a shortcut"
    # Menus are reachable with Alt: every top-level menu title has a mnemonic.
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles and all("&" in title for title in titles)


def test_undo_shortcut_from_the_keyboard(qtbot, window, db, small_plan):
    window.select_node(small_plan["axis"].id)
    window.tree.view.setFocus()
    qtbot.keyClick(window.tree.view, Qt.Key.Key_Insert)
    assert len(nodes.children(db, small_plan["plan"].id, small_plan["axis"].id)) == 2
    window.tree.view.setFocus()
    qtbot.keyClick(window.tree.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(nodes.children(db, small_plan["plan"].id, small_plan["axis"].id)) == 1
    qtbot.keyClick(window.tree.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert len(nodes.children(db, small_plan["plan"].id, small_plan["axis"].id)) == 2


def test_tab_order_reads_right_to_left(window):
    # The tree (right) comes before the form (left); in the filter row, the search comes first.
    tree_x = window.tree.mapTo(window, window.tree.rect().topLeft()).x()
    form_x = window.detail.mapTo(window, window.detail.rect().topLeft()).x()
    assert tree_x > form_x
    order = []
    widget = window.tree.search
    while len(order) < 5:
        if widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            order.append(widget.objectName())
        widget = widget.nextInFocusChain()
    assert order == ["search", "unitFilter", "stateFilter", "yearFilter", "planTree"]
