"""Data safety around the store: one writer at a time (lock file), warnings about risky places,
health checks of a file before it is written.  Backups live in planner_core.backups.

Public: ``WriterLock``, ``LockedError``, ``lock_info``, ``place_warning``, ``folder_writable``,
``file_health``, ``format_moment``.
"""

from planner_core.safety.health import Health, file_health
from planner_core.safety.lock import LockedError, LockInfo, WriterLock, lock_info
from planner_core.safety.places import folder_writable, format_moment, place_warning

__all__ = ["Health", "LockInfo", "LockedError", "WriterLock", "file_health", "folder_writable", "format_moment",
           "lock_info", "place_warning"]
