"""Windows that fit the office laptop's screen and come back where the planner left them.

``place(window, preferred)`` gives a window the size and position it had last time on this
screen (QSettings keyed by the screen's name and size: a laptop screen and the office monitor
each keep their own), or else its preferred size shrunk to the screen's available area and
centred.  The geometry is saved when the window closes or hides.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from planner_gui import recent

SCREEN_SHARE = 0.92  # of the available area a window takes at most when it has no memory


def screen_of(widget: QWidget) -> QScreen:
    parent = widget.parentWidget()
    screen = (parent.screen() if parent is not None else None) or widget.screen()
    return screen or QGuiApplication.primaryScreen()


def settings_key(widget: QWidget, screen: QScreen) -> str:
    size = screen.geometry()
    name = (screen.name() or "screen").replace("/", "_")
    return f"windows/{widget.objectName() or type(widget).__name__}/{name}-{size.width()}x{size.height()}"


def fitted_size(preferred: QSize, screen: QScreen, minimum: QSize | None = None) -> QSize:
    """``preferred`` shrunk to a share of the available area (never below ``minimum`` if that fits)."""
    area = screen.availableGeometry()
    width = min(preferred.width(), int(area.width() * SCREEN_SHARE))
    height = min(preferred.height(), int(area.height() * SCREEN_SHARE))
    if minimum is not None:
        width = max(width, min(minimum.width(), area.width()))
        height = max(height, min(minimum.height(), area.height()))
    return QSize(width, height)


class GeometryKeeper(QObject):
    """Places a window when it is first shown (its layout then knows its minimum size) and saves
    its geometry under its screen's key when it closes or hides."""

    def __init__(self, window: QWidget, preferred: QSize) -> None:
        super().__init__(window)
        self.window = window
        self.preferred = preferred
        self.placed = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window:
            if event.type() == QEvent.Type.Show and not self.placed:
                self.placed = True
                place_now(self.window, self.preferred)
            elif event.type() in (QEvent.Type.Close, QEvent.Type.Hide) and self.placed:
                save(self.window)
        return False


def save(window: QWidget) -> None:
    recent.settings().setValue(settings_key(window, screen_of(window)), window.saveGeometry())


def place(window: QWidget, preferred: QSize | tuple[int, int]) -> None:
    """From its first showing on, size and position ``window`` for its screen and remember them."""
    if isinstance(preferred, tuple):
        preferred = QSize(*preferred)
    keeper = window.findChild(GeometryKeeper)
    if keeper is None:
        GeometryKeeper(window, preferred)
    else:
        keeper.preferred = preferred
    window.resize(fitted_size(preferred, screen_of(window)))  # until shown: already no larger than the screen


def place_now(window: QWidget, preferred: QSize) -> None:
    """The remembered geometry on this screen if it still fits, else ``preferred`` fitted and centred."""
    screen = screen_of(window)
    area = screen.availableGeometry()
    remembered = recent.settings().value(settings_key(window, screen))
    if isinstance(remembered, QByteArray) and window.restoreGeometry(remembered):
        frame = window.geometry()
        if area.contains(frame.topLeft()) and frame.width() <= area.width() and frame.height() <= area.height():
            return
    size = fitted_size(preferred, screen, window.minimumSizeHint())
    window.resize(size)
    window.move(area.x() + (area.width() - size.width()) // 2, area.y() + (area.height() - size.height()) // 2)
