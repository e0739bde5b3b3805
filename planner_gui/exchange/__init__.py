"""Exchange between municipalities in the GUI: File → Export / Import packages, the received-plan banner.

The main window calls :func:`install` once; everything else lives here, over planner_core.exchange.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QMenu

from planner_gui.context import AppContext
from planner_gui.exchange.banner import ReferenceBanner, install_banner
from planner_gui.exchange.export_dialog import ExportDialog
from planner_gui.exchange.import_dialog import ImportDialog
from planner_gui.exchange.lessons_window import LessonsWindow

__all__ = ["ExportDialog", "ImportDialog", "LessonsWindow", "ReferenceBanner", "install", "open_export", "open_import"]


def open_import(ctx: AppContext, path: Path, parent: QMainWindow | None = None) -> QDialog:
    """A package or plan workbook opens the import preview; a unit's filled quarterly update
    workbook opens the update preview of the monitoring menu (progress reports and actuals)."""
    from planner_core.workbooks import is_update_workbook

    if path.suffix.lower() == ".xlsx" and is_update_workbook(path):
        from planner_gui.workbooks import ReadUpdateWorkbookDialog

        reader = ReadUpdateWorkbookDialog(ctx, parent)
        reader.path.setText(str(path))
        reader.show()
        reader.preview()
        return reader
    dialog = ImportDialog(ctx, path, parent)
    dialog.show()
    dialog.start_preview()
    return dialog


def open_export(ctx: AppContext, parent: QMainWindow | None = None) -> ExportDialog:
    dialog = ExportDialog(ctx, parent=parent)
    dialog.show()
    return dialog


def install(window: QMainWindow, ctx: AppContext, file_menu: QMenu) -> None:
    """File → «صدور بسته تبادل…» and «ورود بسته تبادل…», and the banner of a received plan."""
    def choose_and_import() -> None:
        name, _ = QFileDialog.getOpenFileName(window, "ورود بسته تبادل", str(Path.home()),
                                              "بسته برنامه‌نگار یا کارپوشه اکسل (*.bnp *.xlsx);;"
                                              "بسته برنامه‌نگار (*.bnp);;"
                                              "کارپوشه برنامه یا کارپوشه به‌روزرسانی واحد (*.xlsx)")
        if name:
            window.exchange_dialog = open_import(ctx, Path(name), window)  # type: ignore[attr-defined]

    def export() -> None:
        window.exchange_dialog = open_export(ctx, window)  # type: ignore[attr-defined]

    export_action = QAction("صدور &بسته تبادل…", window)
    export_action.setObjectName("action_export_package")
    export_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
    export_action.triggered.connect(export)
    import_action = QAction("&ورود بسته تبادل…", window)
    import_action.setObjectName("action_import_package")
    import_action.setShortcut(QKeySequence("Ctrl+Shift+K"))
    import_action.triggered.connect(choose_and_import)
    actions = file_menu.actions()
    before = next((a for a in actions if a.isSeparator()), None)
    file_menu.insertActions(before, [export_action, import_action]) if before else file_menu.addActions(
        [export_action, import_action])
    window.addActions([export_action, import_action])
    panel = getattr(window, "tree", None)
    if panel is not None:
        window.reference_banner = install_banner(panel, ctx)  # type: ignore[attr-defined]
