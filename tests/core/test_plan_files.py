"""Duplicating and deleting whole plans, and saving a copy of the file."""

from __future__ import annotations

import sqlite3

import pytest

from planner_core import exchange, indicators, monitoring, plans
from planner_core.errors import PlannerError, StoreError
from planner_core.plan_files import delete_plan_with_backup, duplicate_plan, save_copy
from planner_core.store import open_store
from tests.conftest import sqlite_file_only


def _content(db, code):
    """The plan document without UUIDs and without the plan's own code, title and status."""

    def strip(item):
        if isinstance(item, dict):
            return {k: strip(v) for k, v in item.items() if k != "id"}
        if isinstance(item, list):
            return [strip(v) for v in item]
        return item

    doc = strip(exchange.export_document(db, [code])["plans"][0])
    for key in ("code", "title", "status"):
        doc.pop(key)
    return doc


def test_a_duplicate_is_a_draft_with_everything_below_the_plan_and_new_identities(db, small_plan):
    plan = small_plan["plan"]
    indicator = indicators.add_indicator(db, small_plan["program"].id, title="سهم ناوگان برقی", kind="result",
                                         baseline_value=0)
    indicators.set_target(db, indicator.id, 1403, 20)
    monitoring.save_progress_report(db, small_plan["project"].id, year=1403, quarter=2, physical_progress=30)
    copy = duplicate_plan(db, plan.id)
    assert copy.code == "T-1410-2" and copy.title == "رونوشت برنامه آزمایشی ۱۴۱۰" and copy.status == "draft"
    assert copy.uuid != plan.uuid and copy.id != plan.id
    assert _content(db, copy.code) == _content(db, plan.code)
    original_ids = str(exchange.export_document(db, [plan.code])["plans"][0])
    copy_doc = exchange.export_document(db, [copy.code])["plans"][0]
    assert copy_doc["axes"][0]["id"] not in original_ids
    again = duplicate_plan(db, plan.id, code="T-دوم", title="نسخه دوم")
    assert (again.code, again.title) == ("T-دوم", "نسخه دوم")
    assert len(plans.list_plans(db)) == 3


def test_a_duplicate_with_a_taken_code_is_refused_whole(db, small_plan):
    with pytest.raises(PlannerError, match="T-1410"):
        duplicate_plan(db, small_plan["plan"].id, code="T-1410")
    assert len(plans.list_plans(db)) == 1


@sqlite_file_only
def test_deleting_a_plan_first_backs_the_file_up(db, small_plan, tmp_path):
    backup = delete_plan_with_backup(db, small_plan["plan"].id)
    assert plans.list_plans(db) == []
    assert backup is not None and backup.exists()
    kept = open_store(backup)
    assert [p.code for p in plans.list_plans(kept)] == ["T-1410"]
    kept.dispose()


@sqlite_file_only
def test_save_copy_writes_a_whole_checked_file_under_a_persian_name(db, small_plan, tmp_path):
    target = save_copy(db, tmp_path / "رونوشت‌ها" / "برنامه ۱۴۰۴")
    assert target.name == "برنامه ۱۴۰۴.db" and target.exists()
    assert not list(target.parent.glob("*.partial"))
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy = open_store(target)
    assert [p.code for p in plans.list_plans(copy)] == ["T-1410"]
    copy.dispose()


@sqlite_file_only
def test_save_copy_refuses_the_open_file_itself_and_folders(db, small_plan, tmp_path):
    with pytest.raises(StoreError, match="همین فایل"):
        save_copy(db, tmp_path / "plan.db")
    folder = tmp_path / "پوشه.db"
    folder.mkdir()
    with pytest.raises(StoreError, match="پوشه"):
        save_copy(db, folder)


def _everything(db, code):
    """The plan document with its UUIDs: what an undo must bring back unchanged."""
    return exchange.export_document(db, [code])["plans"][0]


def test_a_removed_plan_comes_back_with_the_same_rows_and_uuids(db, small_plan):
    from planner_core.plan_files import remove_plan, restore_plan_snapshot

    plan = small_plan["plan"]
    indicator = indicators.add_indicator(db, small_plan["program"].id, title="سهم ناوگان برقی", kind="result",
                                         baseline_value=0)
    indicators.set_target(db, indicator.id, 1403, 20)
    monitoring.save_progress_report(db, small_plan["project"].id, year=1403, quarter=2, physical_progress=30)
    before = _everything(db, plan.code)
    snapshot = remove_plan(db, plan.id)
    assert plans.list_plans(db) == []
    assert {"plan_node", "indicator", "indicator_target", "progress_report"} <= set(snapshot.rows)
    restored = restore_plan_snapshot(db, snapshot)
    assert restored == plan
    assert _everything(db, plan.code) == before
    assert indicators.get_indicator(db, indicator.id).title == "سهم ناوگان برقی"
    with pytest.raises(PlannerError):
        restore_plan_snapshot(db, snapshot)  # it is there already


def test_undoing_a_duplicate_and_redoing_it_keeps_the_copy_s_uuids(db, small_plan):
    from planner_core.plan_files import remove_plan, restore_plan_snapshot

    copy = duplicate_plan(db, small_plan["plan"].id)
    before = _everything(db, copy.code)
    snapshot = remove_plan(db, copy.id)
    assert [p.code for p in plans.list_plans(db)] == ["T-1410"]
    assert restore_plan_snapshot(db, snapshot) == copy
    assert _everything(db, copy.code) == before


def test_an_open_amendment_comes_back_with_its_workflow_and_lineage(db):
    from sqlalchemy import func, select

    from db.models import Base
    from planner_core.plan_files import remove_plan, restore_plan_snapshot
    from planner_core.sample import load_sample

    load_sample(db, lifecycle=True)
    draft = next(p for p in plans.list_plans(db) if p.status == "draft")

    def counts():
        with db.unit() as session:
            return {t.name: session.execute(select(func.count()).select_from(t)).scalar_one()
                    for t in Base.metadata.sorted_tables}

    before = counts()
    snapshot = remove_plan(db, draft.id)
    assert counts()["plan_node"] < before["plan_node"]
    assert restore_plan_snapshot(db, snapshot) == draft
    after = counts()
    after.pop("audit_entry"), before.pop("audit_entry")  # the delete and the restore are logged
    assert after == before
