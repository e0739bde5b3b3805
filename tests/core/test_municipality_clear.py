"""Undoing the first naming of the file's municipality leaves the file without one again."""

from __future__ import annotations

from planner_core.municipality import clear_home_municipality, home_municipality, set_home_municipality


def test_clear_home_municipality_undoes_the_first_naming(db):
    assert clear_home_municipality(db) is None
    named = set_home_municipality(db, name="شهرداری کرج", province="البرز")
    assert clear_home_municipality(db) == named
    assert home_municipality(db) is None
    again = set_home_municipality(db, name="شهرداری کرج")
    assert again.name == "شهرداری کرج" and home_municipality(db) == again


def test_a_municipality_an_imported_plan_names_stays_as_a_source(db):
    from planner_core.sample import load_sample

    load_sample(db)  # the sample's municipality becomes the file's own and its plan names it
    home = home_municipality(db)
    assert home is not None
    assert clear_home_municipality(db) == home
    assert home_municipality(db) is None
    renamed = set_home_municipality(db, name="شهرداری اصفهان")
    assert renamed.name == "شهرداری اصفهان"
