"""Strategic plans: create and edit.  A submitted, approved or archived plan is read-only; its status
moves through planner_core.lifecycle (submit, return, approve, archive) and a change to an approved
plan is made in a new revision (an amendment)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from db.engine import Database
from db.models import Municipality, PlanNode, StrategicPlan
from planner_core import audit, fields
from planner_core.errors import NotFoundError, RuleError, ValidationError
from planner_core.levels import FROZEN_STATUSES, PLAN_STATUS_LABELS, PLAN_STATUSES
from planner_core.text import fold, to_ascii_digits, to_persian_digits

# Texts of the plan printed in its booklet (preface, mayor's message, methodology, values).
BOOKLET_TEXTS = ("preface", "mayor_message", "methodology", "plan_values")


@dataclass(frozen=True)
class PlanInfo:
    id: int
    uuid: str
    code: str
    title: str
    first_year: int
    last_year: int
    vision: str
    mission: str
    status: str
    on_track: float
    at_risk: float
    source_municipality: str | None
    # Booklet front matter; defaults keep older callers working.
    preface: str = ""
    mayor_message: str = ""
    methodology: str = ""
    plan_values: str = ""
    revision: int = 1
    supersedes_id: int | None = None

    @property
    def read_only(self) -> bool:
        return self.status in FROZEN_STATUSES

    @property
    def label(self) -> str:
        """Title with its revision, as lists show it: «اصفهان ۱۴۱۰ (ویرایش ۲)»."""
        return self.title if self.revision == 1 else f"{self.title} (ویرایش {to_persian_digits(self.revision)})"

    @property
    def period_label(self) -> str:
        return to_persian_digits(f"{self.first_year}–{self.last_year}")


def plan_info(session: Session, plan: StrategicPlan) -> PlanInfo:
    source = session.get(Municipality, plan.source_municipality_id) if plan.source_municipality_id else None
    return PlanInfo(plan.id, plan.uuid, plan.code, plan.title, plan.first_year, plan.last_year,
                    plan.vision, plan.mission, plan.status, plan.on_track_threshold,
                    plan.at_risk_threshold, source.name if source else None, plan.preface, plan.mayor_message,
                    plan.methodology, plan.plan_values, plan.revision, plan.supersedes_id)


def load_plan(session: Session, plan_id: int) -> StrategicPlan:
    plan = session.get(StrategicPlan, plan_id)
    if plan is None:
        raise NotFoundError("برنامه راهبردی پیدا نشد؛ شاید حذف شده باشد.")
    return plan


def _ensure_own(plan: StrategicPlan) -> None:
    """A plan received from another municipality is reference material until it is adopted."""
    if plan.source_municipality_id is not None:
        session = object_session(plan)
        source = session.get(Municipality, plan.source_municipality_id) if session is not None else None
        if source is None or not source.is_home:
            name = source.name if source is not None else "شهرداری دیگر"
            raise RuleError(f"برنامه «{plan.title}» از «{name}» رسیده و فقط برای مراجعه است؛ برای ویرایش، "
                            "نخست آن را به‌عنوان برنامه پیش‌نویس شهر خودتان برگزینید.")


def ensure_editable(plan: StrategicPlan) -> None:
    """Every content-writing service calls this: only a draft revision of the file's own plans may change.
    A plan received from another municipality is reference material until it is adopted as a draft
    of the file's own municipality."""
    _ensure_own(plan)
    if plan.status == "approved":
        raise RuleError(f"برنامه «{plan.title}» مصوب و فقط‌خواندنی است؛ "
                        "برای تغییر آن یک اصلاحیه (ویرایش تازه) بسازید.")
    if plan.status == "submitted":
        raise RuleError(f"برنامه «{plan.title}» برای بررسی فرستاده شده و فقط‌خواندنی است؛ "
                        "تا برای اصلاح برگردانده نشود تغییر نمی‌کند.")
    if plan.status == "archived":
        raise RuleError(f"برنامه «{plan.title}» بایگانی شده و فقط‌خواندنی است.")


def ensure_monitorable(plan: StrategicPlan) -> None:
    """Monitoring (actuals, progress reports, evaluations) goes on while a plan is approved;
    only an archived plan, or one received from another municipality, is closed to it."""
    _ensure_own(plan)
    if plan.status == "archived":
        raise RuleError(f"برنامه «{plan.title}» بایگانی شده است؛ پایش آن بسته است.")


