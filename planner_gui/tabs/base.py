"""What the detail panel's tabs share: the extension protocol of ``planner_gui.extensions.NODE_TABS``,
the message line, and re-reading when ``ctx.changed`` announces something the tab shows."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from planner_core.errors import PlannerError
from planner_core.nodes import NodeInfo
from planner_gui.common import MessageLabel
from planner_gui.context import AppContext
from planner_gui.read_only import ReadOnly, lock


class NodeTab(QWidget):
    tab_title = ""
    RELOAD_ON: frozenset[str] = frozenset()  # the ``ctx.changed`` kinds that make the tab re-read
    CLEAR_MESSAGE_ON_CHANGE = True  # whether such a change also clears the message line

    def __init__(self, ctx: AppContext, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.ctx = ctx
        self.node: NodeInfo | None = None
        self.read_only: ReadOnly | None = None  # set by the main window's ReadOnlyGuard
        self.message = MessageLabel()
        ctx.changed.connect(self._on_changed)

    def applies_to(self, kind: str) -> bool:
        return True

    def set_node(self, node: NodeInfo | None) -> None:
        self.node = node
        self.message.clear_message()
        self.reload()

    def reload(self) -> None:
        raise NotImplementedError

    def _on_changed(self, kind: str, _id: int) -> None:
        if self.node is not None and kind in self.RELOAD_ON:
            if self.CLEAR_MESSAGE_ON_CHANGE:
                self.message.clear_message()
            self.reload()

    # read-only ------------------------------------------------------------------------------
    def edit_controls(self) -> list[QWidget]:
        """Buttons that change the plan: greyed whenever the editor is read-only."""
        return []

    def monitor_controls(self) -> list[QWidget]:
        """Buttons that record monitoring: greyed only when monitoring is refused too."""
        return []

    def apply_read_only(self, state: ReadOnly | None) -> None:
        self.read_only = state
        update = getattr(self, "_update_buttons", None)
        if update is not None:
            update()  # the tab's own rules first; it ends with enforce_read_only()
        else:
            self.enforce_read_only()

    def enforce_read_only(self) -> None:
        state = self.read_only
        for widget in self.edit_controls():
            lock(widget, state.reason if state else None)
        for widget in self.monitor_controls():
            lock(widget, state.monitoring if state else None)

    def _show_error(self, exc: PlannerError) -> None:
        self.message.show_error(exc)
