"""Opening a plan file: checks it is ours, brings its schema up to date, returns the store."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import DatabaseError, OperationalError

from db.engine import Database
from db.migrate import current_revision, head_revision, upgrade
from planner_core.errors import StoreError
from planner_core.messages import database_problem, file_problem
from planner_core.text import ltr

SQLITE_MAGIC = b"SQLite format 3\x00"


def open_store(target: str | Path, create: bool = False) -> Database:
    """Open (or, with ``create``, make) a plan store and upgrade it to the current schema.

    Raises StoreError with a Persian and English message for a missing file, a file that is
    not a SQLite database, or a file written by a newer version of the program.
    """
    text = str(target)
    if "://" not in text:
        path = Path(text).expanduser()
        if path.is_dir():
            raise StoreError(f"«{ltr(path)}» یک پوشه است، نه فایل برنامه.", f"'{path}' is a folder, not a plan file")
        if path.exists():
            try:
                with path.open("rb") as handle:
                    header = handle.read(16)
            except OSError as exc:
                raise StoreError(file_problem(exc, path, reading=True), f"cannot read '{path}': {exc}") from exc
            if not header and not create:
                raise StoreError(f"فایل «{ltr(path)}» خالی است و برنامه‌ای در آن نیست.", f"'{path}' is empty")
            if header and header != SQLITE_MAGIC:
                raise StoreError(f"«{ltr(path)}» فایل پایگاه داده برنامه‌نگار نیست.",
                                 f"'{path}' is not a Barnamenegar database")
        elif not create:
            raise StoreError(f"فایل «{ltr(path)}» پیدا نشد.", f"file '{path}' not found")
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(file_problem(exc, path, reading=False), f"cannot create '{path}': {exc}") from exc
    db = Database(target)
    try:
        revision = current_revision(db.engine)
        head = head_revision(db.engine)
        if revision is None and db.has_schema():
            raise StoreError("این پایگاه داده نسخه ندارد و با برنامه‌نگار ساخته نشده است.",
                             "this database was not made by Barnamenegar")
        if revision is not None and revision != head and not _is_known(db, revision):
            raise StoreError("این فایل با نسخه جدیدتری از برنامه‌نگار ساخته شده است.",
                             "this file was written by a newer Barnamenegar")
        if revision != head:
            upgrade(db.engine)
    except (DatabaseError, OperationalError) as exc:
        db.dispose()
        raise StoreError(database_problem(exc, target), f"cannot open the database: {exc.orig}") from exc
    except StoreError:
        db.dispose()
        raise
    return db


def _is_known(db: Database, revision: str) -> bool:
    from alembic.script import ScriptDirectory

    from db.migrate import alembic_config

    try:
        ScriptDirectory.from_config(alembic_config(db.engine)).get_revision(revision)
    except Exception:
        return False
    return True
