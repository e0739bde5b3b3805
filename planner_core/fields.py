"""Field cleaners: turn what a user typed into stored values, or say in Persian what is wrong.

Each raises ValidationError(field, message) naming the field by its Persian label, so the
GUI can show the message beside the field and the command line can print it as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from planner_core.errors import ValidationError
from planner_core.jalali import JalaliDateError, parse_jalali
from planner_core.text import (
    NumberError,
    TextError,
    normalize_code,
    normalize_text,
    parse_decimal,
    parse_int,
    parse_money_million,
    shown,
    to_persian_digits,
)

FIELD_LABELS = {
    "code": "کد", "title": "عنوان", "description": "شرح", "vision": "چشم‌انداز", "mission": "مأموریت",
    "preface": "پیشگفتار", "mayor_message": "پیام شهردار", "methodology": "روش تهیه برنامه",
    "plan_values": "ارزش‌ها",
    "first_year": "سال شروع", "last_year": "سال پایان", "start_date": "تاریخ شروع",
    "end_date": "تاریخ پایان", "weight": "وزن", "location": "محل اجرا", "unit": "واحد سنجش",
    "amount": "مبلغ", "spent": "هزینه‌شده", "ceiling": "سقف اعتبار", "value": "مقدار",
    "baseline_value": "مقدار پایه", "baseline_year": "سال پایه", "year": "سال",
    "quarter": "فصل", "physical_progress": "پیشرفت فیزیکی", "name": "نام", "delta": "مبلغ تغییر",
    "kind": "نوع", "direction": "جهت مطلوب", "frequency": "دوره گزارش", "state": "وضعیت",
    "responsible_unit": "واحد مسئول", "budget_code": "کد بودجه", "status": "وضعیت",
    "province": "استان", "date": "تاریخ", "on_track": "آستانه «در مسیر»", "at_risk": "آستانه «در معرض خطر»",
}

MIN_YEAR, MAX_YEAR = 1300, 1500


def label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def _normalized(field: str, clean: Callable[[str | None], str], value: object) -> str:
    try:
        return clean(None if value is None else str(value))
    except TextError as exc:
        raise ValidationError(field, f"{label(field)}: {exc}") from exc


def text(field: str, value: object, *, required: bool = False, max_length: int = 500) -> str:
    cleaned = _normalized(field, normalize_text, value)
    if required and not cleaned:
        raise ValidationError(field, f"{label(field)}: این فیلد نباید خالی باشد.")
    if len(cleaned) > max_length:
        raise ValidationError(
            field, f"{label(field)}: حداکثر {to_persian_digits(max_length)} نویسه مجاز است.")
    return cleaned


def code(field: str, value: object, *, required: bool = True) -> str:
    cleaned = _normalized(field, normalize_code, value)
    if required and not cleaned:
        raise ValidationError(field, f"{label(field)}: کد نباید خالی باشد.")
    if len(cleaned) > 50:
        raise ValidationError(field, f"{label(field)}: کد حداکثر ۵۰ نویسه است.")
    return cleaned


def year(field: str, value: object, *, required: bool = True) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(field, f"{label(field)}: سال را وارد کنید.")
        return None
    try:
        number = parse_int(value)  # type: ignore[arg-type]
    except NumberError as exc:
        raise ValidationError(field, f"{label(field)}: {exc}") from exc
    if not MIN_YEAR <= number <= MAX_YEAR:
        raise ValidationError(field, f"{label(field)}: سال شمسی باید بین ۱۳۰۰ و ۱۵۰۰ باشد.")
    return number


def number(field: str, value: object, *, required: bool = True, minimum: float | None = None,
           maximum: float | None = None) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(field, f"{label(field)}: مقدار را وارد کنید.")
        return None
    try:
        result = float(parse_decimal(value))  # type: ignore[arg-type]
    except NumberError as exc:
        raise ValidationError(field, f"{label(field)}: {exc}") from exc
    if minimum is not None and result < minimum:
        raise ValidationError(field, f"{label(field)}: نباید کمتر از {to_persian_digits(minimum)} باشد.")
    if maximum is not None and result > maximum:
        raise ValidationError(field, f"{label(field)}: نباید بیشتر از {to_persian_digits(maximum)} باشد.")
    return result


def rials(field: str, value: object, *, allow_negative: bool = False) -> int:
    """Money.  Text is what a planner typed: million rials, in any digit script.  A number is
    already rials (the store's and the plan document's unit) and must be whole."""
    if isinstance(value, bool):
        raise ValidationError(field, f"{label(field)}: مبلغ باید عدد باشد.")
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite() or number != number.to_integral_value():
            raise ValidationError(field, f"{label(field)}: مبلغ به ریال باید عدد صحیح باشد.")
        amount = int(number)
    else:
        try:
            text_value = _normalized(field, normalize_text, value if value is not None else "")
            negative = allow_negative and text_value.startswith(("-", "−"))
            amount = parse_money_million(text_value.lstrip("-−") if negative else text_value)
            amount = -amount if negative else amount
        except NumberError as exc:
            raise ValidationError(field, f"{label(field)}: {exc}") from exc
    if amount < 0 and not allow_negative:
        raise ValidationError(field, f"{label(field)}: مبلغ نمی‌تواند منفی باشد.")
    return amount


def a_date(field: str, value: object, *, required: bool = False) -> date | None:
    if value is None or value == "":
        if required:
            raise ValidationError(field, f"{label(field)}: تاریخ را وارد کنید.")
        return None
    if isinstance(value, date):
        return value
    raw = str(value).strip()
    # A four-digit year below 1700 is a Jalali year however it is separated (۱۴۰۴-۰۶-۲۵ too);
    # ISO Gregorian dates come from the plan document and other tools.
    try:
        iso = date.fromisoformat(raw)
    except ValueError:
        iso = None
    if iso is not None and iso.year >= 1700:
        return iso
    try:
        return parse_jalali(raw)
    except JalaliDateError as exc:
        raise ValidationError(field, f"{label(field)}: {exc}") from exc


def choice(field: str, value: object, allowed: tuple[str, ...], labels: dict[str, str]) -> str:
    if value not in allowed:
        names = "، ".join(labels.get(a, a) for a in allowed)
        raise ValidationError(field, f"{label(field)}: مقدار «{shown(value)}» مجاز نیست؛ یکی از: {names}.")
    return str(value)
