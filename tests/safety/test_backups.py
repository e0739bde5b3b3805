"""Backups: made before risky work and daily, verified, rotated, listed and restored."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from db.models import OrgUnit
from planner_core import backups
from planner_core.errors import StoreError
from planner_core.store import open_store
from tests.safety.conftest import sha


def _units(path):
    connection = sqlite3.connect(path)
    try:
        return {r[0] for r in connection.execute("SELECT code FROM org_unit")}
    finally:
        connection.close()


def test_the_first_writing_open_of_a_day_backs_up_once(plan_copy):
    for _ in range(2):
        open_store(plan_copy, write=True).dispose()
    daily = [b for b in backups.list_backups(plan_copy) if b.reason == "daily"]
    assert len(daily) == 1
    assert daily[0].path.parent.name == "plan-backups"  # a folder the planner can see, beside the file
    assert backups.backup_contents(daily[0].path)["plans"]


def test_backup_before_is_verified_and_listed(plan_copy):
    db = open_store(plan_copy, write=True)
    try:
        made = backups.backup_before(db, "import")
    finally:
        db.dispose()
    listed = backups.list_backups(plan_copy)
    assert made in [b.path for b in listed]
    entry = next(b for b in listed if b.path == made)
    assert entry.reason == "import" and entry.size == made.stat().st_size
    assert entry.reason_label == "پیش از ورود داده"


def test_rotation_keeps_7_daily_8_weekly_12_monthly_and_30_days_of_operations(tmp_path):
    source = tmp_path / "plan.db"
    folder = backups.backup_folder(source)
    folder.mkdir()
    now = datetime(2026, 11, 30, 12, 0)
    for day in range(0, 500):
        moment = now - timedelta(days=day)
        (folder / f"plan-{moment.strftime('%Y%m%d-%H%M%S-%f')}-daily.db").write_bytes(b"x")
    for day in (1, 29, 31, 90):
        moment = now - timedelta(days=day, hours=1)
        (folder / f"plan-{moment.strftime('%Y%m%d-%H%M%S-%f')}-import.db").write_bytes(b"x")
    (folder / "plan-20200101-000000-000000-manual.db").write_bytes(b"x")
    backups.rotate(source, now)
    kept = backups.list_backups(source)
    daily = [b for b in kept if b.reason == "daily"]
    days = {b.created.date() for b in daily}
    assert {(now - timedelta(days=d)).date() for d in range(7)} <= days
    assert len({b.created.isocalendar()[:2] for b in daily}) >= 8
    assert len({(b.created.year, b.created.month) for b in daily}) == 12
    assert len(daily) <= 7 + 8 + 12
    operations = sorted((now - b.created).days for b in kept if b.reason == "import")
    assert operations == [1, 29]
    assert any(b.reason == "manual" for b in kept)


def test_restore_backs_up_the_current_file_first(plan_copy):
    backup = backups.backup_to(plan_copy)
    db = open_store(plan_copy, write=True)
    with db.unit() as session:
        session.add(OrgUnit(code="AFTER", name="واحد بعدی", kind="deputy"))
    db.dispose()
    previous = backups.restore(plan_copy, backup)
    assert "AFTER" not in _units(plan_copy)
    assert previous is not None and "AFTER" in _units(previous)
    assert backups.list_backups(plan_copy)[0].reason == "restore"


def test_restoring_something_that_is_not_a_sound_backup_changes_nothing(plan_copy, tmp_path):
    junk = tmp_path / "junk.db"
    sqlite3.connect(junk).execute("CREATE TABLE t (x)").connection.commit()
    before = sha(plan_copy)
    with pytest.raises(StoreError, match="پشتیبان سالمی"):
        backups.restore(plan_copy, junk)
    assert sha(plan_copy) == before


def _pretend_a_newer_head(monkeypatch):
    """Make the file look one migration behind this program (whatever head is)."""
    import planner_core.safety.health as health

    monkeypatch.setattr(health, "head_revision", lambda *a: "9999_next")
    monkeypatch.setattr(health, "revision_number", lambda revision: 9999)


def test_a_migration_backs_up_first_and_a_failed_one_puts_the_bytes_back(plan_copy, monkeypatch):
    import planner_core.store as store

    _pretend_a_newer_head(monkeypatch)  # the file looks older than head

    def failing_upgrade(engine, revision="head"):
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    monkeypatch.setattr(store, "upgrade", failing_upgrade)
    before = sha(plan_copy)
    with pytest.raises(StoreError, match="دقیقاً به حالت پیش") as info:
        open_store(plan_copy, write=True, lock=True)
    assert "migration failed" in info.value.english
    assert sha(plan_copy) == before
    assert [b.reason for b in backups.list_backups(plan_copy)] == ["migration"]
    assert not (plan_copy.parent / "plan.db.lock").exists()


def test_a_read_never_migrates_an_older_file(plan_copy, monkeypatch):
    import planner_core.store as store

    _pretend_a_newer_head(monkeypatch)
    calls = []
    monkeypatch.setattr(store, "upgrade", lambda engine, revision="head": calls.append(engine.url))
    before = sha(plan_copy)
    db = open_store(plan_copy, write=False)
    try:
        with db.unit() as session:
            assert session.scalars(select(OrgUnit)).first() is not None
        assert db.path != plan_copy  # a migrated temporary copy is read
    finally:
        db.dispose()
    assert calls and all(str(plan_copy) not in str(url) for url in calls)
    assert sha(plan_copy) == before
    assert not backups.list_backups(plan_copy)
