"""The code import in the budget window: read off the UI thread, with progress, cancel and every error shown."""

from __future__ import annotations

import pytest

from planner_core import budget
from planner_gui.budget.window import BudgetWindow
from tests.workbooks import bomb, catalogue


@pytest.fixture
def window(qtbot, ctx, small_plan):
    ctx.set_plan(small_plan["plan"].id)
    w = BudgetWindow(ctx)
    qtbot.addWidget(w)
    w.set_year(1403)
    w.show()
    w.refresh()
    w.tabs.setCurrentWidget(w.codes)
    return w


def test_a_bomb_workbook_is_refused_and_the_window_stays_usable(qtbot, window, tmp_path):
    tab = window.codes
    before = [c.code for c in budget.list_budget_codes(window.ctx.db)]
    job = tab.import_codes(bomb(tmp_path / "بمب کدها.xlsx"))
    assert tab.import_progress.isVisible() and tab.cancel_import_button.isEnabled()
    assert not tab.import_button.isEnabled()
    with qtbot.waitSignal(job.done, timeout=20_000):
        pass
    assert "بزرگ" in tab.error.text() and "بمب کدها.xlsx" in tab.error.text()
    assert not tab.import_progress.isVisible() and tab.import_button.isEnabled()
    assert [c.code for c in budget.list_budget_codes(window.ctx.db)] == before
    assert window.ctx.undo_stack.count() == 0


def test_every_problem_of_a_workbook_is_shown_at_once(qtbot, window, tmp_path):
    path = catalogue(tmp_path / "x.xlsx", [("401", "پسماند", None), ("401", "تکراری", None), ("پسماند", "950", None)])
    with qtbot.waitSignal(window.codes.import_codes(path).done, timeout=20_000):
        pass
    text = window.codes.error.text()
    assert "ردیف ۳" in text and "تکراری است" in text and "ردیف ۴" in text and "فقط عدد است" in text


def test_cancelling_an_import_changes_nothing(qtbot, window, tmp_path):
    path = catalogue(tmp_path / "x.xlsx", [(str(n), f"کد {n}", None) for n in range(5000, 6200)])
    tab = window.codes
    before = [c.code for c in budget.list_budget_codes(window.ctx.db)]
    messages = []
    tab.message.connect(messages.append)
    job = tab.import_codes(path)
    with qtbot.waitSignal(job.cancelled, timeout=20_000):
        tab.cancel_import_button.click()
    assert messages and "لغو" in messages[-1]
    assert [c.code for c in budget.list_budget_codes(window.ctx.db)] == before
    assert tab.import_button.isEnabled() and window.ctx.undo_stack.count() == 0

    with qtbot.waitSignal(tab.import_codes(path).done, timeout=30_000):
        pass
    assert tab.last_import == 1200 and "۱۲۰۰ کد بودجه تازه" in messages[-1]
    window.ctx.undo_stack.undo()
    assert [c.code for c in budget.list_budget_codes(window.ctx.db)] == before


def test_a_cancel_while_the_codes_are_written_does_not_pretend_nothing_changed(qtbot, window, tmp_path,
                                                                               monkeypatch):
    import threading

    tab = window.codes
    path = catalogue(tmp_path / "x.xlsx", [(str(n), f"کد {n}", None) for n in range(700, 720)])
    started, release = threading.Event(), threading.Event()
    real = budget.import_budget_codes

    def slow(db, rows):
        started.set()
        release.wait(20)
        return real(db, rows)

    monkeypatch.setattr(budget, "import_budget_codes", slow)
    job = tab.import_codes(path)
    qtbot.waitUntil(started.is_set, timeout=20_000)
    tab.cancel_import()  # too late: the write has begun and finishes whole
    release.set()
    with qtbot.waitSignal(job.done, timeout=20_000):
        pass
    assert tab.last_import == 20 and window.ctx.undo_stack.count() == 1
    assert "700" in {c.code for c in budget.list_budget_codes(window.ctx.db)}