@dataclass(frozen=True)
class EditRefusal:
    """Why a plan may not be edited (None from :func:`edit_refusal` when it may).

    ``kind`` is "received" (from another municipality) or the frozen status ("submitted", "approved",
    "archived"); ``monitoring`` is the refusal of monitoring (actuals, reports, evaluations), None when
    monitoring goes on (an approved or submitted plan)."""

    kind: str
    reason: str
    monitoring: str | None


def _refusal(check: object, plan: StrategicPlan) -> str | None:
    try:
        check(plan)  # type: ignore[operator]
    except RuleError as exc:
        return str(exc)
    return None


def edit_refusal(db: Database, plan_id: int) -> EditRefusal | None:
    """The plan part of "why is the editor read-only", decided by the same rules the services enforce."""
    with db.unit(write=False) as session:
        plan = load_plan(session, plan_id)
        reason = _refusal(ensure_editable, plan)
        if reason is None:
            return None
        received = _refusal(_ensure_own, plan) is not None
        return EditRefusal("received" if received else plan.status, reason, _refusal(ensure_monitorable, plan))


def list_plans(db: Database) -> list[PlanInfo]:
    with db.unit(write=False) as session:
        plans = session.scalars(select(StrategicPlan).order_by(StrategicPlan.first_year, StrategicPlan.id))
        return [plan_info(session, p) for p in plans]


def get_plan(db: Database, plan_id: int) -> PlanInfo:
    with db.unit(write=False) as session:
        return plan_info(session, load_plan(session, plan_id))


def find_plan(db: Database, code: str | None) -> PlanInfo:
    """The plan with this code, or the first plan when no code is given.

    ``CODE@N`` names revision N; a bare code the revision in force (see below).
    """
    plans = list_plans(db)
    if not plans:
        raise NotFoundError("این فایل هیچ برنامه راهبردی ندارد.")
    if code is None:
        return plans[0]
    wanted, _, revision = code.partition("@")
    if revision:
        try:
            number = int(to_ascii_digits(revision).strip())
        except ValueError:
            raise NotFoundError(f"شماره ویرایش «{revision}» عدد نیست.") from None
    matching = [p for p in plans if fold(p.code) == fold(wanted) and (not revision or p.revision == number)]
    if not matching:
        raise NotFoundError(f"برنامه‌ای با کد «{code}» در این فایل نیست.")
    # Without a revision: the one in force (the latest approved or archived), else the latest.
    settled = [p for p in matching if p.status in ("approved", "archived")]
    return max(settled or matching, key=lambda p: p.revision)


def _clean(session: Session, values: dict[str, object], plan: StrategicPlan | None) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in values.items():
        if key == "code":
            out[key] = fields.code("code", value)
            clash = session.scalars(select(StrategicPlan).where(StrategicPlan.code == out[key])).first()
            if clash is not None and clash is not plan and (plan is None or clash.code != plan.code):
                raise ValidationError("code", f"کد: برنامه دیگری با کد «{out[key]}» در این فایل هست.")
        elif key == "title":
            out[key] = fields.text("title", value, required=True, max_length=300)
        elif key in ("vision", "mission", *BOOKLET_TEXTS):
            out[key] = fields.text(key, value, max_length=20_000)
        elif key in ("first_year", "last_year"):
            out[key] = fields.year(key, value)
        elif key == "status":
            out[key] = fields.choice("status", value, PLAN_STATUSES, PLAN_STATUS_LABELS)
        elif key in ("on_track", "at_risk"):
            out[key + "_threshold"] = fields.number(key, value, minimum=0, maximum=100)
        else:
            raise ValidationError(key, f"فیلد «{key}» در برنامه راهبردی وجود ندارد.")
    return out


def _check_years(session: Session, plan: StrategicPlan) -> None:
    if plan.first_year > plan.last_year:
        raise ValidationError("last_year", "سال پایان: نباید پیش از سال شروع برنامه باشد.")
    if plan.at_risk_threshold > plan.on_track_threshold:
        raise ValidationError("at_risk", "آستانه «در معرض خطر» نباید از آستانه «در مسیر» بیشتر باشد.")
    outside = session.scalar(
        select(func.count()).select_from(PlanNode).where(
            PlanNode.plan_id == plan.id, PlanNode.kind == "program",
            (PlanNode.first_year < plan.first_year) | (PlanNode.last_year > plan.last_year)))
    if plan.id is not None and outside:
        raise ValidationError("first_year", f"سال‌های برنامه: {to_persian_digits(outside)} برنامه عملیاتی "
                              "بیرون از این بازه می‌افتد؛ نخست سال‌های آن‌ها را اصلاح کنید.")


