"""Chapters planners expect in a plan book beyond the tree: budget by budget code (ceilings,
supplements and amendments against allocations and spending, financial beside physical
progress), the responsibility matrix, the indicator appendix and the glossary."""

from __future__ import annotations

from reportlab.platypus import Spacer
from reportlab.platypus.flowables import PageBreakIfNotEmpty

from planner_core.levels import DIRECTION_LABELS, FREQUENCY_LABELS, INDICATOR_KIND_LABELS, LABELS
from planner_core.progress import classify
from planner_core.text import MONEY_UNIT, format_money, format_number
from planner_core.text import to_persian_digits as fa

from . import data
from .charts import Bar, bar_chart
from .content import CAPTION, MONEY_ALIGN, MUTED_STYLE, StoryBuilder
from .flowables import Cell, Column, RTLParagraph, RTLTable

CHART_WIDTH = 490.0
CHART_BARS = 18
MATRIX_UNITS_PER_TABLE = 14

# The plan's terms, as this booklet uses them.
GLOSSARY: tuple[tuple[str, str], ...] = (
    ("محور", "بزرگ‌ترین بخش برنامه راهبردی که چند هدف کلان هم‌موضوع را در بر می‌گیرد."),
    ("هدف کلان", "نتیجه‌ای که شهر در افق برنامه در یک محور می‌خواهد به آن برسد؛ با شاخص‌های پیامدی سنجیده می‌شود."),
    ("راهبرد", "راه رسیدن به یک هدف کلان؛ با شاخص‌های پیامدی سنجیده می‌شود."),
    ("برنامه عملیاتی", "مجموعه پروژه‌ها و فعالیت‌های دوساله‌ای که یک راهبرد را اجرا می‌کند."),
    ("پروژه", "کاری با آغاز و پایان مشخص، مکان اجرا و اعتبار، زیر یک برنامه عملیاتی."),
    ("فعالیت", "کار جاری و مستمری که زیر یک برنامه عملیاتی انجام می‌شود."),
    ("شاخص پیامدی", "سنجه اثر برنامه بر شهر و شهروندان، در سطح هدف کلان و راهبرد."),
    ("شاخص خروجی", "سنجه آنچه یک برنامه یا پروژه تحویل می‌دهد."),
    ("شاخص نتیجه‌ای", "سنجه نتیجه مستقیم یک برنامه یا پروژه برای گروه هدف آن."),
    ("مقدار پایه", "مقدار شاخص در سال پیش از آغاز برنامه، مبنای سنجش پیشرفت."),
    ("دستیابی", "نسبت پیشرفت واقعی به پیشرفت هدف‌گذاری‌شده از مقدار پایه، به درصد."),
    ("کد بودجه", "ردیف بودجه سالانه شهرداری که اعتبار پروژه از آن تأمین می‌شود."),
    ("سقف مصوب", "اعتبار هر کد بودجه در بودجه مصوب سال."),
    ("متمم", "افزایش سقف یک کد بودجه در میانه سال با تصویب شورا."),
    ("اصلاحیه", "جابه‌جایی یا کاهش سقف یک کد بودجه در میانه سال با تصویب شورا."),
    ("اعتبار مصوب پروژه", "بخشی از سقف یک کد بودجه که به یک پروژه این برنامه داده شده است."),
    ("جذب اعتبار", "نسبت هزینه‌شده به اعتبار مصوب؛ پیشرفت مالی."),
    ("پیشرفت فیزیکی", "درصد انجام کار پروژه بنا بر آخرین گزارش فصلی."),
    ("واحد مسئول", "معاونت، اداره یا منطقه‌ای که پاسخ‌گوی اجرای یک بخش از برنامه است."),
)


