"""Command line of the exchange: `export FILE.db OUT.bnp|OUT.xlsx` and `import FILE.db IN.bnp|IN.xlsx`.

Exit codes as everywhere: 0 done, 1 merge conflicts listed and nothing written, 2 bad input.
Workbooks (.xlsx) are handled by planner_core.workbooks; it is imported only when asked for.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from planner_core.cli import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, BadInput, opened, register
from planner_core.text import ltr, to_persian_digits

COUNT_LABELS = {"plans": "برنامه", "axis": "محور", "goal": "هدف کلان", "strategy": "راهبرد",
                "program": "برنامه عملیاتی", "project": "پروژه", "activity": "فعالیت", "indicators": "شاخص",
                "allocations": "تخصیص", "progress_reports": "گزارش پیشرفت", "budget_codes": "کد بودجه",
                "org_units": "واحد", "changed": "فیلد به‌روزشده", "kept": "فیلد دست‌نخورده"}


def _workbooks() -> Any:
    from planner_core.exchange.service import workbooks_module

    return workbooks_module()


def _is_xlsx(path: str) -> bool:
    return Path(path).suffix.lower() == ".xlsx"


def cmd_export(args: argparse.Namespace) -> int:
    from planner_core.exchange.service import export_package

    out = Path(args.out)
    if out.is_dir() or not out.parent.is_dir():
        raise BadInput(f"مسیر «{ltr(out)}» برای نوشتن فایل مناسب نیست (پوشه است یا پوشه آن وجود ندارد). "
                       f"/ cannot write '{out}'")
    if _is_xlsx(args.out):
        if args.subtree or args.template:
            raise BadInput("--subtree و --template فقط برای بسته ‎.bnp‎ است. / --subtree and --template need a .bnp")
        workbooks = _workbooks()
        with opened(args.file) as db:
            codes = None
            if args.plan:
                from planner_core.plans import find_plan

                codes = [find_plan(db, args.plan).code]
            workbooks.export_workbook(db, out, plan_codes=codes)
        print(f"کارپوشه در «{ltr(out)}» نوشته شد.")
        return EXIT_OK
    if out.suffix.lower() != ".bnp":
        raise BadInput(f"نام فایل خروجی باید به ‎.bnp‎ یا ‎.xlsx‎ ختم شود: «{ltr(out)}» / the output must be .bnp or .xlsx")
    with opened(args.file, write=True) as db:
        result = export_package(db, out, args.plan, args.subtree, args.template)
    kind = "الگوی" if result.template else "بسته"
    print(f"{kind} {to_persian_digits(result.plans)} برنامه با {to_persian_digits(result.nodes)} گره در «{ltr(out)}» "
          "نوشته شد.")
    return EXIT_OK


def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.db")
    p.add_argument("out", metavar="OUT.bnp", help="package (.bnp) or workbook (.xlsx)")
    p.add_argument("--plan", metavar="CODE", help="only this plan (default: every plan)")
    p.add_argument("--subtree", metavar="FULL_CODE", help="only this node and its subtree, e.g. 2-1")
    p.add_argument("--template", action="store_true",
                   help="structure, indicator definitions and lessons only: no budgets, amounts or actuals")


def print_preview(preview: Any) -> None:
    diff = preview.diff
    mode = {"add": "افزودن", "as_new": "برنامه تازه", "merge": "ادغام"}[preview.mode]
    print(f"بسته از «{preview.source_name or '—'}» ({mode}): {'، '.join(preview.plan_titles) or 'بدون برنامه'}")
    print(f"افزوده می‌شود: {to_persian_digits(len(diff.added))} مورد؛ تغییر می‌کند: "
          f"{to_persian_digits(len(diff.changed))} فیلد؛ دست‌نخورده می‌ماند: {to_persian_digits(len(diff.kept))} "
          f"فیلد و {to_persian_digits(diff.local_only)} مورد؛ ناسازگاری: {to_persian_digits(len(diff.conflicts))}")


def cmd_import(args: argparse.Namespace) -> int:
    from planner_core.exchange.service import ConflictsFound, import_package, load_source, preview_import

    source = Path(args.source)
    target = Path(args.file)
    if _is_xlsx(args.source) and _workbooks().is_update_workbook(source):
        return _import_update_workbook(target, source)
    package = load_source(source)  # the whole package (or workbook) is checked before the file is opened
    created = not target.exists()
    try:
        with _open_target(target) as db:
            preview = preview_import(db, package, _mode(args))
            print_preview(preview)
            try:
                counts = import_package(db, preview, prefer=_prefer(args))
            except ConflictsFound as exc:
                for change in exc.conflicts:
                    print(f"ناسازگاری: {change.label}: اینجا «{_show(change.ours)}» / بسته «{_show(change.theirs)}»")
                print("هر دو طرف این فیلدها را تغییر داده‌اند؛ چیزی نوشته نشد. با --theirs (مقدار بسته) یا --ours "
                      "(مقدار این فایل) دوباره اجرا کنید. "
                      "/ conflicts found, nothing written: rerun with --theirs or --ours")
                return EXIT_FINDINGS
    except BaseException:
        if created:
            _remove(target)
        raise
    print(f"بسته وارد شد: {_counts(counts)}")
    return EXIT_OK


def _import_update_workbook(target: Path, source: Path) -> int:
    """A unit's filled quarterly update workbook: progress reports and actuals (planner_core.workbooks).

    The whole workbook is checked and its preview printed before anything is written; the
    recording itself takes the backup and writes in one transaction."""
    if not target.exists():
        raise BadInput(f"فایل «{ltr(target)}» پیدا نشد؛ کارپوشه به‌روزرسانی فقط در فایل موجود وارد می‌شود. "
                       f"/ file '{target}' not found")
    with opened(str(target), write=True) as db:
        preview = _workbooks().import_update_workbook(db, source, dry_run=True)
        for line in preview.lines():
            print(line)
        if not preview.changes:
            print("چیزی برای ثبت نبود؛ فایل دست نخورد.")
            return EXIT_OK
        summary = _workbooks().import_update_workbook(db, source)
    print(f"کارپوشه «{ltr(source)}» ثبت شد: {to_persian_digits(summary.added)} مورد تازه و "
          f"{to_persian_digits(summary.changed)} تغییر.")
    return EXIT_OK


def _show(value: Any) -> str:
    text = "—" if value is None else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _counts(counts: dict[str, int]) -> str:
    return "، ".join(f"{to_persian_digits(v)} {COUNT_LABELS.get(k, k)}" for k, v in counts.items() if v)


def _mode(args: argparse.Namespace) -> str:
    return "as_new" if args.as_new else "merge" if args.merge else "add"


def _prefer(args: argparse.Namespace) -> str | None:
    return "theirs" if args.theirs else "ours" if args.ours else None


def _open_target(target: Path) -> Any:
    from contextlib import contextmanager

    from planner_core.cli import _store

    @contextmanager
    def manager() -> Any:
        db = _store(str(target), create=not target.exists())
        try:
            yield db
        finally:
            db.dispose()

    return manager()


def _remove(target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.db", help="created when it does not exist")
    p.add_argument("source", metavar="IN.bnp", help="package (.bnp) or workbook (.xlsx)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--as-new", action="store_true", help="as a new plan: new UUIDs and a free code")
    mode.add_argument("--merge", action="store_true", help="merge into the plan with the same UUID")
    side = p.add_mutually_exclusive_group()
    side.add_argument("--theirs", action="store_true", help="on a conflict take the package's value")
    side.add_argument("--ours", action="store_true", help="on a conflict keep this file's value")


register("export", cmd_export, "صدور بسته تبادل یا کارپوشه / export a plan package (.bnp) or workbook (.xlsx)",
         _export_args)
register("import", cmd_import, "ورود بسته تبادل یا کارپوشه / import a plan package (.bnp) or workbook (.xlsx)",
         _import_args)

__all__ = ["EXIT_BAD_INPUT", "cmd_export", "cmd_import"]


def cmd_adopt(args: argparse.Namespace) -> int:
    from planner_core.plans import adopt_plan, find_plan

    with opened(args.file, write=True) as db:
        source = find_plan(db, args.plan)
        adopted = adopt_plan(db, source.id, args.code)
    print(f"برنامه «{source.title}» از «{source.source_municipality}» به‌عنوان برنامه پیش‌نویس «{adopted.code}» "
          "برگزیده شد.")
    return EXIT_OK


def _adopt_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.db")
    p.add_argument("--plan", metavar="CODE", required=True, help="the received plan to adopt")
    p.add_argument("--code", metavar="NEW_CODE", help="code of the new draft plan (default: a free one)")


register("adopt", cmd_adopt, "برگزیدن برنامه رسیده به‌عنوان پیش‌نویس خودی / adopt a received plan as an own draft",
         _adopt_args)
