"""Data safety in the window: awkward paths, read-only banner, second instance, damaged file,
File → Backups, undo on a locked file, clean close."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from planner_core import backups, paths, plans
from planner_core.safety import lock_info
from planner_core.safety.lock import lock_path
from planner_gui import recent
from planner_gui.app import build_main_window
from planner_gui.safety.backups_window import COL_DATE, COL_PLANS, COL_REASON, open_backups

HARD = "پوشه ۱۴۰۴ مجلد 100% %D8%AF"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    from planner_core.sample import load_sample
    from planner_core.store import open_store

    path = tmp_path_factory.mktemp("gui-safety") / "sample.db"
    db = open_store(path, create=True)
    load_sample(db)
    db.dispose()
    return path


@pytest.fixture
def hard_copy(sample_db, tmp_path) -> Path:
    folder = tmp_path / HARD
    folder.mkdir()
    target = folder / "برنامه ۱۴۰۴ خطة %.db"
    shutil.copy2(sample_db, target)
    return target


def _window(qtbot, path: Path):
    window = build_main_window(str(path))
    qtbot.addWidget(window)
    return window


def _action(window, name):
    return next(a for a in window.findChildren(type(window.undo_action)) if a.objectName() == name)


def test_open_save_and_recent_files_with_persian_and_percent_paths(qtbot, hard_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "data_dir", lambda: tmp_path / "داده %")
    recent.clear_recent()
    window = _window(qtbot, hard_copy)
    assert window.ctx.plan_id is not None and not window.ctx.db.read_only
    assert not window.safety_bar.isVisibleTo(window)
    new = hard_copy.parent / "تازه ۲ %41.db"
    monkeypatch.setattr("planner_gui.main_window.QFileDialog.getSaveFileName", lambda *a, **k: (str(new), ""))
    monkeypatch.setattr(window, "new_plan", lambda: None)
    window.new_file()
    assert window.path == new and new.is_file()
    window._fill_recent()
    entry = next(a for a in window.recent_menu.actions() if "برنامه ۱۴۰۴ خطة %" in a.text())
    entry.trigger()
    assert window.path == hard_copy.resolve() or window.path == hard_copy
    assert plans.list_plans(window.ctx.db)


def test_a_second_instance_opens_read_only_and_is_told_who_holds_the_file(qtbot, hard_copy, qapp):
    now = datetime.now(UTC).isoformat(timespec="seconds")
    lock_path(hard_copy).write_text(json.dumps({"user": "مریم", "host": "رایانه-برنامه‌ریزی", "pid": 1,
                                                "since": now, "heartbeat": now}), encoding="utf-8")
    window = _window(qtbot, hard_copy)
    assert window.ctx.db.read_only
    assert window.safety_bar.isVisibleTo(window)
    text = window.safety_banner.text.text()
    assert "فقط برای خواندن" in text and "مریم" in text and "رایانه-برنامه‌ریزی" in text
    for name in ("addChild", "delete", "save", "newPlan"):
        window.tree.view.setFocus()
        assert not _action(window, name).isEnabled(), name
    assert window.windowTitle().endswith("(فقط خواندنی)")
    assert window.tree.model.rowCount(window.tree.model.index(0, 0)) > 0  # the plan is readable
    assert lock_info(hard_copy).user == "مریم"  # not taken over


def test_a_read_only_folder_opens_with_the_banner(qtbot, sample_db, monkeypatch, tmp_path):
    import planner_core.store as store

    target = tmp_path / "سی‌دی" / "plan.db"
    target.parent.mkdir()
    shutil.copy2(sample_db, target)
    # The tmpfs test in tests/safety proves SQLite's side; here the window's side of a folder we cannot write.
    monkeypatch.setattr(store, "folder_writable", lambda p: False)
    window = _window(qtbot, target)
    assert window.ctx.db.read_only and window.ctx.db.read_only_reason == "place"
    assert "نوشتن در آن ممکن نیست" in window.safety_banner.text.text()


def test_a_damaged_file_opens_read_only_and_offers_restore_and_salvage(qtbot, hard_copy, _no_modal_boxes):
    good = backups.backup_to(hard_copy)
    connection = sqlite3.connect(hard_copy)
    connection.execute("PRAGMA foreign_keys=OFF")
    connection.execute("UPDATE plan_node SET plan_id = 9999 WHERE id = (SELECT max(id) FROM plan_node)")
    connection.commit()
    connection.close()
    window = _window(qtbot, hard_copy)
    assert window.ctx.db.read_only_reason == "damaged"
    assert "آسیب دیده" in window.safety_banner.text.text()
    assert window.safety_banner.restore_button.isVisibleTo(window)
    saved = window.safety_banner.salvage(target=hard_copy.parent / "بازیابی %.db")
    assert saved is not None and window.path == saved and not window.ctx.db.read_only
    assert plans.list_plans(window.ctx.db)
    window.open_database(hard_copy)
    assert window.ctx.db.read_only_reason == "damaged"
    assert window.safety_banner.restore_latest()
    assert not window.ctx.db.read_only
    assert good.exists()
    assert any(b.reason in ("restore", "damaged") for b in backups.list_backups(hard_copy))  # kept first


def test_backups_window_lists_and_restores_after_confirmation(qtbot, hard_copy, monkeypatch, _no_modal_boxes):
    window = _window(qtbot, hard_copy)
    plan = plans.list_plans(window.ctx.db)[0]
    backups.backup_to(hard_copy)
    _action(window, "backups").trigger()
    dialog = window.windows[-1]
    assert dialog.model.rowCount() >= 1
    reasons = {dialog.model.index(r, COL_REASON).data() for r in range(dialog.model.rowCount())}
    assert "پشتیبان دستی" in reasons
    assert any(ch in dialog.model.index(0, COL_DATE).data() for ch in "۰۱۲۳۴۵۶۷۸۹")
    assert plan.title in dialog.model.index(0, COL_PLANS).data()
    plans.update_plan(window.ctx.db, plan.id, title="عنوان پس از پشتیبان")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert not dialog.restore_selected()
    assert plans.list_plans(window.ctx.db)[0].title == "عنوان پس از پشتیبان"
    row = next(r for r in range(dialog.model.rowCount()) if dialog.model.backup_at(r).reason == "manual")
    dialog.view.setCurrentIndex(dialog.model.index(row, 0))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert dialog.restore_selected(), _no_modal_boxes
    assert plans.list_plans(window.ctx.db)[0].title == plan.title
    assert any(b.reason == "restore" for b in backups.list_backups(hard_copy))
    assert open_backups(window).model.rowCount() == dialog.model.rowCount()


def test_an_undo_that_meets_a_lock_stays_on_the_stack(qtbot, hard_copy, monkeypatch, _no_modal_boxes):
    monkeypatch.setattr("db.engine.BUSY_TIMEOUT_MS", 100)
    window = _window(qtbot, hard_copy)
    plan = plans.list_plans(window.ctx.db)[0]
    from planner_gui.commands import ServiceCommand, execute

    title = plan.title
    command = ServiceCommand(window.ctx, "عنوان", "plan",
                             apply=lambda: plans.update_plan(window.ctx.db, plan.id, title="تازه").id,
                             revert=lambda: plans.update_plan(window.ctx.db, plan.id, title=title).id)
    assert execute(window.ctx, command) is None
    stack = window.ctx.undo_stack
    assert stack.index() == 1
    other = sqlite3.connect(hard_copy, timeout=0.1)
    other.isolation_level = None
    other.execute("BEGIN IMMEDIATE")  # another writer holds the file
    messages: list[str] = []
    from planner_gui.commands import errors

    errors.message.connect(messages.append)
    try:
        stack.undo()
        qtbot.wait(50)
        assert messages and "دوباره امتحان کنید" in messages[-1]
        assert stack.count() == 1 and stack.index() == 1 and stack.canUndo()
        assert plans.list_plans(window.ctx.db)[0].title == "تازه"
    finally:
        other.execute("ROLLBACK")
        other.close()
        errors.message.disconnect(messages.append)
    stack.undo()
    assert stack.index() == 0
    assert plans.list_plans(window.ctx.db)[0].title == title


def test_closing_the_window_checkpoints_and_gives_the_lock_back(qtbot, hard_copy, tmp_path):
    window = _window(qtbot, hard_copy)
    assert lock_info(hard_copy).pid == os.getpid() and lock_info(hard_copy).host == socket.gethostname()
    plan = plans.list_plans(window.ctx.db)[0]
    plans.update_plan(window.ctx.db, plan.id, title="آخرین ویرایش")
    window.close()
    assert lock_info(hard_copy) is None
    copy = tmp_path / "usb.db"
    shutil.copy2(hard_copy, copy)  # only the .db
    connection = sqlite3.connect(copy)
    assert connection.execute("SELECT title FROM strategic_plan").fetchone()[0] == "آخرین ویرایش"
    connection.close()


def test_a_file_in_a_sync_folder_shows_the_warning(qtbot, hard_copy, monkeypatch):
    import planner_core.store as store

    monkeypatch.setattr(store, "place_warning", lambda p: "هشدار: فایل درون پوشه OneDrive است.")
    window = _window(qtbot, hard_copy)
    assert not window.ctx.db.read_only
    assert window.safety_bar.isVisibleTo(window)
    assert "OneDrive" in window.safety_banner.text.text()


def test_a_workbook_import_is_backed_up_first_and_stopped_when_the_backup_fails(qtbot, hard_copy, monkeypatch):
    from planner_core import budget
    from planner_core.errors import StoreError
    from planner_gui.budget.commands import ImportCodesCommand
    from planner_gui.commands import execute

    window = _window(qtbot, hard_copy)
    rows = [{"code": "98", "title": "کد آزمایشی ورود", "parent": None}]
    assert execute(window.ctx, ImportCodesCommand(window.ctx, rows, "codes.xlsx")) is None
    assert any(b.reason == "import" for b in backups.list_backups(hard_copy))

    def no_backup(db, reason):
        raise StoreError("پشتیبان فایل ساخته نشد؛ کار انجام نشد.", "backup failed")

    monkeypatch.setattr("planner_gui.budget.commands.backup_before", no_backup)
    rows = [{"code": "99", "title": "کد بدون پشتیبان", "parent": None}]
    failure = execute(window.ctx, ImportCodesCommand(window.ctx, rows, "codes.xlsx"))
    assert failure is not None and "پشتیبان" in str(failure)
    assert "99" not in {c.code for c in budget.list_budget_codes(window.ctx.db)}
