"""The life cycle from the main window: submit → return with a comment → fix → submit → approve, the
editor turns read-only, an amendment, the comparison view and the roll-forward dialog."""

from __future__ import annotations

import os

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication

from planner_core import nodes, plans
from planner_core.lifecycle import workflow
from planner_gui.lifecycle.change_tree import ChangeTreeModel
from tests.core.test_lifecycle import make_ready
from tests.gui.helpers import open_main_window, save_screenshot


def test_review_approval_amendment_compare_and_roll_forward(qtbot, db, small_plan, tmp_path):
    make_ready(db, small_plan)
    plan_id, project = small_plan["plan"].id, small_plan["project"]
    window = open_main_window(qtbot, db, tmp_path)
    life = window.lifecycle
    assert life.banner.isVisible() and "پیش‌نویس" in life.banner_label.text()
    assert not window.detail.node_form.title.isReadOnly() and not life.approve_action.isEnabled()

    # Readiness view: the findings' list, then submit (a missing later target needs a note).
    from planner_core import indicators

    goal_indicator = indicators.list_indicators(db, small_plan["goal"].id)[0]
    indicators.set_target(db, goal_indicator.id, 1410, None)
    life.readiness_action.trigger()
    dialog = life.opened[-1]
    assert dialog.model.rowCount() == 1 and dialog.submit_button.isEnabled()
    if os.environ.get("BARNAMENEGAR_SCREENSHOTS"):
        save_screenshot(dialog, "lifecycle-readiness.png")
    dialog.go_to(dialog.model.index(0, 0))
    assert window.current().id == small_plan["goal"].id  # the finding is linked to its node
    assert dialog.submit() is False and "یادداشت" in dialog.message.text()
    dialog.note.setPlainText("هدف ۱۴۱۰ در بازنگری میان‌دوره")
    assert dialog.submit()
    assert plans.get_plan(db, plan_id).status == "submitted"
    assert window.detail.node_form.title.isReadOnly() and not window.add_child_action.isEnabled()
    assert "بررسی" in window.add_child_action.toolTip()

    # Return with a comment on the selected project.
    window.select_node(project.id)
    life.return_action.trigger()
    back = life.opened[-1]
    back.note.setPlainText("اصلاح عنوان")
    back.comment.setPlainText("تعداد اتوبوس‌ها را دقیق بنویسید")
    assert back.send()
    assert plans.get_plan(db, plan_id).status == "draft"
    assert "تعداد اتوبوس‌ها را دقیق بنویسید" in life.banner_label.text()
    assert not window.detail.node_form.title.isReadOnly() and window.delete_action.isEnabled()

    # Fix, submit again, approve through the dialog.
    nodes.update_node(db, project.id, title="خرید ۵۰ دستگاه اتوبوس برقی ۱۲ متری")
    life.readiness_action.trigger()
    again = life.opened[-1]
    again.note.setPlainText("پذیرفته شد")
    assert again.submit()
    life.approve_action.trigger()
    approval = life.opened[-1]
    assert approval.approve() is False and "شماره مصوبه" in approval.message.text()
    approval.number.setText("۱۴۰۳/۲۵")
    approval.date.setDate(QDate(2024, 5, 4))
    approval.signatories.setPlainText("علی رضایی — رئیس شورای شهر\nمریم کاظمی — شهردار")
    if os.environ.get("BARNAMENEGAR_SCREENSHOTS"):
        save_screenshot(approval, "lifecycle-approval.png")
    assert approval.approve()
    record = workflow.approval_record(db, plan_id)
    assert record.resolution_no == "۱۴۰۳/۲۵" and record.signatories[1] == ("مریم کاظمی", "شهردار")

    # The editor is read-only up front: form disabled, editing actions greyed with the reason, a banner.
    window.select_node(project.id)
    QApplication.processEvents()
    assert window.detail.node_form.title.isReadOnly()
    assert not window.delete_action.isEnabled() and "اصلاحیه" in window.delete_action.toolTip()
    assert "مصوب" in life.banner_label.text() and "۱۴۰۳/۲۵" in life.banner_label.text()
    assert life.amend_button.isVisible()

    # Start an amendment: the window moves to the new draft revision, editable again.
    life.amend_button.click()
    new_plan = plans.get_plan(db, window.ctx.plan_id)
    assert (new_plan.revision, new_plan.status) == (2, "draft")
    assert not window.detail.node_form.title.isReadOnly() and "ویرایش ۲" in life.banner_label.text()
    new_project = next(n for n in nodes.children(db, new_plan.id, None))  # the axis copy exists
    assert new_project.title == "حمل‌ونقل پایدار"

    # A year-end snapshot of the approved revision is listed among what can be compared.
    window.ctx.set_plan(plan_id)
    assert life.take_year_end(1403)
    window.ctx.set_plan(new_plan.id)

    # Compare: the copy equals its source; after an edit the change is listed and filterable.
    life.compare_action.trigger()
    view = life.opened[-1]
    assert view.a.currentData() == "T-1410@1" and view.b.currentData() == "T-1410@2"
    assert view.result.empty and "یکسان" in view.summary.text()
    assert any("پایان سال" in view.a.itemText(i) for i in range(view.a.count()))
    nodes.update_node(db, new_project.id, title="حمل‌ونقل پاک و پایدار")
    assert view.run() and view.proxy.rowCount() == 1  # the axis, marked, with its title change beneath
    axis = view.proxy.index(0, 0)
    assert axis.data() == "~ تغییر" and view.proxy.index(0, 0, axis).data() == "~ تغییر"
    assert view.proxy.index(0, ChangeTreeModel.COL_NEW, axis).data() == "حمل‌ونقل پاک و پایدار"
    view.kind.setCurrentIndex(view.kind.findData("added"))
    assert view.proxy.rowCount() == 0
    view.kind.setCurrentIndex(0)
    pdf = view.save_pdf(tmp_path / "تغییرات.pdf")
    assert pdf is not None and pdf.stat().st_size > 1000

    # Roll forward: preview, then make the programs.
    life.roll_action.trigger()
    roll = life.opened[-1]
    roll.years.setText("1405-1406")
    progress = []
    with qtbot.waitSignal(roll.preview().done, timeout=10000):  # the work runs in the worker
        pass
    assert roll.lines.rowCount() > 0 and roll.apply_button.isEnabled()
    job = roll.apply()
    job.progress.connect(lambda done, total, text: progress.append((done, total, text)))
    assert roll.progress.isVisible() and roll.cancel_button.isEnabled() and not roll.apply_button.isEnabled()
    with qtbot.waitSignal(job.finished, timeout=10000):
        pass
    assert progress and progress[-1][0] == progress[-1][1] > 0 and "ساخته شد" in roll.summary.text()
    assert not roll.progress.isVisible() and not roll.cancel_button.isEnabled()
    from planner_core.exchange import export_document

    strategy = export_document(db, plan_ids=[window.ctx.plan_id])["plans"][0]["axes"][0]["goals"][0]["strategies"][0]
    assert [(p["first_year"], p["last_year"]) for p in strategy["programs"]] == [(1403, 1404), (1405, 1406)]
    assert strategy["programs"][1]["lineage"] == strategy["programs"][0]["id"]


