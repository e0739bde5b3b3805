"""File → Export: a plan (or one subtree) as a package, or a template without budgets and actuals."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner_core import plans
from planner_core.exchange.jobs import export_file
from planner_core.exchange.package import ExportCancelled
from planner_core.exchange.service import ExportResult
from planner_core.text import ltr, normalize_code, to_persian_digits
from planner_gui.context import AppContext
from planner_gui.worker import Job


class ExportDialog(QDialog):
    def __init__(self, ctx: AppContext, subtree: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("صدور بسته تبادل")
        self.ctx = ctx
        self.job: Job | None = None
        self.result: ExportResult | None = None
        self.plan_combo = QComboBox()
        for plan in plans.list_plans(ctx.db):
            self.plan_combo.addItem(f"{plan.title} ({plan.period_label})", plan.code)
        index = next((i for i, p in enumerate(plans.list_plans(ctx.db)) if p.id == ctx.plan_id), 0)
        self.plan_combo.setCurrentIndex(index)
        self.subtree = QLineEdit(to_persian_digits(subtree))
        self.subtree.setPlaceholderText("خالی: همه برنامه؛ یا کد کامل یک گره مانند ۲-۱")
        self.template = QCheckBox("الگو: فقط ساختار، تعریف شاخص‌ها و درس‌آموخته‌ها (بی‌بودجه، بی‌مبلغ، بی‌مقدار واقعی)")
        self.template.setObjectName("templateCheck")
        self.output = QLineEdit()
        self.output.setObjectName("exportOutput")
        browse = QPushButton("انتخاب…")
        browse.clicked.connect(self.choose_output)
        out_row = QHBoxLayout()
        out_row.addWidget(self.output, 1)
        out_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("برنامه:", self.plan_combo)
        form.addRow("فقط این شاخه:", self.subtree)
        form.addRow("", self.template)
        form.addRow("پرونده بسته (‎.bnp‎) یا کارپوشه (‎.xlsx‎):", out_row)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.note = QLabel()
        self.note.setObjectName("exportNote")
        self.note.setWordWrap(True)
        self.export_button = QPushButton("صدور")
        self.export_button.setObjectName("exportButton")
        self.export_button.clicked.connect(self.run_export)
        self.cancel_button = QPushButton("لغو")
        self.cancel_button.setObjectName("exportCancelButton")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_export)
        close = QPushButton("بستن")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        self.resize(640, 260)

    def choose_output(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "صدور بسته تبادل", str(Path.home() / "plan.bnp"),
                                              "بسته برنامه‌نگار (*.bnp);;کارپوشه اکسل برنامه (*.xlsx)")
        if name:
            self.output.setText(name if name.lower().endswith((".bnp", ".xlsx")) else name + ".bnp")

    def run_export(self) -> Job | None:
        text = self.output.text().strip()
        if not text:
            self.note.setText("پرونده بسته را انتخاب کنید.")
            return None
        target = Path(text)
        if target.suffix.lower() not in (".bnp", ".xlsx"):
            target = target.with_name(target.name + ".bnp")
        url, code = self.ctx.db.url, str(self.plan_combo.currentData())
        subtree = normalize_code(self.subtree.text()) or None
        template = self.template.isChecked()
        if target.suffix.lower() == ".xlsx" and (subtree or template):
            self.note.setText("شاخه و الگو فقط در بسته ‎.bnp‎ صادر می‌شوند؛ کارپوشه اکسل همه برنامه را دارد.")
            return None
        self.result = None
        self.job = Job(lambda progress, cancelled: export_file(url, target, code, subtree, template, progress,
                                                               cancelled), self, cancel_exceptions=(ExportCancelled,))
        self.job.progress.connect(self._on_progress)
        self.job.finished.connect(self._on_done)
        self.job.failed.connect(lambda message: self._finish(f"بسته ساخته نشد: {message}"))
        self.job.cancelled.connect(lambda: self._finish("صدور لغو شد؛ پرونده‌ای نوشته نشد."))
        self.export_button.setEnabled(False)
        self.cancel_button.setEnabled(True)  # live while the job runs
        self.progress.setRange(0, 0)
        self.note.setText("در حال صدور…")
        self.job.start()
        return self.job

    def cancel_export(self) -> None:
        if self.job is not None and self.job.running:
            self.cancel_button.setEnabled(False)
            self.note.setText("در حال لغو…")
            self.job.cancel()

    def reject(self) -> None:
        self.cancel_export()  # closing the dialog does not leave an export running behind it
        super().reject()

    def _on_progress(self, done: int, total: int, _text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _on_done(self, result: ExportResult) -> None:
        self.result = result
        if result.path.suffix.lower() == ".xlsx":
            self._finish(f"کارپوشه برنامه در «{ltr(result.path)}» نوشته شد.")
            return
        kind = "الگوی" if result.template else "بسته"
        self._finish(f"{kind} {to_persian_digits(result.plans)} برنامه با {to_persian_digits(result.nodes)} گره در "
                     f"«{ltr(result.path)}» نوشته شد.")

    def _finish(self, text: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if self.result else 0)
        self.note.setText(text)
        self.export_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
