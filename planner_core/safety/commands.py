"""Subcommands of data safety: backups (list), backup (make one), restore (put one back)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from planner_core import backups
from planner_core.cli import BadInput, register
from planner_core.errors import StoreError
from planner_core.jalali import format_jalali
from planner_core.safety.lock import WriterLock
from planner_core.store import SQLITE_MAGIC
from planner_core.text import ltr, to_persian_digits


def _existing(file: str) -> Path:
    path = Path(file).expanduser()
    if not path.is_file():
        raise BadInput(f"فایل «{ltr(path)}» پیدا نشد. / file '{path}' not found")
    with path.open("rb") as handle:
        if handle.read(16) != SQLITE_MAGIC:
            raise BadInput(f"«{ltr(path)}» فایل پایگاه داده برنامه‌نگار نیست. / '{path}' is not a Barnamenegar database")
    return path.resolve()


def _size(size: int) -> str:
    return f"{to_persian_digits(f'{size / 1024:.0f}')} کیلوبایت"


def cmd_backups(args: argparse.Namespace) -> int:
    path = Path(args.file).expanduser().resolve()
    found = backups.list_backups(path)
    if args.json:
        print(json.dumps([b.as_json() for b in found], ensure_ascii=False, indent=1))
        return 0
    if not found:
        print(f"برای «{ltr(path.name)}» پشتیبانی نیست (پوشه «{ltr(backups.backup_folder(path))}»).")
    for b in found:
        moment = f"{format_jalali(b.created.date())} {to_persian_digits(b.created.strftime('%H:%M'))}"
        print(f"{moment} — {b.reason_label} — {_size(b.size)} — {ltr(b.path)}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    source = _existing(args.file)
    try:
        made = backups.backup_to(source, Path(args.out).expanduser() if args.out else None)
    except StoreError as exc:
        raise BadInput(f"{exc} / {exc.english}") from exc
    print(f"پشتیبان در «{ltr(made)}» ساخته و بررسی شد.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    target = Path(args.file).expanduser().resolve()
    backup = _existing(args.backup)
    try:
        lock = WriterLock.take(target)
        try:
            previous = backups.restore(target, backup)
        finally:
            lock.release()
    except StoreError as exc:
        raise BadInput(f"{exc} / {exc.english}") from exc
    print(f"پشتیبان «{ltr(backup.name)}» بازگردانده شد."
          + (f" نسخه پیشین در «{ltr(previous)}» نگه داشته شد." if previous else ""))
    return 0


def _backups_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.db")
    p.add_argument("--json", action="store_true", help="a JSON list of {path, created, reason, size}")


def _backup_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.db")
    p.add_argument("out", metavar="OUT", nargs="?", help="where to write it (default: the backup folder)")


def _restore_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.db")
    p.add_argument("backup", metavar="BACKUP")


register("backups", cmd_backups, "فهرست پشتیبان‌های یک فایل / list a file's backups", _backups_args)
register("backup", cmd_backup, "ساختن پشتیبان / make a verified backup", _backup_args)
register("restore", cmd_restore, "بازگرداندن پشتیبان (پس از پشتیبان‌گیری از فایل کنونی) / restore a backup",
         _restore_args)
