"""Undo commands of the budget window: each calls one planner_core service, undo calls its inverse.

A command is applied once before it goes on the stack (:func:`execute`): when the service
refuses, nothing lands on the stack and the caller shows the Persian message.  Every apply and
undo announces ``ctx.changed("budget", code_id)`` so open views refresh.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from planner_core import budget, fields
from planner_core.errors import PlannerError
from planner_core.levels import AMENDMENT_KIND_LABELS
from planner_core.text import format_money, to_persian_digits
from planner_gui.context import AppContext

ErrorSink = Callable[[PlannerError], None]


class BudgetCommand(QUndoCommand):
    """``apply``/``revert`` call services; a refusal on a later undo/redo drops the step."""

    def __init__(self, ctx: AppContext, text: str, code_id: int, on_error: ErrorSink | None = None) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.code_id = code_id
        self.on_error = on_error
        self._first = True

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self._first:  # execute() already applied it
            self._first = False
            return
        self._guard(self.apply)

    def undo(self) -> None:
        self._guard(self.revert)

    def _guard(self, call: Callable[[], None]) -> None:
        try:
            call()
        except PlannerError as exc:
            self.setObsolete(True)
            if self.on_error is not None:
                self.on_error(exc)
            return
        self.announce()

    def announce(self) -> None:
        self.ctx.changed.emit("budget", self.code_id)


def execute(ctx: AppContext, command: BudgetCommand) -> PlannerError | None:
    """Apply ``command`` now and put it on the undo stack; on refusal return the error instead."""
    try:
        command.apply()
    except PlannerError as exc:
        return exc
    ctx.push(command)
    command.announce()
    return None


class SetCeilingCommand(BudgetCommand):
    """The approved ceiling of a code in one year; undo puts back what ``set_ceiling`` returned."""

    def __init__(self, ctx: AppContext, year: int, code_id: int, code: str, ceiling: object,
                 on_error: ErrorSink | None = None) -> None:
        super().__init__(ctx, f"سقف کد بودجه {to_persian_digits(code)} در سال {to_persian_digits(year)}",
                         code_id, on_error)
        self.year, self.code, self.ceiling = year, code, ceiling
        self.previous: int | None = None

    def apply(self) -> None:
        self.previous = budget.set_ceiling(self.ctx.db, self.year, self.code, self.ceiling)

    def revert(self) -> None:
        # A line that did not exist before goes back to a zero ceiling: the store has no
        # service that removes a budget line.
        budget.set_ceiling(self.ctx.db, self.year, self.code, self.previous or 0)


class AmendmentCommand(BudgetCommand):
    """A supplement or amendment (متمم/اصلاحیه).  Amendments are a ledger, never edited or
    deleted, so undo records the opposite amount as a reversing entry with the same date."""

    def __init__(self, ctx: AppContext, year: int, code_id: int, code: str, *, delta: object, when: object,
                 kind: str, reason: str, on_error: ErrorSink | None = None) -> None:
        super().__init__(ctx, f"{AMENDMENT_KIND_LABELS.get(kind, kind)} کد بودجه {to_persian_digits(code)}",
                         code_id, on_error)
        self.year, self.code, self.delta, self.when, self.kind, self.reason = year, code, delta, when, kind, reason
        self.rials: int | None = None

    def apply(self) -> None:
        budget.add_amendment(self.ctx.db, self.year, self.code, delta=self.rials if self.rials is not None
                             else self.delta, when=self.when, kind=self.kind, reason=self.reason)
        if self.rials is None:
            # Keep the amount as rials so undo reverses exactly what was stored.
            self.rials = fields.rials("delta", self.delta, allow_negative=True)

    def revert(self) -> None:
        assert self.rials is not None
        budget.add_amendment(self.ctx.db, self.year, self.code, delta=-self.rials, when=self.when,
                             kind=self.kind, reason=f"واگرد ثبت {format_money(self.rials)} میلیون ریال: "
                             f"{self.reason}".strip())


class CodeTitleCommand(BudgetCommand):
    def __init__(self, ctx: AppContext, code_id: int, code: str, title: str, before: str,
                 on_error: ErrorSink | None = None) -> None:
        super().__init__(ctx, f"عنوان کد بودجه {to_persian_digits(code)}", code_id, on_error)
        self.title, self.before = title, before

    def apply(self) -> None:
        budget.update_budget_code(self.ctx.db, self.code_id, title=self.title)

    def revert(self) -> None:
        budget.update_budget_code(self.ctx.db, self.code_id, title=self.before)
