"""Roll-ups and budget consistency on small plans built for the test; sums computed independently."""

from __future__ import annotations

import pytest

from planner_core import budget, indicators, monitoring, nodes, orgunits, plans
from planner_core.budget_rollups import budget_matrix, budget_rollup
from planner_core.checks import run_checks
from planner_core.progress import Status
from planner_core.rollups import indicator_progress, progress_tree


@pytest.fixture
def two_programs(db, small_plan):
    """small_plan plus a second project (weight 3) and a second strategy/program/project."""
    plan, program, goal = small_plan["plan"], small_plan["program"], small_plan["goal"]
    unit2 = orgunits.add_org_unit(db, code="R05", name="منطقه ۵", kind="district")
    p2 = nodes.add_node(db, plan.id, program.id, "project", title="ایستگاه شارژ", weight=3,
                        responsible_unit_id=unit2.id)
    s2 = nodes.add_node(db, plan.id, goal.id, "strategy", title="راهبرد دوم")
    prog2 = nodes.add_node(db, plan.id, s2.id, "program", title="برنامه دوم", first_year=1403, last_year=1404)
    p3 = nodes.add_node(db, plan.id, prog2.id, "project", title="پروژه سوم", responsible_unit_id=unit2.id)
    budget.add_budget_code(db, code="302", title="ترافیک", parent_code="3")
    for year in (1403, 1404):
        budget.set_ceiling(db, year, "302", 50_000_000_000)
        budget.add_allocation(db, p2.id, year=year, budget_code="301", amount=30_000_000_000, spent=1_000_000_000)
        budget.add_allocation(db, p2.id, year=year, budget_code="302", amount=5_000_000_000)
        budget.add_allocation(db, p3.id, year=year, budget_code="302", amount=20_000_000_000, spent=7_000_000_000)
    return {**small_plan, "p2": p2, "p3": p3, "s2": s2, "prog2": prog2, "unit2": unit2}


def test_weighted_progress_rolls_up_and_status_follows_thresholds(db, two_programs):
    t = two_programs
    monitoring.save_progress_report(db, t["project"].id, year=1403, quarter=4, physical_progress=60)
    monitoring.save_progress_report(db, t["p2"].id, year=1403, quarter=3, physical_progress=20)
    monitoring.save_progress_report(db, t["p2"].id, year=1404, quarter=1, physical_progress=90)  # after: ignored
    tree = progress_tree(db, t["plan"].id, 1403, 4)
    program = tree.nodes[t["program"].id]
    assert program.progress == pytest.approx((1 * 60 + 3 * 20) / 4)
    assert program.expected == pytest.approx(50.0)  # end of the first of two years
    assert program.reported == 2 and program.projects == 2
    # 30 of 50 expected = 60 % performance: below at_risk (70) → off track.
    assert program.status == Status.OFF_TRACK
    # The second program has no report: no data, and it does not drag the goal down.
    assert tree.nodes[t["prog2"].id].status == Status.NO_DATA
    assert tree.nodes[t["goal"].id].progress == pytest.approx(30.0)
    # Raise the plan's thresholds' floor: the same numbers become "at risk".
    plans.update_plan(db, t["plan"].id, at_risk=50)
    assert progress_tree(db, t["plan"].id, 1403, 4).nodes[t["program"].id].status == Status.AT_RISK
    # Editable weights change the roll-up.
    nodes.update_node(db, t["p2"].id, weight=1)
    assert progress_tree(db, t["plan"].id, 1403, 4).nodes[t["program"].id].progress == pytest.approx(40.0)


