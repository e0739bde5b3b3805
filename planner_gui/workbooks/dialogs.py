"""Two dialogs of the monitoring menu: write the units' quarterly update workbooks, and read a
filled one back (preview first, then record).

Both run their work in a planner_gui.worker.Job with the store's URL, which opens its own store on
the worker thread; the dialogs show progress, let the planner cancel, and never touch the store.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QStringListModel, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner_core.store import open_store
from planner_core.text import ltr, to_persian_digits
from planner_core.workbooks import (
    UpdateCancelled,
    UpdateSummary,
    import_update_workbook,
    redo_update_import,
    undo_update_import,
    write_update_workbooks,
)
from planner_gui.commands import ServiceCommand
from planner_gui.common import MessageLabel, push_button
from planner_gui.context import AppContext
from planner_gui.monitoring.common import PeriodBar
from planner_gui.read_only import lock, monitoring_refusal
from planner_gui.worker import CancelledFn, Job, JobCancelled, ProgressFn


def _documents() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())


def _with_store(url: str, work: Callable[..., object]) -> Callable[[ProgressFn, CancelledFn], object]:
    """A job function that opens its own store on the worker thread and always closes it."""

    def run(progress: ProgressFn, cancelled: CancelledFn) -> object:
        db = open_store(url)
        try:
            return work(db, progress, cancelled)
        finally:
            db.dispose()

    return run


class _JobDialog(QDialog):
    """A dialog that runs one job at a time with a progress bar and a cancel button."""

    def __init__(self, ctx: AppContext, title: str, name: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.ctx = ctx
        self.job: Job | None = None
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.cancel_button = push_button("لغو", self.cancel, "cancelJob")
        self.cancel_button.setEnabled(False)
        self.message = MessageLabel()

    def start(self, function: Callable[[ProgressFn, CancelledFn], object], done: Callable[[object], None],
              cancel_exceptions: tuple[type[BaseException], ...] = ()) -> None:
        self.message.clear_message()
        self.job = Job(function, self, cancel_exceptions=cancel_exceptions)
        self.job.progress.connect(self._on_progress)
        self.job.finished.connect(done)
        self.job.failed.connect(self.message.show_error)
        self.job.cancelled.connect(lambda: self.message.show_note("کار لغو شد؛ چیزی ثبت نشد."))
        self.job.done.connect(self._on_done)
        self.progress.setRange(0, 0)  # busy until the first report
        self.cancel_button.setEnabled(True)
        self._set_busy(True)
        self.job.start()

    def _on_progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{to_persian_digits(done)} از {to_persian_digits(total)} {text}".strip())

    def _on_done(self) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.cancel_button.setEnabled(False)
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        raise NotImplementedError

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def running(self) -> bool:
        return self.job is not None and self.job.running


class UpdateWorkbooksDialog(_JobDialog):
    """Choose a folder, year and quarter; one workbook per responsible unit is written there."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "کارپوشه‌های به‌روزرسانی فصلی واحدها", "updateWorkbooksDialog", parent)
        self.paths: list[Path] = []
        self.folder = QLineEdit(_documents())
        self.folder.setObjectName("folderEdit")
        self.folder.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # a path reads left to right
        browse = push_button("انتخاب پوشه…", self._browse, "browseFolder")
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.period = PeriodBar(ctx)
        form = QFormLayout()
        form.addRow("پوشه خروجی:", folder_row)
        form.addRow("دوره:", self.period)
        self.write_button = push_button("ساختن کارپوشه‌ها", self.write, "writeWorkbooks")
        self.files = QStringListModel(self)
        self.list = QListView()
        self.list.setObjectName("writtenList")
        self.list.setModel(self.files)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.write_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.message)
        self.resize(640, 420)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "پوشه کارپوشه‌ها", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def _set_busy(self, busy: bool) -> None:
        self.write_button.setEnabled(not busy)

    def write(self) -> None:
        year, quarter = self.period.year(), self.period.quarter()
        if year is None:
            self.message.show_error("برنامه‌ای باز نیست؛ نخست برنامه‌ای را باز کنید.")
            return
        folder = Path(self.folder.text().strip())
        self.paths = []
        self.files.setStringList([])

        def work(db, progress, cancelled):  # type: ignore[no-untyped-def]
            return write_update_workbooks(db, folder, year, quarter, progress, cancelled)

        self.start(_with_store(self.ctx.db.url, work), self._written, (UpdateCancelled,))

    def _written(self, paths: object) -> None:
        self.paths = list(paths)  # type: ignore[call-overload]
        self.files.setStringList([ltr(p.name) for p in self.paths])
        if self.paths:
            self.message.show_note(f"{to_persian_digits(len(self.paths))} کارپوشه در «{ltr(self.folder.text())}» "
                                   "ساخته شد؛ آن‌ها را برای واحدها بفرستید.")
        else:
            self.message.show_note("هیچ واحد مسئولی در این سال پروژه یا شاخصی ندارد؛ کارپوشه‌ای ساخته نشد.")


