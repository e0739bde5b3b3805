"""The one normaliser, the search key and number parsing, on every hard Persian string."""

from __future__ import annotations

from decimal import Decimal

import pytest

from planner_core.text import (
    NumberError,
    fold,
    format_int,
    format_money,
    format_number,
    normalize_code,
    normalize_text,
    parse_decimal,
    parse_int,
    parse_money_million,
)
from tests.conftest import hard_strings

CASES = hard_strings()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_normaliser_keeps_the_stored_form(case):
    assert normalize_text(case["input"]) == case["normalized"]
    # Normalising twice changes nothing: what the store holds is already clean.
    assert normalize_text(case["normalized"]) == case["normalized"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_search_key_matches_input_and_stored_form(case):
    assert fold(case["input"]) == fold(case["normalized"])
    assert "\u200c" not in fold(case["input"])


def test_zwnj_and_hamza_survive_and_arabic_letters_do_not():
    text = normalize_text("برنامهٔ عملیاتی مؤسسه رئيس پارك‌ها")
    assert "\u200c" in text and "ٔ" in text and "ؤ" in text and "ئ" in text
    assert "ي" not in text and "ك" not in text


def test_whitespace_collapses_but_paragraphs_stay():
    assert normalize_text("  دو   کلمه\u00a0 \t  سه ") == "دو کلمه سه"
    assert normalize_text("بند یک\n\n\n\nبند دو") == "بند یک\n\nبند دو"
    assert normalize_text("می \u200c شود") == "می\u200cشود"


@pytest.mark.parametrize("variant", ["پارك‌ها", "پارکها", "پارک‌ها", "پارك ها", "پاركها"])
def test_fold_finds_spelling_variants(variant):
    assert fold(variant) == fold("پارک‌ها")


def test_fold_unifies_digits_and_diacritics():
    assert fold("منطقه ۱۴") == fold("منطقه 14") == fold("منطقه ١٤")
    assert fold("مُدیریت") == fold("مدیریت")
    assert fold("آب") == fold("اب")


@pytest.mark.parametrize("typed,value", [
    ("1403", Decimal(1403)), ("۱۴۰۳", Decimal(1403)), ("١٤٠٣", Decimal(1403)),
    ("۱۲٬۵۰۰٬۰۰۰", Decimal(12_500_000)), ("12,500,000", Decimal(12_500_000)), ("١٢٬٥٠٠", Decimal(12_500)),
    ("۱۲٫۵", Decimal("12.5")), ("12.5", Decimal("12.5")), ("١٢٫٥", Decimal("12.5")), ("۱۲/۵", Decimal("12.5")),
    ("-۳", Decimal(-3)), (" ۴۵ ", Decimal(45)),
])
def test_numbers_in_all_three_scripts_parse_alike(typed, value):
    assert parse_decimal(typed) == value


@pytest.mark.parametrize("typed", ["", "abc", "۱۲الف", "1.2.3", "--4", "۱۲٫"])
def test_non_numbers_are_refused_in_persian(typed):
    if typed == "۱۲٫":  # "12." is a number with an empty fraction; refusing it would annoy
        assert parse_decimal(typed) == 12
        return
    with pytest.raises(NumberError) as info:
        parse_decimal(typed)
    assert any("\u0600" <= ch <= "\u06ff" for ch in str(info.value))


def test_int_and_money_parsing():
    assert parse_int("١٤٠٣") == 1403
    with pytest.raises(NumberError):
        parse_int("۱۲٫۵")
    assert parse_money_million("۱۲٬۵۰۰") == 12_500_000_000
    assert parse_money_million("٢٫٥") == 2_500_000
    with pytest.raises(NumberError):
        parse_money_million("-5")


def test_formatting_uses_persian_digits_and_separators():
    assert format_int(12_500_000) == "۱۲٬۵۰۰٬۰۰۰"
    assert format_number(12.5) == "۱۲٫۵"
    assert format_number(3.0) == "۳"
    assert format_money(12_500_000_000) == "۱۲٬۵۰۰"
    assert format_money(2_500_000) == "۲٫۵"


def test_codes_keep_hyphen_order_and_get_ascii_digits():
    assert normalize_code("۳۰۱۰۰۲-۰۴") == "301002-04"
    assert normalize_code(" ISF ۱۴۱۰ ") == "ISF1410"
