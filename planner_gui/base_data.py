"""«داده‌های پایه»: the file's responsible units and its own municipality.

A new file has neither; the node form's unit list and the tree's unit filter come from here.
Every edit is an undo command calling planner_core.orgunits / planner_core.municipality and
announces ``ctx.changed("org_unit" | "municipality", id)``.
"""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLineEdit, QMessageBox, QVBoxLayout, QWidget

from planner_core import municipality, orgunits
from planner_core.errors import PlannerError
from planner_core.levels import ORG_UNIT_KIND_LABELS, ORG_UNIT_KINDS
from planner_core.municipality import MunicipalityInfo
from planner_core.orgunits import OrgUnitInfo
from planner_core.text import to_persian_digits
from planner_gui import window_fit
from planner_gui.commands import AddCommand, ServiceCommand, execute, quoted
from planner_gui.common import (
    FormDialog,
    MessageLabel,
    Submit,
    button_row,
    make_table,
    push_button,
    select_row,
    selected_id,
)
from planner_gui.context import AppContext
from planner_gui.row_models import RowTableModel
from planner_gui.shortcuts import undo_keys

COL_CODE, COL_NAME, COL_KIND, COL_PARENT = range(4)


class OrgUnitsModel(RowTableModel[OrgUnitInfo]):
    HEADERS = ("کد", "نام واحد", "نوع", "واحد بالادست")

    def display(self, unit: OrgUnitInfo, col: int) -> str | None:
        if col == COL_CODE:
            return to_persian_digits(unit.code)
        if col == COL_NAME:
            return unit.name
        if col == COL_KIND:
            return unit.kind_label
        if col == COL_PARENT:
            parent = next((u for u in self.rows if u.id == unit.parent_id), None)
            return parent.name if parent else "—"
        return None

    def row_id(self, unit: OrgUnitInfo) -> int:
        return unit.id

    def row_of(self, unit_id: int) -> int:
        return next((i for i, u in enumerate(self.rows) if u.id == unit_id), -1)


