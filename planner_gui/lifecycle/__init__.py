"""The plan's life cycle in the main window: a «چرخه عمر» menu (readiness and submit, return, approve,
archive, amendment, compare, roll-forward), a banner naming the status and the approval, and an
editor that is read-only up front while the plan is submitted, approved or archived.

``install(window)`` is the one call the main window makes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QToolBar, QWidget

from planner_core import plans
from planner_core.errors import PlannerError
from planner_core.jalali import format_jalali
from planner_core.levels import LABELS
from planner_core.lifecycle import workflow
from planner_core.lifecycle.revisions import list_revisions
from planner_core.nodes import NodeInfo
from planner_core.text import to_persian_digits
from planner_gui.lifecycle.compare_window import CompareWindow
from planner_gui.lifecycle.dialogs import ApprovalDialog, ReadinessDialog, ReturnDialog, RollForwardDialog

if TYPE_CHECKING:
    from planner_gui.main_window import MainWindow

fa = to_persian_digits
BANNER_STYLES = {"approved": "background: #E3F4E8; color: #14532D;", "submitted": "background: #FFF6DB;",
                 "archived": "background: #E4E7EB;", "draft": "background: #E6EEFA;"}


class Lifecycle:
    """Keeps the main window's editing state in step with the current plan's status."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.ctx = window.ctx
        self.opened: list[QWidget] = []
        self._make_banner()
        self._make_menu()
        # After the main window's own handlers (connected earlier), so our disabling wins.
        self.ctx.plan_switched.connect(self._on_plan_switched)
        self.ctx.changed.connect(lambda what, _key: self.refresh() if what in ("plan", "tree") else None)
        window.tree.current_changed.connect(lambda _info: self.refresh())
        self.ctx.undo_stack.indexChanged.connect(lambda _i: self.refresh())
        self.refresh()

    def _on_plan_switched(self, plan_id: int) -> None:
        # A file opens on its first plan, which may be a superseded revision: show the newest one
        # (the open amendment, or the revision in force) instead, as a planner expects.
        if plan_id and getattr(self, "_opened_db", None) is not self.ctx.db:  # first plan of this file
            self._opened_db = self.ctx.db
            newest = list_revisions(self.ctx.db, plan_id)[-1]
            if newest.id != plan_id:
                self.ctx.set_plan(newest.id)
                return
        self.refresh()

    # --- widgets ---------------------------------------------------------------------------
    def _make_banner(self) -> None:
        self.banner = QToolBar("وضعیت برنامه")
        self.banner.setObjectName("lifecycleBanner")
        self.banner.setMovable(False)
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(8, 2, 8, 2)
        self.banner_label = QLabel()
        self.banner_label.setObjectName("lifecycleBannerText")
        self.banner_label.setWordWrap(True)
        self.amend_button = QPushButton("شروع اصلاحیه")
        self.amend_button.setObjectName("startAmendment")
        self.amend_button.clicked.connect(self.start_amendment)
        self.banner_submit = QPushButton("آمادگی و ارسال…")
        self.banner_submit.setObjectName("bannerSubmit")
        self.banner_submit.clicked.connect(self.open_readiness)
        row.addWidget(self.banner_label, 1)
        row.addWidget(self.banner_submit)
        row.addWidget(self.amend_button)
        self.banner_box = box
        self.banner.addWidget(box)
        self.window.addToolBarBreak()
        self.window.addToolBar(self.banner)

    def _action(self, text: str, slot: object, name: str) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        action.triggered.connect(slot)  # type: ignore[arg-type]
        return action

    def _make_menu(self) -> None:
        menu = self.window.menuBar().addMenu("چرخه &عمر")
        menu.setObjectName("lifecycleMenu")
        self.readiness_action = self._action("&آمادگی و ارسال برای بررسی…", self.open_readiness, "readiness")
        self.return_action = self._action("&بازگرداندن برای اصلاح…", self.open_return, "returnForRevision")
        self.approve_action = self._action("&ثبت تصویب شورا…", self.open_approval, "approve")
        self.archive_action = self._action("&بایگانی", self.archive, "archive")
        self.amend_action = self._action("شروع ا&صلاحیه", self.start_amendment, "amend")
        self.compare_action = self._action("&مقایسه ویرایش‌ها و نسخه‌ها…", self.open_compare, "compare")
        self.roll_action = self._action("&پیش‌برد برنامه‌های عملیاتی…", self.open_roll_forward, "rollForward")
        self.year_end_action = self._action("ثبت نسخه &پایان سال (تفریغ)…", lambda: self.take_year_end(),
                                            "yearEndSnapshot")
        self.reporting_action = self._action("انضباط &گزارش‌دهی و تاریخچه تغییرات…", self.open_reporting,
                                             "reporting")
        menu.addActions([self.readiness_action, self.return_action, self.approve_action, self.archive_action])
        menu.addSeparator()
        menu.addActions([self.amend_action, self.compare_action, self.roll_action, self.year_end_action])
        menu.addSeparator()
        menu.addAction(self.reporting_action)
        self.menu = menu

    # --- state -----------------------------------------------------------------------------
    def plan(self) -> plans.PlanInfo | None:
        if not self.ctx.plan_id:
            return None
        try:
            return plans.get_plan(self.ctx.db, self.ctx.plan_id)
        except PlannerError:
            return None

    def refresh(self) -> None:
        plan = self.plan()
        status = plan.status if plan else None
        self.window._update_actions()  # the window's own rules, then planner_gui.read_only's reason on top
        self.readiness_action.setEnabled(status == "draft")
        self.return_action.setEnabled(status == "submitted")
        self.approve_action.setEnabled(status == "submitted")
        self.archive_action.setEnabled(status == "approved")
        self.amend_action.setEnabled(status == "approved")
        self.compare_action.setEnabled(plan is not None)
        self.reporting_action.setEnabled(plan is not None)
        self.year_end_action.setEnabled(plan is not None)
        self.roll_action.setEnabled(plan is not None and status in ("draft", "approved"))
        self.window.read_only_guard.apply()  # a file opened read-only greys the workflow too
        # A received plan's banner is the exchange's (with «برگزیدن»): one banner per reason.
        self.banner.setVisible(plan is not None and not plans.is_reference(plan))
        if plan is None:
            return
        self.banner_box.setStyleSheet(BANNER_STYLES.get(plan.status, ""))
        self.banner_label.setText(self.banner_text(plan))
        later = [r for r in list_revisions(self.ctx.db, plan.id) if r.revision > plan.revision]
        self.later_revision = later[-1].id if later else None
        self.amend_button.setText(f"رفتن به ویرایش {fa(later[-1].revision)}" if later else "شروع اصلاحیه")
        self.amend_button.setVisible(plan.status == "approved" or bool(later))
        self.banner_submit.setVisible(plan.status == "draft")

    def banner_text(self, plan: plans.PlanInfo) -> str:
        revision = f"ویرایش {fa(plan.revision)}"
        if plan.status == "approved":
            record = workflow.approval_record(self.ctx.db, plan.id)
            text = f"مصوب — {revision}؛ فقط‌خواندنی"
            newer = [r for r in list_revisions(self.ctx.db, plan.id) if r.revision > plan.revision]
            if any(r.status in ("approved", "archived") for r in newer):
                text = f"مصوب و جایگزین‌شده با اصلاحیه — {revision}؛ فقط‌خواندنی"
            if record is not None:
                text += (f". مصوبه شورا شماره {fa(record.resolution_no)} مورخ "
                         f"{format_jalali(record.resolution_date)}؛ اثر انگشت {record.fingerprint[:16]}…")
            return text + ". پایش (مقدار واقعی، گزارش فصلی، ارزیابی پایان سال) ادامه دارد."
        if plan.status == "submitted":
            return f"در حال بررسی — {revision}؛ فقط‌خواندنی تا تصویب یا بازگشت برای اصلاح."
        if plan.status == "archived":
            return f"بایگانی — {revision}؛ فقط‌خواندنی."
        comments = [c for c in workflow.comments(self.ctx.db, plan.id) if not c.resolved]
        text = f"پیش‌نویس — {revision}" + ("؛ اصلاحیه برنامه مصوب" if plan.supersedes_id else "")
        if comments:
            text += f"؛ {fa(len(comments))} نظر بازبین: «{comments[-1].body}»"
        return text

    # --- actions ---------------------------------------------------------------------------
    def _keep(self, widget: QWidget) -> QWidget:
        self.opened.append(widget)
        widget.destroyed.connect(lambda _o=None, w=widget: self.opened.remove(w) if w in self.opened else None)
        widget.show()
        return widget

    def open_readiness(self) -> ReadinessDialog | None:
        if not self.ctx.plan_id:
            return None
        return self._keep(ReadinessDialog(self.ctx, self.ctx.plan_id, self.window))  # type: ignore[return-value]

    def open_return(self) -> ReturnDialog | None:
        if not self.ctx.plan_id:
            return None
        info = self.window.current()
        node = info if isinstance(info, NodeInfo) else None
        label = f"{LABELS[node.kind]} «{node.title}»" if node else ""
        return self._keep(ReturnDialog(self.ctx, self.ctx.plan_id, node.id if node else None, label,
                                       self.window))  # type: ignore[return-value]

    def open_approval(self) -> ApprovalDialog | None:
        if not self.ctx.plan_id:
            return None
        return self._keep(ApprovalDialog(self.ctx, self.ctx.plan_id, self.window))  # type: ignore[return-value]

    def archive(self) -> bool:
        return self._step(lambda plan_id: workflow.archive(self.ctx.db, plan_id))

    def start_amendment(self) -> bool:
        """Start an amendment, or, when this revision already has a later one, go to it."""
        if getattr(self, "later_revision", None):
            self.ctx.set_plan(self.later_revision)
            return True
        return self._step(lambda plan_id: workflow.revise(self.ctx.db, plan_id))

    def _step(self, run) -> bool:  # type: ignore[no-untyped-def]
        if not self.ctx.plan_id:
            return False
        try:
            result = run(self.ctx.plan_id)
        except PlannerError as error:
            QMessageBox.warning(self.window, "چرخه عمر برنامه", str(error))
            return False
        if result.plan_id != self.ctx.plan_id:
            self.ctx.set_plan(result.plan_id)
        self.ctx.changed.emit("plan", result.plan_id)
        self.window.show_message(f"برنامه اکنون «{result.status}» است (ویرایش {fa(result.revision)}).")
        return True

    def open_compare(self) -> CompareWindow | None:
        if not self.ctx.plan_id:
            return None
        return self._keep(CompareWindow(self.ctx, self.ctx.plan_id, self.window))  # type: ignore[return-value]

    def take_year_end(self, year: int | None = None) -> bool:
        """Keep the plan as it stands at a year's end (after the evaluation), to compare and print later."""
        from PySide6.QtWidgets import QInputDialog

        from planner_core.jalali import current_fiscal_period
        from planner_core.lifecycle.snapshots import take_snapshot

        plan = self.plan()
        if plan is None:
            return False
        if year is None:
            default = min(max(current_fiscal_period()[0] - 1, plan.first_year), plan.last_year)
            year, ok = QInputDialog.getInt(self.window, "نسخه پایان سال", "سال مالی", default, plan.first_year,
                                           plan.last_year)
            if not ok:
                return False
        try:
            info = take_snapshot(self.ctx.db, plan.id, "year_end", year=year, label=f"تفریغ {fa(year)}")
        except PlannerError as error:
            QMessageBox.warning(self.window, "نسخه پایان سال", str(error))
            return False
        self.window.show_message(f"نسخه پایان سال {fa(year)} (شماره {fa(info.id)}) ثبت شد.")
        return True

    def open_reporting(self) -> QWidget | None:
        if not self.ctx.plan_id:
            return None
        from planner_gui.lifecycle.reporting import ReportingWindow

        def current_node() -> int | None:
            info = self.window.current()
            return info.id if isinstance(info, NodeInfo) else None

        return self._keep(ReportingWindow(self.ctx, self.window, current_node))

    def open_roll_forward(self) -> RollForwardDialog | None:
        plan = self.plan()
        if plan is None:
            return None
        first = plan.first_year + 2
        return self._keep(RollForwardDialog(self.ctx, plan.id, f"{plan.code}@{plan.revision}",
                                            f"{first}-{min(first + 1, plan.last_year)}",
                                            self.window))  # type: ignore[return-value]


def install(window: MainWindow) -> Lifecycle:
    window.lifecycle = Lifecycle(window)  # type: ignore[attr-defined]
    return window.lifecycle  # type: ignore[attr-defined]
