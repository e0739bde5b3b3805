"""Undo commands of the budget window: each calls one planner_core service, undo calls its inverse.

They are :class:`planner_gui.commands.ServiceCommand` subclasses, run with
:func:`planner_gui.commands.execute`.  Every apply and undo announces
``ctx.changed("budget", code_id)`` so open views refresh.
"""

from __future__ import annotations

from planner_core import budget
from planner_core.backups import backup_before
from planner_core.levels import AMENDMENT_KIND_LABELS
from planner_core.text import ltr, to_persian_digits
from planner_gui.commands import ErrorSink, ServiceCommand
from planner_gui.context import AppContext


class BudgetCommand(ServiceCommand):
    """A budget edit; announces the code it changed (``code_id``, 0 for many)."""

    def __init__(self, ctx: AppContext, text: str, code_id: int, on_error: ErrorSink | None = None) -> None:
        super().__init__(ctx, text, on_error=on_error)
        self.code_id = code_id

    def announce(self, changed_id: int | None) -> None:
        self.ctx.changed.emit("budget", self.code_id)


class SetCeilingCommand(BudgetCommand):
    """The approved ceiling of a code in one year; undo puts back what ``set_ceiling`` returned."""

    def __init__(self, ctx: AppContext, year: int, code_id: int, code: str, ceiling: object,
                 on_error: ErrorSink | None = None) -> None:
        super().__init__(ctx, f"سقف کد بودجه {to_persian_digits(code)} در سال {to_persian_digits(year)}",
                         code_id, on_error)
        self.year, self.code, self.ceiling = year, code, ceiling
        self.previous: int | None = None
        self.year_existed = True

    def apply(self) -> None:
        self.year_existed = self.year in budget.budget_years(self.ctx.db)
        self.previous = budget.set_ceiling(self.ctx.db, self.year, self.code, self.ceiling)

    def revert(self) -> None:
        if self.previous is None:  # the code had no line in that year's budget before
            budget.remove_ceiling(self.ctx.db, self.year, self.code, drop_empty_year=not self.year_existed)
        else:
            budget.set_ceiling(self.ctx.db, self.year, self.code, self.previous)


class AmendmentCommand(BudgetCommand):
    """A supplement or amendment (متمم/اصلاحیه) recorded in the line's ledger; undo removes that
    entry again (recording is the user's act, so taking it back leaves no trace in the ledger)."""

    def __init__(self, ctx: AppContext, year: int, code_id: int, code: str, *, delta: object, when: object,
                 kind: str, reason: str, on_error: ErrorSink | None = None) -> None:
        super().__init__(ctx, f"{AMENDMENT_KIND_LABELS.get(kind, kind)} کد بودجه {to_persian_digits(code)}",
                         code_id, on_error)
        self.year, self.code, self.delta, self.when, self.reason = year, code, delta, when, reason
        self.amendment_kind = kind  # supplement or amendment (``kind`` is what ctx.changed announces)
        self.uuid: str | None = None

    def apply(self) -> None:
        self.uuid = budget.add_amendment(self.ctx.db, self.year, self.code, delta=self.delta, when=self.when,
                                         kind=self.amendment_kind, reason=self.reason)

    def revert(self) -> None:
        assert self.uuid is not None
        budget.delete_amendment(self.ctx.db, self.uuid)


class AddCodeCommand(BudgetCommand):
    def __init__(self, ctx: AppContext, code: str, title: str, parent_code: str | None,
                 on_error: ErrorSink | None = None) -> None:
        super().__init__(ctx, f"افزودن کد بودجه {to_persian_digits(code)}", 0, on_error)
        self.code, self.title, self.parent_code = code, title, parent_code
        self.info: budget.BudgetCodeInfo | None = None

    def apply(self) -> None:
        if self.info is None:
            self.info = budget.add_budget_code(self.ctx.db, code=self.code, title=self.title,
                                               parent_code=self.parent_code)
            self.code_id = self.info.id
        else:  # redo: the same row, id and UUID come back
            budget.restore_budget_code(self.ctx.db, self.info)

    def revert(self) -> None:
        budget.delete_budget_code(self.ctx.db, self.code_id)


class ImportCodesCommand(BudgetCommand):
    """``done``: the import already ran (in a background job); the first apply only records it."""

    def __init__(self, ctx: AppContext, rows: list[dict[str, object]], file_name: str,
                 on_error: ErrorSink | None = None, done: budget.CodeImport | None = None) -> None:
        super().__init__(ctx, f"ورود کدهای بودجه از «{ltr(file_name)}»", 0, on_error)
        self.rows = rows
        self.result: budget.CodeImport | None = done
        self._done_in_background = done is not None

    def apply(self) -> None:
        if self._done_in_background:
            self._done_in_background = False
            return
        if self.result is None:
            backup_before(self.ctx.db, "import")  # a verified backup first; if it fails, no import
        self.result = budget.import_budget_codes(self.ctx.db, self.rows)  # type: ignore[arg-type]

    def revert(self) -> None:
        assert self.result is not None
        budget.undo_code_import(self.ctx.db, self.result)


class CodeTitleCommand(BudgetCommand):
    def __init__(self, ctx: AppContext, code_id: int, code: str, title: str, before: str,
                 on_error: ErrorSink | None = None) -> None:
        super().__init__(ctx, f"عنوان کد بودجه {to_persian_digits(code)}", code_id, on_error)
        self.title, self.before = title, before

    def apply(self) -> None:
        budget.update_budget_code(self.ctx.db, self.code_id, title=self.title)

    def revert(self) -> None:
        budget.update_budget_code(self.ctx.db, self.code_id, title=self.before)
