"""The budget window: one fiscal year's budget codes and ceilings, roll-ups, the budget-program
matrix and the budget consistency findings of the open plan.

Tabs refresh when shown and whenever ``ctx.changed`` announces a change (coalesced, after the
current event, so an edit never resets a model while its editor is still committing).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from planner_core import budget, plan_years, plans, scope
from planner_core.errors import PlannerError
from planner_core.jalali import fiscal_year_of
from planner_core.text import to_persian_digits
from planner_gui import window_fit
from planner_gui.budget.codes_tab import CodesTab
from planner_gui.budget.views import FindingsTab, MatrixTab, RollupTab
from planner_gui.context import AppContext
from planner_gui.read_only import file_reason
from planner_gui.unsaved import flush_item_editors


class BudgetWindow(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.setObjectName("budgetWindow")
        self.setWindowTitle("بودجه و تخصیص‌ها")
        window_fit.place(self, (1200, 760))
        self.plan_label = QLabel()
        self.plan_label.setObjectName("planLabel")
        self.owner_combo = QComboBox()
        self.owner_combo.setObjectName("municipalityCombo")
        self.owner_combo.setToolTip("بودجه کدام شهرداری؛ بودجه شهرداری‌های دیگر که با برنامه‌هایشان رسیده، "
                                    "فقط برای مطالعه است.")
        self.owner_combo.currentIndexChanged.connect(self._owner_changed)
        self.owner_note = QLabel()
        self.owner_note.setObjectName("ownerNote")
        self.owner_note.setStyleSheet("color: #8a5a00;")
        self.owner_note.setWordWrap(True)
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("yearCombo")
        self.year_combo.setMinimumContentsLength(6)
        self.year_combo.currentIndexChanged.connect(self._year_changed)
        self.message = QLabel()
        self.message.setObjectName("budgetMessage")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(QLabel("شهرداری:"))
        top.addWidget(self.owner_combo)
        top.addSpacing(16)
        top.addWidget(QLabel("سال مالی:"))
        top.addWidget(self.year_combo)
        top.addSpacing(16)
        top.addWidget(self.plan_label)
        top.addStretch(1)
        top.addWidget(self.message)

        self.codes = CodesTab(ctx, self)
        self.rollup = RollupTab(ctx, self)
        self.matrix = MatrixTab(ctx, self)
        self.findings = FindingsTab(ctx, self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("budgetTabs")
        for tab in self._tab_list():
            self.tabs.addTab(tab, tab.tab_title)
            tab.message.connect(self.show_message)
            tab.error.shown.connect(lambda _text: self.show_message(""))  # no stale «…ذخیره شد» beside an error
        self.tabs.currentChanged.connect(lambda _i: self._refresh_current())
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.owner_note)
        layout.addWidget(self.tabs)

        for sequence, call in ((QKeySequence.StandardKey.Undo, ctx.undo_stack.undo),
                               (QKeySequence.StandardKey.Redo, ctx.undo_stack.redo)):
            QShortcut(sequence, self, call)
        self._stale: set[QWidget] = set(self._tab_list())
        self._pending = False
        ctx.changed.connect(self._on_changed)
        ctx.plan_switched.connect(lambda _id: self.follow_plan(fresh=True))  # the new plan's own year
        self.reload_owners()
        self.follow_plan()

    def _tab_list(self) -> list[CodesTab | RollupTab | MatrixTab | FindingsTab]:
        return [self.codes, self.rollup, self.matrix, self.findings]

    # the municipality, year and plan -------------------------------------------------------
    @property
    def municipality_id(self) -> int | None:
        """Whose budget the window shows: None is the file's own municipality."""
        data = self.owner_combo.currentData()
        return int(data) if data is not None else None

    @property
    def read_only(self) -> bool:
        return self.municipality_id is not None or self.ctx.db.read_only

    def read_only_reason(self) -> str | None:
        """The file's reason first (planner_gui.read_only), then another municipality's budget."""
        if self.ctx.db.read_only:
            return file_reason(self.ctx.db)
        if self.municipality_id is not None:
            return (f"بودجه «{self.owner_combo.currentText().split(' (')[0]}» از شهرداری دیگر رسیده و فقط برای "
                    "مطالعه است؛ سقف‌ها، متمم‌ها و کدها را اینجا نمی‌توان ویرایش کرد.")
        return None

    def reload_owners(self) -> None:
        """The home municipality first, then those whose plans (and budgets) the file received."""
        keep = self.municipality_id
        self.owner_combo.blockSignals(True)
        self.owner_combo.clear()
        for owner in scope.budget_owners(self.ctx.db):
            label = owner.name if owner.is_home else f"{owner.name} (رسیده، فقط‌خواندنی)"
            self.owner_combo.addItem(label, owner.id)
        found = self.owner_combo.findData(keep)
        self.owner_combo.setCurrentIndex(max(found, 0))
        self.owner_combo.blockSignals(False)
        self._apply_owner()

    def set_municipality(self, municipality_id: int | None) -> None:
        index = self.owner_combo.findData(municipality_id)
        if index < 0:
            self.reload_owners()
            index = self.owner_combo.findData(municipality_id)
        self.owner_combo.setCurrentIndex(max(index, 0))

    def follow_plan(self, fresh: bool = False) -> None:
        """Opening a received plan shows its municipality's budget, an own plan the home's; ``fresh``
        opens on the plan's own year with data."""
        owner = self._open_plan_owner()
        if owner != self.municipality_id and self.owner_combo.findData(owner) < 0:
            self.reload_owners()
        self.owner_combo.blockSignals(True)
        self.owner_combo.setCurrentIndex(max(self.owner_combo.findData(owner), 0))
        self.owner_combo.blockSignals(False)
        self._apply_owner()
        self.reload_years(fresh)

    def _open_plan_owner(self) -> int | None:
        if self.ctx.plan_id is None:
            return self.municipality_id
        try:
            return scope.plan_owner(self.ctx.db, self.ctx.plan_id)
        except PlannerError:
            return None

    def _owner_changed(self, *_args: object) -> None:
        self._apply_owner()
        self.reload_years()

    def _apply_owner(self) -> None:
        reason = self.read_only_reason()
        self.codes.set_owner(self.municipality_id, self.read_only, reason)
        self.owner_note.setText(reason or "")
        self.owner_note.setVisible(self.read_only)

    def tab_plan_id(self) -> int | None:
        """The open plan when it is a plan of the shown municipality; roll-ups never mix cities."""
        if self.ctx.plan_id is None or self._open_plan_owner() != self.municipality_id:
            return None
        return self.ctx.plan_id

    @property
    def year(self) -> int | None:
        data = self.year_combo.currentData()
        return int(data) if data is not None else None

    def reload_years(self, fresh: bool = False) -> None:
        """Years with a budget, and every year of the open plan; keeps the chosen year unless ``fresh``.

        The first time (or ``fresh``) it opens on the plan's year with data (plan_years.default_year).
        """
        keep = None if fresh else self.year
        years = set(budget.budget_years(self.ctx.db, self.municipality_id))
        self.plan_label.setText("")
        plan_id = self.tab_plan_id()
        if plan_id is not None:
            try:
                plan = plans.get_plan(self.ctx.db, plan_id)
            except PlannerError as exc:
                self.show_message(str(exc))
            else:
                years |= set(range(plan.first_year, plan.last_year + 1))
                self.plan_label.setText(f"برنامه: {plan.title}")
                if keep is None:
                    keep = plan_years.default_year(self.ctx.db, plan.id)
        elif self.ctx.plan_id is not None:
            self.plan_label.setText("برنامه باز از شهرداری دیگری است.")
        if keep is None:
            this_year = fiscal_year_of(date.today())
            keep = this_year if this_year in years else min(years) if years else None
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for year in sorted(years):
            self.year_combo.addItem(to_persian_digits(year), year)
        found = self.year_combo.findData(keep)
        self.year_combo.setCurrentIndex(found if found >= 0 else self.year_combo.count() - 1)
        self.year_combo.blockSignals(False)
        self._year_changed()

    def set_year(self, year: int) -> None:
        index = self.year_combo.findData(year)
        if index < 0:
            self.year_combo.addItem(to_persian_digits(year), year)
            index = self.year_combo.count() - 1
        self.year_combo.setCurrentIndex(index)

    def _year_changed(self, *_args: object) -> None:
        self._stale = set(self._tab_list())
        self._refresh_current()

    # refreshing ---------------------------------------------------------------------------
    def _on_changed(self, what: str, _id: int) -> None:
        self._stale = set(self._tab_list())
        if what == "plan":  # an import may bring another municipality's plan and budgets
            QTimer.singleShot(0, self.reload_owners)
            QTimer.singleShot(0, self.reload_years)
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self._refresh_current)

    def _refresh_current(self) -> None:
        self._pending = False
        if not self.isVisible():  # a closed window catches up when shown again
            return
        tab = self.tabs.currentWidget()
        if tab in self._stale:
            self._stale.discard(tab)
            tab.refresh(self.tab_plan_id(), self.year)  # type: ignore[attr-defined]

    def closeEvent(self, event: QCloseEvent) -> None:
        flush_item_editors(self)  # a ceiling or code title being typed is committed, not dropped
        super().closeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._refresh_current()

    def refresh(self) -> None:
        """Reload every tab now (tests and the «تازه‌سازی» path)."""
        self._pending = False
        self._stale.clear()
        plan_id = self.tab_plan_id()
        for tab in self._tab_list():
            tab.refresh(plan_id, self.year)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
