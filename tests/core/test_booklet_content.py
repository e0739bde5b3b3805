"""Content a planning office expects in a plan book, read back from the PDF: approvals with the
council resolution, budget by budget code, responsibility matrix, indicator appendix, list of
tables and figures, glossary, lessons with their source municipality."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from planner_core.booklet import ApprovalsInfo, BookletOptions, Signatory, render_booklet
from planner_core.jalali import format_jalali
from tests.core.test_booklet_support import clean, hard_strings_doc, needs_poppler, pdftotext, reading_text

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample_plan.json"


def _doc_with_budget():
    doc = hard_strings_doc()
    doc["annual_budgets"] = [{"id": "b1403", "year": 1403, "title": "بودجه سال ۱۴۰۳", "approved_on": "2024-03-10",
                              "lines": [{"budget_code": "301002", "ceiling": 20_000_000_000_000},
                                        {"budget_code": "301003", "ceiling": 15_000_000_000_000}],
                              "amendments": [{"id": "m1", "budget_code": "301002", "date": "2024-10-01",
                                              "kind": "supplement", "delta": 2_000_000_000_000, "reason": "x"},
                                             {"id": "m2", "budget_code": "301003", "date": "2024-11-01",
                                              "kind": "amendment", "delta": -1_000_000_000_000, "reason": "y"}]}]
    doc["plans"][0]["lessons"] = [{"id": "l1", "title": "درس برگرفته از شیراز", "body": "متن درس.",
                                   "recorded_on": "2025-01-01",
                                   "source_municipality": {"id": "s", "name": "شهرداری شیراز", "province": "فارس"}}]
    return doc


@pytest.fixture(scope="module")
def booklet(tmp_path_factory):
    out = tmp_path_factory.mktemp("content") / "c.pdf"
    approvals = ApprovalsInfo(resolution_number="۱۲۳/۴۵", resolution_date=date(2025, 3, 10),
                              approved_by_body="شورای اسلامی شهر اصفهان",
                              signatories=[Signatory("تهیه‌کننده", "مریم احمدی", "کارشناس برنامه‌ریزی"),
                                           Signatory("تصویب‌کننده", "علی رضایی", "رئیس شورا")])
    result = render_booklet(_doc_with_budget(), out, BookletOptions(approvals=approvals))
    return out, result


def _page_of(result, title):
    return next(p for _, t, p in result.toc if t == title)


@needs_poppler
def test_approvals_page_prints_the_resolution_and_signatories(booklet):
    out, result = booklet
    text = clean(reading_text(out, _page_of(result, "تأیید و امضا")))
    assert "۱۲۳/۴۵" in text and clean(format_jalali(date(2025, 3, 10))) in text
    assert "شورای اسلامی شهر اصفهان" in text
    assert "مریم احمدی، کارشناس برنامه‌ریزی" in text and "علی رضایی، رئیس شورا" in text


@needs_poppler
def test_approvals_without_a_resolution_say_so(tmp_path):
    out = tmp_path / "a.pdf"
    result = render_booklet(hard_strings_doc(), out)
    text = clean(reading_text(out, _page_of(result, "تأیید و امضا")))
    assert "هنوز وارد نشده است" in text and "تعیین نشده" in text


@needs_poppler
def test_budget_by_code_has_ceilings_supplements_amendments_against_allocations(booklet):
    out, result = booklet
    text = clean(reading_text(out, _page_of(result, "بودجه به تفکیک کد بودجه"),
                              _page_of(result, "بودجه به تفکیک کد بودجه") + 1))
    for word in ("سقف مصوب", "متمم", "اصلاحیه", "سقف نهایی", "اعتبار برنامه", "هزینه‌شده", "جذب"):
        assert word in text
    assert "۲۰٬۰۰۰٬۰۰۰" in text and "۲٬۰۰۰٬۰۰۰" in text and "۲۲٬۰۰۰٬۰۰۰" in text  # ceiling + supplement
    assert "-۱٬۰۰۰٬۰۰۰" in text or "−۱٬۰۰۰٬۰۰۰" in text  # the amendment lowers 301003
    assert "پیشرفت مالی" in text and "پیشرفت فیزیکی" in text and "۳۵٪" in text


@needs_poppler
def test_responsibility_matrix_marks_units_against_programs(booklet):
    out, result = booklet
    text = clean(reading_text(out, _page_of(result, "ماتریس مسئولیت")))
    assert "معاونت حمل‌ونقل و ترافیک" in text and "شهرداری منطقه ۱۴" in text  # the legend
    assert "D-TRF" in text and "R14" in text and "«م»" in text and "«ج»" in text
    assert "اعلام و اطلاع‌رسانی الزامات لایحه بودجه" in text


@needs_poppler
def test_indicator_appendix_has_definition_source_frequency_direction_and_targets():
    if not SAMPLE.exists():
        pytest.skip("no sample plan")
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "s.pdf"
        result = render_booklet(doc, out)
        first = _page_of(result, "پیوست ۴: شناسنامه شاخص‌ها")
        last = _page_of(result, "پیوست ۵: واژه‌نامه برنامه")
        text = clean(reading_text(out, first, last))
    ind = doc["plans"][0]["axes"][0]["indicators"][0]
    assert " ".join(clean(ind["definition"]).split()[:5]) in text
    assert clean(ind["data_source"]) in text
    assert "سالانه" in text and "افزایشی" in text and "هدف تا افق ۱۴۱۰" in text
    # Every indicator of the sample is there, by its title's first words (the sample grew from 93 to 113
    # when issue 12 made it pass readiness; the count is the sample's, not the booklet's).
    indicators = [i for a in doc["plans"][0]["axes"] for i in _all_indicators(a)]
    missing = [i["title"] for i in indicators if " ".join(clean(i["title"]).split()[:3]) not in text]
    assert len(indicators) > 90 and missing == []


def _all_indicators(node):
    yield from node.get("indicators", [])
    for key in ("goals", "strategies", "programs", "projects"):
        for child in node.get(key, []):
            yield from _all_indicators(child)


@needs_poppler
def test_list_of_tables_and_figures_gives_the_pages_they_start_on(booklet):
    out, result = booklet
    front = clean(pdftotext(out, 1, 8))
    assert "فهرست جدول‌ها و نمودارها" in front
    text = clean(reading_text(out))
    # Each listed table's caption appears in the body, and the list shows it.
    assert "جدول: واژه‌نامه" in text and "نمودار: جذب اعتبار به تفکیک کد بودجه، سال ۱۴۰۳" in text
    glossary_page = _page_of(result, "پیوست ۵: واژه‌نامه برنامه")
    assert "واژه‌نامه" in clean(reading_text(out, glossary_page))


@needs_poppler
def test_glossary_and_lessons_with_their_source_municipality(booklet):
    out, _ = booklet
    text = clean(reading_text(out))
    assert "متمم" in text and "افزایش سقف یک کد بودجه" in text
    assert "درس برگرفته از شیراز" in text and "برگرفته از شهرداری شیراز" in text


@needs_poppler
@pytest.mark.parametrize("paper, size", [("A4", (842, 595)), ("A3", (1191, 842))])
def test_budget_album_lists_each_code_with_the_nodes_it_funds(tmp_path, paper, size):
    from pypdf import PdfReader

    out = tmp_path / "آلبوم.pdf"
    result = render_booklet(_doc_with_budget(), out, BookletOptions(kind="budget-album", year=1403, album_size=paper))
    pages = PdfReader(out).pages
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages} == {size}
    text = clean(reading_text(out))
    assert "آلبوم بودجه سال ۱۴۰۳" in text
    assert [t for _, t, _ in result.toc][:2] == ["بودجه سال ۱۴۰۳ به تفکیک کد بودجه",
                                                 "بودجه سال ۱۴۰۳ به تفکیک واحد مسئول"]
    # Code 301002: ceiling 20,000,000 + supplement 2,000,000 = 22,000,000 (million rials), and the
    # project it funds, named as the plan node.
    assert "۳۰۱۰۰۲ اتوبوس تندرو ۲۰٬۰۰۰٬۰۰۰ ۲٬۰۰۰٬۰۰۰ — ۲۲٬۰۰۰٬۰۰۰" in text
    assert "پروژه ۱-۱-۱-۱-۱: توسعه فضای سبز و پارک‌های محلی" in text
    assert "معاونت‌ها" in text and "مناطق" in text and "شهرداری منطقه ۱۴ (منطقه)" in text


def test_budget_album_needs_a_year():
    with pytest.raises(ValueError, match="سال مالی"):
        BookletOptions(kind="budget-album")
    with pytest.raises(ValueError, match="نوع سند"):
        BookletOptions(kind="poster")


@needs_poppler
def test_booklet_counts_the_evidence_files_of_reports_and_actuals(tmp_path):
    from planner_core.booklet import data
    from tests.core.test_booklet_support import words_with_boxes

    doc = _doc_with_budget()
    projects = [n for n, _ in data.walk(data.axes(doc["plans"][0])) if data.is_project(n)]
    project = projects[0]

    def evidence(i):
        return {"id": f"e{i}", "file_name": f"نامه {i}.pdf", "media_type": "application/pdf", "size": 10,
                "sha256": "0" * 64, "note": ""}

    project["progress_reports"][0]["evidence"] = [evidence(1), evidence(2)]
    project["indicators"][0]["actuals"][0]["evidence"] = [evidence(3)]
    out = tmp_path / "مستندات.pdf"
    render_booklet(doc, out)
    text = clean(reading_text(out))
    # the project's facts say how many files back its reports and actuals; the others say there are none
    assert "۳ پرونده: ۲ برای ۱ گزارش پیشرفت، ۱ برای مقادیر واقعی شاخص‌ها" in text
    assert text.count("بدون پرونده برای ۱ گزارش پیشرفت") == len(projects) - 1
    # the monitoring table has a column «مستندات» holding the count on the project's row
    page = next(p for p in range(1, 40) if "شمار پرونده‌های مستند" in clean(pdftotext(out, p))
                and "مستندات" in clean(pdftotext(out, p)).replace("مستندات پیوست", ""))
    words = words_with_boxes(out, page)
    header = next(w for w in words if w[0] == "مستندات")
    code = clean(project["full_code"].translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")))
    row = next(w for w in words if w[0] == code and w[2] > header[4])
    cell = [w[0] for w in words if abs((w[2] + w[4]) / 2 - (row[2] + row[4]) / 2) < 3
            and header[1] - 5 < (w[1] + w[3]) / 2 < header[3] + 5]
    assert cell == ["۳"]
