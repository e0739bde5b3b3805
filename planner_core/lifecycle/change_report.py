"""The printable change report of a comparison, in the booklet's style (its fonts and RTL flowables)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import SimpleDocTemplate

from planner_core.booklet.document import heading_style
from planner_core.booklet.flowables import (
    BODY,
    MUTED,
    Cell,
    Column,
    RTLParagraph,
    RTLTable,
    TextStyle,
    emit_text,
    key_value_table,
)
from planner_core.booklet.fonts import REGULAR, register_fonts
from planner_core.booklet.shaping import shape_word
from planner_core.levels import LABELS
from planner_core.lifecycle.compare import Comparison, display_value
from planner_core.text import format_money, to_persian_digits

fa = to_persian_digits
KIND_TITLES = {"added": "افزوده‌ها", "removed": "حذف‌شده‌ها", "moved": "جابه‌جایی‌ها", "changed": "تغییرها"}
KIND_COLORS = {"added": colors.HexColor("#E3F4E8"), "removed": colors.HexColor("#FBE4E4"),
               "moved": colors.HexColor("#E6EEFA"), "changed": colors.HexColor("#FFF6DB")}
LEVEL_LABELS = {**LABELS, "indicator": "شاخص", "allocation": "تخصیص", "plan": "برنامه راهبردی"}


def _value(value: Any, field: str | None) -> str:
    if field == "amount" and isinstance(value, int):
        return format_money(value)
    text = display_value(value)
    return text if len(text) < 300 else text[:297] + "…"


def write_change_report(result: Comparison, out: Path, title: str = "گزارش تغییرات برنامه") -> Path:
    register_fonts()
    doc = SimpleDocTemplate(str(out), pagesize=A4, rightMargin=1.8 * cm, leftMargin=1.8 * cm,
                            topMargin=1.8 * cm, bottomMargin=1.8 * cm, title=title, author="Barnamenegar")
    muted = TextStyle(size=9, color=MUTED, align="right")
    story: list = [RTLParagraph(title, heading_style(0)),
                   RTLParagraph(f"مقایسه «{result.a_label}» (پیشین) با «{result.b_label}» (تازه)", muted),
                   key_value_table([(KIND_TITLES[k], fa(len(result.of(k)))) for k in KIND_TITLES]
                                   + [("جمع تفاوت بودجه (میلیون ریال)", format_money(result.budget_total) or "۰")])]
    if result.budget_by_year:
        story.append(RTLParagraph("تفاوت بودجه به تفکیک سال", heading_style(2)))
        story.append(RTLTable([Column("سال", 1), Column("تفاوت (میلیون ریال)", 2, align="left")],
                              [[fa(y), format_money(d)] for y, d in sorted(result.budget_by_year.items())]
                              + [[Cell("جمع", bold=True), Cell(format_money(result.budget_total), bold=True)]],
                              total_rows=[len(result.budget_by_year)]))
    if result.empty:
        story.append(RTLParagraph("دو نسخه یکسان‌اند؛ تغییری نیست.", BODY))
    for kind, heading in KIND_TITLES.items():
        items = result.of(kind)
        if not items:
            continue
        story.append(RTLParagraph(f"{heading} ({fa(len(items))})", heading_style(1)))
        rows = []
        for c in items:
            rows.append([Cell(LEVEL_LABELS.get(c.level, c.level), background=KIND_COLORS[kind]), fa(c.code),
                         c.title, c.field_label or "—", _value(c.old, c.field), _value(c.new, c.field)])
        story.append(RTLTable([Column("سطح", 0.8), Column("کد", 0.7), Column("عنوان", 2.6), Column("مورد", 0.9),
                               Column("پیشین", 1.6), Column("تازه", 1.6)], rows))

    def footer(canv, doc_) -> None:  # type: ignore[no-untyped-def]
        canv.saveState()
        canv.setFillColor(MUTED)
        emit_text(canv, A4[0] / 2, 1.0 * cm, shape_word(fa(doc_.page), REGULAR), REGULAR, 8)
        canv.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out
