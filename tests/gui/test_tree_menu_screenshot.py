"""The tree's context menu on the sample plan at 1366×768 (docs/screenshots/tree-context-menu.png
when BARNAMENEGAR_SCREENSHOTS=1): the menu opens beside the row, inside the window, with every
action and its Persian shortcut readable."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QMenu

from planner_core import nodes
from planner_core.sample import SAMPLE_PLAN, load_sample
from planner_gui.tree_model import COL_TITLE
from tests.gui.helpers import open_main_window, screenshot_dir

pytestmark = pytest.mark.skipif(not SAMPLE_PLAN.exists(), reason="no sample plan")


def _first_project(db, plan_id: int) -> int:
    level = nodes.children(db, plan_id, None)
    while level:
        node = next((n for n in level if n.child_count), level[0])
        if node.kind == "project":
            return node.id
        level = nodes.children(db, plan_id, node.id)
    raise LookupError("project")


def test_tree_context_menu_screenshot(qtbot, db, tmp_path):
    load_sample(db)
    window = open_main_window(qtbot, db, tmp_path)
    window.resize(1366, 768)
    window._load_first_plan()
    project = _first_project(db, window.ctx.plan_id)
    window.select_node(project)
    view = window.tree.view
    index = window.tree.proxy.mapFromSource(window.tree.model.index_of(project, COL_TITLE))
    view.scrollTo(index)
    QApplication.processEvents()
    view.customContextMenuRequested.emit(view.visualRect(index).center())
    menu = next(m for m in QApplication.topLevelWidgets() if isinstance(m, QMenu) and m.isVisible())
    QApplication.processEvents()
    origin = window.mapToGlobal(QPoint(0, 0))
    where = menu.geometry().translated(-origin.x(), -origin.y())
    assert window.rect().contains(where)  # the whole menu is on the window, next to the row
    shot = window.grab()
    painter = QPainter(shot)
    painter.drawPixmap(where.topLeft(), menu.grab())
    painter.end()
    menu.close()
    image = shot.toImage()
    assert (image.width(), image.height()) == (1366, 768)
    assert shot.save(str(screenshot_dir() / "tree-context-menu.png"))
