"""Extension points, so features live in their own modules and the main window stays small.

- ``NODE_TABS``: tabs of the detail panel after the general form (indicators, budget,
  monitoring…).  A factory takes (ctx, parent) and returns a QWidget with
  ``applies_to(kind: str) -> bool`` and ``set_node(node: NodeInfo | None) -> None``, and a
  ``tab_title`` attribute (Persian).
- ``WINDOW_ACTIONS``: entries of the «گزارش‌ها» (reports) menu of the main window; each
  opens a window or dialog built by ``factory(ctx, parent)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from planner_gui.context import AppContext

TabFactory = Callable[[AppContext, QWidget | None], QWidget]


@dataclass(frozen=True)
class WindowAction:
    text: str  # Persian menu text, with & for the mnemonic
    factory: Callable[[AppContext, QWidget | None], QWidget]
    shortcut: str = ""
    object_name: str = ""  # tests find the action by this


NODE_TABS: list[TabFactory] = []
WINDOW_ACTIONS: list[WindowAction] = []
