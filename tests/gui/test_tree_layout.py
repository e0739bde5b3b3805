"""The plan tree's title column gets the room the other columns leave, at usual window sizes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from planner_core import nodes
from planner_core.sample import load_sample
from planner_gui.tree_model import COL_CODE, COL_STATUS, COL_TITLE, COL_UNIT
from planner_gui.tree_panel import MAX_WIDTHS
from tests.gui.helpers import open_main_window, save_screenshot

pytestmark = pytest.mark.usefixtures("rtl_app")


@pytest.mark.parametrize("size", [(1280, 800), (1400, 850)])
def test_titles_are_readable_and_whole_in_the_tooltip(qtbot, db, tmp_path, size):
    load_sample(db)
    window = open_main_window(qtbot, db, tmp_path)
    window.resize(*size)
    deepest = max(nodes.search(db, window.ctx.plan_id, "بوستان"), key=lambda i: len(nodes.get_node(db, i).full_code))
    assert window.select_node(deepest)
    qtbot.wait(50)
    header = window.tree.view.header()
    for column in (COL_CODE, COL_UNIT, COL_STATUS):
        assert header.sectionSize(column) <= MAX_WIDTHS[column]
    assert header.sectionSize(COL_TITLE) >= 240, [header.sectionSize(c) for c in range(4)]
    index = window.tree.view.currentIndex().siblingAtColumn(COL_TITLE)
    title = nodes.get_node(db, deepest).title
    assert index.data() == title and title in index.data(Qt.ItemDataRole.ToolTipRole)
    save_screenshot(window, f"tree_columns_{size[0]}.png")
