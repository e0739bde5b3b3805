"""Persian sentences for failures that arrive as English (the OS, zip/Excel readers, SQLite).

A planner never reads «File is not a zip file» or «[Errno 13] Permission denied»: each kind of
failure becomes a sentence that says what happened to which file and what to do.
"""

from __future__ import annotations

import re
import sqlite3
import zipfile
from pathlib import Path

from planner_core.text import ltr

PERSIAN_LETTER = re.compile("[\u0600-\u06ff]")


def is_persian(text: str) -> bool:
    """True when ``text`` holds Persian words (a message fit to show as it is)."""
    return bool(PERSIAN_LETTER.search(text or ""))


def file_problem(exc: BaseException, path: str | Path, *, reading: bool) -> str:
    """What went wrong reading or writing ``path``, and what to do, in one Persian sentence."""
    name = f"«{ltr(path)}»"
    if isinstance(exc, FileNotFoundError):
        return (f"فایل {name} پیدا نشد؛ مسیر را بررسی کنید." if reading
                else f"پوشه فایل {name} وجود ندارد؛ پوشه دیگری برگزینید.")
    if isinstance(exc, PermissionError):
        return (f"اجازه خواندن {name} نیست؛ اگر در برنامه دیگری باز است آن را ببندید." if reading
                else f"اجازه نوشتن {name} نیست؛ اگر در برنامه دیگری (مثلاً اکسل) باز است آن را ببندید "
                     "یا پوشه دیگری برگزینید.")
    if isinstance(exc, IsADirectoryError):
        return f"{name} یک پوشه است، نه فایل؛ نام فایل را بنویسید."
    if isinstance(exc, OSError) and getattr(exc, "errno", None) == 28:
        return f"جای خالی دیسک برای نوشتن {name} کافی نیست؛ جا باز کنید یا دیسک دیگری برگزینید."
    if isinstance(exc, OSError):
        return (f"فایل {name} خوانده نشد؛ مسیر و دسترسی به آن را بررسی کنید." if reading
                else f"فایل {name} نوشته نشد؛ مسیر، دسترسی و جای خالی دیسک را بررسی کنید.")
    return f"فایل {name} خوانده نشد." if reading else f"فایل {name} نوشته نشد."


def excel_problem(exc: BaseException, path: str | Path) -> str:
    """Why an Excel workbook could not be read, in Persian (openpyxl speaks English)."""
    if isinstance(exc, OSError):
        return file_problem(exc, path, reading=True)
    if isinstance(exc, zipfile.BadZipFile | KeyError) or type(exc).__name__ == "InvalidFileException":
        return (f"فایل «{ltr(Path(path).name)}» خوانده نشد: کارپوشه اکسل (xlsx) نیست یا خراب است؛ "
                "آن را در اکسل باز کنید و با قالب «Excel Workbook (.xlsx)» دوباره ذخیره کنید.")
    return (f"فایل اکسل «{ltr(Path(path).name)}» خوانده نشد؛ آن را در اکسل باز کنید و دوباره با قالب xlsx "
            "ذخیره کنید.")


def store_failure(exc: BaseException) -> str | None:
    """What kind of SQLite failure ``exc`` is: "full", "busy", "damaged", "read_only", or None.

    One reading of SQLite's English for the message on opening (:func:`database_problem`) and the
    refusal of a write (planner_core.safety.busy)."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    if "disk is full" in text:
        return "full"
    if "locked" in text or "busy" in text:
        return "busy"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return "damaged"
    if "readonly" in text or "read-only" in text:
        return "read_only"
    return None


def database_problem(exc: BaseException, path: str | Path) -> str:
    """Why SQLite refused a plan file, in Persian."""
    kind = store_failure(exc)
    name = f"«{ltr(path)}»"
    if kind == "full":
        return (f"جای خالی دیسک برای فایل برنامه {name} تمام شده است؛ چیزی نیمه‌کاره نوشته نشد. "
                "جا باز کنید و دوباره بکوشید.")
    if kind == "busy":
        return f"فایل برنامه {name} را برنامه دیگری در دست دارد؛ آن را ببندید و دوباره بکوشید."
    if kind == "damaged":
        return f"فایل برنامه {name} خراب است؛ نسخه پشتیبان آن را باز کنید."
    if kind == "read_only":
        return f"فایل برنامه {name} فقط‌خواندنی است؛ اجازه نوشتن آن را بدهید یا رونوشتی از آن باز کنید."
    unopened = "unable to open" in str(getattr(exc, "orig", exc)).lower()
    if unopened or isinstance(exc, sqlite3.OperationalError | OSError):
        return f"فایل برنامه {name} باز نشد؛ مسیر و اجازه دسترسی به پوشه آن را بررسی کنید."
    return f"فایل برنامه {name} باز نشد."
