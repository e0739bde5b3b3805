"""Backups of a plan file: before anything risky (migration, import, merge, roll-forward, restore),
on the first open of a day, and on request; listed, rotated and restored.

Backups live in a folder the planner can see, beside the file: ``<stem>-backups/``.  A backup's
name carries its metadata: ``<stem>-<YYYYmmdd-HHMMSS-ffffff>-<reason>.db``.  Each is written with
SQLite's online backup API and checked with ``integrity_check`` before it counts.

Rotation keeps the newest daily backup of each of the last 7 days, of each of the last 8 weeks and
of each of the last 12 months, every pre-operation backup for 30 days, and manual backups always.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

from db.engine import Database, read_only_uri
from planner_core.errors import StoreError
from planner_core.text import ltr

KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 8, 12
KEEP_OPERATION = timedelta(days=30)
ROTATED = "daily"
KEPT = ("manual",)
_NAME = re.compile(r"^(?P<stem>.*)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[a-z-]+)\.db$")

REASONS_FA = {"daily": "پشتیبان روزانه", "migration": "پیش از به‌روزرسانی ساختار فایل", "import": "پیش از ورود داده",
              "merge": "پیش از ادغام", "roll-forward": "پیش از انتقال به دوره بعد", "restore": "پیش از بازگردانی",
              "manual": "پشتیبان دستی", "damaged": "نسخه آسیب‌دیده پیش از بازگردانی"}


@dataclass(frozen=True)
class Backup:
    path: Path
    created: datetime
    reason: str
    size: int

    @property
    def reason_label(self) -> str:
        return REASONS_FA.get(self.reason, self.reason)

    def as_json(self) -> dict[str, object]:
        return {"path": str(self.path), "created": self.created.isoformat(timespec="seconds"),
                "reason": self.reason, "size": self.size}


def database_path(db: Database) -> Path | None:
    """The SQLite file behind a store, or None for a server database (PostgreSQL backs itself up)."""
    url = make_url(db.url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def backup_folder(source: Path) -> Path:
    return source.parent / f"{source.stem}-backups"


class CopyNotSound(Exception):
    """The copy was written but failed its integrity_check (and was removed)."""


def copy_verified(source: Path, target: Path) -> None:
    """Online backup of ``source`` into ``target``, put in place only if it passes integrity_check.

    Raises OSError or sqlite3.Error from the copy, or CopyNotSound; never leaves a partial file, so
    each caller says in its own words what failed (a backup, a saved copy)."""
    partial = target.with_name(target.name + ".partial")
    try:
        src = sqlite3.connect(read_only_uri(source), uri=True, timeout=10)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
                ok = dst.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        if not ok:
            raise CopyNotSound
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _copy_verified(source: Path, target: Path) -> None:
    """A verified copy for a backup or a restore; any failure is a StoreError in those words."""
    try:
        copy_verified(source, target)
    except CopyNotSound as exc:
        raise StoreError("پشتیبان ساخته‌شده سالم نبود؛ کار انجام نشد.", "backup failed its integrity check") from exc
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"پشتیبان فایل ساخته نشد ({exc})؛ کار انجام نشد.", f"backup failed: {exc}") from exc


def backup_file(source: Path, reason: str, now: datetime | None = None) -> Path:
    """Back ``source`` up into its backup folder (verified), rotate the folder, return the backup."""
    now = now or datetime.now()
    folder = backup_folder(source)
    target = folder / f"{source.stem}-{now.strftime('%Y%m%d-%H%M%S-%f')}-{reason}.db"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"پوشه پشتیبان «{ltr(folder)}» ساخته نشد؛ کار انجام نشد.", f"backup failed: {exc}") from exc
    _copy_verified(source, target)
    rotate(source, now)
    return target


def backup_before(db: Database, reason: str) -> Path | None:
    """Copy the store to its backup folder through SQLite's online backup API before an operation.

    ``reason`` is a short English word ("import", "merge", "migration", "roll-forward", "restore").
    Returns the backup's path (None for a server database).  Raises StoreError when it cannot be
    written or does not pass ``integrity_check``: the operation must then not go on.
    """
    source = database_path(db)
    if source is None:
        return None
    return backup_file(source, reason)


def backup_to(source: Path, out: Path | None = None) -> Path:
    """A manual backup: into the backup folder, or to ``out`` (a new file)."""
    if out is None:
        return backup_file(source, "manual")
    if out.exists():
        raise StoreError(f"فایل «{ltr(out)}» از پیش هست؛ نام دیگری بدهید.", f"'{out}' exists")
    if not out.parent.is_dir():
        raise StoreError(f"پوشه «{ltr(out.parent)}» وجود ندارد.", f"folder '{out.parent}' does not exist")
    _copy_verified(source, out)
    return out


def list_backups(source: Path | None) -> list[Backup]:
    """The backups of ``source``, newest first."""
    if source is None:
        return []
    folder = backup_folder(source)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.db"):
        match = _NAME.match(path.name)
        if not match or match["stem"] != source.stem:
            continue
        created = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S-%f")
        found.append(Backup(path, created, match["reason"], path.stat().st_size))
    return sorted(found, key=lambda b: b.created, reverse=True)


def rotate(source: Path, now: datetime | None = None) -> list[Path]:
    """Delete the backups the rotation no longer keeps; return what was deleted."""
    now = now or datetime.now()
    keep: set[Path] = set()
    daily_seen: dict[str, set[object]] = {"day": set(), "week": set(), "month": set()}
    limits = {"day": KEEP_DAILY, "week": KEEP_WEEKLY, "month": KEEP_MONTHLY}
    backups = list_backups(source)
    for backup in backups:  # newest first: the newest backup of each period is kept
        if backup.reason in KEPT:
            keep.add(backup.path)
        elif backup.reason != ROTATED:
            if now - backup.created <= KEEP_OPERATION:
                keep.add(backup.path)
        else:
            periods = {"day": backup.created.date(), "week": backup.created.isocalendar()[:2],
                       "month": (backup.created.year, backup.created.month)}
            for name, period in periods.items():
                seen = daily_seen[name]
                if period not in seen and len(seen) < limits[name]:
                    seen.add(period)
                    keep.add(backup.path)
    deleted = []
    for backup in backups:
        if backup.path not in keep:
            backup.path.unlink(missing_ok=True)
            deleted.append(backup.path)
    return deleted


def backup_contents(path: Path) -> dict[str, object]:
    """What a backup holds, for the planner to choose: plan titles and counts of nodes, indicators."""
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            plans = [r[0] for r in connection.execute("SELECT title FROM strategic_plan ORDER BY id")]
            counts = {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                      for table in ("plan_node", "indicator", "allocation")}
        finally:
            connection.close()
    except sqlite3.Error as exc:
        return {"plans": [], "error": str(exc)}
    return {"plans": plans, **counts}


def restore(target: Path, backup: Path) -> Path | None:
    """Put ``backup`` in place of ``target``, after backing the current file up; returns that backup.

    The caller holds the writer lock and has closed its own connections.  The backup is checked
    first; the new file is written beside the target and renamed over it, so a failure half-way
    leaves the current file as it was.
    """
    from planner_core.safety import file_health

    health = file_health(backup, full=True)
    if health.kind != "ours":
        raise StoreError(f"«{ltr(backup.name)}» پشتیبان سالمی از برنامه‌نگار نیست؛ بازگردانی انجام نشد.",
                         f"'{backup}' is not a sound Barnamenegar backup ({health.kind})")
    previous = None
    if target.exists():
        try:
            previous = backup_file(target, "restore")
        except StoreError:
            # A damaged current file cannot pass integrity_check: keep its bytes as they are.
            folder = backup_folder(target)
            folder.mkdir(parents=True, exist_ok=True)
            previous = folder / f"{target.stem}-{datetime.now().strftime('%Y%m%d-%H%M%S-%f')}-damaged.db"
            shutil.copy2(target, previous)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".restoring", dir=target.parent)
    os.close(fd)
    temp = Path(name)
    temp.unlink()
    try:
        _copy_verified(backup, temp)
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    return previous
