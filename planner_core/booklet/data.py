"""Reading the plan document (dump format) for the booklet: selection, filters, figures.

Plain functions over the dump dict; no layout here. The filters decide which nodes are
shown in full and which only as context (the ancestors of what was asked for)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from planner_core.levels import CHILDREN_KEY
from planner_core.progress import Achievement, classify, indicator_achievement, weighted_rollup, year_actual
from planner_core.text import fold, normalize_code, to_persian_digits

Node = dict[str, Any]


@dataclass
class Selection:
    """What the booklet shows, computed once from the options."""

    plan: dict[str, Any]
    years: list[int]
    full: set[str] = field(default_factory=set)  # node ids shown with all their details
    context: set[str] = field(default_factory=set)  # ancestors shown as headings for context
    unit_code: str | None = None
    year: int | None = None
    scope_text: str = ""

    def shown(self, node: Node) -> bool:
        return node["id"] in self.full or node["id"] in self.context


def children(node: Node) -> list[Node]:
    key = CHILDREN_KEY.get(node.get("kind", ""))
    kids = node.get(key, []) if key else []
    return sorted(kids, key=lambda n: (n.get("order", 0), _code_key(n.get("code", ""))))


def _code_key(code: str) -> tuple:
    parts = []
    for p in str(code).replace(".", "-").split("-"):
        parts.append((0, int(p), "") if p.isdigit() else (1, 0, p))
    return tuple(parts)


def walk(nodes: list[Node], parents: tuple[Node, ...] = ()) -> Iterator[tuple[Node, tuple[Node, ...]]]:
    for node in nodes:
        yield node, parents
        yield from walk(children(node), (*parents, node))


def axes(plan: dict[str, Any]) -> list[Node]:
    return sorted(plan.get("axes", []), key=lambda n: (n.get("order", 0), _code_key(n.get("code", ""))))


def select_plan(doc: dict[str, Any], plan_code: str | None) -> dict[str, Any]:
    plans = doc.get("plans") or []
    if not plans:
        raise ValueError("سند هیچ برنامه‌ای ندارد.")
    if plan_code is None:
        return plans[0]
    wanted = normalize_code(plan_code)
    for plan in plans:
        if normalize_code(plan.get("code", "")) == wanted:
            return plan
    raise ValueError(f"برنامه‌ای با کد «{plan_code}» در سند نیست.")


def resolve_unit(doc: dict[str, Any], unit: str) -> str:
    """An org unit given by code or name → its code."""
    wanted_code = normalize_code(unit)
    wanted_name = fold(unit)
    for u in doc.get("org_units", []):
        if normalize_code(u.get("code", "")) == wanted_code or fold(u.get("name", "")) == wanted_name:
            return u["code"]
    raise ValueError(f"واحد سازمانی «{unit}» در سند نیست.")


def plan_years(plan: dict[str, Any]) -> list[int]:
    first, last = plan.get("first_year"), plan.get("last_year")
    if isinstance(first, int) and isinstance(last, int) and first <= last:
        return list(range(first, last + 1))
    return []


def make_selection(doc: dict[str, Any], plan: dict[str, Any], axis: str | None, unit: str | None,
                   year: int | None) -> Selection:
    span = plan_years(plan)
    if year is not None and span and year not in span:
        raise ValueError(f"سال {to_persian_digits(year)} در دوره این برنامه "
                         f"({to_persian_digits(span[0])}–{to_persian_digits(span[-1])}) نیست.")
    years = [year] if year is not None else span
    sel = Selection(plan=plan, years=years, year=year)
    everything = list(walk(axes(plan)))
    if axis is not None:
        wanted = normalize_code(axis)
        target = next(((n, p) for n, p in everything if normalize_code(n.get("full_code", "")) == wanted), None)
        if target is None:
            raise ValueError(f"گره‌ای با کد «{axis}» در این برنامه نیست.")
        node, parents = target
        sel.context.update(p["id"] for p in parents)
        sel.full.update(n["id"] for n, _ in walk([node]))
        pool = [(n, (*parents, *p)) for n, p in walk([node])]
    else:
        sel.full.update(n["id"] for n, _ in everything)
        pool = everything
    if unit is not None:
        code = resolve_unit(doc, unit)
        sel.unit_code = code
        keep_full: set[str] = set()
        keep_ctx: set[str] = set(sel.context)
        for node, parents in pool:
            if node.get("responsible_unit") == code:
                keep_full.add(node["id"])
                keep_ctx.update(p["id"] for p in parents)
        sel.full = keep_full
        sel.context = keep_ctx - keep_full
    return sel


# --------------------------------------------------------------------------- indicators


def target_of(indicator: dict[str, Any], year: int) -> float | None:
    for t in indicator.get("targets", []):
        if t.get("year") == year:
            return t.get("value")
    return None


def actual_of(indicator: dict[str, Any], year: int) -> float | None:
    annual = None
    quarters: list[float | None] = [None, None, None, None]
    for a in indicator.get("actuals", []):
        if a.get("year") != year:
            continue
        period = a.get("period", "annual")
        if period == "annual":
            annual = a.get("value")
        elif isinstance(period, str) and period.startswith("q") and period[1:].isdigit():
            q = int(period[1:])
            if 1 <= q <= 4:
                quarters[q - 1] = a.get("value")
    return year_actual(annual, quarters, "last")


def actual_years(indicator: dict[str, Any]) -> list[int]:
    return sorted({a["year"] for a in indicator.get("actuals", []) if isinstance(a.get("year"), int)})


@dataclass(frozen=True)
class IndicatorFigure:
    year: int | None  # the year judged (the filter year, or the latest year with an actual)
    actual: float | None
    target: float | None
    achievement: Achievement | None


def indicator_figure(indicator: dict[str, Any], year: int | None) -> IndicatorFigure:
    if year is None:
        years = actual_years(indicator)
        year = years[-1] if years else None
    if year is None:
        return IndicatorFigure(None, None, None, None)
    actual = actual_of(indicator, year)
    target = target_of(indicator, year)
    baseline = (indicator.get("baseline") or {}).get("value")
    try:
        ach = indicator_achievement(indicator.get("direction", "increase"), baseline, target, actual)
    except (TypeError, ValueError):
        ach = None
    return IndicatorFigure(year, actual, target, ach)


def subtree_indicators(node: Node) -> Iterator[dict[str, Any]]:
    for n, _ in walk([node]):
        yield from n.get("indicators", [])


@dataclass(frozen=True)
class Rollup:
    percent: float | None
    counts: dict[str, int]  # status value → number of indicators
    total: int


def rollup(nodes: list[Node], year: int | None, thresholds: dict[str, float], sel: Selection) -> Rollup:
    pairs = []
    counts: dict[str, int] = {}
    total = 0
    for node in nodes:
        for n, _ in walk([node]):
            if n["id"] not in sel.full:
                continue
            for ind in n.get("indicators", []):
                fig = indicator_figure(ind, year)
                pct = fig.achievement.percent if fig.achievement else None
                status = classify(pct, thresholds.get("on_track", 90), thresholds.get("at_risk", 70))
                counts[status.value] = counts.get(status.value, 0) + 1
                total += 1
                pairs.append((float(ind.get("weight") or 1), pct))
    return Rollup(weighted_rollup(pairs), counts, total)


# --------------------------------------------------------------------------- budget


def allocations(project: Node, years: list[int]) -> list[dict[str, Any]]:
    wanted = set(years)
    return [a for a in project.get("allocations", []) if not wanted or a.get("year") in wanted]


def is_project(node: Node) -> bool:
    return node.get("kind") in ("project", "activity")


@dataclass
class EvidenceCount:
    """Evidence files (photos, letters, PDFs) backing a project's progress reports and its indicators' actuals."""

    reports: int = 0  # progress reports in scope
    report_files: int = 0
    actual_files: int = 0

    @property
    def files(self) -> int:
        return self.report_files + self.actual_files


def evidence_count(node: Node, year: int | None = None) -> EvidenceCount:
    """What the booklet counts for a project: files on its progress reports and on its indicators'
    actuals (docs/dump-format.md `evidence`), only those of `year` when one is given."""
    def in_year(item: dict[str, Any]) -> bool:
        return year is None or item.get("year") == year

    count = EvidenceCount()
    for report in node.get("progress_reports", []):
        if in_year(report):
            count.reports += 1
            count.report_files += len(report.get("evidence") or [])
    for ind in node.get("indicators") or []:
        for actual in ind.get("actuals", []):
            if in_year(actual):
                count.actual_files += len(actual.get("evidence") or [])
    return count


def budget_by(plan_axes: list[Node], sel: Selection) -> tuple[dict[str, dict[int, int]], dict[str, dict[int, int]]]:
    """Allocated rials per fiscal year, by axis id and by responsible unit code."""
    by_axis: dict[str, dict[int, int]] = {}
    by_unit: dict[str, dict[int, int]] = {}
    for axis in plan_axes:
        row = by_axis.setdefault(axis["id"], {})
        for node, parents in walk([axis]):
            if not is_project(node) or node["id"] not in sel.full:
                continue
            unit = node.get("responsible_unit") or next(
                (p.get("responsible_unit") for p in reversed(parents) if p.get("responsible_unit")), "")
            urow = by_unit.setdefault(unit or "", {})
            for a in allocations(node, sel.years):
                y = a.get("year")
                amount = int(a.get("amount") or 0)
                row[y] = row.get(y, 0) + amount
                urow[y] = urow.get(y, 0) + amount
    return by_axis, by_unit


def lessons(plan: dict[str, Any], sel: Selection) -> list[tuple[Node | None, dict[str, Any]]]:
    out: list[tuple[Node | None, dict[str, Any]]] = [(None, lesson) for lesson in plan.get("lessons", [])]
    for node, _ in walk(axes(plan)):
        if node["id"] in sel.full:
            out.extend((node, lesson) for lesson in node.get("lessons", []))
    return out


def year_has_data(plan: dict[str, Any], year: int) -> bool:
    """Whether any indicator target or actual, or any allocation, of the plan falls in ``year``."""
    for node, _ in walk(axes(plan)):
        if any(a.get("year") == year and a.get("amount") for a in node.get("allocations", [])):
            return True
        for ind in node.get("indicators", []):
            if any(t.get("year") == year for t in ind.get("targets", [])) or \
                    any(a.get("year") == year for a in ind.get("actuals", [])):
                return True
    return False


# --------------------------------------------------------------------------- budget by code


@dataclass
class CodeBudget:
    """One budget code in one fiscal year: the approved ceiling, its supplements (متمم) and
    amendments (اصلاحیه), and what the plan's projects were allocated and spent under it."""

    code: str
    ceiling: int = 0
    supplements: int = 0
    amendments: int = 0
    allocated: int = 0
    spent: int = 0
    funds: list[tuple[Node, int, int]] = field(default_factory=list)  # (project, allocated, spent)

    @property
    def final(self) -> int:
        return self.ceiling + self.supplements + self.amendments


