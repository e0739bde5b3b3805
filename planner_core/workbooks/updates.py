"""Quarterly update workbooks: one per responsible unit, filled by the unit, read back as progress
reports and indicator actuals.

Reading back is checked whole before anything is written: every row must belong to the unit the
workbook was made for, values must be valid, and the plan must accept edits.  What will be added
or changed is returned as a summary (the preview); writing goes through the monitoring and
indicator services inside one transaction, after a backup of the file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import (
    Allocation,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    OrgUnit,
    PlanNode,
    ProgressReport,
    StrategicPlan,
)
from planner_core import fields
from planner_core.backups import backup_before
from planner_core.errors import PlannerError, ValidationError
from planner_core.indicators import set_actual
from planner_core.jalali import fiscal_year_of
from planner_core.levels import DIRECTION_LABELS, PERIOD_LABELS, period_name, period_number
from planner_core.monitoring import (
    ProgressReportInfo,
    delete_progress_report,
    list_progress_reports,
    restore_progress_report,
    save_progress_report,
)
from planner_core.text import RIALS_PER_MILLION, format_number, ltr, to_persian_digits
from planner_core.workbooks.guard import WorkbookErrors, WorkbookReader, read_table
from planner_core.workbooks.info import read_info, workbook_kind, write_info
from planner_core.workbooks.layout import KIND_UPDATE
from planner_core.workbooks.sheets import add_validations, header_sheet, lock_sheet, save, setup_print, write_rows
from planner_core.workbooks.update_layout import PROGRESS, PROGRESS_INPUTS, VALUE_INPUTS, VALUES

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


class UpdateCancelled(Exception):
    """The planner stopped writing the update workbooks."""


def _due_period(frequency: str, quarter: int) -> str | None:
    """Which actual an indicator owes in a quarter: quarterly every quarter, semiannual at the
    half years, annual at the year's end."""
    if frequency == "quarterly":
        return f"q{quarter}"
    if frequency == "semiannual":
        return f"q{quarter}" if quarter in (2, 4) else None
    return "annual" if quarter == 4 else None


@dataclass
class _Tree:
    """The nodes of the plans running in a year, with each node's effective responsible unit
    (its own, else the nearest ancestor's) and the years it runs over."""

    nodes: dict[int, PlanNode] = field(default_factory=dict)
    plans: dict[int, StrategicPlan] = field(default_factory=dict)
    units: dict[int, OrgUnit] = field(default_factory=dict)

    def unit_of(self, node: PlanNode) -> int | None:
        current: PlanNode | None = node
        while current is not None:
            if current.responsible_unit_id:
                return current.responsible_unit_id
            current = self.nodes.get(current.parent_id) if current.parent_id else None
        return None

    def full_code(self, node: PlanNode) -> str:
        parts = []
        current: PlanNode | None = node
        while current is not None:
            parts.append(current.code)
            current = self.nodes.get(current.parent_id) if current.parent_id else None
        return "-".join(reversed(parts))

    def span(self, node: PlanNode) -> tuple[int, int]:
        if node.kind in ("project", "activity") and node.start_date and node.end_date:
            return fiscal_year_of(node.start_date), fiscal_year_of(node.end_date)
        program = node if node.kind == "program" else self.nodes.get(node.parent_id or 0)
        if program is not None and program.kind == "program" and program.first_year and program.last_year:
            return program.first_year, program.last_year
        plan = self.plans[node.plan_id]
        return plan.first_year, plan.last_year


def _tree(session: Session, year: int) -> _Tree:
    tree = _Tree()
    # One revision per plan reports: the one in force (not a superseded one, not an amendment in draft).
    from planner_core.plans import counted_plan_ids

    for plan in session.scalars(select(StrategicPlan).where(
            StrategicPlan.first_year <= year, StrategicPlan.last_year >= year, StrategicPlan.status != "archived",
            StrategicPlan.id.in_(counted_plan_ids(session)))):
        tree.plans[plan.id] = plan
    if tree.plans:
        for node in session.scalars(select(PlanNode).where(PlanNode.plan_id.in_(tree.plans))
                                    .order_by(PlanNode.plan_id, PlanNode.sort_order, PlanNode.id)):
            tree.nodes[node.id] = node
    tree.units = {u.id: u for u in session.scalars(select(OrgUnit))}
    return tree


def _ordered(tree: _Tree, nodes: list[PlanNode]) -> list[PlanNode]:
    return sorted(nodes, key=lambda n: (n.plan_id, [int(p) if p.isdigit() else 0 for p in
                                                    tree.full_code(n).split("-")], n.id))


