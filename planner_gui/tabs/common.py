"""What the node tabs share: a message label and table looks.

Their edits are :class:`planner_gui.commands.ServiceCommand` s run with
:func:`planner_gui.commands.execute`.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget

from planner_core.errors import PlannerError
from planner_gui.widgets import ERROR_COLOR

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the service id of a row
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a plain value to sort by (numbers as numbers)


class MessageLabel(QLabel):
    """The tab's one line for what a service said (errors in red, notes in the normal colour)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tabMessage")
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


def make_table(model: QAbstractItemModel, parent: QWidget | None = None, *, stretch: int | None = None) -> QTableView:
    view = QTableView(parent)
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


def status_brushes(color: str) -> tuple[QColor, QColor]:
    """Background and (white) text for a status colour from planner_core.progress.STATUS_COLORS."""
    return QColor(color), QColor("#ffffff")


def selected_id(view: QTableView) -> int | None:
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    if not rows:
        return None
    value = rows[0].data(ID_ROLE)
    return int(value) if value is not None else None


def select_row(view: QTableView, row: int) -> None:
    """Select a whole row.  (QTableView.selectRow finds no column in right-to-left at some widths.)"""
    model = view.model()
    if not 0 <= row < model.rowCount():
        return
    flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
             | QItemSelectionModel.SelectionFlag.Current)
    view.selectionModel().setCurrentIndex(model.index(row, 0), flags)
