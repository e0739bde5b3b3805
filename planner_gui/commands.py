"""Undo commands: each calls one planner_core service and commits at once; undo calls the inverse.

A command is applied once *before* it goes on the stack (:func:`execute`): if the service
refuses, nothing lands on the stack and the caller shows the Persian message.  After every
apply/undo the context announces what changed:

- ``changed("tree", parent_id or 0)``: the children of that parent (0: the plan's axes)
  were added, removed, moved or renumbered;
- ``changed("node", node_id)``: that node's fields changed;
- ``changed("plan", plan_id)``: the plan row changed, was created or removed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from planner_core import nodes, plans
from planner_core.errors import PlannerError
from planner_core.fields import label as field_label
from planner_core.levels import LABELS
from planner_core.nodes import NodeInfo, Snapshot
from planner_core.plans import PlanInfo
from planner_core.text import to_persian_digits
from planner_gui.context import AppContext


class _ErrorRelay(QObject):
    """Failures during a later undo/redo (the stack calls us, nobody can catch): say them."""

    message = Signal(str)


errors = _ErrorRelay()


class ServiceCommand(QUndoCommand):
    """Base: ``apply()``/``revert()`` call services; redo/undo guard them against errors."""

    def __init__(self, ctx: AppContext, text: str = "") -> None:
        super().__init__(text)
        self.ctx = ctx
        self._applied_once = False

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if not self._applied_once:  # the first apply happened in execute()
            self._applied_once = True
            return
        self._guard(self.apply)

    def undo(self) -> None:
        self._guard(self.revert)

    def _guard(self, call: Any) -> None:
        try:
            call()
        except PlannerError as exc:
            # The store did not change (the unit of work rolled back); drop this step.
            self.setObsolete(True)
            errors.message.emit(str(exc))


def execute(ctx: AppContext, command: ServiceCommand) -> PlannerError | None:
    """Apply ``command`` now and put it on the undo stack; on refusal return the error instead."""
    try:
        command.apply()
    except PlannerError as exc:
        return exc
    ctx.push(command)  # redo() is called by push and skips the already-done first apply
    return None


def _quoted(title: str, limit: int = 40) -> str:
    short = title if len(title) <= limit else title[: limit - 1] + "…"
    return f"«{short}»"


# --- nodes -----------------------------------------------------------------------------------

class AddNodeCommand(ServiceCommand):
    def __init__(self, ctx: AppContext, plan_id: int, parent_id: int | None, kind: str, title: str,
                 position: int | None = None, **values: Any) -> None:
        super().__init__(ctx, f"افزودن {LABELS[kind]} {_quoted(title)}")
        self.plan_id, self.parent_id, self.kind = plan_id, parent_id, kind
        self.title, self.position, self.values = title, position, values
        self.node: NodeInfo | None = None
        self._snapshot: Snapshot | None = None

    def apply(self) -> None:
        if self._snapshot is None:
            self.node = nodes.add_node(self.ctx.db, self.plan_id, self.parent_id, self.kind,
                                       title=self.title, position=self.position, **self.values)
        else:  # a redo: the same row, id and UUID come back
            self.node = nodes.restore_node(self.ctx.db, self._snapshot)
        self.ctx.changed.emit("tree", self.parent_id or 0)

    def revert(self) -> None:
        assert self.node is not None
        self._snapshot = nodes.delete_node(self.ctx.db, self.node.id)
        self.ctx.changed.emit("tree", self.parent_id or 0)


class EditNodeCommand(ServiceCommand):
    def __init__(self, ctx: AppContext, node: NodeInfo, changes: dict[str, Any]) -> None:
        if len(changes) == 1:
            name = next(iter(changes))
            text = f"ویرایش {field_label('responsible_unit' if name == 'responsible_unit_id' else name)}"
        else:
            text = f"ویرایش {LABELS[node.kind]} {_quoted(node.title)}"
        super().__init__(ctx, text)
        self.node_id, self.parent_id = node.id, node.parent_id
        current = node.values()
        self.before = {key: current[key] for key in changes}
        self.after = dict(changes)

    def _set(self, values: dict[str, Any]) -> None:
        nodes.update_node(self.ctx.db, self.node_id, **values)
        if "code" in values:
            self.ctx.changed.emit("tree", self.parent_id or 0)
        self.ctx.changed.emit("node", self.node_id)

    def apply(self) -> None:
        self._set(self.after)

    def revert(self) -> None:
        self._set(self.before)


class DeleteNodeCommand(ServiceCommand):
    def __init__(self, ctx: AppContext, node: NodeInfo, descendants: int) -> None:
        text = f"حذف {LABELS[node.kind]} {_quoted(node.title)}"
        if descendants:
            text += f" و {to_persian_digits(descendants)} زیرمجموعه"
        super().__init__(ctx, text)
        self.node_id, self.parent_id = node.id, node.parent_id
        self._snapshot: Snapshot | None = None

    def apply(self) -> None:
        self._snapshot = nodes.delete_node(self.ctx.db, self.node_id)
        self.ctx.changed.emit("tree", self.parent_id or 0)

    def revert(self) -> None:
        assert self._snapshot is not None
        nodes.restore_node(self.ctx.db, self._snapshot)
        self.ctx.changed.emit("tree", self.parent_id or 0)


class MoveNodeCommand(ServiceCommand):
    def __init__(self, ctx: AppContext, node: NodeInfo, new_parent_id: int | None, position: int,
                 text: str = "") -> None:
        super().__init__(ctx, text or f"جابه‌جایی {LABELS[node.kind]} {_quoted(node.title)}")
        self.node_id = node.id
        self.new_parent_id, self.position = new_parent_id, position
        self.old: tuple[int | None, int] | None = None

    def _announce(self) -> None:
        assert self.old is not None
        self.ctx.changed.emit("tree", self.old[0] or 0)
        if self.new_parent_id != self.old[0]:
            self.ctx.changed.emit("tree", self.new_parent_id or 0)
        self.ctx.changed.emit("node", self.node_id)

    def apply(self) -> None:
        self.old = nodes.move_node(self.ctx.db, self.node_id, self.new_parent_id, self.position)
        self._announce()

    def revert(self) -> None:
        assert self.old is not None
        nodes.move_node(self.ctx.db, self.node_id, *self.old)
        self._announce()


# --- plans -----------------------------------------------------------------------------------

class CreatePlanCommand(ServiceCommand):
    def __init__(self, ctx: AppContext, **values: Any) -> None:
        super().__init__(ctx, f"ایجاد برنامه راهبردی {_quoted(str(values.get('title', '')))}")
        self.values = values
        self.plan: PlanInfo | None = None

    def apply(self) -> None:
        if self.plan is None:
            self.plan = plans.create_plan(self.ctx.db, **self.values)
        else:
            self.plan = plans.restore_plan(self.ctx.db, self.plan)
        self.ctx.changed.emit("plan", self.plan.id)
        self.ctx.set_plan(self.plan.id)

    def revert(self) -> None:
        assert self.plan is not None
        plans.delete_plan(self.ctx.db, self.plan.id)
        remaining = plans.list_plans(self.ctx.db)
        self.ctx.changed.emit("plan", self.plan.id)
        self.ctx.set_plan(remaining[0].id if remaining else None)


class EditPlanCommand(ServiceCommand):
    # PlanInfo attribute for each update_plan keyword.
    FIELDS = {"code": "code", "title": "title", "first_year": "first_year", "last_year": "last_year",
              "vision": "vision", "mission": "mission", "status": "status",
              "on_track": "on_track", "at_risk": "at_risk"}

    def __init__(self, ctx: AppContext, plan: PlanInfo, changes: dict[str, Any]) -> None:
        if len(changes) == 1:
            text = f"ویرایش {field_label(next(iter(changes)))} برنامه"
        else:
            text = f"ویرایش برنامه راهبردی {_quoted(plan.title)}"
        super().__init__(ctx, text)
        self.plan_id = plan.id
        self.before = {key: getattr(plan, self.FIELDS[key]) for key in changes}
        self.after = dict(changes)

    def _set(self, values: dict[str, Any]) -> None:
        plans.update_plan(self.ctx.db, self.plan_id, **values)
        self.ctx.changed.emit("plan", self.plan_id)

    def apply(self) -> None:
        self._set(self.after)

    def revert(self) -> None:
        self._set(self.before)
