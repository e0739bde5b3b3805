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
    finally:
        db.dispose()
    return render_booklet(doc, Path(out_path), options, progress, cancelled)
