"""The budget window on real widgets: ceilings, amendments, findings, roll-ups, matrix, import, export."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from planner_core import budget, nodes, orgunits
from planner_core.text import format_money, format_percent
from planner_gui.budget.models import CodeTreeModel, MatrixModel, RollupTreeModel, UnitModel
from planner_gui.budget.window import BudgetWindow
from planner_gui.widgets import MoneyEdit
from tests.gui.helpers import screenshot_dir

ROOT = Path(__file__).resolve().parents[2]
BN = 1_000_000_000  # a milliard rials, to keep the fixtures readable


@pytest.fixture
def plan(db, small_plan):
    """small_plan (code 301: ceiling 100 bn, project 40 bn a year) plus code 302 (ceiling 50 bn),
    a second program and project, and a second unit."""
    t = small_plan
    unit2 = orgunits.add_org_unit(db, code="R05", name="منطقه ۵", kind="district")
    s2 = nodes.add_node(db, t["plan"].id, t["goal"].id, "strategy", title="راهبرد دوم")
    prog2 = nodes.add_node(db, t["plan"].id, s2.id, "program", title="برنامه دوم", first_year=1403, last_year=1404)
    p3 = nodes.add_node(db, t["plan"].id, prog2.id, "project", title="پروژه سوم", responsible_unit_id=unit2.id)
    budget.add_budget_code(db, code="302", title="ترافیک", parent_code="3")
    for year in (1403, 1404):
        budget.set_ceiling(db, year, "302", 50 * BN)
        budget.add_allocation(db, p3.id, year=year, budget_code="302", amount=20 * BN, spent=7 * BN)
    codes = {c.code: c.id for c in budget.list_budget_codes(db)}
    return {**t, "s2": s2, "prog2": prog2, "p3": p3, "unit2": unit2, "codes": codes}


@pytest.fixture
def window(qtbot, ctx, plan):
    ctx.set_plan(plan["plan"].id)
    w = BudgetWindow(ctx)
    qtbot.addWidget(w)
    w.set_year(1403)
    w.show()
    w.refresh()
    return w


def show_tab(window, tab):
    window.tabs.setCurrentWidget(tab)
    window.refresh()


def over_ceiling(window, code="۳۰۲"):
    show_tab(window, window.findings)
    return [f.message for f in window.findings.findings() if f"کد بودجه {code}" in f.message and "بیشتر" in f.message]


def plain(text):
    """Cell text without the bidi isolate that keeps a sign in front of the digits."""
    return text.replace("\u2066", "").replace("\u2069", "")


def code_cells(window, code_id):
    model = window.codes.model
    index = model.index_of(code_id)
    return [plain(model.index(index.row(), c, index.parent()).data()) for c in range(model.columnCount())]


def allocate_through_the_tab(qtbot, ctx, project_id, code, amount):
    """The project's budget tab (another module) is how a planner allocates."""
    from planner_gui.tabs.allocations_tab import BudgetTab

    tab = BudgetTab(ctx)
    qtbot.addWidget(tab)
    tab.set_node(nodes.get_node(ctx.db, project_id))
    dialog = tab.open_dialog()
    dialog.year.setCurrentIndex(dialog.year.findText("۱۴۰۳"))
    dialog.code.setEditText(code)
    dialog.amount.setText(amount)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.form.visible_errors()


