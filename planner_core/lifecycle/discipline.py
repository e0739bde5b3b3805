"""Reporting discipline: evidence files on reports and actuals, quarterly due dates per plan, the
overdue-units report, and the audit log per plan or node (filterable, exportable to Excel)."""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import (
    Allocation,
    AuditEntry,
    EvidenceFile,
    Indicator,
    IndicatorActual,
    OrgUnit,
    PlanNode,
    ProgressReport,
    ReportDueDate,
    StrategicPlan,
)
from planner_core import audit, fields
from planner_core.codes import full_codes
from planner_core.errors import NotFoundError, ValidationError
from planner_core.jalali import from_jalali
from planner_core.levels import period_number
from planner_core.plans import ensure_monitorable, load_plan
from planner_core.text import ltr
from planner_core.text import to_persian_digits as fa

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024  # a phone photo or a scanned letter; the file stays shareable
DEFAULT_DUE_DAYS = 15  # without a plan's own date, a quarter's reports are due 15 days after it ends


# --- evidence --------------------------------------------------------------------------------

@dataclass(frozen=True)
class EvidenceInfo:
    id: int
    uuid: str
    file_name: str
    media_type: str
    size: int
    sha256: str
    added_at: datetime
    added_by: str
    note: str
    progress_report_id: int | None
    indicator_actual_id: int | None


def _evidence_info(row: EvidenceFile) -> EvidenceInfo:
    return EvidenceInfo(row.id, row.uuid, row.file_name, row.media_type, row.size_bytes, row.sha256, row.added_at,
                        row.added_by, row.note, row.progress_report_id, row.indicator_actual_id)


def _actual_id(session: Session, indicator_id: int, year: object, period: object) -> IndicatorActual:
    row = session.scalars(select(IndicatorActual).where(
        IndicatorActual.indicator_id == indicator_id, IndicatorActual.year == fields.year("year", year),
        IndicatorActual.period == period_number(period))).first()  # type: ignore[arg-type]
    if row is None:
        raise NotFoundError("برای این شاخص در این دوره مقدار واقعی ثبت نشده است؛ نخست مقدار را ثبت کنید.")
    return row


def add_evidence(db: Database, path: Path | None = None, *, name: str | None = None, content: bytes | None = None,
                 report_id: int | None = None, indicator_id: int | None = None, year: object = None,
                 period: object = "annual", note: str = "", by: str | None = None) -> EvidenceInfo:
    """Attach a file (photo, letter, PDF) to a progress report or to an indicator's actual."""
    if content is None:
        if path is None or not Path(path).is_file():
            raise ValidationError("file", f"فایل مستند «{ltr(path)}» پیدا نشد.")
        if Path(path).stat().st_size > MAX_EVIDENCE_BYTES:
            raise ValidationError("file", f"فایل مستند «{ltr(Path(path).name)}» بزرگ‌تر از "
                                  f"{fa(MAX_EVIDENCE_BYTES // (1024 * 1024))} مگابایت است.")
        content = Path(path).read_bytes()
        name = name or Path(path).name
    if len(content) > MAX_EVIDENCE_BYTES:
        raise ValidationError("file", f"فایل مستند بزرگ‌تر از {fa(MAX_EVIDENCE_BYTES // (1024 * 1024))} مگابایت است.")
    file_name = fields.text("file_name", name, required=True, max_length=300)
    with db.unit() as session:
        owner: dict[str, int] = {}
        if report_id is not None:
            report = session.get(ProgressReport, report_id)
            if report is None:
                raise NotFoundError("گزارش پیشرفت پیدا نشد.")
            node = session.get(PlanNode, report.project_id)
            owner["progress_report_id"] = report.id
        elif indicator_id is not None:
            actual = _actual_id(session, indicator_id, year, period)
            indicator = session.get(Indicator, indicator_id)
            node = session.get(PlanNode, indicator.node_id) if indicator else None
            owner["indicator_actual_id"] = actual.id
        else:
            raise ValidationError("owner", "مستند باید به یک گزارش پیشرفت یا یک مقدار واقعی پیوست شود.")
        assert node is not None
        ensure_monitorable(load_plan(session, node.plan_id))
        row = EvidenceFile(file_name=file_name, media_type=mimetypes.guess_type(file_name)[0]
                           or "application/octet-stream", size_bytes=len(content),
                           sha256=hashlib.sha256(content).hexdigest(), content=content,
                           added_at=datetime.now(UTC).replace(tzinfo=None), added_by=by or audit.current_user(),
                           note=fields.text("note", note, max_length=5000), **owner)
        session.add(row)
        session.flush()
        audit.record(session, "evidence", "evidence", row.uuid, f"{node.title}: {file_name}",
                     after={"file": file_name, "sha256": row.sha256, "size": row.size_bytes})
        return _evidence_info(row)


