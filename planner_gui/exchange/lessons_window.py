"""«درس‌آموخته‌ها»: every lesson learned in the file, own and received, filtered by municipality,
level and text (folded search as in the tree); double-click opens the node it belongs to."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from planner_core.jalali import format_jalali
from planner_core.lessons import LessonRow, lesson_municipalities, search_lessons
from planner_core.levels import LABELS, LEVELS
from planner_core.text import to_persian_digits
from planner_gui.context import AppContext
from planner_gui.extensions import WINDOW_ACTIONS, WindowAction
from planner_gui.row_models import RowTableModel


class LessonsModel(RowTableModel[LessonRow]):
    COL_TITLE, COL_LEVEL, COL_CODE, COL_PLAN, COL_MUNICIPALITY, COL_DATE = range(6)
    HEADERS = ("درس‌آموخته", "سطح", "کد", "برنامه", "شهرداری", "تاریخ ثبت")

    def display(self, row: LessonRow, column: int) -> str | None:
        return (row.title, row.level_label, to_persian_digits(row.full_code), row.plan_title, row.municipality,
                format_jalali(row.recorded_on) if row.recorded_on else "")[column]

    def sort_value(self, row: LessonRow, column: int) -> object:
        return row.recorded_on.toordinal() if column == self.COL_DATE and row.recorded_on else \
            self.display(row, column)

    def row_id(self, row: LessonRow) -> int | None:
        return row.id

    def tooltip(self, row: LessonRow, column: int) -> str | None:
        return row.body or None


class LessonsWindow(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lessonsWindow")
        self.setWindowTitle("درس‌آموخته‌های همه برنامه‌ها")
        self.ctx = ctx
        self.search = QLineEdit()
        self.search.setObjectName("lessonSearch")
        self.search.setPlaceholderText("جست‌وجو در عنوان و متن…")
        self.search.setClearButtonEnabled(True)
        self.municipality = QComboBox()
        self.municipality.setObjectName("lessonMunicipality")
        self.level = QComboBox()
        self.level.setObjectName("lessonLevel")
        self.level.addItem("همه سطح‌ها", None)
        self.level.addItem(LABELS["plan"], "plan")
        for kind in LEVELS:
            self.level.addItem(LABELS[kind], kind)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(QLabel("شهرداری:"))
        filters.addWidget(self.municipality, 1)
        filters.addWidget(QLabel("سطح:"))
        filters.addWidget(self.level, 1)
        self.model = LessonsModel(self)
        self.view = QTableView()
        self.view.setObjectName("lessonsTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.body = QTextBrowser()
        self.body.setObjectName("lessonBody")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.body)
        splitter.setSizes([380, 140])
        self.count = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count)
        self.search.textChanged.connect(lambda _t: self.refresh())
        self.municipality.currentIndexChanged.connect(lambda _i: self.refresh())
        self.level.currentIndexChanged.connect(lambda _i: self.refresh())
        self.view.selectionModel().currentRowChanged.connect(self._show_body)
        self.view.doubleClicked.connect(self.open_node)
        ctx.changed.connect(lambda what, _key: self.reload() if what in ("plan", "lesson") else None)
        self.resize(1000, 600)
        self.reload()

    def reload(self) -> None:
        chosen = self.municipality.currentData()
        self.municipality.blockSignals(True)
        self.municipality.clear()
        self.municipality.addItem("همه شهرداری‌ها", None)
        for choice in lesson_municipalities(self.ctx.db):
            self.municipality.addItem(choice.name, choice.id)
        self.municipality.setCurrentIndex(max(0, self.municipality.findData(chosen)))
        self.municipality.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        rows = search_lessons(self.ctx.db, self.search.text(), self.municipality.currentData(),
                              self.level.currentData())
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        self.body.clear()
        self.count.setText(f"{to_persian_digits(len(rows))} درس‌آموخته")

    def _show_body(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current)
        self.body.setPlainText(f"{row.title}\n\n{row.body}" if row else "")

    def open_node(self, index: QModelIndex) -> None:
        row = self.model.row_at(index)
        if row is None:
            return
        if self.ctx.plan_id != row.plan_id:
            self.ctx.set_plan(row.plan_id)
        if row.node_id is not None:
            self.ctx.node_requested.emit(row.node_id)


def open_lessons_window(ctx: AppContext, parent: QWidget | None = None) -> QWidget:
    return LessonsWindow(ctx, parent)


if not any(action.object_name == "action_lessons" for action in WINDOW_ACTIONS):
    WINDOW_ACTIONS.append(WindowAction("درس‌آموخته‌های همه برنامه‌ها…", open_lessons_window, "Ctrl+L",
                                       "action_lessons"))
