"""File → Import / Export through the real dialogs: preview first, conflicts chosen per field,
the received plan marked and adopted."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt

from planner_core import nodes, plans
from planner_core.exchange import export_document
from planner_core.exchange.service import export_package, import_file
from planner_core.municipality import set_home_municipality
from planner_core.sample import load_sample
from planner_core.store import open_store
from planner_gui.context import AppContext
from planner_gui.exchange import ExportDialog, ImportDialog
from planner_gui.exchange.models import ConflictModel, PreviewModel
from tests.gui.helpers import open_main_window, save_screenshot

pytestmark = pytest.mark.usefixtures("rtl_app")


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("gui-exchange") / "اصفهان.db"
    db = open_store(path, create=True)
    load_sample(db)
    db.dispose()
    return path


@pytest.fixture(scope="module")
def package(sample_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("pkg") / "بسته اصفهان.bnp"
    db = open_store(sample_file)
    export_package(db, out)
    db.dispose()
    return out


def _wait_preview(qtbot, dialog: ImportDialog) -> None:
    job = dialog.job
    assert job is not None
    qtbot.waitUntil(lambda: not job.running, timeout=60_000)
    assert dialog.preview is not None, dialog.note.text()


def _values(model, column: int) -> list[str]:
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_import_through_the_preview(qtbot, db, package):
    set_home_municipality(db, name="شهرداری شیراز", province="فارس")
    ctx = AppContext(db)
    dialog = ImportDialog(ctx, package)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start_preview()
    _wait_preview(qtbot, dialog)
    assert plans.list_plans(db) == []  # the preview wrote nothing
    model = dialog.preview_model
    actions = _values(model, PreviewModel.COL_ACTION)
    assert "افزوده می‌شود" in actions
    assert any("برنامه راهبردی اصفهان" in w for w in _values(model, PreviewModel.COL_WHAT))
    assert "شهرداری اصفهان" in dialog.summary.text()
    assert dialog.import_button.isEnabled()

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=120_000)
    imported = plans.list_plans(db)
    assert len(imported) == 1 and imported[0].source_municipality == "شهرداری اصفهان"
    assert "وارد شد" in dialog.note.text()


@pytest.fixture
def hub_with_conflict(sample_file, tmp_path):
    hub_path = tmp_path / "hub.db"
    shutil.copy(sample_file, hub_path)
    hub = open_store(hub_path)
    export_package(hub, tmp_path / "out.bnp")
    laptop = open_store(tmp_path / "laptop.db", create=True)
    import_file(laptop, tmp_path / "out.bnp")
    axis_uuid = export_document(hub)["plans"][0]["axes"][0]["id"]
    for db, title in ((laptop, "عنوان لپ‌تاپ"), (hub, "عنوان مرکز")):
        axis = next(n for n in nodes.children(db, plans.list_plans(db)[0].id, None) if n.uuid == axis_uuid)
        nodes.update_node(db, axis.id, title=title)
    # One-sided changes besides the conflict: a new project and a new location on the laptop,
    # a new description at the hub (the preview lists them as added, changed and left alone).
    laptop_plan = plans.list_plans(laptop)[0].id
    branch = nodes.children(laptop, laptop_plan, None)[0]
    while branch.kind != "program":
        branch = nodes.children(laptop, laptop_plan, branch.id)[0]
    project = nodes.children(laptop, laptop_plan, branch.id)[0]
    nodes.add_node(laptop, laptop_plan, branch.id, "project", title="پروژه تازه ناحیه ۳",
                   start_date="1403/07/01", end_date="1404/06/31")
    nodes.update_node(laptop, project.id, location="ناحیه ۳ منطقه ۵")
    hub_plan = plans.list_plans(hub)[0].id
    hub_project = next(n for n in nodes.children(hub, hub_plan, _same(hub, hub_plan, branch.uuid))
                       if n.uuid == project.uuid)
    nodes.update_node(hub, hub_project.id, description="شرح تازه در مرکز")
    export_package(laptop, tmp_path / "back.bnp")
    laptop.dispose()
    yield hub, tmp_path / "back.bnp", axis_uuid
    hub.dispose()


def _same(db, plan_id: int, uuid: str) -> int:
    """The id of the node with this UUID in another file."""
    from sqlalchemy import select

    from db.models import PlanNode

    with db.unit() as session:
        return session.scalars(select(PlanNode.id).where(PlanNode.plan_id == plan_id, PlanNode.uuid == uuid)).one()


def test_resolve_a_merge_conflict_per_field(qtbot, hub_with_conflict):
    hub, back, axis_uuid = hub_with_conflict
    ctx = AppContext(hub)
    dialog = ImportDialog(ctx, back)
    qtbot.addWidget(dialog)
    dialog.resize(1100, 560)
    dialog.show()
    dialog.set_mode("merge")
    _wait_preview(qtbot, dialog)
    conflicts = dialog.conflict_model
    assert conflicts.rowCount() == 1
    assert _values(conflicts, ConflictModel.COL_OURS) == ["عنوان مرکز"]
    assert _values(conflicts, ConflictModel.COL_THEIRS) == ["عنوان لپ‌تاپ"]
    assert dialog.tabs.currentIndex() == 1  # the dialog opens on what needs a decision
    actions = _values(dialog.preview_model, PreviewModel.COL_ACTION)
    assert {"ناسازگاری", "افزوده می‌شود", "تغییر می‌کند", "دست‌نخورده می‌ماند"} <= set(actions)
    assert not dialog.import_button.isEnabled()
    save_screenshot(dialog, "exchange-conflicts.png")

    theirs = conflicts.index(0, ConflictModel.COL_THEIRS)
    assert conflicts.flags(theirs) & Qt.ItemFlag.ItemIsUserCheckable
    assert conflicts.setData(theirs, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert conflicts.data(theirs, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert dialog.import_button.isEnabled()
    dialog.tabs.setCurrentIndex(0)
    save_screenshot(dialog, "exchange-preview.png")

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=120_000)
    axis = next(a for a in export_document(hub)["plans"][0]["axes"] if a["id"] == axis_uuid)
    assert axis["title"] == "عنوان لپ‌تاپ"


def test_export_dialog_writes_a_template(qtbot, db, small_plan, tmp_path):
    ctx = AppContext(db)
    ctx.plan_id = small_plan["plan"].id
    dialog = ExportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.template.setChecked(True)
    dialog.output.setText(str(tmp_path / "الگو"))
    job = dialog.run_export()
    assert job is not None
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=60_000)
    assert (tmp_path / "الگو.bnp").exists() and "الگوی" in dialog.note.text()


def test_a_received_plan_is_marked_and_can_be_adopted(qtbot, db, package, tmp_path):
    set_home_municipality(db, name="شهرداری شیراز", province="فارس")
    import_file(db, package)
    window = open_main_window(qtbot, db, tmp_path)
    banner = window.reference_banner
    qtbot.waitUntil(banner.isVisible)
    assert "شهرداری اصفهان" in banner.label.text()
    from planner_gui.tree_model import COL_STATUS, COL_TITLE

    tree = window.tree.model
    plan_row = tree.index(0, COL_STATUS)
    assert plan_row.data() == "فقط‌خواندنی"  # the tree marks it too, its tooltip names the source
    assert "رسیده از «شهرداری اصفهان»: فقط برای مراجعه" in tree.index(0, COL_TITLE).data(Qt.ItemDataRole.ToolTipRole)
    save_screenshot(window, "received-plan.png")
    assert window.findChild(type(window.menuBar().actions()[0]), "action_import_package") is not None
    qtbot.mouseClick(banner.adopt_button, Qt.MouseButton.LeftButton)
    adopted = plans.get_plan(db, window.ctx.plan_id)
    assert adopted.source_municipality is None and adopted.status == "draft"
    assert not banner.isVisible()
    assert "فقط‌خواندنی" not in (window.tree.model.index(0, COL_STATUS).data() or "")


def test_lessons_window_filters_and_opens_the_node(qtbot, db, package, small_plan):
    from planner_core import monitoring
    from planner_core.levels import LABELS
    from planner_gui.exchange import LessonsWindow
    from planner_gui.exchange.lessons_window import LessonsModel
    from tests.gui.helpers import type_text

    set_home_municipality(db, name="شهرداری شیراز", province="فارس")
    monitoring.add_lesson(db, small_plan["plan"].id, small_plan["project"].id, title="ایستگاه شارژ پیش از خرید اتوبوس")
    import_file(db, package)
    ctx = AppContext(db)
    ctx.plan_id = small_plan["plan"].id
    window = LessonsWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.model.rowCount() == 7
    window.municipality.setCurrentIndex(window.municipality.findText("شهرداری اصفهان"))
    assert window.model.rowCount() == 6
    assert set(_values(window.model, LessonsModel.COL_MUNICIPALITY)) == {"شهرداری اصفهان"}
    window.municipality.setCurrentIndex(0)
    window.level.setCurrentIndex(window.level.findData("project"))
    levels = _values(window.model, LessonsModel.COL_LEVEL)
    assert 0 < len(levels) < 7 and set(levels) == {LABELS["project"]}
    assert "ایستگاه شارژ پیش از خرید اتوبوس" in _values(window.model, LessonsModel.COL_TITLE)
    window.level.setCurrentIndex(0)
    window.search.setFocus()
    type_text(window.search, "ايستگاه شارژ")  # Arabic yeh, as a user on an Arabic keyboard types it
    assert _values(window.model, LessonsModel.COL_TITLE) == ["ایستگاه شارژ پیش از خرید اتوبوس"]
    save_screenshot(window, "lessons-window.png")
    with qtbot.waitSignal(ctx.node_requested) as requested:
        window.open_node(window.model.index(0, 0))
    assert requested.args == [small_plan["project"].id]


def test_cancelling_an_import_writes_nothing(qtbot, db, package):
    set_home_municipality(db, name="شهرداری شیراز", province="فارس")
    ctx = AppContext(db)
    dialog = ImportDialog(ctx, package)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start_preview()
    _wait_preview(qtbot, dialog)
    job = dialog.run_import()
    assert job is not None and dialog.cancel_button.isEnabled()
    with qtbot.waitSignal(job.cancelled, timeout=120_000):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert plans.list_plans(db) == []
    assert "لغو" in dialog.note.text() and dialog.result is None


def test_cancelling_an_export_stops_the_worker_and_leaves_no_file(qtbot, db, small_plan, tmp_path, monkeypatch):
    import threading

    from planner_gui.exchange import export_dialog

    gate = threading.Event()
    real = export_dialog.export_file

    def held(*args, **kwargs):  # the worker waits until the planner has clicked cancel
        gate.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(export_dialog, "export_file", held)
    out = tmp_path / "خروجی"
    out.mkdir()
    ctx = AppContext(db)
    ctx.plan_id = small_plan["plan"].id
    dialog = ExportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.cancel_button.isEnabled()
    dialog.output.setText(str(out / "بسته لغوشده.bnp"))
    job = dialog.run_export()
    assert job is not None and dialog.cancel_button.isEnabled() and not dialog.export_button.isEnabled()
    with qtbot.waitSignal(job.cancelled, timeout=60_000):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        gate.set()
    assert list(out.iterdir()) == []  # neither the package nor its .part
    assert "لغو" in dialog.note.text() and dialog.result is None
    assert dialog.export_button.isEnabled() and not dialog.cancel_button.isEnabled()
    job = dialog.run_export()  # and the next export runs to the end
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=60_000)
    assert (out / "بسته لغوشده.bnp").exists()


def test_file_import_takes_a_plan_workbook_through_the_same_preview(qtbot, db, sample_file, tmp_path):
    from planner_core.workbooks import export_workbook
    from planner_gui.exchange import open_import

    source = open_store(sample_file)
    workbook = tmp_path / "برنامه اصفهان.xlsx"
    export_workbook(source, workbook)
    source.dispose()
    set_home_municipality(db, name="شهرداری شیراز", province="فارس")
    ctx = AppContext(db)
    dialog = open_import(ctx, workbook)
    qtbot.addWidget(dialog)
    assert isinstance(dialog, ImportDialog) and dialog.file_label.text().startswith("کارپوشه")
    _wait_preview(qtbot, dialog)
    assert plans.list_plans(db) == []  # the preview wrote nothing
    assert "افزوده می‌شود" in _values(dialog.preview_model, PreviewModel.COL_ACTION)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=120_000)
    [imported] = plans.list_plans(db)
    assert imported.source_municipality == "شهرداری اصفهان"


def test_file_import_takes_a_units_update_workbook_to_its_preview(qtbot, db, small_plan, tmp_path):
    from openpyxl import load_workbook

    from planner_core import monitoring
    from planner_core.workbooks import write_update_workbooks
    from planner_core.workbooks.update_layout import PROGRESS
    from planner_gui.exchange import open_import
    from planner_gui.workbooks import ReadUpdateWorkbookDialog

    [path] = write_update_workbooks(db, tmp_path, 1403, 2)
    workbook = load_workbook(path)
    sheet = workbook[PROGRESS.name]
    column = [c.key for c in PROGRESS.columns].index("physical_progress") + 1
    sheet.cell(row=2, column=column).value = 45
    filled = tmp_path / "واحد ترافیک تکمیل‌شده.xlsx"
    workbook.save(filled)
    ctx = AppContext(db)
    ctx.plan_id = small_plan["plan"].id
    dialog = open_import(ctx, filled)
    qtbot.addWidget(dialog)
    assert isinstance(dialog, ReadUpdateWorkbookDialog)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=60_000)
    assert any("۴۵٪" in line for line in dialog.lines.stringList())
    assert monitoring.list_progress_reports(db, small_plan["project"].id) == []  # the preview wrote nothing
    qtbot.waitUntil(dialog.apply_button.isEnabled, timeout=10_000)
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: dialog.summary is not None and dialog.summary.written, timeout=60_000)
    [report] = monitoring.list_progress_reports(db, small_plan["project"].id)
    assert report.physical_progress == 45


def test_export_dialog_writes_a_plan_workbook(qtbot, db, small_plan, tmp_path):
    from planner_core.workbooks import read_plan_workbook

    ctx = AppContext(db)
    ctx.plan_id = small_plan["plan"].id
    dialog = ExportDialog(ctx)
    qtbot.addWidget(dialog)
    out = tmp_path / "کارپوشه"
    out.mkdir()
    dialog.output.setText(str(out / "برنامه.xlsx"))
    dialog.template.setChecked(True)
    assert dialog.run_export() is None and ".bnp" in dialog.note.text()  # a template is a package only
    dialog.template.setChecked(False)
    assert dialog.run_export() is not None
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=60_000)
    assert [p.name for p in out.iterdir()] == ["برنامه.xlsx"] and "کارپوشه برنامه" in dialog.note.text()
    assert read_plan_workbook(out / "برنامه.xlsx")["plans"][0]["title"] == plans.get_plan(db, ctx.plan_id).title
