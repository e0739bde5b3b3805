"""Compare two plan entries (two plans, two revisions or two snapshots) node by node.

Nodes are matched by identity first (UUID, or the lineage a revision or roll-forward keeps), then,
for plans that share no history, by level and full code.  The result lists what was added, removed,
moved (another parent) and changed field by field, for nodes, indicators (with their targets) and
allocations (with their amounts), and totals the budget differences per year.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from planner_core.codes import code_sort_key
from planner_core.levels import CHILDREN_KEY

PLAN_FIELDS = ("title", "first_year", "last_year", "vision", "mission")
NODE_FIELDS = ("code", "title", "description", "responsible_unit", "first_year", "last_year", "start_date",
               "end_date", "location", "weight")
INDICATOR_FIELDS = ("code", "title", "kind", "unit", "direction", "baseline", "definition", "data_source",
                    "frequency", "weight")
FIELD_LABELS = {
    "code": "کد", "title": "عنوان", "description": "شرح", "responsible_unit": "واحد مسئول",
    "first_year": "سال شروع", "last_year": "سال پایان", "start_date": "تاریخ شروع", "end_date": "تاریخ پایان",
    "location": "محل", "weight": "وزن", "kind": "نوع", "unit": "واحد سنجش", "direction": "جهت",
    "baseline": "مقدار پایه", "definition": "تعریف", "data_source": "منبع داده", "frequency": "تناوب",
    "vision": "چشم‌انداز", "mission": "مأموریت", "amount": "مبلغ تخصیص", "parent": "والد",
}


@dataclass(frozen=True)
class Change:
    kind: str  # added | removed | moved | changed
    entity: str  # plan | node | indicator | allocation
    uuid: str
    level: str  # node kind, "indicator", "allocation" or "plan"
    code: str
    title: str
    field: str | None = None
    old: Any = None
    new: Any = None
    node_uuid: str | None = None  # the node an indicator or allocation belongs to

    def as_json(self) -> dict[str, Any]:
        out = {k: v for k, v in asdict(self).items() if k != "kind"}
        if self.field is None:
            for key in ("field", "old", "new"):
                out.pop(key)
        return out

    @property
    def field_label(self) -> str:
        if self.field and self.field.startswith("target "):
            from planner_core.text import to_persian_digits

            return "هدف " + to_persian_digits(self.field.split(" ", 1)[1])
        return FIELD_LABELS.get(self.field or "", self.field or "")


@dataclass(frozen=True)
class NodeRef:
    """Where a node sits, for showing the changes as a marked tree: the newer entry's place, or, for
    a removed node, its place in the older one under the newer match of its parent."""

    uuid: str
    level: str
    code: str
    title: str
    parent_uuid: str | None


@dataclass
class Comparison:
    a_label: str
    b_label: str
    changes: list[Change] = field(default_factory=list)
    budget_by_year: dict[int, int] = field(default_factory=dict)  # year → B − A in rials
    nodes: dict[str, NodeRef] = field(default_factory=dict)  # uuid → place (not part of as_json)

    def ancestors(self, uuid: str) -> list[NodeRef]:
        """The node's ancestors, the axis first (cut short on a cycle or an unknown parent)."""
        out: list[NodeRef] = []
        ref = self.nodes.get(uuid)
        while ref is not None and ref.parent_uuid and len(out) < len(self.nodes):
            ref = self.nodes.get(ref.parent_uuid)
            if ref is not None:
                out.append(ref)
        return out[::-1]

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def budget_total(self) -> int:
        return sum(self.budget_by_year.values())

    @property
    def empty(self) -> bool:
        return not self.changes

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: [c.as_json() for c in self.of(k)] for k in ("added", "removed", "moved", "changed")}
        out["budget"] = {"by_year": {str(y): d for y, d in sorted(self.budget_by_year.items())},
                         "total": self.budget_total}
        return out


@dataclass
class _Node:
    doc: dict[str, Any]
    parent: _Node | None

    @property
    def uuid(self) -> str:
        return str(self.doc.get("id", ""))

    @property
    def key(self) -> tuple[str, str]:
        return (str(self.doc.get("kind")), str(self.doc.get("full_code", self.doc.get("code", ""))))


def _nodes(plan: dict[str, Any]) -> list[_Node]:
    out: list[_Node] = []

    def walk(items: list[dict[str, Any]], parent: _Node | None) -> None:
        for item in items:
            node = _Node(item, parent)
            out.append(node)
            walk(item.get(CHILDREN_KEY.get(str(item.get("kind")), ""), []) or [], node)

    walk(plan.get("axes", []) or [], None)
    return out


