"""Subcommands beyond demo/check/dump, registered with planner_core.cli."""

from __future__ import annotations