def list_evidence(db: Database, *, report_id: int | None = None, actual: tuple[int, object, object] | None = None,
                  plan_id: int | None = None) -> list[EvidenceInfo]:
    with db.unit(write=False) as session:
        query = select(EvidenceFile)
        if report_id is not None:
            query = query.where(EvidenceFile.progress_report_id == report_id)
        elif actual is not None:
            query = query.where(EvidenceFile.indicator_actual_id == _actual_id(session, *actual).id)
        elif plan_id is not None:
            reports = select(ProgressReport.id).join(PlanNode, PlanNode.id == ProgressReport.project_id) \
                .where(PlanNode.plan_id == plan_id)
            actuals = select(IndicatorActual.id).join(Indicator, Indicator.id == IndicatorActual.indicator_id) \
                .join(PlanNode, PlanNode.id == Indicator.node_id).where(PlanNode.plan_id == plan_id)
            query = query.where(EvidenceFile.progress_report_id.in_(reports)
                                | EvidenceFile.indicator_actual_id.in_(actuals))
        return [_evidence_info(r) for r in session.scalars(query.order_by(EvidenceFile.id))]


def evidence_content(db: Database, evidence_id: int) -> bytes:
    """The file's bytes, checked against the hash stored with it."""
    with db.unit(write=False) as session:
        row = session.get(EvidenceFile, evidence_id)
        if row is None:
            raise NotFoundError("فایل مستند پیدا نشد.")
        if hashlib.sha256(row.content).hexdigest() != row.sha256:
            raise ValidationError("file", f"فایل مستند «{row.file_name}» آسیب دیده است (چکیده نمی‌خواند).")
        return bytes(row.content)


def delete_evidence(db: Database, evidence_id: int) -> None:
    with db.unit() as session:
        row = session.get(EvidenceFile, evidence_id)
        if row is None:
            raise NotFoundError("فایل مستند پیدا نشد.")
        audit.record(session, "delete", "evidence", row.uuid, row.file_name, before={"sha256": row.sha256})
        session.delete(row)


# --- due dates and overdue reports ------------------------------------------------------------

def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    start = from_jalali(year, (quarter - 1) * 3 + 1, 1)
    end = (from_jalali(year + 1, 1, 1) if quarter == 4 else from_jalali(year, quarter * 3 + 1, 1)) - timedelta(days=1)
    return start, end


def set_due_date(db: Database, plan_id: int, year: object, quarter: object, due_on: object) -> None:
    """When a quarter's progress reports are due (reporting discipline, so allowed on an approved plan)."""
    with db.unit() as session:
        ensure_monitorable(load_plan(session, plan_id))
        fiscal_year = fields.year("year", year)
        q = fields.number("quarter", quarter, minimum=1, maximum=4)
        when = fields.a_date("due_on", due_on, required=True)
        assert fiscal_year is not None and q is not None and when is not None
        if when < quarter_bounds(fiscal_year, int(q))[1]:
            raise ValidationError("due_on", "مهلت گزارش: نباید پیش از پایان همان فصل باشد.")
        row = session.scalars(select(ReportDueDate).where(
            ReportDueDate.plan_id == plan_id, ReportDueDate.year == fiscal_year,
            ReportDueDate.quarter == int(q))).first()
        if row is None:
            session.add(ReportDueDate(plan_id=plan_id, year=fiscal_year, quarter=int(q), due_on=when))
        else:
            row.due_on = when


