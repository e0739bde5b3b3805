"""The rules the sample generator used to assert itself are `check` rules now: each fires on a file
that breaks it, and the bundled sample passes them all."""

from __future__ import annotations

import copy

import pytest

from planner_core.checks import run_checks
from planner_core.exchange import import_document
from planner_core.exchange.validate import walk_nodes
from planner_core.sample import sample_document
from planner_core.store import open_store


@pytest.fixture(scope="module")
def sample() -> dict:
    return sample_document()


def _findings(tmp_path, doc: dict) -> list[str]:
    db = open_store(tmp_path / "x.db", create=True)
    import_document(db, doc, as_home=True)
    messages = [f.message for f in run_checks(db)]
    db.dispose()
    return messages


def _projects(doc: dict) -> list[dict]:
    return [n for n in walk_nodes(doc["plans"][0]) if n["kind"] in ("project", "activity")]


def test_the_sample_passes_every_rule(sample, tmp_path):
    assert _findings(tmp_path, sample) == []


def test_each_broken_rule_is_found(sample, tmp_path):
    doc = copy.deepcopy(sample)
    projects = _projects(doc)
    reported = next(p for p in projects if len(p["progress_reports"]) >= 2 and p["state"] != "completed")
    reported["progress_reports"][1]["physical_progress"] = reported["progress_reports"][0]["physical_progress"] - 1
    completed = next(p for p in projects if p["state"] == "completed")
    completed["progress_reports"][-1]["physical_progress"] = 80
    planned = next(p for p in projects if p["state"] == "planned")
    planned["progress_reports"] = [{"id": "00000000-0000-4000-8000-000000000001", "year": 1403, "quarter": 1,
                                    "physical_progress": 5, "spent": 0, "narrative": "آغاز",
                                    "corrective_action": "", "reported_on": "2024-06-30"}]
    indicator = next(i for n in walk_nodes(doc["plans"][0]) for i in n["indicators"]
                     if i["direction"] == "increase" and len(i["targets"]) == 2 and i["frequency"] == "annual")
    indicator["targets"][1]["value"] = indicator["targets"][0]["value"] - 1
    indicator["actuals"].append({"year": 1404, "period": "q1", "value": 1, "note": ""})
    parent_code = next(c["code"] for c in doc["budget_codes"] if c["level"] == 1)
    projects[0]["allocations"][0]["budget_code"] = parent_code
    doc["annual_budgets"][0]["amendments"][0]["date"] = "2030-01-01"
    text = "\n".join(_findings(tmp_path, doc))
    assert "از گزارش پیش از آن کمتر است" in text
    assert "آخرین گزارش پیشرفتش به ۱۰۰٪ نرسیده" in text
    assert "هنوز «برنامه‌ریزی‌شده» است اما گزارش پیشرفت دارد" in text
    assert f"شاخص «{indicator['title']}»" in text and "خلاف جهت مطلوب" in text
    assert "مقدار واقعی فصلی دارد" in text
    assert "کد بودجه‌ای تخصیص گرفته که زیرکد دارد" in text
    assert "بیرون از همان سال مالی" in text
