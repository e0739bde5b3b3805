"""The layer rule: the core and the store never import Qt; widgets never touch SQL."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", ["planner_core", "db"])
def test_core_and_store_never_import_qt(package):
    offenders = {str(p.relative_to(ROOT)): sorted(m for m in imported_modules(p) if m.split(".")[0] in
                                                  ("PySide6", "PyQt5", "PyQt6", "shiboken6", "planner_gui"))
                 for p in python_files(package)}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_gui_never_imports_sqlalchemy_or_models():
    offenders = {str(p.relative_to(ROOT)): sorted(m for m in imported_modules(p)
                                                  if m.split(".")[0] == "sqlalchemy" or m == "db.models"
                                                  or m == "sqlite3")
                 for p in python_files("planner_gui")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_layer_walker_sees_a_qt_import(tmp_path):
    # Guard against a walker that silently finds nothing.
    sample = tmp_path / "bad.py"
    sample.write_text("from PySide6.QtWidgets import QWidget\nimport json\n")
    assert "PySide6.QtWidgets" in imported_modules(sample)


def test_no_arabic_yeh_or_kaf_in_shipped_persian_text():
    offenders = []
    for package in ("planner_core", "planner_gui", "db"):
        for path in python_files(package):
            if path.name == "text.py":  # the normaliser names them on purpose
                continue
            if any(ch in path.read_text(encoding="utf-8") for ch in "\u064a\u0643"):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
