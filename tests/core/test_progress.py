"""Progress arithmetic. Every expected number is worked out by hand in the tables."""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import pytest

from planner_core import progress
from planner_core.progress import (
    ACHIEVEMENT_CODES,
    STATUS_COLORS,
    STATUS_LABELS,
    Achievement,
    Status,
    classify,
    expected_progress,
    indicator_achievement,
    weighted_rollup,
    year_actual,
)

ARABIC_YEH_KAF = re.compile("[\u064a\u0643]")
NAN = float("nan")
INF = float("inf")

# (direction, baseline, target, actual, cap, percent, raw, capped, code)
ACHIEVEMENT_CASES = [
    # increase: (actual − baseline)/(target − baseline)·100
    pytest.param("increase", 10, 20, 15, 100, 50.0, 50.0, False, "ok", id="inc-partial"),
    pytest.param("increase", 10, 20, 20, 100, 100.0, 100.0, False, "ok", id="inc-exact-target"),
    pytest.param("increase", 10, 20, 25, 100, 100.0, 150.0, True, "ok", id="inc-over-capped"),
    pytest.param("increase", 10, 20, 30, 120, 120.0, 200.0, True, "ok", id="inc-over-custom-cap"),
    pytest.param("increase", 10, 20, 25, 200, 150.0, 150.0, False, "ok", id="inc-over-under-high-cap"),
    pytest.param("increase", 10, 20, 10, 100, 0.0, 0.0, False, "ok", id="inc-no-change"),
    pytest.param("increase", 10, 20, 5, 100, 0.0, -50.0, False, "wrong_way", id="inc-wrong-way"),
    # sample plan: 1.3 of the planned 1.5 = 86.666…
    pytest.param("increase", 24.5, 26, 25.8, 100, 86.6667, 86.6667, False, "ok", id="inc-fractional"),
    pytest.param("increase", 0, 40, 10, 100, 25.0, 25.0, False, "ok", id="inc-zero-baseline"),
    pytest.param("increase", -10, -2, -6, 100, 50.0, 50.0, False, "ok", id="inc-negative-values"),
    pytest.param("increase", -10, 10, 0, 100, 50.0, 50.0, False, "ok", id="inc-crossing-zero"),
    pytest.param("increase", -10, -2, -12, 100, 0.0, -25.0, False, "wrong_way", id="inc-negative-wrong-way"),
    # decrease: mirrored, (baseline − actual)/(baseline − target)·100
    pytest.param("decrease", 100, 60, 80, 100, 50.0, 50.0, False, "ok", id="dec-partial"),
    pytest.param("decrease", 100, 60, 60, 100, 100.0, 100.0, False, "ok", id="dec-exact-target"),
    pytest.param("decrease", 100, 60, 40, 100, 100.0, 150.0, True, "ok", id="dec-over-capped"),
    pytest.param("decrease", 100, 60, 110, 100, 0.0, -25.0, False, "wrong_way", id="dec-wrong-way"),
    pytest.param("decrease", 20, 10, 0, 100, 100.0, 200.0, True, "ok", id="dec-actual-zero"),
    pytest.param("decrease", 20, 0, 0, 100, 100.0, 100.0, False, "ok", id="dec-actual-zero-target-zero"),
    pytest.param("decrease", 0, -10, -5, 100, 50.0, 50.0, False, "ok", id="dec-zero-baseline"),
    pytest.param("decrease", -2, -10, -6, 100, 50.0, 50.0, False, "ok", id="dec-negative-values"),
    # target on the worse side of the baseline: distance from the target, scaled by |target − baseline|
    pytest.param(
        "increase", 50, 40, 40, 100, 100.0, 100.0, False, "target_wrong_side", id="inc-wrongside-met"
    ),
    pytest.param(
        "increase", 50, 40, 35, 100, 50.0, 50.0, False, "target_wrong_side", id="inc-wrongside-short"
    ),
    pytest.param(
        "increase", 50, 40, 45, 100, 100.0, 150.0, True, "target_wrong_side", id="inc-wrongside-better"
    ),
    pytest.param("increase", 50, 40, 25, 100, 0.0, -50.0, False, "target_wrong_side", id="inc-wrongside-far"),
    pytest.param(
        "decrease", 10, 12, 13, 100, 50.0, 50.0, False, "target_wrong_side", id="dec-wrongside-short"
    ),
    pytest.param(
        "decrease", 10, 12, 11, 100, 100.0, 150.0, True, "target_wrong_side", id="dec-wrongside-better"
    ),
    # target equal to the baseline: reached (at or better) → 100, else 0
    pytest.param("increase", 30, 30, 30, 100, 100.0, 100.0, False, "target_equals_baseline", id="eq-inc-met"),
    pytest.param(
        "increase", 30, 30, 35, 100, 100.0, 100.0, False, "target_equals_baseline", id="eq-inc-better"
    ),
    pytest.param("increase", 30, 30, 29, 100, 0.0, 0.0, False, "target_equals_baseline", id="eq-inc-not-met"),
    pytest.param("decrease", 5, 5, 4, 100, 100.0, 100.0, False, "target_equals_baseline", id="eq-dec-met"),
    pytest.param("decrease", 5, 5, 6, 100, 0.0, 0.0, False, "target_equals_baseline", id="eq-dec-not-met"),
    pytest.param("increase", 0, 0, 0, 100, 100.0, 100.0, False, "target_equals_baseline", id="eq-all-zero"),
    # no baseline, increase: actual/target·100
    pytest.param("increase", None, 50, 40, 100, 80.0, 80.0, False, "no_baseline", id="nobase-inc-partial"),
    pytest.param("increase", None, 50, 75, 100, 100.0, 150.0, True, "no_baseline", id="nobase-inc-over"),
    pytest.param("increase", None, 50, 0, 100, 0.0, 0.0, False, "no_baseline", id="nobase-inc-actual-zero"),
    pytest.param("increase", None, 50, -10, 100, 0.0, -20.0, False, "no_baseline", id="nobase-inc-negative"),
    pytest.param(
        "increase", None, 0, 5, 100, 100.0, 100.0, False, "no_baseline_binary", id="nobase-inc-t0-met"
    ),
    pytest.param(
        "increase", None, 0, -1, 100, 0.0, 0.0, False, "no_baseline_binary", id="nobase-inc-t0-short"
    ),
    pytest.param(
        "increase", None, -5, -3, 100, 100.0, 100.0, False, "no_baseline_binary", id="nobase-inc-neg"
    ),
    # no baseline, decrease: target/actual·100
    pytest.param("decrease", None, 40, 50, 100, 80.0, 80.0, False, "no_baseline", id="nobase-dec-partial"),
    pytest.param("decrease", None, 40, 20, 100, 100.0, 200.0, True, "no_baseline", id="nobase-dec-over"),
    pytest.param("decrease", None, 40, 0, 100, 100.0, None, True, "no_baseline", id="nobase-dec-actual-zero"),
    pytest.param("decrease", None, 40, 0, 150, 150.0, None, True, "no_baseline", id="nobase-dec-a0-high-cap"),
    pytest.param("decrease", None, 0, 8, 100, 0.0, 0.0, False, "no_baseline", id="nobase-dec-target-zero"),
    pytest.param(
        "decrease", None, 0, 0, 100, 100.0, 100.0, False, "no_baseline_binary", id="nobase-dec-both-0"
    ),
    pytest.param(
        "decrease", None, -5, -6, 100, 100.0, 100.0, False, "no_baseline_binary", id="nobase-dec-neg-met"
    ),
    pytest.param(
        "decrease", None, -5, -4, 100, 0.0, 0.0, False, "no_baseline_binary", id="nobase-dec-neg-short"
    ),
    # missing values are None, never 0
    pytest.param("increase", 10, 20, None, 100, None, None, False, "no_actual", id="no-actual"),
    pytest.param("decrease", 10, None, None, 100, None, None, False, "no_actual", id="no-actual-no-target"),
    pytest.param("increase", None, None, None, 100, None, None, False, "no_actual", id="nothing"),
    pytest.param("increase", 10, None, 15, 100, None, None, False, "no_target", id="no-target"),
    pytest.param("decrease", None, None, 0, 100, None, None, False, "no_target", id="no-target-no-baseline"),
]


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "actual", "cap", "percent", "raw", "capped", "code"),
    ACHIEVEMENT_CASES,
)
def test_indicator_achievement(
    direction: str,
    baseline: float | None,
    target: float | None,
    actual: float | None,
    cap: float,
    percent: float | None,
    raw: float | None,
    capped: bool,
    code: str,
) -> None:
    result = indicator_achievement(direction, baseline, target, actual, cap=cap)
    assert isinstance(result, Achievement)
    assert result.code == code
    assert result.capped is capped
    assert result.percent == (None if percent is None else pytest.approx(percent, abs=1e-4))
    assert result.raw == (None if raw is None else pytest.approx(raw, abs=1e-4))
    assert result.code in ACHIEVEMENT_CODES
    assert result.reason.strip()
    assert not ARABIC_YEH_KAF.search(result.reason)
    if result.percent is not None:
        assert 0.0 <= result.percent <= cap


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "actual", "fragment"),
    [
        pytest.param("increase", 10, 20, None, "مقدار واقعی ثبت نشده است", id="no-actual"),
        pytest.param("increase", 10, None, 15, "هدفی برای این سال تعیین نشده است", id="no-target"),
        pytest.param(
            "increase",
            30,
            30,
            31,
            "هدف برابر مقدار پایه است؛ دستیابی با رسیدن به هدف سنجیده شد",
            id="equal-met",
        ),
        pytest.param("increase", 30, 30, 29, "به هدف نرسید", id="equal-not-met"),
        pytest.param("increase", None, 50, 40, "نسبت مقدار واقعی به هدف", id="nobase-inc"),
        pytest.param("decrease", None, 40, 50, "نسبت هدف به مقدار واقعی", id="nobase-dec"),
        pytest.param("increase", 10, 20, 5, "جهت نامطلوب", id="wrong-way"),
        pytest.param("increase", 10, 20, 25, "سقف ۱۰۰٪", id="capped"),
        pytest.param("increase", 50, 40, 45, "فاصله از هدف", id="wrong-side"),
    ],
)
def test_indicator_achievement_reason(
    direction: str, baseline: float | None, target: float | None, actual: float | None, fragment: str
) -> None:
    assert fragment in indicator_achievement(direction, baseline, target, actual).reason


