"""The detail form shows plan and node codes with Persian digits, as the tree does."""

from __future__ import annotations

import pytest

from planner_core import nodes, plans
from planner_gui.tree_model import COL_CODE
from tests.gui.helpers import open_main_window, retype

pytestmark = pytest.mark.usefixtures("rtl_app")


def test_plan_code_in_the_form_matches_the_tree(qtbot, db, small_plan, tmp_path):
    plans.update_plan(db, small_plan["plan"].id, code="T-1410")
    window = open_main_window(qtbot, db, tmp_path)
    assert window.select_node(0)
    form = window.detail.plan_form
    assert form.code.text() == "T-۱۴۱۰" == window.tree.view.currentIndex().siblingAtColumn(COL_CODE).data()
    # Saving an untouched form changes nothing; a typed code in Latin digits is stored as typed.
    assert form.save() and window.ctx.undo_stack.count() == 0
    retype(qtbot, form.title, "برنامه آزمایشی دیگر")
    assert form.save() and window.ctx.undo_stack.count() == 1
    assert plans.get_plan(db, small_plan["plan"].id).code == "T-1410"
    retype(qtbot, form.code, "T-1411")
    assert form.save() and plans.get_plan(db, small_plan["plan"].id).code == "T-1411"
    assert form.code.text() == "T-۱۴۱۱"


def test_node_code_in_the_form_has_persian_digits(qtbot, db, small_plan, tmp_path):
    window = open_main_window(qtbot, db, tmp_path)
    assert window.select_node(small_plan["goal"].id)
    assert window.detail.node_form.code.text() == "۱"
    assert nodes.get_node(db, small_plan["goal"].id).code == "1"