def test_over_ceiling_finding_comes_and_goes_with_the_ceiling_and_undo(qtbot, window, plan):
    ctx, project, code_302 = window.ctx, plan["project"], plan["codes"]["302"]
    assert over_ceiling(window) == []
    # The project already draws 40 bn from 301; allocate it 35 bn from 302 as well: 302 is at 55 > 50.
    allocate_through_the_tab(qtbot, ctx, project.id, "302", "۳۵٬۰۰۰")
    assert len(budget.list_allocations(ctx.db, project.id)) == 3
    qtbot.waitUntil(lambda: len(over_ceiling(window)) == 1)
    show_tab(window, window.codes)
    cells = code_cells(window, code_302)
    assert cells[CodeTreeModel.COL_PLANNED] == "۵۵٬۰۰۰" and cells[CodeTreeModel.COL_REMAINING] == "-۵٬۰۰۰"
    index = window.codes.model.index_of(code_302, CodeTreeModel.COL_PLANNED)
    assert index.data(Qt.ItemDataRole.ForegroundRole) is not None  # red

    # Raise the approved ceiling by typing in the cell, as the user does (Persian digits, grouping).
    undo_before = ctx.undo_stack.count()
    cell = window.codes.model.index_of(code_302, CodeTreeModel.COL_APPROVED)
    window.codes.tree.setCurrentIndex(cell)
    window.codes.tree.edit(cell)
    editor = window.codes.tree.findChild(MoneyEdit, "ceilingEditor")
    assert editor is not None and editor.text() == "۵۰٬۰۰۰"
    editor.selectAll()
    editor.insert("۶۰٬۰۰۰")  # QTest types ASCII only; insert() is what an input method does
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ctx.undo_stack.count() == undo_before + 1)
    assert over_ceiling(window) == []
    show_tab(window, window.codes)
    assert code_cells(window, code_302)[CodeTreeModel.COL_APPROVED] == "۶۰٬۰۰۰"

    ctx.undo_stack.undo()  # the ceiling edit
    assert len(over_ceiling(window)) == 1
    ctx.undo_stack.redo()
    assert over_ceiling(window) == []
    ctx.undo_stack.undo()
    assert len(over_ceiling(window)) == 1


def test_an_amendment_fixes_the_ceiling_without_overwriting_it(qtbot, window, plan):
    ctx, code_302 = window.ctx, plan["codes"]["302"]
    budget.add_allocation(ctx.db, plan["project"].id, year=1403, budget_code="302", amount=35 * BN)
    ctx.changed.emit("allocation", 0)
    assert len(over_ceiling(window)) == 1
    show_tab(window, window.codes)
    window.codes.select_code(code_302)
    dialog = window.codes.record_amendment()
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("supplement"))
    dialog.amount_edit.setText("ده")
    assert not dialog.submit()
    assert "delta" in dialog.form.visible_errors() and dialog.isVisible()
    dialog.amount_edit.setText("10000")
    dialog.reason_edit.setPlainText("متمم بودجه شهریور")
    assert dialog.submit()
    assert over_ceiling(window) == []
    show_tab(window, window.codes)
    cells = code_cells(window, code_302)
    assert cells[CodeTreeModel.COL_APPROVED] == "۵۰٬۰۰۰"  # the approved ceiling is kept
    assert cells[CodeTreeModel.COL_AMENDMENTS] == "+۱۰٬۰۰۰" and cells[CodeTreeModel.COL_CEILING] == "۶۰٬۰۰۰"
    ledger = window.codes.amendment_model
    assert ledger.rowCount() == 1 and ledger.index(0, ledger.COL_KIND).data() == "متمم"
    assert ledger.index(0, ledger.COL_DELTA).data() == "\u2066+۱۰٬۰۰۰\u2069"
    assert ledger.index(0, ledger.COL_REASON).data() == "متمم بودجه شهریور"
    ctx.undo_stack.undo()  # taking the recording back removes that entry from the ledger
    assert len(over_ceiling(window)) == 1
    show_tab(window, window.codes)
    window.codes.select_code(code_302)
    assert code_cells(window, code_302)[CodeTreeModel.COL_CEILING] == "۵۰٬۰۰۰"
    assert ledger.rowCount() == 0 and budget.year_lines(ctx.db, 1403)[-1].amendments == ()
    ctx.undo_stack.redo()
    assert over_ceiling(window) == []
    assert [a.delta for a in budget.year_lines(ctx.db, 1403)[-1].amendments] == [10 * BN]


