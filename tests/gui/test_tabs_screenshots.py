"""Screenshots of the node tabs on the bundled sample plan (docs/screenshots/tab-*.png)."""

from __future__ import annotations

import pytest

from planner_core import monitoring, nodes, plans
from planner_core.sample import SAMPLE_PLAN, load_sample
from planner_core.store import open_store
from planner_gui.context import AppContext
from planner_gui.tabs.allocations_tab import BudgetTab
from planner_gui.tabs.indicators_tab import IndicatorsTab
from planner_gui.tabs.monitoring_tab import MonitoringTab
from tests.gui.helpers import save_screenshot

pytestmark = [pytest.mark.usefixtures("rtl_app"),
              pytest.mark.skipif(not SAMPLE_PLAN.exists(), reason="no sample plan")]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    db = open_store(tmp_path_factory.mktemp("sample") / "sample.db", create=True)
    load_sample(db)
    yield db
    db.dispose()


def find(db, full_code: str):
    plan = plans.list_plans(db)[0]
    parent = None
    for depth in range(1, full_code.count("-") + 2):
        prefix = "-".join(full_code.split("-")[:depth])
        parent = next(n for n in nodes.children(db, plan.id, parent and parent.id) if n.full_code == prefix)
    return parent


def shoot(qtbot, tab, node, name: str, size=(1100, 680)):
    qtbot.addWidget(tab)
    tab.resize(*size)
    tab.set_node(node)
    tab.show()
    qtbot.waitExposed(tab)
    return save_screenshot(tab, name)


def test_indicators_tab(qtbot, qapp, sample):
    ctx = AppContext(sample)
    tab = IndicatorsTab(ctx)
    program = find(sample, "1-1-2-1")
    path = shoot(qtbot, tab, program, "tab-indicators.png")
    assert tab.targets.columnCount() == 2 and path.exists()
    # The earliest year is the rightmost column.
    assert tab.grid.columnViewportPosition(0) > tab.grid.columnViewportPosition(1)


def test_budget_tab(qtbot, sample):
    tab = BudgetTab(AppContext(sample))
    assert shoot(qtbot, tab, find(sample, "2-1-2-1-2"), "tab-budget.png", (1100, 420)).exists()


def test_monitoring_tab(qtbot, sample):
    project = find(sample, "2-1-2-1-2")
    monitoring.add_lesson(sample, project.plan_id, project.id, title="هماهنگی زودهنگام با پلیس راهور",
                          body="مجوزهای ترافیکی کارگاه دو فصل طول کشید.")
    tab = MonitoringTab(AppContext(sample))
    assert shoot(qtbot, tab, project, "tab-monitoring.png").exists()
    assert any(row.lagging for row in tab.reports.rows)
