"""Exchange services: export a package, preview an import, import it (add, as new, merge).

Every import reads and checks the whole package first (package.read_package and
validate.validate_document), then computes the preview (diff.compare), and only then, after a
backup, writes everything in one transaction.  A merge with unresolved conflicts writes nothing.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import (
    Allocation,
    AnnualBudget,
    BudgetCode,
    BudgetLine,
    ExchangeBase,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    LessonLearned,
    Municipality,
    OrgUnit,
    PlanNode,
    ProgressReport,
    StrategicPlan,
)
from planner_core import audit, fields
from planner_core.errors import RuleError, ValidationError
from planner_core.exchange.diff import Diff, Entity, FieldChange, base_fields, compare, flatten
from planner_core.exchange.document import Progress, export_document
from planner_core.exchange.importer import Importer
from planner_core.exchange.package import Package, read_package, validate_against_schema, write_package
from planner_core.exchange.validate import validate_document, walk_nodes
from planner_core.levels import (
    CHILDREN_KEY,
    DIRECTION_LABELS,
    DIRECTIONS,
    FREQUENCIES,
    FREQUENCY_LABELS,
    FROZEN_STATUSES,
    NODE_STATE_LABELS,
    NODE_STATES,
    ORG_UNIT_KIND_LABELS,
    ORG_UNIT_KINDS,
    PLAN_STATUS_LABELS,
    period_number,
)
from planner_core.text import fold, normalize_code, to_persian_digits

Mode = Literal["add", "as_new", "merge"]
Choice = Literal["theirs", "ours"]


class ConflictsFound(RuleError):
    """A merge found fields both sides changed; nothing was written."""

    english = "merge conflicts: choose --theirs or --ours"

    def __init__(self, conflicts: list[FieldChange]) -> None:
        super().__init__(f"{to_persian_digits(len(conflicts))} ناسازگاری در ادغام هست؛ چیزی نوشته نشد.")
        self.conflicts = conflicts


# --- export ------------------------------------------------------------------------------

def _find_subtree(plan: dict[str, Any], full_code: str) -> dict[str, Any]:
    wanted = normalize_code(full_code)
    for node in walk_nodes(plan):
        if normalize_code(node.get("full_code", "")) == wanted:
            return node
    raise ValidationError("subtree", f"گرهی با کد کامل «{to_persian_digits(wanted)}» در برنامه «{plan['title']}» نیست.")


def _keep_path_to(plan: dict[str, Any], target: dict[str, Any]) -> None:
    """Prune the plan to the chain of ancestors of ``target`` and its whole subtree."""
    def prune(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        kept = []
        for node in nodes:
            if node is target:
                kept.append(node)
                continue
            key = CHILDREN_KEY.get(node["kind"])
            if key:
                children = prune(node.get(key, []))
                if children:
                    node[key] = children
                    kept.append(node)
        return kept
    plan["axes"] = prune(plan["axes"])


def make_template(doc: dict[str, Any]) -> dict[str, Any]:
    """Structure, indicator definitions and lessons; no budgets, amounts, actuals, targets or reports."""
    out = copy.deepcopy(doc)
    out["annual_budgets"] = []
    out["budget_codes"] = []
    for plan in out["plans"]:
        plan["status"] = "draft"
        for node in walk_nodes(plan):
            for indicator in node.get("indicators", []):
                indicator["targets"], indicator["actuals"], indicator["baseline"] = [], [], None
            if "allocations" in node:
                node["allocations"], node["progress_reports"] = [], []
                node["state"] = "planned"
    return out


def package_document(db: Database, plan_code: str | None = None, subtree: str | None = None,
                     template: bool = False) -> dict[str, Any]:
    """The document a package carries: one plan (or all), optionally one subtree, optionally as a template."""
    from planner_core.plans import find_plan

    codes = [find_plan(db, plan_code).code] if plan_code or subtree else None
    doc = export_document(db, codes)
    if not doc["plans"]:
        raise ValidationError("plan", "این فایل برنامه‌ای برای صدور ندارد.")
    if subtree:
        plan = doc["plans"][0]
        _keep_path_to(plan, _find_subtree(plan, subtree))
    # Budgets travel with the plans of their own municipality only.
    owners = {(p.get("source_municipality") or doc.get("municipality") or {}).get("id") for p in doc["plans"]}
    home = (doc.get("municipality") or {}).get("id")
    doc["annual_budgets"] = [b for b in doc["annual_budgets"] if (b.get("municipality") or home) in owners]
    return make_template(doc) if template else doc


@dataclass(frozen=True)
class ExportResult:
    path: Path
    plans: int
    nodes: int
    template: bool


def export_package(db: Database, target: Path, plan_code: str | None = None, subtree: str | None = None,
                   template: bool = False, *, progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Write the package; ``cancelled`` returning true stops it with ExportCancelled and no file at ``target``."""
    doc = package_document(db, plan_code, subtree, template)
    write_package(doc, target, template=template, cancelled=cancelled, progress=progress)
    if not template:  # what we sent is the base when the plan comes back merged
        with db.unit() as session:
            _remember(session, None, doc)
    return ExportResult(target, len(doc["plans"]), sum(1 for p in doc["plans"] for _ in walk_nodes(p)), template)


