"""The year report windows open on: where the plan's data is."""

from __future__ import annotations

from datetime import date

from planner_core import indicators, monitoring, plans
from planner_core.jalali import from_jalali
from planner_core.plan_years import default_year, years_with_data

IN_1405 = from_jalali(1405, 9, 10)
IN_1404 = from_jalali(1404, 3, 1)


def test_an_empty_current_year_gives_way_to_the_last_year_with_monitoring_data(db, small_plan):
    plan, project = small_plan["plan"], small_plan["project"]
    # Allocations (planned data) exist for 1403 and 1404; nothing is monitored yet.
    assert years_with_data(db, plan.id) == ([], [1403, 1404])
    assert default_year(db, plan.id, IN_1405) == 1404
    monitoring.save_progress_report(db, project.id, year=1403, quarter=4, physical_progress=40)
    assert years_with_data(db, plan.id) == ([1403], [1403, 1404])
    # Monitoring data says where the planner works: 1403, though 1404 has allocations.
    assert default_year(db, plan.id, IN_1405) == 1403
    indicator = indicators.add_indicator(db, small_plan["program"].id, title="سهم ناوگان برقی", kind="result",
                                         baseline_value=0)
    indicators.set_actual(db, indicator.id, 1404, 0, 12)
    assert default_year(db, plan.id, IN_1405) == 1404


def test_the_current_fiscal_year_wins_when_it_has_data(db, small_plan):
    plan, project = small_plan["plan"], small_plan["project"]
    for year in (1403, 1404):
        monitoring.save_progress_report(db, project.id, year=year, quarter=2, physical_progress=20)
    assert default_year(db, plan.id, from_jalali(1403, 7, 1)) == 1403
    assert default_year(db, plan.id, IN_1404) == 1404


def test_a_plan_without_data_opens_on_this_year_inside_its_period(db):
    plan = plans.create_plan(db, code="E-1", title="برنامه خالی", first_year=1406, last_year=1409)
    assert years_with_data(db, plan.id) == ([], [])
    assert default_year(db, plan.id, IN_1405) == 1406
    assert default_year(db, plan.id, from_jalali(1407, 1, 5)) == 1407
    assert default_year(db, plan.id, date(2040, 1, 1)) == 1409

