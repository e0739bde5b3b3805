"""One read-only editor, whatever the reason: (a) the file (another instance holds the writer lock),
(b) a plan received from another municipality, (c) a plan submitted/approved/archived.  Each greys
every form field, editing action and tab button with the reason as tooltip, shows one banner with
its action button, and keeps monitoring open only for (c)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt

from db.models import Municipality, StrategicPlan
from planner_core import indicators
from planner_core.municipality import set_home_municipality
from planner_core.safety.lock import lock_path
from tests.gui.helpers import open_main_window

pytestmark = pytest.mark.usefixtures("rtl_app")


@pytest.fixture
def plan_with_indicator(db, small_plan):
    indicators.add_indicator(db, small_plan["program"].id, title="تعداد اتوبوس نوسازی‌شده", unit="دستگاه")
    return small_plan


def _set_plan(db, plan_id: int, **values) -> None:
    with db.unit() as session:
        plan = session.get(StrategicPlan, plan_id)
        for name, value in values.items():
            setattr(plan, name, value)


def _received(db, plan_id: int) -> None:
    set_home_municipality(db, name="شهرداری شیراز", province="فارس")
    with db.unit() as session:
        other = Municipality(name="شهرداری اصفهان", province="اصفهان", is_home=False)
        session.add(other)
        session.flush()
        session.get(StrategicPlan, plan_id).source_municipality_id = other.id


def _locked_window(qtbot, db, tmp_path):
    """The same file opened by a second instance while «مریم» holds the writer lock."""
    db.dispose()
    target = tmp_path / "پوشه ۱۴۰۴" / "برنامه قفل‌شده.db"
    target.parent.mkdir()
    shutil.copy2(tmp_path / "plan.db", target)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    lock_path(target).write_text(json.dumps({"user": "مریم", "host": "رایانه-برنامه‌ریزی", "pid": 1,
                                             "since": now, "heartbeat": now}), encoding="utf-8")
    from planner_gui.app import build_main_window

    window = build_main_window(str(target))
    qtbot.addWidget(window)
    window.show()
    return window


def _editing_controls(window):
    """Every control that changes the plan, as (name, widget or action)."""
    node_form, plan_form = window.detail.node_form, window.detail.plan_form
    indicators_tab = next(t for t in window.detail.extra_tabs if t.objectName() == "indicatorsTab")
    budget_tab = next(t for t in window.detail.extra_tabs if t.objectName() == "budgetTab")
    return [
        ("addChild", window.add_child_action), ("addSibling", window.add_sibling_action),
        ("delete", window.delete_action), ("moveUp", window.move_up_action), ("save", window.save_action),
        ("rename", window.editing.rename_action), ("cut", window.editing.cut_action),
        ("moveTo", window.editing.move_to_action),
        ("formSave", node_form.save_button), ("planFormSave", plan_form.save_button),
        ("planStatus", plan_form.status),
        ("addIndicator", indicators_tab.add_button), ("editIndicator", indicators_tab.edit_button),
        ("addAllocation", budget_tab.add_button), ("deleteAllocation", budget_tab.delete_button),
    ]


def _monitoring_controls(window):
    tab = next(t for t in window.detail.extra_tabs if t.objectName() == "monitoringTab")
    return [("addLesson", tab.add_lesson_button)]


def _targets(window):
    """Whether the program's target row and annual actual row take typing."""
    program = window.current().parent_id
    assert window.select_node(program)
    tab = next(t for t in window.detail.extra_tabs if t.objectName() == "indicatorsTab")
    window.detail.tabs.setCurrentWidget(tab)
    tab.table.setCurrentIndex(tab.model.index(0, 1))
    tab._show_selected()
    model = tab.targets
    assert model.indicator is not None and model.years
    from planner_gui.tabs.targets_model import ROW_ANNUAL, ROW_TARGET

    def editable(row: int) -> bool:
        return bool(model.flags(model.index(row, 0)) & Qt.ItemFlag.ItemIsEditable)

    return editable(ROW_TARGET), editable(ROW_ANNUAL)


def _show_project(window, project_id: int) -> None:
    assert window.select_node(project_id)
    window.tree.view.setFocus()


def _assert_read_only(window, reason_word: str, monitoring_open: bool) -> None:
    form = window.detail.node_form
    assert form.title.isReadOnly() and form.title.isEnabled()  # still selectable and copyable
    assert form.title.text()  # the content is shown
    for name, control in _editing_controls(window):
        assert not control.isEnabled(), name
        assert reason_word in control.toolTip(), (name, control.toolTip())
    menu = window.editing.menu()
    for action in menu.actions():
        if action.objectName() in ("addChild", "delete", "rename", "moveTo"):
            assert not action.isEnabled() and reason_word in action.toolTip(), action.objectName()
    assert not window.tree.view.dragEnabled()
    for name, control in _monitoring_controls(window):
        assert control.isEnabled() is monitoring_open, name
        assert (reason_word in control.toolTip()) is not monitoring_open, name
    targets, actuals = _targets(window)
    assert not targets
    assert actuals is monitoring_open


def test_a_writable_draft_has_everything_enabled(qtbot, db, plan_with_indicator, tmp_path):
    window = open_main_window(qtbot, db, tmp_path)
    _show_project(window, plan_with_indicator["project"].id)
    assert window.read_only_guard.state is None
    assert not window.detail.node_form.title.isReadOnly()
    for name, control in _editing_controls(window) + _monitoring_controls(window):
        if name in ("addChild", "editIndicator", "deleteAllocation"):  # a project has no children; need a row
            continue
        assert control.isEnabled(), name
    assert _targets(window) == (True, True)
    assert not window.safety_bar.isVisibleTo(window) and not window.reference_banner.isVisibleTo(window)
    assert "پیش‌نویس" in window.lifecycle.banner_label.text()