def _match(a_items: list[Any], b_items: list[Any], ident: Any, fallback: Any) -> dict[int, Any]:
    """id(b) → matched a: by identity (own UUID or lineage, either way), then by the fallback key."""
    by_id: dict[str, Any] = {}
    for a in a_items:
        for key in ident(a):
            by_id.setdefault(key, a)
    matched: dict[int, Any] = {}
    used: set[int] = set()
    for b in b_items:
        for key in ident(b):
            a = by_id.get(key)
            if a is not None and id(a) not in used:
                matched[id(b)] = a
                used.add(id(a))
                break
    free = defaultdict(list)
    for a in a_items:
        if id(a) not in used:
            free[fallback(a)].append(a)
    for b in b_items:
        if id(b) not in matched and free.get(fallback(b)):
            a = free[fallback(b)].pop(0)
            matched[id(b)] = a
            used.add(id(a))
    return matched


def _ident(doc: dict[str, Any]) -> list[str]:
    return [str(v) for v in (doc.get("id"), doc.get("lineage")) if v]


def compare_plans(a: dict[str, Any], b: dict[str, Any], a_label: str = "A", b_label: str = "B") -> Comparison:
    result = Comparison(a_label, b_label)
    add = result.changes.append
    for name in PLAN_FIELDS:
        if a.get(name) != b.get(name):
            add(Change("changed", "plan", str(b.get("id", "")), "plan", str(b.get("code", "")),
                       str(b.get("title", "")), name, a.get(name), b.get(name)))
    a_nodes, b_nodes = _nodes(a), _nodes(b)
    matched = _match(a_nodes, b_nodes, lambda n: _ident(n.doc), lambda n: n.key)
    b_of_a = {id(a_node): b_node for b_node in b_nodes if (a_node := matched.get(id(b_node))) is not None}

    def place(node: _Node, parent_uuid: str | None) -> NodeRef:
        d = node.doc
        return NodeRef(node.uuid, str(d.get("kind")), str(d.get("full_code", d.get("code", ""))),
                       str(d.get("title", "")), parent_uuid)

    for node in b_nodes:
        result.nodes[node.uuid] = place(node, node.parent.uuid if node.parent else None)
    for node in a_nodes:
        if id(node) not in b_of_a and node.uuid not in result.nodes:
            parent = node.parent
            newer = b_of_a.get(id(parent)) if parent is not None else None
            result.nodes[node.uuid] = place(node, newer.uuid if newer else parent.uuid if parent else None)

    def describe(kind: str, node: _Node, **extra: Any) -> Change:
        d = node.doc
        return Change(kind, "node", node.uuid, str(d.get("kind")), str(d.get("full_code", d.get("code", ""))),
                      str(d.get("title", "")), **extra)

    for node in b_nodes:
        if id(node) not in matched:
            add(describe("added", node))
            _details(result, node, {}, added=True)
    for node in a_nodes:
        if id(node) not in b_of_a:
            add(describe("removed", node))
            _details(result, node, {}, added=False)
    for node in b_nodes:
        old = matched.get(id(node))
        if old is None:
            continue
        old_parent = old.parent.uuid if old.parent else None
        new_parent_match = matched.get(id(node.parent)) if node.parent else None
        if (old.parent is None) != (node.parent is None) or (
                node.parent is not None and (new_parent_match is None or new_parent_match.uuid != old_parent)):
            add(describe("moved", node, field="parent",
                         old=old.parent.doc.get("full_code") if old.parent else None,
                         new=node.parent.doc.get("full_code") if node.parent else None))
        for name in NODE_FIELDS:
            if old.doc.get(name) != node.doc.get(name):
                add(describe("changed", node, field=name, old=old.doc.get(name), new=node.doc.get(name)))
        _details(result, node, {"old": old})
    result.changes.sort(key=lambda c: ("added removed moved changed".split().index(c.kind), _code_key(c.code)))
    return result


def display_value(value: Any) -> str:
    """A changed value as a person reads it: Persian digits, whole numbers without «.0»."""
    from planner_core.text import to_persian_digits

    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dict):
        value = "، ".join(f"{k}: {v}" for k, v in value.items())
    return to_persian_digits(value)


def _code_key(code: str) -> tuple[Any, ...]:
    return code_sort_key(code.replace("/", "-"))  # an indicator is «NODE-CODE/INDICATOR-CODE»