# --- bases -------------------------------------------------------------------------------

def _load_bases(session: Session, municipality_id: int | None) -> dict[str, dict[str, str]]:
    query = select(ExchangeBase.entity_uuid, ExchangeBase.fields)
    query = query.where(ExchangeBase.municipality_id.is_(None) if municipality_id is None
                        else ExchangeBase.municipality_id == municipality_id)
    return {uuid: json.loads(text) for uuid, text in session.execute(query)}


def _remember(session: Session, municipality_id: int | None, doc: dict[str, Any]) -> None:
    existing = {row.entity_uuid: row for row in session.scalars(select(ExchangeBase).where(
        ExchangeBase.municipality_id.is_(None) if municipality_id is None
        else ExchangeBase.municipality_id == municipality_id))}
    for uuid, hashes in base_fields(doc).items():
        row = existing.get(uuid)
        if row is None:
            session.add(ExchangeBase(municipality_id=municipality_id, entity_uuid=uuid, fields=json.dumps(hashes)))
        else:
            row.fields = json.dumps({**json.loads(row.fields), **hashes})


# --- preview -----------------------------------------------------------------------------

@dataclass
class ImportPreview:
    """What an import would do, before anything is written: the GUI shows it, the CLI prints it."""

    package: Package
    mode: Mode
    diff: Diff
    source_name: str
    plan_titles: list[str]
    becomes_home: bool

    @property
    def conflicts(self) -> list[FieldChange]:
        return self.diff.conflicts


def load_package(path: Path) -> Package:
    """Read, check and validate a package file; nothing is written."""
    package = read_package(path)
    validate_document(package.document)
    return package


def workbooks_module() -> Any:
    """planner_core.workbooks (the Excel half of the exchange), imported only when a .xlsx is asked for
    (so a .bnp exchange never loads openpyxl)."""
    import planner_core.workbooks as workbooks

    return workbooks


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() == ".xlsx"


def load_source(path: Path) -> Package:
    """A package, or a plan workbook read into the same document: checked whole, nothing written."""
    if not is_workbook(path):
        return load_package(path)
    document = workbooks_module().read_plan_workbook(path)  # raises PlannerError listing every error
    validate_against_schema(document, "document", path.name)
    validate_document(document)
    return Package({"kind": "plan", "source_municipality": document.get("municipality")}, document)


