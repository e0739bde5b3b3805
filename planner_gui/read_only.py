"""One answer to "why may the editor not change this?", applied in one place.

Three things make the editor read-only: the FILE (another instance holds the writer lock, a folder
we cannot write, a damaged file: ``db.read_only``), a PLAN received from another municipality, and a
PLAN submitted, approved or archived.  :func:`read_only_state` says which, with the Persian reason (the
plan part is decided by planner_core.plans.edit_refusal, the rule the services enforce), and whether
monitoring (actuals, quarterly reports, evaluations, lessons) still goes on — only on a plan frozen
by its status.  :class:`ReadOnlyGuard` applies it to the main window: every form field read-only
(text stays selectable and copyable), every editing action and button greyed with the reason as its
tooltip; the detail tabs apply it to their own controls through :meth:`NodeTab.apply_read_only`.
Each reason has one banner: the file's (safety), the received plan's (exchange), the status
(lifecycle), each with its action button.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget
from shiboken6 import isValid

from db.engine import Database
from planner_core import plans
from planner_core.errors import PlannerError

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from planner_gui.main_window import MainWindow

FILE_REASONS = {
    "locked": "این فایل را برنامه دیگری برای ویرایش باز کرده است؛ فقط برای خواندن باز شده.",
    "place": "در پوشه این فایل نمی‌توان نوشت؛ فقط برای خواندن باز شده.",
    "damaged": "این فایل آسیب دیده و فقط برای خواندن باز شده است.",
}
FILE_REASON = "این فایل فقط برای خواندن باز شده است."

# Main-window actions that change the plan (the tree menu's and the window's own).
PLAN_EDIT_ACTIONS = ("save", "addChild", "addActivity", "addSibling", "delete", "moveUp", "moveDown",
                     "rename", "cutNode", "pasteNode", "moveTo")
# Actions that write the file whatever the plan: off only while the FILE is read-only.
FILE_WRITE_ACTIONS = ("newPlan", "undo", "redo", "orgUnits", "municipality", "action_import_package",
                      "readiness", "returnForRevision", "approve", "archive", "amend", "rollForward",
                      "yearEndSnapshot")
ALWAYS_ON = ("newPlan", "orgUnits", "municipality", "action_import_package")  # on whenever the file is writable

# A read-only text field looks read-only (greyish), yet its text can still be selected and copied.
READ_ONLY_STYLE = "background: #f1f1f1; color: #444;"
_TIP = "_plain_tooltip"  # the widget's own tooltip, kept while the reason replaces it


@dataclass(frozen=True)
class ReadOnly:
    kind: str  # "file", "received", "submitted", "approved" or "archived"
    reason: str  # Persian, for tooltips and the banner
    monitoring: str | None  # why monitoring is refused too; None: it goes on (a plan frozen by its status)


def file_reason(db: Database) -> str | None:
    if not db.read_only:
        return None
    return FILE_REASONS.get(db.read_only_reason or "", FILE_REASON)


def read_only_state(db: Database, plan_id: int | None) -> ReadOnly | None:
    """None when the open plan may be edited; else the first reason: the file, then the plan."""
    reason = file_reason(db)
    if reason is not None:
        return ReadOnly("file", reason, reason)
    if not plan_id:
        return None
    try:
        refusal = plans.edit_refusal(db, plan_id)
    except PlannerError:
        return None
    if refusal is None:
        return None
    return ReadOnly(refusal.kind, refusal.reason, refusal.monitoring)


def monitoring_refusal(db: Database, plan_id: int | None) -> str | None:
    """Why monitoring (actuals, reports, evaluations) may not be recorded on this plan, or None."""
    state = read_only_state(db, plan_id)
    return state.monitoring if state else None


def edit_refusal(db: Database, plan_id: int | None) -> str | None:
    """Why this plan (or the file) may not be edited, or None."""
    state = read_only_state(db, plan_id)
    return state.reason if state else None


def lock(target: QWidget | QAction, reason: str | None) -> None:
    """Grey ``target`` with ``reason`` as its tooltip, or (None) give back its own tooltip.
    Enabling stays with the owner's rules: only a lock disables."""
    kept = target.property(_TIP)
    if reason is None:
        if kept is not None:
            target.setProperty(_TIP, None)
            target.setToolTip(str(kept))  # an action's shortcut tooltip is then made afresh
        return
    if kept is None:
        target.setProperty(_TIP, target.toolTip())
    target.setEnabled(False)
    target.setToolTip(reason)


