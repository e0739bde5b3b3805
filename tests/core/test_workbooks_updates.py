"""Quarterly update workbooks: one per unit, locked where the unit must not type, filled with
openpyxl the way a unit fills it in Excel, and read back as progress reports and actuals."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner_core import indicators, monitoring, nodes, orgunits
from planner_core.backups import database_path
from planner_core.errors import ValidationError
from planner_core.workbooks import (
    export_workbook,
    import_update_workbook,
    is_update_workbook,
    undo_update_import,
    write_template,
    write_update_workbooks,
)
from planner_core.workbooks.update_layout import PROGRESS, VALUES
from tests.conftest import sqlite_file_only

YEAR, QUARTER = 1403, 2


@pytest.fixture
def two_units(db, small_plan):
    """The small plan's traffic deputy plus a district with its own project; quarterly indicators."""
    district = orgunits.add_org_unit(db, code="R05", name="منطقه ۵", kind="district")
    other = nodes.add_node(db, small_plan["plan"].id, small_plan["program"].id, "project",
                           title="بهسازی ایستگاه‌های منطقه ۵", responsible_unit_id=district.id)
    ours = indicators.add_indicator(db, small_plan["project"].id, title="تعداد اتوبوس تحویل‌شده", kind="output",
                                    unit="دستگاه", frequency="quarterly")
    indicators.set_target(db, ours.id, YEAR, 20)
    annual = indicators.add_indicator(db, small_plan["program"].id, title="سهم ناوگان برقی", kind="result")
    theirs = indicators.add_indicator(db, other.id, title="ایستگاه بهسازی‌شده", kind="output",
                                      frequency="quarterly")
    return {**small_plan, "district": district, "other": other, "ours": ours, "annual": annual, "theirs": theirs}


def _sha(db) -> str:  # type: ignore[no-untyped-def]
    return hashlib.sha256(database_path(db).read_bytes()).hexdigest()


def _col(sheet, key: str) -> int:  # type: ignore[no-untyped-def]
    spec = PROGRESS if sheet.title == PROGRESS.name else VALUES
    return [c.key for c in spec.columns].index(key) + 1


def _workbooks(db, tmp_path: Path) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    out = tmp_path / "کارپوشه‌های فصل"
    out.mkdir()
    paths = write_update_workbooks(db, out, YEAR, QUARTER)
    return {p.name.rsplit("-", 1)[-1].removesuffix(".xlsx"): p for p in paths}


def test_one_workbook_per_unit_with_only_its_projects_and_due_indicators(db, two_units, tmp_path):
    books = _workbooks(db, tmp_path)
    assert set(books) == {"TRF", "R05"}  # file names end with the unit code (D-TRF → …-D-TRF)
    workbook = load_workbook(books["TRF"])
    projects = workbook[PROGRESS.name]
    titles = [r[_col(projects, "title") - 1] for r in projects.iter_rows(min_row=2, values_only=True)]
    assert titles == ["خرید ۵۰ دستگاه اتوبوس برقی"]
    values = workbook[VALUES.name]
    rows = list(values.iter_rows(min_row=2, values_only=True))
    # The quarterly output indicator is due in Q2; the program's annual one only in Q4.
    assert [r[_col(values, "title") - 1] for r in rows] == ["تعداد اتوبوس تحویل‌شده"]
    assert rows[0][_col(values, "target") - 1] == 20
    assert is_update_workbook(books["TRF"])


def test_only_the_input_cells_are_unlocked(db, two_units, tmp_path):
    sheet = load_workbook(_workbooks(db, tmp_path)["TRF"])[PROGRESS.name]
    assert sheet.protection.sheet
    unlocked = {PROGRESS.columns[c.column - 1].key for c in sheet[2] if not c.protection.locked}
    assert unlocked == {"physical_progress", "spent", "narrative", "corrective_action", "reported_on"}
    assert sheet.column_dimensions["A"].hidden
    assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.orientation == "landscape"