def test_int_and_float_inputs_agree() -> None:
    assert indicator_achievement("increase", 10, 20, 15) == indicator_achievement(
        "increase", 10.0, 20.0, 15.0
    )


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        pytest.param({"baseline": NAN}, ValueError, id="nan-baseline"),
        pytest.param({"target": NAN}, ValueError, id="nan-target"),
        pytest.param({"actual": NAN}, ValueError, id="nan-actual"),
        pytest.param({"actual": INF}, ValueError, id="inf-actual"),
        pytest.param({"target": -INF}, ValueError, id="minus-inf-target"),
        pytest.param({"cap": NAN}, ValueError, id="nan-cap"),
        pytest.param({"cap": 90}, ValueError, id="cap-below-100"),
        pytest.param({"direction": "up"}, ValueError, id="bad-direction"),
        pytest.param({"actual": "15"}, TypeError, id="string-actual"),
        pytest.param({"actual": True}, TypeError, id="bool-actual"),
    ],
)
def test_indicator_achievement_rejects(kwargs: dict[str, object], error: type[Exception]) -> None:
    args: dict[str, object] = {"direction": "increase", "baseline": 10, "target": 20, "actual": 15}
    args.update(kwargs)
    with pytest.raises(error):
        indicator_achievement(**args)  # type: ignore[arg-type]


