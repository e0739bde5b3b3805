"""The Persian plan booklet, checked the way a reader and a search box see it.

Text comes back through poppler's `pdftotext` (what viewers' search and copy use):
every hard string placed in a plan must come back as the same words, in reading order,
after NFKC and removing direction marks. ZWNJ is drawn as a zero-width glyph and comes
back as ZWNJ (never as a space). Positions come from `pdftotext -bbox`, pixels from
`pdftoppm -gray`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from planner_core.booklet import BookletCancelled, BookletOptions, render_booklet
from planner_core.text import to_persian_digits
from tests.core.test_booklet_support import (
    _MARKS,
    CASES,
    DIRECTION_MARKS,
    LONG,
    MARKS_TEXT,
    clean,
    drawn_lines,
    hard_strings_doc,
    needs_poppler,
    page_pixels,
    pdftotext,
    reading_text,
    words_with_boxes,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample_plan.json"


@pytest.fixture(scope="module")
def hard_pdf(tmp_path_factory):
    out = tmp_path_factory.mktemp("booklet") / "hard.pdf"
    result = render_booklet(hard_strings_doc(), out, BookletOptions(prepared_by="مریم احمدی"))
    return out, result


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory):
    if not SAMPLE.exists():
        pytest.skip("resources/sample_plan.json is not in this checkout")
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    out = tmp_path_factory.mktemp("booklet") / "sample.pdf"
    return out, render_booklet(doc, out), doc


# --------------------------------------------------------------------------- structure


def test_page_count_and_outline_match_the_result(sample_pdf):
    out, result, _ = sample_pdf
    reader = PdfReader(out)
    assert len(reader.pages) == result.pages > 20

    def flatten(items, level=0):
        for item in items:
            if isinstance(item, list):
                yield from flatten(item, level + 1)
            else:
                yield level, item.title, reader.get_destination_page_number(item) + 1

    assert list(flatten(reader.outline)) == result.toc


def test_pages_are_a4_and_wide_tables_are_landscape(sample_pdf, tmp_path):
    out, _, _ = sample_pdf
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(out).pages}
    assert sizes == {(595, 842)}  # money in two fiscal years only: the summary stays portrait
    doc = hard_strings_doc()
    project = doc["plans"][0]["axes"][1]["goals"][0]["strategies"][0]["programs"][0]["projects"][0]
    project["allocations"] = [{"id": f"a{y}", "year": y, "budget_code": "301003", "amount": 1_000_000 * y,
                               "spent": 0} for y in range(1403, 1411)]
    result = render_booklet(doc, tmp_path / "wide.pdf")
    pages = PdfReader(tmp_path / "wide.pdf").pages
    # Eight funded years: the budget summary turns landscape. The sheet stays portrait (duplex
    # printing and binding unchanged) and /Rotate 90 shows it upright; nothing else is turned.
    summary = next(p for _, t, p in result.toc if t == "خلاصه بودجه")
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages} == {(595, 842)}
    assert [i + 1 for i, p in enumerate(pages) if p.get("/Rotate", 0) == 90] == [summary]
    assert "بودجه به تفکیک واحد مسئول" in clean(reading_text(tmp_path / "wide.pdf", summary))


def test_fonts_are_embedded_subsets_of_vazirmatn(sample_pdf):
    out, _, _ = sample_pdf
    page = PdfReader(out).pages[5]
    names = set()
    for ref in page["/Resources"]["/Font"].values():
        font = ref.get_object()
        if "Vazirmatn" in str(font.get("/BaseFont", "")):
            names.add(str(font["/BaseFont"]).split("+")[-1])
            assert re.match(r"/[A-Z]{6}\+", str(font["/BaseFont"]))  # a subset tag
            assert "/FontFile2" in font["/FontDescriptor"]  # embedded TrueType
    assert names == {"Vazirmatn-Regular", "Vazirmatn-Bold"}
    # …and no page (charts included) refers to any other, unembedded, font.
    others = {str(ref.get_object().get("/BaseFont")) for p in PdfReader(out).pages
              for ref in p["/Resources"]["/Font"].values()} - {f"/AAAAAA+{n}" for n in names}
    assert not {o for o in others if "Vazirmatn" not in o}


@needs_poppler
def test_toc_numbers_are_the_pages_the_headings_land_on(sample_pdf):
    out, result, _ = sample_pdf
    for _, title, page in result.toc:
        assert clean(title) in clean(reading_text(out, page)), f"{title!r} is not on page {page}"
    # …and the contents pages print those numbers beside the titles (as Persian digits).
    toc_pages = range(3, 3 + 3)
    lines = []
    for page in toc_pages:
        for raw in pdftotext(out, page, page, "-layout").splitlines():
            line = clean(raw)
            m = re.match(r"^([۰-۹]+) (.+)$", line)
            if m:
                lines.append((m.group(2), m.group(1)))
    printed = dict(lines)
    checked = 0
    for _, title, page in result.toc:
        if clean(title) in printed:
            assert printed[clean(title)] == to_persian_digits(page), title
            checked += 1
    # Long titles wrap, and pdftotext's own reordering moves the numbers inside «محور ۱: …»:
    # the titles without digits are read whole; all of them are checked above.
    plain = [t for _, t, _ in result.toc if not re.search("[۰-۹0-9]", t)]
    assert len(plain) > 5 and checked >= len(plain) * 0.8


@needs_poppler
def test_footer_says_page_n_of_total_in_persian(sample_pdf):
    out, result, _ = sample_pdf
    text = clean(pdftotext(out, 4)).replace(" ", "")  # the total is a form drawn at the end
    assert f"صفحه{to_persian_digits(4)}از{to_persian_digits(result.pages)}" in text


# --------------------------------------------------------------------------- Persian text


def test_every_hard_string_reads_back_in_logical_order(hard_pdf):
    """The drawn text, read as a bidi-aware viewer does, gives back the words as typed."""
    out, _ = hard_pdf
    text = clean(reading_text(out))
    missing = [case_id for case_id, value in CASES.items() if clean(value) not in text]
    assert missing == []


@needs_poppler
def test_the_text_layer_holds_no_direction_marks(hard_pdf, sample_pdf):
    """Only the user's characters: no RLM/LRM/ALM or isolates in what copy and search see
    (poppler's own LRE/RLE…PDF around the runs it reorders are not in the file)."""
    for out in (hard_pdf[0], sample_pdf[0]):
        drawn = "".join(t for lines in drawn_lines(out) for _, _, t in lines)
        assert drawn and not DIRECTION_MARKS.search(drawn)
        assert not re.search("[\u200e\u200f\u061c\u2066-\u2069]", pdftotext(out))
    # …so a phrase with a percent sign is found as typed.
    assert "از ۳۵٪ به ۴۵٪" in clean(reading_text(hard_pdf[0]))


@needs_poppler
def test_every_title_and_description_of_the_sample_plan_comes_back(sample_pdf):
    from planner_core.booklet import data

    out, _, doc = sample_pdf
    text = clean(reading_text(out))
    plan = doc["plans"][0]
    expected = [plan["title"], plan.get("vision", ""), plan.get("mission", "")]
    for node, _ in data.walk(data.axes(plan)):
        expected += [node.get("title", ""), node.get("description", "")]
        expected += [lesson.get("body", "") for lesson in node.get("lessons", [])]
    missing = [value[:60] for value in expected if value and clean(value) not in text]
    assert missing == []


@needs_poppler
def test_combining_marks_come_back_after_their_letter(hard_pdf):
    out, _ = hard_pdf
    assert clean(MARKS_TEXT) in clean(reading_text(out))


@needs_poppler
def test_zwnj_comes_back_as_zwnj_never_as_a_space(hard_pdf):
    out, _ = hard_pdf
    text = clean(reading_text(out))
    assert "برنامه\u200cریزی" in text
    assert "برنامه ریزی" not in text and "برنامهریزی" not in text


@needs_poppler
def test_wrapped_paragraph_runs_top_to_bottom_and_right_to_left(hard_pdf):
    out, result = hard_pdf
    vision_page = next(p for _, t, p in result.toc if t == "چشم‌انداز")
    words = words_with_boxes(out, vision_page)
    first_word, last_word = LONG.split()[0], LONG.split()[-1].rstrip(".")
    first = next(w for w in words if w[0] == first_word)
    last = next(w for w in words if w[0].endswith(last_word + ".") or w[0] == last_word)
    assert first[2] < last[2] - 30  # the paragraph's first line is above its last
    line1 = [w for w in words if abs(w[2] - first[2]) < 2]
    second_y = min(w[2] for w in words if w[2] > first[2] + 2)
    line2 = [w for w in words if abs(w[2] - second_y) < 2]
    assert line1 and line2
    # Each line starts at the right: the paragraph's first word is the rightmost of line 1,
    # and line 2 continues where line 1 stopped (its rightmost word follows line 1's leftmost).
    assert first[3] == max(w[3] for w in line1)
    flat = clean(LONG).split()
    line1_sorted = [w[0] for w in sorted(line1, key=lambda w: -w[3])]
    line2_sorted = [w[0] for w in sorted(line2, key=lambda w: -w[3])]
    assert flat[:len(line1_sorted)] == line1_sorted
    assert flat[len(line1_sorted):len(line1_sorted) + len(line2_sorted)] == line2_sorted


@needs_poppler
def test_table_first_column_is_on_the_right(hard_pdf):
    out, result = hard_pdf
    page = next(p for _, t, p in result.toc if t.startswith("برنامه عملیاتی ۱-۱-۱-۱"))
    words = words_with_boxes(out, page)
    # The budget table's header reads «پروژه | کد بودجه | اعتبار مصوب …» from the right.
    def near(a, b, dy=15):
        return abs(a[2] - b[2]) < dy

    # «پروژه» and «کد بودجه» span both header rows; «جمع» heads the last column.
    granted = next(w for w in words if w[0] == "مصوب")
    project = next(w for w in words if w[0] == "پروژه" and near(w, granted))
    code = next(w for w in words if w[0] == "بودجه" and near(w, project, 3))
    total = [w for w in words if w[0] == "جمع" and near(w, granted, 25) and w[2] > granted[2]]
    assert project[1] > code[3]
    assert total and max(w[3] for w in total) < code[1]


@needs_poppler
def test_numbers_and_latin_keep_their_order(hard_pdf):
    out, _ = hard_pdf
    text = clean(reading_text(out))
    assert "سامانه GIS نسخه 2.5 در ۱۲ منطقه" in text
    assert "۳۰۱۰۰۲-۰۴" in text and "۱۴۰۴/۰۶/۲۵" in text
    assert "۱۲٬۳۴۵٬۰۰۰" in text  # a 1403 allocation in million rials with Persian grouping
    assert "میلیون ریال" in text


@needs_poppler
def test_right_aligned_text_is_inked_at_the_right(hard_pdf):
    out, result = hard_pdf
    page = next(p for _, t, p in result.toc if t == "تأیید و امضا")
    width, height, pixels = page_pixels(out, page)
    # The heading band: from 9% to 12% of the page height (under the running header).
    rows = range(int(height * 0.075), int(height * 0.115))

    def ink(x0: int, x1: int) -> int:
        return sum(1 for y in rows for x in range(x0, x1) if pixels[y * width + x] < 128)

    right = ink(int(width * 0.70), int(width * 0.92))
    left = ink(int(width * 0.08), int(width * 0.50))
    assert right > 20 and left == 0


# --------------------------------------------------------------------------- options


@needs_poppler
def test_axis_option_keeps_one_subtree_with_its_ancestors(tmp_path):
    out = tmp_path / "axis.pdf"
    result = render_booklet(hard_strings_doc(), out, BookletOptions(axis="1-1-1-1"))
    titles = [t for _, t, _ in result.toc]
    assert any(t.startswith("محور ۱:") for t in titles)  # the ancestors, for context
    assert any(t.startswith("برنامه عملیاتی ۱-۱-۱-۱") for t in titles)
    assert not any(t.startswith("محور ۲") for t in titles)
    assert "نوسازی پارک محله‌ای" not in clean(reading_text(out))


@needs_poppler
def test_unit_option_keeps_that_units_nodes(tmp_path):
    out = tmp_path / "unit.pdf"
    result = render_booklet(hard_strings_doc(), out, BookletOptions(unit="شهرداری منطقه ۱۴"))
    text = clean(reading_text(out))
    assert clean(CASES["arabic-yeh-kaf"]) in text  # a project of R14 under axis 1
    assert "نوسازی پارک محله‌ای" in text
    assert "پروژه ۱-۱-۱-۱-۲" not in text  # a project of another unit
    assert "پروژه ۱-۱-۱-۱-۱" in text
    render_booklet(hard_strings_doc(), tmp_path / "all.pdf")
    assert result.pages > 5 and len(text) < len(clean(reading_text(tmp_path / "all.pdf")))


@needs_poppler
def test_year_option_shows_only_that_fiscal_year(tmp_path):
    out = tmp_path / "year.pdf"
    render_booklet(hard_strings_doc(), out, BookletOptions(year=1404))
    text = clean(reading_text(out))
    assert "سال ۱۴۰۴" in text and "سال مالی ۱۴۰۴" in text
    assert "هدف ۱۴۰۴" in text and "هدف ۱۴۰۳" not in text  # indicator targets
    assert "۷٬۰۰۰" in text and "۱۲٬۳۴۵٬۰۰۰" not in text  # the 1404 allocation, not the 1403 one


@pytest.mark.parametrize("options, word", [
    (BookletOptions(plan_code="NOPE"), "برنامه"),
    (BookletOptions(axis="9-9"), "گره"),
    (BookletOptions(unit="واحد ناموجود"), "واحد"),
    (BookletOptions(year=1399), "سال ۱۳۹۹"),
])
def test_unknown_plan_axis_or_unit_is_a_persian_value_error(tmp_path, options, word):
    out = tmp_path / "x.pdf"
    with pytest.raises(ValueError, match=word):
        render_booklet(hard_strings_doc(), out, options)
    assert not out.exists()


@needs_poppler
def test_a_plan_without_axes_still_prints_its_front_matter(tmp_path):
    doc = hard_strings_doc()
    doc["plans"][0]["axes"] = []
    doc["plans"][0]["vision"] = doc["plans"][0]["mission"] = ""
    doc["org_units"] = []
    result = render_booklet(doc, tmp_path / "empty.pdf")
    assert result.pages >= 4 and [t for _, t, _ in result.toc][:2] == ["تأیید و امضا", "چشم‌انداز و مأموریت"]
    text = clean(reading_text(tmp_path / "empty.pdf"))
    # An empty section says so instead of leaving a bare heading.
    assert "هنوز نوشته نشده است" in text and "واحد مسئولی ثبت نشده است" in text


def test_cancel_leaves_no_file(tmp_path):
    out = tmp_path / "cancelled.pdf"
    polls = []

    def cancelled() -> bool:
        polls.append(1)
        return len(polls) > 3

    with pytest.raises(BookletCancelled):
        render_booklet(hard_strings_doc(), out, cancelled=cancelled)
    assert list(tmp_path.iterdir()) == []


def test_progress_is_reported_in_persian(tmp_path):
    seen = []
    render_booklet(hard_strings_doc(), tmp_path / "p.pdf", progress=lambda d, t, s: seen.append((d, t, s)))
    assert seen and all(0 <= d <= t for d, t, _ in seen)
    assert seen[-1][0] == seen[-1][1]
    assert all(re.search("[\u0600-\u06ff]", s) for _, _, s in seen)


def test_booklet_package_does_not_import_qt():
    import ast

    for path in (ROOT / "planner_core" / "booklet").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] in ("PySide6", "PyQt5", "PyQt6") for n in names), path