def test_indicator_progress_uses_annual_then_latest_quarter(db, two_programs):
    program = two_programs["program"]
    ind = indicators.add_indicator(db, program.id, title="اتوبوس‌های فعال", kind="output", baseline_value=100)
    dec = indicators.add_indicator(db, program.id, title="زمان انتظار", kind="result", direction="decrease",
                                   baseline_value=20)
    indicators.set_target(db, ind.id, 1403, 150)
    indicators.set_target(db, dec.id, 1403, 10)
    indicators.set_actual(db, ind.id, 1403, "q1", 110)
    indicators.set_actual(db, ind.id, 1403, "q2", 125)
    indicators.set_actual(db, dec.id, 1403, "annual", 12)
    rows = {r.indicator_id: r for r in indicator_progress(db, two_programs["plan"].id, 1403)}
    assert rows[ind.id].actual == 125 and rows[ind.id].achievement.percent == pytest.approx(50.0)
    assert rows[dec.id].achievement.percent == pytest.approx(80.0)
    # Up to the first quarter only: the q1 value.
    rows = {r.indicator_id: r for r in indicator_progress(db, two_programs["plan"].id, 1403, quarter=1)}
    assert rows[ind.id].actual == 110


def test_budget_rollups_match_independent_sums(db, two_programs):
    t = two_programs
    rollup = budget_rollup(db, t["plan"].id, 1403)
    # Independent sums from the allocations the fixture made.
    expected_program1 = 40_000_000_000 + 30_000_000_000 + 5_000_000_000
    expected_program2 = 20_000_000_000
    assert rollup.by_node[t["program"].id].planned == expected_program1
    assert rollup.by_node[t["prog2"].id].planned == expected_program2
    assert rollup.by_node[t["goal"].id].planned == expected_program1 + expected_program2
    assert rollup.by_node[t["axis"].id].spent == 1_000_000_000 + 7_000_000_000
    assert rollup.total.planned == expected_program1 + expected_program2
    assert rollup.axis_share(t["axis"].id) == pytest.approx(100.0)
    assert rollup.by_unit["منطقه ۵"].planned == 30_000_000_000 + 5_000_000_000 + 20_000_000_000
    codes = {c.code: c for c in rollup.codes}
    assert codes["301"].planned == 70_000_000_000 and codes["301"].ceiling == 100_000_000_000
    assert codes["302"].planned == 25_000_000_000
    assert codes["3"].planned == 95_000_000_000  # parents sum their children
    matrix = budget_matrix(db, t["plan"].id, 1403)
    assert matrix.cells[(codes["302"].code_id, t["prog2"].id)] == 20_000_000_000
    assert matrix.column_total(t["program"].id) == expected_program1
    assert matrix.row_total(codes["301"].code_id) == 70_000_000_000


def messages(db, year=None):
    return [f.message for f in run_checks(db, year=year) if f.category == "budget"]


def test_consistency_rules(db, two_programs):
    t = two_programs
    assert messages(db) == []  # the fixture is consistent
    # Above the ceiling.
    budget.update_allocation(db, budget.list_allocations(db, t["p3"].id)[0].id, amount=60_000_000_000)
    assert any("از سقف آن" in m and "۳۰۲" in m for m in messages(db, 1403))
    # An amendment (متمم) raises the ceiling: the finding goes.
    budget.add_amendment(db, 1403, "302", delta="۴۰٬۰۰۰", when="1403/07/01", kind="supplement", reason="متمم")
    assert not any("از سقف آن" in m for m in messages(db, 1403))
    # A project with no allocation in a year of its program.
    p4 = nodes.add_node(db, t["plan"].id, t["prog2"].id, "project", title="پروژه بی‌بودجه")
    assert sum("هیچ تخصیص بودجه‌ای ندارد" in m and "بی‌بودجه" in m for m in messages(db)) == 2
    budget.add_allocation(db, p4.id, year=1403, budget_code="302", amount=1_000_000)
    assert sum("بی‌بودجه" in m for m in messages(db)) == 1
    # A code with a ceiling and nothing allocated.
    budget.add_budget_code(db, code="303", title="پیاده‌راه‌ها", parent_code="3")
    budget.set_ceiling(db, 1403, "303", 10_000_000)
    assert any("هیچ پروژه‌ای از آن تخصیص نگرفته" in m and "۳۰۳" in m for m in messages(db))
    # A program whose years are not covered by an annual budget.
    s3 = nodes.add_node(db, t["plan"].id, t["goal"].id, "strategy", title="راهبرد سوم")
    nodes.add_node(db, t["plan"].id, s3.id, "program", title="برنامه آینده", first_year=1405, last_year=1406)
    assert sum("بودجه سالانه ثبت‌شده‌ای ندارد" in m for m in messages(db)) == 2
    # Totals: children's ceilings above the parent's.
    budget.set_ceiling(db, 1403, "3", 1_000_000)
    assert any("جمع سقف زیرکدهای" in m for m in messages(db))
    # Allocation outside the program's years is refused at entry …
    with pytest.raises(Exception, match="سال‌های برنامه عملیاتی"):
        budget.add_allocation(db, p4.id, year=1405, budget_code="302", amount=1)
    # … and found if it arrives another way (the program's years changed under it).
    nodes.update_node(db, t["prog2"].id, first_year=1404, last_year=1404)
    assert any("بیرون از دو سال برنامه" in m for m in messages(db))


