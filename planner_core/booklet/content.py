"""The booklet's chapters as a list of flowables, from the plan document (dump dict).

Front matter (cover, approvals, contents, vision and mission), then the plan tree
(axis → macro goal → strategy → operational program → project) with indicator and budget
tables, then summaries and appendices (summary.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.utils import ImageReader
from reportlab.platypus import CondPageBreak, Image, KeepInFrame, PageBreak, Spacer
from reportlab.platypus.flowables import PageBreakIfNotEmpty

from planner_core.jalali import format_jalali
from planner_core.levels import INDICATOR_KIND_LABELS, LABELS, NODE_STATE_LABELS, PLAN_STATUS_LABELS
from planner_core.progress import STATUS_COLORS, STATUS_LABELS, Status, classify, indicator_achievement
from planner_core.text import MONEY_UNIT, format_money, format_number
from planner_core.text import to_persian_digits as fa

from . import data
from .document import RectoBreak, TocEntry, heading_style
from .flowables import (
    ACCENT,
    BODY,
    MUTED,
    NOT_SET,
    Cell,
    CenteredRule,
    Column,
    Heading,
    ListedFigure,
    RTLParagraph,
    RTLTable,
    Rule,
    StatusLegend,
    TableStyle,
    TextStyle,
    key_value_table,
)
from .fonts import BOLD
from .options import ApprovalsInfo
from .shaping import wrap as wrap_lines

NODE_LEVEL = {"axis": 0, "goal": 1, "strategy": 2, "program": 3}
COVER_TEXT_WIDTH = 595.0 - 2 * 18 * 2.835
STATUS_SHAPES = {Status.ON_TRACK: "circle", Status.AT_RISK: "triangle", Status.OFF_TRACK: "square"}
KEEP_WITH_HEADING = 110.0  # points that must stay free under a heading, or it starts a new page
PORTRAIT_YEAR_COLUMNS = 5  # more fiscal-year columns than this go on a landscape page
MONEY_ALIGN = "right"  # figures on a common right edge: units under units, totals too
MUTED_STYLE = TextStyle(size=9.0, leading=15.0, color=MUTED, space_after=3.0)
CAPTION = TextStyle(font=BOLD, size=9.5, leading=16.0, color=ACCENT, space_before=4.0, space_after=2.0)


def evidence_sentence(count: data.EvidenceCount) -> str:
    """«۳ پرونده: ۲ برای ۴ گزارش پیشرفت، ۱ برای مقادیر واقعی شاخص‌ها» (or that there is none)."""
    if not count.files:
        return f"بدون پرونده برای {fa(count.reports)} گزارش پیشرفت" if count.reports else "بدون پرونده"
    parts = []
    if count.report_files:
        parts.append(f"{fa(count.report_files)} برای {fa(count.reports)} گزارش پیشرفت")
    if count.actual_files:
        parts.append(f"{fa(count.actual_files)} برای مقادیر واقعی شاخص‌ها")
    return f"{fa(count.files)} پرونده: " + "، ".join(parts)


class StoryBuilder:
    """Collects flowables and table-of-contents entries; keys are unique per heading."""

    def __init__(self, doc: dict[str, Any], sel: data.Selection, options, check: Callable[[], None]) -> None:
        self.doc = doc
        self.sel = sel
        self.plan = sel.plan
        self.options = options
        self.check = check
        self.story: list = []
        self.toc: list[TocEntry] = []
        self.units = {u["code"]: u for u in doc.get("org_units", [])}
        self.budget_codes = {b["code"]: b for b in doc.get("budget_codes", [])}
        thresholds = self.plan.get("thresholds") or {}
        self.on_track = float(thresholds.get("on_track", 90))
        self.at_risk = float(thresholds.get("at_risk", 70))
        self._n = 0
        self.listed: list[TocEntry] = []  # tables and figures for their list

    # helpers --------------------------------------------------------------
    def make_heading(self, text: str, level: int, *, toc: bool = True) -> list:
        """A heading (listed in the contents and outline when ``toc``), preceded by a
        conditional page break so it never ends a page alone; what follows it may split."""
        self._n += 1
        key = f"h{self._n}"
        if toc:
            self.toc.append(TocEntry(level, text, key))
        return [CondPageBreak(KEEP_WITH_HEADING), Heading(text, heading_style(level), key, level if toc else None)]

    def listed_table(self, cols, body, caption: str, **kw) -> RTLTable:
        """A captioned table listed in «فهرست جدول‌ها و نمودارها»."""
        self._n += 1
        table = RTLTable(cols, body, caption=RTLParagraph(caption, CAPTION), **kw)
        table.list_key = f"t{self._n}"
        self.listed.append(TocEntry(1, f"جدول: {caption}", table.list_key))
        return table

    def listed_figure(self, drawing, title: str) -> ListedFigure:
        self._n += 1
        figure = ListedFigure(drawing, f"f{self._n}")
        self.listed.append(TocEntry(1, f"نمودار: {title}", figure.key))
        return figure

    def heading(self, text: str, level: int, *, toc: bool = True) -> None:
        self.story += self.make_heading(text, level, toc=toc)

    def para(self, text: str, style: TextStyle = BODY) -> None:
        if text and text.strip():
            self.story.append(RTLParagraph(text.strip(), style))

    def unit_name(self, code: str | None) -> str:
        if not code:
            return ""
        unit = self.units.get(code)
        return unit["name"] if unit else fa(code)

    def landscape(self, flowables: list) -> None:
        self.story += [PageBreakIfNotEmpty(nextTemplate="landscape"), *flowables,
                       PageBreakIfNotEmpty(nextTemplate="portrait")]

    # front matter ---------------------------------------------------------
    def cover(self, scope: str) -> None:
        """The cover, laid out from its content: the title's size follows its length, the rule
        sits under the title, and the whole block is shrunk to one page if it must be."""
        plan = self.plan
        center = TextStyle(align="center", size=12, leading=22, space_after=6)
        flow: list = [Spacer(1, 30)]
        logo = self.options.logo_path
        if logo:
            path = Path(logo)
            try:
                ImageReader(str(path)).getSize()  # read it now: Image() loads lazily, mid-layout
                img = Image(str(path), width=38 * 2.83, height=38 * 2.83, kind="proportional")
            except Exception as exc:  # PIL and ReportLab raise several kinds for unreadable images
                raise ValueError(f"پرونده نشان «{path.name}» خوانده نشد.") from exc
            img.hAlign = "CENTER"
            flow += [img, Spacer(1, 18)]
        else:
            flow.append(Spacer(1, 50))
        municipality = (self.doc.get("municipality") or {}).get("name", "")

        def para(text: str, style: TextStyle) -> None:
            if text and text.strip():
                flow.append(RTLParagraph(text.strip(), style))

        para(municipality, replace(center, font=BOLD, size=20, leading=32))
        flow.append(Spacer(1, 24))
        para(LABELS["plan"], replace(center, size=14, color=MUTED))
        title = plan.get("title", "")
        size = 28.0
        while size > 16 and len(wrap_lines(title, BOLD, size, COVER_TEXT_WIDTH)) > 3:
            size -= 2
        para(title, replace(center, font=BOLD, size=size, leading=size * 1.55, color=ACCENT))
        flow.append(CenteredRule(ACCENT, 80 * 2.835, 0.8, space=10))
        years = data.plan_years(plan)
        if years:
            para(f"دوره برنامه: {fa(years[0])}–{fa(years[-1])}", replace(center, size=14))
        if scope:
            flow.append(Spacer(1, 12))
            para(scope, replace(center, size=12, color=MUTED))
        flow.append(Spacer(1, 60))
        edition = self.options.edition_date or date.today()
        para(f"ویرایش: {format_jalali(edition)}", center)
        status = PLAN_STATUS_LABELS.get(plan.get("status", ""), "")
        if status:
            para(f"وضعیت: {status}", replace(center, color=MUTED))
        para(f"کد برنامه: {fa(plan.get('code', ''))}", replace(center, color=MUTED, size=10))
        self.story.append(KeepInFrame(0, 0, flow, mode="shrink"))
        # The back of the cover is blank on purpose; the approvals open on a recto (page 3).
        self.story += [PageBreak(nextTemplate="blank"), Spacer(1, 1), PageBreak(nextTemplate="portrait")]

    def approvals(self) -> None:
        """The council resolution and the signatures; dates are left for the signers to write
        (the print date is nobody's)."""
        info = self.options.approvals_info()
        self.heading("تأیید و امضا", 0)
        body = info.approved_by_body or "مرجع تصویب"
        if info.resolution_number or info.resolution_date:
            number = fa(info.resolution_number) if info.resolution_number else NOT_SET
            when = format_jalali(info.resolution_date) if info.resolution_date else NOT_SET
            self.para(f"این برنامه با مصوبه شماره {number} مورخ {when} {body} تصویب شده است.")
        else:
            self.para(f"شماره و تاریخ مصوبه {body} هنوز وارد نشده است.", MUTED_STYLE)
        self.story.append(key_value_table([("شماره مصوبه", fa(info.resolution_number)),
                                           ("تاریخ مصوبه", format_jalali(info.resolution_date)
                                            if info.resolution_date else ""),
                                           ("مرجع تصویب", info.approved_by_body)]))
        if info.fingerprint:
            from planner_core.lifecycle.documents import short_fingerprint

            groups = short_fingerprint(info.fingerprint)  # compared by eye with `main.py verify`
            self.para("اثر انگشت (SHA-256) این ویرایش مصوب، برای سنجش با فایل و بسته برنامه:", MUTED_STYLE)
            self.para(groups, MUTED_STYLE)
        self.para("این سند پس از تهیه، بررسی و تصویب در مراجع زیر امضا شده است.", MUTED_STYLE)
        rows = []
        for person in info.signatories or ApprovalsInfo.from_names().signatories:
            who = "، ".join(filter(None, (person.name, person.position)))
            rows.append([Cell(person.role, bold=True), Cell(who or "\n\n", blank_line=not who),
                         Cell("\n\n", blank_line=True), Cell("\n\n\n", blank_line=True)])
        cols = [Column("نقش", 0.8), Column("نام و سمت", 1.8), Column("تاریخ", 1.0, "center"),
                Column("امضا", 1.4)]
        style = TableStyle(size=10, leading=20, pad_y=8, zebra=None)
        self.story.append(RTLTable(cols, rows, style=style))
        self.story.append(PageBreakIfNotEmpty())

    def contents(self, toc_flowable, listed_flowable=None) -> None:
        self.story.append(RTLParagraph("فهرست مطالب", heading_style(0)))
        self.story.append(Rule(ACCENT, 1.0))
        self.story.append(toc_flowable)
        self.story.append(PageBreakIfNotEmpty())
        if listed_flowable is not None:
            self.story.append(RTLParagraph("فهرست جدول‌ها و نمودارها", heading_style(0)))
            self.story.append(Rule(ACCENT, 1.0))
            self.story.append(listed_flowable)
            self.story.append(PageBreakIfNotEmpty())

    def front_texts(self) -> None:
        """The preface and the mayor's message, each on its own pages, when the plan has them."""
        for key, title in (("preface", "پیشگفتار"), ("mayor_message", "پیام شهردار")):
            text = (self.plan.get(key) or "").strip()
            if text:
                self.heading(title, 0)
                self.para(text)
                self.story.append(PageBreakIfNotEmpty())

    def vision(self) -> None:
        plan = self.plan
        self.heading("چشم‌انداز و مأموریت", 0)
        if plan.get("vision"):
            self.heading("چشم‌انداز", 1)
            self.para(plan["vision"])
        if plan.get("mission"):
            self.heading("مأموریت", 1)
            self.para(plan["mission"])
        if not plan.get("vision") and not plan.get("mission"):
            self.para("چشم‌انداز و مأموریت این برنامه هنوز نوشته نشده است.", MUTED_STYLE)
        for key, title in (("values", "ارزش‌ها"), ("methodology", "روش تهیه برنامه")):
            if (plan.get(key) or "").strip():
                self.heading(title, 1)
                self.para(plan[key])
        self.heading("درباره این سند", 1)
        counts: dict[str, int] = {}
        for node, _ in data.walk(data.axes(plan)):
            if node["id"] in self.sel.full:
                counts[node["kind"]] = counts.get(node["kind"], 0) + 1
        years = data.plan_years(plan)
        pairs = [
            ("کد برنامه", fa(plan.get("code", ""))),
            ("دوره", f"{fa(years[0])}–{fa(years[-1])}" if years else ""),
            ("وضعیت", PLAN_STATUS_LABELS.get(plan.get("status", ""), "")),
            ("آستانه‌های وضعیت", f"در مسیر از {fa(int(self.on_track))}٪، در معرض خطر از {fa(int(self.at_risk))}٪"),
        ]
        for kind in ("axis", "goal", "strategy", "program", "project", "activity"):
            if counts.get(kind):
                pairs.append((f"تعداد {LABELS[kind]}", fa(counts[kind])))
        self.story.append(key_value_table(pairs))
        self.para("نشانه وضعیت هر شاخص، جدا از رنگ آن (برای چاپ سیاه‌وسفید):", MUTED_STYLE)
        self.story.append(self.status_legend())
        self.story.append(PageBreakIfNotEmpty())

    # the plan tree --------------------------------------------------------
    def tree(self) -> None:
        """Each axis starts a page: axis → macro goal → strategy → program → project."""
        if not data.axes(self.plan):
            self.heading("محورهای برنامه", 0)
            self.para("این برنامه هنوز محور، هدف یا برنامه عملیاتی ندارد؛ پس از افزودن آن‌ها در برنامه‌نگار، "
                      "دفترچه ساختار برنامه را نشان می‌دهد.", MUTED_STYLE)
            self.story.append(PageBreakIfNotEmpty())
        for axis in data.axes(self.plan):
            if not self.sel.shown(axis):
                continue
            self.story.append(RectoBreak())  # each axis opens on a recto (odd) page
            self.node(axis)
            self.check()
        self.story.append(PageBreakIfNotEmpty())

    def node_title(self, node: data.Node) -> str:
        code = fa(node.get("full_code") or node.get("code", ""))
        return f"{LABELS.get(node['kind'], '')} {code}: {node.get('title', '')}"

    def node(self, node: data.Node) -> None:
        kind = node.get("kind", "")
        full = node["id"] in self.sel.full
        if data.is_project(node):
            self.project(node)
            return
        level = NODE_LEVEL.get(kind, 3)
        self.heading(self.node_title(node), level)
        facts = [("کد", fa(node.get("full_code", ""))), ("واحد مسئول", self.unit_name(node.get("responsible_unit")))]
        if kind == "program" and node.get("first_year"):
            facts.append(("دوره اجرا", f"{fa(node['first_year'])}–{fa(node.get('last_year', node['first_year']))}"))
        if not full:
            facts.append(("نمایش", "فقط برای نشان‌دادن جایگاه"))
            self.story.append(key_value_table(facts))
        else:
            self.story.append(key_value_table(facts))
            self.para(node.get("description", ""))
            self.indicators(node, self.node_years(node))
            if kind == "program":
                self.program_budget(node)
                self.evaluation(node)
        self.check()
        for child in data.children(node):
            if self.sel.shown(child):
                self.node(child)

    def node_years(self, node: data.Node) -> list[int]:
        first, last = node.get("first_year"), node.get("last_year")
        if isinstance(first, int) and isinstance(last, int) and first <= last:
            years = [y for y in range(first, last + 1) if y in self.sel.years or not self.sel.years]
            if years:
                return years
        return list(self.sel.years)

    def project(self, node: data.Node) -> None:
        if node["id"] not in self.sel.full:
            return
        self.heading(self.node_title(node), 4, toc=False)
        reports = sorted(node.get("progress_reports", []), key=lambda r: (r.get("year", 0), r.get("quarter", 0)))
        if self.sel.year is not None:
            reports = [r for r in reports if r.get("year") == self.sel.year]
        last = reports[-1] if reports else None
        facts = [
            ("کد", fa(node.get("full_code", ""))),
            ("واحد مسئول", self.unit_name(node.get("responsible_unit"))),
            ("تاریخ شروع", format_jalali(node.get("start_date"))),
            ("تاریخ پایان", format_jalali(node.get("end_date"))),
            ("محل اجرا", node.get("location") or ""),
            ("وضعیت", NODE_STATE_LABELS.get(node.get("state", ""), "")),
        ]
        if last is not None and last.get("physical_progress") is not None:
            facts.append(("پیشرفت فیزیکی", f"{format_number(last['physical_progress'], 1)}٪ "
                                            f"(فصل {fa(last.get('quarter', ''))} {fa(last.get('year', ''))})"))
        evidence = data.evidence_count(node, self.sel.year)
        if evidence.reports or evidence.files:
            facts.append(("مستندات پیوست", evidence_sentence(evidence)))
        self.story.append(key_value_table(facts))
        self.para(node.get("description", ""))
        years = [y for y in self.sel.years] or sorted({a.get("year") for a in node.get("allocations", [])})
        self.indicators(node, self.project_years(node, years))

    def project_years(self, node: data.Node, years: list[int]) -> list[int]:
        wanted = set()
        for ind in node.get("indicators", []):
            wanted.update(t.get("year") for t in ind.get("targets", []))
        chosen = [y for y in years if y in wanted]
        return chosen or years[:PORTRAIT_YEAR_COLUMNS - 1]

    # tables ---------------------------------------------------------------
    def status_cell(self, percent: float | None) -> Cell:
        """Achievement with its status colour and shape (● ▲ ■), readable in black and white."""
        status = classify(percent, self.on_track, self.at_risk)
        if percent is None:
            return Cell("—", align="center")
        color = colors.HexColor(STATUS_COLORS[status])
        return Cell(f"{format_number(percent, 0)}٪", bold=True, align="center", color=color,
                    symbol=STATUS_SHAPES.get(status))

    def status_legend(self) -> StatusLegend:
        return StatusLegend([(STATUS_SHAPES[s], STATUS_LABELS[s], colors.HexColor(STATUS_COLORS[s]))
                             for s in (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK)])

    def indicators(self, node: data.Node, years: list[int]) -> None:
        inds = node.get("indicators") or []
        if not inds:
            return
        with_targets = [y for y in years if any(data.target_of(ind, y) is not None for ind in inds)]
        years = with_targets or years
        compact = len(years) > 4  # more year columns would squeeze the titles: one text cell
        cols = [Column("کد", 0.45, "center"), Column("عنوان شاخص", 2.6), Column("نوع", 0.75, "center"),
                Column("واحد سنجش", 1.1), Column("مقدار پایه", 0.8, "center")]
        if compact:
            cols.append(Column("هدف سالانه", 2.4))
        else:
            cols += [Column(f"هدف {fa(y)}", 0.75, "center") for y in years]
        cols += [Column("مقدار واقعی", 0.95, "center"), Column("پیشرفت", 0.75, "center")]
        rows = []
        for ind in inds:
            base = ind.get("baseline") or {}
            base_text = format_number(base.get("value"), 2) if base.get("value") is not None else "—"
            if base.get("year") and base.get("value") is not None:
                base_text += f" ({fa(base['year'])})"
            fig = data.indicator_figure(ind, self.sel.year)
            row: list = [fa(ind.get("code", "")), ind.get("title", ""),
                         INDICATOR_KIND_LABELS.get(ind.get("kind", ""), ""), ind.get("unit", ""), base_text]
            if compact:
                parts = [f"{fa(y)}: {format_number(v, 2)}" for y in years
                         if (v := data.target_of(ind, y)) is not None]
                row.append("، ".join(parts) or "—")
            else:
                for y in years:
                    v = data.target_of(ind, y)
                    row.append(format_number(v, 2) if v is not None else "—")
            if fig.actual is not None:
                actual = format_number(fig.actual, 2)
                if self.sel.year is None:
                    actual += f" ({fa(fig.year)})"
            else:
                actual = "—"
            row += [actual, self.status_cell(fig.achievement.percent if fig.achievement else None)]
            rows.append(row)
        self.story.append(RTLTable(cols, rows, caption=RTLParagraph("شاخص‌ها", CAPTION)))

    def evaluation(self, program: data.Node) -> None:
        """Year-end evaluation: each indicator of the program and its projects whose annual actual
        carries the planner's explanation (the note the evaluation view records)."""
        members = [program] + [p for p in data.children(program) if p["id"] in self.sel.full and data.is_project(p)]
        rows = []
        for node in members:
            for ind in node.get("indicators") or []:
                for actual in ind.get("actuals", []):
                    year, note = actual.get("year"), (actual.get("note") or "").strip()
                    if actual.get("period") != "annual" or not note or (self.sel.years and year not in self.sel.years):
                        continue
                    target = data.target_of(ind, year)
                    base = (ind.get("baseline") or {}).get("value")
                    achieved = indicator_achievement(ind.get("direction", "increase"), base, target,
                                                     actual.get("value")).percent
                    rows.append([fa(year), ind.get("title", ""),
                                 format_number(target, 2) if target is not None else "—",
                                 format_number(actual.get("value"), 2), self.status_cell(achieved), note])
        if not rows:
            return
        cols = [Column("سال", 0.5, "center"), Column("شاخص", 2.0), Column("هدف", 0.7, "center"),
                Column("واقعی", 0.7, "center"), Column("دستیابی", 0.7, "center"), Column("توضیح برنامه‌ریز", 3.0)]
        self.story.append(RTLTable(cols, rows, caption=RTLParagraph("ارزیابی پایان سال", CAPTION)))

    def program_budget(self, program: data.Node) -> None:
        projects = [p for p in data.children(program) if p["id"] in self.sel.full and data.is_project(p)]
        funded = {a.get("year") for p in projects for a in data.allocations(p, self.sel.years) if a.get("amount")}
        years = [y for y in self.node_years(program) if y in funded] or sorted(y for y in funded if y is not None)
        if not years:
            return
        rows: list[list] = []
        totals = {y: 0 for y in years}
        for project in projects:
            by_code: dict[str, dict[int, int]] = {}
            for a in data.allocations(project, years):
                by_code.setdefault(a.get("budget_code", ""), {})
                cell = by_code[a.get("budget_code", "")]
                cell[a["year"]] = cell.get(a["year"], 0) + int(a.get("amount") or 0)
            for i, (code, amounts) in enumerate(sorted(by_code.items())):
                label = f"{fa(project.get('full_code', ''))} {project.get('title', '')}" if i == 0 else ""
                row: list = [label, self.budget_code_label(code)]
                for y in years:
                    row.append(format_money(amounts[y]) if y in amounts else "—")
                    totals[y] += amounts.get(y, 0)
                row.append(Cell(format_money(sum(amounts.get(y, 0) for y in years)), bold=True))
                rows.append(row)
        if not rows:
            return
        total_row: list = [Cell("جمع برنامه", bold=True, span=2)]
        total_row += [format_money(totals[y]) for y in years] + [format_money(sum(totals.values()))]
        rows.append(total_row)
        cols = [Column("پروژه", 2.4), Column("کد بودجه", 1.5)]
        cols += [Column(fa(y), 1.0, MONEY_ALIGN) for y in years] + [Column("جمع", 1.1, MONEY_ALIGN)]
        header = [
            [Cell("پروژه", bold=True), Cell("کد بودجه", bold=True),
             Cell(f"اعتبار مصوب ({MONEY_UNIT})", bold=True, span=len(years) + 1, align="center")],
            [Cell("", merge_up=True), Cell("", merge_up=True)]
            + [Cell(f"سال {fa(y)}", bold=True) for y in years] + [Cell("جمع", bold=True)],
        ]
        caption = RTLParagraph(f"بودجه برنامه به تفکیک پروژه، سال و کد بودجه (ارقام به {MONEY_UNIT})", CAPTION)
        table = RTLTable(cols, rows, header=header, total_rows=[len(rows) - 1], caption=caption)
        if len(years) > PORTRAIT_YEAR_COLUMNS:
            self.landscape([table])
        else:
            self.story.append(table)

    def budget_code_label(self, code: str) -> str:
        info = self.budget_codes.get(code)
        return f"{fa(code)} {info['title']}" if info else fa(code)
