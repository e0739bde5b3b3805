"""Stateful property test over the service layer: random create, edit, move, delete, undo, allocate,
import and roll-up, with the tree, the codes, the totals and the audit trail checked after every step.

Undo calls the inverse services the GUI's undo commands call (planner_gui/commands.py):
add → delete_node, delete → restore_node, move → move_node back, edit → update_node with the old
title.  A model of the tree (id → parent, title) is kept beside the store and compared whole.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import func, select

from db.engine import Database
from db.models import Allocation, AuditEntry, PlanNode
from planner_core import budget, nodes, plans
from planner_core.budget_rollups import budget_rollup
from planner_core.errors import PlannerError
from planner_core.exchange import import_document
from planner_core.levels import CHILD_KINDS
from planner_core.store import open_store
from planner_core.text import normalize_text
from tests.core.test_fuzz_imports import small_document
from tests.db.test_crash_kill import count_nodes, fresh_ids

YEAR = 1403
_TEMPLATE: Path | None = None


def template() -> Path:
    """One migrated empty store for the whole run; every example starts from a copy of it."""
    global _TEMPLATE
    if _TEMPLATE is None:
        folder = Path(tempfile.mkdtemp(prefix="stateful-"))
        _TEMPLATE = folder / "template.db"
        db = open_store(_TEMPLATE, create=True)
        budget.add_budget_code(db, code="3", title="عمران")
        budget.add_budget_code(db, code="301", title="حمل‌ونقل", parent_code="3")
        db.dispose()
    return _TEMPLATE


titles = st.one_of(
    st.sampled_from(["محور حمل‌ونقل", "هدف\x0bکلان", "=1+1", "پارك‌ها", "  ", "", "راهبرد ۲", "\u2028",
                     "ب" * 400]),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30),
)


class PlanServices(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="stateful-run-"))
        self.path = self.folder / "plan.db"
        shutil.copyfile(template(), self.path)
        self.db = Database(self.path)
        self.plan = plans.create_plan(self.db, code="S", title="برنامه", first_year=1403, last_year=1410)
        self.parent: dict[int, int | None] = {}  # the model: node id → parent id
        self.title: dict[int, str] = {}
        self.kind: dict[int, str] = {}
        self.undo: list[tuple[str, Any]] = []
        self.imports: dict[str, int] = {}  # imported plan uuid → its node count
        self.audits = self._audit_count()

    def teardown(self) -> None:
        self.db.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- helpers -----------------------------------------------------------------------
    def _audit_count(self) -> int:
        with self.db.unit() as session:
            return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)

    def _changed(self, entries: int = 1) -> None:
        """A change that returned wrote exactly its audit entries; a refused one wrote none."""
        now = self._audit_count()
        assert now - self.audits == entries, (now, self.audits, entries)
        self.audits = now

    def _refused(self) -> None:
        self._changed(0)

    def _subtree(self, node_id: int) -> list[int]:
        out, stack = [], [node_id]
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(n for n, p in self.parent.items() if p == current)
        return out

    # --- rules -------------------------------------------------------------------------
    @rule(data=st.data(), title=titles)
    def add(self, data: st.DataObject, title: str) -> None:
        parent = data.draw(st.sampled_from([None, *sorted(self.parent)]))
        kinds = CHILD_KINDS[self.kind[parent] if parent is not None else None]
        if not kinds:
            return
        kind = data.draw(st.sampled_from(kinds))
        try:
            info = nodes.add_node(self.db, self.plan.id, parent, kind, title=title)
        except PlannerError:
            assert not normalize_text(title) or len(normalize_text(title)) > 300
            self._refused()
            return
        self._changed()
        self.parent[info.id], self.title[info.id], self.kind[info.id] = parent, info.title, kind
        self.undo.append(("add", info.id))

    @precondition(lambda self: self.parent)
    @rule(data=st.data(), title=titles)
    def edit(self, data: st.DataObject, title: str) -> None:
        node = data.draw(st.sampled_from(sorted(self.parent)))
        try:
            info = nodes.update_node(self.db, node, title=title)
        except PlannerError:
            self._refused()
            return
        self._changed()
        self.undo.append(("edit", (node, self.title[node])))
        self.title[node] = info.title

    @precondition(lambda self: self.parent)
    @rule(data=st.data(), position=st.integers(-1, 5))
    def move(self, data: st.DataObject, position: int) -> None:
        node = data.draw(st.sampled_from(sorted(self.parent)))
        target = data.draw(st.sampled_from([None, *sorted(self.parent)]))
        try:
            old = nodes.move_node(self.db, node, target, position)
        except PlannerError:
            self._refused()
            allowed = CHILD_KINDS[self.kind[target] if target is not None else None]
            assert self.kind[node] not in allowed or (target is not None and target in self._subtree(node))
            return
        self._changed()
        self.parent[node] = target
        self.undo.append(("move", (node, old)))

    @precondition(lambda self: self.parent)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        node = data.draw(st.sampled_from(sorted(self.parent)))
        gone = self._subtree(node)
        snapshot = nodes.delete_node(self.db, node)
        self._changed()
        saved = {n: (self.parent.pop(n), self.title.pop(n), self.kind.pop(n)) for n in gone}
        self.undo.append(("delete", (snapshot, saved)))

    @precondition(lambda self: any(k in ("project", "activity") for k in self.kind.values()))
    @rule(data=st.data(), amount=st.integers(0, 10**12))
    def allocate(self, data: st.DataObject, amount: int) -> None:
        project = data.draw(st.sampled_from(sorted(n for n, k in self.kind.items() if k in ("project", "activity"))))
        try:
            budget.add_allocation(self.db, project, year=YEAR, budget_code="301", amount=amount)
        except PlannerError:
            self._refused()  # the project already has a line for this code and year
            return
        self._changed()

    @precondition(lambda self: self.undo)
    @rule()
    def undo_last(self) -> None:
        action, value = self.undo.pop()
        if action == "add":
            gone = self._subtree(value)
            nodes.delete_node(self.db, value)
            for n in gone:
                self.parent.pop(n), self.title.pop(n), self.kind.pop(n)
        elif action == "edit":
            node, title = value
            nodes.update_node(self.db, node, title=title)
            self.title[node] = title
        elif action == "move":
            node, (parent, position) = value
            nodes.move_node(self.db, node, parent, position)
            self.parent[node] = parent
        else:
            snapshot, saved = value
            nodes.restore_node(self.db, snapshot)
            for n, (parent, title, kind) in saved.items():
                self.parent[n], self.title[n], self.kind[n] = parent, title, kind
        self._changed()

    @precondition(lambda self: len(self.imports) < 2)
    @rule()
    def import_plan(self) -> None:
        doc = fresh_ids(small_document(), len(self.imports) + 1)
        import_document(self.db, doc)
        self._changed(len(doc["plans"]))
        plan = doc["plans"][0]
        self.imports[plan["id"]] = sum(count_nodes(a) for a in plan["axes"])

    # --- invariants --------------------------------------------------------------------
    @invariant()
    def the_store_holds_the_model_tree(self) -> None:
        with self.db.unit() as session:
            rows = session.execute(select(PlanNode.id, PlanNode.parent_id, PlanNode.title, PlanNode.kind)
                                   .where(PlanNode.plan_id == self.plan.id)).all()
        assert {r.id: r.parent_id for r in rows} == self.parent
        assert {r.id: r.title for r in rows} == self.title
        assert {r.id: r.kind for r in rows} == self.kind

    @invariant()
    def every_tree_is_well_shaped_with_unique_codes(self) -> None:
        with self.db.unit() as session:
            rows = session.execute(select(PlanNode.id, PlanNode.plan_id, PlanNode.parent_id, PlanNode.kind,
                                          PlanNode.code, PlanNode.sort_order)).all()
        by_id = {r.id: r for r in rows}
        siblings: dict[tuple[int, int | None], list[Any]] = {}
        for row in rows:
            parent = by_id.get(row.parent_id) if row.parent_id is not None else None
            assert row.parent_id is None or parent is not None
            assert row.kind in CHILD_KINDS[parent.kind if parent else None]
            assert parent is None or parent.plan_id == row.plan_id
            siblings.setdefault((row.plan_id, row.parent_id), []).append(row)
        for group in siblings.values():
            codes = [r.code for r in group]
            assert len(codes) == len(set(codes)), codes
            assert sorted(r.sort_order for r in group) == list(range(len(group)))
            numbered = sorted(group, key=lambda r: r.sort_order)
            if all(r.code.isdigit() for r in numbered):
                assert [int(r.code) for r in numbered] == list(range(1, len(group) + 1))

    @invariant()
    def roll_up_totals_equal_their_parts(self) -> None:
        rollup = budget_rollup(self.db, self.plan.id, YEAR)
        with self.db.unit() as session:
            amounts = dict(session.execute(select(Allocation.project_id, func.sum(Allocation.amount))
                                           .where(Allocation.year == YEAR).group_by(Allocation.project_id)).all())
        for node, kind in self.kind.items():
            if kind in ("project", "activity"):
                continue
            expected = sum(amounts.get(n, 0) for n in self._subtree(node))
            assert rollup.by_node.get(node, type(rollup.total)()).planned == expected, (node, kind)
        assert rollup.total.planned == sum(amounts.get(n, 0) for n in self.kind)

    @invariant()
    def imports_are_whole(self) -> None:
        if not self.imports:
            return
        with self.db.unit() as session:
            from db.models import StrategicPlan

            counts = dict(session.execute(
                select(StrategicPlan.uuid, func.count(PlanNode.id)).join(PlanNode, PlanNode.plan_id == StrategicPlan.id)
                .where(StrategicPlan.uuid.in_(self.imports)).group_by(StrategicPlan.uuid)).all())
        assert counts == self.imports


PlanServices.TestCase.settings = settings(max_examples=10, stateful_step_count=20, deadline=None,
                                          suppress_health_check=[HealthCheck.too_slow])
test_plan_services = PlanServices.TestCase
