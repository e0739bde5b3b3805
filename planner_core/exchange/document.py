"""The plan document (docs/dump-format.md): export the store as one JSON-able dict.

`dump`, the bundled sample plan, the booklet and the exchange between municipalities all go
through :func:`export_document` and its mirror, planner_core.exchange.importer.import_document,
so the structure is defined once.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import (
    Allocation,
    AnnualBudget,
    ApprovalRecord,
    ApprovalSignatory,
    BudgetAmendment,
    BudgetCode,
    BudgetLine,
    EvidenceFile,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    LessonLearned,
    Municipality,
    OrgUnit,
    PlanNode,
    ProgressReport,
    StrategicPlan,
)
from planner_core.levels import (
    CHILDREN_KEY,
    period_name,
)

FORMAT = "barnamenegar"
VERSION = 1

Progress = Callable[[int, int, str], None]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _municipality(m: Municipality | None) -> dict[str, Any] | None:
    return {"id": m.uuid, "name": m.name, "province": m.province} if m else None


# --- export --------------------------------------------------------------------------------

def export_document(db: Database, plan_codes: Iterable[str] | None = None,
                    plan_ids: Iterable[int] | None = None) -> dict[str, Any]:
    """The whole store (or the named plans; ``plan_ids`` names single revisions) as the plan document."""
    with db.unit(write=False) as session:
        return _export(session, set(plan_codes) if plan_codes is not None else None,
                       set(plan_ids) if plan_ids is not None else None)


def _export(session: Session, plan_codes: set[str] | None, plan_ids: set[int] | None = None) -> dict[str, Any]:
    municipalities = {m.id: m for m in session.scalars(select(Municipality))}
    home = next((m for m in municipalities.values() if m.is_home), None)
    units = {u.id: u for u in session.scalars(select(OrgUnit).order_by(OrgUnit.id))}
    codes = {c.id: c for c in session.scalars(select(BudgetCode).order_by(BudgetCode.code))}
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "municipality": _municipality(home),
        "org_units": [{"id": u.uuid, "code": u.code, "name": u.name, "kind": u.kind,
                       "parent": units[u.parent_id].code if u.parent_id in units else None}
                      for u in units.values()],
        "budget_codes": [{"id": c.uuid, "code": c.code, "title": c.title,
                          "parent": codes[c.parent_id].code if c.parent_id in codes else None, "level": c.level}
                         for c in codes.values()],
        "annual_budgets": _export_budgets(session, codes, municipalities),
        "plans": [],
    }
    query = select(StrategicPlan).order_by(StrategicPlan.first_year, StrategicPlan.id)
    for plan in session.scalars(query):
        if plan_codes is not None and plan.code not in plan_codes:
            continue
        if plan_ids is not None and plan.id not in plan_ids:
            continue
        doc["plans"].append(_export_plan(session, plan, units, codes, municipalities))
    return doc


def _export_budgets(session: Session, codes: dict[int, BudgetCode],
                    municipalities: dict[int, Municipality]) -> list[dict[str, Any]]:
    out = []
    for budget in session.scalars(select(AnnualBudget).order_by(AnnualBudget.year, AnnualBudget.municipality_id)):
        owner = municipalities.get(budget.municipality_id) if budget.municipality_id else None
        lines = session.scalars(select(BudgetLine).where(BudgetLine.annual_budget_id == budget.id)).all()
        by_line = {line.id: line for line in lines}
        amendments = session.scalars(select(BudgetAmendment).where(
            BudgetAmendment.budget_line_id.in_(by_line)).order_by(BudgetAmendment.date, BudgetAmendment.id))
        out.append({
            "id": budget.uuid, "municipality": owner.uuid if owner else None, "year": budget.year,
            "title": budget.title, "approved_on": _iso(budget.approved_on),
            "lines": sorted(({"budget_code": codes[line.budget_code_id].code, "ceiling": line.ceiling}
                             for line in lines), key=lambda r: r["budget_code"]),
            "amendments": [{"id": a.uuid, "budget_code": codes[by_line[a.budget_line_id].budget_code_id].code,
                            "date": _iso(a.date), "kind": a.kind, "delta": a.delta, "reason": a.reason}
                           for a in amendments],
        })
    return out


def _export_plan(session: Session, plan: StrategicPlan, units: dict[int, OrgUnit], codes: dict[int, BudgetCode],
                 municipalities: dict[int, Municipality]) -> dict[str, Any]:
    nodes = session.scalars(select(PlanNode).where(PlanNode.plan_id == plan.id)
                            .order_by(PlanNode.sort_order, PlanNode.id)).all()
    node_ids = [n.id for n in nodes]
    by_parent: dict[int | None, list[PlanNode]] = defaultdict(list)
    for node in nodes:
        by_parent[node.parent_id].append(node)

    indicators: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = session.scalars(select(Indicator).join(PlanNode, PlanNode.id == Indicator.node_id)
                           .where(PlanNode.plan_id == plan.id).order_by(Indicator.sort_order, Indicator.id)).all()
    targets: dict[int, list[dict[str, Any]]] = defaultdict(list)
    actuals: dict[int, list[dict[str, Any]]] = defaultdict(list)
    indicator_ids = [i.id for i in rows]
    evidence = _Evidence(session, plan.id)
    for chunk in _chunks(indicator_ids):
        for t in session.scalars(select(IndicatorTarget).where(IndicatorTarget.indicator_id.in_(chunk))
                                 .order_by(IndicatorTarget.year)):
            targets[t.indicator_id].append({"year": t.year, "value": t.value})
        for a in session.scalars(select(IndicatorActual).where(IndicatorActual.indicator_id.in_(chunk))
                                 .order_by(IndicatorActual.year, IndicatorActual.period)):
            actuals[a.indicator_id].append({"year": a.year, "period": period_name(a.period), "value": a.value,
                                            "note": a.note})
            if a.id in evidence.actuals:
                actuals[a.indicator_id][-1]["evidence"] = evidence.actuals[a.id]
    for i in rows:
        indicators[i.node_id].append({
            "id": i.uuid, "code": i.code, "title": i.title, "kind": i.kind, "unit": i.unit,
            "direction": i.direction,
            "baseline": ({"year": i.baseline_year, "value": i.baseline_value}
                         if i.baseline_value is not None else None),
            "definition": i.definition, "data_source": i.data_source, "frequency": i.frequency,
            "weight": i.weight, "targets": targets[i.id], "actuals": actuals[i.id]})
        if i.lineage_uuid:
            indicators[i.node_id][-1]["lineage"] = i.lineage_uuid

    allocations: dict[int, list[dict[str, Any]]] = defaultdict(list)
    reports: dict[int, list[dict[str, Any]]] = defaultdict(list)
    lessons: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for chunk in _chunks(node_ids):
        for al in session.scalars(select(Allocation).where(Allocation.project_id.in_(chunk))
                                  .order_by(Allocation.year, Allocation.id)):
            allocations[al.project_id].append({"id": al.uuid, "year": al.year,
                                               "budget_code": codes[al.budget_code_id].code,
                                               "amount": al.amount, "spent": al.spent})
        for r in session.scalars(select(ProgressReport).where(ProgressReport.project_id.in_(chunk))
                                 .order_by(ProgressReport.year, ProgressReport.quarter)):
            reports[r.project_id].append({"id": r.uuid, "year": r.year, "quarter": r.quarter,
                                          "physical_progress": r.physical_progress, "spent": r.spent,
                                          "narrative": r.narrative, "corrective_action": r.corrective_action,
                                          "reported_on": _iso(r.reported_on)})
            if r.id in evidence.reports:
                reports[r.project_id][-1]["evidence"] = evidence.reports[r.id]
    for lesson in session.scalars(select(LessonLearned).where(LessonLearned.plan_id == plan.id)
                                  .order_by(LessonLearned.id)):
        lessons[lesson.node_id].append({
            "id": lesson.uuid, "title": lesson.title, "body": lesson.body, "recorded_on": _iso(lesson.recorded_on),
            "source_municipality": _municipality(municipalities.get(lesson.source_municipality_id))})

    def node_doc(node: PlanNode, prefix: str) -> dict[str, Any]:
        full = f"{prefix}-{node.code}" if prefix else node.code
        item: dict[str, Any] = {
            "id": node.uuid, "kind": node.kind, "code": node.code, "full_code": full, "title": node.title,
            "description": node.description,
            "responsible_unit": units[node.responsible_unit_id].code if node.responsible_unit_id in units else None,
            "order": node.sort_order + 1,
            "indicators": indicators[node.id], "lessons": lessons[node.id],
        }
        if node.lineage_uuid:
            item["lineage"] = node.lineage_uuid
        if node.kind == "program":
            item.update(first_year=node.first_year, last_year=node.last_year)
        if node.kind in ("project", "activity"):
            item.update(start_date=_iso(node.start_date), end_date=_iso(node.end_date), location=node.location,
                        weight=node.weight, state=node.state, allocations=allocations[node.id],
                        progress_reports=reports[node.id])
        else:
            item[CHILDREN_KEY[node.kind]] = [node_doc(child, full) for child in by_parent[node.id]]
        return item

    out = {
        "id": plan.uuid, "code": plan.code, "title": plan.title, "first_year": plan.first_year,
        "last_year": plan.last_year, "vision": plan.vision, "mission": plan.mission,
        # Booklet texts (added in version 1 without a format change: older readers ignore them).
        "preface": plan.preface, "mayor_message": plan.mayor_message, "methodology": plan.methodology,
        "values": plan.plan_values, "status": plan.status,
        "thresholds": {"on_track": plan.on_track_threshold, "at_risk": plan.at_risk_threshold},
        "source_municipality": _municipality(municipalities.get(plan.source_municipality_id)),
        "lessons": lessons[None],
        "axes": [node_doc(axis, "") for axis in by_parent[None]],
    }
    # The life cycle's keys appear only when they say something, so a plain plan's document is unchanged.
    if plan.revision != 1:
        out["revision"] = plan.revision
    if plan.supersedes_id:
        earlier = session.get(StrategicPlan, plan.supersedes_id)
        out["supersedes"] = earlier.uuid if earlier else None
    if plan.lineage_uuid:
        out["lineage"] = plan.lineage_uuid
    record = session.scalars(select(ApprovalRecord).where(ApprovalRecord.plan_id == plan.id)).first()
    if record is not None:
        people = session.scalars(select(ApprovalSignatory).where(ApprovalSignatory.approval_id == record.id)
                                 .order_by(ApprovalSignatory.sort_order, ApprovalSignatory.id))
        out["approval"] = {"resolution_no": record.resolution_no, "resolution_date": _iso(record.resolution_date),
                           "approved_at": record.approved_at.isoformat(timespec="seconds"),
                           "approved_by": record.approved_by, "fingerprint": record.fingerprint,
                           "signatories": [{"name": p.name, "role": p.role} for p in people]}
    return out


class _Evidence:
    """Evidence files of one plan's reports and actuals, as the document lists them (content in base64)."""

    def __init__(self, session: Session, plan_id: int) -> None:
        self.reports: dict[int, list[dict[str, Any]]] = defaultdict(list)
        self.actuals: dict[int, list[dict[str, Any]]] = defaultdict(list)
        report_ids = select(ProgressReport.id).join(PlanNode, PlanNode.id == ProgressReport.project_id) \
            .where(PlanNode.plan_id == plan_id)
        actual_ids = select(IndicatorActual.id).join(Indicator, Indicator.id == IndicatorActual.indicator_id) \
            .join(PlanNode, PlanNode.id == Indicator.node_id).where(PlanNode.plan_id == plan_id)
        rows = session.scalars(select(EvidenceFile).where(
            EvidenceFile.progress_report_id.in_(report_ids) | EvidenceFile.indicator_actual_id.in_(actual_ids))
            .order_by(EvidenceFile.id))
        for row in rows:
            item = {"id": row.uuid, "file_name": row.file_name, "media_type": row.media_type,
                    "size": row.size_bytes, "sha256": row.sha256, "note": row.note,
                    "added_at": row.added_at.isoformat(timespec="seconds"), "added_by": row.added_by,
                    "content": base64.b64encode(row.content).decode("ascii")}
            if row.progress_report_id is not None:
                self.reports[row.progress_report_id].append(item)
            else:
                self.actuals[row.indicator_actual_id].append(item)  # type: ignore[index]


def _chunks(ids: list[int], size: int = 900) -> Iterable[list[int]]:
    # SQLite caps the number of bound parameters; stay well under it.
    for start in range(0, len(ids), size):
        yield ids[start:start + size]
