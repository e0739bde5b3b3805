"""Indicators on plan nodes, with a target per fiscal year and actuals per year or quarter."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import Indicator, IndicatorActual, IndicatorTarget, PlanNode
from planner_core import audit, fields
from planner_core.errors import NotFoundError, ValidationError
from planner_core.levels import (
    ALLOWED_INDICATOR_KINDS,
    DIRECTION_LABELS,
    DIRECTIONS,
    FREQUENCIES,
    FREQUENCY_LABELS,
    INDICATOR_KIND_LABELS,
    LABELS,
    period_name,
    period_number,
)
from planner_core.plans import ensure_editable, ensure_monitorable, load_plan
from planner_core.progress import Achievement, indicator_achievement, year_actual
from planner_core.text import fold, to_persian_digits

INDICATOR_FIELDS = ("code", "title", "kind", "unit", "direction", "baseline_year", "baseline_value",
                    "definition", "data_source", "frequency", "weight")


@dataclass(frozen=True)
class ActualInfo:
    year: int
    period: str
    value: float
    note: str = ""


@dataclass(frozen=True)
class IndicatorInfo:
    id: int
    uuid: str
    node_id: int
    code: str
    title: str
    kind: str
    unit: str
    direction: str
    baseline_year: int | None
    baseline_value: float | None
    definition: str
    data_source: str
    frequency: str
    weight: float
    targets: dict[int, float] = field(default_factory=dict)
    actuals: tuple[ActualInfo, ...] = ()
    sort_order: int = 0

    @property
    def kind_label(self) -> str:
        return INDICATOR_KIND_LABELS[self.kind]

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in INDICATOR_FIELDS}

    def actual(self, year: int, period: str = "annual") -> ActualInfo | None:
        return next((a for a in self.actuals if a.year == year and a.period == period), None)

    def year_actual(self, year: int) -> float | None:
        """The value a year is judged on: the annual actual, else the latest quarter reported
        (the same rule rollups.indicator_progress applies in SQL)."""
        by_period = {a.period: a.value for a in self.actuals if a.year == year}
        return year_actual(by_period.get("annual"), [by_period.get(q) for q in ("q1", "q2", "q3", "q4")])

    def achievement(self, year: int) -> Achievement:
        return indicator_achievement(self.direction, self.baseline_value, self.targets.get(year),
                                     self.year_actual(year))


def _load(session: Session, indicator_id: int) -> Indicator:
    indicator = session.get(Indicator, indicator_id)
    if indicator is None:
        raise NotFoundError("شاخص پیدا نشد؛ شاید حذف شده باشد.")
    return indicator


def _editable_node(session: Session, node_id: int, monitoring: bool = False) -> PlanNode:
    """The node, if its plan may change: content only in a draft; actuals (``monitoring``) also
    while the plan is approved."""
    node = session.get(PlanNode, node_id)
    if node is None:
        raise NotFoundError("گره برنامه پیدا نشد.")
    (ensure_monitorable if monitoring else ensure_editable)(load_plan(session, node.plan_id))
    return node


def indicator_info(session: Session, indicator: Indicator) -> IndicatorInfo:
    targets = {t.year: t.value for t in session.scalars(
        select(IndicatorTarget).where(IndicatorTarget.indicator_id == indicator.id)
        .order_by(IndicatorTarget.year))}
    actuals = tuple(ActualInfo(a.year, period_name(a.period), a.value, a.note) for a in session.scalars(
        select(IndicatorActual).where(IndicatorActual.indicator_id == indicator.id)
        .order_by(IndicatorActual.year, IndicatorActual.period)))
    return IndicatorInfo(indicator.id, indicator.uuid, indicator.node_id, indicator.code, indicator.title,
                         indicator.kind, indicator.unit, indicator.direction, indicator.baseline_year,
                         indicator.baseline_value, indicator.definition, indicator.data_source,
                         indicator.frequency, indicator.weight, targets, actuals, indicator.sort_order)


def list_indicators(db: Database, node_id: int) -> list[IndicatorInfo]:
    with db.unit() as session:
        rows = session.scalars(select(Indicator).where(Indicator.node_id == node_id)
                               .order_by(Indicator.sort_order, Indicator.id))
        return [indicator_info(session, i) for i in rows]


def get_indicator(db: Database, indicator_id: int) -> IndicatorInfo:
    with db.unit() as session:
        return indicator_info(session, _load(session, indicator_id))


def _clean(node: PlanNode, values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "code":
            out[key] = fields.code("code", value)
        elif key == "title":
            out[key] = fields.text("title", value, required=True)
        elif key == "kind":
            allowed = ALLOWED_INDICATOR_KINDS[node.kind]
            if value not in allowed:
                names = "، ".join(INDICATOR_KIND_LABELS[k] for k in allowed)
                shown = INDICATOR_KIND_LABELS.get(value, value)
                raise ValidationError("kind", f"نوع شاخص: شاخص {shown} برای {LABELS[node.kind]} مجاز نیست؛ "
                                      f"مجاز: {names}.")
            out[key] = value
        elif key in ("unit", "data_source"):
            out[key] = fields.text(key, value, max_length=300)
        elif key == "definition":
            out[key] = fields.text(key, value, max_length=20_000)
        elif key == "direction":
            out[key] = fields.choice(key, value, DIRECTIONS, DIRECTION_LABELS)
        elif key == "frequency":
            out[key] = fields.choice(key, value, FREQUENCIES, FREQUENCY_LABELS)
        elif key == "baseline_year":
            out[key] = fields.year(key, value, required=False)
        elif key == "baseline_value":
            out[key] = fields.number(key, value, required=False)
        elif key == "weight":
            out[key] = fields.number(key, value, minimum=0)
        else:
            raise ValidationError(key, f"فیلد «{key}» در شاخص وجود ندارد.")
    return out


def _check_code(session: Session, node_id: int, code: str, exclude: int | None) -> None:
    others = session.execute(select(Indicator.id, Indicator.code).where(Indicator.node_id == node_id)).all()
    if any(fold(c) == fold(code) and i != exclude for i, c in others):
        raise ValidationError("code", f"کد: شاخص دیگری با کد «{to_persian_digits(code)}» روی همین گره هست.")


def add_indicator(db: Database, node_id: int, *, title: str, kind: str | None = None,
                  **values: Any) -> IndicatorInfo:
    with db.unit() as session:
        node = _editable_node(session, node_id)
        kind = kind or ALLOWED_INDICATOR_KINDS[node.kind][0]
        cleaned = _clean(node, {"title": title, "kind": kind, **values})
        existing = session.scalars(select(Indicator.code).where(Indicator.node_id == node_id)).all()
        if "code" not in cleaned:
            numbers = [int(c) for c in existing if c.isdigit()]
            cleaned["code"] = str(max(numbers, default=0) + 1)
        _check_code(session, node_id, cleaned["code"], None)
        indicator = Indicator(node_id=node_id, sort_order=len(existing), **cleaned)
        session.add(indicator)
        session.flush()
        info = indicator_info(session, indicator)
        audit.record(session, "create", "indicator", indicator.uuid, indicator.title, after=asdict(info))
        return info


def update_indicator(db: Database, indicator_id: int, **changes: Any) -> IndicatorInfo:
    with db.unit() as session:
        indicator = _load(session, indicator_id)
        node = _editable_node(session, indicator.node_id)
        before = indicator_info(session, indicator)
        cleaned = _clean(node, changes)
        if "code" in cleaned:
            _check_code(session, node.id, cleaned["code"], indicator.id)
        for key, value in cleaned.items():
            setattr(indicator, key, value)
        session.flush()
        after = indicator_info(session, indicator)
        audit.record(session, "update", "indicator", indicator.uuid, indicator.title,
                     before=asdict(before), after=asdict(after))
        return after


def delete_indicator(db: Database, indicator_id: int) -> IndicatorInfo:
    """Delete an indicator; returns it whole (targets and actuals) so undo can re-create it."""
    with db.unit() as session:
        indicator = _load(session, indicator_id)
        _editable_node(session, indicator.node_id)
        info = indicator_info(session, indicator)
        audit.record(session, "delete", "indicator", indicator.uuid, indicator.title, before=asdict(info))
        session.delete(indicator)
        return info


def restore_indicator(db: Database, info: IndicatorInfo) -> IndicatorInfo:
    with db.unit() as session:
        _editable_node(session, info.node_id)
        indicator = Indicator(id=info.id, uuid=info.uuid, node_id=info.node_id, sort_order=info.sort_order,
                              **info.values())
        session.add(indicator)
        session.flush()
        for year, value in info.targets.items():
            session.add(IndicatorTarget(indicator_id=indicator.id, year=year, value=value))
        for actual in info.actuals:
            session.add(IndicatorActual(indicator_id=indicator.id, year=actual.year,
                                        period=period_number(actual.period), value=actual.value,
                                        note=actual.note))
        session.flush()
        audit.record(session, "restore", "indicator", indicator.uuid, indicator.title)
        return indicator_info(session, indicator)


def set_target(db: Database, indicator_id: int, year: int | str, value: object) -> float | None:
    """Set (or, with an empty value, clear) a year's target.  Returns the previous target."""
    with db.unit() as session:
        indicator = _load(session, indicator_id)
        _editable_node(session, indicator.node_id)
        fiscal_year = fields.year("year", year)
        number = fields.number("value", value, required=False)
        row = session.scalars(select(IndicatorTarget).where(
            IndicatorTarget.indicator_id == indicator_id, IndicatorTarget.year == fiscal_year)).first()
        previous = row.value if row else None
        if number is None:
            if row:
                session.delete(row)
        elif row:
            row.value = number
        else:
            session.add(IndicatorTarget(indicator_id=indicator_id, year=fiscal_year, value=number))
        audit.record(session, "target", "indicator", indicator.uuid, indicator.title,
                     before={"year": fiscal_year, "value": previous}, after={"year": fiscal_year, "value": number})
        return previous


