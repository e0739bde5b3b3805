"""What the real program does around Qt's start that tests and scripts do not need.

- ``display_problem``: on Linux with no display at all Qt's xcb plugin aborts with a long
  English text; we say so in one Persian and English line and exit 2 instead.
- ``announce_ready``: when ``BARNAMENEGAR_READY_FILE`` is set, the path of a file written once
  the main window is on screen (the xcb smoke test waits for it).
- ``quit_on_sigterm``: SIGTERM (a session logout, ``kill``) closes the window as Ctrl+Q does, so
  the program ends with exit code 0 instead of being cut off.
"""

from __future__ import annotations

import locale
import os
import signal
import sys
from collections.abc import Mapping, MutableMapping
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

READY_ENV = "BARNAMENEGAR_READY_FILE"
PERSIAN_POSIX_LOCALE = "fa_IR.UTF-8"
# Platforms that draw without a display server of their own.
HEADLESS_PLATFORMS = {"offscreen", "minimal", "minimalegl", "vnc", "eglfs", "linuxfb", "vkkhrdisplay"}
NO_DISPLAY = ("نمایشگری پیدا نشد: برنامه‌نگار را در یک میز کار گرافیکی (X11 یا Wayland) اجرا کنید. "
              "/ No display found (DISPLAY and WAYLAND_DISPLAY are unset): run Barnamenegar in a graphical desktop.")


def persian_locale_environment(environ: MutableMapping[str, str] | None = None) -> None:
    """Before the QApplication exists: Qt's *system* locale Persian for numbers and times.

    Qt's own widgets that ask the system locale, not the default one — the non-native file
    dialog's sizes and dates — then show Persian digits.  The C library keeps its "C" numbers
    (restore_c_numbers), so no library's printf writes «٫» into a file.
    """
    environ = os.environ if environ is None else environ
    for category in ("LC_NUMERIC", "LC_TIME"):
        environ[category] = PERSIAN_POSIX_LOCALE


def restore_c_numbers() -> None:
    """After Qt's setlocale(LC_ALL, ""): C-level number and time formatting back to "C"."""
    for category in (locale.LC_NUMERIC, locale.LC_TIME):
        try:
            locale.setlocale(category, "C")
        except locale.Error:
            pass


def display_problem(environ: Mapping[str, str] | None = None, platform: str | None = None,
                    argv: list[str] | None = None) -> str | None:
    """The one-line message when Qt would find no display to open, else None."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    argv = sys.argv if argv is None else argv
    if not platform.startswith("linux"):
        return None  # Windows and macOS always have their own display
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if "-platform" in argv[:-1]:
        chosen = argv[argv.index("-platform") + 1]
    names = {part.split(":", 1)[0].strip() for part in chosen.split(";") if part.strip()}
    if names & HEADLESS_PLATFORMS:
        return None
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return None
    return NO_DISPLAY


def announce_ready(window: QWidget, environ: Mapping[str, str] | None = None) -> None:
    """Write the ready file (if asked for) once the window has been shown and painted."""
    target = (os.environ if environ is None else environ).get(READY_ENV)
    if not target:
        return

    def write() -> None:
        try:
            Path(target).write_text(f"{int(window.winId())}\n", encoding="utf-8")
        except OSError:
            pass  # only a test asks for it; the program runs on without

    QTimer.singleShot(300, write)  # after the first paint events of the event loop


def quit_on_sigterm(app: QApplication, window: QWidget) -> None:
    """SIGTERM closes the window like Ctrl+Q (asking nothing more than Ctrl+Q would)."""
    if not hasattr(signal, "SIGTERM"):
        return

    def close() -> None:
        if window.close():
            app.quit()  # report windows left open would otherwise keep the program running

    def handler(_signum: int, _frame: object) -> None:
        QTimer.singleShot(0, close)

    signal.signal(signal.SIGTERM, handler)
    # Python runs signal handlers only between bytecodes: wake it up now and then in the event loop.
    timer = QTimer(app)
    timer.setObjectName("signalWakeUp")
    timer.timeout.connect(lambda: None)
    timer.start(250)
