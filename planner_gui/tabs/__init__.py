"""Tabs of the node detail panel; each module registers itself in planner_gui.extensions.NODE_TABS."""
