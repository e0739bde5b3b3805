"""A full disk: the failing write leaves the file intact, and the planner is told in Persian."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from db.models import OrgUnit
from planner_core.safety.busy import DiskFullError, as_planner_error
from planner_core.store import open_store
from tests.safety.conftest import main

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "plan-0001.db"


def _integrity(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


def test_a_write_that_fills_the_disk_changes_nothing_and_says_so(small_disk, tmp_path):
    current = tmp_path / "plan.db"
    shutil.copy2(FIXTURE, current)
    open_store(current, write=True).dispose()  # brought to today's schema first: this test is about a write
    path = small_disk / "برنامه.db"
    shutil.copy2(current, path)
    db = open_store(path, write=True)
    try:
        with db.unit(write=False) as session:
            before = session.scalar(select(func.count()).select_from(OrgUnit))
        with pytest.raises(OperationalError) as caught:
            with db.unit() as session:
                for i in range(3000):  # ~1.5 MB of text in one unit of work: more than the disk holds
                    session.add(OrgUnit(code=f"F{i}", name="واحد " + "ا" * 250, kind="deputy"))
                session.flush()
        refusal = as_planner_error(caught.value)
        assert isinstance(refusal, DiskFullError)
        assert "جای خالی دیسک" in str(refusal) and "دست‌نخورده" in str(refusal)
        with db.unit(write=False) as session:
            assert session.scalar(select(func.count()).select_from(OrgUnit)) == before
    finally:
        db.dispose()
    assert _integrity(path) == "ok"
    reopened = open_store(path, write=False)
    try:
        with reopened.unit() as session:
            assert session.scalar(select(func.count()).select_from(OrgUnit)) == before
    finally:
        reopened.dispose()


def test_demo_on_a_full_disk_leaves_no_file_and_says_why(small_disk):
    filler = small_disk / "filler.bin"
    filler.write_bytes(b"\0" * 450_000)
    target = small_disk / "نمونه.db"
    result = main("demo", str(target))
    assert result.returncode == 2
    assert "دیسک" in result.stderr and "disk" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler.bin"]


def test_a_patched_full_disk_in_the_gui_is_a_persian_refusal_and_not_on_the_stack(qtbot, tmp_path):
    """Where no small filesystem can be mounted, the same refusal through a patched write."""
    from planner_gui.commands import ServiceCommand, execute
    from planner_gui.context import AppContext

    db = open_store(tmp_path / "plan.db", create=True)
    ctx = AppContext(db)

    def full() -> int:
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))

    failure = execute(ctx, ServiceCommand(ctx, "افزودن", "node", apply=full, revert=full))
    assert isinstance(failure, DiskFullError)
    assert ctx.undo_stack.count() == 0
    ctx.undo_stack.clear()
    db.dispose()


def test_a_demo_killed_half_way_leaves_no_database_behind(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.safety.conftest import ROOT

    target = tmp_path / "نمونه ۱.db"
    child = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "demo", str(target)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    building = tmp_path / f".{target.name}.{child.pid}.building"
    for _ in range(600):  # until the sample is being written into the temporary file
        if building.exists() and building.stat().st_size > 0:
            break
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert not target.exists()
    assert main("demo", str(target)).returncode == 0  # the next demo clears what the killed one left
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert main("check", str(target)).returncode == 0