def _million(rials: int | None) -> float | int | None:
    if rials is None:
        return None
    return rials // RIALS_PER_MILLION if rials % RIALS_PER_MILLION == 0 else rials / RIALS_PER_MILLION


def _safe_name(code: str) -> str:
    return re.sub(r"[^\w\-]+", "_", code).strip("_") or "unit"


# --- writing --------------------------------------------------------------------------------

def write_update_workbooks(db: Database, outdir: Path | str, year: int, quarter: int,
                           progress: Progress | None = None, cancelled: Cancelled | None = None) -> list[Path]:
    """One workbook per responsible unit with its projects and the indicators due this quarter."""
    fiscal_year = fields.year("year", year)
    assert fiscal_year is not None
    if quarter not in (1, 2, 3, 4):
        raise ValidationError("quarter", "فصل: عدد ۱ تا ۴ وارد کنید.")
    folder = Path(outdir)
    if not folder.is_dir():
        raise ValidationError("file", f"پوشه «{ltr(folder)}» وجود ندارد.")
    with db.unit() as session:
        tree = _tree(session, fiscal_year)
        by_unit = _unit_rows(session, tree, fiscal_year, quarter)
        units = {uid: (tree.units[uid].code, tree.units[uid].name) for uid in by_unit}
    written = []
    for index, (unit_id, (projects, indicators)) in enumerate(sorted(by_unit.items(),
                                                                     key=lambda kv: units[kv[0]][0])):
        if cancelled and cancelled():
            raise UpdateCancelled
        code, name = units[unit_id]
        if progress:
            progress(index, len(by_unit), name)
        path = folder / f"به‌روزرسانی-{fiscal_year}-فصل{quarter}-{_safe_name(code)}.xlsx"
        _write_one(path, fiscal_year, quarter, code, name, projects, indicators)
        written.append(path)
    if progress:
        progress(len(by_unit), len(by_unit), "")
    return written


