"""The budget album (آلبوم بودجه): what the council receives with the annual budget.

One fiscal year, on A4 or A3 landscape pages: every budget code with its approved ceiling,
supplements (متمم) and amendments (اصلاحیه), the plan's projects it funds with their
allocation and spending; then the same money by responsible unit (deputies, districts,
departments), each line naming the plan node it funds."""

from __future__ import annotations

from datetime import date

from reportlab.lib import colors
from reportlab.platypus import KeepInFrame, PageBreak, Spacer
from reportlab.platypus.flowables import PageBreakIfNotEmpty

from planner_core.jalali import format_jalali
from planner_core.levels import ORG_UNIT_KIND_LABELS
from planner_core.text import MONEY_UNIT, format_money
from planner_core.text import to_persian_digits as fa

from . import data
from .content import MONEY_ALIGN, MUTED_STYLE, StoryBuilder
from .flowables import ACCENT, MUTED, TOTAL_BG, Cell, CenteredRule, Column, RTLParagraph, TextStyle
from .fonts import BOLD

UNIT_KIND_ORDER = ("deputy", "district", "department")
UNIT_KIND_TITLES = {"deputy": "معاونت‌ها", "district": "مناطق", "department": "ادارات و سازمان‌ها"}


def _money(value: int) -> str:
    return format_money(value) if value else "—"


def album_story(b: StoryBuilder, year: int) -> None:
    _cover(b, year)
    rows = data.budget_by_code(b.doc, b.plan, year)
    if not rows:
        b.heading("بودجه سال", 0)
        b.para(f"برای سال {fa(year)} نه بودجه مصوبی ثبت شده و نه اعتباری به پروژه‌های این برنامه داده شده است.",
               MUTED_STYLE)
        return
    _by_code(b, year, rows)
    _by_unit(b, year)


def _cover(b: StoryBuilder, year: int) -> None:
    center = TextStyle(align="center", size=14, leading=26, space_after=8)
    municipality = (b.doc.get("municipality") or {}).get("name", "")
    flow: list = [Spacer(1, 40)]
    for text, style in ((municipality, TextStyle(font=BOLD, align="center", size=22, leading=36)),
                        (f"آلبوم بودجه سال {fa(year)}", TextStyle(font=BOLD, align="center", size=30, leading=48,
                                                               color=ACCENT)),
                        (f"بودجه به تفکیک کد بودجه و واحد مسئول، همراه با گره‌های «{b.plan.get('title', '')}» "
                         "که از آن تأمین می‌شوند", center)):
        if text:
            flow.append(RTLParagraph(text, style))
    flow.append(CenteredRule(ACCENT, 80 * 2.835, 0.8, space=12))
    for budget in b.doc.get("annual_budgets", []):
        if budget.get("year") == year and budget.get("approved_on"):
            flow.append(RTLParagraph(f"تاریخ تصویب بودجه: {format_jalali(budget['approved_on'])}", center))
    edition = b.options.edition_date or date.today()
    flow.append(RTLParagraph(f"ویرایش: {format_jalali(edition)}؛ ارقام به {MONEY_UNIT}",
                             TextStyle(align="center", size=12, leading=22, color=MUTED)))
    b.story += [KeepInFrame(0, 0, flow, mode="shrink"), PageBreak(nextTemplate="portrait")]


