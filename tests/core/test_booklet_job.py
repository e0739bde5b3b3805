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


def test_the_approval_record_fills_the_approvals_page_when_nothing_is_typed(tmp_path, monkeypatch):
    """The seam the integrator wires to planner_core.lifecycle.approval_record(db, plan_id)."""
    from datetime import date

    from planner_core import booklet_job
    from planner_core.booklet import ApprovalsInfo, BookletOptions
    from planner_core.exchange import import_document
    from planner_core.store import open_store

    db_path = tmp_path / "x.db"
    from tests.core.test_booklet_support import hard_strings_doc

    db = open_store(db_path, create=True)
    import_document(db, hard_strings_doc())
    db.dispose()
    seen = []

    def record(db, plan_id):
        seen.append(plan_id)
        return ApprovalsInfo(resolution_number="۹۹/۱", resolution_date=date(2025, 3, 1), approved_by_body="شورا")

    monkeypatch.setattr(booklet_job, "APPROVALS_SOURCE", record)
    out = tmp_path / "a.pdf"
    booklet_job.export_booklet(db_path, out, BookletOptions(prepared_by="مریم احمدی"))
    assert seen and out.exists()
    from tests.core.test_booklet_support import clean, reading_text

    text = clean(reading_text(out, 3))
    assert "۹۹/۱" in text and "مریم احمدی" in text  # the record, with the names typed
    # A resolution typed by the user wins over the record.
    seen.clear()
    booklet_job.export_booklet(db_path, out, BookletOptions(approvals=ApprovalsInfo(resolution_number="۱۲")))
    assert not seen and "۹۹/۱" not in clean(reading_text(out, 3))