def test_nan_rejected_even_when_actual_missing() -> None:
    # A NaN baseline is a data error whether or not an actual was reported yet.
    with pytest.raises(ValueError):
        indicator_achievement("increase", NAN, 20, None)


# (annual, quarters, how, expected)
YEAR_ACTUAL_CASES = [
    pytest.param(12.0, [1, 2, 3, 4], "last", 12.0, id="annual-wins-last"),
    pytest.param(12.0, [1, 2, 3, 4], "sum", 12.0, id="annual-wins-sum"),
    pytest.param(12.0, [1, 2, 3, 4], "mean", 12.0, id="annual-wins-mean"),
    pytest.param(0.0, [5.0], "last", 0.0, id="annual-zero-is-a-value"),
    pytest.param(None, [1, None, 3, None], "last", 3.0, id="last-skips-missing"),
    pytest.param(None, [None, 7], "last", 7.0, id="last-second-quarter"),
    pytest.param(None, [1, None, 3, 4], "sum", 8.0, id="sum"),
    pytest.param(None, [-2, 5], "sum", 3.0, id="sum-negative"),
    pytest.param(None, [1, None, 3, 5], "mean", 3.0, id="mean"),
    pytest.param(None, [2.5], "mean", 2.5, id="mean-single"),
    pytest.param(None, [0.1, 0.2], "sum", 0.3, id="sum-fractional"),
    pytest.param(None, [], "last", None, id="empty-last"),
    pytest.param(None, [], "sum", None, id="empty-sum"),
    pytest.param(None, [None, None, None, None], "mean", None, id="all-missing-mean"),
]


