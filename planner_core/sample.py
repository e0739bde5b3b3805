"""The bundled sample plan: a full metropolitan plan a first-time user can open in one click.

It ships with its life cycle: the original revision approved by the council, one approved amendment
that supersedes it, and an open draft revision, so a new user sees what approval, amendments and
comparison look like.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from db.engine import Database
from planner_core.exchange import import_document

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
SAMPLE_PLAN = RESOURCES / "sample_plan.json"
PLANNER, SECRETARY = "کارشناس دفتر برنامه‌ریزی", "دبیرخانه شورای اسلامی شهر"
SIGNATORIES = [("رئیس شورای اسلامی شهر اصفهان", "رئیس شورا"), ("شهردار اصفهان", "شهردار"),
               ("معاون برنامه‌ریزی و توسعه سرمایه انسانی", "معاون برنامه‌ریزی")]
# The amendment: the bus fleet programme raises its 1404 target after the supplementary budget.
AMENDED_INDICATOR_TITLE = "تعداد اتوبوس نو واردشده به ناوگان در سال"


def sample_document() -> dict[str, Any]:
    with SAMPLE_PLAN.open(encoding="utf-8") as handle:
        return json.load(handle)


def load_sample(db: Database, lifecycle: bool = False) -> dict[str, int]:
    """Put the sample plan into an (empty) store; its municipality becomes the file's own.

    With ``lifecycle`` (what `demo` and the app's «open the sample» use) the plan is approved, amended
    once (approved again) and left with an open draft revision; without it (tests and tools that want
    the document as it is) the plan stays one draft revision."""
    counts = import_document(db, sample_document(), as_home=True)
    if lifecycle:
        walk_life_cycle(db)
    return counts


def walk_life_cycle(db: Database) -> None:
    from planner_core import indicators
    from planner_core.lifecycle import workflow
    from planner_core.plans import list_plans

    plan = list_plans(db)[0]
    workflow.submit(db, plan.id, by=PLANNER, note="هدف‌های سال‌های ۱۴۰۵ به بعد در بازنگری میان‌دوره تعیین می‌شود.")
    workflow.approve(db, plan.id, resolution_no="۱۴۰۳/۱۲۸", resolution_date="1403/01/25", signatories=SIGNATORIES,
                     by=SECRETARY, note="تصویب در جلسه علنی شورا")
    amendment = workflow.revise(db, plan.id, by=PLANNER, note="اصلاحیه پس از متمم بودجه ۱۴۰۴").plan_id
    target = _indicator(db, amendment, AMENDED_INDICATOR_TITLE)
    if target is not None:
        current = indicators.get_indicator(db, target).targets
        if 1404 in current:
            indicators.set_target(db, target, 1404, current[1404] + 30)
    workflow.submit(db, amendment, by=PLANNER, note="هشدارهای آمادگی همان هشدارهای ویرایش مصوب است.")
    workflow.approve(db, amendment, resolution_no="۱۴۰۴/۰۴۲", resolution_date="1404/02/10",
                     signatories=SIGNATORIES, by=SECRETARY, note="تصویب اصلاحیه")
    workflow.revise(db, amendment, by=PLANNER, note="پیش‌نویس اصلاحیه دوم (بازنگری میان‌دوره)")


def _indicator(db: Database, plan_id: int, title: str) -> int | None:
    from planner_core.lifecycle.documents import plan_entry

    def walk(items: list[dict[str, Any]]):  # type: ignore[no-untyped-def]
        for item in items:
            yield item
            for key in ("goals", "strategies", "programs", "projects"):
                yield from walk(item.get(key, []))

    for node in walk(plan_entry(db, plan_id)["axes"]):
        for ind in node.get("indicators", []):
            if ind["title"] == title:
                from planner_core.lifecycle.revisions import indicator_id

                return indicator_id(db, ind["id"])
    return None
