"""Who changed what, when: one AuditEntry per change, written in the same transaction."""

from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from db.models import AuditEntry


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some service environments
        return ""


def _json(value: Any) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def record(session: Session, action: str, entity: str, uuid: str, summary: str = "",
           before: Any = None, after: Any = None) -> None:
    session.add(AuditEntry(at=datetime.now(UTC).replace(tzinfo=None), user=current_user(), action=action,
                           entity=entity, entity_uuid=uuid, summary=summary,
                           before=_json(before), after=_json(after)))
