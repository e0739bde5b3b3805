"""Fuzzed imports: thousands of mutated plan documents and hundreds of mutated code workbooks.

Each is imported whole or refused with a PlannerError whose message is Persian, printable and
short; a refused one leaves the database file byte-identical (SHA-256 compared).  Seeded, so a
failure names a mutation that can be replayed."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import random
import re
import shutil
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from db.engine import Database
from planner_core import budget
from planner_core.code_workbook import read_budget_codes
from planner_core.errors import PlannerError
from planner_core.exchange import export_document, import_document
from planner_core.levels import CHILDREN_KEY
from planner_core.store import open_store
from tests.conftest import ROOT

PERSIAN = re.compile("[\u0600-\u06ff]")
# About a minute on an idle CI machine (marked slow); BARNAMENEGAR_FUZZ_DOCUMENTS=20000 for a long run.
DOCUMENTS = int(os.environ.get("BARNAMENEGAR_FUZZ_DOCUMENTS", "1000"))
WORKBOOKS = 200


def small_document() -> dict[str, Any]:
    """The sample plan cut to one branch (two projects), with only the units and codes it uses."""
    doc = json.loads((ROOT / "resources" / "sample_plan.json").read_text(encoding="utf-8"))
    plan = doc["plans"][0]
    plan["axes"] = plan["axes"][:1]
    node = plan["axes"][0]
    for key in ("goals", "strategies", "programs"):
        node[key] = node[key][:1]
        node = node[key][0]
    node["projects"] = node["projects"][:2]
    used_codes = {a["budget_code"] for p in node["projects"] for a in p["allocations"]}
    by_code = {c["code"]: c for c in doc["budget_codes"]}
    for code in list(used_codes):
        while by_code[code]["parent"]:
            code = by_code[code]["parent"]
            used_codes.add(code)
    doc["budget_codes"] = [c for c in doc["budget_codes"] if c["code"] in used_codes]
    for annual in doc["annual_budgets"]:
        annual["lines"] = [line for line in annual["lines"] if line["budget_code"] in used_codes]
        annual["amendments"] = [a for a in annual["amendments"] if a["budget_code"] in used_codes]
    return doc


WRONG = [None, 0, -1, 1.5, float("nan"), float("inf"), 10**30, -(10**20), "", " ", "x", "۱۴۰۳", "١٤٠٣", "۱۴۰۳٫۵",
         [], {}, True, "\ud800", "a\x00b\x0bc\x1b", "ب" * 60_000, "1e9", "-5", "NaN", {"id": None}, [None], ["x"],
         "=1+1", "2024-02-30", "1403/13/01", "ي ك", "\u202eRTL"]
SUFFIXES = ["\x0b", "\ud83d", "\x00", "=1+1", "۹", "٣", "\u2028", " ", "\u200c"]


def containers(obj: Any) -> list[Any]:
    found, stack = [], [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, dict | list):
            found.append(item)
            stack.extend(item.values() if isinstance(item, dict) else item)
    return found


def mutate(doc: dict[str, Any], rng: random.Random) -> tuple[dict[str, Any], list[str]]:
    doc = copy.deepcopy(doc)
    done: list[str] = []
    for _ in range(rng.randint(1, 3)):
        every = containers(doc)
        objects = [o for o in every if isinstance(o, dict) and o]
        lists = [o for o in every if isinstance(o, list) and o]
        ids = [o["id"] for o in objects if isinstance(o.get("id"), str)]
        target = rng.choice(objects)
        key = rng.choice(list(target))
        operation = rng.randrange(9)
        if operation == 0:
            del target[key]
            done.append(f"drop {key}")
        elif operation == 1:
            target[key] = copy.deepcopy(rng.choice(WRONG))
            done.append(f"{key} = {str(target[key])[:20]!r}")
        elif operation == 2 and ids:
            target["id"] = rng.choice(ids)  # a duplicate UUID
            done.append("duplicate id")
        elif operation == 3 and isinstance(target[key], str):
            target[key] += rng.choice(SUFFIXES)
            done.append(f"{key} += control/digit")
        elif operation == 4:  # dangling references
            for ref in ("parent", "budget_code", "responsible_unit"):
                if ref in target:
                    target[ref] = rng.choice(["NOPE", target.get("code"), None, 5, "۳۰۱"])
                    done.append(f"{ref} -> {target[ref]!r}")
        elif operation == 5 and lists:
            chosen = rng.choice(lists)
            chosen.append(copy.deepcopy(rng.choice(chosen)))  # a repeated row (same id, same key)
            done.append("repeat row")
        elif operation == 6:  # cycles in the unit and code trees
            table = rng.choice(["org_units", "budget_codes"])
            rows = doc.get(table)
            if isinstance(rows, list) and len(rows) >= 2 and all(isinstance(r, dict) for r in rows[:2]):
                a, b = rows[0], rows[1]
                a["parent"], b["parent"] = b.get("code"), a.get("code")
                done.append(f"cycle in {table}")
        elif operation == 7:  # a node moved to a level where it does not belong
            nodes = [o for o in objects if o.get("kind") in (*CHILDREN_KEY, "project", "activity")]
            if nodes:
                node = rng.choice(nodes)
                node["kind"] = rng.choice(["axis", "goal", "strategy", "program", "project", "activity", "other"])
                done.append(f"kind -> {node['kind']}")
        elif operation == 8:
            target[key] = rng.choice([dict, list, str])()
            done.append(f"{key} emptied to {type(target[key]).__name__}")
    return doc, done


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_refusal(exc: PlannerError) -> None:
    message = str(exc)
    message.encode("utf-8")  # printable: no surrogate half inside
    assert PERSIAN.search(message), message
    assert len(message) < 2_000, message[:200]


def check_store(path: Path) -> None:
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        duplicates = connection.execute(
            "SELECT plan_id, parent_id, code, COUNT(*) FROM plan_node GROUP BY plan_id, parent_id, code "
            "HAVING COUNT(*) > 1").fetchall()
        assert duplicates == [], duplicates
        loops = connection.execute(
            "WITH RECURSIVE up(id, parent, depth) AS (SELECT id, parent_id, 0 FROM org_unit "
            "UNION ALL SELECT up.id, o.parent_id, depth + 1 FROM up JOIN org_unit o ON o.id = up.parent "
            "WHERE depth < 50) SELECT COUNT(*) FROM up WHERE depth = 50").fetchone()[0]
        assert loops == 0
    finally:
        connection.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "template.db"  # open_store of a Persian path is issue 9 (store)
    open_store(path, create=True).dispose()
    return path


def fresh(template: Path, folder: Path) -> Path:
    path = folder / "پرونده.db"
    for extra in ("-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    shutil.copyfile(template, path)
    return path


def test_the_unmutated_document_imports(template, tmp_path):
    path = fresh(template, tmp_path)
    db = Database(path)
    counts = import_document(db, small_document())
    assert counts["plans"] == 1 and counts["project"] + counts.get("activity", 0) == 2
    assert export_document(db)["plans"][0]["axes"]
    db.dispose()
    check_store(path)


@pytest.mark.slow
def test_thousands_of_mutated_documents_are_imported_whole_or_refused_cleanly(template, tmp_path):
    base = small_document()
    original = sha(template)
    rng = random.Random(9)
    outcome: Counter[str] = Counter()
    path = fresh(template, tmp_path)
    for number in range(DOCUMENTS):
        doc, mutations = mutate(base, rng)
        db = Database(path)
        try:
            import_document(db, doc)
        except PlannerError as exc:
            db.dispose()  # the last connection closes: the write-ahead log is folded in and removed
            check_refusal(exc)
            assert sha(path) == original, (number, mutations)
            outcome["refused"] += 1
        except Exception as exc:  # a crash is the bug this test is for
            db.dispose()
            raise AssertionError(f"document {number} {mutations}: {type(exc).__name__}: {str(exc)[:300]}") from exc
        else:
            try:
                export_document(db)  # what was imported can be read back whole
            finally:
                db.dispose()
            check_store(path)
            outcome["imported"] += 1
            path = fresh(template, tmp_path)  # the next document starts from the empty store again
    assert outcome["refused"] > DOCUMENTS // 4 and outcome["imported"] > DOCUMENTS // 10, outcome


def test_mutated_documents_against_a_filled_store(template, tmp_path):
    """UUIDs and codes the store already holds (a second import of a changed document)."""
    base = small_document()
    filled = fresh(template, tmp_path)
    db = Database(filled)
    import_document(db, base)
    db.dispose()
    original = sha(filled)
    rng = random.Random(11)
    work = tmp_path / "work"
    work.mkdir()
    for number in range(200):
        doc, mutations = mutate(base, rng)
        if isinstance(doc.get("plans"), list) and doc["plans"] and isinstance(doc["plans"][0], dict):
            doc["plans"][0]["code"] = f"نو-{number}"  # not refused merely as the same plan again
            doc["plans"][0]["id"] = f"00000000-0000-4000-8000-{number:012d}"
        path = fresh(filled, work)
        db = Database(path)
        try:
            import_document(db, doc)
        except PlannerError as exc:
            db.dispose()
            check_refusal(exc)
            assert sha(path) == original, (number, mutations)
        except Exception as exc:
            db.dispose()
            raise AssertionError(f"document {number} {mutations}: {type(exc).__name__}: {str(exc)[:300]}") from exc
        else:
            db.dispose()
            check_store(path)


# A workbook carries control characters escaped as _xHHHH_; the reader turns them back.
CELLS = [None, "", " ", "301", 301, 301.0, 3.5, "۳۰۱", "٣٠١", "3 01", "=1+1", "=A1", "@SUM(A1)", "پسماند",
         "مدیریت پسماند", "_x000B_عنوان", "کد_x0000_", "ب" * 400, "x" * 60, True, -1, "ي", "\u2028", "3", "30101"]


def mutated_workbook(path: Path, rng: random.Random) -> None:
    """A catalogue with, now and then, a shuffled or broken header, a hostile cell, or damaged bytes."""
    book = Workbook()
    sheet = book.active
    header: list[object] = ["کد", "عنوان", "کد والد"]
    shape = rng.randrange(8)
    if shape == 1:
        rng.shuffle(header)
    elif shape == 2:
        header[rng.randrange(3)] = rng.choice(["", "Code", "شرح", "والد", None])
    elif shape == 3:
        header = []
    if header:
        sheet.append(header)
    codes = ["3"]
    for _ in range(rng.randint(0, 25)):
        if rng.random() < 0.97:
            code = f"{rng.choice(codes)}{rng.randint(1, 99):02d}"
            codes.append(code)
            row: list[object] = [code, f"عنوان {rng.choice(['کد', 'ي', 'ك'])} {code}", rng.choice(codes[:-1])]
            if header and header != ["کد", "عنوان", "کد والد"]:
                row = [row[["کد", "عنوان", "کد والد"].index(h)] if h in ("کد", "عنوان", "کد والد") else None
                       for h in header]
        else:
            row = [rng.choice(CELLS) for _ in range(rng.randint(1, 4))]
        sheet.append(row)
    book.save(path)
    if rng.random() < 0.1:  # damage the zip itself
        data = bytearray(path.read_bytes())
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path.write_bytes(bytes(data))


def test_mutated_code_workbooks_are_imported_whole_or_refused(template, tmp_path):
    path = fresh(template, tmp_path)
    db = Database(path)
    budget.add_budget_code(db, code="3", title="عمران")
    db.dispose()
    rng = random.Random(5)
    outcome: Counter[str] = Counter()
    for number in range(WORKBOOKS):
        book = tmp_path / f"کدها {number}.xlsx"
        mutated_workbook(book, rng)
        before = sha(path)
        db = Database(path)
        try:
            added = budget.import_budget_codes(db, read_budget_codes(book))
        except PlannerError as exc:
            db.dispose()
            check_refusal(exc)
            assert sha(path) == before, number
            outcome["refused"] += 1
        except Exception as exc:
            db.dispose()
            raise AssertionError(f"workbook {number}: {type(exc).__name__}: {str(exc)[:300]}") from exc
        else:
            db.dispose()
            check_store(path)
            outcome["imported" if added.added or added.retitled else "unchanged"] += 1
    assert outcome["refused"] and outcome["imported"], outcome
