"""Progress by responsible unit and the program year-end evaluation, against sums done by hand."""

from __future__ import annotations

import pytest

from planner_core import indicators, monitoring, nodes, orgunits
from planner_core.errors import PlannerError
from planner_core.evaluation import NO_UNIT, list_programs, program_evaluation, progress_by_unit
from planner_core.progress import Status
from planner_core.rollups import progress_tree


def test_progress_by_unit_weights_reported_projects(db, small_plan):
    t = small_plan
    unit2 = orgunits.add_org_unit(db, code="R05", name="منطقه ۵", kind="district")
    p2 = nodes.add_node(db, t["plan"].id, t["program"].id, "project", title="ایستگاه شارژ", weight=3,
                        responsible_unit_id=unit2.id)
    p3 = nodes.add_node(db, t["plan"].id, t["program"].id, "project", title="پایانه", responsible_unit_id=unit2.id)
    nodes.add_node(db, t["plan"].id, t["program"].id, "activity", title="بی‌واحد")
    monitoring.save_progress_report(db, t["project"].id, year=1403, quarter=4, physical_progress=45)
    monitoring.save_progress_report(db, p2.id, year=1403, quarter=4, physical_progress=20)
    monitoring.save_progress_report(db, p3.id, year=1403, quarter=4, physical_progress=60)
    rows = {u.unit: u for u in progress_by_unit(progress_tree(db, t["plan"].id, 1403, 4))}
    assert set(rows) == {t["unit"].name, "منطقه ۵", NO_UNIT}
    first = rows[t["unit"].name]
    assert first.progress == pytest.approx(45) and first.expected == pytest.approx(50)
    assert first.performance == pytest.approx(90) and first.status == Status.ON_TRACK
    second = rows["منطقه ۵"]
    assert second.progress == pytest.approx((3 * 20 + 60) / 4)
    assert second.performance == pytest.approx(60) and second.status == Status.OFF_TRACK
    assert (second.reported, second.projects) == (2, 2)
    assert rows[NO_UNIT].progress is None and rows[NO_UNIT].status == Status.NO_DATA


def test_program_evaluation_lists_program_then_project_indicators(db, small_plan):
    t = small_plan
    on_project = indicators.add_indicator(db, t["project"].id, title="اتوبوس تحویلی", kind="output",
                                          baseline_value=0)
    on_program = indicators.add_indicator(db, t["program"].id, title="سهم ناوگان برقی", kind="result",
                                          baseline_value=10)
    indicators.add_indicator(db, t["goal"].id, title="سهم سفر عمومی", kind="outcome")  # not the program's
    indicators.set_target(db, on_program.id, 1403, 20)
    indicators.set_actual(db, on_program.id, 1403, "annual", 15, note="تأخیر در گشایش اعتبار اسنادی")
    indicators.set_target(db, on_project.id, 1403, 50)
    indicators.set_actual(db, on_project.id, 1403, "q2", 10)
    rows = program_evaluation(db, t["program"].id, 1403)
    assert [r.indicator_id for r in rows] == [on_program.id, on_project.id]
    first, second = rows
    assert first.achievement == pytest.approx(50) and first.explanation == "تأخیر در گشایش اعتبار اسنادی"
    assert first.annual_actual == 15 and first.node_code == "1-1-1-1"
    assert second.actual == 10 and second.annual_actual is None and second.explanation == ""
    assert second.achievement == pytest.approx(20) and second.status == Status.OFF_TRACK
    assert [p.id for p in list_programs(db, t["plan"].id)] == [t["program"].id]
    with pytest.raises(PlannerError):
        program_evaluation(db, t["project"].id, 1403)