def create_plan(db: Database, *, code: str, title: str, first_year: int | str, last_year: int | str,
                vision: str = "", mission: str = "", status: str = "draft") -> PlanInfo:
    with db.unit() as session:
        values = _clean(session, {"code": code, "title": title, "first_year": first_year,
                                  "last_year": last_year, "vision": vision, "mission": mission,
                                  "status": status}, None)
        plan = StrategicPlan(**values)
        if plan.first_year > plan.last_year:  # type: ignore[operator]
            raise ValidationError("last_year", "سال پایان: نباید پیش از سال شروع برنامه باشد.")
        session.add(plan)
        session.flush()
        info = plan_info(session, plan)
        audit.record(session, "create", "plan", plan.uuid, plan.title, after=asdict(info))
        return info


def update_plan(db: Database, plan_id: int, **changes: object) -> PlanInfo:
    """Change plan fields.  Only ``status`` may change while the plan is approved, and an approved or
    archived plan never goes back to draft: a change is an amendment (planner_core.lifecycle.revise)."""
    with db.unit() as session:
        plan = load_plan(session, plan_id)
        if set(changes) - {"status"}:
            ensure_editable(plan)
        if "status" in changes and plan.status in ("approved", "archived") \
                and changes["status"] in ("draft", "submitted"):
            raise RuleError(f"برنامه «{plan.title}» مصوب است و به پیش‌نویس برنمی‌گردد؛ "
                            "برای تغییر آن یک اصلاحیه (ویرایش تازه) بسازید.")
        before = plan_info(session, plan)
        for key, value in _clean(session, changes, plan).items():
            setattr(plan, key, value)
        session.flush()
        _check_years(session, plan)
        after = plan_info(session, plan)
        audit.record(session, "update", "plan", plan.uuid, plan.title, before=asdict(before), after=asdict(after))
        return after


def delete_plan(db: Database, plan_id: int) -> None:
    with db.unit() as session:
        plan = load_plan(session, plan_id)
        ensure_editable(plan)
        audit.record(session, "delete", "plan", plan.uuid, plan.title, before=asdict(plan_info(session, plan)))
        session.delete(plan)


def is_reference(plan: PlanInfo) -> bool:
    """A plan received from another municipality: read-only until adopted."""
    return plan.source_municipality is not None


def adopt_plan(db: Database, plan_id: int, code: str | None = None) -> PlanInfo:
    """Copy a received plan as a new draft plan of the file's own municipality.

    The copy has new UUIDs, a free code, and the structure, indicator definitions, targets and
    lessons learned (lessons keep their source); not the other city's actuals, reports or allocations.
    """
    from planner_core.exchange.adopt import adopt

    return adopt(db, plan_id, code)


def restore_plan(db: Database, info: PlanInfo) -> PlanInfo:
    """Undo of deleting an empty plan (e.g. redo of its creation): same id, UUID and fields,
    so commands recorded against the plan's id still apply."""
    with db.unit() as session:
        if session.get(StrategicPlan, info.id) is not None:
            raise RuleError("این برنامه راهبردی هم‌اکنون در فایل هست.")
        values = _clean(session, {"code": info.code, "title": info.title, "first_year": info.first_year,
                                  "last_year": info.last_year, "vision": info.vision,
                                  "mission": info.mission, "status": info.status,
                                  "on_track": info.on_track, "at_risk": info.at_risk,
                                  **{name: getattr(info, name) for name in BOOKLET_TEXTS}}, None)
        plan = StrategicPlan(id=info.id, uuid=info.uuid, **values)
        session.add(plan)
        session.flush()
        audit.record(session, "restore", "plan", plan.uuid, plan.title)
        return plan_info(session, plan)


def counted_plan_ids(session: Session) -> list[int]:
    """One revision per plan counts against the annual budget's ceilings: the one in force (the latest
    approved or archived revision), or the latest when none is approved.  The others (a superseded
    revision, an amendment still in draft) hold copies of the same allocations."""
    best: dict[str, StrategicPlan] = {}
    for plan in session.scalars(select(StrategicPlan).order_by(StrategicPlan.revision)):
        key = fold(plan.code)
        current = best.get(key)
        settled = plan.status in ("approved", "archived")
        if current is None or settled or current.status not in ("approved", "archived"):
            best[key] = plan
    return [p.id for p in best.values()]
