"""The cost of a safe writing open on a large file: quick_check + foreign_key_check (run on every
writing open), the full integrity_check (check, backups) and a verified backup.  Run by hand.

    python benchmarks/bench_store_open.py [--projects 20000] [--db /tmp/barnamenegar-bench-20k.db]

Results (20,000 projects, a 28 MB file) are recorded in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scale_plan import make_large_dump
from planner_core import backups
from planner_core.exchange import import_document
from planner_core.safety import file_health
from planner_core.store import open_store


def build(path: Path, projects: int) -> float:
    if path.exists():
        return 0.0
    start = time.perf_counter()
    db = open_store(path, create=True)
    import_document(db, make_large_dump(n_projects=projects), as_home=True)
    db.dispose()
    return time.perf_counter() - start


def timed(func) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    func()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=20_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/barnamenegar-bench-20k.db"))
    args = parser.parse_args()
    built = build(args.db, args.projects)
    size = args.db.stat().st_size / 1e6
    work = Path(tempfile.mkdtemp(prefix="bench-open-"))
    copy = work / "plan.db"
    shutil.copy2(args.db, copy)

    def pragma(sql: str) -> None:
        connection = sqlite3.connect(copy)
        connection.execute(sql).fetchall()
        connection.close()

    rows = [
        ("PRAGMA quick_check", lambda: pragma("PRAGMA quick_check")),
        ("PRAGMA foreign_key_check", lambda: pragma("PRAGMA foreign_key_check")),
        ("health before a writing open (quick + fk)", lambda: file_health(copy)),
        ("PRAGMA integrity_check (check command)", lambda: pragma("PRAGMA integrity_check")),
        ("verified backup (online API + integrity_check)", lambda: backups.backup_to(copy)),
        ("first writing open of a day (checks + daily backup)",
         lambda: open_store(copy, write=True, lock=True).dispose()),
        ("next writing open (checks only)", lambda: open_store(copy, write=True, lock=True).dispose()),
        ("reading open (no checks, read-only)", lambda: open_store(copy, write=False).dispose()),
    ]
    print(f"file: {args.projects} projects, {size:.0f} MB" + (f" (built in {built:.0f} s)" if built else ""))
    print(f"{'step':52} {'ms':>8}")
    for label, func in rows:
        print(f"{label:52} {timed(func):8.0f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
