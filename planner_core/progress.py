"""Progress arithmetic: indicator achievement, roll-ups, status colours, expected progress.

Pure functions over plain numbers so the GUI, the booklet and the CLI all report the
same figures, and every edge case is decided (and explained to planners) in one place.
No database, no Qt.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from numbers import Real

__all__ = [
    "ACHIEVEMENT_CODES",
    "DIRECTIONS",
    "STATUS_COLORS",
    "STATUS_LABELS",
    "YEAR_ACTUAL_MODES",
    "Achievement",
    "Status",
    "classify",
    "expected_progress",
    "indicator_achievement",
    "weighted_rollup",
    "year_actual",
]

DIRECTIONS: tuple[str, ...] = ("increase", "decrease")
YEAR_ACTUAL_MODES: tuple[str, ...] = ("last", "sum", "mean")

# Every value `Achievement.code` can take, so views and tests can rely on a closed set.
ACHIEVEMENT_CODES: tuple[str, ...] = (
    "ok",  # measured from the baseline towards the target
    "wrong_way",  # actual moved away from the target past the baseline: 0
    "target_equals_baseline",  # no distance to measure: 100 if reached, else 0
    "target_wrong_side",  # target set against the direction; distance from the target measured
    "no_baseline",  # no baseline: ratio actual/target (increase) or target/actual (decrease)
    "no_baseline_binary",  # no baseline and a ratio is meaningless (zero/negative): reached or not
    "no_actual",  # nothing reported: None, never 0
    "no_target",  # no target for the year: None
)

_FA_DIGITS = str.maketrans("0123456789.-", "۰۱۲۳۴۵۶۷۸۹٫−")

_FIELD_NAMES = {
    "baseline": "مقدار پایه",
    "target": "هدف",
    "actual": "مقدار واقعی",
    "cap": "سقف دستیابی",
    "annual": "مقدار سالانه",
    "quarter": "مقدار فصلی",
    "weight": "وزن",
    "percent": "درصد",
    "on_track": "آستانه «در مسیر»",
    "at_risk": "آستانه «در معرض خطر»",
}


@dataclass(frozen=True)
class Achievement:
    """Achievement of one indicator for one year, with the reason planners will see.

    `percent` is clamped to [0, cap] (None when it cannot be computed); `raw` is the
    unclamped figure (None when no ratio exists); `capped` is True when `raw` exceeded the
    cap. Falling below 0 is reported through `code`/`reason` rather than `capped`.
    """

    percent: float | None
    raw: float | None
    capped: bool
    reason: str
    code: str


def _fa_number(value: float) -> str:
    """Persian digits for prose (the store keeps ASCII digits only in codes)."""
    text = str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")
    return text.translate(_FA_DIGITS)


def _check_number(name: str, value: object) -> float:
    """Reject bools, non-numbers, NaN and ±inf early: they would silently poison a roll-up."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{_FIELD_NAMES.get(name, name)} باید عدد باشد، نه {type(value).__name__}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(
            f"{_FIELD_NAMES.get(name, name)} باید عددی متناهی باشد (NaN یا بی‌نهایت پذیرفته نیست)"
        )
    return number


def _check_optional(name: str, value: object) -> float | None:
    return None if value is None else _check_number(name, value)


def _is_better_or_equal(direction: str, actual: float, target: float) -> bool:
    return actual >= target if direction == "increase" else actual <= target


def _clamped(raw: float, cap: float, code: str, reason: str) -> Achievement:
    """Clamp to [0, cap] and say in the reason why the shown figure differs from `raw`."""
    if not math.isfinite(raw):
        raise ValueError("مقادیر برای محاسبه دستیابی بیش از حد بزرگ یا کوچک‌اند")
    if raw > cap:
        return Achievement(cap, raw, True, f"{reason}؛ از سقف {_fa_number(cap)}٪ فراتر رفت و محدود شد", code)
    if raw < 0:
        return Achievement(0.0, raw, False, f"{reason}؛ نتیجه منفی شد و صفر منظور شد", code)
    return Achievement(raw, raw, False, reason, code)


def _reached_or_not(direction: str, actual: float, target: float, code: str, reason: str) -> Achievement:
    """Binary judgement for when there is no distance or ratio to measure."""
    if _is_better_or_equal(direction, actual, target):
        return Achievement(100.0, 100.0, False, f"{reason}؛ هدف محقق شد", code)
    return Achievement(0.0, 0.0, False, f"{reason}؛ مقدار واقعی به هدف نرسید", code)


