"""Whose plan, whose budget: a received plan brings its city's budgets without touching ours,
stays read-only reference material, and can be adopted as our own draft."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import AnnualBudget
from planner_core import budget, nodes
from planner_core.budget_rollups import budget_rollup
from planner_core.checks import budget_check, run_checks
from planner_core.errors import RuleError
from planner_core.exchange import export_document
from planner_core.exchange.service import export_package, import_file
from planner_core.municipality import set_home_municipality
from planner_core.plans import adopt_plan, find_plan, is_reference, list_plans
from planner_core.sample import load_sample
from planner_core.store import open_store


@pytest.fixture(scope="module")
def isfahan_package(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("scope")
    db = open_store(folder / "isf.db", create=True)
    load_sample(db)
    export_package(db, folder / "isf.bnp")
    db.dispose()
    return folder / "isf.bnp"


@pytest.fixture
def shiraz(small_plan, db, isfahan_package):
    """Shiraz's own file (the small plan, budgets 1403–1404) that then receives Isfahan's plan."""
    set_home_municipality(db, name="شهرداری شیراز", province="فارس")
    import_file(db, isfahan_package)
    return db


def test_a_received_plan_brings_its_budgets_beside_ours(shiraz, small_plan):
    with shiraz.unit() as session:
        budgets = session.execute(select(AnnualBudget.year, AnnualBudget.municipality_id)).all()
    years_1403 = [m for y, m in budgets if y == 1403]
    assert len(years_1403) == 2 and len(set(years_1403)) == 2  # ours and Isfahan's, side by side
    assert budget.budget_years(shiraz) == [1403, 1404]
    # Our own ceilings are untouched and still the ones our services see.
    lines = budget.year_lines(shiraz, 1403)
    assert [(line.code, line.ceiling) for line in lines] == [("301", 100_000_000_000)]


def test_rollups_and_findings_use_each_plans_own_budget(shiraz, small_plan):
    isfahan = next(p for p in list_plans(shiraz) if p.source_municipality)
    ours = small_plan["plan"]
    own_rollup = budget_rollup(shiraz, ours.id, 1403)
    assert {c.code: c.ceiling for c in own_rollup.codes if c.ceiling} == {"301": 100_000_000_000}
    their_rollup = budget_rollup(shiraz, isfahan.id, 1403)
    assert len([c for c in their_rollup.codes if c.ceiling]) > 5
    # No finding says our 301 is over a ceiling made of both cities' allocations.
    own_findings = [f.message for f in budget_check(shiraz, ours.id, 1403)]
    assert not any("بیشتر است" in m for m in own_findings)
    # Isfahan's plan passes its budget chain against Isfahan's budgets, as it does at home.
    assert [f.message for f in budget_check(shiraz, isfahan.id) if f.severity == "error"] == []
    assert not any("بیشتر است" in f.message for f in run_checks(shiraz))


def test_a_received_plan_is_read_only_until_adopted(shiraz):
    received = next(p for p in list_plans(shiraz) if p.source_municipality)
    assert is_reference(received) and received.source_municipality == "شهرداری اصفهان"
    axis = nodes.children(shiraz, received.id, None)[0]
    with pytest.raises(RuleError, match="شهرداری اصفهان"):
        nodes.update_node(shiraz, axis.id, title="تغییر")

    adopted = adopt_plan(shiraz, received.id)
    assert adopted.source_municipality is None and adopted.status == "draft"
    assert adopted.code != received.code
    new_axis = nodes.children(shiraz, adopted.id, None)[0]
    nodes.update_node(shiraz, new_axis.id, title="محور بومی‌شده شیراز")
    doc = export_document(shiraz, [adopted.code])["plans"][0]
    assert doc["axes"][0]["title"] == "محور بومی‌شده شیراز"
    # Isfahan's actuals and amounts are not ours: the draft carries none.
    text = str(doc)
    assert "'amount'" not in text and "'physical_progress'" not in text
    # The reference copy is still there, still read-only.
    assert find_plan(shiraz, received.code).source_municipality == "شهرداری اصفهان"


def test_migration_gives_existing_budgets_to_the_home_municipality(tmp_path):
    from alembic import command

    from db.engine import Database
    from db.migrate import alembic_config

    path = tmp_path / "old.db"
    db = Database(path)
    command.upgrade(alembic_config(db.engine), "0001")
    with db.engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO municipality (uuid, name, province, is_home) "
                                   "VALUES ('m-1', 'شهرداری یزد', 'یزد', 1)")
        connection.exec_driver_sql("INSERT INTO annual_budget (uuid, year, title) VALUES ('b-1', 1403, 'بودجه')")
    db.dispose()
    store = open_store(path)  # upgrades to head
    with store.unit() as session:
        row = session.scalars(select(AnnualBudget)).one()
        assert row.municipality_id is not None
    assert budget.budget_years(store) == [1403]
    store.dispose()
    shutil.rmtree(tmp_path / "old-backups", ignore_errors=True)