def test_lifecycle_models_pass_the_model_tester(qtmodeltester, db, small_plan):
    from planner_core.lifecycle.compare import compare
    from planner_core.lifecycle.readiness import check_readiness
    from planner_gui.lifecycle.change_tree import ChangeTreeFilter
    from planner_gui.lifecycle.models import FindingsModel

    findings = FindingsModel()
    findings.set_rows(check_readiness(db, small_plan["plan"].id))
    assert findings.rowCount() > 0
    qtmodeltester.check(findings)
    make_ready(db, small_plan)
    workflow.submit(db, small_plan["plan"].id)
    workflow.approve(db, small_plan["plan"].id, resolution_no="۱", resolution_date="1403/02/01")
    new_id = workflow.revise(db, small_plan["plan"].id).plan_id
    nodes.add_node(db, new_id, None, "axis", title="محور تازه")
    changes = ChangeTreeModel()
    changes.set_result(compare(db, "T-1410@1", "T-1410@2"))
    proxy = ChangeTreeFilter()
    proxy.setSourceModel(changes)
    proxy.set_filters("added", "node")
    assert changes.rowCount() == 1 and proxy.rowCount() == 1
    qtmodeltester.check(changes)
    qtmodeltester.check(proxy)


def test_reporting_window_lists_overdue_units_audit_and_evidence(qtbot, db, small_plan, tmp_path):
    from openpyxl import load_workbook

    from planner_core import budget, monitoring
    from planner_core.lifecycle import discipline

    project = small_plan["project"]
    report, _ = monitoring.save_progress_report(db, project.id, year=1403, quarter=1, physical_progress=10,
                                                reported_on="1403/04/05")
    discipline.add_evidence(db, name="صورت‌جلسه.pdf", content=b"%PDF-1.4 test", report_id=report.id)
    nodes.update_node(db, project.id, title="خرید اتوبوس برقی")
    window = open_main_window(qtbot, db, tmp_path)
    window.lifecycle.reporting_action.trigger()
    view = window.lifecycle.opened[-1]
    assert view.overdue.rowCount() > 0 and {r.quarter for r in view.overdue.rows} >= {2, 3, 4}
    assert any("خرید اتوبوس برقی" in r.after for r in view.audit.rows)
    view.user.setText("کسی که نیست")
    view.refresh_audit()
    assert view.audit.rowCount() == 0
    view.user.clear()
    view.refresh_audit()
    window.select_node(small_plan["goal"].id)
    view.only_node.setChecked(True)  # the log of the node selected in the tree
    assert view.audit.rowCount() >= 1 and {r.entity_uuid for r in view.audit.rows} == {small_plan["goal"].uuid}
    window.select_node(project.id)
    view.refresh_audit()
    assert any("خرید اتوبوس برقی" in r.after for r in view.audit.rows)
    assert {r.entity_uuid for r in view.audit.rows} <= {project.uuid, report.uuid} | {
        a.uuid for a in budget.list_allocations(db, project.id)}
    view.only_node.setChecked(False)
    out = view.export_audit(tmp_path / "تاریخچه.xlsx")
    assert out is not None and load_workbook(out).active.max_row == view.audit.rowCount() + 1
    assert view.evidence.rowCount() == 1
    photo = tmp_path / "عکس بازدید.png"
    photo.write_bytes(b"\x89PNG fake")
    assert view.attach_evidence(photo) and view.evidence.rowCount() == 2
    proxy = view.evidence_view.model()
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data() == "صورت‌جلسه.pdf")
    view.evidence_view.setCurrentIndex(proxy.index(row, 0))
    saved = view.save_evidence(tmp_path / "بیرون.pdf")
    assert saved is not None and saved.read_bytes() == b"%PDF-1.4 test"
    view.overdue_view.doubleClicked.emit(view.overdue_view.model().index(0, 0))
    assert window.current().id == view.overdue.rows[0].project_id


