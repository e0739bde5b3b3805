"""Each bug the import fuzzer found, as the document that showed it: now refused by name or imported right."""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path

import pytest

from planner_core import budget
from planner_core.errors import ValidationError
from planner_core.exchange import export_document, import_document
from planner_core.store import open_store
from tests.core.test_fuzz_imports import sha, small_document


@pytest.fixture
def db(tmp_path):
    """Always a SQLite file, whatever BARNAMENEGAR_TEST_DB_URL says: the file's hash is the check."""
    store = open_store(tmp_path / "plan.db", create=True)
    yield store
    store.dispose()


@pytest.fixture
def doc():
    return small_document()


def project(doc):
    return doc["plans"][0]["axes"][0]["goals"][0]["strategies"][0]["programs"][0]["projects"][0]


def refused(db, doc) -> str:
    path = Path(db.url.removeprefix("sqlite:///"))
    db.dispose()
    before = sha(path)
    with pytest.raises(ValidationError) as caught:
        import_document(db, doc)
    db.dispose()
    assert sha(path) == before
    message = str(caught.value)
    message.encode("utf-8")
    return message


def test_a_uuid_used_twice_in_the_document_is_named(db, doc):
    axis = doc["plans"][0]["axes"][0]
    axis["goals"][0]["id"] = axis["id"]  # was: IntegrityError traceback
    assert "plans[0].axes[0].goals[0].id" in refused(db, doc)


def test_a_uuid_the_store_holds_for_another_row_is_refused(db, doc):
    info = budget.add_budget_code(db, code="999", title="کد دیگر")
    uuid = export_document(db)["budget_codes"][0]["id"]
    assert info.code == "999"
    doc["budget_codes"][0]["id"] = uuid  # was: IntegrityError traceback
    assert "پیش‌تر هست" in refused(db, doc)


def test_two_targets_for_one_year_are_named(db, doc):
    indicator = doc["plans"][0]["axes"][0]["indicators"][0]
    indicator["targets"].append(copy.deepcopy(indicator["targets"][0]))  # was: IntegrityError
    assert "هدف همین سال" in refused(db, doc)


def test_a_lone_surrogate_in_an_id_is_a_message_not_an_encode_error(db, doc):
    project(doc)["id"] = "abc\ud83d"
    assert "جانشین" in refused(db, doc)


@pytest.mark.parametrize("version", ["x", float("nan"), [1], 1.5])
def test_a_version_that_is_not_a_number_is_refused(db, doc, version):
    doc["version"] = version  # was: ValueError from int()
    refused(db, doc)


def test_an_object_where_text_belongs_and_text_where_an_object_belongs(db, doc):
    doc["plans"][0]["axes"][0]["indicators"][0]["baseline"] = "۱۲"  # was: AttributeError 'str'.get
    assert "indicators[0].baseline" in refused(db, doc)
    doc = small_document()
    doc["plans"][0]["title"] = ["عنوان"]  # was: stored as the text "['عنوان']"
    assert "plans[0].title" in refused(db, doc)


def test_a_loop_of_parent_units_is_refused(db, doc):
    a, b = doc["org_units"][0], doc["org_units"][1]
    a["parent"], b["parent"] = b["code"], a["code"]  # was: imported, the unit tree looped forever
    assert "به خودش برمی‌گردد" in refused(db, doc)


def test_an_unknown_responsible_unit_is_refused_not_dropped(db, doc):
    project(doc)["responsible_unit"] = "NO-SUCH"  # was: imported with the unit silently removed
    assert "NO-SUCH" in refused(db, doc)
    doc = small_document()
    doc["org_units"][0]["parent"] = "NO-SUCH"
    assert "NO-SUCH" in refused(db, doc)


def test_budget_codes_are_imported_parents_first_whatever_their_level_says(db, doc):
    doc["budget_codes"].reverse()
    for code in doc["budget_codes"]:
        code["level"] = 7  # was: refused («parent not in list») or stored with level 7
    import_document(db, doc)
    codes = {c.code: c for c in budget.list_budget_codes(db)}
    assert {c.level for c in codes.values() if c.parent_code is None} == {1}
    assert all(c.level == codes[c.parent_code].level + 1 for c in codes.values() if c.parent_code)


def test_huge_numbers_and_strings_are_refused(db, doc):
    project(doc)["allocations"][0]["amount"] = 10**30  # was: OverflowError from the SQLite driver
    assert "بزرگ" in refused(db, doc)
    doc = small_document()
    project(doc)["description"] = "ب" * 1_000_000
    assert "بلند" in refused(db, doc)


def test_two_siblings_with_one_code_are_refused(db, doc):
    axis = doc["plans"][0]["axes"][0]
    twin = copy.deepcopy(axis["goals"][0])
    twin["id"] = "00000000-0000-4000-8000-000000000001"
    for inner in ("strategies", "indicators", "lessons"):
        twin[inner] = []
    axis["goals"].append(twin)  # was: imported, two goals «1» under one axis
    assert "goals[1].code" in refused(db, doc)


def test_a_document_with_control_characters_imports_clean_text(db, doc, tmp_path):
    project(doc)["title"] = "پروژه\x0bبا\x00کنترل\u2028"
    import_document(db, doc)
    titles = {n["title"] for a in export_document(db)["plans"][0]["axes"] for n in _walk(a)}
    assert "پروژه\nباکنترل" in titles
    path = db.url.removeprefix("sqlite:///")
    db.dispose()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _walk(node):
    yield node
    for key in ("goals", "strategies", "programs", "projects"):
        for child in node.get(key, []):
            yield from _walk(child)
