"""Print-ready booklet: right-to-left page progression, binding margins, recto openings, a
deliberately blank back cover, crop marks and bleed on request, the draft watermark."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from planner_core.booklet import BookletOptions, render_booklet
from planner_core.booklet.document import BLEED, MARGIN_INSIDE, MARGIN_OUTSIDE
from tests.core.test_booklet_support import clean, hard_strings_doc, needs_poppler, reading_text, words_with_boxes


@pytest.fixture(scope="module")
def approved(tmp_path_factory):
    out = tmp_path_factory.mktemp("print") / "approved.pdf"
    return out, render_booklet(hard_strings_doc(), out)


def test_pages_progress_right_to_left(approved):
    out, _ = approved
    prefs = PdfReader(out).trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/Direction"] == "/R2L"


@needs_poppler
def test_the_inside_margin_is_wider_and_mirrored_on_even_pages(approved):
    out, result = approved
    width = float(PdfReader(out).pages[0].mediabox.width)
    assert MARGIN_INSIDE > MARGIN_OUTSIDE
    for page in range(3, result.pages + 1):
        rules = [w for w in words_with_boxes(out, page) if w[2] < 50]  # the running header
        if not rules:
            continue
        right_edge = max(w[3] for w in rules)
        # The header is right-aligned on the text block: its right edge is the right margin.
        expected = width - (MARGIN_INSIDE if page % 2 else MARGIN_OUTSIDE)
        assert abs(right_edge - expected) < 1.5, (page, right_edge, expected)


def test_each_axis_opens_on_a_recto_and_the_cover_back_is_blank(approved, tmp_path):
    out, result = approved
    axes = [p for level, t, p in result.toc if level == 0 and t.startswith("محور")]
    assert len(axes) == 2 and all(p % 2 == 1 for p in axes)
    assert result.toc[0] == (0, "تأیید و امضا", 3)
    reader = PdfReader(out)
    assert not reader.pages[1].extract_text().strip()  # page 2: nothing, not even a page number


@needs_poppler
def test_crop_marks_and_bleed_only_around_the_cover(tmp_path):
    out = tmp_path / "marks.pdf"
    render_booklet(hard_strings_doc(), out, BookletOptions(crop_marks=True))
    pages = PdfReader(out).pages
    cover, inner = pages[0], pages[2]
    trim = [float(x) for x in cover["/TrimBox"]]
    bleed = [float(x) for x in cover["/BleedBox"]]
    assert round(trim[2] - trim[0]) == 595 and round(trim[3] - trim[1]) == 842  # trimmed to A4
    assert abs((trim[0] - bleed[0]) - BLEED) < 0.01 and abs((bleed[2] - trim[2]) - BLEED) < 0.01
    assert float(cover.mediabox.width) > bleed[2]  # room for the marks outside the bleed
    assert "/TrimBox" not in inner and round(float(inner.mediabox.width)) == 595


@needs_poppler
@pytest.mark.parametrize("status, marked", [("draft", True), ("approved", False), ("archived", False)])
def test_a_plan_that_is_not_approved_is_marked_draft_on_every_page(tmp_path, status, marked):
    doc = hard_strings_doc()
    doc["plans"][0]["status"] = status
    out = tmp_path / f"{status}.pdf"
    result = render_booklet(doc, out)
    for page in range(1, result.pages + 1):
        assert ("پیش‌نویس" in clean(reading_text(out, page)).split("وضعیت:")[0]) is marked, page


@needs_poppler
def test_every_status_colour_has_a_shape_beside_it_for_black_and_white(approved):
    import re

    from tests.core.test_booklet_support import page_pixels

    out, result = approved
    about = next(p for _, t, p in result.toc if t == "درباره این سند")
    text = clean(reading_text(out, about))
    assert all(label in text for label in ("در مسیر", "در معرض خطر", "عقب از برنامه"))
    page = next(p for _, t, p in result.toc if t.startswith("برنامه عملیاتی ۱-۱-۱-۱"))
    dpi = 144
    width, _, pixels = page_pixels(out, page, dpi=dpi)
    scale = dpi / 72
    words = words_with_boxes(out, page)
    # Status cells hold the figure alone (a «۳۵٪ (فصل ۲ …)» fact has words after it, to its left).
    percents = [w for w in words if re.fullmatch("[۰-۹٪]+", w[0]) and "٪" in w[0]
                and not any(abs(o[2] - w[2]) < 3 and w[1] - 40 < o[3] <= w[1] for o in words)]
    assert len(percents) >= 2
    for _, x0, y0, x1, y1 in percents:
        # Just right of the figure, where the shape is drawn: dark enough to show in grey print.
        box = [pixels[int(y * scale) * width + int(x * scale)]
               for y in range(int(y0), int(y1)) for x in range(int(x1) + 1, int(x1) + 9)]
        assert min(box) < 170, (x0, y0)
