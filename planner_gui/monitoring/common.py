"""What the monitoring windows share: the year/quarter bar, a debounced refresh on ``ctx.changed``,
and the one-line message label."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QAbstractItemModel, QObject, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QWidget,
)

from planner_core import plans
from planner_core.errors import PlannerError
from planner_core.jalali import fiscal_year_of
from planner_core.progress import STATUS_COLORS, STATUS_LABELS, Status
from planner_core.text import to_persian_digits
from planner_gui.context import AppContext

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the node (or indicator) id of a row
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a plain value to sort by
ERROR_COLOR = "#B71C1C"
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

    def reload_years(self) -> None:
        """Fill the years of the current plan, keeping the chosen one (else this fiscal year)."""
        keep = self.year()
        years = plan_years(self.ctx)
        if keep is None or keep not in years:
            today = fiscal_year_of(date.today())
            keep = min(max(today, years[0]), years[-1]) if years else None
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


class MessageLabel(QLabel):
    """The window's one line for what a service said."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("monitoringMessage")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_error(self, message: str | PlannerError) -> None:
        self.setStyleSheet(f"color: {ERROR_COLOR};")
        self.setText(str(message))
        self.show()

    def show_note(self, message: str) -> None:
        self.setStyleSheet("")
        self.setText(message)
        self.setVisible(bool(message))

    def clear_message(self) -> None:
        self.clear()
        self.hide()


def status_badge_style(status: Status) -> str:
    return (f"background: {STATUS_COLORS[status]}; color: white; border-radius: 4px; "
            "padding: 2px 10px; font-weight: bold;")


def status_text(status: Status) -> str:
    return STATUS_LABELS[status]


def status_color(status: Status) -> QColor:
    return QColor(STATUS_COLORS[status])


def make_table(model: QAbstractItemModel, *, stretch: int | None = None, sortable: bool = False) -> QTableView:
    """A read-mostly table: whole rows selected, columns fitted, optionally sorted by SORT_ROLE."""
    view = QTableView()
    if sortable:
        proxy = QSortFilterProxyModel(view)
        proxy.setSourceModel(model)
        proxy.setSortRole(SORT_ROLE)
        view.setModel(proxy)
        view.setSortingEnabled(True)
        view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep the service's order until asked
    else:
        view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view
