"""`template` and `update-workbooks` as scripts call them: exit codes, one-line errors, and a store
that the reading command leaves untouched."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, timeout=180)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "x.db"
    assert run("demo", str(path)).returncode == 0
    return path


def test_template_writes_an_empty_workbook(tmp_path):
    out = tmp_path / "قالب برنامه.xlsx"
    result = run("template", str(out))
    assert result.returncode == 0, result.stderr
    assert "قالب" in result.stdout
    assert "محورها" in load_workbook(out, read_only=True).sheetnames


def test_template_refuses_a_wrong_name_with_one_line(tmp_path):
    result = run("template", str(tmp_path / "x.pdf"))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and ".xlsx" in result.stderr


def test_update_workbooks_one_per_unit_and_the_store_unchanged(demo_db, tmp_path):
    before = hashlib.sha256(demo_db.read_bytes()).hexdigest()
    out = tmp_path / "فصل دوم"
    result = run("update-workbooks", str(demo_db), str(out), "--year", "۱۴۰۳", "--quarter", "2")
    assert result.returncode == 0, result.stderr
    books = sorted(out.glob("*.xlsx"))
    assert len(books) > 5 and any("DEP-ICT" in b.name for b in books)
    assert hashlib.sha256(demo_db.read_bytes()).hexdigest() == before


def test_update_workbooks_bad_quarter_is_exit_2(demo_db, tmp_path):
    result = run("update-workbooks", str(demo_db), str(tmp_path), "--year", "1403", "--quarter", "5")
    assert result.returncode == 2 and "quarter" in result.stderr