def test_spent_above_amount_refused(db, two_programs):
    with pytest.raises(Exception, match="هزینه‌شده"):
        budget.add_allocation(db, two_programs["p3"].id, year=1403, budget_code="301", amount=5, spent=6)


def test_expected_progress_is_weighted_like_progress(db, small_plan):
    """Two axes each exactly on schedule: a one-year program done, a two-year one half done."""
    t = small_plan
    axis2 = nodes.add_node(db, t["plan"].id, None, "axis", title="محور دوم")
    goal2 = nodes.add_node(db, t["plan"].id, axis2.id, "goal", title="هدف دوم")
    strategy2 = nodes.add_node(db, t["plan"].id, goal2.id, "strategy", title="راهبرد دوم")
    short = nodes.add_node(db, t["plan"].id, strategy2.id, "program", title="برنامه یک‌ساله",
                           first_year=1403, last_year=1403)
    done = nodes.add_node(db, t["plan"].id, short.id, "project", title="پروژه تمام‌شده")
    monitoring.save_progress_report(db, done.id, year=1403, quarter=4, physical_progress=100)
    monitoring.save_progress_report(db, t["project"].id, year=1403, quarter=4, physical_progress=50)
    tree = progress_tree(db, t["plan"].id, 1403, 4)
    assert tree.nodes[axis2.id].expected == pytest.approx(100.0)
    assert tree.nodes[t["axis"].id].expected == pytest.approx(50.0)
    assert tree.plan_progress == pytest.approx(75.0) and tree.plan_expected == pytest.approx(75.0)
    assert tree.plan_status == Status.ON_TRACK
    # A program with one reported project and one silent one is judged on the reported one.
    nodes.add_node(db, t["plan"].id, t["program"].id, "project", title="پروژه بی‌گزارش", weight=5)
    program = progress_tree(db, t["plan"].id, 1403, 4).nodes[t["program"].id]
    assert (program.progress, program.expected, program.reported, program.projects) == (50.0, 50.0, 1, 2)


def test_indicator_info_judges_a_year_like_the_sql_rollup(db, two_programs):
    program = two_programs["program"]
    ind = indicators.add_indicator(db, program.id, title="سفرهای روزانه", kind="result", baseline_value=100)
    indicators.set_target(db, ind.id, 1403, 200)
    indicators.set_actual(db, ind.id, 1403, "q1", 120)
    indicators.set_actual(db, ind.id, 1403, "q3", 150)
    info = indicators.get_indicator(db, ind.id)
    row = next(r for r in indicator_progress(db, two_programs["plan"].id, 1403) if r.indicator_id == ind.id)
    assert info.year_actual(1403) == row.actual == 150
    assert info.achievement(1403) == row.achievement
    indicators.set_actual(db, ind.id, 1403, "annual", 180)
    assert indicators.get_indicator(db, ind.id).achievement(1403).percent == pytest.approx(80.0)
