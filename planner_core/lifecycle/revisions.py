"""Revisions of a plan: which one is in force, which is open, and the deep copy an amendment starts from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import (
    Allocation,
    EvidenceFile,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    LessonLearned,
    PlanNode,
    ProgressReport,
    ReportDueDate,
    StrategicPlan,
    new_uuid,
)
from planner_core.errors import NotFoundError
from planner_core.text import fold, to_ascii_digits


@dataclass(frozen=True)
class RevisionInfo:
    id: int
    uuid: str
    code: str
    title: str
    revision: int
    status: str
    supersedes_id: int | None
    superseded: bool  # a later revision of the same plan has been approved

    @property
    def ref(self) -> str:
        return f"{self.code}@{self.revision}"

    @property
    def status_label(self) -> str:
        from planner_core.levels import PLAN_STATUS_LABELS

        label = PLAN_STATUS_LABELS.get(self.status, self.status)
        return f"{label}، جایگزین‌شده" if self.superseded else label


def family(session: Session, code: str) -> list[StrategicPlan]:
    """Every revision of the plan with this code, oldest first."""
    rows = session.scalars(select(StrategicPlan).order_by(StrategicPlan.revision)).all()
    return [p for p in rows if fold(p.code) == fold(code)]


def in_force(revisions: list[StrategicPlan]) -> StrategicPlan | None:
    approved = [p for p in revisions if p.status == "approved"]
    return approved[-1] if approved else None


def resolve(session: Session, ref: str, purpose: str = "current") -> StrategicPlan:
    """``CODE@N`` is revision N; a bare ``CODE`` is, by ``purpose``: ``open`` the latest revision (the one
    a workflow step moves), ``approved`` the revision in force, ``current`` the one in force or else the latest."""
    code, _, number = ref.partition("@")
    revisions = family(session, code.strip())
    if not revisions:
        raise NotFoundError(f"برنامه‌ای با کد «{code}» در این فایل نیست.")
    if number:
        wanted = to_ascii_digits(number).strip()
        for plan in revisions:
            if str(plan.revision) == wanted:
                return plan
        raise NotFoundError(f"برنامه «{code}» ویرایش {number} ندارد.")
    if purpose == "open":
        return revisions[-1]
    return in_force(revisions) or revisions[-1]


def revision_infos(session: Session, code: str) -> list[RevisionInfo]:
    revisions = family(session, code)
    approved = [p.revision for p in revisions if p.status in ("approved", "archived")]
    return [RevisionInfo(p.id, p.uuid, p.code, p.title, p.revision, p.status, p.supersedes_id,
                         any(r > p.revision for r in approved)) for p in revisions]


def list_revisions(db: Database, plan_id: int) -> list[RevisionInfo]:
    with db.unit(write=False) as session:
        plan = session.get(StrategicPlan, plan_id)
        if plan is None:
            raise NotFoundError("برنامه راهبردی پیدا نشد؛ شاید حذف شده باشد.")
        return revision_infos(session, plan.code)


def copy_plan(session: Session, source: StrategicPlan, **plan_values: object) -> StrategicPlan:
    """A deep copy of a revision as a new draft: every node and indicator gets a new UUID and keeps,
    as ``lineage_uuid``, the UUID of the row it came from.  Monitoring (actuals, reports, spending,
    evidence) comes along so the amendment carries on where the approved revision stands."""
    values: dict[str, object] = dict(
        code=source.code, title=source.title, first_year=source.first_year, last_year=source.last_year,
        vision=source.vision, mission=source.mission, status="draft",
        on_track_threshold=source.on_track_threshold, at_risk_threshold=source.at_risk_threshold,
        source_municipality_id=source.source_municipality_id, revision=source.revision + 1,
        supersedes_id=source.id, lineage_uuid=source.lineage_uuid)
    values.update(plan_values)
    plan = StrategicPlan(**values)
    session.add(plan)
    session.flush()
    nodes = session.scalars(select(PlanNode).where(PlanNode.plan_id == source.id)
                            .order_by(PlanNode.parent_id.is_not(None), PlanNode.id)).all()
    new_ids: dict[int, int] = {}
    pending = list(nodes)
    while pending:  # parents before children, whatever their ids
        rest = []
        for node in pending:
            if node.parent_id is not None and node.parent_id not in new_ids:
                rest.append(node)
                continue
            copy = PlanNode(
                uuid=new_uuid(), plan_id=plan.id,
                parent_id=new_ids[node.parent_id] if node.parent_id is not None else None,
                kind=node.kind, code=node.code, title=node.title, description=node.description,
                responsible_unit_id=node.responsible_unit_id, sort_order=node.sort_order,
                first_year=node.first_year, last_year=node.last_year, start_date=node.start_date,
                end_date=node.end_date, location=node.location, weight=node.weight, state=node.state,
                lineage_uuid=node.uuid)
            session.add(copy)
            session.flush()
            new_ids[node.id] = copy.id
        pending = rest
    copy_node_details(session, new_ids)
    for lesson in session.scalars(select(LessonLearned).where(LessonLearned.plan_id == source.id)):
        session.add(LessonLearned(plan_id=plan.id, node_id=new_ids.get(lesson.node_id) if lesson.node_id else None,
                                  title=lesson.title, body=lesson.body, recorded_on=lesson.recorded_on,
                                  source_municipality_id=lesson.source_municipality_id))
    for due in session.scalars(select(ReportDueDate).where(ReportDueDate.plan_id == source.id)):
        session.add(ReportDueDate(plan_id=plan.id, year=due.year, quarter=due.quarter, due_on=due.due_on))
    session.flush()
    return plan


def copy_node_details(session: Session, new_ids: dict[int, int], monitoring: bool = True) -> None:
    """Indicators (with targets), allocations and, with ``monitoring``, actuals, reports and evidence,
    from each old node id to its new one."""
    old_ids = list(new_ids)
    for start in range(0, len(old_ids), 500):
        chunk = old_ids[start:start + 500]
        for ind in session.scalars(select(Indicator).where(Indicator.node_id.in_(chunk)).order_by(Indicator.id)):
            row = Indicator(uuid=new_uuid(), node_id=new_ids[ind.node_id], code=ind.code, title=ind.title,
                            kind=ind.kind, unit=ind.unit, direction=ind.direction, baseline_year=ind.baseline_year,
                            baseline_value=ind.baseline_value, definition=ind.definition,
                            data_source=ind.data_source, frequency=ind.frequency, weight=ind.weight,
                            sort_order=ind.sort_order, lineage_uuid=ind.uuid)
            session.add(row)
            session.flush()
            for target in session.scalars(select(IndicatorTarget).where(IndicatorTarget.indicator_id == ind.id)):
                session.add(IndicatorTarget(indicator_id=row.id, year=target.year, value=target.value))
            if monitoring:
                for actual in session.scalars(select(IndicatorActual).where(IndicatorActual.indicator_id == ind.id)):
                    new_actual = IndicatorActual(indicator_id=row.id, year=actual.year, period=actual.period,
                                                 value=actual.value, note=actual.note)
                    session.add(new_actual)
                    session.flush()
                    _copy_evidence(session, EvidenceFile.indicator_actual_id == actual.id,
                                   indicator_actual_id=new_actual.id)
        for al in session.scalars(select(Allocation).where(Allocation.project_id.in_(chunk))):
            session.add(Allocation(uuid=new_uuid(), project_id=new_ids[al.project_id], year=al.year,
                                   budget_code_id=al.budget_code_id, amount=al.amount,
                                   spent=al.spent if monitoring else 0))
        if monitoring:
            for report in session.scalars(select(ProgressReport).where(ProgressReport.project_id.in_(chunk))):
                new_report = ProgressReport(
                    uuid=new_uuid(), project_id=new_ids[report.project_id], year=report.year,
                    quarter=report.quarter, physical_progress=report.physical_progress, spent=report.spent,
                    narrative=report.narrative, corrective_action=report.corrective_action,
                    reported_on=report.reported_on)
                session.add(new_report)
                session.flush()
                _copy_evidence(session, EvidenceFile.progress_report_id == report.id,
                               progress_report_id=new_report.id)
    session.flush()


def _copy_evidence(session: Session, where: object, **owner: int) -> None:
    for ev in session.scalars(select(EvidenceFile).where(where)):  # type: ignore[arg-type]
        session.add(EvidenceFile(uuid=new_uuid(), file_name=ev.file_name, media_type=ev.media_type,
                                 size_bytes=ev.size_bytes, sha256=ev.sha256, content=ev.content,
                                 added_at=ev.added_at or datetime.now(), added_by=ev.added_by, note=ev.note, **owner))


def node_in_plan(db: Database, plan_id: int, uuid: str | None) -> int | None:
    """The id of the node with this UUID in this revision, or of the node that came from it (lineage)."""
    if not uuid:
        return None
    with db.unit(write=False) as session:
        return session.scalar(select(PlanNode.id).where(
            PlanNode.plan_id == plan_id, (PlanNode.uuid == uuid) | (PlanNode.lineage_uuid == uuid)).limit(1))


def indicator_id(db: Database, uuid: str) -> int | None:
    with db.unit(write=False) as session:
        return session.scalar(select(Indicator.id).where(Indicator.uuid == uuid))