def _unit_rows(session: Session, tree: _Tree, year: int, quarter: int
               ) -> dict[int, tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    out: dict[int, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = defaultdict(lambda: ([], []))
    projects = [n for n in tree.nodes.values() if n.kind in ("project", "activity")
                and tree.span(n)[0] <= year <= tree.span(n)[1] and tree.unit_of(n)]
    ids = [p.id for p in projects]
    reports: dict[int, list[ProgressReport]] = defaultdict(list)
    allocated: dict[int, int] = defaultdict(int)
    if ids:
        for report in session.scalars(select(ProgressReport).where(ProgressReport.project_id.in_(ids))
                                      .order_by(ProgressReport.year, ProgressReport.quarter)):
            reports[report.project_id].append(report)
        for allocation in session.scalars(select(Allocation).where(Allocation.project_id.in_(ids),
                                                                   Allocation.year == year)):
            allocated[allocation.project_id] += allocation.amount
    for project in _ordered(tree, projects):
        mine = next((r for r in reports[project.id] if (r.year, r.quarter) == (year, quarter)), None)
        before = [r for r in reports[project.id] if (r.year, r.quarter) < (year, quarter)]
        parent = tree.nodes.get(project.parent_id or 0)
        out[tree.unit_of(project) or 0][0].append({
            "id": project.uuid, "plan": tree.plans[project.plan_id].code, "full_code": tree.full_code(project),
            "title": project.title, "program": parent.title if parent else "",
            "previous": before[-1].physical_progress if before else None,
            "allocated": _million(allocated.get(project.id)),
            "physical_progress": mine.physical_progress if mine else None,
            "spent": mine.spent if mine else None, "narrative": mine.narrative if mine else "",
            "corrective_action": mine.corrective_action if mine else "",
            "reported_on": mine.reported_on.isoformat() if mine and mine.reported_on else None})
    active = {n.id for n in tree.nodes.values() if tree.span(n)[0] <= year <= tree.span(n)[1] and tree.unit_of(n)}
    if active:
        indicators = session.scalars(select(Indicator).where(Indicator.node_id.in_(active))
                                     .order_by(Indicator.sort_order, Indicator.id)).all()
        ind_ids = [i.id for i in indicators]
        targets = {t.indicator_id: t.value for t in session.scalars(
            select(IndicatorTarget).where(IndicatorTarget.indicator_id.in_(ind_ids), IndicatorTarget.year == year))}
        actuals = {(a.indicator_id, a.period): a for a in session.scalars(
            select(IndicatorActual).where(IndicatorActual.indicator_id.in_(ind_ids), IndicatorActual.year == year))}
        order = {n.id: i for i, n in enumerate(_ordered(tree, [tree.nodes[n] for n in active]))}
        for indicator in sorted(indicators, key=lambda i: (order[i.node_id], i.sort_order, i.id)):
            period = _due_period(indicator.frequency, quarter)
            if period is None:
                continue
            node = tree.nodes[indicator.node_id]
            actual = actuals.get((indicator.id, period_number(period)))
            out[tree.unit_of(node) or 0][1].append({
                "id": indicator.uuid, "period": period, "node": tree.full_code(node), "node_title": node.title,
                "title": indicator.title, "unit": indicator.unit,
                "direction": DIRECTION_LABELS[indicator.direction].split(" ")[0],
                "baseline": indicator.baseline_value, "target": targets.get(indicator.id),
                "value": actual.value if actual else None, "note": actual.note if actual else ""})
    out.pop(0, None)
    return dict(out)


def _write_one(path: Path, year: int, quarter: int, code: str, name: str, projects: list[dict[str, Any]],
               indicators: list[dict[str, Any]]) -> None:
    workbook = Workbook()
    for index, (spec, rows, inputs) in enumerate(((PROGRESS, projects, PROGRESS_INPUTS),
                                                  (VALUES, indicators, VALUE_INPUTS))):
        sheet = header_sheet(workbook, spec, first=index == 0)
        last = write_rows(sheet, spec, rows)
        editable = [i for i, c in enumerate(spec.columns, start=1) if c.key in inputs]
        lock_sheet(sheet, editable, 2, max(last - 1, 2))
        add_validations(sheet, spec, [year], last_row=max(last - 1, 2))
        setup_print(sheet, landscape=True)
    write_info(workbook, {"kind": KIND_UPDATE, "year": year, "quarter": quarter, "unit": code, "unit_name": name,
                          "exported_at": datetime.now(UTC).isoformat(timespec="seconds")})
    save(workbook, path)


def is_update_workbook(path: Path | str) -> bool:
    """True for a quarterly update workbook this program wrote (checked safely, nothing trusted)."""
    return workbook_kind(Path(path)) == KIND_UPDATE


# --- reading back ---------------------------------------------------------------------------

@dataclass(frozen=True)
class UpdateChange:
    what: str  # "report" | "actual"
    action: str  # "add" | "change"
    title: str  # «1-1-1-1-2 خرید اتوبوس» or the indicator with its node
    before: str
    after: str
    apply: Callable[[Database], object] = field(repr=False, compare=False)
    undo: Callable[[Database], object] = field(repr=False, compare=False)

    @property
    def line(self) -> str:
        kind = "گزارش پیشرفت" if self.what == "report" else "مقدار واقعی شاخص"
        if self.action == "add":
            return f"افزوده می‌شود — {kind} «{self.title}»: {self.after}"
        return f"تغییر می‌کند — {kind} «{self.title}»: {self.before} ← {self.after}"


@dataclass
class UpdateSummary:
    unit: str
    year: int
    quarter: int
    changes: list[UpdateChange]
    unchanged: int
    written: bool = False

    @property
    def added(self) -> int:
        return sum(c.action == "add" for c in self.changes)

    @property
    def changed(self) -> int:
        return sum(c.action == "change" for c in self.changes)

    def headline(self) -> str:
        return (f"کارپوشه واحد «{self.unit}»، سال {to_persian_digits(self.year)} فصل "
                f"{to_persian_digits(self.quarter)}: {to_persian_digits(self.added)} مورد تازه، "
                f"{to_persian_digits(self.changed)} تغییر، {to_persian_digits(self.unchanged)} بدون تغییر.")

    def lines(self) -> list[str]:
        return [self.headline(), *(c.line for c in self.changes)]


class _ServicesInOneTransaction:
    """A Database whose every unit of work is the one session of the whole import, so the
    existing services write and, if any of them fails, everything is rolled back together."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @contextmanager
    def unit(self) -> Iterator[Session]:
        yield self.session
        self.session.flush()


def _progress_text(values: dict[str, Any], before: dict[str, Any] | None = None) -> str:
    parts = [f"پیشرفت {format_number(values['physical_progress'])}٪"]
    if values["spent"]:
        parts.append(f"هزینه {format_number(values['spent'] / RIALS_PER_MILLION)} میلیون ریال")
    if before is not None:
        # Say which texts changed, so a preview never shows «35٪ ← 35٪» with nothing else.
        parts += [label for key, label in (("narrative", "شرح تازه"), ("corrective_action", "اقدام اصلاحی تازه"))
                  if values[key] != before[key]]
    return "، ".join(parts)


def import_update_workbook(db: Database, path: Path | str, dry_run: bool = False) -> UpdateSummary:
    """Read a filled update workbook back; with ``dry_run`` only the preview, nothing written."""
    path = Path(path)
    errors = WorkbookErrors()
    with WorkbookReader(path, errors) as reader:
        info = read_info(reader)
        if info.get("kind") != KIND_UPDATE:
            raise ValidationError("file", f"کارپوشه «{ltr(path.name)}» کارپوشه به‌روزرسانی فصلی یک واحد نیست.")
        reports = read_table(reader, PROGRESS)
        values = read_table(reader, VALUES)
    try:
        year = fields.year("year", info.get("year"))
        quarter = int(info.get("quarter") or 0)
    except (ValidationError, TypeError, ValueError):
        year, quarter = None, 0
    if year is None or quarter not in (1, 2, 3, 4):
        raise ValidationError("file", f"کارپوشه «{ltr(path.name)}»: سال یا فصل برگه اطلاعات آن درست نیست.")
    unit_code = str(info.get("unit") or "")
    with db.unit() as session:
        changes, unchanged = _plan_changes(session, errors, reports, values, year, quarter, unit_code)
    errors.raise_if_any(path.name)
    summary = UpdateSummary(str(info.get("unit_name") or unit_code), year, quarter, changes, unchanged)
    if dry_run or not changes:
        return summary
    backup_before(db, "import")
    redo_update_import(db, summary)
    summary.written = True
    return summary


Step = Callable[[Database], object]


def _report_info(row: ProgressReport) -> ProgressReportInfo:
    return ProgressReportInfo(row.id, row.uuid, row.project_id, row.year, row.quarter, row.physical_progress,
                              row.spent, row.narrative, row.corrective_action, row.reported_on)


def _report_steps(project_id: int, year: int, quarter: int, new: dict[str, Any], reported_on: date,
                  previous: ProgressReportInfo | None) -> tuple[Step, Step]:
    """Record a quarter's report, and its inverse: the report as it was, or none.  A redo puts back
    the very row the first apply made (same UUID), as the other undo commands do."""
    made: list[ProgressReportInfo] = []

    def apply(db: Database) -> object:
        if made:
            return restore_progress_report(db, made[0])
        info, _previous = save_progress_report(db, project_id, year=year, quarter=quarter, reported_on=reported_on,
                                               replace=True, **new)
        made.append(info)
        return info

    def undo(db: Database) -> object:
        if previous is not None:
            return restore_progress_report(db, previous)
        mine = next(r for r in list_progress_reports(db, project_id) if (r.year, r.quarter) == (year, quarter))
        return delete_progress_report(db, mine.id)

    return apply, undo


def _actual_steps(indicator_id: int, year: int, period: str, new: tuple[float, str],
                  before: tuple[float, str] | None) -> tuple[Step, Step]:
    name = period_name(period_number(period))

    def apply(db: Database) -> object:
        return set_actual(db, indicator_id, year, name, new[0], new[1])

    def undo(db: Database) -> object:
        if before is None:
            return set_actual(db, indicator_id, year, name, None)
        return set_actual(db, indicator_id, year, name, before[0], before[1])

    return apply, undo


def _in_one_transaction(db: Database, steps: list[tuple[str, Step]]) -> None:
    with db.unit() as session:
        shared = _ServicesInOneTransaction(session)
        for title, step in steps:
            try:
                step(shared)  # type: ignore[arg-type]
            except PlannerError as exc:
                raise ValidationError("workbook", f"«{title}»: {exc}") from exc


def undo_update_import(db: Database, summary: UpdateSummary) -> None:
    """Put back what a recorded update workbook changed (reports and actuals as they were)."""
    _in_one_transaction(db, [(c.title, c.undo) for c in reversed(summary.changes)])


def redo_update_import(db: Database, summary: UpdateSummary) -> None:
    _in_one_transaction(db, [(c.title, c.apply) for c in summary.changes])


def _plan_changes(session: Session, errors: WorkbookErrors, reports: list[tuple[int, dict[str, Any]]],
                  values: list[tuple[int, dict[str, Any]]], year: int, quarter: int, unit_code: str
                  ) -> tuple[list[UpdateChange], int]:
    tree = _tree(session, year)
    unit_id = next((u.id for u in tree.units.values() if u.code == unit_code), None)
    if unit_id is None:
        errors.add(PROGRESS.name, None, None, f"واحد «{unit_code}» در این فایل نیست.")
        return [], 0
    changes: list[UpdateChange] = []
    unchanged = 0
    by_uuid = {n.uuid: n for n in tree.nodes.values()}
    today = date.today()
    for number, row in reports:
        filled = [row.get(k) for k in PROGRESS_INPUTS if k != "reported_on"]
        if all(v in (None, "") for v in filled):
            continue
        node = by_uuid.get(row["id"])
        header = PROGRESS.column("id").header
        if node is None or node.kind not in ("project", "activity") or tree.unit_of(node) != unit_id:
            errors.add(PROGRESS.name, number, header, f"این پروژه در برنامه‌های سال {to_persian_digits(year)} "
                       "از آن این واحد نیست.")
            continue
        plan = tree.plans[node.plan_id]
        if plan.status == "archived":  # monitoring goes on while a plan is approved (plans.ensure_monitorable)
            errors.add(PROGRESS.name, number, None, f"برنامه «{plan.title}» بایگانی شده است؛ پایش آن بسته است.")
            continue
        if row["physical_progress"] is None:
            errors.add(PROGRESS.name, number, PROGRESS.column("physical_progress").header,
                       "پیشرفت فیزیکی را وارد کنید (بقیه خانه‌های این ردیف پر است).")
            continue
        existing = session.scalars(select(ProgressReport).where(
            ProgressReport.project_id == node.id, ProgressReport.year == year,
            ProgressReport.quarter == quarter)).first()
        reported_on = date.fromisoformat(row["reported_on"]) if row["reported_on"] else (
            existing.reported_on if existing and existing.reported_on else today)
        if reported_on > today:
            errors.add(PROGRESS.name, number, PROGRESS.column("reported_on").header,
                       "گزارش پیشرفت نمی‌تواند تاریخ آینده داشته باشد.")
            continue
        new = {"physical_progress": row["physical_progress"], "spent": row["spent"] or 0,
               "narrative": row["narrative"] or "", "corrective_action": row["corrective_action"] or ""}
        title = f"{to_persian_digits(tree.full_code(node))} {node.title}"
        if existing is not None:
            old = {k: getattr(existing, k) for k in new}
            if old == new and (not row["reported_on"] or existing.reported_on == reported_on):
                unchanged += 1
                continue
        previous = _report_info(existing) if existing else None
        apply, undo = _report_steps(node.id, year, quarter, new, reported_on, previous)
        changes.append(UpdateChange("report", "change" if existing else "add", title,
                                    _progress_text(old) if existing else "",
                                    _progress_text(new, old if existing else None), apply, undo))
    indicators = {i.uuid: i for i in session.scalars(select(Indicator).where(
        Indicator.uuid.in_([row["id"] for _n, row in values if row.get("id")])))} if values else {}
    for number, row in values:
        if row["value"] is None and not row["note"]:
            continue
        indicator = indicators.get(row["id"])
        node = tree.nodes.get(indicator.node_id) if indicator else None
        if indicator is None or node is None or tree.unit_of(node) != unit_id:
            errors.add(VALUES.name, number, VALUES.column("id").header, "این شاخص از آن این واحد نیست.")
            continue
        if tree.plans[node.plan_id].status == "archived":
            errors.add(VALUES.name, number, None, f"برنامه «{tree.plans[node.plan_id].title}» بایگانی شده است؛ "
                       "پایش آن بسته است.")
            continue
        if row["value"] is None:
            errors.add(VALUES.name, number, VALUES.column("value").header, "مقدار واقعی را وارد کنید.")
            continue
        period = row["period"]
        if period != _due_period(indicator.frequency, quarter):
            errors.add(VALUES.name, number, VALUES.column("period").header,
                       "دوره این شاخص با کارپوشه‌ای که برای این فصل ساخته شد نمی‌خواند.")
            continue
        existing_actual = session.scalars(select(IndicatorActual).where(
            IndicatorActual.indicator_id == indicator.id, IndicatorActual.year == year,
            IndicatorActual.period == period_number(period))).first()
        title = f"{indicator.title} ({to_persian_digits(tree.full_code(node))}، {PERIOD_LABELS[period]})"
        if existing_actual and existing_actual.value == row["value"] and existing_actual.note == row["note"]:
            unchanged += 1
            continue
        before = (existing_actual.value, existing_actual.note) if existing_actual else None
        apply, undo = _actual_steps(indicator.id, year, period, (row["value"], row["note"]), before)
        changes.append(UpdateChange("actual", "change" if existing_actual else "add", title,
                                    format_number(existing_actual.value, 2) if existing_actual else "",
                                    format_number(row["value"], 2), apply, undo))
    return changes, unchanged


