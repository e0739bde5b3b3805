"""The sheets of a responsible unit's quarterly update workbook.

Grey cells (what the plan says) are locked; the unit fills the yellow ones: physical progress,
spending, narrative and corrective action of each of its projects, and the actual of each of its
indicators due this quarter.  Hidden «شناسه» columns tie each row to its project or indicator.
"""

from __future__ import annotations

from planner_core.levels import PERIOD_LABELS
from planner_core.text import MONEY_UNIT
from planner_core.workbooks.sheets import Column, SheetSpec

MONEY = f"({MONEY_UNIT})"

PROGRESS = SheetSpec("پیشرفت پروژه‌ها", (
    Column("id", "شناسه پروژه", "uuid", 38, required=True, hidden=True),
    Column("plan", "برنامه", "info", 10),
    Column("full_code", "کد", "info", 10),
    Column("title", "پروژه / فعالیت", "info", 36),
    Column("program", "برنامه عملیاتی", "info", 26),
    Column("previous", "پیشرفت تا فصل قبل (٪)", "info", 12),
    Column("allocated", f"اعتبار سال {MONEY}", "info", 14, number_format="#,##0.######"),
    Column("physical_progress", "پیشرفت فیزیکی تجمعی (٪)", "number", 13, minimum=0, maximum=100),
    Column("spent", f"هزینه‌شده تا پایان فصل {MONEY}", "money", 16),
    Column("narrative", "شرح پیشرفت", "text", 40, max_length=20_000),
    Column("corrective_action", "اقدام اصلاحی (اگر عقب است)", "text", 40, max_length=20_000),
    Column("reported_on", "تاریخ گزارش", "date", 12),
))
PROGRESS_INPUTS = ("physical_progress", "spent", "narrative", "corrective_action", "reported_on")

VALUES = SheetSpec("مقادیر شاخص‌ها", (
    Column("id", "شناسه شاخص", "uuid", 38, required=True, hidden=True),
    Column("period", "دوره", "choice", 10, required=True, choices=PERIOD_LABELS),
    Column("node", "کد گره", "info", 10),
    Column("node_title", "گره برنامه", "info", 30),
    Column("title", "شاخص", "info", 32),
    Column("unit", "واحد سنجش", "info", 14),
    Column("direction", "جهت مطلوب", "info", 14),
    Column("baseline", "مقدار پایه", "info", 10),
    Column("target", "هدف سال", "info", 10),
    Column("value", "مقدار واقعی", "number", 12),
    Column("note", "یادداشت", "text", 36, max_length=5000),
), required=False)
VALUE_INPUTS = ("value", "note")
