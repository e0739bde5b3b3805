"""Every plan rule the service layer enforces, each with its Persian message, and nothing half-saved."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.models import AuditEntry, PlanNode
from planner_core import budget, indicators, nodes, plans
from planner_core.errors import RuleError, ValidationError


def node_count(db) -> int:
    with db.unit() as session:
        return session.scalar(select(func.count()).select_from(PlanNode))


def test_codes_unique_inside_their_parent(db, small_plan):
    plan, goal = small_plan["plan"], small_plan["goal"]
    second = nodes.add_node(db, plan.id, goal.id, "strategy", title="راهبرد دوم")
    assert second.code == "2" and second.full_code == "1-1-2"
    with pytest.raises(ValidationError) as info:
        nodes.update_node(db, second.id, code="۱")  # Persian digit one equals "1"
    assert info.value.field == "code" and "تکراری" in info.value.message
    # The same code under another parent is fine.
    other_goal = nodes.add_node(db, plan.id, small_plan["axis"].id, "goal", title="هدف دوم")
    nodes.add_node(db, plan.id, other_goal.id, "strategy", title="راهبرد دیگر", code="1")


def test_program_years_inside_plan_years(db, small_plan):
    plan, strategy = small_plan["plan"], small_plan["strategy"]
    before = node_count(db)
    with pytest.raises(ValidationError) as info:
        nodes.add_node(db, plan.id, strategy.id, "program", title="برنامه خارج از دوره",
                       first_year=1410, last_year=1411)
    assert "سال‌های برنامه راهبردی" in info.value.message
    with pytest.raises(ValidationError, match="دوساله"):
        nodes.add_node(db, plan.id, strategy.id, "program", title="برنامه سه‌ساله", first_year=1403, last_year=1405)
    assert node_count(db) == before  # nothing half-written


def test_project_dates_inside_program_years(db, small_plan):
    plan, program, project = small_plan["plan"], small_plan["program"], small_plan["project"]
    with pytest.raises(ValidationError) as info:
        nodes.add_node(db, plan.id, program.id, "project", title="پروژه دیرهنگام", start_date="1405/01/10")
    assert info.value.field == "start_date"
    with pytest.raises(ValidationError) as info:
        nodes.update_node(db, project.id, end_date="1403/01/01", start_date="1403/02/01")
    assert info.value.field == "end_date" and "پیش از" in info.value.message
    assert nodes.get_node(db, project.id).end_date.isoformat() == "2026-02-19"  # unchanged 1404/11/30
    # Narrowing the program's years would strand the project: refused.
    with pytest.raises(ValidationError):
        nodes.update_node(db, program.id, first_year=1404, last_year=1404)


def test_amounts_and_targets_are_numbers_and_amounts_not_negative(db, small_plan):
    project = small_plan["project"]
    budget.add_budget_code(db, code="302", title="ناوگان", parent_code="3")
    with pytest.raises(ValidationError) as info:
        budget.add_allocation(db, project.id, year=1403, budget_code="302", amount="سی میلیارد")
    assert info.value.field == "amount" and "عدد نیست" in info.value.message
    with pytest.raises(ValidationError, match="منفی"):
        budget.add_allocation(db, project.id, year=1403, budget_code="302", amount=-5)
    indicator = indicators.add_indicator(db, project.id, title="تعداد اتوبوس برقی", kind="output")
    with pytest.raises(ValidationError) as info:
        indicators.set_target(db, indicator.id, 1403, "پنجاه")
    assert info.value.field == "value"
    indicators.set_target(db, indicator.id, "١٤٠٣", "٥٠")  # Arabic-Indic digits are numbers too
    assert indicators.get_indicator(db, indicator.id).targets == {1403: 50.0}
    # Money typed as text is million rials, in any digit script.
    al = budget.add_allocation(db, project.id, year=1403, budget_code="۳۰۲", amount="۱۲٬۵۰۰")
    assert al.amount == 12_500_000_000


@pytest.mark.parametrize("level,allowed,refused", [
    ("goal", "outcome", "output"), ("strategy", "outcome", "result"),
    ("program", "output", "outcome"), ("project", "result", "outcome"),
])
def test_indicator_kind_allowed_for_level(db, small_plan, level, allowed, refused):
    node = small_plan[level]
    indicators.add_indicator(db, node.id, title="شاخص مجاز", kind=allowed)
    with pytest.raises(ValidationError) as info:
        indicators.add_indicator(db, node.id, title="شاخص نامجاز", kind=refused)
    assert info.value.field == "kind" and "مجاز نیست" in info.value.message
    assert [i.kind for i in indicators.list_indicators(db, node.id)] == [allowed]


def test_approved_plan_is_read_only(db, small_plan):
    plan, project = small_plan["plan"], small_plan["project"]
    plans.update_plan(db, plan.id, status="approved")
    with pytest.raises(RuleError, match="فقط‌خواندنی"):
        nodes.update_node(db, project.id, title="عنوان تازه")
    with pytest.raises(RuleError):
        nodes.add_node(db, plan.id, None, "axis", title="محور تازه")
    with pytest.raises(RuleError):
        plans.update_plan(db, plan.id, title="عنوان تازه")
    with pytest.raises(RuleError):
        budget.add_allocation(db, project.id, year=1404, budget_code="3", amount=1)
    assert nodes.get_node(db, project.id).title == "خرید ۵۰ دستگاه اتوبوس برقی"
    # No way back to draft: a change to an approved plan is an amendment (a new revision).
    with pytest.raises(RuleError, match="اصلاحیه"):
        plans.update_plan(db, plan.id, status="draft")
    assert plans.get_plan(db, plan.id).status == "approved"


def test_allocations_come_from_leaf_codes_and_node_codes_have_no_hyphen(db, small_plan):
    with pytest.raises(ValidationError) as info:
        budget.add_allocation(db, small_plan["project"].id, year=1403, budget_code="3", amount=1)
    assert info.value.field == "budget_code" and "زیرکد" in info.value.message
    with pytest.raises(ValidationError) as info:
        nodes.update_node(db, small_plan["goal"].id, code="1-2")
    assert info.value.field == "code" and "خط تیره" in info.value.message


def test_wrong_level_refused(db, small_plan):
    with pytest.raises(RuleError):
        nodes.add_node(db, small_plan["plan"].id, small_plan["axis"].id, "project", title="پروژه زیر محور")


def test_text_is_normalised_on_write(db, small_plan):
    node = nodes.update_node(db, small_plan["goal"].id, title="توسعه فضاي سبز و پارك‌هاي محلي ")
    assert node.title == "توسعه فضای سبز و پارک‌های محلی"


def test_move_renumbers_and_delete_restore_round_trip(db, small_plan):
    plan, goal = small_plan["plan"], small_plan["goal"]
    s2 = nodes.add_node(db, plan.id, goal.id, "strategy", title="راهبرد دوم")
    s3 = nodes.add_node(db, plan.id, goal.id, "strategy", title="راهبرد سوم")
    old = nodes.move_node(db, s3.id, goal.id, 0)
    assert [(n.title, n.code) for n in nodes.children(db, plan.id, goal.id)] == [
        ("راهبرد سوم", "1"), ("توسعه شبکه اتوبوس‌رانی", "2"), ("راهبرد دوم", "3")]
    nodes.move_node(db, s3.id, old[0], old[1])
    strategy = small_plan["strategy"]
    assert nodes.count_descendants(db, strategy.id) == 2
    indicators.add_indicator(db, small_plan["project"].id, title="شاخص پروژه", kind="output")
    snapshot = nodes.delete_node(db, strategy.id)
    assert [n.code for n in nodes.children(db, plan.id, goal.id)] == ["1", "2"]
    assert snapshot.node_count == 3
    restored = nodes.restore_node(db, snapshot)
    assert restored.id == strategy.id and restored.code == "1"
    assert [n.title for n in nodes.children(db, plan.id, goal.id)] == [
        "توسعه شبکه اتوبوس‌رانی", "راهبرد دوم", "راهبرد سوم"]
    assert len(indicators.list_indicators(db, small_plan["project"].id)) == 1
    assert len(budget.list_allocations(db, small_plan["project"].id)) == 2
    assert s2.id in {n.id for n in nodes.children(db, plan.id, goal.id)}


def test_every_change_is_audited(db, small_plan):
    nodes.update_node(db, small_plan["goal"].id, title="هدف ویرایش‌شده")
    with db.unit() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "update" and entry.entity == "goal"
    assert "افزایش سهم حمل‌ونقل عمومی" in entry.before and "هدف ویرایش‌شده" in entry.after


def test_home_municipality_named_once_and_renamed(db):
    from planner_core.municipality import home_municipality, set_home_municipality

    assert home_municipality(db) is None
    first = set_home_municipality(db, name="شهرداري كرج", province="البرز")
    assert first.name == "شهرداری کرج"
    again = set_home_municipality(db, name="شهرداری کرج", province="البرز")
    assert again.id == first.id
    with pytest.raises(ValidationError, match="نام"):
        set_home_municipality(db, name="  ")


@pytest.mark.parametrize("path,value,field", [
    (("plans", 0, "status"), "published", "status"),
    (("plans", 0, "thresholds"), {"on_track": 50, "at_risk": 80}, "at_risk"),
    (("plans", 0, "axes", 0, "goals", 0, "strategies", 0, "programs", 0, "projects", 0, "state"), "done", "state"),
    (("plans", 0, "axes", 0, "goals", 0, "indicators", 0, "direction"), "up", "direction"),
    (("plans", 0, "axes", 0, "goals", 0, "strategies", 0, "programs", 0, "projects", 0,
      "progress_reports", 0, "quarter"), 5, "quarter"),
    (("plans", 0, "axes", 0, "goals", 0, "strategies", 0, "programs", 0, "projects", 0,
      "allocations", 0, "amount"), 12.5, "amount"),
])
def test_import_refuses_bad_values_in_persian_and_writes_nothing(tmp_path, path, value, field):
    from planner_core.exchange import import_document
    from planner_core.plans import list_plans
    from planner_core.sample import sample_document
    from planner_core.store import open_store

    doc = sample_document()
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    db = open_store(tmp_path / "bad.db", create=True)
    with pytest.raises(ValidationError) as info:
        import_document(db, doc, as_home=True)
    assert info.value.field == field and any("\u0600" <= ch <= "\u06ff" for ch in info.value.message)
    assert list_plans(db) == []
    db.dispose()
