"""Subcommands beyond demo/check/dump: progress, budget, deviations, booklet."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from planner_core.cli import BadInput, _store, opened, register
from planner_core.levels import LABELS
from planner_core.progress import STATUS_LABELS
from planner_core.text import MONEY_UNIT, format_money, format_percent, ltr, to_persian_digits


def _plan_id(db, code: str | None, year: int | None = None) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """The plan named (or the first), and, given a fiscal year, a check that the plan covers it."""
    from planner_core.plans import find_plan

    plan = find_plan(db, code)
    if year is not None and not plan.first_year <= year <= plan.last_year:
        raise BadInput(f"سال {to_persian_digits(year)} در دوره برنامه «{plan.title}» ({plan.period_label}) نیست. "
                       f"/ year {year} is outside the plan's years {plan.first_year}-{plan.last_year}")
    return plan.id, plan.title


def _year(value: str) -> int:
    from planner_core.fields import year

    try:
        result = year("year", value)
    except Exception as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    assert result is not None
    return result


# --- progress ------------------------------------------------------------------------------

def cmd_progress(args: argparse.Namespace) -> int:
    from planner_core.rollups import progress_tree

    with opened(args.file) as db:
        plan_id, title = _plan_id(db, args.plan, args.year)
        tree = progress_tree(db, plan_id, args.year, args.quarter)
    if args.json:
        print(json.dumps({"plan": title, "year": args.year, "quarter": args.quarter,
                          "progress": tree.plan_progress, "expected": tree.plan_expected,
                          "status": tree.plan_status.value,
                          "nodes": [{**asdict(n), "status": n.status.value} for n in tree.nodes.values()]},
                         ensure_ascii=False, indent=1))
        return 0
    print(f"{title} — پیشرفت سال {to_persian_digits(args.year)} تا پایان فصل {to_persian_digits(args.quarter)}")
    print(f"کل برنامه: {format_percent(tree.plan_progress)} (مورد انتظار {format_percent(tree.plan_expected)})"
          f" — {STATUS_LABELS[tree.plan_status]}")

    def walk(parent: int | None, prefix: str, depth: int) -> None:
        for node in tree.children(parent):
            code = f"{prefix}-{node.code}" if prefix else node.code
            if depth < args.depth:
                unit = f" [{node.unit}]" if node.unit else ""
                print(f"{'  ' * depth}{LABELS[node.kind]} {to_persian_digits(code)} «{node.title}»{unit}: "
                      f"{format_percent(node.progress)} از {format_percent(node.expected)} — "
                      f"{STATUS_LABELS[node.status]}")
                walk(node.node_id, code, depth + 1)

    walk(None, "", 0)
    return 0


def _progress_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.db")
    p.add_argument("--year", type=_year, required=True, help="fiscal (Jalali) year, e.g. 1404")
    p.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), default=4)
    p.add_argument("--plan", metavar="CODE")
    p.add_argument("--depth", type=int, default=5, help="levels to print (1 = axes only)")
    p.add_argument("--json", action="store_true")


# --- budget --------------------------------------------------------------------------------

def cmd_budget(args: argparse.Namespace) -> int:
    from planner_core.budget import budget_years
    from planner_core.budget_rollups import budget_matrix, budget_rollup
    from planner_core.checks import budget_check
    from planner_core.rollups import progress_tree
    from planner_core.scope import municipality_of_plan

    with opened(args.file) as db:
        plan_id, title = _plan_id(db, args.plan, args.year)
        has_budget = args.year in budget_years(db, municipality_of_plan(db, plan_id))
        rollup = budget_rollup(db, plan_id, args.year)
        names = {n.node_id: n for n in progress_tree(db, plan_id, args.year).nodes.values()}
        findings = budget_check(db, plan_id, args.year)
        if args.matrix_xlsx:
            from planner_core.excel import write_matrix

            write_matrix(budget_matrix(db, plan_id, args.year), Path(args.matrix_xlsx))
    if args.json:
        print(json.dumps({"plan": title, "year": args.year,
                          "codes": [asdict(c) for c in rollup.codes],
                          "nodes": {str(k): asdict(v) for k, v in rollup.by_node.items()},
                          "units": {k: asdict(v) for k, v in rollup.by_unit.items()},
                          "total": asdict(rollup.total), "findings": [asdict(f) for f in findings]},
                         ensure_ascii=False, indent=1))
        return 0
    y = to_persian_digits(args.year)
    print(f"{title} — بودجه سال {y} (مبالغ به {MONEY_UNIT})")
    if not has_budget:
        print(f"بودجه سالانه {y} هنوز ثبت نشده است؛ سقف کدها خالی است.")
    if args.matrix_xlsx:
        print(f"ماتریس بودجه-برنامه در «{ltr(args.matrix_xlsx)}» نوشته شد.")
    print(f"جمع تخصیص: {format_money(rollup.total.planned)}؛ هزینه‌شده: {format_money(rollup.total.spent)}")
    print("\nبه تفکیک کد بودجه (سقف / تخصیص / هزینه‌شده / مانده):")
    for c in rollup.codes:
        if c.ceiling is None and not c.planned:
            continue
        mark = " ⚠ بیش از سقف" if c.over else ""
        print(f"{'  ' * (c.level - 1)}{to_persian_digits(c.code)} {c.title}: "
              f"{format_money(c.ceiling) or '—'} / {format_money(c.planned)} / {format_money(c.spent)} / "
              f"{format_money(c.remaining) if c.remaining is not None else '—'}{mark}")
    print("\nبه تفکیک محور (تخصیص / هزینه‌شده / سهم از بودجه):")
    for node_id, amounts in rollup.by_node.items():
        node = names.get(node_id)
        if node and node.kind == "axis":
            print(f"محور {to_persian_digits(node.code)} «{node.title}»: {format_money(amounts.planned)} / "
                  f"{format_money(amounts.spent)} / {format_percent(rollup.axis_share(node_id), 1)}")
    print("\nبه تفکیک واحد مسئول (تخصیص / هزینه‌شده):")
    for unit, amounts in sorted(rollup.by_unit.items(), key=lambda kv: -kv[1].planned):
        print(f"{unit or 'بدون واحد مسئول'}: {format_money(amounts.planned)} / {format_money(amounts.spent)}")
    print("\nیافته‌های سازگاری بودجه:")
    for f in findings:
        print(f"[{f.severity_label}] {f.message}")
    if not findings:
        print("مشکلی پیدا نشد.")
    return 0


def _budget_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.db")
    p.add_argument("--year", type=_year, required=True)
    p.add_argument("--plan", metavar="CODE")
    p.add_argument("--matrix-xlsx", metavar="OUT.xlsx", help="also write the budget code × program matrix")
    p.add_argument("--json", action="store_true")


# --- deviations ----------------------------------------------------------------------------

def cmd_deviations(args: argparse.Namespace) -> int:
    from planner_core.deviations import deviations

    with opened(args.file) as db:
        plan_id, title = _plan_id(db, args.plan, args.year)
        rows = deviations(db, plan_id, args.year, args.quarter)
    if args.xlsx:
        from planner_core.excel import write_deviations

        write_deviations(rows, Path(args.xlsx), args.year, args.quarter)
        print(f"فهرست انحراف‌ها در «{ltr(args.xlsx)}» نوشته شد.")
    print(f"{title} — موارد عقب از برنامه، سال {to_persian_digits(args.year)} فصل {to_persian_digits(args.quarter)}:")
    for d in rows:
        action = "اقدام اصلاحی دارد" if d.has_corrective_action else "بدون اقدام اصلاحی"
        unit = f" [{d.unit}]" if d.unit else ""
        print(f"{to_persian_digits(d.full_code)} {d.title}{unit} — {format_percent(d.achievement)} — "
              f"{d.status_label} — {action}")
    if not rows:
        print("موردی عقب از برنامه نیست.")
    return 0


def _deviation_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.db")
    p.add_argument("--year", type=_year, required=True)
    p.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), default=4)
    p.add_argument("--plan", metavar="CODE")
    p.add_argument("--xlsx", metavar="OUT.xlsx", help="also write the list to Excel")


register("progress", cmd_progress, "درخت پیشرفت برنامه در یک سال / the progress roll-up tree for a year",
         _progress_args)
register("budget", cmd_budget, "جمع‌بندی بودجه و یافته‌های سازگاری یک سال / budget roll-up and findings",
         _budget_args)
register("deviations", cmd_deviations, "فهرست انحراف‌ها / indicators and projects behind plan",
         _deviation_args)

__all__ = ["BadInput"]


# --- booklet -------------------------------------------------------------------------------

def cmd_booklet(args: argparse.Namespace) -> int:
    from planner_core.booklet import ApprovalsInfo, BookletOptions
    from planner_core.booklet_job import export_booklet
    from planner_core.jalali import parse_jalali

    _store(args.file, write=False).dispose()  # a clear exit-2 message for a missing or foreign file
    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise BadInput(f"نام فایل خروجی باید به ‎.pdf‎ ختم شود: «{ltr(out)}» / the output must be a .pdf file")
    if out.is_dir() or not out.parent.is_dir():
        raise BadInput(f"مسیر «{ltr(out)}» برای نوشتن فایل مناسب نیست (پوشه است یا پوشه آن وجود ندارد). "
                       f"/ cannot write '{out}'")
    try:
        resolution_date = parse_jalali(args.resolution_date) if args.resolution_date else None
    except ValueError as exc:
        raise BadInput(f"تاریخ مصوبه «{args.resolution_date}» تاریخ شمسی درستی نیست (مثل ۱۴۰۳/۱۲/۲۰). "
                       "/ --resolution-date: not a Jalali date") from exc
    try:
        approvals = ApprovalsInfo.from_names(args.prepared_by, args.reviewed_by, args.approved_by,
                                             resolution_number=args.resolution_number,
                                             resolution_date=resolution_date, approved_by_body=args.approving_body)
        options = BookletOptions(plan_code=args.plan, axis=args.axis, unit=args.unit, year=args.year,
                                 logo_path=Path(args.logo) if args.logo else None, prepared_by=args.prepared_by,
                                 reviewed_by=args.reviewed_by, approved_by=args.approved_by, approvals=approvals,
                                 kind=args.kind, crop_marks=args.crop_marks, pdfa=args.pdfa,
                                 album_size=args.paper)
        result = export_booklet(args.file, out, options)
    except ValueError as exc:
        raise BadInput(f"{exc} / bad booklet option") from exc
    for warning in result.warnings:
        print(f"هشدار: {warning} / warning: the year has no data", file=sys.stderr)
    print(f"دفترچه در «{ltr(out)}» ساخته شد: {to_persian_digits(result.pages)} صفحه.")
    return 0


def _booklet_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.db")
    p.add_argument("out", metavar="OUT.pdf")
    p.add_argument("--plan", metavar="CODE", help="plan code (default: the first plan)")
    p.add_argument("--axis", metavar="CODE", help="only this axis/goal/strategy/program, by its code, e.g. 2-1")
    p.add_argument("--unit", metavar="NAME", help="only what this responsible unit (code or name) carries")
    p.add_argument("--year", type=_year, help="only this fiscal year")
    p.add_argument("--logo", metavar="IMAGE", help="logo for the cover")
    p.add_argument("--prepared-by", default="", help="تهیه‌کننده")
    p.add_argument("--reviewed-by", default="", help="بررسی‌کننده")
    p.add_argument("--approved-by", default="", help="تصویب‌کننده")
    p.add_argument("--kind", choices=("plan", "budget-album"), default="plan",
                   help="plan: the plan booklet; budget-album: آلبوم بودجه of one --year")
    p.add_argument("--paper", choices=("A4", "A3"), default="A4", help="budget album paper, landscape")
    p.add_argument("--resolution-number", default="", help="شماره مصوبه شورا")
    p.add_argument("--resolution-date", default="", help="تاریخ مصوبه (شمسی، ۱۴۰۳/۱۲/۲۰)")
    p.add_argument("--approving-body", default="", help="مرجع تصویب، مثل شورای اسلامی شهر")
    p.add_argument("--crop-marks", action="store_true", help="crop marks and 3 mm bleed around the cover")
    p.add_argument("--pdfa", action="store_true", help="PDF/A-2b for archives")


register("booklet", cmd_booklet, "دفترچه PDF برنامه / the Persian plan booklet as PDF", _booklet_args)

# The later capabilities register their commands when imported.
from planner_core.exchange import cli as _exchange_commands  # noqa: E402,F401
from planner_core.lifecycle import cli as _lifecycle_commands  # noqa: E402,F401
from planner_core.safety import commands as _safety_commands  # noqa: E402,F401
from planner_core.workbooks import commands as _workbook_commands  # noqa: E402,F401