@pytest.mark.parametrize(("annual", "quarters", "how", "expected"), YEAR_ACTUAL_CASES)
def test_year_actual(
    annual: float | None, quarters: list[float | None], how: str, expected: float | None
) -> None:
    result = year_actual(annual, quarters, how)
    assert result == (None if expected is None else pytest.approx(expected))


def test_year_actual_defaults_to_last() -> None:
    assert year_actual(None, [4, 9, None]) == 9


@pytest.mark.parametrize(
    ("annual", "quarters", "how"),
    [
        pytest.param(None, [1, 2], "median", id="bad-mode"),
        pytest.param(None, [1, 2, 3, 4, 5], "sum", id="five-quarters"),
        pytest.param(None, [1, NAN], "last", id="nan-quarter"),
        pytest.param(NAN, [1], "last", id="nan-annual"),
        pytest.param(INF, [], "last", id="inf-annual"),
    ],
)
def test_year_actual_rejects(annual: float | None, quarters: list[float | None], how: str) -> None:
    with pytest.raises(ValueError):
        year_actual(annual, quarters, how)


ROLLUP_CASES = [
    pytest.param([(1, 50), (1, 100)], 75.0, id="equal-weights"),
    pytest.param([(3, 40), (1, 80)], 50.0, id="weighted"),  # (120 + 80) / 4
    pytest.param([(0.5, 10), (1.5, 30)], 25.0, id="fractional-weights"),  # (5 + 45) / 2
    pytest.param([(1, 50), (2, None)], 50.0, id="none-child-left-out"),
    pytest.param([(1, None), (2, None)], None, id="all-none"),
    pytest.param([], None, id="empty"),
    pytest.param([(0, 100), (2, 40)], 40.0, id="zero-weight-ignored"),
    pytest.param([(-1, 100), (1, 20)], 20.0, id="negative-weight-ignored"),
    pytest.param([(0, 100), (0, 50)], None, id="all-zero-weights"),
    pytest.param([(0, 100), (1, None)], None, id="zero-weight-and-none"),
    pytest.param([(2, 0)], 0.0, id="zero-percent-counts"),
]


@pytest.mark.parametrize(("items", "expected"), ROLLUP_CASES)
def test_weighted_rollup(items: list[tuple[float, float | None]], expected: float | None) -> None:
    result = weighted_rollup(items)
    assert result == (None if expected is None else pytest.approx(expected))


