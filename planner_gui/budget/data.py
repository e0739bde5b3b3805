"""Gathers what the budget window shows from planner_core services, as the models' rows.

No rules here: sums and checks come from the services; this only joins their answers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from db.engine import Database
from planner_core import budget
from planner_core.budget_rollups import budget_rollup
from planner_core.codes import NodeCode, full_codes
from planner_core.rollups import progress_tree
from planner_gui.budget.models import AmendmentLine, CodeLine, RollupLine, UnitLine

ROLLUP_KINDS = ("axis", "goal", "strategy", "program")


@dataclass
class YearBudget:
    """One fiscal year's budget lines: approved ceilings and the amendment ledger, by code text."""

    approved: dict[str, int] = field(default_factory=dict)
    amendments: dict[str, list[AmendmentLine]] = field(default_factory=lambda: defaultdict(list))


def year_budget(db: Database, year: int, municipality_id: int | None = None) -> YearBudget:
    """The year's budget of one municipality (None: the file's own)."""
    out = YearBudget()
    for line in budget.year_lines(db, year, municipality_id):
        out.approved[line.code] = line.ceiling
        out.amendments[line.code] = [AmendmentLine(a.date.isoformat(), a.kind, a.delta, a.reason)
                                     for a in line.amendments]
    return out


def code_lines(db: Database, plan_id: int | None, year: int,
               municipality_id: int | None = None) -> tuple[list[CodeLine], YearBudget]:
    lines_of_year = year_budget(db, year, municipality_id)
    if plan_id is None:
        rows = [CodeLine(c.id, c.code, c.title, c.parent_id, lines_of_year.approved.get(c.code),
                         _amended(lines_of_year, c.code), None, None, None) for c in budget.list_budget_codes(db)]
        return [_with_ceiling(r) for r in rows], lines_of_year
    rollup = budget_rollup(db, plan_id, year)
    return [CodeLine(r.code_id, r.code, r.title, r.parent_id, lines_of_year.approved.get(r.code),
                     _amended(lines_of_year, r.code), r.ceiling, r.planned, r.spent)
            for r in rollup.codes], lines_of_year


def _amended(year: YearBudget, code: str) -> int:
    return sum(a.delta for a in year.amendments.get(code, []))


def _with_ceiling(row: CodeLine) -> CodeLine:
    ceiling = None if row.approved is None else row.approved + row.amendments
    return CodeLine(row.code_id, row.code, row.title, row.parent_id, row.approved, row.amendments, ceiling,
                    None, None)


@dataclass
class Rollup:
    nodes: list[RollupLine]
    units: list[UnitLine]
    planned: int
    spent: int


def rollup_lines(db: Database, plan_id: int, year: int) -> Rollup:
    rollup = budget_rollup(db, plan_id, year)
    tree = progress_tree(db, plan_id, year)
    total = rollup.total.planned
    codes = full_codes(NodeCode(n.node_id, n.parent_id, n.code) for n in tree.nodes.values())

    lines = []
    for node in tree.nodes.values():
        if node.kind not in ROLLUP_KINDS:
            continue
        amounts = rollup.by_node.get(node.node_id)
        planned = amounts.planned if amounts else 0
        spent = amounts.spent if amounts else 0
        share = rollup.axis_share(node.node_id) if node.kind == "axis" else \
            (planned / total * 100.0 if total else None)
        lines.append(RollupLine(node.node_id, node.parent_id, node.kind, codes[node.node_id], node.title,
                                planned, spent, share))
    units = [UnitLine(name, a.planned, a.spent, a.planned / total * 100.0 if total else None)
             for name, a in sorted(rollup.by_unit.items(), key=lambda item: -item[1].planned)]
    return Rollup(lines, units, total, rollup.total.spent)
