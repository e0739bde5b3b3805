"""The detail panel: a form for the selected node (or the plan), then the feature tabs.

«ذخیره» (Ctrl+S) sends only the fields the user changed, as typed, through an undo command;
the service validates and a ValidationError is shown beside its field.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner_core import orgunits
from planner_core.levels import LABELS, NODE_STATE_LABELS, NODE_STATES, PLAN_STATUS_LABELS, PLAN_STATUSES
from planner_core.nodes import NodeInfo
from planner_core.plans import PlanInfo
from planner_core.text import to_persian_digits
from planner_gui import extensions
from planner_gui.commands import EditNodeCommand, EditPlanCommand, ServiceCommand, execute
from planner_gui.context import AppContext
from planner_gui.widgets import FormWithErrors, JalaliDateEdit, NumberEdit, YearEdit


def _number_changed(edit: NumberEdit, stored: float | int | None) -> bool:
    if edit.is_empty():
        return stored is not None
    value = edit.value()
    if value is None:
        return True  # unreadable: the service will say why
    return stored is None or value != Decimal(str(stored))


class _Form(QWidget):
    """Shared frame of the node and plan forms: a heading, the rows, a save button."""

    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        outer = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("formHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        outer.addWidget(self.heading)
        self.form = FormWithErrors(QFormLayout(), self)
        outer.addLayout(self.form.layout)
        self.form.add_general_row()
        buttons = QDialogButtonBox()
        self.save_button = QPushButton("ذخیره")
        self.save_button.setObjectName("saveButton")
        self.save_button.setToolTip("ذخیره تغییرات (Ctrl+S)")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.revert_button = QPushButton("بازگرداندن")
        self.revert_button.setToolTip("نادیده گرفتن تغییرات ذخیره‌نشده")
        buttons.addButton(self.revert_button, QDialogButtonBox.ButtonRole.ResetRole)
        outer.addWidget(buttons)
        outer.addStretch(1)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.reload)

    def _line(self, label: str, field: str, edit: QWidget | None = None) -> Any:
        widget = edit or QLineEdit()
        widget.setObjectName(field)
        self.form.add_row(label, widget, field)
        return widget

    def _text(self, label: str, field: str) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(80)
        return self._line(label, field, edit)

    def shown(self) -> NodeInfo | PlanInfo | None:
        """The row the form shows."""
        raise NotImplementedError

    def changes(self) -> dict[str, Any]:
        """Fields the user changed, as typed (the service normalises and validates)."""
        raise NotImplementedError

    def edit_command(self, changes: dict[str, Any]) -> ServiceCommand:
        raise NotImplementedError

    def save(self) -> bool:
        """Send the changed fields as one undo step; a refusal shows beside the field it names."""
        if self.shown() is None:
            return False
        self.form.clear_errors()
        changes = self.changes()
        if not changes:
            return True
        error = execute(self.ctx, self.edit_command(changes))
        if error is not None:
            self.form.show_exception(error)
            return False
        self.saved.emit()
        return True

    def reload(self) -> None:
        raise NotImplementedError


class NodeForm(_Form):
    """Every editable field of a plan node; rows shown by the node's kind."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.node: NodeInfo | None = None
        self.kind_label = QLabel()
        self.form.layout.insertRow(0, "سطح", self.kind_label)
        self.code = self._line("کد", "code")
        self.title = self._line("عنوان", "title")
        self.description = self._text("شرح", "description")
        self.unit = QComboBox()
        self.unit.setObjectName("responsible_unit")
        self.form.add_row("واحد مسئول", self.unit, "responsible_unit", "responsible_unit_id")
        self.first_year = self._line("سال شروع", "first_year", YearEdit())
        self.last_year = self._line("سال پایان", "last_year", YearEdit())
        self.start_date = self._line("تاریخ شروع", "start_date", JalaliDateEdit())
        self.end_date = self._line("تاریخ پایان", "end_date", JalaliDateEdit())
        self.location = self._line("محل اجرا", "location")
        self.weight = self._line("وزن", "weight", NumberEdit(decimals=2))
        self.state = QComboBox()
        self.state.setObjectName("state")
        for state in NODE_STATES:
            self.state.addItem(NODE_STATE_LABELS[state], state)
        self.form.add_row("وضعیت اجرا", self.state, "state")
        self.title.returnPressed.connect(self.save)
        self.code.returnPressed.connect(self.save)

    def _fill_units(self, selected: int | None) -> None:
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItem("— بدون واحد —", None)
        for unit in orgunits.list_org_units(self.ctx.db):
            self.unit.addItem(f"{unit.name} ({unit.kind_label})", unit.id)
        self.unit.setCurrentIndex(max(0, self.unit.findData(selected)))
        self.unit.blockSignals(False)

    def set_node(self, node: NodeInfo | None) -> None:
        self.node = node
        self.reload()

    def refresh_units(self) -> None:
        """Re-read the unit list, keeping the unit chosen (saved or not)."""
        self._fill_units(self.unit.currentData())

    def reload(self) -> None:
        self.form.clear_errors()
        node = self.node
        if node is None:
            return
        self.heading.setText(f"{LABELS[node.kind]} {to_persian_digits(node.full_code)}: {node.title}")
        self.kind_label.setText(LABELS[node.kind])
        self.code.setText(to_persian_digits(node.code))
        self.title.setText(node.title)
        self.description.setPlainText(node.description)
        self._fill_units(node.responsible_unit_id)
        self.first_year.setYear(node.first_year)
        self.last_year.setYear(node.last_year)
        self.start_date.set_date_value(node.start_date)
        self.end_date.set_date_value(node.end_date)
        self.location.setText(node.location)
        self.weight.setValue(Decimal(str(node.weight)))
        self.state.setCurrentIndex(max(0, self.state.findData(node.state)))
        is_program = node.kind == "program"
        is_work = node.kind in ("project", "activity")
        for field in ("first_year", "last_year"):
            self.form.set_row_visible(field, is_program)
        for field in ("start_date", "end_date", "location"):
            self.form.set_row_visible(field, is_work)

    def changes(self) -> dict[str, Any]:
        node = self.node
        assert node is not None
        out: dict[str, Any] = {}
        if to_persian_digits(node.code) != self.code.text():
            out["code"] = self.code.text()
        for name, edit in (("title", self.title), ("location", self.location)):
            if edit.text() != getattr(node, name):
                out[name] = edit.text()
        if self.description.toPlainText() != node.description:
            out["description"] = self.description.toPlainText()
        if self.unit.currentData() != node.responsible_unit_id:
            out["responsible_unit_id"] = self.unit.currentData()
        if node.kind == "program":
            for name, edit in (("first_year", self.first_year), ("last_year", self.last_year)):
                if _number_changed(edit, getattr(node, name)):
                    out[name] = edit.text()
        if node.kind in ("project", "activity"):
            for name, edit in (("start_date", self.start_date), ("end_date", self.end_date)):
                value: date | None = edit.date_value()
                if value != getattr(node, name):
                    out[name] = value
        if _number_changed(self.weight, node.weight):
            out["weight"] = self.weight.text()
        if self.state.currentData() != node.state:
            out["state"] = self.state.currentData()
        return out

    def shown(self) -> NodeInfo | None:
        return self.node

    def edit_command(self, changes: dict[str, Any]) -> ServiceCommand:
        assert self.node is not None
        return EditNodeCommand(self.ctx, self.node, changes)


