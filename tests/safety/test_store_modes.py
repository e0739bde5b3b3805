"""Reading never writes; foreign, newer and damaged files are refused; readers never block writers."""

from __future__ import annotations

import shutil
import sqlite3
import threading

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import OrgUnit, StrategicPlan
from planner_core import backups
from planner_core.errors import StoreError
from planner_core.store import DamagedStoreError, ReadOnlyPlaceError, open_store
from tests.safety.conftest import main, sha

READ_COMMANDS = [("check",), ("dump",), ("progress", "--year", "1404"), ("budget", "--year", "1404"),
                 ("deviations", "--year", "1404")]


def _foreign(path):
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    connection.execute("INSERT INTO notes (body) VALUES ('یادداشت')")
    connection.commit()
    connection.close()
    return path


@pytest.mark.parametrize("command", [*READ_COMMANDS, ("booklet", "OUT")])
def test_a_foreign_sqlite_file_is_refused_and_left_byte_identical(tmp_path, command):
    path = _foreign(tmp_path / "دیگری.db")
    before = sha(path)
    args = [command[0], str(path), *[str(tmp_path / "x.pdf") if a == "OUT" else a for a in command[1:]]]
    result = main(*args)
    assert result.returncode == 2
    assert "برنامه‌نگار" in result.stderr and "not made by Barnamenegar" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert sha(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["دیگری.db"]  # no -wal, no -shm, no backups


def test_a_foreign_file_is_not_converted_by_a_writing_open_either(tmp_path):
    path = _foreign(tmp_path / "other.db")
    before = sha(path)
    with pytest.raises(StoreError, match="ساخته نشده"):
        open_store(path, write=True)
    assert sha(path) == before


def test_read_commands_change_nothing_in_our_file(plan_copy):
    connection = sqlite3.connect(plan_copy)
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()
    before = sha(plan_copy)
    for command in READ_COMMANDS:
        assert main(command[0], str(plan_copy), *command[1:]).returncode == 0
    assert sha(plan_copy) == before
    connection = sqlite3.connect(plan_copy)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # not switched to WAL
    connection.close()
    assert not backups.list_backups(plan_copy)


def test_a_read_only_store_refuses_writes_with_its_own_mode(plan_copy):
    db = open_store(plan_copy, write=False)
    try:
        assert db.read_only
        with pytest.raises(Exception, match="readonly"):
            with db.unit() as session:
                session.add(OrgUnit(code="Z", name="واحد", kind="deputy"))
    finally:
        db.dispose()


def _stamp(path, revision: str | None = None, user_version: int | None = None) -> None:
    connection = sqlite3.connect(path)
    if revision:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    if user_version is not None:
        connection.execute(f"PRAGMA user_version={user_version}")
    connection.commit()
    connection.close()


@pytest.mark.parametrize("marker", [{"revision": "9999_from_the_future"}, {"user_version": 999}])
def test_a_file_from_a_newer_version_is_refused_everywhere(plan_copy, marker):
    _stamp(plan_copy, **marker)
    before = sha(plan_copy)
    for write in (False, True):
        with pytest.raises(StoreError, match="نسخه جدیدتری") as info:
            open_store(plan_copy, write=write)
        assert "newer" in info.value.english
    result = main("check", str(plan_copy))
    assert result.returncode == 2 and "newer" in result.stderr
    assert sha(plan_copy) == before


def test_a_reader_never_blocks_a_writer_and_sees_one_snapshot(plan_copy):
    writer = open_store(plan_copy, write=True)
    reader = open_store(plan_copy, write=False)
    try:
        with reader.unit() as session:
            before = session.scalar(select(func.count()).select_from(OrgUnit))
            # The reader holds its read transaction while another connection writes and commits.
            failures: list[BaseException] = []

            def write() -> None:
                try:
                    with writer.unit() as w:
                        w.add(OrgUnit(code="NEW", name="واحد تازه", kind="deputy"))
                except BaseException as exc:
                    failures.append(exc)

            thread = threading.Thread(target=write)
            thread.start()
            thread.join()
            assert failures == []
            assert session.scalar(select(func.count()).select_from(OrgUnit)) == before  # its snapshot
        with reader.unit() as session:
            assert session.scalar(select(func.count()).select_from(OrgUnit)) == before + 1
    finally:
        reader.dispose()
        writer.dispose()


def test_read_units_of_a_writing_store_do_not_take_the_write_lock(plan_copy):
    first = open_store(plan_copy, write=True)
    second = Database(plan_copy)
    try:
        with first.unit(write=False) as session:
            session.scalar(select(func.count()).select_from(StrategicPlan))
            with second.unit() as other:  # would wait for the lock if the read had BEGIN IMMEDIATE
                other.add(OrgUnit(code="W", name="واحد نو", kind="deputy"))
    finally:
        second.dispose()
        first.dispose()


def test_a_read_only_folder_opens_immutable_and_says_so(read_only_folder):
    path = read_only_folder / "برنامه ۱۴۰۴.db"
    with pytest.raises(ReadOnlyPlaceError):
        open_store(path, write=True)
    db = open_store(path, write=False)
    try:
        assert db.mode == "immutable"
        assert any("فقط برای خواندن" in n for n in db.notices)
        from planner_core.plans import list_plans

        assert list_plans(db)
    finally:
        db.dispose()
    for command in READ_COMMANDS:
        result = main(command[0], str(path), *command[1:])
        assert result.returncode == 0, result.stderr
    assert "فقط برای خواندن" in result.stderr


def test_clean_close_leaves_the_db_file_complete_on_its_own(plan_copy, tmp_path):
    db = open_store(plan_copy, write=True)
    with db.unit() as session:
        session.add(OrgUnit(code="LAST", name="آخرین واحد", kind="deputy"))
    db.dispose()
    stick = tmp_path / "usb"
    stick.mkdir()
    shutil.copy2(plan_copy, stick / "plan.db")  # only the .db, as a planner copies it
    copy = open_store(stick / "plan.db", write=False)
    try:
        with copy.unit() as session:
            assert session.scalar(select(OrgUnit.name).where(OrgUnit.code == "LAST")) == "آخرین واحد"
    finally:
        copy.dispose()


def test_a_damaged_file_is_never_written_and_check_exits_1(plan_copy):
    data = bytearray(plan_copy.read_bytes())
    page = 4096
    data[page * 5: page * 5 + 200] = b"\xff" * 200  # garbage in the middle of a b-tree page
    plan_copy.write_bytes(bytes(data))
    before = sha(plan_copy)
    with pytest.raises(DamagedStoreError, match="آسیب دیده"):
        open_store(plan_copy, write=True)
    assert sha(plan_copy) == before
    result = main("check", str(plan_copy))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "آسیب" in result.stdout
    assert sha(plan_copy) == before


def test_a_broken_reference_is_damage_too(plan_copy):
    connection = sqlite3.connect(plan_copy)
    connection.execute("PRAGMA foreign_keys=OFF")
    connection.execute("UPDATE plan_node SET plan_id = 9999 WHERE id = (SELECT min(id) FROM plan_node)")
    connection.commit()
    connection.close()
    with pytest.raises(DamagedStoreError):
        open_store(plan_copy, write=True)
    assert main("check", str(plan_copy)).returncode == 1


def test_a_truncated_file_is_reported_by_check_with_exit_1(plan_copy):
    data = plan_copy.read_bytes()
    plan_copy.write_bytes(data[: len(data) // 3])
    result = main("check", str(plan_copy))
    assert result.returncode == 1, result.stdout + result.stderr
