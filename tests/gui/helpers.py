"""Small drivers for GUI tests: find what a user sees, type like a user."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from planner_gui.tree_model import COL_CODE, COL_TITLE


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
