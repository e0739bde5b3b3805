"""Which fiscal years a node's indicator targets and reports run over.

Programs: their own years.  Projects and activities: the years their dates fall in, else
their program's years.  Axes, goals and strategies: the strategic plan's years.
"""

from __future__ import annotations

from db.engine import Database
from planner_core.jalali import fiscal_year_of
from planner_core.nodes import NodeInfo, get_node
from planner_core.plans import get_plan


def _plan_years(db: Database, node: NodeInfo) -> tuple[int, int]:
    plan = get_plan(db, node.plan_id)
    return plan.first_year, plan.last_year


def node_span(db: Database, node_id: int) -> tuple[int, int]:
    """(first year, last year) of a node, inclusive."""
    node = get_node(db, node_id)
    if node.kind == "program" and node.first_year and node.last_year:
        return node.first_year, node.last_year
    if node.kind in ("project", "activity"):
        if node.start_date and node.end_date:
            return fiscal_year_of(node.start_date), fiscal_year_of(node.end_date)
        if node.parent_id is not None:
            return program_span(db, node_id)
    return _plan_years(db, node)


def program_span(db: Database, project_id: int) -> tuple[int, int]:
    """The years of the program a project belongs to (what expected progress is measured over)."""
    node = get_node(db, project_id)
    if node.kind == "program" and node.first_year and node.last_year:
        return node.first_year, node.last_year
    if node.parent_id is not None:
        parent = get_node(db, node.parent_id)
        if parent.kind == "program" and parent.first_year and parent.last_year:
            return parent.first_year, parent.last_year
    return _plan_years(db, node)


def node_years(db: Database, node_id: int) -> list[int]:
    first, last = node_span(db, node_id)
    return list(range(first, last + 1))
