"""Writing plan workbooks: the empty template and the full export of a file's plans."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from db.engine import Database
from planner_core.exchange import export_document
from planner_core.jalali import current_fiscal_period
from planner_core.levels import CHILDREN_KEY
from planner_core.workbooks.info import write_info
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
from planner_core.workbooks.sheets import SheetSpec, add_validations, header_sheet, save, setup_print, write_rows

Row = dict[str, Any]


def _years(doc: dict[str, Any] | None) -> list[int]:
    """The years the drop-down lists offer: around the plans' years, or around this year."""
    found: set[int] = set()
    for plan in (doc or {}).get("plans", []):
        found.update((plan["first_year"], plan["last_year"]))
    for budget in (doc or {}).get("annual_budgets", []):
        found.add(budget["year"])
    if not found:
        found.add(current_fiscal_period()[0])
    low, high = min(found) - 3, max(found) + 3
    if high - low > 45:  # a list validation holds at most 255 characters
        low = high - 45
    return list(range(low, high + 1))


def _write(path: Path, tables: dict[str, list[Row]], info: dict[str, Any], years: list[int]) -> None:
    workbook = Workbook()
    for index, spec in enumerate(PLAN_SHEETS):
        sheet = header_sheet(workbook, spec, first=index == 0)
        rows = tables.get(spec.name, [])
        last = write_rows(sheet, spec, rows)
        add_validations(sheet, spec, years, last_row=max(last + 500, 1000))
        setup_print(sheet)
    write_info(workbook, {"kind": KIND_PLAN, **info})
    save(workbook, path)


def write_template(path: Path | str) -> None:
    """An empty plan workbook for planners to fill: every sheet with its headers and lists."""
    _write(Path(path), {}, {}, _years(None))


def export_workbook(db: Database, path: Path | str, plan_codes: Iterable[str] | None = None) -> None:
    """The file's plans (or the named ones) with everything they need, as a plan workbook.

    A workbook holds one revision of each plan: the one in force, or the one a code names as CODE@N
    (the life-cycle records — approvals, earlier revisions — travel in packages, not workbooks)."""
    from planner_core.plans import find_plan, list_plans

    codes = list(plan_codes) if plan_codes is not None else list(dict.fromkeys(p.code for p in list_plans(db)))
    doc = export_document(db, plan_ids=[find_plan(db, code).id for code in codes])
    municipality = doc.get("municipality") or {}
    info = {"municipality_id": municipality.get("id"), "municipality": municipality.get("name"),
            "province": municipality.get("province"), "exported_at": doc["exported_at"]}
    _write(Path(path), flatten(doc), info, _years(doc))


def _source(row: Row, source: dict[str, Any] | None) -> Row:
    if source:
        row.update(source_id=source["id"], source_name=source["name"], source_province=source.get("province"))
    return row


def flatten(doc: dict[str, Any]) -> dict[str, list[Row]]:
    """The plan document as rows of each sheet."""
    tables: dict[str, list[Row]] = {spec.name: [] for spec in PLAN_SHEETS}

    def add(spec: SheetSpec, row: Row) -> None:
        tables[spec.name].append(row)

    for unit in doc.get("org_units", []):
        add(UNITS, dict(unit))
    titles = {}
    for code in doc.get("budget_codes", []):
        add(BUDGET_CODES, dict(code))
        titles[code["code"]] = code["title"]
    for budget in doc.get("annual_budgets", []):
        add(BUDGETS, {k: budget.get(k) for k in ("id", "year", "title", "approved_on")})
        for line in budget.get("lines", []):
            add(LINES, {"year": budget["year"], **line, "code_title": titles.get(line["budget_code"])})
        for amendment in budget.get("amendments", []):
            add(AMENDMENTS, {"year": budget["year"], **amendment})
    for plan in doc.get("plans", []):
        code = plan["code"]
        thresholds = plan.get("thresholds") or {}
        add(PLANS, _source({**plan, "on_track": thresholds.get("on_track"), "at_risk": thresholds.get("at_risk")},
                           plan.get("source_municipality")))
        for lesson in plan.get("lessons", []):
            add(LESSONS, _source({**lesson, "plan": code, "node": None}, lesson.get("source_municipality")))

        def walk(node: Row, parent: str | None, plan_code: str = code) -> None:
            full = node["full_code"]
            level = "project" if node["kind"] in ("project", "activity") else node["kind"]
            add(LEVEL_SHEETS[level], {**node, "plan": plan_code, "parent": parent})
            for indicator in node.get("indicators", []):
                baseline = indicator.get("baseline") or {}
                add(INDICATORS, {**indicator, "plan": plan_code, "node": full, "baseline_year": baseline.get("year"),
                                 "baseline_value": baseline.get("value")})
                keys = {"plan": plan_code, "node": full, "indicator": indicator["code"],
                        "indicator_title": indicator["title"]}
                for target in indicator.get("targets", []):
                    add(TARGETS, {**keys, **target})
                for actual in indicator.get("actuals", []):
                    add(ACTUALS, {**keys, **actual})
            for lesson in node.get("lessons", []):
                add(LESSONS, _source({**lesson, "plan": plan_code, "node": full}, lesson.get("source_municipality")))
            project = {"plan": plan_code, "project": full, "project_title": node["title"]}
            for allocation in node.get("allocations", []):
                add(ALLOCATIONS, {**project, **allocation})
            for report in node.get("progress_reports", []):
                add(REPORTS, {**project, **report})
            for child in node.get(CHILDREN_KEY.get(node["kind"], ""), []):
                walk(child, full)

        for axis in plan.get("axes", []):
            walk(axis, None)
    return tables