BOOKLET_TEXT_LABELS = (("preface", "پیشگفتار"), ("mayor_message", "پیام شهردار"),
                       ("methodology", "روش تهیه برنامه"), ("plan_values", "ارزش‌ها"))


class PlanForm(_Form):
    """The plan row: code, title, years, vision, mission, status, status thresholds."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.plan: PlanInfo | None = None
        self.code = self._line("کد", "code")
        self.title = self._line("عنوان", "title")
        self.first_year = self._line("سال شروع", "first_year", YearEdit())
        self.last_year = self._line("سال پایان", "last_year", YearEdit())
        self.vision = self._text("چشم‌انداز", "vision")
        self.mission = self._text("مأموریت", "mission")
        # Booklet front matter: printed before the plan tree when filled in.
        self.booklet_texts = {name: self._text(label, name) for name, label in BOOKLET_TEXT_LABELS}
        self.status = QComboBox()
        self.status.setObjectName("status")
        for status in PLAN_STATUSES:
            self.status.addItem(PLAN_STATUS_LABELS[status], status)
        self.form.add_row("وضعیت", self.status, "status")
        self.on_track = self._line("آستانه «در مسیر» (٪)", "on_track", NumberEdit(decimals=1))
        self.at_risk = self._line("آستانه «در معرض خطر» (٪)", "at_risk", NumberEdit(decimals=1))
        self.title.returnPressed.connect(self.save)

    def set_plan(self, plan: PlanInfo | None) -> None:
        self.plan = plan
        self.reload()

    def reload(self) -> None:
        self.form.clear_errors()
        plan = self.plan
        if plan is None:
            return
        self.heading.setText(f"برنامه راهبردی: {plan.title} ({plan.period_label})")
        self.code.setText(to_persian_digits(plan.code))  # as the tree shows it; services take any digits
        self.title.setText(plan.title)
        self.first_year.setYear(plan.first_year)
        self.last_year.setYear(plan.last_year)
        self.vision.setPlainText(plan.vision)
        self.mission.setPlainText(plan.mission)
        for name, text_edit in self.booklet_texts.items():
            text_edit.setPlainText(getattr(plan, name))
        self.status.setCurrentIndex(max(0, self.status.findData(plan.status)))
        self.on_track.setValue(Decimal(str(plan.on_track)))
        self.at_risk.setValue(Decimal(str(plan.at_risk)))

    def changes(self) -> dict[str, Any]:
        plan = self.plan
        assert plan is not None
        out: dict[str, Any] = {}
        if self.code.text() != to_persian_digits(plan.code):
            out["code"] = self.code.text()
        if self.title.text() != plan.title:
            out["title"] = self.title.text()
        for name, text_edit in (("vision", self.vision), ("mission", self.mission), *self.booklet_texts.items()):
            if text_edit.toPlainText() != getattr(plan, name):
                out[name] = text_edit.toPlainText()
        for name, number in (("first_year", self.first_year), ("last_year", self.last_year),
                             ("on_track", self.on_track), ("at_risk", self.at_risk)):
            if _number_changed(number, getattr(plan, name)):
                out[name] = number.text()
        if self.status.currentData() != plan.status:
            out["status"] = self.status.currentData()
        return out

    def shown(self) -> PlanInfo | None:
        return self.plan

    def edit_command(self, changes: dict[str, Any]) -> ServiceCommand:
        assert self.plan is not None
        return EditPlanCommand(self.ctx, self.plan, changes)


class DetailPanel(QWidget):
    """General form (node or plan) as the first tab, then the tabs from ``extensions.NODE_TABS``."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.node: NodeInfo | None = None
        self.plan: PlanInfo | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("detailTabs")
        layout.addWidget(self.tabs)
        self.stack = QStackedWidget()
        self.empty = QLabel("گرهی از درخت برنامه را برگزینید.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.node_form = NodeForm(ctx)
        self.plan_form = PlanForm(ctx)
        for widget in (self.empty, self.node_form, self.plan_form):
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(widget)
            self.stack.addWidget(scroll)
        self.tabs.addTab(self.stack, "مشخصات")
        self.extra_tabs: list[QWidget] = []
        for factory in extensions.NODE_TABS:
            tab = factory(ctx, None)
            self.extra_tabs.append(tab)
        ctx.changed.connect(self._on_changed)

    def _show(self, widget: QWidget) -> None:
        for i in range(self.stack.count()):
            scroll = self.stack.widget(i)
            if isinstance(scroll, QScrollArea) and scroll.widget() is widget:
                self.stack.setCurrentIndex(i)

    def _sync_tabs(self, kind: str | None) -> None:
        current = self.tabs.currentWidget()
        while self.tabs.count() > 1:
            self.tabs.removeTab(1)
        for tab in self.extra_tabs:
            applies = kind is not None and kind != "plan" and tab.applies_to(kind)  # type: ignore[attr-defined]
            tab.set_node(self.node if applies else None)  # type: ignore[attr-defined]
            if applies:
                self.tabs.addTab(tab, getattr(tab, "tab_title", ""))
        index = self.tabs.indexOf(current) if current is not None else -1
        self.tabs.setCurrentIndex(max(0, index))

    def set_node(self, node: NodeInfo | None) -> None:
        self.node, self.plan = node, None
        self.node_form.set_node(node)
        self._show(self.node_form if node else self.empty)
        self._sync_tabs(node.kind if node else None)

    def set_plan(self, plan: PlanInfo | None) -> None:
        self.node, self.plan = None, plan
        self.plan_form.set_plan(plan)
        self._show(self.plan_form if plan else self.empty)
        self._sync_tabs("plan" if plan else None)

    def clear(self) -> None:
        self.node = self.plan = None
        self._show(self.empty)
        self._sync_tabs(None)

    def save(self) -> bool:
        if self.node is not None:
            return self.node_form.save()
        if self.plan is not None:
            return self.plan_form.save()
        return False

    def _on_changed(self, what: str, key: int) -> None:
        # Another command (or an undo) changed what the form shows: show the store's values.
        from planner_core import nodes, plans
        from planner_core.errors import NotFoundError

        if what == "org_unit":  # units added, renamed or removed: the form's list follows
            self.node_form.refresh_units()
            return
        try:
            if what in ("node", "tree") and self.node is not None and key in (self.node.id, self.node.parent_id or 0):
                self.node = nodes.get_node(self.ctx.db, self.node.id)
                self.node_form.set_node(self.node)
            elif what == "plan" and self.plan is not None and key == self.plan.id:
                self.plan = plans.get_plan(self.ctx.db, key)
                self.plan_form.set_plan(self.plan)
        except NotFoundError:
            self.clear()