def _by_code(b: StoryBuilder, year: int, rows: dict[str, data.CodeBudget]) -> None:
    b.heading(f"بودجه سال {fa(year)} به تفکیک کد بودجه", 0)
    b.para("هر کد بودجه با سقف مصوب، متمم‌ها و اصلاحیه‌های سال و سقف نهایی آمده و زیر آن پروژه‌های برنامه که از "
           "آن اعتبار گرفته‌اند، با گره‌ای که تأمین می‌کنند.", MUTED_STYLE)
    cols = [Column("کد بودجه / گره تأمین‌شده", 3.4), Column("سقف مصوب", 1.0, MONEY_ALIGN),
            Column("متمم", 0.9, MONEY_ALIGN), Column("اصلاحیه", 0.9, MONEY_ALIGN),
            Column("سقف نهایی", 1.0, MONEY_ALIGN), Column("اعتبار مصوب پروژه", 1.1, MONEY_ALIGN),
            Column("هزینه‌شده", 1.0, MONEY_ALIGN), Column("مانده سقف", 1.0, MONEY_ALIGN)]
    body: list[list] = []
    totals: list[int] = []
    total = data.CodeBudget("")
    for code, r in rows.items():
        band = colors.HexColor("#EEF2F4")
        body.append([Cell(b.budget_code_label(code), bold=True, background=band)]
                    + [Cell(_money(v), bold=True, background=band)
                       for v in (r.ceiling, r.supplements, r.amendments, r.final, r.allocated, r.spent)]
                    + [Cell(_money(r.final - r.allocated) if r.final else "—", bold=True, background=band)])
        for node, amount, spent in r.funds:
            body.append([f"    {b.node_title(node)}", "", "", "", "", _money(amount), _money(spent), ""])
        for name in ("ceiling", "supplements", "amendments", "allocated", "spent"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
    totals.append(len(body))
    body.append([Cell("جمع کل", bold=True), _money(total.ceiling), _money(total.supplements),
                 _money(total.amendments), _money(total.final), _money(total.allocated), _money(total.spent),
                 _money(total.final - total.allocated) if total.final else "—"])
    b.story.append(b.listed_table(cols, body, f"بودجه سال {fa(year)} به تفکیک کد بودجه ({MONEY_UNIT})",
                                  total_rows=totals))
    b.story.append(PageBreakIfNotEmpty())


def _by_unit(b: StoryBuilder, year: int) -> None:
    b.heading(f"بودجه سال {fa(year)} به تفکیک واحد مسئول", 0)
    lines: dict[str, list[tuple[data.Node, str, int, int]]] = {}
    for node, parents in data.walk(data.axes(b.plan)):
        if not data.is_project(node):
            continue
        unit = data.responsible_unit(node, parents)
        for a in node.get("allocations", []):
            if a.get("year") == year and a.get("amount"):
                lines.setdefault(unit, []).append((node, a.get("budget_code", ""), int(a["amount"]),
                                                   int(a.get("spent") or 0)))
    if not lines:
        b.para(f"در سال {fa(year)} به پروژه‌های این برنامه اعتباری داده نشده است.", MUTED_STYLE)
        return
    cols = [Column("گره تأمین‌شده", 3.2), Column("کد بودجه", 1.8), Column("اعتبار مصوب", 1.1, MONEY_ALIGN),
            Column("هزینه‌شده", 1.1, MONEY_ALIGN)]
    kinds = {code: u.get("kind", "") for code, u in b.units.items()}
    for kind in (*UNIT_KIND_ORDER, ""):
        units = [u for u in lines if (kinds.get(u, "") if kinds.get(u, "") in UNIT_KIND_ORDER else "") == kind]
        if not units:
            continue
        b.heading(UNIT_KIND_TITLES.get(kind, "بدون واحد مسئول یا نوع دیگر"), 1)
        for unit in units:
            body: list[list] = []
            for node, code, amount, spent in lines[unit]:
                body.append([b.node_title(node), b.budget_code_label(code), _money(amount), _money(spent)])
            body.append([Cell("جمع واحد", bold=True, span=2, background=TOTAL_BG),
                         _money(sum(x[2] for x in lines[unit])), _money(sum(x[3] for x in lines[unit]))])
            name = b.unit_name(unit) if unit else "بدون واحد مسئول"
            label = ORG_UNIT_KIND_LABELS.get(kinds.get(unit, ""), "")
            b.story.append(b.listed_table(cols, body, f"{name}{f' ({label})' if label else ''}",
                                          total_rows=[len(body) - 1]))
            b.check()
