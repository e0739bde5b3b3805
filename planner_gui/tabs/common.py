"""What the node tabs share: undo commands that call services, a message label, table looks.

A command calls a planner_core service in ``redo`` and its inverse in ``undo``.  When the
service refuses (any PlannerError), the command marks itself obsolete so QUndoStack drops
it, and hands the error to whoever pushed it, to be shown beside the field or in the tab.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, Qt
from PySide6.QtGui import QColor, QUndoCommand
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget

from planner_core.errors import PlannerError
from planner_gui.context import AppContext
from planner_gui.widgets import ERROR_COLOR

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the service id of a row
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a plain value to sort by (numbers as numbers)

ErrorSink = Callable[[PlannerError], None]


class ServiceCommand(QUndoCommand):
    """An undoable edit: ``apply`` calls a service, ``revert`` its inverse; both return the id changed.

    ``kind`` is what ``ctx.changed`` announces ("indicator", "allocation", "report", ...).
    """

    def __init__(self, ctx: AppContext, text: str, kind: str,
                 apply: Callable[[], int | None], revert: Callable[[], int | None],
                 on_error: ErrorSink | None = None) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.kind = kind
        self._apply = apply
        self._revert = revert
        self.on_error = on_error

    def redo(self) -> None:
        self._run(self._apply)

    def undo(self) -> None:
        self._run(self._revert)

    def _run(self, call: Callable[[], int | None]) -> None:
        try:
            changed_id = call()
        except PlannerError as exc:
            # Qt deletes an obsolete command instead of keeping it on the stack.
            self.setObsolete(True)
            if self.on_error is not None:
                self.on_error(exc)
            return
        self.ctx.changed.emit(self.kind, int(changed_id or 0))


def push(ctx: AppContext, command: ServiceCommand) -> PlannerError | None:
    """Push ``command``; return the service's error if it refused (the stack is then unchanged)."""
    errors: list[PlannerError] = []
    sink = command.on_error

    def collect(exc: PlannerError) -> None:
        errors.append(exc)
        if sink is not None:
            sink(exc)

    command.on_error = collect
    ctx.push(command)
    command_ok = not errors
    if command_ok:
        # Later undo/redo failures (e.g. the plan was approved meanwhile) go to the original sink.
        command.on_error = sink
    return errors[0] if errors else None


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
