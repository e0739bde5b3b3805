"""Importing a plan document (docs/dump-format.md) into a store: one session, all or nothing.

:func:`import_document` checks the whole document first (planner_core.document_check), then
:class:`Importer` writes it; the exchange service and ``adopt`` drive an ``Importer`` inside
their own unit of work.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import (
    Allocation,
    AnnualBudget,
    ApprovalRecord,
    ApprovalSignatory,
    BudgetAmendment,
    BudgetCode,
    BudgetLine,
    EvidenceFile,
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
from planner_core.document_check import check_document
from planner_core.errors import ValidationError
from planner_core.exchange.document import FORMAT, VERSION, Progress
from planner_core.levels import (
    ALLOWED_INDICATOR_KINDS,
    AMENDMENT_KIND_LABELS,
    AMENDMENT_KINDS,
    CHILD_KINDS,
    CHILDREN_KEY,
    DIRECTION_LABELS,
    DIRECTIONS,
    FREQUENCIES,
    FREQUENCY_LABELS,
    NODE_STATE_LABELS,
    NODE_STATES,
    ORG_UNIT_KIND_LABELS,
    ORG_UNIT_KINDS,
    PLAN_STATUS_LABELS,
    PLAN_STATUSES,
    period_number,
)
from planner_core.text import normalize_text, shown


class Importer:
    """Writes a plan document into one session; any error rolls the whole import back."""

    def __init__(self, session: Session, doc: dict[str, Any], as_home: bool, progress: Progress | None) -> None:
        self.session = session
        self.doc = doc
        self.as_home = as_home
        self.progress = progress
        self.units: dict[str, int] = {u.code: u.id for u in session.scalars(select(OrgUnit))}
        self.codes: dict[str, int] = {c.code: c.id for c in session.scalars(select(BudgetCode))}
        self.source_id: int | None = None
        self.municipality_id: int | None = None  # the document's municipality in this file
        self.counts: dict[str, int] = defaultdict(int)

    def where(self, path: str, exc: ValidationError) -> ValidationError:
        return ValidationError(exc.field, f"{path}: {exc.message}")

    def run(self) -> dict[str, int]:
        doc = self.doc
        if doc.get("format") != FORMAT:
            raise ValidationError("format", "این فایل سند برنامه‌نگار نیست (کلید format).")
        version = doc.get("version", 0)
        if isinstance(version, bool) or not isinstance(version, int | float) or version != int(version):
            raise ValidationError("version", f"نسخه سند «{shown(version)}» عدد صحیح نیست.")
        if version > VERSION:
            raise ValidationError("version", "این سند با نسخه جدیدتری از برنامه‌نگار ساخته شده است.")
        self._municipality(doc.get("municipality"))
        for unit in doc.get("org_units", []):
            self._org_unit(unit)
        self._org_unit_parents(doc.get("org_units", []))
        for item in _parents_first(doc.get("budget_codes", [])):
            self._budget_code(item)
        for budget in doc.get("annual_budgets", []):
            self._annual_budget(budget)
        plans = doc.get("plans", [])
        for index, plan in enumerate(plans):
            if self.progress:
                self.progress(index, len(plans), normalize_text(plan.get("title", "")))
            self._plan(plan)
        return dict(self.counts)

    def _municipality(self, item: dict[str, Any] | None) -> None:
        if not item:
            return
        existing = self.session.scalars(select(Municipality).where(Municipality.uuid == item["id"])).first()
        home = self.session.scalars(select(Municipality).where(Municipality.is_home)).first()
        if existing is None:
            existing = Municipality(uuid=item["id"], name=fields.text("name", item["name"], required=True),
                                    province=fields.text("province", item.get("province", "")),
                                    is_home=self.as_home and home is None)
            self.session.add(existing)
            self.session.flush()
            if existing.is_home:  # budgets made before the file had a municipality are its own
                for orphan in self.session.scalars(select(AnnualBudget).where(AnnualBudget.municipality_id.is_(None))):
                    orphan.municipality_id = existing.id
        if self.municipality_id is None:
            self.municipality_id = existing.id
        if not existing.is_home:
            self.source_id = existing.id

    def _org_unit(self, item: dict[str, Any]) -> None:
        code = fields.code("code", item["code"])
        if code in self.units:
            return
        unit = OrgUnit(uuid=item.get("id") or None, code=code, name=fields.text("name", item["name"], required=True),
                       kind=fields.choice("kind", item.get("kind", "department"), ORG_UNIT_KINDS,
                                          ORG_UNIT_KIND_LABELS))
        self.session.add(unit)
        self.session.flush()
        self.units[code] = unit.id
        self.counts["org_units"] += 1

    def _org_unit_parents(self, units: list[dict[str, Any]]) -> None:
        """Parents may come after children; a parent must exist and the chain must not loop."""
        parents: dict[int, int] = {}
        for unit in units:
            if not unit.get("parent"):
                continue
            parent = fields.code("code", unit["parent"])
            if parent not in self.units:
                raise ValidationError("responsible_unit", f"واحد «{shown(unit['code'])}»: واحد بالادستی "
                                                          f"«{shown(parent)}» در فهرست واحدها نیست.")
            row = self.session.get(OrgUnit, self.units[fields.code("code", unit["code"])])
            assert row is not None
            row.parent_id = self.units[parent]
        for row in self.session.scalars(select(OrgUnit)):
            parents[row.id] = row.parent_id  # type: ignore[assignment]
        for start in parents:
            seen, current = set(), start
            while current is not None:
                if current in seen:
                    raise ValidationError("responsible_unit", "زنجیره واحدهای بالادستی سند به خودش برمی‌گردد.")
                seen.add(current)
                current = parents.get(current)

    def _budget_code(self, item: dict[str, Any]) -> None:
        code = fields.code("budget_code", item["code"])
        if code in self.codes:
            return
        parent = fields.code("budget_code", item["parent"]) if item.get("parent") else None
        if parent is not None and parent not in self.codes:
            raise ValidationError("budget_code", f"کد بودجه «{code}»: کد والد «{parent}» در فهرست نیست.")
        parent_row = self.session.get(BudgetCode, self.codes[parent]) if parent else None
        # The level follows from the parent; the document's own "level" is only a hint.
        row = BudgetCode(uuid=item.get("id") or None, code=code,
                         title=fields.text("title", item["title"], required=True, max_length=300),
                         parent_id=parent_row.id if parent_row else None,
                         level=parent_row.level + 1 if parent_row else 1)
        self.session.add(row)
        self.session.flush()
        self.codes[code] = row.id
        self.counts["budget_codes"] += 1

    def _unit_id(self, code: object) -> int | None:
        if not code:
            return None
        clean = fields.code("responsible_unit", code)
        if clean not in self.units:
            raise ValidationError("responsible_unit", f"واحد مسئول «{shown(clean)}» در فهرست واحدهای سند نیست.")
        return self.units[clean]

    def _code_id(self, code: str) -> int:
        clean = fields.code("budget_code", code)
        if clean not in self.codes:
            raise ValidationError("budget_code", f"کد بودجه «{clean}» در فهرست کدهای بودجه نیست.")
        return self.codes[clean]

    def _budget_owner(self, item: dict[str, Any]) -> int | None:
        owner = item.get("municipality")
        if not owner:
            return self.municipality_id
        found = self.session.scalars(select(Municipality.id).where(Municipality.uuid == owner)).first()
        if found is None:
            raise ValidationError("municipality", f"بودجه سال {item.get('year')}: شهرداری {owner} در سند نیست.")
        return found

    def _annual_budget(self, item: dict[str, Any]) -> None:
        year = fields.year("year", item["year"])
        owner = self._budget_owner(item)
        budget = self.session.scalars(select(AnnualBudget).where(
            (AnnualBudget.uuid == item.get("id")) |
            ((AnnualBudget.year == year) & (AnnualBudget.municipality_id.is_(owner)
                                             if owner is None else AnnualBudget.municipality_id == owner)))).first()
        if budget is None:
            budget = AnnualBudget(uuid=item.get("id") or None, year=year, municipality_id=owner,
                                  title=fields.text("title", item.get("title", "")),
                                  approved_on=fields.a_date("date", item.get("approved_on")))
            self.session.add(budget)
            self.session.flush()
        lines: dict[str, BudgetLine] = {}
        for line in item.get("lines", []):
            code_id = self._code_id(line["budget_code"])
            row = self.session.scalars(select(BudgetLine).where(
                BudgetLine.annual_budget_id == budget.id, BudgetLine.budget_code_id == code_id)).first()
            if row is None:
                row = BudgetLine(annual_budget_id=budget.id, budget_code_id=code_id,
                                 ceiling=fields.rials("ceiling", line["ceiling"]))
                self.session.add(row)
            lines[fields.code("budget_code", line["budget_code"])] = row
        self.session.flush()
        for amendment in item.get("amendments", []):
            line = lines.get(fields.code("budget_code", amendment["budget_code"]))
            if line is None:
                raise ValidationError("budget_code", "اصلاحیه بودجه برای کدی است که در آن سال سقفی ندارد.")
            if amendment.get("id") and self.session.scalars(
                    select(BudgetAmendment).where(BudgetAmendment.uuid == amendment["id"])).first():
                continue
            self.session.add(BudgetAmendment(
                uuid=amendment.get("id") or None, budget_line_id=line.id,
                date=fields.a_date("date", amendment["date"], required=True),
                kind=fields.choice("kind", amendment.get("kind", "amendment"), AMENDMENT_KINDS, AMENDMENT_KIND_LABELS),
                delta=fields.rials("delta", amendment["delta"], allow_negative=True),
                reason=fields.text("reason", amendment.get("reason", ""), max_length=5000)))

    def _plan(self, item: dict[str, Any]) -> None:
        if self.session.scalars(select(StrategicPlan).where(StrategicPlan.uuid == item["id"])).first():
            raise ValidationError("id", f"برنامه «{item.get('title')}» پیش‌تر در این فایل وارد شده است.")
        code = fields.code("code", item["code"])
        revision = int(fields.number("revision", item.get("revision", 1), minimum=1) or 1)
        if self.session.scalars(select(StrategicPlan).where(StrategicPlan.code == code,
                                                            StrategicPlan.revision == revision)).first():
            raise ValidationError("code", f"برنامه‌ای با کد «{code}» در این فایل هست.")
        supersedes = self.session.scalars(select(StrategicPlan.id).where(
            StrategicPlan.uuid == item["supersedes"])).first() if item.get("supersedes") else None
        thresholds = item.get("thresholds") or {}
        source = item.get("source_municipality")
        if source:
            self._municipality(source)
        on_track = fields.number("on_track", thresholds.get("on_track", 90), minimum=0, maximum=100)
        at_risk = fields.number("at_risk", thresholds.get("at_risk", 70), minimum=0, maximum=100)
        if at_risk > on_track:  # type: ignore[operator]
            raise ValidationError("at_risk", "آستانه «در معرض خطر» نباید از آستانه «در مسیر» بیشتر باشد.")
        plan = StrategicPlan(
            uuid=item["id"], code=code, title=fields.text("title", item["title"], required=True, max_length=300),
            first_year=fields.year("first_year", item["first_year"]),
            last_year=fields.year("last_year", item["last_year"]),
            vision=fields.text("vision", item.get("vision", ""), max_length=20_000),
            mission=fields.text("mission", item.get("mission", ""), max_length=20_000),
            preface=fields.text("preface", item.get("preface", ""), max_length=20_000),
            mayor_message=fields.text("mayor_message", item.get("mayor_message", ""), max_length=20_000),
            methodology=fields.text("methodology", item.get("methodology", ""), max_length=20_000),
            plan_values=fields.text("plan_values", item.get("values", ""), max_length=20_000),
            status=fields.choice("status", item.get("status", "draft"), PLAN_STATUSES, PLAN_STATUS_LABELS),
            on_track_threshold=on_track, at_risk_threshold=at_risk,
            source_municipality_id=self.source_id, revision=revision, supersedes_id=supersedes,
            lineage_uuid=item.get("lineage") or None)
        # An approved plan's content is frozen (triggers, migration 0003): write it as a draft, then
        # give it its status once its nodes are in.
        status = plan.status
        plan.status = "draft"
        self.session.add(plan)
        self.session.flush()
        self.counts["plans"] += 1
        for lesson in item.get("lessons", []):
            self._lesson(plan.id, None, lesson)
        for index, axis in enumerate(item.get("axes", [])):
            self._node(plan, None, None, axis, index, axis.get("code", str(index + 1)))
        self.session.flush()
        plan.status = status
        self.session.flush()
        if item.get("approval"):
            self._approval(plan, item["approval"])
        audit.record(self.session, "import", "plan", plan.uuid, plan.title)

    def _approval(self, plan: StrategicPlan, item: dict[str, Any]) -> None:
        """The council's approval travels with an approved revision (its fingerprint included)."""
        record = ApprovalRecord(
            plan_id=plan.id, resolution_no=fields.text("resolution_no", item.get("resolution_no", ""), max_length=100),
            resolution_date=fields.a_date("resolution_date", item.get("resolution_date")),
            approved_at=datetime.fromisoformat(item["approved_at"]) if item.get("approved_at") else datetime.now(),
            approved_by=fields.text("approved_by", item.get("approved_by", ""), max_length=100),
            fingerprint=str(item.get("fingerprint", ""))[:64])
        self.session.add(record)
        self.session.flush()
        for order, person in enumerate(item.get("signatories", [])):
            self.session.add(ApprovalSignatory(
                approval_id=record.id, name=fields.text("name", person.get("name", ""), required=True,
                                                        max_length=200),
                role=fields.text("role", person.get("role", ""), max_length=200), sort_order=order))

    def _node(self, plan: StrategicPlan, parent_id: int | None, parent_kind: str | None, item: dict[str, Any],
              index: int, path: str) -> None:
        kind = item.get("kind") or CHILD_KINDS[parent_kind][0]
        if kind not in CHILD_KINDS[parent_kind]:
            raise ValidationError("kind", f"گره {path}: «{kind}» در این سطح مجاز نیست.")
        try:
            node = PlanNode(
                uuid=item["id"], plan_id=plan.id, parent_id=parent_id, kind=kind,
                code=fields.code("code", item.get("code") or str(index + 1)),
                title=fields.text("title", item["title"], required=True),
                description=fields.text("description", item.get("description", ""), max_length=20_000),
                responsible_unit_id=self._unit_id(item.get("responsible_unit")),
                sort_order=index,
                first_year=fields.year("first_year", item.get("first_year"), required=kind == "program"),
                last_year=fields.year("last_year", item.get("last_year"), required=kind == "program"),
                start_date=fields.a_date("start_date", item.get("start_date")),
                end_date=fields.a_date("end_date", item.get("end_date")),
                location=fields.text("location", item.get("location", ""), max_length=300),
                weight=fields.number("weight", item.get("weight", 1), minimum=0),
                state=fields.choice("state", item.get("state", "planned"), NODE_STATES, NODE_STATE_LABELS),
                lineage_uuid=item.get("lineage") or None)
        except ValidationError as exc:
            raise self.where(f"گره {path}", exc) from exc
        self.session.add(node)
        self.session.flush()
        self.counts[kind] += 1
        if self.progress and sum(self.counts.values()) % 100 == 0:  # lets a big import be cancelled
            self.progress(0, 0, node.title)
        for position, indicator in enumerate(item.get("indicators", [])):
            self._indicator(node, indicator, position, path)
        for lesson in item.get("lessons", []):
            self._lesson(plan.id, node.id, lesson)
        for allocation in item.get("allocations", []):
            self._allocation(node.id, allocation)
        for report in item.get("progress_reports", []):
            self._report(node.id, report)
        if kind in CHILDREN_KEY:
            for position, child in enumerate(item.get(CHILDREN_KEY[kind], [])):
                child_path = f"{path}-{child.get('code', position + 1)}"
                self._node(plan, node.id, kind, child, position, child_path)

    def _allocation(self, project_id: int, allocation: dict[str, Any]) -> None:
        self.session.add(Allocation(
            uuid=allocation.get("id") or None, project_id=project_id, year=fields.year("year", allocation["year"]),
            budget_code_id=self._code_id(allocation["budget_code"]),
            amount=fields.rials("amount", allocation["amount"]),
            spent=fields.rials("spent", allocation.get("spent", 0))))
        self.counts["allocations"] += 1

    def _report(self, project_id: int, report: dict[str, Any]) -> None:
        row = ProgressReport(
            uuid=report.get("id") or None, project_id=project_id, year=fields.year("year", report["year"]),
            quarter=int(fields.number("quarter", report["quarter"], minimum=1, maximum=4) or 0),
            physical_progress=fields.number("physical_progress", report["physical_progress"], minimum=0,
                                            maximum=100),
            spent=fields.rials("spent", report.get("spent", 0)),
            narrative=fields.text("narrative", report.get("narrative", ""), max_length=20_000),
            corrective_action=fields.text("corrective_action", report.get("corrective_action", ""),
                                          max_length=20_000),
            reported_on=fields.a_date("date", report.get("reported_on")))
        self.session.add(row)
        if report.get("evidence"):
            self.session.flush()
            self._evidence(report["evidence"], progress_report_id=row.id)
        self.counts["progress_reports"] += 1

    def _indicator(self, node: PlanNode, item: dict[str, Any], position: int, path: str) -> None:
        kind = item.get("kind")
        if kind not in ALLOWED_INDICATOR_KINDS[node.kind]:
            raise ValidationError("kind", f"شاخص «{item.get('title')}» در گره {path}: نوع «{kind}» "
                                  "در این سطح مجاز نیست.")
        baseline = item.get("baseline") or {}
        row = Indicator(
            uuid=item.get("id") or None, node_id=node.id, code=fields.code("code", item.get("code") or position + 1),
            title=fields.text("title", item["title"], required=True), kind=kind,
            unit=fields.text("unit", item.get("unit", ""), max_length=100),
            direction=fields.choice("direction", item.get("direction", "increase"), DIRECTIONS, DIRECTION_LABELS),
            baseline_year=fields.year("baseline_year", baseline.get("year"), required=False),
            baseline_value=fields.number("baseline_value", baseline.get("value"), required=False),
            definition=fields.text("definition", item.get("definition", ""), max_length=20_000),
            data_source=fields.text("data_source", item.get("data_source", ""), max_length=300),
            frequency=fields.choice("frequency", item.get("frequency", "annual"), FREQUENCIES, FREQUENCY_LABELS),
            weight=fields.number("weight", item.get("weight", 1), minimum=0), sort_order=position,
            lineage_uuid=item.get("lineage") or None)
        self.session.add(row)
        self.session.flush()
        self.counts["indicators"] += 1
        for target in item.get("targets", []):
            self.session.add(IndicatorTarget(indicator_id=row.id, year=fields.year("year", target["year"]),
                                             value=fields.number("value", target["value"])))
        for actual in item.get("actuals", []):
            actual_row = IndicatorActual(
                indicator_id=row.id, year=fields.year("year", actual["year"]),
                period=period_number(actual.get("period", "annual")), value=fields.number("value", actual["value"]),
                note=fields.text("note", actual.get("note", ""), max_length=5000))
            self.session.add(actual_row)
            if actual.get("evidence"):
                self.session.flush()
                self._evidence(actual["evidence"], indicator_actual_id=actual_row.id)

    def _evidence(self, items: list[dict[str, Any]], **owner: int) -> None:
        """Evidence files travel inside the document; a file whose hash does not match is refused."""
        for item in items:
            content = base64.b64decode(item.get("content", ""), validate=True)
            digest = hashlib.sha256(content).hexdigest()
            if item.get("sha256") and item["sha256"] != digest:
                raise ValidationError("evidence", f"فایل مستند «{item.get('file_name')}» آسیب دیده است "
                                      "(چکیده آن با محتوا نمی‌خواند).")
            self.session.add(EvidenceFile(
                uuid=item.get("id") or None, file_name=fields.text("file_name", item["file_name"], required=True,
                                                                  max_length=300),
                media_type=str(item.get("media_type") or "application/octet-stream")[:100],
                size_bytes=len(content), sha256=digest, content=content,
                added_at=datetime.fromisoformat(item["added_at"]) if item.get("added_at") else datetime.now(),
                added_by=fields.text("added_by", item.get("added_by", ""), max_length=100),
                note=fields.text("note", item.get("note", ""), max_length=5000), **owner))
            self.counts["evidence"] += 1

    def _lesson(self, plan_id: int, node_id: int | None, item: dict[str, Any]) -> None:
        source = item.get("source_municipality")
        source_id = self.source_id
        if source:
            self._municipality(source)
            found = self.session.scalars(select(Municipality).where(Municipality.uuid == source["id"])).first()
            source_id = found.id if found and not found.is_home else source_id
        self.session.add(LessonLearned(
            uuid=item.get("id") or None, plan_id=plan_id, node_id=node_id,
            title=fields.text("title", item["title"], required=True),
            body=fields.text("description", item.get("body", ""), max_length=20_000),
            recorded_on=fields.a_date("date", item.get("recorded_on")), source_municipality_id=source_id))


