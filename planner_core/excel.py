"""Excel exports (openpyxl): right-to-left sheets with Persian headers, money in million rials."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner_core.budget_rollups import BudgetMatrix
from planner_core.deviations import Deviation
from planner_core.errors import ValidationError
from planner_core.text import MONEY_UNIT, RIALS_PER_MILLION, normalize_code, normalize_text
from planner_core.workbooks.sheets import setup_print

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
FONT = "Vazirmatn"


def _sheet(workbook: Workbook, title: str, headers: Sequence[str]) -> Worksheet:
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.sheet_view.rightToLeft = True
    sheet.append(list(headers))
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
    for d in rows:
        sheet.append([d.full_code, d.level, d.title, d.node_title, d.unit, d.expected, d.actual,
                      None if d.achievement is None else round(d.achievement, 1), d.status_label, d.reason,
                      "بله" if d.has_corrective_action else "خیر", d.corrective_action])
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

    for code_id, code, title in matrix.codes:
        values = [million(matrix.cells.get((code_id, p), 0)) for p, _c, _t in matrix.programs]
        sheet.append([code, title, *values, million(matrix.row_total(code_id))])
    totals = [matrix.column_total(p) for p, _c, _t in matrix.programs]
    sheet.append(["جمع", "", *map(million, totals), million(sum(totals))])
    sheet.cell(row=1, column=len(headers)).value = f"جمع ({MONEY_UNIT})"
    _finish(sheet, [12, 30] + [18] * (len(headers) - 2))
    for row in sheet.iter_rows(min_row=2, min_col=3):
        for cell in row:
            cell.number_format = "#,##0.##"
    setup_print(sheet, blank_zeros=True)
    _save(workbook, path)


def read_budget_codes(path: Path) -> list[dict[str, Any]]:
    """A budget-code catalogue from an Excel sheet: columns code, title, parent code (header row first).

    Returns dicts in the plan document's shape (code, title, parent, level), parents first.
    """
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise ValidationError("file", f"فایل اکسل «{path.name}» خوانده نشد: {exc}") from exc
    sheet = workbook.active
    assert sheet is not None
    rows: list[dict[str, Any]] = []
    for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if not row or all(v in (None, "") for v in row[:3]):
            continue
        code = normalize_code(str(row[0]) if row[0] is not None else "")
        title = normalize_text(str(row[1]) if len(row) > 1 and row[1] is not None else "")
        parent = normalize_code(str(row[2])) if len(row) > 2 and row[2] not in (None, "") else None
        if not code or not title:
            raise ValidationError("file", f"ردیف {number}: کد و عنوان کد بودجه لازم است.")
        rows.append({"code": code, "title": title, "parent": parent})
    workbook.close()
    known = {r["code"]: r for r in rows}
    levels: dict[str, int] = {}

    def level(code: str, depth: int = 0) -> int:
        if depth > 50:
            raise ValidationError("file", f"کد بودجه «{code}» در زنجیره والدها به خودش برمی‌گردد.")
        if code not in levels:
            parent = known[code]["parent"]
            levels[code] = 1 if parent is None or parent not in known else level(parent, depth + 1) + 1
        return levels[code]

    for row in rows:
        row["level"] = level(row["code"])
    return sorted(rows, key=lambda r: r["level"])
