"""Responsible units: deputies (معاونت), departments (اداره) and districts (منطقه)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from db.engine import Database
from db.models import OrgUnit
from planner_core import audit, fields
from planner_core.errors import NotFoundError, ValidationError
from planner_core.levels import ORG_UNIT_KIND_LABELS, ORG_UNIT_KINDS
from planner_core.text import fold


@dataclass(frozen=True)
class OrgUnitInfo:
    id: int
    uuid: str
    code: str
    name: str
    kind: str
    parent_id: int | None

    @property
    def kind_label(self) -> str:
        return ORG_UNIT_KIND_LABELS[self.kind]


def _info(unit: OrgUnit) -> OrgUnitInfo:
    return OrgUnitInfo(unit.id, unit.uuid, unit.code, unit.name, unit.kind, unit.parent_id)


def list_org_units(db: Database) -> list[OrgUnitInfo]:
    with db.unit() as session:
        return [_info(u) for u in session.scalars(select(OrgUnit).order_by(OrgUnit.kind, OrgUnit.code))]


def find_org_unit(db: Database, code_or_name: str) -> OrgUnitInfo:
    key = fold(code_or_name)
    for unit in list_org_units(db):
        if fold(unit.code) == key or fold(unit.name) == key:
            return unit
    raise NotFoundError(f"واحد مسئولی با کد یا نام «{code_or_name}» نیست.")


def add_org_unit(db: Database, *, code: str, name: str, kind: str = "department",
                 parent_id: int | None = None) -> OrgUnitInfo:
    with db.unit() as session:
        clean_code = fields.code("code", code)
        if session.scalars(select(OrgUnit).where(OrgUnit.code == clean_code)).first():
            raise ValidationError("code", f"کد: واحدی با کد «{clean_code}» از پیش هست.")
        unit = OrgUnit(code=clean_code, name=fields.text("name", name, required=True, max_length=200),
                       kind=fields.choice("kind", kind, ORG_UNIT_KINDS, ORG_UNIT_KIND_LABELS),
                       parent_id=parent_id)
        session.add(unit)
        session.flush()
        audit.record(session, "create", "org_unit", unit.uuid, unit.name)
        return _info(unit)


def rename_org_unit(db: Database, unit_id: int, name: str) -> OrgUnitInfo:
    with db.unit() as session:
        unit = session.get(OrgUnit, unit_id)
        if unit is None:
            raise NotFoundError("واحد مسئول پیدا نشد.")
        before = unit.name
        unit.name = fields.text("name", name, required=True, max_length=200)
        audit.record(session, "update", "org_unit", unit.uuid, unit.name, before=before, after=unit.name)
        return _info(unit)
