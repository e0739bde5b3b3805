"""The desktop program around the editor: Help menu and F1, About, Qt's own dialogs in Persian,
report actions without a plan, duplicate / delete a plan and save a copy from the File menu."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QMessageBox

import planner_gui.monitoring
from planner_core import plans
from planner_core.store import open_store
from tests.gui.helpers import open_main_window


@pytest.fixture
def window(qtbot, db, small_plan, tmp_path):
    return open_main_window(qtbot, db, tmp_path)


def test_message_box_and_dialog_buttons_speak_persian(qtbot):
    box = QMessageBox(QMessageBox.Icon.Question, "پرسش", "ادامه دهیم؟",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                      | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    texts = {box.button(b).text().replace("&", "") for b in (QMessageBox.StandardButton.Yes,
                                                              QMessageBox.StandardButton.No,
                                                              QMessageBox.StandardButton.Cancel)}
    assert texts == {"بله", "نه", "انصراف"}
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close)
    qtbot.addWidget(buttons)
    assert not any(c.isascii() and c.isalpha()
                   for b in buttons.buttons() for c in b.text().replace("&", ""))
    # A text field's own context menu (undo, cut, copy, paste…) is Qt's and Persian too.
    edit = QLineEdit()
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    labels = [a.text().split("\t")[0].replace("&", "") for a in menu.actions() if not a.isSeparator()]
    assert labels and all(any("\u0600" <= c <= "\u06ff" for c in label) for label in labels), labels
    assert QApplication.instance().layoutDirection() == Qt.LayoutDirection.RightToLeft


def test_f1_opens_the_guide_at_the_window_it_was_pressed_in(qtbot, window):
    qtbot.keyClick(window.tree.view, Qt.Key.Key_F1)
    help_window = window.help_menu.help_window
    assert help_window is not None and help_window.isVisible()
    assert help_window.section == "editor"
    text = help_window.browser.toPlainText()
    for heading in ("سطح‌های برنامه", "شاخص‌ها", "بودجه", "پایش", "دفترچه برنامه", "مبادله با شهرداری‌های دیگر",
                    "فایل‌ها و رونوشت برنامه"):
        assert heading in text
    dashboard = window.open_window(next(a for a in planner_gui.extensions.WINDOW_ACTIONS
                                        if a.object_name == "action_dashboard"))
    qtbot.addWidget(dashboard)
    qtbot.keyClick(dashboard.level_combo, Qt.Key.Key_F1)
    assert help_window.section == "dashboard"
    # The section is in view: the browser scrolled away from the top to reach it.
    assert help_window.browser.verticalScrollBar().value() > 0


def test_the_guide_shows_its_screenshots(qtbot, window):
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QImage, QTextDocument

    help_window = window.help_menu.open_help("")
    html = help_window.browser.toHtml()
    for name in ("main-window.png", "dashboard.png", "booklet-preview.png"):
        assert name in html
        data = help_window.browser.loadResource(QTextDocument.ResourceType.ImageResource.value, QUrl(name))
        image = data if isinstance(data, QImage) else QImage.fromData(data)
        assert not image.isNull(), name


def test_about_names_version_licence_and_font_licence(qtbot, window):
    from planner_core.about import version
    from planner_gui.help import about_box

    box = about_box(window)
    qtbot.addWidget(box)
    text = box.text()
    assert version().replace(".", "") and "نسخه" in text
    assert "Vazirmatn" in text and "SIL Open Font License 1.1" in text and "OFL.txt" in text
    assert "حقوق" in text


def test_report_actions_are_off_with_a_reason_while_no_plan_is_open(qtbot, window):
    assert window.report_actions and all(a.isEnabled() for a in window.report_actions)
    window.ctx.set_plan(None)
    for action in window.report_actions:
        assert not action.isEnabled()
        assert "برنامه راهبردی باز کنید" in action.toolTip()
    assert not window.plan_file_actions.duplicate_action.isEnabled()
    assert window.plan_file_actions.save_copy_action.isEnabled()  # a file is open all the same


def test_duplicate_then_delete_a_plan_from_the_file_menu(qtbot, window, db, monkeypatch):
    actions = window.plan_file_actions
    original = window.ctx.plan_id
    actions.duplicate_action.trigger()
    copy_id = window.ctx.plan_id
    assert copy_id != original
    copy = plans.get_plan(db, copy_id)
    assert copy.title.startswith("رونوشت ") and copy.status == "draft"
    assert window.plan_combo.count() == 2 and window.plan_combo.currentData() == copy_id
    assert window.tree.model.plan_id() == copy_id

    asked = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No))
    actions.delete_plan_action.trigger()
    assert asked and copy.title in asked[0] and "پشتیبان" in asked[0]
    assert len(plans.list_plans(db)) == 2  # «No» deletes nothing
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    actions.delete_plan_action.trigger()
    assert [p.id for p in plans.list_plans(db)] == [original]
    assert window.ctx.plan_id == original
    assert "پشتیبان" in window.statusBar().currentMessage()
    from planner_core.backups import database_path

    (backup,) = database_path(db).parent.glob("*-backups/*delete-plan.db")
    kept = open_store(backup)
    assert len(plans.list_plans(kept)) == 2  # the way back holds the deleted plan
    kept.dispose()


def _plan_document(db, code):
    from planner_core import exchange

    return exchange.export_document(db, [code])["plans"][0]


def test_duplicating_a_plan_is_one_undo_step_and_redo_brings_back_the_same_copy(qtbot, window, db):
    original = window.ctx.plan_id
    stack = window.ctx.undo_stack
    steps = stack.count()
    window.plan_file_actions.duplicate_action.trigger()
    copy = plans.get_plan(db, window.ctx.plan_id)
    document = _plan_document(db, copy.code)
    assert stack.count() == steps + 1 and "رونوشت برنامه" in stack.undoText()
    stack.undo()
    assert [p.id for p in plans.list_plans(db)] == [original]
    assert window.ctx.plan_id == original and window.plan_combo.count() == 1
    stack.redo()
    assert window.ctx.plan_id == copy.id and window.plan_combo.count() == 2
    assert plans.get_plan(db, copy.id) == copy
    assert _plan_document(db, copy.code) == document  # the same rows, the same UUIDs
    assert window.tree.model.plan_id() == copy.id


def test_deleting_a_plan_is_undone_with_its_whole_content(qtbot, window, db, monkeypatch):
    plan = plans.get_plan(db, window.ctx.plan_id)
    document = _plan_document(db, plan.code)
    stack = window.ctx.undo_stack
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    window.plan_file_actions.delete_plan_action.trigger()
    assert plans.list_plans(db) == [] and not window.ctx.plan_id
    assert "حذف برنامه" in stack.undoText()
    stack.undo()
    assert plans.get_plan(db, plan.id) == plan and window.ctx.plan_id == plan.id
    assert _plan_document(db, plan.code) == document
    assert window.tree.model.rowCount() > 0
    stack.redo()
    assert plans.list_plans(db) == []
    from planner_core.backups import database_path

    assert len(list(database_path(db).parent.glob("*-backups/*delete-plan.db"))) == 1  # backed up once


def test_save_a_copy_as_writes_the_file_the_dialog_names(qtbot, window, db, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "پوشه رونوشت" / "نسخه بایگانی.db"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    window.plan_file_actions.save_copy_action.trigger()
    assert target.exists()
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy = open_store(target)
    assert [p.code for p in plans.list_plans(copy)] == ["T-1410"]
    copy.dispose()
    assert "نسخه بایگانی.db" in window.statusBar().currentMessage()


def test_qt_file_dialog_lists_sizes_and_dates_in_persian_digits(qtbot, tmp_path):
    """Qt's own (non-native) file dialog shows its files through QFileSystemModel and the default locale."""
    from PySide6.QtWidgets import QFileDialog, QFileSystemModel

    (tmp_path / "برنامه.db").write_bytes(b"x" * 2048)
    dialog = QFileDialog(None, "باز کردن", str(tmp_path))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    model = dialog.findChild(QFileSystemModel)
    assert model is not None
    root = model.index(str(tmp_path))
    qtbot.waitUntil(lambda: model.rowCount(root) == 1, timeout=5000)
    row = model.index(0, 0, root)
    size = row.siblingAtColumn(1).data()
    date = row.siblingAtColumn(3).data()
    for text in (size, date):
        assert any("۰" <= c <= "۹" for c in text) and not any(c.isascii() and c.isdigit() for c in text), text
    cancel = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text().replace("&", "") == "انصراف"


