"""Budget roll-ups for a fiscal year, all by SQL GROUP BY: by code against its ceiling, by plan
level (program → strategy → macro goal → axis), by responsible unit, and the code × program matrix.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from db.engine import Database
from db.models import Allocation, BudgetCode, OrgUnit, PlanNode
from planner_core import scope
from planner_core.checks import effective_ceilings
from planner_core.codes import code_sort_key, full_codes


@dataclass(frozen=True)
class CodeRow:
    code_id: int
    code: str
    title: str
    level: int
    parent_id: int | None
    ceiling: int | None  # approved plus amendments; None: no line in that year's budget
    planned: int
    spent: int

    @property
    def remaining(self) -> int | None:
        return None if self.ceiling is None else self.ceiling - self.planned

    @property
    def over(self) -> bool:
        return self.ceiling is not None and self.planned > self.ceiling


@dataclass(frozen=True)
class Amounts:
    planned: int = 0
    spent: int = 0


@dataclass
class BudgetRollup:
    plan_id: int
    year: int
    codes: list[CodeRow]
    by_node: dict[int, Amounts]  # program, strategy, goal and axis ids
    by_unit: dict[str, Amounts]  # responsible unit name ("" for none)
    total: Amounts

    def axis_share(self, axis_id: int) -> float | None:
        if not self.total.planned:
            return None
        return self.by_node.get(axis_id, Amounts()).planned / self.total.planned * 100.0


def _plan_allocations(plan_id: int, year: int):  # type: ignore[no-untyped-def]
    project = aliased(PlanNode)
    return (select(Allocation.budget_code_id, Allocation.amount, Allocation.spent, project.parent_id.label("program"),
                   project.responsible_unit_id.label("unit"))
            .join(project, project.id == Allocation.project_id)
            .where(project.plan_id == plan_id, Allocation.year == year)).subquery()


def code_rows(session: Session, year: int, plan_id: int | None = None) -> list[CodeRow]:
    """Every budget code with its ceiling and what is allocated from it (parents sum their children)."""
    query = select(Allocation.budget_code_id, func.sum(Allocation.amount), func.sum(Allocation.spent)) \
        .where(Allocation.year == year).group_by(Allocation.budget_code_id)
    if plan_id is not None:
        query = query.join(PlanNode, PlanNode.id == Allocation.project_id).where(PlanNode.plan_id == plan_id)
    else:  # one revision of each plan (see planner_core.plans.counted_plan_ids)
        from planner_core.plans import counted_plan_ids

        query = query.join(PlanNode, PlanNode.id == Allocation.project_id) \
            .where(PlanNode.plan_id.in_(counted_plan_ids(session)))
    direct = {code: (int(p), int(s)) for code, p, s in session.execute(query)}
    owner = scope.plan_municipality_id(session, plan_id) if plan_id is not None else None
    ceilings = {code: c for (_y, code), c in effective_ceilings(session, year, owner).items()}
    codes = session.scalars(select(BudgetCode).order_by(BudgetCode.code)).all()
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    parents = {c.id: c.parent_id for c in codes}
    for code_id, (planned, spent) in direct.items():
        current: int | None = code_id
        seen = 0
        while current is not None and seen < 50:  # guards a corrupt cycle
            totals[current][0] += planned
            totals[current][1] += spent
            current = parents.get(current)
            seen += 1
    return [CodeRow(c.id, c.code, c.title, c.level, c.parent_id, ceilings.get(c.id), totals[c.id][0],
                    totals[c.id][1]) for c in codes]


def budget_rollup(db: Database, plan_id: int, year: int) -> BudgetRollup:
    with db.unit(write=False) as session:
        allocations = _plan_allocations(plan_id, year)
        by_node: dict[int, Amounts] = {}
        program = aliased(PlanNode)
        strategy = aliased(PlanNode)
        goal = aliased(PlanNode)
        per_program = select(allocations.c.program.label("id"), func.sum(allocations.c.amount).label("planned"),
                             func.sum(allocations.c.spent).label("spent")) \
            .group_by(allocations.c.program).subquery()
        for node_id, planned, spent in session.execute(select(per_program)):
            by_node[node_id] = Amounts(int(planned), int(spent))
        # Each level up is one GROUP BY over the programs' sums joined to their ancestors.
        chain = (select(per_program.c.planned, per_program.c.spent, program.parent_id.label("strategy"),
                        strategy.parent_id.label("goal"), goal.parent_id.label("axis"))
                 .join(program, program.id == per_program.c.id)
                 .join(strategy, strategy.id == program.parent_id)
                 .join(goal, goal.id == strategy.parent_id)).subquery()
        for column in ("strategy", "goal", "axis"):
            key = chain.c[column]
            for node_id, planned, spent in session.execute(
                    select(key, func.sum(chain.c.planned), func.sum(chain.c.spent)).group_by(key)):
                by_node[node_id] = Amounts(int(planned), int(spent))
        by_unit: dict[str, Amounts] = {}
        for name, planned, spent in session.execute(
                select(func.coalesce(OrgUnit.name, ""), func.sum(allocations.c.amount), func.sum(allocations.c.spent))
                .select_from(allocations).outerjoin(OrgUnit, OrgUnit.id == allocations.c.unit)
                .group_by(OrgUnit.name)):
            by_unit[name] = Amounts(int(planned), int(spent))
        planned, spent = session.execute(select(func.coalesce(func.sum(allocations.c.amount), 0),
                                                func.coalesce(func.sum(allocations.c.spent), 0))).one()
        return BudgetRollup(plan_id, year, code_rows(session, year, plan_id), by_node, by_unit,
                            Amounts(int(planned), int(spent)))


@dataclass
class BudgetMatrix:
    """Budget codes (rows) × operational programs (columns) for one year; cells in rials."""

    year: int
    codes: list[tuple[int, str, str]]  # (id, code, title)
    programs: list[tuple[int, str, str]]  # (id, full code, title)
    cells: dict[tuple[int, int], int]

    def row_total(self, code_id: int) -> int:
        return sum(v for (c, _p), v in self.cells.items() if c == code_id)

    def column_total(self, program_id: int) -> int:
        return sum(v for (_c, p), v in self.cells.items() if p == program_id)


def budget_matrix(db: Database, plan_id: int, year: int) -> BudgetMatrix:
    with db.unit(write=False) as session:
        allocations = _plan_allocations(plan_id, year)
        cells = {(code, program): int(total) for code, program, total in session.execute(
            select(allocations.c.budget_code_id, allocations.c.program, func.sum(allocations.c.amount))
            .group_by(allocations.c.budget_code_id, allocations.c.program))}
        code_ids = sorted({c for c, _p in cells})
        codes = [(c.id, c.code, c.title) for c in session.scalars(
            select(BudgetCode).where(BudgetCode.id.in_(code_ids)).order_by(BudgetCode.code))]
        nodes = session.scalars(select(PlanNode).where(PlanNode.plan_id == plan_id)).all()
        full = full_codes(list(nodes))
        program_ids = {p for _c, p in cells}
        programs = sorted(((n.id, full[n.id], n.title) for n in nodes if n.id in program_ids),
                          key=lambda row: code_sort_key(row[1]))
        return BudgetMatrix(year, codes, programs, cells)
