"""Fixtures and helpers shared by the node-tab tests (imported by test_tabs_*.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"


def persian_app(app: QApplication) -> None:
    """What the real app sets once: right-to-left and the bundled Vazirmatn font."""
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    for name in ("Vazirmatn-Regular.ttf", "Vazirmatn-Bold.ttf"):
        QFontDatabase.addApplicationFont(str(ROOT / "resources" / "fonts" / name))
    app.setFont(QFont("Vazirmatn", 10))


@pytest.fixture
def rtl_app(qapp):
    persian_app(qapp)
    return qapp


def save_screenshot(widget: QWidget, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    assert widget.grab().save(str(path))
    return path


def test_support_sets_rtl(rtl_app, qapp):
    assert qapp.layoutDirection() == Qt.LayoutDirection.RightToLeft


def type_text(widget: QWidget, text: str) -> None:
    """Type any Unicode text as key events (QTest.keyClicks only knows ASCII keys)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))
