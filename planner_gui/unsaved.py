"""No edit is lost: the one editing model of the GUI and its helpers.

The model (the usual one of undo-based editors): a field commits when it loses focus or Enter
is pressed, as one undo step (planner_gui.commands); a refusal is shown beside the field, which
keeps the text as typed.  What is still uncommitted (a field being typed, or one the service
refused) is "modified": the form says so and the main window's title carries the ``[*]`` marker.
Leaving such a form (another tree node, another plan, another file, closing, quitting) first
commits what it can; what still cannot be committed is named in one question: discard it, or
stay and correct it.  Dialogs (OK/Cancel forms) ask the same before Cancel/Esc throws away
typed values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from planner_gui.widgets import JalaliDateEdit

MODIFIED_TEXT = "● تغییرهای ثبت‌نشده"
DISCARD_TITLE = "تغییرهای ثبت‌نشده"


def ask_discard(parent: QWidget | None, what: str) -> bool:
    """Ask whether to throw away ``what`` (Persian, names the fields); True: discard, False: stay."""
    box = QMessageBox.question(
        parent, DISCARD_TITLE,
        f"{what}\nاین تغییرها ثبت نشده‌اند. کنار گذاشته شوند؟ (برای اصلاح آن‌ها «انصراف» را بزنید.)",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel)
    return box == QMessageBox.StandardButton.Discard


def ask_save_discard(parent: QWidget | None, what: str) -> str:
    """A dialog closed with typed values: "save", "discard" or "cancel" (stay in the dialog)."""
    answer = QMessageBox.question(
        parent, DISCARD_TITLE, f"{what}\nتغییرها ثبت شوند؟",
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel)
    if answer == QMessageBox.StandardButton.Save:
        return "save"
    if answer == QMessageBox.StandardButton.Discard:
        return "discard"
    return "cancel"


def flush_item_editors(root: QWidget) -> None:
    """Commit the cell editor open in any grid under ``root`` (a cell being typed when the user leaves)."""
    focus = QApplication.focusWidget()
    for view in root.findChildren(QAbstractItemView):
        if view.state() != QAbstractItemView.State.EditingState:
            continue
        delegate = view.itemDelegateForIndex(view.currentIndex())
        editor = focus if focus is not None and view.isAncestorOf(focus) else None
        if editor is None or delegate is None:
            continue
        while editor.parentWidget() is not None and editor.parentWidget() is not view.viewport():
            editor = editor.parentWidget()
        delegate.commitData.emit(editor)
        delegate.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)


class _FocusOut(QObject):
    """Calls ``done`` when a multi-line text field loses focus (it has no editingFinished)."""

    def __init__(self, edit: QWidget, done: Callable[[], Any]) -> None:
        super().__init__(edit)
        self._done = done
        edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self._done()
        return False


def on_finished(widget: QWidget, done: Callable[[], Any]) -> None:
    """Call ``done`` when the user finishes with ``widget``: Enter or focus out (a line, a number,
    a date, a multi-line text on focus out), a choice made (a list, a date from the calendar)."""
    if isinstance(widget, JalaliDateEdit):
        widget.editingFinished.connect(done)
        widget.calendarWidget().clicked.connect(lambda _d: done())
        widget.calendarWidget().activated.connect(lambda _d: done())
    elif isinstance(widget, QLineEdit):
        widget.editingFinished.connect(done)
    elif isinstance(widget, QPlainTextEdit):
        _FocusOut(widget, done)
    elif isinstance(widget, QComboBox):
        widget.activated.connect(lambda _i: done())


def on_typed(widget: QWidget, typed: Callable[[], Any]) -> None:
    """Call ``typed`` on every change of what ``widget`` shows (to keep the modified marker true)."""
    if isinstance(widget, JalaliDateEdit):
        widget.dateChanged.connect(lambda _d: typed())
    elif isinstance(widget, QLineEdit):
        widget.textChanged.connect(lambda _t: typed())
    elif isinstance(widget, QPlainTextEdit):
        widget.textChanged.connect(typed)
    elif isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(lambda _i: typed())


def widget_value(widget: QWidget) -> Any:
    """What a field shows, comparable before and after (for a dialog's "anything typed?")."""
    if isinstance(widget, JalaliDateEdit):
        return widget.date_value()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentIndex()
    return None
