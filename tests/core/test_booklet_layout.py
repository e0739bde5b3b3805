"""Layout on hostile-but-valid data, read back from the PDF: nothing clipped or dropped, figures
on a common right edge, headers that fit, a one-page cover, empty states said in sentences."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from planner_core.booklet import BookletOptions, render_booklet
from planner_core.booklet.document import page_margins
from tests.core.test_booklet_support import (
    clean,
    hard_strings_doc,
    needs_poppler,
    page_pixels,
    reading_text,
    words_with_boxes,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample_plan.json"
LONGEST_TITLE = ("برنامه راهبردی توسعه پایدار، یکپارچه و هوشمند شهری با مشارکت شهروندان " * 5).strip()[:400]
NOTE = " ".join(f"جمله شماره {i} از یادداشت ارزیابی که نباید بریده شود." for i in range(1, 120))[:5000]


def _program(doc):
    return doc["plans"][0]["axes"][0]["goals"][0]["strategies"][0]["programs"][0]


def _hostile_doc():
    doc = hard_strings_doc()
    plan = doc["plans"][0]
    plan["title"] = LONGEST_TITLE
    program = _program(doc)
    program["indicators"][0]["actuals"][0]["note"] = NOTE
    base = program["indicators"][0]
    for i in range(2, 41):  # 40 indicators on one node
        ind = copy.deepcopy(base)
        ind["id"] = f"ind-{i}"
        ind["code"] = str(i)
        ind["title"] = f"شاخص آزمایشی شماره {i} با عنوانی نسبتاً بلند برای سنجش ستون‌ها"
        ind["actuals"][0]["note"] = ""
        program["indicators"].append(ind)
    program["responsible_unit"] = None  # an empty fact
    return doc


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    out = tmp_path_factory.mktemp("مسیر فارسی") / "دفترچه.pdf"
    result = render_booklet(_hostile_doc(), out, BookletOptions(prepared_by="مریم احمدی"))
    return out, result


@needs_poppler
def test_the_longest_title_keeps_the_cover_on_one_page_with_the_rule_under_it(hostile):
    out, _ = hostile
    cover = clean(reading_text(out, 1))
    assert "کد برنامه" in cover and clean(LONGEST_TITLE) in cover
    # Page 2 is a new section (approvals), not the cover's overflow.
    assert "کد برنامه" not in clean(reading_text(out, 2))
    width, height, pixels = page_pixels(out, 1, dpi=72)
    # The rule: a row with one long dark run in the middle of the page (80 mm ≈ 227 px).
    rule_rows = []
    for y in range(int(height * 0.12), int(height * 0.9)):
        row = pixels[y * width:(y + 1) * width]
        dark = [x for x in range(width) if row[x] < 160]
        if len(dark) > 200 and dark[-1] - dark[0] < 240 and abs((dark[0] + dark[-1]) / 2 - width / 2) < 6:
            rule_rows.append(y)
    assert rule_rows, "no cover rule found"
    title_words = [w for w in words_with_boxes(out, 1) if w[0] in LONGEST_TITLE.split()]
    assert title_words and max(w[4] for w in title_words) < min(rule_rows) * 72 / 72 + 1


@needs_poppler
def test_the_running_header_fits_and_ends_at_a_word_with_an_ellipsis(hostile):
    out, _ = hostile
    reader = PdfReader(out)
    for page in (3, 5):
        width = float(reader.pages[page - 1].mediabox.width)
        words = words_with_boxes(out, page)
        header = [w for w in words if w[2] < 50]
        left, right = page_margins(page)
        assert header and min(w[1] for w in header) >= left - 0.5 and max(w[3] for w in header) <= width - right + 0.5
        first = reading_text(out, page).splitlines()[0]  # the header is drawn first
        assert first.endswith(" …")  # cut after a whole word
        assert clean(LONGEST_TITLE).startswith(clean(first[:-1]))


@needs_poppler
def test_a_5000_character_note_is_printed_whole_across_pages(hostile):
    out, _ = hostile
    text = clean(reading_text(out))
    # Every sentence is there, none cut with «…» (the only ellipsis is the running header's).
    sentences = [f"جمله شماره {i} از یادداشت ارزیابی که نباید بریده شود." for i in range(1, 120)]
    whole = [x for x in sentences if x in NOTE]
    assert len(whole) > 90 and all(x in text for x in whole)
    body = [line for line in reading_text(out).splitlines() if "…" in line]
    assert all(clean(LONGEST_TITLE).startswith(clean(line[:-1])) for line in body)


@needs_poppler
def test_a_continued_table_repeats_its_caption_with_continued(hostile):
    out, _ = hostile
    text = clean(reading_text(out))
    assert "ارزیابی پایان سال (ادامه)" in text or "شاخص‌ها (ادامه)" in text


@needs_poppler
def test_forty_indicators_on_one_node_are_all_printed(hostile):
    out, _ = hostile
    text = clean(reading_text(out))
    assert all(f"شاخص آزمایشی شماره {i} با" in text for i in range(2, 41))


@needs_poppler
def test_an_empty_fact_says_not_set(hostile):
    out, _ = hostile
    assert "تعیین نشده" in clean(reading_text(out))


@needs_poppler
def test_the_preparers_date_is_left_for_the_signature(tmp_path):
    from datetime import date

    from planner_core.jalali import format_jalali

    out = tmp_path / "a.pdf"
    result = render_booklet(hard_strings_doc(), out, BookletOptions(prepared_by="مریم احمدی",
                                                                    edition_date=date(2026, 11, 25)))
    page = next(p for _, t, p in result.toc if t == "تأیید و امضا")
    text = clean(reading_text(out, page))
    assert "مریم احمدی" in text and clean(format_jalali(date(2026, 11, 25))) not in text


def _money_words(out, page):
    return [w for w in words_with_boxes(out, page) if re.fullmatch(r"[۰-۹]{1,3}(٬[۰-۹]{3})+|[۰-۹]{3,}", w[0])]


@needs_poppler
def test_money_is_right_aligned_on_a_common_edge_totals_too(tmp_path):
    out = tmp_path / "m.pdf"
    result = render_booklet(hard_strings_doc(), out)
    page = next(p for _, t, p in result.toc if t.startswith("برنامه عملیاتی ۱-۱-۱-۱"))
    money = [w for w in _money_words(out, page) if "٬" in w[0]]
    assert len(money) >= 6
    # Words in one column overlap horizontally; they must all end at the same right edge.
    columns: list[list] = []
    for w in sorted(money, key=lambda w: w[3]):
        if columns and w[3] - columns[-1][-1][3] < 12:
            columns[-1].append(w)
        else:
            columns.append([w])
    assert any(len(c) >= 3 for c in columns)  # rows + the total row
    for column in columns:
        assert max(w[3] for w in column) - min(w[3] for w in column) < 0.6, column


@needs_poppler
def test_budget_summary_shows_only_years_with_money():
    if not SAMPLE.exists():
        pytest.skip("no sample plan")
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "s.pdf"
        result = render_booklet(doc, out)
        page = next(p for _, t, p in result.toc if t == "خلاصه بودجه")
        text = clean(reading_text(out, page))
        sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(out).pages}
    assert "سال ۱۴۰۳" in text and "سال ۱۴۰۴" in text
    assert not any(f"سال {y}" in text for y in ("۱۴۰۵", "۱۴۰۶", "۱۴۰۷", "۱۴۰۸", "۱۴۰۹", "۱۴۱۰"))
    assert sizes == {(595, 842)}  # two year columns: no landscape page is needed


@needs_poppler
def test_empty_plan_and_empty_year_say_so_in_sentences(tmp_path):
    doc = hard_strings_doc()
    doc["plans"][0]["axes"] = []
    render_booklet(doc, tmp_path / "empty.pdf")
    text = clean(reading_text(tmp_path / "empty.pdf"))
    assert "هنوز محور، هدف یا برنامه عملیاتی ندارد" in text and "اعتباری ثبت نشده است" in text
    doc = hard_strings_doc()
    goal = doc["plans"][0]["axes"][0]["goals"][0]
    goal["indicators"][0]["targets"] = goal["indicators"][0]["targets"][:2]  # data in 1403–1404 only
    result = render_booklet(doc, tmp_path / "year.pdf", BookletOptions(year=1409))
    text = clean(reading_text(tmp_path / "year.pdf"))
    assert "در سال ۱۴۰۹ اعتباری ثبت نشده است" in text
    assert "برای سال ۱۴۰۹ هنوز مقدار واقعی شاخصی ثبت نشده است" in text
    assert result.warnings and "۱۴۰۹" in result.warnings[0]


def test_year_outside_the_data_warns_on_the_command_line(tmp_path):
    import json

    from planner_core.exchange import import_document
    from planner_core.store import open_store

    # The sample with targets only for its program years (1403–1404): 1409 then has no data at all.
    doc = json.loads((ROOT / "resources" / "sample_plan.json").read_text(encoding="utf-8"))
    stack = [n for p in doc["plans"] for n in p["axes"]]
    while stack:
        node = stack.pop()
        for indicator in node.get("indicators", []):
            indicator["targets"] = [t for t in indicator["targets"] if t["year"] <= 1404]
        stack += [c for key in ("goals", "strategies", "programs", "projects", "activities")
                  for c in node.get(key, [])]
    db = tmp_path / "نمونه.db"
    store = open_store(db, create=True)
    import_document(store, doc, as_home=True)
    store.dispose()
    env_run = [sys.executable, str(ROOT / "main.py")]
    result = subprocess.run([*env_run, "booklet", str(db), str(tmp_path / "دفترچه.pdf"), "--year", "1409"],
                            capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    assert result.returncode == 0 and "هشدار" in result.stderr and "۱۴۰۹" in result.stderr
    result = subprocess.run([*env_run, "booklet", str(db), str(tmp_path / "z.pdf"), "--year", "1403"],
                            capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    assert result.returncode == 0 and "هشدار" not in result.stderr


@needs_poppler
def test_chart_labels_are_wrapped_not_cut(tmp_path):
    doc = hard_strings_doc()
    long_title = "محوری با عنوانی بسیار بلند که در برچسب نمودار جا نمی‌شود و باید به سطر بعد برود تا کامل خوانده شود"
    doc["plans"][0]["axes"][1]["title"] = long_title
    render_booklet(doc, tmp_path / "c.pdf")
    # Chart labels are drawn as text: every word of the long title appears at least twice
    # (heading and chart), none replaced by an ellipsis.
    text = clean(reading_text(tmp_path / "c.pdf"))
    assert text.count("برود تا کامل خوانده شود") >= 2


@needs_poppler
def test_no_word_runs_outside_the_text_block_on_any_page(hostile):
    """Cells, headers and footers stay inside the margins (a cut «…» or an overflowing figure
    would cross them)."""
    out, result = hostile
    reader = PdfReader(out)
    for page in range(3, result.pages + 1):
        sheet = reader.pages[page - 1]
        if sheet.get("/Rotate", 0):
            continue
        width = float(sheet.mediabox.width)
        left, right = page_margins(page)
        for word, x0, _, x1, _ in words_with_boxes(out, page):
            assert left - 0.6 <= x0 and x1 <= width - right + 0.6, (page, word, x0, x1)


@needs_poppler
def test_the_percent_sign_always_follows_its_number_when_read_back(hostile):
    """In sentences, at line ends, in cells of their own and in charts: «۹۰٪», never «٪۹۰»."""
    out, _ = hostile
    text = reading_text(out)
    assert re.search("[۰-۹]٪", text)
    assert not re.search("٪[۰-۹]", text), re.findall(".{20}٪[۰-۹].{5}", text)[:5]


def test_cli_builds_a_budget_album_and_an_archival_booklet(tmp_path):
    db = tmp_path / "album.db"
    run = [sys.executable, str(ROOT / "main.py")]
    kw = dict(capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    subprocess.run([*run, "demo", str(db)], check=True, **kw)
    album = tmp_path / "آلبوم بودجه.pdf"
    result = subprocess.run([*run, "booklet", str(db), str(album), "--kind", "budget-album", "--year", "1404",
                             "--paper", "A3"], **kw)
    assert result.returncode == 0 and album.exists(), result.stderr
    assert round(float(PdfReader(album).pages[0].mediabox.width)) == 1191
    result = subprocess.run([*run, "booklet", str(db), str(tmp_path / "x.pdf"), "--kind", "budget-album"], **kw)
    assert result.returncode == 2 and "سال مالی" in result.stderr and "Traceback" not in result.stderr
    archived = tmp_path / "بایگانی.pdf"
    result = subprocess.run([*run, "booklet", str(db), str(archived), "--pdfa", "--crop-marks",
                             "--resolution-number", "۱۲/۳۴", "--resolution-date", "۱۴۰۳/۱۲/۲۰",
                             "--approving-body", "شورای اسلامی شهر اصفهان", "--prepared-by", "مریم احمدی"], **kw)
    assert result.returncode == 0, result.stderr
    reader = PdfReader(archived)
    assert "/OutputIntents" in reader.trailer["/Root"] and "/TrimBox" in reader.pages[0]
    text = clean(reading_text(archived, 3))
    assert "۱۲/۳۴" in text and "۱۴۰۳" in text and "مریم احمدی" in text
    result = subprocess.run([*run, "booklet", str(db), str(tmp_path / "y.pdf"), "--resolution-date", "فردا"], **kw)
    assert result.returncode == 2 and "تاریخ مصوبه" in result.stderr
