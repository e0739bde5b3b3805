"""Table models of the life cycle's views: readiness findings and comparison changes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from planner_core.checks import Finding
from planner_core.levels import LABELS
from planner_core.lifecycle.compare import Change, display_value
from planner_core.text import format_money, to_persian_digits
from planner_gui.common import ID_ROLE, SORT_ROLE

Index = QModelIndex | QPersistentModelIndex
SEVERITY_COLORS = {"error": QColor("#FBE4E4"), "warning": QColor("#FFF6DB")}
KIND_LABELS = {"added": "افزوده", "removed": "حذف‌شده", "moved": "جابه‌جا", "changed": "تغییر"}
KIND_COLORS = {"added": QColor("#E3F4E8"), "removed": QColor("#FBE4E4"), "moved": QColor("#E6EEFA"),
               "changed": QColor("#FFF6DB")}
LEVEL_LABELS = {**LABELS, "indicator": "شاخص", "allocation": "تخصیص", "plan": "برنامه راهبردی"}


class FindingsModel(QAbstractTableModel):
    COL_SEVERITY, COL_MESSAGE = range(2)
    HEADERS = ("نوع", "یافته")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Finding] = []

    def set_rows(self, rows: list[Finding]) -> None:
        self.beginResetModel()
        self.rows = sorted(rows, key=lambda f: f.severity != "error")
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        finding = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return finding.severity_label if index.column() == self.COL_SEVERITY else finding.message
        if role == Qt.ItemDataRole.BackgroundRole:
            return SEVERITY_COLORS.get(finding.severity)
        if role == ID_ROLE:
            return finding.node_id
        if role == Qt.ItemDataRole.ToolTipRole and finding.node_id:
            return "دوبار کلیک: رفتن به این گره در درخت"
        return None


class ChangesModel(QAbstractTableModel):
    COL_KIND, COL_LEVEL, COL_CODE, COL_TITLE, COL_FIELD, COL_OLD, COL_NEW = range(7)
    HEADERS = ("تغییر", "سطح", "کد", "عنوان", "مورد", "پیشین", "تازه")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Change] = []

    def set_rows(self, rows: list[Change]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    @staticmethod
    def _value(change: Change, value: Any) -> str:
        if change.field == "amount" and isinstance(value, int):
            return format_money(value)
        return display_value(value)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        c = self.rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return (KIND_LABELS[c.kind], LEVEL_LABELS.get(c.level, c.level), to_persian_digits(c.code), c.title,
                    c.field_label or "—", self._value(c, c.old), self._value(c, c.new))[col]
        if role == Qt.ItemDataRole.BackgroundRole and col == self.COL_KIND:
            return KIND_COLORS[c.kind]
        if role == ID_ROLE:
            return c.node_uuid or c.uuid
        if role == Qt.ItemDataRole.UserRole:
            return c.kind
        return None


class ChangesFilter(QSortFilterProxyModel):
    """Filters by kind of change (added/removed/moved/changed) and by entity (node/indicator/allocation)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.kind = ""
        self.entity = ""
        self.setSortRole(SORT_ROLE)

    def set_filters(self, kind: str, entity: str) -> None:
        self.beginFilterChange()
        self.kind, self.entity = kind, entity
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, ChangesModel) or row >= len(model.rows):
            return True
        change = model.rows[row]
        return (not self.kind or change.kind == self.kind) and (not self.entity or change.entity == self.entity)
