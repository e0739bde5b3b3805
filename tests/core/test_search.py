"""Tree search: fold-key matching finds spelling variants; ancestors come along; filters combine."""

from __future__ import annotations

from planner_core import nodes


def test_arabic_letters_find_persian_title(db, small_plan):
    plan = small_plan["plan"]
    park = nodes.add_node(db, plan.id, small_plan["program"].id, "project", title="توسعه پارک‌های محلی")
    found = nodes.search(db, plan.id, "پارك هاي")
    assert park.id in found
    # Ancestors are visible so the tree can show the path to the hit; the sibling is not.
    assert {small_plan[k].id for k in ("axis", "goal", "strategy", "program")} <= found
    assert small_plan["project"].id not in found


def test_digit_scripts_and_zwnj_do_not_matter(db, small_plan):
    plan = small_plan["plan"]
    assert small_plan["project"].id in nodes.search(db, plan.id, "٥٠ دستگاه")
    assert small_plan["strategy"].id in nodes.search(db, plan.id, "اتوبوسرانی")


def test_full_code_matches(db, small_plan):
    project = small_plan["project"]
    assert project.id in nodes.search(db, small_plan["plan"].id, project.full_code)


def test_no_query_no_filter_returns_every_node(db, small_plan):
    assert len(nodes.search(db, small_plan["plan"].id)) == 5


def test_filters_by_unit_state_and_year(db, small_plan):
    plan = small_plan["plan"]
    unit = small_plan["unit"]
    by_unit = nodes.search(db, plan.id, unit_id=unit.id)
    assert small_plan["project"].id in by_unit and small_plan["axis"].id in by_unit
    assert small_plan["goal"].id in by_unit  # an ancestor of a match
    nodes.update_node(db, small_plan["project"].id, state="in_progress")
    assert small_plan["project"].id in nodes.search(db, plan.id, state="in_progress")
    assert nodes.search(db, plan.id, state="suspended") == set()
    assert small_plan["project"].id in nodes.search(db, plan.id, year=1404)
    assert nodes.search(db, plan.id, year=1408) == set()


def test_no_match_is_empty(db, small_plan):
    assert nodes.search(db, small_plan["plan"].id, "چیزی که نیست") == set()


def test_children_of_many_equals_one_call_per_parent(db):
    from planner_core import nodes as node_service
    from planner_core.plans import list_plans
    from planner_core.sample import load_sample

    load_sample(db)
    plan = list_plans(db)[0]
    axes = node_service.children(db, plan.id, None)
    goals = [g for a in axes for g in node_service.children(db, plan.id, a.id)]
    parents = [a.id for a in axes] + [g.id for g in goals]
    batched = node_service.children_of_many(db, plan.id, parents)
    assert batched == {p: node_service.children(db, plan.id, p) for p in parents}


def test_find_tells_matches_from_the_ancestors_shown_to_reach_them(db, small_plan):
    plan = small_plan["plan"]
    found = nodes.find(db, plan.id, "اتوبوس")
    assert found.matches == {small_plan["strategy"].id, small_plan["project"].id}
    assert found.visible >= found.matches | {small_plan["axis"].id, small_plan["goal"].id, small_plan["program"].id}
    assert not found.plan_matches and found.count == 2


def test_find_matches_the_plans_own_title_and_code(db, small_plan):
    plan = small_plan["plan"]
    assert nodes.find(db, plan.id, "آزمايشي").plan_matches  # Arabic ي finds Persian ی
    assert nodes.find(db, plan.id, "t-1410").plan_matches
    assert nodes.find(db, plan.id, "آزمایشی").count == 1
