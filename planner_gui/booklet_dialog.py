"""«خروجی دفترچه برنامه (PDF)»: choose what goes in the booklet, then build it in the background.

The export runs as ``planner_core.booklet_job.export_booklet`` on a worker thread, with the
store's path and plain options: it opens its own store there.  The dialog only shows
progress, lets the planner cancel, and opens the finished PDF.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from planner_core import nodes, orgunits, plans
from planner_core.booklet import (
    KIND_LABELS,
    KINDS,
    ApprovalsInfo,
    BookletCancelled,
    BookletOptions,
    BookletResult,
    Signatory,
)
from planner_core.booklet_job import export_booklet
from planner_core.errors import PlannerError
from planner_core.levels import LABELS
from planner_core.plans import PlanInfo
from planner_core.text import format_int, ltr, to_persian_digits
from planner_gui.context import AppContext
from planner_gui.extensions import WINDOW_ACTIONS, WindowAction
from planner_gui.widgets import ERROR_COLOR, JalaliDateEdit
from planner_gui.worker import Job

NO_OPEN_ENV = "BARNAMENEGAR_NO_OPEN"
SCOPE_PLAN, SCOPE_NODE, SCOPE_UNIT, SCOPE_YEAR = range(4)
SCOPE_KINDS = ("axis", "goal", "strategy", "program")  # what a booklet section can be cut at


def default_output(plan_code: str) -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in plan_code) or "plan"
    return Path(folder) / f"booklet-{safe}.pdf"


def _browse_row(edit: QLineEdit, button: QPushButton) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(edit, 1)
    row.addWidget(button)
    return box


def _pair(first: QWidget, second: QWidget) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(first, 2)
    row.addWidget(second, 1)
    return box


class BookletDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bookletDialog")
        self.setWindowTitle("خروجی دفترچه برنامه (PDF)")
        self.setMinimumWidth(640)
        self.ctx = ctx
        self.job: Job | None = None
        self.result_info: BookletResult | None = None
        self.plan: PlanInfo | None = None
        try:
            self.plan = plans.get_plan(ctx.db, ctx.plan_id) if ctx.plan_id else None
        except PlannerError:
            self.plan = None

        self.plan_label = QLabel(f"{self.plan.title} ({to_persian_digits(self.plan.code)})" if self.plan
                                 else "برنامه‌ای باز نیست.")
        # scope ----------------------------------------------------------------------------
        self.scope_group = QButtonGroup(self)
        self.scope_buttons = [QRadioButton(text) for text in
                              ("کل برنامه", "یک محور، هدف، راهبرد یا برنامه عملیاتی", "یک واحد مسئول",
                               "یک سال مالی")]
        for number, button in enumerate(self.scope_buttons):
            self.scope_group.addButton(button, number)
        self.scope_buttons[SCOPE_PLAN].setChecked(True)
        self.node_combo = QComboBox()
        self.node_combo.setObjectName("bookletNodeCombo")
        self.unit_combo = QComboBox()
        self.year_combo = QComboBox()
        self._fill_scopes()
        scope_box = QGroupBox("دامنه دفترچه")
        grid = QGridLayout(scope_box)
        grid.addWidget(self.scope_buttons[SCOPE_PLAN], 0, 0)
        for row, (button, combo) in enumerate(zip(self.scope_buttons[1:], (self.node_combo, self.unit_combo,
                                                                          self.year_combo), strict=True), 1):
            grid.addWidget(button, row, 0)
            grid.addWidget(combo, row, 1)
        grid.setColumnStretch(1, 1)
        self.scope_group.idToggled.connect(lambda *_: self._update_scope())

        # edition ----------------------------------------------------------------------------
        self.edition_date = JalaliDateEdit(optional=False)
        self.prepared_by = QLineEdit()
        self.reviewed_by = QLineEdit()
        self.approved_by = QLineEdit()
        self.logo = QLineEdit()
        self.logo.setPlaceholderText("اختیاری: تصویر PNG یا JPG")
        self.logo_button = QPushButton("انتخاب…")
        self.logo_button.clicked.connect(self.choose_logo)
        # approvals: until the plan's approval record exists, typed here (ApprovalsInfo)
        self.prepared_position = QLineEdit()
        self.prepared_position.setPlaceholderText("سمت")
        self.reviewed_position = QLineEdit()
        self.reviewed_position.setPlaceholderText("سمت")
        self.approved_position = QLineEdit()
        self.approved_position.setPlaceholderText("سمت")
        self.resolution_number = QLineEdit()
        self.resolution_number.setObjectName("bookletResolutionNumber")
        self.resolution_date = JalaliDateEdit(optional=True)
        self.approving_body = QLineEdit()
        self.approving_body.setPlaceholderText("مثلاً شورای اسلامی شهر")
        # kind and print options
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("bookletKind")
        for kind in KINDS:
            self.kind_combo.addItem(KIND_LABELS[kind], kind)
        self.kind_combo.currentIndexChanged.connect(lambda *_: self._update_kind())
        self.paper_combo = QComboBox()
        self.paper_combo.addItem("A4 افقی", "A4")
        self.paper_combo.addItem("A3 افقی", "A3")
        self.pdfa_check = QCheckBox("نسخه بایگانی (استاندارد PDF/A-2b)")
        self.pdfa_check.setObjectName("bookletPdfa")
        self.crop_check = QCheckBox("علائم برش و ۳ میلی‌متر لبه اضافه روی جلد، برای چاپخانه")
        self.crop_check.setObjectName("bookletCropMarks")
        self.output = QLineEdit(str(default_output(self.plan.code)) if self.plan else "")
        self.output.setObjectName("bookletOutput")
        self.output_button = QPushButton("انتخاب…")
        self.output_button.clicked.connect(self.choose_output)
        form = QFormLayout()
        form.addRow("برنامه:", self.plan_label)
        form.addRow("نوع سند:", _pair(self.kind_combo, self.paper_combo))
        form.addRow("تاریخ ویرایش:", self.edition_date)
        form.addRow("تهیه‌کننده:", _pair(self.prepared_by, self.prepared_position))
        form.addRow("بازبین:", _pair(self.reviewed_by, self.reviewed_position))
        form.addRow("تصویب‌کننده:", _pair(self.approved_by, self.approved_position))
        form.addRow("شماره و تاریخ مصوبه:", _pair(self.resolution_number, self.resolution_date))
        form.addRow("مرجع تصویب:", self.approving_body)
        form.addRow("نشان (لوگو):", _browse_row(self.logo, self.logo_button))
        form.addRow("پرونده خروجی:", _browse_row(self.output, self.output_button))
        form.addRow("", self.pdfa_check)
        form.addRow("", self.crop_check)

        # running ----------------------------------------------------------------------------
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.status = QLabel()
        self.status.setObjectName("bookletStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.build_button = QPushButton("ساخت دفترچه")
        self.build_button.setDefault(True)
        self.build_button.clicked.connect(lambda: self.build())
        # Before saving: the booklet built into a temporary file and shown inside the app (planner_gui.booklet_preview).
        self.preview_button = QPushButton("پیش‌نمایش و چاپ…")
        self.preview_button.setObjectName("bookletPreviewButton")
        self.preview_button.setToolTip("دفترچه را پیش از ذخیره در خود برنامه ببینید و از همان‌جا ذخیره یا چاپ کنید.")
        self.preview_button.clicked.connect(lambda: self.build(preview=True))
        self.preview: QWidget | None = None
        self.cancel_button = QPushButton("لغو")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton("بستن")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.build_button)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(scope_box)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._set_tab_order()
        self._update_scope()
        self._update_kind()
        self.build_button.setEnabled(self.plan is not None)
        self.preview_button.setEnabled(self.plan is not None)

    def _set_tab_order(self) -> None:
        """Tab walks the rows top to bottom (in each row the right-hand field first), the scope choices
        each followed by its list, then the buttons; a date is one stop."""
        chain = [self.kind_combo, self.paper_combo, self.edition_date, self.prepared_by, self.prepared_position,
                 self.reviewed_by, self.reviewed_position, self.approved_by, self.approved_position,
                 self.resolution_number, self.resolution_date, self.approving_body, self.logo, self.logo_button,
                 self.output, self.output_button, self.pdfa_check, self.crop_check, self.scope_buttons[SCOPE_PLAN]]
        for button, combo in zip(self.scope_buttons[1:], (self.node_combo, self.unit_combo, self.year_combo),
                                 strict=True):
            chain += [button, combo]
        chain += [self.build_button, self.preview_button, self.cancel_button, self.close_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # options ------------------------------------------------------------------------------
    def _fill_scopes(self) -> None:
        if self.plan is None:
            return
        try:
            self._add_nodes(None, 0)
            for unit in orgunits.list_org_units(self.ctx.db):
                self.unit_combo.addItem(f"{unit.name} ({unit.kind_label})", unit.code)
        except PlannerError as exc:
            self.show_error(str(exc))
        for year in range(self.plan.first_year, self.plan.last_year + 1):
            self.year_combo.addItem(to_persian_digits(year), year)

    def _add_nodes(self, parent_id: int | None, depth: int) -> None:
        assert self.plan is not None
        for node in nodes.children(self.ctx.db, self.plan.id, parent_id):
            if node.kind not in SCOPE_KINDS:
                continue
            indent = "    " * depth
            self.node_combo.addItem(f"{indent}{to_persian_digits(node.full_code)}. {LABELS[node.kind]}: {node.title}",
                                    node.full_code)
            if node.kind != "program":
                self._add_nodes(node.id, depth + 1)

    def _update_kind(self) -> None:
        album = self.kind_combo.currentData() == "budget-album"
        self.paper_combo.setEnabled(album)
        if album:  # an album is one fiscal year
            self.set_scope(SCOPE_YEAR)
        for button in self.scope_buttons[:SCOPE_YEAR]:
            button.setEnabled(not album)

    def _update_scope(self) -> None:
        scope = self.scope_group.checkedId()
        for number, button in enumerate(self.scope_buttons):  # the choice is one Tab stop: the checked one
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus if number == scope else Qt.FocusPolicy.ClickFocus)
        self.node_combo.setEnabled(scope == SCOPE_NODE)
        self.unit_combo.setEnabled(scope == SCOPE_UNIT)
        self.year_combo.setEnabled(scope == SCOPE_YEAR)

    def set_scope(self, scope: int, value: object = None) -> None:
        self.scope_buttons[scope].setChecked(True)
        combo = {SCOPE_NODE: self.node_combo, SCOPE_UNIT: self.unit_combo, SCOPE_YEAR: self.year_combo}.get(scope)
        if combo is not None and value is not None:
            combo.setCurrentIndex(combo.findData(value))

    def options(self) -> BookletOptions:
        assert self.plan is not None
        scope = self.scope_group.checkedId()
        logo = self.logo.text().strip()
        people = [Signatory(role, name.text(), position.text()) for role, name, position in (
            ("تهیه‌کننده", self.prepared_by, self.prepared_position),
            ("بررسی‌کننده", self.reviewed_by, self.reviewed_position),
            ("تصویب‌کننده", self.approved_by, self.approved_position))]
        approvals = ApprovalsInfo(resolution_number=self.resolution_number.text(),
                                  resolution_date=self.resolution_date.date_value(),
                                  approved_by_body=self.approving_body.text(), signatories=people)
        kind = self.kind_combo.currentData()
        return BookletOptions(
            plan_code=self.plan.code,
            axis=self.node_combo.currentData() if scope == SCOPE_NODE else None,
            unit=self.unit_combo.currentData() if scope == SCOPE_UNIT else None,
            year=self.year_combo.currentData() if scope == SCOPE_YEAR else None,
            edition_date=self.edition_date.date_value(),
            logo_path=Path(logo) if logo else None,
            prepared_by=self.prepared_by.text().strip(),
            reviewed_by=self.reviewed_by.text().strip(),
            approved_by=self.approved_by.text().strip(),
            approvals=approvals, kind=kind, album_size=self.paper_combo.currentData(),
            pdfa=self.pdfa_check.isChecked(), crop_marks=self.crop_check.isChecked())

    def choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "انتخاب نشان", self.logo.text(),
                                              "تصویر (*.png *.jpg *.jpeg)")
        if path:
            self.logo.setText(path)

    def choose_output(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "ذخیره دفترچه", self.output.text(), "PDF (*.pdf)")
        if path:
            self.output.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    # running ------------------------------------------------------------------------------
    def show_error(self, message: str) -> None:
        self.status.setStyleSheet(f"color: {ERROR_COLOR};")
        self.status.setText(message)

    def show_note(self, message: str) -> None:
        self.status.setStyleSheet("")
        self.status.setText(message)

    def output_path(self) -> Path | None:
        text = self.output.text().strip()
        if not text:
            self.show_error("پرونده خروجی را انتخاب کنید.")
            return None
        path = Path(text).expanduser()
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        if not path.parent.is_dir():
            self.show_error(f"پوشه «{ltr(path.parent)}» وجود ندارد.")
            return None
        return path

    def build(self, preview: bool = False) -> Job | None:
        """Start the export in the background; returns the job (tests wait on its signals).

        ``preview``: into a temporary file, then shown in the preview window instead of opened.
        """
        if self.plan is None or (self.job is not None and self.job.running):
            return None
        out = preview_path(self.plan.code) if preview else self.output_path()
        if out is None:
            return None
        try:
            options = self.options()
        except ValueError as exc:  # e.g. a budget album without a year
            self.show_error(str(exc))
            return None
        if options.logo_path is not None and not options.logo_path.is_file():
            self.show_error(f"پرونده نشان «{ltr(options.logo_path)}» پیدا نشد.")
            return None
        store = self.ctx.db.url
        self.job = Job(lambda progress, cancelled: export_booklet(store, out, options, progress, cancelled),
                       self, cancel_exceptions=(BookletCancelled,))
        self.job.progress.connect(self._on_progress)
        self.job.finished.connect(lambda result: self._on_finished(result, out, preview))
        self.job.failed.connect(self._on_failed)
        self.job.cancelled.connect(self._on_cancelled)
        self._set_running(True)
        self.progress.setRange(0, 0)  # busy until the first count arrives
        self.show_note("در حال ساخت دفترچه…")
        self.job.start()
        return self.job

    def cancel(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.show_note("در حال لغو…")

    def _set_running(self, running: bool) -> None:
        self.build_button.setEnabled(not running)
        self.preview_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        for widget in (*self.scope_buttons, self.node_combo, self.unit_combo, self.year_combo, self.output,
                       self.output_button, self.logo, self.logo_button, self.kind_combo, self.pdfa_check,
                       self.crop_check):
            widget.setEnabled(not running)
        if not running:
            self._update_scope()
            self._update_kind()

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
            # The bar draws its text left to right; a leading RLM makes «۱۷ از ۴۰» read right to left.
            self.progress.setFormat(f"\u200f{to_persian_digits(done)} از {to_persian_digits(total)}")
        if text:
            self.show_note(text)

    def _on_finished(self, result: BookletResult, out: Path, preview: bool = False) -> None:
        self.result_info = result
        self._set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.progress.setFormat("\u200f۱۰۰٪")
        if preview:
            from planner_gui.booklet_preview import open_preview

            self.show_note(f"پیش‌نمایش دفترچه در {format_int(result.pages)} صفحه آماده است.")
            text = self.output.text().strip()
            self.preview = open_preview(out, Path(text).expanduser() if text else None, self)
            return
        self.show_note(f"دفترچه در {format_int(result.pages)} صفحه ساخته شد: {ltr(out)}")
        if os.environ.get(NO_OPEN_ENV) != "1":
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(out)))

    def _on_failed(self, message: str) -> None:
        self._set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.show_error(f"دفترچه ساخته نشد: {message}")

    def _on_cancelled(self) -> None:
        self._set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.show_note("ساخت دفترچه لغو شد؛ پرونده‌ای نوشته نشد.")

    def reject(self) -> None:
        # Closing while building cancels the export rather than leaving it running unseen.
        if self.job is not None and self.job.running:
            self.cancel()
        super().reject()


def open_booklet_dialog(ctx: AppContext, parent: QWidget | None = None) -> QWidget:
    return BookletDialog(ctx, parent)


if not any(action.object_name == "action_booklet" for action in WINDOW_ACTIONS):
    WINDOW_ACTIONS.append(WindowAction("خروجی دفترچه برنامه (PDF)…", open_booklet_dialog, "Ctrl+P",
                                       "action_booklet"))


def preview_path(code: str) -> Path:
    """A fresh temporary PDF for a preview (the system's temp folder empties it in time)."""
    folder = Path(tempfile.mkdtemp(prefix="barnamenegar-preview-"))
    return folder / f"{code or 'booklet'}.pdf"
