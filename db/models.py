"""SQLAlchemy 2.x typed models of the plan store.  Persistence only: rules live in planner_core.

The plan hierarchy (axis → macro goal → strategy → operational program → project/activity)
is one table, ``plan_node``, with single-table inheritance: every level shares code, title,
description, responsible unit and order, and indicators, lessons and audit entries point at
one kind of row.  Fixed depth keeps roll-ups to a few indexed self-joins.
"""

from __future__ import annotations

import uuid as uuid_mod
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints from the first migration on: Alembic's batch mode on SQLite needs names.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_uuid() -> str:
    return str(uuid_mod.uuid4())


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UuidMixin:
    """Integer keys stay inside the file; the UUID identifies a row across municipalities."""

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)


class Municipality(UuidMixin, Base):
    __tablename__ = "municipality"
    name: Mapped[str] = mapped_column(String(200))
    province: Mapped[str] = mapped_column(String(100), default="")
    # The file's own municipality; the others are sources of imported plans and lessons.
    is_home: Mapped[bool] = mapped_column(Boolean, default=False)


class OrgUnit(UuidMixin, Base):
    """A responsible unit: a deputy (معاونت), a department (اداره) or a district (منطقه)."""

    __tablename__ = "org_unit"
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="department")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="SET NULL"))
    __table_args__ = (CheckConstraint("kind IN ('deputy','department','district')", name="kind"),)


class StrategicPlan(UuidMixin, Base):
    """One revision of a strategic plan.  An amendment (اصلاحیه) is a new row with the same code,
    the next ``revision`` and ``supersedes_id`` naming the revision it amends; the earlier row is
    never changed, so what the council approved stays readable and printable."""

    __tablename__ = "strategic_plan"
    code: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(300))
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)
    vision: Mapped[str] = mapped_column(Text, default="")
    mission: Mapped[str] = mapped_column(Text, default="")
    # Booklet front matter (migration 0004_booklet_content).
    preface: Mapped[str] = mapped_column(Text, default="", server_default="")
    mayor_message: Mapped[str] = mapped_column(Text, default="", server_default="")
    methodology: Mapped[str] = mapped_column(Text, default="", server_default="")
    plan_values: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    on_track_threshold: Mapped[float] = mapped_column(Float, default=90.0)
    at_risk_threshold: Mapped[float] = mapped_column(Float, default=70.0)
    source_municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipality.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.current_timestamp(), onupdate=func.current_timestamp())
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("strategic_plan.id", ondelete="SET NULL"))
    # The plan (UUID) this one was rolled forward from or started a new period from.
    lineage_uuid: Mapped[str | None] = mapped_column(String(36))
    __table_args__ = (
        CheckConstraint("status IN ('draft','submitted','approved','archived')", name="status"),
        CheckConstraint("first_year <= last_year", name="years"),
        CheckConstraint("revision >= 1", name="revision"),
        UniqueConstraint("code", "revision"),
        {"sqlite_autoincrement": True},  # undo puts rows back with their ids: never reuse one
    )


class PlanNode(UuidMixin, Base):
    __tablename__ = "plan_node"
    plan_id: Mapped[int] = mapped_column(ForeignKey("strategic_plan.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_node.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    responsible_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_unit.id", ondelete="SET NULL"), index=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # Operational programs: their two fiscal years.
    first_year: Mapped[int | None] = mapped_column(Integer)
    last_year: Mapped[int | None] = mapped_column(Integer)
    # Projects and activities.
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    location: Mapped[str] = mapped_column(String(300), default="")
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    state: Mapped[str] = mapped_column(String(20), default="planned")
    # The node (UUID) of the earlier revision or program this one was copied from.
    lineage_uuid: Mapped[str | None] = mapped_column(String(36), index=True)

    children: Mapped[list[PlanNode]] = relationship(
        order_by="PlanNode.sort_order", passive_deletes=True)

    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "node"}
    __table_args__ = (
        CheckConstraint("kind IN ('axis','goal','strategy','program','project','activity')", name="kind"),
        CheckConstraint("state IN ('planned','in_progress','completed','suspended')", name="state"),
        CheckConstraint("weight >= 0", name="weight"),
        Index("ix_plan_node_plan_kind", "plan_id", "kind"),
        {"sqlite_autoincrement": True},  # undo puts rows back with their ids: never reuse one
    )


class Axis(PlanNode):
    __mapper_args__ = {"polymorphic_identity": "axis"}


class MacroGoal(PlanNode):
    __mapper_args__ = {"polymorphic_identity": "goal"}


class Strategy(PlanNode):
    __mapper_args__ = {"polymorphic_identity": "strategy"}


class OperationalProgram(PlanNode):
    __mapper_args__ = {"polymorphic_identity": "program"}


