"""Bar charts drawn by QtCharts, laid out right to left with Persian labels and digits.

Qt shapes and orders Persian text itself, so category labels (axis titles, unit names) come
out joined and right to left.  Bars run horizontally: long Persian labels read on one line
at the right, and the value axis is reversed so bars grow from right to left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QChart, QHorizontalBarSeries, QValueAxis
from PySide6.QtCore import QLocale, QMargins, Qt
from PySide6.QtGui import QColor, QFont

PERSIAN = QLocale(QLocale.Language.Persian, QLocale.Country.Iran)
LABEL_LIMIT = 38  # characters of a category label before it is shortened with an ellipsis
PROGRESS_COLOR = "#1565C0"
EXPECTED_COLOR = "#90A4AE"
TARGET_COLOR = "#90A4AE"
ACTUAL_COLOR = "#00897B"
PLANNED_COLOR = "#5C6BC0"
SPENT_COLOR = "#EF6C00"


@dataclass(frozen=True)
class BarData:
    name: str  # the legend text
    values: Sequence[float]  # one per category, in category order
    color: str


def short_label(text: str, limit: int = LABEL_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def unique_labels(labels: Sequence[str]) -> list[str]:
    """A category axis drops repeated labels; repeat ones get a Persian ordinal suffix."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        count = seen.get(label, 0)
        seen[label] = count + 1
        out.append(label if count == 0 else f"{label} ({PERSIAN.toString(count + 1)})")
    return out


def new_chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    font = QFont(chart.titleFont())
    font.setBold(True)
    font.setPointSizeF(max(font.pointSizeF(), 10.0))
    chart.setTitleFont(font)
    chart.setLocale(PERSIAN)
    chart.setLocalizeNumbers(True)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(6, 6, 6, 6))
    return chart


def bar_chart(title: str, categories: Sequence[str], sets: Sequence[BarData], value_title: str,
              maximum: float | None = None) -> QChart:
    """Horizontal grouped bars; the first category is drawn at the top."""
    chart = new_chart(title)
    if not categories:
        chart.setTitle(f"{title}\n(داده‌ای برای این دوره ثبت نشده است)")
        return chart
    series = QHorizontalBarSeries()
    series.setBarWidth(0.8)
    for data in sets:
        bar_set = QBarSet(data.name)
        # The category axis counts from the bottom: reverse so reading starts at the top.
        bar_set.append([float(v) for v in reversed(data.values)])
        bar_set.setColor(QColor(data.color))
        bar_set.setBorderColor(QColor(data.color))
        series.append(bar_set)
    chart.addSeries(series)
    category_axis = QBarCategoryAxis()
    category_axis.append(list(reversed(unique_labels([short_label(c) for c in categories]))))
    chart.addAxis(category_axis, Qt.AlignmentFlag.AlignRight)
    series.attachAxis(category_axis)
    value_axis = QValueAxis()
    value_axis.setTitleText(value_title)
    value_axis.setLabelFormat("%.0f")
    value_axis.setReverse(True)  # right to left: zero at the right, beside the labels
    top = max((max(d.values, default=0.0) for d in sets), default=0.0)
    value_axis.setRange(0.0, maximum if maximum is not None else _nice_ceiling(top))
    value_axis.setTickCount(6)
    chart.addAxis(value_axis, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(value_axis)
    return chart


def _nice_ceiling(value: float) -> float:
    """A round upper bound (1, 2, 2.5 or 5 × 10ⁿ, times five ticks) above ``value``."""
    if value <= 0:
        return 1.0
    step = value / 5
    magnitude = 10 ** len(str(int(step))) / 10 if step >= 1 else 1.0
    for factor in (1, 2, 2.5, 5, 10):
        if step <= factor * magnitude:
            return factor * magnitude * 5
    return value


# --- reading a chart back (tests, and the window's tooltips) ----------------------------------

def chart_categories(chart: QChart) -> list[str]:
    for axis in chart.axes(Qt.Orientation.Vertical):
        if isinstance(axis, QBarCategoryAxis):
            return list(reversed(axis.categories()))
    return []


def chart_values(chart: QChart) -> dict[str, list[float]]:
    """Legend text → values in category order (top to bottom)."""
    out: dict[str, list[float]] = {}
    for series in chart.series():
        if isinstance(series, QHorizontalBarSeries):
            for bar_set in series.barSets():
                out[bar_set.label()] = list(reversed([bar_set.at(i) for i in range(bar_set.count())]))
    return out
