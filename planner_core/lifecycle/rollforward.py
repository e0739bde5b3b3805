"""Rolling forward: the next two-year operational programs from the current ones, and a new plan
period from an old plan's axes, goals and strategies.

Roll-forward copies each strategy's latest program (structure and indicators, with lineage), takes
targets from the indicators' later years where they exist (else the last target), leaves actuals
and reports empty, carries unfinished projects over with what remains of their budget and physical
progress, and leaves finished ones behind.  ``preview=True`` runs the same work and rolls it back,
so the preview lists exactly what applying makes.  ``progress(done, total, text)`` hears of each
strategy; ``cancelled()`` is asked before each one and once more after the last report (done ==
total) just before the commit, raising RollForwardCancelled inside the unit of work so nothing is
written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import (
    Allocation,
    AnnualBudget,
    BudgetLine,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    LessonLearned,
    PlanNode,
    ProgressReport,
    StrategicPlan,
    WorkflowStep,
    new_uuid,
)
from planner_core import audit, fields
from planner_core.backups import backup_before
from planner_core.errors import NotFoundError, RuleError, ValidationError
from planner_core.jalali import fiscal_year_bounds
from planner_core.lifecycle import revisions
from planner_core.plans import ensure_editable
from planner_core.text import to_persian_digits as fa

MILLION = 1_000_000


class RollForwardCancelled(Exception):
    """The user stopped a roll-forward; its unit of work was rolled back."""


class _Preview(Exception):
    """Raised inside the unit of work to roll a preview back."""


@dataclass
class RollResult:
    plan_id: int
    revision: int
    first_year: int
    last_year: int
    lines: list[str] = field(default_factory=list)  # what is (or would be) made, in Persian
    programs: int = 0
    carried: int = 0
    left_behind: int = 0
    new_revision: bool = False
    budgets_proposed: list[int] = field(default_factory=list)


def parse_years(text: str) -> tuple[int, int]:
    first, sep, last = str(text).replace("–", "-").partition("-")
    start = fields.year("years", first)
    end = fields.year("years", last) if sep else start
    assert start is not None and end is not None
    if end < start:
        raise ValidationError("years", "سال‌ها: سال پایان پیش از سال شروع است.")
    return start, end


def roll_forward(db: Database, plan_ref: str, years: str, *, preview: bool = False, by: str | None = None,
                 progress: Callable[[int, int, str], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> RollResult:
    first, last = parse_years(years)
    if last - first > 1:
        raise ValidationError("years", "سال‌ها: برنامه عملیاتی یک یا دو سال است (مثلاً ۱۴۰۵-۱۴۰۶).")
    if not preview:
        backup_before(db, "roll-forward")
    result: RollResult | None = None
    try:
        with db.unit() as session:
            result = _roll(session, plan_ref, first, last, by, progress or _silent, cancelled or _never)
            if preview:
                raise _Preview
    except _Preview:
        pass
    assert result is not None
    return result


def _silent(_done: int, _total: int, _text: str) -> None:
    return None


def _never() -> bool:
    return False


def _roll(session: Session, plan_ref: str, first: int, last: int, by: str | None,
          report: Callable[[int, int, str], None], cancelled: Callable[[], bool]) -> RollResult:
    plan = revisions.resolve(session, plan_ref, "open")
    new_revision = False
    if plan.status == "approved":
        plan = revisions.copy_plan(session, plan)  # an approved plan changes only through an amendment
        session.add(WorkflowStep(plan_id=plan.id, action="revise", from_status="", to_status="draft",
                                 by_user=by or audit.current_user(), at=audit_now(),
                                 note=f"پیش‌برد برنامه‌های عملیاتی به {fa(first)}–{fa(last)}"))
        new_revision = True
    ensure_editable(plan)
    if not plan.first_year <= first <= last <= plan.last_year:
        raise ValidationError("years", f"سال‌ها: {fa(first)}–{fa(last)} در دوره برنامه "
                              f"({fa(plan.first_year)}–{fa(plan.last_year)}) نیست.")
    result = RollResult(plan.id, plan.revision, first, last, new_revision=new_revision)
    if new_revision:
        result.lines.append(f"برنامه مصوب است؛ اصلاحیه (ویرایش {fa(plan.revision)}) ساخته می‌شود.")
    nodes = session.scalars(select(PlanNode).where(PlanNode.plan_id == plan.id)
                            .order_by(PlanNode.sort_order, PlanNode.id)).all()
    children: dict[int | None, list[PlanNode]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    new_years = list(range(first, last + 1))
    made: dict[int, int] = {}  # (year, budget code) ceilings are proposed from these allocations
    proposed: dict[tuple[int, int], int] = defaultdict(int)
    strategies = [n for n in nodes if n.kind == "strategy"]
    for done, strategy in enumerate(strategies):
        if cancelled():
            raise RollForwardCancelled
        report(done, len(strategies), f"راهبرد «{strategy.title}»")
        programs = [p for p in children[strategy.id] if p.kind == "program" and p.last_year is not None]
        if any(p.first_year is not None and p.first_year <= last and p.last_year >= first for p in programs):
            result.lines.append(f"راهبرد «{strategy.title}» برای {fa(first)}–{fa(last)} برنامه عملیاتی دارد؛ "
                                "چیزی ساخته نمی‌شود.")
            continue
        earlier = [p for p in programs if p.last_year < first]  # type: ignore[operator]
        if not earlier:
            continue
        source = max(earlier, key=lambda p: (p.last_year, p.sort_order))
        program = _copy_node(session, source, plan.id, strategy.id, len(children[strategy.id]))
        program.first_year, program.last_year = first, last
        program.code = str(len(children[strategy.id]) + 1)
        children[strategy.id].append(program)
        session.flush()
        made[source.id] = program.id
        _copy_indicators(session, source.id, program.id, new_years)
        result.programs += 1
        result.lines.append(f"برنامه عملیاتی «{program.title}» ({fa(first)}–{fa(last)}) زیر راهبرد "
                            f"«{strategy.title}»")
        position = 0
        for project in children[source.id]:
            progress = _last_progress(session, project.id)
            if project.state == "completed" or (progress is not None and progress >= 100):
                result.left_behind += 1
                result.lines.append(f"  — «{project.title}» پایان یافته و منتقل نمی‌شود.")
                continue
            copy = _copy_node(session, project, plan.id, program.id, position)
            position += 1
            copy.code = str(position)
            start, end = fiscal_year_bounds(first)[0], fiscal_year_bounds(last)[1]
            copy.start_date = max(project.start_date or start, start)
            copy.end_date = min(max(project.end_date or end, copy.start_date), end)
            copy.state = "in_progress" if progress else "planned"
            remaining_progress = 100 - (progress or 0)
            note = (f"ادامه از برنامه {fa(source.first_year)}–{fa(source.last_year)} با "
                    f"{fa(round(progress or 0))}٪ پیشرفت فیزیکی؛ {fa(round(remaining_progress))}٪ باقی مانده است.")
            copy.description = f"{project.description}\n{note}".strip()
            session.flush()
            _copy_indicators(session, project.id, copy.id, new_years)
            remaining, code_id = _remaining_budget(session, project.id)
            shares = _split(remaining, len(new_years))
            for year, amount in zip(new_years, shares, strict=True):
                if code_id is not None and amount > 0:
                    session.add(Allocation(uuid=new_uuid(), project_id=copy.id, year=year, budget_code_id=code_id,
                                           amount=amount, spent=0))
                    proposed[(year, code_id)] += amount
            result.carried += 1
            result.lines.append(f"  + «{copy.title}»: مانده اعتبار {fa(f'{remaining // MILLION:,}')} میلیون ریال، "
                                f"پیشرفت تا کنون {fa(round(progress or 0))}٪")
    session.flush()
    report(len(strategies), len(strategies), "ثبت در پرونده…")
    if cancelled():  # the last chance: after this report the caller refuses to cancel
        raise RollForwardCancelled
    result.budgets_proposed = _propose_budgets(session, proposed, result)
    audit.record(session, "roll-forward", "plan", plan.uuid, plan.title,
                 after={"years": [first, last], "programs": result.programs, "carried": result.carried})
    return result


def audit_now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC).replace(tzinfo=None)


def _copy_node(session: Session, node: PlanNode, plan_id: int, parent_id: int | None, order: int) -> PlanNode:
    copy = PlanNode(uuid=new_uuid(), plan_id=plan_id, parent_id=parent_id, kind=node.kind, code=node.code,
                    title=node.title, description=node.description, responsible_unit_id=node.responsible_unit_id,
                    sort_order=order, first_year=node.first_year, last_year=node.last_year,
                    start_date=node.start_date, end_date=node.end_date, location=node.location, weight=node.weight,
                    state="planned", lineage_uuid=node.uuid)
    session.add(copy)
    session.flush()
    return copy


def _copy_indicators(session: Session, old_id: int, new_id: int, years: list[int] | None) -> None:
    """Indicators with lineage; ``years``: targets for those years from the later years the indicator
    already has, else its last target.  None: no targets (a new period sets its own)."""
    for ind in session.scalars(select(Indicator).where(Indicator.node_id == old_id).order_by(Indicator.sort_order)):
        row = Indicator(uuid=new_uuid(), node_id=new_id, code=ind.code, title=ind.title, kind=ind.kind,
                        unit=ind.unit, direction=ind.direction, baseline_year=ind.baseline_year,
                        baseline_value=ind.baseline_value, definition=ind.definition, data_source=ind.data_source,
                        frequency=ind.frequency, weight=ind.weight, sort_order=ind.sort_order, lineage_uuid=ind.uuid)
        latest = session.execute(select(IndicatorActual.year, IndicatorActual.value)
                                 .where(IndicatorActual.indicator_id == ind.id, IndicatorActual.period == 0)
                                 .order_by(IndicatorActual.year.desc())).first()
        if latest is not None:  # the newest measured value is the next span's baseline
            row.baseline_year, row.baseline_value = latest
        session.add(row)
        session.flush()
        if years is None:
            continue
        targets = dict(session.execute(select(IndicatorTarget.year, IndicatorTarget.value)
                                       .where(IndicatorTarget.indicator_id == ind.id)).all())
        last_value = targets[max(targets)] if targets else None
        for year in years:
            value = targets.get(year, last_value)
            if value is not None:
                session.add(IndicatorTarget(indicator_id=row.id, year=year, value=value))


def _last_progress(session: Session, project_id: int) -> float | None:
    return session.scalar(select(ProgressReport.physical_progress).where(ProgressReport.project_id == project_id)
                          .order_by(ProgressReport.year.desc(), ProgressReport.quarter.desc()).limit(1))


def _remaining_budget(session: Session, project_id: int) -> tuple[int, int | None]:
    """What is left of the project's budget (allocated − spent), and the code it mostly came from.
    A project that spent all it had but is not finished carries its last year's amount as an estimate."""
    rows = session.execute(select(Allocation.year, Allocation.budget_code_id, Allocation.amount, Allocation.spent)
                           .where(Allocation.project_id == project_id)).all()
    if not rows:
        return 0, None
    by_code: dict[int, int] = defaultdict(int)
    for _year, code, amount, _spent in rows:
        by_code[code] += amount
    code_id = max(by_code, key=lambda c: by_code[c])
    remaining = sum(a for *_x, a, _s in rows) - sum(s for *_x, s in rows)
    if remaining <= 0:
        last_year = max(r[0] for r in rows)
        remaining = sum(r[2] for r in rows if r[0] == last_year)
    return remaining, code_id