class OrgUnitDialog(FormDialog):
    """One unit's code, name, kind and parent unit (a new one, or an edit of ``unit``)."""

    def __init__(self, units: list[OrgUnitInfo], submit: Submit, unit: OrgUnitInfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("ویرایش واحد مسئول" if unit else "واحد مسئول جدید", submit, parent, min_width=460)
        self.setObjectName("orgUnitDialog")
        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.code.setPlaceholderText("مثلاً D-TRF یا ۱۲")
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in ORG_UNIT_KINDS:
            self.kind.addItem(ORG_UNIT_KIND_LABELS[kind], kind)
        self.parent_unit = QComboBox()
        self.parent_unit.setObjectName("parent")
        self.parent_unit.addItem("— بدون واحد بالادست —", None)
        for other in units:
            if unit is None or other.id != unit.id:
                self.parent_unit.addItem(f"{other.name} ({other.kind_label})", other.id)
        self.form.add_row("&کد", self.code, "code")
        self.form.add_row("&نام", self.name, "name")
        self.form.add_row("نو&ع", self.kind, "kind")
        self.form.add_row("واحد &بالادست", self.parent_unit, "parent", "parent_id")
        self.finish_layout()
        self.kind.setCurrentIndex(self.kind.findData("department"))
        if unit is not None:
            self.code.setText(to_persian_digits(unit.code))
            self.name.setText(unit.name)
            self.kind.setCurrentIndex(self.kind.findData(unit.kind))
            self.parent_unit.setCurrentIndex(max(0, self.parent_unit.findData(unit.parent_id)))

    def values(self) -> dict[str, Any]:
        return {"code": self.code.text(), "name": self.name.text(), "kind": self.kind.currentData(),
                "parent_id": self.parent_unit.currentData()}


class OrgUnitsDialog(QDialog):
    """«واحدهای مسئول»: the table of units with add / edit / delete, each an undo step."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("orgUnitsDialog")
        self.setWindowTitle("واحدهای مسئول")
        window_fit.place(self, (720, 460))
        self.model = OrgUnitsModel(self)
        self.table = make_table(self.model, stretch=COL_NAME, name="orgUnitTable")
        self.table.setAccessibleName("واحدهای مسئول")
        self.table.doubleClicked.connect(lambda _index: self.edit_unit())
        self.add_button = push_button("&افزودن واحد…", self.add_unit, "addUnit")
        self.edit_button = push_button("&ویرایش…", self.edit_unit, "editUnit")
        self.delete_button = push_button("&حذف", self.delete_unit, "deleteUnit")
        self.message = MessageLabel()
        self.close_buttons = close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("بستن")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(button_row(self.add_button, self.edit_button, self.delete_button))
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        layout.addWidget(close)
        # Tab: top to bottom (the row's buttons, the table), «بستن» last; arrows move inside the table.
        self.table.setTabKeyNavigation(False)
        chain = [self.add_button, self.edit_button, self.delete_button, self.table,
                 close.button(QDialogButtonBox.StandardButton.Close)]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        ctx.changed.connect(self._on_changed)
        self.reload()

    def reload(self) -> None:
        keep = selected_id(self.table)
        self.model.set_rows(orgunits.list_org_units(self.ctx.db))
        if keep is not None:
            select_row(self.table, self.model.row_of(keep))
        self._update_buttons()

    def _on_changed(self, what: str, _key: int) -> None:
        if what == "org_unit":
            self.reload()

    def _update_buttons(self) -> None:
        chosen = selected_id(self.table) is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def selected_unit(self) -> OrgUnitInfo | None:
        unit_id = selected_id(self.table)
        return next((u for u in self.model.rows if u.id == unit_id), None)

    def _show_error(self, exc: PlannerError) -> None:
        self.message.show_error(exc)

    # --- add, edit, delete --------------------------------------------------------------------
    def open_unit_dialog(self, unit: OrgUnitInfo | None = None) -> OrgUnitDialog:
        submit = self.submit_new if unit is None else (lambda values: self.submit_edit(unit, values))
        return OrgUnitDialog(self.model.rows, submit, unit, self)

    def add_unit(self) -> None:
        self.open_unit_dialog().exec()

    def edit_unit(self) -> None:
        unit = self.selected_unit()
        if unit is not None:
            self.open_unit_dialog(unit).exec()

    def submit_new(self, values: dict[str, Any]) -> PlannerError | None:
        db = self.ctx.db
        command = AddCommand(self.ctx, f"افزودن واحد {quoted(values['name'])}", "org_unit",
                             lambda: orgunits.add_org_unit(db, **values),
                             lambda unit_id: orgunits.delete_org_unit(db, unit_id),
                             lambda unit: orgunits.restore_org_unit(db, unit), self._show_error)
        failure = execute(self.ctx, command)
        if failure is None:
            self.message.clear_message()
            select_row(self.table, self.model.row_of(command.added.id))
        return failure

    def submit_edit(self, unit: OrgUnitInfo, values: dict[str, Any]) -> PlannerError | None:
        db = self.ctx.db
        before = {"code": unit.code, "name": unit.name, "kind": unit.kind, "parent_id": unit.parent_id}

        def apply() -> int:
            return orgunits.update_org_unit(db, unit.id, **values).id

        def revert() -> int:
            return orgunits.update_org_unit(db, unit.id, **before).id

        command = ServiceCommand(self.ctx, f"ویرایش واحد {quoted(unit.name)}", "org_unit", apply, revert,
                                 self._show_error)
        failure = execute(self.ctx, command)
        if failure is None:
            self.message.clear_message()
        return failure

    def delete_unit(self) -> PlannerError | None:
        unit = self.selected_unit()
        if unit is None:
            return None
        answer = QMessageBox.question(self, "حذف واحد", f"واحد «{unit.name}» حذف شود؟\n"
                                      f"با «واگردانی» ({undo_keys()}) می‌توانید آن را برگردانید.")
        if answer != QMessageBox.StandardButton.Yes:
            return None
        db, state = self.ctx.db, {}

        def apply() -> int:
            state["unit"] = orgunits.delete_org_unit(db, unit.id)
            return unit.id

        def revert() -> int:
            orgunits.restore_org_unit(db, state["unit"])
            return unit.id

        command = ServiceCommand(self.ctx, f"حذف واحد {quoted(unit.name)}", "org_unit", apply, revert,
                                 self._show_error)
        failure = execute(self.ctx, command, show=self._show_error)
        if failure is None:
            self.message.clear_message()
        return failure


# --- the file's municipality ---------------------------------------------------------------------

def municipality_command(ctx: AppContext, name: str, province: str = "",
                         on_error: Any = None) -> ServiceCommand:
    """Name (or rename) the file's municipality; undo puts back the previous name, or none."""
    db, state = ctx.db, {}

    def apply() -> int:
        if "created" in state:  # redo of a first naming: the same row, id and UUID
            municipality.restore_home_municipality(db, state["created"])
            return state["created"].id
        state["before"] = municipality.home_municipality(db)
        info = municipality.set_home_municipality(db, name=name, province=province)
        if state["before"] is None:
            state["created"] = info
        return info.id

    def revert() -> int:
        before: MunicipalityInfo | None = state["before"]
        if before is None:
            gone = municipality.clear_home_municipality(db)
            return gone.id if gone else 0
        return municipality.set_home_municipality(db, name=before.name, province=before.province).id

    return ServiceCommand(ctx, f"نام شهرداری: {quoted(name)}", "municipality", apply, revert, on_error)


class MunicipalityDialog(FormDialog):
    """«شهرداری»: the name (and province) of the municipality this file's plans belong to."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("شهرداری", self._save, parent, min_width=440)
        self.ctx = ctx
        self.setObjectName("municipalityDialog")
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.name.setPlaceholderText("مثلاً شهرداری کرج")
        self.province = QLineEdit()
        self.province.setObjectName("province")
        self.province.setPlaceholderText("مثلاً البرز")
        self.form.add_row("نام &شهرداری", self.name, "name")
        self.form.add_row("&استان", self.province, "province")
        self.finish_layout()
        home = municipality.home_municipality(ctx.db)
        if home is not None:
            self.name.setText(home.name)
            self.province.setText(home.province)

    def values(self) -> dict[str, Any]:
        return {"name": self.name.text(), "province": self.province.text()}

    def _save(self, values: dict[str, Any]) -> PlannerError | None:
        home = municipality.home_municipality(self.ctx.db)
        if home is not None and (home.name, home.province) == (values["name"], values["province"]):
            return None  # nothing changed: no empty undo step
        return execute(self.ctx, municipality_command(self.ctx, values["name"], values["province"]))
