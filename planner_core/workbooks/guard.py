"""Reading a workbook that came from outside, which we do not trust.

Before openpyxl parses anything the ZIP directory is checked (member count, each member's and the
total decompressed size, compression ratio, external links, macros).  Sheets are then streamed in
read-only mode, twice in step: once for the cached values and once for the formulas, so a formula
without a cached value or pointing into another workbook is refused with its cell named.  Every
problem is collected with its sheet, row and column, and all are reported at once.
"""

from __future__ import annotations

import uuid as uuid_module
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.utils import get_column_letter

from planner_core import fields
from planner_core.errors import ValidationError
from planner_core.text import RIALS_PER_MILLION, ltr, normalize_text, to_persian_digits
from planner_core.workbooks.sheets import Column, SheetSpec

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 500
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 150  # decompressed / compressed, for members over 1 MB (ordinary sheets stay far below)
MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_ERRORS = 50
REFERENCE_KEYS = {"id", "plan", "parent", "code", "node", "project", "indicator", "year", "quarter", "period",
                  "budget_code"}


def location(sheet: str, row: int | None = None, column: str | None = None) -> str:
    parts = [f"برگه «{sheet}»"]
    if row is not None:
        parts.append(f"ردیف {to_persian_digits(row)}")
    if column is not None:
        parts.append(f"ستون «{column}»")
    return "، ".join(parts)


class WorkbookErrors:
    """All problems of one workbook, each with its place; raised together as one ValidationError."""

    def __init__(self, limit: int = MAX_ERRORS) -> None:
        self.limit = limit
        self.lines: list[str] = []
        self.total = 0

    def add(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        self.total += 1
        if len(self.lines) < self.limit:
            self.lines.append(f"{location(sheet, row, column)}: {message}")

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self, name: str) -> None:
        if not self.total:
            return
        head = f"کارپوشه «{ltr(name)}» {to_persian_digits(self.total)} خطا دارد و چیزی وارد نشد:"
        if self.total == 1 and len(self.lines) == 1:  # one error: one line
            lines = [f"{head} {self.lines[0]}"]
        else:
            lines = [head, *self.lines]
        if self.total > len(self.lines):
            lines.append(f"… و {to_persian_digits(self.total - len(self.lines))} خطای دیگر.")
        error = ValidationError("workbook", "\n".join(lines))
        error.english = "invalid workbook"  # type: ignore[misc]
        raise error


def _refuse(path: Path, persian: str, english: str) -> ValidationError:
    error = ValidationError("file", f"کارپوشه «{ltr(path.name)}» پذیرفته نشد: {persian}")
    error.english = f"workbook refused: {english}"  # type: ignore[misc]
    return error


