"""Tabs of the node detail panel; each module registers itself in planner_gui.extensions.NODE_TABS."""

from __future__ import annotations

from planner_gui.extensions import NODE_TABS
from planner_gui.tabs.allocations_tab import make_budget_tab
from planner_gui.tabs.indicators_tab import make_indicators_tab
from planner_gui.tabs.monitoring_tab import make_monitoring_tab

for _factory in (make_indicators_tab, make_budget_tab, make_monitoring_tab):
    if _factory not in NODE_TABS:
        NODE_TABS.append(_factory)
