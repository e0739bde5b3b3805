"""Field cleaners: the unit of money and the calendar of a date must not depend on how they arrive."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from planner_core import fields
from planner_core.errors import ValidationError


@pytest.mark.parametrize("typed", ["1404/06/25", "1404-06-25", "۱۴۰۴-۰۶-۲۵", "١٤٠٤/٠٦/٢٥", "2025-09-16",
                                   date(2025, 9, 16)])
def test_dates_jalali_in_any_separator_and_iso_gregorian(typed):
    assert fields.a_date("start_date", typed) == date(2025, 9, 16)


def test_bad_date_names_the_field():
    with pytest.raises(ValidationError) as info:
        fields.a_date("end_date", "1404/13/01")
    assert info.value.field == "end_date" and info.value.message.startswith("تاریخ پایان")


@pytest.mark.parametrize("value,rials", [
    ("۱٬۵۰۰", 1_500_000_000),  # typed: million rials
    ("2.5", 2_500_000),
    (1500, 1500),  # a number: already rials
    (1500.0, 1500),
    (Decimal(76_000_000_000), 76_000_000_000),
    (7.6e10, 76_000_000_000),
])
def test_money_text_is_million_rials_and_numbers_are_rials(value, rials):
    assert fields.rials("amount", value) == rials


@pytest.mark.parametrize("value", [1500.5, Decimal("0.5"), float("nan"), True, -1, "-۵"])
def test_money_refused(value):
    with pytest.raises(ValidationError) as info:
        fields.rials("amount", value)
    assert info.value.field == "amount"


def test_signed_money_where_allowed():
    assert fields.rials("delta", "-۵٬۰۰۰", allow_negative=True) == -5_000_000_000
    assert fields.rials("delta", -7, allow_negative=True) == -7