def test_weighted_rollup_accepts_a_generator() -> None:
    assert weighted_rollup((w, p) for w, p in [(1, 20), (1, 40)]) == pytest.approx(30.0)


@pytest.mark.parametrize(
    "items",
    [
        pytest.param([(1, NAN)], id="nan-percent"),
        pytest.param([(INF, 50)], id="inf-weight"),
        pytest.param([(NAN, 50)], id="nan-weight"),
    ],
)
def test_weighted_rollup_rejects(items: list[tuple[float, float | None]]) -> None:
    with pytest.raises(ValueError):
        weighted_rollup(items)


# (percent, on_track, at_risk, expected)
CLASSIFY_CASES = [
    pytest.param(90, 90, 70, Status.ON_TRACK, id="exactly-on-track"),
    pytest.param(89.999, 90, 70, Status.AT_RISK, id="just-below-on-track"),
    pytest.param(70, 90, 70, Status.AT_RISK, id="exactly-at-risk"),
    pytest.param(69.999, 90, 70, Status.OFF_TRACK, id="just-below-at-risk"),
    pytest.param(0, 90, 70, Status.OFF_TRACK, id="zero"),
    pytest.param(100, 90, 70, Status.ON_TRACK, id="hundred"),
    pytest.param(150, 90, 70, Status.ON_TRACK, id="above-hundred"),
    pytest.param(None, 90, 70, Status.NO_DATA, id="none"),
    pytest.param(80, 80, 80, Status.ON_TRACK, id="equal-thresholds-at"),
    pytest.param(79.9, 80, 80, Status.OFF_TRACK, id="equal-thresholds-below"),
    pytest.param(0, 0, 0, Status.ON_TRACK, id="zero-thresholds"),
    pytest.param(99, 100, 0, Status.AT_RISK, id="widest-thresholds"),
]


@pytest.mark.parametrize(("percent", "on_track", "at_risk", "expected"), CLASSIFY_CASES)
def test_classify(percent: float | None, on_track: float, at_risk: float, expected: Status) -> None:
    assert classify(percent, on_track=on_track, at_risk=at_risk) is expected


def test_classify_defaults() -> None:
    assert classify(90) is Status.ON_TRACK
    assert classify(70) is Status.AT_RISK
    assert classify(69) is Status.OFF_TRACK


@pytest.mark.parametrize(
    ("percent", "on_track", "at_risk"),
    [
        pytest.param(50, 70, 90, id="at-risk-above-on-track"),
        pytest.param(50, 101, 70, id="on-track-above-100"),
        pytest.param(50, 90, -1, id="at-risk-negative"),
        pytest.param(None, 70, 90, id="invalid-even-without-data"),
    ],
)
def test_classify_rejects_thresholds(percent: float | None, on_track: float, at_risk: float) -> None:
    with pytest.raises(ValueError, match="آستانه"):
        classify(percent, on_track=on_track, at_risk=at_risk)


@pytest.mark.parametrize(
    ("percent", "on_track", "at_risk"),
    [
        pytest.param(NAN, 90, 70, id="nan-percent"),
        pytest.param(50, NAN, 70, id="nan-on-track"),
        pytest.param(50, 90, NAN, id="nan-at-risk"),
    ],
)
def test_classify_rejects_nan(percent: float, on_track: float, at_risk: float) -> None:
    with pytest.raises(ValueError):
        classify(percent, on_track=on_track, at_risk=at_risk)


def test_status_is_a_string_enum() -> None:
    assert Status.ON_TRACK == "on_track"
    assert [s.value for s in Status] == ["on_track", "at_risk", "off_track", "no_data"]


@pytest.mark.parametrize(
    ("status", "label"),
    [
        pytest.param(Status.ON_TRACK, "در مسیر", id="on-track"),
        pytest.param(Status.AT_RISK, "در معرض خطر", id="at-risk"),
        pytest.param(Status.OFF_TRACK, "عقب از برنامه", id="off-track"),
        pytest.param(Status.NO_DATA, "بدون داده", id="no-data"),
    ],
)
def test_status_labels(status: Status, label: str) -> None:
    assert STATUS_LABELS[status] == label


