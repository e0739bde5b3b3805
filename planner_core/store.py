"""Opening a plan file: checks it is ours and sound, brings its schema up to date, returns the store.

A reading open (``write=False``) never changes the file: it opens it through SQLite's read-only
mode (immutable where the folder cannot be written), never migrates it (a file of an older schema is
read from a migrated temporary copy) and never switches its journal.  A writing open refuses a file
that is not ours, is newer than this program, or is damaged; takes the one-writer lock when asked;
backs the file up on the first open of a day and before a migration; and puts the file back byte
for byte when a migration fails.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy.exc import DatabaseError, OperationalError

from db.engine import Database, sqlite_path, url_for
from db.migrate import current_revision, head_revision, known_revision, upgrade
from planner_core.errors import StoreError
from planner_core.messages import database_problem, file_problem
from planner_core.safety import WriterLock, file_health, folder_writable, place_warning
from planner_core.safety.health import Health
from planner_core.text import ltr

SQLITE_MAGIC = b"SQLite format 3\x00"

READ_ONLY_PLACE = "این فایل در پوشه‌ای است که نوشتن در آن ممکن نیست؛ فقط برای خواندن باز شد."
DAMAGED = ("فایل «{name}» آسیب دیده است؛ برای آنکه چیزی از دست نرود فقط برای خواندن باز می‌شود. "
           "می‌توانید آخرین پشتیبان سالم را بازگردانید یا آنچه خواندنی است را در فایل تازه‌ای ذخیره کنید.")


class ReadOnlyPlaceError(StoreError):
    """The folder (or the file) cannot be written: the file can only be opened for reading."""


class DamagedStoreError(StoreError):
    """The file fails quick_check or foreign_key_check: it is never written to."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        problem = problems[0] if problems else "?"
        super().__init__(DAMAGED.format(name=ltr(path.name)),
                         f"the database is damaged: {problem}")
        self.problems = problems


def _foreign(path: Path) -> StoreError:
    return StoreError(f"«{ltr(path)}» با برنامه‌نگار ساخته نشده است؛ آن را باز نکردیم و دست‌نخورده ماند.",
                      "this database was not made by Barnamenegar; it was left unchanged")


def _newer() -> StoreError:
    return StoreError("این فایل با نسخه جدیدتری از برنامه‌نگار ساخته شده است؛ برنامه را به‌روز کنید.",
                      "this file was written by a newer Barnamenegar")


def _check_file(path: Path, create: bool) -> bool:
    """Validate a path; True when a file with content is there."""
    if path.is_dir():
        raise StoreError(f"«{ltr(path)}» یک پوشه است، نه فایل برنامه.", f"'{path}' is a folder, not a plan file")
    if not path.exists():
        if not create:
            raise StoreError(f"فایل «{ltr(path)}» پیدا نشد.", f"file '{path}' not found")
        return False
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise StoreError(file_problem(exc, path, reading=True), f"cannot read '{path}': {exc}") from exc
    if not header:
        if not create:
            raise StoreError(f"فایل «{ltr(path)}» خالی است و برنامه‌ای در آن نیست.", f"'{path}' is empty")
        return False
    if header != SQLITE_MAGIC:
        raise StoreError(f"«{ltr(path)}» فایل پایگاه داده برنامه‌نگار نیست.", f"'{path}' is not a Barnamenegar database")
    return True


def _refuse(path: Path, health: Health, reading: bool) -> None:
    if health.kind == "foreign" or (reading and health.kind == "empty"):
        raise _foreign(path)
    if health.kind == "newer":
        raise _newer()
    if health.kind == "damaged" and not reading:
        raise DamagedStoreError(path, health.problems)


