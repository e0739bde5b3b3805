"""A write that meets another writer's lock, or a store opened read-only: told in Persian.

SQLite already waits ``BUSY_TIMEOUT_MS`` for a lock; ``retry_on_busy`` tries once more before the
caller tells the planner, and ``StoreBusyError`` is the refusal a command can show and keep (an
undo that failed on a lock can be tried again: nothing happened).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import OperationalError

from planner_core.errors import PlannerError
from planner_core.messages import store_failure

T = TypeVar("T")

BUSY = ("فایل را برنامه یا کاربر دیگری در همین لحظه برای نوشتن گرفته است؛ چند ثانیه صبر شد و دوباره تلاش شد "
        "ولی هنوز آزاد نشده است. چیزی تغییر نکرد؛ کمی بعد دوباره امتحان کنید.")
READ_ONLY = "این فایل فقط برای خواندن باز است؛ تغییر ذخیره نشد."
DISK_FULL = "جای خالی دیسک تمام شده است؛ تغییر ذخیره نشد و فایل دست‌نخورده ماند. جایی باز کنید و دوباره امتحان کنید."


class StoreBusyError(PlannerError):
    english = "the database is locked by another writer"

    def __init__(self) -> None:
        super().__init__(BUSY)


class StoreReadOnlyError(PlannerError):
    english = "the database is open read-only"

    def __init__(self) -> None:
        super().__init__(READ_ONLY)


class DiskFullError(PlannerError):
    english = "the disk is full; nothing was saved"

    def __init__(self) -> None:
        super().__init__(DISK_FULL)


def is_busy(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and store_failure(exc) == "busy"


def as_planner_error(exc: BaseException) -> PlannerError | None:
    """The Persian refusal for a store failure a planner can understand, or None for anything else."""
    if not isinstance(exc, OperationalError):
        return None
    refusal = {"busy": StoreBusyError, "read_only": StoreReadOnlyError, "full": DiskFullError}.get(
        store_failure(exc) or "")
    return refusal() if refusal is not None else None


def retry_on_busy(step: Callable[[], T], attempts: int = 2) -> T:
    for attempt in range(attempts):
        try:
            return step()
        except OperationalError as exc:
            if not is_busy(exc) or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")
