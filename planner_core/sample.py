"""The bundled sample plan: a full metropolitan plan a first-time user can open in one click."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from db.engine import Database
from planner_core.exchange import import_document

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
SAMPLE_PLAN = RESOURCES / "sample_plan.json"


def sample_document() -> dict[str, Any]:
    with SAMPLE_PLAN.open(encoding="utf-8") as handle:
        return json.load(handle)


def load_sample(db: Database) -> dict[str, int]:
    """Put the sample plan into an (empty) store; its municipality becomes the file's own."""
    return import_document(db, sample_document(), as_home=True)