def budget_by_code(doc: dict[str, Any], plan: dict[str, Any], year: int, sel: Selection | None = None
                   ) -> dict[str, CodeBudget]:
    rows: dict[str, CodeBudget] = {}
    for budget in doc.get("annual_budgets", []):
        if budget.get("year") != year:
            continue
        for line in budget.get("lines", []):
            row = rows.setdefault(line["budget_code"], CodeBudget(line["budget_code"]))
            row.ceiling += int(line.get("ceiling") or 0)
        for change in budget.get("amendments", []):
            row = rows.setdefault(change["budget_code"], CodeBudget(change["budget_code"]))
            if change.get("kind") == "supplement":
                row.supplements += int(change.get("delta") or 0)
            else:
                row.amendments += int(change.get("delta") or 0)
    for node, _ in walk(axes(plan)):
        if not is_project(node) or (sel is not None and node["id"] not in sel.full):
            continue
        for a in node.get("allocations", []):
            if a.get("year") != year:
                continue
            row = rows.setdefault(a.get("budget_code", ""), CodeBudget(a.get("budget_code", "")))
            amount, spent = int(a.get("amount") or 0), int(a.get("spent") or 0)
            row.allocated += amount
            row.spent += spent
            row.funds.append((node, amount, spent))
    return dict(sorted(rows.items()))


def budget_years(doc: dict[str, Any], plan: dict[str, Any]) -> list[int]:
    """Fiscal years with an approved budget or an allocation of the plan."""
    years = {b.get("year") for b in doc.get("annual_budgets", [])}
    for node, _ in walk(axes(plan)):
        years.update(a.get("year") for a in node.get("allocations", []) if a.get("amount"))
    return sorted(y for y in years if isinstance(y, int))


def responsible_unit(node: Node, parents: tuple[Node, ...]) -> str:
    return node.get("responsible_unit") or next(
        (p.get("responsible_unit") for p in reversed(parents) if p.get("responsible_unit")), "") or ""