def _details(result: Comparison, node: _Node, ctx: dict[str, _Node], added: bool | None = None) -> None:
    """Indicators (with targets) and allocations of one node against its match (or none)."""
    add = result.changes.append
    d = node.doc
    code = str(d.get("full_code", d.get("code", "")))
    old_doc = ctx["old"].doc if "old" in ctx else None
    new_inds = d.get("indicators", []) or []
    old_inds = (old_doc.get("indicators", []) or []) if old_doc else []
    if added is not None:  # the whole node is new or gone
        for ind in new_inds:
            add(Change("added" if added else "removed", "indicator", str(ind.get("id", "")), "indicator",
                       f"{code}/{ind.get('code', '')}", str(ind.get("title", "")), node_uuid=node.uuid))
        for al in d.get("allocations", []) or []:
            amount = int(al.get("amount") or 0)
            _allocation(result, "added" if added else "removed", node, al, None if added else amount,
                        amount if added else None)
        return
    assert old_doc is not None
    matched = _match(old_inds, new_inds, _ident, lambda i: (i.get("kind"), i.get("code")))
    seen = set()
    for ind in new_inds:
        old = matched.get(id(ind))
        ref = f"{code}/{ind.get('code', '')}"
        if old is None:
            add(Change("added", "indicator", str(ind.get("id", "")), "indicator", ref, str(ind.get("title", "")),
                       node_uuid=node.uuid))
            continue
        seen.add(id(old))
        for name in INDICATOR_FIELDS:
            if old.get(name) != ind.get(name):
                add(Change("changed", "indicator", str(ind.get("id", "")), "indicator", ref, str(ind.get("title")),
                           name, old.get(name), ind.get(name), node.uuid))
        old_t = {t["year"]: t["value"] for t in old.get("targets", []) or []}
        new_t = {t["year"]: t["value"] for t in ind.get("targets", []) or []}
        for year in sorted(set(old_t) | set(new_t)):
            if old_t.get(year) != new_t.get(year):
                add(Change("changed", "indicator", str(ind.get("id", "")), "indicator", ref, str(ind.get("title")),
                           f"target {year}", old_t.get(year), new_t.get(year), node.uuid))
    for ind in old_inds:
        if id(ind) not in seen:
            add(Change("removed", "indicator", str(ind.get("id", "")), "indicator", f"{code}/{ind.get('code', '')}",
                       str(ind.get("title", "")), node_uuid=node.uuid))
    old_al = {(a["year"], a["budget_code"]): a for a in old_doc.get("allocations", []) or []}
    new_al = {(a["year"], a["budget_code"]): a for a in d.get("allocations", []) or []}
    for key in sorted(set(old_al) | set(new_al)):
        before, after = old_al.get(key), new_al.get(key)
        if before is None:
            _allocation(result, "added", node, after, None, int(after["amount"]))  # type: ignore[index]
        elif after is None:
            _allocation(result, "removed", node, before, int(before["amount"]), None)
        elif before.get("amount") != after.get("amount"):
            _allocation(result, "changed", node, after, int(before["amount"]), int(after["amount"]))


def _allocation(result: Comparison, kind: str, node: _Node, al: dict[str, Any], old: int | None,
                new: int | None) -> None:
    d = node.doc
    result.changes.append(Change(
        kind, "allocation", str(al.get("id", "")), "allocation", str(d.get("full_code", d.get("code", ""))),
        f"{d.get('title', '')} — {al.get('year')} / {al.get('budget_code')}",
        "amount" if kind == "changed" else None, old if kind == "changed" else None,
        new if kind == "changed" else None, node.uuid))
    year = int(al.get("year") or 0)
    result.budget_by_year[year] = result.budget_by_year.get(year, 0) + (new or 0) - (old or 0)


def resolve_operand(db: Any, ref: str) -> tuple[str, dict[str, Any]]:
    """A compare operand: a plan code (its revision in force), ``CODE@N``, or a snapshot id / UUID."""
    import json

    from db.models import PlanSnapshot, StrategicPlan
    from planner_core.errors import NotFoundError
    from planner_core.lifecycle import documents, revisions, snapshots
    from planner_core.text import to_persian_digits

    with db.unit(write=False) as session:
        try:
            plan = revisions.resolve(session, ref)
        except NotFoundError:
            plan = None
        if plan is not None:
            label = f"{plan.code} ویرایش {to_persian_digits(plan.revision)}"
            return label, documents.plan_entry_in_session(session, plan)
        row: PlanSnapshot | None = snapshots.find_snapshot(session, ref)
        if row is None:
            raise NotFoundError(f"«{ref}» نه کد برنامه است، نه شماره نسخه ثبت‌شده (snapshot).")
        owner = session.get(StrategicPlan, row.plan_id)
        doc = json.loads(row.document)
        label = f"نسخه {to_persian_digits(row.id)} ({snapshots.STAGE_LABELS.get(row.stage, row.stage)}"
        label += f"، {owner.code} ویرایش {to_persian_digits(owner.revision)})" if owner else ")"
        return label, doc["plans"][0]


def compare(db: Any, a: str, b: str) -> Comparison:
    a_label, a_doc = resolve_operand(db, a)
    b_label, b_doc = resolve_operand(db, b)
    return compare_plans(a_doc, b_doc, a_label, b_label)
