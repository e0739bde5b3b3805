"""Alembic, driven from code: the app and the tests upgrade a file without an alembic.ini.

The engine (or an open connection) is handed to env.py through ``config.attributes``, never as a
URL string in the config: Alembic's config is a ConfigParser, and a file path with a Persian letter,
a space or ``%`` becomes a percent-encoded URL whose ``%`` its interpolation rejects.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine | None = None) -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def known_revision(revision: str) -> bool:
    """Whether this program has a migration with that id (a file from a newer version has not)."""
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except Exception:
        return False


# One marker of the schema version: alembic_version.  The SQLite header carries the same fact so a
# file can be told as ours (application_id) and its schema generation (user_version, the position of
# its revision in the chain) without reading a table.
APPLICATION_ID = 0x426E6D67  # "Bnmg"


def revision_number(revision: str | None) -> int:
    """1 for the first migration, 2 for the next, …; 0 for none or a revision this program does not know."""
    if revision is None:
        return 0
    script = ScriptDirectory.from_config(alembic_config())
    chain = [r.revision for r in script.walk_revisions("base", "heads")]
    return len(chain) - chain.index(revision) if revision in chain else 0


def mark_file(connection: Connection) -> None:
    """Write application_id and user_version to match the revision just stamped (SQLite only)."""
    revision = MigrationContext.configure(connection).get_current_revision()
    connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
    connection.exec_driver_sql(f"PRAGMA user_version={revision_number(revision)}")
