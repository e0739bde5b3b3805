"""Excel workbooks planners live in: the empty template, the full plan workbook (export and read
back into the plan document), the quarterly update workbooks of responsible units, and the page
setup every workbook the program writes shares (``setup_print``).

Every workbook that comes in is untrusted (planner_core.workbooks.guard): ZIP sizes are checked
before openpyxl parses it, sheets are streamed read-only, formulas without cached values and
external links are refused, and all problems are listed at once with sheet, row and column.
"""

from __future__ import annotations

from planner_core.workbooks.plan_read import read_plan_workbook
from planner_core.workbooks.plan_write import export_workbook, write_template
from planner_core.workbooks.sheets import setup_print
from planner_core.workbooks.updates import (
    UpdateCancelled,
    UpdateSummary,
    import_update_workbook,
    is_update_workbook,
    redo_update_import,
    undo_update_import,
    write_update_workbooks,
)

__all__ = ["UpdateCancelled", "UpdateSummary", "export_workbook", "import_update_workbook", "is_update_workbook",
           "read_plan_workbook", "redo_update_import", "setup_print", "undo_update_import", "write_template",
           "write_update_workbooks"]
