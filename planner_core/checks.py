"""`check`: file integrity, plan rules and the budget chain, as Persian findings.

Each finding names the node it is about (``node_id``/``node_uuid``) so the GUI can jump to it.
Errors make `check` exit 1; warnings are reported but are not failures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, aliased

from db.engine import Database
from db.models import (
    Allocation,
    AnnualBudget,
    BudgetAmendment,
    BudgetCode,
    BudgetLine,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    PlanNode,
    ProgressReport,
    StrategicPlan,
)
from planner_core import scope
from planner_core.codes import full_codes
from planner_core.jalali import fiscal_year_bounds
from planner_core.levels import ALLOWED_INDICATOR_KINDS, CHILD_KINDS, INDICATOR_KIND_LABELS, LABELS
from planner_core.text import fold, format_money
from planner_core.text import to_persian_digits as fa


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" | "warning"
    category: str  # "integrity" | "plan" | "indicator" | "budget"
    message: str
    node_id: int | None = None
    node_uuid: str | None = None
    year: int | None = None

    @property
    def severity_label(self) -> str:
        return "خطا" if self.severity == "error" else "هشدار"


def run_checks(db: Database, plan_id: int | None = None, year: int | None = None) -> list[Finding]:
    """Every finding for the file (or one plan, or one fiscal year of the budget checks)."""
    with db.unit(write=False) as session:
        findings = integrity_findings(session)
        plans = session.scalars(select(StrategicPlan).order_by(StrategicPlan.id)).all()
        for plan in plans:
            if plan_id is not None and plan.id != plan_id:
                continue
            findings += plan_findings(session, plan)
            findings += _readiness(session, plan)
            findings += budget_findings(session, plan, year)
            findings += consistency_findings(session, plan)
        findings += amendment_findings(session)
        for municipality_id in scope.municipalities_with_budgets(session):
            findings += ceiling_findings(session, year, municipality_id)
        return findings


def _readiness(session: Session, plan: StrategicPlan) -> list[Finding]:
    # The life cycle's readiness chain (planner_core.lifecycle.readiness builds on this module).
    from planner_core.lifecycle.readiness import readiness_for_check

    return readiness_for_check(session, plan)


def budget_check(db: Database, plan_id: int, year: int | None = None) -> list[Finding]:
    """Only the budget chain's findings (what the budget views show), without the file-wide
    integrity scan that ``run_checks`` starts with."""
    with db.unit(write=False) as session:
        plan = session.get(StrategicPlan, plan_id)
        if plan is None:
            return []
        return budget_findings(session, plan, year) + ceiling_findings(
            session, year, scope.plan_municipality_id(session, plan.id))


def integrity_findings(session: Session) -> list[Finding]:
    if session.get_bind().dialect.name != "sqlite":
        return []
    out = []
    result = session.execute(text("PRAGMA integrity_check")).scalars().all()
    if result != ["ok"]:
        out.append(Finding("error", "integrity", "بررسی یکپارچگی فایل خطا داد: " + "؛ ".join(result[:5])))
    broken = session.execute(text("PRAGMA foreign_key_check")).all()
    if broken:
        out.append(Finding("error", "integrity", f"{fa(len(broken))} ردیف به ردیفی اشاره می‌کند که وجود ندارد."))
    return out


def _label(node: PlanNode, codes: dict[int, str]) -> str:
    return f"{LABELS[node.kind]} {fa(codes.get(node.id, node.code))} «{node.title}»"


def plan_findings(session: Session, plan: StrategicPlan) -> list[Finding]:
    out: list[Finding] = []
    nodes = session.scalars(select(PlanNode).where(PlanNode.plan_id == plan.id)).all()
    by_id = {n.id: n for n in nodes}
    codes = full_codes(list(nodes))
    children: dict[int | None, list[PlanNode]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)

    def add(message: str, node: PlanNode | None = None, severity: str = "error", category: str = "plan") -> None:
        out.append(Finding(severity, category, message, node.id if node else None, node.uuid if node else None))

    if not children[None]:
        add(f"برنامه «{plan.title}» هنوز هیچ محوری ندارد.", severity="warning")
    for parent_id, siblings in children.items():
        seen: dict[str, PlanNode] = {}
        parent_kind = by_id[parent_id].kind if parent_id in by_id else None
        for node in siblings:
            if node.kind not in CHILD_KINDS[parent_kind]:
                add(f"{_label(node, codes)} در سطح نادرست قرار دارد.", node)
            key = fold(node.code)
            if key in seen:
                add(f"کد {fa(node.code)} دو بار در یک سطح آمده است: «{seen[key].title}» و «{node.title}».", node)
            seen[key] = node
    for node in nodes:
        if node.kind in ("goal", "strategy", "program") and not children[node.id]:
            below = {"goal": "راهبرد", "strategy": "برنامه عملیاتی", "program": "پروژه یا فعالیت"}[node.kind]
            add(f"{_label(node, codes)} هیچ {below}ی ندارد؛ هر هدف کلان باید به پروژه‌های مشخص برسد.",
                node, "warning")
        if node.kind == "program":
            if node.first_year is None or node.last_year is None:
                add(f"{_label(node, codes)} سال شروع و پایان ندارد.", node)
                continue
            if node.first_year < plan.first_year or node.last_year > plan.last_year:
                add(f"سال‌های {_label(node, codes)} ({fa(node.first_year)}–{fa(node.last_year)}) "
                    f"بیرون از سال‌های برنامه راهبردی ({fa(plan.first_year)}–{fa(plan.last_year)}) است.", node)
            if node.last_year < node.first_year or node.last_year - node.first_year > 1:
                add(f"{_label(node, codes)} باید یک یا دو سال متوالی باشد.", node)
        if node.kind in ("project", "activity"):
            program = by_id.get(node.parent_id) if node.parent_id else None
            if node.start_date and node.end_date and node.end_date < node.start_date:
                add(f"تاریخ پایان {_label(node, codes)} پیش از تاریخ شروع آن است.", node)
            if program is not None and program.first_year and program.last_year:
                first = fiscal_year_bounds(program.first_year)[0]
                last = fiscal_year_bounds(program.last_year)[1]
                for value, name in ((node.start_date, "شروع"), (node.end_date, "پایان")):
                    if value and not first <= value <= last:
                        add(f"تاریخ {name} {_label(node, codes)} بیرون از سال‌های برنامه عملیاتی آن است.", node)
    indicators = session.execute(select(Indicator, PlanNode).join(PlanNode, PlanNode.id == Indicator.node_id)
                                 .where(PlanNode.plan_id == plan.id)).all()
    seen_codes: dict[tuple[int, str], str] = {}
    for indicator, node in indicators:
        if indicator.kind not in ALLOWED_INDICATOR_KINDS[node.kind]:
            add(f"شاخص «{indicator.title}» از نوع {INDICATOR_KIND_LABELS[indicator.kind]} روی "
                f"{_label(node, codes)} مجاز نیست.", node, category="indicator")
        key = (node.id, fold(indicator.code))
        if key in seen_codes:
            add(f"کد شاخص {fa(indicator.code)} روی {_label(node, codes)} تکراری است.", node, category="indicator")
        seen_codes[key] = indicator.title
    return out


def effective_ceilings(session: Session, year: int | None = None,
                       municipality_id: int | None = None) -> dict[tuple[int, int], int]:
    """(year, budget_code_id) → approved ceiling plus every amendment's delta, in one municipality's
    budgets (default: the file's own)."""
    deltas = select(BudgetAmendment.budget_line_id, func.sum(BudgetAmendment.delta).label("delta")) \
        .group_by(BudgetAmendment.budget_line_id).subquery()
    query = select(AnnualBudget.year, BudgetLine.budget_code_id,
                   BudgetLine.ceiling + func.coalesce(deltas.c.delta, 0)) \
        .join(AnnualBudget, AnnualBudget.id == BudgetLine.annual_budget_id) \
        .outerjoin(deltas, deltas.c.budget_line_id == BudgetLine.id) \
        .where(scope.budgets_of(session, municipality_id))
    if year is not None:
        query = query.where(AnnualBudget.year == year)
    return {(y, code): int(total) for y, code, total in session.execute(query)}


def ceiling_findings(session: Session, year: int | None = None, municipality_id: int | None = None) -> list[Finding]:
    """Per budget code and year, within one municipality's budgets and plans (default: the file's own):
    allocated above the ceiling, a ceiling with nothing allocated."""
    out: list[Finding] = []
    ceilings = effective_ceilings(session, year, municipality_id)
    codes = {c.id: c for c in session.scalars(select(BudgetCode))}
    from planner_core.plans import counted_plan_ids

    planned_q = select(Allocation.year, Allocation.budget_code_id, func.sum(Allocation.amount)) \
        .where(scope.allocations_of(session, municipality_id)) \
        .join(PlanNode, PlanNode.id == Allocation.project_id) \
        .where(PlanNode.plan_id.in_(counted_plan_ids(session))) \
        .group_by(Allocation.year, Allocation.budget_code_id)
    if year is not None:
        planned_q = planned_q.where(Allocation.year == year)
    planned = {(y, c): int(total) for y, c, total in session.execute(planned_q)}
    for (y, code_id), total in sorted(planned.items()):
        code = codes[code_id]
        ceiling = ceilings.get((y, code_id))
        if ceiling is None:
            out.append(Finding("error", "budget", f"سال {fa(y)}: کد بودجه {fa(code.code)} «{code.title}» "
                               "در بودجه سالانه سقفی ندارد اما به پروژه‌ها تخصیص داده شده است.", year=y))
        elif total > ceiling:
            out.append(Finding("error", "budget", f"سال {fa(y)}: جمع تخصیص‌های کد بودجه {fa(code.code)} "
                               f"«{code.title}» ({format_money(total)} میلیون ریال) از سقف آن "
                               f"({format_money(ceiling)} میلیون ریال) بیشتر است.", year=y))
    for (y, code_id), ceiling in sorted(ceilings.items()):
        if ceiling > 0 and (y, code_id) not in planned:
            code = codes[code_id]
            out.append(Finding("warning", "budget", f"سال {fa(y)}: کد بودجه {fa(code.code)} «{code.title}» "
                               "سقف اعتبار دارد اما هیچ پروژه‌ای از آن تخصیص نگرفته است.", year=y))
    # Totals: a parent code's ceiling must cover the ceilings of its children in the same year.
    child_sums: dict[tuple[int, int], int] = defaultdict(int)
    for (y, code_id), ceiling in ceilings.items():
        parent_id = codes[code_id].parent_id
        if parent_id is not None and (y, parent_id) in ceilings:
            child_sums[(y, parent_id)] += ceiling
    for (y, parent_id), total in sorted(child_sums.items()):
        if total > ceilings[(y, parent_id)]:
            code = codes[parent_id]
            out.append(Finding("error", "budget", f"سال {fa(y)}: جمع سقف زیرکدهای {fa(code.code)} «{code.title}» "
                               f"({format_money(total)}) از سقف خود آن ({format_money(ceilings[(y, parent_id)])} "
                               "میلیون ریال) بیشتر است.", year=y))
    return out


def budget_findings(session: Session, plan: StrategicPlan, year: int | None = None) -> list[Finding]:
    """The chain program → project → allocation → annual budget, for one plan."""
    out: list[Finding] = []
    program = aliased(PlanNode)
    projects = session.execute(
        select(PlanNode, program.first_year, program.last_year)
        .join(program, program.id == PlanNode.parent_id)
        .where(PlanNode.plan_id == plan.id, PlanNode.kind.in_(("project", "activity")))).all()
    nodes = session.scalars(select(PlanNode).where(PlanNode.plan_id == plan.id)).all()
    by_id = {n.id: n for n in nodes}
    codes = full_codes(list(nodes))
    allocated_years: dict[int, set[int]] = defaultdict(set)
    for project_id, alloc_year, amount, spent in session.execute(
            select(Allocation.project_id, Allocation.year, Allocation.amount, Allocation.spent)
            .join(PlanNode, PlanNode.id == Allocation.project_id).where(PlanNode.plan_id == plan.id)):
        allocated_years[project_id].add(alloc_year)
        if spent > amount and (year is None or alloc_year == year):
            node = by_id[project_id]
            out.append(Finding("error", "budget", f"سال {fa(alloc_year)}: هزینه‌شده {_label(node, codes)} "
                               "از مبلغ تخصیص آن بیشتر است.", node.id, node.uuid, alloc_year))
    budget_years = set(session.scalars(select(AnnualBudget.year).where(
        scope.budgets_of(session, scope.plan_municipality_id(session, plan.id)))))
    for node, first, last in projects:
        if first is None or last is None:
            continue
        span = set(range(first, last + 1))
        for missing in sorted(span - allocated_years[node.id]):
            if year is None or missing == year:
                out.append(Finding("error", "budget", f"سال {fa(missing)}: {_label(node, codes)} "
                                   "در این سال برنامه‌اش هیچ تخصیص بودجه‌ای ندارد.", node.id, node.uuid, missing))
        for outside in sorted(allocated_years[node.id] - span):
            if year is None or outside == year:
                out.append(Finding("error", "budget", f"سال {fa(outside)}: {_label(node, codes)} در سالی "
                                   "بیرون از دو سال برنامه عملیاتی‌اش تخصیص دارد.", node.id, node.uuid, outside))
    for node in nodes:
        if node.kind == "program" and node.first_year and node.last_year:
            for fiscal_year in range(node.first_year, node.last_year + 1):
                if fiscal_year not in budget_years and (year is None or fiscal_year == year):
                    out.append(Finding("error", "budget", f"سال {fa(fiscal_year)} از {_label(node, codes)} "
                                       "بودجه سالانه ثبت‌شده‌ای ندارد.", node.id, node.uuid, fiscal_year))
    return out


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


# The rules the sample plan's generator used to assert on its own: now every file gets them.

def consistency_findings(session: Session, plan: StrategicPlan) -> list[Finding]:
    """Monitoring and indicator data that contradict themselves: progress going backwards, a completed
    project not at 100%, reports on a project not yet started, reports in the future, spending reported
    above what was spent from its allocations, targets running against the indicator's direction,
    quarterly actuals on an indicator that is not reported quarterly, allocations on a code with sub-codes."""
    out: list[Finding] = []
    nodes = session.scalars(select(PlanNode).where(PlanNode.plan_id == plan.id)).all()
    by_id = {n.id: n for n in nodes}
    codes = full_codes(list(nodes))
    today = date.today()

    def add(message: str, node: PlanNode, severity: str = "warning", category: str = "plan") -> None:
        out.append(Finding(severity, category, message, node.id, node.uuid))

    reports: dict[int, list[ProgressReport]] = defaultdict(list)
    for report in session.scalars(select(ProgressReport).join(PlanNode, PlanNode.id == ProgressReport.project_id)
                                  .where(PlanNode.plan_id == plan.id)
                                  .order_by(ProgressReport.year, ProgressReport.quarter)):
        reports[report.project_id].append(report)
    spent: dict[tuple[int, int], int] = defaultdict(int)
    parents = set(session.scalars(select(BudgetCode.parent_id).where(BudgetCode.parent_id.is_not(None))))
    for allocation in session.scalars(select(Allocation).join(PlanNode, PlanNode.id == Allocation.project_id)
                                      .where(PlanNode.plan_id == plan.id)):
        spent[(allocation.project_id, allocation.year)] += allocation.spent
        if allocation.budget_code_id in parents:
            node = by_id[allocation.project_id]
            add(f"سال {fa(allocation.year)}: {_label(node, codes)} از کد بودجه‌ای تخصیص گرفته که زیرکد دارد؛ "
                "تخصیص باید از کدهای پایانی باشد.", node, "error", "budget")
    for node in nodes:
        if node.kind not in ("project", "activity"):
            continue
        rows = reports.get(node.id, [])
        previous = None
        for report in rows:
            when = f"فصل {fa(report.quarter)} سال {fa(report.year)}"
            if previous is not None and report.physical_progress < previous.physical_progress:
                add(f"پیشرفت فیزیکی {_label(node, codes)} در {when} از گزارش پیش از آن کمتر است.", node)
            if report.reported_on and report.reported_on > today:
                add(f"تاریخ گزارش {when} {_label(node, codes)} در آینده است.", node)
            if report.spent > spent[(node.id, report.year)]:
                add(f"هزینه گزارش {when} {_label(node, codes)} از هزینه‌شده تخصیص‌های آن سال بیشتر است.",
                    node, category="budget")
            previous = report
        if node.state == "completed" and (not rows or rows[-1].physical_progress < 100):
            add(f"{_label(node, codes)} «پایان‌یافته» است اما آخرین گزارش پیشرفتش به ۱۰۰٪ نرسیده است.", node)
        if node.state == "planned" and any(r.physical_progress > 0 for r in rows):
            add(f"{_label(node, codes)} هنوز «برنامه‌ریزی‌شده» است اما گزارش پیشرفت دارد.", node)

    indicators = session.execute(select(Indicator, PlanNode).join(PlanNode, PlanNode.id == Indicator.node_id)
                                 .where(PlanNode.plan_id == plan.id)).all()
    ids = [i.id for i, _n in indicators]
    targets: dict[int, list[IndicatorTarget]] = defaultdict(list)
    quarterly: set[int] = set()
    for chunk in (ids[i:i + 900] for i in range(0, len(ids), 900)):
        for target in session.scalars(select(IndicatorTarget).where(IndicatorTarget.indicator_id.in_(chunk))
                                      .order_by(IndicatorTarget.year)):
            targets[target.indicator_id].append(target)
        quarterly.update(session.scalars(select(IndicatorActual.indicator_id).where(
            IndicatorActual.indicator_id.in_(chunk), IndicatorActual.period > 0)))
    for indicator, node in indicators:
        sign = 1 if indicator.direction == "increase" else -1
        series = targets.get(indicator.id, [])
        for before, after in pairwise(series):
            if sign * (after.value - before.value) < 0:
                add(f"هدف سال {fa(after.year)} شاخص «{indicator.title}» روی {_label(node, codes)} خلاف جهت مطلوب "
                    f"آن از هدف سال {fa(before.year)} {'کمتر' if sign > 0 else 'بیشتر'} است.", node,
                    category="indicator")
                break
        if indicator.id in quarterly and indicator.frequency != "quarterly":
            add(f"شاخص «{indicator.title}» روی {_label(node, codes)} فصلی گزارش نمی‌شود اما مقدار واقعی فصلی دارد.",
                node, category="indicator")
    return out


def amendment_findings(session: Session) -> list[Finding]:
    """An amendment dated outside the fiscal year of the budget it changes."""
    out: list[Finding] = []
    rows = session.execute(select(BudgetAmendment, AnnualBudget.year, BudgetCode.code)
                           .join(BudgetLine, BudgetLine.id == BudgetAmendment.budget_line_id)
                           .join(AnnualBudget, AnnualBudget.id == BudgetLine.annual_budget_id)
                           .join(BudgetCode, BudgetCode.id == BudgetLine.budget_code_id))
    for amendment, year, code in rows:
        first, last = fiscal_year_bounds(year)
        if not first <= amendment.date <= last:
            out.append(Finding("warning", "budget", f"سال {fa(year)}: تاریخ اصلاحیه کد بودجه {fa(code)} بیرون از "
                               "همان سال مالی است.", year=year))
    return out
