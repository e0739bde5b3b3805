"""The headless command line: scripts and other municipalities' tools depend on it.

Exit codes: 0 success, 1 `check` found errors, 2 bad input (one line, Persian / English).
"""

from __future__ import annotations

import argparse
import errno
import glob
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

from sqlalchemy.exc import DatabaseError, SQLAlchemyError

from db.engine import Database
from planner_core.errors import PlannerError, StoreError
from planner_core.safety.lock import WriterLock
from planner_core.store import open_store
from planner_core.text import ltr, to_persian_digits

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


class BadInput(Exception):
    """Wrong arguments or an unusable file: exit 2 with one line."""


_ARGPARSE_FA = (
    (re.compile(r"the following arguments are required: (.+)"), "این آرگومان‌ها لازم است: {0}"),
    (re.compile(r"argument (\S+): invalid choice: '?([^' ]+)'? \(choose from (.+)\)"),
     "آرگومان {0}: مقدار «{1}» مجاز نیست؛ یکی از: {2}"),
    (re.compile(r"argument (\S+): invalid int value: '?([^']*)'?"), "آرگومان {0}: «{1}» عدد صحیح نیست"),
    (re.compile(r"argument (\S+): expected one argument"), "آرگومان {0} مقدار می‌خواهد"),
    (re.compile(r"unrecognized arguments: (.+)"), "آرگومان‌های ناشناخته: {0}"),
    (re.compile(r"argument (\S+): (.+)"), "آرگومان {0}: {1}"),
)


def argparse_in_persian(message: str) -> str:
    for pattern, persian in _ARGPARSE_FA:
        match = pattern.fullmatch(message.strip())
        if match:
            return persian.format(*match.groups())
    return message


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        english = message if message.isascii() else "see --help"
        raise BadInput(f"آرگومان‌های نادرست: {argparse_in_persian(message)} / bad arguments: {english}")


def _store(path: str, create: bool = False, write: bool = True) -> Database:
    # ``write`` tells a reading command (check, dump, reports) from a writing one: a reading command
    # opens the file read-only and never changes it; a writing one takes the one-writer lock (exit 2
    # with who holds it when another instance has the file).
    try:
        db = open_store(path, create=create, write=write, lock=write)
    except StoreError as exc:
        raise BadInput(f"{exc} / {exc.english}") from exc
    for notice in db.notices:
        print(notice, file=sys.stderr)
    return db


@contextmanager
def opened(path: str, write: bool = False) -> Iterator[Database]:
    """A command's store: an unusable file is exit 2 with one line; the engine is always closed.

    Reading commands call ``opened(path)``; commands that change the file call ``opened(path, write=True)``.
    """
    db = _store(path, write=write)
    try:
        yield db
    finally:
        db.dispose()


# --- commands ------------------------------------------------------------------------------

def cmd_demo(args: argparse.Namespace) -> int:
    from planner_core.sample import load_sample

    target = Path(args.file)
    if not target.parent.is_dir():
        raise BadInput(f"پوشه «{ltr(target.parent)}» وجود ندارد. / folder '{target.parent}' does not exist")
    if target.exists() and not args.force:
        raise BadInput(f"فایل «{target}» از پیش هست؛ برای بازنویسی --force بدهید. / '{target}' exists; use --force.")
    # Built in a temporary file beside the target and renamed over it at the end: a demo killed
    # half-way leaves no empty or half-filled database behind.
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.building*"):
        leftover.unlink(missing_ok=True)  # what a killed demo left (its pid is in the name)
    temp = target.with_name(f".{target.name}.{os.getpid()}.building")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{temp}{suffix}").unlink(missing_ok=True)
    try:
        lock = WriterLock.take(target)  # --force must not replace a file another instance is editing
    except StoreError as exc:
        raise BadInput(f"{exc} / {exc.english}") from exc

    def remove_temp() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{temp}{suffix}").unlink(missing_ok=True)

    try:
        try:
            db = _store(str(temp), create=True)  # a full disk can refuse already here, half-way in a migration
        except BaseException:
            remove_temp()
            raise
        try:
            counts = load_sample(db, lifecycle=True)
        except BaseException:
            db.dispose()
            remove_temp()
            raise
        db.dispose()  # checkpointed: the temporary file alone holds everything
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(temp, target)
    finally:
        lock.release()
    labels = {"plans": "برنامه راهبردی", "axis": "محور", "goal": "هدف کلان", "strategy": "راهبرد",
              "program": "برنامه عملیاتی", "project": "پروژه", "activity": "فعالیت", "indicators": "شاخص",
              "allocations": "تخصیص", "budget_codes": "کد بودجه", "org_units": "واحد مسئول"}
    print(f"برنامه نمونه در «{ltr(target)}» ساخته شد: "
          + "، ".join(f"{to_persian_digits(counts[k])} {label}" for k, label in labels.items() if k in counts))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from planner_core.checks import has_errors, run_checks
    from planner_core.plans import find_plan

    damage = _damage(args.file)
    if damage:
        # What check is for: a damaged file is a finding (exit 1) whatever the damage, never exit 2.
        for problem in damage[:20]:
            print(f"[خطا] فایل آسیب دیده است: {problem}")
        return EXIT_FINDINGS
    with opened(args.file) as db:
        try:
            plan_id = find_plan(db, args.plan).id if args.plan else None
            findings = run_checks(db, plan_id=plan_id, year=args.year)
        except DatabaseError as exc:
            # What check is for: a damaged file is a finding (exit 1), not a usage error.
            print(f"[خطا] فایل آسیب دیده است و بررسی کامل نشد: {exc.orig}")
            return EXIT_FINDINGS
    if args.json:
        print(json.dumps([f.__dict__ for f in findings], ensure_ascii=False, indent=1))
    else:
        for finding in findings:
            print(f"[{finding.severity_label}] {finding.message}")
        errors = sum(f.severity == "error" for f in findings)
        warnings = len(findings) - errors
        if findings:
            print(f"— {to_persian_digits(errors)} خطا و {to_persian_digits(warnings)} هشدار.")
        else:
            print("بررسی انجام شد؛ مشکلی پیدا نشد.")
    return EXIT_FINDINGS if has_errors(findings) else EXIT_OK


