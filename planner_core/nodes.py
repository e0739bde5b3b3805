"""The plan tree: add, edit, move, delete (and restore) axes down to projects.

Numeric codes follow the order among siblings and are renumbered after every structural
change; a code the planner typed that is not a plain number is kept as typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from db.engine import Database
from db.models import (
    Allocation,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    LessonLearned,
    OrgUnit,
    PlanNode,
    ProgressReport,
    StrategicPlan,
)
from planner_core import audit, fields
from planner_core.codes import full_codes
from planner_core.errors import NotFoundError, RuleError, ValidationError
from planner_core.jalali import fiscal_year_bounds, fiscal_year_of, format_jalali
from planner_core.levels import CHILD_KINDS, LABELS, NODE_STATE_LABELS, NODE_STATES
from planner_core.plans import ensure_editable, load_plan
from planner_core.text import fold, to_persian_digits

NODE_FIELDS = ("code", "title", "description", "responsible_unit_id", "first_year", "last_year",
               "start_date", "end_date", "location", "weight", "state")


@dataclass(frozen=True)
class NodeInfo:
    id: int
    uuid: str
    plan_id: int
    parent_id: int | None
    kind: str
    code: str
    full_code: str
    title: str
    description: str = ""
    responsible_unit_id: int | None = None
    responsible_unit: str = ""
    sort_order: int = 0
    first_year: int | None = None
    last_year: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    location: str = ""
    weight: float = 1.0
    state: str = "planned"
    child_count: int = 0

    @property
    def kind_label(self) -> str:
        return LABELS[self.kind]

    def values(self) -> dict[str, Any]:
        """The editable fields, as ``update_node`` takes them (what an undo restores)."""
        return {name: getattr(self, name) for name in NODE_FIELDS}


@dataclass
class Snapshot:
    """Every row a deleted subtree took with it, so undo can put back exactly that."""

    root_id: int
    plan_id: int
    parent_id: int | None
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def node_count(self) -> int:
        return len(self.rows.get("plan_node", []))


# --- reading -------------------------------------------------------------------------------

def _load(session: Session, node_id: int) -> PlanNode:
    node = session.get(PlanNode, node_id)
    if node is None:
        raise NotFoundError("این گره برنامه پیدا نشد؛ شاید حذف شده باشد.")
    return node


def full_code(session: Session, node: Any) -> str:
    codes = [node.code]
    parent_id = node.parent_id
    while parent_id is not None:
        code, parent_id = session.execute(
            select(PlanNode.code, PlanNode.parent_id).where(PlanNode.id == parent_id)).one()
        codes.append(code)
    return "-".join(reversed(codes))


def _infos(session: Session, where: Any, parent_code: str | None,
           codes: dict[int, str] | None = None) -> list[NodeInfo]:
    child = aliased(PlanNode)
    count = select(func.count(child.id)).where(child.parent_id == PlanNode.id).scalar_subquery()
    # Plain rows, not ORM objects: a broad search may list thousands of nodes at once.
    columns = [c for c in PlanNode.__table__.c]  # type: ignore[attr-defined]
    rows = session.execute(
        select(*columns, OrgUnit.name.label("unit_name"), count.label("n_children"))
        .outerjoin(OrgUnit, OrgUnit.id == PlanNode.responsible_unit_id)
        .where(where).order_by(PlanNode.sort_order, PlanNode.id)).all()
    out = []
    for node in rows:
        unit_name, n_children = node.unit_name, node.n_children
        if codes is not None:
            code = codes[node.id]
        else:
            prefix = parent_code if parent_code is not None else (
                full_code(session, node).rsplit("-", 1)[0] if node.parent_id else "")
            code = f"{prefix}-{node.code}" if prefix else node.code
        out.append(_info(node, code, unit_name or "", n_children))
    return out


def _info(node: Any, code: str, unit_name: str, child_count: int) -> NodeInfo:
    return NodeInfo(node.id, node.uuid, node.plan_id, node.parent_id, node.kind, node.code, code,
                    node.title, node.description, node.responsible_unit_id, unit_name, node.sort_order,
                    node.first_year, node.last_year, node.start_date, node.end_date, node.location,
                    node.weight, node.state, child_count)


def node_info(session: Session, node_id: int) -> NodeInfo:
    node = _load(session, node_id)
    parent_code = full_code(session, session.get(PlanNode, node.parent_id)) if node.parent_id else ""
    return _infos(session, PlanNode.id == node_id, parent_code)[0]


def get_node(db: Database, node_id: int) -> NodeInfo:
    with db.unit(write=False) as session:
        return node_info(session, node_id)


def children(db: Database, plan_id: int, parent_id: int | None) -> list[NodeInfo]:
    """One level of the tree, in order: what a lazy tree view asks for when a row expands."""
    with db.unit(write=False) as session:
        if parent_id is None:
            return _infos(session, (PlanNode.plan_id == plan_id) & PlanNode.parent_id.is_(None), "")
        parent = _load(session, parent_id)
        return _infos(session, PlanNode.parent_id == parent_id, full_code(session, parent))


def children_of_many(db: Database, plan_id: int, parent_ids: Iterable[int]) -> dict[int, list[NodeInfo]]:
    """Several levels' worth of ``children`` in one unit of work and one query per batch of
    parents (what a tree fetches when a search opens hundreds of branches at once)."""
    wanted = list(dict.fromkeys(parent_ids))
    out: dict[int, list[NodeInfo]] = {parent: [] for parent in wanted}
    if not wanted:
        return out
    with db.unit(write=False) as session:
        coded = session.execute(select(PlanNode.id, PlanNode.parent_id, PlanNode.code)
                                .where(PlanNode.plan_id == plan_id)).all()
        codes = full_codes(coded)
        for start in range(0, len(wanted), 900):  # SQLite's bound-parameter limit
            batch = wanted[start:start + 900]
            for info in _infos(session, PlanNode.parent_id.in_(batch), None, codes):
                out[info.parent_id].append(info)  # type: ignore[index]
    return out


def ancestors(db: Database, node_id: int) -> list[int]:
    """Ids from the axis down to the node's parent (for expanding a tree to a search hit)."""
    with db.unit(write=False) as session:
        chain: list[int] = []
        parent_id = _load(session, node_id).parent_id
        while parent_id is not None:
            chain.append(parent_id)
            parent_id = session.scalar(select(PlanNode.parent_id).where(PlanNode.id == parent_id))
        return list(reversed(chain))


