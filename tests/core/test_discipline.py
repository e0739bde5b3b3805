"""Reporting discipline: evidence files, quarterly due dates and overdue units, the audit log."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from planner_core import indicators, monitoring, nodes, plans
from planner_core.errors import ValidationError
from planner_core.exchange import export_document, import_document
from planner_core.lifecycle import discipline
from planner_core.store import open_store


def test_evidence_is_stored_hashed_limited_and_travels(db, small_plan, tmp_path, monkeypatch):
    project = small_plan["project"]
    report, _ = monitoring.save_progress_report(db, project.id, year=1403, quarter=1, physical_progress=10,
                                                reported_on="1403/04/05")
    photo = tmp_path / "عکس کارگاه.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 4)
    plans.update_plan(db, small_plan["plan"].id, status="approved")  # evidence is monitoring: allowed
    info = discipline.add_evidence(db, photo, report_id=report.id, note="بازدید میدانی")
    assert info.media_type == "image/jpeg" and info.size == photo.stat().st_size
    assert discipline.evidence_content(db, info.id) == photo.read_bytes()
    monkeypatch.setattr(discipline, "MAX_EVIDENCE_BYTES", 100)
    with pytest.raises(ValidationError, match="مگابایت"):
        discipline.add_evidence(db, photo, report_id=report.id)
    assert [e.file_name for e in discipline.list_evidence(db, plan_id=small_plan["plan"].id)] == ["عکس کارگاه.jpg"]
    doc = export_document(db)
    report_doc = doc["plans"][0]["axes"][0]["goals"][0]["strategies"][0]["programs"][0]["projects"][0][
        "progress_reports"][0]
    assert report_doc["evidence"][0]["sha256"] == info.sha256
    for name, corrupt in (("دیگری.db", False), ("خراب.db", True)):
        other = open_store(tmp_path / name, create=True)
        try:
            if corrupt:  # a file whose bytes no longer match its hash is refused, nothing is written
                report_doc["evidence"][0]["content"] = "AAAA"
                with pytest.raises(ValidationError, match="آسیب"):
                    import_document(other, doc)
                assert plans.list_plans(other) == []
            else:
                import_document(other, doc)
                plan = plans.list_plans(other)[0]
                assert [e.sha256 for e in discipline.list_evidence(other, plan_id=plan.id)] == [info.sha256]
        finally:
            other.dispose()


def test_actual_evidence_needs_the_actual_first(db, small_plan):
    ind = indicators.add_indicator(db, small_plan["program"].id, title="شاخص", kind="output")
    with pytest.raises(Exception, match="نخست مقدار"):
        discipline.add_evidence(db, name="نامه.pdf", content=b"%PDF", indicator_id=ind.id, year=1403)
    indicators.set_actual(db, ind.id, 1403, "annual", 3)
    info = discipline.add_evidence(db, name="نامه.pdf", content=b"%PDF", indicator_id=ind.id, year=1403)
    assert info.indicator_actual_id is not None and info.media_type == "application/pdf"


def test_due_dates_and_overdue_units(db, small_plan):
    plan_id, project = small_plan["plan"].id, small_plan["project"]
    dues = discipline.due_dates(db, plan_id, 1403)
    assert not dues[1][1]  # the default: 15 days after the quarter
    discipline.set_due_date(db, plan_id, 1403, 1, "1403/04/20")
    assert discipline.due_dates(db, plan_id, 1403)[1] == (date(2024, 7, 10), True)
    with pytest.raises(ValidationError, match="پیش از پایان"):
        discipline.set_due_date(db, plan_id, 1403, 2, "1403/05/01")
    as_of = date(2024, 10, 20)  # 1403/07/29: Q1 (due 04/20) and Q2 (due 07/15) are late
    rows = discipline.overdue_reports(db, plan_id, as_of)
    assert [(r.year, r.quarter, r.unit) for r in rows] == [(1403, 1, "معاونت حمل‌ونقل و ترافیک"),
                                                           (1403, 2, "معاونت حمل‌ونقل و ترافیک")]
    assert rows[0].days == (as_of - date(2024, 7, 10)).days and rows[0].project_uuid == project.uuid
    monitoring.save_progress_report(db, project.id, year=1403, quarter=1, physical_progress=5,
                                    reported_on="1403/04/25")
    assert [(r.year, r.quarter) for r in discipline.overdue_reports(db, plan_id, as_of)] == [(1403, 2)]


def test_audit_log_per_node_and_plan_filtered_and_exported(db, small_plan, tmp_path):
    plan_id, project, goal = small_plan["plan"].id, small_plan["project"], small_plan["goal"]
    nodes.update_node(db, project.id, title="عنوان تازه پروژه")
    nodes.update_node(db, goal.id, title="عنوان تازه هدف")
    per_node = discipline.audit_log(db, plan_id, node_id=project.id)
    assert per_node[0].action == "update" and "عنوان تازه پروژه" in per_node[0].after
    assert all(r.entity_uuid != goal.uuid for r in per_node)
    per_plan = discipline.audit_log(db, plan_id)
    assert {project.uuid, goal.uuid} <= {r.entity_uuid for r in per_plan}
    assert discipline.audit_log(db, plan_id, user="کسی دیگر") == []
    assert discipline.audit_log(db, plan_id, since=date(2100, 1, 1)) == []
    out = discipline.write_audit_xlsx(per_plan, tmp_path / "تغییرات.xlsx")
    sheet = load_workbook(out).active
    assert sheet.sheet_view.rightToLeft and sheet.max_row == len(per_plan) + 1
    assert any("عنوان تازه هدف" in str(c.value) for row in sheet.iter_rows() for c in row)