def _as_new(doc: dict[str, Any], session: Session) -> dict[str, Any]:
    """The plans with fresh UUIDs and codes that do not collide; base data keeps its identity."""
    from db.models import new_uuid

    out = copy.deepcopy(doc)
    taken = {fold(code) for code in session.scalars(select(StrategicPlan.code))}
    for plan in out["plans"]:
        plan["id"] = new_uuid()
        code = plan["code"]
        candidate, n = code, 1
        while fold(candidate) in taken:
            n += 1
            candidate = f"{code}-{n}"
        plan["code"] = candidate
        taken.add(fold(candidate))
        for lesson in plan.get("lessons", []):
            lesson["id"] = new_uuid()
        for node in walk_nodes(plan):
            node["id"] = new_uuid()
            for key in ("indicators", "lessons", "allocations", "progress_reports"):
                for item in node.get(key, []):
                    item["id"] = new_uuid()
    return out


def _home(session: Session) -> Municipality | None:
    return session.scalars(select(Municipality).where(Municipality.is_home)).first()


def _source_id(session: Session, package: Package) -> int | None:
    source = package.document.get("municipality")
    if not source:
        return None
    return session.scalars(select(Municipality.id).where(Municipality.uuid == source["id"])).first()


def preview_import(db: Database, package: Package, mode: Mode = "add") -> ImportPreview:
    """Compare the package with the file; raise when the mode cannot apply (e.g. a plan already here)."""
    with db.unit(write=False) as session:
        home = _home(session)
        doc = package.document
        if package.is_template and mode == "merge":
            raise ValidationError("mode", "الگو (template) را نمی‌توان ادغام کرد؛ آن را برنامه تازه وارد کنید.")
        if package.is_template:
            mode = "as_new"
        if mode == "as_new":
            doc = _as_new(doc, session)
        elif mode == "add":
            for plan in doc["plans"]:
                if session.scalars(select(StrategicPlan.id).where(StrategicPlan.uuid == plan["id"])).first():
                    raise ValidationError("mode", f"برنامه «{plan['title']}» پیش‌تر در این فایل هست؛ برای به‌روزرسانی "
                                          "--merge و برای نسخه‌ای جدا --as-new بدهید.")
                if session.scalars(select(StrategicPlan.id).where(StrategicPlan.code == normalize_code(plan["code"]))
                                   ).first():
                    raise ValidationError("mode", f"برنامه دیگری با کد «{plan['code']}» در این فایل هست؛ "
                                          "با --as-new کدی تازه می‌گیرد.")
        source_id = _source_id(session, package)
        bases = _load_bases(session, source_id) if source_id is not None else {}
        sent = _load_bases(session, None)
    local = export_document(db)
    diff = compare(doc, local, bases, sent)
    source = package.document.get("municipality") or {}
    return ImportPreview(Package(package.manifest, doc), mode, diff, source.get("name", ""),
                         [p["title"] for p in doc["plans"]], home is None and not package.is_template)


# --- apply -------------------------------------------------------------------------------

