"""Writing sheets the way planners expect them: right to left, Persian headers, frozen header row,
lists to choose from, widths that fit, and a page setup that prints (landscape where wide, fit to
the page width, the header row on every page, rows tall enough for their wrapped text).

User text is always written as text: a title that starts with «=», «+», «-» or «@» must never
become a formula in someone else's Excel.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from planner_core.errors import ValidationError
from planner_core.jalali import format_jalali
from planner_core.text import RIALS_PER_MILLION, ltr, without_controls

FONT = "Vazirmatn"
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
INPUT_FILL = PatternFill("solid", fgColor="FFF9E5")
# Landscape once the columns are wider than a portrait A4 page holds comfortably (in Excel's width units).
PORTRAIT_WIDTH = 95
# Wider than this (about two landscape A4 pages) prints on A3, or the text would be too small to read.
A3_WIDTH = 300
LINE_HEIGHT = 15.0  # points per line of 11-point text
MAX_ROW_HEIGHT = 409.0  # Excel's own limit
EXCEL_CELL_LIMIT = 32_767  # characters Excel keeps in one cell
# What makes a spreadsheet read a typed cell as a formula (or DDE call) instead of text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its key in the plan document, Persian header, type and look."""

    key: str
    header: str
    kind: str = "text"  # text | code | uuid | year | int | number | money | date | choice | info
    width: int = 14
    required: bool = False
    choices: dict[str, str] = field(default_factory=dict)  # stored value → Persian label
    hidden: bool = False
    max_length: int = 500
    minimum: float | None = None
    maximum: float | None = None
    allow_negative: bool = False
    number_format: str = ""  # for read-only figures (money columns get theirs from the kind)


@dataclass(frozen=True)
class SheetSpec:
    name: str  # Persian sheet name (at most 31 characters)
    columns: tuple[Column, ...]
    required: bool = True  # must the sheet be present when reading?

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def put_text(cell: Cell, value: object) -> None:
    """Write ``value`` into ``cell`` as text, always: a title such as «=1+1» or «@SUM(A1)» stays
    the planner's words and is never a formula (formula injection), and a pasted control
    character or a surrogate half cannot make the whole workbook unwritable."""
    text = without_controls("" if value is None else value)[:EXCEL_CELL_LIMIT]
    cell.value = text
    cell.data_type = "s"  # openpyxl would otherwise store a leading '=' as a formula
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True  # Excel keeps it text even when the cell is edited and confirmed


def put(cell: Cell, value: Any) -> None:
    """Write a value; strings always as text through :func:`put_text`, whatever they start with."""
    if isinstance(value, str):
        put_text(cell, value)
    else:
        cell.value = value


def display(column: Column, value: Any) -> Any:
    """A plan-document value as the planner sees it in a cell."""
    if value is None:
        return None
    if column.kind == "money":
        return value / RIALS_PER_MILLION if value % RIALS_PER_MILLION else value // RIALS_PER_MILLION
    if column.kind == "date":
        return format_jalali(value, "short")
    if column.kind == "choice":
        return column.choices.get(value, value)
    return value


def header_sheet(workbook: Workbook, spec: SheetSpec, *, first: bool = False) -> Worksheet:
    sheet = workbook.active if first else workbook.create_sheet()
    assert sheet is not None
    sheet.title = spec.name[:31]
    sheet.sheet_view.rightToLeft = True
    for index, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(row=1, column=index)
        put(cell, column.header)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.hidden:
            sheet.column_dimensions[letter].hidden = True
    sheet.freeze_panes = "A2"
    return sheet


def write_rows(sheet: Worksheet, spec: SheetSpec, rows: Iterable[dict[str, Any]], start: int = 2) -> int:
    """Rows of plan-document values under the header; returns the next free row."""
    number = start
    body = Font(name=FONT)
    wrap = Alignment(vertical="top", wrap_text=True)
    for row in rows:
        for index, column in enumerate(spec.columns, start=1):
            cell = sheet.cell(row=number, column=index)
            put(cell, display(column, row.get(column.key)))
            cell.font = body
            cell.alignment = wrap
            if (column.kind == "money" or column.number_format) and isinstance(cell.value, int | float):
                # «12,000» for whole amounts (Excel would print «12,000.»), decimals only when there are some.
                whole = float(cell.value).is_integer()
                cell.number_format = "#,##0" if whole else (column.number_format or "#,##0.######")
        number += 1
    return number


