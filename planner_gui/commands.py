"""Undo commands: each calls one planner_core service and commits at once; undo calls the inverse.

This is the one undo-command helper of the GUI.  A command is applied once *before* it goes on
the stack (:func:`execute`): if the service refuses, nothing lands on the stack and the caller
gets the error to show.  A later undo/redo that fails marks the command obsolete (QUndoStack
drops it) and reports the error to the command's ``on_error``, or else to :data:`errors`.
An unexpected exception (a bug, not a refusal) is logged with its traceback and reported as
the generic Persian message :data:`planner_gui.worker.UNEXPECTED`, the same way.

Two forms:

- a subclass overrides ``apply()``/``revert()`` (and announces what changed itself, or sets
  ``kind`` and returns the changed id);
- the callable form passes ``apply``/``revert`` callables that return the id changed, and the
  ``kind`` that ``ctx.changed`` announces with it ("indicator", "allocation", "report", ...).

What the node and plan commands below announce:

- ``changed("tree", parent_id or 0)``: the children of that parent (0: the plan's axes)
  were added, removed, moved or renumbered;
- ``changed("node", node_id)``: that node's fields changed;
- ``changed("plan", plan_id)``: the plan row changed, was created or removed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand

from planner_core import nodes, plans
from planner_core.errors import PlannerError
from planner_core.fields import label as field_label
from planner_core.levels import LABELS
from planner_core.nodes import NodeInfo, Snapshot
from planner_core.plans import PlanInfo
from planner_core.safety.busy import StoreBusyError, StoreReadOnlyError, as_planner_error, retry_on_busy
from planner_core.text import normalize_text, to_persian_digits, without_controls
from planner_gui.context import AppContext
from planner_gui.worker import UNEXPECTED

log = logging.getLogger(__name__)

ErrorSink = Callable[[PlannerError], None]
Step = Callable[[], int | None]


class _ErrorRelay(QObject):
    """Failures during a later undo/redo (the stack calls us, nobody can catch): say them."""

    message = Signal(str)


errors = _ErrorRelay()


class ServiceCommand(QUndoCommand):
    """An undoable edit: ``apply()`` calls a service, ``revert()`` its inverse.

    Either override both, or pass ``apply``/``revert`` callables returning the id changed;
    with ``kind`` set, every successful apply and revert announces ``ctx.changed(kind, id)``.
    """

    def __init__(self, ctx: AppContext, text: str = "", kind: str | None = None,
                 apply: Step | None = None, revert: Step | None = None,
                 on_error: ErrorSink | None = None) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.kind = kind
        self._apply_step, self._revert_step = apply, revert
        self.on_error = on_error
        self._applied_by_execute = False
        self._skip_undo = False  # set when a redo failed on a lock and the stack is put back

    def apply(self) -> int | None:
        if self._apply_step is None:
            raise NotImplementedError
        return self._apply_step()

    def revert(self) -> int | None:
        if self._revert_step is None:
            raise NotImplementedError
        return self._revert_step()

    def announce(self, changed_id: int | None) -> None:
        """Tell open views what changed (subclasses that announce in apply/revert keep kind None)."""
        if self.kind is not None:
            self.ctx.changed.emit(self.kind, int(changed_id or 0))

    def run(self, step: Step) -> PlannerError | None:
        """Call ``step`` and announce; return the refusal (or the generic message for a bug)."""
        if getattr(self.ctx.db, "read_only", False):
            return StoreReadOnlyError()
        try:
            changed_id = retry_on_busy(step)
        except PlannerError as exc:
            return exc  # the unit of work rolled back: the store did not change
        except Exception as exc:
            refusal = as_planner_error(exc)  # locked, read-only, disk full: nothing was written
            if refusal is None:
                log.exception("undo command «%s» failed", self.text())
            return refusal or PlannerError(UNEXPECTED)
        self.announce(changed_id)
        return None

    def redo(self) -> None:
        if self._applied_by_execute:  # execute() did the first apply
            self._applied_by_execute = False
            return
        self._guard(self.apply)

    def undo(self) -> None:
        if self._skip_undo:  # the stack is being put back after a redo that failed on a lock
            self._skip_undo = False
            return
        self._guard(self.revert, undoing=True)

    def _guard(self, step: Step, undoing: bool = False) -> None:
        failure = self.run(step)
        if failure is None:
            return
        if isinstance(failure, StoreBusyError):
            self._stay_on_stack(undoing)
        else:
            self.setObsolete(True)  # QUndoStack deletes an obsolete command instead of keeping it
        if self.on_error is not None:
            self.on_error(failure)
        else:
            errors.message.emit(str(failure))


    def _stay_on_stack(self, undoing: bool) -> None:
        """Nothing happened (the file was locked): keep the command and put the stack back where it
        was, so the same undo/redo can simply be tried again.  The stack moves its index after this
        call returns, hence the deferred setIndex; the step it replays is skipped."""
        stack = self.ctx.undo_stack
        index = stack.index()
        if undoing:
            self._applied_by_execute = True  # the redo that setIndex replays did not un-happen
        else:
            self._skip_undo = True
        QTimer.singleShot(0, lambda: stack.setIndex(index))


class AddCommand(ServiceCommand):
    """Adding a row: the service adds it once; undo deletes it; redo restores that same row
    (same id and UUID, as the delete returned it) instead of adding a new one."""

    def __init__(self, ctx: AppContext, text: str, kind: str, add: Callable[[], Any],
                 delete: Callable[[int], Any], restore: Callable[[Any], Any],
                 on_error: ErrorSink | None = None) -> None:
        super().__init__(ctx, text, kind, on_error=on_error)
        self._add, self._delete, self._restore = add, delete, restore
        self.added: Any = None  # the row as added (its .id), once applied
        self._removed: Any = None  # the row as the undo's delete returned it

    def apply(self) -> int:
        if self.added is None:
            self.added = self._add()
        else:
            self._restore(self._removed if self._removed is not None else self.added)
        return int(self.added.id)

    def revert(self) -> int:
        self._removed = self._delete(self.added.id)
        return int(self.added.id)


def execute(ctx: AppContext, command: ServiceCommand, show: ErrorSink | None = None) -> PlannerError | None:
    """Apply ``command`` now and put it on the undo stack; on refusal return the error instead.

    ``show``, when given, is also handed a refusal at once (e.g. a tab's message line), for
    callers that both show it there and pass it back to a dialog.
    """
    failure = command.run(command.apply)
    if failure is not None:
        if show is not None:
            show(failure)
        return failure
    command._applied_by_execute = True
    ctx.push(command)  # push calls redo(), which skips the apply already done
    return None


def quoted(title: str, limit: int = 40) -> str:
    """A typed title as an undo text shows it: in the store's normal form, cut to ``limit`` letters,
    so the undo/redo buttons (whose text this becomes) stay small."""
    clean = " ".join(normalize_text(without_controls(title)).split())  # never fails on a surrogate half
    short = clean if len(clean) <= limit else clean[: limit - 1].rstrip() + "…"
    return f"«{short}»"


# --- nodes -----------------------------------------------------------------------------------

# The undo id shared by adding a node and renaming it right after: QUndoStack offers the rename
# to the add (mergeWith), so add-then-rename is one undo step «افزودن پروژه «عنوان نهایی»».
ADD_THEN_RENAME_ID = 1001


class AddNodeCommand(ServiceCommand):
    def __init__(self, ctx: AppContext, plan_id: int, parent_id: int | None, kind: str, title: str,
                 position: int | None = None, **values: Any) -> None:
        super().__init__(ctx, f"افزودن {LABELS[kind]} {quoted(title)}")
        # ``kind`` is the announcing kind of ServiceCommand; this command announces in apply/revert.
        self.plan_id, self.parent_id, self.node_kind = plan_id, parent_id, kind
        self.title, self.position, self.values = title, position, values
        self.node: NodeInfo | None = None
        self._snapshot: Snapshot | None = None

    def id(self) -> int:
        return ADD_THEN_RENAME_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Take a rename of the node just added into this step (one undo removes it, titled as typed)."""
        if not isinstance(other, EditNodeCommand) or self.node is None or other.node_id != self.node.id \
                or set(other.after) != {"title"} or self._snapshot is not None:
            return False
        self.title = str(other.after["title"])
        self.setText(f"افزودن {LABELS[self.node_kind]} {quoted(self.title)}")
        return True

    def apply(self) -> None:
        if self._snapshot is None:
            self.node = nodes.add_node(self.ctx.db, self.plan_id, self.parent_id, self.node_kind,
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
            text = f"ویرایش {LABELS[node.kind]} {quoted(node.title)}"
        super().__init__(ctx, text)
        self.node_id, self.parent_id = node.id, node.parent_id
        current = node.values()
        self.before = {key: current[key] for key in changes}
        self.after = dict(changes)

    def id(self) -> int:
        # A title edit may join the AddNodeCommand just before it (see AddNodeCommand.mergeWith).
        return ADD_THEN_RENAME_ID if set(self.after) == {"title"} else -1

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
        text = f"حذف {LABELS[node.kind]} {quoted(node.title)}"
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
        super().__init__(ctx, text or f"جابه‌جایی {LABELS[node.kind]} {quoted(node.title)}")
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
        super().__init__(ctx, f"ایجاد برنامه راهبردی {quoted(str(values.get('title', '')))}")
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
              "on_track": "on_track", "at_risk": "at_risk", "preface": "preface",
              "mayor_message": "mayor_message", "methodology": "methodology", "plan_values": "plan_values"}

    def __init__(self, ctx: AppContext, plan: PlanInfo, changes: dict[str, Any]) -> None:
        if len(changes) == 1:
            text = f"ویرایش {field_label(next(iter(changes)))} برنامه"
        else:
            text = f"ویرایش برنامه راهبردی {quoted(plan.title)}"
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