def _converters(session: Session) -> dict[str, Any]:
    units = {u.code: u.id for u in session.scalars(select(OrgUnit))}
    codes = {c.code: c.id for c in session.scalars(select(BudgetCode))}

    def unit_id(value: Any) -> int | None:
        return units.get(normalize_code(value)) if value else None

    def code_id(value: Any) -> int:
        clean = normalize_code(value)
        if clean not in codes:
            raise ValidationError("budget_code", f"کد بودجه «{clean}» در فهرست کدهای بودجه نیست.")
        return codes[clean]

    return {
        "title": lambda v: ("title", fields.text("title", v, required=True)),
        "name": lambda v: ("name", fields.text("name", v, required=True, max_length=200)),
        "description": lambda v: ("description", fields.text("description", v, max_length=20_000)),
        "vision": lambda v: ("vision", fields.text("vision", v, max_length=20_000)),
        "mission": lambda v: ("mission", fields.text("mission", v, max_length=20_000)),
        "definition": lambda v: ("definition", fields.text("definition", v, max_length=20_000)),
        "body": lambda v: ("body", fields.text("description", v, max_length=20_000)),
        "narrative": lambda v: ("narrative", fields.text("narrative", v, max_length=20_000)),
        "corrective_action": lambda v: ("corrective_action", fields.text("corrective_action", v, max_length=20_000)),
        "location": lambda v: ("location", fields.text("location", v, max_length=300)),
        "data_source": lambda v: ("data_source", fields.text("data_source", v, max_length=300)),
        "unit": lambda v: ("unit", fields.text("unit", v, max_length=100)),
        "code": lambda v: ("code", fields.code("code", v)),
        "first_year": lambda v: ("first_year", fields.year("first_year", v)),
        "last_year": lambda v: ("last_year", fields.year("last_year", v)),
        "year": lambda v: ("year", fields.year("year", v)),
        "start_date": lambda v: ("start_date", fields.a_date("start_date", v)),
        "end_date": lambda v: ("end_date", fields.a_date("end_date", v)),
        "approved_on": lambda v: ("approved_on", fields.a_date("date", v)),
        "recorded_on": lambda v: ("recorded_on", fields.a_date("date", v)),
        "reported_on": lambda v: ("reported_on", fields.a_date("date", v)),
        "weight": lambda v: ("weight", fields.number("weight", v, minimum=0)),
        "state": lambda v: ("state", fields.choice("state", v, NODE_STATES, NODE_STATE_LABELS)),
        "direction": lambda v: ("direction", fields.choice("direction", v, DIRECTIONS, DIRECTION_LABELS)),
        "frequency": lambda v: ("frequency", fields.choice("frequency", v, FREQUENCIES, FREQUENCY_LABELS)),
        "responsible_unit": lambda v: ("responsible_unit_id", unit_id(v)),
        "budget_code": lambda v: ("budget_code_id", code_id(v)),
        "amount": lambda v: ("amount", fields.rials("amount", v)),
        "spent": lambda v: ("spent", fields.rials("spent", v)),
        "quarter": lambda v: ("quarter", int(fields.number("quarter", v, minimum=1, maximum=4) or 0)),
        "physical_progress": lambda v: ("physical_progress",
                                        fields.number("physical_progress", v, minimum=0, maximum=100)),
        "on_track": lambda v: ("on_track_threshold", fields.number("on_track", v, minimum=0, maximum=100)),
        "at_risk": lambda v: ("at_risk_threshold", fields.number("at_risk", v, minimum=0, maximum=100)),
        "level": lambda v: ("level", int(v or 1)),
    }


MODELS = {"org_unit": OrgUnit, "budget_code": BudgetCode, "annual_budget": AnnualBudget, "plan": StrategicPlan,
          "node": PlanNode, "indicator": Indicator, "allocation": Allocation, "report": ProgressReport,
          "lesson": LessonLearned}


def _row(session: Session, kind: str, uuid: str) -> Any:
    model = MODELS[kind]
    row = session.scalars(select(model).where(model.uuid == uuid)).first()
    if row is None:
        raise ValidationError("id", f"{kind} {uuid} در فایل پیدا نشد.")
    return row


