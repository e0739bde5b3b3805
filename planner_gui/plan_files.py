"""File menu entries over whole plans and files: save a copy of the file, duplicate the open plan,
delete it (after a backup), and the report actions that need a plan to be open.

Each entry asks first where something is lost or made, calls one planner_core.plan_files service
and says in the status bar what happened (with the path of the copy or backup).  Duplicating and
deleting a plan are undo steps: undo of a duplicate removes the copy, redo brings back the same rows
(same UUIDs); undo of a delete puts the plan back from its snapshot (the backup stays as well).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from planner_core import plan_files, plans
from planner_core.errors import PlannerError
from planner_core.text import ltr
from planner_gui.commands import ServiceCommand, execute, quoted
from planner_gui.read_only import lock
from planner_gui.shortcuts import DISABLED_REASON

NO_PLAN_TIP = "نخست یک برنامه راهبردی باز کنید یا بسازید؛ این گزارش از برنامه باز ساخته می‌شود."


class _PlanCommand(ServiceCommand):
    """A whole plan that comes and goes: ``_remove`` keeps its snapshot, ``_restore`` puts it back."""

    def __init__(self, ctx, text: str) -> None:
        super().__init__(ctx, text)
        self.plan: plans.PlanInfo | None = None
        self.snapshot: plan_files.PlanSnapshot | None = None
        self.backup: Path | None = None

    def _remove(self) -> None:
        assert self.plan is not None
        self.snapshot = plan_files.remove_plan(self.ctx.db, self.plan.id)
        self.ctx.changed.emit("plan", self.plan.id)
        remaining = plans.list_plans(self.ctx.db)
        self.ctx.set_plan(remaining[0].id if remaining else None)

    def _restore(self) -> None:
        assert self.snapshot is not None
        self.plan = plan_files.restore_plan_snapshot(self.ctx.db, self.snapshot)
        self.ctx.changed.emit("plan", self.plan.id)
        self.ctx.set_plan(self.plan.id)


class DuplicatePlanCommand(_PlanCommand):
    def __init__(self, ctx, original: plans.PlanInfo) -> None:
        super().__init__(ctx, f"رونوشت برنامه {quoted(original.title)}")
        self.original_id = original.id

    def apply(self) -> None:
        if self.snapshot is None:  # the first time: make the copy
            self.plan = plan_files.duplicate_plan(self.ctx.db, self.original_id)
            self.ctx.changed.emit("plan", self.plan.id)
            self.ctx.set_plan(self.plan.id)
        else:  # redo: the same copy, same UUIDs
            self._restore()

    def revert(self) -> None:
        self._remove()


class DeletePlanCommand(_PlanCommand):
    def __init__(self, ctx, plan: plans.PlanInfo) -> None:
        super().__init__(ctx, f"حذف برنامه {quoted(plan.title)}")
        self.plan = plan

    def apply(self) -> None:
        if self.backup is None:  # a copy of the whole file first, the first time only
            self.backup = plan_files.backup_before_delete(self.ctx.db, self.plan.id) or Path()
        self._remove()

    def revert(self) -> None:
        self._restore()


class PlanFileActions(QObject):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        ctx = window.ctx  # type: ignore[attr-defined]
        self.ctx = ctx
        self.save_copy_action = self._action("ذخیره &رونوشت به نام…", self.save_copy_dialog, "saveCopy",
                                             "نسخه کاملی از فایل باز را جای دیگری ذخیره می‌کند (فایل باز همین می‌ماند).")
        self.duplicate_action = self._action("&رونوشت برنامه", self.duplicate_plan, "duplicatePlan",
                                             "پیش‌نویس تازه‌ای از برنامه باز با همه سطح‌ها، شاخص‌ها و تخصیص‌ها")
        self.delete_plan_action = self._action("حذف &برنامه…", self.delete_plan, "deletePlan",
                                               "کل برنامه باز را پس از گرفتن پشتیبان حذف می‌کند (واگردانی برمی‌گرداند).")
        menu = window.menuBar().actions()[0].menu()  # «پرونده»
        before = getattr(window, "quit_action", None)
        menu.insertSeparator(before)
        for action in (self.save_copy_action, self.duplicate_action, self.delete_plan_action):
            menu.insertAction(before, action)
        menu.insertSeparator(before)
        window.reports_menu.setToolTipsVisible(True)  # type: ignore[attr-defined]
        ctx.plan_switched.connect(lambda _id: self.update())
        self.update()

    def _action(self, text: str, slot, name: str, tip: str) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _c=False: slot())
        return action

    def update(self) -> None:
        """What needs an open plan is off (and says why) while none is open."""
        has_plan = bool(self.ctx.plan_id)
        for action in (self.duplicate_action, self.delete_plan_action):
            action.setEnabled(has_plan)
        for action in getattr(self.window, "report_actions", []):
            action.setProperty(DISABLED_REASON, NO_PLAN_TIP)  # shortcuts.py keeps the shortcut tip otherwise
            action.setEnabled(has_plan)
            lock(action, None if has_plan else NO_PLAN_TIP)  # greyed saying why, as read-only actions are

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 15_000)

    def _fail(self, error: PlannerError | str) -> None:
        self.window.show_message(str(error))  # type: ignore[attr-defined]

    # --- the entries -------------------------------------------------------------------------
    def save_copy_dialog(self) -> Path | None:
        start = getattr(self.window, "path", None)
        suggestion = str(start.with_name(f"{start.stem}-رونوشت.db")) if start else ""
        name, _ = QFileDialog.getSaveFileName(self.window, "ذخیره رونوشت فایل برنامه", suggestion,
                                              "فایل برنامه‌نگار (*.db)")
        return self.save_copy(Path(name)) if name else None

    def save_copy(self, target: Path) -> Path | None:
        try:
            written = plan_files.save_copy(self.ctx.db, target)
        except PlannerError as exc:
            self._fail(exc)
            return None
        self._say(f"رونوشت فایل ذخیره شد: {ltr(written)}")
        return written

    def duplicate_plan(self) -> plans.PlanInfo | None:
        if not self.ctx.plan_id:
            return None
        try:
            original = plans.get_plan(self.ctx.db, self.ctx.plan_id)
        except PlannerError as exc:
            self._fail(exc)
            return None
        command = DuplicatePlanCommand(self.ctx, original)
        if execute(self.ctx, command, self._fail) is not None or command.plan is None:
            return None
        copy = command.plan
        self._say(f"رونوشت برنامه با کد «{copy.code}» ساخته و باز شد؛ «واگردانی» آن را کنار می‌گذارد.")
        return copy

    def delete_plan(self, confirm: bool = True) -> Path | None:
        plan_id = self.ctx.plan_id
        if not plan_id:
            return None
        try:
            plan = plans.get_plan(self.ctx.db, plan_id)
        except PlannerError as exc:
            self._fail(exc)
            return None
        if confirm:
            answer = QMessageBox.question(
                self.window, "حذف برنامه",
                f"برنامه «{plan.title}» با همه سطح‌ها، شاخص‌ها، تخصیص‌ها و گزارش‌هایش حذف شود؟\n"
                "پیش از حذف، پشتیبانی از فایل گرفته می‌شود؛ «واگردانی» هم برنامه را برمی‌گرداند.")
            if answer != QMessageBox.StandardButton.Yes:
                return None
        command = DeletePlanCommand(self.ctx, plan)
        if execute(self.ctx, command, self._fail) is not None:
            return None
        backup = command.backup if command.backup and command.backup != Path() else None
        where = f" پشتیبان: {ltr(backup)}" if backup else ""
        self._say(f"برنامه «{plan.title}» حذف شد.{where}")
        return backup or Path()


def install(window: QMainWindow) -> PlanFileActions:
    return PlanFileActions(window)