def test_a_file_another_instance_holds_is_read_only_everywhere(qtbot, db, plan_with_indicator, tmp_path):
    window = _locked_window(qtbot, db, tmp_path)
    _show_project(window, plan_with_indicator["project"].id)
    state = window.read_only_guard.state
    assert state is not None and state.kind == "file"
    _assert_read_only(window, "فقط برای خواندن", monitoring_open=False)
    # The file writes of the other menus too: a new plan, the workflow, import.
    for action in (window.new_plan_action, window.lifecycle.readiness_action, window.units_action):
        assert not action.isEnabled() and "فقط برای خواندن" in action.toolTip()
    # One banner for the reason, naming who holds the file, with the way out (take over when stale).
    assert window.safety_bar.isVisibleTo(window)
    assert "مریم" in window.safety_banner.text.text()
    assert window.safety_banner.retry_button.isVisibleTo(window)
    assert not window.lifecycle.banner_submit.isEnabled()


def test_a_received_plan_is_read_only_with_the_adopt_banner(qtbot, db, plan_with_indicator, tmp_path):
    _received(db, plan_with_indicator["plan"].id)
    window = open_main_window(qtbot, db, tmp_path)
    _show_project(window, plan_with_indicator["project"].id)
    assert window.read_only_guard.state.kind == "received"
    _assert_read_only(window, "شهرداری اصفهان", monitoring_open=False)
    assert window.reference_banner.isVisibleTo(window) and "شهرداری اصفهان" in window.reference_banner.label.text()
    assert window.reference_banner.adopt_button.isEnabled()
    assert not window.lifecycle.banner.isVisibleTo(window)  # one banner for one reason
    assert not window.safety_bar.isVisibleTo(window)
    assert window.new_plan_action.isEnabled()  # the file itself is writable
    window.reference_banner.adopt()
    _show_project(window, _first_project(window))
    assert window.read_only_guard.state is None and not window.detail.node_form.title.isReadOnly()
    assert window.add_sibling_action.isEnabled() and "شهرداری" not in window.add_sibling_action.toolTip()


def _first_project(window) -> int:
    from planner_core import nodes

    def walk(parent):
        for node in nodes.children(window.ctx.db, window.ctx.plan_id, parent):
            if node.kind == "project":
                return node.id
            found = walk(node.id)
            if found:
                return found
        return None

    return walk(None)


@pytest.mark.parametrize("status, word, monitoring", [("approved", "مصوب", True), ("submitted", "بررسی", True),
                                                      ("archived", "بایگانی", False)])
def test_a_frozen_plan_is_read_only_but_monitored_while_in_force(qtbot, db, plan_with_indicator, tmp_path,
                                                                 status, word, monitoring):
    _set_plan(db, plan_with_indicator["plan"].id, status=status)
    window = open_main_window(qtbot, db, tmp_path)
    _show_project(window, plan_with_indicator["project"].id)
    assert window.read_only_guard.state.kind == status
    _assert_read_only(window, word, monitoring_open=monitoring)
    life = window.lifecycle
    assert life.banner.isVisibleTo(window) and word in life.banner_label.text()
    assert life.amend_button.isVisibleTo(window) is (status == "approved")
    assert life.amend_button.isEnabled()
    assert not window.reference_banner.isVisibleTo(window) and not window.safety_bar.isVisibleTo(window)
    assert window.new_plan_action.isEnabled()
    if status == "approved":
        assert life.start_amendment()
        _show_project(window, _first_project(window))
        assert window.read_only_guard.state is None and window.add_sibling_action.isEnabled()
        assert "مصوب" not in window.add_sibling_action.toolTip()
        assert not window.detail.node_form.title.isReadOnly()


def test_windows_follow_the_same_reason(qtbot, db, plan_with_indicator, tmp_path):
    """The budget window's ceilings in a read-only file, the year-end evaluation of a received plan."""
    window = _locked_window(qtbot, db, tmp_path)
    budget_window = next(a for a in window.report_actions if a.objectName() == "action_budget")
    budget_window.trigger()
    opened = window.windows[-1]
    codes = opened.codes
    assert codes.read_only and codes.model.on_ceiling is None  # the ceiling cells take no typing
    assert not codes.add_button.isEnabled() and "فقط برای خواندن" in codes.add_button.toolTip()
    assert "فقط برای خواندن" in opened.owner_note.text()


def test_the_evaluation_of_a_received_plan_is_not_saved(qtbot, db, plan_with_indicator, tmp_path):
    _received(db, plan_with_indicator["plan"].id)
    window = open_main_window(qtbot, db, tmp_path)
    action = next(a for a in window.report_actions if a.objectName() == "action_evaluation")
    action.trigger()
    evaluation = window.windows[-1]
    if evaluation.model.rowCount():
        evaluation.select_row(0)
    assert not evaluation.save_button.isEnabled()
    assert "شهرداری اصفهان" in evaluation.save_button.toolTip() and evaluation.editor.isReadOnly()


def test_the_dashboard_thresholds_are_plan_content(qtbot, db, plan_with_indicator, tmp_path):
    _set_plan(db, plan_with_indicator["plan"].id, status="approved")
    window = open_main_window(qtbot, db, tmp_path)
    next(a for a in window.report_actions if a.objectName() == "action_dashboard").trigger()
    dashboard = window.windows[-1]
    assert not dashboard.apply_thresholds.isEnabled() and "مصوب" in dashboard.apply_thresholds.toolTip()
