"""The booklet export as one job: open the store, export the plan document, render the PDF.

The command line calls it directly; the GUI runs it in a worker thread (it opens its own
store, so no connection or ORM object crosses threads).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from planner_core.booklet import ApprovalsInfo, BookletOptions, BookletResult, render_booklet
from planner_core.exchange import export_document
from planner_core.plans import find_plan
from planner_core.store import open_store

# Where the approvals page reads the plan's approval record from, once there is one: the
# integrator sets this to a function over planner_core.lifecycle.approval_record(db, plan_id)
# returning an ApprovalsInfo (or None when the plan has no record). Fields typed in the dialog
# or on the command line win over the record.
APPROVALS_SOURCE: Callable[..., ApprovalsInfo | None] | None = None


def export_booklet(database: str | Path, out_path: str | Path, options: BookletOptions | None = None,
                   progress: Callable[[int, int, str], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> BookletResult:
    options = options or BookletOptions()
    db = open_store(database, write=False)
    try:
        if progress:
            progress(0, 1, "خواندن برنامه از پایگاه داده")
        if options.plan_code:
            # Matched like every other command; the renderer then gets the stored code.
            options = replace(options, plan_code=find_plan(db, options.plan_code).code)
        doc = export_document(db, [options.plan_code] if options.plan_code else None)
        # A plan received from another municipality is printed under that municipality's name.
        if len(doc["plans"]) == 1 and doc["plans"][0].get("source_municipality"):
            doc["municipality"] = doc["plans"][0]["source_municipality"]
        typed = options.approvals_info()
        if APPROVALS_SOURCE is not None and not typed.has_resolution():
            record = APPROVALS_SOURCE(db, find_plan(db, options.plan_code).id)
            if record is not None:
                if not record.signatories:
                    record.signatories = typed.signatories
                options = replace(options, approvals=record)
    finally:
        db.dispose()
    return render_booklet(doc, Path(out_path), options, progress, cancelled)
