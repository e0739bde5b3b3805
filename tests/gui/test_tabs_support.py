"""Fixtures and helpers shared by the node-tab tests (imported by test_tabs_*.py)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture
def rtl_app(qapp):
    """The app as the real one is set up (tests/gui/conftest.py configures it once per session)."""
    return qapp


def screenshot_dir() -> Path:
    """docs/screenshots when BARNAMENEGAR_SCREENSHOTS=1 (to refresh the committed pictures),
    otherwise a scratch folder, so a plain test run leaves the work tree as it was."""
    if os.environ.get("BARNAMENEGAR_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS
    return Path(tempfile.mkdtemp(prefix="barnamenegar-shots-"))


def save_screenshot(widget: QWidget, name: str) -> Path:
    path = screenshot_dir() / name
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
