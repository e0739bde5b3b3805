"""Reading a budget-code catalogue from a workbook someone else made: trust nothing in it.

A workbook is a zip of XML.  Before openpyxl parses anything, the zip's members are checked
(count, each one's size, the total and the compression ratio), so a small file that unpacks
to gigabytes is refused in milliseconds.  Rows are then streamed (``read_only``) up to a
limit; the header row decides which column is which; every problem found is listed at once
(up to :data:`MAX_ERRORS`), each naming the sheet, the row and the column in Persian.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from planner_core.errors import ValidationError
from planner_core.messages import excel_problem
from planner_core.text import TextError, fold, ltr, normalize_code, normalize_text, shown, to_persian_digits

MAX_ROWS = 20_000  # a city's whole catalogue is a few thousand codes
MAX_COLUMNS = 30
MAX_ERRORS = 20
MAX_MEMBERS = 500
MAX_MEMBER_BYTES = 32 * 1024 * 1024  # uncompressed; a 20,000-row sheet is a few MB
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_RATIO = 100  # XML compresses 5–20×; a bomb compresses thousands of times
RATIO_FLOOR = 1024 * 1024  # small members may compress well without being suspect

CODE, TITLE, PARENT = "code", "title", "parent"
COLUMN_LABELS = {CODE: "کد", TITLE: "عنوان", PARENT: "کد والد"}
# Header texts a catalogue may use for each column (compared folded: spacing, ZWNJ, letters).
HEADER_NAMES = {
    CODE: ("کد", "کد بودجه", "کدبودجه", "code", "budget code"),
    TITLE: ("عنوان", "عنوان کد", "شرح", "نام", "title", "name"),
    PARENT: ("کد والد", "والد", "کد بالادستی", "parent", "parent code"),
}
_HEADER_KEYS = {fold(name): column for column, names in HEADER_NAMES.items() for name in names}

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


class ImportCancelled(Exception):
    """The reader stopped because ``cancelled()`` became true."""


@dataclass
class _Problems:
    sheet: str
    lines: list[str]
    more: int = 0

    def add(self, row: int | None, column: str | None, message: str) -> None:
        if len(self.lines) >= MAX_ERRORS:
            self.more += 1
            return
        where = [f"برگه «{self.sheet}»"]
        if row is not None:
            where.append(f"ردیف {to_persian_digits(row)}")
        if column is not None:
            where.append(f"ستون «{column}»")
        self.lines.append(f"{'، '.join(where)}: {message}")

    def raise_if_any(self, file_name: str) -> None:
        if not self.lines:
            return
        head = f"فهرست کدهای «{ltr(file_name)}» وارد نشد؛ {to_persian_digits(len(self.lines) + self.more)} ایراد:"
        tail = [f"و {to_persian_digits(self.more)} ایراد دیگر."] if self.more else []
        raise ValidationError("file", "\n".join([head, *self.lines, *tail]))


def _refuse(path: Path, why: str) -> ValidationError:
    return ValidationError("file", f"فایل اکسل «{ltr(path.name)}» خوانده نشد: {why}")


def check_zip(path: Path) -> None:
    """Refuse a workbook whose zip would unpack to too much, before anything is parsed."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except Exception as exc:  # BadZipFile, OSError, EOFError, NotImplementedError (a damaged header), …
        raise ValidationError("file", excel_problem(exc, path)) from exc  # says what to do, in Persian
    if len(members) > MAX_MEMBERS:
        raise _refuse(path, f"بیش از {to_persian_digits(MAX_MEMBERS)} جزء دارد.")
    total = 0
    for member in members:
        total += member.file_size
        too_big = member.file_size > MAX_MEMBER_BYTES
        ratio = member.file_size / max(member.compress_size, 1)
        if too_big or (member.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
            raise _refuse(path, f"جزء «{ltr(shown(member.filename))}» باز‌شده "
                                f"{to_persian_digits(member.file_size // (1024 * 1024))} مگابایت است؛ "
                                "این فایل برای فهرست کدهای بودجه بیش از اندازه بزرگ است (یا فایل فشرده‌بمب است).")
    if total > MAX_TOTAL_BYTES:
        raise _refuse(path, f"حجم باز‌شده آن {to_persian_digits(total // (1024 * 1024))} مگابایت است؛ "
                            f"بیشینه {to_persian_digits(MAX_TOTAL_BYTES // (1024 * 1024))} مگابایت.")


def _rows(path: Path, data_only: bool) -> tuple[Any, str, int, Iterator[tuple[Any, ...]]]:
    workbook = load_workbook(path, read_only=True, data_only=data_only)
    sheet = workbook.active
    if sheet is None:
        sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(min_row=1, max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS, values_only=True)
    # The sheet's own claim of its size, only for the progress bar (the limit above is what holds).
    size = sheet.max_row if isinstance(sheet.max_row, int) and 0 < sheet.max_row <= MAX_ROWS else MAX_ROWS
    return workbook, sheet.title, size, rows


def _header(cells: tuple[Any, ...], problems: _Problems) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, value in enumerate(cells):
        if value is None:
            continue
        key = _HEADER_KEYS.get(fold(shown(value, limit=100)))
        if key is None:
            continue
        if key in columns:
            problems.add(1, get_column_letter(index + 1),
                         f"ستون «{COLUMN_LABELS[key]}» دو بار آمده است.")
        columns.setdefault(key, index)
    for key in (CODE, TITLE):
        if key not in columns:
            problems.add(1, None, f"ستون «{COLUMN_LABELS[key]}» در سطر سرستون‌ها نیست؛ سطر اول باید "
                                  "سرستون‌های «کد»، «عنوان» و (اختیاری) «کد والد» باشد.")
    return columns


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number comes back as 301.0
    return str(value)


def read_budget_codes(path: Path, progress: Progress | None = None,
                      cancelled: Cancelled | None = None) -> list[dict[str, Any]]:
    """A budget-code catalogue from the first sheet: header row, then code, title, parent code.

    Returns dicts in the plan document's shape (code, title, parent, level), parents first.
    Raises ValidationError listing every problem found (up to :data:`MAX_ERRORS`), or
    :class:`ImportCancelled` when ``cancelled()`` turns true.
    """
    path = Path(path)
    check_zip(path)
    try:
        values_book, sheet_name, size, values = _rows(path, data_only=True)
        formula_book, _name, _size, formulas = _rows(path, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken or foreign file
        raise _refuse(path, shown(exc, limit=200)) from exc
    problems = _Problems(shown(sheet_name), [])
    found: list[dict[str, Any]] = []
    first_row: dict[str, int] = {}
    try:
        columns: dict[str, int] | None = None
        for number, (row, raw) in enumerate(zip(values, formulas, strict=False), start=1):
            if cancelled is not None and cancelled():
                raise ImportCancelled
            if progress is not None and number % 500 == 0:
                progress(number, size, f"خواندن ردیف {to_persian_digits(number)} از {to_persian_digits(size)}")
            if columns is None:
                columns = _header(row, problems)
                if problems.lines:
                    break
                continue
            if number > MAX_ROWS + 1:
                problems.add(None, None, f"بیش از {to_persian_digits(MAX_ROWS)} ردیف دارد؛ "
                                         "فهرست را در چند فایل وارد کنید.")
                break
            item = _read_row(number, row, raw, columns, problems)
            if item is None:
                continue
            if item["code"] in first_row:
                problems.add(number, COLUMN_LABELS[CODE],
                             f"کد «{to_persian_digits(item['code'])}» تکراری است؛ پیش‌تر در ردیف "
                             f"{to_persian_digits(first_row[item['code']])} آمده است.")
                continue
            first_row[item["code"]] = number
            found.append(item)
        if columns is None:
            problems.add(None, None, "برگه خالی است.")
    except (ImportCancelled, ValidationError):
        raise
    except Exception as exc:
        raise _refuse(path, shown(exc, limit=200)) from exc
    finally:
        values_book.close()
        formula_book.close()
    if not found and not problems.lines:
        problems.add(None, None, "هیچ کد بودجه‌ای در آن نیست.")
    _levels(found, first_row, problems)
    problems.raise_if_any(path.name)
    return sorted(found, key=lambda r: r["level"])


def _read_row(number: int, row: tuple[Any, ...], raw: tuple[Any, ...], columns: dict[str, int],
              problems: _Problems) -> dict[str, Any] | None:
    def cell(key: str) -> Any:
        index = columns.get(key)
        return row[index] if index is not None and index < len(row) else None

    if all(cell(key) in (None, "") for key in columns):
        return None  # an empty row between blocks
    texts: dict[str, str] = {}
    bad = False
    for key, index in columns.items():
        value = cell(key)
        formula = raw[index] if index < len(raw) else None
        if value is None and isinstance(formula, str) and formula.startswith("="):
            problems.add(number, COLUMN_LABELS[key],
                         f"خانه {get_column_letter(index + 1)}{number} فرمول «{shown(formula)}» بدون مقدار "
                         "محاسبه‌شده است؛ فایل را در اکسل باز کنید و دوباره ذخیره کنید یا مقدار را بنویسید.")
            bad = True
            continue
        try:
            raw_text = _cell_text(value)
            texts[key] = normalize_text(raw_text) if key == TITLE else normalize_code(raw_text)
        except TextError as exc:
            problems.add(number, COLUMN_LABELS[key], str(exc))
            bad = True
            continue
        if key != TITLE and " " in normalize_text(raw_text):
            problems.add(number, COLUMN_LABELS[key], f"«{shown(raw_text)}» کد نیست (فاصله دارد)؛ آیا ستون‌ها "
                                                     "جابه‌جا شده‌اند؟")
            bad = True
    if bad:
        return None
    code, title, parent = texts.get(CODE, ""), texts.get(TITLE, ""), texts.get(PARENT) or None
    if not code:
        problems.add(number, COLUMN_LABELS[CODE], "کد خالی است.")
    elif len(code) > 50:
        problems.add(number, COLUMN_LABELS[CODE], "کد حداکثر ۵۰ نویسه است.")
    if not title:
        problems.add(number, COLUMN_LABELS[TITLE], "عنوان خالی است.")
    elif len(title) > 300:
        problems.add(number, COLUMN_LABELS[TITLE], "عنوان حداکثر ۳۰۰ نویسه است.")
    elif normalize_code(title).isdigit():
        problems.add(number, COLUMN_LABELS[TITLE], f"عنوان «{shown(title)}» فقط عدد است؛ آیا ستون‌های کد و "
                                                   "عنوان جابه‌جا شده‌اند؟")
        return None
    if not code or not title or len(code) > 50 or len(title) > 300:
        return None
    if parent == code:
        problems.add(number, COLUMN_LABELS[PARENT], "کد والد همان خود کد است.")
        return None
    return {"code": code, "title": title, "parent": parent}


def _levels(rows: list[dict[str, Any]], first_row: dict[str, int], problems: _Problems) -> None:
    known = {r["code"]: r for r in rows}
    levels: dict[str, int] = {}
    for row in rows:
        chain: list[str] = []
        code: str | None = row["code"]
        while code is not None and code in known and code not in levels:
            if code in chain:
                problems.add(first_row[code], COLUMN_LABELS[PARENT],
                             f"زنجیره والدهای کد «{to_persian_digits(code)}» به خودش برمی‌گردد.")
                for looped in chain:
                    levels[looped] = 1
                break
            chain.append(code)
            code = known[code]["parent"]
        base = levels.get(code, 0) if code is not None else 0
        for depth, item in enumerate(reversed(chain), start=1):
            levels.setdefault(item, base + depth)
    for row in rows:
        row["level"] = levels[row["code"]]
