"""plans.edit_refusal: the plan part of "why is the editor read-only", the same rule the services enforce;
monitoring goes on for a submitted or approved plan, not for a received or archived one."""

from __future__ import annotations

import pytest

from db.models import Municipality, StrategicPlan
from planner_core import indicators, nodes, plans
from planner_core.errors import RuleError
from planner_core.municipality import set_home_municipality


def _set(db, plan_id, **values):
    with db.unit() as session:
        plan = session.get(StrategicPlan, plan_id)
        for name, value in values.items():
            setattr(plan, name, value)


def test_a_draft_of_our_own_may_be_edited(db, small_plan):
    assert plans.edit_refusal(db, small_plan["plan"].id) is None


@pytest.mark.parametrize("status, word, monitored", [("submitted", "بررسی", True), ("approved", "مصوب", True),
                                                     ("archived", "بایگانی", False)])
def test_a_frozen_plan_refuses_edits_as_the_services_do(db, small_plan, status, word, monitored):
    plan_id, program = small_plan["plan"].id, small_plan["program"]
    indicator = indicators.add_indicator(db, program.id, title="تعداد اتوبوس")
    _set(db, plan_id, status=status)
    refusal = plans.edit_refusal(db, plan_id)
    assert refusal is not None and refusal.kind == status and word in refusal.reason
    with pytest.raises(RuleError) as raised:
        nodes.update_node(db, program.id, title="عنوان تازه")
    assert str(raised.value) == refusal.reason
    assert (refusal.monitoring is None) is monitored
    if monitored:
        indicators.set_actual(db, indicator.id, 1403, "annual", 5)
    else:
        with pytest.raises(RuleError):
            indicators.set_actual(db, indicator.id, 1403, "annual", 5)


def test_a_received_plan_refuses_edits_and_monitoring(db, small_plan):
    plan_id = small_plan["plan"].id
    indicator = indicators.add_indicator(db, small_plan["program"].id, title="تعداد اتوبوس")
    set_home_municipality(db, name="شهرداری شیراز")
    with db.unit() as session:
        other = Municipality(name="شهرداری اصفهان", is_home=False)
        session.add(other)
        session.flush()
        session.get(StrategicPlan, plan_id).source_municipality_id = other.id
    refusal = plans.edit_refusal(db, plan_id)
    assert refusal is not None and refusal.kind == "received" and "شهرداری اصفهان" in refusal.reason
    assert refusal.monitoring == refusal.reason
    with pytest.raises(RuleError):
        indicators.set_actual(db, indicator.id, 1403, "annual", 5)
