"""Horizontal bar charts drawn with ReportLab graphics, laid out right to left.

Labels sit at the right, bars grow from a baseline towards the left (the reading
direction), and every label is a shaped, reordered Persian string (shaping.visual)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib import colors

from planner_core.progress import STATUS_COLORS, STATUS_LABELS, Status

from . import shaping
from .flowables import INK, MUTED, RULE
from .fonts import BOLD, REGULAR


@dataclass(frozen=True)
class Bar:
    label: str
    percent: float | None
    status: Status


def _fa(n: float) -> str:
    from planner_core.text import format_number

    return format_number(n, 0)


def _text(x: float, y: float, text: str, size: float, anchor: str, font: str = REGULAR,
          color=INK) -> String:
    line = shaping.visual(text, font)
    return String(x, y, line.text, fontName=font, fontSize=size, textAnchor=anchor, fillColor=color)


def _shape(status: Status, cx: float, cy: float, color, r: float = 3.4):
    """● on track, ▲ at risk, ■ off track (drawn: Vazirmatn has no such glyphs)."""
    if status == Status.ON_TRACK:
        return Circle(cx, cy, r, fillColor=color, strokeColor=None)
    if status == Status.AT_RISK:
        return Polygon([cx - r * 1.1, cy - r * 0.9, cx + r * 1.1, cy - r * 0.9, cx, cy + r * 1.1],
                       fillColor=color, strokeColor=None)
    if status == Status.OFF_TRACK:
        return Rect(cx - r * 0.9, cy - r * 0.9, r * 1.8, r * 1.8, fillColor=color, strokeColor=None)
    return Group()


def bar_chart(bars: Sequence[Bar], width: float, title: str, *, scale_max: float = 100.0,
              label_share: float = 0.36) -> Drawing:
    """A chart of achievement percents; a missing percent shows «بدون داده» and no bar.

    Labels are never cut: a long label wraps onto more lines and its row grows."""
    size = 8.5
    line_h = 10.5
    top_pad, bottom_pad = 26.0, 34.0
    label_w = width * label_share
    laid = [shaping.wrap(bar.label, REGULAR, size, label_w) or [[]] for bar in bars]
    rows_h = [max(18.0, len(lines) * line_h + 7) for lines in laid]
    plot_h = sum(rows_h) or 18.0
    height = top_pad + bottom_pad + plot_h
    d = Drawing(width, height)
    d.initialFontName = REGULAR  # the renderer's starting font (else an unembedded Helvetica)
    d.add(_text(width, height - 14, title, 10.5, "end", BOLD))
    axis_x = width - label_w - 8  # bars start here and grow to the left
    plot_w = axis_x - 34
    y0 = bottom_pad
    # Grid lines and scale labels (0 at the right, 100 to the left).
    for tick in range(0, int(scale_max) + 1, 25):
        x = axis_x - plot_w * tick / scale_max
        d.add(Line(x, y0 - 4, x, y0 + plot_h, strokeColor=RULE, strokeWidth=0.4))
        d.add(_text(x, y0 - 14, _fa(tick) + "٪", 7.5, "middle", color=MUTED))
    top = y0 + plot_h
    for bar, lines, row_h in zip(bars, laid, rows_h, strict=True):
        y = top - row_h  # this row's bottom
        first = y + row_h / 2 + (len(lines) - 1) * line_h / 2 - 3
        for i, words in enumerate(lines):
            line = shaping.visual_line(tuple(words), REGULAR)
            d.add(String(width, first - i * line_h, line.text, fontName=REGULAR, fontSize=size, textAnchor="end",
                         fillColor=INK))
        color = colors.HexColor(STATUS_COLORS[bar.status])
        mid = y + row_h / 2 - 3
        top -= row_h
        if bar.percent is None:
            d.add(_text(axis_x - 4, mid, STATUS_LABELS[Status.NO_DATA], 7.5, "end", color=MUTED))
            continue
        length = plot_w * min(max(bar.percent, 0.0), scale_max) / scale_max
        d.add(Rect(axis_x - length, mid - 3, length, 12, fillColor=color, strokeColor=None))
        # The status shape after the bar, so the chart reads in black and white too.
        d.add(_shape(bar.status, axis_x - length - 7, mid + 3, color))
        d.add(_text(axis_x - length - 13, mid, _fa(bar.percent) + "٪", 7.5, "end", color=INK))
    d.add(Line(axis_x, y0 - 4, axis_x, y0 + plot_h, strokeColor=INK, strokeWidth=0.7))
    # Legend: status colours and shapes, right to left.
    x = width
    for status in (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK):
        d.add(_shape(status, x - 4.5, 7.5, colors.HexColor(STATUS_COLORS[status])))
        label = STATUS_LABELS[status]
        d.add(_text(x - 13, 4, label, 7.5, "end", color=MUTED))
        x -= 13 + shaping.visual(label, REGULAR).width * 7.5 + 16
    return d
