"""The plan's levels and what each allows, in the planners' own terms."""

from __future__ import annotations

LEVELS = ("axis", "goal", "strategy", "program", "project", "activity")

# Which kinds of node may sit under a parent kind; None is the plan itself.
CHILD_KINDS: dict[str | None, tuple[str, ...]] = {
    None: ("axis",),
    "axis": ("goal",),
    "goal": ("strategy",),
    "strategy": ("program",),
    "program": ("project", "activity"),
    "project": (),
    "activity": (),
}
PARENT_KIND: dict[str, str | None] = {
    "axis": None, "goal": "axis", "strategy": "goal", "program": "strategy",
    "project": "program", "activity": "program",
}
DEPTH = {"axis": 1, "goal": 2, "strategy": 3, "program": 4, "project": 5, "activity": 5}

LABELS = {
    "plan": "برنامه راهبردی",
    "axis": "محور",
    "goal": "هدف کلان",
    "strategy": "راهبرد",
    "program": "برنامه عملیاتی",
    "project": "پروژه",
    "activity": "فعالیت",
}
PLURAL_LABELS = {
    "axis": "محورها", "goal": "اهداف کلان", "strategy": "راهبردها",
    "program": "برنامه‌های عملیاتی", "project": "پروژه‌ها", "activity": "فعالیت‌ها",
}
# The key holding a node's children in the plan document (dump JSON).
CHILDREN_KEY = {"axis": "goals", "goal": "strategies", "strategy": "programs", "program": "projects"}

INDICATOR_KINDS = ("outcome", "output", "result")
INDICATOR_KIND_LABELS = {"outcome": "پیامدی", "output": "خروجی", "result": "نتیجه‌ای"}
ALLOWED_INDICATOR_KINDS: dict[str, tuple[str, ...]] = {
    "axis": ("outcome",),
    "goal": ("outcome",),
    "strategy": ("outcome",),
    "program": ("output", "result"),
    "project": ("output", "result"),
    "activity": ("output", "result"),
}
DIRECTIONS = ("increase", "decrease")
DIRECTION_LABELS = {"increase": "افزایشی (بیشتر بهتر است)", "decrease": "کاهشی (کمتر بهتر است)"}
FREQUENCIES = ("annual", "semiannual", "quarterly")
FREQUENCY_LABELS = {"annual": "سالانه", "semiannual": "شش‌ماهه", "quarterly": "فصلی"}
PERIODS = ("annual", "q1", "q2", "q3", "q4")  # stored as 0..4
PERIOD_LABELS = {"annual": "سالانه", "q1": "فصل اول", "q2": "فصل دوم", "q3": "فصل سوم", "q4": "فصل چهارم"}

PLAN_STATUSES = ("draft", "submitted", "approved", "archived")
PLAN_STATUS_LABELS = {"draft": "پیش‌نویس", "submitted": "در حال بررسی", "approved": "مصوب", "archived": "بایگانی"}
# Content (structure, titles, indicators' definitions and targets, allocations) is frozen in these
# statuses, by the services and by database triggers (migration 0003); monitoring goes on.
FROZEN_STATUSES = ("submitted", "approved", "archived")
NODE_STATES = ("planned", "in_progress", "completed", "suspended")
NODE_STATE_LABELS = {
    "planned": "برنامه‌ریزی‌شده", "in_progress": "در حال اجرا", "completed": "تکمیل‌شده", "suspended": "متوقف",
}
ORG_UNIT_KINDS = ("deputy", "department", "district")
ORG_UNIT_KIND_LABELS = {"deputy": "معاونت", "department": "اداره", "district": "منطقه"}
AMENDMENT_KINDS = ("supplement", "amendment")
AMENDMENT_KIND_LABELS = {"supplement": "متمم", "amendment": "اصلاحیه"}


def period_number(period: str | int) -> int:
    if isinstance(period, int):
        if 0 <= period <= 4:
            return period
    elif period in PERIODS:
        return PERIODS.index(period)
    from planner_core.errors import ValidationError

    raise ValidationError("period", f"دوره «{period}» معتبر نیست؛ سالانه یا فصل ۱ تا ۴.")


def period_name(number: int) -> str:
    return PERIODS[number]
