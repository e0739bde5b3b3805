"""Where a plan file lives: can the folder be written, is it a network drive or a sync folder."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

from planner_core.jalali import format_jalali
from planner_core.text import ltr, to_persian_digits

SYNC_FOLDERS = ("onedrive", "dropbox", "google drive", "googledrive", "my drive", "icloud drive", "icloud~",
                "nextcloud", "owncloud", "mega", "yandex.disk")
NETWORK_FILESYSTEMS = ("nfs", "nfs4", "cifs", "smb", "smbfs", "smb3", "fuse.sshfs", "9p", "afs", "ceph",
                       "glusterfs", "fuse.rclone", "davfs", "fuse.davfs2")


def folder_writable(path: Path) -> bool:
    """Whether SQLite could write beside ``path`` (its -wal, -shm and journal files)."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:  # a folder still to be made: its nearest parent
        folder = folder.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    return not path.exists() or os.access(path, os.W_OK)


def _mount_type(path: Path, mounts: str | None = None) -> str | None:
    """The filesystem type of the mount holding ``path`` (Linux /proc/mounts), or None."""
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    best, kind = "", None
    target = str(path.resolve())
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        if (target == point or target.startswith(point.rstrip("/") + "/")) and len(point) >= len(best):
            best, kind = point, parts[2]
    return kind


def place_warning(path: Path, mounts: str | None = None) -> str | None:
    """A Persian warning when SQLite's locking is not safe where ``path`` lives, else None."""
    text = str(path)
    lowered = [part.lower() for part in Path(text).parts]
    if text.startswith(("\\\\", "//")) and not text.startswith("//?/"):
        where = "روی یک پوشه شبکه"
    elif any(part.startswith(name) for part in lowered for name in SYNC_FOLDERS):
        where = "درون یک پوشه همگام‌سازی ابری (مانند OneDrive، Dropbox یا Google Drive)"
    elif sys.platform != "win32" and (_mount_type(path, mounts) or "") in NETWORK_FILESYSTEMS:
        where = "روی یک درایو شبکه"
    else:
        return None
    return (f"هشدار: فایل «{ltr(path)}» {where} است. قفل‌گذاری SQLite آنجا ایمن نیست و اگر دو نفر هم‌زمان "
            "آن را ویرایش کنند ممکن است داده از دست برود؛ فایل را روی دیسک همین رایانه نگه دارید و برای "
            "انتقال از آن رونوشت بگیرید.")


def format_moment(moment: datetime) -> str:
    """«۹ آذر ۱۴۰۵، ساعت ۱۴:۰۵» in local time."""
    local = moment.astimezone() if moment.tzinfo else moment
    return f"{format_jalali(local.date())}، ساعت {to_persian_digits(local.strftime('%H:%M'))}"