@needs_poppler
def test_cover_logo_and_allah_ligature(tmp_path):
    from PIL import Image as PILImage

    logo = tmp_path / "logo.png"
    PILImage.new("RGB", (120, 120), (11, 85, 99)).save(logo)
    out = tmp_path / "logo.pdf"
    render_booklet(hard_strings_doc(), out, BookletOptions(logo_path=logo, approved_by="عبدالله کریمی"))
    cover = PdfReader(out).pages[0]
    assert any(x.get_object()["/Subtype"] == "/Image" for x in cover["/Resources"]["/XObject"].values())
    assert "عبدالله کریمی" in clean(reading_text(out, 3))  # page 2, the back of the cover, is blank


def test_unreadable_logo_is_a_persian_value_error(tmp_path):
    bad = tmp_path / "logo.png"
    bad.write_bytes(b"not an image")
    with pytest.raises(ValueError, match="نشان"):
        render_booklet(hard_strings_doc(), tmp_path / "x.pdf", BookletOptions(logo_path=bad))
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.slow
def test_a_400_page_booklet_from_a_generated_plan(tmp_path):
    """The benchmark's shape, checked for consistency rather than timed (see
    benchmarks/bench_booklet.py for seconds and memory)."""
    from benchmarks.scale_plan import make_large_dump

    out = tmp_path / "big.pdf"
    result = render_booklet(make_large_dump(n_projects=800), out)
    reader = PdfReader(out)
    assert 350 < result.pages == len(reader.pages)
    assert [p for _, _, p in result.toc] == sorted(p for _, _, p in result.toc)
    assert len(result.toc) > 300


