"""Opening a file for the desktop app: for editing when it can be, else read-only with the reason.

The app never refuses a file it can read: another instance holding it, a folder that cannot be
written, or damage each open it read-only, and ``Opened.reason`` says why (and, for damage, what the
planner may do next: restore the latest good backup or save what can be read into a new file).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from db.engine import Database, read_only_uri
from db.models import Base
from planner_core import backups
from planner_core.errors import StoreError
from planner_core.safety.health import file_health
from planner_core.safety.lock import LockedError, WriterLock
from planner_core.store import DamagedStoreError, ReadOnlyPlaceError, open_store
from planner_core.text import ltr

READ_ONLY_BANNER = "این فایل فقط برای خواندن باز شده است و نمی‌توان آن را ویرایش کرد. "


@dataclass
class Opened:
    db: Database
    # None: open for editing; else "locked", "place" or "damaged".
    reason: str | None = None
    message: str = ""

    @property
    def read_only(self) -> bool:
        return self.reason is not None


def open_for_editing(path: Path, create: bool = True) -> Opened:
    """Open ``path`` for editing with the writer lock, or read-only with the reason why."""
    try:
        return Opened(open_store(path, create=create, write=True, lock=True))
    except LockedError as exc:
        reason, message = "locked", str(exc)
    except ReadOnlyPlaceError as exc:
        reason, message = "place", str(exc)
    except DamagedStoreError as exc:
        reason, message = "damaged", str(exc)
    db = open_store(path, write=False)
    db.read_only_reason = reason
    db.notices.insert(0, READ_ONLY_BANNER + message)
    return Opened(db, reason, READ_ONLY_BANNER + message)


def latest_good_backup(path: Path) -> backups.Backup | None:
    for backup in backups.list_backups(path):
        if file_health(backup.path, full=True).kind == "ours":
            return backup
    return None


def restore_backup(path: Path, backup: Path) -> Path | None:
    """Restore under the writer lock (the caller has closed its own store); returns the pre-restore copy."""
    lock = WriterLock.take(path)
    try:
        return backups.restore(path, backup)
    finally:
        lock.release()


def salvage(damaged: Path, out: Path) -> dict[str, int]:
    """Copy every row that can still be read from ``damaged`` into a new plan file ``out``.

    Tables are copied parents first; a row that cannot be read or that breaks a rule is skipped.
    Returns the number of rows copied per table.
    """
    if out.exists():
        raise StoreError(f"فایل «{ltr(out)}» از پیش هست؛ نام دیگری بدهید.", f"'{out}' exists")
    open_store(out, create=True).dispose()
    copied: dict[str, int] = {}
    source = sqlite3.connect(read_only_uri(damaged), uri=True)
    target = sqlite3.connect(out)
    try:
        target.execute("PRAGMA foreign_keys=ON")
        for table in Base.metadata.sorted_tables:
            columns = [c.name for c in table.columns]
            names = ", ".join(f'"{c}"' for c in columns)
            insert = f'INSERT OR IGNORE INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(columns))})'
            count = 0
            try:
                for row in source.execute(f'SELECT {names} FROM "{table.name}" ORDER BY rowid'):
                    try:
                        target.execute(insert, row)
                        count += 1
                    except sqlite3.Error:
                        continue
            except sqlite3.Error:
                pass  # the rest of this table is unreadable: keep what was read
            copied[table.name] = count
        target.commit()
    finally:
        source.close()
        target.close()
    return copied
