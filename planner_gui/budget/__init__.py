"""Budget window: budget-code catalogue, annual ceilings and amendments, roll-ups, the
budget-program matrix and the budget consistency findings.

Importing this package registers the window in the reports menu (``WINDOW_ACTIONS``).
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from planner_gui.context import AppContext
from planner_gui.extensions import WINDOW_ACTIONS, WindowAction


def open_budget_window(ctx: AppContext, parent: QWidget | None = None) -> QWidget:
    from planner_gui.budget.window import BudgetWindow

    return BudgetWindow(ctx, parent)


if not any(action.object_name == "action_budget" for action in WINDOW_ACTIONS):
    WINDOW_ACTIONS.append(WindowAction("بودجه و تخصیص‌ها…", open_budget_window, "Ctrl+B", "action_budget"))
