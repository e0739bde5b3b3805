"""`export` and `import` with Excel workbooks as a script uses them: the plan workbook round trip
into a new file, a unit's filled update workbook recorded with its preview, and hostile workbooks
refused with one line, exit 2 and the database file byte-for-byte unchanged."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

import main
from planner_core.workbooks.layout import ALLOCATIONS, INDICATORS
from planner_core.workbooks.update_layout import PROGRESS, VALUES

YEAR, QUARTER = 1403, 2


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli-xlsx") / "اصفهان.db"
    assert main.main(["demo", str(path)]) == 0
    return path


@pytest.fixture(scope="module")
def plan_workbook(hub, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cli-xlsx-out") / "برنامه کامل.xlsx"
    assert main.main(["export", str(hub), str(out)]) == 0
    return out


def _dump(path: Path, capsys) -> dict:
    capsys.readouterr()
    assert main.main(["dump", str(path)]) == 0
    doc = json.loads(capsys.readouterr().out)
    doc.pop("exported_at")
    return doc


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _column(sheet, key: str) -> int:  # type: ignore[no-untyped-def]
    spec = PROGRESS if sheet.title == PROGRESS.name else VALUES
    return [c.key for c in spec.columns].index(key) + 1


def _header_column(sheet, header: str) -> int:  # type: ignore[no-untyped-def]
    return next(c.column for c in sheet[1] if c.value == header)


@pytest.fixture(scope="module")
def single(tmp_path_factory) -> Path:
    """A file whose plan has one revision: a workbook carries one revision of each plan."""
    from planner_core.sample import load_sample
    from planner_core.store import open_store

    path = tmp_path_factory.mktemp("cli-xlsx-one") / "شیراز.db"
    db = open_store(path, create=True)
    load_sample(db)
    db.dispose()
    return path


def test_export_xlsx_then_import_into_a_new_file_reproduces_the_dump(single, tmp_path, capsys):
    workbook = tmp_path / "برنامه کامل.xlsx"
    assert main.main(["export", str(single), str(workbook)]) == 0
    capsys.readouterr()
    copy = tmp_path / "پوشه تازه" / "از اکسل.db"
    copy.parent.mkdir()
    assert main.main(["import", str(copy), str(workbook)]) == 0
    out = capsys.readouterr().out
    assert "افزوده می‌شود" in out and "بسته وارد شد" in out
    ours, theirs = _dump(single, capsys), _dump(copy, capsys)
    assert theirs["plans"][0]["id"] == ours["plans"][0]["id"]  # UUIDs included
    assert theirs == ours


def test_a_workbook_carries_the_revision_in_force(hub, plan_workbook, tmp_path, capsys):
    """The demo's plan is approved, amended (revision 2 in force) and has a draft open: the workbook
    holds revision 2, which imports as one plan with the same nodes."""
    copy = tmp_path / "از اکسل.db"
    assert main.main(["import", str(copy), str(plan_workbook)]) == 0
    [in_force] = [p for p in _dump(hub, capsys)["plans"] if p.get("revision") == 2]
    [theirs] = _dump(copy, capsys)["plans"]
    assert theirs["id"] == in_force["id"]
    assert [(a["id"], a["title"]) for a in theirs["axes"]] == [(a["id"], a["title"]) for a in in_force["axes"]]


def test_export_xlsx_of_one_plan_and_template_flags(hub, tmp_path, capsys):
    out = tmp_path / "یک برنامه.xlsx"
    assert main.main(["export", str(hub), str(out), "--plan", "ISF-1410"]) == 0
    assert load_workbook(out, read_only=True).sheetnames
    capsys.readouterr()
    assert main.main(["export", str(hub), str(tmp_path / "t.xlsx"), "--template"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def _filled_update_workbook(hub: Path, tmp_path: Path) -> tuple[Path, str]:
    outdir = tmp_path / "کارپوشه‌های فصل"
    assert main.main(["update-workbooks", str(hub), str(outdir), "--year", str(YEAR), "--quarter", str(QUARTER)]) == 0
    for path in sorted(outdir.glob("*.xlsx")):
        workbook = load_workbook(path)
        projects = workbook[PROGRESS.name]
        if projects.max_row >= 2 and projects.cell(row=2, column=1).value:
            break
    else:  # pragma: no cover - the sample plan has projects in every unit's workbook
        pytest.fail("no update workbook with a project")
    title = projects.cell(row=2, column=_column(projects, "title")).value
    projects.cell(row=2, column=_column(projects, "physical_progress")).value = 37
    projects.cell(row=2, column=_column(projects, "spent")).value = 12.5
    projects.cell(row=2, column=_column(projects, "narrative")).value = "پيشرفت خوب در فصل دوم"  # Arabic ي
    projects.cell(row=2, column=_column(projects, "reported_on")).value = "1403/07/05"
    filled = tmp_path / "پرشده.xlsx"
    workbook.save(filled)
    return filled, title


def test_import_a_filled_update_workbook_shows_the_preview_then_records_it(hub, tmp_path, capsys):
    target = tmp_path / "مرکز.db"
    target.write_bytes(hub.read_bytes())
    filled, title = _filled_update_workbook(target, tmp_path)
    capsys.readouterr()
    assert main.main(["import", str(target), str(filled)]) == 0
    out = capsys.readouterr().out
    assert "سال ۱۴۰۳ فصل ۲" in out  # the preview's headline
    assert "می‌کند — گزارش پیشرفت" in out or "می‌شود — گزارش پیشرفت" in out
    assert title in out and "۳۷٪" in out
    assert "ثبت شد" in out
    backups = list((target.parent / f"{target.stem}-backups").glob("*-import.db"))
    assert len(backups) == 1  # one backup, taken before writing
    doc = _dump(target, capsys)
    reports = [r for plan in doc["plans"] for r in _reports(plan) if r["year"] == YEAR and r["quarter"] == QUARTER
               and r["narrative"] == "پیشرفت خوب در فصل دوم"]
    assert len(reports) == 1 and reports[0]["physical_progress"] == 37 and reports[0]["spent"] == 12_500_000

    # The same workbook again: nothing new, nothing written.
    digest = _sha(target)
    assert main.main(["import", str(target), str(filled)]) == 0
    assert "۰ مورد تازه، ۰ تغییر" in capsys.readouterr().out
    assert _sha(target) == digest


def _reports(plan: dict):  # type: ignore[no-untyped-def]
    stack = list(plan["axes"])
    while stack:
        node = stack.pop()
        yield from node.get("progress_reports", [])
        for key in ("goals", "strategies", "programs", "projects", "activities", "children"):
            stack.extend(node.get(key, []))


def test_update_workbook_into_a_missing_file_is_exit_2(hub, tmp_path, capsys):
    filled, _title = _filled_update_workbook(hub, tmp_path)
    capsys.readouterr()
    assert main.main(["import", str(tmp_path / "نیست.db"), str(filled)]) == 2
    assert not (tmp_path / "نیست.db").exists()


def _edited(source: Path, target: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    workbook = load_workbook(source)
    edit(workbook)
    workbook.save(target)
    return target


def _rezip(source: Path, target: Path, extra: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item, old.read(item.filename))
        for name, data in extra.items():
            new.writestr(name, data)
    return target


def _hostile(plan_workbook: Path, filled_update: Path, folder: Path) -> dict[str, Path]:
    def formula(workbook):  # type: ignore[no-untyped-def]
        sheet = workbook[INDICATORS.name]
        sheet.cell(row=3, column=_header_column(sheet, "مقدار پایه")).value = "=1+1"

    def bad_code(workbook):  # type: ignore[no-untyped-def]
        sheet = workbook[ALLOCATIONS.name]
        sheet.cell(row=2, column=_header_column(sheet, "کد بودجه")).value = "999999"

    def bad_progress(workbook):  # type: ignore[no-untyped-def]
        sheet = workbook[PROGRESS.name]
        sheet.cell(row=2, column=_column(sheet, "physical_progress")).value = 140

    fake = folder / "not-a-zip.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    from openpyxl import Workbook

    foreign = folder / "foreign.xlsx"
    Workbook().save(foreign)
    return {
        "formula": _edited(plan_workbook, folder / "فرمول.xlsx", formula),
        "bad budget code": _edited(plan_workbook, folder / "کد.xlsx", bad_code),
        "external link": _rezip(plan_workbook, folder / "link.xlsx",
                                {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"}),
        "zip bomb": _rezip(plan_workbook, folder / "bomb.xlsx", {"xl/media/zeros.bin": b"\0" * (120 * 1024 * 1024)}),
        "not a zip": fake,
        "foreign": foreign,
        "update out of range": _edited(filled_update, folder / "پیشرفت.xlsx", bad_progress),
    }


def test_hostile_workbooks_are_exit_2_with_one_line_and_the_file_unchanged(hub, plan_workbook, tmp_path, capsys):
    target = tmp_path / "مقصد.db"
    target.write_bytes(hub.read_bytes())
    filled, _title = _filled_update_workbook(target, tmp_path)
    digest = _sha(target)
    for name, path in _hostile(plan_workbook, filled, tmp_path).items():
        for argv in (["import", str(target), str(path)], ["import", str(target), str(path), "--merge"]):
            capsys.readouterr()
            assert main.main(argv) == 2, name
            err = capsys.readouterr().err.strip()
            assert err and " / " in err.splitlines()[0], (name, err)
            assert "Traceback" not in err, name
        assert _sha(target) == digest, name
    new = tmp_path / "تازه.db"
    capsys.readouterr()
    assert main.main(["import", str(new), str(tmp_path / "فرمول.xlsx")]) == 2
    assert not new.exists()
