"""Engine and session set-up: one engine, one sessionmaker, one session per unit of work."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 10_000


def url_for(target: str | Path) -> str:
    """A path becomes a SQLite URL; anything with '://' is taken as a SQLAlchemy URL."""
    text = str(target)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def _configure_sqlite(engine: Engine) -> None:
    # SQLAlchemy's documented pysqlite workaround: stop the driver's own implicit BEGIN so
    # SAVEPOINT and transactional DDL work, and emit our own BEGIN IMMEDIATE so a write
    # transaction takes the lock at once instead of failing half-way with "database is locked".
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: object) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # type: ignore[attr-defined]


def make_engine(target: str | Path) -> Engine:
    url = make_url(url_for(target))
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


class Database:
    """The store: one engine and a sessionmaker.  Services take a session from ``unit()``."""

    def __init__(self, target: str | Path) -> None:
        self.url = url_for(target)
        self.engine = make_engine(target)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def unit(self) -> Iterator[Session]:
        """A unit of work: commits when the block ends, rolls back wholly on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def has_schema(self) -> bool:
        return inspect(self.engine).has_table("strategic_plan")

    def dispose(self) -> None:
        self.engine.dispose()
