"""«کدهای بودجه»: the code catalogue as a tree with one year's ceilings, where each code is used,
and its amendment ledger.  Ceilings are edited in the tree; codes and amendments in dialogs."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QLabel,
    QProgressBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner_core import budget
from planner_core.backups import backup_before
from planner_core.code_workbook import ImportCancelled
from planner_core.errors import PlannerError
from planner_core.excel import read_budget_codes
from planner_core.text import MONEY_UNIT, ltr, to_persian_digits
from planner_gui.budget.commands import (
    AddCodeCommand,
    AmendmentCommand,
    CodeTitleCommand,
    ImportCodesCommand,
    SetCeilingCommand,
)
from planner_gui.budget.data import YearBudget, code_lines
from planner_gui.budget.dialogs import AmendmentDialog, CodeDialog, MoneyDelegate
from planner_gui.budget.models import AmendmentModel, CodeLine, CodeTreeModel, UsageModel
from planner_gui.commands import execute
from planner_gui.common import button_row, make_table, make_tree, push_button, request_node, vertical_split
from planner_gui.context import AppContext
from planner_gui.read_only import lock
from planner_gui.widgets import FieldError
from planner_gui.worker import Job


class CodesTab(QWidget):
    tab_title = "کدهای بودجه"
    message = Signal(str)  # a Persian sentence for the window's message line ('' clears it)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan_id: int | None = None
        self.year: int | None = None
        self.municipality_id: int | None = None  # whose budget: None is the file's own
        self.read_only = False  # a received municipality's budget is reference material, or the file is read-only
        self.read_only_reason: str | None = None  # why, for the greyed buttons' tooltips
        self._budget = YearBudget()
        self.model = CodeTreeModel(self)
        self.model.on_ceiling = self._edit_ceiling
        self.usage_model = UsageModel(self)
        self.amendment_model = AmendmentModel(self)

        self.tree = make_tree(self.model, "codeTree", CodeTreeModel.COL_TITLE)
        self.tree.setItemDelegateForColumn(CodeTreeModel.COL_APPROVED, MoneyDelegate(self.tree))
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.tree.selectionModel().selectionChanged.connect(self._selection_changed)

        self.add_button = push_button("کد تازه…", self.add_code, "addCode")
        self.add_button.setToolTip("کد تازه، زیر کد انتخاب‌شده")
        self.edit_button = push_button("ویرایش عنوان…", self.edit_code, "editCode")
        self.amend_button = push_button("متمم / اصلاحیه…", self.record_amendment, "amendCode")
        self.import_button = push_button("ورود فهرست کدها از اکسل…", self.choose_import_file, "importCodes")
        # A large or hostile workbook is read off the UI thread, with progress and a way out.
        self.import_job: Job | None = None
        self._cancel_lock = threading.Lock()
        self._writing = False
        self.last_import: int | None = None  # codes the last finished import added
        self.import_progress = QProgressBar()
        self.import_progress.setObjectName("importProgress")
        self.import_progress.setTextVisible(True)
        self.cancel_import_button = push_button("لغو ورود", self.cancel_import, "cancelImport")
        buttons = button_row(self.add_button, self.edit_button, self.amend_button, self.import_button,
                             self.import_progress, self.cancel_import_button)
        self._set_importing(False)
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        buttons.addWidget(self.hint)

        self.usage_view = make_table(self.usage_model, stretch=UsageModel.COL_PROJECT, name="usageTable")
        self.usage_view.doubleClicked.connect(lambda index: request_node(self.ctx, index))
        self.amendment_view = make_table(self.amendment_model, name="amendmentTable")
        self.amendment_view.horizontalHeader().setStretchLastSection(True)
        self.detail_title = QLabel()
        self.detail_title.setObjectName("detailTitle")
        self.details = QTabWidget()
        self.details.addTab(self.usage_view, "محل استفاده")
        self.details.addTab(self.amendment_view, "متمم و اصلاحیه‌ها")
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.detail_title)
        lower_layout.addWidget(self.details)

        splitter = vertical_split(self.tree, lower)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(splitter)
        self.error = FieldError(self)
        self.error.setObjectName("codesError")
        layout.addWidget(self.error)
        self.set_owner(None, False)

    # loading ----------------------------------------------------------------------------
    def set_owner(self, municipality_id: int | None, read_only: bool, reason: str | None = None) -> None:
        self.read_only_reason = reason
        """Show this municipality's ceilings and amendments; a received one's cannot be edited."""
        self.municipality_id, self.read_only = municipality_id, read_only
        self.model.on_ceiling = None if read_only else self._edit_ceiling
        self.hint.setText(f"مبالغ به {MONEY_UNIT}؛ " + ("بودجه شهرداری دیگر، فقط برای مطالعه." if read_only else
                                                     "برای تعیین سقف مصوب، روی ستون آن دوبار کلیک کنید."))
        self._update_buttons()

    def refresh(self, plan_id: int | None, year: int | None) -> None:
        self.plan_id, self.year = plan_id, year
        selected = self.selected()
        if year is None:
            self.model.set_lines([])
            return
        lines, self._budget = code_lines(self.ctx.db, plan_id, year, self.municipality_id)
        self.model.set_lines(lines)
        self.tree.expandAll()
        if selected is not None:
            self.select_code(selected.code_id)
        self._selection_changed()

    def selected(self) -> CodeLine | None:
        index = self.tree.currentIndex()
        return self.model.row_at(index) if index.isValid() else None

    def select_code(self, code_id: int) -> None:
        index = self.model.index_of(code_id)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def _selection_changed(self, *_args: QItemSelection) -> None:
        row = self.selected()
        self._update_buttons()
        if row is None:
            self.detail_title.setText("کدی انتخاب نشده است.")
            self.usage_model.set_rows([])
            self.amendment_model.set_rows([])
            return
        self.detail_title.setText(f"کد {to_persian_digits(row.code)} «{row.title}»")
        try:
            self.usage_model.set_rows(budget.code_usage(self.ctx.db, row.code_id))
        except PlannerError as exc:
            self.show_error(exc)
        self.amendment_model.set_rows(self._budget.amendments.get(row.code, []))

    def _update_buttons(self) -> None:
        row = self.selected()
        editable = not self.read_only
        self.add_button.setEnabled(editable)
        self.import_button.setEnabled(editable)
        self.edit_button.setEnabled(editable and row is not None)
        self.amend_button.setEnabled(editable and row is not None and row.approved is not None
                                     and self.year is not None)
        why = (self.read_only_reason or "بودجه شهرداری دیگر، فقط برای مطالعه.") if self.read_only else None
        for button in (self.add_button, self.import_button, self.edit_button, self.amend_button):
            lock(button, why)

    def show_error(self, exc: PlannerError | str) -> None:
        self.error.show_error(str(exc))

    # edits ------------------------------------------------------------------------------
    def _edit_ceiling(self, row: CodeLine, value: object) -> bool:
        self.error.clear_error()
        if self.year is None or self.read_only:
            return False
        command = SetCeilingCommand(self.ctx, self.year, row.code_id, row.code, value, on_error=self.show_error)
        return execute(self.ctx, command, show=self.show_error) is None

    def set_ceiling(self, code_id: int, text: str) -> bool:
        """Type ``text`` into the approved-ceiling cell of a code, as the user would."""
        index = self.model.index_of(code_id, CodeTreeModel.COL_APPROVED)
        return self.model.setData(index, text, Qt.ItemDataRole.EditRole)

    def add_code(self) -> CodeDialog:
        row = self.selected()
        dialog = CodeDialog(budget.list_budget_codes(self.ctx.db), self._submit_code, self,
                            parent_code=row.code if row else None)
        dialog.open()
        return dialog

    def _submit_code(self, values: dict[str, object]) -> PlannerError | None:
        command = AddCodeCommand(self.ctx, str(values["code"]), str(values["title"]),
                                 str(values["parent_code"]) if values["parent_code"] else None,
                                 on_error=self.show_error)
        error = execute(self.ctx, command)
        if error is None and command.info is not None:
            self.message.emit(f"کد بودجه {to_persian_digits(command.info.code)} افزوده شد.")
        return error

    def edit_code(self) -> CodeDialog | None:
        row = self.selected()
        if row is None:
            return None
        info = next((c for c in budget.list_budget_codes(self.ctx.db) if c.id == row.code_id), None)
        if info is None:
            return None

        def submit(values: dict[str, object]) -> PlannerError | None:
            return execute(self.ctx, CodeTitleCommand(self.ctx, row.code_id, row.code, str(values["title"]),
                                                      row.title, on_error=self.show_error))

        dialog = CodeDialog(budget.list_budget_codes(self.ctx.db), submit, self, editing=info)
        dialog.open()
        return dialog

    def record_amendment(self) -> AmendmentDialog | None:
        row, year = self.selected(), self.year
        if row is None or year is None:
            return None

        def submit(values: dict[str, object]) -> PlannerError | None:
            return execute(self.ctx, AmendmentCommand(
                self.ctx, year, row.code_id, row.code, delta=values["delta"], when=values["when"],
                kind=str(values["kind"]), reason=str(values["reason"]), on_error=self.show_error))

        dialog = AmendmentDialog(row.code, row.title, year, submit, self)
        dialog.open()
        return dialog

    def choose_import_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "ورود فهرست کدهای بودجه", "",
                                                    "پرونده اکسل (*.xlsx)")
        if path:
            self.import_codes(Path(path))

    def import_codes(self, path: Path) -> Job:
        """Columns code, title, parent code; existing codes get the new title.  The workbook is
        read and the codes written in the background (progress; cancel while reading), so the
        window never freezes; the finished import is then one undoable command."""
        self.error.clear_error()
        self.last_import = None
        db = self.ctx.db  # the engine is shared; the job opens its own session (one unit of work)
        self._writing = False

        def work(progress: Callable[[int, int, str], None], cancelled: Callable[[], bool]) -> object:
            rows = read_budget_codes(path, progress, cancelled)
            with self._cancel_lock:  # from here on a cancel is refused: the write is whole or nothing
                if cancelled():
                    raise ImportCancelled
                self._writing = True
            progress(0, 0, "نوشتن کدها در پرونده…")
            backup_before(db, "import")  # a verified backup first; if it fails, nothing is imported
            return rows, budget.import_budget_codes(db, rows)

        job = Job(work, self, cancel_exceptions=(ImportCancelled,))
        self.import_job = job
        job.progress.connect(self._import_progress)
        job.finished.connect(lambda result: self._import_rows(path, *result))
        job.failed.connect(self.show_error)
        job.cancelled.connect(lambda: self.message.emit("ورود فهرست کدهای بودجه لغو شد؛ چیزی تغییر نکرد."))
        job.done.connect(lambda: self._set_importing(False))
        self._set_importing(True)
        self.import_progress.setRange(0, 0)  # busy until the first count arrives
        job.start()
        return job

    def cancel_import(self) -> None:
        if self.import_job is None or not self.import_job.running:
            return
        with self._cancel_lock:
            if not self._writing:  # once the codes are being written, the import finishes
                self.import_job.cancel()
        self.cancel_import_button.setEnabled(False)

    def _set_importing(self, running: bool) -> None:
        self.import_button.setEnabled(not running)
        self.import_progress.setVisible(running)
        self.cancel_import_button.setVisible(running)
        self.cancel_import_button.setEnabled(running)

    def _import_progress(self, done: int, total: int, text: str) -> None:
        self.import_progress.setRange(0, max(total, 0))  # 0: busy, while the codes are written
        if total == 0:
            self.cancel_import_button.setEnabled(False)
        self.import_progress.setValue(min(done, total))
        self.import_progress.setFormat(f"\u200f{text}")

    def _import_rows(self, path: Path, rows: list[dict[str, object]], done: budget.CodeImport) -> None:
        command = ImportCodesCommand(self.ctx, rows, path.name, on_error=self.show_error, done=done)
        if execute(self.ctx, command, show=self.show_error) is not None or command.result is None:
            return
        self.last_import = added = len(command.result.added)
        self.message.emit(f"{to_persian_digits(added)} کد بودجه تازه از «{ltr(path.name)}» افزوده شد.")
