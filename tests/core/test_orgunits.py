"""Responsible units: the planner keeps the list; a unit still responsible for nodes stays."""

from __future__ import annotations

import pytest

from planner_core import nodes, orgunits
from planner_core.errors import RuleError, ValidationError


def test_add_edit_and_find_units(db):
    deputy = orgunits.add_org_unit(db, code="D-SRV", name="معاونت خدمات شهري", kind="deputy")
    assert deputy.name == "معاونت خدمات شهری"
    dept = orgunits.add_org_unit(db, code="DEP-GRN", name="اداره فضای سبز", parent_id=deputy.id)
    with pytest.raises(ValidationError, match="از پیش"):
        orgunits.add_org_unit(db, code="D-SRV", name="تکراری")
    edited = orgunits.update_org_unit(db, dept.id, name="اداره کل فضای سبز", kind="department")
    assert edited.name == "اداره کل فضای سبز"
    with pytest.raises(ValidationError) as info:
        orgunits.update_org_unit(db, deputy.id, parent_id=dept.id)  # a cycle
    assert info.value.field == "parent"
    with pytest.raises(ValidationError):
        orgunits.update_org_unit(db, dept.id, kind="bureau")
    assert orgunits.find_org_unit(db, "اداره كل فضاي سبز").id == dept.id  # Arabic letters find it


def test_a_responsible_unit_cannot_be_deleted_until_free(db, small_plan):
    unit = small_plan["unit"]
    with pytest.raises(RuleError, match="مسئول ۲ گره"):
        orgunits.delete_org_unit(db, unit.id)
    for key in ("axis", "project"):
        nodes.update_node(db, small_plan[key].id, responsible_unit_id=None)
    info = orgunits.delete_org_unit(db, unit.id)
    assert orgunits.list_org_units(db) == []
    orgunits.restore_org_unit(db, info)
    assert orgunits.list_org_units(db) == [info]


def test_a_unit_with_sub_units_cannot_be_deleted(db):
    deputy = orgunits.add_org_unit(db, code="D-SRV", name="معاونت خدمات شهری", kind="deputy")
    orgunits.add_org_unit(db, code="DEP-GRN", name="اداره فضای سبز", parent_id=deputy.id)
    with pytest.raises(RuleError, match="زیرمجموعه"):
        orgunits.delete_org_unit(db, deputy.id)
    assert {u.code: u.parent_id for u in orgunits.list_org_units(db)}["DEP-GRN"] == deputy.id
