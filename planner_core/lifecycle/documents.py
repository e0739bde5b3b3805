"""The canonical plan document of one revision and its fingerprint (SHA-256).

The fingerprint covers what the council approves (structure, titles, indicators' definitions and
targets, allocations), not monitoring (actuals, reports, spending, states, lessons) nor the status,
so recording an actual on an approved plan leaves its fingerprint, printed in the booklet, unchanged.
"""

from __future__ import annotations

import copy
import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from db.engine import Database
from db.models import StrategicPlan
from planner_core.errors import NotFoundError, ValidationError
from planner_core.exchange.document import _export, export_document
from planner_core.text import fold, ltr

# Keys that are monitoring or bookkeeping, removed from the canonical form.
MONITORING_KEYS = {"actuals", "progress_reports", "state", "lessons", "status", "spent", "evidence",
                   "exported_at", "approval"}
PACKAGE_MEMBER = "plan.json"
MAX_PACKAGE_MEMBER = 512 * 1024 * 1024


def revision_document(db: Database, plan_id: int) -> dict[str, Any]:
    """The plan document holding this one revision (with the org units and budget codes it uses)."""
    doc = export_document(db, plan_ids=[plan_id])
    if not doc["plans"]:
        raise NotFoundError("برنامه راهبردی پیدا نشد؛ شاید حذف شده باشد.")
    return doc


def plan_entry(db: Database, plan_id: int) -> dict[str, Any]:
    return revision_document(db, plan_id)["plans"][0]


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in MONITORING_KEYS}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def canonical_content(plan: dict[str, Any]) -> dict[str, Any]:
    """The plan entry without monitoring: what an approval fixes."""
    return _strip(copy.deepcopy(plan))


def canonical_bytes(plan: dict[str, Any]) -> bytes:
    return json.dumps(canonical_content(plan), ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def fingerprint(plan: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(plan)).hexdigest()


def short_fingerprint(value: str) -> str:
    """The fingerprint as the booklet prints it: groups of eight, so a reader can compare by eye."""
    return " ".join(value[i:i + 8] for i in range(0, len(value), 8))


def read_package(path: Path) -> dict[str, Any]:
    """The plan document inside an exchange package (.bnp: a ZIP holding plan.json), read defensively."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.rsplit("/", 1)[-1] == PACKAGE_MEMBER]
            if not names:
                raise ValidationError("package", f"بسته «{ltr(path)}» فایل plan.json ندارد.")
            info = archive.getinfo(sorted(names, key=len)[0])
            if info.file_size > MAX_PACKAGE_MEMBER:
                raise ValidationError("package", f"plan.json در بسته «{ltr(path)}» بیش از اندازه بزرگ است.")
            raw = archive.read(info)
    except zipfile.BadZipFile as exc:
        raise ValidationError("package", f"«{ltr(path)}» بسته برنامه‌نگار (ZIP) نیست.") from exc
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError("package", f"plan.json در بسته «{ltr(path)}» JSON درست نیست.") from exc
    if not isinstance(doc, dict):
        raise ValidationError("package", f"plan.json در بسته «{ltr(path)}» سند برنامه نیست.")
    return doc


def plan_in_document(doc: dict[str, Any], code: str) -> dict[str, Any]:
    """The plan named ``CODE`` or ``CODE@N`` in a document (a single plan entry is accepted too)."""
    plans = doc.get("plans") if isinstance(doc.get("plans"), list) else [doc] if "axes" in doc else []
    wanted, _, revision = code.partition("@")
    matching = [p for p in plans if isinstance(p, dict) and fold(str(p.get("code", ""))) == fold(wanted)]
    if revision:
        matching = [p for p in matching if str(p.get("revision", 1)) == revision.strip()]
    if not matching:
        raise NotFoundError(f"برنامه‌ای با کد «{code}» در این سند نیست.")
    approved = [p for p in matching if p.get("status") == "approved"]
    return max(approved or matching, key=lambda p: int(p.get("revision", 1)))


def document_in_session(session: Session, plan: StrategicPlan) -> dict[str, Any]:
    """The one-revision document inside a running unit of work (so a step and its snapshot agree)."""
    session.flush()
    return _export(session, None, {plan.id})


def plan_entry_in_session(session: Session, plan: StrategicPlan) -> dict[str, Any]:
    return document_in_session(session, plan)["plans"][0]
