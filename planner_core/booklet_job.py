"""The booklet export as one job: open the store, export the plan document, render the PDF.

The command line calls it directly; the GUI runs it in a worker thread (it opens its own
store, so no connection or ORM object crosses threads).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from db.engine import Database
from planner_core.booklet import ApprovalsInfo, BookletOptions, BookletResult, render_booklet
from planner_core.booklet.options import Signatory
from planner_core.exchange import export_document
from planner_core.lifecycle import approval_record
from planner_core.plans import find_plan
from planner_core.store import open_store


def recorded_approvals(db: Database, plan_id: int) -> ApprovalsInfo | None:
    """The approvals page from the plan's approval record (resolution, signatories, fingerprint),
    or None while the revision has not been approved."""
    record = approval_record(db, plan_id)
    if record is None:
        return None
    return ApprovalsInfo(resolution_number=record.resolution_no, resolution_date=record.resolution_date,
                         signatories=[Signatory(role, name) for name, role in record.signatories],
                         fingerprint=record.fingerprint)


def export_booklet(database: str | Path, out_path: str | Path, options: BookletOptions | None = None,
                   progress: Callable[[int, int, str], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> BookletResult:
    options = options or BookletOptions()
    db = open_store(database, write=False)
    try:
        if progress:
            progress(0, 1, "خواندن برنامه از پایگاه داده")
        # Matched like every other command (a bare code is the revision in force, CODE@N one revision;
        # no code the first plan's revision in force); the renderer gets that revision and its code.
        plan = find_plan(db, options.plan_code or find_plan(db, None).code)
        options = replace(options, plan_code=plan.code)
        doc = export_document(db, plan_ids=[plan.id])
        # A plan received from another municipality is printed under that municipality's name.
        if len(doc["plans"]) == 1 and doc["plans"][0].get("source_municipality"):
            doc["municipality"] = doc["plans"][0]["source_municipality"]
        typed = options.approvals_info()
        if not typed.has_resolution():  # what was typed in the dialog wins over the approval record
            record = recorded_approvals(db, plan.id)
            if record is not None:
                if not record.signatories:
                    record.signatories = typed.signatories
                options = replace(options, approvals=record)
    finally:
        db.dispose()
    return render_booklet(doc, Path(out_path), options, progress, cancelled)