def subtree_ids(session: Session, root_id: int) -> list[int]:
    """The node and all its descendants, parents before children (a recursive CTE)."""
    tree = select(PlanNode.id, PlanNode.parent_id, func.cast(0, PlanNode.sort_order.type).label("depth")) \
        .where(PlanNode.id == root_id).cte("tree", recursive=True)
    tree = tree.union_all(
        select(PlanNode.id, PlanNode.parent_id, tree.c.depth + 1).join(tree, PlanNode.parent_id == tree.c.id))
    return list(session.scalars(select(tree.c.id).order_by(tree.c.depth, tree.c.id)))


def count_descendants(db: Database, node_id: int) -> int:
    with db.unit(write=False) as session:
        return len(subtree_ids(session, node_id)) - 1


# --- rules ---------------------------------------------------------------------------------

def _check_code_unique(session: Session, plan_id: int, parent_id: int | None, code: str,
                       exclude: int | None) -> None:
    siblings = session.execute(select(PlanNode.id, PlanNode.code).where(
        PlanNode.plan_id == plan_id,
        PlanNode.parent_id.is_(None) if parent_id is None else PlanNode.parent_id == parent_id)).all()
    key = fold(code)
    if any(fold(other) == key and other_id != exclude for other_id, other in siblings):
        raise ValidationError("code", f"کد: کد «{to_persian_digits(code)}» در همین سطح تکراری است.")