def _split(amount: int, parts: int) -> list[int]:
    """Even shares rounded to a million rials; the last share takes the rest."""
    share = (amount // parts) // MILLION * MILLION
    return [share] * (parts - 1) + [amount - share * (parts - 1)]


def _propose_budgets(session: Session, proposed: dict[tuple[int, int], int], result: RollResult) -> list[int]:
    """A year without an annual budget gets a proposed one (ceilings = what the programs ask), so the
    budget chain can be checked; a year that has one is left alone and `check` shows any shortfall."""
    made = []
    for year in sorted({y for y, _c in proposed}):
        if session.scalar(select(func.count()).select_from(AnnualBudget).where(AnnualBudget.year == year)):
            continue
        budget = AnnualBudget(year=year, title=f"پیشنهاد بودجه {fa(year)} (از پیش‌برد برنامه‌های عملیاتی)")
        session.add(budget)
        session.flush()
        for (y, code_id), amount in sorted(proposed.items()):
            if y == year:
                session.add(BudgetLine(annual_budget_id=budget.id, budget_code_id=code_id, ceiling=amount))
        made.append(year)
        result.lines.append(f"بودجه سالانه {fa(year)} نبود؛ پیشنهاد آن با سقف برابر تخصیص‌ها ساخته شد.")
    return made


# --- a new plan period -----------------------------------------------------------------------

@dataclass
class NewPeriodResult:
    plan_id: int
    code: str
    nodes: int
    lessons: int


def new_period(db: Database, from_ref: str, code: str, years: str, *, title: str | None = None,
               by: str | None = None) -> NewPeriodResult:
    """A new plan period from an old plan's axes, goals and strategies (with lineage and outcome
    indicators, baselines from the latest actuals, no targets yet), with the old plan's lessons learned
    attached to the node they were about (or to its nearest copied ancestor)."""
    first, last = parse_years(years)
    backup_before(db, "new-period")
    with db.unit() as session:
        old = revisions.resolve(session, from_ref)
        new_code = fields.code("code", code)
        if session.scalars(select(StrategicPlan).where(StrategicPlan.code == new_code)).first():
            raise RuleError(f"برنامه‌ای با کد «{new_code}» در این فایل هست.")
        plan = StrategicPlan(code=new_code, title=fields.text("title", title or f"{old.title} — دوره "
                                                                                 f"{fa(first)}–{fa(last)}",
                                                                  required=True, max_length=300),
                             first_year=first, last_year=last, vision=old.vision, mission=old.mission,
                             status="draft", on_track_threshold=old.on_track_threshold,
                             at_risk_threshold=old.at_risk_threshold, lineage_uuid=old.uuid)
        session.add(plan)
        session.flush()
        nodes = session.scalars(select(PlanNode).where(PlanNode.plan_id == old.id)
                                .order_by(PlanNode.sort_order, PlanNode.id)).all()
        by_id = {n.id: n for n in nodes}
        copies: dict[int, int] = {}
        for node in sorted(nodes, key=lambda n: ("axis", "goal", "strategy").index(n.kind)
                           if n.kind in ("axis", "goal", "strategy") else 9):
            if node.kind not in ("axis", "goal", "strategy"):
                continue
            parent = copies.get(node.parent_id) if node.parent_id else None
            copy = _copy_node(session, node, plan.id, parent, node.sort_order)
            copies[node.id] = copy.id
            _copy_indicators(session, node.id, copy.id, None)

        def home(node_id: int | None) -> int | None:
            while node_id is not None and node_id not in copies:
                node_id = by_id[node_id].parent_id if node_id in by_id else None
            return copies.get(node_id) if node_id is not None else None

        lessons = 0
        for lesson in session.scalars(select(LessonLearned).where(LessonLearned.plan_id == old.id)):
            session.add(LessonLearned(plan_id=plan.id, node_id=home(lesson.node_id), title=lesson.title,
                                      body=lesson.body, recorded_on=lesson.recorded_on,
                                      source_municipality_id=lesson.source_municipality_id))
            lessons += 1
        session.add(WorkflowStep(plan_id=plan.id, action="create", from_status="", to_status="draft",
                                 by_user=by or audit.current_user(), at=audit_now(),
                                 note=f"دوره تازه از برنامه {old.code}"))
        audit.record(session, "new-period", "plan", plan.uuid, plan.title, after={"from": old.uuid})
        if not copies:
            raise NotFoundError(f"برنامه «{old.title}» محوری برای آغاز دوره تازه ندارد.")
        return NewPeriodResult(plan.id, plan.code, len(copies), lessons)
