"""Reporting discipline window («گزارش‌ها» menu): units overdue with quarterly reports, the audit log
(per plan or the selected node, filtered by user and date) and the evidence files, each exportable."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner_core.errors import PlannerError
from planner_core.jalali import format_jalali
from planner_core.lifecycle import discipline
from planner_core.text import ltr, to_persian_digits
from planner_gui.common import ID_ROLE, SORT_ROLE
from planner_gui.context import AppContext
from planner_gui.widgets import JalaliDateEdit

fa = to_persian_digits
Index = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    """Read-only rows a service returned, shown through ``columns`` (header, value-of-row)."""

    def __init__(self, columns: Sequence[tuple[str, Callable[[Any], Any]]], key: Callable[[Any], Any] | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.key = key
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        value = self.columns[index.column()][1](row)
        if role == Qt.ItemDataRole.DisplayRole:
            return fa(value) if isinstance(value, int) else str(value)
        if role == SORT_ROLE:
            return value
        if role == ID_ROLE and self.key is not None:
            return self.key(row)
        return None


def _table(model: QAbstractTableModel, stretch: int) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view, proxy


class ReportingWindow(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 current_node: Callable[[], int | None] | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.current_node = current_node or (lambda: self.selected_node)
        self.setObjectName("reportingWindow")
        self.setWindowTitle("انضباط گزارش‌دهی: گزارش‌های معوق، تاریخچه تغییرات و مستندها")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(1100, 620)
        self.tabs = QTabWidget()
        self.message = QLabel()
        self.message.setObjectName("reportingMessage")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.message)
        self.selected_node: int | None = None
        ctx.node_requested.connect(self._remember_node)

        # Overdue units.
        self.overdue = RowsModel([("واحد مسئول", lambda r: r.unit or "—"), ("کد", lambda r: fa(r.full_code)),
                                  ("پروژه", lambda r: r.title), ("سال", lambda r: r.year),
                                  ("فصل", lambda r: r.quarter), ("مهلت", lambda r: format_jalali(r.due_on)),
                                  ("روز تأخیر", lambda r: r.days)], key=lambda r: r.project_id)
        self.overdue_view, _ = _table(self.overdue, 2)
        self.overdue_view.setObjectName("overdueView")
        self.overdue_view.doubleClicked.connect(self._go_to)
        self.overdue_summary = QLabel()
        page = QWidget()
        box = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(self.overdue_summary, 1)
        export = QPushButton("خروجی Excel…")
        export.clicked.connect(lambda: self.export_overdue())
        row.addWidget(export)
        box.addLayout(row)
        box.addWidget(self.overdue_view)
        self.tabs.addTab(page, "گزارش‌های معوق")

        # Audit log.
        self.audit = RowsModel([("زمان", lambda r: f"{format_jalali(r.at.date(), 'short')} {r.at:%H:%M}"),
                                ("کاربر", lambda r: r.user), ("کار", lambda r: r.action),
                                ("موضوع", lambda r: r.entity), ("شرح", lambda r: r.summary),
                                ("پیش از", lambda r: r.before[:120]), ("پس از", lambda r: r.after[:120])])
        self.audit_view, _ = _table(self.audit, 4)
        self.audit_view.setObjectName("auditView")
        self.user = QLineEdit()
        self.user.setObjectName("auditUser")
        self.user.setPlaceholderText("کاربر")
        self.since, self.until = JalaliDateEdit(), JalaliDateEdit()
        self.only_node = QCheckBox("فقط گره برگزیده در درخت")
        self.only_node.setObjectName("auditOnlyNode")
        self.only_node.toggled.connect(lambda _on: self.refresh_audit())
        apply_button = QPushButton("پالایش")
        apply_button.clicked.connect(self.refresh_audit)
        export_audit = QPushButton("خروجی Excel…")
        export_audit.clicked.connect(lambda: self.export_audit())
        filters = QHBoxLayout()
        for widget in (self.user, QLabel("از"), self.since, QLabel("تا"), self.until, self.only_node, apply_button,
                       export_audit):
            filters.addWidget(widget)
        page = QWidget()
        box = QVBoxLayout(page)
        box.addLayout(filters)
        box.addWidget(self.audit_view)
        self.tabs.addTab(page, "تاریخچه تغییرات")

        # Evidence.
        self.evidence = RowsModel([("فایل", lambda r: r.file_name),
                                   ("پیوست به", lambda r: "گزارش پیشرفت" if r.progress_report_id else "مقدار واقعی"),
                                   ("اندازه (بایت)", lambda r: r.size), ("افزوده", lambda r: r.added_by),
                                   ("SHA-256", lambda r: r.sha256[:16] + "…"), ("یادداشت", lambda r: r.note)],
                                  key=lambda r: r.id)
        self.evidence_view, self.evidence_proxy = _table(self.evidence, 0)
        self.evidence_view.setObjectName("evidenceView")
        save = QPushButton("ذخیره فایل برگزیده…")
        save.clicked.connect(lambda: self.save_evidence())
        attach = QPushButton("پیوست به آخرین گزارش پروژه برگزیده…")
        attach.setObjectName("attachEvidence")
        attach.clicked.connect(lambda: self.attach_evidence())
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(self.evidence_view)
        buttons = QHBoxLayout()
        buttons.addWidget(attach)
        buttons.addStretch(1)
        buttons.addWidget(save)
        box.addLayout(buttons)
        self.tabs.addTab(page, "مستندها")
        self.refresh()

    def _remember_node(self, node_id: int) -> None:
        self.selected_node = node_id

    def _go_to(self, index: QModelIndex) -> None:
        node_id = index.data(ID_ROLE)
        if node_id:
            self.ctx.node_requested.emit(int(node_id))

    def show_overdue(self, unit: str | None = None) -> None:
        """The overdue tab, with the first of `unit`'s reports selected (or the first row)."""
        self.tabs.setCurrentIndex(0)
        rows = self.overdue.rows
        row = next((i for i, r in enumerate(rows) if unit is None or r.unit == unit), None)
        view, proxy = self.overdue_view, self.overdue_view.model()
        view.clearSelection()
        if row is not None:
            index = proxy.mapFromSource(self.overdue.index(row, 0))  # type: ignore[attr-defined]
            view.setCurrentIndex(index)
            view.scrollTo(index)

    def refresh(self) -> None:
        if not self.ctx.plan_id:
            return
        rows = discipline.overdue_reports(self.ctx.db, self.ctx.plan_id)
        self.overdue.set_rows(rows)
        units = len({r.unit for r in rows})
        self.overdue_summary.setText(f"{fa(len(rows))} گزارش فصلی معوق از {fa(units)} واحد مسئول"
                                     if rows else "گزارش معوقی نیست.")
        self.refresh_audit()
        self.evidence.set_rows(discipline.list_evidence(self.ctx.db, plan_id=self.ctx.plan_id))

    def refresh_audit(self) -> None:
        if not self.ctx.plan_id:
            return
        node = self.current_node() if self.only_node.isChecked() else None
        self.audit.set_rows(discipline.audit_log(self.ctx.db, self.ctx.plan_id, node_id=node,
                                                 user=self.user.text() or None, since=self.since.date_value(),
                                                 until=self.until.date_value()))

    def _target(self, default: str, path: Path | None, kind: str = "Excel (*.xlsx)") -> Path | None:
        if path is not None:
            return path
        name, _ = QFileDialog.getSaveFileName(self, "ذخیره", default, kind)
        return Path(name) if name else None

    def export_overdue(self, path: Path | None = None) -> Path | None:
        target = self._target("گزارش‌های معوق.xlsx", path)
        return self._write(lambda: discipline.write_overdue_xlsx(self.overdue.rows, target), target)

    def export_audit(self, path: Path | None = None) -> Path | None:
        target = self._target("تاریخچه تغییرات.xlsx", path)
        return self._write(lambda: discipline.write_audit_xlsx(self.audit.rows, target), target)

    def save_evidence(self, path: Path | None = None) -> Path | None:
        index = self.evidence_view.currentIndex()
        if not index.isValid():
            self.message.setText("نخست فایلی را برگزینید.")
            return None
        row = self.evidence.rows[self.evidence_proxy.mapToSource(index).row()]
        target = self._target(row.file_name, path, "*")

        def write() -> Path:
            assert target is not None
            target.write_bytes(discipline.evidence_content(self.ctx.db, row.id))
            return target

        return self._write(write, target)

    def attach_evidence(self, path: Path | None = None) -> bool:
        """Attach a photo, letter or PDF to the latest progress report of the project selected in the tree."""
        from planner_core.monitoring import list_progress_reports

        node_id = self.current_node()
        reports = list_progress_reports(self.ctx.db, node_id) if node_id else []
        if not reports:
            self.message.setText("نخست پروژه‌ای را که گزارش پیشرفت دارد در درخت برگزینید.")
            return False
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self, "فایل مستند", "", "*")
            if not name:
                return False
            path = Path(name)
        latest = reports[-1]
        try:
            info = discipline.add_evidence(self.ctx.db, path, report_id=latest.id)
        except PlannerError as error:
            self.message.setText(str(error))
            return False
        self.message.setText(f"«{info.file_name}» به گزارش فصل {fa(latest.quarter)} سال {fa(latest.year)} پیوست شد.")
        self.evidence.set_rows(discipline.list_evidence(self.ctx.db, plan_id=self.ctx.plan_id))
        self.ctx.changed.emit("report", latest.id)
        return True

    def _write(self, run: Callable[[], Path], target: Path | None) -> Path | None:
        if target is None:
            return None
        try:
            run()
        except (OSError, PlannerError) as error:
            self.message.setText(f"«{ltr(target)}» نوشته نشد: {error}")
            return None
        self.message.setText(f"در «{ltr(target)}» نوشته شد ({format_jalali(date.today())}).")
        return target