class ReadUpdateWorkbookDialog(_JobDialog):
    """Choose a filled update workbook; preview what it adds or changes; then record it."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "خواندن کارپوشه تکمیل‌شده واحد", "readUpdateWorkbookDialog", parent)
        self.summary: UpdateSummary | None = None
        self.path = QLineEdit()
        self.path.setObjectName("workbookEdit")
        self.path.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.path.textChanged.connect(self._forget_preview)
        browse = push_button("انتخاب فایل…", self._browse, "browseWorkbook")
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow("کارپوشه تکمیل‌شده:", row)
        self.preview_button = push_button("پیش‌نمایش", self.preview, "previewWorkbook")
        self.apply_button: QPushButton = push_button("ثبت در برنامه", self.apply, "applyWorkbook")
        self.apply_button.setEnabled(False)
        self.lines = QStringListModel(self)
        self.list = QListView()
        self.list.setObjectName("previewList")
        self.list.setWordWrap(True)
        self.list.setModel(self.lines)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.message)
        self.resize(760, 480)

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, "کارپوشه تکمیل‌شده", _documents(),
                                                      "کارپوشه اکسل (*.xlsx)")
        if chosen:
            self.path.setText(chosen)

    def _forget_preview(self) -> None:
        self.summary = None
        self.lines.setStringList([])
        self.apply_button.setEnabled(False)

    def _set_busy(self, busy: bool) -> None:
        self.preview_button.setEnabled(not busy)
        self.apply_button.setEnabled(not busy and self.summary is not None and bool(self.summary.changes)
                                     and not self.summary.written)
        lock(self.apply_button, monitoring_refusal(self.ctx.db, self.ctx.plan_id))  # a read-only file, say

    def _run(self, dry_run: bool) -> None:
        path = Path(self.path.text().strip())
        if not path.is_file():
            self.message.show_error(f"فایل «{ltr(path)}» پیدا نشد.")
            return

        def work(db, progress, cancelled):  # type: ignore[no-untyped-def]
            progress(0, 1, "خواندن و بررسی کارپوشه")
            if not dry_run and cancelled():
                raise JobCancelled
            summary = import_update_workbook(db, path, dry_run=dry_run)
            progress(1, 1, "")
            return summary

        self.start(_with_store(self.ctx.db.url, work), self._previewed if dry_run else self._applied)

    def preview(self) -> None:
        self._forget_preview()
        self._run(True)

    def apply(self) -> None:
        if self.summary is None or not self.summary.changes:
            return
        self._run(False)

    def _previewed(self, summary: object) -> None:
        assert isinstance(summary, UpdateSummary)
        self.summary = summary
        self.lines.setStringList(summary.lines())
        if not summary.changes:
            self.message.show_note("این کارپوشه چیز تازه‌ای ندارد.")

    def _applied(self, summary: object) -> None:
        assert isinstance(summary, UpdateSummary)
        self.summary = summary
        self.lines.setStringList(summary.lines())
        self.message.show_note(f"ثبت شد: {to_persian_digits(summary.added)} مورد تازه و "
                               f"{to_persian_digits(summary.changed)} تغییر. پیش از ثبت از فایل پشتیبان گرفته شد.")
        # Recorded on the worker; the undo step goes on the stack already applied.
        command = ServiceCommand(self.ctx, f"ثبت کارپوشه واحد «{summary.unit}»", "report",
                                 apply=lambda: _announce(redo_update_import, self.ctx, summary),
                                 revert=lambda: _announce(undo_update_import, self.ctx, summary))
        command._applied_by_execute = True
        self.ctx.push(command)
        self.ctx.changed.emit("indicator", 0)
        self.ctx.changed.emit("report", 0)


def _announce(step: Callable[..., None], ctx: AppContext, summary: UpdateSummary) -> int:
    step(ctx.db, summary)
    ctx.changed.emit("indicator", 0)
    return 0
