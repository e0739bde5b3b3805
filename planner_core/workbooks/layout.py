"""The sheets of a plan workbook: one per level, indicators, values, budget and monitoring.

Rows refer to each other the way planners do, by codes: a node by its plan code and its parent's
full code («۱-۲»), an indicator by its node's full code and its own code, an allocation by its
project's full code and a budget code.  UUIDs ride along in hidden «شناسه» columns so a workbook
exported from a file comes back as exactly the same plan; rows typed by hand get new ones.
"""

from __future__ import annotations

from planner_core.levels import (
    AMENDMENT_KIND_LABELS,
    DIRECTION_LABELS,
    FREQUENCY_LABELS,
    INDICATOR_KIND_LABELS,
    LABELS,
    NODE_STATE_LABELS,
    ORG_UNIT_KIND_LABELS,
    PERIOD_LABELS,
    PLAN_STATUS_LABELS,
)
from planner_core.text import MONEY_UNIT
from planner_core.workbooks.sheets import Column, SheetSpec

FORMAT = "barnamenegar-workbook"
VERSION = 1
KIND_PLAN = "plan"
KIND_UPDATE = "update"

ID = Column("id", "شناسه (UUID)", "uuid", 38, hidden=True)
PLAN = Column("plan", "کد برنامه راهبردی", "code", 14, required=True)
PARENT = Column("parent", "کد کامل والد", "code", 12, required=True)
CODE = Column("code", "کد", "code", 8, required=True)
TITLE = Column("title", "عنوان", "text", 40, required=True, max_length=300)
DESCRIPTION = Column("description", "شرح", "text", 50, max_length=20_000)
UNIT = Column("responsible_unit", "کد واحد مسئول", "code", 14)
SOURCE = (Column("source_id", "شناسه شهرداری منبع", "uuid", 38, hidden=True),
          Column("source_name", "شهرداری منبع", "text", 20),
          Column("source_province", "استان شهرداری منبع", "text", 14))

INFO_SHEET = "اطلاعات فایل"
INFO_ROWS = (  # key in the sheet's hidden first column, Persian label shown beside it
    ("format", "قالب فایل"), ("version", "نسخه قالب"), ("kind", "نوع کارپوشه"),
    ("municipality_id", "شناسه شهرداری"), ("municipality", "شهرداری"), ("province", "استان"),
    ("exported_at", "زمان تهیه"), ("year", "سال"), ("quarter", "فصل"), ("unit", "کد واحد مسئول"),
    ("unit_name", "واحد مسئول"),
)

PLANS = SheetSpec("برنامه‌ها", (
    ID, Column("code", "کد برنامه", "code", 14, required=True), TITLE,
    Column("first_year", "سال شروع", "year", 10, required=True),
    Column("last_year", "سال پایان", "year", 10, required=True),
    Column("vision", "چشم‌انداز", "text", 50, max_length=20_000),
    Column("mission", "مأموریت", "text", 50, max_length=20_000),
    Column("status", "وضعیت", "choice", 12, required=True, choices=PLAN_STATUS_LABELS),
    Column("on_track", "آستانه «در مسیر» (٪)", "number", 12, minimum=0, maximum=100),
    Column("at_risk", "آستانه «در معرض خطر» (٪)", "number", 12, minimum=0, maximum=100),
    *SOURCE))

PROJECT_KIND_LABELS = {"project": LABELS["project"], "activity": LABELS["activity"]}

LEVEL_SHEETS: dict[str, SheetSpec] = {
    "axis": SheetSpec("محورها", (ID, PLAN, CODE, TITLE, DESCRIPTION, UNIT)),
    "goal": SheetSpec("اهداف کلان", (ID, PLAN, PARENT, CODE, TITLE, DESCRIPTION, UNIT)),
    "strategy": SheetSpec("راهبردها", (ID, PLAN, PARENT, CODE, TITLE, DESCRIPTION, UNIT)),
    "program": SheetSpec("برنامه‌های عملیاتی", (
        ID, PLAN, PARENT, CODE, TITLE, DESCRIPTION, UNIT,
        Column("first_year", "سال شروع", "year", 10, required=True),
        Column("last_year", "سال پایان", "year", 10, required=True))),
    "project": SheetSpec("پروژه‌ها و فعالیت‌ها", (
        ID, PLAN, PARENT, CODE, Column("kind", "نوع", "choice", 10, required=True, choices=PROJECT_KIND_LABELS),
        TITLE, DESCRIPTION, UNIT,
        Column("start_date", "تاریخ شروع", "date", 12), Column("end_date", "تاریخ پایان", "date", 12),
        Column("location", "محل اجرا", "text", 18, max_length=300),
        Column("weight", "وزن", "number", 8, minimum=0, maximum=1_000_000),
        Column("state", "وضعیت اجرا", "choice", 14, choices=NODE_STATE_LABELS))),
}

NODE = Column("node", "کد کامل گره", "code", 12, required=True)
INDICATOR = Column("indicator", "کد شاخص", "code", 9, required=True)
INDICATOR_TITLE = Column("indicator_title", "عنوان شاخص (راهنما)", "info", 36)

