"""Every window fits the common office laptop screens and comes back where it was left."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from planner_gui import window_fit

HERE = Path(__file__).resolve().parent


@pytest.mark.parametrize("width,height", [(1280, 720), (1366, 768)])
def test_every_window_and_dialog_fits_the_screen(tmp_path, width, height):
    """The real windows on a screen of that size (offscreen, configured), frames and minimum sizes inside it."""
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "Laptop", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    done = subprocess.run([sys.executable, str(HERE / "fit_windows.py")], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    x0, y0, area_w, area_h = report["area"]
    assert (area_w, area_h) == (width, height)
    names = set(report["windows"])
    assert {"main", "action_budget", "action_dashboard", "action_deviations", "action_evaluation",
            "action_booklet", "orgUnits", "newPlan"} <= names
    for name, window in report["windows"].items():
        x, y, w, h = window["frame"]
        assert x >= x0 and y >= y0 and x + w <= x0 + area_w and y + h <= y0 + area_h, (name, window)
        min_w, min_h = window["minimum"]
        assert min_w <= area_w and min_h <= area_h, (name, window)


def _window(name: str) -> QWidget:
    widget = QWidget()
    widget.setObjectName(name)
    QVBoxLayout(widget).addWidget(QLabel("پنجره آزمایشی"))
    return widget


def test_a_window_comes_back_with_the_size_and_place_it_was_left_at_on_this_screen(qtbot):
    first = _window("fitTestWindow")
    qtbot.addWidget(first)
    window_fit.place(first, (5000, 5000))  # asks for more than any screen
    first.show()
    area = first.screen().availableGeometry()
    assert first.width() <= area.width() and first.height() <= area.height()
    first.setGeometry(area.x() + 20, area.y() + 30, 410, 320)
    left = first.geometry()
    first.close()
    key = window_fit.settings_key(first, first.screen())
    assert first.screen().name() in key and f"{first.screen().geometry().width()}x" in key

    again = _window("fitTestWindow")
    qtbot.addWidget(again)
    window_fit.place(again, (900, 700))
    again.show()
    assert again.geometry() == left

    other = _window("anotherFitWindow")  # another window keeps its own memory
    qtbot.addWidget(other)
    window_fit.place(other, (300, 200))
    other.show()
    assert (other.width(), other.height()) == (300, 200)


def test_the_fitted_size_never_goes_below_what_the_window_needs_if_the_screen_has_room(qapp):
    screen = qapp.primaryScreen()
    area = screen.availableGeometry()
    fitted = window_fit.fitted_size(QSize(100, 100), screen, QSize(area.width() - 10, 50))
    assert fitted.width() == area.width() - 10
    huge = window_fit.fitted_size(QSize(99999, 99999), screen)
    assert huge.width() <= area.width() and huge.height() <= area.height()
