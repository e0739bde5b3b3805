"""Monitoring roll-ups: project progress up the tree and indicator achievement, by SQL aggregation.

A project's progress in a year is the physical progress of its latest report up to the end
of the chosen quarter.  Each level above is the weighted mean of its children (node weights,
editable; default 1), computed level by level with GROUP BY so a 20,000-project plan rolls up
in one pass of the database, not a Python loop over rows.  Status compares progress with the
progress expected by then (linear over the program's years) against the plan's thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer, and_, case, func, literal, select
from sqlalchemy.orm import Session, aliased

from db.engine import Database
from db.models import Indicator, IndicatorActual, IndicatorTarget, OrgUnit, PlanNode, ProgressReport, StrategicPlan
from planner_core.levels import LABELS
from planner_core.plans import load_plan
from planner_core.progress import Achievement, Status, classify, indicator_achievement, performance


@dataclass(frozen=True)
class NodeProgress:
    node_id: int
    kind: str
    parent_id: int | None
    code: str
    title: str
    unit: str
    weight: float
    progress: float | None  # weighted physical progress, 0..100
    expected: float | None  # what the schedule expects by then, 0..100
    performance: float | None  # progress / expected × 100 (what the status judges)
    status: Status
    reported: int  # projects below with a report by then
    projects: int  # projects below


@dataclass
class ProgressTree:
    plan_id: int
    year: int
    quarter: int
    on_track: float
    at_risk: float
    nodes: dict[int, NodeProgress] = field(default_factory=dict)
    plan_progress: float | None = None
    plan_expected: float | None = None
    plan_status: Status = Status.NO_DATA
    _children: dict[int | None, list[NodeProgress]] | None = field(default=None, repr=False)

    def children(self, parent_id: int | None) -> list[NodeProgress]:
        if self._children is None:  # indexed once: walking a 20,000-project tree stays linear
            self._children = {}
            for node in self.nodes.values():
                self._children.setdefault(node.parent_id, []).append(node)
        return self._children.get(parent_id, [])


def progress_tree(db: Database, plan_id: int, year: int, quarter: int = 4) -> ProgressTree:
    with db.unit(write=False) as session:
        return _progress_tree(session, plan_id, year, quarter)


def _progress_tree(session: Session, plan_id: int, year: int, quarter: int) -> ProgressTree:
    plan = load_plan(session, plan_id)
    stamp = year * 10 + quarter
    report_stamp = ProgressReport.year * 10 + ProgressReport.quarter
    latest = (select(ProgressReport.project_id, func.max(report_stamp).label("stamp"))
              .where(report_stamp <= stamp).group_by(ProgressReport.project_id).subquery())
    last_report = (select(ProgressReport.project_id, ProgressReport.physical_progress)
                   .join(latest, and_(latest.c.project_id == ProgressReport.project_id,
                                      latest.c.stamp == report_stamp)).subquery())
    program = aliased(PlanNode)
    # Where the schedule says a leaf should be by then: linear over its program's quarters, capped
    # at 100 (the same rule as progress.expected_progress, in SQL so it can be weighted below).
    elapsed = ((year - program.first_year) * 4 + quarter) * 100.0 / ((program.last_year - program.first_year + 1) * 4)
    scheduled = case((elapsed > 100.0, 100.0), (elapsed < 0.0, 0.0), else_=elapsed)
    # Level 5: projects and activities of programs whose span has begun by the chosen year.
    leaf = (select(PlanNode.id.label("id"), PlanNode.parent_id.label("parent_id"),
                   PlanNode.weight.label("weight"), last_report.c.physical_progress.label("progress"),
                   scheduled.label("expected"))
            .join(program, program.id == PlanNode.parent_id)
            .outerjoin(last_report, last_report.c.project_id == PlanNode.id)
            .where(PlanNode.plan_id == plan_id, PlanNode.kind.in_(("project", "activity")),
                   program.first_year <= year)).cte("leaf")
    rows: dict[int, tuple[float | None, float | None, int, int]] = {}
    for node_id, progress, expected in session.execute(select(leaf.c.id, leaf.c.progress, leaf.c.expected)):
        rows[node_id] = (progress, expected, int(progress is not None), 1)

    # Levels 4..1: each one GROUP BY over the level below.  Progress and expected progress are
    # weighted alike over the children that reported, so a node is judged on what was measured;
    # with nothing reported the expected value is the schedule of all its children.
    def weighted(child: Any, weight: Any, key: Any) -> Any:
        reported_weight = func.sum(case((child.c.progress.is_not(None), weight), else_=0))
        return (func.sum(case((child.c.progress.is_not(None), weight * child.c[key]), else_=0)) /
                func.nullif(reported_weight, 0))

    def level_of(child: Any, weight: Any, reported: Any, projects: Any, group: Any) -> Any:
        return [group.label("id"), weighted(child, weight, "progress").label("progress"),
                func.coalesce(weighted(child, weight, "expected"),
                              func.sum(weight * child.c.expected) / func.nullif(func.sum(weight), 0))
                .label("expected"), reported.label("reported"), projects.label("projects")]

    level = select(*level_of(leaf, leaf.c.weight, func.count(leaf.c.progress), func.count(),
                             leaf.c.parent_id)).group_by(leaf.c.parent_id).cte("level4")
    for depth in (4, 3, 2, 1):
        current = level
        for node_id, progress, expected, reported, projects in session.execute(
                select(current.c.id, current.c.progress, current.c.expected, current.c.reported,
                       current.c.projects)):
            rows[node_id] = (progress, expected, reported, projects)
        if depth == 1:
            break
        parent = aliased(PlanNode)
        level = (select(*level_of(current, parent.weight, func.sum(current.c.reported),
                                  func.sum(current.c.projects), parent.parent_id))
                 .join(parent, parent.id == current.c.id).group_by(parent.parent_id)).cte(f"level{depth - 1}")

    tree = ProgressTree(plan.id, year, quarter, plan.on_track_threshold, plan.at_risk_threshold)
    info = session.execute(select(PlanNode.id, PlanNode.kind, PlanNode.parent_id, PlanNode.code, PlanNode.title,
                                  func.coalesce(OrgUnit.name, ""), PlanNode.weight)
                           .outerjoin(OrgUnit, OrgUnit.id == PlanNode.responsible_unit_id)
                           .where(PlanNode.plan_id == plan_id).order_by(PlanNode.sort_order, PlanNode.id))
    for node_id, kind, parent_id, code, title, unit, weight in info:
        progress, expected, reported, projects = rows.get(node_id, (None, None, 0, 0))
        judged = performance(progress, expected)
        tree.nodes[node_id] = NodeProgress(
            node_id, kind, parent_id, code, title, unit, weight, progress, expected, judged,
            classify(judged, plan.on_track_threshold, plan.at_risk_threshold), reported, projects)
    # The plan: the axes weighted alike for progress and expected progress (reported axes only).
    axes = [n for n in tree.nodes.values() if n.parent_id is None and n.progress is not None]
    total_weight = sum(a.weight for a in axes)
    if axes and total_weight > 0:
        tree.plan_progress = sum(a.progress * a.weight for a in axes) / total_weight  # type: ignore[operator]
        tree.plan_expected = sum((a.expected or 0.0) * a.weight for a in axes) / total_weight
        tree.plan_status = classify(performance(tree.plan_progress, tree.plan_expected),
                                    plan.on_track_threshold, plan.at_risk_threshold)
    return tree


# --- indicators ----------------------------------------------------------------------------

@dataclass(frozen=True)
class IndicatorProgress:
    indicator_id: int
    node_id: int
    node_kind: str
    code: str
    title: str
    kind: str
    unit: str
    direction: str
    baseline: float | None
    target: float | None
    actual: float | None
    achievement: Achievement
    status: Status


def indicator_progress(db: Database, plan_id: int, year: int, quarter: int | None = None) -> list[IndicatorProgress]:
    """Every indicator of a plan with its year's target, actual and achievement.

    The actual is the annual value, or failing that the latest quarter reported up to
    ``quarter`` (all four when None).
    """
    with db.unit(write=False) as session:
        plan = session.get(StrategicPlan, plan_id)
        assert plan is not None
        last_q = quarter or 4
        target = (select(IndicatorTarget.indicator_id, IndicatorTarget.value)
                  .where(IndicatorTarget.year == year).subquery())
        annual = (select(IndicatorActual.indicator_id, IndicatorActual.value)
                  .where(IndicatorActual.year == year, IndicatorActual.period == 0).subquery())
        latest_q = (select(IndicatorActual.indicator_id, func.max(IndicatorActual.period).label("period"))
                    .where(IndicatorActual.year == year, IndicatorActual.period.between(1, last_q))
                    .group_by(IndicatorActual.indicator_id).subquery())
        quarterly = (select(IndicatorActual.indicator_id, IndicatorActual.value)
                     .join(latest_q, and_(latest_q.c.indicator_id == IndicatorActual.indicator_id,
                                          latest_q.c.period == IndicatorActual.period))
                     .where(IndicatorActual.year == year).subquery())
        use_annual = literal(quarter is None or quarter == 4, Integer)
        rows = session.execute(
            select(Indicator.id, Indicator.node_id, PlanNode.kind, Indicator.code, Indicator.title, Indicator.kind,
                   Indicator.unit, Indicator.direction, Indicator.baseline_value, target.c.value,
                   case((use_annual == 1, func.coalesce(annual.c.value, quarterly.c.value)),
                        else_=quarterly.c.value))
            .join(PlanNode, PlanNode.id == Indicator.node_id)
            .outerjoin(target, target.c.indicator_id == Indicator.id)
            .outerjoin(annual, annual.c.indicator_id == Indicator.id)
            .outerjoin(quarterly, quarterly.c.indicator_id == Indicator.id)
            .where(PlanNode.plan_id == plan_id)
            .order_by(PlanNode.id, Indicator.sort_order, Indicator.id)).all()
        out = []
        for (ind_id, node_id, node_kind, code, title, kind, unit, direction, baseline, target_value,
             actual) in rows:
            achievement = indicator_achievement(direction, baseline, target_value, actual)
            out.append(IndicatorProgress(ind_id, node_id, node_kind, code, title, kind, unit, direction, baseline,
                                         target_value, actual, achievement,
                                         classify(achievement.percent, plan.on_track_threshold,
                                                  plan.at_risk_threshold)))
        return out


def level_label(kind: str) -> str:
    return LABELS[kind]
