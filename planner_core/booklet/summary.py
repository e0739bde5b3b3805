"""Summary chapters (budget by axis and by unit, indicator progress with charts) and the
appendices (budget codes, responsible units, lessons learned)."""

from __future__ import annotations

from reportlab.platypus import Spacer
from reportlab.platypus.flowables import PageBreakIfNotEmpty

from planner_core.jalali import format_jalali
from planner_core.levels import ORG_UNIT_KIND_LABELS
from planner_core.progress import STATUS_LABELS, Status, classify
from planner_core.text import MONEY_UNIT, format_money
from planner_core.text import to_persian_digits as fa

from . import data
from .charts import Bar, bar_chart
from .content import CAPTION, MONEY_ALIGN, MUTED_STYLE, PORTRAIT_YEAR_COLUMNS, StoryBuilder
from .flowables import Cell, Column, RTLParagraph, RTLTable

CHART_WIDTH = 490.0


def budget_chapter(b: StoryBuilder) -> None:
    plan_axes = [a for a in data.axes(b.plan) if b.sel.shown(a)]
    by_axis, by_unit = data.budget_by(plan_axes, b.sel)
    # Only the fiscal years that carry money (or the one year asked for): no columns of «—».
    funded = {y for amounts in by_axis.values() for y, v in amounts.items() if v}
    years = [y for y in b.sel.years if y in funded]
    flow: list = [*b.make_heading("خلاصه بودجه", 0)]
    if not years:
        when = f"در سال {fa(b.sel.year)}" if b.sel.year is not None else ""
        flow.append(RTLParagraph(" ".join(filter(None, ["برای پروژه‌های این سند", when,
                                                        "اعتباری ثبت نشده است."])), MUTED_STYLE))
        b.story += [*flow, PageBreakIfNotEmpty()]
        return
    axis_rows = [(b.node_title(a), by_axis.get(a["id"], {})) for a in plan_axes]
    unit_rows = [(b.unit_name(code) if code else "بدون واحد مسئول", amounts)
                 for code, amounts in sorted(by_unit.items(), key=lambda kv: -sum(kv[1].values()))]
    flow.append(RTLParagraph(f"اعتبار مصوب پروژه‌های این سند در سال‌هایی که اعتبار دارند؛ ارقام به {MONEY_UNIT}.",
                             MUTED_STYLE))
    for title, first_col, rows in (("بودجه به تفکیک محور", "محور", axis_rows),
                                   ("بودجه به تفکیک واحد مسئول", "واحد مسئول", unit_rows)):
        flow += [*b.make_heading(title, 1), _year_table(first_col, rows, years)]
    if len(years) > PORTRAIT_YEAR_COLUMNS:
        b.landscape(flow)  # one column per fiscal year does not fit a portrait page
    else:
        b.story += [*flow, PageBreakIfNotEmpty()]


def money_or_dash(value: int) -> str:
    """A figure, or «—» where there is none (never «۰» for an empty cell)."""
    return format_money(value) if value else "—"


def _year_table(first_title: str, rows: list[tuple[str, dict[int, int]]], years: list[int]) -> RTLTable:
    cols = [Column(first_title, 2.6)] + [Column(fa(y), 1.0, MONEY_ALIGN) for y in years]
    cols.append(Column("جمع", 1.15, MONEY_ALIGN))
    header = [
        [Cell(first_title, bold=True), Cell(f"اعتبار مصوب ({MONEY_UNIT})", bold=True, span=len(years) + 1)],
        [Cell("", merge_up=True)] + [Cell(f"سال {fa(y)}", bold=True) for y in years] + [Cell("جمع", bold=True)],
    ]
    body: list[list] = []
    totals = {y: 0 for y in years}
    for label, amounts in rows:
        total = Cell(money_or_dash(sum(amounts.get(y, 0) for y in years)), bold=True)
        body.append([label] + [money_or_dash(amounts.get(y, 0)) for y in years] + [total])
        for y in years:
            totals[y] += amounts.get(y, 0)
    body.append([Cell("جمع کل", bold=True)] + [money_or_dash(totals[y]) for y in years]
                + [money_or_dash(sum(totals.values()))])
    return RTLTable(cols, body, header=header, total_rows=[len(body) - 1])