def test_undoing_a_first_ceiling_takes_the_code_out_of_that_years_budget(window, plan):
    ctx = window.ctx
    budget.add_budget_code(ctx.db, code="303", title="پیاده‌راه", parent_code="3")
    window.refresh()
    code_id = next(c.id for c in budget.list_budget_codes(ctx.db) if c.code == "303")
    assert window.codes.set_ceiling(code_id, "۵٬۰۰۰")
    assert {line.code: line.ceiling for line in budget.year_lines(ctx.db, 1403)}["303"] == 5 * BN
    ctx.undo_stack.undo()
    assert "303" not in {line.code for line in budget.year_lines(ctx.db, 1403)}
    window.refresh()
    assert code_cells(window, code_id)[CodeTreeModel.COL_APPROVED] in ("", "—")


def test_a_bad_ceiling_shows_a_persian_message_and_pushes_nothing(window, plan):
    count = window.ctx.undo_stack.count()
    assert not window.codes.set_ceiling(plan["codes"]["301"], "صد")
    assert window.codes.error.isVisible() and "سقف" in window.codes.error.text()
    assert window.ctx.undo_stack.count() == count


def test_finding_double_click_asks_the_main_window_for_the_node(qtbot, window, plan):
    orphan = nodes.add_node(window.ctx.db, plan["plan"].id, plan["prog2"].id, "project", title="پروژه بی‌بودجه")
    window.ctx.changed.emit("tree", plan["prog2"].id)
    show_tab(window, window.findings)
    model = window.findings.model
    row = next(r for r in range(model.rowCount()) if model.rows[r].node_id == orphan.id)
    view = window.findings.view
    rect = view.visualRect(model.index(row, model.COL_MESSAGE))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # the view wants a press first
    with qtbot.waitSignal(window.ctx.node_requested) as blocker:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [orphan.id]


def test_rollups_equal_independent_sums(window, plan):
    show_tab(window, window.rollup)
    tab = window.rollup
    program1, program2 = 40 * BN, 20 * BN  # 1403 allocations made by the fixtures
    total = program1 + program2

    def row_of(node_id):
        index = tab.model.index_of(node_id)
        return [tab.model.index(index.row(), c, index.parent()).data() for c in range(tab.model.columnCount())]

    assert row_of(plan["program"].id)[RollupTreeModel.COL_PLANNED] == format_money(program1)
    assert row_of(plan["prog2"].id)[RollupTreeModel.COL_SPENT] == format_money(7 * BN)
    assert row_of(plan["s2"].id)[RollupTreeModel.COL_PLANNED] == format_money(program2)
    assert row_of(plan["goal"].id)[RollupTreeModel.COL_PLANNED] == format_money(total)
    assert row_of(plan["axis"].id)[RollupTreeModel.COL_SHARE] == format_percent(100.0, 1)
    assert row_of(plan["prog2"].id)[RollupTreeModel.COL_SHARE] == format_percent(program2 / total * 100, 1)
    units = {tab.unit_model.index(r, UnitModel.COL_UNIT).data(): tab.unit_model.index(r, UnitModel.COL_PLANNED).data()
             for r in range(tab.unit_model.rowCount())}
    assert units == {"معاونت حمل‌ونقل و ترافیک": format_money(program1), "منطقه ۵": format_money(program2)}
    assert format_money(total) in tab.total_label.text()


def test_matrix_totals_and_excel_export(qtbot, window, plan, tmp_path, monkeypatch):
    budget.add_allocation(window.ctx.db, plan["project"].id, year=1403, budget_code="302", amount=3 * BN)
    window.ctx.changed.emit("allocation", 0)
    show_tab(window, window.matrix)
    model = window.matrix.model
    assert model.rowCount() == 3 and model.columnCount() == 5  # 301, 302, total × code, title, 2 programs, total
    cells = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert cells[0][:2] == ["۳۰۱", "حمل‌ونقل عمومی"] and cells[2][0] == "جمع"
    assert cells[0][2:] == [format_money(40 * BN), "", format_money(40 * BN)]
    assert cells[1][2:] == [format_money(3 * BN), format_money(20 * BN), format_money(23 * BN)]
    assert cells[2][2:] == [format_money(43 * BN), format_money(20 * BN), format_money(63 * BN)]

    target = tmp_path / "ماتریس"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    qtbot.mouseClick(window.matrix.export_button, Qt.MouseButton.LeftButton)
    written = target.with_name(target.name + ".xlsx")
    sheet = load_workbook(written).active
    assert sheet.sheet_view.rightToLeft
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "301" and rows[1][2] == 40_000 and rows[2][2:] == (3_000, 20_000, 23_000)  # million rials
    assert rows[-1][0] == "جمع" and rows[-1][2:] == (43_000, 20_000, 63_000)
    assert "ذخیره شد" in window.message.text()


