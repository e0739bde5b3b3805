"""What the monitoring windows share: the year/quarter bar, a debounced refresh on ``ctx.changed``
and the window frame that puts them together."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from planner_core import plans
from planner_core.errors import PlannerError
from planner_core.plan_years import default_year
from planner_core.text import to_persian_digits
from planner_gui import window_fit
from planner_gui.common import MessageLabel, request_node
from planner_gui.context import AppContext
from planner_gui.unsaved import flush_item_editors

QUARTER_LABELS = {1: "فصل اول", 2: "فصل دوم", 3: "فصل سوم", 4: "فصل چهارم (پایان سال)"}
REFRESH_DELAY_MS = 250  # many changes in a row (an import, a redo of several steps): one refresh


class Debouncer(QObject):
    """Calls ``callback`` once, shortly after the last of a burst of ``ctx.changed`` signals."""

    def __init__(self, ctx: AppContext, callback: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(REFRESH_DELAY_MS)
        self.timer.timeout.connect(callback)
        ctx.changed.connect(lambda *_: self.timer.start())
        ctx.plan_switched.connect(lambda *_: self.timer.start())


def plan_years(ctx: AppContext) -> list[int]:
    if not ctx.plan_id:
        return []
    try:
        plan = plans.get_plan(ctx.db, ctx.plan_id)
    except PlannerError:
        return []
    return list(range(plan.first_year, plan.last_year + 1))


class PeriodBar(QWidget):
    """Fiscal year (and optionally quarter) of the plan; ``changed`` fires on either."""

    changed = Signal()

    def __init__(self, ctx: AppContext, with_quarter: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("yearCombo")
        self.quarter_combo = QComboBox()
        self.quarter_combo.setObjectName("quarterCombo")
        for number, label in QUARTER_LABELS.items():
            self.quarter_combo.addItem(label, number)
        self.quarter_combo.setCurrentIndex(3)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("سال:"))
        layout.addWidget(self.year_combo)
        if with_quarter:
            layout.addWidget(QLabel("تا پایان:"))
            layout.addWidget(self.quarter_combo)
        else:
            self.quarter_combo.hide()
        self.year_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.quarter_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.reload_years()

    def reload_years(self, fresh: bool = False) -> None:
        """Fill the years of the current plan, keeping the chosen one unless ``fresh``; else the year
        where the plan's data is (planner_core.plan_years.default_year)."""
        keep = None if fresh else self.year()
        years = plan_years(self.ctx)
        if (keep is None or keep not in years) and years and self.ctx.plan_id:
            try:
                keep = default_year(self.ctx.db, self.ctx.plan_id)
            except PlannerError:
                keep = years[0]
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for year in years:
            self.year_combo.addItem(to_persian_digits(year), year)
        if keep is not None:
            self.year_combo.setCurrentIndex(years.index(keep))
        self.year_combo.blockSignals(False)

    def year(self) -> int | None:
        value = self.year_combo.currentData()
        return int(value) if value is not None else None

    def quarter(self) -> int:
        return int(self.quarter_combo.currentData())

    def set_period(self, year: int, quarter: int = 4) -> None:
        index = self.year_combo.findData(year)
        if index >= 0:
            self.year_combo.setCurrentIndex(index)
        self.quarter_combo.setCurrentIndex(quarter - 1)


class MonitoringWindow(QWidget):
    """A report window over the open plan for a chosen period, re-read shortly after every change.

    Subclasses build their widgets (placing ``period`` and ``message``), then call ``refresh()``.
    """

    def __init__(self, ctx: AppContext, name: str, title: str, size: tuple[int, int],
                 parent: QWidget | None = None, *, with_quarter: bool = True) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName(name)
        self.setWindowTitle(title)
        window_fit.place(self, size)
        self.ctx = ctx
        self.period = PeriodBar(ctx, with_quarter=with_quarter)
        self.period.changed.connect(self.refresh)
        self.message = MessageLabel()
        self.debouncer = Debouncer(ctx, self._on_data_changed, self)
        ctx.plan_switched.connect(lambda _id: self.period.reload_years(fresh=True))  # the new plan's own year

    def refresh(self) -> None:
        raise NotImplementedError

    def closeEvent(self, event: QCloseEvent) -> None:
        flush_item_editors(self)  # a cell being typed is committed, not dropped
        super().closeEvent(event)

    def _on_data_changed(self) -> None:
        self.period.reload_years()
        self.refresh()

    def open_node(self, index: QModelIndex) -> None:
        """Show the node of a double-clicked row in the main window."""
        request_node(self.ctx, index)
