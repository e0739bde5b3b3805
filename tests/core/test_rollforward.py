"""Rolling forward the sample: next programs that pass check and readiness; a new plan period."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import Allocation, LessonLearned, PlanNode
from planner_core import plans
from planner_core.checks import has_errors, run_checks
from planner_core.errors import ValidationError
from planner_core.lifecycle import workflow
from planner_core.lifecycle.readiness import check_readiness
from planner_core.lifecycle.rollforward import new_period, roll_forward
from planner_core.sample import load_sample


@pytest.fixture
def sample(db):
    load_sample(db)
    return plans.find_plan(db, "ISF-1410")


def _programs(db, plan_id, first):
    with db.unit() as session:
        return session.scalars(select(PlanNode).where(PlanNode.plan_id == plan_id, PlanNode.kind == "program",
                                                      PlanNode.first_year == first)).all()


def test_preview_changes_nothing_and_apply_makes_what_it_listed(db, sample):
    preview = roll_forward(db, "ISF-1410", "1405-1406", preview=True)
    assert preview.programs > 0 and preview.carried > 0 and preview.left_behind > 0
    assert _programs(db, sample.id, 1405) == []
    done = roll_forward(db, "ISF-1410", "۱۴۰۵-۱۴۰۶")
    assert (done.programs, done.carried, done.left_behind) == (preview.programs, preview.carried,
                                                               preview.left_behind)
    new = _programs(db, done.plan_id, 1405)
    assert len(new) == done.programs and all(p.last_year == 1406 and p.lineage_uuid for p in new)
    # Finished projects stay behind; carried ones come with lineage, no reports, and their remaining budget.
    with db.unit() as session:
        carried = session.scalars(select(PlanNode).where(PlanNode.parent_id.in_([p.id for p in new]))).all()
        assert len(carried) == done.carried and all(c.lineage_uuid and c.state != "completed" for c in carried)
        years = {a.year for a in session.scalars(select(Allocation).where(
            Allocation.project_id.in_([c.id for c in carried])))}
    assert years == {1405, 1406}
    findings = run_checks(db, plan_id=done.plan_id)
    assert not has_errors(findings), [f.message for f in findings if f.severity == "error"][:3]
    assert [f for f in check_readiness(db, done.plan_id) if f.severity == "error"] == []


def test_roll_forward_of_an_approved_plan_opens_an_amendment(db, sample):
    workflow.submit(db, sample.id, note="هشدارها پذیرفته شد")
    workflow.approve(db, sample.id, resolution_no="۱", resolution_date="1403/01/20")
    result = roll_forward(db, "ISF-1410", "1405-1406")
    assert result.new_revision and result.revision == 2
    assert _programs(db, sample.id, 1405) == []  # the approved revision is untouched


def test_bad_years_are_refused(db, sample):
    with pytest.raises(ValidationError, match="یک یا دو سال"):
        roll_forward(db, "ISF-1410", "1405-1408", preview=True)
    with pytest.raises(ValidationError, match="دوره برنامه"):
        roll_forward(db, "ISF-1410", "1411-1412", preview=True)


def test_new_period_takes_axes_goals_strategies_and_lessons(db, sample):
    result = new_period(db, "ISF-1410", "ISF-1420", "1411-1420")
    plan = plans.find_plan(db, "ISF-1420")
    assert (plan.first_year, plan.last_year, plan.status) == (1411, 1420, "draft")
    with db.unit() as session:
        kinds = {n.kind for n in session.scalars(select(PlanNode).where(PlanNode.plan_id == plan.id))}
        lessons = session.scalars(select(LessonLearned).where(LessonLearned.plan_id == plan.id)).all()
    assert kinds == {"axis", "goal", "strategy"} and result.lessons == len(lessons) > 0


def test_the_shipped_sample_has_its_life_cycle_and_rolls_forward_into_its_draft(db):
    from planner_core.lifecycle.revisions import list_revisions

    load_sample(db, lifecycle=True)
    revs = list_revisions(db, plans.find_plan(db, "ISF-1410").id)
    assert [(r.revision, r.status, r.superseded) for r in revs] == [
        (1, "approved", True), (2, "approved", False), (3, "draft", False)]
    assert workflow.approval_record(db, revs[1].id).resolution_no == "۱۴۰۴/۰۴۲"
    result = roll_forward(db, "ISF-1410", "1405-1406")
    assert result.plan_id == revs[2].id and not result.new_revision and result.programs > 0
    findings = run_checks(db)
    assert not has_errors(findings), [f.message for f in findings if f.severity == "error"][:3]


def test_the_sample_passes_readiness_and_its_weights_are_relative(db, sample):
    findings = check_readiness(db, sample.id)
    assert [f.message for f in findings if f.severity == "error"] == []
    assert [f.message for f in findings if "وزن" in f.message] == []


def test_roll_forward_reports_progress_and_a_cancel_writes_nothing(db, sample):
    from planner_core.lifecycle.rollforward import RollForwardCancelled

    heard = []
    asked = []

    def cancel_on_third() -> bool:
        asked.append(1)
        return len(asked) == 3

    with pytest.raises(RollForwardCancelled):
        roll_forward(db, "ISF-1410", "1405-1406", progress=lambda *a: heard.append(a), cancelled=cancel_on_third)
    assert [done for done, _, _ in heard] == [0, 1] and all(total > 2 for _, total, _ in heard)
    assert _programs(db, sample.id, 1405) == []  # the strategies done before the cancel were rolled back
    # a cancel asked after the last step is reported also rolls back
    heard.clear()
    with pytest.raises(RollForwardCancelled):
        roll_forward(db, "ISF-1410", "1405-1406", progress=lambda *a: heard.append(a),
                     cancelled=lambda: bool(heard) and heard[-1][0] == heard[-1][1])
    assert heard[-1][0] == heard[-1][1] and _programs(db, sample.id, 1405) == []
    done = roll_forward(db, "ISF-1410", "1405-1406", progress=lambda *a: heard.append(a), cancelled=lambda: False)
    assert len(_programs(db, done.plan_id, 1405)) == done.programs > 0
