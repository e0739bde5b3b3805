"""What every window, panel and undo command shares: the store, the undo stack, the current plan.

Widgets never open sessions: they call planner_core services with ``ctx.db``.  Every edit
goes through ``ctx.push(command)`` so it lands on the one undo stack, and every change is
announced with ``ctx.changed`` so open views refresh themselves.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from db.engine import Database


class AppContext(QObject):
    # (what changed: "plan" | "node" | "indicator" | "allocation" | "report" | "budget" | ..., id or 0)
    changed = Signal(str, int)
    # The plan shown in the main window changed (id, or 0 for none).
    plan_switched = Signal(int)
    # Ask the main window to select a node in the tree (e.g. from a finding or the dashboard).
    node_requested = Signal(int)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.undo_stack = QUndoStack(self)
        self.plan_id: int | None = None

    def push(self, command: QUndoCommand) -> None:
        self.undo_stack.push(command)

    def set_plan(self, plan_id: int | None) -> None:
        self.plan_id = plan_id
        self.plan_switched.emit(plan_id or 0)
