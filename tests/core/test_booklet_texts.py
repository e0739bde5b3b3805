"""The plan's booklet texts (preface, mayor's message, methodology, values): stored by the plan
service, exported and imported in the plan document, printed in the booklet."""

from __future__ import annotations

import pytest

from planner_core import plans
from planner_core.booklet import render_booklet
from planner_core.errors import RuleError
from tests.core.test_booklet_support import clean, hard_strings_doc, needs_poppler, reading_text

TEXTS = {"preface": "این پیشگفتار برنامه است.", "mayor_message": "پیام شهردار به شهروندان.",
         "methodology": "روش تهیه: کارگاه‌های مشارکتی در ۱۵ منطقه.", "plan_values": "شفافیت، مشارکت و عدالت."}


def test_plan_service_keeps_the_booklet_texts_and_guards_approved_plans(db):
    plan = plans.create_plan(db, code="B-1", title="برنامه آزمایشی", first_year=1403, last_year=1404)
    assert plan.preface == "" and plan.plan_values == ""
    updated = plans.update_plan(db, plan.id, **{k: v.replace("ی", "ي") for k, v in TEXTS.items()})
    assert {k: getattr(updated, k) for k in TEXTS} == TEXTS  # normalised (Arabic yeh → Persian yeh)
    plans.update_plan(db, plan.id, status="approved")
    with pytest.raises(RuleError):
        plans.update_plan(db, plan.id, preface="تغییر")


def test_texts_travel_in_the_plan_document(db, tmp_path):
    from planner_core import exchange

    plan = plans.create_plan(db, code="B-2", title="برنامه سفر", first_year=1403, last_year=1404)
    plans.update_plan(db, plan.id, **TEXTS)
    doc = exchange.export_document(db)
    item = next(p for p in doc["plans"] if p["code"] == "B-2")
    assert item["preface"] == TEXTS["preface"] and item["values"] == TEXTS["plan_values"]
    # Imported into another file, the texts come back; a document without them imports empty.
    from planner_core.store import open_store

    other = open_store(tmp_path / "other.db", create=True)
    try:
        exchange.import_document(other, doc)
        [copy] = [p for p in plans.list_plans(other) if p.code == "B-2"]
        assert {k: getattr(copy, k) for k in TEXTS} == TEXTS
        for key in ("preface", "mayor_message", "methodology", "values"):
            item.pop(key)
        item["code"] = "B-3"
        item["id"] = "00000000-0000-4000-8000-000000000003"
        doc["plans"] = [item]
        exchange.import_document(other, doc)
        [old] = [p for p in plans.list_plans(other) if p.code == "B-3"]
        assert old.preface == "" and old.plan_values == ""
    finally:
        other.dispose()


@needs_poppler
def test_the_booklet_prints_them_and_lists_them_in_the_contents(tmp_path):
    doc = hard_strings_doc()
    plan = doc["plans"][0]
    plan.update({"preface": TEXTS["preface"], "mayor_message": TEXTS["mayor_message"],
                 "methodology": TEXTS["methodology"], "values": TEXTS["plan_values"]})
    out = tmp_path / "t.pdf"
    result = render_booklet(doc, out)
    titles = [t for _, t, _ in result.toc]
    assert {"پیشگفتار", "پیام شهردار", "ارزش‌ها", "روش تهیه برنامه"} <= set(titles)
    text = clean(reading_text(out))
    assert all(clean(v) in text for v in TEXTS.values())
    # Without them, no empty headings.
    result = render_booklet(hard_strings_doc(), tmp_path / "none.pdf")
    assert "پیشگفتار" not in [t for _, t, _ in result.toc]
