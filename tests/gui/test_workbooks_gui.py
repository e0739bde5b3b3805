"""The monitoring menu's workbooks: write the units' update workbooks from the dialog (on a worker,
with progress), fill one as a unit would in Excel, preview it, record it, and see the report."""

from __future__ import annotations

from openpyxl import load_workbook

import planner_gui.workbooks  # noqa: F401  (registers the menu entries)
from planner_core import indicators, monitoring
from planner_core.workbooks.update_layout import PROGRESS, VALUES
from planner_gui.extensions import WINDOW_ACTIONS
from planner_gui.workbooks import ReadUpdateWorkbookDialog, UpdateWorkbooksDialog


def _col(spec, key: str) -> int:  # type: ignore[no-untyped-def]
    return [c.key for c in spec.columns].index(key) + 1


def test_menu_entries_are_registered():
    names = {a.object_name for a in WINDOW_ACTIONS}
    assert {"action_update_workbooks", "action_read_update_workbook"} <= names


def test_generate_fill_preview_and_record_a_units_workbook(qtbot, ctx, small_plan, tmp_path):
    ctx.set_plan(small_plan["plan"].id)
    indicator = indicators.add_indicator(ctx.db, small_plan["project"].id, title="اتوبوس تحویل‌شده",
                                         kind="output", frequency="quarterly")
    folder = tmp_path / "کارپوشه‌ها"
    folder.mkdir()

    writer = UpdateWorkbooksDialog(ctx)
    qtbot.addWidget(writer)
    writer.folder.setText(str(folder))
    writer.period.set_period(1403, 2)
    writer.write_button.click()
    qtbot.waitUntil(lambda: bool(writer.paths), timeout=20000)
    assert writer.files.stringList() and "D-TRF" in writer.files.stringList()[0]
    assert not writer.running() and writer.write_button.isEnabled()
    [path] = writer.paths

    workbook = load_workbook(path)
    projects, values = workbook[PROGRESS.name], workbook[VALUES.name]
    projects.cell(row=2, column=_col(PROGRESS, "physical_progress")).value = 30
    projects.cell(row=2, column=_col(PROGRESS, "corrective_action")).value = "خرید از تأمین‌کننده دوم"
    values.cell(row=2, column=_col(VALUES, "value")).value = 6
    filled = folder / "تکمیل‌شده.xlsx"
    workbook.save(filled)

    reader = ReadUpdateWorkbookDialog(ctx)
    qtbot.addWidget(reader)
    reader.path.setText(str(filled))
    assert not reader.apply_button.isEnabled()
    reader.preview_button.click()
    qtbot.waitUntil(lambda: reader.summary is not None, timeout=20000)
    qtbot.waitUntil(lambda: reader.apply_button.isEnabled(), timeout=5000)
    lines = reader.lines.stringList()
    assert any("خرید ۵۰ دستگاه اتوبوس برقی" in line for line in lines)
    assert monitoring.list_progress_reports(ctx.db, small_plan["project"].id) == []  # a preview writes nothing

    with qtbot.waitSignal(ctx.changed, timeout=20000):
        reader.apply_button.click()
    qtbot.waitUntil(lambda: reader.summary is not None and reader.summary.written, timeout=20000)
    [report] = monitoring.list_progress_reports(ctx.db, small_plan["project"].id)
    assert report.physical_progress == 30 and report.corrective_action == "خرید از تأمین‌کننده دوم"
    assert indicators.get_indicator(ctx.db, indicator.id).actual(1403, "q2").value == 6
    assert "ثبت شد" in reader.message.text()
    assert not reader.apply_button.isEnabled()

    # One undo step takes the whole workbook back; redo records it again.
    assert ctx.undo_stack.undoText().startswith("ثبت کارپوشه واحد")
    ctx.undo_stack.undo()
    assert monitoring.list_progress_reports(ctx.db, small_plan["project"].id) == []
    assert indicators.get_indicator(ctx.db, indicator.id).actual(1403, "q2") is None
    ctx.undo_stack.redo()
    [again] = monitoring.list_progress_reports(ctx.db, small_plan["project"].id)
    assert again.uuid == report.uuid and again.physical_progress == 30
    assert indicators.get_indicator(ctx.db, indicator.id).actual(1403, "q2").value == 6


def test_a_bad_workbook_shows_its_errors_and_offers_nothing_to_record(qtbot, ctx, small_plan, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    reader = ReadUpdateWorkbookDialog(ctx)
    qtbot.addWidget(reader)
    reader.show()
    reader.path.setText(str(bad))
    reader.preview_button.click()
    qtbot.waitUntil(lambda: reader.message.isVisible() and reader.preview_button.isEnabled(), timeout=20000)
    assert "پذیرفته نشد" in reader.message.text()
    assert not reader.apply_button.isEnabled()
