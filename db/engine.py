"""Engine and session set-up: one engine, one sessionmaker, one session per unit of work.

A store opens in one of three modes:

- ``write`` (the default): WAL journal, ``synchronous=FULL``; a writing unit of work begins with
  ``BEGIN IMMEDIATE`` so it takes the write lock at once instead of failing half-way, a reading
  unit (``unit(write=False)``) begins deferred and reads a snapshot without blocking any writer;
- ``read``: the file is opened through SQLite's ``mode=ro`` URI; nothing (not even the journal
  mode) is changed, every transaction is deferred;
- ``immutable``: read-only with ``immutable=1``, for a file in a folder nobody can write to (a CD,
  a write-protected stick): SQLite then needs no ``-shm`` file and takes no locks.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import URL, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

BUSY_TIMEOUT_MS = 10_000
MODES = ("write", "read", "immutable")


def url_for(target: str | Path) -> str:
    """A path becomes a SQLite URL (percent-encoded, so any file name survives the round trip);
    anything with '://' is taken as a SQLAlchemy URL."""
    text = str(target)
    if "://" in text:
        return text
    return URL.create("sqlite", database=str(Path(text).expanduser().resolve())).render_as_string()


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for a server or an in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def read_only_uri(path: Path, immutable: bool = False) -> str:
    """SQLite's URI for opening ``path`` read-only (``?``, ``#`` and ``%`` in the name are escaped)."""
    uri = "file:" + quote(path.as_posix(), safe="/:")
    return uri + ("?mode=ro&immutable=1" if immutable else "?mode=ro")


def _configure_sqlite(engine: Engine, mode: str) -> None:
    # SQLAlchemy's documented pysqlite workaround: stop the driver's own implicit BEGIN so SAVEPOINT
    # and transactional DDL work, and emit our own BEGIN (IMMEDIATE for a writing unit of work).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if mode == "write" and engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: object) -> None:
        writing = mode == "write" and connection.get_execution_options().get("write", True)  # type: ignore[attr-defined]
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")  # type: ignore[attr-defined]


def make_engine(target: str | Path, mode: str = "write") -> Engine:
    url = make_url(url_for(target))
    if url.get_backend_name() == "sqlite":
        timeout = BUSY_TIMEOUT_MS / 1000
        path = sqlite_path(url.render_as_string(hide_password=False))
        if mode != "write" and path is not None:
            uri = read_only_uri(path, immutable=mode == "immutable")
            engine = create_engine(url, poolclass=QueuePool,
                                   creator=lambda: sqlite3.connect(uri, uri=True, timeout=timeout,
                                                                   check_same_thread=False))
        else:
            engine = create_engine(url, connect_args={"timeout": timeout})
        _configure_sqlite(engine, mode)
        return engine
    return create_engine(url, pool_pre_ping=True)


class Database:
    """The store: one engine and a sessionmaker.  Services take a session from ``unit()``."""

    def __init__(self, target: str | Path, mode: str = "write") -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.url = url_for(target)
        self.path = sqlite_path(self.url)
        self.mode = mode
        self.engine = make_engine(target, mode)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._readers = sessionmaker(self.engine.execution_options(write=False), expire_on_commit=False)
        # Run by dispose(), last first: e.g. the writer's lock file is released after the checkpoint.
        self.on_dispose: list[Callable[[], None]] = []
        # What the planner must be told about this store (read-only and why, risky place), in Persian.
        self.notices: list[str] = []
        # Why a file the app meant to edit was opened read-only ("locked", "place", "damaged"), if it was.
        self.read_only_reason: str | None = None
        self._disposed = False
        self.checkpoint_on_close = mode == "write"

    @property
    def read_only(self) -> bool:
        return self.mode != "write"

    @contextmanager
    def unit(self, write: bool = True) -> Iterator[Session]:
        """A unit of work: commits when the block ends, rolls back wholly on any error.

        ``write=False`` marks a unit that only reads: it begins deferred and sees one snapshot, so
        a long read (a dump, a report) never makes a writer wait.
        """
        session = (self._sessions if write else self._readers)()
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

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the main file, so the ``.db`` alone is complete."""
        if self.mode == "write" and self.path is not None and self.path.exists():
            with self.engine.connect() as connection:
                raw = connection.connection.driver_connection
                # A reader holding an old snapshot keeps part of the log: wait a moment, not the full
                # busy timeout (what stays in the log is folded in by the next close).
                raw.execute("PRAGMA busy_timeout=1000")  # type: ignore[union-attr]
                try:
                    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
                finally:
                    raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # type: ignore[union-attr]

    def dispose(self) -> None:
        if self._disposed:
            return
        try:
            try:
                if self.checkpoint_on_close:
                    self.checkpoint()
            except Exception:
                pass
            self.engine.dispose()
        finally:
            self._disposed = True
            callbacks, self.on_dispose = self.on_dispose, []
            for callback in reversed(callbacks):
                callback()
