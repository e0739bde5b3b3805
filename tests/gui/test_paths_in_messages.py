"""A file path inside a Persian sentence is isolated left to right (LRI … PDI), and an error box
says only the Persian sentence, never the English half of a StoreError."""

from __future__ import annotations

import re

import pytest

from planner_core.booklet import BookletResult
from planner_core.text import ltr
from planner_gui.booklet_dialog import NO_OPEN_ENV, BookletDialog
from tests.gui.helpers import open_main_window

pytestmark = pytest.mark.usefixtures("rtl_app")


@pytest.fixture
def dialog(qtbot, ctx, small_plan, tmp_path):
    ctx.set_plan(small_plan["plan"].id)
    widget = BookletDialog(ctx)
    qtbot.addWidget(widget)
    return widget


def test_booklet_messages_isolate_paths(dialog, tmp_path, monkeypatch):
    missing = tmp_path / "nowhere"
    dialog.output.setText(str(missing / "b.pdf"))
    assert dialog.build() is None and ltr(missing) in dialog.status.text()
    dialog.output.setText(str(tmp_path / "b.pdf"))
    dialog.logo.setText(str(tmp_path / "logo.png"))
    assert dialog.build() is None and ltr(tmp_path / "logo.png") in dialog.status.text()
    monkeypatch.setenv(NO_OPEN_ENV, "1")
    out = tmp_path / "gui_booklet.pdf"
    dialog._on_finished(BookletResult(pages=12), out)  # what the worker's finished signal calls
    assert dialog.status.text() == f"دفترچه در ۱۲ صفحه ساخته شد: {ltr(out)}"


def test_opening_a_file_that_is_not_a_plan_says_it_in_persian_only(qtbot, db, tmp_path, _no_modal_boxes):
    window = open_main_window(qtbot, db, tmp_path)
    bad = tmp_path / "notes.txt"
    bad.write_text("not a database", encoding="utf-8")
    assert not window.open_database(bad)
    [said] = _no_modal_boxes
    assert ltr(bad) in said
    outside_path = said.replace(ltr(bad), "")
    assert not re.search("[A-Za-z]", outside_path), said  # no English half


def test_the_recent_files_menu_isolates_paths(qtbot, db, tmp_path):
    window = open_main_window(qtbot, db, tmp_path)
    window._fill_recent()
    texts = [action.text() for action in window.recent_menu.actions()]
    assert ltr(tmp_path / "plan.db") in texts