def open_store(target: str | Path, create: bool = False, write: bool = True, lock: bool = False) -> Database:
    """Open (or, with ``create``, make) a plan store.

    ``write=False`` opens it for reading only (see the module's docstring).  ``lock`` takes the
    one-writer lock file (GUI and headless writing commands).  Raises StoreError (Persian and English)
    for a missing, foreign, newer or damaged file, ReadOnlyPlaceError for a folder that cannot be
    written and LockedError when another instance holds the file.
    """
    text = str(target)
    if "://" in text and sqlite_path(url_for(text)) is None:
        return _open_server(text, write)
    path = sqlite_path(url_for(text))
    assert path is not None
    has_content = _check_file(path, create and write)
    health = file_health(path, check=write) if has_content else Health("empty")
    _refuse(path, health, reading=not write)
    if not write:
        return _open_for_reading(path, health)
    if not folder_writable(path):
        raise ReadOnlyPlaceError(READ_ONLY_PLACE, "the folder cannot be written; open the file read-only")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(file_problem(exc, path, reading=False), f"cannot create '{path}': {exc}") from exc
    writer = WriterLock.take(path) if lock else None
    # The exact bytes before a migration (taken before the first connection switches the journal).
    pristine = _keep_bytes(path) if has_content and health.needs_migration else None
    db = Database(path)
    if writer is not None:
        db.on_dispose.append(writer.release)
    try:
        if pristine is not None:
            _migrate_safely(db, path, pristine)
        elif current_revision(db.engine) != head_revision():
            upgrade(db.engine)  # a new, empty file
        if has_content:
            _daily_backup(db)
    except (DatabaseError, OperationalError) as exc:
        db.dispose()
        raise StoreError(database_problem(exc, path), f"cannot open the database: {exc.orig}") from exc
    except BaseException:
        db.dispose()
        raise
    finally:
        if pristine is not None:
            shutil.rmtree(pristine.parent, ignore_errors=True)
    warning = place_warning(path)
    if warning:
        db.notices.append(warning)
    return db


def _open_server(url: str, write: bool) -> Database:
    db = Database(url)
    try:
        revision = current_revision(db.engine)
        if revision is None and db.has_schema():
            raise _foreign(Path(url))
        if revision is not None and not known_revision(revision):
            raise _newer()
        if revision != head_revision():
            if not write:  # a read never migrates
                raise StoreError("ساختار این پایگاه داده قدیمی است؛ نخست آن را در برنامه برای ویرایش باز کنید.",
                                 "the database needs an upgrade; open it for writing first")
            upgrade(db.engine)
    except (DatabaseError, OperationalError) as exc:
        db.dispose()
        raise StoreError(database_problem(exc, url), f"cannot open the database: {exc.orig}") from exc
    except StoreError:
        db.dispose()
        raise
    return db


def _open_for_reading(path: Path, health: Health) -> Database:
    mode = "read" if folder_writable(path) else "immutable"
    if health.needs_migration:
        # Never migrate on a read: read a migrated temporary copy instead.
        folder = Path(tempfile.mkdtemp(prefix="barnamenegar-read-"))
        copy = folder / "copy.db"
        with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        source.close()
        target.close()
        migrated = Database(copy)
        upgrade(migrated.engine)
        migrated.dispose()
        db = Database(copy, "read")
        db.on_dispose.append(lambda: shutil.rmtree(folder, ignore_errors=True))
    else:
        db = Database(path, mode)
    if mode == "immutable":
        db.notices.append(READ_ONLY_PLACE)
    return db


def _keep_bytes(path: Path) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="barnamenegar-premigration-"))
    for suffix in ("", "-wal"):
        if Path(f"{path}{suffix}").exists():
            shutil.copy2(f"{path}{suffix}", folder / f"{path.name}{suffix}")
    return folder / path.name


def _migrate_safely(db: Database, path: Path, pristine: Path) -> None:
    """Back up (verified) and migrate; on failure put the exact bytes back and say so."""
    from planner_core.backups import backup_before

    backup_before(db, "migration")
    try:
        upgrade(db.engine)
    except Exception as exc:
        db.engine.dispose()
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        for suffix in ("", "-wal"):
            if Path(f"{pristine}{suffix}").exists():
                shutil.copy2(f"{pristine}{suffix}", f"{path}{suffix}")
        db.checkpoint_on_close = False  # nothing may touch the restored bytes
        raise StoreError("به‌روزرسانی ساختار فایل ناموفق بود؛ فایل دقیقاً به حالت پیش از آن برگردانده شد و "
                         "پشتیبانی هم از آن ساخته شده است.", f"the migration failed and was undone: {exc}") from exc


def _daily_backup(db: Database) -> None:
    """The first writing open of a day backs the file up (rotation keeps the folder small)."""
    from planner_core.backups import backup_before, list_backups

    today = date.today()
    if not any(b.reason == "daily" and b.created.date() == today for b in list_backups(db.path)):
        try:
            backup_before(db, "daily")
        except StoreError as exc:  # a full disk must not keep the planner out of the file: say so
            db.notices.append(f"پشتیبان روزانه ساخته نشد: {exc}")