@sqlite_file_only
def test_filled_workbook_reads_back_with_a_preview_then_writes(db, two_units, tmp_path):
    path = _workbooks(db, tmp_path)["TRF"]
    workbook = load_workbook(path)
    projects, values = workbook[PROGRESS.name], workbook[VALUES.name]
    projects.cell(row=2, column=_col(projects, "physical_progress")).value = 35
    projects.cell(row=2, column=_col(projects, "spent")).value = 1250.5  # million rials
    projects.cell(row=2, column=_col(projects, "narrative")).value = "تحويل ده دستگاه"  # Arabic و/ي
    projects.cell(row=2, column=_col(projects, "reported_on")).value = "1403/07/05"
    values.cell(row=2, column=_col(values, "value")).value = 10
    values.cell(row=2, column=_col(values, "note")).value = "ده دستگاه"
    filled = tmp_path / "پرشده.xlsx"
    workbook.save(filled)

    before = _sha(db)
    preview = import_update_workbook(db, filled, dry_run=True)
    assert _sha(db) == before and not preview.written
    assert (preview.added, preview.changed, preview.unchanged) == (2, 0, 0)
    assert "خرید ۵۰ دستگاه اتوبوس برقی" in preview.lines()[1] and "۳۵" in preview.lines()[1]

    summary = import_update_workbook(db, filled)
    assert summary.written
    [report] = monitoring.list_progress_reports(db, two_units["project"].id)
    assert (report.year, report.quarter, report.physical_progress) == (YEAR, QUARTER, 35)
    assert report.spent == 1_250_500_000 and report.narrative == "تحویل ده دستگاه"
    actual = indicators.get_indicator(db, two_units["ours"].id).actual(YEAR, f"q{QUARTER}")
    assert actual is not None and actual.value == 10 and actual.note == "ده دستگاه"

    again = import_update_workbook(db, filled, dry_run=True)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 2)
    projects.cell(row=2, column=_col(projects, "physical_progress")).value = 40
    workbook.save(filled)
    changed = import_update_workbook(db, filled, dry_run=True)
    assert changed.changed == 1 and "۳۵" in changed.changes[0].line and "۴۰" in changed.changes[0].line

    recorded = import_update_workbook(db, filled)
    assert monitoring.list_progress_reports(db, two_units["project"].id)[0].physical_progress == 40
    undo_update_import(db, recorded)  # the GUI's undo step: the report as it was before this workbook
    [back] = monitoring.list_progress_reports(db, two_units["project"].id)
    assert (back.uuid, back.physical_progress, back.spent) == (report.uuid, 35, 1_250_500_000)


@sqlite_file_only
def test_a_bad_filled_workbook_lists_every_error_and_changes_nothing(db, two_units, tmp_path):
    path = _workbooks(db, tmp_path)["TRF"]
    workbook = load_workbook(path)
    projects, values = workbook[PROGRESS.name], workbook[VALUES.name]
    projects.cell(row=2, column=_col(projects, "physical_progress")).value = 140
    projects.cell(row=2, column=_col(projects, "spent")).value = "=B2*2"  # a formula without a cached value
    values.cell(row=2, column=_col(values, "value")).value = "بسیار"
    values.append([indicators.get_indicator(db, two_units["annual"].id).uuid, "سالانه"]
                  + [None] * 7 + [55])  # an annual indicator is not due in quarter 2
    # Rows of another unit's project copied in must not be accepted either.
    other_uuid = nodes.get_node(db, two_units["other"].id).uuid
    projects.cell(row=3, column=1).value = other_uuid
    projects.cell(row=3, column=_col(projects, "physical_progress")).value = 10
    filled = tmp_path / "bad.xlsx"
    workbook.save(filled)
    before = _sha(db)
    with pytest.raises(ValidationError) as caught:
        import_update_workbook(db, filled)
    message = str(caught.value)
    assert "برگه «پیشرفت پروژه‌ها»، ردیف ۲، ستون «پیشرفت فیزیکی تجمعی (٪)»: نباید بیشتر از ۱۰۰" in message
    assert "ردیف ۲، ستون «هزینه‌شده تا پایان فصل (میلیون ریال)»: فرمول بدون مقدار" in message
    assert "برگه «مقادیر شاخص‌ها»، ردیف ۲، ستون «مقدار واقعی»" in message
    assert "برگه «مقادیر شاخص‌ها»، ردیف ۳، ستون «دوره»" in message
    assert "ردیف ۳، ستون «شناسه پروژه»: این پروژه" in message
    assert _sha(db) == before
    assert monitoring.list_progress_reports(db, two_units["project"].id) == []


def test_plan_workbooks_are_not_update_workbooks(db, small_plan, tmp_path):
    template = tmp_path / "t.xlsx"
    write_template(template)
    export = tmp_path / "e.xlsx"
    export_workbook(db, export)
    assert not is_update_workbook(template) and not is_update_workbook(export)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 broken")
    assert not is_update_workbook(broken)
    with pytest.raises(ValidationError, match="به‌روزرسانی فصلی"):
        import_update_workbook(db, export)