def due_dates(db: Database, plan_id: int, year: int) -> dict[int, tuple[date, bool]]:
    """quarter → (due date, set by the plan?); unset quarters fall due DEFAULT_DUE_DAYS after they end."""
    with db.unit(write=False) as session:
        return _due_dates(session, plan_id, year)


def _due_dates(session: Session, plan_id: int, year: int) -> dict[int, tuple[date, bool]]:
    own = {r.quarter: r.due_on for r in session.scalars(select(ReportDueDate).where(
        ReportDueDate.plan_id == plan_id, ReportDueDate.year == year))}
    return {q: (own[q], True) if q in own else (quarter_bounds(year, q)[1] + timedelta(days=DEFAULT_DUE_DAYS), False)
            for q in (1, 2, 3, 4)}


@dataclass(frozen=True)
class Overdue:
    unit: str
    project_id: int
    project_uuid: str
    full_code: str
    title: str
    year: int
    quarter: int
    due_on: date
    days: int  # overdue since due_on


def overdue_reports(db: Database, plan_id: int, today: date | None = None) -> list[Overdue]:
    """Which units owe which projects' quarterly reports, and since when (oldest first within a unit)."""
    today = today or date.today()
    with db.unit(write=False) as session:
        plan = session.get(StrategicPlan, plan_id)
        if plan is None:
            raise NotFoundError("برنامه راهبردی پیدا نشد؛ شاید حذف شده باشد.")
        nodes = session.scalars(select(PlanNode).where(PlanNode.plan_id == plan_id)).all()
        codes = full_codes(list(nodes))
        by_id = {n.id: n for n in nodes}
        units = {u.id: u.name for u in session.scalars(select(OrgUnit))}
        reported = set(session.execute(select(ProgressReport.project_id, ProgressReport.year, ProgressReport.quarter)
                                       .join(PlanNode, PlanNode.id == ProgressReport.project_id)
                                       .where(PlanNode.plan_id == plan_id)).all())
        dues: dict[int, dict[int, tuple[date, bool]]] = {}
        out = []
        for node in nodes:
            if node.kind not in ("project", "activity") or node.state in ("suspended",):
                continue
            program = by_id.get(node.parent_id or 0)
            if program is None or program.first_year is None or program.last_year is None:
                continue
            for year in range(program.first_year, program.last_year + 1):
                due = dues.setdefault(year, _due_dates(session, plan_id, year))
                for quarter in (1, 2, 3, 4):
                    start, end = quarter_bounds(year, quarter)
                    due_on = due[quarter][0]
                    if due_on >= today or (node.start_date and node.start_date > end) \
                            or (node.end_date and node.end_date < start):
                        continue
                    if (node.id, year, quarter) in reported:
                        continue
                    if node.state == "completed" and any((node.id, y, q) in reported for y, q in _after(year, quarter)):
                        continue
                    unit = units.get(node.responsible_unit_id or program.responsible_unit_id or 0, "")
                    out.append(Overdue(unit, node.id, node.uuid, codes.get(node.id, node.code), node.title, year,
                                       quarter, due_on, (today - due_on).days))
        out.sort(key=lambda o: (o.unit, o.due_on, o.full_code))
        return out


@dataclass(frozen=True)
class OverdueUnit:
    """One responsible unit's overdue quarterly reports, for the dashboard's compact list."""

    unit: str
    reports: int
    projects: int
    since: date  # the oldest missed due date
    days: int


