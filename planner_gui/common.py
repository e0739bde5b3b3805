"""What every window, tab and dialog shares: item roles, status colours, the one-line message
label, table and tree looks, row selection, and the form dialog whose OK hands its values to
a service (through an undo command) and shows the refusal beside the field it names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from planner_core.errors import PlannerError
from planner_core.progress import STATUS_COLORS, Status
from planner_gui.context import AppContext
from planner_gui.unsaved import ask_save_discard, widget_value
from planner_gui.widgets import ERROR_COLOR, FormWithErrors

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the service id of a row
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a plain value to sort by (numbers as numbers)

STATUS_TEXT_COLOR = "#ffffff"  # text on every status colour of planner_core.progress.STATUS_COLORS

Submit = Callable[[dict[str, Any]], PlannerError | None]


# --- status colours --------------------------------------------------------------------------

def status_color(status: Status | str) -> QColor:
    """The traffic-light colour of a status (the background of a status cell)."""
    return QColor(STATUS_COLORS[Status(status)])


def status_cell(status: Status | str, role: int) -> QColor | None:
    """Background and text colour of a cell that shows a status; None for other roles."""
    if role == Qt.ItemDataRole.BackgroundRole:
        return status_color(status)
    if role == Qt.ItemDataRole.ForegroundRole:
        return QColor(STATUS_TEXT_COLOR)
    return None


def status_badge_style(status: Status) -> str:
    return (f"background: {STATUS_COLORS[status]}; color: {STATUS_TEXT_COLOR}; border-radius: 4px; "
            "padding: 2px 10px; font-weight: bold;")


# --- messages --------------------------------------------------------------------------------

class MessageLabel(QLabel):
    """A window's or tab's one line for what a service said (errors in red, notes in the normal colour)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageLabel")
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


# --- tables and trees ------------------------------------------------------------------------

def make_table(model: QAbstractItemModel, parent: QWidget | None = None, *, stretch: int | None = None,
               sortable: bool = False, name: str = "") -> QTableView:
    """A read-mostly table: whole rows selected, columns fitted, optionally sorted by SORT_ROLE."""
    view = QTableView(parent)
    if name:
        view.setObjectName(name)
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


def make_tree(model: QAbstractItemModel, name: str, stretch: int) -> QTreeView:
    """A tree of rows with fitted columns; ``stretch`` takes the room that is left."""
    view = QTreeView()
    view.setObjectName(name)
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setUniformRowHeights(True)
    header = view.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def vertical_split(top: QWidget, bottom: QWidget, stretch: tuple[int, int] = (3, 1)) -> QSplitter:
    """``top`` over ``bottom``, sharing the height in the ratio ``stretch``; the user moves the line."""
    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.addWidget(top)
    splitter.addWidget(bottom)
    splitter.setStretchFactor(0, stretch[0])
    splitter.setStretchFactor(1, stretch[1])
    return splitter


def request_node(ctx: AppContext, index: QModelIndex) -> None:
    """Ask the main window to show the node of a double-clicked row (its ID_ROLE; 0: none)."""
    node_id = index.data(ID_ROLE)
    if node_id:
        ctx.node_requested.emit(int(node_id))


def selected_id(view: QAbstractItemView) -> int | None:
    """The ID_ROLE of the selected row, or None."""
    selection = view.selectionModel()
    rows = selection.selectedRows() if selection else []
    value = rows[0].data(ID_ROLE) if rows else None
    return int(value) if value is not None else None


def select_row(view: QAbstractItemView, row: int, column: int = 0) -> None:
    """Select a whole row.  (QTableView.selectRow finds no column in right-to-left at some widths.)"""
    model = view.model()
    if not 0 <= row < model.rowCount():
        return
    flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
             | QItemSelectionModel.SelectionFlag.Current)
    view.selectionModel().setCurrentIndex(model.index(row, column), flags)


# --- buttons and forms -----------------------------------------------------------------------------------

def push_button(text: str, slot: Callable[[], object], name: str = "") -> QPushButton:
    button = QPushButton(text)
    if name:
        button.setObjectName(name)
    button.clicked.connect(slot)
    return button


def button_row(*buttons: QWidget) -> QHBoxLayout:
    """Buttons in reading order, the rest of the line left empty."""
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


class FormDialog(QDialog):
    """A form whose OK hands ``values()`` to ``submit`` and shows its error beside the field.

    Subclasses add rows to ``self.form``, call :meth:`finish_layout`, and implement ``values``.
    ``submit`` returns None when the service took the values (the dialog closes) or the
    service's error (the dialog stays open and shows it).
    """

    def __init__(self, title: str, submit: Submit, parent: QWidget | None = None, *,
                 ok_text: str = "ذخیره", min_width: int = 540) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(min_width)
        self._submit = submit
        self.form = FormWithErrors(parent=self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("انصراف")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self) -> None:
        """After the rows: the line for errors of fields the form does not show, then the buttons.
        Tab walks the fields top to bottom, then the buttons."""
        self.form.add_general_row()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form.layout)
        layout.addWidget(self.buttons)
        self.form.set_tab_order(self.buttons.button(QDialogButtonBox.StandardButton.Ok),
                                self.buttons.button(QDialogButtonBox.StandardButton.Cancel))

    def shown_values(self) -> list[Any]:
        return [widget_value(w) for w in self.form.field_widgets()]

    def showEvent(self, event: Any) -> None:
        if not hasattr(self, "_initial"):
            self._initial = self.shown_values()  # what the dialog opened with
        super().showEvent(event)

    def is_modified(self) -> bool:
        return hasattr(self, "_initial") and self.shown_values() != self._initial

    def reject(self) -> None:  # Cancel, Esc and the title bar's close
        """Typed values are not thrown away without a word: save, discard or stay."""
        if self.is_modified():
            answer = ask_save_discard(self, f"در «{self.windowTitle()}» مقدارهایی تغییر کرده‌اند.")
            if answer == "cancel":
                return
            if answer == "save":
                self.submit()
                return
        super().reject()

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def submit(self) -> bool:
        """Hand the values on; True (and closed) when the service took them."""
        self.form.clear_errors()
        failure = self._submit(self.values())
        if failure is not None:
            self.form.show_exception(failure)
            return False
        super().accept()
        return True

    def accept(self) -> None:  # OK and Enter
        self.submit()
