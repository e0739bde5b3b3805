"""The «اطلاعات فایل» sheet: what a workbook is (plan workbook or a unit's update workbook),
its format version and, for update workbooks, the year, quarter and unit it was made for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from planner_core.errors import ValidationError
from planner_core.text import ltr, normalize_text
from planner_core.workbooks.guard import WorkbookErrors, WorkbookReader
from planner_core.workbooks.layout import FORMAT, INFO_ROWS, INFO_SHEET, KIND_PLAN, KIND_UPDATE, VERSION
from planner_core.workbooks.sheets import FONT, HEADER_FILL, put, setup_print

KIND_LABELS = {KIND_PLAN: "کارپوشه برنامه", KIND_UPDATE: "کارپوشه به‌روزرسانی فصلی واحد"}


def write_info(workbook: Workbook, values: dict[str, Any]) -> None:
    """The info sheet, last in the workbook; its first column holds keys the program reads."""
    sheet = workbook.create_sheet(INFO_SHEET)
    sheet.sheet_view.rightToLeft = True
    values = {"format": FORMAT, "version": VERSION, **values}
    values["kind_label"] = KIND_LABELS[values["kind"]]
    row = 1
    for key, label in INFO_ROWS:
        if key not in values or values[key] in (None, ""):
            continue
        put(sheet.cell(row=row, column=1), key)
        put(sheet.cell(row=row, column=2), label)
        shown = values["kind_label"] if key == "kind" else values[key]
        put(sheet.cell(row=row, column=3), shown)
        put(sheet.cell(row=row, column=4), values[key] if key == "kind" else None)
        sheet.cell(row=row, column=2).font = Font(name=FONT, bold=True)
        sheet.cell(row=row, column=2).fill = HEADER_FILL
        sheet.cell(row=row, column=3).font = Font(name=FONT)
        sheet.cell(row=row, column=3).alignment = Alignment(horizontal="right")
        row += 1
    sheet.column_dimensions["A"].hidden = True
    sheet.column_dimensions["D"].hidden = True
    sheet.column_dimensions["B"].width = 22
    sheet.column_dimensions["C"].width = 44
    sheet.protection.sheet = True
    setup_print(sheet, title_rows=0)


def read_info(reader: WorkbookReader) -> dict[str, Any]:
    """The info sheet's keys and values; a workbook without one is not ours."""
    if INFO_SHEET not in reader.sheet_names:
        raise ValidationError("file", f"کارپوشه «{ltr(reader.path.name)}» برگه «{INFO_SHEET}» را ندارد؛ "
                              "کارپوشه‌ای که برنامه‌نگار ساخته (یا قالب خالی آن) را بدهید.")
    info: dict[str, Any] = {}
    for _number, values in reader.rows(INFO_SHEET):
        if len(values) >= 3 and isinstance(values[0], str):
            key = values[0].strip()
            info[key] = values[3] if key == "kind" and len(values) > 3 else values[2]
            if isinstance(info[key], str):
                info[key] = normalize_text(info[key])
    if info.get("format") != FORMAT:
        raise ValidationError("file", f"کارپوشه «{ltr(reader.path.name)}» قالب برنامه‌نگار را ندارد "
                              f"(برگه «{INFO_SHEET}»).")
    try:
        version = int(info.get("version") or 0)
    except (TypeError, ValueError):
        version = 0
    if version < 1 or version > VERSION:
        raise ValidationError("file", f"کارپوشه «{ltr(reader.path.name)}» با نسخه دیگری از برنامه‌نگار ساخته "
                              "شده است و خوانده نمی‌شود.")
    return info


def workbook_kind(path: Path) -> str | None:
    """«plan» or «update» for a workbook this program wrote; None for anything else."""
    try:
        with WorkbookReader(path, WorkbookErrors()) as reader:
            return str(read_info(reader).get("kind") or "") or None
    except ValidationError:
        return None
