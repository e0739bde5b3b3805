"""The municipality a plan file belongs to (and the sources of imported plans)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from db.engine import Database
from db.models import Municipality
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
