"""Excel workbooks in the GUI: the quarterly update workbooks of the responsible units and reading a
filled one back with a preview.

Importing this package registers both in the main window's reports (monitoring) menu
(``planner_gui.extensions.WINDOW_ACTIONS``).
"""

from __future__ import annotations

from planner_gui.extensions import WINDOW_ACTIONS, WindowAction
from planner_gui.workbooks.dialogs import ReadUpdateWorkbookDialog, UpdateWorkbooksDialog

__all__ = ["ReadUpdateWorkbookDialog", "UpdateWorkbooksDialog"]

_ACTIONS = (
    WindowAction("کارپوشه‌های &به‌روزرسانی فصلی واحدها…", UpdateWorkbooksDialog, "", "action_update_workbooks"),
    WindowAction("خواندن کارپوشه &تکمیل‌شده واحد…", ReadUpdateWorkbookDialog, "", "action_read_update_workbook"),
)
for _action in _ACTIONS:
    if all(existing.object_name != _action.object_name for existing in WINDOW_ACTIONS):
        WINDOW_ACTIONS.append(_action)
