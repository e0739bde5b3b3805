"""Lessons learned across plans: own and received, filtered by municipality, level and folded text."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner_core import monitoring
from planner_core.exchange.service import export_package, import_file
from planner_core.lessons import HOME, lesson_municipalities, search_lessons
from planner_core.municipality import set_home_municipality
from planner_core.sample import load_sample
from planner_core.store import open_store


@pytest.fixture(scope="module")
def isfahan_package(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("lessons")
    db = open_store(folder / "isf.db", create=True)
    load_sample(db)
    export_package(db, folder / "isf.bnp", template=True)  # lessons travel even in a template
    db.dispose()
    return folder / "isf.bnp"


def test_lessons_of_every_plan_with_their_source(db, small_plan, isfahan_package):
    set_home_municipality(db, name="شهرداری شیراز", province="فارس")
    monitoring.add_lesson(db, small_plan["plan"].id, small_plan["project"].id,
                          title="خرید اتوبوس برقی بدون ایستگاه شارژ", body="پارك‌ها و پایانه‌ها زودتر آماده شوند.")
    import_file(db, isfahan_package)

    everything = search_lessons(db)
    received = [r for r in everything if r.municipality == "شهرداری اصفهان"]
    own = [r for r in everything if r.municipality_id == HOME]
    assert len(received) == 6 and len(own) == 1
    assert own[0].municipality == "شهرداری شیراز" and own[0].level == "project" and own[0].full_code == "1-1-1-1-1"
    names = [m.name for m in lesson_municipalities(db)]
    assert names == ["شهرداری شیراز", "شهرداری اصفهان"]

    isfahan_id = next(m.id for m in lesson_municipalities(db) if m.name == "شهرداری اصفهان")
    assert search_lessons(db, municipality_id=isfahan_id) == received
    assert search_lessons(db, municipality_id=HOME) == own
    # Folded like the tree: Arabic kaf, missing ZWNJ and spaces do not matter.
    assert search_lessons(db, "پارکها") == own
    by_level = search_lessons(db, level="project")
    assert own[0] in by_level and all(r.level == "project" for r in by_level)
    assert search_lessons(db, "چیزی که نیست") == []