def progress_chapter(b: StoryBuilder) -> None:
    year = b.sel.year
    thresholds = {"on_track": b.on_track, "at_risk": b.at_risk}
    plan_axes = [a for a in data.axes(b.plan) if b.sel.shown(a)]
    b.heading("مرور پیشرفت شاخص‌ها", 0)
    when = f"سال {fa(year)}" if year is not None else "آخرین سالی که مقدار واقعی دارد"
    b.para(f"دستیابی هر شاخص نسبت به هدف {when} سنجیده شده و میانگین وزنی آن برای هر محور و هدف کلان "
           f"آمده است. در مسیر: از {fa(int(b.on_track))}٪؛ در معرض خطر: از {fa(int(b.at_risk))}٪.", MUTED_STYLE)
    if not any(data.rollup([a], year, thresholds, b.sel).percent is not None for a in plan_axes):
        when = f"سال {fa(year)}" if year is not None else "شاخص‌های این سند"
        b.para(f"برای {when} هنوز مقدار واقعی شاخصی ثبت نشده است؛ پیشرفت پس از ثبت مقادیر واقعی "
               "در این فصل می‌آید.", MUTED_STYLE)
        b.story.append(PageBreakIfNotEmpty())
        return
    b.story.append(b.status_legend())
    statuses = (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.NO_DATA)
    cols = [Column("محور", 2.6), Column("شاخص‌ها", 0.7, "center")]
    cols += [Column(STATUS_LABELS[s], 0.8, "center") for s in statuses] + [Column("میانگین دستیابی", 0.9, "center")]
    rows = []
    bars = []
    for axis in plan_axes:
        r = data.rollup([axis], year, thresholds, b.sel)
        rows.append([b.node_title(axis), fa(r.total)] + [fa(r.counts.get(s.value, 0)) for s in statuses]
                    + [b.status_cell(r.percent)])
        bars.append(Bar(f"{LABEL_AXIS} {fa(axis.get('full_code', ''))}: {axis.get('title', '')}", r.percent,
                        classify(r.percent, b.on_track, b.at_risk)))
    b.heading("وضعیت شاخص‌ها به تفکیک محور", 1)
    b.story.append(RTLTable(cols, rows))
    if bars:
        b.story.append(Spacer(1, 6))
        b.story.append(bar_chart(bars, CHART_WIDTH, "میانگین دستیابی شاخص‌ها به تفکیک محور"))
    for axis in plan_axes:
        goals = [g for g in data.children(axis) if b.sel.shown(g)]
        gbars = []
        for goal in goals:
            r = data.rollup([goal], year, thresholds, b.sel)
            gbars.append(Bar(f"{fa(goal.get('full_code', ''))} {goal.get('title', '')}", r.percent,
                             classify(r.percent, b.on_track, b.at_risk)))
        if gbars:
            b.check()
            b.story.append(Spacer(1, 10))
            b.story.append(bar_chart(gbars, CHART_WIDTH, f"اهداف کلان {b.node_title(axis)}"))
    b.story.append(PageBreakIfNotEmpty())


LABEL_AXIS = "محور"


def appendices(b: StoryBuilder) -> None:
    b.heading("پیوست‌ها", 0)
    b.heading("پیوست ۱: فهرست کدهای بودجه", 1)
    codes = sorted(b.doc.get("budget_codes", []), key=lambda c: (str(c.get("code", ""))))
    if codes:
        cols = [Column("کد", 0.8, "center"), Column("عنوان", 3.0), Column("سطح", 0.5, "center"),
                Column("کد بالادست", 0.8, "center")]
        rows = [[fa(c.get("code", "")), c.get("title", ""), fa(c.get("level", "")),
                 fa(c.get("parent") or "—")] for c in codes]
        b.story.append(RTLTable(cols, rows))
    else:
        b.para("کد بودجه‌ای ثبت نشده است.", MUTED_STYLE)
    b.heading("پیوست ۲: واحدهای مسئول", 1)
    units = b.doc.get("org_units", [])
    if units:
        cols = [Column("کد", 0.9, "center"), Column("نام واحد", 2.6), Column("نوع", 0.8, "center"),
                Column("واحد بالادست", 2.0)]
        rows = [[fa(u.get("code", "")), u.get("name", ""), ORG_UNIT_KIND_LABELS.get(u.get("kind", ""), ""),
                 b.unit_name(u.get("parent")) or "—"] for u in units]
        b.story.append(RTLTable(cols, rows))
    else:
        b.para("واحد مسئولی ثبت نشده است.", MUTED_STYLE)
    b.heading("پیوست ۳: درس‌آموخته‌ها", 1)
    lessons = data.lessons(b.plan, b.sel)
    if not lessons:
        b.para("درس‌آموخته‌ای ثبت نشده است.", MUTED_STYLE)
    for node, lesson in lessons:
        where = b.node_title(node) if node is not None else "کل برنامه"
        b.story.append(RTLParagraph(lesson.get("title", ""), CAPTION))
        meta = where
        if lesson.get("recorded_on"):
            meta += f" — {format_jalali(lesson['recorded_on'])}"
        source = lesson.get("source_municipality")
        if source:
            meta += f" — برگرفته از {source.get('name', '')}"
        b.para(meta, MUTED_STYLE)
        b.para(lesson.get("body", ""))
    b.check()


