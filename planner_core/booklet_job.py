"""The booklet export as one job: open the store, export the plan document, render the PDF.

The command line calls it directly; the GUI runs it in a worker thread (it opens its own
store, so no connection or ORM object crosses threads).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from planner_core.booklet import BookletOptions, BookletResult, render_booklet
from planner_core.exchange import export_document
from planner_core.plans import find_plan
from planner_core.store import open_store


def export_booklet(database: str | Path, out_path: str | Path, options: BookletOptions | None = None,
                   progress: Callable[[int, int, str], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> BookletResult:
    options = options or BookletOptions()
    db = open_store(database)
    try:
        if progress:
            progress(0, 1, "خواندن برنامه از پایگاه داده")
        # Matched like every other command (a bare code is the revision in force, CODE@N one revision;
        # no code the first plan's revision in force); the renderer gets that revision and its code.
        plan = find_plan(db, options.plan_code or find_plan(db, None).code)
        options = replace(options, plan_code=plan.code)
        doc = export_document(db, plan_ids=[plan.id])
    finally:
        db.dispose()
    return render_booklet(doc, Path(out_path), options, progress, cancelled)
