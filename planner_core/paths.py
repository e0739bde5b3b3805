"""Where the app keeps its files by default (the user's data folder, via platformdirs)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "Barnamenegar"


def data_dir() -> Path:
    path = Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database() -> Path:
    return data_dir() / "barnamenegar.db"


def sample_database() -> Path:
    return data_dir() / "sample-plan.db"
