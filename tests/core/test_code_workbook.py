"""The budget-code workbook import on hostile and careless files: every problem named, nothing half-read."""

from __future__ import annotations

import tracemalloc

import pytest
from openpyxl import Workbook

from planner_core import budget, code_workbook
from planner_core.code_workbook import ImportCancelled
from planner_core.errors import ValidationError
from planner_core.excel import read_budget_codes
from tests.workbooks import bomb, catalogue


def problems(path, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        read_budget_codes(path, **kwargs)
    assert caught.value.field == "file"
    return str(caught.value)


def test_columns_are_found_by_their_header_in_any_order(tmp_path):
    path = catalogue(tmp_path / "کدهای ۱۴۰۴.xlsx", [("خدمات شهری", "۴", None), ("پسماند", 401, "٤"),
                                                  ("جمع‌آوری", "40101", "401")],
                     header=("عنوان", "کد بودجه", "کد والد"))
    rows = read_budget_codes(path)
    assert [(r["code"], r["title"], r["parent"], r["level"]) for r in rows] == [
        ("4", "خدمات شهری", None, 1), ("401", "پسماند", "4", 2), ("40101", "جمع‌آوری", "401", 3)]


def test_swapped_data_is_refused_naming_row_and_column(tmp_path):
    # The file: titles in the code column were squashed into «مدیریتپسماند» with title «950».
    path = catalogue(tmp_path / "x.xlsx", [("950", "مدیریت پسماند", None), ("مدیریت پسماند", "950", None)])
    message = problems(path)
    assert "ردیف ۳، ستون «کد»: «مدیریت پسماند» کد نیست" in message
    assert "برگه «کدها»" in message
    assert "ردیف ۲" not in message


def test_a_number_as_title_is_taken_for_swapped_columns(tmp_path):
    path = catalogue(tmp_path / "x.xlsx", [("پسماند", 950, None)], header=("کد", "عنوان"))
    message = problems(path)
    assert "ستون «عنوان»: عنوان «950» فقط عدد است" in message


@pytest.mark.parametrize(("header", "missing"), [
    (("کد", "کد والد"), "عنوان"),
    (("عنوان", "والد"), "کد"),
    (("301", "حمل‌ونقل", None), "کد"),  # no header row at all: the first code is not a header
])
def test_a_missing_column_is_named(tmp_path, header, missing):
    path = catalogue(tmp_path / "x.xlsx", [("302", "پیاده‌راه", "3")], header=header)
    assert f"ستون «{missing}» در سطر سرستون‌ها نیست" in problems(path)


def test_duplicate_codes_are_reported_with_both_rows(tmp_path):
    path = catalogue(tmp_path / "x.xlsx", [("3", "عمران", None), ("301", "حمل‌ونقل", "3"), ("4", "خدمات", None),
                                           ("۳۰۱", "تکراری", "3")])
    assert "ردیف ۵، ستون «کد»: کد «۳۰۱» تکراری است؛ پیش‌تر در ردیف ۳ آمده است." in problems(path)


def test_a_formula_without_a_cached_value_is_refused_naming_the_cell(tmp_path):
    path = catalogue(tmp_path / "x.xlsx", [("3", "عمران", None), ("301", "=B2&\" عمومی\"", "3"),
                                           ("302", "پیاده‌راه", "=A2")])
    message = problems(path)
    assert "ردیف ۳، ستون «عنوان»: خانه B3 فرمول" in message
    assert "ردیف ۴، ستون «کد والد»: خانه C4 فرمول" in message


def test_every_problem_is_listed_at_once_up_to_a_limit(tmp_path):
    rows = [("", f"عنوان {n}", None) for n in range(30)]
    message = problems(catalogue(tmp_path / "x.xlsx", rows))
    lines = message.splitlines()
    assert lines[0].endswith("۳۰ ایراد:")
    assert len(lines) == 1 + code_workbook.MAX_ERRORS + 1
    assert lines[1] == "برگه «کدها»، ردیف ۲، ستون «کد»: کد خالی است."
    assert lines[-1] == "و ۱۰ ایراد دیگر."


def test_a_parent_loop_is_refused(tmp_path):
    path = catalogue(tmp_path / "x.xlsx", [("1", "الف", "2"), ("2", "ب", "1")])
    assert "به خودش برمی‌گردد" in problems(path)


def test_too_many_rows_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(code_workbook, "MAX_ROWS", 40)
    path = catalogue(tmp_path / "x.xlsx", [(str(n), f"کد {n}", None) for n in range(100, 160)])
    assert "بیش از ۴۰ ردیف دارد" in problems(path)


def test_rows_far_down_the_sheet_stop_at_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(code_workbook, "MAX_ROWS", 40)
    book = Workbook()
    book.active.append(["کد", "عنوان"])
    book.active.cell(row=1_000_000, column=1).value = "999"  # one stray cell a million rows down
    book.active.cell(row=1_000_000, column=2).value = "دور"
    book.save(tmp_path / "x.xlsx")
    assert "بیش از ۴۰ ردیف دارد" in problems(tmp_path / "x.xlsx")


def test_a_zip_bomb_is_refused_before_parsing_without_big_memory(tmp_path):
    path = bomb(tmp_path / "بمب.xlsx")
    assert path.stat().st_size < 1024 * 1024
    tracemalloc.start()
    try:
        message = problems(path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "xl/worksheets/sheet1.xml" in message and "بزرگ" in message
    assert peak < 5 * 1024 * 1024


def test_not_a_workbook(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_text("not excel")
    assert "xlsx" in problems(path)
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert "خوانده نشد" in problems(path)


def test_progress_is_reported_and_cancel_stops(tmp_path):
    path = catalogue(tmp_path / "x.xlsx", [(str(n), f"کد {n}", None) for n in range(1000, 2200)])
    seen = []
    rows = read_budget_codes(path, progress=lambda done, total, text: seen.append((done, total)))
    assert len(rows) == 1200 and seen and seen == sorted(seen)
    assert {total for _done, total in seen} == {1201}  # header and 1,200 codes
    with pytest.raises(ImportCancelled):
        read_budget_codes(path, cancelled=lambda: True)


def test_a_refused_workbook_changes_nothing_in_the_store(db, tmp_path):
    budget.add_budget_code(db, code="3", title="عمران")
    path = catalogue(tmp_path / "x.xlsx", [("301", "حمل‌ونقل", "3"), ("301", "باز", "3")])
    with pytest.raises(ValidationError):
        budget.import_budget_codes(db, read_budget_codes(path))
    assert [c.code for c in budget.list_budget_codes(db)] == ["3"]
