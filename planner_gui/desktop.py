"""What a desktop program has beyond its editor, installed on the main window in one call:
the Help menu and F1 (planner_gui.help), whole-plan and file entries of the File menu and the
report actions' state (planner_gui.plan_files)."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from planner_gui import help as help_menu
from planner_gui import plan_files


def install(window: QMainWindow) -> None:
    window.plan_file_actions = plan_files.install(window)  # type: ignore[attr-defined]
    window.help_menu = help_menu.install(window)  # type: ignore[attr-defined]
