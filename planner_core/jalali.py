"""Jalali (Solar Hijri) dates for the core: stored dates are Gregorian ``date``s, shown Jalali.

The Iranian fiscal year is the Jalali year (1 Farvardin to 29/30 Esfand), so a plan's
"years" are Jalali year numbers and their bounds come from here.
"""

from __future__ import annotations

import re
from datetime import date

import jdatetime

from planner_core.text import TextError, normalize_text, shown, to_ascii_digits, to_persian_digits

MONTHS = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)


class JalaliDateError(ValueError):
    """A typed Jalali date could not be read; ``str()`` is a Persian message."""


def to_jalali(value: date) -> tuple[int, int, int]:
    j = jdatetime.date.fromgregorian(date=value)
    return j.year, j.month, j.day


def from_jalali(year: int, month: int, day: int) -> date:
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError as exc:
        raise JalaliDateError(
            f"تاریخ {to_persian_digits(f'{year}/{month:02d}/{day:02d}')} در تقویم شمسی وجود ندارد."
        ) from exc


def is_leap(year: int) -> bool:
    return bool(jdatetime.date(year, 1, 1).isleap())


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    """First and last day of a Jalali (fiscal) year."""
    last_day = 30 if is_leap(year) else 29
    return from_jalali(year, 1, 1), from_jalali(year, 12, last_day)


def fiscal_year_of(value: date) -> int:
    return to_jalali(value)[0]


def _as_date(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def format_jalali(value: date | str | None, style: str = "long") -> str:
    """«۲۵ شهریور ۱۴۰۴» (long) or «۱۴۰۴/۰۶/۲۵» (short); empty for no date."""
    if value is None or value == "":
        return ""
    y, m, d = to_jalali(_as_date(value))
    if style == "short":
        return to_persian_digits(f"{y}/{m:02d}/{d:02d}")
    return to_persian_digits(f"{d} {MONTHS[m - 1]} {y}")


_DATE = re.compile(r"(\d{3,4})[/\-.](\d{1,2})[/\-.](\d{1,2})")


def parse_jalali(text: str) -> date:
    """Read «۱۴۰۴/۰۶/۲۵» (any digit script, / - or . between parts) into a Gregorian date."""
    try:
        cleaned = to_ascii_digits(normalize_text(text)).replace(" ", "")
    except TextError as exc:
        raise JalaliDateError(str(exc)) from exc
    match = _DATE.fullmatch(cleaned)
    if not match:
        raise JalaliDateError(f"«{shown(text)}» تاریخ شمسی به شکل ۱۴۰۴/۰۶/۲۵ نیست.")
    return from_jalali(*(int(part) for part in match.groups()))


def today_jalali() -> str:
    return format_jalali(date.today())


def current_fiscal_period(today: date | None = None) -> tuple[int, int]:
    """(Jalali year, quarter 1–4) of a day, by default today: the period monitoring looks at."""
    year, month, _day = to_jalali(today or date.today())
    return year, (month - 1) // 3 + 1


def monitoring_period(first_year: int, last_year: int, year: int | None = None,
                      today: date | None = None) -> tuple[int, int]:
    """The year and quarter to judge a plan at: a chosen year up to its end (or up to today for
    the current year), or with no choice the current period clamped to the plan's years."""
    now_year, now_quarter = current_fiscal_period(today)
    if year is None:
        year = min(max(now_year, first_year), last_year)
    if year < now_year:
        return year, 4
    if year > now_year:
        return year, 1
    return year, now_quarter