@needs_poppler
def test_a_huge_table_cell_flows_across_pages_and_nothing_is_dropped(tmp_path):
    doc = hard_strings_doc()
    program = doc["plans"][0]["axes"][0]["goals"][0]["strategies"][0]["programs"][0]
    program["indicators"][0]["title"] = " ".join([LONG] * 12)
    assert render_booklet(doc, tmp_path / "huge.pdf").pages > 5
    # Every word of every copy is printed (page breaks put headers and footers between the
    # lines of a split cell, so whole copies are counted by their words): 12 copies in the
    # indicator table, 12 in the indicator appendix, 3 in the vision and descriptions.
    words = clean(reading_text(tmp_path / "huge.pdf")).split()
    for word in ("تجربیات", "ناگسستنی", "تلفیقی", "ملموس", "چهارچوب"):
        assert words.count(word) >= 27, word


@needs_poppler
def test_a_year_range_alone_in_a_cell_reads_right_to_left(hard_pdf):
    """«۱۴۰۳–۱۴۰۴» in the «دوره اجرا» cell: the first year on the right, as in a Persian sentence."""
    out, result = hard_pdf
    ranges = []
    for page in range(1, result.pages + 1):
        xml = pdftotext(out, page, page, "-bbox")
        ranges += [_MARKS.sub("", w) for w in re.findall(r">([^<]*–[^<]*)</word>", xml)]
    drawn = [w for w in ranges if re.fullmatch("[۰-۹]+–[۰-۹]+", w)]
    assert drawn, ranges
    # -bbox lists a word's glyphs left to right: the later year is drawn first, on the left.
    assert "۱۴۰۴–۱۴۰۳" in drawn and "۱۴۰۳–۱۴۰۴" not in drawn, drawn


@needs_poppler
def test_programs_carry_the_year_end_evaluation_explanations(sample_pdf):
    """The evaluation view's explanations (annual actuals' notes) reach the printed booklet."""
    out, _result, doc = sample_pdf
    text = clean(reading_text(out))

    def walk(nodes):
        for node in nodes:
            yield node
            for key in ("goals", "strategies", "programs", "projects"):
                yield from walk(node.get(key, []))

    notes = [a["note"] for n in walk(doc["plans"][0]["axes"]) if n["kind"] in ("program", "project", "activity")
             for i in n["indicators"] for a in i["actuals"] if a["period"] == "annual" and a.get("note")]
    assert notes, "the sample plan should carry explanations"
    assert "ارزیابی پایان سال" in text
    for note in notes:
        assert " ".join(clean(note).split()[:4]) in text