def budget_by_code_chapter(b: StoryBuilder) -> None:
    """Per fiscal year: each budget code's ceiling, supplements and amendments against what the
    plan's projects were allocated and spent; then financial beside physical progress."""
    years = [y for y in data.budget_years(b.doc, b.plan) if not b.sel.years or y in b.sel.years]
    b.heading("بودجه به تفکیک کد بودجه", 0)
    if not years:
        b.para("برای سال‌های این سند بودجه سالانه یا اعتباری ثبت نشده است.", MUTED_STYLE)
        b.story.append(PageBreakIfNotEmpty())
        return
    b.para(f"سقف مصوب هر کد بودجه، متمم‌ها و اصلاحیه‌های آن، و اعتبار و هزینه پروژه‌های این برنامه از همان کد؛ "
           f"ارقام به {MONEY_UNIT}. پیشرفت مالی (هزینه به اعتبار) کنار پیشرفت فیزیکی هر پروژه آمده است.",
           MUTED_STYLE)
    by_year = {y: {c: r for c, r in data.budget_by_code(b.doc, b.plan, y, b.sel).items() if r.funds} for y in years}
    # The chart and the project-by-project progress are for the year under report: the one
    # asked for, else the latest with spending, else the latest with money.
    spent = [y for y in years if any(r.spent for r in by_year[y].values())]
    report_year = b.sel.year or (spent or [y for y in years if by_year[y]] or years)[-1]
    for year in years:
        rows_by_code = by_year[year]
        b.heading(f"سال {fa(year)}", 1)
        if not rows_by_code:
            b.para(f"در سال {fa(year)} پروژه‌های این سند از هیچ کد بودجه‌ای اعتبار نگرفته‌اند.", MUTED_STYLE)
            continue
        b.story.append(_code_table(b, year, rows_by_code))
        if year != report_year:
            continue
        bars = [Bar(b.budget_code_label(code), _percent(r.spent, r.allocated),
                    classify(_percent(r.spent, r.allocated), b.on_track, b.at_risk))
                for code, r in rows_by_code.items()]
        title = f"جذب اعتبار به تفکیک کد بودجه، سال {fa(year)}"
        for start in range(0, len(bars), CHART_BARS):  # a chart fits a page; more bars continue
            name = title if start == 0 else f"{title} (ادامه)"
            chart = bar_chart(bars[start:start + CHART_BARS], CHART_WIDTH, name)
            b.story += [Spacer(1, 6), b.listed_figure(chart, name) if start == 0 else chart]
        b.story.append(_progress_table(b, year, rows_by_code))
        b.check()
    b.story.append(PageBreakIfNotEmpty())