def test_f1_on_a_detail_tab_opens_that_tabs_section(qtbot, window, small_plan):
    window.select_node(small_plan["program"].id)
    tabs = window.detail.tabs
    index = next(i for i in range(tabs.count()) if "شاخص" in tabs.tabText(i))
    tabs.setCurrentIndex(index)
    qtbot.keyClick(tabs.currentWidget(), Qt.Key.Key_F1)
    assert window.help_menu.help_window.section == "indicators"


def test_every_window_s_section_is_in_the_guide_with_its_pictures():
    import re

    from planner_gui.help import GUIDE, HELP_DIR, SCREENSHOTS, SECTIONS

    html = (HELP_DIR / GUIDE).read_text(encoding="utf-8")
    anchors = set(re.findall(r'<a name="([^"]+)"', html))
    assert {s for s in SECTIONS.values() if s} <= anchors
    for name in re.findall(r'<img src="([^"]+)"', html):
        assert (SCREENSHOTS / name).exists(), name
    assert "ي" not in html and "ك" not in html  # Persian letters, not Arabic


def test_f1_in_the_new_windows_opens_their_sections(qtbot, window):
    from planner_gui.safety.backups_window import open_backups

    text = window.help_menu.open_help("").browser.toPlainText()
    for heading in ("چرخه عمر برنامه", "مبادله با شهرداری‌های دیگر", "درس‌آموخته‌ها", "کارپوشه‌های Excel",
                    "پشتیبان‌ها و فایل فقط‌خواندنی", "آلبوم بودجه", "صفحه تصویب", "ادغام با برنامه موجود",
                    "اصلاحیه", "پیش‌برد"):
        assert heading in text
    readiness = window.lifecycle.open_readiness()
    backups = open_backups(window)
    lessons = window.open_window(next(a for a in planner_gui.extensions.WINDOW_ACTIONS
                                      if "درس‌آموخته" in a.text))
    workbooks = window.open_window(next(a for a in planner_gui.extensions.WINDOW_ACTIONS
                                        if a.object_name == "action_update_workbooks"))
    for opened, section in ((readiness, "lifecycle"), (backups, "backups"), (lessons, "lessons"),
                            (workbooks, "workbooks")):
        qtbot.addWidget(opened)
        qtbot.keyClick(opened, Qt.Key.Key_F1)
        assert window.help_menu.help_window.section == section, opened.objectName()


def test_help_is_the_last_menu_of_the_bar(window):
    titles = [a.text().replace("&", "") for a in window.menuBar().actions() if a.isVisible()]
    assert titles[0] == "پرونده" and titles[-1] == "راهنما"
    assert "چرخه عمر" in titles
