"""Make tests/fixtures/plan-<revision>.db: a small plan file written by TODAY's schema, and its
dump (plan-<revision>.json), so a later version's test can migrate it to head and compare it with
a fresh file holding the same content.  Run once per schema revision worth keeping:

    python scripts/make_schema_fixture.py
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db.migrate import current_revision  # noqa: E402
from planner_core import nodes, plans  # noqa: E402
from planner_core.exchange import export_document  # noqa: E402
from planner_core.sample import load_sample  # noqa: E402
from planner_core.store import open_store  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"


def main() -> None:
    work = FIXTURES / "building.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    db = open_store(work, create=True)
    load_sample(db)
    plan = plans.list_plans(db)[0]
    for axis in nodes.children(db, plan.id, None)[2:]:  # two axes are enough, and keep the file small
        nodes.delete_node(db, axis.id)
    revision = current_revision(db.engine)
    doc = export_document(db)
    db.dispose()
    connection = sqlite3.connect(work)
    connection.execute("DELETE FROM audit_entry") if _has(connection, "audit_entry") else None
    connection.commit()
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.execute("VACUUM")
    connection.close()
    target = FIXTURES / f"plan-{revision}.db"
    work.replace(target)
    (FIXTURES / f"plan-{revision}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n",
                                                   encoding="utf-8")
    print(f"{target.relative_to(ROOT)}: {target.stat().st_size // 1024} KB")


def _has(connection: sqlite3.Connection, table: str) -> bool:
    return connection.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone() is not None


if __name__ == "__main__":
    main()
