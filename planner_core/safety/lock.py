"""One writer per file: a lock file ``FILE.db.lock`` beside the database.

It holds who writes (user, machine, process, since when, last heartbeat) as JSON, so a second
instance, or a colleague on a shared folder, is told in Persian who holds the file and may open it
read-only.  A lock left by a crash is stale (its process is gone on this machine, or its heartbeat
is older than ``STALE_AFTER``) and is taken over: renamed away first, so of two takers only one wins.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from planner_core.errors import StoreError
from planner_core.safety.places import format_moment
from planner_core.text import ltr

HEARTBEAT_SECONDS = 60
STALE_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class LockInfo:
    user: str
    host: str
    pid: int
    since: str  # ISO 8601, UTC
    heartbeat: str

    def message(self, path: Path) -> str:
        since = format_moment(datetime.fromisoformat(self.since))
        return (f"فایل «{ltr(path.name)}» را {self.user} روی رایانه «{ltr(self.host)}» از {since} برای ویرایش "
                "باز کرده است. تا وقتی آنجا بسته نشده، این فایل را فقط می‌توان خواند.")

    def english(self) -> str:
        return f"the file is open for editing by {self.user} on {self.host} since {self.since}"


class LockedError(StoreError):
    """Another instance holds the file for writing."""

    def __init__(self, path: Path, info: LockInfo) -> None:
        super().__init__(info.message(path), info.english())
        self.info = info


def lock_path(db_path: Path) -> Path:
    return Path(str(db_path) + ".lock")


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "کاربری ناشناس"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def lock_info(db_path: Path) -> LockInfo | None:
    """Who holds ``db_path`` for writing, or None (an unreadable lock counts as held by nobody known)."""
    try:
        data = json.loads(lock_path(db_path).read_text(encoding="utf-8"))
        return LockInfo(str(data["user"]), str(data["host"]), int(data["pid"]), str(data["since"]),
                        str(data.get("heartbeat") or data["since"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return LockInfo("کاربری ناشناس", "نامعلوم", 0, _now(), "1970-01-01T00:00:00+00:00")


def _windows_process_alive(pid: int) -> bool:
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would send Ctrl+C there
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def is_stale(info: LockInfo, now: datetime | None = None) -> bool:
    now = now or datetime.now(UTC)
    try:
        beat = datetime.fromisoformat(info.heartbeat)
    except ValueError:
        return True
    if now - beat > STALE_AFTER:
        return True
    return info.host == socket.gethostname() and not _process_alive(info.pid)


# Locks this process holds, by file: a second writing open in the same process shares the lock.
_held: dict[Path, WriterLock] = {}
_held_guard = threading.Lock()


class WriterLock:
    """The lock file of one database, taken with ``acquire`` and given back with ``release``."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.path = lock_path(db_path)
        self.info: LockInfo | None = None
        self._count = 0
        self._stop = threading.Event()
        self._beater: threading.Thread | None = None

    @classmethod
    def take(cls, db_path: Path) -> WriterLock:
        """The lock of ``db_path`` for this process; raises LockedError when another instance holds it."""
        key = db_path.resolve()
        with _held_guard:
            lock = _held.get(key) or cls(key)
            if lock._count == 0:
                lock._acquire()
            lock._count += 1
            _held[key] = lock
            return lock

    def _acquire(self) -> None:
        for _attempt in range(3):
            info = LockInfo(_user(), socket.gethostname(), os.getpid(), _now(), _now())
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                holder = lock_info(self.db_path)
                if holder is None:
                    continue  # released meanwhile
                if not is_stale(holder):
                    raise LockedError(self.db_path, holder) from None
                # Take a stale lock over: only one of two takers can rename it away.
                try:
                    os.replace(self.path, Path(f"{self.path}.stale-{os.getpid()}"))
                    Path(f"{self.path}.stale-{os.getpid()}").unlink(missing_ok=True)
                except FileNotFoundError:
                    pass
                continue
            except OSError as exc:
                raise StoreError("فایل قفل کنار پایگاه داده ساخته نشد؛ فایل برای ویرایش باز نشد.",
                                 f"cannot create the lock file: {exc}") from exc
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(asdict(info), handle, ensure_ascii=False)
            self.info = info
            self._start_heartbeat()
            return
        holder = lock_info(self.db_path)
        raise LockedError(self.db_path, holder or LockInfo(_user(), "?", 0, _now(), _now()))

    def _start_heartbeat(self) -> None:
        self._stop.clear()
        self._beater = threading.Thread(target=self._beat_loop, name="lock-heartbeat", daemon=True)
        self._beater.start()

    def _beat_loop(self) -> None:
        while not self._stop.wait(HEARTBEAT_SECONDS):
            self.beat()

    def beat(self) -> None:
        """Refresh the heartbeat (written to a temporary file, then renamed over the lock)."""
        if self.info is None:
            return
        self.info = LockInfo(**{**asdict(self.info), "heartbeat": _now()})
        temp = Path(f"{self.path}.{os.getpid()}.tmp")
        try:
            temp.write_text(json.dumps(asdict(self.info), ensure_ascii=False), encoding="utf-8")
            os.replace(temp, self.path)
        except OSError:
            temp.unlink(missing_ok=True)

    def release(self) -> None:
        with _held_guard:
            self._count -= 1
            if self._count > 0:
                return
            _held.pop(self.db_path, None)
        self._stop.set()
        holder = lock_info(self.db_path)
        if holder is not None and self.info is not None and holder.pid == self.info.pid \
                and holder.host == self.info.host and holder.since == self.info.since:
            self.path.unlink(missing_ok=True)
        self.info = None
