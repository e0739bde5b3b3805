"""Undo texts show a typed title as the store keeps it (Persian letters), cut short for the toolbar."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QToolButton

from tests.gui.helpers import open_main_window, type_text

pytestmark = pytest.mark.usefixtures("rtl_app")

TYPED = "برنامه آزمايشي شهر كرج  برای توسعه پایدار محله‌های کم‌برخوردار و بافت فرسوده تا افق ۱۴۱۰"


def test_new_plan_undo_text_is_normalised_and_short(qtbot, db, tmp_path):
    window = open_main_window(qtbot, db, tmp_path)
    window.resize(1280, 800)
    dialog = window.new_plan()
    type_text(dialog.municipality, "شهرداری کرج")
    type_text(dialog.code, "KRJ-1410")
    type_text(dialog.title_edit, TYPED)
    dialog.accept()
    assert dialog.created is not None
    assert "شهرداری کرج" in window.undo_action.text()  # the municipality is named after the plan
    window.ctx.undo_stack.undo()
    text = window.undo_action.text()
    assert "ي" not in text and "ك" not in text  # Arabic yeh and kaf became Persian
    assert "آزمایشی شهر کرج برای" in text and text.endswith("…»")
    assert len(text) < 80  # «واگردانی ایجاد برنامه راهبردی» and at most 40 letters of the title
    undo_button = next(b for b in window.findChildren(QToolButton) if b.defaultAction() is window.undo_action)
    assert undo_button.sizeHint().width() < 450
