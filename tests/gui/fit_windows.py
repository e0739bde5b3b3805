"""Opens every window and dialog of the app on the sample plan and prints where each one lands.

Run by tests/gui/test_window_fit.py in a child process whose offscreen screen is an office laptop's
(QT_QPA_PLATFORM=offscreen:configfile=…); prints one JSON object: the screen's available area and,
per window, its frame, its minimum size and the list of second windows opened from it.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from planner_core import nodes
    from planner_gui import extensions
    from planner_gui.app import configure_application, open_sample
    from planner_gui.main_window import MainWindow
    from planner_gui.tabs.allocations_tab import AllocationDialog
    from planner_gui.tabs.indicator_dialog import IndicatorDialog
    from planner_gui.tabs.monitoring_tab import LessonDialog, ReportDialog

    app = QApplication.instance() or QApplication(sys.argv)
    configure_application(app)
    path = Path(tempfile.mkdtemp()) / "نمونه.db"
    window = MainWindow(open_sample(path), path)
    window.show()
    app.processEvents()
    parent = None
    for _level in range(5):  # axis → goal → strategy → program → project: the longest form
        row = nodes.children(window.ctx.db, window.ctx.plan_id, parent)
        if not row:
            break
        parent = row[0].id
    if parent is not None:
        window.select_node(parent)
    windows: dict[str, QWidget] = {"main": window}
    for entry in extensions.WINDOW_ACTIONS:
        windows[entry.object_name] = window.open_window(entry)
    windows["orgUnits"] = window.open_org_units()
    windows["municipality"] = window.open_municipality()
    windows["newPlan"] = window.new_plan()
    for name, dialog in (("indicator", IndicatorDialog("program", lambda _v: None, parent=window)),
                         ("report", ReportDialog([1403, 1404], lambda _v: None, parent=window)),
                         ("lesson", LessonDialog(lambda _v: None, parent=window)),
                         ("allocation", AllocationDialog([1403, 1404], [], lambda _v: None, parent=window))):
        dialog.show()
        windows[name] = dialog
    for _ in range(5):
        app.processEvents()
    area = app.primaryScreen().availableGeometry()
    result = {"area": [area.x(), area.y(), area.width(), area.height()], "windows": {}}
    for name, widget in windows.items():
        frame, minimum = widget.frameGeometry(), widget.minimumSizeHint().expandedTo(widget.minimumSize())
        result["windows"][name] = {"frame": [frame.x(), frame.y(), frame.width(), frame.height()],
                                   "minimum": [minimum.width(), minimum.height()]}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
