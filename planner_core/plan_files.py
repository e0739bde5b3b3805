"""What the File menu does to whole plans and files: duplicate a plan, delete one (after a backup),
save a copy of the open file elsewhere.

Both are undoable: :func:`remove_plan` deletes a plan and returns a :class:`PlanSnapshot` of every
row that went with it (found through the foreign keys that cascade from the plan), and
:func:`restore_plan_snapshot` puts exactly those rows back (same ids and UUIDs).

A duplicate is the plan's own document (planner_core.exchange) written back with new UUIDs, a new
code and a draft status, so it is a plan of its own (exchange never takes it for the original);
budgets, units and budget codes are the file's and are shared, not copied.
"""

from __future__ import annotations

import copy
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Table, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import Base, StrategicPlan
from planner_core import audit, backups, exchange, plans
from planner_core.errors import RuleError, StoreError, ValidationError
from planner_core.plans import PlanInfo
from planner_core.text import ltr, normalize_code, normalize_text

COPY_TITLE = "رونوشت {title}"


def _fresh_ids(item: Any) -> Any:
    """The same document with every UUID ("id") replaced: the copy's rows are rows of their own."""
    if isinstance(item, dict):
        return {key: (str(uuid.uuid4()) if key == "id" and value else _fresh_ids(value)) for key, value in item.items()}
    if isinstance(item, list):
        return [_fresh_ids(value) for value in item]
    return item


def free_code(db: Database, code: str) -> str:
    """``code`` followed by «-2», «-3»… — the first one no plan of the file uses."""
    taken = {p.code for p in plans.list_plans(db)}
    number = 2
    while f"{code}-{number}" in taken:
        number += 1
    return f"{code}-{number}"


def duplicate_plan(db: Database, plan_id: int, *, code: str | None = None, title: str | None = None) -> PlanInfo:
    """A draft copy of the plan with all its levels, indicators, allocations and reports."""
    original = plans.get_plan(db, plan_id)
    new_code = normalize_code(code) if code else free_code(db, original.code)
    new_title = normalize_text(title) if title else COPY_TITLE.format(title=original.title)
    if not new_code:
        raise ValidationError("code", "کد برنامه تازه خالی است.")
    document = exchange.export_document(db, [original.code])
    (plan_doc,) = document["plans"]
    plan_doc = _fresh_ids(copy.deepcopy(plan_doc))
    plan_doc.update(code=new_code, title=new_title, status="draft", source_municipality=None)
    # Units, budget codes and budgets stay the file's own; the copy refers to them by code.
    document.update(municipality=None, org_units=[], budget_codes=[], annual_budgets=[], plans=[plan_doc])
    exchange.import_document(db, document)
    return plans.find_plan(db, new_code)


def backup_before_delete(db: Database, plan_id: int) -> Path | None:
    """Copy the file to its backup folder before a plan is deleted; a clear error for a plan that is gone."""
    plans.get_plan(db, plan_id)
    return backups.backup_before(db, "delete-plan")


def delete_plan_with_backup(db: Database, plan_id: int) -> Path | None:
    """Delete a whole plan after copying the file to its backup folder (the way back); returns the backup."""
    backup = backup_before_delete(db, plan_id)
    plans.delete_plan(db, plan_id)
    return backup


@dataclass
class PlanSnapshot:
    """Every row a deleted plan took with it (table name → rows, parents before children), and the
    references from rows outside the plan that the delete set to NULL (table, id, column, value)."""

    plan_id: int
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    outside: list[tuple[str, int, str, int]] = field(default_factory=list)


