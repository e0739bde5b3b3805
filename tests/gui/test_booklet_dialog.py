"""The background job runner and the booklet dialog: export in a worker, progress, cancel, errors."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QThread

from planner_core.errors import RuleError
from planner_gui.booklet_dialog import SCOPE_NODE, SCOPE_YEAR, BookletDialog
from planner_gui.worker import UNEXPECTED, Job, JobCancelled
from tests.gui.helpers import save_screenshot


@pytest.fixture(autouse=True)
def _no_pdf_viewer(monkeypatch):
    monkeypatch.setenv("BARNAMENEGAR_NO_OPEN", "1")


# --- the worker ----------------------------------------------------------------------------

def test_job_reports_progress_and_result_on_the_ui_thread(qtbot, qapp):
    seen: list[tuple[int, int, str, bool]] = []
    worker_threads: list[int] = []

    def work(progress, cancelled):
        worker_threads.append(threading.get_ident())
        for i in range(3):
            progress(i + 1, 3, f"گام {i + 1}")
        return "تمام"

    job = Job(work)
    job.progress.connect(lambda d, t, s: seen.append((d, t, s, QThread.currentThread() is qapp.thread())))
    with qtbot.waitSignal(job.finished, timeout=5000) as blocker:
        job.start()
    assert blocker.args == ["تمام"]
    assert [s[:3] for s in seen] == [(1, 3, "گام ۱"), (2, 3, "گام ۲"), (3, 3, "گام ۳")] or len(seen) == 3
    assert all(s[3] for s in seen)  # every slot ran on the UI thread
    assert worker_threads and worker_threads[0] != threading.get_ident()
    assert not job.running


def test_job_failures_are_messages_not_tracebacks(qtbot):
    def refused(progress, cancelled):
        raise RuleError("برنامه مصوب است.")

    job = Job(refused)
    with qtbot.waitSignal(job.failed, timeout=5000) as blocker:
        job.start()
    assert blocker.args == ["برنامه مصوب است."]

    def broken(progress, cancelled):
        raise KeyError("x")

    job = Job(broken)
    with qtbot.waitSignal(job.failed, timeout=5000) as blocker:
        job.start()
    assert blocker.args == [UNEXPECTED]


def test_job_cancel_stops_the_function(qtbot):
    started = threading.Event()

    def endless(progress, cancelled):
        started.set()
        while not cancelled():
            time.sleep(0.01)
        raise JobCancelled()

    job = Job(endless)
    job.start()
    assert started.wait(5)
    with qtbot.waitSignal(job.cancelled, timeout=5000):
        job.cancel()
    assert not job.running


# --- the booklet dialog --------------------------------------------------------------------

@pytest.fixture
def dialog(qtbot, ctx, small_plan, tmp_path):
    ctx.set_plan(small_plan["plan"].id)
    widget = BookletDialog(ctx)
    qtbot.addWidget(widget)
    widget.output.setText(str(tmp_path / "booklet.pdf"))
    return widget


def test_the_action_is_registered():
    import planner_gui.tabs  # noqa: F401 - registers
    from planner_gui.extensions import WINDOW_ACTIONS

    [action] = [a for a in WINDOW_ACTIONS if a.object_name == "action_booklet"]
    assert action.text == "خروجی دفترچه برنامه (PDF)…" and action.shortcut == "Ctrl+P"


def test_default_name_comes_from_the_plan_code(ctx, small_plan, qtbot):
    ctx.set_plan(small_plan["plan"].id)
    widget = BookletDialog(ctx)
    qtbot.addWidget(widget)
    assert widget.output.text().endswith("booklet-T-1410.pdf")
    assert widget.node_combo.count() == 4  # axis, goal, strategy, program
    assert [widget.year_combo.itemText(i) for i in (0, 7)] == ["۱۴۰۳", "۱۴۱۰"]


def test_export_runs_in_the_worker(qtbot, dialog, tmp_path):
    dialog.prepared_by.setText("دفتر برنامه‌ریزی")
    dialog.set_scope(SCOPE_NODE, "1-1")
    assert dialog.options().axis == "1-1" and dialog.options().year is None
    job = dialog.build()
    assert job is not None and not dialog.build_button.isEnabled() and dialog.cancel_button.isEnabled()
    with qtbot.waitSignal(job.done, timeout=120_000):
        pass
    out = tmp_path / "booklet.pdf"
    assert out.read_bytes().startswith(b"%PDF"), dialog.status.text()
    assert dialog.result_info is not None and dialog.result_info.pages >= 1
    assert "صفحه ساخته شد" in dialog.status.text() and dialog.build_button.isEnabled()


def test_cancel_leaves_no_file(qtbot, dialog, tmp_path):
    dialog.set_scope(SCOPE_YEAR, 1403)
    job = dialog.build()
    dialog.cancel()
    with qtbot.waitSignal(job.cancelled, timeout=120_000):
        pass
    assert "لغو" in dialog.status.text()
    assert list(tmp_path.glob("*.pdf")) == [] and not (tmp_path / "booklet.pdf").exists()


def test_bad_output_or_logo_is_said_in_persian(dialog, tmp_path):
    dialog.output.setText(str(tmp_path / "nowhere" / "b.pdf"))
    assert dialog.build() is None and "وجود ندارد" in dialog.status.text()
    dialog.output.setText(str(tmp_path / "b.pdf"))
    dialog.logo.setText(str(tmp_path / "logo.png"))
    assert dialog.build() is None and "پیدا نشد" in dialog.status.text()


def test_screenshot(dialog, qtbot):
    dialog.prepared_by.setText("دفتر برنامه‌ریزی و بودجه")
    dialog.reviewed_by.setText("معاونت برنامه‌ریزی و توسعه سرمایه انسانی")
    dialog.set_scope(SCOPE_NODE, "1-1")
    dialog.output.setText("/home/planner/Documents/booklet-ISF-1410.pdf")
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog._on_progress(17, 40, "ساخت صفحه‌های محور ۱…")
    save_screenshot(dialog, "booklet-dialog.png")


def test_approvals_kind_and_print_options_reach_the_booklet(qtbot, dialog, tmp_path):
    from datetime import date

    dialog.prepared_by.setText("مریم احمدی")
    dialog.prepared_position.setText("كارشناس برنامه‌ريزی")  # Arabic kaf/yeh typed: normalised
    dialog.resolution_number.setText("۱۲۳/۴۵")
    dialog.resolution_date.set_date_value(date(2025, 3, 10))
    dialog.approving_body.setText("شورای اسلامی شهر")
    dialog.pdfa_check.setChecked(True)
    dialog.crop_check.setChecked(True)
    options = dialog.options()
    info = options.approvals_info()
    assert info.resolution_number == "۱۲۳/۴۵" and info.resolution_date == date(2025, 3, 10)
    assert info.signatories[0].name == "مریم احمدی" and info.signatories[0].position == "کارشناس برنامه‌ریزی"
    assert options.pdfa and options.crop_marks and options.kind == "plan"
    # A budget album is one fiscal year: choosing it selects the year scope and locks the others.
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("budget-album"))
    dialog.paper_combo.setCurrentIndex(dialog.paper_combo.findData("A3"))
    assert dialog.scope_buttons[SCOPE_YEAR].isChecked() and not dialog.scope_buttons[SCOPE_NODE].isEnabled()
    options = dialog.options()
    assert options.kind == "budget-album" and options.year == 1403 and options.album_size == "A3"
    job = dialog.build()
    with qtbot.waitSignal(job.done, timeout=120_000):
        pass
    assert (tmp_path / "booklet.pdf").read_bytes().startswith(b"%PDF"), dialog.status.text()


def _tab_through(qtbot, widget, start, expected):
    """Press Tab from ``start`` and name where the focus lands (a date's inner line edit counts as the date)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    start.setFocus()
    seen = [start]
    for _ in expected[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focus = QApplication.focusWidget()
        while focus is not None and focus not in expected and focus.parentWidget() is not None:
            focus = focus.parentWidget()
        seen.append(focus)
    return seen


def test_booklet_tab_order_is_top_to_bottom_then_buttons(qtbot, dialog):
    d = dialog
    d.kind_combo.setCurrentIndex(d.kind_combo.findData("budget-album"))  # the paper size is a stop too
    expected = [d.kind_combo, d.paper_combo, d.edition_date, d.prepared_by, d.prepared_position, d.reviewed_by,
                d.reviewed_position, d.approved_by, d.approved_position, d.resolution_number, d.resolution_date,
                d.approving_body, d.logo, d.logo_button, d.output, d.output_button, d.pdfa_check, d.crop_check,
                d.scope_buttons[SCOPE_YEAR], d.year_combo, d.build_button, d.preview_button, d.close_button]
    assert _tab_through(qtbot, d, d.kind_combo, expected) == expected


def test_booklet_tab_reaches_the_chosen_scope_s_list_next(qtbot, dialog):
    d = dialog
    d.set_scope(SCOPE_NODE)
    expected = [d.crop_check, d.scope_buttons[SCOPE_NODE], d.node_combo, d.build_button]
    assert _tab_through(qtbot, d, d.crop_check, expected) == expected