def add_validations(sheet: Worksheet, spec: SheetSpec, years: Sequence[int], last_row: int = 2000) -> None:
    """Drop-down lists for every choice column and the year columns; whole numbers where asked."""
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        ref = f"{letter}2:{letter}{last_row}"
        if column.kind == "choice":
            labels = ",".join(column.choices.values())
            validation = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=not column.required)
        elif column.kind == "year":
            validation = DataValidation(type="list", formula1=f'"{",".join(str(y) for y in years)}"',
                                        allow_blank=not column.required)
        elif column.kind in ("int", "number") and column.minimum is not None and column.maximum is not None:
            validation = DataValidation(type="decimal" if column.kind == "number" else "whole", operator="between",
                                        formula1=str(column.minimum), formula2=str(column.maximum),
                                        allow_blank=True)
        else:
            continue
        validation.error = f"مقدار ستون «{column.header}» از فهرست یا بازه مجاز نیست."
        validation.errorTitle = "مقدار نادرست"
        validation.prompt = column.header
        validation.showErrorMessage = True
        sheet.add_data_validation(validation)
        validation.add(ref)


def lock_sheet(sheet: Worksheet, editable: Sequence[int], first_row: int, last_row: int) -> None:
    """Protect the sheet; only the given columns (1-based) of the data rows stay editable."""
    for row in range(first_row, last_row + 1):
        for col in range(1, sheet.max_column + 1):
            cell = sheet.cell(row=row, column=col)
            if col in editable:
                cell.protection = Protection(locked=False)
                cell.fill = INPUT_FILL
            else:
                cell.fill = LOCKED_FILL
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widening a column to read it is harmless
    sheet.protection.formatRows = False
    sheet.protection.autoFilter = False


def _lines(value: Any, width: float) -> int:
    if value is None or value == "":
        return 1
    text = str(value)
    per_line = max(1, int(width * 1.1))  # Persian letters are about as wide as Excel's width unit
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def fit_row_heights(sheet: Worksheet, first_row: int = 1) -> None:
    """Give every row the height its wrapped text needs, so printed rows never overlap."""
    widths = {}
    for index in range(1, sheet.max_column + 1):
        letter = get_column_letter(index)
        dimension = sheet.column_dimensions.get(letter)
        hidden = dimension is not None and dimension.hidden
        widths[index] = None if hidden else (dimension.width if dimension and dimension.width else 8.43)
    for row in sheet.iter_rows(min_row=first_row):
        lines = 1
        for cell in row:
            width = widths.get(cell.column)
            if width is None or not isinstance(cell.value, str):
                continue
            lines = max(lines, _lines(cell.value, width))
        if lines > 1 or row[0].row == 1:
            sheet.row_dimensions[row[0].row].height = min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 3)


def _blank_zero(value: float) -> str:
    # Excel's third format section is for zero; leaving it empty prints nothing instead of «0».
    # Whole numbers get no decimal point («12» not «12.»).
    base = "#,##0" if float(value).is_integer() else "#,##0.0#####"
    return f"{base};-{base};"


def setup_print(sheet: Worksheet, *, landscape: bool | None = None, title_rows: int = 1,
                blank_zeros: bool = False, fit_heights: bool = True) -> None:
    """Page setup for printing a sheet at a meeting.

    A4 (A3 when very wide), landscape when the visible columns are wider than a portrait page (or as asked), scaled to
    the page width (as many pages down as needed), the first ``title_rows`` rows repeated on every
    page, rows as tall as their wrapped text, and with ``blank_zeros`` numbers that are zero
    printed blank (an empty matrix cell is not «0»).
    """
    visible = 0.0
    for index in range(1, sheet.max_column + 1):
        dimension = sheet.column_dimensions.get(get_column_letter(index))
        if dimension is not None and dimension.hidden:
            continue
        visible += dimension.width if dimension is not None and dimension.width else 8.43
    wide = visible > PORTRAIT_WIDTH if landscape is None else landscape
    sheet.page_setup.orientation = "landscape" if wide else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3 if visible > A3_WIDTH else sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    if title_rows:
        sheet.print_title_rows = f"1:{title_rows}"
    if blank_zeros:
        for row in sheet.iter_rows(min_row=title_rows + 1):
            for cell in row:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    cell.number_format = _blank_zero(cell.value)
    if fit_heights:
        fit_row_heights(sheet)


def save(workbook: Workbook, path: Path) -> None:
    """Write next to the target and rename, so a failed write never leaves half a workbook."""
    tmp = path.with_name(path.name + ".part")
    try:
        workbook.save(tmp)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ValidationError("file", f"کارپوشه «{ltr(path)}» نوشته نشد؛ پوشه وجود ندارد یا اجازه نوشتن "
                              "در آن نیست.") from exc
