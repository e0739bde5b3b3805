"""Render the README screenshots offscreen: the main window on the sample plan and each editor.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [OUT_DIR]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from planner_core import nodes, plans  # noqa: E402
from planner_core.store import open_store  # noqa: E402
from planner_gui.app import create_application, open_sample  # noqa: E402
from planner_gui.main_window import MainWindow  # noqa: E402

SIZE = (1400, 850)


def first_of_kind(window: MainWindow, kind: str) -> int:
    """Walk the sample plan down the first branch to a node of ``kind``."""
    db, plan_id = window.ctx.db, window.ctx.plan_id
    assert plan_id is not None
    level = nodes.children(db, plan_id, None)
    while level:
        # Prefer a branch with children so the tree shows some depth.
        node = next((n for n in level if n.child_count), level[0])
        if node.kind == kind:
            return node.id
        level = nodes.children(db, plan_id, node.id)
    raise LookupError(kind)


def save(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    widget.grab().save(str(path))
    print(path)


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="barnamenegar-shots-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp))
    create_application([])
    db = open_sample(tmp / "sample-plan.db")
    window = MainWindow(db, tmp / "sample-plan.db")
    window.resize(*SIZE)
    window.show()

    program = first_of_kind(window, "program")
    window.select_node(program)
    save(window, out_dir / "main-window.png")

    project = first_of_kind(window, "project")
    window.select_node(project)
    save(window, out_dir / "editor-project.png")

    window.select_node(0)
    save(window, out_dir / "editor-plan.png")

    # A field error: an end date before the start date, and text in the weight field.
    window.select_node(project)
    form = window.detail.node_form
    info = window.tree.current_info()
    assert info is not None and info.end_date is not None
    form.end_date.set_date_value(info.start_date.replace(year=info.start_date.year - 1))
    window.save_action.trigger()
    save(window, out_dir / "editor-validation.png")
    form.reload()

    window.tree.search.setText("پارك")
    window.tree.apply_filter()
    save(window, out_dir / "editor-search.png")

    window.tree.clear_filter()
    units = window.open_org_units()
    save(units, out_dir / "org-units.png")
    units.close()

    print(f"sample plan: {plans.list_plans(db)[0].title}")
    window.close()
    db.dispose()

    # A new, empty file greets the planner with the welcome page.
    empty = MainWindow(open_store(tmp / "new.db", create=True), tmp / "new.db")
    empty.resize(*SIZE)
    empty.show()
    save(empty, out_dir / "welcome.png")
    empty.close()
    empty.ctx.db.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
