"""Merging packages by UUID: additions and one-sided changes flow in, both-sided changes are conflicts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planner_core import indicators, nodes
from planner_core.exchange import export_document
from planner_core.exchange.service import (
    ConflictsFound,
    export_package,
    import_file,
    import_package,
    load_package,
    preview_import,
)
from planner_core.exchange.validate import walk_nodes
from planner_core.municipality import set_home_municipality
from planner_core.plans import find_plan
from planner_core.sample import load_sample
from planner_core.store import open_store


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("merge") / "hub.db"
    db = open_store(path, create=True)
    load_sample(db)
    db.dispose()
    return path


@pytest.fixture
def hub_and_laptop(sample_file, tmp_path):
    """The hub's file, and a laptop that received the hub's plan package to edit offline."""
    hub_path = tmp_path / "اصفهان.db"
    shutil.copy(sample_file, hub_path)
    hub = open_store(hub_path)
    export_package(hub, tmp_path / "out.bnp")
    laptop = open_store(tmp_path / "لپ‌تاپ.db", create=True)
    import_file(laptop, tmp_path / "out.bnp")
    yield hub, laptop, tmp_path
    hub.dispose()
    laptop.dispose()


def _first(db, kind: str) -> dict:
    return next(n for n in walk_nodes(export_document(db)["plans"][0]) if n["kind"] == kind)


def _id_of(db, uuid: str) -> int:
    from sqlalchemy import select

    from db.models import PlanNode

    with db.unit() as session:
        return session.scalars(select(PlanNode.id).where(PlanNode.uuid == uuid)).one()


def _back(laptop, folder: Path) -> Path:
    out = folder / "back.bnp"
    export_package(laptop, out)
    return out


def test_merge_without_conflicts_takes_their_changes_and_additions_and_keeps_ours(hub_and_laptop):
    hub, laptop, folder = hub_and_laptop
    project = _first(laptop, "project")
    program = _first(laptop, "program")
    # On the laptop: a title changed, a project added, an indicator target changed.
    nodes.update_node(laptop, _id_of(laptop, project["id"]), title="عنوان تازه از لپ‌تاپ")
    new = nodes.add_node(laptop, find_plan(laptop, None).id, _id_of(laptop, program["id"]), "project",
                         title="پروژه تازه نجف‌آباد", start_date="1403/05/01", end_date="1404/03/01")
    # At the hub, meanwhile: another field of the same project changed (no conflict: a different field).
    nodes.update_node(hub, _id_of(hub, project["id"]), location="منطقه ۵ (اصلاح‌شده)")

    package = load_package(_back(laptop, folder))
    preview = preview_import(hub, package, "merge")
    assert not preview.conflicts
    assert any(e.uuid == new.uuid for e in preview.diff.added)
    assert any(c.field == "title" for c in preview.diff.changed)
    assert any(c.field == "location" for c in preview.diff.kept)
    before_nodes = len(list(walk_nodes(export_document(hub)["plans"][0])))
    import_package(hub, preview)

    merged = export_document(hub)["plans"][0]
    by_id = {n["id"]: n for n in walk_nodes(merged)}
    assert by_id[project["id"]]["title"] == "عنوان تازه از لپ‌تاپ"
    assert by_id[project["id"]]["location"] == "منطقه ۵ (اصلاح‌شده)"
    assert by_id[new.uuid]["title"] == "پروژه تازه نجف‌آباد"
    assert len(by_id) == before_nodes + 1
    # A backup was taken before writing.
    assert list((folder / "اصفهان-backups").glob("*-merge.db"))


def test_merge_with_a_conflict_writes_nothing_until_a_side_is_chosen(hub_and_laptop):
    hub, laptop, folder = hub_and_laptop
    project = _first(laptop, "project")
    nodes.update_node(laptop, _id_of(laptop, project["id"]), title="عنوان لپ‌تاپ")
    nodes.update_node(hub, _id_of(hub, project["id"]), title="عنوان مرکز")
    package = load_package(_back(laptop, folder))
    preview = preview_import(hub, package, "merge")
    assert [(c.field, c.ours, c.theirs) for c in preview.conflicts] == [("title", "عنوان مرکز", "عنوان لپ‌تاپ")]
    before = export_document(hub)
    with pytest.raises(ConflictsFound):
        import_package(hub, preview)
    after = export_document(hub)
    before.pop("exported_at"), after.pop("exported_at")
    assert after == before

    import_package(hub, preview, choices={preview.conflicts[0].key: "theirs"})
    by_id = {n["id"]: n for n in walk_nodes(export_document(hub)["plans"][0])}
    assert by_id[project["id"]]["title"] == "عنوان لپ‌تاپ"
    # The same package again: nothing left to decide (the base is now what was exchanged).
    again = preview_import(hub, package, "merge")
    assert not again.conflicts and not again.diff.changed and not again.diff.added


def test_ours_keeps_our_value_and_the_next_merge_does_not_ask_again(hub_and_laptop):
    hub, laptop, folder = hub_and_laptop
    project = _first(laptop, "project")
    nodes.update_node(laptop, _id_of(laptop, project["id"]), title="عنوان لپ‌تاپ")
    nodes.update_node(hub, _id_of(hub, project["id"]), title="عنوان مرکز")
    path = _back(laptop, folder)
    import_package(hub, preview_import(hub, load_package(path), "merge"), prefer="ours")
    assert {n["id"]: n for n in walk_nodes(export_document(hub)["plans"][0])}[project["id"]]["title"] == "عنوان مرکز"
    again = preview_import(hub, load_package(path), "merge")
    assert not again.conflicts


def test_merge_adds_indicator_values_and_never_deletes(hub_and_laptop):
    hub, laptop, folder = hub_and_laptop
    project = _first(laptop, "project")
    indicator = project["indicators"][0]
    from sqlalchemy import select

    from db.models import Indicator

    with laptop.unit() as session:
        laptop_indicator = session.scalars(select(Indicator.id).where(Indicator.uuid == indicator["id"])).one()
    indicators.set_actual(laptop, laptop_indicator, 1404, "q2", 42, note="از لپ‌تاپ")
    nodes.delete_node(laptop, _id_of(laptop, _first(laptop, "activity")["id"]))
    preview = preview_import(hub, load_package(_back(laptop, folder)), "merge")
    assert any(c.field == "actual:1404:q2" for c in preview.diff.changed)
    assert preview.diff.local_only >= 1  # the deleted activity is left alone at the hub
    import_package(hub, preview)
    merged = {n["id"]: n for n in walk_nodes(export_document(hub)["plans"][0])}
    values = {(a["year"], a["period"]): a["value"] for a in merged[project["id"]]["indicators"][0]["actuals"]}
    assert values[(1404, "q2")] == 42
    assert _first(hub, "activity")["id"] in merged


def test_as_new_gets_fresh_uuids_a_free_code_and_remembers_its_source(sample_file, tmp_path):
    hub_path = tmp_path / "hub.db"
    shutil.copy(sample_file, hub_path)
    hub = open_store(hub_path)
    export_package(hub, tmp_path / "p.bnp")
    original = export_document(hub)["plans"][0]
    counts = import_file(hub, tmp_path / "p.bnp", mode="as_new")
    assert counts["plans"] == 1
    plans = export_document(hub)["plans"]
    copy = next(p for p in plans if p["id"] != original["id"])
    assert copy["code"] == f"{original['code']}-2"
    assert not {n["id"] for n in walk_nodes(copy)} & {n["id"] for n in walk_nodes(original)}
    hub.dispose()

    shiraz = open_store(tmp_path / "شیراز.db", create=True)
    set_home_municipality(shiraz, name="شهرداری شیراز", province="فارس")
    import_file(shiraz, tmp_path / "p.bnp", mode="as_new")
    received = export_document(shiraz)
    assert received["municipality"]["name"] == "شهرداری شیراز"
    assert received["plans"][0]["source_municipality"]["name"] == "شهرداری اصفهان"
    # Isfahan's budgets came along as Isfahan's, not Shiraz's.
    isfahan = received["plans"][0]["source_municipality"]["id"]
    assert received["annual_budgets"] and all(b["municipality"] == isfahan for b in received["annual_budgets"])
    shiraz.dispose()


def test_adding_a_plan_that_is_already_here_points_to_merge_or_as_new(sample_file, tmp_path):
    from planner_core.errors import ValidationError

    hub_path = tmp_path / "hub.db"
    shutil.copy(sample_file, hub_path)
    hub = open_store(hub_path)
    export_package(hub, tmp_path / "p.bnp")
    with pytest.raises(ValidationError, match="--merge"):
        preview_import(hub, load_package(tmp_path / "p.bnp"), "add")
    hub.dispose()


def test_a_node_moved_on_their_side_stays_where_it_is_here(hub_and_laptop):
    hub, laptop, folder = hub_and_laptop
    plan = export_document(laptop)["plans"][0]
    programs = [n for n in walk_nodes(plan) if n["kind"] == "program"]
    project = programs[0]["projects"][0]
    nodes.move_node(laptop, _id_of(laptop, project["id"]), _id_of(laptop, programs[1]["id"]), 0)
    preview = preview_import(hub, load_package(_back(laptop, folder)), "merge")
    moved = [c for c in preview.diff.kept if c.field == "parent"]
    assert [c.entity.uuid for c in moved] == [project["id"]]
    import_package(hub, preview)
    merged = export_document(hub)["plans"][0]
    first_program = next(n for n in walk_nodes(merged) if n["id"] == programs[0]["id"])
    assert project["id"] in [p["id"] for p in first_program["projects"]]
