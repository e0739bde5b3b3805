"""Reading a plan workbook back into the plan document (docs/dump-format.md).

Every sheet is read and checked before anything else happens: cell values, duplicates (codes and
UUIDs), references between sheets (parents, units, budget codes, indicators) and the indicator
kinds each level allows.  All problems are reported together, each naming its sheet, row and
column; the caller writes nothing unless this returns a document.
"""

from __future__ import annotations

import uuid as uuid_module
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from planner_core.errors import ValidationError
from planner_core.exchange import FORMAT as DOC_FORMAT
from planner_core.exchange import VERSION as DOC_VERSION
from planner_core.levels import ALLOWED_INDICATOR_KINDS, CHILDREN_KEY, LABELS, PERIOD_LABELS
from planner_core.text import to_persian_digits
from planner_core.workbooks.guard import WorkbookErrors, WorkbookReader, read_table
from planner_core.workbooks.info import read_info
from planner_core.workbooks.layout import (
    ACTUALS,
    ALLOCATIONS,
    AMENDMENTS,
    BUDGET_CODES,
    BUDGETS,
    INDICATORS,
    KIND_PLAN,
    LESSONS,
    LEVEL_SHEETS,
    LINES,
    PLAN_SHEETS,
    PLANS,
    REPORTS,
    TARGETS,
    UNITS,
)
from planner_core.workbooks.sheets import SheetSpec

Row = dict[str, Any]


def read_plan_workbook(path: Path | str) -> dict[str, Any]:
    """The plan document a plan workbook holds; ValidationError listing every problem otherwise."""
    path = Path(path)
    errors = WorkbookErrors()
    with WorkbookReader(path, errors) as reader:
        info = read_info(reader)
        if info.get("kind") != KIND_PLAN:
            raise ValidationError("file", "این کارپوشه به‌روزرسانی فصلی یک واحد است، نه کارپوشه برنامه؛ "
                                  "آن را با «خواندن کارپوشه تکمیل‌شده» وارد کنید.")
        tables = {spec.name: read_table(reader, spec) for spec in PLAN_SHEETS}
    doc = _Builder(tables, errors, info).build()
    errors.raise_if_any(path.name)
    return doc