def test_the_shipped_sample_opens_on_its_open_draft(qtbot, db, tmp_path):
    from planner_core.sample import load_sample

    load_sample(db, lifecycle=True)
    window = open_main_window(qtbot, db, tmp_path)
    life = window.lifecycle
    current = plans.get_plan(db, window.ctx.plan_id)
    assert (current.revision, current.status) == (3, "draft") and "اصلاحیه برنامه مصوب" in life.banner_label.text()
    in_force = plans.find_plan(db, "ISF-1410")
    window.ctx.set_plan(in_force.id)
    assert in_force.revision == 2 and window.detail.plan_form.title.isReadOnly()
    assert "۱۴۰۴/۰۴۲" in life.banner_label.text() and life.amend_button.text() == "رفتن به ویرایش ۳"
    life.amend_button.click()
    assert window.ctx.plan_id == current.id


def test_roll_forward_runs_in_a_worker_and_a_cancel_writes_nothing(qtbot, db, small_plan, tmp_path, monkeypatch):
    import threading

    from planner_core.exchange import export_document
    from planner_gui.lifecycle import dialogs

    make_ready(db, small_plan)
    window = open_main_window(qtbot, db, tmp_path)
    before = export_document(db, plan_ids=[small_plan["plan"].id])["plans"][0]
    # The worker waits at the service's first cancel check until the user has pressed «لغو»,
    # so the cancel lands while the roll-forward is under way, on another thread than the UI.
    gate, threads = threading.Event(), []
    real = dialogs.roll_forward

    def held(db_, ref, years, *, preview=False, progress=None, cancelled=None):
        def waiting():
            threads.append(threading.current_thread())
            gate.wait(10)
            return cancelled()
        return real(db_, ref, years, preview=preview, progress=progress, cancelled=waiting)

    monkeypatch.setattr(dialogs, "roll_forward", held)
    window.lifecycle.roll_action.trigger()
    roll = window.lifecycle.opened[-1]
    roll.years.setText("1405-1406")
    job = roll.apply()
    assert job.running and roll.progress.isVisible() and not roll.preview_button.isEnabled()
    qtbot.mouseClick(roll.cancel_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(job.cancelled, timeout=10000):
        gate.set()
    assert threads and threads[0] is not threading.main_thread()
    assert "لغو شد" in roll.message.text() and "چیزی در پرونده نوشته نشد" in roll.message.text()
    assert export_document(db, plan_ids=[small_plan["plan"].id])["plans"][0] == before
    assert roll.preview_button.isEnabled() and not roll.cancel_button.isEnabled()
    # without a cancel it goes through
    gate.set()
    job = roll.apply()
    with qtbot.waitSignal(job.finished, timeout=10000):
        pass
    after = export_document(db, plan_ids=[small_plan["plan"].id])["plans"][0]
    strategy = after["axes"][0]["goals"][0]["strategies"][0]
    assert [(p["first_year"], p["last_year"]) for p in strategy["programs"]] == [(1403, 1404), (1405, 1406)]


def test_comparison_is_a_marked_tree_with_filters(qtbot, qtmodeltester, db, ctx, small_plan):
    from PySide6.QtCore import QModelIndex
    from PySide6.QtGui import QFont

    from planner_core import budget
    from planner_gui.lifecycle.change_tree import CHANGE_ROLE, ChangeTreeFilter
    from planner_gui.lifecycle.compare_window import CompareWindow

    make_ready(db, small_plan)
    workflow.submit(db, small_plan["plan"].id)
    workflow.approve(db, small_plan["plan"].id, resolution_no="۱", resolution_date="1403/02/01")
    new_id = workflow.revise(db, small_plan["plan"].id).plan_id
    by_title = {n.title: n for n in _all_nodes(db, new_id)}
    old_project = by_title["خرید ۵۰ دستگاه اتوبوس برقی"]
    nodes.update_node(db, by_title["افزایش سهم حمل‌ونقل عمومی"].id, title="افزایش سهم حمل‌ونقل همگانی")
    strategy = by_title["توسعه شبکه اتوبوس‌رانی"]
    new_program = nodes.add_node(db, new_id, strategy.id, "program", title="برنامه برقی‌سازی ناوگان",
                                 first_year=1405, last_year=1406)
    added = nodes.add_node(db, new_id, new_program.id, "project", title="ایستگاه‌های شارژ اتوبوس",
                           responsible_unit_id=small_plan["unit"].id)
    budget.add_allocation(db, added.id, year=1405, budget_code="301", amount=5_000_000_000)
    nodes.delete_node(db, old_project.id)
    ctx.set_plan(new_id)
    view = CompareWindow(ctx, new_id)
    qtbot.addWidget(view)
    proxy = view.proxy

    def rows(parent=None):
        """(kind cell, level, title, bold, struck, depth) of every row shown, in tree order."""
        out = []

        def walk(parent, depth):
            for r in range(proxy.rowCount(parent)):
                index = proxy.index(r, 0, parent)
                title = proxy.index(r, ChangeTreeModel.COL_TITLE, parent)
                font = title.data(Qt.ItemDataRole.FontRole) or QFont()
                out.append((index.data(), proxy.index(r, 1, parent).data(), title.data(), font.bold(),
                            font.strikeOut(), depth))
                walk(index, depth + 1)

        walk(parent or QModelIndex(), 0)
        return out

    shown = rows()
    # axis (context) → goal (its title changed, with the change beneath) → strategy → program (context)
    # → the removed project (struck through); the added program → the added project (bold)
    assert shown[0][:3] == ("", "محور", "حمل‌ونقل پایدار") and shown[0][5] == 0
    goal = next(r for r in shown if r[2] == "افزایش سهم حمل‌ونقل همگانی")
    assert goal[0] == "~ تغییر" and goal[5] == 1
    program_row = next(r for r in shown if r[2] == "برنامه نوسازی ناوگان")
    assert program_row[0] == "" and program_row[5] == 3
    new_row = next(r for r in shown if r[2] == "ایستگاه‌های شارژ اتوبوس")
    assert new_row[0] == "+ افزوده" and new_row[3] and not new_row[4] and new_row[5] == 4
    gone = next(r for r in shown if r[2] == "خرید ۵۰ دستگاه اتوبوس برقی")
    assert gone[0] == "− حذف‌شده" and gone[4] and gone[5] == 4
    # each kind has its colour too
    marked = [i for i in _indexes(proxy) if i.data(CHANGE_ROLE) is not None]
    colours = {i.data(Qt.ItemDataRole.BackgroundRole).color().name() for i in marked}
    assert len(colours) == len({i.data(CHANGE_ROLE).kind for i in marked}) >= 3
    # filters keep the matching changes with their ancestors for context
    view.kind.setCurrentIndex(view.kind.findData("removed"))
    kept = proxy.changes()
    assert kept and {c.kind for c in kept} == {"removed"}
    assert any(r[2] == "خرید ۵۰ دستگاه اتوبوس برقی" for r in rows())
    assert not any(r[2] == "ایستگاه‌های شارژ اتوبوس" for r in rows())
    assert rows()[0][2] == "حمل‌ونقل پایدار"  # the axis stays as the place of the change
    view.kind.setCurrentIndex(0)
    view.entity.setCurrentIndex(view.entity.findData("allocation"))
    assert {c.entity for c in proxy.changes()} == {"allocation"} and len(proxy.changes()) == 3
    view.entity.setCurrentIndex(0)
    assert len(proxy.changes()) == len(view.result.changes)
    # double-clicking the added project selects it in the plan
    requested = []
    ctx.node_requested.connect(requested.append)
    target = next(i for i in _indexes(proxy) if i.data() == "+ افزوده" and
                  proxy.index(i.row(), ChangeTreeModel.COL_TITLE, i.parent()).data() == "ایستگاه‌های شارژ اتوبوس")
    view.view.doubleClicked.emit(target)
    assert requested == [added.id]
    qtmodeltester.check(view.model)
    filtered = ChangeTreeFilter()
    filtered.setSourceModel(view.model)
    filtered.set_filters("added", "node")
    qtmodeltester.check(filtered)
    if os.environ.get("BARNAMENEGAR_SCREENSHOTS"):
        view.show()
        view.resize(1366, 768)
        qtbot.waitExposed(view)
        save_screenshot(view, "lifecycle-compare.png")


def _all_nodes(db, plan_id):
    out, stack = [], list(nodes.children(db, plan_id, None))
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(nodes.children(db, plan_id, node.id))
    return out


def _indexes(proxy, parent=None):
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    for r in range(proxy.rowCount(parent)):
        index = proxy.index(r, 0, parent)
        yield index
        yield from _indexes(proxy, index)