def _set_field(session: Session, convert: dict[str, Any], change: FieldChange) -> None:
    kind, name, value = change.entity.kind, change.field, change.theirs
    row = _row(session, kind, change.local_uuid)
    if kind == "indicator" and name.startswith("target:"):
        year = int(name.split(":")[1])
        target = session.scalars(select(IndicatorTarget).where(
            IndicatorTarget.indicator_id == row.id, IndicatorTarget.year == year)).first()
        if target is None:
            session.add(IndicatorTarget(indicator_id=row.id, year=year, value=fields.number("value", value)))
        else:
            target.value = fields.number("value", value)
    elif kind == "indicator" and name.startswith("actual:"):
        _, year_text, period = name.split(":")
        year, number = int(year_text), period_number(period)
        actual = session.scalars(select(IndicatorActual).where(
            IndicatorActual.indicator_id == row.id, IndicatorActual.year == year,
            IndicatorActual.period == number)).first()
        if actual is None:
            actual = IndicatorActual(indicator_id=row.id, year=year, period=number)
            session.add(actual)
        actual.value = fields.number("value", value["value"])
        actual.note = fields.text("note", value.get("note", ""), max_length=5000)
    elif kind == "indicator" and name == "baseline":
        row.baseline_year = fields.year("baseline_year", (value or {}).get("year"), required=False)
        row.baseline_value = fields.number("baseline_value", (value or {}).get("value"), required=False)
    elif kind == "annual_budget" and name.startswith("ceiling:"):
        code = session.scalars(select(BudgetCode).where(BudgetCode.code == name.split(":", 1)[1])).one()
        line = session.scalars(select(BudgetLine).where(BudgetLine.annual_budget_id == row.id,
                                                        BudgetLine.budget_code_id == code.id)).first()
        if line is None:
            session.add(BudgetLine(annual_budget_id=row.id, budget_code_id=code.id,
                                   ceiling=fields.rials("ceiling", value)))
        else:
            line.ceiling = fields.rials("ceiling", value)
    elif name == "parent" and kind in ("org_unit", "budget_code"):
        model = MODELS[kind]
        parent = session.scalars(select(model).where(model.code == value)).first() if value else None
        row.parent_id = parent.id if parent else None
    elif name == "kind" and kind == "org_unit":
        row.kind = fields.choice("kind", value, ORG_UNIT_KINDS, ORG_UNIT_KIND_LABELS)
    else:
        attr, clean = convert[name](value)
        setattr(row, attr, clean)


def _add(importer: Any, session: Session, entity: Entity, matched: Mapping[str, str], doc: dict[str, Any]) -> None:
    parent_uuid = matched.get(entity.parent or "", entity.parent)
    item = entity.item
    if entity.kind == "org_unit":
        importer._org_unit(item)
    elif entity.kind == "budget_code":
        importer._budget_code(item)
    elif entity.kind == "annual_budget":
        importer._annual_budget(item)
    elif entity.kind == "amendment":
        budget = next(b for b in doc["annual_budgets"] if b["id"].lower() == entity.parent)
        local = _row(session, "annual_budget", parent_uuid or "")
        importer._annual_budget({**budget, "id": local.uuid, "lines": [], "amendments": [item],
                                 "municipality": None if local.municipality_id is None else
                                 session.get(Municipality, local.municipality_id).uuid})  # type: ignore[union-attr]
    elif entity.kind == "plan":
        importer._plan(item)
    elif entity.kind == "node":
        parent_node = session.scalars(select(PlanNode).where(PlanNode.uuid == parent_uuid)).first()
        if parent_node is None:
            plan = _row(session, "plan", parent_uuid or "")
            parent_id, parent_kind, prefix = None, None, ""
        else:
            plan = session.get(StrategicPlan, parent_node.plan_id)
            parent_id, parent_kind, prefix = parent_node.id, parent_node.kind, ""
        siblings = session.scalars(select(PlanNode.sort_order).where(
            PlanNode.plan_id == plan.id, PlanNode.parent_id.is_(parent_id) if parent_id is None
            else PlanNode.parent_id == parent_id)).all()
        importer._node(plan, parent_id, parent_kind, item, max(siblings, default=-1) + 1,
                       prefix + (item.get("full_code") or item.get("code", "")))
    elif entity.kind == "indicator":
        node = _row(session, "node", parent_uuid or "")
        position = len(session.scalars(select(Indicator.id).where(Indicator.node_id == node.id)).all())
        importer._indicator(node, item, position, node.code)
    elif entity.kind == "lesson":
        node = session.scalars(select(PlanNode).where(PlanNode.uuid == parent_uuid)).first()
        plan_id = node.plan_id if node else _row(session, "plan", parent_uuid or "").id
        importer._lesson(plan_id, node.id if node else None, item)
    elif entity.kind == "allocation":
        importer._allocation(_row(session, "node", parent_uuid or "").id, item)
    elif entity.kind == "report":
        importer._report(_row(session, "node", parent_uuid or "").id, item)