def test_import_codes_from_excel_and_see_where_a_code_is_used(qtbot, window, plan, tmp_path, monkeypatch):
    path = tmp_path / "codes.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["کد", "عنوان", "کد والد"])
    sheet.append(["۴", "خدمات شهری", None])
    sheet.append(["401", "پسماند", "٤"])  # Arabic-Indic parent
    sheet.append(["301", "حمل‌ونقل همگانی", "3"])  # existing: new title
    book.save(path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    qtbot.mouseClick(window.codes.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "۲ کد بودجه تازه" in window.message.text())  # read in the background
    window.refresh()
    codes = {c.code: c for c in budget.list_budget_codes(window.ctx.db)}
    assert codes["401"].parent_code == "4" and codes["301"].title == "حمل‌ونقل همگانی"
    index = window.codes.model.index_of(codes["401"].id)
    assert index.parent() == window.codes.model.index_of(codes["4"].id)

    window.ctx.undo_stack.undo()  # the import is one undo step: new codes go, old titles return
    left = {c.code: c for c in budget.list_budget_codes(window.ctx.db)}
    assert "4" not in left and "401" not in left and left["301"].title == "حمل‌ونقل عمومی"
    window.ctx.undo_stack.redo()
    assert "401" in {c.code for c in budget.list_budget_codes(window.ctx.db)}

    bad = tmp_path / "bad.xlsx"
    bad.write_text("not excel")
    assert window.message.text()  # the import's success line…
    with qtbot.waitSignal(window.codes.import_codes(bad).done):
        pass
    error = window.codes.error.text()
    assert window.codes.last_import is None and "خوانده نشد" in error
    assert "xlsx" in error and "zip" not in error.lower()  # not «File is not a zip file»
    assert window.message.text() == ""  # …does not stay beside the new error

    window.codes.select_code(codes["302"].id)
    usage = window.codes.usage_model
    assert [(usage.index(r, 0).data(), usage.index(r, 1).data()) for r in range(usage.rowCount())] == \
        [("پروژه سوم", "۱۴۰۳"), ("پروژه سوم", "۱۴۰۴")]


def test_add_and_rename_a_code(window, plan):
    window.codes.select_code(plan["codes"]["3"])
    dialog = window.codes.add_code()
    assert dialog.parent_combo.currentData() == "3"
    dialog.code_edit.setText("۳۰۱")
    dialog.title_edit.setText("تکراری")
    assert not dialog.submit() and "از پیش" in dialog.form.visible_errors()["budget_code"]
    dialog.code_edit.setText("۳۰۳")
    dialog.title_edit.setText("پیاده‌راه")
    assert dialog.submit()
    window.refresh()
    code_id = next(c.id for c in budget.list_budget_codes(window.ctx.db) if c.code == "303")
    window.codes.select_code(code_id)
    edit = window.codes.edit_code()
    edit.title_edit.setText("پیاده‌راه و دوچرخه")
    assert edit.submit()
    window.refresh()
    assert code_cells(window, code_id)[CodeTreeModel.COL_TITLE] == "پیاده‌راه و دوچرخه"
    window.ctx.undo_stack.undo()
    window.refresh()
    assert code_cells(window, code_id)[CodeTreeModel.COL_TITLE] == "پیاده‌راه"
    window.ctx.undo_stack.undo()  # and the code itself goes again
    assert "303" not in {c.code for c in budget.list_budget_codes(window.ctx.db)}
    window.ctx.undo_stack.redo()
    assert any(c.id == code_id and c.code == "303" for c in budget.list_budget_codes(window.ctx.db))


def test_every_model_passes_the_model_tester(qtmodeltester, window, plan):
    budget.add_amendment(window.ctx.db, 1403, "302", delta="-5", when="1403/06/01", reason="اصلاح")
    nodes.add_node(window.ctx.db, plan["plan"].id, plan["prog2"].id, "project", title="بی‌بودجه")
    window.refresh()
    window.codes.select_code(plan["codes"]["302"])
    models = [window.codes.model, window.codes.usage_model, window.codes.amendment_model, window.rollup.model,
              window.rollup.unit_model, window.matrix.model, window.findings.model]
    assert all(m.rowCount() > 0 for m in models)
    for model in models:
        qtmodeltester.check(model)
    qtmodeltester.check(MatrixModel())
    qtmodeltester.check(CodeTreeModel())


def test_window_is_registered_in_the_reports_menu(ctx, qtbot):
    import planner_gui.budget  # noqa: F401
    from planner_gui.extensions import WINDOW_ACTIONS

    action = next(a for a in WINDOW_ACTIONS if a.object_name == "action_budget")
    assert action.shortcut == "Ctrl+B" and action.text == "بودجه و تخصیص‌ها…"
    widget = action.factory(ctx, None)
    qtbot.addWidget(widget)
    assert isinstance(widget, BudgetWindow)


def test_screenshots_on_the_sample_plan(qtbot, ctx, tmp_path):
    """The sample plan in 1403; written to docs/screenshots when BARNAMENEGAR_SCREENSHOTS=1."""
    from planner_core import plans
    from planner_core.sample import load_sample

    load_sample(ctx.db)
    plan = plans.list_plans(ctx.db)[0]
    ctx.set_plan(plan.id)
    # One line over its ceiling, so the codes and findings tabs show what a problem looks like.
    window = BudgetWindow(ctx)
    qtbot.addWidget(window)
    window.set_year(1403)
    window.show()
    window.resize(1366, 768)  # after show: windows are placed when shown
    window.refresh()
    lines = [line for line in window.codes.model.all_rows() if line.approved and line.planned]
    squeezed = max(lines, key=lambda line: line.planned or 0)
    assert window.codes.set_ceiling(squeezed.code_id, format_money((squeezed.planned or 0) // 2))
    out = screenshot_dir()
    out.mkdir(parents=True, exist_ok=True)
    for name, tab in (("codes", window.codes), ("matrix", window.matrix), ("findings", window.findings),
                      ("rollup", window.rollup)):
        show_tab(window, tab)
        if tab is window.codes:
            # Select its parent, so the red (over the ceiling) row is not hidden by the selection.
            window.codes.select_code(squeezed.parent_id or squeezed.code_id)
            window.codes.tree.scrollTo(window.codes.model.index_of(squeezed.code_id),
                                       window.codes.tree.ScrollHint.PositionAtCenter)
        qtbot.wait(50)
        assert window.grab().save(str(out / f"budget-{name}.png"))
    assert any("بیشتر" in f.message for f in window.findings.findings())


def test_a_hidden_window_catches_up_when_shown(window, plan):
    window.hide()
    budget.set_ceiling(window.ctx.db, 1403, "302", 70 * BN)
    window.ctx.changed.emit("budget", plan["codes"]["302"])
    window.tabs.setCurrentWidget(window.codes)
    window.show()
    assert code_cells(window, plan["codes"]["302"])[CodeTreeModel.COL_APPROVED] == "۷۰٬۰۰۰"


def test_closing_the_window_commits_a_ceiling_being_typed(qtbot, window, plan):
    """No edit is lost: the cell editor still open when the window closes is committed."""
    code_302 = plan["codes"]["302"]
    show_tab(window, window.codes)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    cell = window.codes.model.index_of(code_302, CodeTreeModel.COL_APPROVED)
    window.codes.tree.setCurrentIndex(cell)
    window.codes.tree.edit(cell)
    editor = window.codes.tree.findChild(MoneyEdit, "ceilingEditor")
    editor.setFocus()
    editor.selectAll()
    editor.insert("۶۵٬۰۰۰")
    window.close()
    [line] = [li for li in budget.year_lines(window.ctx.db, 1403) if li.code == "302"]
    assert line.ceiling == 65 * BN


@pytest.fixture(scope="module")
def isfahan_package(tmp_path_factory):
    from planner_core.exchange.service import export_package
    from planner_core.sample import load_sample
    from planner_core.store import open_store

    folder = tmp_path_factory.mktemp("budget-isf")
    db = open_store(folder / "isf.db", create=True)
    load_sample(db)
    export_package(db, folder / "اصفهان.bnp")
    db.dispose()
    return folder / "اصفهان.bnp"


def test_budgets_per_municipality_home_editable_received_read_only(qtbot, ctx, plan, isfahan_package):
    from planner_core import plans, scope
    from planner_core.exchange.service import import_file
    from planner_core.municipality import set_home_municipality

    db = ctx.db
    set_home_municipality(db, name="شهرداری شیراز", province="فارس")
    import_file(db, isfahan_package)
    [_home, isfahan] = scope.budget_owners(db)
    isfahan_plan = next(p for p in plans.list_plans(db) if p.source_municipality)
    year = 1403
    theirs = {line.code: line.ceiling for line in budget.year_lines(db, year, isfahan.id)}
    assert theirs and theirs != {line.code: line.ceiling for line in budget.year_lines(db, year)}

    ctx.set_plan(plan["plan"].id)
    w = BudgetWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    w.set_year(year)
    w.refresh()
    combo = w.owner_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "شهرداری شیراز", "شهرداری اصفهان (رسیده، فقط‌خواندنی)"]
    assert w.municipality_id is None and not w.owner_note.text()
    assert code_cells(w, plan["codes"]["301"])[2] == format_money(100 * BN)  # Shiraz's own ceiling
    assert w.codes.add_button.isEnabled() and w.codes.import_button.isEnabled()

    combo.setCurrentIndex(1)  # the planner picks Isfahan's budget
    w.set_year(year)
    w.refresh()
    assert w.read_only and "فقط برای مطالعه" in w.owner_note.text() and w.owner_note.isVisible()
    shown = {row.code: row.approved for row in w.codes.model.all_rows() if row.approved is not None}
    assert shown == theirs
    code = next(iter(theirs))
    code_id = next(c.id for c in budget.list_budget_codes(db) if c.code == code)
    index = w.codes.model.index_of(code_id, CodeTreeModel.COL_APPROVED)
    assert not (w.codes.model.flags(index) & Qt.ItemFlag.ItemIsEditable)
    assert not w.codes.set_ceiling(code_id, "1")
    assert {line.code: line.ceiling for line in budget.year_lines(db, year, isfahan.id)} == theirs
    w.codes.select_code(code_id)
    assert not any(b.isEnabled() for b in (w.codes.add_button, w.codes.edit_button, w.codes.amend_button,
                                           w.codes.import_button))
    # The open plan is Shiraz's: Isfahan's budget shows no roll-up of it.
    assert w.tab_plan_id() is None and "شهرداری دیگری" in w.plan_label.text()
    save_path = screenshot_dir() / "budget-received.png"
    w.grab().save(str(save_path))

    ctx.set_plan(isfahan_plan.id)  # opening Isfahan's plan follows to its municipality's budget
    assert w.municipality_id == isfahan.id and w.tab_plan_id() == isfahan_plan.id
    ctx.set_plan(plan["plan"].id)  # and back home, editable again
    assert w.municipality_id is None and not w.read_only and w.codes.model.on_ceiling is not None
