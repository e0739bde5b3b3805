"""Adopting a received plan: a new draft plan of the file's own municipality, built from the reference copy."""

from __future__ import annotations

import copy

from sqlalchemy import select

from db.engine import Database
from db.models import StrategicPlan
from planner_core import audit
from planner_core.errors import RuleError
from planner_core.exchange.document import FORMAT, VERSION, export_document
from planner_core.exchange.importer import Importer
from planner_core.exchange.service import _as_new, make_template
from planner_core.exchange.validate import walk_nodes
from planner_core.fields import code as clean_code
from planner_core.plans import PlanInfo, get_plan, plan_info
from planner_core.text import fold


def adopt(db: Database, plan_id: int, code: str | None = None) -> PlanInfo:
    source = get_plan(db, plan_id)
    if source.source_municipality is None:
        raise RuleError(f"برنامه «{source.title}» از آنِ همین شهرداری است و برگزیدن لازم ندارد.")
    doc = export_document(db, [source.code])
    plan = doc["plans"][0]
    targets = {i["id"]: (i["targets"], i["baseline"]) for n in walk_nodes(plan) for i in n["indicators"]}
    shell = make_template({**doc, "plans": [plan]})
    for node in walk_nodes(shell["plans"][0]):  # targets and baselines are a plan, not an outcome: keep them
        for indicator in node["indicators"]:
            indicator["targets"], indicator["baseline"] = copy.deepcopy(targets[indicator["id"]])
    shell["plans"][0]["source_municipality"] = None
    with db.unit() as session:
        adopted = _as_new({**shell, "municipality": None}, session)
        new = adopted["plans"][0]
        if code:
            new["code"] = clean_code("code", code)
            if any(fold(c) == fold(new["code"]) for c in session.scalars(select(StrategicPlan.code))):
                raise RuleError(f"برنامه‌ای با کد «{new['code']}» در این فایل هست.")
        new["title"] = plan["title"]
        importer = Importer(session, {"format": FORMAT, "version": VERSION, **adopted}, False, None)
        importer._plan(new)
        row = session.scalars(select(StrategicPlan).where(StrategicPlan.uuid == new["id"])).one()
        audit.record(session, "adopt", "plan", row.uuid, row.title, before=source.uuid)
        return plan_info(session, row)