def _without_baseline(direction: str, target: float, actual: float, cap: float) -> Achievement:
    """Ratio fallback; a ratio only means something on a non-negative scale with a non-zero divisor."""
    if direction == "increase":
        if target > 0:
            reason = "مقدار پایه ثبت نشده است؛ دستیابی با نسبت مقدار واقعی به هدف سنجیده شد"
            return _clamped(actual / target * 100.0, cap, "no_baseline", reason)
    elif target >= 0 and actual > 0:
        reason = "مقدار پایه ثبت نشده است؛ دستیابی با نسبت هدف به مقدار واقعی سنجیده شد"
        return _clamped(target / actual * 100.0, cap, "no_baseline", reason)
    elif target > 0 and actual == 0:
        # target/0 grows without bound: the actual beats the target, so it sits at the cap.
        reason = "مقدار پایه ثبت نشده و مقدار واقعی صفر و بهتر از هدف است؛ دستیابی در سقف منظور شد"
        return Achievement(cap, None, True, reason, "no_baseline")
    reason = "مقدار پایه ثبت نشده و با مقدار صفر یا منفی نسبت‌گیری ممکن نیست؛ فقط رسیدن به هدف سنجیده شد"
    return _reached_or_not(direction, actual, target, "no_baseline_binary", reason)


def indicator_achievement(
    direction: str,
    baseline: float | None,
    target: float | None,
    actual: float | None,
    cap: float = 100.0,
) -> Achievement:
    """Share (%) of the planned move from the baseline to a year's target that was achieved.

    `direction` says which way is better ("increase" or "decrease"). With the planned
    distance D = |target − baseline| and s = +1 for increase, −1 for decrease:

        raw = 100 + s · (actual − target) / D · 100

    which equals (actual − baseline)/(target − baseline)·100 when the target lies on the
    better side of the baseline (the usual case), is exactly 100 at the target, and keeps
    its meaning when the target was set on the worse side (a tolerated decline): then
    being better than the target still scores ≥ 100 and being worse scores < 100.

    Missing actual or target gives None (an unreported value is not a zero). Without a
    baseline a ratio is used (actual/target for increase, target/actual for decrease).
    Where no distance or ratio exists only reaching the target is judged (100 or 0).
    The result is clamped to [0, cap]; `raw` keeps the unclamped figure.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"جهت شاخص نامعتبر است: {direction!r} (باید increase یا decrease باشد)")
    base = _check_optional("baseline", baseline)
    goal = _check_optional("target", target)
    done = _check_optional("actual", actual)
    limit = _check_number("cap", cap)
    if limit < 100:
        # A cap under 100 would hide whether a target was met at all.
        raise ValueError("سقف دستیابی نباید کمتر از ۱۰۰ باشد")

    if done is None:
        return Achievement(None, None, False, "مقدار واقعی ثبت نشده است", "no_actual")
    if goal is None:
        return Achievement(None, None, False, "هدفی برای این سال تعیین نشده است", "no_target")
    if base is None:
        return _without_baseline(direction, goal, done, limit)
    if goal == base:
        reason = "هدف برابر مقدار پایه است؛ دستیابی با رسیدن به هدف سنجیده شد"
        return _reached_or_not(direction, done, goal, "target_equals_baseline", reason)

    sign = 1.0 if direction == "increase" else -1.0
    raw = 100.0 + sign * (done - goal) / abs(goal - base) * 100.0
    if not _is_better_or_equal(direction, goal, base):
        better = "افزایش" if direction == "increase" else "کاهش"
        side = "کمتر" if direction == "increase" else "بیشتر"
        reason = (
            f"هدف {side} از مقدار پایه تعیین شده، در حالی که {better} مطلوب است؛ "
            "هدف ملاک قرار گرفت و دستیابی با فاصله از هدف سنجیده شد"
        )
        return _clamped(raw, limit, "target_wrong_side", reason)
    if not _is_better_or_equal(direction, done, base):
        reason = "مقدار واقعی نسبت به مقدار پایه در جهت نامطلوب حرکت کرده است؛ دستیابی صفر منظور شد"
        return Achievement(0.0, raw, False, reason, "wrong_way")
    if done == base:
        return Achievement(0.0, 0.0, False, "مقدار واقعی نسبت به مقدار پایه تغییری نکرده است", "ok")
    return _clamped(raw, limit, "ok", "دستیابی از مقدار پایه تا هدف سنجیده شد")


def year_actual(annual: float | None, quarters: Sequence[float | None], how: str = "last") -> float | None:
    """The value that stands for a year: the annual figure if reported, else one from the quarters.

    `quarters` are in period order (q1..q4, None where not reported). "last" suits level
    indicators (the latest reading is the current state), "sum" suits flows (year to
    date of the quarters reported), "mean" suits rates. None when nothing is reported.
    """
    if how not in YEAR_ACTUAL_MODES:
        raise ValueError(f"روش محاسبه مقدار سال نامعتبر است: {how!r} (باید last، sum یا mean باشد)")
    if len(quarters) > 4:
        raise ValueError(f"یک سال حداکثر چهار فصل دارد، نه {_fa_number(len(quarters))}")
    annual_value = _check_optional("annual", annual)
    reported = [v for v in (_check_optional("quarter", q) for q in quarters) if v is not None]
    if annual_value is not None:
        return annual_value
    if not reported:
        return None
    if how == "last":
        return reported[-1]
    total = math.fsum(reported)
    return total if how == "sum" else total / len(reported)


def weighted_rollup(items: Iterable[tuple[float, float | None]]) -> float | None:
    """Weighted mean of children's percents, as (weight, percent) pairs.

    Children without a percent are left out and the rest re-weighted, so missing data
    does not count as zero progress; weights ≤ 0 are ignored. None when nothing is left.
    """
    weight_sum = 0.0
    weighted = 0.0
    for weight, percent in items:
        w = _check_number("weight", weight)
        p = _check_optional("percent", percent)
        if p is None or w <= 0:
            continue
        weight_sum += w
        weighted += w * p
    if weight_sum <= 0:
        return None
    result = weighted / weight_sum
    if not math.isfinite(result):
        raise ValueError("وزن‌ها یا درصدها برای محاسبه بیش از حد بزرگ‌اند")
    return result


class Status(StrEnum):
    """Traffic-light status of an achievement percent (values are stable identifiers)."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"


