"""Readiness: the seed's chain, checked before a plan may be submitted for review.

goal/strategy → outcome indicator (baseline, a target per plan year) → operational program →
responsible unit → project → output/result indicators with a target per program year → an
allocation on a budget code in each program year.  Errors block submission; warnings may be
accepted with a note.  Each finding names its node so the GUI can select it.

Weights: a node's weight is relative to its siblings' (docs/dump-format.md) and the roll-ups
(planner_core/rollups.py, progress.weighted_rollup) divide by the siblings' sum, so relative weights
such as 1–5 need not add up to anything.  Two cases are still wrong:
- siblings whose weights add up to zero: their parent's progress can never be rolled up (an error);
- weights written as percentages (one of them is PERCENT_LIKE or more) that do not add up to 100:
  the printed weights mislead the reader although the roll-up normalises them (a warning naming the sum).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import Allocation, Indicator, IndicatorTarget, PlanNode, StrategicPlan
from planner_core.checks import Finding, plan_findings
from planner_core.codes import full_codes
from planner_core.errors import NotFoundError
from planner_core.levels import LABELS
from planner_core.text import to_persian_digits as fa

PERCENT_LIKE = 10.0  # relative weights stay small (the sample uses 1–5); a sibling this heavy means percentages


def weight_findings(nodes: list[PlanNode], label: Callable[[PlanNode], str], plan_title: str) -> list[Finding]:
    """Siblings' weights: zero in total is an error; percentages not adding up to 100 a warning."""
    siblings: dict[int | None, list[PlanNode]] = defaultdict(list)
    for node in nodes:
        siblings[node.parent_id].append(node)
    by_id = {n.id: n for n in nodes}
    out: list[Finding] = []
    for parent_id, group in siblings.items():
        parent = by_id.get(parent_id or 0)
        where = f"زیرمجموعه‌های {label(parent)}" if parent is not None else f"محورهای برنامه «{plan_title}»"
        anchor = parent if parent is not None else group[0]
        total = sum(n.weight or 0.0 for n in group)
        if total <= 0:
            out.append(Finding("error", "readiness", f"وزن همه {where} صفر است؛ پیشرفت آن‌ها جمع‌بندی نمی‌شود.",
                               anchor.id, anchor.uuid))
        elif max(n.weight or 0.0 for n in group) >= PERCENT_LIKE and abs(total - 100) > 0.01:
            shown = fa(f"{total:g}").replace(".", "٫")
            out.append(Finding("warning", "readiness",
                               f"وزن‌های {where} درصدی به نظر می‌رسند ولی جمعشان {shown} است، نه ۱۰۰؛ "
                               "در جمع‌بندی پیشرفت، وزن‌ها نسبی حساب می‌شوند.", anchor.id, anchor.uuid))
    return out


def readiness_findings(session: Session, plan: StrategicPlan) -> list[Finding]:
    out: list[Finding] = [f for f in plan_findings(session, plan) if f.severity == "error"]
    nodes = session.scalars(select(PlanNode).where(PlanNode.plan_id == plan.id)
                            .order_by(PlanNode.sort_order, PlanNode.id)).all()
    by_id = {n.id: n for n in nodes}
    codes = full_codes(list(nodes))
    children: dict[int, list[PlanNode]] = defaultdict(list)
    for node in nodes:
        if node.parent_id is not None:
            children[node.parent_id].append(node)
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    for ind in session.scalars(select(Indicator).join(PlanNode, PlanNode.id == Indicator.node_id)
                               .where(PlanNode.plan_id == plan.id)):
        indicators[ind.node_id].append(ind)
    targets: dict[int, set[int]] = defaultdict(set)
    for indicator_id, year in session.execute(
            select(IndicatorTarget.indicator_id, IndicatorTarget.year)
            .join(Indicator, Indicator.id == IndicatorTarget.indicator_id)
            .join(PlanNode, PlanNode.id == Indicator.node_id).where(PlanNode.plan_id == plan.id)):
        targets[indicator_id].add(year)
    allocated: dict[int, set[int]] = defaultdict(set)
    for project_id, year in session.execute(
            select(Allocation.project_id, Allocation.year).join(PlanNode, PlanNode.id == Allocation.project_id)
            .where(PlanNode.plan_id == plan.id, Allocation.amount > 0)):
        allocated[project_id].add(year)
    plan_years = set(range(plan.first_year, plan.last_year + 1))

    def label(node: PlanNode) -> str:
        return f"{LABELS[node.kind]} {fa(codes.get(node.id, node.code))} «{node.title}»"

    def add(severity: str, node: PlanNode, message: str) -> None:
        out.append(Finding(severity, "readiness", message, node.id, node.uuid))

    def years(values: set[int]) -> str:
        return "، ".join(fa(y) for y in sorted(values))

    for node in nodes:
        own = indicators[node.id]
        if node.kind in ("goal", "strategy"):
            outcomes = [i for i in own if i.kind == "outcome"]
            if not outcomes:
                add("error", node, f"{label(node)} شاخص پیامدی ندارد.")
            for ind in outcomes:
                if ind.baseline_value is None:  # a baseline survey may still be under way: a warning
                    add("warning", node, f"شاخص پیامدی «{ind.title}» روی {label(node)} مقدار پایه ندارد.")
                missing = plan_years - targets[ind.id]
                if missing:
                    add("warning", node, f"شاخص پیامدی «{ind.title}» روی {label(node)} برای سال‌های "
                        f"{years(missing)} هدف ندارد.")
        if node.kind == "strategy" and not any(c.kind == "program" for c in children[node.id]):
            add("error", node, f"{label(node)} هیچ برنامه عملیاتی ندارد.")
        if node.kind in ("program", "project") and node.responsible_unit_id is None:
            add("error", node, f"{label(node)} واحد مسئول ندارد.")
        if node.kind == "project":
            program = by_id.get(node.parent_id or 0)
            if program is None or program.first_year is None or program.last_year is None:
                continue
            span = set(range(program.first_year, program.last_year + 1))
            measured = [i for i in own if i.kind in ("output", "result") and span <= targets[i.id]]
            if not measured:
                add("error", node, f"{label(node)} شاخص خروجی یا نتیجه‌ای با هدف برای هر سال برنامه‌اش "
                    f"({years(span)}) ندارد.")
            missing = span - allocated[node.id]
            if missing:
                add("error", node, f"{label(node)} در سال‌های {years(missing)} تخصیصی روی کد بودجه ندارد.")
    out.extend(weight_findings(list(nodes), label, plan.title))
    return out


def check_readiness(db: Database, plan_id: int) -> list[Finding]:
    with db.unit(write=False) as session:
        plan = session.get(StrategicPlan, plan_id)
        if plan is None:
            raise NotFoundError("برنامه راهبردی پیدا نشد؛ شاید حذف شده باشد.")
        return readiness_findings(session, plan)


def readiness_for_check(session: Session, plan: StrategicPlan) -> list[Finding]:
    """What `check` adds: a draft that is not yet ready is a warning (work in progress); a plan that is
    submitted or approved without being ready is an error."""
    findings = [f for f in readiness_findings(session, plan) if f.category == "readiness"]
    if plan.status == "draft":
        return [Finding("warning", f.category, f.message, f.node_id, f.node_uuid, f.year) for f in findings]
    return findings
