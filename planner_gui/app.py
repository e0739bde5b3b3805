"""The one place that makes the whole app Persian: right-to-left, locale, translator, font.

``run_app`` is what main.py calls; ``open_database`` and ``build_main_window`` let tests and
the screenshot script build the same window without entering the event loop.  ``run_app`` also
starts the log file and installs the hooks that turn an unexpected exception (in a slot, on
any thread) into a logged traceback and a Persian message box, never a silent crash.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, Qt, QTranslator, Signal, Slot
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from db.engine import Database
from planner_core import paths
from planner_core.errors import StoreError
from planner_core.safety.opening import open_for_editing
from planner_core.text import ltr

if TYPE_CHECKING:
    from planner_gui.main_window import MainWindow

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
FONT_DIR = RESOURCES / "fonts"
ORGANIZATION = "Barnamenegar"
APPLICATION = "Barnamenegar"

APP_TITLE = "برنامه‌نگار"
LOG_FILE = "barnamenegar.log"
UNEXPECTED_ERROR = "خطای پیش‌بینی‌نشده‌ای رخ داد و کار نیمه‌تمام ماند.\nجزئیات در پرونده گزارش: {path}"

log = logging.getLogger(__name__)
_configured: set[int] = set()


def load_fonts() -> str | None:
    """Register the bundled Vazirmatn faces; return the family name Qt knows them by."""
    family = None
    for path in sorted(FONT_DIR.glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families = QFontDatabase.applicationFontFamilies(font_id)
            family = family or (families[0] if families else None)
    return family


def configure_application(app: QApplication) -> None:
    """Right-to-left, Persian locale, Qt's own Persian strings and Vazirmatn — once per app."""
    if id(app) in _configured:
        return
    _configured.add(id(app))
    from planner_gui.startup import restore_c_numbers

    restore_c_numbers()  # Qt's setlocale(LC_ALL, "") must not give C libraries Persian numbers
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("برنامه‌نگار")
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    QLocale.setDefault(QLocale(QLocale.Language.Persian, QLocale.Country.Iran))
    translator = QTranslator(app)
    translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_fa", translations):
        app.installTranslator(translator)
    app.setProperty("qtbase_translator", translator)  # keep it alive with the app
    family = load_fonts()
    if family:
        font = QFont(family)
        font.setPointSizeF(max(app.font().pointSizeF(), 10.0))
        app.setFont(font)


# --- the log and unexpected errors ----------------------------------------------------------

def start_log(folder: Path | None = None) -> Path:
    """Send warnings and tracebacks to barnamenegar.log in the data folder (else the temp folder)."""
    try:
        path = (folder or paths.data_dir()) / LOG_FILE
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=2, encoding="utf-8")
    except OSError:
        path = Path(tempfile.gettempdir()) / LOG_FILE
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=2, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    return path


class CrashReporter(QObject):
    """Logs an unexpected exception and says so in Persian on the UI thread, whichever thread raised it."""

    report = Signal(str)

    def __init__(self, log_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self._showing = False
        self.report.connect(self._show)  # queued when emitted from another thread

    def hook(self, exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None) -> None:
        """``sys.excepthook``: Qt calls it for an exception that escaped a slot or a virtual method."""
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc or exc_type(), tb)
            return
        log.critical("unexpected error", exc_info=(exc_type, exc, tb))
        # The path is left-to-right text inside a right-to-left sentence: isolate it.
        self.report.emit(UNEXPECTED_ERROR.format(path=ltr(self.log_path)))

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        """``threading.excepthook``: an exception that ended a Python thread."""
        if args.exc_type is not SystemExit:
            self.hook(args.exc_type, args.exc_value, args.exc_traceback)

    @Slot(str)
    def _show(self, text: str) -> None:
        if self._showing:  # one box at a time; the log holds every error
            return
        self._showing = True
        try:
            QMessageBox.critical(None, APP_TITLE, text)
        finally:
            self._showing = False


def install_excepthook(log_path: Path, parent: QObject | None = None) -> CrashReporter:
    reporter = CrashReporter(log_path, parent)
    sys.excepthook = reporter.hook
    threading.excepthook = reporter.thread_hook
    return reporter


# --- starting ---------------------------------------------------------------------------------

def create_application(argv: list[str] | None = None) -> QApplication:
    from planner_gui import startup

    if QApplication.instance() is None:
        startup.persian_locale_environment()  # Qt reads the system locale when the app starts
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    assert isinstance(app, QApplication)
    configure_application(app)
    return app


def open_database(database: str | None = None, sample: bool = False) -> tuple[Database, Path]:
    """The store to start with: ``--db FILE``, the sample plan, or the user's default file."""
    if database:
        path = Path(database).expanduser()
        return open_for_editing(path).db, path
    if sample:
        path = paths.sample_database()
        return open_sample(path), path
    path = paths.default_database()
    return open_for_editing(path).db, path


def open_sample(path: Path) -> Database:
    """Open the sample store at ``path``, creating it from the bundled plan when missing."""
    from planner_core import plans
    from planner_core.sample import load_sample

    db = open_for_editing(path).db
    if not db.read_only and not plans.list_plans(db):
        load_sample(db, lifecycle=True)  # what a new user opens: approved, amended, a draft open
    return db


def build_main_window(database: str | None = None, sample: bool = False) -> MainWindow:
    from planner_gui.main_window import MainWindow

    db, path = open_database(database, sample)
    return MainWindow(db, path)


def run_app(database: str | None, sample: bool) -> int:
    from planner_gui import startup

    problem = startup.display_problem()
    if problem:  # instead of Qt's abort in English
        print(problem, file=sys.stderr)
        return 2
    app = create_application(sys.argv)
    install_excepthook(start_log(), app)
    if not database and not sample:
        from planner_gui import recent

        last = recent.last_file()  # reopen the file the planner worked in last time
        database = str(last) if last is not None and last.exists() else None
    try:
        window = build_main_window(database, sample)
    except StoreError as exc:
        QMessageBox.critical(None, APP_TITLE, str(exc))
        return 2
    window.show()
    startup.quit_on_sigterm(app, window)
    startup.announce_ready(window)
    code = app.exec()
    window.ctx.db.dispose()  # checkpoints: the .db alone is complete; gives the writer lock back
    return code
