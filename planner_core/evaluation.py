"""Monitoring views' figures that the roll-ups do not give directly.

- :func:`progress_by_unit`: projects' physical progress grouped by responsible unit;
- :func:`list_programs` and :func:`program_evaluation`: the year-end evaluation of an
  operational program (its own and its projects' indicators with target, actual,
  achievement and the planner's explanation, stored as the note of the annual actual).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from db.engine import Database
from db.models import Indicator, IndicatorActual, PlanNode
from planner_core.codes import code_sort_key, full_codes
from planner_core.nodes import require_kind
from planner_core.plans import load_plan
from planner_core.progress import Status, classify, performance
from planner_core.rollups import ProgressTree, indicator_progress

NO_UNIT = "بدون واحد مسئول"


@dataclass(frozen=True)
class UnitProgress:
    unit: str  # the unit's name (NO_UNIT when none is set)
    progress: float | None  # weighted mean of the reported projects' progress
    expected: float | None  # weighted mean of what the schedule expects of those same projects
    performance: float | None
    status: Status
    reported: int
    projects: int


def progress_by_unit(tree: ProgressTree) -> list[UnitProgress]:
    """Projects and activities grouped by their responsible unit, weighted by node weight.

    Progress and expected progress are averaged over the same (reported) projects, so a
    unit is judged only on what it reported; a unit with no report has no data.
    """
    groups: dict[str, list] = defaultdict(list)
    for node in tree.nodes.values():
        if node.kind in ("project", "activity") and node.expected is not None:
            groups[node.unit or NO_UNIT].append(node)
    out = []
    for unit, members in groups.items():
        reported = [n for n in members if n.progress is not None and n.weight > 0]
        weight = sum(n.weight for n in reported)
        progress = expected = None
        if reported and weight > 0:
            progress = sum(n.weight * n.progress for n in reported) / weight
            expected = sum(n.weight * n.expected for n in reported) / weight
        judged = performance(progress, expected)
        out.append(UnitProgress(unit, progress, expected, judged,
                                classify(judged, tree.on_track, tree.at_risk), len(reported), len(members)))
    out.sort(key=lambda u: (u.unit == NO_UNIT, u.unit))
    return out


@dataclass(frozen=True)
class ProgramRef:
    id: int
    full_code: str
    title: str


def list_programs(db: Database, plan_id: int) -> list[ProgramRef]:
    """The plan's operational programs in code order, for choosing one to evaluate."""
    with db.unit(write=False) as session:
        load_plan(session, plan_id)
        nodes = list(session.scalars(select(PlanNode).where(PlanNode.plan_id == plan_id)))
        codes = full_codes(nodes)
        rows = [ProgramRef(n.id, codes[n.id], n.title) for n in nodes if n.kind == "program"]
    return sorted(rows, key=lambda r: code_sort_key(r.full_code))


@dataclass(frozen=True)
class EvaluationRow:
    indicator_id: int
    node_id: int
    node_kind: str
    node_code: str  # full code of the program or project the indicator sits on
    node_title: str
    code: str
    title: str
    kind: str
    unit: str
    target: float | None
    actual: float | None  # the annual actual, or failing that the latest quarter's
    achievement: float | None
    status: Status
    reason: str
    annual_actual: float | None  # the value the explanation is attached to (None: not entered)
    explanation: str  # the note of the annual actual


def program_evaluation(db: Database, program_id: int, year: int) -> list[EvaluationRow]:
    """A program's indicators and its projects' indicators for a year, program first."""
    with db.unit(write=False) as session:
        program = require_kind(session, program_id, ("program",))
        plan_id = program.plan_id
        nodes = list(session.scalars(select(PlanNode).where(PlanNode.plan_id == plan_id)))
        codes = full_codes(nodes)
        children = sorted((n for n in nodes if n.parent_id == program_id), key=lambda n: (n.sort_order, n.id))
        members = [program, *children]
        order = {n.id: i for i, n in enumerate(members)}
        annual = {ind_id: (value, note) for ind_id, value, note in session.execute(
            select(IndicatorActual.indicator_id, IndicatorActual.value, IndicatorActual.note)
            .join(Indicator, Indicator.id == IndicatorActual.indicator_id)
            .where(Indicator.node_id.in_(list(order)), IndicatorActual.year == year,
                   IndicatorActual.period == 0))}
        by_id = {n.id: n for n in members}
    rows = []
    for item in indicator_progress(db, plan_id, year):
        if item.node_id not in order:
            continue
        node = by_id[item.node_id]
        value, note = annual.get(item.indicator_id, (None, ""))
        rows.append(EvaluationRow(
            item.indicator_id, node.id, node.kind, codes[node.id], node.title, item.code, item.title, item.kind,
            item.unit, item.target, item.actual, item.achievement.percent, item.status, item.achievement.reason,
            value, note or ""))
    rows.sort(key=lambda r: order[r.node_id])  # stable: keeps the indicators' own order per node
    return rows
