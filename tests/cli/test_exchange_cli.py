"""`export` and `import` as scripts use them: exit codes, one-line messages, the file created on demand."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli-exchange") / "اصفهان.db"
    assert main.main(["demo", str(path)]) == 0
    return path


def _dump(path: Path, capsys) -> dict:
    capsys.readouterr()
    assert main.main(["dump", str(path)]) == 0
    doc = json.loads(capsys.readouterr().out)
    doc.pop("exported_at")
    return doc


def test_export_then_import_into_a_new_file_reproduces_the_dump(hub, tmp_path, capsys):
    package = tmp_path / "بسته.bnp"
    assert main.main(["export", str(hub), str(package)]) == 0
    assert "نوشته شد" in capsys.readouterr().out
    copy = tmp_path / "پوشه تازه" / "نسخه.db"
    copy.parent.mkdir()
    assert main.main(["import", str(copy), str(package)]) == 0
    assert "بسته وارد شد" in capsys.readouterr().out
    assert _dump(copy, capsys) == _dump(hub, capsys)


def test_conflicts_exit_1_and_write_nothing_then_theirs_resolves(hub, tmp_path, capsys):
    from planner_core import nodes
    from planner_core.store import open_store

    hub_copy = tmp_path / "hub.db"
    hub_copy.write_bytes(hub.read_bytes())
    out = tmp_path / "out.bnp"
    # The demo's plan is approved and amended; the open draft revision (3) is what travels for editing.
    assert main.main(["export", str(hub_copy), str(out), "--plan", "ISF-1410@3"]) == 0
    laptop = tmp_path / "laptop.db"
    assert main.main(["import", str(laptop), str(out)]) == 0
    for path, title in ((laptop, "عنوان لپ‌تاپ"), (hub_copy, "عنوان مرکز")):
        db = open_store(path)
        axis = nodes.children(db, _plan_id(db), None)[0]
        nodes.update_node(db, axis.id, title=title)
        db.dispose()
    back = tmp_path / "back.bnp"
    assert main.main(["export", str(laptop), str(back)]) == 0
    capsys.readouterr()
    digest = hashlib.sha256(hub_copy.read_bytes()).hexdigest()
    assert main.main(["import", str(hub_copy), str(back), "--merge"]) == 1
    out_text = capsys.readouterr().out
    assert "ناسازگاری" in out_text and "عنوان مرکز" in out_text and "عنوان لپ‌تاپ" in out_text
    assert hashlib.sha256(hub_copy.read_bytes()).hexdigest() == digest
    assert main.main(["import", str(hub_copy), str(back), "--merge", "--theirs"]) == 0
    [draft] = [p for p in _dump(hub_copy, capsys)["plans"] if p.get("revision") == 3]
    assert draft["axes"][0]["title"] == "عنوان لپ‌تاپ"


def _plan_id(db) -> int:
    """The open draft revision (the demo's plan is approved, amended, with a draft open)."""
    from planner_core.plans import find_plan

    return find_plan(db, "ISF-1410@3").id


def test_template_export_imports_with_no_amounts(hub, tmp_path, capsys):
    template = tmp_path / "الگو.bnp"
    assert main.main(["export", str(hub), str(template), "--template"]) == 0
    target = tmp_path / "t.db"
    assert main.main(["import", str(target), str(template)]) == 0
    doc = _dump(target, capsys)
    text = json.dumps(doc["plans"], ensure_ascii=False)
    assert '"amount"' not in text and '"actuals": [{' not in text and '"progress_reports": [{' not in text
    assert doc["annual_budgets"] == []


def test_bad_arguments_and_paths_are_one_line_exit_2(hub, tmp_path, capsys):
    cases = [
        ["export", str(hub), str(tmp_path / "x.txt")],
        ["export", str(hub), str(tmp_path / "missing-folder" / "x.bnp")],
        ["export", str(hub), str(tmp_path / "x.bnp"), "--subtree", "9-9-9"],
        ["export", str(hub), str(tmp_path / "x.bnp"), "--plan", "NO-SUCH"],
        ["import", str(hub), str(tmp_path / "missing.bnp")],
        ["import", str(hub), str(tmp_path / "x.bnp"), "--as-new", "--merge"],
    ]
    for argv in cases:
        capsys.readouterr()
        assert main.main(argv) == 2, argv
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and " / " in err, (argv, err)


def test_xlsx_goes_to_the_workbooks_package(hub, tmp_path, capsys, monkeypatch):
    """Without planner_core.workbooks a clear exit 2; with it, the calls the integrator connects."""
    import importlib.util

    if importlib.util.find_spec("planner_core.workbooks") is None:
        assert main.main(["export", str(hub), str(tmp_path / "x.xlsx")]) == 2
        assert ".xlsx" in capsys.readouterr().err
        return
    out = tmp_path / "x.xlsx"
    assert main.main(["export", str(hub), str(out)]) == 0
    assert out.exists()


def test_help_lists_both_commands():
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--help"], capture_output=True, text=True,
                            encoding="utf-8", cwd=ROOT, timeout=60)
    assert "export" in result.stdout and "import" in result.stdout
