"""The booklet is previewed inside the app (QPdfView) before it is saved, then saved or printed."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from planner_core.text import format_int
from planner_gui.booklet_dialog import BookletDialog


@pytest.fixture(autouse=True)
def _no_pdf_viewer(monkeypatch):
    monkeypatch.setenv("BARNAMENEGAR_NO_OPEN", "1")


@pytest.fixture
def preview(qtbot, ctx, small_plan, tmp_path):
    ctx.set_plan(small_plan["plan"].id)
    dialog = BookletDialog(ctx)
    qtbot.addWidget(dialog)
    chosen = tmp_path / "دفترچه‌ها" / "دفترچه برنامه.pdf"
    chosen.parent.mkdir()
    dialog.output.setText(str(chosen))
    job = dialog.build(preview=True)
    assert job is not None and not dialog.preview_button.isEnabled()
    with qtbot.waitSignal(job.done, timeout=120_000):
        pass
    assert dialog.preview is not None, dialog.status.text()
    assert not chosen.exists()  # nothing saved before the planner says so
    return dialog.preview, chosen, dialog


def test_preview_shows_every_page_of_the_booklet_then_saves_it_where_chosen(qtbot, preview):
    window, chosen, dialog = preview
    assert window.view.document() is window.document
    pages = window.document.pageCount()
    assert pages == dialog.result_info.pages >= 1
    assert window.pages_label.text() == f"{format_int(pages)} صفحه"
    assert window.save_to == chosen
    saved = window.save(chosen)
    assert saved == chosen and chosen.read_bytes() == window.pdf.read_bytes()
    assert "ذخیره شد" in window.message.text()


def test_printing_sends_every_page_to_the_printer(qtbot, preview, tmp_path):
    window, _chosen, _dialog = preview
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # a PDF-file printer stands in for paper
    printed_file = tmp_path / "چاپ.pdf"
    printer.setOutputFileName(str(printed_file))
    count = window.print_to(printer)
    assert count == window.document.pageCount()
    assert len(PdfReader(printed_file).pages) == count
    assert "به چاپگر فرستاده شد" in window.message.text()


def test_a_save_that_cannot_be_written_says_what_to_do(qtbot, preview, tmp_path):
    window, _chosen, _dialog = preview
    missing = tmp_path / "نیست" / "پوشه" / "x.pdf"
    assert window.save(missing) is None
    text = window.message.text()
    assert "ذخیره نشد" in text and "بررسی کنید" in text
    assert not any(word in text for word in ("Errno", "No such file"))
