"""Quarterly progress reports of projects and lessons learned on any node."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import delete, select

from db.engine import Database
from db.models import LessonLearned, PlanNode, ProgressReport
from planner_core import audit, fields
from planner_core.errors import NotFoundError, ValidationError
from planner_core.nodes import require_kind
from planner_core.plans import ensure_monitorable, load_plan
from planner_core.text import to_persian_digits


@dataclass(frozen=True)
class ProgressReportInfo:
    id: int
    uuid: str
    project_id: int
    year: int
    quarter: int
    physical_progress: float
    spent: int
    narrative: str
    corrective_action: str
    reported_on: date | None


def _report_info(r: ProgressReport) -> ProgressReportInfo:
    return ProgressReportInfo(r.id, r.uuid, r.project_id, r.year, r.quarter, r.physical_progress, r.spent,
                              r.narrative, r.corrective_action, r.reported_on)


def list_progress_reports(db: Database, project_id: int) -> list[ProgressReportInfo]:
    with db.unit() as session:
        return [_report_info(r) for r in session.scalars(
            select(ProgressReport).where(ProgressReport.project_id == project_id)
            .order_by(ProgressReport.year, ProgressReport.quarter))]


def save_progress_report(db: Database, project_id: int, *, year: object, quarter: object,
                         physical_progress: object, spent: object = 0, narrative: str = "",
                         corrective_action: str = "", reported_on: object = None, replace: bool = True
                         ) -> tuple[ProgressReportInfo, ProgressReportInfo | None]:
    """Record a quarter's report.  Returns (new, previous).

    With ``replace=False`` (recording a new report) a quarter that already has one is refused,
    so a planner never overwrites a report by choosing the wrong quarter; editing passes True.
    """
    with db.unit() as session:
        node = require_kind(session, project_id, ("project", "activity"))
        ensure_monitorable(load_plan(session, node.plan_id))
        fiscal_year = fields.year("year", year)
        q = fields.number("quarter", quarter, minimum=1, maximum=4)
        if q is None or q != int(q):
            raise ValidationError("quarter", "فصل: عدد ۱ تا ۴ وارد کنید.")
        values = dict(physical_progress=fields.number("physical_progress", physical_progress, minimum=0,
                                                      maximum=100),
                      spent=fields.rials("spent", spent),
                      narrative=fields.text("narrative", narrative, max_length=20_000),
                      corrective_action=fields.text("corrective_action", corrective_action, max_length=20_000),
                      reported_on=fields.a_date("date", reported_on) or date.today())
        if values["reported_on"] > date.today():
            raise ValidationError("date", "تاریخ گزارش: گزارش پیشرفت نمی‌تواند تاریخ آینده داشته باشد.")
        row = session.scalars(select(ProgressReport).where(
            ProgressReport.project_id == project_id, ProgressReport.year == fiscal_year,
            ProgressReport.quarter == int(q))).first()
        if row is not None and not replace:
            raise ValidationError("quarter", f"فصل: برای فصل {to_persian_digits(int(q))} سال "
                                  f"{to_persian_digits(fiscal_year)} گزارشی ثبت شده است؛ همان را ویرایش کنید.")
        previous = _report_info(row) if row else None
        if row is None:
            row = ProgressReport(project_id=project_id, year=fiscal_year, quarter=int(q), **values)
            session.add(row)
        else:
            for key, value in values.items():
                setattr(row, key, value)
        session.flush()
        info = _report_info(row)
        audit.record(session, "report", "progress_report", row.uuid, node.title,
                     before=asdict(previous) if previous else None, after=asdict(info))
        return info, previous


def delete_progress_report(db: Database, report_id: int) -> ProgressReportInfo:
    with db.unit() as session:
        row = session.get(ProgressReport, report_id)
        if row is None:
            raise NotFoundError("گزارش پیشرفت پیدا نشد.")
        node = session.get(PlanNode, row.project_id)
        assert node is not None
        ensure_monitorable(load_plan(session, node.plan_id))
        info = _report_info(row)
        audit.record(session, "delete", "progress_report", row.uuid, node.title, before=asdict(info))
        session.delete(row)
        return info


def restore_progress_report(db: Database, info: ProgressReportInfo) -> None:
    """Undo: put a report back exactly as it was (same id and UUID), replacing that quarter's row."""
    with db.unit() as session:
        node = require_kind(session, info.project_id, ("project", "activity"))
        ensure_monitorable(load_plan(session, node.plan_id))
        session.execute(delete(ProgressReport).where(
            ProgressReport.project_id == info.project_id, ProgressReport.year == info.year,
            ProgressReport.quarter == info.quarter))
        session.add(ProgressReport(**asdict(info)))
        audit.record(session, "restore", "progress_report", info.uuid, node.title, after=asdict(info))


