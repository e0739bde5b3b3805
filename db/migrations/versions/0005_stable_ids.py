"""stable ids: SQLite never hands a deleted row's id to a new row (AUTOINCREMENT)

Undo puts a deleted subtree (or a deleted plan) back with its own ids and UUIDs. Without
AUTOINCREMENT SQLite gives the largest free id again, so a node added or imported after the
delete could take that id and the undo would fail. Server databases (PostgreSQL identities)
never reuse ids, so this is SQLite only. The tables are rebuilt (batch mode), so the freeze
triggers of 0003 are dropped first and made again after.

Revision ID: 0005_stable_ids
Revises: 0004_booklet_content
"""
import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from alembic import op

revision: str = "0005_stable_ids"
down_revision: str | None = "0004_booklet_content"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every table whose rows an undo puts back with their ids (node subtree and plan snapshots).
TABLES = ("strategic_plan", "plan_node", "indicator", "indicator_target", "indicator_actual", "allocation",
          "progress_report", "lesson_learned")


def _lifecycle() -> ModuleType:
    """0003's trigger helpers (a revision file is not an importable module name)."""
    spec = importlib.util.spec_from_file_location("_rev_0003", Path(__file__).with_name("0003_plan_lifecycle.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    lifecycle = _lifecycle()
    lifecycle.drop_freeze_triggers("sqlite")
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}):
            pass
    lifecycle.create_freeze_triggers("sqlite")


def upgrade() -> None:
    _rebuild(True)


def downgrade() -> None:
    _rebuild(False)
