"""One writer per file, told in Persian; stale locks taken over; risky places warned about."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from planner_core.safety import LockedError, lock_info, place_warning
from planner_core.safety.lock import STALE_AFTER, lock_path
from planner_core.store import open_store
from tests.safety.conftest import ROOT, main

PERSIAN_DIGITS = set("۰۱۲۳۴۵۶۷۸۹")


def _hold_in_another_process(path):
    """A child process that opens ``path`` for writing and waits; returns it once the lock is taken."""
    code = ("import sys, time; sys.path.insert(0, sys.argv[2]);"
            "from planner_core.store import open_store;"
            "db = open_store(sys.argv[1], write=True, lock=True); print('ready', flush=True); time.sleep(120)")
    child = subprocess.Popen([sys.executable, "-c", code, str(path), str(ROOT)], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    return child


def _write_lock(path, **changes):
    now = datetime.now(UTC).isoformat(timespec="seconds")
    info = {"user": "مریم", "host": socket.gethostname(), "pid": os.getpid(), "since": now, "heartbeat": now,
            **changes}
    lock_path(path).write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")


def test_a_second_writer_is_told_who_holds_the_file(plan_copy):
    child = _hold_in_another_process(plan_copy)
    try:
        info = lock_info(plan_copy)
        assert info is not None and info.pid == child.pid
        with pytest.raises(LockedError) as caught:
            open_store(plan_copy, write=True, lock=True)
        message = str(caught.value)
        assert info.user in message and socket.gethostname() in message
        assert "ساعت" in message and PERSIAN_DIGITS & set(message)  # since when, Jalali, Persian digits
        # Reading is still possible, and headless writers refuse with exit 2 and the same message.
        reader = open_store(plan_copy, write=False)
        reader.dispose()
        result = main("restore", str(plan_copy), str(plan_copy))
        assert result.returncode == 2
        assert "برای ویرایش باز کرده است" in result.stderr and "open for editing" in result.stderr
        assert main("check", str(plan_copy)).returncode == 0
    finally:
        child.kill()
        child.wait()


def test_a_lock_whose_process_is_gone_is_taken_over(plan_copy):
    child = _hold_in_another_process(plan_copy)
    child.kill()  # a crash: the lock file stays behind
    child.wait()
    assert lock_info(plan_copy).pid == child.pid
    db = open_store(plan_copy, write=True, lock=True)
    try:
        assert lock_info(plan_copy).pid == os.getpid()
    finally:
        db.dispose()
    assert lock_info(plan_copy) is None  # released on close


def test_a_lock_with_a_stale_heartbeat_from_another_machine_is_taken_over(plan_copy):
    old = (datetime.now(UTC) - STALE_AFTER - timedelta(minutes=1)).isoformat(timespec="seconds")
    _write_lock(plan_copy, host="another-pc", pid=1, since=old, heartbeat=old)
    db = open_store(plan_copy, write=True, lock=True)
    db.dispose()


def test_a_fresh_lock_from_another_machine_is_respected(plan_copy):
    _write_lock(plan_copy, host="رایانه-واحد-برنامه‌ریزی", pid=1)
    with pytest.raises(LockedError, match="رایانه-واحد-برنامه‌ریزی"):
        open_store(plan_copy, write=True, lock=True)
    assert lock_info(plan_copy).host == "رایانه-واحد-برنامه‌ریزی"  # not stolen


def test_the_same_process_may_open_its_file_twice(plan_copy):
    first = open_store(plan_copy, write=True, lock=True)
    second = open_store(plan_copy, write=True, lock=True)
    second.dispose()
    assert lock_info(plan_copy) is not None
    first.dispose()
    assert lock_info(plan_copy) is None


@pytest.mark.parametrize("path", [
    "C:/Users/مریم/OneDrive/برنامه.db",
    "/home/maryam/Dropbox/plans/x.db",
    "/Users/m/Google Drive/plan.db",
    "//server/share/plan.db",
])
def test_network_and_sync_folders_are_warned_about(path):
    from pathlib import Path

    warning = place_warning(Path(path), mounts="")
    assert warning and "SQLite" in warning and "هشدار" in warning


def test_network_filesystems_are_found_in_proc_mounts():
    from pathlib import Path

    mounts = "server:/export /mnt/office nfs4 rw 0 0\n/dev/sda1 / ext4 rw 0 0\n"
    assert place_warning(Path("/mnt/office/برنامه.db"), mounts=mounts)
    assert place_warning(Path("/home/m/برنامه.db"), mounts=mounts) is None


def test_demo_force_does_not_replace_a_file_another_instance_edits(plan_copy):
    from tests.safety.conftest import sha

    _write_lock(plan_copy, host="رایانه-دیگر", pid=1)
    before = sha(plan_copy)
    result = main("demo", str(plan_copy), "--force")
    assert result.returncode == 2 and "رایانه-دیگر" in result.stderr
    assert sha(plan_copy) == before


def test_the_heartbeat_is_refreshed_and_keeps_the_lock_fresh(plan_copy):
    from planner_core.safety.lock import WriterLock, is_stale

    lock = WriterLock.take(plan_copy)
    try:
        first = lock_info(plan_copy)
        old = (datetime.now(UTC) - STALE_AFTER - timedelta(minutes=1)).isoformat(timespec="seconds")
        _write_lock(plan_copy, since=first.since, heartbeat=old, user=first.user)
        assert is_stale(lock_info(plan_copy))
        lock.beat()
        assert not is_stale(lock_info(plan_copy))
        assert lock_info(plan_copy).since == first.since
    finally:
        lock.release()


def test_a_reader_process_holding_a_snapshot_does_not_block_a_writer(plan_copy):
    from sqlalchemy import func, select

    from db.models import OrgUnit

    code = ("import sys, time; sys.path.insert(0, sys.argv[2]);"
            "from sqlalchemy import text; from planner_core.store import open_store;"
            "db = open_store(sys.argv[1], write=False);"
            "s = db._readers(); s.execute(text('SELECT count(*) FROM plan_node')).scalar();"
            "print('reading', flush=True); time.sleep(60)")
    reader = subprocess.Popen([sys.executable, "-c", code, str(plan_copy), str(ROOT)], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "reading"
        writer = open_store(plan_copy, write=True, lock=True)
        try:
            with writer.unit() as session:  # a reader that had BEGIN IMMEDIATE would make this wait and fail
                session.add(OrgUnit(code="P", name="واحد فرایند", kind="deputy"))
            with writer.unit(write=False) as session:
                assert session.scalar(select(func.count()).select_from(OrgUnit).where(OrgUnit.code == "P")) == 1
        finally:
            writer.dispose()
    finally:
        reader.kill()
        reader.wait()
