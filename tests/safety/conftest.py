"""Fixtures of the data-safety tests: files in awkward places, hashes, small mounted filesystems."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Persian, Arabic, a space, '%' and a percent-escape look-alike in folder and file names.
HARD_FOLDERS = ["پوشه برنامه‌ها", "مجلد عربي", "with space", "100% done", "a%41b %D8%AF"]
HARD_NAMES = ["برنامه ۱۴۰۴.db", "خطة.db", "my plan.db", "50%.db", "%D8%AF%.db"]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(*args: str, timeout: int = 180) -> subprocess.CompletedProcess[str]:
    """``python main.py ARGS`` in a real process, as scripts call it."""
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, timeout=timeout)


@pytest.fixture(scope="session")
def sample_file(tmp_path_factory) -> Path:
    """The sample plan in a file, made once; tests copy it."""
    from planner_core.sample import load_sample
    from planner_core.store import open_store

    path = tmp_path_factory.mktemp("sample") / "sample.db"
    db = open_store(path, create=True)
    load_sample(db)
    db.dispose()
    return path


@pytest.fixture
def plan_copy(sample_file, tmp_path) -> Path:
    target = tmp_path / "plan.db"
    shutil.copy2(sample_file, target)
    return target


def _mount(size: str) -> Path:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small filesystem needs root")
    point = Path(f"/tmp/barnamenegar-mnt-{uuid.uuid4().hex[:8]}")
    point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)], capture_output=True)
    if result.returncode != 0:
        point.rmdir()
        pytest.skip("cannot mount a tmpfs here")
    return point


def _unmount(point: Path) -> None:
    subprocess.run(["umount", "-l", str(point)], capture_output=True)
    shutil.rmtree(point, ignore_errors=True)


@pytest.fixture
def small_disk():
    """A mounted tmpfs of a few hundred kilobytes (skipped where mounting is not allowed)."""
    point = _mount("700k")
    yield point
    _unmount(point)


@pytest.fixture
def read_only_folder(sample_file):
    """A folder on a read-only filesystem (a CD, a write-protected stick) holding the sample plan."""
    point = _mount("4m")
    folder = point / "برنامه‌ها روی سی‌دی"
    folder.mkdir()
    shutil.copy2(sample_file, folder / "برنامه ۱۴۰۴.db")
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)
    yield folder
    _unmount(point)
