"""The plan tree with its search box and filters (unit, state, fiscal year).

Searching asks the service for the ids to show (matches and their ancestors, by fold key),
fetches just those branches of the lazy model and lets the proxy accept only them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from planner_core import nodes, orgunits, plans, rollups
from planner_core.errors import NotFoundError, PlannerError
from planner_core.jalali import monitoring_period
from planner_core.levels import NODE_STATE_LABELS, NODE_STATES
from planner_core.nodes import NodeInfo
from planner_core.plans import PlanInfo
from planner_core.text import format_int, to_persian_digits
from planner_gui.context import AppContext
from planner_gui.shortcuts import standard_keys
from planner_gui.tree_model import (
    COL_CODE,
    COL_STATUS,
    COL_TITLE,
    COL_UNIT,
    INFO_ROLE,
    PLAN_KEY,
    PlanFilterProxy,
    PlanTreeModel,
)

MAX_EXPANDED_HITS = 3000  # beyond this a search shows the rows but does not unfold them all
# Widest the code, unit and status columns grow to fit their rows (px); the title gets the rest.
MAX_WIDTHS = {COL_CODE: 150, COL_UNIT: 150, COL_STATUS: 135}


class TreePanel(QWidget):
    current_changed = Signal(object)  # NodeInfo | PlanInfo | None

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # Asked before the selection moves away (the detail form commits or asks); False: stay.
        self.before_leave: Callable[[], bool] | None = None
        self._reverting = False
        self._chosen_id: int | None = None  # the node last selected (0: the plan row), kept across searches
        self.model = PlanTreeModel(ctx, self)
        self.proxy = PlanFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self.search = QLineEdit()
        self.search.setObjectName("search")
        find_keys = standard_keys(QKeySequence.StandardKey.Find)
        self.search.setPlaceholderText(f"جستجو در کد و عنوان برنامه و گره‌ها… ({find_keys})")
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        filters = QHBoxLayout()
        self.unit_filter = QComboBox()
        self.unit_filter.setObjectName("unitFilter")
        self.state_filter = QComboBox()
        self.state_filter.setObjectName("stateFilter")
        self.year_filter = QComboBox()
        self.year_filter.setObjectName("yearFilter")
        for combo, tip in ((self.unit_filter, "واحد مسئول"), (self.state_filter, "وضعیت اجرا"),
                           (self.year_filter, "سال مالی")):
            combo.setToolTip(f"پالایش بر اساس {tip}")
            combo.setAccessibleName(tip)
            filters.addWidget(combo, 1)
        layout.addLayout(filters)
        self.result_label = QLabel()
        self.result_label.setObjectName("searchResult")
        self.result_label.hide()
        layout.addWidget(self.result_label)

        self.view = QTreeView()
        self.view.setObjectName("planTree")
        self.view.setModel(self.proxy)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setAccessibleName("درخت برنامه")
        header = self.view.header()
        header.setStretchLastSection(False)
        # The title takes what the other columns leave; they fit their contents up to a maximum
        # (a long unit name or a deep code is elided, its full text in the tooltip).
        header.setMinimumSectionSize(48)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        self.view.setIndentation(14)
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_columns)
        self.view.expanded.connect(lambda _index: self._fit_timer.start())
        self.proxy.layoutChanged.connect(lambda *_: self._fit_timer.start())
        self.proxy.modelReset.connect(self._fit_timer.start)
        self.proxy.rowsInserted.connect(lambda *_: self._fit_timer.start())
        layout.addWidget(self.view, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        for combo in (self.unit_filter, self.state_filter, self.year_filter):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        # Status colours follow the progress of the monitored year; edits recompute it shortly after.
        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.setInterval(300)
        self._progress_timer.timeout.connect(self.refresh_progress)
        self.year_filter.currentIndexChanged.connect(lambda _i: self.refresh_progress())
        ctx.changed.connect(lambda _what, _key: self._progress_timer.start())
        ctx.changed.connect(self._on_changed)
        self.view.selectionModel().currentChanged.connect(self._on_current)
        self.setTabOrder(self.search, self.unit_filter)
        self.setTabOrder(self.unit_filter, self.state_filter)
        self.setTabOrder(self.state_filter, self.year_filter)
        self.setTabOrder(self.year_filter, self.view)

    def fit_columns(self) -> None:
        """Size the code, unit and status columns to the rows shown, each within its maximum."""
        header = self.view.header()
        for column, widest in MAX_WIDTHS.items():
            wanted = max(self.view.sizeHintForColumn(column), header.sectionSizeHint(column))
            header.resizeSection(column, min(wanted + 6, widest))

    # --- plan -------------------------------------------------------------------------------
    def set_plan(self, plan_id: int | None) -> None:
        if self.before_leave is not None:
            self.before_leave()  # the callers asked already; this commits what an undo left typed
        self._chosen_id = None
        self.model.set_plan(plan_id)
        self._fill_filters(plan_id)
        self.refresh_progress()
        self.apply_filter()
        root = self.proxy.index(0, 0)
        if root.isValid():
            self.view.expand(root)
            self.view.setCurrentIndex(root)
        else:
            self.current_changed.emit(None)

    def _fill_filters(self, plan_id: int | None) -> None:
        self._fill_unit_filter(keep=False)
        for combo in (self.state_filter, self.year_filter):
            combo.blockSignals(True)
            combo.clear()
        self.state_filter.addItem("همه وضعیت‌ها", None)
        for state in NODE_STATES:
            self.state_filter.addItem(NODE_STATE_LABELS[state], state)
        self.year_filter.addItem("همه سال‌ها", None)
        if plan_id:
            try:
                plan = plans.get_plan(self.ctx.db, plan_id)
                for year in range(plan.first_year, plan.last_year + 1):
                    self.year_filter.addItem(to_persian_digits(year), year)
            except NotFoundError:
                pass
        for combo in (self.state_filter, self.year_filter):
            combo.blockSignals(False)

    def _on_changed(self, what: str, _key: int) -> None:
        if what == "org_unit":  # the unit filter lists the file's units
            self._fill_unit_filter()

    def _fill_unit_filter(self, keep: bool = True) -> None:
        chosen = self.unit_filter.currentData() if keep else None
        self.unit_filter.blockSignals(True)
        self.unit_filter.clear()
        self.unit_filter.addItem("همه واحدها", None)
        for unit in orgunits.list_org_units(self.ctx.db):
            self.unit_filter.addItem(unit.name, unit.id)
        index = self.unit_filter.findData(chosen)
        self.unit_filter.setCurrentIndex(max(0, index))
        self.unit_filter.blockSignals(False)
        if chosen is not None and index < 0:  # the unit filtered on is gone
            self.apply_filter()

    def refresh_progress(self) -> None:
        """Roll up progress for the chosen fiscal year (or the current one) into the status column."""
        self._progress_timer.stop()
        root = self.model.plan_id()
        if root is None:
            self.model.set_progress(None)
            return
        try:
            plan = plans.get_plan(self.ctx.db, root)
            year, quarter = monitoring_period(plan.first_year, plan.last_year, self.year_filter.currentData())
            self.model.set_progress(rollups.progress_tree(self.ctx.db, root, year, quarter))
        except PlannerError:
            self.model.set_progress(None)

    # --- filtering --------------------------------------------------------------------------
    def filter_active(self) -> bool:
        return bool(self.search.text().strip()) or any(
            combo.currentData() is not None for combo in (self.unit_filter, self.state_filter, self.year_filter))

    def apply_filter(self) -> None:
        """Show what the search and filters find: the matches highlighted and counted, with the
        ancestors that lead to them; the node selected before stays selected when it is shown,
        and is selected again when the search is cleared."""
        self._timer.stop()
        plan_id = self.model.plan_id()
        keep = self._chosen_id
        if plan_id is None or not self.filter_active():
            self.proxy.set_visible_ids(None)
            self.result_label.hide()
            self._reselect(keep)
            return
        found = nodes.find(self.ctx.db, plan_id, self.search.text(), unit_id=self.unit_filter.currentData(),
                           state=self.state_filter.currentData(), year=self.year_filter.currentData())
        visible = set(found.visible)
        self.model.load_branches(visible)
        self.proxy.set_visible_ids(visible, set(found.matches) | ({PLAN_KEY} if found.plan_matches else set()))
        if found.count:
            self.result_label.setText(f"{format_int(found.count)} مورد یافت شد.")
            if len(visible) <= MAX_EXPANDED_HITS:
                self._expand_all_fetched(self.proxy.index(0, 0))
        else:
            self.result_label.setText("چیزی پیدا نشد.")
        self.result_label.show()
        self._chosen_id = keep  # a row hidden by the search is still the one to come back to
        if keep is not None and self.proxy.mapFromSource(self.model.index_of(keep)).isValid():
            self._reselect(keep)

    def _reselect(self, node_id: int | None) -> None:
        if node_id is None:
            return
        current = self.current_info()
        current_id = (current.id if isinstance(current, NodeInfo) else 0) if current is not None else None
        if current_id != node_id:
            self.select_node(node_id)
        else:
            self.view.scrollTo(self.view.currentIndex())
    def _expand_all_fetched(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        self.view.expand(index)
        for row in range(self.proxy.rowCount(index)):
            child = self.proxy.index(row, 0, index)
            if self.proxy.rowCount(child):
                self._expand_all_fetched(child)

    def clear_filter(self) -> None:
        self.search.clear()
        for combo in (self.unit_filter, self.state_filter, self.year_filter):
            combo.setCurrentIndex(0)
        self.apply_filter()

    # --- selection --------------------------------------------------------------------------
    def current_info(self) -> NodeInfo | PlanInfo | None:
        index = self.view.currentIndex()
        return index.data(INFO_ROLE) if index.isValid() else None

    def _on_current(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._reverting:
            return
        if self.before_leave is not None and previous.isValid() and not self.before_leave():
            # The form holds what cannot be committed and the user stays to correct it.
            self._reverting = True
            try:
                self.view.selectionModel().setCurrentIndex(
                    previous, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            finally:
                self._reverting = False
            return
        info = current.data(INFO_ROLE) if current.isValid() else None
        if info is not None:
            self._chosen_id = info.id if isinstance(info, NodeInfo) else 0
        self.current_changed.emit(info)

    def select_node(self, node_id: int) -> bool:
        """Select a node (0: the plan row), fetching and unfolding its ancestors first."""
        source = self.model.ensure_loaded(node_id)
        if not source.isValid():
            return False
        index = self.proxy.mapFromSource(source)
        if not index.isValid():  # hidden by the filter: show everything again
            self.clear_filter()
            index = self.proxy.mapFromSource(source)
        parent = index.parent()
        while parent.isValid():
            self.view.expand(parent)
            parent = parent.parent()
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)
        return True
