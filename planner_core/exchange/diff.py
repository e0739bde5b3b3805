"""Comparing an incoming plan document with the file: what would be added, changed, left alone, or conflict.

Both sides are flattened to entities keyed by UUID (org units and budget codes also by code,
annual budgets also by municipality and year).  A field that differs is decided with the *base*,
the hash of its value at the last exchange with that municipality (``exchange_base``):
only they changed it → take theirs; only we changed it → keep ours; both → a conflict that the
planner resolves.  Nothing is ever deleted: what the file holds and the package does not is left alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from planner_core.levels import CHILDREN_KEY, LABELS
from planner_core.text import normalize_code, to_persian_digits

ENTITY_LABELS = {
    "org_unit": "واحد مسئول", "budget_code": "کد بودجه", "annual_budget": "بودجه سالانه",
    "amendment": "اصلاحیه بودجه", "plan": "برنامه راهبردی", "node": "گره", "indicator": "شاخص",
    "allocation": "تخصیص", "report": "گزارش پیشرفت", "lesson": "درس‌آموخته",
}
FIELD_LABELS = {
    "name": "نام", "kind": "نوع", "parent": "والد", "title": "عنوان", "level": "سطح", "approved_on": "تاریخ تصویب",
    "vision": "چشم‌انداز", "mission": "مأموریت", "first_year": "سال شروع", "last_year": "سال پایان",
    "on_track": "آستانه «در مسیر»", "at_risk": "آستانه «در معرض خطر»", "description": "شرح", "code": "کد",
    "responsible_unit": "واحد مسئول", "start_date": "تاریخ شروع", "end_date": "تاریخ پایان",
    "location": "محل اجرا", "weight": "وزن", "state": "وضعیت", "unit": "واحد سنجش", "direction": "جهت مطلوب",
    "baseline": "مقدار پایه", "definition": "تعریف", "data_source": "منبع داده", "frequency": "دوره گزارش",
    "year": "سال", "budget_code": "کد بودجه", "amount": "مبلغ", "spent": "هزینه‌شده", "quarter": "فصل",
    "physical_progress": "پیشرفت فیزیکی", "narrative": "شرح پیشرفت", "corrective_action": "اقدام اصلاحی",
    "reported_on": "تاریخ گزارش", "body": "متن", "recorded_on": "تاریخ ثبت",
}

PLAIN_FIELDS = {
    "org_unit": ("name", "kind", "parent"),
    "budget_code": ("title", "parent", "level"),
    "annual_budget": ("title", "approved_on"),
    "amendment": (),
    "plan": ("title", "vision", "mission", "first_year", "last_year"),
    "node": ("title", "description", "code", "responsible_unit", "first_year", "last_year", "start_date",
             "end_date", "location", "weight", "state"),
    "indicator": ("title", "code", "unit", "direction", "baseline", "definition", "data_source", "frequency",
                  "weight"),
    "allocation": ("year", "budget_code", "amount", "spent"),
    "report": ("year", "quarter", "physical_progress", "spent", "narrative", "corrective_action", "reported_on"),
    "lesson": ("title", "body", "recorded_on"),
}


def field_label(name: str) -> str:
    if name.startswith("target:"):
        return f"هدف سال {to_persian_digits(name.split(':')[1])}"
    if name.startswith("actual:"):
        _, year, period = name.split(":")
        return f"مقدار واقعی {to_persian_digits(year)} ({period})"
    if name.startswith("ceiling:"):
        return f"سقف کد {to_persian_digits(name.split(':', 1)[1])}"
    return FIELD_LABELS.get(name, name)


def value_hash(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()[:20]


@dataclass
class Entity:
    kind: str
    uuid: str
    parent: str | None  # UUID of the owning entity (node, plan, budget); None at the top
    label: str
    fields: dict[str, Any]
    item: dict[str, Any]
    natural: tuple[Any, ...] | None = None  # code / (municipality, year) for base data matched by code too


def _fields(kind: str, item: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in PLAIN_FIELDS[kind]:
        if name in item:
            value = item[name]
            out[name] = normalize_code(value) if name in ("code", "parent", "budget_code", "responsible_unit") \
                and value is not None else value
    if kind == "plan":
        thresholds = item.get("thresholds") or {}
        out["on_track"] = thresholds.get("on_track", 90)
        out["at_risk"] = thresholds.get("at_risk", 70)
    elif kind == "indicator":
        for target in item.get("targets", []):
            out[f"target:{target['year']}"] = target["value"]
        for actual in item.get("actuals", []):
            out[f"actual:{actual['year']}:{actual.get('period', 'annual')}"] = {
                "value": actual["value"], "note": actual.get("note", "")}
    elif kind == "annual_budget":
        for line in item.get("lines", []):
            out[f"ceiling:{normalize_code(line['budget_code'])}"] = line["ceiling"]
    return out


def flatten(doc: dict[str, Any]) -> dict[str, Entity]:
    """Every entity of a document by UUID (lower case)."""
    out: dict[str, Entity] = {}

    def add(kind: str, item: dict[str, Any], parent: str | None, label: str,
            natural: tuple[Any, ...] | None = None) -> None:
        out[item["id"].lower()] = Entity(kind, item["id"].lower(), parent, label, _fields(kind, item), item, natural)

    home = (doc.get("municipality") or {}).get("id")
    for unit in doc.get("org_units", []):
        add("org_unit", unit, None, f"واحد «{unit['name']}»", ("org_unit", normalize_code(unit["code"])))
    for code in doc.get("budget_codes", []):
        add("budget_code", code, None, f"کد بودجه {to_persian_digits(code['code'])}",
            ("budget_code", normalize_code(code["code"])))
    for budget in doc.get("annual_budgets", []):
        owner = (budget.get("municipality") or home or "").lower()
        add("annual_budget", budget, None, f"بودجه سال {to_persian_digits(budget['year'])}",
            ("annual_budget", owner, budget["year"]))
        for amendment in budget.get("amendments", []):
            add("amendment", amendment, budget["id"].lower(),
                f"اصلاحیه {to_persian_digits(amendment['budget_code'])} سال {to_persian_digits(budget['year'])}")
    for plan in doc.get("plans", []):
        plan_uuid = plan["id"].lower()
        add("plan", plan, None, f"برنامه «{plan['title']}»")
        for lesson in plan.get("lessons", []):
            add("lesson", lesson, plan_uuid, f"درس‌آموخته «{lesson['title']}»")
        for node, parent in _nodes_with_parents(plan):
            node_uuid = node["id"].lower()
            add("node", node, parent, f"{LABELS.get(node['kind'], node['kind'])} "
                f"{to_persian_digits(node.get('full_code') or node.get('code', ''))} «{node['title']}»")
            for indicator in node.get("indicators", []):
                add("indicator", indicator, node_uuid, f"شاخص «{indicator['title']}»")
            for lesson in node.get("lessons", []):
                add("lesson", lesson, node_uuid, f"درس‌آموخته «{lesson['title']}»")
            for allocation in node.get("allocations", []):
                add("allocation", allocation, node_uuid, f"تخصیص سال {to_persian_digits(allocation['year'])} "
                    f"کد {to_persian_digits(allocation['budget_code'])} به «{node['title']}»")
            for report in node.get("progress_reports", []):
                add("report", report, node_uuid, f"گزارش فصل {to_persian_digits(report['quarter'])} "
                    f"سال {to_persian_digits(report['year'])} «{node['title']}»")
    return out


def _nodes_with_parents(plan: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str]]:
    stack = [(axis, plan["id"].lower()) for axis in reversed(plan.get("axes", []))]
    while stack:
        node, parent = stack.pop()
        yield node, parent
        children = node.get(CHILDREN_KEY.get(node["kind"], ""), [])
        stack.extend((child, node["id"].lower()) for child in reversed(children))


@dataclass
class FieldChange:
    entity: Entity  # the incoming entity
    local_uuid: str
    field: str
    ours: Any
    theirs: Any

    @property
    def key(self) -> tuple[str, str]:
        return (self.entity.uuid, self.field)

    @property
    def label(self) -> str:
        return f"{self.entity.label} — {field_label(self.field)}"


@dataclass
class Diff:
    added: list[Entity] = field(default_factory=list)      # new entities (a new node brings its subtree)
    changed: list[FieldChange] = field(default_factory=list)  # only they changed it: theirs is taken
    kept: list[FieldChange] = field(default_factory=list)     # only we changed it: ours stays
    conflicts: list[FieldChange] = field(default_factory=list)
    unchanged: int = 0
    matched: dict[str, str] = field(default_factory=dict)  # incoming uuid -> local uuid
    local_only: int = 0  # entities the file holds and the package does not: left alone


def compare(incoming: dict[str, Any], local: dict[str, Any], bases: dict[str, dict[str, str]],
            sent: dict[str, dict[str, str]]) -> Diff:
    """Decide every incoming entity and field.  ``bases``: this municipality's; ``sent``: what we last sent."""
    theirs_all = flatten(incoming)
    ours_all = flatten(local)
    by_natural = {e.natural: e for e in ours_all.values() if e.natural is not None}
    diff = Diff()
    added: set[str] = set()
    for uuid, theirs in theirs_all.items():
        ours = ours_all.get(uuid) or (by_natural.get(theirs.natural) if theirs.natural else None)
        if ours is None:
            if theirs.parent not in added:  # a new node's subtree comes with it
                diff.added.append(theirs)
            added.add(uuid)
            continue
        diff.matched[uuid] = ours.uuid
        base = bases.get(uuid) or sent.get(ours.uuid) or {}
        for name, value in theirs.fields.items():
            mine = ours.fields.get(name)
            if value == mine:
                diff.unchanged += 1
                continue
            change = FieldChange(theirs, ours.uuid, name, mine, value)
            recorded = base.get(name)
            if name not in ours.fields and recorded is None:
                diff.changed.append(change)  # a new target/actual/ceiling: an addition, not a conflict
            elif recorded == value_hash(mine):
                diff.changed.append(change)
            elif recorded == value_hash(value):
                diff.kept.append(change)
            elif recorded is None and theirs.kind in ("org_unit", "budget_code"):
                diff.kept.append(change)  # a shared catalogue: the file's own wording stays without a base
            else:
                diff.conflicts.append(change)
        if theirs.kind == "node" and theirs.parent != ours.parent:
            # A node moved to another parent on their side stays where it is here (never re-parented silently).
            diff.kept.append(FieldChange(theirs, ours.uuid, "parent", ours_all[ours.parent].label
                                         if ours.parent in ours_all else ours.parent,
                                         theirs_all[theirs.parent].label if theirs.parent in theirs_all
                                         else theirs.parent))
    matched_local = set(diff.matched.values())
    diff.local_only = sum(1 for uuid in ours_all if uuid not in matched_local)
    return diff


def base_fields(doc: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The hashes to remember after an exchange: per entity UUID, per field."""
    return {uuid: {name: value_hash(value) for name, value in entity.fields.items()}
            for uuid, entity in flatten(doc).items()}
