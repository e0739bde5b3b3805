"""The plan's life cycle: readiness, workflow, frozen approved content (services and triggers),
amendments, fingerprints and comparison."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from planner_core import budget, indicators, monitoring, nodes, plans
from planner_core.errors import RuleError, ValidationError
from planner_core.exchange import export_document
from planner_core.lifecycle import documents, workflow
from planner_core.lifecycle.compare import compare, compare_plans
from planner_core.lifecycle.readiness import check_readiness
from planner_core.lifecycle.revisions import list_revisions
from planner_core.lifecycle.snapshots import list_snapshots

FROZEN_ERRORS = (IntegrityError, DBAPIError)


def make_ready(db, small_plan) -> None:
    """Fill the chain readiness asks for on the small plan."""
    unit = small_plan["unit"]
    nodes.update_node(db, small_plan["program"].id, responsible_unit_id=unit.id)
    for level in ("goal", "strategy"):
        ind = indicators.add_indicator(db, small_plan[level].id, title=f"شاخص پیامدی {level}", kind="outcome",
                                       baseline_year=1402, baseline_value=10)
        for year in range(1403, 1411):
            indicators.set_target(db, ind.id, year, 10 + year - 1402)
    ind = indicators.add_indicator(db, small_plan["project"].id, title="تعداد اتوبوس تحویل‌شده", kind="output",
                                   baseline_year=1402, baseline_value=0)
    indicators.set_target(db, ind.id, 1403, 20)
    indicators.set_target(db, ind.id, 1404, 50)


def nodes_by_kind(db, plan_id):
    from sqlalchemy import select

    from db.models import PlanNode

    with db.unit() as session:
        rows = session.execute(select(PlanNode.kind, PlanNode.id).where(PlanNode.plan_id == plan_id)).all()
    return {kind: nodes.get_node(db, node_id) for kind, node_id in rows}


def approve(db, plan_id, number="۱۲/۴۵۶"):
    workflow.submit(db, plan_id, by="کارشناس")
    return workflow.approve(db, plan_id, resolution_no=number, resolution_date="1403/02/15",
                            signatories=[("علی رضایی", "رئیس شورا"), ("مریم کاظمی", "شهردار")], by="دبیر شورا")


def test_readiness_lists_the_chain_and_blocks_submission(db, small_plan):
    findings = check_readiness(db, small_plan["plan"].id)
    messages = [f.message for f in findings if f.severity == "error"]
    assert any("شاخص پیامدی ندارد" in m for m in messages)
    assert any("واحد مسئول ندارد" in m and "برنامه عملیاتی" in m for m in messages)
    assert any("شاخص خروجی یا نتیجه‌ای" in m for m in messages)
    assert all(f.node_uuid for f in findings if f.category == "readiness")
    with pytest.raises(RuleError, match="آماده ارسال نیست"):
        workflow.submit(db, small_plan["plan"].id)
    assert plans.get_plan(db, small_plan["plan"].id).status == "draft"
    make_ready(db, small_plan)
    assert [f for f in check_readiness(db, small_plan["plan"].id) if f.severity == "error"] == []


def test_warnings_need_a_note(db, small_plan):
    make_ready(db, small_plan)
    goal_indicator = indicators.list_indicators(db, small_plan["goal"].id)[0]
    indicators.set_target(db, goal_indicator.id, 1410, None)  # a missing later target is a warning
    with pytest.raises(RuleError, match="یادداشت"):
        workflow.submit(db, small_plan["plan"].id)
    result = workflow.submit(db, small_plan["plan"].id, note="هدف ۱۴۱۰ در بازنگری میان‌دوره")
    assert result.status == "submitted" and len(result.warnings) == 1


def test_whole_workflow_records_who_when_and_why(db, small_plan):
    plan_id = small_plan["plan"].id
    make_ready(db, small_plan)
    workflow.submit(db, plan_id, by="کارشناس", note="نسخه نخست")
    with pytest.raises(RuleError, match="فقط‌خواندنی"):
        nodes.update_node(db, small_plan["project"].id, title="در حال بررسی")
    with pytest.raises(RuleError, match="فقط از وضعیت مصوب"):
        workflow.archive(db, plan_id)
    workflow.return_for_revision(db, plan_id, by="بازبین", note="اصلاح شود",
                                 comments=[(small_plan["project"].id, "عنوان دقیق‌تر لازم است")])
    comments = workflow.comments(db, plan_id, small_plan["project"].id)
    assert [c.body for c in comments] == ["عنوان دقیق‌تر لازم است"] and comments[0].author == "بازبین"
    nodes.update_node(db, small_plan["project"].id, title="خرید ۵۰ دستگاه اتوبوس برقی ۱۲ متری")
    approve(db, plan_id)
    steps = workflow.history(db, plan_id)
    assert [(s.action, s.from_status, s.to_status) for s in steps] == [
        ("submit", "draft", "submitted"), ("return", "submitted", "draft"), ("submit", "draft", "submitted"),
        ("approve", "submitted", "approved")]
    assert steps[1].by == "بازبین" and steps[1].note == "اصلاح شود" and steps[-1].by == "دبیر شورا"
    record = workflow.approval_record(db, plan_id)
    assert record is not None and record.resolution_no == "۱۲/۴۵۶"
    assert record.resolution_date.isoformat() == "2024-05-04"
    assert record.signatories == [("علی رضایی", "رئیس شورا"), ("مریم کاظمی", "شهردار")]
    assert record.fingerprint == documents.fingerprint(documents.plan_entry(db, plan_id))
    assert [s.stage for s in list_snapshots(db, plan_id)] == ["proposal", "proposal", "approved"]
    workflow.archive(db, plan_id, note="پایان دوره")
    assert plans.get_plan(db, plan_id).status == "archived"


def test_approval_needs_a_resolution(db, small_plan):
    make_ready(db, small_plan)
    workflow.submit(db, small_plan["plan"].id)
    with pytest.raises(ValidationError) as info:
        workflow.approve(db, small_plan["plan"].id, resolution_no=" ", resolution_date="1403/02/15")
    assert info.value.field == "resolution_no"
    with pytest.raises(ValidationError) as info:
        workflow.approve(db, small_plan["plan"].id, resolution_no="۱۲", resolution_date="")
    assert info.value.field == "resolution_date"
    assert plans.get_plan(db, small_plan["plan"].id).status == "submitted"


def test_approved_content_is_frozen_by_the_services_and_monitoring_goes_on(db, small_plan):
    make_ready(db, small_plan)
    plan_id, project = small_plan["plan"].id, small_plan["project"]
    approve(db, plan_id)
    output = indicators.list_indicators(db, project.id)[0]
    with pytest.raises(RuleError, match="اصلاحیه"):
        indicators.set_target(db, output.id, 1403, 25)
    with pytest.raises(RuleError):
        budget.add_allocation(db, project.id, year=1403, budget_code="301", amount=1)
    # Monitoring: actuals, quarterly reports, spending.
    indicators.set_actual(db, output.id, 1403, "annual", 18, note="تأخیر در تحویل")
    monitoring.save_progress_report(db, project.id, year=1403, quarter=2, physical_progress=30,
                                    reported_on="1403/07/10")
    allocation = budget.list_allocations(db, project.id)[0]
    budget.update_allocation(db, allocation.id, spent=1_000_000)
    # …which leaves the approval's fingerprint as it was.
    record = workflow.approval_record(db, plan_id)
    assert record.fingerprint == documents.fingerprint(documents.plan_entry(db, plan_id))


def _raw(db, sql: str, **params) -> None:
    with db.engine.begin() as connection:
        connection.execute(text(sql), params)


def test_database_triggers_refuse_raw_sql_on_an_approved_plan(db, small_plan):
    make_ready(db, small_plan)
    plan_id, project = small_plan["plan"].id, small_plan["project"]
    output = indicators.list_indicators(db, project.id)[0]
    approve(db, plan_id)
    refused = [
        ("UPDATE plan_node SET title = 'دست‌کاری' WHERE id = :id", {"id": project.id}),
        ("DELETE FROM plan_node WHERE id = :id", {"id": project.id}),
        ("INSERT INTO plan_node (uuid, plan_id, parent_id, kind, code, title, description, sort_order, "
         "location, weight, state) VALUES ('x-1', :plan, NULL, 'axis', '9', 'محور', '', 9, '', 1, 'planned')",
         {"plan": plan_id}),
        ("UPDATE indicator_target SET value = 99 WHERE indicator_id = :id", {"id": output.id}),
        ("DELETE FROM indicator_target WHERE indicator_id = :id", {"id": output.id}),
        ("INSERT INTO indicator_target (indicator_id, year, value) VALUES (:id, 1405, 1)", {"id": output.id}),
        ("UPDATE indicator SET title = 'دست‌کاری' WHERE id = :id", {"id": output.id}),
        ("UPDATE allocation SET amount = amount + 1 WHERE project_id = :id", {"id": project.id}),
        ("DELETE FROM allocation WHERE project_id = :id", {"id": project.id}),
        ("INSERT INTO allocation (uuid, project_id, year, budget_code_id, amount, spent) "
         "SELECT 'x-2', project_id, year, budget_code_id, 5, 0 FROM allocation WHERE project_id = :id "
         "AND year = 1403", {"id": project.id}),
        ("UPDATE strategic_plan SET title = 'دست‌کاری' WHERE id = :id", {"id": plan_id}),
        ("UPDATE strategic_plan SET status = 'draft' WHERE id = :id", {"id": plan_id}),
    ]
    before = json.dumps(export_document(db, plan_ids=[plan_id])["plans"], ensure_ascii=False)
    for sql, params in refused:
        with pytest.raises(FROZEN_ERRORS, match="plan_frozen"):
            _raw(db, sql, **params)
    assert json.dumps(export_document(db, plan_ids=[plan_id])["plans"], ensure_ascii=False) == before
    # Monitoring rows still go in by raw SQL, and spending on an allocation may change.
    _raw(db, "INSERT INTO indicator_actual (indicator_id, year, period, value, note) VALUES (:id, 1403, 0, 7, '')",
         id=output.id)
    _raw(db, "INSERT INTO progress_report (uuid, project_id, year, quarter, physical_progress, spent, narrative, "
         "corrective_action) VALUES ('r-1', :id, 1403, 1, 10, 0, '', '')", id=project.id)
    _raw(db, "UPDATE allocation SET spent = 5 WHERE project_id = :id", id=project.id)
    _raw(db, "UPDATE plan_node SET state = 'in_progress' WHERE id = :id", id=project.id)


def test_amendment_supersedes_and_leaves_the_approved_revision_intact(db, small_plan):
    make_ready(db, small_plan)
    plan_id = small_plan["plan"].id
    approve(db, plan_id)
    before = json.dumps(export_document(db, plan_ids=[plan_id])["plans"], ensure_ascii=False, indent=1)
    new = workflow.revise(db, plan_id, by="کارشناس", note="افزایش ناوگان")
    assert (new.revision, new.status) == (2, "draft")
    with pytest.raises(RuleError, match="ویرایش ۲"):
        workflow.revise(db, plan_id)
    # The copy is the same content: compared with its source it shows nothing.
    assert compare(db, "T-1410@1", "T-1410@2").empty
    copy_project = nodes_by_kind(db, new.plan_id)["project"]
    nodes.update_node(db, copy_project.id, title="خرید ۸۰ دستگاه اتوبوس برقی")
    approve(db, new.plan_id, number="۱۳/۱۰")
    revs = list_revisions(db, plan_id)
    assert [(r.revision, r.status, r.superseded) for r in revs] == [(1, "approved", True), (2, "approved", False)]
    after = json.dumps(export_document(db, plan_ids=[plan_id])["plans"], ensure_ascii=False, indent=1)
    assert after == before
    assert plans.find_plan(db, "T-1410@1").id == plan_id
    assert [s.stage for s in list_snapshots(db, plan_id)][-1] == "amendment"


def test_compare_after_scripted_edits_lists_exactly_those_edits(db, small_plan):
    make_ready(db, small_plan)
    plan_id = small_plan["plan"].id
    approve(db, plan_id)
    new_id = workflow.revise(db, plan_id).plan_id
    tree = nodes_by_kind(db, new_id)
    project, program, strategy = tree["project"], tree["program"], tree["strategy"]
    nodes.update_node(db, project.id, title="خرید ۸۰ دستگاه اتوبوس برقی")
    added = nodes.add_node(db, new_id, program.id, "activity", title="آموزش رانندگان")
    second = nodes.add_node(db, new_id, strategy.id, "program", title="برنامه ایستگاه‌های شارژ",
                            first_year=1403, last_year=1404)
    nodes.move_node(db, added.id, second.id, 0)
    output = indicators.list_indicators(db, project.id)[0]
    indicators.set_target(db, output.id, 1404, 80)
    allocation = budget.list_allocations(db, project.id)[0]
    budget.update_allocation(db, allocation.id, amount=allocation.amount + 5_000_000_000)
    result = compare(db, "T-1410@1", "T-1410@2")
    got = {(c.kind, c.entity, c.level, c.field, c.old, c.new) for c in result.changes}
    assert got == {
        ("added", "node", "program", None, None, None),
        ("added", "node", "activity", None, None, None),
        ("changed", "node", "project", "title", "خرید ۵۰ دستگاه اتوبوس برقی", "خرید ۸۰ دستگاه اتوبوس برقی"),
        ("changed", "indicator", "indicator", "target 1404", 50, 80),
        ("changed", "allocation", "allocation", "amount", allocation.amount, allocation.amount + 5_000_000_000),
    }
    assert result.budget_total == 5_000_000_000 and result.budget_by_year == {allocation.year: 5_000_000_000}
    as_json = result.as_json()
    assert set(as_json) >= {"added", "removed", "moved", "changed"}
    assert all({"uuid", "level", "code", "title"} <= set(item) for item in as_json["changed"])
    # Moving an existing node and deleting one are seen too.
    nodes.move_node(db, project.id, second.id, 1)
    nodes.delete_node(db, added.id)
    result = compare(db, "T-1410@1", "T-1410@2")
    assert [(c.level, c.field) for c in result.of("moved")] == [("project", "parent")]
    assert not any(c.level == "activity" for c in result.changes)


def test_fingerprint_ignores_monitoring_and_status_but_not_content():
    plan = {"id": "p", "code": "A", "title": "ب", "status": "approved", "axes": [
        {"id": "n", "kind": "axis", "code": "1", "title": "محور", "indicators": [
            {"id": "i", "targets": [{"year": 1403, "value": 1}], "actuals": [{"year": 1403, "value": 2}]}],
         "goals": []}]}
    base = documents.fingerprint(plan)
    plan["status"] = "archived"
    plan["axes"][0]["indicators"][0]["actuals"].append({"year": 1404, "value": 3})
    assert documents.fingerprint(plan) == base
    plan["axes"][0]["indicators"][0]["targets"][0]["value"] = 5
    assert documents.fingerprint(plan) != base and len(base) == 64


def test_compare_two_unrelated_plans_matches_by_code():
    a = {"code": "A", "title": "الف", "axes": [{"id": "1", "kind": "axis", "code": "1", "full_code": "1",
                                                "title": "محور سبز", "goals": []}]}
    b = {"code": "B", "title": "الف", "axes": [{"id": "2", "kind": "axis", "code": "1", "full_code": "1",
                                                "title": "محور پایدار", "goals": []},
                                               {"id": "3", "kind": "axis", "code": "2", "full_code": "2",
                                                "title": "محور نو", "goals": []}]}
    result = compare_plans(a, b)
    assert [(c.kind, c.code, c.field) for c in result.changes] == [("added", "2", None), ("changed", "1", "title")]


def test_change_report_pdf_lists_the_changes(db, small_plan, tmp_path):
    from planner_core.lifecycle.change_report import write_change_report
    from tests.core.test_booklet_support import clean, reading_text

    make_ready(db, small_plan)
    approve(db, small_plan["plan"].id)
    new_id = workflow.revise(db, small_plan["plan"].id).plan_id
    nodes.update_node(db, nodes_by_kind(db, new_id)["project"].id, title="خرید ۸۰ دستگاه اتوبوس برقی")
    out = write_change_report(compare(db, "T-1410@1", "T-1410@2"), tmp_path / "گزارش تغییرات.pdf")
    text = clean(reading_text(out))
    assert "گزارش تغییرات برنامه" in text and "تغییرها (۱)" in text
    assert "۸۰ دستگاه" in text and "۵۰ دستگاه" in text and "عنوان" in text


def test_year_end_snapshot_is_kept_compared_and_printed(db, small_plan, tmp_path):
    from planner_core.booklet import render_booklet
    from planner_core.lifecycle.snapshots import snapshot_document, take_snapshot

    make_ready(db, small_plan)
    plan_id = small_plan["plan"].id
    approve(db, plan_id)
    output = indicators.list_indicators(db, small_plan["project"].id)[0]
    with pytest.raises(ValidationError):
        take_snapshot(db, plan_id, "year_end")  # a year-end snapshot names its year
    indicators.set_actual(db, output.id, 1403, "annual", 17, note="تأخیر تحویل")
    year_end = take_snapshot(db, plan_id, "year_end", year=1403, label="تفریغ ۱۴۰۳")
    approved = list_snapshots(db, plan_id)[-2]
    assert approved.stage == "approved" and year_end.fingerprint == approved.fingerprint  # content unchanged
    # Two snapshots compare like revisions: the actual is monitoring, not content.
    assert compare(db, str(approved.id), f"snapshot:{year_end.id}").empty
    doc = snapshot_document(db, year_end.id)
    assert doc["plans"][0]["axes"][0]["goals"][0]["strategies"][0]["programs"][0]["projects"][0][
        "indicators"][0]["actuals"][0]["value"] == 17
    result = render_booklet(doc, tmp_path / "تفریغ.pdf")
    assert result.pages >= 2


def test_weights_that_do_not_add_up_are_found(db, small_plan):
    make_ready(db, small_plan)
    plan_id = small_plan["plan"].id
    program = small_plan["program"]
    second = nodes.add_node(db, plan_id, program.id, "project", title="ایستگاه‌های شارژ",
                            responsible_unit_id=small_plan["unit"].id)

    def weight_findings():
        return [f for f in check_readiness(db, plan_id) if "وزن" in f.message]

    # relative weights (the roll-up normalises them) need not add up to anything
    nodes.update_node(db, small_plan["project"].id, weight=3)
    nodes.update_node(db, second.id, weight=2)
    assert weight_findings() == []
    # percentages that add up to 90: a warning naming the sum, on the parent
    nodes.update_node(db, small_plan["project"].id, weight=60)
    nodes.update_node(db, second.id, weight=30)
    [found] = weight_findings()
    assert found.severity == "warning" and "۹۰" in found.message and "۱۰۰" in found.message
    assert found.node_uuid == program.uuid and "برنامه نوسازی ناوگان" in found.message
    nodes.update_node(db, second.id, weight=40)
    assert weight_findings() == []
    # siblings all weighing zero: the parent's progress cannot be rolled up, submission is refused
    nodes.update_node(db, small_plan["project"].id, weight=0)
    nodes.update_node(db, second.id, weight=0)
    [found] = weight_findings()
    assert found.severity == "error" and "صفر" in found.message
    with pytest.raises(RuleError, match="آماده ارسال نیست"):
        workflow.submit(db, plan_id, note="با وجود هشدارها")
