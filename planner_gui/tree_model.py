"""The plan tree as a lazy QAbstractItemModel over ``planner_core.nodes.children`` rows.

The plan is the one top-level row; its axes are fetched at once, every deeper level only
when a row is expanded (canFetchMore/fetchMore), so a 20,000-project plan opens instantly.
Commands announce changes through ``ctx.changed`` and the model refreshes one sibling list
at a time (insert/remove/move rows), keeping selection and expanded rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from planner_core import nodes, orgunits, plans
from planner_core.errors import NotFoundError
from planner_core.levels import CHILD_KINDS, LABELS, NODE_STATE_LABELS, PLAN_STATUS_LABELS
from planner_core.nodes import NodeInfo
from planner_core.plans import PlanInfo
from planner_core.progress import STATUS_LABELS, Status
from planner_core.rollups import NodeProgress, ProgressTree
from planner_core.text import format_percent, to_persian_digits
from planner_gui.commands import MoveNodeCommand, errors, execute, quoted
from planner_gui.common import ID_ROLE, SORT_ROLE, status_color
from planner_gui.context import AppContext
from planner_gui.row_models import bold_font

COL_CODE, COL_TITLE, COL_UNIT, COL_STATUS = range(4)
HEADERS = {COL_CODE: "کد", COL_TITLE: "عنوان", COL_UNIT: "واحد مسئول", COL_STATUS: "وضعیت"}

NODE_ID_ROLE = ID_ROLE  # node id; 0 for the plan row (SORT_ROLE: a comparable key for each column)
KIND_ROLE = Qt.ItemDataRole.UserRole + 3  # "plan", "axis", … "project"
INFO_ROLE = Qt.ItemDataRole.UserRole + 4  # the NodeInfo / PlanInfo row

MIME_TYPE = "application/x-barnamenegar-node-ids"
PLAN_KEY = 0


class _Item:
    __slots__ = ("children", "info", "key", "parent")

    def __init__(self, key: int, info: NodeInfo | PlanInfo, parent: _Item | None) -> None:
        self.key = key
        self.info = info
        self.parent = parent
        self.children: list[_Item] | None = None  # None: not fetched yet

    @property
    def kind(self) -> str:
        return self.info.kind if isinstance(self.info, NodeInfo) else "plan"

    def child_count(self) -> int:
        if self.children is not None:
            return len(self.children)
        return self.info.child_count if isinstance(self.info, NodeInfo) else 1

    def row(self) -> int:
        return 0 if self.parent is None else self.parent.children.index(self)  # type: ignore[union-attr]


class PlanTreeModel(QAbstractItemModel):
    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._root: _Item | None = None
        self._items: dict[int, _Item] = {}
        # Computed progress of the year being monitored (planner_core.rollups); None: not computed.
        self.progress: ProgressTree | None = None
        ctx.changed.connect(self._on_changed)

    # --- progress status ----------------------------------------------------------------------
    def node_progress(self, node_id: int) -> NodeProgress | None:
        return self.progress.nodes.get(node_id) if self.progress is not None else None

    def set_progress(self, progress: ProgressTree | None) -> None:
        """Show the status of this roll-up in the status column (colour, label, tooltip)."""
        self.progress = progress
        for item in self._items.values():
            if item.key != PLAN_KEY:
                index = self.createIndex(item.row(), COL_STATUS, item.key)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole,
                                                     Qt.ItemDataRole.ToolTipRole])

    # --- loading ----------------------------------------------------------------------------
    def plan_id(self) -> int | None:
        return self._root.info.id if self._root else None

    def set_plan(self, plan_id: int | None) -> None:
        self.beginResetModel()
        self._items.clear()
        self._root = None
        if plan_id:
            try:
                info = plans.get_plan(self.ctx.db, plan_id)
            except NotFoundError:
                info = None
            if info is not None:
                self._root = _Item(PLAN_KEY, info, None)
                self._items[PLAN_KEY] = self._root
                self._load_children(self._root)
        self.endResetModel()

    def _load_children(self, item: _Item) -> None:
        parent_id = None if item.key == PLAN_KEY else item.key
        rows = nodes.children(self.ctx.db, self._root.info.id, parent_id)  # type: ignore[union-attr]
        item.children = [self._make(row, item) for row in rows]

    def _make(self, info: NodeInfo, parent: _Item) -> _Item:
        child = _Item(info.id, info, parent)
        self._items[info.id] = child
        return child

    def _forget(self, item: _Item) -> None:
        self._items.pop(item.key, None)
        for child in item.children or []:
            self._forget(child)

    # --- structure --------------------------------------------------------------------------
    def _item(self, index: QModelIndex) -> _Item | None:
        if not index.isValid():
            return None
        return self._items.get(index.internalId())

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if self._root is None or not 0 <= column < len(HEADERS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, PLAN_KEY) if row == 0 else QModelIndex()
        item = self._item(parent)
        if item is None or item.children is None or row >= len(item.children):
            return QModelIndex()
        return self.createIndex(row, column, item.children[row].key)

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        item = self._item(index)
        if item is None or item.parent is None:
            return QModelIndex()
        return self.createIndex(item.parent.row(), 0, item.parent.key)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.column() > 0:
            return 0
        if not parent.isValid():
            return 1 if self._root is not None else 0
        item = self._item(parent)
        return len(item.children) if item is not None and item.children is not None else 0

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def hasChildren(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008
        if parent.column() > 0:
            return False
        if not parent.isValid():
            return self._root is not None
        item = self._item(parent)
        return item is not None and item.child_count() > 0

    def canFetchMore(self, parent: QModelIndex) -> bool:
        item = self._item(parent)
        return item is not None and item.children is None and item.child_count() > 0

    def fetchMore(self, parent: QModelIndex) -> None:
        item = self._item(parent)
        if item is None or item.children is not None:
            return
        self._insert_children(item, nodes.children(self.ctx.db, self._root.info.id, item.key))  # type: ignore[union-attr]

    def _insert_children(self, item: _Item, rows: list[NodeInfo]) -> None:
        if not rows:
            item.children = []
            return
        self.beginInsertRows(self.index_of(item.key), 0, len(rows) - 1)
        item.children = [self._make(row, item) for row in rows]
        self.endInsertRows()

    # --- data -------------------------------------------------------------------------------
    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS.get(section)
        return None

    def full_code(self, item: _Item) -> str:
        if isinstance(item.info, PlanInfo):
            return item.info.code
        if item.parent is None or item.parent.key == PLAN_KEY:
            return item.info.code
        return f"{self.full_code(item.parent)}-{item.info.code}"

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        item = self._item(index)
        if item is None:
            return None
        info, column = item.info, index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_CODE:
                return to_persian_digits(self.full_code(item))
            if column == COL_TITLE:
                return info.title
            if column == COL_UNIT:
                return info.responsible_unit if isinstance(info, NodeInfo) else ""
            if column == COL_STATUS:
                if not isinstance(info, NodeInfo):
                    if plans.is_reference(info):  # received from another city: marked where it is seen
                        return "فقط‌خواندنی"  # the banner above and the tooltip name its source
                    return PLAN_STATUS_LABELS.get(info.status, info.status)
                node = self.node_progress(info.id)
                if node is None or node.progress is None:
                    return NODE_STATE_LABELS.get(info.state, info.state)
                return f"{STATUS_LABELS[node.status]} {format_percent(node.progress)}"
        elif role == Qt.ItemDataRole.ToolTipRole:
            text = f"{LABELS[item.kind]}: {info.title}"
            root = self._root.info if self._root else None
            if isinstance(root, PlanInfo) and plans.is_reference(root):
                text += (f"\nبرنامه رسیده از «{root.source_municipality}»: فقط برای مراجعه، ویرایش‌پذیر نیست تا "
                         "آن را به‌عنوان برنامه پیش‌نویس خودمان برگزینید.")
            if isinstance(info, NodeInfo):
                if info.responsible_unit:
                    text += f"\nواحد مسئول: {info.responsible_unit}"
                text += f"\nوضعیت اجرا: {NODE_STATE_LABELS.get(info.state, info.state)}"
                node = self.node_progress(info.id)
                if node is not None and self.progress is not None:
                    text += (f"\nپیشرفت تا پایان فصل {to_persian_digits(self.progress.quarter)} سال "
                             f"{to_persian_digits(self.progress.year)}: {format_percent(node.progress)} "
                             f"(مورد انتظار {format_percent(node.expected)}) — {STATUS_LABELS[node.status]}")
            return text
        elif role == Qt.ItemDataRole.DecorationRole and column == COL_STATUS and isinstance(info, NodeInfo):
            node = self.node_progress(info.id)
            return status_color(node.status if node else Status.NO_DATA)
        elif role == Qt.ItemDataRole.FontRole and item.key == PLAN_KEY and column == COL_TITLE:
            return bold_font()
        elif role == NODE_ID_ROLE:
            return item.key
        elif role == KIND_ROLE:
            return item.kind
        elif role == INFO_ROLE:
            return info
        elif role == SORT_ROLE:
            if column == COL_CODE:
                return info.sort_order if isinstance(info, NodeInfo) else -1
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        item = self._item(index)
        if item is not None and item.key != PLAN_KEY:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        if item is not None and CHILD_KINDS[None if item.key == PLAN_KEY else item.kind]:
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags

    # --- lookups for the window -------------------------------------------------------------
    def index_of(self, node_id: int, column: int = 0) -> QModelIndex:
        item = self._items.get(node_id)
        if item is None:
            return QModelIndex()
        return self.createIndex(item.row(), column, item.key)

    def info(self, node_id: int) -> NodeInfo | PlanInfo | None:
        item = self._items.get(node_id)
        return item.info if item else None

    def ensure_loaded(self, node_id: int) -> QModelIndex:
        """Fetch the branch down to ``node_id`` (e.g. a search hit) and return its index."""
        if node_id not in self._items:
            try:
                chain = nodes.ancestors(self.ctx.db, node_id)
            except NotFoundError:
                return QModelIndex()
            for ancestor in chain:
                if ancestor not in self._items:
                    return QModelIndex()
                self.fetchMore(self.index_of(ancestor))
        return self.index_of(node_id)

    def load_branches(self, visible: Iterable[int]) -> None:
        """Fetch every level on the way to the ``visible`` ids (a search result with ancestors)."""
        wanted = set(visible)
        level = [self._root] if self._root else []
        while level:
            # One service call per tree level, however many branches a broad search opens.
            unfetched = [item for item in level if item.children is None and item.key != PLAN_KEY]
            if unfetched:
                fetched = nodes.children_of_many(self.ctx.db, self._root.info.id,  # type: ignore[union-attr]
                                                 [item.key for item in unfetched])
                for item in unfetched:
                    self._insert_children(item, fetched[item.key])
            level = [child for item in level for child in item.children or []
                     if child.key in wanted and child.child_count()]

    # --- drag and drop ----------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        ids = sorted({self.data(index, NODE_ID_ROLE) for index in indexes if index.isValid()} - {PLAN_KEY})
        mime = QMimeData()
        mime.setData(MIME_TYPE, QByteArray(json.dumps(ids).encode()))
        return mime

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: QModelIndex) -> bool:
        return data.hasFormat(MIME_TYPE) and self._item(parent) is not None

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: QModelIndex) -> bool:
        target = self._item(parent)
        if action == Qt.DropAction.IgnoreAction:
            return True
        if target is None or not data.hasFormat(MIME_TYPE):
            return False
        ids = json.loads(bytes(data.data(MIME_TYPE).data()).decode() or "[]")
        if len(ids) != 1 or ids[0] not in self._items:
            return False
        moved = self._items[ids[0]]
        assert isinstance(moved.info, NodeInfo)
        if target.children is None:
            self.fetchMore(parent)
        new_parent_id = None if target.key == PLAN_KEY else target.key
        position = row if row >= 0 else len(target.children or [])
        if moved.parent is target and moved.row() < position:
            position -= 1  # the service counts positions among the other siblings
        where = target.info.title
        command = MoveNodeCommand(self.ctx, moved.info, new_parent_id, position,
                                  text=f"جابه‌جایی {LABELS[moved.kind]} {quoted(moved.info.title)} به {quoted(where)}")
        error = execute(self.ctx, command)
        if error is not None:
            errors.message.emit(str(error))
            return False
        # The move is done and the rows refreshed; no row for the view to remove.
        return False

    # --- surgical refresh -------------------------------------------------------------------
    def _on_changed(self, what: str, key: int) -> None:
        if self._root is None:
            return
        if what == "tree":
            self.refresh_children(key)
        elif what == "org_unit":
            self.refresh_unit_names()
        elif what == "node":
            self.refresh_node(key)
        elif what == "plan" and key == self._root.info.id:
            try:
                self._root.info = plans.get_plan(self.ctx.db, key)
            except NotFoundError:
                self.set_plan(None)
                return
            self._emit_changed(self._root)

    def refresh_unit_names(self) -> None:
        """A unit was renamed or restored: the unit column of the loaded rows shows its name now."""
        names = {unit.id: unit.name for unit in orgunits.list_org_units(self.ctx.db)}
        for item in self._items.values():
            info = item.info
            if isinstance(info, NodeInfo) and info.responsible_unit_id is not None:
                name = names.get(info.responsible_unit_id, "")
                if name != info.responsible_unit:
                    item.info = replace(info, responsible_unit=name)
                    index = self.createIndex(item.row(), COL_UNIT, item.key)
                    self.dataChanged.emit(index, index)

    def refresh_node(self, node_id: int) -> None:
        item = self._items.get(node_id)
        if item is None:
            return
        try:
            item.info = nodes.get_node(self.ctx.db, node_id)
        except NotFoundError:
            return
        self._emit_changed(item)

    def _emit_changed(self, item: _Item, recursive: bool = False) -> None:
        row = item.row()
        self.dataChanged.emit(self.createIndex(row, 0, item.key), self.createIndex(row, len(HEADERS) - 1, item.key))
        if recursive:
            for child in item.children or []:
                self._emit_changed(child, True)

    def refresh_children(self, key: int) -> None:
        """Bring one sibling list in line with the store: remove, move, insert, update rows."""
        item = self._items.get(key)
        if item is None:
            return
        if item.children is None:  # not fetched: only whether it has children may change
            if key != PLAN_KEY:
                self.refresh_node(key)
                if item.child_count() == 0:
                    item.children = []
            return
        rows = nodes.children(self.ctx.db, self._root.info.id, None if key == PLAN_KEY else key)  # type: ignore[union-attr]
        parent_index = self.index_of(key)
        new_ids = [row.id for row in rows]
        wanted = set(new_ids)
        children = item.children
        for position in range(len(children) - 1, -1, -1):
            if children[position].key not in wanted:
                self.beginRemoveRows(parent_index, position, position)
                gone = children.pop(position)
                self._forget(gone)
                self.endRemoveRows()
        for position, row in enumerate(rows):
            current = [child.key for child in children]
            if row.id in current:
                old = current.index(row.id)
                if old != position:
                    self.beginMoveRows(parent_index, old, old, parent_index, position)
                    children.insert(position, children.pop(old))
                    self.endMoveRows()
                children[position].info = row
            else:
                stale = self._items.get(row.id)
                if stale is not None:  # moved here from another (not refreshed) branch
                    self._detach(stale)
                self.beginInsertRows(parent_index, position, position)
                children.insert(position, self._make(row, item))
                self.endInsertRows()
        for child in children:
            self._emit_changed(child, recursive=True)  # codes below a renumbered row change too
        if key != PLAN_KEY:
            self.refresh_node(key)

    def _detach(self, item: _Item) -> None:
        parent = item.parent
        if parent is None or parent.children is None or item not in parent.children:
            return
        position = parent.children.index(item)
        self.beginRemoveRows(self.index_of(parent.key), position, position)
        parent.children.pop(position)
        self._forget(item)
        self.endRemoveRows()


HIGHLIGHT_COLOR = QColor("#fff1a8")  # the rows a search found (not the ancestors shown to reach them)


class PlanFilterProxy(QSortFilterProxyModel):
    """Shows only the ids a service search returned (matches and their ancestors), the matches highlighted."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._visible: set[int] | None = None
        self.matches: set[int] = set()  # node ids found (PLAN_KEY: the plan row matched)
        self.setRecursiveFilteringEnabled(True)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_visible_ids(self, ids: set[int] | None, matches: set[int] | None = None) -> None:
        self.beginFilterChange()
        self._visible = None if ids is None else set(ids)
        self.matches = set(matches or ())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        rows = self.rowCount()
        if rows:  # the highlight changes on rows that stay
            self._emit_all(QModelIndex())

    def _emit_all(self, parent: QModelIndex) -> None:
        rows = self.rowCount(parent)
        if not rows:
            return
        self.dataChanged.emit(self.index(0, 0, parent), self.index(rows - 1, self.columnCount() - 1, parent),
                              [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole])
        for row in range(rows):
            child = self.index(row, 0, parent)
            if self.sourceModel().hasChildren(self.mapToSource(child)) and self.rowCount(child):
                self._emit_all(child)

    def is_match(self, index: QModelIndex) -> bool:
        return bool(self.matches) and index.data(NODE_ID_ROLE) in self.matches

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.BackgroundRole and self.is_match(index):
            return HIGHLIGHT_COLOR
        if role == Qt.ItemDataRole.FontRole and index.column() == COL_TITLE and self.is_match(index):
            return bold_font()
        return super().data(index, role)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self._visible is None:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        key = index.data(NODE_ID_ROLE)
        return key == PLAN_KEY or key in self._visible
