"""Data safety in the main window: the read-only banner, editing switched off, File → Backups,
a clean close (the store is checkpointed and the writer lock given back).

``install(window)`` is called once by the main window; ``refresh(window)`` after it switches file.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QToolBar

from planner_gui.safety.banner import Banner


class _CloseWatcher(QObject):
    """On the window's close: fold the log into the .db and give the writer lock back."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.window.ctx.db.dispose()  # type: ignore[attr-defined]
        return False


def install(window: QMainWindow) -> None:
    from planner_gui.safety.backups_window import open_backups

    window.safety_banner = Banner(window)  # type: ignore[attr-defined]
    bar = QToolBar("وضعیت فایل", window)
    bar.setObjectName("safetyBar")
    bar.setMovable(False)
    bar.addWidget(window.safety_banner)  # type: ignore[attr-defined]
    window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    window.safety_bar = bar  # type: ignore[attr-defined]
    action = QAction("&پشتیبان‌ها…", window)
    action.setObjectName("backups")
    action.setStatusTip("پشتیبان‌های این فایل؛ بازگرداندن یکی از آنها")
    action.triggered.connect(lambda: open_backups(window))
    file_menu = window.menuBar().actions()[0].menu()
    file_menu.insertAction(file_menu.actions()[-1], action)  # before «خروج»
    window.backups_action = action  # type: ignore[attr-defined]
    ctx = window.ctx  # type: ignore[attr-defined]
    # Connected after the window's own slots, so these run after it has enabled its actions.
    window.tree.current_changed.connect(lambda *_: enforce(window))  # type: ignore[attr-defined]
    ctx.plan_switched.connect(lambda *_: enforce(window))
    ctx.undo_stack.indexChanged.connect(lambda *_: enforce(window))
    window.installEventFilter(_CloseWatcher(window))
    refresh(window)


def refresh(window: QMainWindow) -> None:
    """Show what the planner must know about the open file and switch editing off if read-only."""
    db = window.ctx.db  # type: ignore[attr-defined]
    window.safety_banner.show_store(db, window)  # type: ignore[attr-defined]
    window.safety_bar.setVisible(bool(db.notices))  # type: ignore[attr-defined]
    enforce(window)


READ_ONLY_MARK = " (فقط خواندنی)"


def enforce(window: QMainWindow) -> None:
    """The guard greys what the read-only file may not change (planner_gui.read_only); the title says so."""
    guard = getattr(window, "read_only_guard", None)
    if guard is not None:
        guard.apply()
    if not window.ctx.db.read_only:  # type: ignore[attr-defined]
        return
    if not window.windowTitle().endswith(READ_ONLY_MARK):
        window.setWindowTitle(window.windowTitle() + READ_ONLY_MARK)