def _relative_luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@pytest.mark.parametrize("status", list(Status), ids=lambda s: s.value)
def test_status_colours_are_legible_under_white_text(status: Status) -> None:
    colour = STATUS_COLORS[status]
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", colour)
    contrast = (1.0 + 0.05) / (_relative_luminance(colour) + 0.05)
    assert contrast >= 4.5  # WCAG AA for normal text


def test_status_colours_are_distinct() -> None:
    assert len(set(STATUS_COLORS.values())) == len(Status)


# (year, quarter, first_year, last_year, expected %) over 8 quarters of 1403–1404: 12.5 each
EXPECTED_PROGRESS_CASES = [
    pytest.param(1402, 4, 1403, 1404, 0.0, id="before-span"),
    pytest.param(1403, 1, 1403, 1404, 12.5, id="start-first-quarter"),
    pytest.param(1403, 2, 1403, 1404, 25.0, id="second-quarter"),
    pytest.param(1403, 4, 1403, 1404, 50.0, id="middle"),
    pytest.param(1404, 1, 1403, 1404, 62.5, id="second-year-q1"),
    pytest.param(1404, 3, 1403, 1404, 87.5, id="second-year-q3"),
    pytest.param(1404, 4, 1403, 1404, 100.0, id="end"),
    pytest.param(1405, 1, 1403, 1404, 100.0, id="after-span"),
    pytest.param(1403, 2, 1403, 1403, 50.0, id="one-year-span"),
]


@pytest.mark.parametrize(("year", "quarter", "first_year", "last_year", "expected"), EXPECTED_PROGRESS_CASES)
def test_expected_progress(year: int, quarter: int, first_year: int, last_year: int, expected: float) -> None:
    assert expected_progress(year, quarter, first_year, last_year) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("args", "error"),
    [
        pytest.param((1403, 0, 1403, 1404), ValueError, id="quarter-zero"),
        pytest.param((1403, 5, 1403, 1404), ValueError, id="quarter-five"),
        pytest.param((1403, 1, 1405, 1404), ValueError, id="reversed-span"),
        pytest.param((1403.0, 1, 1403, 1404), TypeError, id="float-year"),
        pytest.param((1403, True, 1403, 1404), TypeError, id="bool-quarter"),
    ],
)
def test_expected_progress_rejects(args: tuple[object, ...], error: type[Exception]) -> None:
    with pytest.raises(error):
        expected_progress(*args)  # type: ignore[arg-type]


def test_persian_text_uses_persian_yeh_and_kaf() -> None:
    source = Path(progress.__file__).read_text(encoding="utf-8")
    assert not ARABIC_YEH_KAF.search(source)
    assert not any(ARABIC_YEH_KAF.search(label) for label in STATUS_LABELS.values())


def test_module_is_pure() -> None:
    # planner_core must stay importable without Qt or a database.
    tree = ast.parse(Path(progress.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert imported <= {"__future__", "collections", "dataclasses", "enum", "math", "numbers"}


def test_achievement_is_frozen() -> None:
    result = indicator_achievement("increase", 10, 20, 15)
    with pytest.raises(AttributeError):
        result.percent = 0.0  # type: ignore[misc]
    assert math.isclose(result.percent or 0.0, 50.0)


@pytest.mark.parametrize("progress,expected,judged", [
    (30.0, 50.0, 60.0), (50.0, 50.0, 100.0), (80.0, 50.0, 100.0), (0.0, 50.0, 0.0),
    (10.0, 0.0, 100.0), (None, 50.0, None), (20.0, None, None),
], ids=["behind", "on-schedule", "ahead-capped", "nothing-done", "nothing-due", "no-report", "no-schedule"])
def test_performance_against_the_schedule(progress, expected, judged):
    from planner_core.progress import performance

    assert performance(progress, expected) == judged