def set_actual(db: Database, indicator_id: int, year: int | str, period: str | int, value: object,
               note: str | None = None) -> ActualInfo | None:
    """Record (or clear) an actual for a year or a quarter.  Returns the previous one for undo."""
    with db.unit() as session:
        indicator = _load(session, indicator_id)
        _editable_node(session, indicator.node_id, monitoring=True)
        fiscal_year = fields.year("year", year)
        number_period = period_number(period)
        number = fields.number("value", value, required=False)
        row = session.scalars(select(IndicatorActual).where(
            IndicatorActual.indicator_id == indicator_id, IndicatorActual.year == fiscal_year,
            IndicatorActual.period == number_period)).first()
        previous = ActualInfo(row.year, period_name(row.period), row.value, row.note) if row else None
        if number is None:
            if row:
                session.execute(delete(IndicatorActual).where(IndicatorActual.id == row.id))
        elif row:
            row.value = number
            if note is not None:
                row.note = fields.text("note", note, max_length=5000)
        else:
            session.add(IndicatorActual(indicator_id=indicator_id, year=fiscal_year, period=number_period,
                                        value=number, note=fields.text("note", note or "", max_length=5000)))
        audit.record(session, "actual", "indicator", indicator.uuid, indicator.title,
                     before=asdict(previous) if previous else None,
                     after={"year": fiscal_year, "period": period_name(number_period), "value": number})
        return previous
