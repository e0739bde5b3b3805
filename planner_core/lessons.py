"""Lessons learned (درس‌آموخته) across every plan of the file: the file's own and those received.

A lesson sits on a plan or on any node; it travels in packages with its source municipality.
``search_lessons`` is what the lessons window shows: filters by municipality, level and text,
the text matched by fold key as in the tree (letters, ZWNJ and digit scripts do not matter).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from db.engine import Database
from db.models import LessonLearned, Municipality, PlanNode, StrategicPlan
from planner_core.codes import full_codes
from planner_core.levels import LABELS
from planner_core.text import fold

HOME = 0  # the municipality filter's value for the file's own lessons


@dataclass(frozen=True)
class LessonRow:
    id: int
    title: str
    body: str
    recorded_on: date | None
    plan_id: int
    plan_title: str
    node_id: int | None
    level: str  # "plan" or a node kind
    full_code: str
    municipality_id: int  # HOME (0) for the file's own
    municipality: str

    @property
    def level_label(self) -> str:
        return LABELS.get(self.level, self.level)


@dataclass(frozen=True)
class MunicipalityChoice:
    id: int  # HOME (0) for the file's own
    name: str


def lesson_municipalities(db: Database) -> list[MunicipalityChoice]:
    """The municipalities lessons in this file come from, the file's own first."""
    with db.unit(write=False) as session:
        home = session.scalars(select(Municipality).where(Municipality.is_home)).first()
        sources = {m for m in session.scalars(select(LessonLearned.source_municipality_id).distinct()) if m}
        sources |= {m for m in session.scalars(select(StrategicPlan.source_municipality_id).distinct()) if m}
        others = [m for m in session.scalars(select(Municipality).where(Municipality.id.in_(sources))
                                             .order_by(Municipality.name)) if not m.is_home]
        return [MunicipalityChoice(HOME, home.name if home else "همین شهرداری")] + \
            [MunicipalityChoice(m.id, m.name) for m in others]


def search_lessons(db: Database, text: str = "", municipality_id: int | None = None,
                   level: str | None = None) -> list[LessonRow]:
    """Lessons of every plan, newest first.  ``municipality_id``: HOME, a municipality's id, or None for all;
    ``level``: "plan" or a node kind, or None for all."""
    key = fold(text)
    with db.unit(write=False) as session:
        names = {m.id: m.name for m in session.scalars(select(Municipality))}
        home = session.scalars(select(Municipality).where(Municipality.is_home)).first()
        plans = {p.id: p for p in session.scalars(select(StrategicPlan))}
        lessons = session.scalars(select(LessonLearned).order_by(LessonLearned.recorded_on.desc(),
                                                                 LessonLearned.id.desc())).all()
        node_ids = {lesson.node_id for lesson in lessons if lesson.node_id}
        nodes = {n.id: n for n in session.scalars(select(PlanNode).where(PlanNode.id.in_(node_ids)))} \
            if node_ids else {}
        codes: dict[int, str] = {}
        for plan_id in {n.plan_id for n in nodes.values()}:
            codes.update(full_codes(list(session.scalars(select(PlanNode).where(PlanNode.plan_id == plan_id)))))
        out = []
        for lesson in lessons:
            plan = plans[lesson.plan_id]
            source = lesson.source_municipality_id or plan.source_municipality_id
            if home is not None and source == home.id:
                source = None
            owner = source or HOME
            if municipality_id is not None and owner != municipality_id:
                continue
            node = nodes.get(lesson.node_id) if lesson.node_id else None
            kind = node.kind if node else "plan"
            if level is not None and kind != level:
                continue
            if key and key not in fold(f"{lesson.title} {lesson.body}"):
                continue
            out.append(LessonRow(lesson.id, lesson.title, lesson.body, lesson.recorded_on, plan.id, plan.title,
                                 node.id if node else None, kind, codes.get(node.id, "") if node else "", owner,
                                 names.get(source, "") if source else (home.name if home else "همین شهرداری")))
        return out