def _percent(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def _money(value: int) -> str:
    return format_money(value) if value else "—"


def _code_table(b: StoryBuilder, year: int, rows_by_code: dict[str, data.CodeBudget]) -> RTLTable:
    cols = [Column("کد بودجه", 2.2), Column("سقف مصوب", 1.0, MONEY_ALIGN), Column("متمم", 0.9, MONEY_ALIGN),
            Column("اصلاحیه", 0.9, MONEY_ALIGN), Column("سقف نهایی", 1.0, MONEY_ALIGN),
            Column("اعتبار برنامه", 1.0, MONEY_ALIGN), Column("هزینه‌شده", 1.0, MONEY_ALIGN),
            Column("جذب", 0.7, "center")]
    body: list[list] = []
    total = data.CodeBudget("")
    for code, r in rows_by_code.items():
        body.append([b.budget_code_label(code), _money(r.ceiling), _money(r.supplements), _money(r.amendments),
                     _money(r.final), _money(r.allocated), _money(r.spent),
                     b.status_cell(_percent(r.spent, r.allocated))])
        for name in ("ceiling", "supplements", "amendments", "allocated", "spent"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
    body.append([Cell("جمع", bold=True), _money(total.ceiling), _money(total.supplements), _money(total.amendments),
                 _money(total.final), _money(total.allocated), _money(total.spent),
                 b.status_cell(_percent(total.spent, total.allocated))])
    caption = f"سقف، متمم و اصلاحیه کدهای بودجه در برابر اعتبار و هزینه برنامه، سال {fa(year)} ({MONEY_UNIT})"
    return b.listed_table(cols, body, caption, total_rows=[len(body) - 1])


def _progress_table(b: StoryBuilder, year: int, rows_by_code: dict[str, data.CodeBudget]) -> RTLTable:
    cols = [Column("پروژه", 2.6), Column("اعتبار", 1.0, MONEY_ALIGN), Column("هزینه‌شده", 1.0, MONEY_ALIGN),
            Column("پیشرفت مالی", 0.9, "center"), Column("پیشرفت فیزیکی", 0.9, "center"),
            Column("مستندات", 0.7, "center")]
    per_project: dict[str, list] = {}
    for r in rows_by_code.values():
        for node, amount, spent in r.funds:
            row = per_project.setdefault(node["id"], [node, 0, 0])
            row[1] += amount
            row[2] += spent
    body = []
    for node, amount, spent in per_project.values():
        reports = [p for p in node.get("progress_reports", []) if p.get("year") == year
                   and p.get("physical_progress") is not None]
        last = max(reports, key=lambda p: p.get("quarter", 0), default=None)
        physical = f"{format_number(last['physical_progress'], 0)}٪" if last else "—"
        financial = _percent(spent, amount)
        body.append([f"{fa(node.get('full_code', ''))} {node.get('title', '')}", _money(amount), _money(spent),
                     f"{format_number(financial, 0)}٪" if financial is not None else "—", physical,
                     fa(data.evidence_count(node, year).files)])
    caption = f"پیشرفت مالی در کنار پیشرفت فیزیکی و شمار پرونده‌های مستند پروژه‌ها، سال {fa(year)}"
    return b.listed_table(cols, body, caption)


def responsibility_matrix(b: StoryBuilder) -> None:
    """Responsible unit × operational program: «م» (مسئول) where the unit carries the program,
    «ج» (مجری) where it carries one of its projects. Units head the columns by number, with a
    legend, so fourteen fit across a page."""
    programs = [(n, p) for n, p in data.walk(data.axes(b.plan)) if n.get("kind") == "program" and b.sel.shown(n)]
    b.heading("ماتریس مسئولیت", 0)
    if not programs:
        b.para("این سند برنامه عملیاتی ندارد؛ ماتریس مسئولیت خالی است.", MUTED_STYLE)
        b.story.append(PageBreakIfNotEmpty())
        return
    roles: dict[str, dict[str, str]] = {}
    for program, parents in programs:
        marks = roles.setdefault(program["id"], {})
        for child in data.children(program):
            unit = data.responsible_unit(child, (*parents, program))
            if unit:
                marks.setdefault(unit, "ج")
        owner = data.responsible_unit(program, parents)
        if owner:
            marks[owner] = "م"
    units = [code for code in b.units if any(code in m for m in roles.values())]
    units += sorted({c for m in roles.values() for c in m} - set(units))
    b.para("«م»: واحد مسئول برنامه عملیاتی؛ «ج»: واحد مجری یکی از پروژه‌ها یا فعالیت‌های آن. "
           "ستون‌ها شماره واحدها در این راهنما هستند:", MUTED_STYLE)
    b.story.append(b.listed_table([Column("شماره", 0.6, "center"), Column("کد", 1.0, "center"),
                                   Column("واحد مسئول", 3.0)],
                                  [[fa(i), u, b.unit_name(u)] for i, u in enumerate(units, 1)], "راهنمای واحدها"))
    for start in range(0, len(units), MATRIX_UNITS_PER_TABLE):
        chunk = units[start:start + MATRIX_UNITS_PER_TABLE]
        cols = [Column(LABELS["program"], 4.0)] + [Column(fa(start + i), 0.5, "center")
                                                   for i in range(1, len(chunk) + 1)]
        body = [[f"{fa(p.get('full_code', ''))} {p.get('title', '')}"] + [roles[p["id"]].get(u, "") for u in chunk]
                for p, _ in programs]
        part = f" (بخش {fa(start // MATRIX_UNITS_PER_TABLE + 1)})" if len(units) > MATRIX_UNITS_PER_TABLE else ""
        b.story.append(b.listed_table(cols, body, f"واحد مسئول × برنامه عملیاتی{part}"))
        b.check()
    b.story.append(PageBreakIfNotEmpty())


def indicator_appendix(b: StoryBuilder) -> None:
    """Every indicator's definition, data source, frequency, direction and targets to the horizon."""
    b.heading("پیوست ۴: شناسنامه شاخص‌ها", 1)
    horizon = data.plan_years(b.plan)
    body: list[list] = []
    for node, _ in data.walk(data.axes(b.plan)):
        if node["id"] not in b.sel.full:
            continue
        for ind in node.get("indicators") or []:
            code = f"{fa(node.get('full_code', ''))}/{fa(ind.get('code', ''))}"
            title = ind.get("title", "")
            definition = (ind.get("definition") or "").strip()
            about = f"{title}\n{definition}" if definition else title
            base = ind.get("baseline") or {}
            base_text = (f"{format_number(base['value'], 2)} ({fa(base.get('year', ''))})"
                         if base.get("value") is not None else "")
            targets = "، ".join(f"{fa(y)}: {format_number(v, 2)}" for y in horizon
                                if (v := data.target_of(ind, y)) is not None)
            body.append([code, about, INDICATOR_KIND_LABELS.get(ind.get("kind", ""), ""), ind.get("unit") or "—",
                         (ind.get("data_source") or "").strip() or "تعیین نشده",
                         FREQUENCY_LABELS.get(ind.get("frequency", ""), "تعیین نشده"),
                         DIRECTION_LABELS.get(ind.get("direction", ""), "تعیین نشده"),
                         base_text or "تعیین نشده", targets or "تعیین نشده"])
    if not body:
        b.para("این سند شاخصی ندارد.", MUTED_STYLE)
        return
    cols = [Column("کد", 0.7, "center"), Column("شاخص و تعریف", 3.0), Column("نوع", 0.7, "center"),
            Column("واحد سنجش", 0.8), Column("منبع داده", 1.4), Column("تناوب", 0.7, "center"),
            Column("جهت مطلوب", 1.0), Column("مقدار پایه", 0.9, "center"),
            Column(f"هدف تا افق {fa(horizon[-1])}" if horizon else "اهداف", 1.6)]
    b.story.append(b.listed_table(cols, body, "شناسنامه شاخص‌ها: تعریف، منبع، تناوب، جهت و اهداف"))


def glossary(b: StoryBuilder) -> None:
    b.heading("پیوست ۵: واژه‌نامه برنامه", 1)
    rows = [[Cell(term, bold=True), meaning] for term, meaning in GLOSSARY]
    b.story.append(b.listed_table([Column("واژه", 1.0), Column("معنا در این سند", 4.0)], rows, "واژه‌نامه"))


def caption(text: str) -> RTLParagraph:
    return RTLParagraph(text, CAPTION)
