"""«برنامه راهبردی جدید»: the few fields a new plan needs; the rest is edited in the detail panel."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from planner_core import municipality, plans
from planner_core.errors import PlannerError, ValidationError
from planner_core.jalali import fiscal_year_of
from planner_core.plans import PlanInfo
from planner_gui.base_data import municipality_command
from planner_gui.commands import CreatePlanCommand, execute
from planner_gui.common import FormDialog
from planner_gui.context import AppContext
from planner_gui.widgets import YearEdit


class NewPlanDialog(FormDialog):
    """A new, empty file (no plan, no municipality of its own) also asks for the municipality's name."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("برنامه راهبردی جدید", self._create, parent, ok_text="ایجاد", min_width=460)
        self.ctx = ctx
        self.created: PlanInfo | None = None
        self.asks_municipality = municipality.home_municipality(ctx.db) is None and not plans.list_plans(ctx.db)
        self.municipality = QLineEdit()
        self.municipality.setObjectName("municipality")
        self.municipality.setPlaceholderText("مثلاً شهرداری کرج")
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
        if self.asks_municipality:
            self.form.add_row("&شهرداری", self.municipality, "name", "municipality")
        self.form.add_row("&کد", self.code, "code")
        self.form.add_row("&عنوان", self.title_edit, "title")
        self.form.add_row("سال &شروع", self.first_year, "first_year")
        self.form.add_row("سال &پایان", self.last_year, "last_year")
        self.form.add_row("&چشم‌انداز", self.vision, "vision")
        self.finish_layout()

    def values(self) -> dict[str, Any]:
        return {"code": self.code.text(), "title": self.title_edit.text(), "first_year": self.first_year.text(),
                "last_year": self.last_year.text(), "vision": self.vision.toPlainText()}

    def _create(self, values: dict[str, Any]) -> PlannerError | None:
        # The plan first, so a refused plan leaves nothing named; the municipality's name (its own
        # undo step) follows.  An empty name is refused before anything is written.
        name = self.municipality.text().strip() if self.asks_municipality else ""
        if self.asks_municipality and not name:
            return ValidationError("name", "شهرداری: نام شهرداری این پرونده را بنویسید.")
        if self.created is None:
            command = CreatePlanCommand(self.ctx, **values)
            error = execute(self.ctx, command)
            if error is not None:
                return error
            self.created = command.plan
        if name:
            # A refused name keeps the dialog open; the next press only retries the name.
            return execute(self.ctx, municipality_command(self.ctx, name))
        return None