def import_document(db: Database, doc: dict[str, Any], *, as_home: bool = False,
                    progress: Progress | None = None) -> dict[str, int]:
    """Write a plan document into the store in one transaction; returns counts by kind.

    ``as_home``: the document's municipality becomes the file's own (used for the sample plan
    and for a municipality's own backup); otherwise it is recorded as the plans' source.
    """
    check_document(doc)
    try:
        with db.unit() as session:
            return Importer(session, doc, as_home, progress).run()
    except (KeyError, TypeError) as exc:
        raise ValidationError("document", f"ساختار سند برنامه ناقص است (کلید {shown(exc)}).") from exc
    except binascii.Error as exc:
        raise ValidationError("evidence", "محتوای یک فایل مستند در سند خراب است.") from exc
    except IntegrityError as exc:
        # A UUID the store already holds for another row, or a row the document repeats.
        table = str(exc.orig).rsplit(":", 1)[-1].strip().split(".")[0]
        raise ValidationError("document", f"سند برنامه با داده‌های همین فایل ناسازگار است: ردیفی از «{table}» "
                                          "با همان شناسه یا همان کلید پیش‌تر هست؛ چیزی وارد نشد.") from exc


def _parents_first(codes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Budget codes ordered so each parent in the document precedes its children (a loop or a
    missing parent is left for the importer to name)."""
    by_code = {fields.code("budget_code", c.get("code")): c for c in codes}

    def parent_of(item: dict[str, Any]) -> str | None:
        return fields.code("budget_code", item["parent"]) if item.get("parent") else None

    ordered: list[dict[str, Any]] = []
    placed: set[str] = set()
    for code in by_code:
        chain: list[str] = []
        current: str | None = code
        while current is not None and current in by_code and current not in placed and current not in chain:
            chain.append(current)
            current = parent_of(by_code[current])
        for item in reversed(chain):
            placed.add(item)
            ordered.append(by_code[item])
    return ordered
