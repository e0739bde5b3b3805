"""Snapshots: a revision's whole plan document at a stage (proposal, approved, amendment, year-end),
kept as it was, listed, compared and printed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import PlanSnapshot, StrategicPlan
from planner_core import audit, fields
from planner_core.errors import NotFoundError, ValidationError
from planner_core.lifecycle import documents

STAGES = ("proposal", "approved", "amendment", "year_end", "manual")
STAGE_LABELS = {"proposal": "پیشنهاد (ارسال برای بررسی)", "approved": "تصویب", "amendment": "اصلاحیه مصوب",
                "year_end": "پایان سال (تفریغ)", "manual": "دستی"}


@dataclass(frozen=True)
class SnapshotInfo:
    id: int
    uuid: str
    plan_id: int
    revision: int
    stage: str
    year: int | None
    label: str
    taken_at: datetime
    taken_by: str
    fingerprint: str

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS.get(self.stage, self.stage)


def _info(row: PlanSnapshot, revision: int) -> SnapshotInfo:
    return SnapshotInfo(row.id, row.uuid, row.plan_id, revision, row.stage, row.year, row.label, row.taken_at,
                        row.taken_by, row.fingerprint)


def take(session: Session, plan: StrategicPlan, stage: str, *, by: str | None = None, year: int | None = None,
         label: str = "") -> PlanSnapshot:
    if stage not in STAGES:
        raise ValidationError("stage", f"مرحله «{stage}» شناخته نیست.")
    doc = documents.document_in_session(session, plan)
    row = PlanSnapshot(plan_id=plan.id, stage=stage, year=year, label=fields.text("label", label, max_length=300),
                       taken_at=datetime.now(UTC).replace(tzinfo=None), taken_by=by or audit.current_user(),
                       fingerprint=documents.fingerprint(doc["plans"][0]),
                       document=json.dumps(doc, ensure_ascii=False, sort_keys=True))
    session.add(row)
    session.flush()
    return row


def take_snapshot(db: Database, plan_id: int, stage: str = "manual", *, year: object = None, label: str = "",
                  by: str | None = None) -> SnapshotInfo:
    """A snapshot on demand, e.g. the year-end one (تفریغ) after the evaluation is recorded."""
    with db.unit() as session:
        plan = session.get(StrategicPlan, plan_id)
        if plan is None:
            raise NotFoundError("برنامه راهبردی پیدا نشد؛ شاید حذف شده باشد.")
        fiscal_year = fields.year("year", year, required=stage == "year_end")
        row = take(session, plan, stage, by=by, year=fiscal_year, label=label)
        return _info(row, plan.revision)


def list_snapshots(db: Database, plan_id: int) -> list[SnapshotInfo]:
    """Snapshots of every revision of this plan, oldest first."""
    from planner_core.lifecycle.revisions import family

    with db.unit(write=False) as session:
        plan = session.get(StrategicPlan, plan_id)
        if plan is None:
            raise NotFoundError("برنامه راهبردی پیدا نشد؛ شاید حذف شده باشد.")
        revisions = {p.id: p.revision for p in family(session, plan.code)}
        rows = session.scalars(select(PlanSnapshot).where(PlanSnapshot.plan_id.in_(revisions))
                               .order_by(PlanSnapshot.taken_at, PlanSnapshot.id))
        return [_info(r, revisions[r.plan_id]) for r in rows]


def find_snapshot(session: Session, ref: str) -> PlanSnapshot | None:
    text = ref.strip()
    if text.lower().startswith("snapshot:"):
        text = text.split(":", 1)[1]
    if text.isdigit():
        return session.get(PlanSnapshot, int(text))
    return session.scalars(select(PlanSnapshot).where(PlanSnapshot.uuid == text)).first()


def snapshot_document(db: Database, snapshot_id: int) -> dict[str, Any]:
    with db.unit(write=False) as session:
        row = session.get(PlanSnapshot, snapshot_id)
        if row is None:
            raise NotFoundError("نسخه ثبت‌شده (snapshot) پیدا نشد.")
        return json.loads(row.document)
