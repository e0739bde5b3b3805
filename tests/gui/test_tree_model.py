"""The plan tree model and its filter proxy: Qt's model rules, laziness, surgical refresh, drag and drop."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from planner_core import nodes, plans
from planner_core.sample import load_sample
from planner_gui.commands import AddNodeCommand, EditNodeCommand, execute
from planner_gui.tree_model import (
    COL_CODE,
    COL_STATUS,
    COL_TITLE,
    COL_UNIT,
    INFO_ROLE,
    KIND_ROLE,
    NODE_ID_ROLE,
    PlanFilterProxy,
    PlanTreeModel,
)


@pytest.fixture
def sample_model(ctx, db):
    load_sample(db)
    plan_id = plans.list_plans(db)[0].id
    ctx.set_plan(plan_id)
    model = PlanTreeModel(ctx)
    model.set_plan(plan_id)
    return model


def _fetch_all(model, parent=None):
    parent = parent or QModelIndex()
    if model.canFetchMore(parent):
        model.fetchMore(parent)
    for row in range(model.rowCount(parent)):
        _fetch_all(model, model.index(row, 0, parent))


def test_tree_model_passes_qtmodeltester(qtmodeltester, sample_model):
    qtmodeltester.check(sample_model, force_py=True)
    _fetch_all(sample_model)
    qtmodeltester.check(sample_model, force_py=True)


def test_proxy_passes_qtmodeltester_filtered_and_not(qtmodeltester, sample_model, db, ctx):
    proxy = PlanFilterProxy()
    proxy.setSourceModel(sample_model)
    qtmodeltester.check(proxy, force_py=True)
    visible = nodes.search(db, ctx.plan_id, "پارك")
    assert visible
    sample_model.load_branches(visible)
    proxy.set_visible_ids(visible)
    qtmodeltester.check(proxy, force_py=True)


def test_lazy_only_axes_are_fetched_at_first(sample_model):
    root = sample_model.index(0, 0)
    assert root.data(KIND_ROLE) == "plan"
    axes = sample_model.rowCount(root)
    assert axes > 0
    first_axis = sample_model.index(0, 0, root)
    assert sample_model.hasChildren(first_axis)
    assert sample_model.rowCount(first_axis) == 0 and sample_model.canFetchMore(first_axis)
    sample_model.fetchMore(first_axis)
    assert sample_model.rowCount(first_axis) == first_axis.data(INFO_ROLE).child_count


def test_rows_show_persian_codes_units_and_state(sample_model):
    root = sample_model.index(0, 0)
    axis = sample_model.index(0, 0, root)
    sample_model.fetchMore(axis)
    goal = sample_model.index(0, 0, axis)
    info = goal.data(INFO_ROLE)
    assert goal.siblingAtColumn(COL_CODE).data() == "-".join("۱" for _ in info.full_code.split("-"))
    assert goal.siblingAtColumn(COL_TITLE).data() == info.title
    assert goal.siblingAtColumn(COL_UNIT).data() == info.responsible_unit
    assert goal.siblingAtColumn(COL_STATUS).data() == "برنامه‌ریزی‌شده"
    assert goal.siblingAtColumn(COL_STATUS).data(Qt.ItemDataRole.DecorationRole) is not None


def test_add_and_edit_refresh_only_the_changed_rows(qtbot, sample_model, ctx):
    root = sample_model.index(0, 0)
    axes_before = sample_model.rowCount(root)
    reset = []
    sample_model.modelReset.connect(lambda: reset.append(1))
    with qtbot.waitSignal(sample_model.rowsInserted):
        command = AddNodeCommand(ctx, ctx.plan_id, None, "axis", "محور تازه")
        assert execute(ctx, command) is None
    assert sample_model.rowCount(root) == axes_before + 1
    new = sample_model.index(axes_before, 0, root)
    assert new.data(NODE_ID_ROLE) == command.node.id
    with qtbot.waitSignal(sample_model.dataChanged):
        assert execute(ctx, EditNodeCommand(ctx, command.node, {"title": "محور ویرایش‌شده"})) is None
    assert new.siblingAtColumn(COL_TITLE).data() == "محور ویرایش‌شده"
    ctx.undo_stack.undo()
    ctx.undo_stack.undo()
    assert sample_model.rowCount(root) == axes_before
    assert reset == []  # no full reset: expanded rows and the selection survive


def test_drop_moves_a_node_and_wrong_level_is_refused(qtbot, sample_model, ctx, db):
    root = sample_model.index(0, 0)
    axis1, axis2 = sample_model.index(0, 0, root), sample_model.index(1, 0, root)
    sample_model.fetchMore(axis1)
    sample_model.fetchMore(axis2)
    goal = sample_model.index(0, 0, axis1)
    goal_id = goal.data(NODE_ID_ROLE)
    goals_in_2 = sample_model.rowCount(axis2)
    data = sample_model.mimeData([goal])
    messages = []
    from planner_gui.commands import errors

    errors.message.connect(messages.append)
    sample_model.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, axis2)
    assert nodes.get_node(db, goal_id).parent_id == axis2.data(NODE_ID_ROLE)
    assert sample_model.rowCount(axis2) == goals_in_2 + 1
    moved = sample_model.index(goals_in_2, 0, axis2)
    assert moved.data(NODE_ID_ROLE) == goal_id
    # Renumbered: last under the second axis.
    assert moved.siblingAtColumn(COL_CODE).data().endswith(f"-{'۰۱۲۳۴۵۶۷۸۹'[goals_in_2 + 1]}")
    # A goal dropped onto the plan (where axes belong) is refused with a Persian reason.
    sample_model.dropMimeData(sample_model.mimeData([moved]), Qt.DropAction.MoveAction, -1, 0, root)
    assert nodes.get_node(db, goal_id).parent_id == axis2.data(NODE_ID_ROLE)
    assert messages and "نمی‌توان" in messages[-1]
    errors.message.disconnect(messages.append)


def test_status_column_shows_the_computed_progress_of_the_chosen_year(qtbot, qtmodeltester, ctx, db, small_plan):
    """The traffic light is the roll-up (progress against the schedule), not the lifecycle state."""
    from planner_core import monitoring
    from planner_core.progress import STATUS_COLORS, STATUS_LABELS, Status
    from planner_gui.tree_panel import TreePanel

    ctx.set_plan(small_plan["plan"].id)
    panel = TreePanel(ctx)
    qtbot.addWidget(panel)
    panel.set_plan(small_plan["plan"].id)
    panel.year_filter.setCurrentIndex(panel.year_filter.findData(1403))
    model = panel.model
    model.load_branches({small_plan["project"].id})
    qtmodeltester.check(model, force_py=True)
    changed = []
    model.dataChanged.connect(lambda top_left, _bottom_right, _roles: changed.append(top_left))

    def status(node_id):
        index = model.index_of(node_id).siblingAtColumn(COL_STATUS)
        return index.data(), index.data(Qt.ItemDataRole.DecorationRole).name().upper()

    assert status(small_plan["project"].id)[1] == STATUS_COLORS[Status.NO_DATA].upper()
    # 10 % done at the end of 1403 where half the two-year program was due: off track.
    monitoring.save_progress_report(db, small_plan["project"].id, year=1403, quarter=4, physical_progress=10)
    ctx.changed.emit("report", small_plan["project"].id)
    qtbot.waitUntil(lambda: status(small_plan["project"].id)[0].startswith(STATUS_LABELS[Status.OFF_TRACK]))
    assert status(small_plan["project"].id) == (f"{STATUS_LABELS[Status.OFF_TRACK]} ۱۰٪",
                                                STATUS_COLORS[Status.OFF_TRACK].upper())
    assert status(small_plan["program"].id)[0] == f"{STATUS_LABELS[Status.OFF_TRACK]} ۱۰٪"
    # Every refreshed cell is a real index of this model: it resolves to its node and parent.
    assert changed and all(index.data(NODE_ID_ROLE) and model.parent(index) == model.parent(
        model.index_of(index.data(NODE_ID_ROLE))) for index in changed)
    monitoring.save_progress_report(db, small_plan["project"].id, year=1403, quarter=4, physical_progress=48)
    panel.refresh_progress()
    assert status(small_plan["axis"].id) == (f"{STATUS_LABELS[Status.ON_TRACK]} ۴۸٪",
                                             STATUS_COLORS[Status.ON_TRACK].upper())
