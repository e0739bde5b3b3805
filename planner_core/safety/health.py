"""What a SQLite file is before we touch it: ours or not, which schema, damaged or sound.

Read through a read-only (or, in a folder nobody can write, immutable) connection, so looking
never changes the file: no journal switch, no schema, no -wal.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from db.engine import read_only_uri
from db.migrate import APPLICATION_ID, head_revision, known_revision, revision_number
from planner_core.safety.places import folder_writable

# Our tables that any version of the schema has had since the first migration.
CORE_TABLES = {"strategic_plan", "plan_node"}


@dataclass
class Health:
    """``kind``: "empty" (a new file), "ours", "foreign", "newer" or "damaged"."""

    kind: str
    revision: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def needs_migration(self) -> bool:
        return self.kind == "ours" and self.revision != head_revision()


def connect_read_only(path: Path) -> sqlite3.Connection:
    immutable = not folder_writable(path)
    return sqlite3.connect(read_only_uri(path, immutable=immutable), uri=True, timeout=10)


def _integrity(connection: sqlite3.Connection, full: bool) -> list[str]:
    rows = connection.execute("PRAGMA integrity_check" if full else "PRAGMA quick_check").fetchall()
    problems = [str(r[0]) for r in rows if r[0] != "ok"]
    if not problems:
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        problems = [f"foreign key: {row[0]} row {row[1]} → {row[2]}" for row in broken[:20]]
    return problems


def file_health(path: Path, check: bool = True, full: bool = False) -> Health:
    """Classify ``path`` (an existing SQLite file) without writing to it.

    ``check`` also runs ``quick_check`` (``integrity_check`` with ``full``) and ``foreign_key_check``
    on a file of ours.
    """
    try:
        connection = connect_read_only(path)
    except sqlite3.Error as exc:
        return Health("damaged", problems=[str(exc)])
    try:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return Health("empty")
        revision = None
        if "alembic_version" in tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        app_id = connection.execute("PRAGMA application_id").fetchone()[0]
        user_version = connection.execute("PRAGMA user_version").fetchone()[0]
        if revision is None:
            if app_id == APPLICATION_ID and user_version:
                return Health("damaged", problems=["alembic_version is missing"])
            return Health("foreign")
        if app_id not in (0, APPLICATION_ID):
            return Health("foreign", revision)
        if not known_revision(revision) or user_version > revision_number(head_revision()):
            return Health("newer", revision)
        if not CORE_TABLES <= tables:
            return Health("damaged", revision, [f"missing tables: {sorted(CORE_TABLES - tables)}"])
        problems = _integrity(connection, full) if check else []
        return Health("damaged" if problems else "ours", revision, problems)
    except sqlite3.DatabaseError as exc:
        return Health("damaged", problems=[str(exc)])
    finally:
        connection.close()