def check_archive(path: Path) -> None:
    """Refuse what openpyxl must never be asked to open: not a ZIP, a bomb, links, macros."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _refuse(path, "فایل خوانده نشد.", str(exc)) from exc
    if size > MAX_FILE_BYTES:
        raise _refuse(path, "فایل بیش از حد بزرگ است.", "file too large")
    if not zipfile.is_zipfile(path):
        raise _refuse(path, "فایل اکسل (xlsx) نیست.", "not an xlsx file")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(path, "فایل آسیب دیده است.", "damaged zip") from exc
    if len(members) > MAX_MEMBERS:
        raise _refuse(path, "تعداد اجزای فایل بیش از حد است.", "too many members")
    total = 0
    names = set()
    for member in members:
        total += member.file_size
        names.add(member.filename)
        if member.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
            raise _refuse(path, "حجم باز‌شده فایل بیش از حد است (فایل فشرده مخرب).", "decompressed size too large")
        if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(1, member.compress_size):
            raise _refuse(path, "نسبت فشرده‌سازی غیرعادی است (فایل فشرده مخرب).", "suspicious compression ratio")
        lowered = member.filename.lower()
        if lowered.startswith("xl/externallinks/"):
            raise _refuse(path, "پیوند به کارپوشه بیرونی دارد؛ پیوندها را بردارید و مقدارها را نگه دارید.",
                          "external links")
        if lowered.endswith("vbaproject.bin"):
            raise _refuse(path, "ماکرو دارد.", "macros")
    if "xl/workbook.xml" not in names:
        raise _refuse(path, "ساختار فایل اکسل درست نیست.", "no workbook part")
    # Office never writes a DTD; one in an XML part can only be there to expand entities.
    try:
        with zipfile.ZipFile(path) as archive:
            for member in members:
                if member.filename.lower().endswith((".xml", ".rels", ".vml")):
                    with archive.open(member) as handle:
                        if b"<!DOCTYPE" in handle.read(4096).upper():
                            raise _refuse(path, "بخش XML آن تعریف DTD دارد (فایل مخرب).", "DTD in an XML part")
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _refuse(path, "فایل آسیب دیده است.", "damaged zip") from exc


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


class WorkbookReader:
    """Streams a checked workbook's sheets as rows of cached values, formulas resolved or refused."""

    def __init__(self, path: Path, errors: WorkbookErrors) -> None:
        self.path = path
        self.errors = errors
        check_archive(path)
        try:
            self.values = load_workbook(path, read_only=True, data_only=True)
            self.formulas = load_workbook(path, read_only=True, data_only=False)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise _refuse(path, "فایل اکسل خوانده نشد.", type(exc).__name__) from exc

    def close(self) -> None:
        self.values.close()
        self.formulas.close()

    def __enter__(self) -> WorkbookReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def sheet_names(self) -> list[str]:
        return list(self.values.sheetnames)

    def rows(self, name: str) -> Iterator[tuple[int, list[Any]]]:
        """(row number, values) of a sheet from its first row; formulas give their cached value."""
        sheets = (self.values[name], self.formulas[name])
        for sheet in sheets:
            # The <dimension> a file declares is not trusted: without it rows end where the data ends.
            sheet.reset_dimensions()  # type: ignore[union-attr]
        values, formulas = (sheet.iter_rows(max_col=MAX_COLUMNS) for sheet in sheets)
        titles: list[Any] = []
        blank: tuple[Any, ...] | None = None  # openpyxl yields one shared tuple for every missing row

        def column_name(index: int) -> str:
            # Name a cell's column by its header when the sheet has one, else by its letter.
            title = titles[index] if index < len(titles) else None
            return normalize_text(str(title)) if title not in (None, "") else get_column_letter(index + 1)

        for number, (value_row, formula_row) in enumerate(zip(values, formulas, strict=False), start=1):
            if number > MAX_ROWS:
                self.errors.add(name, number, None, f"بیش از {to_persian_digits(MAX_ROWS)} ردیف؛ بقیه خوانده نشد.")
                return
            if value_row is blank or all(cell is EMPTY_CELL for cell in value_row):
                blank = value_row
                yield number, []
                continue
            out: list[Any] = []
            for value_cell, formula_cell in zip(value_row, formula_row, strict=False):
                value = getattr(value_cell, "value", None)
                if getattr(formula_cell, "data_type", None) == "f":
                    column = column_name(len(out))
                    text = str(formula_cell.value)
                    if "[" in text:
                        self.errors.add(name, number, column, "فرمول به کارپوشه بیرونی پیوند دارد.")
                        value = None
                    elif value is None:
                        self.errors.add(name, number, column, "فرمول بدون مقدار ذخیره‌شده است؛ "
                                        "فایل را در اکسل باز و ذخیره کنید یا مقدار را به جای فرمول بنویسید.")
                if getattr(value_cell, "data_type", None) == "e":
                    self.errors.add(name, number, column_name(len(out)), f"خطای فرمول «{value}».")
                    value = None
                out.append(_plain(value))
            if number == 1:
                titles = out
            yield number, out


def is_blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def read_table(reader: WorkbookReader, spec: SheetSpec) -> list[tuple[int, dict[str, Any]]]:
    """A sheet's data rows as {column key: cleaned value}; problems go to the reader's errors.

    Columns are found by their header, so a planner may reorder them or add notes columns; a
    missing required column or a repeated header is an error.  A bad cell reads as None.
    """
    errors = reader.errors
    if spec.name not in reader.sheet_names:
        if spec.required:
            errors.add(spec.name, None, None, "این برگه در کارپوشه نیست.")
        return []
    rows = reader.rows(spec.name)
    header = next(rows, None)
    if header is None:
        errors.add(spec.name, 1, None, "ردیف عنوان ستون‌ها خالی است.")
        return []
    positions: dict[str, int] = {}
    by_header = {normalize_text(c.header): c for c in spec.columns}
    for index, raw in enumerate(header[1]):
        title = normalize_text(str(raw)) if raw is not None else ""
        if title in by_header:
            key = by_header[title].key
            if key in positions:
                errors.add(spec.name, 1, title, "این ستون دو بار آمده است.")
            positions[key] = index
    missing = [c for c in spec.columns if c.key not in positions and c.kind not in ("uuid", "info")]
    for column in missing:
        errors.add(spec.name, 1, column.header, "این ستون در ردیف عنوان‌ها نیست.")
    if missing:
        return []
    out = []
    for number, values in rows:
        if is_blank(values):
            continue
        row: dict[str, Any] = {}
        bad = set()
        for column in spec.columns:
            index = positions.get(column.key)
            raw = values[index] if index is not None and index < len(values) else None
            try:
                row[column.key] = clean(column, raw)
            except ValidationError as exc:
                errors.add(spec.name, number, column.header, _without_label(exc.message))
                row[column.key] = None
                bad.add(column.key)
        # A row whose reference columns are wrong is left out; one with only a wrong value stays,
        # so the rows that refer to it do not add errors of their own.
        if not bad & REFERENCE_KEYS:
            out.append((number, row))
    return out