STATUS_LABELS: dict[Status, str] = {
    Status.ON_TRACK: "در مسیر",
    Status.AT_RISK: "در معرض خطر",
    Status.OFF_TRACK: "عقب از برنامه",
    Status.NO_DATA: "بدون داده",
}

# Material 800-level shades (amber: 700 of Tailwind's scale): each reaches at least 4.5:1
# contrast with white text, so labels drawn on them stay legible (WCAG AA).
STATUS_COLORS: dict[Status, str] = {
    Status.ON_TRACK: "#2E7D32",
    Status.AT_RISK: "#B45309",
    Status.OFF_TRACK: "#C62828",
    Status.NO_DATA: "#616161",
}


def classify(percent: float | None, on_track: float = 90, at_risk: float = 70) -> Status:
    """Status for a percent against a plan's thresholds (`plans[].thresholds` in the dump)."""
    high = _check_number("on_track", on_track)
    low = _check_number("at_risk", at_risk)
    if not 0 <= low <= high <= 100:
        raise ValueError(
            "آستانه‌های وضعیت نامعتبرند: باید ۰ ≤ آستانه «در معرض خطر» ≤ آستانه «در مسیر» ≤ ۱۰۰ باشد"
        )
    value = _check_optional("percent", percent)
    if value is None:
        return Status.NO_DATA
    if value >= high:
        return Status.ON_TRACK
    if value >= low:
        return Status.AT_RISK
    return Status.OFF_TRACK


def performance(progress: float | None, expected: float | None) -> float | None:
    """Progress against the schedule, as the percent the status thresholds judge (capped at 100).

    Nothing due yet (expected 0) counts as fully on schedule; no progress or no schedule: None.
    """
    if progress is None or expected is None:
        return None
    if expected <= 0:
        return 100.0
    return min(progress / expected * 100.0, 100.0)


def expected_progress(year: int, quarter: int, first_year: int, last_year: int) -> float:
    """Share (0..100) of a span of whole years elapsed at the end of `quarter` of `year`.

    Linear over the span's quarters, so reported physical progress can be compared with
    where it should be; 0 before the span starts and 100 once it is over.
    """
    checked = {"year": year, "quarter": quarter, "first_year": first_year, "last_year": last_year}
    for name, value in checked.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} باید عدد صحیح باشد، نه {type(value).__name__}")
    if not 1 <= quarter <= 4:
        raise ValueError(f"فصل باید بین ۱ و ۴ باشد، نه {_fa_number(quarter)}")
    if first_year > last_year:
        raise ValueError("سال شروع نباید بعد از سال پایان باشد")
    span = (last_year - first_year + 1) * 4
    elapsed = (year - first_year) * 4 + quarter
    return min(max(elapsed / span * 100.0, 0.0), 100.0)
