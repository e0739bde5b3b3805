"""The deviations list: every indicator and project behind plan in a year and quarter."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from db.engine import Database
from db.models import OrgUnit, PlanNode, ProgressReport
from planner_core.codes import code_sort_key, full_codes
from planner_core.levels import INDICATOR_KIND_LABELS, LABELS
from planner_core.progress import STATUS_LABELS, Status
from planner_core.rollups import indicator_progress, progress_tree


@dataclass(frozen=True)
class Deviation:
    what: str  # "indicator" | "project"
    node_id: int
    full_code: str
    level: str  # Persian level label of the node
    title: str  # the indicator's or the project's title
    node_title: str
    unit: str
    expected: float | None  # target (indicator) or expected progress % (project)
    actual: float | None
    achievement: float | None
    status: Status
    reason: str
    corrective_action: str  # the latest one recorded, "" when none

    @property
    def has_corrective_action(self) -> bool:
        return bool(self.corrective_action.strip())

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def deviations(db: Database, plan_id: int, year: int, quarter: int = 4) -> list[Deviation]:
    tree = progress_tree(db, plan_id, year, quarter)
    indicator_rows = indicator_progress(db, plan_id, year, quarter)
    with db.unit(write=False) as session:
        nodes = session.scalars(select(PlanNode).where(PlanNode.plan_id == plan_id)).all()
        codes = full_codes(list(nodes))
        by_id = {n.id: n for n in nodes}
        units = {u.id: u.name for u in session.scalars(select(OrgUnit))}
        stamp = year * 10 + quarter
        actions: dict[int, str] = {}
        for project_id, action in session.execute(
                select(ProgressReport.project_id, ProgressReport.corrective_action)
                .join(PlanNode, PlanNode.id == ProgressReport.project_id)
                .where(PlanNode.plan_id == plan_id, ProgressReport.year * 10 + ProgressReport.quarter <= stamp)
                .order_by(ProgressReport.year, ProgressReport.quarter)):
            if action:
                actions[project_id] = action
    behind = (Status.AT_RISK, Status.OFF_TRACK)
    out: list[Deviation] = []
    for row in indicator_rows:
        if row.status not in behind:
            continue
        node = by_id[row.node_id]
        out.append(Deviation(
            "indicator", node.id, codes[node.id], LABELS[node.kind],
            f"شاخص {INDICATOR_KIND_LABELS[row.kind]}: {row.title}", node.title,
            units.get(node.responsible_unit_id or 0, ""), row.target, row.actual, row.achievement.percent,
            row.status, row.achievement.reason, actions.get(node.id, "")))
    for progress in tree.nodes.values():
        if progress.kind not in ("project", "activity") or progress.status not in behind:
            continue
        node = by_id[progress.node_id]
        out.append(Deviation(
            "project", node.id, codes[node.id], LABELS[node.kind], node.title, node.title, progress.unit,
            progress.expected, progress.progress, progress.performance, progress.status,
            "پیشرفت فیزیکی کمتر از برنامه زمانی است", actions.get(node.id, "")))
    out.sort(key=lambda d: (d.status != Status.OFF_TRACK, code_sort_key(d.full_code)))
    return out
