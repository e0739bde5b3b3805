"""Backups of a plan file, taken before anything risky (migration, import, merge, roll-forward, restore).

Only the entry point others call lives here for now; rotation, listing and restore grow here too.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from db.engine import Database
from planner_core.errors import StoreError


def database_path(db: Database) -> Path | None:
    """The SQLite file behind a store, or None for a server database (PostgreSQL backs itself up)."""
    url = make_url(db.url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def backup_before(db: Database, reason: str) -> Path | None:
    """Copy the store to its backup folder through SQLite's online backup API before an operation.

    ``reason`` is a short English word ("import", "merge", "migration", "roll-forward", "restore").
    Returns the backup's path (None for a server database).  Raises StoreError when it cannot be
    written or does not pass ``integrity_check``: the operation must then not go on.
    """
    source = database_path(db)
    if source is None:
        return None
    folder = source.parent / f"{source.stem}-backups"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{source.stem}-{stamp}-{reason}.db"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
            ok = dst.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except (OSError, sqlite3.Error) as exc:
        raise StoreError("پشتیبان فایل ساخته نشد؛ کار انجام نشد.", f"backup failed: {exc}") from exc
    if not ok:
        target.unlink(missing_ok=True)
        raise StoreError("پشتیبان ساخته‌شده سالم نبود؛ کار انجام نشد.", "backup failed its integrity check")
    return target
