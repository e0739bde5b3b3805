"""The welcome page of an empty file shows its whole sentence, not slivers of it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from tests.gui.helpers import open_main_window, save_screenshot

pytestmark = pytest.mark.usefixtures("rtl_app")


@pytest.mark.parametrize("size", [(1400, 850), (900, 600)])
def test_welcome_text_is_shown_whole(qtbot, db, tmp_path, size):
    window = open_main_window(qtbot, db, tmp_path)
    window.resize(*size)
    qtbot.wait(50)
    assert window.pages.currentWidget() is window.welcome
    text = next(label for label in window.welcome.findChildren(QLabel) if label.wordWrap())
    assert text.isVisible() and text.width() >= 400
    assert text.height() >= text.heightForWidth(text.width())  # every wrapped line has its room
    assert text.height() >= 2 * text.fontMetrics().lineSpacing()
    save_screenshot(window, f"welcome_{size[0]}.png")