def _parents_first(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of a self-referencing table (plan_node) ordered so a parent is inserted before its children."""
    column = next((fk.parent.name for fk in table.foreign_keys if fk.column.table is table), None)
    if column is None:
        return rows
    by_id = {row["id"]: row for row in rows}
    depth: dict[int, int] = {}

    def level(row_id: int) -> int:
        if row_id not in depth:
            parent = by_id[row_id][column]
            depth[row_id] = 0 if parent not in by_id else level(parent) + 1
        return depth[row_id]

    return sorted(rows, key=lambda row: (level(row["id"]), row["id"]))


def _capture(session: Session, plan_id: int) -> PlanSnapshot:
    snapshot = PlanSnapshot(plan_id)
    taken: dict[str, set[int]] = {"strategic_plan": {plan_id}}
    plan_table: Table = StrategicPlan.__table__  # type: ignore[assignment]
    snapshot.rows["strategic_plan"] = [dict(r._mapping) for r in session.execute(
        select(plan_table).where(plan_table.c.id == plan_id))]
    # A table's rows go with the plan when a cascading foreign key points at a row that does.
    for table in Base.metadata.sorted_tables:
        if table is plan_table:
            continue
        links = [fk for fk in table.foreign_keys
                 if fk.ondelete == "CASCADE" and fk.column.table.name in taken and fk.column.table is not table]
        if not links:
            continue
        where = [fk.parent.in_(taken[fk.column.table.name]) for fk in links]
        condition = where[0] if len(where) == 1 else or_(*where)
        rows = [dict(r._mapping) for r in session.execute(select(table).where(condition))]
        if rows:
            snapshot.rows[table.name] = _parents_first(table, rows)
            taken[table.name] = {row["id"] for row in rows}
    # References from rows that stay (another revision's «supersedes») are set to NULL by the delete.
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            target = fk.column.table.name
            if fk.ondelete != "SET NULL" or target not in taken:
                continue
            mine = taken.get(table.name, set())
            for row_id, value in session.execute(
                    select(table.c.id, fk.parent).where(fk.parent.in_(taken[target]))):
                if row_id not in mine:
                    snapshot.outside.append((table.name, row_id, fk.parent.name, value))
    return snapshot


def remove_plan(db: Database, plan_id: int) -> PlanSnapshot:
    """Delete a whole plan; the returned snapshot lets undo put back exactly what went."""
    with db.unit() as session:
        plan = plans.load_plan(session, plan_id)
        plans.ensure_editable(plan)
        snapshot = _capture(session, plan_id)
        audit.record(session, "delete", "plan", plan.uuid, plan.title,
                     before={"code": plan.code, "title": plan.title})
        session.execute(delete(StrategicPlan.__table__).where(StrategicPlan.__table__.c.id == plan_id))
        session.expunge_all()
        return snapshot


def restore_plan_snapshot(db: Database, snapshot: PlanSnapshot) -> PlanInfo:
    """Undo of :func:`remove_plan`: the same rows, ids and UUIDs come back."""
    tables = Base.metadata.tables
    with db.unit() as session:
        if session.get(StrategicPlan, snapshot.plan_id) is not None:
            raise RuleError("این برنامه راهبردی هم‌اکنون در فایل هست.")
        for table in Base.metadata.sorted_tables:
            rows = snapshot.rows.get(table.name)
            if rows:
                session.execute(insert(table), rows)
        for name, row_id, column, value in snapshot.outside:
            table = tables[name]
            session.execute(update(table).where(table.c.id == row_id).values({column: value}))
        plan = plans.load_plan(session, snapshot.plan_id)
        audit.record(session, "restore", "plan", plan.uuid, plan.title)
        return plans.plan_info(session, plan)


def save_copy(db: Database, target: str | Path) -> Path:
    """Write a consistent copy of the open file to ``target`` (SQLite online backup), checked afterwards."""
    source = backups.database_path(db)
    if source is None:
        raise StoreError("این پایگاه داده روی سرور است و رونوشت فایلی از آن ساخته نمی‌شود.",
                         "a server database cannot be saved as a file copy")
    target = Path(target).expanduser()
    if target.suffix.lower() not in (".db", ".sqlite"):
        target = target.with_name(target.name + ".db")
    if target.exists() and target.resolve() == source.resolve():
        raise StoreError("رونوشت را نمی‌توان روی همین فایل باز ذخیره کرد؛ نام یا پوشه دیگری برگزینید.",
                         "the copy cannot overwrite the open file")
    if target.is_dir():
        raise StoreError(f"«{ltr(target)}» یک پوشه است؛ نام فایل رونوشت را بنویسید.", "the target is a folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        backups.copy_verified(source, target)  # the chosen name appears only when the copy is whole
    except backups.CopyNotSound as exc:
        raise StoreError("رونوشت ساخته‌شده سالم نبود و ذخیره نشد.", "the copy failed its integrity check") from exc
    except PermissionError as exc:
        raise StoreError(f"اجازه نوشتن در «{ltr(target.parent)}» نیست؛ پوشه دیگری برگزینید.",
                         f"no permission to write: {exc}") from exc
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"رونوشت در «{ltr(target)}» ذخیره نشد؛ جای خالی دیسک و مسیر را بررسی کنید.",
                         f"copy failed: {exc}") from exc
    return target