@dataclass(frozen=True)
class LessonInfo:
    id: int
    uuid: str
    plan_id: int
    node_id: int | None
    title: str
    body: str
    recorded_on: date | None
    source_municipality_id: int | None


def add_lesson(db: Database, plan_id: int, node_id: int | None, *, title: str, body: str = "",
               recorded_on: object = None) -> LessonInfo:
    with db.unit() as session:
        ensure_monitorable(load_plan(session, plan_id))
        row = LessonLearned(plan_id=plan_id, node_id=node_id, title=fields.text("title", title, required=True),
                            body=fields.text("description", body, max_length=20_000),
                            recorded_on=fields.a_date("date", recorded_on) or date.today())
        session.add(row)
        session.flush()
        audit.record(session, "create", "lesson", row.uuid, row.title)
        return LessonInfo(row.id, row.uuid, row.plan_id, row.node_id, row.title, row.body, row.recorded_on,
                          row.source_municipality_id)


def list_lessons(db: Database, plan_id: int, node_id: int | None = None) -> list[LessonInfo]:
    with db.unit() as session:
        query = select(LessonLearned).where(LessonLearned.plan_id == plan_id)
        if node_id is not None:
            query = query.where(LessonLearned.node_id == node_id)
        return [LessonInfo(r.id, r.uuid, r.plan_id, r.node_id, r.title, r.body, r.recorded_on,
                           r.source_municipality_id) for r in session.scalars(query.order_by(LessonLearned.id))]


def delete_lesson(db: Database, lesson_id: int) -> LessonInfo:
    """Delete a lesson learned; returns it so undo can put it back."""
    with db.unit() as session:
        row = session.get(LessonLearned, lesson_id)
        if row is None:
            raise NotFoundError("درس آموخته پیدا نشد؛ شاید حذف شده باشد.")
        ensure_monitorable(load_plan(session, row.plan_id))
        info = LessonInfo(row.id, row.uuid, row.plan_id, row.node_id, row.title, row.body, row.recorded_on,
                          row.source_municipality_id)
        audit.record(session, "delete", "lesson", row.uuid, row.title, before=asdict(info))
        session.delete(row)
        return info


def restore_lesson(db: Database, info: LessonInfo) -> None:
    with db.unit() as session:
        ensure_monitorable(load_plan(session, info.plan_id))
        session.add(LessonLearned(id=info.id, uuid=info.uuid, plan_id=info.plan_id, node_id=info.node_id,
                                  title=info.title, body=info.body, recorded_on=info.recorded_on,
                                  source_municipality_id=info.source_municipality_id))
        audit.record(session, "restore", "lesson", info.uuid, info.title)


@dataclass(frozen=True)
class ReportProgress:
    """A progress report judged against where the project should be by the end of its quarter."""

    report: ProgressReportInfo
    expected: float  # % of the program's span elapsed at the end of the quarter
    ratio: float | None  # physical progress as % of expected (None: nothing to compare)
    status: str  # a planner_core.progress.Status value
    lagging: bool
    has_corrective_action: bool


def report_progress(db: Database, project_id: int) -> list[ReportProgress]:
    """The project's reports with expected progress (linear over its program's years) and status."""
    from planner_core.progress import Status, classify, expected_progress, performance
    from planner_core.spans import _program_span

    with db.unit() as session:
        node = require_kind(session, project_id, ("project", "activity"))
        plan = load_plan(session, node.plan_id)
        first, last = _program_span(session, node)
        reports = [_report_info(r) for r in session.scalars(
            select(ProgressReport).where(ProgressReport.project_id == project_id)
            .order_by(ProgressReport.year, ProgressReport.quarter))]
        on_track, at_risk = plan.on_track_threshold, plan.at_risk_threshold
    out = []
    for report in reports:
        expected = expected_progress(report.year, report.quarter, first, last)
        ratio = performance(report.physical_progress, expected)
        status = classify(ratio, on_track, at_risk)
        out.append(ReportProgress(report, expected, ratio or 0.0, status.value,
                                  status in (Status.AT_RISK, Status.OFF_TRACK),
                                  bool(report.corrective_action.strip())))
    return out
