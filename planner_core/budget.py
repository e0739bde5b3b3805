"""Budget codes, annual budgets (ceilings and amendments) and project allocations.

Money is an integer number of rials everywhere here; the GUI types and shows million rials.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import Allocation, AnnualBudget, BudgetAmendment, BudgetCode, BudgetLine, PlanNode
from planner_core import audit, fields, scope
from planner_core.errors import NotFoundError, RuleError, ValidationError
from planner_core.levels import AMENDMENT_KIND_LABELS, AMENDMENT_KINDS
from planner_core.nodes import require_kind
from planner_core.plans import ensure_editable, ensure_monitorable, load_plan
from planner_core.text import format_money, to_persian_digits


@dataclass(frozen=True)
class BudgetCodeInfo:
    id: int
    uuid: str
    code: str
    title: str
    parent_id: int | None
    parent_code: str | None
    level: int


@dataclass(frozen=True)
class AllocationInfo:
    id: int
    uuid: str
    project_id: int
    year: int
    budget_code_id: int
    budget_code: str
    budget_title: str
    amount: int
    spent: int


# --- budget codes --------------------------------------------------------------------------

def list_budget_codes(db: Database) -> list[BudgetCodeInfo]:
    with db.unit() as session:
        parent = select(BudgetCode.id, BudgetCode.code).subquery()
        rows = session.execute(select(BudgetCode, parent.c.code).outerjoin(
            parent, parent.c.id == BudgetCode.parent_id).order_by(BudgetCode.code)).all()
        return [BudgetCodeInfo(b.id, b.uuid, b.code, b.title, b.parent_id, p, b.level) for b, p in rows]


def allocatable_budget_codes(db: Database) -> list[BudgetCodeInfo]:
    """The codes a project may take an allocation from: those without sub-codes (see _check_allocation)."""
    codes = list_budget_codes(db)
    parents = {code.parent_id for code in codes}
    return [code for code in codes if code.id not in parents]


def code_by_text(session: Session, code: str) -> BudgetCode:
    row = session.scalars(select(BudgetCode).where(BudgetCode.code == fields.code("budget_code", code))).first()
    if row is None:
        raise ValidationError("budget_code", f"کد بودجه: کد «{to_persian_digits(code)}» در فهرست کدهای بودجه نیست.")
    return row


def add_budget_code(db: Database, *, code: str, title: str, parent_code: str | None = None) -> BudgetCodeInfo:
    with db.unit() as session:
        clean_code = fields.code("budget_code", code)
        if session.scalars(select(BudgetCode).where(BudgetCode.code == clean_code)).first():
            raise ValidationError("budget_code", f"کد بودجه: کد «{to_persian_digits(clean_code)}» از پیش هست.")
        parent = code_by_text(session, parent_code) if parent_code else None
        row = BudgetCode(code=clean_code, title=fields.text("title", title, required=True, max_length=300),
                         parent_id=parent.id if parent else None, level=(parent.level + 1) if parent else 1)
        session.add(row)
        session.flush()
        audit.record(session, "create", "budget_code", row.uuid, f"{row.code} {row.title}")
        return BudgetCodeInfo(row.id, row.uuid, row.code, row.title, row.parent_id,
                              parent.code if parent else None, row.level)


def update_budget_code(db: Database, code_id: int, *, title: str) -> None:
    with db.unit() as session:
        row = session.get(BudgetCode, code_id)
        if row is None:
            raise NotFoundError("کد بودجه پیدا نشد.")
        before = row.title
        row.title = fields.text("title", title, required=True, max_length=300)
        audit.record(session, "update", "budget_code", row.uuid, row.code, before=before, after=row.title)


# --- annual budgets ------------------------------------------------------------------------

def _annual(session: Session, year: int, create: bool = False) -> AnnualBudget:
    """The home municipality's budget of a year (budgets received with other cities' plans are theirs)."""
    budget = session.scalars(select(AnnualBudget).where(AnnualBudget.year == year, scope.budgets_of(session))
                             .order_by(AnnualBudget.id)).first()
    if budget is None:
        if not create:
            raise NotFoundError(f"بودجه سال {to_persian_digits(year)} ثبت نشده است.")
        budget = AnnualBudget(year=year, title=f"بودجه سال {to_persian_digits(year)}",
                              municipality_id=scope.home_id(session))
        session.add(budget)
        session.flush()
    return budget


def budget_years(db: Database, municipality_id: int | None = None) -> list[int]:
    """Years with a budget of this municipality (default: the file's own)."""
    with db.unit() as session:
        return sorted(set(session.scalars(select(AnnualBudget.year).where(scope.budgets_of(session, municipality_id)))))


def set_ceiling(db: Database, year: int | str, code: str, ceiling: object) -> int | None:
    """Set the approved ceiling of a code in a year's budget.  Returns the previous ceiling."""
    with db.unit() as session:
        fiscal_year = fields.year("year", year)
        assert fiscal_year is not None
        budget = _annual(session, fiscal_year, create=True)
        budget_code = code_by_text(session, code)
        amount = fields.rials("ceiling", ceiling)
        line = session.scalars(select(BudgetLine).where(
            BudgetLine.annual_budget_id == budget.id, BudgetLine.budget_code_id == budget_code.id)).first()
        previous = line.ceiling if line else None
        if line:
            line.ceiling = amount
        else:
            session.add(BudgetLine(annual_budget_id=budget.id, budget_code_id=budget_code.id, ceiling=amount))
        audit.record(session, "ceiling", "budget_line", budget.uuid, f"{fiscal_year} {budget_code.code}",
                     before=previous, after=amount)
        return previous


def add_amendment(db: Database, year: int | str, code: str, *, delta: object, when: object,
                  kind: str = "amendment", reason: str = "") -> str:
    """Record a supplement or amendment to a line (never overwrite the approved ceiling)."""
    with db.unit() as session:
        fiscal_year = fields.year("year", year)
        assert fiscal_year is not None
        budget = _annual(session, fiscal_year)
        budget_code = code_by_text(session, code)
        line = session.scalars(select(BudgetLine).where(
            BudgetLine.annual_budget_id == budget.id, BudgetLine.budget_code_id == budget_code.id)).first()
        if line is None:
            raise ValidationError("budget_code", "کد بودجه: این کد در بودجه آن سال سقفی ندارد که اصلاح شود.")
        amount = fields.rials("delta", delta, allow_negative=True)
        effective = line.ceiling + (session.scalar(select(func.coalesce(func.sum(BudgetAmendment.delta), 0))
                                                   .where(BudgetAmendment.budget_line_id == line.id)) or 0)
        if effective + amount < 0:
            raise ValidationError("delta", f"مبلغ تغییر: سقف اصلاح‌شده منفی می‌شود (سقف فعلی "
                                  f"{format_money(effective)} میلیون ریال).")
        row = BudgetAmendment(budget_line_id=line.id, date=fields.a_date("date", when, required=True),
                              kind=fields.choice("kind", kind, AMENDMENT_KINDS, AMENDMENT_KIND_LABELS),
                              delta=amount, reason=fields.text("reason", reason, max_length=5000))
        session.add(row)
        session.flush()
        audit.record(session, "create", "budget_amendment", row.uuid, f"{fiscal_year} {budget_code.code}",
                     after=amount)
        return row.uuid


# --- allocations ---------------------------------------------------------------------------

def _allocation_info(session: Session, row: Allocation) -> AllocationInfo:
    code = session.get(BudgetCode, row.budget_code_id)
    assert code is not None
    return AllocationInfo(row.id, row.uuid, row.project_id, row.year, row.budget_code_id, code.code,
                          code.title, row.amount, row.spent)


def list_allocations(db: Database, project_id: int) -> list[AllocationInfo]:
    with db.unit() as session:
        rows = session.scalars(select(Allocation).where(Allocation.project_id == project_id)
                               .order_by(Allocation.year, Allocation.id))
        return [_allocation_info(session, r) for r in rows]


def _editable_project(session: Session, project_id: int, monitoring: bool = False) -> PlanNode:
    """The project, if its plan may change: allocations only in a draft; ``spent`` (monitoring)
    also while the plan is approved."""
    node = require_kind(session, project_id, ("project", "activity"))
    (ensure_monitorable if monitoring else ensure_editable)(load_plan(session, node.plan_id))
    return node


def _check_allocation(session: Session, project: PlanNode, row: Allocation) -> None:
    """The rules an allocation row must meet, whether it is new or edited."""
    if session.scalar(select(func.count()).select_from(BudgetCode).where(BudgetCode.parent_id == row.budget_code_id)):
        code = session.get(BudgetCode, row.budget_code_id)
        assert code is not None
        raise ValidationError("budget_code", f"کد بودجه: «{to_persian_digits(code.code)}» زیرکد دارد؛ "
                              "پروژه‌ها از کدهای ردیف آخر (بدون زیرکد) تخصیص می‌گیرند.")
    program = session.get(PlanNode, project.parent_id)
    if program is not None and program.first_year and program.last_year \
            and not program.first_year <= row.year <= program.last_year:
        raise ValidationError("year", "سال: تخصیص باید در سال‌های برنامه عملیاتی "
                              "(" + to_persian_digits(f"{program.first_year}–{program.last_year}") + ") باشد.")
    clash = session.scalars(select(Allocation).where(
        Allocation.project_id == project.id, Allocation.year == row.year,
        Allocation.budget_code_id == row.budget_code_id, Allocation.id != (row.id or 0))).first()
    if clash is not None:
        raise ValidationError("budget_code", "کد بودجه: این پروژه در همین سال از این کد تخصیص دارد؛ "
                              "همان ردیف را ویرایش کنید.")
    if row.spent > row.amount:
        raise ValidationError("spent", "هزینه‌شده: نباید از مبلغ تخصیص بیشتر باشد.")


def add_allocation(db: Database, project_id: int, *, year: int | str, budget_code: str, amount: object,
                   spent: object = 0) -> AllocationInfo:
    with db.unit() as session:
        project = _editable_project(session, project_id)
        fiscal_year = fields.year("year", year)
        code = code_by_text(session, budget_code)
        row = Allocation(project_id=project_id, year=fiscal_year, budget_code_id=code.id,
                         amount=fields.rials("amount", amount), spent=fields.rials("spent", spent))
        _check_allocation(session, project, row)
        session.add(row)
        session.flush()
        audit.record(session, "create", "allocation", row.uuid, project.title,
                     after={"year": fiscal_year, "budget_code": code.code, "amount": row.amount})
        return _allocation_info(session, row)


def update_allocation(db: Database, allocation_id: int, **changes: Any) -> AllocationInfo:
    with db.unit() as session:
        row = session.get(Allocation, allocation_id)
        if row is None:
            raise NotFoundError("ردیف تخصیص پیدا نشد.")
        project = _editable_project(session, row.project_id, monitoring=set(changes) <= {"spent"})
        before = _allocation_info(session, row)
        for key, value in changes.items():
            if key in ("amount", "spent"):
                setattr(row, key, fields.rials(key, value))
            elif key == "budget_code":
                row.budget_code_id = code_by_text(session, value).id
            elif key == "year":
                row.year = fields.year("year", value)  # type: ignore[assignment]
            else:
                raise ValidationError(key, f"فیلد «{key}» در تخصیص وجود ندارد.")
        with session.no_autoflush:
            _check_allocation(session, project, row)
        session.flush()
        after = _allocation_info(session, row)
        audit.record(session, "update", "allocation", row.uuid, "", before=before.__dict__, after=after.__dict__)
        return after


def delete_allocation(db: Database, allocation_id: int) -> AllocationInfo:
    with db.unit() as session:
        row = session.get(Allocation, allocation_id)
        if row is None:
            raise NotFoundError("ردیف تخصیص پیدا نشد.")
        _editable_project(session, row.project_id)
        info = _allocation_info(session, row)
        audit.record(session, "delete", "allocation", row.uuid, "", before=info.__dict__)
        session.delete(row)
        return info


def restore_allocation(db: Database, info: AllocationInfo) -> None:
    with db.unit() as session:
        _editable_project(session, info.project_id)
        session.add(Allocation(id=info.id, uuid=info.uuid, project_id=info.project_id, year=info.year,
                               budget_code_id=info.budget_code_id, amount=info.amount, spent=info.spent))


def ensure_not_used(session: Session, code: BudgetCode) -> None:
    used = session.scalar(select(func.count()).select_from(Allocation).where(Allocation.budget_code_id == code.id))
    if used:
        raise RuleError(f"کد بودجه «{to_persian_digits(code.code)}» در "
                        f"{to_persian_digits(used)} تخصیص به کار رفته است.")



@dataclass(frozen=True)
class ProgramAllocationRow:
    """One fiscal year and budget code of a program: its projects' allocations summed."""

    year: int
    budget_code: str
    budget_title: str
    amount: int
    spent: int
    project_count: int


def program_allocations(db: Database, program_id: int) -> list[ProgramAllocationRow]:
    """The allocations of a program's projects and activities, per year and budget code."""
    with db.unit() as session:
        require_kind(session, program_id, ("program",))
        rows = session.execute(
            select(Allocation.year, BudgetCode.code, BudgetCode.title, func.sum(Allocation.amount),
                   func.sum(Allocation.spent), func.count(func.distinct(Allocation.project_id)))
            .join(BudgetCode, BudgetCode.id == Allocation.budget_code_id)
            .join(PlanNode, PlanNode.id == Allocation.project_id)
            .where(PlanNode.parent_id == program_id)
            .group_by(Allocation.year, BudgetCode.code, BudgetCode.title)
            .order_by(Allocation.year, BudgetCode.code)).all()
        return [ProgramAllocationRow(int(y), c, t, int(a or 0), int(s or 0), int(n)) for y, c, t, a, s, n in rows]


@dataclass(frozen=True)
class CodeImport:
    added: list[str]  # codes new to the store, parents first
    retitled: dict[str, str]  # code → its title before the import


def import_budget_codes(db: Database, rows: list[dict[str, Any]]) -> CodeImport:
    """Add a catalogue (code, title, parent, level; parents first) in one transaction.

    Codes already in the store keep their row and get the new title; the result says what
    changed so an undo can take exactly that back.
    """
    result = CodeImport([], {})
    with db.unit() as session:
        known = {c.code: c for c in session.scalars(select(BudgetCode))}
        for row in rows:
            code = fields.code("budget_code", row["code"])
            title = fields.text("title", row["title"], required=True, max_length=300)
            parent_code = fields.code("budget_code", row["parent"]) if row.get("parent") else None
            parent = known.get(parent_code) if parent_code else None
            if parent_code and parent is None:
                raise ValidationError("budget_code", f"کد بودجه «{to_persian_digits(code)}»: کد والد "
                                      f"«{to_persian_digits(parent_code)}» در فهرست نیست.")
            if code in known:
                if known[code].title != title:
                    result.retitled.setdefault(code, known[code].title)
                    known[code].title = title
                continue
            if parent is not None and parent.id is None:
                session.flush()  # once per level of a parents-first list, not once per row
            item = BudgetCode(code=code, title=title, parent_id=parent.id if parent else None,
                              level=(parent.level + 1) if parent else 1)
            session.add(item)
            known[code] = item
            result.added.append(code)
        audit.record(session, "import", "budget_code", "", f"{len(result.added)} codes",
                     after={"added": result.added, "retitled": list(result.retitled)})
    return result


def undo_code_import(db: Database, result: CodeImport) -> None:
    """Take an import back: remove the codes it added (children first), restore old titles."""
    with db.unit() as session:
        for code, title in result.retitled.items():
            session.execute(update(BudgetCode).where(BudgetCode.code == code).values(title=title))
        for code in reversed(result.added):
            row = code_by_text(session, code)
            _ensure_deletable(session, row)
            session.delete(row)
            session.flush()
        audit.record(session, "undo_import", "budget_code", "", f"{len(result.added)} codes")


def _ensure_deletable(session: Session, code: BudgetCode) -> None:
    ensure_not_used(session, code)
    if session.scalar(select(func.count()).select_from(BudgetLine).where(BudgetLine.budget_code_id == code.id)):
        raise RuleError(f"کد بودجه «{to_persian_digits(code.code)}» در بودجه سالانه سقف دارد؛ نخست سقف را بردارید.")
    if session.scalar(select(func.count()).select_from(BudgetCode).where(BudgetCode.parent_id == code.id)):
        raise RuleError(f"کد بودجه «{to_persian_digits(code.code)}» زیرکد دارد؛ نخست زیرکدها را حذف کنید.")


def delete_budget_code(db: Database, code_id: int) -> BudgetCodeInfo:
    """Remove an unused code (no allocations, no ceilings, no sub-codes); returns it for undo."""
    with db.unit() as session:
        row = session.get(BudgetCode, code_id)
        if row is None:
            raise NotFoundError("کد بودجه پیدا نشد.")
        _ensure_deletable(session, row)
        parent = session.get(BudgetCode, row.parent_id) if row.parent_id else None
        info = BudgetCodeInfo(row.id, row.uuid, row.code, row.title, row.parent_id,
                              parent.code if parent else None, row.level)
        audit.record(session, "delete", "budget_code", row.uuid, f"{row.code} {row.title}")
        session.delete(row)
        return info


def restore_budget_code(db: Database, info: BudgetCodeInfo) -> None:
    with db.unit() as session:
        session.add(BudgetCode(id=info.id, uuid=info.uuid, code=info.code, title=info.title,
                               parent_id=info.parent_id, level=info.level))
        audit.record(session, "restore", "budget_code", info.uuid, info.code)


@dataclass(frozen=True)
class AmendmentInfo:
    uuid: str
    date: date
    kind: str
    delta: int
    reason: str


@dataclass(frozen=True)
class BudgetLineInfo:
    code_id: int
    code: str
    ceiling: int  # as approved
    amendments: tuple[AmendmentInfo, ...]

    @property
    def amended(self) -> int:
        return self.ceiling + sum(a.delta for a in self.amendments)


def year_lines(db: Database, year: int, municipality_id: int | None = None) -> list[BudgetLineInfo]:
    """A year's budget lines (of the home municipality by default): ceilings and each line's amendment ledger."""
    with db.unit() as session:
        rows = session.execute(select(BudgetLine, BudgetCode.code).join(AnnualBudget).join(
            BudgetCode, BudgetCode.id == BudgetLine.budget_code_id)
            .where(AnnualBudget.year == year, scope.budgets_of(session, municipality_id))
            .order_by(BudgetCode.code)).all()
        ledger: dict[int, list[AmendmentInfo]] = {}
        for a in session.scalars(select(BudgetAmendment).where(
                BudgetAmendment.budget_line_id.in_([line.id for line, _c in rows]))
                .order_by(BudgetAmendment.date, BudgetAmendment.id)):
            ledger.setdefault(a.budget_line_id, []).append(AmendmentInfo(a.uuid, a.date, a.kind, a.delta, a.reason))
        return [BudgetLineInfo(line.budget_code_id, code, line.ceiling, tuple(ledger.get(line.id, [])))
                for line, code in rows]


def remove_ceiling(db: Database, year: int, code: str, *, drop_empty_year: bool = False) -> int:
    """Take a code out of a year's budget (undo of its first ceiling).  Refused with amendments.

    ``drop_empty_year``: the year's budget itself goes too when this was its last line (undo of
    the ceiling that created the year); a year that existed before stays, even empty."""
    with db.unit() as session:
        budget = _annual(session, year)
        budget_code = code_by_text(session, code)
        line = session.scalars(select(BudgetLine).where(
            BudgetLine.annual_budget_id == budget.id, BudgetLine.budget_code_id == budget_code.id)).first()
        if line is None:
            raise NotFoundError("این کد در بودجه آن سال سقفی ندارد.")
        if session.scalar(select(func.count()).select_from(BudgetAmendment)
                          .where(BudgetAmendment.budget_line_id == line.id)):
            raise RuleError("این سقف متمم یا اصلاحیه دارد؛ نخست آن‌ها را بردارید.")
        ceiling = line.ceiling
        audit.record(session, "delete", "budget_line", budget.uuid, f"{year} {budget_code.code}", before=ceiling)
        session.delete(line)
        session.flush()
        # A year created for this line goes with it: "no annual budget" shows again.
        if drop_empty_year and not session.scalar(select(func.count()).select_from(BudgetLine)
                                                  .where(BudgetLine.annual_budget_id == budget.id)):
            session.delete(budget)
        return ceiling


def delete_amendment(db: Database, uuid: str) -> AmendmentInfo:
    """Remove a recorded amendment (undo of recording it); returns it."""
    with db.unit() as session:
        row = session.scalars(select(BudgetAmendment).where(BudgetAmendment.uuid == uuid)).first()
        if row is None:
            raise NotFoundError("این اصلاحیه پیدا نشد.")
        info = AmendmentInfo(row.uuid, row.date, row.kind, row.delta, row.reason)
        audit.record(session, "delete", "budget_amendment", row.uuid, "", before=row.delta)
        session.delete(row)
        return info


@dataclass(frozen=True)
class CodeUse:
    project_id: int
    project_title: str
    year: int
    amount: int
    spent: int


def code_usage(db: Database, code_id: int) -> list[CodeUse]:
    """Where a budget code is used: every allocation from it, by project and year."""
    with db.unit() as session:
        rows = session.execute(select(PlanNode.id, PlanNode.title, Allocation.year, Allocation.amount, Allocation.spent)
                               .join(PlanNode, PlanNode.id == Allocation.project_id)
                               .where(Allocation.budget_code_id == code_id)
                               .order_by(Allocation.year, PlanNode.title))
        return [CodeUse(*row) for row in rows]
