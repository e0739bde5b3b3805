"""The municipality a plan file belongs to (and the sources of imported plans)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from db.engine import Database
from db.models import LessonLearned, Municipality, StrategicPlan
from planner_core import audit, fields


@dataclass(frozen=True)
class MunicipalityInfo:
    id: int
    uuid: str
    name: str
    province: str


def home_municipality(db: Database) -> MunicipalityInfo | None:
    with db.unit() as session:
        row = session.scalars(select(Municipality).where(Municipality.is_home)).first()
        return MunicipalityInfo(row.id, row.uuid, row.name, row.province) if row else None


def set_home_municipality(db: Database, *, name: str, province: str = "") -> MunicipalityInfo:
    """Name the file's own municipality (created on first use, renamed afterwards)."""
    with db.unit() as session:
        row = session.scalars(select(Municipality).where(Municipality.is_home)).first()
        clean_name = fields.text("name", name, required=True, max_length=200)
        clean_province = fields.text("province", province, max_length=100)
        before = (row.name, row.province) if row else None
        if row is None:
            row = Municipality(name=clean_name, province=clean_province, is_home=True)
            session.add(row)
        else:
            row.name, row.province = clean_name, clean_province
        session.flush()
        audit.record(session, "update" if before else "create", "municipality", row.uuid, clean_name,
                     before=before, after=(clean_name, clean_province))
        return MunicipalityInfo(row.id, row.uuid, row.name, row.province)


def clear_home_municipality(db: Database) -> MunicipalityInfo | None:
    """Undo the first naming: the file has no municipality of its own again.  Returns what it was.

    The row stays (as a plain source municipality) when an imported plan or lesson names it.
    """
    with db.unit() as session:
        row = session.scalars(select(Municipality).where(Municipality.is_home)).first()
        if row is None:
            return None
        info = MunicipalityInfo(row.id, row.uuid, row.name, row.province)
        used = any(session.scalars(select(model.id).where(model.source_municipality_id == row.id)).first()
                   for model in (StrategicPlan, LessonLearned))
        audit.record(session, "delete", "municipality", row.uuid, row.name, before=(row.name, row.province))
        if used:
            row.is_home = False
        else:
            session.delete(row)
        return info


def restore_home_municipality(db: Database, info: MunicipalityInfo) -> None:
    """Redo of a first naming: the same row (id and UUID, which exchange matches on) comes back."""
    with db.unit() as session:
        row = session.scalars(select(Municipality).where(Municipality.uuid == info.uuid)).first()
        if row is None:
            row = Municipality(id=info.id, uuid=info.uuid, name=info.name, province=info.province)
            session.add(row)
        row.name, row.province, row.is_home = info.name, info.province, True
        session.flush()
        audit.record(session, "restore", "municipality", row.uuid, row.name)
