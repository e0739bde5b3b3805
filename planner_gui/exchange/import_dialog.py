"""File → Import: pick how the package comes in, see exactly what would change, resolve conflicts, import.

Nothing is written until «وارد کردن»; the preview and the import run off the UI thread
(planner_gui.worker.Job) with a progress bar and a cancel button.  Cancelling rolls the import's
one transaction back.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner_core.exchange.jobs import ImportCancelled, import_previewed, preview_file, preview_rows
from planner_core.exchange.service import ImportPreview
from planner_core.text import ltr, to_persian_digits
from planner_gui.context import AppContext
from planner_gui.exchange.models import ConflictModel, PreviewModel
from planner_gui.worker import Job

MODES = (("add", "افزودن برنامه‌های تازه"), ("as_new", "به‌عنوان برنامه تازه (شناسه‌ها و کد نو)"),
         ("merge", "ادغام با برنامه موجود (بر پایه شناسه)"))
COUNT_LABELS = {"plans": "برنامه", "axis": "محور", "goal": "هدف کلان", "strategy": "راهبرد",
                "program": "برنامه عملیاتی", "project": "پروژه", "activity": "فعالیت", "indicators": "شاخص",
                "allocations": "تخصیص", "changed": "فیلد به‌روزشده"}


def _table(model: PreviewModel | ConflictModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return view


class ImportDialog(QDialog):
    def __init__(self, ctx: AppContext, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("ورود بسته تبادل")
        self.ctx = ctx
        self.path = path
        self.preview: ImportPreview | None = None
        self.job: Job | None = None
        self.result: dict[str, int] | None = None

        self.file_label = QLabel(f"{'کارپوشه' if path.suffix.lower() == '.xlsx' else 'بسته'}: {ltr(path)}")
        self.file_label.setObjectName("importFile")
        self.mode_buttons = QButtonGroup(self)
        modes = QHBoxLayout()
        for number, (mode, text) in enumerate(MODES):
            button = QRadioButton(text)
            button.setObjectName(f"mode_{mode}")
            button.setProperty("mode", mode)
            self.mode_buttons.addButton(button, number)
            modes.addWidget(button)
        modes.addStretch(1)
        self.mode_buttons.button(0).setChecked(True)
        self.mode_buttons.idClicked.connect(lambda _id: self.start_preview())

        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.preview_model = PreviewModel(self)
        self.conflict_model = ConflictModel(self)
        self.conflict_model.dataChanged.connect(lambda *_: self._update_buttons())
        self.preview_view = _table(self.preview_model, "previewTable")
        self.conflict_view = _table(self.conflict_model, "conflictTable")
        conflicts = QWidget()
        conflict_layout = QVBoxLayout(conflicts)
        conflict_layout.addWidget(QLabel("هر دو طرف این فیلدها را پس از آخرین تبادل تغییر داده‌اند؛ برای هر فیلد "
                                         "مقداری را که باید بماند تیک بزنید."))
        conflict_layout.addWidget(self.conflict_view)
        all_row = QHBoxLayout()
        self.all_ours = QPushButton("همه: مقدار این فایل")
        self.all_theirs = QPushButton("همه: مقدار بسته")
        self.all_ours.clicked.connect(lambda: self.choose_all("ours"))
        self.all_theirs.clicked.connect(lambda: self.choose_all("theirs"))
        all_row.addWidget(self.all_ours)
        all_row.addWidget(self.all_theirs)
        all_row.addStretch(1)
        conflict_layout.addLayout(all_row)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.preview_view, "پیش‌نمایش تغییرات")
        self.tabs.addTab(conflicts, "ناسازگاری‌ها")

        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.note = QLabel()
        self.note.setObjectName("importNote")
        self.note.setWordWrap(True)
        self.import_button = QPushButton("وارد کردن")
        self.import_button.setObjectName("importButton")
        self.cancel_button = QPushButton("لغو")
        self.cancel_button.setObjectName("cancelImport")
        self.close_button = QPushButton("بستن")
        self.import_button.clicked.connect(self.run_import)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addLayout(modes)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        self.resize(1000, 620)
        self._update_buttons()

    # --- preview --------------------------------------------------------------------------
    def mode(self) -> str:
        return str(self.mode_buttons.checkedButton().property("mode"))

    def set_mode(self, mode: str) -> Job | None:
        for button in self.mode_buttons.buttons():
            if button.property("mode") == mode:
                button.setChecked(True)
        return self.start_preview()

    def start_preview(self) -> Job | None:
        if self.job is not None and self.job.running:
            return None
        self.preview = None
        self.preview_model.set_rows([])
        self.conflict_model.set_conflicts([])
        url, path, mode = self.ctx.db.url, self.path, self.mode()
        self.job = Job(lambda _progress, _cancelled: preview_file(url, path, mode), self)  # type: ignore[arg-type]
        self.job.finished.connect(self._on_preview)
        self.job.failed.connect(self._on_failed)
        self.job.cancelled.connect(self._on_cancelled)
        self.job.start()  # running from here on: the cancel button follows it
        self._busy("در حال خواندن و بررسی بسته…")
        return self.job

    def _on_preview(self, preview: ImportPreview) -> None:
        self.preview = preview
        rows = preview_rows(preview)
        self.preview_model.set_rows(rows)
        self.conflict_model.set_conflicts(rows)
        self.preview_view.resizeColumnsToContents()
        self.conflict_view.resizeColumnsToContents()
        diff = preview.diff
        fa = to_persian_digits
        self.summary.setText(
            f"از «{preview.source_name or '—'}»: {'، '.join(preview.plan_titles) or 'بدون برنامه'} — "
            f"{fa(len(diff.added))} مورد افزوده، {fa(len(diff.changed))} فیلد تغییر، {fa(len(diff.kept))} فیلد و "
            f"{fa(diff.local_only)} مورد این فایل دست‌نخورده، {fa(len(diff.conflicts))} ناسازگاری.")
        self.tabs.setTabText(1, f"ناسازگاری‌ها ({fa(len(diff.conflicts))})")
        if diff.conflicts:
            self.tabs.setCurrentIndex(1)
        self._idle("پیش‌نمایش آماده است؛ تا «وارد کردن» را نزنید چیزی نوشته نمی‌شود.")

    def choose_all(self, side: str) -> None:
        for number in range(self.conflict_model.rowCount()):
            self.conflict_model.choose(number, side)

    # --- import ---------------------------------------------------------------------------
    def run_import(self) -> Job | None:
        preview = self.preview
        if preview is None or (self.job is not None and self.job.running) or self.conflict_model.unresolved():
            return None
        url, choices = self.ctx.db.url, dict(self.conflict_model.choices)
        self.job = Job(lambda progress, cancelled: import_previewed(url, preview, choices,  # type: ignore[arg-type]
                                                                    progress, cancelled),
                       self, cancel_exceptions=(ImportCancelled,))
        self.job.progress.connect(self._on_progress)
        self.job.finished.connect(self._on_imported)
        self.job.failed.connect(self._on_failed)
        self.job.cancelled.connect(self._on_cancelled)
        self.job.start()  # running from here on: the cancel button follows it
        self._busy("در حال وارد کردن…")
        return self.job

    def cancel(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.note.setText("در حال لغو…")

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
            self.progress.setFormat(f"\u200f{to_persian_digits(done)} از {to_persian_digits(total)}")
        if text:
            self.note.setText(text)

    def _on_imported(self, counts: dict[str, int]) -> None:
        self.result = counts
        self.preview = None
        self._idle("بسته وارد شد: " + "، ".join(f"{to_persian_digits(v)} {COUNT_LABELS[k]}"
                                                 for k, v in counts.items() if v and k in COUNT_LABELS))
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.ctx.changed.emit("plan", 0)
        current = self.ctx.plan_id
        self.ctx.set_plan(None)  # the tree and forms read the file again
        from planner_core.plans import list_plans

        available = [p.id for p in list_plans(self.ctx.db)]
        self.ctx.set_plan(current if current in available else (available[-1] if available else None))

    def _on_failed(self, message: str) -> None:
        self._idle("")
        self.note.setText(f"چیزی وارد نشد: {message}")
        self.note.setStyleSheet("color: #b00020")

    def _on_cancelled(self) -> None:
        self._idle("ورود لغو شد؛ چیزی در فایل نوشته نشد.")

    def _busy(self, text: str) -> None:
        self.note.setStyleSheet("")
        self.note.setText(text)
        self.progress.setRange(0, 0)
        self._update_buttons()

    def _idle(self, text: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        if text:
            self.note.setStyleSheet("")
            self.note.setText(text)
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self.job is not None and self.job.running
        unresolved = self.conflict_model.unresolved()
        self.import_button.setEnabled(self.preview is not None and not running and not unresolved)
        self.import_button.setToolTip(f"{to_persian_digits(unresolved)} ناسازگاری بی‌پاسخ مانده است."
                                      if unresolved else "")
        self.cancel_button.setEnabled(running)
        for button in self.mode_buttons.buttons():
            button.setEnabled(not running and self.result is None)

    def reject(self) -> None:
        if self.job is not None and self.job.running:
            self.cancel()
        super().reject()
