"""Persian, Arabic, space and '%' in folder and file names work through every command."""

from __future__ import annotations

import json

import pytest

from planner_core import cli
from planner_core import commands as _commands  # noqa: F401  (registers the later subcommands)
from tests.safety.conftest import HARD_FOLDERS, HARD_NAMES, main


@pytest.mark.parametrize(("folder", "name"), list(zip(HARD_FOLDERS, HARD_NAMES, strict=True)))
def test_demo_check_and_dump_in_process(tmp_path, capsys, folder, name):
    path = tmp_path / folder / name
    path.parent.mkdir()
    assert cli.run(cli.parse(["demo", str(path)])) == 0
    assert path.is_file()
    assert cli.run(cli.parse(["check", str(path)])) == 0
    capsys.readouterr()
    assert cli.run(cli.parse(["dump", str(path)])) == 0
    assert json.loads(capsys.readouterr().out)["plans"]


def test_every_command_as_a_real_process(tmp_path):
    folder = tmp_path / "پوشه ۱۴۰۴ مجلد 100% %D8%AF"
    folder.mkdir()
    path = folder / "برنامه ۱۴۰۴ خطة %41.db"
    steps = [
        ("demo", str(path)),
        ("check", str(path)),
        ("dump", str(path)),
        ("progress", str(path), "--year", "1404"),
        ("budget", str(path), "--year", "1404", "--matrix-xlsx", str(folder / "ماتریس %.xlsx")),
        ("deviations", str(path), "--year", "1404", "--xlsx", str(folder / "انحراف %.xlsx")),
        ("booklet", str(path), str(folder / "دفترچه %.pdf"), "--axis", "1"),
        ("backup", str(path)),
        ("backup", str(path), str(folder / "رونوشت %.db")),
        ("backups", str(path), "--json"),
    ]
    for step in steps:
        result = main(*step)
        assert result.returncode == 0, (step, result.stderr)
        assert "Traceback" not in result.stderr
    listed = json.loads(result.stdout)
    assert listed and all(set(entry) == {"path", "created", "reason", "size"} for entry in listed)
    restored = main("restore", str(path), listed[0]["path"])
    assert restored.returncode == 0, restored.stderr
    assert main("check", str(path)).returncode == 0
    for made in ("ماتریس %.xlsx", "انحراف %.xlsx", "دفترچه %.pdf", "رونوشت %.db"):
        assert (folder / made).stat().st_size > 0


def test_default_data_folder_under_a_persian_user_name(tmp_path, monkeypatch):
    from planner_core import paths
    from planner_gui.app import open_database

    home = tmp_path / "کاربر ۱ %"
    monkeypatch.setattr(paths, "user_data_dir", lambda *a, **k: str(home / "Barnamenegar"))
    db, path = open_database()
    try:
        assert path == home / "Barnamenegar" / "barnamenegar.db"
        assert path.is_file() and db.has_schema()
    finally:
        db.dispose()


def test_a_new_file_in_folders_still_to_be_made_is_created(tmp_path):
    from planner_core.store import open_store

    path = tmp_path / "پوشه تازه %" / "زیرپوشه" / "برنامه.db"
    db = open_store(path, create=True, lock=True)
    try:
        assert not db.read_only and db.has_schema()
    finally:
        db.dispose()
