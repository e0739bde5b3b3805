"""«داده‌های پایه»: responsible units and the file's municipality, from a new file on."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from planner_core import municipality, nodes, orgunits, plans
from planner_gui.base_data import COL_KIND, COL_NAME, COL_PARENT, MunicipalityDialog, OrgUnitsDialog
from planner_gui.common import select_row
from planner_gui.tree_model import COL_UNIT
from tests.gui.helpers import open_main_window, retype, save_screenshot

pytestmark = pytest.mark.usefixtures("rtl_app")


@pytest.fixture
def window(qtbot, db, small_plan, tmp_path):
    win = open_main_window(qtbot, db, tmp_path)
    assert win.select_node(small_plan["goal"].id)
    return win


def combo_texts(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def add_unit(qtbot, dialog: OrgUnitsDialog, code: str, name: str, kind: str = "department", parent: str = ""):
    form = dialog.open_unit_dialog()
    qtbot.addWidget(form)
    form.show()
    retype(qtbot, form.code, code)
    retype(qtbot, form.name, name)
    form.kind.setCurrentIndex(form.kind.findData(kind))
    if parent:
        form.parent_unit.setCurrentIndex(form.parent_unit.findText(parent, Qt.MatchFlag.MatchStartsWith))
    form.accept()
    return form


def test_menu_offers_both_dialogs_with_keys(window):
    titles = [action.text() for action in window.menuBar().actions()]
    assert "&داده‌های پایه" in titles
    assert window.units_action.shortcut() == QKeySequence("Ctrl+Shift+U")
    assert window.municipality_action.shortcut() == QKeySequence("Ctrl+Shift+M")
    dialog = window.open_org_units()
    assert isinstance(dialog, OrgUnitsDialog) and dialog.isVisible()
    dialog.close()
    assert isinstance(window.open_municipality(), MunicipalityDialog)


def test_add_edit_delete_units_refresh_form_and_filter_with_undo(qtbot, window, db, small_plan, monkeypatch):
    units = window.open_org_units()
    assert units.model.rowCount() == 1  # the small plan's deputy
    form = add_unit(qtbot, units, "GRN", "اداره فضای سبز", "department", "معاونت حمل")
    assert not form.isVisible() and units.model.rowCount() == 2
    row = units.model.row_of(orgunits.find_org_unit(db, "GRN").id)
    assert units.model.index(row, COL_NAME).data() == "اداره فضای سبز"
    assert units.model.index(row, COL_KIND).data() == "اداره"
    assert units.model.index(row, COL_PARENT).data() == "معاونت حمل‌ونقل و ترافیک"
    # The node form and the tree's unit filter list the new unit at once.
    unit_combo = window.detail.node_form.unit
    assert "اداره فضای سبز (اداره)" in combo_texts(unit_combo)
    assert "اداره فضای سبز" in combo_texts(window.tree.unit_filter)
    save_screenshot(units, "org_units_dialog.png")

    # A taken code is refused beside «کد»; the dialog stays open.
    again = add_unit(qtbot, units, "GRN", "اداره دیگر")
    assert "کد" in again.form.visible_errors()["code"] and again.isVisible()
    again.close()

    # Rename through the edit dialog: the filter follows; undo and redo too.
    select_row(units.table, row)
    edit = units.open_unit_dialog(units.selected_unit())
    qtbot.addWidget(edit)
    assert edit.code.text() == "GRN" and edit.name.text() == "اداره فضای سبز"
    retype(qtbot, edit.name, "سازمان پارک‌ها و فضای سبز")
    edit.accept()
    assert "سازمان پارک‌ها و فضای سبز" in combo_texts(window.tree.unit_filter)
    assert window.undo_action.text().startswith("&واگردانی ویرایش واحد")
    window.ctx.undo_stack.undo()
    assert "اداره فضای سبز" in combo_texts(window.tree.unit_filter)
    window.ctx.undo_stack.redo()
    assert units.model.index(row, COL_NAME).data() == "سازمان پارک‌ها و فضای سبز"

    # Delete asks first; undo brings it back with the same id; undo of the add removes it.
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    select_row(units.table, units.model.row_of(orgunits.find_org_unit(db, "GRN").id))
    assert units.delete_unit() is None and units.model.rowCount() == 1
    assert all("پارک" not in text for text in combo_texts(unit_combo))
    window.ctx.undo_stack.undo()
    assert units.model.rowCount() == 2 and "سازمان پارک‌ها و فضای سبز (اداره)" in combo_texts(unit_combo)
    window.ctx.undo_stack.undo()  # the rename
    window.ctx.undo_stack.undo()  # the add
    assert [u.code for u in orgunits.list_org_units(db)] == ["D-TRF"]
    assert combo_texts(window.tree.unit_filter) == ["همه واحدها", "معاونت حمل‌ونقل و ترافیک"]


def test_a_unit_in_use_is_not_deleted_and_says_why(qtbot, window, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    units = window.open_org_units()
    select_row(units.table, 0)
    error = units.delete_unit()
    assert error is not None and "مسئول" in units.message.text() and units.message.isVisible()
    assert units.model.rowCount() == 1 and window.ctx.undo_stack.count() == 0


def test_renaming_a_unit_renames_it_in_the_tree(qtbot, window, small_plan):
    window.select_node(small_plan["project"].id)
    units = window.open_org_units()
    select_row(units.table, 0)
    edit = units.open_unit_dialog(units.selected_unit())
    qtbot.addWidget(edit)
    retype(qtbot, edit.name, "معاونت ترابری")
    edit.accept()
    model = window.tree.model
    assert model.index_of(small_plan["project"].id, COL_UNIT).data() == "معاونت ترابری"
    assert window.detail.node_form.unit.currentText() == "معاونت ترابری (معاونت)"


def test_municipality_dialog_names_and_undo_clears(qtbot, window, db):
    dialog = window.open_municipality()
    assert dialog.name.text() == ""
    dialog.accept()
    assert "name" in dialog.form.visible_errors() and dialog.isVisible()
    retype(qtbot, dialog.name, "شهرداري كرج")
    retype(qtbot, dialog.province, "البرز")
    dialog.accept()
    assert not dialog.isVisible()
    named = municipality.home_municipality(db)
    assert named.name == "شهرداری کرج"
    window.ctx.undo_stack.undo()
    assert municipality.home_municipality(db) is None
    window.ctx.undo_stack.redo()
    assert municipality.home_municipality(db).province == "البرز"
    assert municipality.home_municipality(db).uuid == named.uuid  # the same row comes back
    again = window.open_municipality()
    assert again.name.text() == "شهرداری کرج"


def test_new_file_asks_for_the_municipality_in_the_new_plan_dialog(qtbot, db, tmp_path):
    window = open_main_window(qtbot, db, tmp_path)
    dialog = window.new_plan()
    assert dialog.asks_municipality and dialog.municipality.isVisible()
    retype(qtbot, dialog.code, "KRJ-1410")
    retype(qtbot, dialog.title_edit, "برنامه کرج")
    dialog.accept()
    assert "name" in dialog.form.visible_errors() and dialog.isVisible()  # beside «شهرداری»
    assert plans.list_plans(db) == []  # nothing half-written: the plan waits for the name
    retype(qtbot, dialog.municipality, "شهرداری کرج")
    dialog.accept()
    assert not dialog.isVisible() and dialog.created is not None
    assert municipality.home_municipality(db).name == "شهرداری کرج"
    # The next plan in this file does not ask again.
    assert not window.new_plan().asks_municipality
    # Units can be defined in the new file, and then a node can name one.
    units = window.open_org_units()
    add_unit(qtbot, units, "12", "منطقه ۱۲", "district")
    node = nodes.add_node(db, dialog.created.id, None, "axis", title="محور")
    window.ctx.changed.emit("tree", 0)
    window.select_node(node.id)
    assert "منطقه ۱۲ (منطقه)" in combo_texts(window.detail.node_form.unit)


def test_units_model_passes_the_model_tester(qtmodeltester, window):
    units = window.open_org_units()
    qtmodeltester.check(units.model)


def _tab_through(qtbot, dialog, expected):
    from PySide6.QtWidgets import QApplication

    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    expected[0].setFocus()
    seen = [expected[0]]
    for _ in expected[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    return seen


def test_units_dialog_tab_order_is_top_to_bottom_close_last(qtbot, window):
    dialog = OrgUnitsDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    select_row(dialog.table, 0)
    close = dialog.close_buttons.button(dialog.close_buttons.StandardButton.Close)
    expected = [dialog.add_button, dialog.edit_button, dialog.delete_button, dialog.table, close, dialog.add_button]
    assert _tab_through(qtbot, dialog, expected) == expected


def test_unit_form_tab_order_is_fields_then_buttons(qtbot, window):
    dialog = OrgUnitsDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    form = dialog.open_unit_dialog()
    qtbot.addWidget(form)
    ok = form.buttons.button(form.buttons.StandardButton.Ok)
    cancel = form.buttons.button(form.buttons.StandardButton.Cancel)
    expected = [form.code, form.name, form.kind, form.parent_unit, ok, cancel]
    assert _tab_through(qtbot, form, expected) == expected
    form.done(0)


def test_municipality_dialog_tab_order(qtbot, window):
    dialog = MunicipalityDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    cancel = dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
    expected = [dialog.name, dialog.province, ok, cancel]
    assert _tab_through(qtbot, dialog, expected) == expected
    dialog.done(0)