def set_fields_read_only(form: QWidget, reason: str | None) -> None:
    """Every field of ``form`` read-only: text fields keep their text selectable and copyable,
    the others are greyed; each tells the reason."""
    for widget in form.findChildren(QWidget):
        if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
            if widget.isReadOnly() != (reason is not None):
                widget.setReadOnly(reason is not None)
                # Per field, not on the form: a form's style sheet would reorder its button box.
                widget.setStyleSheet(READ_ONLY_STYLE if reason is not None else "")
            widget.setToolTip(reason or "")
        elif isinstance(widget, QAbstractSpinBox | QComboBox):
            if reason is None:
                widget.setEnabled(True)
                lock(widget, None)
            else:
                lock(widget, reason)


class ReadOnlyGuard:
    """Keeps the main window's editing state in step with :func:`read_only_state`."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.ctx = window.ctx
        self.state: ReadOnly | None = None
        self._applying = False

    def actions(self, names: tuple[str, ...]) -> list[QAction]:
        from PySide6.QtGui import QAction

        return [a for a in self.window.findChildren(QAction) if a.objectName() in names]

    def apply(self) -> ReadOnly | None:
        if self._applying or not isValid(self.window):  # a signal after the window was deleted
            return self.state
        self._applying = True
        try:
            self.state = state = read_only_state(self.ctx.db, self.ctx.plan_id)
            self._apply(state)
        finally:
            self._applying = False
        return state

    def _apply(self, state: ReadOnly | None) -> None:
        reason = state.reason if state else None
        for action in self.actions(PLAN_EDIT_ACTIONS):
            lock(action, reason)
        file_reason_ = state.reason if state and state.kind == "file" else None
        stack = self.ctx.undo_stack
        for action in self.actions(FILE_WRITE_ACTIONS):
            if file_reason_ is None and action.property(_TIP) is not None:  # the file became writable
                name = action.objectName()
                if name in ALWAYS_ON:
                    action.setEnabled(True)
                elif name in ("undo", "redo"):
                    action.setEnabled(stack.canUndo() if name == "undo" else stack.canRedo())
            lock(action, file_reason_)
        detail = self.window.detail
        for form in (detail.node_form, detail.plan_form):
            set_fields_read_only(form, reason)
            for button in (form.save_button, form.revert_button):
                if reason is None:
                    button.setEnabled(True)
                lock(button, reason)
        for tab in detail.extra_tabs:
            if hasattr(tab, "apply_read_only"):
                tab.apply_read_only(state)
        self.window.tree.view.setDragEnabled(state is None)
        # The banners' own buttons write too (adopt, submit, start an amendment): not in a read-only file.
        life = getattr(self.window, "lifecycle", None)
        reference = getattr(self.window, "reference_banner", None)
        for button in ((life.banner_submit, life.amend_button) if life else ()) + (
                (reference.adopt_button,) if reference else ()):
            if file_reason_ is None and button.property(_TIP) is not None:
                button.setEnabled(True)
            lock(button, file_reason_)


def install(window: MainWindow) -> ReadOnlyGuard:
    """One guard per window; the window, the life cycle and the file's safety call ``apply``."""
    guard = ReadOnlyGuard(window)
    window.read_only_guard = guard  # type: ignore[attr-defined]
    guard.apply()
    return guard
