"""Bar charts drawn by QtCharts, laid out right to left with Persian labels and digits.

Qt shapes and orders Persian text itself, so category labels (axis titles, unit names) come
out joined and right to left.  Bars run horizontally: long Persian labels read on one line
at the right, and the value axis is reversed so bars grow from right to left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QCategoryAxis, QChart, QHorizontalBarSeries
from PySide6.QtCore import QLocale, QMargins, Qt
from PySide6.QtGui import QColor, QCursor, QFont
from PySide6.QtWidgets import QToolTip

from planner_core.text import format_number

PERSIAN = QLocale(QLocale.Language.Persian, QLocale.Country.Iran)
NO_DATA = "داده‌ای برای این دوره ثبت نشده است"
TICKS = 5  # intervals of the value axis
TOOLTIPS = "categoryTooltips"  # the chart's property: one tooltip per category, top to bottom
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
              maximum: float | None = None, tooltips: Sequence[str] | None = None) -> QChart:
    """Horizontal grouped bars; the first category is drawn at the top.

    The value axis is labelled by us (Persian digits, ٬ grouping), not by QtCharts' printf format;
    ``tooltips`` (one per category) show when the mouse is over a bar.
    """
    chart = new_chart(title)
    if not categories:
        chart.setTitle(f"{title}\n({NO_DATA})")
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
    top = max((max(d.values, default=0.0) for d in sets), default=0.0)
    value_axis = persian_value_axis(maximum if maximum is not None else _nice_ceiling(top))
    value_axis.setTitleText(value_title)
    chart.addAxis(value_axis, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(value_axis)
    if tooltips is not None:
        tips = list(tooltips)
        chart.setProperty(TOOLTIPS, tips)
        count = len(tips)

        def hovered(status: bool, index: int, _set: QBarSet) -> None:
            if status and 0 <= index < count:
                QToolTip.showText(QCursor.pos(), tips[count - 1 - index])  # bars are stored bottom-up
            else:
                QToolTip.hideText()

        series.hovered.connect(hovered)
    return chart


def persian_value_axis(top: float) -> QCategoryAxis:
    """0…top in TICKS steps, right to left, each tick labelled «۲٬۵۰۰» (Persian digits and grouping)."""
    axis = QCategoryAxis()
    axis.setStartValue(-1e-9)  # so the zero tick is a category of its own
    step = top / TICKS
    for i in range(TICKS + 1):
        axis.append(format_number(step * i, 1), step * i)
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    axis.setRange(0.0, top * 1.04)  # QtCharts hides a label that crosses the plot edge: room for the last one
    axis.setReverse(True)  # right to left: zero at the right, beside the labels
    return axis


def chart_tooltips(chart: QChart) -> list[str]:
    value = chart.property(TOOLTIPS)
    return list(value) if value else []


def value_labels(chart: QChart) -> list[str]:
    """The value axis' tick labels, zero first."""
    for axis in chart.axes(Qt.Orientation.Horizontal):
        if isinstance(axis, QCategoryAxis):
            return list(axis.categoriesLabels())
    return []


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
