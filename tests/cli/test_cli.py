"""The command line as scripts use it: real processes, exit codes, one-line errors, JSON contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, timeout=120)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "x.db"
    result = run("demo", str(path))
    assert result.returncode == 0, result.stderr
    assert "برنامه نمونه" in result.stdout
    return path


@pytest.fixture(scope="module")
def dump(demo_db) -> dict:
    result = run("dump", str(demo_db))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def walk(plan: dict):
    for axis in plan["axes"]:
        yield axis
        for goal in axis["goals"]:
            yield goal
            for strategy in goal["strategies"]:
                yield strategy
                for program in strategy["programs"]:
                    yield program
                    yield from program["projects"]


def test_demo_then_check_passes(demo_db):
    result = run("check", str(demo_db))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[خطا]" not in result.stdout


def test_dump_holds_the_sample_plan_with_the_promised_counts(dump):
    assert set(dump) >= {"municipality", "plans", "budget_codes", "org_units"}
    plan = dump["plans"][0]
    nodes = list(walk(plan))
    kinds = [n["kind"] for n in nodes]
    assert kinds.count("axis") >= 3 and kinds.count("goal") >= 6 and kinds.count("strategy") >= 12
    programs = [n for n in nodes if n["kind"] == "program"]
    assert len(programs) >= 12 and all((p["first_year"], p["last_year"]) == (1403, 1404) for p in programs)
    projects = [n for n in nodes if n["kind"] in ("project", "activity")]
    assert len(projects) >= 40
    assert len({p["responsible_unit"] for p in projects}) >= 5
    indicator_kinds = {i["kind"] for n in nodes for i in n["indicators"]}
    assert indicator_kinds == {"outcome", "output", "result"}
    assert all(p["allocations"] for p in projects)
    budget_years = {b["year"] for b in dump["annual_budgets"]}
    assert {1403, 1404} <= budget_years


def test_dump_keys_are_the_contract(dump):
    plan = dump["plans"][0]
    for node in walk(plan):
        assert {"id", "code", "title", "indicators"} <= set(node)
        for indicator in node["indicators"]:
            assert {"kind", "unit", "direction", "baseline", "targets", "actuals"} <= set(indicator)
            assert all({"year", "value"} <= set(t) for t in indicator["targets"])
            assert all({"year", "value", "period"} <= set(a) for a in indicator["actuals"])
        for allocation in node.get("allocations", []):
            assert {"year", "budget_code", "amount", "spent"} <= set(allocation)
            assert isinstance(allocation["amount"], int)
    assert any(n.get("progress_reports") for n in walk(plan))


def test_dump_round_trips_through_import(dump, tmp_path):
    from planner_core.exchange import export_document, import_document
    from planner_core.store import open_store

    db = open_store(tmp_path / "copy.db", create=True)
    import_document(db, dump, as_home=True)
    again = export_document(db)
    db.dispose()
    for doc in (dump, again):
        doc.pop("exported_at")
    assert again == dump


def test_progress_and_budget_commands(demo_db):
    result = run("progress", str(demo_db), "--year", "1403")
    assert result.returncode == 0, result.stderr
    assert "کل برنامه" in result.stdout and "محور" in result.stdout and "٪" in result.stdout
    result = run("budget", str(demo_db), "--year", "۱۴۰۴")
    assert result.returncode == 0, result.stderr
    assert "میلیون ریال" in result.stdout and "به تفکیک محور" in result.stdout


def test_check_exits_1_on_problems(demo_db, dump, tmp_path):
    broken = tmp_path / "broken.db"
    broken.write_bytes(demo_db.read_bytes())
    from planner_core import budget
    from planner_core.store import open_store

    project = next(n for n in walk(dump["plans"][0]) if n["kind"] == "project")
    code = next(a["budget_code"] for a in project["allocations"] if a["year"] == 1403)
    db = open_store(broken)
    budget.set_ceiling(db, 1403, code, 1)  # one rial: the allocations now exceed it
    db.dispose()
    result = run("check", str(broken))
    assert result.returncode == 1
    assert "از سقف آن" in result.stdout and "[خطا]" in result.stdout


@pytest.mark.parametrize("args", [
    ("check", "/no/such/file.db"),
    ("dump", "README.md"),
    ("progress",),
    ("nonsense",),
    ("progress", "x.db", "--year", "هزار"),
])
def test_bad_input_exits_2_with_one_line_and_no_traceback(args):
    result = run(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert any("\u0600" <= ch <= "\u06ff" for ch in result.stderr)  # Persian
    assert any("a" <= ch.lower() <= "z" for ch in result.stderr)  # and English


def test_every_subcommand_has_help():
    for command in ("demo", "check", "dump", "progress", "budget", "deviations"):
        result = run(command, "--help")
        assert result.returncode == 0 and "usage" in result.stdout


def test_plan_codes_match_alike_in_every_command(demo_db, tmp_path):
    # Case and digit script don't matter: «isf-۱۴۱۰» is the sample's «ISF-1410».
    assert json.loads(run("dump", str(demo_db), "--plan", "isf-۱۴۱۰").stdout)["plans"][0]["code"] == "ISF-1410"
    out = tmp_path / "axis.pdf"
    result = run("booklet", str(demo_db), str(out), "--plan", "isf-۱۴۱۰", "--axis", "2")
    assert result.returncode == 0 and out.exists(), result.stderr
    for command in (("dump", str(demo_db)), ("booklet", str(demo_db), str(tmp_path / "x.pdf"))):
        result = run(*command, "--plan", "NOPE")
        assert result.returncode == 2 and "NOPE" in result.stderr and "not found" in result.stderr


def test_empty_file_is_refused_not_filled(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    result = run("check", str(empty))
    assert result.returncode == 2 and "empty" in result.stderr
    assert empty.stat().st_size == 0


@pytest.mark.parametrize("args,persian", [
    (("progress", "{db}", "--year", "1500"), "در دوره برنامه"),
    (("deviations", "{db}", "--year", "1390"), "در دوره برنامه"),
    (("booklet", "{db}", "{tmp}/out.txt"), ".pdf"),
    (("booklet", "{db}", "{tmp}"), ".pdf"),
    (("booklet", "{db}", "{tmp}/missing-folder/out.pdf"), "مناسب نیست"),
    (("progress", "{db}"), "لازم است"),
    (("progress", "{db}", "--year", "1404", "--quarter", "5"), "مجاز نیست"),
    (("demo", "{tmp}/missing-folder/x.db"), "وجود ندارد"),
])
def test_more_bad_input_exits_2_in_both_languages(demo_db, tmp_path, args, persian):
    result = run(*(a.format(db=demo_db, tmp=tmp_path) for a in args))
    assert result.returncode == 2, result.stdout
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1 and persian in line and " / " in line
    assert not (tmp_path / "missing-folder").exists()


def test_budget_of_a_year_without_an_annual_budget_says_so(demo_db):
    result = run("budget", str(demo_db), "--year", "1405")
    assert result.returncode == 0 and "هنوز ثبت نشده" in result.stdout
