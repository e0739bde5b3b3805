from __future__ import annotations

from datetime import date

import pytest

from planner_core.jalali import (
    JalaliDateError,
    fiscal_year_bounds,
    format_jalali,
    from_jalali,
    is_leap,
    parse_jalali,
    to_jalali,
)


@pytest.mark.parametrize("gregorian,jalali", [
    (date(2025, 3, 20), (1403, 12, 30)),
    (date(2025, 3, 21), (1404, 1, 1)),
    (date(2026, 3, 21), (1405, 1, 1)),
    (date(2025, 9, 16), (1404, 6, 25)),
])
def test_conversion_both_ways(gregorian, jalali):
    assert to_jalali(gregorian) == jalali
    assert from_jalali(*jalali) == gregorian


@pytest.mark.parametrize("year,leap", [(1403, True), (1404, False), (1408, True), (1405, False)])
def test_leap_years(year, leap):
    assert is_leap(year) is leap
    assert fiscal_year_bounds(year)[1] == from_jalali(year, 12, 30 if leap else 29)


def test_esfand_30_exists_only_in_leap_years():
    assert from_jalali(1403, 12, 30) == date(2025, 3, 20)
    with pytest.raises(JalaliDateError, match="وجود ندارد"):
        from_jalali(1404, 12, 30)


def test_format_long_and_short():
    assert format_jalali(date(2025, 9, 16)) == "۲۵ شهریور ۱۴۰۴"
    assert format_jalali("2025-09-16", style="short") == "۱۴۰۴/۰۶/۲۵"
    assert format_jalali(None) == ""


@pytest.mark.parametrize("typed", ["۱۴۰۴/۰۶/۲۵", "1404/6/25", "١٤٠٤-٠٦-٢٥", " ۱۴۰۴.۰۶.۲۵ "])
def test_parse_in_any_digit_script(typed):
    assert parse_jalali(typed) == date(2025, 9, 16)


@pytest.mark.parametrize("typed", ["۱۴۰۴/۱۳/۰۱", "فردا", "1404/06"])
def test_parse_refuses_in_persian(typed):
    with pytest.raises(JalaliDateError):
        parse_jalali(typed)


def test_monitoring_period():
    from planner_core.jalali import current_fiscal_period, monitoring_period

    today = date(2025, 9, 16)  # 1404/06/25: second quarter
    assert current_fiscal_period(today) == (1404, 2)
    assert monitoring_period(1403, 1410, None, today) == (1404, 2)
    assert monitoring_period(1403, 1410, 1403, today) == (1403, 4)  # a past year: judged to its end
    assert monitoring_period(1403, 1410, 1406, today) == (1406, 1)
    assert monitoring_period(1396, 1400, None, today) == (1400, 4)  # an old plan: its last year
