"""The booklet job opens its own store, so a worker thread can run it with a path and options."""

from __future__ import annotations

import pytest

from planner_core.booklet import BookletCancelled, BookletOptions
from planner_core.booklet_job import export_booklet


def test_export_booklet_from_a_path(db, small_plan, tmp_path):
    out = tmp_path / "out" / "T-1410.pdf"
    out.parent.mkdir()
    seen = []
    result = export_booklet(db.url, out, BookletOptions(plan_code="T-1410"), lambda *a: seen.append(a))
    assert result.pages >= 1 and out.read_bytes().startswith(b"%PDF")
    assert seen and seen[0][2]


def test_cancelled_export_leaves_no_file(db, small_plan, tmp_path):
    out = tmp_path / "T-1410.pdf"
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(BookletCancelled):
        export_booklet(db.url, out, BookletOptions(plan_code="T-1410"), None, cancelled)
    assert not out.exists() and list(tmp_path.glob("*.pdf")) == []


def test_the_approval_record_fills_the_approvals_page_when_nothing_is_typed(tmp_path):
    """An approved revision's booklet prints its council resolution, signatories and fingerprint."""
    from planner_core.booklet import ApprovalsInfo, BookletOptions
    from planner_core.lifecycle import approval_record
    from planner_core.plans import list_plans
    from planner_core.sample import load_sample
    from planner_core.store import open_store
    from tests.core.test_booklet_support import clean, reading_text

    db_path = tmp_path / "نمونه.db"
    db = open_store(db_path, create=True)
    load_sample(db, lifecycle=True)  # approved, amended once (approved again), a draft open
    first = next(p for p in list_plans(db) if p.revision == 1)
    record = approval_record(db, first.id)
    db.dispose()
    assert record is not None and record.fingerprint
    out = tmp_path / "a.pdf"
    export_booklet(db_path, out, BookletOptions(plan_code=f"{first.code}@1", prepared_by="مریم احمدی"))
    text = clean(reading_text(out, 3))
    assert "۱۴۰۳/۱۲۸" in text  # the resolution of revision 1
    assert record.fingerprint[:8] in text and record.fingerprint[-8:] in text
    assert record.signatories[0][0] in text
    # A resolution typed by the user wins over the record.
    export_booklet(db_path, out, BookletOptions(plan_code=f"{first.code}@1",
                                                approvals=ApprovalsInfo(resolution_number="۱۲")))
    assert "۱۴۰۳/۱۲۸" not in clean(reading_text(out, 3))
