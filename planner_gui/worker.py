"""Long jobs (booklet export, imports, large roll-ups) off the UI thread.

    job = Job(lambda progress, cancelled: export_booklet(path, out, options, progress, cancelled))
    job.progress.connect(bar_update)        # (done, total, text), on the UI thread
    job.finished.connect(on_done)           # the function's return value
    job.failed.connect(message.show_error)  # a Persian sentence, never a traceback
    job.cancelled.connect(on_cancelled)
    job.start()
    ...
    job.cancel()                            # the function sees cancelled() -> True and stops

The function runs on a QThreadPool thread.  It receives plain values (paths, ids, option
dataclasses) and opens its own store there; it must never touch widgets or ORM objects
of the UI thread.  Its reports travel back by queued signals, so every slot runs on the
UI thread.  A function that stops because ``cancelled()`` became true should raise
:class:`JobCancelled` (or any exception whose class is listed in ``cancel_exceptions``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from planner_core.errors import PlannerError
from planner_core.messages import is_persian

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int, str], None]
CancelledFn = Callable[[], bool]
JobFunction = Callable[[ProgressFn, CancelledFn], Any]

UNEXPECTED = "کار با خطای پیش‌بینی‌نشده متوقف شد؛ جزئیات در پرونده گزارش برنامه ثبت شد."


class JobCancelled(Exception):
    """Raised by a job function that stopped because it was asked to."""


class _Relay(QObject):
    """Lives on the UI thread; the pool thread emits on it, so delivery is queued."""

    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class _Runnable(QRunnable):
    def __init__(self, function: JobFunction, relay: _Relay, stop: threading.Event,
                 cancel_exceptions: tuple[type[BaseException], ...]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._function = function
        self._relay = relay
        self._stop = stop
        self._cancel_exceptions = cancel_exceptions

    def run(self) -> None:
        relay, stop = self._relay, self._stop

        def progress(done: int, total: int, text: str = "") -> None:
            relay.progress.emit(int(done), int(total), str(text))

        try:
            result = self._function(progress, stop.is_set)
        except self._cancel_exceptions:
            relay.cancelled.emit()
        except (PlannerError, ValueError) as exc:
            # Services and the booklet renderer raise these with a Persian sentence for the user;
            # a ValueError from a library speaks English and is logged, not shown.
            if isinstance(exc, PlannerError) or is_persian(str(exc)):
                relay.failed.emit(str(exc))
            else:
                log.exception("background job failed")
                relay.failed.emit(UNEXPECTED)
        except Exception:
            log.exception("background job failed")
            relay.failed.emit(UNEXPECTED)
        else:
            if stop.is_set():
                relay.cancelled.emit()
            else:
                relay.succeeded.emit(result)


class Job(QObject):
    """One run of a function on the thread pool, with UI-thread signals and a cancel flag."""

    progress = Signal(int, int, str)  # done, total, text
    finished = Signal(object)  # the function's return value
    failed = Signal(str)  # a message to show as it is
    cancelled = Signal()
    done = Signal()  # after any of finished/failed/cancelled

    _running: set[Job] = set()  # keeps a started job alive until it reports back

    def __init__(self, function: JobFunction, parent: QObject | None = None, *,
                 cancel_exceptions: tuple[type[BaseException], ...] = (JobCancelled,)) -> None:
        super().__init__(parent)
        self._function = function
        self._cancel_exceptions = (JobCancelled, *cancel_exceptions)
        self._stop = threading.Event()
        self._relay = _Relay()
        self._relay.progress.connect(self._on_progress)
        self._relay.succeeded.connect(self._on_succeeded)
        self._relay.failed.connect(self._on_failed)
        self._relay.cancelled.connect(self._on_cancelled)
        self.running = False

    def start(self, pool: QThreadPool | None = None) -> None:
        if self.running:
            return
        self.running = True
        Job._running.add(self)
        (pool or QThreadPool.globalInstance()).start(
            _Runnable(self._function, self._relay, self._stop, self._cancel_exceptions))

    def cancel(self) -> None:
        """Ask the function to stop; ``cancelled`` follows once it has."""
        self._stop.set()

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, text: str) -> None:
        self.progress.emit(done, total, text)

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        self._end()
        self.finished.emit(result)
        self.done.emit()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._end()
        self.failed.emit(message)
        self.done.emit()

    @Slot()
    def _on_cancelled(self) -> None:
        self._end()
        self.cancelled.emit()
        self.done.emit()

    def _end(self) -> None:
        self.running = False
        Job._running.discard(self)
