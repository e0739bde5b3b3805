"""The allocation picker's list: only budget codes without sub-codes, the ones add_allocation accepts."""

from __future__ import annotations

import pytest

from planner_core import budget
from planner_core.errors import ValidationError


def test_allocatable_codes_are_the_leaves(db, small_plan):
    budget.add_budget_code(db, code="4", title="خدمات شهری")
    budget.add_budget_code(db, code="401", title="رفت‌وروب", parent_code="4")
    budget.add_budget_code(db, code="40101", title="رفت‌وروب مکانیزه", parent_code="401")
    assert [c.code for c in budget.allocatable_budget_codes(db)] == ["301", "40101"]
    project = small_plan["project"].id
    for code in ("3", "4", "401"):  # every code left out is one the service refuses
        with pytest.raises(ValidationError) as refused:
            budget.add_allocation(db, project, year=1403, budget_code=code, amount=1)
        assert refused.value.field == "budget_code"
