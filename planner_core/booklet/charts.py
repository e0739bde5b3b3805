"""Horizontal bar charts drawn with ReportLab graphics, laid out right to left.

Labels sit at the right, bars grow from a baseline towards the left (the reading
direction), and every label is a shaped, reordered Persian string (shaping.visual)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Line, Rect, String
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


def bar_chart(bars: Sequence[Bar], width: float, title: str, *, scale_max: float = 100.0,
              label_share: float = 0.36) -> Drawing:
    """A chart of achievement percents; a missing percent shows «بدون داده» and no bar."""
    size = 8.5
    row_h = 18.0
    top_pad, bottom_pad = 26.0, 34.0
    height = top_pad + bottom_pad + row_h * max(len(bars), 1)
    d = Drawing(width, height)
    d.initialFontName = REGULAR  # the renderer's starting font (else an unembedded Helvetica)
    d.add(_text(width, height - 14, title, 10.5, "end", BOLD))
    label_w = width * label_share
    axis_x = width - label_w - 8  # bars start here and grow to the left
    plot_w = axis_x - 34
    y0 = bottom_pad
    # Grid lines and scale labels (0 at the right, 100 to the left).
    for tick in range(0, int(scale_max) + 1, 25):
        x = axis_x - plot_w * tick / scale_max
        d.add(Line(x, y0 - 4, x, y0 + row_h * len(bars), strokeColor=RULE, strokeWidth=0.4))
        d.add(_text(x, y0 - 14, _fa(tick) + "٪", 7.5, "middle", color=MUTED))
    for i, bar in enumerate(bars):
        y = y0 + row_h * (len(bars) - 1 - i)
        max_chars = shaping.fit_text(bar.label, REGULAR, size, label_w)
        d.add(_text(width, y + 5, max_chars, size, "end"))
        color = colors.HexColor(STATUS_COLORS[bar.status])
        if bar.percent is None:
            d.add(_text(axis_x - 4, y + 5, STATUS_LABELS[Status.NO_DATA], 7.5, "end", color=MUTED))
            continue
        length = plot_w * min(max(bar.percent, 0.0), scale_max) / scale_max
        d.add(Rect(axis_x - length, y + 3, length, row_h - 6, fillColor=color, strokeColor=None))
        d.add(_text(axis_x - length - 3, y + 5, _fa(bar.percent) + "٪", 7.5, "end", color=INK))
    d.add(Line(axis_x, y0 - 4, axis_x, y0 + row_h * len(bars), strokeColor=INK, strokeWidth=0.7))
    # Legend: status colours, right to left.
    x = width
    for status in (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK):
        d.add(Rect(x - 9, 4, 9, 7, fillColor=colors.HexColor(STATUS_COLORS[status]), strokeColor=None))
        label = STATUS_LABELS[status]
        d.add(_text(x - 13, 4, label, 7.5, "end", color=MUTED))
        x -= 13 + shaping.visual(label, REGULAR).width * 7.5 + 16
    return d
