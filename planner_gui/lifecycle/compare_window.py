"""The comparison view: two revisions, snapshots or plans as a marked tree of changes (each changed
node under its ancestors, its field, indicator and allocation changes beneath it; planner_gui/
lifecycle/change_tree.py), filtered by kind and entity, with the budget difference and a printable
PDF change report."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from planner_core import plans
from planner_core.errors import PlannerError
from planner_core.lifecycle.change_report import write_change_report
from planner_core.lifecycle.compare import Comparison, compare
from planner_core.lifecycle.revisions import list_revisions, node_in_plan
from planner_core.lifecycle.snapshots import list_snapshots
from planner_core.text import format_money, ltr, to_persian_digits
from planner_gui.common import ID_ROLE
from planner_gui.context import AppContext
from planner_gui.lifecycle.change_tree import KIND_MARKS, ChangeTreeFilter, ChangeTreeModel
from planner_gui.lifecycle.models import KIND_LABELS

fa = to_persian_digits


def operands(ctx: AppContext, plan_id: int) -> list[tuple[str, str]]:
    """(label, reference) of what the current plan can be compared with: its revisions, its
    snapshots, and the other plans of the file."""
    out: list[tuple[str, str]] = []
    revisions = list_revisions(ctx.db, plan_id)
    for rev in revisions:
        out.append((f"ویرایش {fa(rev.revision)} ({rev.status_label})", rev.ref))
    for snap in list_snapshots(ctx.db, plan_id):
        out.append((f"نسخه {fa(snap.id)}: {snap.stage_label}، ویرایش {fa(snap.revision)}", f"snapshot:{snap.id}"))
    codes = {r.code for r in revisions}
    for other in plans.list_plans(ctx.db):
        if other.code not in codes:
            out.append((f"برنامه {other.code}: {other.label}", f"{other.code}@{other.revision}"))
    return out


class CompareWindow(QWidget):
    def __init__(self, ctx: AppContext, plan_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx, self.plan_id = ctx, plan_id
        self.setObjectName("compareWindow")
        self.setWindowTitle("مقایسه ویرایش‌ها و نسخه‌های برنامه")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(1150, 640)
        self.result: Comparison | None = None
        self.a, self.b = QComboBox(), QComboBox()
        self.a.setObjectName("compareA")
        self.b.setObjectName("compareB")
        for label, ref in operands(ctx, plan_id):
            self.a.addItem(label, ref)
            self.b.addItem(label, ref)
        if self.b.count() > 1:
            self.a.setCurrentIndex(max(0, self._previous_revision()))
            self.b.setCurrentIndex(max(0, self.b.findData(self._current_ref())))
        self.kind = QComboBox()
        self.kind.setObjectName("compareKind")
        self.kind.addItem("همه تغییرها", "")
        for key, label in KIND_LABELS.items():
            self.kind.addItem(label, key)
        self.entity = QComboBox()
        self.entity.setObjectName("compareEntity")
        for label, key in (("همه", ""), ("گره‌ها", "node"), ("شاخص‌ها و هدف‌ها", "indicator"),
                           ("تخصیص‌ها", "allocation"), ("برنامه", "plan")):
            self.entity.addItem(label, key)
        self.run_button = QPushButton("مقایسه")
        self.run_button.setObjectName("compareRun")
        self.run_button.clicked.connect(self.run)
        self.pdf_button = QPushButton("گزارش PDF…")
        self.pdf_button.setObjectName("comparePdf")
        self.pdf_button.clicked.connect(lambda: self.save_pdf())
        top = QHBoxLayout()
        for widget in (QLabel("پیشین"), self.a, QLabel("تازه"), self.b, self.run_button):
            top.addWidget(widget)
        filters = QHBoxLayout()
        for widget in (QLabel("نمایش"), self.kind, QLabel("موضوع"), self.entity):
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.pdf_button)
        self.summary = QLabel()
        self.summary.setObjectName("compareSummary")
        self.model = ChangeTreeModel(self)
        self.proxy = ChangeTreeFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTreeView()
        self.view.setObjectName("compareView")
        self.view.setModel(self.proxy)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        header = self.view.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ChangeTreeModel.COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.legend = QLabel("  ".join(f"{KIND_MARKS[k]} {label}" for k, label in KIND_LABELS.items())
                             + "؛ خاکستری: بی‌تغییر، فقط برای نشان‌دادن جایگاه")
        self.legend.setObjectName("compareLegend")
        self.view.doubleClicked.connect(self.go_to)
        self.message = QLabel()
        self.message.setStyleSheet("color: #B42318;")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addWidget(self.view)
        layout.addWidget(self.legend)
        layout.addWidget(self.message)
        self.kind.currentIndexChanged.connect(self._filter)
        self.entity.currentIndexChanged.connect(self._filter)
        self.run()

    def _current_ref(self) -> str:
        info = plans.get_plan(self.ctx.db, self.plan_id)
        return f"{info.code}@{info.revision}"

    def _previous_revision(self) -> int:
        info = plans.get_plan(self.ctx.db, self.plan_id)
        return self.a.findData(f"{info.code}@{max(1, info.revision - 1)}")

    def _filter(self) -> None:
        self.proxy.set_filters(self.kind.currentData() or "", self.entity.currentData() or "")
        self.view.expandAll()

    def run(self) -> bool:
        self.message.clear()
        try:
            self.result = compare(self.ctx.db, self.a.currentData(), self.b.currentData())
        except PlannerError as error:
            self.message.setText(str(error))
            return False
        self.model.set_result(self.result)
        self.view.expandAll()
        r = self.result
        self.summary.setText(
            f"{fa(len(r.of('added')))} افزوده، {fa(len(r.of('removed')))} حذف‌شده، {fa(len(r.of('moved')))} "
            f"جابه‌جا، {fa(len(r.of('changed')))} تغییر؛ تفاوت بودجه {format_money(r.budget_total) or '۰'} "
            "میلیون ریال" if not r.empty else "دو نسخه یکسان‌اند؛ تغییری نیست.")
        self.pdf_button.setEnabled(True)
        return True

    def go_to(self, index: QModelIndex) -> None:
        """A change double-clicked selects its node in the plan shown in the main window."""
        node_id = node_in_plan(self.ctx.db, self.ctx.plan_id or 0, index.data(ID_ROLE))
        if node_id:
            self.ctx.node_requested.emit(node_id)

    def save_pdf(self, path: Path | None = None) -> Path | None:
        if self.result is None:
            return None
        if path is None:
            name, _ = QFileDialog.getSaveFileName(self, "ذخیره گزارش تغییرات", "گزارش تغییرات.pdf", "PDF (*.pdf)")
            if not name:
                return None
            path = Path(name)
        try:
            write_change_report(self.result, path)
        except OSError as error:
            self.message.setText(f"گزارش در «{ltr(path)}» نوشته نشد: {error.strerror}")
            return None
        self.message.setStyleSheet("")
        self.message.setText(f"گزارش تغییرات در «{ltr(path)}» نوشته شد.")
        return path