def _clean(session: Session, kind: str, values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "code":
            out[key] = fields.code("code", value)
            if "-" in out[key]:  # "-" joins the codes of the levels in a full code
                raise ValidationError("code", "کد: خط تیره (-) میان کدهای سطوح می‌آید؛ در کد یک گره به کار نرود.")
        elif key == "title":
            out[key] = fields.text("title", value, required=True)
        elif key == "description":
            out[key] = fields.text("description", value, max_length=20_000)
        elif key == "location":
            out[key] = fields.text("location", value, max_length=300)
        elif key == "responsible_unit_id":
            if value is not None and session.get(OrgUnit, value) is None:
                raise ValidationError("responsible_unit", "واحد مسئول: این واحد در فهرست واحدها نیست.")
            out[key] = value
        elif key in ("first_year", "last_year"):
            out[key] = fields.year(key, value, required=kind == "program")
        elif key in ("start_date", "end_date"):
            out[key] = fields.a_date(key, value)
        elif key == "weight":
            out[key] = fields.number("weight", value, minimum=0)
        elif key == "state":
            out[key] = fields.choice("state", value, NODE_STATES, NODE_STATE_LABELS)
        else:
            raise ValidationError(key, f"فیلد «{key}» برای {LABELS[kind]} وجود ندارد.")
    return out


def _check_spans(session: Session, node: PlanNode, plan: StrategicPlan) -> None:
    """Program years inside the plan's years; project dates inside the program's years."""
    if node.kind == "program":
        if node.first_year is None or node.last_year is None:
            raise ValidationError("first_year", "سال شروع: سال‌های برنامه عملیاتی را وارد کنید.")
        if node.first_year > node.last_year:
            raise ValidationError("last_year", "سال پایان: نباید پیش از سال شروع باشد.")
        if node.last_year - node.first_year > 1:
            raise ValidationError("last_year", "سال پایان: برنامه عملیاتی دوساله است (حداکثر دو سال متوالی).")
        if node.first_year < plan.first_year or node.last_year > plan.last_year:
            span = to_persian_digits(f"{plan.first_year}–{plan.last_year}")
            raise ValidationError("first_year", f"سال‌های برنامه عملیاتی باید درون سال‌های برنامه راهبردی ({span}) باشد.")
        first, last = fiscal_year_bounds(node.first_year)[0], fiscal_year_bounds(node.last_year)[1]
        outside = session.scalar(select(func.count()).select_from(PlanNode).where(
            PlanNode.parent_id == node.id,
            (PlanNode.start_date < first) | (PlanNode.end_date > last)))
        if outside:
            raise ValidationError("first_year", f"سال‌های برنامه: تاریخ {to_persian_digits(outside)} پروژه "
                                  "زیر این برنامه بیرون از این سال‌ها می‌افتد؛ نخست آن‌ها را اصلاح کنید.")
    if node.kind in ("project", "activity"):
        if node.start_date and node.end_date and node.end_date < node.start_date:
            raise ValidationError("end_date", "تاریخ پایان: نباید پیش از تاریخ شروع باشد.")
        program = session.get(PlanNode, node.parent_id) if node.parent_id else None
        if program is not None and program.first_year and program.last_year:
            first = fiscal_year_bounds(program.first_year)[0]
            last = fiscal_year_bounds(program.last_year)[1]
            span = f"{format_jalali(first)} تا {format_jalali(last)}"
            if node.start_date and not first <= node.start_date <= last:
                raise ValidationError("start_date", f"تاریخ شروع: باید درون سال‌های برنامه عملیاتی ({span}) باشد.")
            if node.end_date and not first <= node.end_date <= last:
                raise ValidationError("end_date", f"تاریخ پایان: باید درون سال‌های برنامه عملیاتی ({span}) باشد.")


def _renumber(session: Session, plan_id: int, parent_id: int | None) -> None:
    siblings = session.scalars(select(PlanNode).where(
        PlanNode.plan_id == plan_id,
        PlanNode.parent_id.is_(None) if parent_id is None else PlanNode.parent_id == parent_id)
        .order_by(PlanNode.sort_order, PlanNode.id)).all()
    for position, node in enumerate(siblings):
        node.sort_order = position
    # Two passes so that swapping "1" and "2" never meets itself half-way.
    numeric = [n for n in siblings if n.code.isdigit()]
    for node in numeric:
        node.code = f"~{node.id}"
    session.flush()
    for position, node in enumerate(siblings):
        if node.code.startswith("~"):
            node.code = str(position + 1)
    session.flush()


# --- writing -------------------------------------------------------------------------------

def add_node(db: Database, plan_id: int, parent_id: int | None, kind: str, *, title: str,
             position: int | None = None, **values: Any) -> NodeInfo:
    """Add a node under ``parent_id`` (None: an axis of the plan) at ``position`` (default: last)."""
    with db.unit() as session:
        plan = load_plan(session, plan_id)
        ensure_editable(plan)
        parent = _load(session, parent_id) if parent_id is not None else None
        parent_kind = parent.kind if parent is not None else None
        if parent is not None and parent.plan_id != plan_id:
            raise RuleError("گره والد از برنامه دیگری است.")
        if kind not in CHILD_KINDS[parent_kind]:
            where = LABELS[parent_kind] if parent_kind else "برنامه راهبردی"
            raise RuleError(f"زیر {where} نمی‌توان {LABELS.get(kind, kind)} افزود.")
        if kind == "program":
            values.setdefault("first_year", plan.first_year)
            values.setdefault("last_year", min(int(fields.year("first_year", values["first_year"]) or 0) + 1,
                                               plan.last_year))
        cleaned = _clean(session, kind, {"title": title, **values})
        siblings = session.scalars(select(PlanNode).where(
            PlanNode.plan_id == plan_id,
            PlanNode.parent_id.is_(None) if parent_id is None else PlanNode.parent_id == parent_id)
            .order_by(PlanNode.sort_order, PlanNode.id)).all()
        if position is None or not 0 <= position <= len(siblings):
            position = len(siblings)
        for sibling in siblings[position:]:
            sibling.sort_order += 1
        if "code" in cleaned:
            _check_code_unique(session, plan_id, parent_id, cleaned["code"], None)
        else:
            cleaned["code"] = "0"  # a number: _renumber gives it its place
        node = PlanNode(plan_id=plan_id, parent_id=parent_id, kind=kind, sort_order=position, **cleaned)
        if node.weight is None:
            node.weight = 1.0
        session.add(node)
        session.flush()
        _check_spans(session, node, plan)
        if node.code.isdigit():
            _renumber(session, plan_id, parent_id)
        info = node_info(session, node.id)
        audit.record(session, "create", kind, node.uuid, info.title, after=_jsonable(info))
        return info


def update_node(db: Database, node_id: int, **changes: Any) -> NodeInfo:
    with db.unit() as session:
        node = _load(session, node_id)
        plan = load_plan(session, node.plan_id)
        ensure_editable(plan)
        before = node_info(session, node_id)
        cleaned = _clean(session, node.kind, changes)
        if "code" in cleaned:
            _check_code_unique(session, node.plan_id, node.parent_id, cleaned["code"], node.id)
        for key, value in cleaned.items():
            setattr(node, key, value)
        session.flush()
        _check_spans(session, node, plan)
        after = node_info(session, node_id)
        audit.record(session, "update", node.kind, node.uuid, after.title,
                     before=_jsonable(before), after=_jsonable(after))
        return after


def move_node(db: Database, node_id: int, new_parent_id: int | None, position: int) -> tuple[int | None, int]:
    """Move a node (and its subtree) under another parent at ``position``.

    Returns the old (parent_id, position) so an undo can move it back.
    """
    with db.unit() as session:
        node = _load(session, node_id)
        plan = load_plan(session, node.plan_id)
        ensure_editable(plan)
        old = (node.parent_id, node.sort_order)
        new_parent = _load(session, new_parent_id) if new_parent_id is not None else None
        if new_parent is not None and new_parent_id in subtree_ids(session, node_id):
            raise RuleError("نمی‌توان یک گره را زیر خودش یا زیرشاخه‌هایش برد.")
        if node.kind not in CHILD_KINDS[new_parent.kind if new_parent else None]:
            where = LABELS[new_parent.kind] if new_parent else "برنامه راهبردی"
            raise RuleError(f"{LABELS[node.kind]} را نمی‌توان زیر {where} برد.")
        if new_parent is not None and new_parent.plan_id != node.plan_id:
            raise RuleError("جابه‌جایی میان دو برنامه راهبردی ممکن نیست.")
        same_parent = new_parent_id == node.parent_id
        siblings = [s for s in session.scalars(select(PlanNode).where(
            PlanNode.plan_id == node.plan_id,
            PlanNode.parent_id.is_(None) if new_parent_id is None else PlanNode.parent_id == new_parent_id)
            .order_by(PlanNode.sort_order, PlanNode.id)).all() if s.id != node.id]
        position = max(0, min(position, len(siblings)))
        siblings.insert(position, node)
        if not same_parent and not node.code.isdigit():
            _check_code_unique(session, node.plan_id, new_parent_id, node.code, node.id)
        old_parent_id = node.parent_id
        node.parent_id = new_parent_id
        for index, sibling in enumerate(siblings):
            sibling.sort_order = index
        session.flush()
        _check_spans(session, node, plan)
        _renumber(session, node.plan_id, new_parent_id)
        if not same_parent:
            _renumber(session, node.plan_id, old_parent_id)
        audit.record(session, "move", node.kind, node.uuid, node.title,
                     before={"parent_id": old[0], "position": old[1]},
                     after={"parent_id": new_parent_id, "position": position})
        return old


_SUBTREE_TABLES: tuple[tuple[Table, str], ...] = (
    (Indicator.__table__, "node_id"),  # type: ignore[list-item]
    (Allocation.__table__, "project_id"),  # type: ignore[list-item]
    (ProgressReport.__table__, "project_id"),  # type: ignore[list-item]
    (LessonLearned.__table__, "node_id"),  # type: ignore[list-item]
)


def delete_node(db: Database, node_id: int) -> Snapshot:
    """Delete a node with its whole subtree; the returned snapshot lets undo restore it."""
    with db.unit() as session:
        node = _load(session, node_id)
        ensure_editable(load_plan(session, node.plan_id))
        ids = subtree_ids(session, node_id)
        snapshot = Snapshot(node_id, node.plan_id, node.parent_id)
        nodes_table: Table = PlanNode.__table__  # type: ignore[assignment]
        depth_order = {node_id: index for index, node_id in enumerate(ids)}  # parents before children
        snapshot.rows["plan_node"] = sorted((dict(r._mapping) for r in session.execute(
            select(nodes_table).where(nodes_table.c.id.in_(ids)))), key=lambda row: depth_order[row["id"]])
        for table, column in _SUBTREE_TABLES:
            snapshot.rows[table.name] = [dict(r._mapping) for r in session.execute(
                select(table).where(table.c[column].in_(ids)))]
        indicator_ids = [row["id"] for row in snapshot.rows["indicator"]]
        for model in (IndicatorTarget, IndicatorActual):
            table = model.__table__  # type: ignore[assignment]
            snapshot.rows[table.name] = [dict(r._mapping) for r in session.execute(
                select(table).where(table.c.indicator_id.in_(indicator_ids)))]
        audit.record(session, "delete", node.kind, node.uuid, node.title,
                     before={"title": node.title, "descendants": len(ids) - 1})
        session.execute(delete(nodes_table).where(nodes_table.c.id == node_id))
        session.expunge_all()
        _renumber(session, snapshot.plan_id, snapshot.parent_id)
        return snapshot


def restore_node(db: Database, snapshot: Snapshot) -> NodeInfo:
    """Undo of ``delete_node``: the same rows, ids and UUIDs come back."""
    with db.unit() as session:
        ensure_editable(load_plan(session, snapshot.plan_id))
        root = next(r for r in snapshot.rows["plan_node"] if r["id"] == snapshot.root_id)
        nodes_table: Table = PlanNode.__table__  # type: ignore[assignment]
        session.execute(
            update(nodes_table).where(
                nodes_table.c.plan_id == snapshot.plan_id,
                nodes_table.c.parent_id.is_(None) if snapshot.parent_id is None
                else nodes_table.c.parent_id == snapshot.parent_id,
                nodes_table.c.sort_order >= root["sort_order"])
            .values(sort_order=nodes_table.c.sort_order + 1))
        order = ["plan_node", "indicator", "indicator_target", "indicator_actual", "allocation",
                 "progress_report", "lesson_learned"]
        for name in order:
            rows = snapshot.rows.get(name) or []
            if rows:
                session.execute(insert(PlanNode.metadata.tables[name]), rows)
        # Numeric codes follow the order again, whatever the restored node's own code is.
        _renumber(session, snapshot.plan_id, snapshot.parent_id)
        audit.record(session, "restore", root["kind"], root["uuid"], root["title"])
        return node_info(session, snapshot.root_id)


def _jsonable(info: NodeInfo) -> dict[str, Any]:
    data = asdict(info)
    for key in ("start_date", "end_date"):
        if data[key] is not None:
            data[key] = data[key].isoformat()
    return data


def require_kind(session: Session, node_id: int, kinds: tuple[str, ...]) -> PlanNode:
    node = _load(session, node_id)
    if node.kind not in kinds:
        names = "، ".join(LABELS[k] for k in kinds)
        raise RuleError(f"این کار فقط برای {names} ممکن است، نه {LABELS[node.kind]}.")
    return node


# --- search ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class SearchResult:
    """What a search found: the matching nodes (to count and highlight), the ids a filtered tree
    shows (matches and their ancestors), and whether the plan's own code or title matched."""

    matches: frozenset[int]
    visible: frozenset[int]
    plan_matches: bool = False

    @property
    def count(self) -> int:
        return len(self.matches) + int(self.plan_matches)


def find(db: Database, plan_id: int, query: str = "", unit_id: int | None = None,
         state: str | None = None, year: int | None = None) -> SearchResult:
    """:func:`search`, telling the matches from the ancestors shown only to reach them, and
    matching the query against the plan's own code and title too."""
    matches: set[int] = set()
    visible = search(db, plan_id, query, unit_id, state, year, matches=matches)
    key = fold(query)
    plan_matches = False
    if key and unit_id is None and state is None and year is None:
        with db.unit() as session:
            plan = session.get(StrategicPlan, plan_id)
            plan_matches = plan is not None and any(key in fold(t) for t in (plan.title, plan.code))
    return SearchResult(frozenset(matches), frozenset(visible), plan_matches)


def search(db: Database, plan_id: int, query: str = "", unit_id: int | None = None,
           state: str | None = None, year: int | None = None, *, matches: set[int] | None = None) -> set[int]:
    """Ids a filtered tree shows: the nodes that match, and every ancestor of a match.

    ``query`` is compared by fold key (Arabic/Persian letters, ZWNJ, spaces and digit scripts
    do not matter) with a node's title, its own and full code and its location.  ``unit_id``,
    ``state`` and ``year`` (a Jalali fiscal year the node's span overlaps; a project without
    dates takes its program's years) must all hold too.  No query and no filter: every node.
    """
    key = fold(query)
    with db.unit(write=False) as session:
        rows = session.execute(select(
            PlanNode.id, PlanNode.parent_id, PlanNode.code, PlanNode.title, PlanNode.location,
            PlanNode.responsible_unit_id, PlanNode.state, PlanNode.first_year, PlanNode.last_year,
            PlanNode.start_date, PlanNode.end_date).where(PlanNode.plan_id == plan_id)).all()
    by_id = {row.id: row for row in rows}
    if not key and unit_id is None and state is None and year is None:
        return set(by_id)
    codes = full_codes(rows)

    def years_of(row: Any) -> tuple[int, int] | None:
        if row.start_date or row.end_date:
            first = fiscal_year_of(row.start_date or row.end_date)
            last = fiscal_year_of(row.end_date or row.start_date)
            return first, last
        if row.first_year is not None:
            return row.first_year, row.last_year or row.first_year
        parent = by_id.get(row.parent_id)
        return years_of(parent) if parent is not None and parent.first_year is not None else None

    visible: set[int] = set()
    for row in rows:
        if unit_id is not None and row.responsible_unit_id != unit_id:
            continue
        if state is not None and row.state != state:
            continue
        if year is not None:
            span = years_of(row)
            if span is None or not span[0] <= year <= span[1]:
                continue
        if key and not any(key in fold(text) for text in (row.title, row.code, codes[row.id], row.location)):
            continue
        if matches is not None:
            matches.add(row.id)
        node_id: int | None = row.id
        while node_id is not None and node_id not in visible:
            visible.add(node_id)
            node_id = by_id[node_id].parent_id
    return visible
