"""The plan form edits the booklet texts (preface, mayor's message, methodology, values), undoably."""

from __future__ import annotations

import pytest

from planner_core import plans
from tests.gui.helpers import open_main_window

pytestmark = pytest.mark.usefixtures("rtl_app")


def test_booklet_texts_are_edited_in_the_plan_form_with_undo(qtbot, db, small_plan, tmp_path):
    window = open_main_window(qtbot, db, tmp_path)
    assert window.select_node(0)
    form = window.detail.plan_form
    assert set(form.booklet_texts) == {"preface", "mayor_message", "methodology", "plan_values"}
    form.booklet_texts["preface"].setPlainText("پیشگفتار برنامه")
    form.booklet_texts["plan_values"].setPlainText("شفافیت و مشارکت")
    # The editor's model: each field is its own undo step («one undo step per field»).
    assert form.save() and window.ctx.undo_stack.count() == 2
    stored = plans.get_plan(db, small_plan["plan"].id)
    assert stored.preface == "پیشگفتار برنامه" and stored.plan_values == "شفافیت و مشارکت"
    window.ctx.undo_stack.undo()
    stored = plans.get_plan(db, small_plan["plan"].id)
    assert (stored.preface == "") != (stored.plan_values == "")  # one step undoes one field
    window.ctx.undo_stack.undo()
    stored = plans.get_plan(db, small_plan["plan"].id)
    assert stored.preface == "" and stored.plan_values == ""
    assert form.booklet_texts["preface"].toPlainText() == ""
