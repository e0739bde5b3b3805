"""Which fiscal years a node's indicator targets and reports run over.

Programs: their own years.  Projects and activities: the years their dates fall in, else
their program's years.  Axes, goals and strategies: the strategic plan's years.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from db.engine import Database
from db.models import PlanNode
from planner_core.errors import NotFoundError
from planner_core.jalali import fiscal_year_of
from planner_core.plans import load_plan


def _node(session: Session, node_id: int) -> PlanNode:
    node = session.get(PlanNode, node_id)
    if node is None:
        raise NotFoundError("این گره برنامه پیدا نشد؛ شاید حذف شده باشد.")
    return node


def _program_span(session: Session, node: PlanNode) -> tuple[int, int]:
    program = node if node.kind == "program" else (session.get(PlanNode, node.parent_id) if node.parent_id else None)
    if program is not None and program.kind == "program" and program.first_year and program.last_year:
        return program.first_year, program.last_year
    plan = load_plan(session, node.plan_id)
    return plan.first_year, plan.last_year


def node_span(db: Database, node_id: int) -> tuple[int, int]:
    """(first year, last year) of a node, inclusive."""
    with db.unit() as session:
        node = _node(session, node_id)
        if node.kind in ("project", "activity") and node.start_date and node.end_date:
            return fiscal_year_of(node.start_date), fiscal_year_of(node.end_date)
        if node.kind in ("program", "project", "activity"):
            return _program_span(session, node)
        plan = load_plan(session, node.plan_id)
        return plan.first_year, plan.last_year


def program_span(db: Database, project_id: int) -> tuple[int, int]:
    """The years of the program a project belongs to (what expected progress is measured over)."""
    with db.unit() as session:
        return _program_span(session, _node(session, project_id))


def node_years(db: Database, node_id: int) -> list[int]:
    first, last = node_span(db, node_id)
    return list(range(first, last + 1))
