"""Command-line subcommands of the workbooks: ``template`` and ``update-workbooks``.

(``export``/``import`` of ``.xlsx`` files are dispatched here by the exchange commands.)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from planner_core.cli import BadInput, opened, register
from planner_core.text import ltr, to_persian_digits


def _xlsx_target(value: str) -> Path:
    out = Path(value)
    if out.suffix.lower() != ".xlsx":
        raise BadInput(f"نام فایل خروجی باید به ‎.xlsx‎ ختم شود: «{ltr(out)}» / the output must be an .xlsx file")
    if out.is_dir() or not out.parent.is_dir():
        raise BadInput(f"مسیر «{ltr(out)}» برای نوشتن فایل مناسب نیست (پوشه است یا پوشه آن وجود ندارد). "
                       f"/ cannot write '{out}'")
    return out


def cmd_template(args: argparse.Namespace) -> int:
    from planner_core.workbooks import write_template

    out = _xlsx_target(args.out)
    write_template(out)
    print(f"قالب خالی کارپوشه برنامه در «{ltr(out)}» نوشته شد.")
    return 0


def _template_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", metavar="OUT.xlsx")


def cmd_update_workbooks(args: argparse.Namespace) -> int:
    from planner_core.workbooks import write_update_workbooks

    outdir = Path(args.outdir)
    if outdir.exists() and not outdir.is_dir():
        raise BadInput(f"«{ltr(outdir)}» پوشه نیست. / '{outdir}' is not a folder")
    if not outdir.parent.is_dir():
        raise BadInput(f"پوشه «{ltr(outdir.parent)}» وجود ندارد. / folder '{outdir.parent}' does not exist")
    with opened(args.file) as db:  # reads the store only; writes workbooks beside it
        outdir.mkdir(exist_ok=True)
        paths = write_update_workbooks(db, outdir, args.year, args.quarter)
    y, q = to_persian_digits(args.year), to_persian_digits(args.quarter)
    if not paths:
        print(f"هیچ واحد مسئولی در سال {y} پروژه یا شاخصی ندارد؛ کارپوشه‌ای ساخته نشد.")
        return 0
    print(f"{to_persian_digits(len(paths))} کارپوشه به‌روزرسانی سال {y} فصل {q} در «{ltr(outdir)}» ساخته شد:")
    for path in paths:
        print(f"  {ltr(path.name)}")
    return 0


def _update_args(p: argparse.ArgumentParser) -> None:
    from planner_core.commands import _year

    p.add_argument("file", metavar="FILE.db")
    p.add_argument("outdir", metavar="OUTDIR")
    p.add_argument("--year", type=_year, required=True, help="fiscal (Jalali) year, e.g. 1404")
    p.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), required=True)


register("template", cmd_template, "قالب خالی کارپوشه اکسل برنامه / an empty plan workbook to fill in Excel",
         _template_args)
register("update-workbooks", cmd_update_workbooks,
         "کارپوشه‌های به‌روزرسانی فصلی واحدها / one quarterly update workbook per responsible unit", _update_args)
