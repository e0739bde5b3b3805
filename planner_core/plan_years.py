"""Which fiscal year a report window opens on: where the plan's data is, not an empty year.

Monitoring data (indicator actuals, progress reports) says best where the planner is working;
without any, the planned data (targets, allocations) does.  The current fiscal year wins when it
lies inside the plan and has data; otherwise the most recent year with data; a plan without any
data opens on the current fiscal year brought inside the plan's period.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, union

from db.engine import Database
from db.models import Allocation, Indicator, IndicatorActual, IndicatorTarget, PlanNode, ProgressReport
from planner_core.jalali import fiscal_year_of
from planner_core.plans import load_plan


def years_with_data(db: Database, plan_id: int) -> tuple[list[int], list[int]]:
    """(years with monitoring data, years with planned data) of the plan, each sorted, inside its period."""
    with db.unit() as session:
        plan = load_plan(session, plan_id)
        nodes = select(PlanNode.id).where(PlanNode.plan_id == plan_id)
        indicators = select(Indicator.id).where(Indicator.node_id.in_(nodes))
        monitored = union(
            select(IndicatorActual.year).where(IndicatorActual.indicator_id.in_(indicators)),
            select(ProgressReport.year).where(ProgressReport.project_id.in_(nodes)),
        )
        planned = union(
            select(IndicatorTarget.year).where(IndicatorTarget.indicator_id.in_(indicators)),
            select(Allocation.year).where(Allocation.project_id.in_(nodes)),
        )
        inside = range(plan.first_year, plan.last_year + 1)
        return ([y for y in sorted(session.scalars(monitored)) if y in inside],
                [y for y in sorted(session.scalars(planned)) if y in inside])


def default_year(db: Database, plan_id: int, today: date | None = None) -> int:
    """The year a budget, dashboard, deviations or evaluation window opens on for this plan."""
    with db.unit() as session:
        plan = load_plan(session, plan_id)
        first, last = plan.first_year, plan.last_year
    current = fiscal_year_of(today or date.today())
    monitored, planned = years_with_data(db, plan_id)
    years = monitored or planned
    if current in years:
        return current
    if years:
        return years[-1]
    return min(max(current, first), last)
