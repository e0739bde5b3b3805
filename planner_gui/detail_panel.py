"""The detail panel: a form for the selected node (or the plan), then the feature tabs.

Each field commits when it loses focus or Enter is pressed: the changed field, as typed, goes
through one undo command; the service validates and a ValidationError is shown beside the
field, which keeps the typed text (see planner_gui.unsaved for the model).  «ذخیره» (Ctrl+S)
commits every field at once; leaving the form asks only about what could not be committed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
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
from planner_gui.shortcuts import standard_keys
from planner_gui.unsaved import MODIFIED_TEXT, ask_discard, flush_item_editors, on_finished, on_typed
from planner_gui.widgets import FormWithErrors, JalaliDateEdit, NumberEdit, YearEdit


def _number_changed(edit: NumberEdit, stored: float | int | None) -> bool:
    if edit.is_empty():
        return stored is not None
    value = edit.value()
    if value is None:
        return True  # unreadable: the service will say why
    return stored is None or value != Decimal(str(stored))


class _Form(QWidget):
    """Shared frame of the node and plan forms: a heading, the rows, the commit/revert buttons."""

    saved = Signal()
    modified_changed = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._loading = False
        self._modified = False
        self._committing: set[str] = set()  # fields being committed: a refill shows their stored form
        outer = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("formHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        outer.addWidget(self.heading)
        self.modified_label = QLabel(MODIFIED_TEXT)
        self.modified_label.setObjectName("modifiedMarker")
        self.modified_label.setToolTip("فیلدی تغییر کرده و هنوز ثبت نشده است: با Enter یا رفتن به فیلد بعد ثبت می‌شود.")
        self.modified_label.hide()
        outer.addWidget(self.modified_label)
        self.form = FormWithErrors(QFormLayout(), self)
        outer.addLayout(self.form.layout)
        self.form.add_general_row()
        buttons = QDialogButtonBox()
        self.save_button = QPushButton("ذخیره")
        self.save_button.setObjectName("saveButton")
        save_keys = standard_keys(QKeySequence.StandardKey.Save)
        self.save_button.setToolTip(f"ثبت همه فیلدها ({save_keys})؛ هر فیلد با Enter یا رفتن به فیلد بعد "
                                    "خودش ثبت می‌شود")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.revert_button = QPushButton("بازگرداندن")
        self.revert_button.setToolTip("کنار گذاشتن آنچه ثبت نشده و نمایش مقدارهای ثبت‌شده")
        buttons.addButton(self.revert_button, QDialogButtonBox.ButtonRole.ResetRole)
        outer.addWidget(buttons)
        outer.addStretch(1)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.discard)

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

    def _watch_fields(self) -> None:
        """After the rows: each field commits itself when finished; Tab walks top to bottom, buttons last."""
        seen: set[int] = set()
        for name in self.form.fields():
            widget = self.form.widget(name)
            if widget is None or id(widget) in seen:
                continue
            seen.add(id(widget))
            on_finished(widget, lambda w=widget: self.commit_widget(w))
            on_typed(widget, self.update_modified)
        self.form.set_tab_order(self.save_button, self.revert_button)

    def shown(self) -> NodeInfo | PlanInfo | None:
        """The row the form shows."""
        raise NotImplementedError

    def changes(self) -> dict[str, Any]:
        """Fields the user changed, as typed (the service normalises and validates)."""
        raise NotImplementedError

    def edit_command(self, changes: dict[str, Any]) -> ServiceCommand:
        raise NotImplementedError

    def fill(self, skip: set[str]) -> None:
        """Show the stored row in every field but those in ``skip`` (typed and not committed)."""
        raise NotImplementedError

    # --- committing -------------------------------------------------------------------------
    def _fields_of(self, widget: QWidget) -> set[str]:
        return {name for name in self.form.fields() if self.form.widget(name) is widget}

    def is_modified(self) -> bool:
        return self.shown() is not None and bool(self.changes())

    def update_modified(self) -> None:
        if self._loading:
            return
        modified = self.is_modified()
        self.modified_label.setVisible(modified)
        if modified != self._modified:
            self._modified = modified
            self.modified_changed.emit(modified)

    def _commit(self, changes: dict[str, Any]) -> bool:
        if not changes:
            return True
        self._committing = set(changes)
        try:
            error = execute(self.ctx, self.edit_command(changes))
        finally:
            self._committing = set()
        if error is not None:
            self.form.show_exception(error, focus=False)
            self.update_modified()
            return False
        self.saved.emit()
        self.update_modified()
        return True

    def commit_widget(self, widget: QWidget) -> bool:
        """Commit the one field ``widget`` edits (as one undo step); its error stays beside it."""
        if self._loading or self.shown() is None:
            return True
        names = self._fields_of(widget)
        changes = {k: v for k, v in self.changes().items() if k in names}
        for name in names:
            self.form.clear_error(name)
        if not changes:
            self.update_modified()
            return True
        return self._commit(changes)

    def save(self) -> bool:
        """Commit every changed field, each its own undo step; fields refused alone are tried
        together once (two years that are only valid as a pair).  True when nothing is left."""
        if self.shown() is None:
            return False
        self.form.clear_errors()
        failed: dict[str, Any] = {}
        for name, value in self.changes().items():
            if name in self.changes() and not self._commit({name: value}):
                failed[name] = value
        if len(failed) > 1:
            self.form.clear_errors()
            if self._commit({k: v for k, v in self.changes().items() if k in failed}):
                failed = {}
        return not failed

    def pending_text(self) -> str:
        """The uncommitted fields with their errors, one per line (for the leave question)."""
        errors = self.form.visible_errors()
        lines = []
        for name in self.changes():
            label = self.form.error_label(name)
            message = errors.get(name, "")
            caption = self._caption(name)
            if label is not None:
                lines.append(f"«{caption}»: {message}" if message else f"«{caption}»")
        if self.form.general.text() and not self.form.general.isHidden():
            lines.append(self.form.general.text())
        return "\n".join(lines)

    def _caption(self, field: str) -> str:
        widget = self.form.widget(field)
        for row in range(self.form.layout.rowCount()):
            item = self.form.layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
            caption = item.widget() if item is not None else None
            if isinstance(caption, QLabel) and caption.buddy() is widget:
                return caption.text()
        return field

    def leave(self) -> bool:
        """Before the form shows something else: commit; if something cannot be, ask.
        True: go on (all committed or discarded); False: stay on the form."""
        if self.shown() is None or self.save():
            return True
        if ask_discard(self, self.pending_text()):
            self.discard()
            return True
        return False

    def discard(self) -> None:
        """Throw away what is typed and not committed: show the stored values again."""
        self.form.clear_errors()
        self.refill(set())

    def pending_for(self, row: NodeInfo | PlanInfo | None) -> set[str]:
        """Before showing ``row`` again (a fresh copy after some change): the fields typed and not
        committed, kept as typed (with their errors) instead of being overwritten."""
        shown = self.shown()
        if shown is None or row is None or row.id != shown.id:
            return set()
        return set(self.changes()) - self._committing

    def refill(self, pending: set[str]) -> None:
        self._loading = True
        try:
            kept = {id(self.form.widget(name)) for name in pending}
            for name in self.form.fields():
                if id(self.form.widget(name)) not in kept:
                    self.form.clear_error(name)
            self.form.general.clear_error()
            if self.shown() is not None:
                self.fill(pending)
        finally:
            self._loading = False
        self.update_modified()

    def reload(self) -> None:
        self.refill(set())


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
        self._watch_fields()

    def _fill_units(self, selected: int | None) -> None:
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItem("— بدون واحد —", None)
        for unit in orgunits.list_org_units(self.ctx.db):
            self.unit.addItem(f"{unit.name} ({unit.kind_label})", unit.id)
        self.unit.setCurrentIndex(max(0, self.unit.findData(selected)))
        self.unit.blockSignals(False)

    def set_node(self, node: NodeInfo | None, keep_pending: bool = False) -> None:
        pending = self.pending_for(node) if keep_pending else set()
        self.node = node
        self.refill(pending)

    def refresh_units(self) -> None:
        """Re-read the unit list, keeping the unit chosen (saved or not)."""
        self._loading = True
        try:
            self._fill_units(self.unit.currentData())
        finally:
            self._loading = False

    def fill(self, skip: set[str]) -> None:
        node = self.node
        assert node is not None
        self.heading.setText(f"{LABELS[node.kind]} {to_persian_digits(node.full_code)}: {node.title}")
        self.kind_label.setText(LABELS[node.kind])
        setters: dict[str, Any] = {
            "code": lambda: self.code.setText(to_persian_digits(node.code)),
            "title": lambda: self.title.setText(node.title),
            "description": lambda: self.description.setPlainText(node.description),
            "responsible_unit_id": lambda: self._fill_units(node.responsible_unit_id),
            "first_year": lambda: self.first_year.setYear(node.first_year),
            "last_year": lambda: self.last_year.setYear(node.last_year),
            "start_date": lambda: self.start_date.set_date_value(node.start_date),
            "end_date": lambda: self.end_date.set_date_value(node.end_date),
            "location": lambda: self.location.setText(node.location),
            "weight": lambda: self.weight.setValue(Decimal(str(node.weight))),
            "state": lambda: self.state.setCurrentIndex(max(0, self.state.findData(node.state))),
        }
        for name, setter in setters.items():
            if name not in skip:
                setter()
        if "responsible_unit_id" in skip:
            self.refresh_units()
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
        self._watch_fields()

    def set_plan(self, plan: PlanInfo | None, keep_pending: bool = False) -> None:
        pending = self.pending_for(plan) if keep_pending else set()
        self.plan = plan
        self.refill(pending)

    def fill(self, skip: set[str]) -> None:
        plan = self.plan
        assert plan is not None
        self.heading.setText(f"برنامه راهبردی: {plan.title} ({plan.period_label})")
        setters: dict[str, Any] = {
            "code": lambda: self.code.setText(to_persian_digits(plan.code)),  # as the tree shows it
            "title": lambda: self.title.setText(plan.title),
            "first_year": lambda: self.first_year.setYear(plan.first_year),
            "last_year": lambda: self.last_year.setYear(plan.last_year),
            "vision": lambda: self.vision.setPlainText(plan.vision),
            "mission": lambda: self.mission.setPlainText(plan.mission),
            "status": lambda: self.status.setCurrentIndex(max(0, self.status.findData(plan.status))),
            "on_track": lambda: self.on_track.setValue(Decimal(str(plan.on_track))),
            "at_risk": lambda: self.at_risk.setValue(Decimal(str(plan.at_risk))),
        }
        for name, text_edit in self.booklet_texts.items():
            setters[name] = lambda edit=text_edit, name=name: edit.setPlainText(getattr(plan, name))
        for name, setter in setters.items():
            if name not in skip:
                setter()

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

    modified_changed = Signal(bool)  # something typed in the form is not committed yet

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
        for form in (self.node_form, self.plan_form):
            form.modified_changed.connect(lambda _m: self.modified_changed.emit(self.is_modified()))
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

    def form(self) -> NodeForm | PlanForm | None:
        """The form shown (None on the empty page)."""
        if self.node is not None:
            return self.node_form
        if self.plan is not None:
            return self.plan_form
        return None

    def is_modified(self) -> bool:
        form = self.form()
        return form is not None and form.is_modified()

    def leave(self) -> bool:
        """Before the panel shows another node or plan, or the window closes: commit what is typed
        (a cell being edited in a tab's grid too); ask about what cannot be.  False: stay."""
        flush_item_editors(self)
        form = self.form()
        return form is None or form.leave()

    def set_node(self, node: NodeInfo | None) -> None:
        self.node, self.plan = node, None
        self.node_form.set_node(node)
        self._show(self.node_form if node else self.empty)
        self._sync_tabs(node.kind if node else None)
        self.modified_changed.emit(self.is_modified())

    def set_plan(self, plan: PlanInfo | None) -> None:
        self.node, self.plan = None, plan
        self.plan_form.set_plan(plan)
        self._show(self.plan_form if plan else self.empty)
        self._sync_tabs("plan" if plan else None)
        self.modified_changed.emit(self.is_modified())

    def clear(self) -> None:
        self.node = self.plan = None
        self._show(self.empty)
        self._sync_tabs(None)
        self.modified_changed.emit(False)

    def save(self) -> bool:
        form = self.form()
        return form.save() if form is not None else False

    def _on_changed(self, what: str, key: int) -> None:
        # Another command (or an undo) changed what the form shows: show the store's values,
        # keeping what is typed and not committed in the other fields.
        from planner_core import nodes, plans
        from planner_core.errors import NotFoundError

        if what == "org_unit":  # units added, renamed or removed: the form's list follows
            self.node_form.refresh_units()
            return
        try:
            if what in ("node", "tree") and self.node is not None and key in (self.node.id, self.node.parent_id or 0):
                self.node = nodes.get_node(self.ctx.db, self.node.id)
                self.node_form.set_node(self.node, keep_pending=True)
            elif what == "plan" and self.plan is not None and key == self.plan.id:
                self.plan = plans.get_plan(self.ctx.db, key)
                self.plan_form.set_plan(self.plan, keep_pending=True)
        except NotFoundError:
            self.clear()
