"""Responsible units: deputies (معاونت), departments (اداره) and districts (منطقه)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from db.engine import Database
from db.models import OrgUnit, PlanNode
from planner_core import audit, fields
from planner_core.errors import NotFoundError, RuleError, ValidationError
from planner_core.levels import ORG_UNIT_KIND_LABELS, ORG_UNIT_KINDS
from planner_core.text import fold, to_persian_digits


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


def update_org_unit(db: Database, unit_id: int, **changes: object) -> OrgUnitInfo:
    """Change a unit's code, name, kind or parent unit."""
    with db.unit() as session:
        unit = session.get(OrgUnit, unit_id)
        if unit is None:
            raise NotFoundError("واحد مسئول پیدا نشد.")
        before = _info(unit)
        for key, value in changes.items():
            if key == "code":
                code = fields.code("code", value)
                clash = session.scalars(select(OrgUnit).where(OrgUnit.code == code, OrgUnit.id != unit_id)).first()
                if clash is not None:
                    raise ValidationError("code", f"کد: واحدی با کد «{code}» از پیش هست.")
                unit.code = code
            elif key == "name":
                unit.name = fields.text("name", value, required=True, max_length=200)
            elif key == "kind":
                unit.kind = fields.choice("kind", value, ORG_UNIT_KINDS, ORG_UNIT_KIND_LABELS)
            elif key == "parent_id":
                parent_id = value if isinstance(value, int) else None
                ancestor = parent_id
                while ancestor is not None:  # a unit cannot sit under itself
                    if ancestor == unit_id:
                        raise ValidationError("parent", "واحد بالادست: یک واحد نمی‌تواند زیرمجموعه خودش باشد.")
                    ancestor = session.scalar(select(OrgUnit.parent_id).where(OrgUnit.id == ancestor))
                unit.parent_id = parent_id
            else:
                raise ValidationError(key, f"فیلد «{key}» در واحد مسئول وجود ندارد.")
        session.flush()
        audit.record(session, "update", "org_unit", unit.uuid, unit.name, before=before.__dict__,
                     after=_info(unit).__dict__)
        return _info(unit)


def delete_org_unit(db: Database, unit_id: int) -> OrgUnitInfo:
    """Remove a unit no plan node names as responsible; returns it for undo."""
    with db.unit() as session:
        unit = session.get(OrgUnit, unit_id)
        if unit is None:
            raise NotFoundError("واحد مسئول پیدا نشد.")
        used = session.scalar(select(func.count()).select_from(PlanNode)
                              .where(PlanNode.responsible_unit_id == unit_id))
        if used:
            raise RuleError(f"واحد «{unit.name}» مسئول {to_persian_digits(used)} گره برنامه است؛ "
                            "نخست مسئولیت آن‌ها را به واحد دیگری بدهید.")
        below = session.scalar(select(func.count()).select_from(OrgUnit).where(OrgUnit.parent_id == unit_id))
        if below:
            raise RuleError(f"واحد «{unit.name}» {to_persian_digits(below)} واحد زیرمجموعه دارد؛ "
                            "نخست آن‌ها را حذف کنید یا به واحد دیگری ببرید.")
        info = _info(unit)
        audit.record(session, "delete", "org_unit", unit.uuid, unit.name, before=info.__dict__)
        session.delete(unit)
        return info


def restore_org_unit(db: Database, info: OrgUnitInfo) -> None:
    with db.unit() as session:
        session.add(OrgUnit(id=info.id, uuid=info.uuid, code=info.code, name=info.name, kind=info.kind,
                            parent_id=info.parent_id))
        audit.record(session, "restore", "org_unit", info.uuid, info.name)