class _Builder:
    def __init__(self, tables: dict[str, list[tuple[int, Row]]], errors: WorkbookErrors, info: dict[str, Any]):
        self.tables = tables
        self.errors = errors
        self.info = info
        self.uuids: dict[str, tuple[str, int]] = {}

    def rows(self, spec: SheetSpec) -> list[tuple[int, Row]]:
        return self.tables.get(spec.name, [])

    def error(self, spec: SheetSpec, number: int, key: str | None, message: str) -> None:
        self.errors.add(spec.name, number, spec.column(key).header if key else None, message)

    def uuid(self, spec: SheetSpec, number: int, row: Row, key: str = "id") -> str:
        """The row's UUID, or a new one for a row typed by hand; a UUID used twice is an error."""
        value = row.get(key)
        if not value:
            return str(uuid_module.uuid4())
        seen = self.uuids.get(value)
        if seen is not None:
            self.error(spec, number, key, f"این شناسه در برگه «{seen[0]}» ردیف {to_persian_digits(seen[1])} "
                       "هم آمده است.")
        self.uuids[value] = (spec.name, number)
        return value

    def unique(self, spec: SheetSpec, seen: dict[Any, int], key: Any, number: int, column: str, what: str) -> bool:
        if key in seen:
            other = to_persian_digits(seen[key])
            self.error(spec, number, column, f"{what} تکراری است (ردیف {other} هم همین را دارد).")
            return False
        seen[key] = number
        return True

    @staticmethod
    def _source(row: Row) -> dict[str, Any] | None:
        if not row.get("source_name"):
            return None
        return {"id": row.get("source_id") or str(uuid_module.uuid4()), "name": row["source_name"],
                "province": row.get("source_province") or ""}

    # --- the build, sheet by sheet ---------------------------------------------------------
    def build(self) -> dict[str, Any]:
        info = self.info
        municipality = None
        if info.get("municipality"):
            municipality = {"id": str(info.get("municipality_id") or uuid_module.uuid4()),
                            "name": info["municipality"], "province": info.get("province") or ""}
        self.unit_codes = self._units()
        self.budget_codes = self._budget_codes()
        doc: dict[str, Any] = {
            "format": DOC_FORMAT, "version": DOC_VERSION,
            "exported_at": str(info.get("exported_at") or datetime.now(UTC).isoformat(timespec="seconds")),
            "municipality": municipality, "org_units": self.org_units, "budget_codes": self.codes_out,
            "annual_budgets": self._budgets(), "plans": self._plans(),
        }
        return doc

    def _units(self) -> set[str]:
        seen: dict[Any, int] = {}
        self.org_units = []
        for number, row in self.rows(UNITS):
            if self.unique(UNITS, seen, row["code"], number, "code", "کد واحد"):
                self.org_units.append({"id": self.uuid(UNITS, number, row), "code": row["code"], "name": row["name"],
                                       "kind": row["kind"], "parent": row.get("parent"), "_row": number})
        for unit in self.org_units:
            number = unit.pop("_row")
            if unit["parent"] and unit["parent"] not in seen:
                self.error(UNITS, number, "parent", f"واحد «{unit['parent']}» در این برگه نیست.")
        return set(seen)

    def _budget_codes(self) -> set[str]:
        seen: dict[Any, int] = {}
        rows = []
        for number, row in self.rows(BUDGET_CODES):
            if self.unique(BUDGET_CODES, seen, row["code"], number, "code", "کد بودجه"):
                rows.append((number, row))
        parents = {row["code"]: row.get("parent") for _n, row in rows}
        self.codes_out = []
        for number, row in rows:
            level, code, bad = 1, row["code"], False
            while parents.get(code):
                code = parents[code]
                level += 1
                if code not in parents:
                    self.error(BUDGET_CODES, number, "parent", f"کد والد «{code}» در این برگه نیست.")
                    bad = True
                    break
                if level > len(parents):
                    self.error(BUDGET_CODES, number, "parent", "زنجیره کدهای والد به خود این کد برمی‌گردد.")
                    bad = True
                    break
            if bad:
                continue
            if row.get("level") not in (None, level):
                self.error(BUDGET_CODES, number, "level", f"سطح این کد با کد والدش {to_persian_digits(level)} است.")
                continue
            self.codes_out.append({"id": self.uuid(BUDGET_CODES, number, row), "code": row["code"],
                                   "title": row["title"], "parent": row.get("parent"), "level": level})
        return set(seen)

    def _budget_code(self, spec: SheetSpec, number: int, code: str) -> bool:
        if code not in self.budget_codes:
            self.error(spec, number, "budget_code", f"کد بودجه «{code}» در برگه «{BUDGET_CODES.name}» نیست.")
            return False
        return True

    def _budgets(self) -> list[dict[str, Any]]:
        budgets: dict[int, dict[str, Any]] = {}
        seen: dict[Any, int] = {}
        for number, row in self.rows(BUDGETS):
            if self.unique(BUDGETS, seen, row["year"], number, "year", "بودجه این سال"):
                budgets[row["year"]] = {"id": self.uuid(BUDGETS, number, row), "year": row["year"],
                                        "title": row["title"], "approved_on": row["approved_on"], "lines": [],
                                        "amendments": []}
        lines: dict[Any, int] = {}
        for number, row in self.rows(LINES):
            budget = budgets.get(row["year"])
            if budget is None:
                self.error(LINES, number, "year", f"بودجه این سال در برگه «{BUDGETS.name}» نیست.")
            elif self._budget_code(LINES, number, row["budget_code"]) and self.unique(
                    LINES, lines, (row["year"], row["budget_code"]), number, "budget_code", "سقف این کد در این سال"):
                budget["lines"].append({"budget_code": row["budget_code"], "ceiling": row["ceiling"]})
        for number, row in self.rows(AMENDMENTS):
            budget = budgets.get(row["year"])
            if (row["year"], row["budget_code"]) not in lines:
                self.error(AMENDMENTS, number, "budget_code", "این کد در آن سال سقفی در برگه "
                           f"«{LINES.name}» ندارد.")
            elif budget is not None:
                budget["amendments"].append({"id": self.uuid(AMENDMENTS, number, row),
                                             **{k: row[k] for k in ("budget_code", "date", "kind", "delta", "reason")}})
        for budget in budgets.values():
            budget["lines"].sort(key=lambda line: line["budget_code"])
        return sorted(budgets.values(), key=lambda b: b["year"])

    def _unit(self, spec: SheetSpec, number: int, row: Row) -> str | None:
        code = row.get("responsible_unit")
        if code and code not in self.unit_codes:
            self.error(spec, number, "responsible_unit", f"واحد «{code}» در برگه «{UNITS.name}» نیست.")
        return code or None

    def _plans(self) -> list[dict[str, Any]]:
        plans: dict[str, dict[str, Any]] = {}
        seen: dict[Any, int] = {}
        for number, row in self.rows(PLANS):
            if not self.unique(PLANS, seen, row["code"], number, "code", "کد برنامه"):
                continue
            if row["first_year"] and row["last_year"] and row["first_year"] > row["last_year"]:
                self.error(PLANS, number, "last_year", "سال پایان پیش از سال شروع است.")
            thresholds = {"on_track": 90.0 if row["on_track"] is None else row["on_track"],
                          "at_risk": 70.0 if row["at_risk"] is None else row["at_risk"]}
            if row["at_risk"] is not None and row["on_track"] is not None and row["at_risk"] > row["on_track"]:
                self.error(PLANS, number, "at_risk", "آستانه «در معرض خطر» نباید از آستانه «در مسیر» بیشتر باشد.")
            plans[row["code"]] = {
                "id": self.uuid(PLANS, number, row), "code": row["code"], "title": row["title"],
                "first_year": row["first_year"], "last_year": row["last_year"], "vision": row["vision"],
                "mission": row["mission"], "status": row["status"], "thresholds": thresholds,
                "source_municipality": self._source(row), "lessons": [], "axes": []}
        self.nodes: dict[tuple[str, str], dict[str, Any]] = {}
        parent_kind = None
        for kind, spec in LEVEL_SHEETS.items():
            self._level(spec, kind, parent_kind, plans)
            parent_kind = kind
        self._indicators()
        self._projects_data()
        self._lessons(plans)
        return list(plans.values())

    def _level(self, spec: SheetSpec, kind: str, parent_kind: str | None, plans: dict[str, dict[str, Any]]) -> None:
        for number, row in self.rows(spec):
            plan = plans.get(row["plan"])
            if plan is None:
                self.error(spec, number, "plan", f"برنامه «{row['plan']}» در برگه «{PLANS.name}» نیست.")
                continue
            parent_code = row.get("parent")
            full = f"{parent_code}-{row['code']}" if parent_code else row["code"]
            if parent_kind is None:
                siblings = plan["axes"]
            else:
                parent = self.nodes.get((row["plan"], parent_code or ""))
                if parent is None or parent["kind"] != parent_kind:
                    self.error(spec, number, "parent", f"{LABELS[parent_kind]} «{parent_code}» در این برنامه نیست.")
                    continue
                siblings = parent[CHILDREN_KEY[parent_kind]]
            if (row["plan"], full) in self.nodes:
                self.error(spec, number, "code", f"کد کامل «{full}» تکراری است.")
                continue
            node_kind = row.get("kind") or kind
            node: dict[str, Any] = {
                "id": self.uuid(spec, number, row), "kind": node_kind, "code": row["code"], "full_code": full,
                "title": row["title"], "description": row["description"],
                "responsible_unit": self._unit(spec, number, row), "order": len(siblings) + 1,
                "indicators": [], "lessons": []}
            if kind == "program":
                if row["first_year"] and row["last_year"] and row["first_year"] > row["last_year"]:
                    self.error(spec, number, "last_year", "سال پایان پیش از سال شروع است.")
                node.update(first_year=row["first_year"], last_year=row["last_year"])
            if kind == "project":
                if row["start_date"] and row["end_date"] and row["start_date"] > row["end_date"]:
                    self.error(spec, number, "end_date", "تاریخ پایان پیش از تاریخ شروع است.")
                node.update(start_date=row["start_date"], end_date=row["end_date"], location=row["location"],
                            weight=1.0 if row["weight"] is None else row["weight"],
                            state=row["state"] or "planned", allocations=[], progress_reports=[])
            else:
                node[CHILDREN_KEY[kind]] = []
            siblings.append(node)
            self.nodes[(row["plan"], full)] = node

    def _node(self, spec: SheetSpec, number: int, row: Row, key: str = "node",
              projects_only: bool = False) -> dict[str, Any] | None:
        node = self.nodes.get((row["plan"], row[key]))
        if node is None:
            self.error(spec, number, key, f"گره «{row[key]}» در برنامه «{row['plan']}» نیست.")
        elif projects_only and node["kind"] not in ("project", "activity"):
            self.error(spec, number, key, f"«{row[key]}» پروژه یا فعالیت نیست.")
            return None
        return node

    def _indicators(self) -> None:
        self.indicators: dict[tuple[str, str, str], dict[str, Any]] = {}
        for number, row in self.rows(INDICATORS):
            node = self._node(INDICATORS, number, row)
            if node is None:
                continue
            key = (row["plan"], row["node"], row["code"])
            if key in self.indicators:
                self.error(INDICATORS, number, "code", "کد شاخص در این گره تکراری است.")
                continue
            if row["kind"] and row["kind"] not in ALLOWED_INDICATOR_KINDS[node["kind"]]:
                self.error(INDICATORS, number, "kind", f"این نوع شاخص روی {LABELS[node['kind']]} مجاز نیست.")
                continue
            baseline = None
            if row["baseline_value"] is not None:
                baseline = {"year": row["baseline_year"], "value": row["baseline_value"]}
            indicator = {
                "id": self.uuid(INDICATORS, number, row), "code": row["code"], "title": row["title"],
                "kind": row["kind"], "unit": row["unit"], "direction": row["direction"], "baseline": baseline,
                "definition": row["definition"], "data_source": row["data_source"], "frequency": row["frequency"],
                "weight": 1.0 if row["weight"] is None else row["weight"], "targets": [], "actuals": []}
            node["indicators"].append(indicator)
            self.indicators[key] = indicator
        for spec, unique in ((TARGETS, ("year",)), (ACTUALS, ("year", "period"))):
            seen: dict[Any, int] = {}
            for number, row in self.rows(spec):
                indicator = self.indicators.get((row["plan"], row["node"], row["indicator"]))
                if indicator is None:
                    self.error(spec, number, "indicator", f"شاخص «{row['indicator']}» در گره «{row['node']}» "
                               f"در برگه «{INDICATORS.name}» نیست.")
                    continue
                key = (indicator["id"], *(row[k] for k in unique))
                what = "مقدار این سال" if spec is TARGETS else f"مقدار {PERIOD_LABELS[row['period']]} این سال"
                if self.unique(spec, seen, key, number, unique[-1], what):
                    if spec is TARGETS:
                        indicator["targets"].append({"year": row["year"], "value": row["value"]})
                    else:
                        indicator["actuals"].append({"year": row["year"], "period": row["period"],
                                                     "value": row["value"], "note": row["note"]})

    def _projects_data(self) -> None:
        seen: dict[Any, int] = {}
        for number, row in self.rows(ALLOCATIONS):
            node = self._node(ALLOCATIONS, number, row, "project", projects_only=True)
            if node is None or not self._budget_code(ALLOCATIONS, number, row["budget_code"]):
                continue
            if self.unique(ALLOCATIONS, seen, (node["id"], row["year"], row["budget_code"]), number, "budget_code",
                           "تخصیص این پروژه از این کد در این سال"):
                node["allocations"].append({"id": self.uuid(ALLOCATIONS, number, row), "year": row["year"],
                                            "budget_code": row["budget_code"], "amount": row["amount"],
                                            "spent": row["spent"] or 0})
        seen = {}
        for number, row in self.rows(REPORTS):
            node = self._node(REPORTS, number, row, "project", projects_only=True)
            if node is None:
                continue
            if self.unique(REPORTS, seen, (node["id"], row["year"], row["quarter"]), number, "quarter",
                           "گزارش این فصل این پروژه"):
                node["progress_reports"].append({
                    "id": self.uuid(REPORTS, number, row), "year": row["year"], "quarter": row["quarter"],
                    "physical_progress": row["physical_progress"], "spent": row["spent"] or 0,
                    "narrative": row["narrative"], "corrective_action": row["corrective_action"],
                    "reported_on": row["reported_on"]})

    def _lessons(self, plans: dict[str, dict[str, Any]]) -> None:
        for number, row in self.rows(LESSONS):
            plan = plans.get(row["plan"])
            if plan is None:
                self.error(LESSONS, number, "plan", f"برنامه «{row['plan']}» در برگه «{PLANS.name}» نیست.")
                continue
            target = plan if not row.get("node") else self._node(LESSONS, number, row)
            if target is None:
                continue
            lesson = {"id": self.uuid(LESSONS, number, row), "title": row["title"], "body": row["body"],
                      "recorded_on": row["recorded_on"], "source_municipality": self._source(row)}
            target["lessons"].append(lesson)
