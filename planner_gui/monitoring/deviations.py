"""The deviations list: every indicator and project behind plan for a year and quarter.

Double-clicking a row asks the main window to show its node; «خروجی اکسل» writes the same
rows with planner_core.excel.write_deviations.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from planner_core.deviations import Deviation, deviations
from planner_core.errors import PlannerError
from planner_core.excel import write_deviations
from planner_core.progress import Status
from planner_core.text import ltr, to_persian_digits
from planner_gui.common import make_table, push_button
from planner_gui.context import AppContext
from planner_gui.monitoring.common import MonitoringWindow
from planner_gui.monitoring.models import DeviationsModel


class DeviationsWindow(MonitoringWindow):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "deviationsWindow", "فهرست انحراف‌ها", (1300, 700), parent)
        self.export_button = push_button("خروجی اکسل…", self._ask_export, "exportDeviations")
        top = QHBoxLayout()
        top.addWidget(self.period)
        top.addStretch(1)
        top.addWidget(self.export_button)

        self.count = QLabel()
        self.count.setObjectName("deviationCount")
        self.model = DeviationsModel(self)
        self.table = make_table(self.model, stretch=DeviationsModel.COL_ITEM, sortable=True)
        self.table.setObjectName("deviationsTable")
        header = self.table.horizontalHeader()
        for column, width in ((DeviationsModel.COL_NODE, 260), (DeviationsModel.COL_UNIT, 190)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self.table.doubleClicked.connect(self.open_node)
        hint = QLabel("برای رفتن به گره برنامه روی ردیف دوبار کلیک کنید؛ دلیل دستیابی و متن اقدام اصلاحی "
                      "در راهنمای ستون‌ها آمده است.")
        hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addWidget(self.message)

        self.refresh()

    @property
    def rows(self) -> list[Deviation]:
        return self.model.rows

    def refresh(self) -> None:
        self.message.clear_message()
        year, plan_id = self.period.year(), self.ctx.plan_id
        rows: list[Deviation] = []
        if year is not None and plan_id:
            try:
                rows = deviations(self.ctx.db, plan_id, year, self.period.quarter())
            except PlannerError as exc:
                self.message.show_error(exc)
        self.model.set_rows(rows)
        self.export_button.setEnabled(bool(rows))
        if year is None:
            self.count.setText("برنامه‌ای باز نیست.")
            return
        off = sum(1 for r in rows if r.status == Status.OFF_TRACK)
        without_action = sum(1 for r in rows if not r.has_corrective_action)
        self.count.setText(
            f"{to_persian_digits(len(rows))} مورد عقب از برنامه یا در معرض خطر در سال {to_persian_digits(year)} "
            f"تا پایان فصل {to_persian_digits(self.period.quarter())}: {to_persian_digits(off)} عقب از برنامه؛ "
            f"{to_persian_digits(without_action)} مورد بدون اقدام اصلاحی ثبت‌شده.")

    def _ask_export(self) -> None:
        year = self.period.year()
        name = f"انحراف‌ها-{year}-فصل{self.period.quarter()}.xlsx"
        path, _filter = QFileDialog.getSaveFileName(self, "خروجی اکسل فهرست انحراف‌ها", name,
                                                    "کارپوشه اکسل (*.xlsx)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> PlannerError | None:
        year = self.period.year()
        if year is None:
            return None
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        try:
            write_deviations(self.model.rows, path, year, self.period.quarter())
        except PlannerError as exc:
            self.message.show_error(exc)
            return exc
        except OSError:
            failure = PlannerError(f"فایل اکسل «{ltr(path)}» ذخیره نشد؛ دسترسی به پوشه و باز نبودن فایل را بررسی کنید.")
            self.message.show_error(failure)
            return failure
        self.message.show_note(f"فهرست انحراف‌ها در «{ltr(path)}» ذخیره شد.")
        return None
