"""The life cycle's commands: workflow, status, verify, compare, snapshots (exit codes and output)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def approved_db(tmp_path_factory) -> Path:
    """The shipped sample (revision 1 approved, 2 an approved amendment, 3 an open draft), whose
    open draft is then submitted and approved from the command line."""
    path = tmp_path_factory.mktemp("چرخه عمر") / "برنامه.db"
    assert run("demo", str(path)).returncode == 0
    # Approving a draft that was never submitted is the wrong step: one line, Persian and English, exit 2.
    refused = run("workflow", str(path), "--plan", "ISF-1410", "approve", "--resolution", "۱", "--date", "1403/01/20")
    assert refused.returncode == 2 and "/" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    done = run("workflow", str(path), "--plan", "ISF-1410", "submit", "--by", "کارشناس برنامه",
               "--note", "هدف سال‌های بعد در بازنگری میان‌دوره")
    assert done.returncode == 0, done.stderr
    done = run("workflow", str(path), "--plan", "ISF-1410", "approve", "--resolution", "۱۲۳/ش",
               "--date", "1403/01/20", "--signatory", "علی رضایی:رئیس شورا")
    assert done.returncode == 0, done.stderr
    return path


def test_wrong_step_and_edit_refusals_are_one_line_exit_2(approved_db):
    result = run("workflow", str(approved_db), "--plan", "ISF-1410", "approve", "--resolution", "1",
                 "--date", "1403/01/20")
    assert result.returncode == 2 and "ممکن نیست" in result.stderr and "not allowed" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    result = run("workflow", str(approved_db), "--plan", "NOPE", "submit")
    assert result.returncode == 2 and "NOPE" in result.stderr


def test_status_json_names_the_approval_and_history(approved_db):
    result = run("status", str(approved_db), "--plan", "ISF-1410", "--json")
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    assert [(r["revision"], r["status"], r["superseded"]) for r in status["revisions"]] == [
        (1, "approved", True), (2, "approved", True), (3, "approved", False)]
    assert status["current"] == 3
    latest = status["revisions"][-1]
    assert latest["approval"]["resolution_no"] == "۱۲۳/ش"
    assert latest["approval"]["signatories"] == [["علی رضایی", "رئیس شورا"]]
    assert [s["action"] for s in latest["history"]] == ["revise", "submit", "approve"]
    assert latest["history"][1]["by"] == "کارشناس برنامه"
    assert status["revisions"][0]["approval"]["resolution_no"] == "۱۴۰۳/۱۲۸"


def test_verify_file_and_package(approved_db, tmp_path):
    result = run("verify", str(approved_db), "--plan", "ISF-1410")
    assert result.returncode == 0 and "یکی است" in result.stdout
    dump = json.loads(run("dump", str(approved_db), "--plan", "ISF-1410").stdout)
    package = tmp_path / "بسته.bnp"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("plan.json", json.dumps(dump, ensure_ascii=False))
    result = run("verify", str(package), "--plan", "ISF-1410")
    assert result.returncode == 0 and "یکی است" in result.stdout, result.stdout + result.stderr
    in_force = next(p for p in dump["plans"] if p.get("revision") == 3)
    in_force["axes"][0]["title"] = "دست‌کاری‌شده"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("plan.json", json.dumps(dump, ensure_ascii=False))
    result = run("verify", str(package), "--plan", "ISF-1410")
    assert result.returncode == 1 and "یکی نیست" in result.stdout
    broken = tmp_path / "خراب.bnp"
    broken.write_bytes(b"not a zip")
    result = run("verify", str(broken), "--plan", "ISF-1410")
    assert result.returncode == 2 and "ZIP" in result.stderr


def test_revise_then_compare_and_snapshots(approved_db, tmp_path):
    path = tmp_path / "copy.db"
    path.write_bytes(approved_db.read_bytes())
    result = run("workflow", str(path), "--plan", "ISF-1410", "revise", "--note", "اصلاحیه نخست")
    assert result.returncode == 0 and "ویرایش ۴" in result.stdout, result.stderr
    result = run("compare", str(path), "ISF-1410@3", "ISF-1410@4", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["changed"] == [] and json.loads(result.stdout)["added"] == []
    result = run("snapshots", str(path), "--plan", "ISF-1410")
    assert result.returncode == 0 and "تصویب" in result.stdout and "پیشنهاد" in result.stdout
    result = run("status", str(path), "--plan", "ISF-1410")
    assert "ویرایش ۴: پیش‌نویس" in result.stdout and "ویرایش ۳: مصوب" in result.stdout
    result = run("compare", str(path), "ISF-1410@1", "ISF-1410@2", "--json")
    changed = json.loads(result.stdout)["changed"]  # the shipped amendment: one raised target
    assert [(c["level"], c["field"], c["old"], c["new"]) for c in changed] == [("indicator", "target 1404", 150, 180)]
    result = run("check", str(path))
    assert result.returncode == 0, result.stdout
