"""The store: Alembic creates the schema, pragmas are on, a unit of work is all-or-nothing."""

from __future__ import annotations

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select

from db.engine import Database
from db.migrate import current_revision, head_revision, upgrade
from db.models import Base, OrgUnit
from planner_core.errors import StoreError
from planner_core.store import open_store


def test_migration_creates_the_schema_on_an_empty_file(tmp_path):
    db = Database(tmp_path / "empty.db")
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision(db.engine)
    tables = set(inspect(db.engine).get_table_names())
    assert {"strategic_plan", "plan_node", "indicator", "allocation", "budget_line", "audit_entry"} <= tables
    with db.engine.connect() as connection:
        # The models and the migration describe the same schema.
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    db.dispose()


def test_constraints_are_named(tmp_path):
    db = open_store(tmp_path / "x.db", create=True)
    fks = inspect(db.engine).get_foreign_keys("plan_node")
    assert all(fk["name"] and fk["name"].startswith("fk_plan_node_") for fk in fks)
    db.dispose()


def test_sqlite_pragmas(tmp_path):
    db = open_store(tmp_path / "x.db", create=True)
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
    db.dispose()


def test_unit_of_work_is_all_or_nothing(db):
    with pytest.raises(RuntimeError):
        with db.unit() as session:
            session.add(OrgUnit(code="A", name="واحد الف", kind="deputy"))
            session.flush()
            raise RuntimeError("crash half-way")
    with db.unit() as session:
        assert session.scalar(select(func.count()).select_from(OrgUnit)) == 0


def test_savepoints_work_with_the_begin_workaround(db):
    with db.unit() as session:
        session.add(OrgUnit(code="A", name="واحد الف", kind="deputy"))
        nested = session.begin_nested()
        session.add(OrgUnit(code="B", name="واحد ب", kind="deputy"))
        nested.rollback()
    with db.unit() as session:
        assert [u.code for u in session.scalars(select(OrgUnit))] == ["A"]


def test_foreign_keys_are_enforced(db):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        with db.unit() as session:
            session.add(OrgUnit(code="A", name="واحد", kind="deputy", parent_id=999))


def test_not_a_database_and_missing_file(tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_text("این فایل پایگاه داده نیست")
    with pytest.raises(StoreError, match="فایل پایگاه داده برنامه‌نگار نیست") as info:
        open_store(junk)
    assert "not a Barnamenegar database" in info.value.english
    assert f"\u2066{junk}\u2069" in str(info.value)  # the path reads left to right inside Persian
    with pytest.raises(StoreError, match="پیدا نشد") as info:
        open_store(tmp_path / "missing.db")
    assert "not found" in info.value.english
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE strategic_plan (x)").connection.commit()
    with pytest.raises(StoreError, match="ساخته نشده") as info:
        open_store(foreign)
    assert "not made by Barnamenegar" in info.value.english
