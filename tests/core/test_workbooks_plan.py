"""Plan workbooks: template, full export → read → import round trip, and hostile workbooks refused.

Hostile workbooks are made here from a real export by editing it with openpyxl or rewriting its
ZIP; each must be refused with the sheet, row and column named, and the store left byte-for-byte
as it was.
"""

from __future__ import annotations

import hashlib
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner_core.errors import ValidationError
from planner_core.exchange import export_document, import_document
from planner_core.sample import load_sample
from planner_core.store import open_store
from planner_core.workbooks import export_workbook, read_plan_workbook, write_template
from planner_core.workbooks.layout import ALLOCATIONS, INDICATORS, LEVEL_SHEETS, PLAN_SHEETS, PLANS


def _dump(db) -> dict:
    doc = export_document(db)
    doc.pop("exported_at")
    return doc


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample plan in a file and its full workbook, under a Persian folder name."""
    base = tmp_path_factory.mktemp("wb")
    folder = base / "کارپوشه‌ها و برنامه"
    folder.mkdir()
    # (the store stays on an ASCII path: db/migrate.py cannot yet open a non-ASCII one)
    db = open_store(base / "sample.db", create=True)
    load_sample(db)
    out = folder / "برنامه اصفهان.xlsx"
    export_workbook(db, out)
    yield db, out
    db.dispose()


def _column(sheet, header: str) -> int:
    for cell in sheet[1]:
        if cell.value == header:
            return cell.column
    raise AssertionError(header)


def _edited(sample_path: Path, tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    workbook = load_workbook(sample_path)
    edit(workbook)
    out = tmp_path / "edited.xlsx"
    workbook.save(out)
    return out


def _refused(path: Path) -> str:
    with pytest.raises(ValidationError) as caught:
        read_plan_workbook(path)
    return str(caught.value)


def test_round_trip_reproduces_the_same_dump(sample, tmp_path):
    db, out = sample
    doc = read_plan_workbook(out)
    target = open_store(tmp_path / "received.db", create=True)
    try:
        import_document(target, doc, as_home=True)
        assert _dump(target) == _dump(db)
    finally:
        target.dispose()
    original = _dump(db)
    assert original["plans"][0]["axes"], "the sample must have a tree to compare"
    assert any(n["allocations"] for a in original["plans"][0]["axes"] for g in a["goals"]
               for s in g["strategies"] for p in s["programs"] for n in p["projects"])


def test_exported_workbook_is_right_to_left_with_hidden_uuids_and_print_titles(sample):
    _db, out = sample
    workbook = load_workbook(out)
    assert [s.name for s in PLAN_SHEETS] == workbook.sheetnames[:len(PLAN_SHEETS)]
    projects = workbook[LEVEL_SHEETS["project"].name]
    assert projects.sheet_view.rightToLeft
    assert projects.freeze_panes == "A2"
    assert projects.column_dimensions["A"].hidden  # the UUID column
    assert projects.print_title_rows == "$1:$1"
    assert projects.page_setup.orientation == "landscape"
    assert projects.page_setup.fitToWidth == 1 and projects.page_setup.fitToHeight == 0


def test_text_that_looks_like_a_formula_stays_text(db, tmp_path):
    from planner_core import nodes, plans

    plan = plans.create_plan(db, code="F-1", title="=HYPERLINK(\"http://x\",\"y\")", first_year=1403,
                             last_year=1404)
    nodes.add_node(db, plan.id, None, "axis", title="+1+cmd|' /C calc'!A0")
    out = tmp_path / "f.xlsx"
    export_workbook(db, out)
    with zipfile.ZipFile(out) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in xml and b"<f " not in xml
    doc = read_plan_workbook(out)
    assert doc["plans"][0]["title"].startswith("=HYPERLINK")
    assert doc["plans"][0]["axes"][0]["title"].startswith("+1+cmd")


def test_template_has_lists_frozen_headers_and_reads_as_an_empty_document(tmp_path):
    out = tmp_path / "قالب.xlsx"
    write_template(out)
    workbook = load_workbook(out)
    indicators = workbook[INDICATORS.name]
    lists = {str(v.sqref).split(":")[0][0]: v.formula1 for v in indicators.data_validations.dataValidation}
    kind_col = indicators.cell(row=1, column=_column(indicators, "نوع شاخص")).column_letter
    direction_col = indicators.cell(row=1, column=_column(indicators, "جهت مطلوب")).column_letter
    assert "پیامدی" in lists[kind_col] and "خروجی" in lists[kind_col]
    assert "افزایشی" in lists[direction_col]
    plans = workbook[PLANS.name]
    year_col = plans.cell(row=1, column=_column(plans, "سال شروع")).column_letter
    year_list = next(v.formula1 for v in plans.data_validations.dataValidation if str(v.sqref).startswith(year_col))
    assert "14" in year_list
    for sheet in (workbook[s.name] for s in PLAN_SHEETS):
        assert sheet.freeze_panes == "A2" and sheet.sheet_view.rightToLeft
        assert sheet.max_row == 1
    doc = read_plan_workbook(out)
    assert doc["plans"] == [] and doc["org_units"] == []


def test_filled_template_imports_with_new_uuids(tmp_path, db):
    out = tmp_path / "t.xlsx"
    write_template(out)
    workbook = load_workbook(out)
    workbook[PLANS.name].append([None, "N-1", "برنامه تازه", 1404, 1408, "", "", "پیش‌نویس"])
    workbook[LEVEL_SHEETS["axis"].name].append([None, "N-1", "1", "محور يك"])  # Arabic ي/ك are normalised
    workbook.save(out)
    doc = read_plan_workbook(out)
    import_document(db, doc)
    plan = _dump(db)["plans"][0]
    assert plan["code"] == "N-1" and plan["axes"][0]["title"] == "محور یک"
    assert len(plan["axes"][0]["id"]) == 36


def test_errors_name_sheet_row_and_column_and_are_listed_together(sample, tmp_path):
    _db, out = sample

    def edit(workbook):  # type: ignore[no-untyped-def]
        sheet = workbook[ALLOCATIONS.name]
        sheet.cell(row=2, column=_column(sheet, "کد بودجه")).value = "999999"
        projects = workbook[LEVEL_SHEETS["project"].name]
        projects.cell(row=3, column=_column(projects, "وضعیت اجرا")).value = "نامعلوم"
        projects.cell(row=4, column=_column(projects, "تاریخ شروع")).value = "1403/13/40"

    message = _refused(_edited(out, tmp_path, edit))
    assert "برگه «تخصیص‌ها»، ردیف ۲، ستون «کد بودجه»: کد بودجه «999999»" in message
    assert "برگه «پروژه‌ها و فعالیت‌ها»، ردیف ۳، ستون «وضعیت اجرا»" in message
    assert "برگه «پروژه‌ها و فعالیت‌ها»، ردیف ۴، ستون «تاریخ شروع»" in message
    assert "۳ خطا" in message


def test_duplicates_are_refused(sample, tmp_path):
    _db, out = sample

    def edit(workbook):  # type: ignore[no-untyped-def]
        axes = workbook[LEVEL_SHEETS["axis"].name]
        axes.append([c.value for c in axes[2]])  # the same axis twice: same code and UUID

    message = _refused(_edited(out, tmp_path, edit))
    assert "برگه «محورها»" in message and "تکراری" in message


def test_wrong_or_missing_headers_are_refused(sample, tmp_path):
    _db, out = sample

    def edit(workbook):  # type: ignore[no-untyped-def]
        sheet = workbook[PLANS.name]
        sheet.cell(row=1, column=_column(sheet, "عنوان")).value = "نام"
        del workbook[INDICATORS.name]

    message = _refused(_edited(out, tmp_path, edit))
    assert "برگه «برنامه‌ها»، ردیف ۱، ستون «عنوان»: این ستون در ردیف عنوان‌ها نیست" in message
    assert "برگه «شاخص‌ها»: این برگه در کارپوشه نیست" in message


def test_formula_without_cached_value_is_named_by_its_cell(sample, tmp_path):
    _db, out = sample

    def edit(workbook):  # type: ignore[no-untyped-def]
        sheet = workbook[INDICATORS.name]
        sheet.cell(row=5, column=_column(sheet, "مقدار پایه")).value = "=1+1"

    message = _refused(_edited(out, tmp_path, edit))
    assert "برگه «شاخص‌ها»، ردیف ۵، ستون «مقدار پایه»: فرمول بدون مقدار ذخیره‌شده" in message


def _rezip(source: Path, target: Path, extra: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item, old.read(item.filename))
        for name, data in extra.items():
            new.writestr(name, data)
    return target


def test_external_links_are_refused(sample, tmp_path):
    _db, out = sample
    linked = _rezip(out, tmp_path / "linked.xlsx", {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    assert "پیوند به کارپوشه بیرونی" in _refused(linked)


def test_zip_bomb_is_refused_quickly(sample, tmp_path):
    _db, out = sample
    bomb = _rezip(out, tmp_path / "bomb.xlsx", {"xl/media/zeros.bin": b"\0" * (120 * 1024 * 1024)})
    started = time.monotonic()
    message = _refused(bomb)
    assert "فشرده مخرب" in message
    assert time.monotonic() - started < 1.0  # the issue's own bound: refused from the ZIP directory alone


def test_not_a_workbook_and_foreign_workbooks_are_refused(tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    assert "اکسل (xlsx) نیست" in _refused(fake)
    from openpyxl import Workbook

    foreign = tmp_path / "foreign.xlsx"
    Workbook().save(foreign)
    assert "اطلاعات فایل" in _refused(foreign)


def test_a_refused_workbook_leaves_the_store_unchanged(sample, tmp_path):
    db, out = sample
    copy = tmp_path / "copy.db"
    source = Path(db.engine.url.database)
    db.dispose()
    shutil.copy(source, copy)
    target = open_store(copy)
    before = _sha(copy)

    def edit(workbook):  # type: ignore[no-untyped-def]
        sheet = workbook[ALLOCATIONS.name]
        sheet.cell(row=2, column=_column(sheet, f"مبلغ تخصیص ({'میلیون ریال'})")).value = -5

    bad = _edited(out, tmp_path, edit)
    try:
        with pytest.raises(ValidationError):
            import_document(target, read_plan_workbook(bad))
    finally:
        target.dispose()
    assert _sha(copy) == before


def test_hard_persian_strings_survive_the_round_trip(tmp_path):
    """ZWNJ, Arabic letters, digits of every script, marks, long paragraphs and a foreign source."""
    from tests.core.test_booklet_support import hard_strings_doc

    doc = hard_strings_doc()
    doc["plans"][0]["source_municipality"] = {"id": "6f1c1a43-4d4e-4c59-9d3c-0a4c1d2e3f40",
                                              "name": "شهرداری شیراز", "province": "فارس"}
    first = open_store(tmp_path / "a.db", create=True)
    second = open_store(tmp_path / "b.db", create=True)
    try:
        import_document(first, doc, as_home=True)
        out = tmp_path / "سخت.xlsx"
        export_workbook(first, out)
        import_document(second, read_plan_workbook(out), as_home=True)
        assert _dump(second) == _dump(first)
        assert _dump(first)["plans"][0]["source_municipality"]["name"] == "شهرداری شیراز"
    finally:
        first.dispose()
        second.dispose()


def test_a_sheet_longer_than_the_limit_is_refused(sample, tmp_path, monkeypatch):
    from planner_core.workbooks import guard

    monkeypatch.setattr(guard, "MAX_ROWS", 5)
    _db, out = sample
    message = _refused(out)
    assert "بیش از ۵ ردیف" in message


def test_xml_entity_expansion_is_refused(sample, tmp_path):
    _db, out = sample
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
              b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>')
    with zipfile.ZipFile(out) as old, zipfile.ZipFile(tmp_path / "lol.xlsx", "w") as new:
        for item in old.infolist():
            data = laughs if item.filename == "xl/sharedStrings.xml" else old.read(item.filename)
            new.writestr(item, data)
        if "xl/sharedStrings.xml" not in old.namelist():
            new.writestr("xl/sharedStrings.xml", laughs)
    assert "DTD" in _refused(tmp_path / "lol.xlsx")


def test_a_sheet_claiming_a_million_rows_is_refused_quickly(tmp_path):
    import re

    template = tmp_path / "t.xlsx"
    write_template(template)
    far = tmp_path / "far.xlsx"
    with zipfile.ZipFile(template) as old, zipfile.ZipFile(far, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:GR1048576"', data.decode())
                data = text.replace("</sheetData>", '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t>'
                                    "</is></c></row></sheetData>").encode()
            new.writestr(item, data)
    # The declared dimension and the gap are not walked cell by cell (about half a second here).
    assert "برگه «برنامه‌ها»، ردیف ۱۰۰۰۰۱: بیش از ۱۰۰۰۰۰ ردیف" in _refused(far)