ORDER = ("org_unit", "budget_code", "annual_budget", "amendment", "plan", "node", "indicator", "lesson",
         "allocation", "report")


def import_package(db: Database, preview: ImportPreview, *, prefer: Choice | None = None,
                   choices: Mapping[tuple[str, str], Choice] | None = None,
                   progress: Progress | None = None) -> dict[str, int]:
    """Write what ``preview`` showed, in one transaction, after a backup.  Conflicts need a choice
    each (``choices`` by (uuid, field)) or ``prefer`` for all, else ConflictsFound and nothing is written."""
    from planner_core.backups import backup_before

    choices = dict(choices or {})
    unresolved = [c for c in preview.conflicts if choices.get(c.key, prefer) not in ("theirs", "ours")]
    if unresolved:
        raise ConflictsFound(unresolved)
    backup_before(db, "merge" if preview.mode == "merge" else "import")
    doc = preview.package.document
    diff = preview.diff
    take = list(diff.changed) + [c for c in diff.conflicts if choices.get(c.key, prefer) == "theirs"]
    with db.unit() as session:
        importer = Importer(session, doc, preview.becomes_home, progress)
        importer._municipality(doc.get("municipality"))
        source_id = _source_id(session, preview.package)
        incoming = {e.uuid for e in diff.added} | {c.entity.uuid for c in take}
        for plan in doc["plans"]:
            if plan["id"].lower() in diff.matched:
                local = _row(session, "plan", diff.matched[plan["id"].lower()])
                # A frozen revision (submitted, approved, archived) that the package leaves as it is may
                # travel along (a package carries every revision of a plan); one it would change refuses.
                touched = incoming & set(flatten({"plans": [plan]}))
                if touched and local.status in FROZEN_STATUSES and local.source_municipality_id is None:
                    raise RuleError(f"برنامه «{local.title}» {PLAN_STATUS_LABELS[local.status]} و فقط‌خواندنی است؛ "
                                    "تغییرهای بسته را در ویرایش پیش‌نویس آن (اصلاحیه) ادغام کنید.")
        for unit in doc.get("org_units", []):  # parents after all units exist
            if unit["id"].lower() not in diff.matched:
                importer._org_unit(unit)
        total = len(diff.added) + len(take)
        done = 0
        for kind in ORDER:
            for entity in diff.added:
                if entity.kind == kind and kind != "org_unit":
                    _add(importer, session, entity, diff.matched, doc)
                    done += 1
                    if progress:
                        progress(done, total, entity.label)
        for unit in doc.get("org_units", []):
            if unit.get("parent") and unit["id"].lower() not in diff.matched:
                row = session.scalars(select(OrgUnit).where(OrgUnit.code == normalize_code(unit["code"]))).one()
                parent = session.scalars(select(OrgUnit).where(OrgUnit.code == normalize_code(unit["parent"]))).first()
                row.parent_id = parent.id if parent else None
        session.flush()
        convert = _converters(session)
        for change in sorted(take, key=lambda c: ORDER.index(c.entity.kind)):
            _set_field(session, convert, change)
            done += 1
        session.flush()
        _remember(session, source_id if source_id is not None else (importer.municipality_id or None),
                  preview.package.document)
        audit.record(session, "merge" if preview.mode == "merge" else "import", "package",
                     (doc.get("municipality") or {}).get("id", ""), preview.source_name,
                     after={"added": len(diff.added), "changed": len(take)})
        counts = dict(importer.counts)
        counts["changed"] = len(take)
        counts["kept"] = len(diff.kept) + sum(1 for c in diff.conflicts if choices.get(c.key, prefer) == "ours")
        return counts


def import_file(db: Database, path: Path, mode: Mode = "add", prefer: Choice | None = None) -> dict[str, int]:
    """Headless: read, check, preview and import a package (or plan workbook) in one call."""
    return import_package(db, preview_import(db, load_source(path), mode), prefer=prefer)
