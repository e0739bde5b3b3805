"""Monitoring windows: the dashboard, the deviations list and the year-end evaluation.

Importing this package registers the windows in the main window's reports menu
(``planner_gui.extensions.WINDOW_ACTIONS``).
"""

from __future__ import annotations

from planner_gui.extensions import WINDOW_ACTIONS, WindowAction
from planner_gui.monitoring.dashboard import DashboardWindow
from planner_gui.monitoring.deviations import DeviationsWindow
from planner_gui.monitoring.evaluation import EvaluationWindow

__all__ = ["DashboardWindow", "DeviationsWindow", "EvaluationWindow"]

_ACTIONS = (
    WindowAction("&داشبورد پایش…", DashboardWindow, "Ctrl+D", "action_dashboard"),
    WindowAction("&فهرست انحراف‌ها…", DeviationsWindow, "Ctrl+Shift+D", "action_deviations"),
    WindowAction("&ارزیابی پایان سال…", EvaluationWindow, "", "action_evaluation"),
)
for _action in _ACTIONS:
    if all(existing.object_name != _action.object_name for existing in WINDOW_ACTIONS):
        WINDOW_ACTIONS.append(_action)
