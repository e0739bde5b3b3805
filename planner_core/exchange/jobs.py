"""Exchange work as the GUI's background jobs run it: plain values in, its own store, cancellable.

Each function opens the store by URL on the worker's thread and closes it again; nothing of the
UI thread's session is touched.  Cancelling an import raises ImportCancelled from inside the one
transaction, so nothing of it is written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner_core.exchange.diff import field_label
from planner_core.exchange.package import ExportCancelled
from planner_core.exchange.service import (
    Choice,
    ExportResult,
    ImportPreview,
    Mode,
    export_package,
    import_package,
    load_source,
    preview_import,
)
from planner_core.store import open_store

ProgressFn = Callable[[int, int, str], None]
CancelledFn = Callable[[], bool]


class ImportCancelled(Exception):
    """The planner cancelled; the import's transaction was rolled back."""


ACTION_LABELS = {"add": "افزوده می‌شود", "change": "تغییر می‌کند", "keep": "دست‌نخورده می‌ماند",
                 "conflict": "ناسازگاری"}


@dataclass(frozen=True)
class PreviewRow:
    action: str  # add | change | keep | conflict
    what: str
    field: str
    ours: str
    theirs: str
    key: tuple[str, str] | None  # (uuid, field) for a conflict

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict) and "value" in value:
        return f"{value['value']}" + (f" ({value['note']})" if value.get("note") else "")
    return str(value)


def preview_rows(preview: ImportPreview) -> list[PreviewRow]:
    """Every line of the preview, conflicts first, then additions, changes and what stays."""
    diff = preview.diff
    rows = [PreviewRow("conflict", c.entity.label, field_label(c.field), _show(c.ours), _show(c.theirs), c.key)
            for c in diff.conflicts]
    rows += [PreviewRow("add", e.label, "", "", "", None) for e in diff.added]
    rows += [PreviewRow("change", c.entity.label, field_label(c.field), _show(c.ours), _show(c.theirs), None)
             for c in diff.changed]
    rows += [PreviewRow("keep", c.entity.label, field_label(c.field), _show(c.ours), _show(c.theirs), None)
             for c in diff.kept]
    return rows


def preview_file(url: str, path: Path, mode: Mode) -> ImportPreview:
    db = open_store(url)
    try:
        return preview_import(db, load_source(path), mode)
    finally:
        db.dispose()


def import_previewed(url: str, preview: ImportPreview, choices: Mapping[tuple[str, str], Choice],
                     progress: ProgressFn, cancelled: CancelledFn) -> dict[str, int]:
    def report(done: int, total: int, text: str) -> None:
        if cancelled():
            raise ImportCancelled
        progress(done, total, text)

    db = open_store(url)
    try:
        return import_package(db, preview, choices=choices, progress=report)
    finally:
        db.dispose()


def export_file(url: str, target: Path, plan_code: str | None, subtree: str | None, template: bool,
                progress: ProgressFn | None = None, cancelled: CancelledFn | None = None) -> ExportResult:
    """Cancelling raises ExportCancelled and leaves nothing at ``target``."""
    if cancelled is not None and cancelled():
        raise ExportCancelled
    db = open_store(url)
    try:
        if target.suffix.lower() == ".xlsx":
            return _export_workbook(db, target, plan_code, cancelled)
        return export_package(db, target, plan_code, subtree, template, progress=progress, cancelled=cancelled)
    finally:
        db.dispose()


def _export_workbook(db: Any, target: Path, plan_code: str | None, cancelled: CancelledFn | None) -> ExportResult:
    """The plan as a workbook (planner_core.workbooks), staged beside the target and renamed only
    when it was not cancelled, so a cancelled export leaves no file."""
    from planner_core.exchange.service import workbooks_module

    staged = target.with_name(target.name + ".staged.xlsx")
    try:
        workbooks_module().export_workbook(db, staged, plan_codes=[plan_code] if plan_code else None)
        if cancelled is not None and cancelled():
            raise ExportCancelled
        staged.replace(target)
    finally:
        staged.unlink(missing_ok=True)
    return ExportResult(target, 1, 0, False)
