"""The review and approval workflow of a plan revision.

draft → submitted (readiness errors block it; warnings need a note) → approved (the council's
resolution number and date, the signatories, the fingerprint) → archived; a submitted revision may
be returned to draft with reviewers' comments on nodes; ``revise`` opens an amendment: a new draft
revision copied from the approved one, which stays as it was.  Every step records who, when and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import (
    ApprovalRecord as ApprovalRow,
)
from db.models import (
    ApprovalSignatory,
    PlanNode,
    ReviewComment,
    StrategicPlan,
    WorkflowStep,
)
from planner_core import audit, fields
from planner_core.errors import NotFoundError, RuleError, ValidationError
from planner_core.levels import PLAN_STATUS_LABELS
from planner_core.lifecycle import documents, revisions, snapshots
from planner_core.lifecycle.readiness import readiness_findings
from planner_core.text import to_persian_digits as fa

ACTIONS = ("submit", "return", "approve", "archive", "revise")
ACTION_LABELS = {"create": "ایجاد", "submit": "ارسال برای بررسی", "return": "بازگشت برای اصلاح",
                 "approve": "تصویب", "archive": "بایگانی", "revise": "شروع اصلاحیه", "accept": "پذیرش هشدارها"}
# action → (statuses it starts from, status it leads to)
TRANSITIONS = {"submit": (("draft",), "submitted"), "return": (("submitted",), "draft"),
               "approve": (("submitted",), "approved"), "archive": (("approved",), "archived"),
               "revise": (("approved",), "approved")}


@dataclass(frozen=True)
class Step:
    id: int
    action: str
    from_status: str
    to_status: str
    by: str
    at: datetime
    note: str

    @property
    def label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


@dataclass(frozen=True)
class ApprovalRecord:
    """What the booklet prints on its approvals page."""

    plan_id: int
    resolution_no: str
    resolution_date: date | None
    signatories: list[tuple[str, str]]  # (name, role)
    approved_at: datetime
    approved_by: str
    fingerprint: str
    note: str = ""


@dataclass(frozen=True)
class Comment:
    id: int
    uuid: str
    node_id: int | None
    node_uuid: str | None
    author: str
    at: datetime
    body: str
    resolved: bool


@dataclass(frozen=True)
class StepResult:
    plan_id: int
    status: str
    revision: int
    warnings: list[str] = field(default_factory=list)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _load(session: Session, plan_id: int) -> StrategicPlan:
    plan = session.get(StrategicPlan, plan_id)
    if plan is None:
        raise NotFoundError("برنامه راهبردی پیدا نشد؛ شاید حذف شده باشد.")
    return plan


def _check_step(plan: StrategicPlan, action: str) -> None:
    starts, _ = TRANSITIONS[action]
    if plan.status not in starts:
        allowed = "، ".join(PLAN_STATUS_LABELS[s] for s in starts)
        raise RuleError(f"«{ACTION_LABELS[action]}» برای برنامه «{plan.title}» در وضعیت "
                        f"«{PLAN_STATUS_LABELS[plan.status]}» ممکن نیست؛ فقط از وضعیت {allowed}.")


def _record(session: Session, plan: StrategicPlan, action: str, from_status: str, by: str | None,
            note: str) -> WorkflowStep:
    step = WorkflowStep(plan_id=plan.id, action=action, from_status=from_status, to_status=plan.status,
                        by_user=fields.text("by", by or audit.current_user(), max_length=100), at=_now(),
                        note=fields.text("note", note, max_length=20_000))
    session.add(step)
    session.flush()
    audit.record(session, action, "plan", plan.uuid, plan.title, before={"status": from_status},
                 after={"status": plan.status, "note": step.note})
    return step


def submit(db: Database, plan_id: int, *, by: str | None = None, note: str = "") -> StepResult:
    """Send a draft for review.  Readiness errors refuse it; warnings are accepted only with a note."""
    with db.unit() as session:
        plan = _load(session, plan_id)
        _check_step(plan, "submit")
        findings = readiness_findings(session, plan)
        errors = [f for f in findings if f.severity == "error"]
        if errors:
            raise RuleError(f"برنامه «{plan.title}» آماده ارسال نیست: {fa(len(errors))} خطای آمادگی؛ "
                            f"نخستین: {errors[0].message}")
        warnings = [f.message for f in findings if f.severity == "warning"]
        if warnings and not fields.text("note", note):
            raise RuleError(f"برنامه «{plan.title}» {fa(len(warnings))} هشدار آمادگی دارد؛ برای پذیرش آن‌ها "
                            "یادداشتی بنویسید.")
        before = plan.status
        plan.status = "submitted"
        session.flush()
        _record(session, plan, "submit", before, by, note)
        snapshots.take(session, plan, "proposal", by=by)
        return StepResult(plan.id, plan.status, plan.revision, warnings)


def return_for_revision(db: Database, plan_id: int, *, by: str | None = None, note: str = "",
                        comments: list[tuple[int | None, str]] | None = None) -> StepResult:
    """Send a submitted revision back to draft, with the reviewer's comments on nodes (node id or None)."""
    with db.unit() as session:
        plan = _load(session, plan_id)
        _check_step(plan, "return")
        if not fields.text("note", note) and not comments:
            raise ValidationError("note", "یادداشت: بگویید چرا برنامه برای اصلاح برمی‌گردد.")
        before = plan.status
        plan.status = "draft"
        session.flush()
        step = _record(session, plan, "return", before, by, note)
        for node_id, body in comments or []:
            if node_id is not None:
                node = session.get(PlanNode, node_id)
                if node is None or node.plan_id != plan.id:
                    raise NotFoundError("گره‌ای که نظر به آن داده شد در این برنامه نیست.")
            session.add(ReviewComment(plan_id=plan.id, node_id=node_id, step_id=step.id, author=step.by_user,
                                      at=step.at, body=fields.text("comment", body, required=True,
                                                                   max_length=20_000)))
        return StepResult(plan.id, plan.status, plan.revision)


