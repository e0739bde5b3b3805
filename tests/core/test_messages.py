"""Failures that arrive in English (OS, Excel reader, SQLite) reach the planner as Persian sentences."""

from __future__ import annotations

import errno
import sqlite3
import zipfile

import pytest

from planner_core.errors import StoreError, ValidationError
from planner_core.excel import read_budget_codes
from planner_core.messages import database_problem, excel_problem, file_problem, is_persian
from planner_core.store import open_store


def _no_english_error(text: str) -> None:
    assert is_persian(text)
    for word in ("Errno", "zip", "Permission denied", "No such file", "database", "locked"):
        assert word not in text, text


@pytest.mark.parametrize("exc,expected", [
    (FileNotFoundError(errno.ENOENT, "No such file or directory"), "وجود ندارد"),
    (PermissionError(errno.EACCES, "Permission denied"), "اجازه"),
    (OSError(errno.ENOSPC, "No space left on device"), "جای خالی دیسک"),
    (IsADirectoryError(errno.EISDIR, "Is a directory"), "پوشه"),
])
def test_os_errors_say_what_to_do(exc, expected, tmp_path):
    text = file_problem(exc, tmp_path / "فایل.xlsx", reading=False)
    assert expected in text and "فایل.xlsx" in text
    _no_english_error(text)


def test_a_file_that_is_not_excel_is_named_with_the_way_out(tmp_path):
    bad = tmp_path / "کدهای بودجه.xlsx"
    bad.write_text("not excel")
    with pytest.raises(ValidationError) as info:
        read_budget_codes(bad)
    text = str(info.value)
    assert "کدهای بودجه.xlsx" in text and "ذخیره کنید" in text
    _no_english_error(text)
    assert "اکسل" in excel_problem(zipfile.BadZipFile("File is not a zip file"), bad)
    with pytest.raises(ValidationError) as info:
        read_budget_codes(tmp_path / "نیست.xlsx")
    assert "پیدا نشد" in str(info.value)


def test_sqlite_failures_in_persian(tmp_path):
    path = tmp_path / "برنامه.db"
    assert "برنامه دیگری" in database_problem(sqlite3.OperationalError("database is locked"), path)
    assert "خراب" in database_problem(sqlite3.DatabaseError("file is not a database"), path)
    for exc in (sqlite3.OperationalError("database is locked"),
                sqlite3.DatabaseError("database disk image is malformed")):
        _no_english_error(database_problem(exc, path))


def test_a_damaged_plan_file_opens_with_a_persian_sentence(tmp_path):
    damaged = tmp_path / "خراب.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84 + b"garbage" * 200)
    with pytest.raises(StoreError) as info:
        open_store(damaged)
    _no_english_error(str(info.value))
