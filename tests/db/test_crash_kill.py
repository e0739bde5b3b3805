"""Power cut: a child process edits, imports and migrates in a loop and is killed with SIGKILL at random moments.

After every kill the file passes integrity_check and foreign_key_check, holds every change whose
commit returned (the child writes a journal line, fsynced, after each service call returns) and
holds no part of a change that did not commit (an imported plan is there whole or not at all; an
added node has its audit entry).  The child is forked, so each round costs no interpreter start.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import sqlite3
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from db.engine import Database
from planner_core import nodes, plans
from planner_core.exchange import import_document
from planner_core.store import open_store
from tests.core.test_fuzz_imports import small_document

KILLS = 50
NODE_KEYS = ("goals", "strategies", "programs", "projects")


def fresh_ids(doc: dict[str, Any], number: int) -> dict[str, Any]:
    """The same plan under new UUIDs and a new code, so it can be imported again."""
    def walk(item: Any) -> None:
        if isinstance(item, dict):
            if isinstance(item.get("id"), str) and item is not doc.get("municipality"):
                item["id"] = str(uuid.uuid4())
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    doc = json.loads(json.dumps(doc))
    walk(doc["plans"])
    for annual in doc["annual_budgets"]:
        walk(annual["amendments"])
    doc["plans"][0]["code"] = f"IMP-{number}"
    return doc


def count_nodes(node: dict[str, Any]) -> int:
    return 1 + sum(count_nodes(child) for key in NODE_KEYS for child in node.get(key, []))


def journal_write(handle: Any, *fields: object) -> None:
    handle.write(" ".join(str(f) for f in fields) + "\n")
    handle.flush()
    os.fsync(handle.fileno())


def child(db_path: str, journal_path: str, plan_id: int, axis_id: int, seed: int) -> None:
    """Edits and imports until killed.  Journal lines are written only after the service returned."""
    rng = random.Random(seed)
    db = Database(db_path)
    template = small_document()
    with open(journal_path, "a", encoding="utf-8") as journal:
        number = 0
        while True:
            number += 1
            action = 0.05 if number == 1 and seed % 5 == 0 else rng.random()
            if 0.1 <= action < 0.45:
                info = nodes.add_node(db, plan_id, axis_id, "goal", title=f"هدف {seed}-{number}")
                journal_write(journal, "add", info.uuid)
            elif action < 0.1:
                # A migration: there is one revision, so a new file is brought up from nothing to head.
                target = Path(journal_path).with_name(f"migrate-{seed}-{number}.db")
                open_store(target, create=True).dispose()
                journal_write(journal, "migrate", target.name)
            elif action < 0.8:
                goals = nodes.children(db, plan_id, axis_id)
                if goals:
                    goal = rng.choice(goals)
                    title = f"ویرایش {seed}-{number}"
                    nodes.update_node(db, goal.id, title=title)
                    journal_write(journal, "edit", goal.uuid, time.monotonic_ns(), title.replace(" ", "_"))
            else:
                doc = fresh_ids(template, seed * 100_000 + number)
                import_document(db, doc)
                plan = doc["plans"][0]
                journal_write(journal, "import", plan["id"], sum(count_nodes(a) for a in plan["axes"]))


def verify(db_path: Path, journal_path: Path, checked: set[str] | None = None) -> dict[str, int]:
    connection = sqlite3.connect(db_path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        node_uuids = {u for (u,) in connection.execute("SELECT uuid FROM plan_node")}
        titles = dict(connection.execute("SELECT uuid, title FROM plan_node"))
        audited = {u for (u,) in connection.execute("SELECT entity_uuid FROM audit_entry")}
        plan_nodes = dict(connection.execute(
            "SELECT p.uuid, COUNT(n.id) FROM strategic_plan p LEFT JOIN plan_node n ON n.plan_id = p.id "
            "WHERE p.code LIKE 'IMP-%' GROUP BY p.id"))
        whole = sum(count_nodes(a) for a in small_document()["plans"][0]["axes"])
        lines = journal_path.read_text(encoding="utf-8").splitlines() if journal_path.exists() else []
        last_edit: dict[str, str] = {}
        migrated: set[str] = set()
        expected_plans: dict[str, int] = {}
        for line in lines:
            kind, key, *rest = line.split(" ")
            if kind == "migrate":
                migrated.add(key)
            elif kind == "add":
                assert key in node_uuids, f"committed node {key} lost"
            elif kind == "edit":
                last_edit[key] = rest[1].replace("_", " ")
            elif kind == "import":
                expected_plans[key] = int(rest[0])
                assert plan_nodes.get(key) == int(rest[0]), f"committed import {key} lost or partial"
        for key, title in last_edit.items():
            # The last journaled edit holds, unless a later edit committed just before a kill.
            assert key in titles, f"edited node {key} lost"
            now = titles[key]
            later = now.startswith("ویرایش ") and _order(now) > _order(title)
            assert now == title or later, f"committed edit of {key} lost: {now!r}, journal {title!r}"
        for plan_uuid, count in plan_nodes.items():
            # Journaled or not (killed between commit and journal line), an import is whole.
            assert count == whole, f"partial import {plan_uuid}: {count} of {whole} nodes"
        goals = {u for (u,) in connection.execute("SELECT uuid FROM plan_node WHERE kind = 'goal'")}
        assert goals <= audited | {u for (u,) in connection.execute(
            "SELECT n.uuid FROM plan_node n JOIN strategic_plan p ON p.id = n.plan_id WHERE p.code LIKE 'IMP-%'")}
        checked = set() if checked is None else checked
        for path in journal_path.parent.glob("migrate-*.db"):
            if path.name not in checked:  # its child is dead: the file will not change again
                _check_migrated(path, finished=path.name in migrated)
                checked.add(path.name)
        return {"lines": len(lines), "plans": len(plan_nodes), "imports": len(expected_plans),
                "migrations": len(migrated)}
    finally:
        connection.close()


def _check_migrated(path: Path, finished: bool) -> None:
    """A migration killed half-way left a sound file that a later open completes; one that
    returned left the schema at head."""
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        connection.close()
    if finished:
        assert {"alembic_version", "plan_node", "audit_entry"} <= tables, path.name
    db = open_store(path, create=True)
    try:
        assert db.has_schema()
    finally:
        db.dispose()


def _order(title: str) -> tuple[int, int]:
    seed, number = title.split(" ", 1)[1].split("-")
    return int(seed), int(number)


def test_the_check_finds_a_lost_change(tmp_path):
    db = open_store(tmp_path / "s.db", create=True)
    db.dispose()
    journal = tmp_path / "j.txt"
    journal.write_text(f"add {uuid.uuid4()}\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="lost"):
        verify(tmp_path / "s.db", journal)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_sigkill_at_random_moments_never_loses_a_committed_change(tmp_path):
    db_path = tmp_path / "store.db"
    journal = tmp_path / "journal.txt"
    db = open_store(db_path, create=True)
    plan = plans.create_plan(db, code="CRASH", title="برنامه آزمون قطع برق", first_year=1403, last_year=1410)
    axis = nodes.add_node(db, plan.id, None, "axis", title="محور")
    db.dispose()  # no connection crosses the fork

    context = multiprocessing.get_context("fork")
    rng = random.Random(2026)
    seen = {"lines": 0, "plans": 0}
    checked: set[str] = set()
    for round_number in range(KILLS):
        process = context.Process(target=child, args=(str(db_path), str(journal), plan.id, axis.id, round_number + 1))
        process.start()
        # Every fifth child starts with a migration and is given longer, so some finish and some do not.
        time.sleep(rng.uniform(0.05, 2.0 if (round_number + 1) % 5 == 0 else 0.6))
        process.kill()  # SIGKILL: no cleanup, no rollback, as in a power cut of the process
        process.join(10)
        assert process.exitcode == -9, process.exitcode  # it was still working, not crashed
        seen = verify(db_path, journal, checked)
    assert seen["lines"] > KILLS  # the child got real work done between kills
    assert seen["imports"] > 2 and seen["migrations"] >= 1
    assert len(list(tmp_path.glob("migrate-*.db"))) > seen["migrations"]  # and some were killed half-way
    # And the store still opens for writing, as the planner would do after the power came back.
    db = open_store(db_path)
    nodes.add_node(db, plan.id, axis.id, "goal", title="پس از قطع برق")
    db.dispose()
