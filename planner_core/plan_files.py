"""What the File menu does to whole plans and files: duplicate a plan, delete one (after a backup),
save a copy of the open file elsewhere.

A duplicate is the plan's own document (planner_core.exchange) written back with new UUIDs, a new
code and a draft status, so it is a plan of its own (exchange never takes it for the original);
budgets, units and budget codes are the file's and are shared, not copied.
"""

from __future__ import annotations

import copy
import sqlite3
import uuid
from pathlib import Path
from typing import Any

from db.engine import Database
from planner_core import backups, exchange, plans
from planner_core.errors import StoreError, ValidationError
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


def delete_plan_with_backup(db: Database, plan_id: int) -> Path | None:
    """Delete a whole plan after copying the file to its backup folder (the way back); returns the backup."""
    plans.get_plan(db, plan_id)  # a clear error for a plan that is gone
    backup = backups.backup_before(db, "delete-plan")
    plans.delete_plan(db, plan_id)
    return backup


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
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        with sqlite3.connect(source) as src, sqlite3.connect(partial) as dst:
            src.backup(dst)
            ok = dst.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        if not ok:
            raise StoreError("رونوشت ساخته‌شده سالم نبود و ذخیره نشد.", "the copy failed its integrity check")
        partial.replace(target)  # the chosen name appears only when the copy is whole
    except PermissionError as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(f"اجازه نوشتن در «{ltr(target.parent)}» نیست؛ پوشه دیگری برگزینید.",
                         f"no permission to write: {exc}") from exc
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(f"رونوشت در «{ltr(target)}» ذخیره نشد؛ جای خالی دیسک و مسیر را بررسی کنید.",
                         f"copy failed: {exc}") from exc
    return target
