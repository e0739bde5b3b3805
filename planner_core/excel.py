"""Excel exports (openpyxl): right-to-left sheets with Persian headers, money in million rials.

Every text cell goes through :func:`put_text` (planner_core.workbooks.sheets, shared with the plan
and update workbooks).  The budget-code import lives in
planner_core.code_workbook (:func:`read_budget_codes`, re-exported here)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner_core.budget_rollups import BudgetMatrix
from planner_core.code_workbook import read_budget_codes  # noqa: F401 - the import lives there
from planner_core.deviations import Deviation
from planner_core.text import MONEY_UNIT, RIALS_PER_MILLION
from planner_core.workbooks.sheets import FONT, HEADER_FILL, put_text, setup_print


def put_row(sheet: Worksheet, row: int, values: Sequence[object]) -> None:
    """One row: strings through :func:`put_text`, numbers as numbers, None as an empty cell."""
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        if value is None:
            continue
        if isinstance(value, str):
            put_text(cell, value)
        elif isinstance(value, bool) or not isinstance(value, int | float):
            put_text(cell, str(value))
        else:
            cell.value = value


def _sheet(workbook: Workbook, title: str, headers: Sequence[str]) -> Worksheet:
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.sheet_view.rightToLeft = True
    put_row(sheet, 1, headers)
    for cell in sheet[1]:
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.freeze_panes = "A2"
    return sheet


def _finish(sheet: Worksheet, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.font = Font(name=FONT)
            cell.alignment = Alignment(vertical="top", wrap_text=True)


def _save(workbook: Workbook, path: Path) -> None:
    # Write next to the target and rename, so a failed export never leaves half a file.
    tmp = path.with_name(path.name + ".part")
    workbook.save(tmp)
    tmp.replace(path)


def write_deviations(rows: Sequence[Deviation], path: Path, year: int, quarter: int) -> None:
    workbook = Workbook()
    sheet = _sheet(workbook, f"انحراف‌ها {year} فصل {quarter}", [
        "کد", "سطح", "مورد", "گره برنامه", "واحد مسئول", "هدف / مورد انتظار", "واقعی", "دستیابی (٪)",
        "وضعیت", "توضیح", "اقدام اصلاحی ثبت شده؟", "اقدام اصلاحی"])
    for number, d in enumerate(rows, start=2):
        put_row(sheet, number, [d.full_code, d.level, d.title, d.node_title, d.unit, d.expected, d.actual,
                                None if d.achievement is None else round(d.achievement, 1), d.status_label,
                                d.reason, "بله" if d.has_corrective_action else "خیر", d.corrective_action])
    _finish(sheet, [12, 12, 40, 30, 24, 14, 12, 12, 14, 30, 12, 40])
    setup_print(sheet)
    _save(workbook, path)


def write_matrix(matrix: BudgetMatrix, path: Path) -> None:
    """Budget codes × programs; amounts in million rials, with row and column totals."""
    workbook = Workbook()
    headers = ["کد بودجه", "عنوان"] + [f"{code} {title}" for _id, code, title in matrix.programs] + ["جمع"]
    sheet = _sheet(workbook, f"ماتریس بودجه {matrix.year}", headers)
    def million(rials: int) -> float:
        # Sums stay in whole rials; each cell is divided once, for display in million rials.
        return rials / RIALS_PER_MILLION

    row = 1
    for row, (code_id, code, title) in enumerate(matrix.codes, start=2):
        values = [million(matrix.cells.get((code_id, p), 0)) for p, _c, _t in matrix.programs]
        put_row(sheet, row, [code, title, *values, million(matrix.row_total(code_id))])
    totals = [matrix.column_total(p) for p, _c, _t in matrix.programs]
    put_row(sheet, row + 1, ["جمع", "", *map(million, totals), million(sum(totals))])
    put_text(sheet.cell(row=1, column=len(headers)), f"جمع ({MONEY_UNIT})")
    _finish(sheet, [12, 30] + [18] * (len(headers) - 2))
    for row in sheet.iter_rows(min_row=2, min_col=3):
        for cell in row:
            cell.number_format = "#,##0.##"
    setup_print(sheet, blank_zeros=True)
    _save(workbook, path)
