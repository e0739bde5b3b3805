"""How long from building the main window to a visible plan tree, on the sample and a 20,000-project plan.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_tree.py

Run by hand; the target is under a second for the sample plan.  Also times a search that
fetches every matching branch of the lazy tree.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from planner_core import nodes  # noqa: E402
from planner_core.exchange import import_document  # noqa: E402
from planner_core.store import open_store  # noqa: E402
from planner_gui.app import create_application, open_sample  # noqa: E402
from planner_gui.main_window import MainWindow  # noqa: E402


def time_window(db_path: Path, query: str) -> dict[str, float]:
    started = time.perf_counter()
    db = open_store(db_path)
    window = MainWindow(db, db_path)
    window.show()
    QApplication.processEvents()
    shown = time.perf_counter() - started
    rows = window.tree.proxy.rowCount(window.tree.proxy.index(0, 0))
    assert rows > 0, "the tree shows no axes"
    started = time.perf_counter()
    window.tree.search.setText(query)
    window.tree.apply_filter()
    QApplication.processEvents()
    searched = time.perf_counter() - started
    hits = len(nodes.search(db, window.ctx.plan_id, query)) if window.ctx.plan_id else 0
    window.close()
    db.dispose()
    return {"open": shown, "search": searched, "hits": hits}


def _a_project_word(doc: dict) -> str:
    """A word from some project's title, so the search has real hits across the tree."""
    program = doc["plans"][0]["axes"][-1]["goals"][-1]["strategies"][-1]["programs"][-1]
    return program["projects"][-1]["title"].split()[0]


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="barnamenegar-bench-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp))
    create_application([])
    sample = tmp / "sample.db"
    open_sample(sample).dispose()

    large = tmp / "large.db"
    from benchmarks.scale_plan import count_nodes, make_large_dump

    doc = make_large_dump()
    db = open_store(large, create=True)
    started = time.perf_counter()
    import_document(db, doc)
    imported = time.perf_counter() - started
    db.dispose()
    projects = count_nodes(doc).get("project", 0)

    word = _a_project_word(doc)
    rows = [("sample plan", time_window(sample, "پارك")),
            (f"large plan ({projects:,} projects)", time_window(large, word))]
    print(f"(large plan imported in {imported:.1f} s)")
    print(f"(large plan searched for «{word}»)")
    print(f"{'store':<32} {'window+tree (s)':>16} {'search (s)':>12} {'shown ids':>10}")
    for name, result in rows:
        print(f"{name:<32} {result['open']:>16.3f} {result['search']:>12.3f} {int(result['hits']):>10,}")


if __name__ == "__main__":
    main()
