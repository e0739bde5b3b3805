"""«برنامه راهبردی جدید»: the few fields a new plan needs; the rest is edited in the detail panel."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from planner_core.jalali import fiscal_year_of
from planner_core.plans import PlanInfo
from planner_gui.commands import CreatePlanCommand, execute
from planner_gui.context import AppContext
from planner_gui.widgets import FormWithErrors, YearEdit


class NewPlanDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.created: PlanInfo | None = None
        self.setWindowTitle("برنامه راهبردی جدید")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        self.form = FormWithErrors(QFormLayout(), self)
        layout.addLayout(self.form.layout)
        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.code.setPlaceholderText("مثلاً ISF-1410")
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("title")
        self.first_year = YearEdit()
        self.first_year.setObjectName("first_year")
        self.last_year = YearEdit()
        self.last_year.setObjectName("last_year")
        this_year = fiscal_year_of(date.today())
        self.first_year.setYear(this_year)
        self.last_year.setYear(this_year + 4)
        self.vision = QPlainTextEdit()
        self.vision.setObjectName("vision")
        self.vision.setTabChangesFocus(True)
        self.vision.setFixedHeight(70)
        self.form.add_row("&کد", self.code, "code")
        self.form.add_row("&عنوان", self.title_edit, "title")
        self.form.add_row("سال &شروع", self.first_year, "first_year")
        self.form.add_row("سال &پایان", self.last_year, "last_year")
        self.form.add_row("&چشم‌انداز", self.vision, "vision")
        self.form.add_general_row()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("ایجاد")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("انصراف")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        self.form.clear_errors()
        command = CreatePlanCommand(self.ctx, code=self.code.text(), title=self.title_edit.text(),
                                    first_year=self.first_year.text(), last_year=self.last_year.text(),
                                    vision=self.vision.toPlainText())
        error = execute(self.ctx, command)
        if error is not None:
            self.form.show_exception(error)
            return
        self.created = command.plan
        super().accept()