class Project(PlanNode):
    __mapper_args__ = {"polymorphic_identity": "project"}


class Activity(PlanNode):
    __mapper_args__ = {"polymorphic_identity": "activity"}


class Indicator(UuidMixin, Base):
    __tablename__ = "indicator"
    node_id: Mapped[int] = mapped_column(ForeignKey("plan_node.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(10))
    unit: Mapped[str] = mapped_column(String(100), default="")
    direction: Mapped[str] = mapped_column(String(10), default="increase")
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    baseline_value: Mapped[float | None] = mapped_column(Float)
    definition: Mapped[str] = mapped_column(Text, default="")
    data_source: Mapped[str] = mapped_column(String(300), default="")
    frequency: Mapped[str] = mapped_column(String(20), default="annual")
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    lineage_uuid: Mapped[str | None] = mapped_column(String(36))
    __table_args__ = (
        CheckConstraint("kind IN ('outcome','output','result')", name="kind"),
        CheckConstraint("direction IN ('increase','decrease')", name="direction"),
        CheckConstraint("frequency IN ('annual','semiannual','quarterly')", name="frequency"),
        {"sqlite_autoincrement": True},  # undo puts rows back with their ids: never reuse one
    )


class IndicatorTarget(Base):
    __tablename__ = "indicator_target"
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    __table_args__ = (UniqueConstraint("indicator_id", "year"), {"sqlite_autoincrement": True})


class IndicatorActual(Base):
    __tablename__ = "indicator_actual"
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    # 0 = the whole year, 1..4 = quarters.
    period: Mapped[int] = mapped_column(Integer, default=0)
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (
        UniqueConstraint("indicator_id", "year", "period"),
        CheckConstraint("period BETWEEN 0 AND 4", name="period"),
        {"sqlite_autoincrement": True},  # undo puts rows back with their ids: never reuse one
    )


class BudgetCode(UuidMixin, Base):
    __tablename__ = "budget_code"
    code: Mapped[str] = mapped_column(String(50), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("budget_code.id", ondelete="RESTRICT"))
    level: Mapped[int] = mapped_column(Integer, default=1)


class AnnualBudget(UuidMixin, Base):
    """One municipality's budget for one year: a file may hold budgets received with other cities' plans."""

    __tablename__ = "annual_budget"
    # NULL only in a file that has no municipality yet; services fill in the home municipality.
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300), default="")
    approved_on: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (UniqueConstraint("municipality_id", "year"),)


class BudgetLine(Base):
    """The approved ceiling of one budget code in one year's budget."""

    __tablename__ = "budget_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    annual_budget_id: Mapped[int] = mapped_column(ForeignKey("annual_budget.id", ondelete="CASCADE"))
    budget_code_id: Mapped[int] = mapped_column(ForeignKey("budget_code.id", ondelete="RESTRICT"))
    ceiling: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        UniqueConstraint("annual_budget_id", "budget_code_id"),
        CheckConstraint("ceiling >= 0", name="ceiling"),
    )


