"""Models of the life cycle's views: readiness findings, and the comparison's labels and colours
(its marked tree is planner_gui/lifecycle/change_tree.py)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from planner_core.checks import Finding
from planner_core.levels import LABELS
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
