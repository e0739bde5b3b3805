"""Command line of the plan's life cycle: workflow, status, verify, compare, snapshots,
roll-forward, new-period, evidence, overdue and audit."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from planner_core.cli import BadInput, opened, register
from planner_core.levels import LABELS, PLAN_STATUS_LABELS
from planner_core.text import format_money, ltr, to_persian_digits

fa = to_persian_digits


def _plan_ref(db, ref: str, purpose: str = "current") -> int:  # type: ignore[no-untyped-def]
    from planner_core.lifecycle.revisions import resolve

    with db.unit(write=False) as session:
        return resolve(session, ref, purpose).id


def _signatories(values: list[str] | None) -> list[tuple[str, str]]:
    out = []
    for value in values or []:
        name, _, role = value.partition(":")
        out.append((name.strip(), role.strip()))
    return out


# --- workflow --------------------------------------------------------------------------------

def cmd_workflow(args: argparse.Namespace) -> int:
    from planner_core.lifecycle.workflow import ACTION_LABELS, run_action

    purpose = {"revise": "approved", "archive": "approved"}.get(args.action, "open")
    with opened(args.file, write=True) as db:
        plan_id = _plan_ref(db, args.plan, purpose)
        result = run_action(db, plan_id, args.action, by=args.by, note=args.note or "",
                            resolution_no=args.resolution or "", resolution_date=args.date,
                            signatories=_signatories(args.signatory))
    print(f"{ACTION_LABELS[args.action]} انجام شد: برنامه {args.plan.partition('@')[0]} ویرایش "
          f"{fa(result.revision)} اکنون «{PLAN_STATUS_LABELS[result.status]}» است.")
    if result.warnings:
        print(f"{fa(len(result.warnings))} هشدار آمادگی با یادداشت پذیرفته شد؛ نخستین: {result.warnings[0]}")
    return 0


def _workflow_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.db")
    p.add_argument("--plan", metavar="CODE", required=True, help="plan code, or CODE@REVISION")
    p.add_argument("action", choices=("submit", "return", "approve", "archive", "revise"))
    p.add_argument("--by", metavar="NAME", help="who takes the step (default: the login name)")
    p.add_argument("--note", metavar="TEXT", help="why; needed to accept readiness warnings or to return")
    p.add_argument("--resolution", metavar="NO", help="council resolution number (approve)")
    p.add_argument("--date", metavar="YYYY/MM/DD", help="council resolution date, Jalali (approve)")
    p.add_argument("--signatory", action="append", metavar="NAME:ROLE", help="a signatory (approve; repeatable)")


def cmd_status(args: argparse.Namespace) -> int:
    from planner_core.lifecycle.readiness import check_readiness
    from planner_core.lifecycle.revisions import list_revisions
    from planner_core.lifecycle.workflow import approval_record, history

    with opened(args.file) as db:
        plan_id = _plan_ref(db, args.plan)
        revs = list_revisions(db, plan_id)
        rows = []
        for rev in revs:
            record = approval_record(db, rev.id)
            findings = check_readiness(db, rev.id) if rev.status == "draft" else []
            rows.append((rev, record, history(db, rev.id), findings))
    if args.json:
        print(json.dumps({"plan": revs[0].code, "current": next(r.revision for r in revs if r.id == plan_id),
                          "revisions": [{
                              "revision": r.revision, "id": r.uuid, "status": r.status, "superseded": r.superseded,
                              "approval": None if rec is None else {
                                  "resolution_no": rec.resolution_no, "resolution_date": str(rec.resolution_date),
                                  "signatories": [list(s) for s in rec.signatories],
                                  "approved_at": rec.approved_at.isoformat(timespec="seconds"),
                                  "approved_by": rec.approved_by, "fingerprint": rec.fingerprint},
                              "history": [{"action": s.action, "from": s.from_status, "to": s.to_status, "by": s.by,
                                           "at": s.at.isoformat(timespec="seconds"), "note": s.note} for s in steps],
                              "readiness": {"errors": sum(f.severity == "error" for f in found),
                                            "warnings": sum(f.severity == "warning" for f in found)}}
                              for r, rec, steps, found in rows]}, ensure_ascii=False, indent=1))
        return 0
    from planner_core.jalali import format_jalali

    for rev, record, steps, found in rows:
        mark = " (جایگزین‌شده با اصلاحیه)" if rev.superseded else ""
        current = " ← جاری" if rev.id == plan_id else ""
        print(f"{rev.code} ویرایش {fa(rev.revision)}: {PLAN_STATUS_LABELS[rev.status]}{mark}{current}")
        if record:
            people = "، ".join(f"{n} ({r})" if r else n for n, r in record.signatories)
            print(f"  مصوبه شورا شماره {fa(record.resolution_no)} مورخ {format_jalali(record.resolution_date)}"
                  + (f"؛ امضاکنندگان: {people}" if people else ""))
            print(f"  اثر انگشت: {record.fingerprint}")
        if rev.status == "draft":
            print(f"  آمادگی: {fa(sum(f.severity == 'error' for f in found))} خطا، "
                  f"{fa(sum(f.severity == 'warning' for f in found))} هشدار")
        for step in steps:
            note = f" — {step.note}" if step.note else ""
            print(f"  {format_jalali(step.at.date())} {step.label} ({step.by}){note}")
    return 0


def _status_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.db")
    p.add_argument("--plan", metavar="CODE", required=True)
    p.add_argument("--json", action="store_true")


# --- verify ----------------------------------------------------------------------------------

def cmd_verify(args: argparse.Namespace) -> int:
    from planner_core.lifecycle import documents
    from planner_core.lifecycle.workflow import approval_record

    source = Path(args.file)
    if source.suffix.lower() == ".bnp":
        if not source.is_file():
            raise BadInput(f"بسته «{ltr(source)}» پیدا نشد. / package '{source}' not found")
        plan = documents.plan_in_document(documents.read_package(source), args.plan)
        recorded = (plan.get("approval") or {}).get("fingerprint")
        computed = documents.fingerprint(plan)
    else:
        with opened(args.file) as db:
            plan_id = _plan_ref(db, args.plan, "approved")
            computed = documents.fingerprint(documents.plan_entry(db, plan_id))
            record = approval_record(db, plan_id)
            recorded = record.fingerprint if record else None
    print(f"اثر انگشت محاسبه‌شده: {computed}")
    if recorded is None:
        print("این ویرایش اثر انگشت ثبت‌شده‌ای ندارد (مصوب نیست)؛ مقدار بالا را با دفترچه چاپی مقایسه کنید.")
        return 0
    if recorded == computed:
        print(f"با اثر انگشت ثبت‌شده هنگام تصویب یکی است: {recorded}")
        return 0
    print(f"[خطا] با اثر انگشت ثبت‌شده هنگام تصویب ({recorded}) یکی نیست: محتوا پس از تصویب تغییر کرده است.")
    return 1


def _verify_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.db|PACKAGE.bnp")
    p.add_argument("--plan", metavar="CODE", required=True)


# --- compare ---------------------------------------------------------------------------------

def cmd_compare(args: argparse.Namespace) -> int:
    from planner_core.lifecycle.compare import compare, display_value

    with opened(args.file) as db:
        result = compare(db, args.a, args.b)
        if args.pdf:
            from planner_core.lifecycle.change_report import write_change_report

            write_change_report(result, Path(args.pdf))
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=1, default=str))
        return 0
    print(f"مقایسه «{result.a_label}» با «{result.b_label}»:")
    names = {"added": "افزوده", "removed": "حذف‌شده", "moved": "جابه‌جاشده", "changed": "تغییرکرده"}
    for kind, name in names.items():
        items = result.of(kind)
        print(f"{name}: {fa(len(items))}")
        for c in items:
            level = LABELS.get(c.level, {"indicator": "شاخص", "allocation": "تخصیص"}.get(c.level, c.level))
            detail = f" — {c.field_label}: {display_value(c.old)} ← {display_value(c.new)}" if c.field else ""
            print(f"  {level} {fa(c.code)} «{c.title}»{detail}")
    print(f"جمع تفاوت بودجه: {format_money(result.budget_total)} میلیون ریال")
    if args.pdf:
        print(f"گزارش تغییرات در «{ltr(args.pdf)}» نوشته شد.")
    return 0


def _compare_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.db")
    p.add_argument("a", metavar="A", help="plan code, CODE@REVISION or snapshot id")
    p.add_argument("b", metavar="B")
    p.add_argument("--json", action="store_true")
    p.add_argument("--pdf", metavar="OUT.pdf", help="also write the change report as PDF")


# --- snapshots -------------------------------------------------------------------------------

def cmd_snapshots(args: argparse.Namespace) -> int:
    from planner_core.jalali import format_jalali
    from planner_core.lifecycle.snapshots import list_snapshots, take_snapshot

    if args.print:
        from planner_core.booklet import render_booklet
        from planner_core.lifecycle.snapshots import snapshot_document

        snapshot_id, out = args.print
        if not str(snapshot_id).isdigit() or not out.lower().endswith(".pdf"):
            raise BadInput("--print ID OUT.pdf: شماره نسخه و نام فایل PDF لازم است. / --print needs ID and OUT.pdf")
        with opened(args.file) as db:
            doc = snapshot_document(db, int(snapshot_id))
        result = render_booklet(doc, Path(out))
        print(f"نسخه {fa(snapshot_id)} در «{ltr(out)}» چاپ شد: {fa(result.pages)} صفحه.")
        return 0
    if args.take:
        with opened(args.file, write=True) as db:
            info = take_snapshot(db, _plan_ref(db, args.plan), args.take, year=args.year, label=args.label or "")
        print(f"نسخه {fa(info.id)} ({info.stage_label}) ثبت شد.")
        return 0
    with opened(args.file) as db:
        rows = list_snapshots(db, _plan_ref(db, args.plan))
    for s in rows:
        year = f" سال {fa(s.year)}" if s.year else ""
        print(f"{fa(s.id)}: ویرایش {fa(s.revision)} — {s.stage_label}{year} — {format_jalali(s.taken_at.date())} "
              f"({s.taken_by}) — {s.fingerprint[:16]}")
    if not rows:
        print("هنوز نسخه‌ای ثبت نشده است.")
    return 0


def _snapshot_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.db")
    p.add_argument("--plan", metavar="CODE", required=True)
    p.add_argument("--take", choices=("year_end", "manual"), help="record a snapshot now")
    p.add_argument("--year", type=int, help="fiscal year of a year-end snapshot")
    p.add_argument("--label", metavar="TEXT")
    p.add_argument("--print", nargs=2, metavar=("ID", "OUT.pdf"), help="print one snapshot as a booklet")


register("workflow", cmd_workflow, "گردش کار برنامه: ارسال، بازگشت، تصویب، بایگانی، اصلاحیه / plan workflow step",
         _workflow_args)
register("status", cmd_status, "وضعیت، ویرایش‌ها و تاریخچه برنامه / status, revisions and history", _status_args)
register("verify", cmd_verify, "بررسی اثر انگشت ویرایش مصوب / recompute an approved revision's fingerprint",
         _verify_args)
register("compare", cmd_compare, "مقایسه دو برنامه، ویرایش یا نسخه / compare two plans, revisions or snapshots",
         _compare_args)
register("snapshots", cmd_snapshots, "نسخه‌های ثبت‌شده برنامه / list or take plan snapshots", _snapshot_args)


# --- roll-forward and new period -------------------------------------------------------------

def cmd_roll_forward(args: argparse.Namespace) -> int:
    from planner_core.lifecycle.rollforward import roll_forward

    with opened(args.file, write=not args.preview) as db:
        result = roll_forward(db, args.plan, args.years, preview=args.preview, by=args.by)
    head = "پیش‌نمایش پیش‌برد" if args.preview else "پیش‌برد انجام شد"
    print(f"{head}: {fa(result.programs)} برنامه عملیاتی برای {fa(result.first_year)}–{fa(result.last_year)}، "
          f"{fa(result.carried)} پروژه منتقل‌شده، {fa(result.left_behind)} پروژه پایان‌یافته بر جا ماند "
          f"(ویرایش {fa(result.revision)}).")
    for line in result.lines:
        print(line)
    return 0


def _roll_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.db")
    p.add_argument("--plan", metavar="CODE", required=True)
    p.add_argument("--years", metavar="Y1-Y2", required=True, help="the new programs' years, e.g. 1405-1406")
    p.add_argument("--preview", action="store_true", help="list what would be made, change nothing")
    p.add_argument("--by", metavar="NAME")


def cmd_new_period(args: argparse.Namespace) -> int:
    from planner_core.lifecycle.rollforward import new_period

    with opened(args.file, write=True) as db:
        result = new_period(db, args.source, args.code, args.years, title=args.title, by=args.by)
    print(f"دوره تازه «{result.code}» ساخته شد: {fa(result.nodes)} محور، هدف و راهبرد، "
          f"{fa(result.lessons)} درس آموخته پیوست شد.")
    return 0


def _new_period_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.db")
    p.add_argument("--from", dest="source", metavar="CODE", required=True)
    p.add_argument("--code", metavar="NEW", required=True)
    p.add_argument("--years", metavar="Y1-Y2", required=True, help="e.g. 1411-1420")
    p.add_argument("--title", metavar="TEXT")
    p.add_argument("--by", metavar="NAME")


register("roll-forward", cmd_roll_forward, "ساخت برنامه‌های عملیاتی دوره بعد / roll programs forward",
         _roll_args)
register("new-period", cmd_new_period, "آغاز دوره تازه برنامه راهبردی / start a new plan period", _new_period_args)


# --- reporting discipline ----------------------------------------------------------------------

def _node_by_code(db, plan_id: int, full_code: str) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from db.models import PlanNode
    from planner_core.codes import full_codes
    from planner_core.text import to_ascii_digits

    wanted = to_ascii_digits(full_code).strip()
    with db.unit(write=False) as session:
        nodes = session.scalars(select(PlanNode).where(PlanNode.plan_id == plan_id)).all()
        for node_id, code in full_codes(list(nodes)).items():
            if code == wanted:
                return node_id
    raise BadInput(f"گره‌ای با کد «{full_code}» در این برنامه نیست. / no node with code {wanted}")


def cmd_evidence(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from db.models import ProgressReport
    from planner_core.lifecycle.discipline import add_evidence, list_evidence

    with opened(args.file, write=bool(args.add)) as db:
        plan_id = _plan_ref(db, args.plan)
        if args.add:
            if not (args.project and args.year and args.quarter):
                raise BadInput("برای پیوست مستند --project و --year و --quarter لازم است. "
                               "/ --add needs --project, --year and --quarter")
            project_id = _node_by_code(db, plan_id, args.project)
            with db.unit() as session:
                report_id = session.scalar(select(ProgressReport.id).where(
                    ProgressReport.project_id == project_id, ProgressReport.year == args.year,
                    ProgressReport.quarter == args.quarter))
            if report_id is None:
                raise BadInput("برای این پروژه و فصل گزارش پیشرفتی ثبت نشده است. / no progress report for that quarter")
            info = add_evidence(db, Path(args.add), report_id=report_id, note=args.note or "")
            print(f"مستند «{info.file_name}» ({fa(info.size)} بایت، SHA-256 {info.sha256[:16]}…) پیوست شد.")
            return 0
        rows = list_evidence(db, plan_id=plan_id)
    for row in rows:
        owner = "گزارش پیشرفت" if row.progress_report_id else "مقدار واقعی"
        print(f"{fa(row.id)}: «{row.file_name}» — {owner} — {fa(row.size)} بایت — {row.sha256}")
    print(f"{fa(len(rows))} فایل مستند.")
    return 0


def _evidence_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.db")
    p.add_argument("--plan", metavar="CODE", required=True)
    p.add_argument("--add", metavar="FILE", help="attach this file to a progress report")
    p.add_argument("--project", metavar="FULL-CODE", help="the project's full code, e.g. 1-1-1-1-2")
    p.add_argument("--year", type=int)
    p.add_argument("--quarter", type=int, choices=(1, 2, 3, 4))
    p.add_argument("--note", metavar="TEXT")


def cmd_overdue(args: argparse.Namespace) -> int:
    from planner_core.fields import a_date
    from planner_core.jalali import format_jalali
    from planner_core.lifecycle.discipline import overdue_reports, write_overdue_xlsx

    with opened(args.file) as db:
        rows = overdue_reports(db, _plan_ref(db, args.plan), a_date("date", args.date))
    if args.xlsx:
        write_overdue_xlsx(rows, Path(args.xlsx))
        print(f"فهرست گزارش‌های معوق در «{ltr(args.xlsx)}» نوشته شد.")
    unit = None
    for r in rows:
        if r.unit != unit:
            unit = r.unit
            print(f"{unit or 'بدون واحد مسئول'}:")
        print(f"  {fa(r.full_code)} «{r.title}» — فصل {fa(r.quarter)} سال {fa(r.year)}، مهلت "
              f"{format_jalali(r.due_on)} ({fa(r.days)} روز تأخیر)")
    if not rows:
        print("گزارش معوقی نیست.")
    return 0


def _overdue_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.db")
    p.add_argument("--plan", metavar="CODE", required=True)
    p.add_argument("--date", metavar="YYYY/MM/DD", help="judge as of this (Jalali) day; default today")
    p.add_argument("--xlsx", metavar="OUT.xlsx")


def cmd_audit(args: argparse.Namespace) -> int:
    from planner_core.fields import a_date
    from planner_core.jalali import format_jalali
    from planner_core.lifecycle.discipline import audit_log, write_audit_xlsx

    with opened(args.file) as db:
        plan_id = _plan_ref(db, args.plan)
        node_id = _node_by_code(db, plan_id, args.node) if args.node else None
        rows = audit_log(db, plan_id, node_id=node_id, user=args.user, since=a_date("since", args.since),
                         until=a_date("until", args.until))
    if args.xlsx:
        write_audit_xlsx(rows, Path(args.xlsx))
        print(f"گزارش تغییرات در «{ltr(args.xlsx)}» نوشته شد.")
    for r in rows:
        print(f"{format_jalali(r.at.date(), 'short')} {r.at:%H:%M} {r.user} {r.action} {r.entity} «{r.summary}»")
    print(f"{fa(len(rows))} تغییر.")
    return 0


def _audit_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE.db")
    p.add_argument("--plan", metavar="CODE", required=True)
    p.add_argument("--node", metavar="FULL-CODE")
    p.add_argument("--user", metavar="NAME")
    p.add_argument("--since", metavar="YYYY/MM/DD")
    p.add_argument("--until", metavar="YYYY/MM/DD")
    p.add_argument("--xlsx", metavar="OUT.xlsx")


register("evidence", cmd_evidence, "مستندهای گزارش‌ها / list or attach evidence files", _evidence_args)
register("overdue", cmd_overdue, "واحدهای دارای گزارش معوق / units overdue with quarterly reports",
         _overdue_args)
register("audit", cmd_audit, "تاریخچه تغییرات برنامه یا گره / the audit log of a plan or node", _audit_args)
