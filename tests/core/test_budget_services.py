"""Budget catalogue and ledger services: inverses for undo, and what they refuse."""

from __future__ import annotations

import pytest

from planner_core import budget
from planner_core.errors import RuleError


def test_used_or_parent_codes_cannot_be_deleted(db, small_plan):
    codes = {c.code: c for c in budget.list_budget_codes(db)}
    with pytest.raises(RuleError, match="تخصیص"):
        budget.delete_budget_code(db, codes["301"].id)
    with pytest.raises(RuleError, match="زیرکد"):
        budget.delete_budget_code(db, codes["3"].id)
    new = budget.add_budget_code(db, code="309", title="کد آزمایشی", parent_code="3")
    info = budget.delete_budget_code(db, new.id)
    assert "309" not in {c.code for c in budget.list_budget_codes(db)}
    budget.restore_budget_code(db, info)
    assert {c.code: c.uuid for c in budget.list_budget_codes(db)}["309"] == new.uuid


def test_ledger_entries_and_first_ceilings_come_and_go(db, small_plan):
    uuid = budget.add_amendment(db, 1403, "301", delta="-۵٬۰۰۰", when="1403/08/01", kind="amendment",
                                reason="کاهش")
    line = next(line for line in budget.year_lines(db, 1403) if line.code == "301")
    assert line.ceiling == 100_000_000_000 and line.amended == 95_000_000_000
    with pytest.raises(RuleError, match="متمم یا اصلاحیه"):
        budget.remove_ceiling(db, 1403, "301")
    budget.delete_amendment(db, uuid)
    assert next(x for x in budget.year_lines(db, 1403) if x.code == "301").amendments == ()
    budget.set_ceiling(db, 1403, "3", 500_000_000_000)
    assert budget.remove_ceiling(db, 1403, "3") == 500_000_000_000
    assert "3" not in {x.code for x in budget.year_lines(db, 1403)}
    # The year a first ceiling created goes with it when asked; other years stay, even empty.
    budget.set_ceiling(db, 1406, "3", 1)
    budget.remove_ceiling(db, 1406, "3", drop_empty_year=True)
    assert 1406 not in budget.budget_years(db)
    budget.set_ceiling(db, 1407, "3", 1)
    budget.remove_ceiling(db, 1407, "3")
    assert 1407 in budget.budget_years(db)


def test_code_import_reports_what_it_changed_and_can_be_taken_back(db, small_plan):
    result = budget.import_budget_codes(db, [
        {"code": "4", "title": "خدمات شهری", "parent": None},
        {"code": "401", "title": "پسماند", "parent": "۴"},
        {"code": "301", "title": "حمل‌ونقل همگانی", "parent": "3"},
    ])
    assert result.added == ["4", "401"] and result.retitled == {"301": "حمل‌ونقل عمومی"}
    budget.undo_code_import(db, result)
    codes = {c.code: c.title for c in budget.list_budget_codes(db)}
    assert "4" not in codes and codes["301"] == "حمل‌ونقل عمومی"


def test_a_deleted_progress_report_comes_back_with_its_identity(db, small_plan):
    from planner_core import monitoring

    project = small_plan["project"].id
    saved, _ = monitoring.save_progress_report(db, project, year=1403, quarter=2, physical_progress=20,
                                               narrative="آغاز عملیات")
    gone = monitoring.delete_progress_report(db, saved.id)
    monitoring.restore_progress_report(db, gone)
    assert monitoring.list_progress_reports(db, project) == [saved]
    # Undo of an edit: the earlier values return on the same row.
    monitoring.save_progress_report(db, project, year=1403, quarter=2, physical_progress=35)
    monitoring.restore_progress_report(db, saved)
    assert monitoring.list_progress_reports(db, project) == [saved]


def test_edited_allocation_meets_the_rules(db, small_plan):
    from planner_core.errors import ValidationError

    first = budget.list_allocations(db, small_plan["project"].id)[0]
    with pytest.raises(ValidationError, match="تخصیص دارد"):
        budget.update_allocation(db, first.id, year=1404)  # 1404 × 301 exists already
    with pytest.raises(ValidationError, match="سال‌های برنامه"):
        budget.update_allocation(db, first.id, year=1300)
    assert budget.list_allocations(db, small_plan["project"].id)[0] == first


def test_a_new_report_never_overwrites_a_quarter_and_dates_are_not_in_the_future(db, small_plan):
    from datetime import date, timedelta

    from planner_core import monitoring
    from planner_core.errors import ValidationError

    project = small_plan["project"].id
    first, _ = monitoring.save_progress_report(db, project, year=1403, quarter=1, physical_progress=5,
                                               narrative="شروع")
    with pytest.raises(ValidationError) as info:
        monitoring.save_progress_report(db, project, year=1403, quarter=1, physical_progress=9, replace=False)
    assert info.value.field == "quarter" and "ویرایش" in info.value.message
    with pytest.raises(ValidationError) as info:
        monitoring.save_progress_report(db, project, year=1403, quarter=2, physical_progress=9,
                                        reported_on=date.today() + timedelta(days=3))
    assert info.value.field == "date"
    assert monitoring.list_progress_reports(db, project) == [first]
