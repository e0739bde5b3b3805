"""Undoing a plan's creation and redoing it brings back the same plan (same id and UUID)."""

from __future__ import annotations

import pytest

from planner_core import plans
from planner_core.errors import RuleError


def test_restore_plan_keeps_id_uuid_and_fields(db):
    info = plans.create_plan(db, code="P-1", title="برنامه ۱", first_year=1403, last_year=1406,
                             vision="چشم‌انداز")
    plans.delete_plan(db, info.id)
    assert plans.list_plans(db) == []
    restored = plans.restore_plan(db, info)
    assert restored == info
    assert plans.get_plan(db, info.id).vision == "چشم‌انداز"


def test_restore_refuses_a_plan_that_is_there(db):
    info = plans.create_plan(db, code="P-1", title="برنامه ۱", first_year=1403, last_year=1406)
    with pytest.raises(RuleError):
        plans.restore_plan(db, info)