def approve(db: Database, plan_id: int, *, resolution_no: str, resolution_date: object,
            signatories: list[tuple[str, str]] | None = None, by: str | None = None,
            note: str = "") -> StepResult:
    """The council approved the submitted revision: record its resolution and fingerprint it."""
    with db.unit() as session:
        plan = _load(session, plan_id)
        _check_step(plan, "approve")
        number = fields.text("resolution_no", resolution_no, max_length=100)
        if not number:
            raise ValidationError("resolution_no", "شماره مصوبه: شماره مصوبه شورا را وارد کنید.")
        when = fields.a_date("resolution_date", resolution_date, required=True)
        people = [(fields.text("name", n, required=True, max_length=200), fields.text("role", r, max_length=200))
                  for n, r in signatories or [] if str(n).strip()]
        before = plan.status
        plan.status = "approved"
        session.flush()
        step = _record(session, plan, "approve", before, by, note)
        entry = documents.plan_entry_in_session(session, plan)
        record = ApprovalRow(plan_id=plan.id, resolution_no=number, resolution_date=when, approved_at=step.at,
                             approved_by=step.by_user, fingerprint=documents.fingerprint(entry), note=step.note)
        session.add(record)
        session.flush()
        for order, (name, role) in enumerate(people):
            session.add(ApprovalSignatory(approval_id=record.id, name=name, role=role, sort_order=order))
        snapshots.take(session, plan, "amendment" if plan.supersedes_id else "approved", by=by)
        return StepResult(plan.id, plan.status, plan.revision)


def archive(db: Database, plan_id: int, *, by: str | None = None, note: str = "") -> StepResult:
    with db.unit() as session:
        plan = _load(session, plan_id)
        _check_step(plan, "archive")
        before = plan.status
        plan.status = "archived"
        session.flush()
        _record(session, plan, "archive", before, by, note)
        return StepResult(plan.id, plan.status, plan.revision)


def revise(db: Database, plan_id: int, *, by: str | None = None, note: str = "") -> StepResult:
    """Start an amendment: a new draft revision, a deep copy (with lineage) of the approved one."""
    with db.unit() as session:
        plan = _load(session, plan_id)
        _check_step(plan, "revise")
        later = [p for p in revisions.family(session, plan.code) if p.revision > plan.revision]
        if later:
            open_ = later[-1]
            raise RuleError(f"برنامه «{plan.title}» ویرایش {fa(open_.revision)} دارد "
                            f"({PLAN_STATUS_LABELS[open_.status]})؛ اصلاحیه تازه از آخرین ویرایش ساخته می‌شود.")
        new = revisions.copy_plan(session, plan)
        step = WorkflowStep(plan_id=new.id, action="revise", from_status="", to_status="draft",
                            by_user=fields.text("by", by or audit.current_user(), max_length=100), at=_now(),
                            note=fields.text("note", note, max_length=20_000))
        session.add(step)
        audit.record(session, "revise", "plan", new.uuid, new.title, before={"revision": plan.revision},
                     after={"revision": new.revision, "note": step.note})
        session.flush()
        return StepResult(new.id, new.status, new.revision)


