"""Shared fixtures: headless Qt, a fresh plan store per test, a small plan built via services."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# As the app does before its QApplication (planner_gui.app.create_application): Qt's system locale Persian.
os.environ.setdefault("LC_NUMERIC", "fa_IR.UTF-8")
os.environ.setdefault("LC_TIME", "fa_IR.UTF-8")

ROOT = Path(__file__).resolve().parent.parent
# A copy of the shared hard Persian strings: the repository tests itself with nothing beside it.
HARD_STRINGS_FILE = ROOT / "tests" / "data" / "hard-strings.json"


def hard_strings() -> list[dict[str, str]]:
    with HARD_STRINGS_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)["cases"]


# Run the same tests on another database server, e.g.
#   BARNAMENEGAR_TEST_DB_URL=postgresql+psycopg://planner:planner@localhost/planner_test pytest tests/core
# (the schema there is dropped and made again for every test).
SERVER_URL = os.environ.get("BARNAMENEGAR_TEST_DB_URL")
# Tests about the SQLite file itself (its backups, copies and bytes) have nothing to test on a server.
sqlite_file_only = pytest.mark.skipif(bool(SERVER_URL), reason="about the SQLite plan file itself")


def _empty_server_database(url: str) -> None:
    from sqlalchemy import create_engine, text

    from db.models import Base

    engine = create_engine(url)
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


@pytest.fixture
def db(tmp_path):
    from planner_core.store import open_store

    if SERVER_URL:
        _empty_server_database(SERVER_URL)
    store = open_store(SERVER_URL or tmp_path / "plan.db", create=True)
    yield store
    store.dispose()


@pytest.fixture
def small_plan(db):
    """A plan 1403–1410 with one axis → goal → strategy → program (1403–1404) → project."""
    from planner_core import budget, nodes, orgunits, plans

    unit = orgunits.add_org_unit(db, code="D-TRF", name="معاونت حمل‌ونقل و ترافیک", kind="deputy")
    plan = plans.create_plan(db, code="T-1410", title="برنامه آزمایشی ۱۴۱۰", first_year=1403, last_year=1410)
    axis = nodes.add_node(db, plan.id, None, "axis", title="حمل‌ونقل پایدار", responsible_unit_id=unit.id)
    goal = nodes.add_node(db, plan.id, axis.id, "goal", title="افزایش سهم حمل‌ونقل عمومی")
    strategy = nodes.add_node(db, plan.id, goal.id, "strategy", title="توسعه شبکه اتوبوس‌رانی")
    program = nodes.add_node(db, plan.id, strategy.id, "program", title="برنامه نوسازی ناوگان",
                             first_year=1403, last_year=1404)
    project = nodes.add_node(db, plan.id, program.id, "project", title="خرید ۵۰ دستگاه اتوبوس برقی",
                             start_date="1403/02/01", end_date="1404/11/30", responsible_unit_id=unit.id)
    budget.add_budget_code(db, code="3", title="عمران شهری")
    budget.add_budget_code(db, code="301", title="حمل‌ونقل عمومی", parent_code="3")
    for year in (1403, 1404):
        budget.set_ceiling(db, year, "301", 100_000_000_000)
        budget.add_allocation(db, project.id, year=year, budget_code="301", amount=40_000_000_000)
    return {"plan": plan, "axis": axis, "goal": goal, "strategy": strategy, "program": program,
            "project": project, "unit": unit}
