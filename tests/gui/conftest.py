"""GUI fixtures: an app set up like the real one, settings kept out of the user's profile."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings


@pytest.fixture(scope="session")
def qapp_args():
    return ["barnamenegar-tests"]


@pytest.fixture(scope="session")
def qapp_cls():
    from PySide6.QtWidgets import QApplication

    return QApplication


@pytest.fixture(autouse=True, scope="session")
def _app_setup(qapp, tmp_path_factory):
    """One-time app set-up (RTL, Persian locale, font) and a throw-away QSettings location."""
    from planner_gui.app import configure_application

    settings_dir = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings_dir))
    configure_application(qapp)
    return qapp


@pytest.fixture
def rtl_app(qapp):
    """The app as the real one is set up (configured once per session above)."""
    return qapp


@pytest.fixture
def ctx(db, qapp):
    from planner_gui.context import AppContext

    context = AppContext(db)
    yield context
    context.undo_stack.clear()


@pytest.fixture(autouse=True)
def _no_modal_boxes(monkeypatch):
    """A modal box would hang an offscreen test: record what it would have said instead."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []

    def fake(*args, **kwargs):
        shown.append(str(args[2]) if len(args) > 2 else "")
        return QMessageBox.StandardButton.Ok

    def question(*args, **kwargs):
        # A question nobody answered takes its default button (for «discard?», «انصراف»: stay).
        shown.append(str(args[2]) if len(args) > 2 else "")
        return args[4] if len(args) > 4 else kwargs.get("defaultButton", QMessageBox.StandardButton.No)

    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(fake))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return shown