INDICATORS = SheetSpec("شاخص‌ها", (
    ID, PLAN, NODE, CODE, TITLE,
    Column("kind", "نوع شاخص", "choice", 11, required=True, choices=INDICATOR_KIND_LABELS),
    Column("unit", "واحد سنجش", "text", 16, max_length=100),
    Column("direction", "جهت مطلوب", "choice", 22, required=True, choices=DIRECTION_LABELS),
    Column("baseline_year", "سال پایه", "year", 9), Column("baseline_value", "مقدار پایه", "number", 11),
    Column("definition", "تعریف", "text", 36, max_length=20_000),
    Column("data_source", "منبع داده", "text", 18, max_length=300),
    Column("frequency", "دوره گزارش", "choice", 11, required=True, choices=FREQUENCY_LABELS),
    Column("weight", "وزن", "number", 8, minimum=0, maximum=1_000_000)))

TARGETS = SheetSpec("مقادیر هدف شاخص‌ها", (
    PLAN, NODE, INDICATOR, INDICATOR_TITLE, Column("year", "سال", "year", 9, required=True),
    Column("value", "مقدار هدف", "number", 12, required=True)))

ACTUALS = SheetSpec("مقادیر واقعی شاخص‌ها", (
    PLAN, NODE, INDICATOR, INDICATOR_TITLE, Column("year", "سال", "year", 9, required=True),
    Column("period", "دوره", "choice", 11, required=True, choices=PERIOD_LABELS),
    Column("value", "مقدار واقعی", "number", 12, required=True),
    Column("note", "یادداشت", "text", 36, max_length=5000)))

UNITS = SheetSpec("واحدهای مسئول", (
    ID, Column("code", "کد واحد", "code", 12, required=True),
    Column("name", "نام واحد", "text", 36, required=True),
    Column("kind", "نوع واحد", "choice", 10, required=True, choices=ORG_UNIT_KIND_LABELS),
    Column("parent", "کد واحد بالادست", "code", 14)))

BUDGET_CODES = SheetSpec("کدهای بودجه", (
    ID, Column("code", "کد بودجه", "code", 14, required=True),
    Column("title", "عنوان", "text", 40, required=True, max_length=300),
    Column("parent", "کد والد", "code", 14),
    Column("level", "سطح", "int", 6, minimum=1, maximum=20)))

BUDGETS = SheetSpec("بودجه‌های سالانه", (
    ID, Column("year", "سال", "year", 9, required=True), Column("title", "عنوان", "text", 30),
    Column("approved_on", "تاریخ تصویب", "date", 12)))

MONEY = f"({MONEY_UNIT})"
LINES = SheetSpec("سقف‌های بودجه", (
    Column("year", "سال", "year", 9, required=True), Column("budget_code", "کد بودجه", "code", 14, required=True),
    Column("code_title", "عنوان کد (راهنما)", "info", 30),
    Column("ceiling", f"سقف اعتبار {MONEY}", "money", 18, required=True)))

AMENDMENTS = SheetSpec("اصلاحیه‌های بودجه", (
    ID, Column("year", "سال", "year", 9, required=True),
    Column("budget_code", "کد بودجه", "code", 14, required=True),
    Column("date", "تاریخ", "date", 12, required=True),
    Column("kind", "نوع", "choice", 10, required=True, choices=AMENDMENT_KIND_LABELS),
    Column("delta", f"مبلغ تغییر {MONEY}", "money", 18, required=True, allow_negative=True),
    Column("reason", "دلیل", "text", 40, max_length=5000)))

PROJECT = Column("project", "کد کامل پروژه", "code", 12, required=True)
PROJECT_TITLE = Column("project_title", "عنوان پروژه (راهنما)", "info", 36)

ALLOCATIONS = SheetSpec("تخصیص‌ها", (
    ID, PLAN, PROJECT, PROJECT_TITLE, Column("year", "سال", "year", 9, required=True),
    Column("budget_code", "کد بودجه", "code", 14, required=True),
    Column("amount", f"مبلغ تخصیص {MONEY}", "money", 18, required=True),
    Column("spent", f"هزینه‌شده {MONEY}", "money", 18)))

REPORTS = SheetSpec("گزارش‌های پیشرفت", (
    ID, PLAN, PROJECT, PROJECT_TITLE, Column("year", "سال", "year", 9, required=True),
    Column("quarter", "فصل", "int", 6, required=True, minimum=1, maximum=4),
    Column("physical_progress", "پیشرفت فیزیکی (٪)", "number", 12, required=True, minimum=0, maximum=100),
    Column("spent", f"هزینه‌شده {MONEY}", "money", 16),
    Column("narrative", "شرح پیشرفت", "text", 40, max_length=20_000),
    Column("corrective_action", "اقدام اصلاحی", "text", 40, max_length=20_000),
    Column("reported_on", "تاریخ گزارش", "date", 12)))

LESSONS = SheetSpec("درس‌آموخته‌ها", (
    ID, PLAN, Column("node", "کد کامل گره (خالی: خود برنامه)", "code", 14), TITLE,
    Column("body", "متن", "text", 60, max_length=20_000), Column("recorded_on", "تاریخ ثبت", "date", 12),
    *SOURCE), required=False)

# In the order the sheets appear; reading follows the same order (parents before children).
PLAN_SHEETS: tuple[SheetSpec, ...] = (
    PLANS, *LEVEL_SHEETS.values(), INDICATORS, TARGETS, ACTUALS, UNITS, BUDGET_CODES, BUDGETS, LINES, AMENDMENTS,
    ALLOCATIONS, REPORTS, LESSONS)
