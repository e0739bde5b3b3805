"""The one place that makes the whole app Persian: right-to-left, locale, translator, font.

``run_app`` is what main.py calls; ``open_database`` and ``build_main_window`` let tests and
the screenshot script build the same window without entering the event loop.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from db.engine import Database
from planner_core import paths
from planner_core.errors import StoreError
from planner_core.store import open_store

if TYPE_CHECKING:
    from planner_gui.main_window import MainWindow

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
FONT_DIR = RESOURCES / "fonts"
FONT_FAMILY = "Vazirmatn"
ORGANIZATION = "Barnamenegar"
APPLICATION = "Barnamenegar"

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


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    assert isinstance(app, QApplication)
    configure_application(app)
    return app


def open_database(database: str | None = None, sample: bool = False) -> tuple[Database, Path]:
    """The store to start with: ``--db FILE``, the sample plan, or the user's default file."""
    if database:
        path = Path(database).expanduser()
        return open_store(path, create=True), path
    if sample:
        path = paths.sample_database()
        return open_sample(path), path
    path = paths.default_database()
    return open_store(path, create=True), path


def open_sample(path: Path) -> Database:
    """Open the sample store at ``path``, creating it from the bundled plan when missing."""
    from planner_core import plans
    from planner_core.sample import load_sample

    db = open_store(path, create=True)
    if not plans.list_plans(db):
        load_sample(db)
    return db


def build_main_window(database: str | None = None, sample: bool = False) -> MainWindow:
    from planner_gui.main_window import MainWindow

    db, path = open_database(database, sample)
    return MainWindow(db, path)


def run_app(database: str | None, sample: bool) -> int:
    app = create_application(sys.argv)
    if not database and not sample:
        from planner_gui import recent

        last = recent.last_file()  # reopen the file the planner worked in last time
        database = str(last) if last is not None and last.exists() else None
    try:
        window = build_main_window(database, sample)
    except StoreError as exc:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "برنامه‌نگار", str(exc))
        return 2
    window.show()
    return app.exec()
