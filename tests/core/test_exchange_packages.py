"""Plan packages (.bnp): what goes out is valid against the published schema and comes back identical."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import jsonschema
import pytest

from planner_core.exchange import export_document
from planner_core.exchange.package import SCHEMA_FILE, read_package, write_package
from planner_core.exchange.service import export_package, import_file
from planner_core.exchange.validate import walk_nodes
from planner_core.sample import load_sample
from planner_core.store import open_store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "اصفهان.db"
    db = open_store(path, create=True)
    load_sample(db)
    db.dispose()
    return path


def _without_time(doc: dict) -> dict:
    doc = dict(doc)
    doc.pop("exported_at")
    return doc


def validate_with_published_schema(path: Path) -> None:
    """Any other tool would do this: unzip, load the schema file from the repository, validate."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    with zipfile.ZipFile(path) as archive:
        instance = {"manifest": json.loads(archive.read("manifest.json")),
                    "plan": json.loads(archive.read("plan.json"))}
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).validate(
        instance)


def test_the_schema_file_is_valid_and_documented():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    doc = (ROOT / "docs" / "exchange-format.md").read_text(encoding="utf-8")
    assert "plan-package.schema.json" in doc and "manifest.json" in doc
    # The wheel ships it beside the importer.
    assert "exchange/schema/*.json" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_sample_round_trips_through_a_package_into_a_new_file(sample_file, tmp_path):
    out = tmp_path / "بسته اصفهان.bnp"
    db = open_store(sample_file)
    export_package(db, out)
    before = export_document(db)
    db.dispose()
    validate_with_published_schema(out)
    package = read_package(out)
    assert package.manifest["source_municipality"]["name"] == "شهرداری اصفهان"
    assert set(package.manifest["members"]) == {"plan.json"}

    copy = open_store(tmp_path / "نسخه.db", create=True)
    import_file(copy, out)
    after = export_document(copy)
    copy.dispose()
    assert _without_time(after) == _without_time(before)


def test_every_kind_of_export_is_valid_against_the_schema(sample_file, tmp_path):
    db = open_store(sample_file)
    plan = export_document(db)["plans"][0]
    subtree = next(n for n in walk_nodes(plan) if n["kind"] == "strategy")
    for name, kwargs in {"all": {}, "plan": {"plan_code": plan["code"]},
                         "subtree": {"subtree": subtree["full_code"]}, "template": {"template": True}}.items():
        out = tmp_path / f"{name}.bnp"
        export_package(db, out, **kwargs)
        validate_with_published_schema(out)
    db.dispose()
    sub = read_package(tmp_path / "subtree.bnp").document["plans"][0]
    codes = [n["full_code"] for n in walk_nodes(sub)]
    assert subtree["full_code"] in codes
    assert all(c.startswith(subtree["full_code"]) or subtree["full_code"].startswith(c) for c in codes)


def test_template_brings_structure_and_definitions_but_no_amounts_or_actuals(sample_file, tmp_path):
    out = tmp_path / "الگو.bnp"
    db = open_store(sample_file)
    export_package(db, out, template=True)
    source_plan = export_document(db)["plans"][0]
    db.dispose()
    assert read_package(out).manifest["kind"] == "template"

    target = open_store(tmp_path / "شیراز.db", create=True)
    from planner_core.municipality import set_home_municipality

    set_home_municipality(target, name="شهرداری شیراز", province="فارس")
    import_file(target, out)
    doc = export_document(target)
    target.dispose()
    assert doc["annual_budgets"] == []
    plan = doc["plans"][0]
    assert plan["id"] != source_plan["id"] and plan["status"] == "draft"
    nodes = list(walk_nodes(plan))
    assert len(nodes) == len(list(walk_nodes(source_plan)))
    indicators = [i for n in nodes for i in n["indicators"]]
    assert indicators and all(i["definition"] is not None for i in indicators)
    assert all(not i["actuals"] and not i["targets"] and i["baseline"] is None for i in indicators)
    assert all(not n.get("allocations") and not n.get("progress_reports") for n in nodes)
    assert plan["source_municipality"]["name"] == "شهرداری اصفهان"
    lessons = plan.get("lessons", []) + [lesson for n in nodes for lesson in n.get("lessons", [])]
    assert lessons and len(lessons) == len(source_plan.get("lessons", []) + [
        lesson for n in walk_nodes(source_plan) for lesson in n.get("lessons", [])])  # lessons travel


def test_a_cancelled_export_leaves_no_file_and_an_older_package_untouched(sample_file, tmp_path):
    from planner_core.exchange.package import ExportCancelled

    db = open_store(sample_file)
    try:
        target = tmp_path / "بسته.bnp"
        with pytest.raises(ExportCancelled):  # cancelled before writing
            export_package(db, target, cancelled=lambda: True)
        assert list(tmp_path.iterdir()) == []
        target.write_bytes(b"older package")
        steps: list[int] = []

        def cancelled() -> bool:  # the planner clicks cancel while plan.json is being written
            steps.append(1)
            return len(steps) > 2

        with pytest.raises(ExportCancelled):
            export_package(db, target, cancelled=cancelled)
        assert len(steps) > 2
        assert [p.name for p in tmp_path.iterdir()] == ["بسته.bnp"] and target.read_bytes() == b"older package"
        export_package(db, target, cancelled=lambda: False)
        assert read_package(target).document["plans"]
    finally:
        db.dispose()


def test_a_plan_under_review_travels_in_a_package(sample_file, tmp_path):
    # The life cycle's «در حال بررسی» (submitted) is a plan status like the others: a package holding
    # such a plan is valid against the published schema and is read back, not refused.
    db = open_store(sample_file)
    doc = export_document(db)
    db.dispose()
    doc["plans"][-1]["status"] = "submitted"
    out = tmp_path / "در حال بررسی.bnp"
    write_package(doc, out)
    validate_with_published_schema(out)
    assert read_package(out).document["plans"][-1]["status"] == "submitted"