def run_action(db: Database, plan_id: int, action: str, *, by: str | None = None, note: str = "",
               resolution_no: str = "", resolution_date: object = None,
               signatories: list[tuple[str, str]] | None = None) -> StepResult:
    if action == "submit":
        return submit(db, plan_id, by=by, note=note)
    if action == "return":
        return return_for_revision(db, plan_id, by=by, note=note)
    if action == "approve":
        return approve(db, plan_id, resolution_no=resolution_no, resolution_date=resolution_date,
                       signatories=signatories, by=by, note=note)
    if action == "archive":
        return archive(db, plan_id, by=by, note=note)
    if action == "revise":
        return revise(db, plan_id, by=by, note=note)
    raise ValidationError("action", f"کار «{action}» شناخته نیست؛ یکی از: {', '.join(ACTIONS)}.")


# --- reading ---------------------------------------------------------------------------------

def history(db: Database, plan_id: int) -> list[Step]:
    with db.unit(write=False) as session:
        return [Step(s.id, s.action, s.from_status, s.to_status, s.by_user, s.at, s.note)
                for s in session.scalars(select(WorkflowStep).where(WorkflowStep.plan_id == plan_id)
                                         .order_by(WorkflowStep.at, WorkflowStep.id))]


def approval_record(db: Database, plan_id: int) -> ApprovalRecord | None:
    """The council's approval of this revision (for the booklet's approvals page), or None."""
    with db.unit(write=False) as session:
        row = session.scalars(select(ApprovalRow).where(ApprovalRow.plan_id == plan_id)).first()
        if row is None:
            return None
        people = session.scalars(select(ApprovalSignatory).where(ApprovalSignatory.approval_id == row.id)
                                 .order_by(ApprovalSignatory.sort_order, ApprovalSignatory.id))
        return ApprovalRecord(row.plan_id, row.resolution_no, row.resolution_date,
                              [(p.name, p.role) for p in people], row.approved_at, row.approved_by,
                              row.fingerprint, row.note)


def comments(db: Database, plan_id: int, node_id: int | None = None) -> list[Comment]:
    with db.unit(write=False) as session:
        query = select(ReviewComment, PlanNode.uuid).outerjoin(PlanNode, PlanNode.id == ReviewComment.node_id) \
            .where(ReviewComment.plan_id == plan_id)
        if node_id is not None:
            query = query.where(ReviewComment.node_id == node_id)
        return [Comment(c.id, c.uuid, c.node_id, node_uuid, c.author, c.at, c.body, c.resolved)
                for c, node_uuid in session.execute(query.order_by(ReviewComment.at, ReviewComment.id))]


def add_comment(db: Database, plan_id: int, node_id: int | None, body: str, *, by: str | None = None) -> Comment:
    """A reviewer's comment on a node of a submitted (or draft) revision, before returning it."""
    with db.unit() as session:
        plan = _load(session, plan_id)
        if plan.status not in ("draft", "submitted"):
            raise RuleError(f"برنامه «{plan.title}» {PLAN_STATUS_LABELS[plan.status]} است؛ نظر بازبینی "
                            "روی پیش‌نویس یا برنامه در حال بررسی ثبت می‌شود.")
        node_uuid = None
        if node_id is not None:
            node = session.get(PlanNode, node_id)
            if node is None or node.plan_id != plan.id:
                raise NotFoundError("گره‌ای که نظر به آن داده شد در این برنامه نیست.")
            node_uuid = node.uuid
        row = ReviewComment(plan_id=plan_id, node_id=node_id, author=by or audit.current_user(), at=_now(),
                            body=fields.text("comment", body, required=True, max_length=20_000))
        session.add(row)
        session.flush()
        return Comment(row.id, row.uuid, row.node_id, node_uuid, row.author, row.at, row.body, row.resolved)


def resolve_comment(db: Database, comment_id: int, resolved: bool = True) -> None:
    with db.unit() as session:
        row = session.get(ReviewComment, comment_id)
        if row is None:
            raise NotFoundError("نظر بازبینی پیدا نشد.")
        row.resolved = resolved