def overdue_by_unit(rows: Sequence[Overdue]) -> list[OverdueUnit]:
    """Overdue reports grouped by unit, the longest overdue first (then by name)."""
    groups: dict[str, list[Overdue]] = {}
    for row in rows:
        groups.setdefault(row.unit, []).append(row)
    out = [OverdueUnit(unit, len(items), len({r.project_id for r in items}), min(r.due_on for r in items),
                       max(r.days for r in items)) for unit, items in groups.items()]
    out.sort(key=lambda u: (-u.days, u.unit))
    return out


def _after(year: int, quarter: int) -> list[tuple[int, int]]:
    return [(year + (quarter + i - 1) // 4, (quarter + i - 1) % 4 + 1) for i in range(1, 9)]


# --- audit log -------------------------------------------------------------------------------

@dataclass(frozen=True)
class AuditRow:
    at: datetime
    user: str
    action: str
    entity: str
    entity_uuid: str
    summary: str
    before: str
    after: str


def _uuids(session: Session, plan: StrategicPlan, node_id: int | None) -> set[str]:
    nodes = select(PlanNode.id).where(PlanNode.plan_id == plan.id)
    if node_id is not None:
        nodes = select(PlanNode.id).where(PlanNode.id == node_id)
    out = set(session.scalars(select(PlanNode.uuid).where(PlanNode.id.in_(nodes))))
    out |= set(session.scalars(select(Indicator.uuid).where(Indicator.node_id.in_(nodes))))
    out |= set(session.scalars(select(Allocation.uuid).where(Allocation.project_id.in_(nodes))))
    out |= set(session.scalars(select(ProgressReport.uuid).where(ProgressReport.project_id.in_(nodes))))
    if node_id is None:
        out.add(plan.uuid)
    return out


def audit_log(db: Database, plan_id: int, *, node_id: int | None = None, user: str | None = None,
              since: date | None = None, until: date | None = None) -> list[AuditRow]:
    """Who changed what, when, before → after, for a plan (or one node), newest first."""
    with db.unit(write=False) as session:
        plan = session.get(StrategicPlan, plan_id)
        if plan is None:
            raise NotFoundError("برنامه راهبردی پیدا نشد؛ شاید حذف شده باشد.")
        uuids = _uuids(session, plan, node_id)
        query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        if user:
            query = query.where(AuditEntry.user == user.strip())
        if since:
            query = query.where(AuditEntry.at >= datetime.combine(since, datetime.min.time()))
        if until:
            query = query.where(AuditEntry.at < datetime.combine(until + timedelta(days=1), datetime.min.time()))
        rows = []
        for e in session.scalars(query):
            if e.entity_uuid in uuids:
                rows.append(AuditRow(e.at, e.user, e.action, e.entity, e.entity_uuid, e.summary, e.before, e.after))
        return rows


def write_audit_xlsx(rows: Sequence[AuditRow], path: Path) -> Path:
    from openpyxl import Workbook

    from planner_core.excel import _finish, _save, _sheet
    from planner_core.jalali import format_jalali

    workbook = Workbook()
    sheet = _sheet(workbook, "گزارش تغییرات", ["زمان", "کاربر", "کار", "موضوع", "شرح", "پیش از", "پس از"])
    for r in rows:
        sheet.append([f"{format_jalali(r.at.date(), 'short')} {r.at:%H:%M}", r.user, r.action, r.entity, r.summary,
                      r.before, r.after])
    _finish(sheet, [18, 14, 12, 14, 40, 40, 40])
    _save(workbook, path)
    return path


def write_overdue_xlsx(rows: Sequence[Overdue], path: Path) -> Path:
    from openpyxl import Workbook

    from planner_core.excel import _finish, _save, _sheet
    from planner_core.jalali import format_jalali

    workbook = Workbook()
    sheet = _sheet(workbook, "گزارش‌های معوق", ["واحد مسئول", "کد", "پروژه", "سال", "فصل", "مهلت", "روز تأخیر"])
    for r in rows:
        sheet.append([r.unit, r.full_code, r.title, r.year, r.quarter, format_jalali(r.due_on, "short"), r.days])
    _finish(sheet, [26, 12, 44, 8, 6, 14, 10])
    _save(workbook, path)
    return path
