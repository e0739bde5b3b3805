"""Recently opened plan files and the window's own memory, kept in QSettings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

MAX_RECENT = 8
RECENT_KEY = "files/recent"
LAST_KEY = "files/last"


def settings() -> QSettings:
    """The app's settings (organisation "Barnamenegar"); tests point QSettings at a temp dir."""
    # defaultFormat(): tests switch it to INI in a temporary folder (tests/gui/conftest.py).
    return QSettings(QSettings.defaultFormat(), QSettings.Scope.UserScope, "Barnamenegar", "Barnamenegar")


def recent_files() -> list[Path]:
    value = settings().value(RECENT_KEY, []) or []
    if isinstance(value, str):
        value = [value]
    return [Path(v) for v in value if v]


def add_recent(path: Path) -> list[Path]:
    resolved = str(Path(path).expanduser().resolve())
    files = [resolved] + [str(p) for p in recent_files() if str(p) != resolved]
    store = settings()
    store.setValue(RECENT_KEY, files[:MAX_RECENT])
    store.setValue(LAST_KEY, resolved)
    return [Path(f) for f in files[:MAX_RECENT]]


def last_file() -> Path | None:
    value = settings().value(LAST_KEY)
    return Path(value) if value else None


def clear_recent() -> None:
    settings().remove(RECENT_KEY)
