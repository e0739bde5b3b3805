"""Small services the GUI tabs need: node spans, program allocation summary, report status, lesson undo."""

from __future__ import annotations

import pytest

from planner_core import budget, monitoring, nodes, spans
from planner_core.errors import NotFoundError, RuleError


def test_node_years_follow_the_level(db, small_plan):
    assert spans.node_years(db, small_plan["program"].id) == [1403, 1404]
    assert spans.node_years(db, small_plan["project"].id) == [1403, 1404]  # its dates
    assert spans.node_years(db, small_plan["goal"].id) == list(range(1403, 1411))
    bare = nodes.add_node(db, small_plan["plan"].id, small_plan["program"].id, "activity", title="فعالیت بی‌تاریخ")
    assert spans.node_years(db, bare.id) == [1403, 1404]  # its program's years
    assert spans.program_span(db, bare.id) == (1403, 1404)


def test_program_allocations_sum_projects_per_year_and_code(db, small_plan):
    program, project = small_plan["program"], small_plan["project"]
    other = nodes.add_node(db, small_plan["plan"].id, program.id, "project", title="پروژه دوم")
    budget.add_allocation(db, other.id, year=1403, budget_code="301", amount=5_000_000_000, spent=1_000_000)
    budget.add_budget_code(db, code="302", title="ناوگان", parent_code="3")
    budget.add_allocation(db, project.id, year=1403, budget_code="302", amount=2_000_000)
    rows = budget.program_allocations(db, program.id)
    assert [(r.year, r.budget_code, r.amount, r.spent, r.project_count) for r in rows] == [
        (1403, "301", 45_000_000_000, 1_000_000, 2),
        (1403, "302", 2_000_000, 0, 1),
        (1404, "301", 40_000_000_000, 0, 1),
    ]
    with pytest.raises(RuleError):
        budget.program_allocations(db, project.id)


def test_report_progress_marks_lagging_reports(db, small_plan):
    project = small_plan["project"].id
    monitoring.save_progress_report(db, project, year=1403, quarter=2, physical_progress=25)
    monitoring.save_progress_report(db, project, year=1403, quarter=4, physical_progress=10,
                                    corrective_action="جذب پیمانکار دوم")
    first, second = monitoring.report_progress(db, project)
    assert first.expected == 25.0 and first.status == "on_track" and not first.lagging
    assert second.expected == 50.0 and second.ratio == 20.0 and second.status == "off_track"
    assert second.lagging and second.has_corrective_action and not first.has_corrective_action


def test_lesson_delete_and_restore(db, small_plan):
    plan, goal = small_plan["plan"], small_plan["goal"]
    lesson = monitoring.add_lesson(db, plan.id, goal.id, title="هماهنگی زودهنگام با مناطق")
    gone = monitoring.delete_lesson(db, lesson.id)
    assert monitoring.list_lessons(db, plan.id, goal.id) == []
    monitoring.restore_lesson(db, gone)
    assert monitoring.list_lessons(db, plan.id, goal.id) == [lesson]
    with pytest.raises(NotFoundError):
        monitoring.delete_lesson(db, 9999)
