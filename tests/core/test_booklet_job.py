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
