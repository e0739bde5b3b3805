"""The booklet export as one job: open the store, export the plan document, render the PDF.

The command line calls it directly; the GUI runs it in a worker thread (it opens its own
store, so no connection or ORM object crosses threads).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from planner_core.booklet import BookletOptions, BookletResult, render_booklet
from planner_core.exchange import export_document
from planner_core.store import open_store


def export_booklet(database: str | Path, out_path: str | Path, options: BookletOptions | None = None,
                   progress: Callable[[int, int, str], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> BookletResult:
    db = open_store(database)
    try:
        if progress:
            progress(0, 1, "خواندن برنامه از پایگاه داده")
        plans = [options.plan_code] if options and options.plan_code else None
        doc = export_document(db, plans)
    finally:
        db.dispose()
    if options and options.plan_code and not doc["plans"]:
        raise ValueError(f"برنامه‌ای با کد «{options.plan_code}» در این فایل نیست.")
    return render_booklet(doc, Path(out_path), options or BookletOptions(), progress, cancelled)
