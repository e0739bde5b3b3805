"""Small drivers for GUI tests: open the main window, find what a user sees, type like a user,
save screenshots."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from planner_gui.tree_model import COL_CODE, COL_TITLE

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"


def open_main_window(qtbot, db, tmp_path: Path):
    """The main window over ``db``, shown, closed by pytest-qt after the test."""
    from planner_gui.main_window import MainWindow

    window = MainWindow(db, tmp_path / "plan.db")
    qtbot.addWidget(window)
    window.show()
    return window


def retype(qtbot, edit: QLineEdit, text: str) -> None:
    """Select all and type ``text`` key by key, as a user would."""
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    type_text(edit, text)


def type_text(widget: QWidget, text: str) -> None:
    """Key presses carrying Persian/Arabic characters (QTest.keyClicks handles Latin-1 only)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def visible_rows(view, parent: QModelIndex | None = None, depth: int = 0) -> list[tuple[int, str, str]]:
    """(depth, code, title) of every row the tree view currently shows, top to bottom."""
    model = view.model()
    parent = parent or QModelIndex()
    rows = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        rows.append((depth, index.siblingAtColumn(COL_CODE).data(), index.siblingAtColumn(COL_TITLE).data()))
        if view.isExpanded(index):
            rows.extend(visible_rows(view, index, depth + 1))
    return rows


def visible_titles(view) -> list[str]:
    return [title for _depth, _code, title in visible_rows(view)]


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
