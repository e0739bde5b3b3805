"""The app as a whole: Persian set up once, first-run welcome with the sample one click away,
window title, recent files, switching files."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt, QThread
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from planner_core import paths, plans
from planner_gui import app as app_module
from planner_gui import recent
from planner_gui.app import build_main_window


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "data_dir", lambda: tmp_path)
    recent.clear_recent()
    return tmp_path


def test_support_sets_rtl(rtl_app, qapp):
    assert qapp.layoutDirection() == Qt.LayoutDirection.RightToLeft


def test_app_is_right_to_left_persian_with_vazirmatn(qapp):
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert QLocale().language() == QLocale.Language.Persian
    assert QLocale().toString(1234567) == "۱٬۲۳۴٬۵۶۷"
    assert QApplication.font().family() == "Vazirmatn"
    assert "Vazirmatn" in app_module.QFontDatabase.families()


def test_first_run_offers_the_sample_plan(qtbot, data_dir):
    window = build_main_window()
    qtbot.addWidget(window)
    window.show()
    assert window.pages.currentWidget() is window.welcome
    assert window.windowTitle().removesuffix("[*]") == "برنامه‌نگار — barnamenegar.db"
    assert window.welcome.sample_button.text() == "باز کردن برنامه نمونه"
    qtbot.mouseClick(window.welcome.sample_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.splitter
    sample_plan = plans.list_plans(window.ctx.db)[0]
    assert window.windowTitle().removesuffix("[*]") == f"برنامه‌نگار — sample-plan.db — {sample_plan.title}"
    assert window.tree.model.rowCount(window.tree.model.index(0, 0)) > 0
    assert recent.recent_files()[0] == (data_dir / "sample-plan.db").resolve()


def test_sample_flag_and_db_flag(qtbot, data_dir, tmp_path):
    window = build_main_window(sample=True)
    qtbot.addWidget(window)
    assert window.path == data_dir / "sample-plan.db" and window.ctx.plan_id is not None
    other = build_main_window(str(tmp_path / "mine.db"))
    qtbot.addWidget(other)
    assert other.path == tmp_path / "mine.db" and other.ctx.plan_id is None
    assert (tmp_path / "mine.db").exists()


def test_switching_files_clears_history_and_remembers_recent(qtbot, db, small_plan, data_dir, tmp_path):
    from planner_gui.main_window import MainWindow

    window = MainWindow(db, tmp_path / "plan.db")
    qtbot.addWidget(window)
    window.select_node(small_plan["axis"].id)
    window.tree.view.setFocus()
    window.add_child_action.trigger()
    assert window.ctx.undo_stack.count() == 1
    assert window.open_database(tmp_path / "second.db")
    assert window.ctx.undo_stack.count() == 0
    assert window.pages.currentWidget() is window.welcome
    assert [p.name for p in recent.recent_files()[:2]] == ["second.db", "plan.db"]
    assert window.windowTitle().removesuffix("[*]") == "برنامه‌نگار — second.db"
    # A file that is not a plan store: a Persian message, the window stays on its file.
    bad = tmp_path / "notes.db"
    bad.write_text("not sqlite")
    assert not window.open_database(bad)
    assert window.path == tmp_path / "second.db"


def test_plan_switcher_lists_plans(qtbot, db, small_plan, tmp_path):
    from planner_gui.main_window import MainWindow

    other = plans.create_plan(db, code="B-1", title="برنامه دوم", first_year=1404, last_year=1405)
    window = MainWindow(db, tmp_path / "plan.db")
    qtbot.addWidget(window)
    combo = window.plan_combo
    assert combo.count() == 2
    combo.activated.emit(combo.findData(other.id))
    assert window.tree.model.plan_id() == other.id
    assert window.windowTitle().removesuffix("[*]").endswith("برنامه دوم")


def test_geometry_is_remembered(qtbot, db, tmp_path):
    from planner_gui.main_window import MainWindow

    window = MainWindow(db, tmp_path / "plan.db")
    qtbot.addWidget(window)
    window.show()
    window.resize(701, 502)  # within the offscreen screen (800×600)
    window.close()
    again = MainWindow(db, tmp_path / "plan.db")
    qtbot.addWidget(again)
    again.show()  # placed when shown (planner_gui.window_fit), for the screen it opens on
    assert again.size().width() == 701
    # Tests keep their settings in a temporary folder, never the user's profile.
    assert Path(recent.settings().fileName()).parts[-2:] == ("Barnamenegar", "Barnamenegar.ini")
    assert not recent.settings().fileName().startswith(str(Path.home() / ".config"))


@pytest.fixture
def crash_hooks(tmp_path, monkeypatch):
    """The app's log and hooks as run_app installs them, taken down again after the test."""
    shown: list[str] = []
    on_ui_thread: list[bool] = []

    def critical(_parent, _title, text, *_args, **_kwargs):
        shown.append(text)
        on_ui_thread.append(QThread.currentThread() is QApplication.instance().thread())
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", staticmethod(critical))
    saved = sys.excepthook, threading.excepthook
    log_path = app_module.start_log(tmp_path)
    app_module.install_excepthook(log_path)
    try:
        yield shown, log_path, on_ui_thread
    finally:
        sys.excepthook, threading.excepthook = saved
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "baseFilename", None) == str(log_path)]:
            root.removeHandler(handler)
            handler.close()


def test_an_exception_in_a_slot_is_logged_and_shown_in_persian(qtbot, crash_hooks):
    shown, log_path, _on_ui_thread = crash_hooks
    button = QPushButton("x")
    qtbot.addWidget(button)

    def broken_slot() -> None:
        raise RuntimeError("boom in a slot")

    button.clicked.connect(broken_slot)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert len(shown) == 1
    assert shown[0].startswith("خطای پیش‌بینی‌نشده") and "جزئیات در پرونده گزارش" in shown[0]
    assert str(log_path) in shown[0] and "Traceback" not in shown[0]
    logged = log_path.read_text(encoding="utf-8")
    assert "RuntimeError: boom in a slot" in logged and "broken_slot" in logged


def test_an_exception_on_another_thread_is_shown_on_the_ui_thread(qtbot, crash_hooks):
    shown, log_path, on_ui_thread = crash_hooks

    def broken() -> None:
        raise ValueError("boom in a thread")

    thread = threading.Thread(target=broken)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert "جزئیات در پرونده گزارش" in shown[0] and on_ui_thread == [True]
    assert "ValueError: boom in a thread" in log_path.read_text(encoding="utf-8")
