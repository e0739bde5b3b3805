"""The Help menu: the Persian user guide inside the app, F1 on any window opens its section, and
the About box (version, licence, the font's licence).

The guide is HTML in resources/help/ shown in a QTextBrowser; its pictures are the screenshots of
docs/screenshots/ (the browser's search path), so the guide shows what the program shows.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, qVersion
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QTextBrowser, QVBoxLayout, QWidget

from planner_core import about
from planner_core.text import ltr, to_persian_digits
from planner_gui import window_fit

ROOT = about.ROOT
HELP_DIR = ROOT / "resources" / "help"
SCREENSHOTS = ROOT / "docs" / "screenshots"
GUIDE = "guide.html"

# The object name of a window (or of a widget inside it) → the guide's section (an <a name>).
SECTIONS = {
    "mainWindow": "editor",
    "budgetWindow": "budget",
    "dashboardWindow": "dashboard",
    "deviationsWindow": "deviations",
    "evaluationWindow": "evaluation",
    "bookletDialog": "booklet",
    "bookletPreview": "booklet",
    "orgUnitsDialog": "base-data",
    "municipalityDialog": "base-data",
    "helpWindow": "",
    # the plan's life cycle
    "readinessDialog": "lifecycle",
    "returnDialog": "lifecycle",
    "approvalDialog": "lifecycle",
    "compareWindow": "compare",
    "rollForwardDialog": "roll-forward",
    "reportingWindow": "roll-forward",
    # exchange between municipalities
    "exportDialog": "exchange",
    "importDialog": "exchange",
    "lessonsWindow": "lessons",
    "updateWorkbooksDialog": "workbooks",
    "readUpdateWorkbookDialog": "workbooks",
    # data safety
    "backupsDialog": "backups",
}
# Tabs of the main window's detail panel, by a word of their title.
TAB_SECTIONS = (("شاخص", "indicators"), ("بودجه", "budget"), ("پایش", "monitoring"))


class HelpWindow(QWidget):
    """The guide, one window for the whole program; ``show_section`` scrolls to a section."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("helpWindow")
        self.setWindowTitle("راهنمای برنامه‌نگار")
        self.browser = QTextBrowser()
        self.browser.setObjectName("helpBrowser")
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(HELP_DIR), str(SCREENSHOTS)])
        # As text, not as a file URL: a file source resolves pictures beside itself, never on the search path.
        self.browser.setHtml((HELP_DIR / GUIDE).read_text(encoding="utf-8"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        window_fit.place(self, (900, 700))
        self.section = ""

    def show_section(self, section: str = "") -> None:
        self.section = section
        self.show()
        self.raise_()
        self.activateWindow()
        if section:
            self.browser.scrollToAnchor(section)
        else:
            self.browser.verticalScrollBar().setValue(0)


def section_for(widget: QWidget | None) -> str:
    """The section of the guide about ``widget``'s window (the current detail tab in the main window)."""
    window = widget.window() if widget is not None else None
    if window is None:
        return ""
    detail = getattr(window, "detail", None)
    tabs = getattr(detail, "tabs", None)
    if tabs is not None and tabs.currentIndex() > 0:
        title = tabs.tabText(tabs.currentIndex())
        for word, section in TAB_SECTIONS:
            if word in title:
                return section
    return SECTIONS.get(window.objectName(), "")


class HelpKey(QObject):
    """F1 anywhere in the program (main window, report windows, dialogs) opens the guide at that window."""

    def __init__(self, main: QWidget, open_help: Callable[[str], object]) -> None:
        super().__init__(main)
        self.main = main
        self.open_help = open_help

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_F1 and isinstance(watched, QWidget) and watched.isWindow()
                and self._belongs(watched)):
            self.open_help(section_for(watched))
            return True
        return False

    def _belongs(self, window: QWidget | None) -> bool:
        """A window of this main window's family (its report windows and dialogs are its children)."""
        while window is not None:
            if window is self.main:
                return True
            window = window.parentWidget()
        return False


def about_text() -> str:
    import PySide6

    return (f"<h3>برنامه‌نگار</h3>"
            f"<p>تدوین، پایش و چاپ برنامه‌های راهبردی و عملیاتی شهرداری‌ها.</p>"
            f"<p>نسخه {to_persian_digits(about.version())}</p>"
            f"<p>{about.PROGRAM_LICENCE}</p>"
            f"<p>{about.FONT_LICENCE}<br>{ltr(about.FONT_LICENCE_FILE)}</p>"
            f"<p>ساخته‌شده با Qt {ltr(qVersion())} و PySide6 {ltr(PySide6.__version__)} (پروانه LGPL نسخه ۳).</p>")


def about_box(parent: QWidget | None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle("درباره برنامه‌نگار")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_text())
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class HelpMenu(QObject):
    """The «راهنما» menu of a main window and the F1 key of the whole application."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.help_window: HelpWindow | None = None
        menu = window.menuBar().addMenu("&راهنما")
        menu.setObjectName("helpMenu")
        self.guide_action = QAction("&راهنمای برنامه‌نگار", window)
        self.guide_action.setObjectName("helpGuide")
        self.guide_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.guide_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # F1 is HelpKey's, for every window
        self.guide_action.setToolTip("راهنمای کامل برنامه (F1: بخش همین پنجره)")
        self.guide_action.triggered.connect(lambda: self.open_help(""))
        self.about_action = QAction("&درباره برنامه‌نگار…", window)
        self.about_action.setObjectName("helpAbout")
        self.about_action.triggered.connect(lambda: about_box(self.window))
        menu.addActions([self.guide_action, self.about_action])
        self.menu = menu
        app = QApplication.instance()
        if app is not None:
            self.key = HelpKey(window, self.open_help)
            app.installEventFilter(self.key)

    def keep_last(self) -> None:
        """Put «راهنما» back at the end of the menu bar (menus installed after it went behind it)."""
        bar = self.window.menuBar()
        bar.removeAction(self.menu.menuAction())
        bar.addAction(self.menu.menuAction())

    def open_help(self, section: str = "") -> HelpWindow:
        if self.help_window is None:
            self.help_window = HelpWindow(self.window)
        self.help_window.show_section(section)
        return self.help_window


def install(window: QMainWindow) -> HelpMenu:
    return HelpMenu(window)
