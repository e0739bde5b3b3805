"""Roll-ups over a 20,000-project plan: the budget year roll-up (target < 100 ms), the progress
tree, indicator progress, the budget matrix and check.  Run by hand; prints a table.

    python benchmarks/bench_rollups.py [--projects 20000] [--db /tmp/large.db]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scale_plan import make_large_dump
from planner_core.budget_rollups import budget_matrix, budget_rollup
from planner_core.checks import run_checks
from planner_core.exchange import import_document
from planner_core.plans import list_plans
from planner_core.rollups import indicator_progress, progress_tree
from planner_core.store import open_store


def build(path: Path, projects: int):  # type: ignore[no-untyped-def]
    if path.exists():
        return open_store(path), 0.0
    start = time.perf_counter()
    db = open_store(path, create=True)
    import_document(db, make_large_dump(n_projects=projects), as_home=True)
    return db, time.perf_counter() - start


def timed(func, repeat: int = 5) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), min(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=20_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/barnamenegar-bench-20k.db"))
    args = parser.parse_args()
    db, build_seconds = build(args.db, args.projects)
    plan = list_plans(db)[0]
    year = plan.first_year
    rows = [
        ("budget roll-up, one year (target < 100 ms)", lambda: budget_rollup(db, plan.id, year)),
        ("progress roll-up tree, one year", lambda: progress_tree(db, plan.id, year, 4)),
        ("indicator progress, one year", lambda: indicator_progress(db, plan.id, year)),
        ("budget × program matrix, one year", lambda: budget_matrix(db, plan.id, year)),
        ("check (integrity + rules + budget)", lambda: run_checks(db)),
    ]
    built = f"built in {build_seconds:.1f} s" if build_seconds else "reused"
    print(f"plan: {args.projects} projects ({built})")
    print(f"{'what':48} {'median ms':>10} {'best ms':>10}")
    for name, func in rows:
        median, best = timed(func, 3 if name.startswith("check") else 5)
        print(f"{name:48} {median:10.1f} {best:10.1f}")
    db.dispose()


if __name__ == "__main__":
    main()