def _without_label(message: str) -> str:
    head, sep, rest = message.partition(": ")
    return rest if sep and len(head) < 40 else message


def _as_text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, datetime | date):
        return raw.isoformat()
    return str(raw)


def clean(column: Column, raw: Any) -> Any:
    """One cell as the plan document's value, or ValidationError with a Persian message."""
    key, kind = column.key, column.kind
    empty = raw is None or (isinstance(raw, str) and not raw.strip())
    if isinstance(raw, bool):
        raise ValidationError(key, "مقدار درست/نادرست (بولی) مجاز نیست.")
    if kind == "info":
        return None
    if empty:
        if column.required:
            raise ValidationError(key, "این خانه نباید خالی باشد.")
        return "" if kind == "text" else None
    if kind == "text":
        return fields.text(key, _as_text(raw), max_length=column.max_length)
    if kind == "code":
        return fields.code(key, _as_text(raw))
    if kind == "uuid":
        text = _as_text(raw).strip()
        try:
            uuid_module.UUID(text)
        except ValueError as exc:
            raise ValidationError(key, f"«{text[:40]}» شناسه (UUID) معتبر نیست.") from exc
        return text
    if kind == "year":
        return fields.year(key, raw)
    if kind == "choice":
        text = normalize_text(_as_text(raw))
        for value, label in column.choices.items():
            if text in (normalize_text(label), value):
                return value
        names = "، ".join(column.choices.values())
        raise ValidationError(key, f"مقدار «{text[:60]}» مجاز نیست؛ یکی از: {names}.")
    if kind == "date":
        if isinstance(raw, datetime):
            return raw.date().isoformat()
        result = fields.a_date(key, raw if isinstance(raw, date) else _as_text(raw))
        return result.isoformat() if result else None
    if kind == "money":
        return _money(column, raw)
    if kind in ("number", "int"):
        if isinstance(raw, int | float):
            number = float(raw)
            if number != number or number in (float("inf"), float("-inf")):
                raise ValidationError(key, "عدد معتبر نیست.")
        else:
            number = fields.number(key, _as_text(raw))  # type: ignore[assignment]
        if column.minimum is not None and number < column.minimum:
            raise ValidationError(key, f"نباید کمتر از {to_persian_digits(_plain(column.minimum))} باشد.")
        if column.maximum is not None and number > column.maximum:
            raise ValidationError(key, f"نباید بیشتر از {to_persian_digits(_plain(column.maximum))} باشد.")
        if kind == "int":
            if not number.is_integer():
                raise ValidationError(key, "عدد صحیح وارد کنید.")
            return int(number)
        return number
    raise AssertionError(kind)


def _money(column: Column, raw: Any) -> int:
    """Million rials in the cell → whole rials."""
    if isinstance(raw, int | float):
        try:
            rials = Decimal(str(raw)) * RIALS_PER_MILLION
        except InvalidOperation as exc:
            raise ValidationError(column.key, "مبلغ عدد نیست.") from exc
        if not rials.is_finite() or rials != rials.to_integral_value():
            raise ValidationError(column.key, "مبلغ به میلیون ریال حداکثر شش رقم اعشار دارد.")
        amount = int(rials)
        if amount < 0 and not column.allow_negative:
            raise ValidationError(column.key, "مبلغ نمی‌تواند منفی باشد.")
        return amount
    return fields.rials(column.key, _as_text(raw), allow_negative=column.allow_negative)
