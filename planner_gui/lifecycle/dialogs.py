"""Dialogs of the workflow: readiness (and submit), return with comments, approval, roll-forward."""

from __future__ import annotations

import threading

from PySide6.QtCore import QModelIndex, QStringListModel, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner_core.errors import PlannerError
from planner_core.lifecycle import workflow
from planner_core.lifecycle.readiness import check_readiness
from planner_core.lifecycle.rollforward import RollForwardCancelled, roll_forward
from planner_core.text import to_persian_digits
from planner_gui.common import ID_ROLE
from planner_gui.context import AppContext
from planner_gui.lifecycle.models import FindingsModel
from planner_gui.widgets import JalaliDateEdit
from planner_gui.worker import Job

ERROR_STYLE = "color: #B42318;"


class _Dialog(QDialog):
    def __init__(self, ctx: AppContext, plan_id: int, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.plan_id = ctx, plan_id
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.layout_ = QVBoxLayout(self)
        self.message = QLabel()
        self.message.setObjectName("lifecycleMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)

    def fail(self, error: PlannerError) -> None:
        self.message.setText(str(error))

    def done_step(self) -> None:
        self.ctx.changed.emit("plan", self.plan_id)
        self.accept()


class ReadinessDialog(_Dialog):
    """The readiness findings, each linked to its node; submits the plan (warnings accepted with a note)."""

    def __init__(self, ctx: AppContext, plan_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, plan_id, "آمادگی برنامه برای ارسال", parent)
        self.setObjectName("readinessDialog")
        self.resize(900, 560)
        self.summary = QLabel()
        self.summary.setObjectName("readinessSummary")
        self.model = FindingsModel(self)
        self.view = QTableView()
        self.view.setObjectName("readinessView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(True)
        self.view.doubleClicked.connect(self.go_to)
        self.note = QPlainTextEdit()
        self.note.setObjectName("submitNote")
        self.note.setPlaceholderText("یادداشت پذیرش هشدارها (برای ارسال با هشدار لازم است)")
        self.note.setMaximumHeight(70)
        self.submit_button = QPushButton("ارسال برای بررسی")
        self.submit_button.setObjectName("submitButton")
        self.submit_button.clicked.connect(self.submit)
        close = QPushButton("بستن")
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.submit_button)
        row.addStretch(1)
        row.addWidget(close)
        for widget in (self.summary, self.view, self.note, self.message):
            self.layout_.addWidget(widget)
        self.layout_.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        findings = check_readiness(self.ctx.db, self.plan_id)
        self.model.set_rows(findings)
        self.view.resizeRowsToContents()
        errors = sum(f.severity == "error" for f in findings)
        warnings = len(findings) - errors
        self.summary.setText(f"{to_persian_digits(errors)} خطا (مانع ارسال) و {to_persian_digits(warnings)} هشدار"
                             if findings else "برنامه آماده ارسال است؛ یافته‌ای نیست.")
        self.submit_button.setEnabled(errors == 0)
        self.submit_button.setToolTip("" if errors == 0 else "نخست خطاهای آمادگی را برطرف کنید.")

    def go_to(self, index: QModelIndex) -> None:
        node_id = index.data(ID_ROLE)
        if node_id:
            self.ctx.node_requested.emit(int(node_id))

    def submit(self) -> bool:
        try:
            workflow.submit(self.ctx.db, self.plan_id, note=self.note.toPlainText())
        except PlannerError as error:
            self.fail(error)
            return False
        self.done_step()
        return True


class ReturnDialog(_Dialog):
    """Send a submitted revision back to draft, with a comment on the selected node."""

    def __init__(self, ctx: AppContext, plan_id: int, node_id: int | None, node_label: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, plan_id, "بازگرداندن برای اصلاح", parent)
        self.setObjectName("returnDialog")
        self.node_id = node_id
        form = QFormLayout()
        self.note = QPlainTextEdit()
        self.note.setObjectName("returnNote")
        self.note.setMaximumHeight(80)
        self.comment = QPlainTextEdit()
        self.comment.setObjectName("returnComment")
        self.comment.setMaximumHeight(80)
        form.addRow("یادداشت بازبین", self.note)
        form.addRow(f"نظر روی {node_label}" if node_id else "نظر روی کل برنامه", self.comment)
        self.layout_.addLayout(form)
        self.layout_.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("بازگرداندن")
        buttons.accepted.connect(self.send)
        buttons.rejected.connect(self.reject)
        self.layout_.addWidget(buttons)

    def send(self) -> bool:
        comment = self.comment.toPlainText().strip()
        try:
            workflow.return_for_revision(self.ctx.db, self.plan_id, note=self.note.toPlainText(),
                                         comments=[(self.node_id, comment)] if comment else [])
        except PlannerError as error:
            self.fail(error)
            return False
        self.done_step()
        return True


class ApprovalDialog(_Dialog):
    """The council's approval: resolution number and date, the signatories (one per line: name — role)."""

    def __init__(self, ctx: AppContext, plan_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, plan_id, "ثبت تصویب شورا", parent)
        self.setObjectName("approvalDialog")
        self.resize(560, 380)
        form = QFormLayout()
        self.number = QLineEdit()
        self.number.setObjectName("resolutionNo")
        self.number.textChanged.connect(lambda _t: self.message.clear())
        self.date = JalaliDateEdit(optional=False)
        self.date.setObjectName("resolutionDate")
        self.signatories = QPlainTextEdit()
        self.signatories.setObjectName("signatories")
        self.signatories.setPlaceholderText("هر امضاکننده در یک سطر: نام — سمت")
        self.note = QLineEdit()
        self.note.setObjectName("approvalNote")
        form.addRow("شماره مصوبه شورا", self.number)
        form.addRow("تاریخ مصوبه", self.date)
        form.addRow("امضاکنندگان", self.signatories)
        form.addRow("یادداشت", self.note)
        self.layout_.addWidget(QLabel("با ثبت تصویب، محتوای این ویرایش فقط‌خواندنی می‌شود و اثر انگشت آن ثبت می‌شود."))
        self.layout_.addLayout(form)
        self.layout_.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("ثبت تصویب")
        buttons.accepted.connect(self.approve)
        buttons.rejected.connect(self.reject)
        self.layout_.addWidget(buttons)

    def people(self) -> list[tuple[str, str]]:
        out = []
        for line in self.signatories.toPlainText().splitlines():
            for sep in ("—", " - ", ":", "،"):
                if sep in line:
                    name, role = line.split(sep, 1)
                    break
            else:
                name, role = line, ""
            if name.strip():
                out.append((name.strip(), role.strip()))
        return out

    def approve(self) -> bool:
        try:
            workflow.approve(self.ctx.db, self.plan_id, resolution_no=self.number.text(),
                             resolution_date=self.date.date_value(), signatories=self.people(),
                             note=self.note.text())
        except PlannerError as error:
            self.fail(error)
            return False
        self.done_step()
        return True


class RollForwardDialog(_Dialog):
    """Roll the programs forward: the years, a preview of what will be made, then apply.

    Both the preview (which does the work and rolls it back) and the apply run in a worker
    (planner_gui.worker.Job) with a progress bar and a cancel button; a cancelled apply writes
    nothing.  Once the service reports its last step the write is under way and cancel is refused,
    so «لغو شد» is never said of a roll-forward that was in fact saved.
    """

    def __init__(self, ctx: AppContext, plan_id: int, plan_ref: str, years: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, plan_id, "پیش‌برد برنامه‌های عملیاتی", parent)
        self.setObjectName("rollForwardDialog")
        self.resize(820, 520)
        self.plan_ref = plan_ref
        self.result_plan_id: int | None = None
        self.job: Job | None = None
        self._cancel_lock = threading.Lock()
        self._committing = False
        row = QHBoxLayout()
        self.years = QLineEdit(years)
        self.years.setObjectName("rollYears")
        self.preview_button = QPushButton("پیش‌نمایش")
        self.preview_button.setObjectName("rollPreview")
        self.preview_button.clicked.connect(self.preview)
        self.apply_button = QPushButton("ساختن")
        self.apply_button.setObjectName("rollApply")
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        self.cancel_button = QPushButton("لغو")
        self.cancel_button.setObjectName("rollCancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        row.addWidget(QLabel("سال‌های برنامه تازه"))
        row.addWidget(self.years)
        row.addWidget(self.preview_button)
        row.addWidget(self.apply_button)
        row.addWidget(self.cancel_button)
        self.progress = QProgressBar()
        self.progress.setObjectName("rollProgress")
        self.progress.hide()
        self.summary = QLabel()
        self.lines = QStringListModel(self)
        self.list = QListView()
        self.list.setObjectName("rollLines")
        self.list.setModel(self.lines)
        self.list.setWordWrap(True)
        self.layout_.addLayout(row)
        self.layout_.addWidget(self.progress)
        self.layout_.addWidget(self.summary)
        self.layout_.addWidget(self.list)
        self.layout_.addWidget(self.message)
        self.years.textChanged.connect(lambda _t: self.apply_button.setEnabled(False))

    def _show(self, result, head: str) -> None:  # type: ignore[no-untyped-def]
        fa = to_persian_digits
        self.summary.setText(f"{head}: {fa(result.programs)} برنامه عملیاتی، {fa(result.carried)} پروژه منتقل‌شده، "
                             f"{fa(result.left_behind)} پروژه پایان‌یافته بر جا می‌ماند.")
        self.lines.setStringList(result.lines)

    def preview(self) -> Job | None:
        """Start the preview in the worker; the list fills when it finishes."""
        return self._start(preview=True)

    def apply(self) -> Job | None:
        """Start making the programs in the worker (a backup is taken first by the service)."""
        return self._start(preview=False)

    def _start(self, *, preview: bool) -> Job | None:
        if self.job is not None and self.job.running:
            return None
        self.message.clear()
        db, ref, years = self.ctx.db, self.plan_ref, self.years.text()
        self._committing = False

        def work(progress, cancelled):  # type: ignore[no-untyped-def]
            def report(done: int, total: int, text: str) -> None:
                if total and done >= total:
                    with self._cancel_lock:  # from here on the write goes through: cancel is refused
                        self._committing = True
                progress(done, total, text)

            return roll_forward(db, ref, years, preview=preview, progress=report, cancelled=cancelled)

        job = Job(work, self, cancel_exceptions=(RollForwardCancelled,))
        self.job = job
        job.progress.connect(self._on_progress)
        job.finished.connect(lambda result: self._previewed(result) if preview else self._applied(result))
        job.failed.connect(self.message.setText)
        job.cancelled.connect(lambda: self.message.setText(
            "پیش‌نمایش لغو شد." if preview else "پیش‌برد لغو شد؛ چیزی در پرونده نوشته نشد."))
        job.done.connect(self._idle)
        self.preview_button.setEnabled(False)
        self.apply_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.summary.setText("در حال پیش‌نمایش…" if preview else "در حال ساختن برنامه‌ها…")
        job.start()
        return job

    def cancel(self) -> bool:
        """Ask the running job to stop; refused once the service has started writing."""
        if self.job is None or not self.job.running:
            return False
        with self._cancel_lock:
            if self._committing:
                self.message.setText("ثبت در پرونده آغاز شده است و دیگر لغو نمی‌شود.")
                return False
            self.job.cancel()
        self.cancel_button.setEnabled(False)
        self.summary.setText("در حال لغو…")
        return True

    def _on_progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(total, 0))
        self.progress.setValue(min(done, total))
        self.progress.setFormat(f"\u200f{text}")

    def _idle(self) -> None:
        self.preview_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.hide()
        if self.summary.text() in ("در حال پیش‌نمایش…", "در حال ساختن برنامه‌ها…", "در حال لغو…"):
            self.summary.clear()

    def _previewed(self, result) -> None:  # type: ignore[no-untyped-def]
        self._show(result, "پیش‌نمایش")
        self.apply_button.setEnabled(result.programs > 0)

    def _applied(self, result) -> None:  # type: ignore[no-untyped-def]
        self._show(result, "ساخته شد")
        self.result_plan_id = result.plan_id
        self.ctx.changed.emit("plan", result.plan_id)
        if result.plan_id != self.plan_id:
            self.ctx.set_plan(result.plan_id)
        else:
            self.ctx.changed.emit("tree", 0)
        self.apply_button.setEnabled(False)

    def reject(self) -> None:
        self.cancel()  # closing the dialog does not leave a roll-forward running behind it
        super().reject()
