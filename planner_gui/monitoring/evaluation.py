"""Year-end evaluation of an operational program: its indicators and its projects' indicators
with target, actual, achievement and the planner's explanation (which the booklet prints).

The explanation is the note of the indicator's annual actual: saving it calls
``indicators.set_actual`` with the same value and the new note, as an undo step.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from planner_core import indicators
from planner_core.errors import PlannerError
from planner_core.evaluation import EvaluationRow, list_programs, program_evaluation
from planner_core.text import to_persian_digits
from planner_gui.commands import ServiceCommand, execute, quoted
from planner_gui.common import make_table, push_button, select_row, selected_id, vertical_split
from planner_gui.context import AppContext
from planner_gui.monitoring.common import MonitoringWindow
from planner_gui.monitoring.models import EvaluationModel
from planner_gui.read_only import lock, monitoring_refusal
from planner_gui.unsaved import on_finished

NEEDS_ACTUAL = ("این شاخص برای سال {year} مقدار واقعی سالانه ندارد؛ توضیح پایان سال به مقدار واقعی "
                "سالانه پیوست می‌شود، پس نخست آن را در جدول هدف‌ها و مقادیر واقعی وارد کنید.")


class ExplanationCommand(ServiceCommand):
    """Set the note of an annual actual, keeping its value; undo puts the previous note back."""

    def __init__(self, ctx: AppContext, row: EvaluationRow, year: int, text: str) -> None:
        db, ind_id, value, before = ctx.db, row.indicator_id, row.annual_actual, row.explanation

        def set_note(note: str) -> int:
            indicators.set_actual(db, ind_id, year, "annual", value, note=note)
            return ind_id

        super().__init__(ctx, f"توضیح پایان سال {to_persian_digits(year)} شاخص {quoted(row.title)}", "indicator",
                         lambda: set_note(text), lambda: set_note(before))


class EvaluationWindow(MonitoringWindow):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "evaluationWindow", "ارزیابی پایان سال", (1300, 750), parent, with_quarter=False)

        self.program_combo = QComboBox()
        self.program_combo.setObjectName("programCombo")
        self.program_combo.setMinimumContentsLength(40)
        self.program_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        top = QHBoxLayout()
        top.addWidget(QLabel("برنامه عملیاتی:"))
        top.addWidget(self.program_combo, 1)
        top.addSpacing(16)
        top.addWidget(self.period)

        self.model = EvaluationModel(self)
        self.model.edit = self.set_explanation
        self.model.error.connect(self.message_error)
        self.table = make_table(self.model, stretch=EvaluationModel.COL_EXPLANATION)
        self.table.setObjectName("evaluationTable")
        header = self.table.horizontalHeader()
        for column, width in ((EvaluationModel.COL_NODE, 250), (EvaluationModel.COL_TITLE, 250),
                              (EvaluationModel.COL_REASON, 200)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self.table.selectionModel().selectionChanged.connect(self._show_selected)

        self.reason = QLabel()
        self.reason.setObjectName("evaluationReason")
        self.reason.setWordWrap(True)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("explanationEdit")
        self.editor.setPlaceholderText("چرا شاخص به هدف رسید یا نرسید، و چه اقدامی برای سال بعد پیشنهاد می‌شود…")
        self.save_button = push_button("ذخیره توضیح", lambda: self.save_selected(self.editor.toPlainText()),
                                       "saveExplanation")
        # The explanation commits when the editor loses focus (another row clicked, the window
        # left) and before another row or program is shown, like every field (planner_gui.unsaved).
        self._shown_row: EvaluationRow | None = None
        on_finished(self.editor, self.commit_explanation)
        detail = QGroupBox("توضیح برنامه‌ریز (در کتابچه چاپ می‌شود)")
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.reason)
        detail_layout.addWidget(self.editor, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        detail_layout.addLayout(buttons)

        splitter = vertical_split(self.table, detail)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)

        self.reload_programs()
        self.refresh()

    # reading -------------------------------------------------------------------------------
    def reload_programs(self) -> None:
        keep = self.program_id()
        programs = []
        if self.ctx.plan_id:
            try:
                programs = list_programs(self.ctx.db, self.ctx.plan_id)
            except PlannerError as exc:
                self.message.show_error(exc)
        self.program_combo.blockSignals(True)
        self.program_combo.clear()
        for program in programs:
            self.program_combo.addItem(f"{to_persian_digits(program.full_code)}  {program.title}", program.id)
        index = self.program_combo.findData(keep) if keep is not None else -1
        self.program_combo.setCurrentIndex(max(index, 0) if programs else -1)
        self.program_combo.blockSignals(False)

    def program_id(self) -> int | None:
        value = self.program_combo.currentData()
        return int(value) if value is not None else None

    def set_program(self, program_id: int) -> None:
        self.program_combo.setCurrentIndex(self.program_combo.findData(program_id))

    def _on_data_changed(self) -> None:
        self.period.reload_years()
        self.reload_programs()
        self.refresh()

    def refresh(self) -> None:
        keep = self.selected_row()
        program_id, year = self.program_id(), self.period.year()
        rows: list[EvaluationRow] = []
        if program_id is not None and year is not None:
            try:
                rows = program_evaluation(self.ctx.db, program_id, year)
            except PlannerError as exc:
                self.message.show_error(exc)
        self.model.set_rows(rows)
        row = self.model.row_of(keep.indicator_id) if keep is not None else -1
        if row < 0 and rows:
            row = 0
        if row >= 0:
            self.select_row(row)
        self._show_selected()

    def select_row(self, row: int) -> None:
        select_row(self.table, row, EvaluationModel.COL_TITLE)

    def selected_row(self) -> EvaluationRow | None:
        indicator_id = selected_id(self.table)
        row = self.model.row_of(indicator_id) if indicator_id is not None else -1
        return self.model.rows[row] if row >= 0 else None

    def commit_explanation(self) -> PlannerError | None:
        """Commit the typed explanation of the row it was typed for (if it changed)."""
        row, self._shown_row = self._shown_row, None
        text = self.editor.toPlainText()
        if row is None or not self.editor.isEnabled() or text.strip() == row.explanation.strip():
            self._shown_row = row
            return None
        failure = self.set_explanation(row, text)
        if failure is not None:
            self._shown_row = row
        return failure

    def closeEvent(self, event: QCloseEvent) -> None:
        self.commit_explanation()
        super().closeEvent(event)

    def _show_selected(self, *_args: QItemSelection) -> None:
        if self._shown_row is not None:
            self.commit_explanation()
        row = self.selected_row()
        self._shown_row = row
        if row is None:
            self.reason.setText("شاخصی انتخاب نشده است.")
            self.editor.setPlainText("")
            self.editor.setEnabled(False)
            self.save_button.setEnabled(False)
            return
        has_actual = row.annual_actual is not None
        year = to_persian_digits(self.period.year() or 0)
        self.reason.setText(f"«{row.title}»: {row.reason}" if has_actual
                            else f"«{row.title}»: " + NEEDS_ACTUAL.format(year=year))
        self.editor.setPlainText(row.explanation)
        self.editor.setEnabled(has_actual)
        self.save_button.setEnabled(has_actual)
        why = monitoring_refusal(self.ctx.db, self.ctx.plan_id)  # a read-only file, a received or archived plan
        self.editor.setReadOnly(why is not None)  # the text stays selectable
        self.editor.setToolTip(why or "")
        lock(self.save_button, why)

    # editing -------------------------------------------------------------------------------
    def message_error(self, exc: PlannerError) -> None:
        self.message.show_error(exc)

    def save_selected(self, text: str) -> PlannerError | None:
        row = self.selected_row()
        if row is None:
            return None
        if text.strip() == row.explanation.strip():
            return None
        return self.set_explanation(row, text)

    def set_explanation(self, row: EvaluationRow, text: str) -> PlannerError | None:
        self.message.clear_message()
        year = self.period.year()
        if year is None:
            return None
        if row.annual_actual is None:
            failure = PlannerError(NEEDS_ACTUAL.format(year=to_persian_digits(year)))
            self.message.show_error(failure)
            return failure
        shown = self._shown_row
        if shown is not None and shown.indicator_id == row.indicator_id:
            self._shown_row = None  # this is the editor's text being saved: the refresh must not save it again
        command = ExplanationCommand(self.ctx, row, year, text)
        command.on_error = self.message_error
        failure = execute(self.ctx, command, show=self.message_error)
        if failure is not None:
            self._shown_row = shown  # still typed and not committed
            return failure
        self.refresh()  # show it at once; the debounced refresh follows
        return None
