"""The booklet's Persian line machinery without a PDF: shaping, reordering, mirroring,
measuring, and what each drawn glyph reads back as (the ToUnicode maps)."""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise

import pytest

from planner_core.booklet import fonts, shaping
from tests.core.test_booklet_support import CASES, LONG

REG, BOLD = fonts.REGULAR, fonts.BOLD


@pytest.fixture(scope="module", autouse=True)
def _fonts():
    fonts.register_fonts()


@pytest.mark.parametrize("font", [REG, BOLD])
@pytest.mark.parametrize("case_id", sorted(CASES))
def test_every_drawn_character_has_a_glyph(case_id, font):
    """No .notdef boxes: every code point we draw is in the font (PUA mirrors included)."""
    have = fonts.covered(font)
    for words in shaping.wrap(CASES[case_id], font, 10, 300):
        line = shaping.visual_line(tuple(words), font)
        missing = {f"U+{ord(c):04X}" for c in line.text if ord(c) not in have}
        assert not missing, (case_id, missing)


def test_zwnj_is_kept_as_a_zero_width_glyph_and_breaks_joining():
    line = shaping.visual("برنامه‌ریزی", REG)
    assert "\u200c" in line.text and fonts.char_widths(REG)[0x200C] == 0
    # «ه» before the ZWNJ takes its final form and «ر» after it its isolated form.
    assert "\ufeea" in line.text and "\ufead" in line.text


def test_lam_alef_and_allah_ligatures():
    assert "\ufefb" in shaping.visual("اعلام", REG).text or "\ufefc" in shaping.visual("اعلام", REG).text
    assert "\ufdf2" in shaping.visual("الله", REG).text


def test_ligatures_read_back_as_letters_in_extraction_order():
    # Drawn left to right, read back right to left: the expansion is spelled visually.
    assert fonts.text_of(0xFEFB) == "ال"
    assert fonts.text_of(0xFDF2)[::-1] == "الله"
    assert fonts.text_of(0xFEE3) == "م"  # initial meem → meem
    assert fonts.text_of(0xFB8E) == "ک"  # keheh (Persian kaf)
    assert fonts.text_of(0xFBFE) == "ی"  # Farsi yeh, initial form


def test_brackets_are_mirrored_and_read_back_as_typed():
    line = shaping.visual(CASES["parentheses"], REG).text
    opening, closing = fonts.MIRRORED_CODE["("], fonts.MIRRORED_CODE[")"]
    # In drawing order the closing bracket comes first (leftmost), drawn as «(».
    assert line.index(closing) < line.index(opening)
    assert fonts.text_of(ord(opening)) == "(" and fonts.text_of(ord(closing)) == ")"
    quotes = shaping.visual(CASES["quotes"], REG).text
    assert fonts.MIRRORED_CODE["«"] in quotes and fonts.MIRRORED_CODE["»"] in quotes


def test_latin_inside_latin_text_is_not_mirrored():
    assert shaping.visual("GIS (v2)", REG).text == "GIS (v2)"


def _read_back(text: str) -> str:
    """A drawn line as a bidi-aware viewer gives it back: glyphs to text (ToUnicode), then the
    Unicode bidi algorithm with a right-to-left base."""
    from bidi import get_display

    drawn = "".join(fonts.text_of(ord(c)) for c in shaping.visual(text, REG).text)
    return " ".join(unicodedata.normalize("NFKC", get_display(drawn, base_dir="R")).split())


@pytest.mark.parametrize("text", [CASES["budget-code"], CASES["thousands"], CASES["mixed-ltr"], CASES["quotes"],
                                  CASES["date"], CASES["percent-digits"], "تغییر -۵ درصد", "کاهش −۵٫۲ واحد",
                                  "۹۰٪ در مسیر", "(۱۴۰۳–۱۴۰۴)", "۳۵٪ (فصل ۲ ۱۴۰۳)"])
def test_a_drawn_line_reads_back_as_typed(text):
    assert _read_back(text) == unicodedata.normalize("NFKC", text)


def test_no_direction_mark_is_drawn():
    for case in CASES.values():
        assert not re.search("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]", shaping.visual(case, REG).text)


@pytest.mark.parametrize("text", ["۹۰٪", "۹۰٪ در مسیر", "دستیابی ۹۰٪ در مسیر", "در معرض خطر: از ۷۰٪.", "از ۹۰٪",
                                  "۳۵٪ (فصل ۲ ۱۴۰۳)", "رشد ۱۲٫۵٪ و ۴۰٪"])
def test_a_number_and_its_percent_sign_read_back_as_one_unit_wherever_they_sit(text):
    assert _read_back(text) == text


def test_a_number_and_its_unit_are_never_split_by_a_line_break():
    text = "طول خطوط " * 3 + "۱۲ کیلومتر و ۹۰ ٪ و ۴۵٪ کار"
    for width in range(40, 200, 7):
        for line in shaping.wrap(text, REG, 10, width):
            joined = " ".join(line)
            assert not joined.endswith(("۱۲", "۹۰", "۴۵٪")), (width, line)


def test_wrapping_fills_lines_in_logical_order_within_the_width():
    width = 250.0
    lines = shaping.wrap(LONG, REG, 10, width)
    assert len(lines) > 3
    assert [w for line in lines for w in line] == shaping.split_words(LONG)
    for words in lines:
        assert shaping.visual_line(tuple(words), REG).width * 10 <= width + 0.01
    # Greedy: the next line's first word would not have fitted.
    space = shaping.space_width(REG) * 10
    for words, following in pairwise(lines):
        used = shaping.visual_line(tuple(words), REG).width * 10
        assert used + space + shaping.word_width(following[0], REG) * 10 > width


def test_a_word_longer_than_the_line_is_broken():
    lines = shaping.wrap("x" * 200, REG, 10, 100)
    assert len(lines) > 1 and "".join(w for line in lines for w in line) == "x" * 200


def test_heh_with_hamza_is_one_glyph_that_reads_back_as_two_letters():
    line = shaping.visual("برنامهٔ", REG).text
    assert "\u0654" not in line  # no floating mark: «ۀ» is drawn as one glyph
    assert fonts.text_of(0xFBA5)[::-1] == "\u0647\u0654"