def _damage(file: str) -> list[str]:
    """The full integrity and foreign-key findings of a SQLite file of ours ([] when sound or not ours)."""
    from planner_core.safety import file_health

    path = Path(file).expanduser()
    if "://" in file or not path.is_file() or path.stat().st_size == 0:
        return []
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            return []
    health = file_health(path, full=True)
    return health.problems if health.kind == "damaged" else []


def cmd_dump(args: argparse.Namespace) -> int:
    from planner_core.exchange import export_document
    from planner_core.plans import find_plan

    with opened(args.file) as db:
        # The same plan-code matching as every other command (digit scripts and case don't matter).
        plan = find_plan(db, args.plan) if args.plan else None
        # CODE@N dumps that one revision; a bare code every revision of the plan.
        doc = export_document(db, plan_ids=[plan.id]) if plan and "@" in args.plan \
            else export_document(db, [plan.code] if plan else None)
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=args.indent)
    sys.stdout.write("\n")
    return EXIT_OK


COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], str]] = {
    "demo": (cmd_demo, "ساخت فایل پایگاه داده با برنامه نمونه / create a database holding the sample plan"),
    "check": (cmd_check, "بررسی یکپارچگی و قواعد برنامه / integrity check and plan validation"),
    "dump": (cmd_dump, "همه محتوا به صورت JSON / the whole content as JSON on stdout"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="main.py", description="برنامه‌نگار — Barnamenegar: municipal strategic and "
                     "operational plans. Without a subcommand the desktop app starts.")
    parser.add_argument("--db", metavar="FILE", help="پایگاه داده برای باز کردن در برنامه / database to open")
    parser.add_argument("--sample", action="store_true",
                        help="باز کردن برنامه نمونه / open the bundled sample plan (created on first use)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    demo = sub.add_parser("demo", help=COMMANDS["demo"][1], description=COMMANDS["demo"][1])
    demo.add_argument("file", metavar="FILE.db")
    demo.add_argument("--force", action="store_true", help="replace an existing file")

    check = sub.add_parser("check", help=COMMANDS["check"][1], description=COMMANDS["check"][1])
    check.add_argument("file", metavar="FILE.db")
    check.add_argument("--plan", metavar="CODE", help="only this plan")
    check.add_argument("--year", type=int, help="only this fiscal year's budget findings")
    check.add_argument("--json", action="store_true", help="findings as JSON")

    dump = sub.add_parser("dump", help=COMMANDS["dump"][1], description=COMMANDS["dump"][1])
    dump.add_argument("file", metavar="FILE.db")
    dump.add_argument("--plan", metavar="CODE", help="only this plan")
    dump.add_argument("--indent", type=int, default=1)

    for name, (_func, help_text) in EXTRA_COMMANDS.items():
        extra = sub.add_parser(name, help=help_text, description=help_text)
        EXTRA_ARGUMENTS[name](extra)
    return parser


# Later commands (booklet, progress, budget, …) register here without touching the table above.
EXTRA_COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], str]] = {}
EXTRA_ARGUMENTS: dict[str, Callable[[argparse.ArgumentParser], None]] = {}


def register(name: str, func: Callable[[argparse.Namespace], int], help_text: str,
             arguments: Callable[[argparse.ArgumentParser], None]) -> None:
    EXTRA_COMMANDS[name] = (func, help_text)
    EXTRA_ARGUMENTS[name] = arguments


def parse(argv: Sequence[str]) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def run(args: argparse.Namespace) -> int:
    """Run a parsed subcommand, turning every user-facing failure into exit 2 and one line."""
    func = {**COMMANDS, **EXTRA_COMMANDS}[args.command][0]
    try:
        return func(args)
    except BadInput as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except PlannerError as exc:
        # One line, Persian and English; a workbook's list of errors follows it, one per line.
        first, *rest = str(exc).splitlines() or [""]
        print(f"{first} / {exc.english}", file=sys.stderr)
        for line in rest:
            print(line, file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_OK
    except SQLAlchemyError as exc:
        from planner_core.safety.busy import as_planner_error

        refusal = as_planner_error(exc)  # locked, read-only, disk full: said as such, nothing was written
        if refusal is not None:
            print(f"{refusal} / {refusal.english}", file=sys.stderr)
            return EXIT_BAD_INPUT
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        print(f"فایل پایگاه داده آسیب دیده یا ناخواناست: {reason} / damaged or unreadable database", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            print("جای خالی دیسک تمام شده است؛ چیزی نیمه‌کاره نوشته نشد. / the disk is full", file=sys.stderr)
            return EXIT_BAD_INPUT
        print(f"خطای فایل: {exc} / file error", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (UnicodeError, json.JSONDecodeError) as exc:
        print(f"خطای فایل: {exc} / file error", file=sys.stderr)
        return EXIT_BAD_INPUT
