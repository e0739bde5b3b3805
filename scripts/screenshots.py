"""Render the README screenshots offscreen at 1366×768 (the common office laptop screen): the main
window on the sample plan and each editor, the help window and the booklet preview.

    .venv/bin/python scripts/screenshots.py [OUT_DIR]
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = (1366, 768)
if "QT_QPA_PLATFORM" not in os.environ:  # an offscreen screen of the laptop's size, so windows fit it as there
    _screen = Path(tempfile.mkdtemp(prefix="barnamenegar-screen-")) / "screen.json"
    _screen.write_text(json.dumps({"screens": [{"name": "Laptop", "x": 0, "y": 0, "width": SIZE[0],
                                                "height": SIZE[1], "logicalDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screen}"
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QPointF, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from planner_core import nodes, plans  # noqa: E402
from planner_core.store import open_store  # noqa: E402
from planner_gui.app import create_application, open_sample  # noqa: E402
from planner_gui.main_window import MainWindow  # noqa: E402


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


def booklet_preview(window: MainWindow, tmp: Path) -> QWidget:
    """The preview window over the booklet of the sample plan, scrolled to a program page."""
    from planner_core.booklet import BookletOptions
    from planner_core.booklet_job import export_booklet
    from planner_gui.booklet_preview import BookletPreview

    plan = plans.get_plan(window.ctx.db, window.ctx.plan_id or 0)
    pdf = tmp / "booklet.pdf"
    export_booklet(window.ctx.db.url, pdf, BookletOptions(plan_code=plan.code, axis="1"))
    preview = BookletPreview(pdf, tmp / "دفترچه.pdf", window)
    preview.show()
    preview.resize(1000, 740)
    QApplication.processEvents()
    preview.view.pageNavigator().jump(min(4, preview.document.pageCount() - 1), QPointF(), 1.0)
    for _ in range(60):  # QPdfView renders its pages in a thread of its own
        QApplication.processEvents()
        time.sleep(0.05)
    return preview


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="barnamenegar-shots-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp))
    create_application([])
    db = open_sample(tmp / "sample-plan.db")
    window = MainWindow(db, tmp / "sample-plan.db")
    window.show()
    window.resize(*SIZE)  # the whole screen, after the window placed itself

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

    help_window = window.help_menu.open_help("indicators")
    help_window.resize(1000, 700)
    help_window.show_section("indicators")
    save(help_window, out_dir / "help.png")
    help_window.close()

    from planner_core import backups
    from planner_gui.booklet_dialog import BookletDialog
    from planner_gui.safety.backups_window import open_backups

    booklet = BookletDialog(window.ctx, window)
    booklet.output.setText("/home/planner/Documents/booklet-ISF-1410.pdf")  # not the machine's own home
    booklet.show()
    save(booklet, out_dir / "booklet-dialog.png")
    booklet.close()

    backups.backup_before(db, "import")  # the list shows one backup, as after a first import
    backups_dialog = open_backups(window)
    save(backups_dialog, out_dir / "backups.png")
    backups_dialog.close()

    preview = booklet_preview(window, tmp)
    save(preview, out_dir / "booklet-preview.png")
    preview.close()

    print(f"sample plan: {plans.list_plans(db)[0].title}")
    window.close()
    db.dispose()

    # A new, empty file greets the planner with the welcome page.
    empty = MainWindow(open_store(tmp / "new.db", create=True), tmp / "new.db")
    empty.show()
    empty.resize(*SIZE)
    save(empty, out_dir / "welcome.png")
    empty.close()
    empty.ctx.db.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