class BudgetAmendment(UuidMixin, Base):
    """A supplement (متمم) or amendment (اصلاحیه) to a line: recorded, never overwritten."""

    __tablename__ = "budget_amendment"
    budget_line_id: Mapped[int] = mapped_column(ForeignKey("budget_line.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20), default="amendment")
    delta: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (CheckConstraint("kind IN ('supplement','amendment')", name="kind"),)


class Allocation(UuidMixin, Base):
    __tablename__ = "allocation"
    project_id: Mapped[int] = mapped_column(ForeignKey("plan_node.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    budget_code_id: Mapped[int] = mapped_column(ForeignKey("budget_code.id", ondelete="RESTRICT"))
    amount: Mapped[int] = mapped_column(BigInteger)
    spent: Mapped[int] = mapped_column(BigInteger, default=0)
    __table_args__ = (
        UniqueConstraint("project_id", "year", "budget_code_id"),
        CheckConstraint("amount >= 0", name="amount"),
        CheckConstraint("spent >= 0", name="spent"),
        Index("ix_allocation_year_code", "year", "budget_code_id"),
        {"sqlite_autoincrement": True},  # undo puts rows back with their ids: never reuse one
    )


class ProgressReport(UuidMixin, Base):
    __tablename__ = "progress_report"
    project_id: Mapped[int] = mapped_column(ForeignKey("plan_node.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    physical_progress: Mapped[float] = mapped_column(Float)
    spent: Mapped[int] = mapped_column(BigInteger, default=0)
    narrative: Mapped[str] = mapped_column(Text, default="")
    corrective_action: Mapped[str] = mapped_column(Text, default="")
    reported_on: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (
        UniqueConstraint("project_id", "year", "quarter"),
        CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter"),
        CheckConstraint("physical_progress BETWEEN 0 AND 100", name="physical_progress"),
        {"sqlite_autoincrement": True},  # undo puts rows back with their ids: never reuse one
    )


class LessonLearned(UuidMixin, Base):
    __tablename__ = "lesson_learned"
    __table_args__ = {"sqlite_autoincrement": True}  # undo puts rows back with their ids: never reuse one
    plan_id: Mapped[int] = mapped_column(ForeignKey("strategic_plan.id", ondelete="CASCADE"), index=True)
    node_id: Mapped[int | None] = mapped_column(ForeignKey("plan_node.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text, default="")
    recorded_on: Mapped[date | None] = mapped_column(Date)
    source_municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipality.id", ondelete="SET NULL"))


class ExchangeBase(Base):
    """What was last exchanged with a municipality: per entity, a hash of each field's value.

    A merge compares both sides with this base to tell "they changed it" from "we changed it"
    from "both changed it" (a conflict).  ``municipality_id`` NULL: what this file last sent out.
    """

    __tablename__ = "exchange_base"
    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    entity_uuid: Mapped[str] = mapped_column(String(36))
    fields: Mapped[str] = mapped_column(Text, default="{}")  # JSON: field name -> hash of its value
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    __table_args__ = (Index("ix_exchange_base_entity", "entity_uuid", "municipality_id"),)


class AuditEntry(Base):
    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(50))
    entity_uuid: Mapped[str] = mapped_column(String(36), default="", index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")


# --- the plan's life cycle (migration 0003) ---------------------------------------------------

class WorkflowStep(Base):
    """One step of a revision's workflow: who moved it from which status to which, when, why."""

    __tablename__ = "workflow_step"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("strategic_plan.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str] = mapped_column(String(20), default="")
    to_status: Mapped[str] = mapped_column(String(20), default="")
    by_user: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (
        CheckConstraint("action IN ('create','submit','return','approve','archive','revise','accept')",
                        name="action"),
    )


class ApprovalRecord(UuidMixin, Base):
    """What the council approved: its resolution (شماره و تاریخ مصوبه) and the revision's fingerprint."""

    __tablename__ = "approval_record"
    plan_id: Mapped[int] = mapped_column(ForeignKey("strategic_plan.id", ondelete="CASCADE"), unique=True)
    resolution_no: Mapped[str] = mapped_column(String(100))
    resolution_date: Mapped[date | None] = mapped_column(Date)
    approved_at: Mapped[datetime] = mapped_column(DateTime)
    approved_by: Mapped[str] = mapped_column(String(100), default="")
    fingerprint: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")


class ApprovalSignatory(Base):
    __tablename__ = "approval_signatory"
    id: Mapped[int] = mapped_column(primary_key=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("approval_record.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class ReviewComment(UuidMixin, Base):
    """A reviewer's comment on a node (or on the plan as a whole) when a revision is returned."""

    __tablename__ = "review_comment"
    plan_id: Mapped[int] = mapped_column(ForeignKey("strategic_plan.id", ondelete="CASCADE"), index=True)
    node_id: Mapped[int | None] = mapped_column(ForeignKey("plan_node.id", ondelete="CASCADE"), index=True)
    step_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_step.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime] = mapped_column(DateTime)
    body: Mapped[str] = mapped_column(Text)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)


class PlanSnapshot(UuidMixin, Base):
    """The canonical plan document of a revision at one stage, kept as it was."""

    __tablename__ = "plan_snapshot"
    plan_id: Mapped[int] = mapped_column(ForeignKey("strategic_plan.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    year: Mapped[int | None] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(300), default="")
    taken_at: Mapped[datetime] = mapped_column(DateTime)
    taken_by: Mapped[str] = mapped_column(String(100), default="")
    fingerprint: Mapped[str] = mapped_column(String(64))
    document: Mapped[str] = mapped_column(Text)
    __table_args__ = (
        CheckConstraint("stage IN ('proposal','approved','amendment','year_end','manual')", name="stage"),
    )


class EvidenceFile(UuidMixin, Base):
    """A photo, letter or PDF backing a progress report or an actual, stored inside the file."""

    __tablename__ = "evidence_file"
    progress_report_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_report.id", ondelete="CASCADE"), index=True)
    indicator_actual_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicator_actual.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[datetime] = mapped_column(DateTime)
    added_by: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (
        CheckConstraint("(progress_report_id IS NULL) <> (indicator_actual_id IS NULL)", name="owner"),
        CheckConstraint("size_bytes >= 0", name="size"),
    )


class ReportDueDate(Base):
    """When a quarter's progress reports are due, set per plan."""

    __tablename__ = "report_due_date"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("strategic_plan.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    __table_args__ = (
        UniqueConstraint("plan_id", "year", "quarter"),
        CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter"),
    )
