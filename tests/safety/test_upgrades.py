"""Upgrades: a file written by an older schema (kept in tests/fixtures/) migrates to head, after a
verified backup, and then equals a fresh file holding the same content: same schema, same content."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from db.migrate import APPLICATION_ID, current_revision, head_revision, revision_number
from db.models import Base
from planner_core import backups
from planner_core.exchange import export_document, import_document
from planner_core.store import open_store

FIXTURES = sorted((Path(__file__).resolve().parents[1] / "fixtures").glob("plan-*.db"))
VOLATILE = {"exported_at", "created_at", "updated_at", "generated_at"}


def _stable(value):  # type: ignore[no-untyped-def]
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


def _schema(db):  # type: ignore[no-untyped-def]
    inspector = inspect(db.engine)
    tables = {}
    for table in sorted(inspector.get_table_names()):
        tables[table] = {
            "columns": sorted((c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)),
            "pk": inspector.get_pk_constraint(table)["constrained_columns"],
            "fks": sorted((fk["name"], tuple(fk["constrained_columns"]), fk["referred_table"])
                          for fk in inspector.get_foreign_keys(table)),
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in inspector.get_indexes(table)),
            "uniques": sorted((u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints(table)),
        }
    return tables


def test_there_is_a_fixture_of_todays_schema():
    assert FIXTURES, "tests/fixtures/plan-<revision>.db (scripts/make_schema_fixture.py)"


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_an_older_file_migrates_to_head_and_equals_a_fresh_one(fixture, tmp_path):
    old = tmp_path / "قدیمی.db"
    shutil.copy2(fixture, old)
    old_revision = fixture.stem.removeprefix("plan-")
    migrated = open_store(old, write=True, lock=True)
    fresh = open_store(tmp_path / "تازه.db", create=True)
    try:
        assert current_revision(migrated.engine) == head_revision()
        if old_revision != head_revision():
            made = [b for b in backups.list_backups(old) if b.reason == "migration"]
            assert len(made) == 1  # a verified backup came first, holding the old schema
        with migrated.engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
            assert connection.exec_driver_sql("PRAGMA application_id").scalar() == APPLICATION_ID
            assert connection.exec_driver_sql("PRAGMA user_version").scalar() == revision_number(head_revision())
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        doc = json.loads(fixture.with_suffix(".json").read_text(encoding="utf-8"))
        import_document(fresh, doc, as_home=True)
        assert _schema(migrated) == _schema(fresh)
        assert _stable(export_document(migrated)) == _stable(export_document(fresh))
    finally:
        migrated.dispose()
        fresh.dispose()
