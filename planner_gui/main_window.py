"""The main window: the plan tree on the right, the detail panel on the left, menus and toolbar.

It wires parts together and turns menu actions into undo commands; forms, the tree, the
commands and the dialogs live in their own modules.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from planner_core import nodes, paths, plans
from planner_core.errors import PlannerError
from planner_core.levels import CHILD_KINDS, LABELS
from planner_core.nodes import NodeInfo
from planner_core.plans import PlanInfo
from planner_core.safety.opening import open_for_editing
from planner_core.text import ltr, to_persian_digits
from planner_gui import desktop, exchange, extensions, read_only, recent, tree_menu, window_fit
from planner_gui import safety as safety_gui
from planner_gui.base_data import MunicipalityDialog, OrgUnitsDialog
from planner_gui.commands import AddNodeCommand, DeleteNodeCommand, MoveNodeCommand, errors, execute, quoted
from planner_gui.context import AppContext
from planner_gui.detail_panel import DetailPanel
from planner_gui.plan_dialog import NewPlanDialog
from planner_gui.shortcuts import undo_keys
from planner_gui.tree_panel import TreePanel

APP_TITLE = "برنامه‌نگار"
# Feature packages that register detail tabs and report windows in planner_gui.extensions.
# The feature packages register their tabs and report windows in planner_gui.extensions.
EXTENSION_PACKAGES = ("planner_gui.tabs", "planner_gui.booklet_dialog", "planner_gui.budget", "planner_gui.monitoring")
EXTENSION_PACKAGES += ("planner_gui.workbooks",)  # quarterly update workbooks (monitoring menu)


def load_extensions() -> None:
    for name in EXTENSION_PACKAGES:
        importlib.import_module(name)


class WelcomePage(QWidget):
    """The empty state of a file with no plan: one click to the sample plan or a new plan."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # One centred column of fixed width: a word-wrapped label placed with an alignment flag
        # gets its one-line width and is cut to slivers, so the label fills the column instead.
        column = QWidget()
        column.setObjectName("welcomeColumn")
        column.setFixedWidth(560)
        content = QVBoxLayout(column)
        content.setContentsMargins(0, 0, 0, 0)
        content.setSpacing(12)
        heading = QLabel("به برنامه‌نگار خوش آمدید")
        heading.setObjectName("welcomeHeading")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        heading.setFont(font)
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel("این فایل هنوز برنامه راهبردی ندارد. برای آشنایی، برنامه نمونه یک کلان‌شهر را باز کنید "
                           "یا برنامه خودتان را از نو بسازید.")
        self.text.setObjectName("welcomeText")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sample_button = QPushButton("باز کردن برنامه نمونه")
        self.sample_button.setObjectName("openSampleButton")
        self.new_button = QPushButton("ساختن برنامه راهبردی جدید")
        self.new_button.setObjectName("newPlanButton")
        content.addWidget(heading)
        content.addWidget(self.text)
        for button in (self.sample_button, self.new_button):
            content.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)


class MainWindow(QMainWindow):
    def __init__(self, db: Database, path: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        load_extensions()
        self.setObjectName("mainWindow")
        self.ctx = AppContext(db, self)
        self.path = path
        self.windows: list[QWidget] = []  # report windows kept alive

        self.tree = TreePanel(self.ctx)
        self.detail = DetailPanel(self.ctx)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tree)  # first widget: on the right in right-to-left
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setSizes([600, 500])  # the tree's title column needs the room more than the form
        self.welcome = WelcomePage()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(self.splitter)
        self.setCentralWidget(self.pages)
        self.status_label = QLabel()
        self.statusBar().addWidget(self.status_label, 1)

        self._make_actions()
        self._make_menus()
        self._make_toolbar()
        desktop.install(self)  # Help menu and F1, plan/file entries of the File menu
        self.editing = tree_menu.install(self)  # context menu, cut/paste/move-to, shortcut tooltips
        read_only.install(self)  # one "why read-only" (file, received plan, status) applied everywhere
        self.welcome.sample_button.clicked.connect(self.open_sample)
        self.welcome.new_button.clicked.connect(self.new_plan)
        self.tree.current_changed.connect(self._on_current)
        self.tree.before_leave = self.detail.leave  # no edit lost: commit (or ask) before the form changes
        self.detail.modified_changed.connect(self.setWindowModified)
        self.ctx.plan_switched.connect(self._on_plan_switched)
        self.ctx.changed.connect(self._on_changed)
        self.ctx.node_requested.connect(self.select_node)
        self.ctx.undo_stack.cleanChanged.connect(lambda _clean: self._update_actions())
        self.ctx.undo_stack.indexChanged.connect(lambda _i: self._update_actions())
        errors.message.connect(self.show_message)
        window_fit.place(self, (1400, 850))  # remembered per screen, else fitted to it
        if path is not None:
            recent.add_recent(path)
        importlib.import_module("planner_gui.lifecycle").install(self)  # status banner, workflow menu, read-only
        self._load_first_plan()
        safety_gui.install(self)  # banner, read-only mode, File → Backups, checkpoint on close
        self.help_menu.keep_last()  # «راهنما» ends the menu bar, after the menus installed above

    # --- actions ----------------------------------------------------------------------------
    def _action(self, text: str, slot: object, shortcut: object = None, name: str = "",
                tip: str = "", tree_only: bool = False) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            keys = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(k) for k in keys])
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)  # type: ignore[arg-type]
        if tree_only:
            # Structural keys (Insert, Delete, Ctrl+↑) act on the tree, never inside a text field.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.tree.view.addAction(action)
        else:
            self.addAction(action)
        return action

    def _make_actions(self) -> None:
        std = QKeySequence.StandardKey
        self.new_plan_action = self._action("برنامه راهبردی &جدید…", self.new_plan, "Ctrl+Shift+N", "newPlan")
        self.new_file_action = self._action("فایل &جدید…", self.new_file, std.New, "newFile")
        self.open_action = self._action("&باز کردن فایل…", self.open_file_dialog, std.Open, "openFile")
        self.sample_action = self._action("باز کردن برنامه &نمونه", self.open_sample, "Ctrl+Shift+O", "openSample")
        self.quit_action = self._action("&خروج", self.close, "Ctrl+Q", "quit")
        self.undo_action = self.ctx.undo_stack.createUndoAction(self, "&واگردانی")
        self.undo_action.setObjectName("undo")
        self.undo_action.setShortcuts([QKeySequence(std.Undo)])
        self.redo_action = self.ctx.undo_stack.createRedoAction(self, "&ازنو")
        self.redo_action.setObjectName("redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)
        self.save_action = self._action("&ذخیره", self.detail.save, std.Save, "save", "ذخیره تغییرات فرم")
        self.add_child_action = self._action("افزودن &زیرمجموعه", self.add_child, ["Insert", "Ctrl+Shift+I"],
                                             "addChild", tree_only=True)
        self.add_activity_action = self._action("افزودن &فعالیت", lambda: self.add_child("activity"),
                                                "Ctrl+Shift+T", "addActivity", tree_only=True)
        self.add_sibling_action = self._action("افزودن &هم‌سطح", self.add_sibling, ["Ctrl+Return", "Ctrl+Shift+B"],
                                               "addSibling", tree_only=True)
        self.delete_action = self._action("&حذف…", self.delete_selected, [std.Delete], "delete", tree_only=True)
        self.move_up_action = self._action("انتقال به &بالا", lambda: self.move_selected(-1), "Ctrl+Up",
                                           "moveUp", tree_only=True)
        self.move_down_action = self._action("انتقال به &پایین", lambda: self.move_selected(1), "Ctrl+Down",
                                             "moveDown", tree_only=True)
        self.find_action = self._action("&جستجو", self.focus_search, std.Find, "find")
        self.focus_tree_action = self._action("رفتن به &درخت", self.tree.view.setFocus, "Ctrl+1", "focusTree")
        self.focus_form_action = self._action("رفتن به &فرم", self.focus_form, "Ctrl+2", "focusForm")
        self.clear_filter_action = self._action("پاک کردن &پالایش", self.tree.clear_filter, "Ctrl+Shift+F",
                                                "clearFilter")
        self.units_action = self._action("&واحدهای مسئول…", self.open_org_units, "Ctrl+Shift+U", "orgUnits",
                                         "تعریف معاونت‌ها، اداره‌ها و مناطق مسئول اجرای برنامه")
        self.municipality_action = self._action("&شهرداری…", self.open_municipality, "Ctrl+Shift+M", "municipality",
                                                "نام شهرداری صاحب این فایل")

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&پرونده")
        file_menu.addActions([self.new_plan_action, self.new_file_action, self.open_action])
        self.recent_menu = file_menu.addMenu("فایل‌های &اخیر")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addAction(self.sample_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        exchange.install(self, self.ctx, file_menu)  # File → export / import packages; received-plan banner
        edit_menu = bar.addMenu("&ویرایش")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.save_action, self.add_child_action, self.add_activity_action,
                              self.add_sibling_action, self.delete_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.move_up_action, self.move_down_action])
        base_menu = bar.addMenu("&داده‌های پایه")
        base_menu.setObjectName("baseDataMenu")
        base_menu.addActions([self.units_action, self.municipality_action])
        view_menu = bar.addMenu("&نما")
        view_menu.addActions([self.find_action, self.clear_filter_action, self.focus_tree_action,
                              self.focus_form_action])
        self.reports_menu = bar.addMenu("&گزارش‌ها")
        self.report_actions: list[QAction] = []
        for entry in extensions.WINDOW_ACTIONS:
            action = self._action(entry.text, lambda _c=False, e=entry: self.open_window(e),
                                  entry.shortcut or None, entry.object_name)
            self.reports_menu.addAction(action)
            self.report_actions.append(action)
        self.reports_menu.menuAction().setVisible(bool(self.report_actions))

    def _make_toolbar(self) -> None:
        toolbar = self.addToolBar("ابزار")
        toolbar.setObjectName("mainToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addWidget(QLabel(" برنامه: "))
        self.plan_combo = QComboBox()
        self.plan_combo.setObjectName("planSwitcher")
        self.plan_combo.setMinimumWidth(260)
        self.plan_combo.setToolTip("برنامه راهبردی نمایش‌داده‌شده")
        self.plan_combo.activated.connect(self._switch_plan)
        toolbar.addWidget(self.plan_combo)
        toolbar.addSeparator()
        toolbar.addActions([self.add_child_action, self.add_sibling_action, self.delete_action])
        toolbar.addSeparator()
        toolbar.addActions([self.move_up_action, self.move_down_action])
        toolbar.addSeparator()
        toolbar.addActions([self.undo_action, self.redo_action, self.save_action])

    # --- plans and files --------------------------------------------------------------------
    def _load_first_plan(self) -> None:
        available = plans.list_plans(self.ctx.db)
        self.ctx.set_plan(available[0].id if available else None)

    def _fill_plan_combo(self) -> None:
        self.plan_combo.blockSignals(True)
        self.plan_combo.clear()
        for plan in plans.list_plans(self.ctx.db):
            self.plan_combo.addItem(f"{plan.label} ({plan.period_label})", plan.id)
        self.plan_combo.setCurrentIndex(max(0, self.plan_combo.findData(self.ctx.plan_id)))
        self.plan_combo.blockSignals(False)

    def _switch_plan(self, index: int) -> None:
        if self.detail.leave():
            self.ctx.set_plan(self.plan_combo.itemData(index))
        else:
            self._fill_plan_combo()  # stay on the plan whose form holds the uncommitted edit

    def _on_plan_switched(self, plan_id: int) -> None:
        if self.tree.model.plan_id() != (plan_id or None):
            self.tree.set_plan(plan_id or None)
        self._fill_plan_combo()
        self.pages.setCurrentWidget(self.splitter if plan_id else self.welcome)
        self._update_title()
        self._update_actions()

    def _on_changed(self, what: str, _key: int) -> None:
        if what == "plan":
            self._fill_plan_combo()
            self._update_title()

    def _update_title(self) -> None:
        parts = [APP_TITLE]
        if self.path is not None:
            parts.append(self.path.name)
        if self.ctx.plan_id:
            try:
                parts.append(plans.get_plan(self.ctx.db, self.ctx.plan_id).title)
            except PlannerError:
                pass
        self.setWindowTitle(" — ".join(parts) + "[*]")  # [*]: the modified marker

    def open_database(self, path: Path, db: Database | None = None) -> bool:
        """Switch the window to another plan file (the undo history belongs to the old one)."""
        if not self.detail.leave():
            return False
        try:
            new_db = db or open_for_editing(Path(path)).db
        except PlannerError as exc:
            self.show_message(str(exc))
            return False
        old = self.ctx.db
        self.ctx.undo_stack.clear()
        self.ctx.db = new_db
        self.path = Path(path)
        if old is not new_db:
            old.dispose()
        recent.add_recent(self.path)
        self.ctx.plan_id = None
        self._load_first_plan()
        safety_gui.refresh(self)
        return True

    def open_file_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "باز کردن فایل برنامه", str(self.path.parent if self.path else ""),
                                              "فایل برنامه‌نگار (*.db *.sqlite);;همه فایل‌ها (*)")
        if name:
            self.open_database(Path(name))

    def new_file(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "فایل برنامه جدید", str(self.path.parent if self.path else ""),
                                              "فایل برنامه‌نگار (*.db)")
        if name:
            path = Path(name if name.endswith(".db") else name + ".db")
            if self.open_database(path):
                self.new_plan()

    def open_sample(self) -> None:
        from planner_gui.app import open_sample

        path = paths.sample_database()
        try:
            db = open_sample(path)
        except PlannerError as exc:
            self.show_message(str(exc))
            return
        self.open_database(path, db)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in recent.recent_files():
            action = self.recent_menu.addAction(ltr(path))  # a path in a right-to-left menu
            action.triggered.connect(lambda _c=False, p=path: self.open_database(p))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("(خالی)").setEnabled(False)

    def new_plan(self) -> NewPlanDialog | None:
        if not self.detail.leave():
            return None
        dialog = NewPlanDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # not left listening to ctx
        dialog.open()
        return dialog

    def open_org_units(self) -> OrgUnitsDialog:
        dialog = OrgUnitsDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # not left listening to ctx
        dialog.open()
        return dialog

    def open_municipality(self) -> MunicipalityDialog:
        dialog = MunicipalityDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # not left listening to ctx
        dialog.open()
        return dialog

    def open_window(self, entry: extensions.WindowAction) -> QWidget:
        widget = entry.factory(self.ctx, self)
        self.windows.append(widget)
        widget.show()
        return widget

    # --- tree edits -------------------------------------------------------------------------
    def current(self) -> NodeInfo | PlanInfo | None:
        return self.tree.current_info()

    def _on_current(self, info: NodeInfo | PlanInfo | None) -> None:
        if isinstance(info, NodeInfo):
            self.detail.set_node(info)
        elif isinstance(info, PlanInfo):
            self.detail.set_plan(info)
        else:
            self.detail.clear()
        self._update_actions()

    def _update_actions(self) -> None:
        info = self.current()
        node = info if isinstance(info, NodeInfo) else None
        kind = node.kind if node else None
        has_plan = self.ctx.plan_id is not None
        self.add_child_action.setEnabled(has_plan and info is not None and bool(CHILD_KINDS[kind]))
        self.add_activity_action.setEnabled(kind == "program")
        self.add_sibling_action.setEnabled(node is not None)
        for action in (self.delete_action, self.move_up_action, self.move_down_action):
            action.setEnabled(node is not None)
        self.save_action.setEnabled(info is not None)
        if info is not None:
            where = f"{LABELS[kind or 'plan']} «{info.title}»"
            child = CHILD_KINDS[kind]
            self.add_child_action.setText(f"افزودن &{LABELS[child[0]]}" if child else "افزودن &زیرمجموعه")
            self.status_label.setText(where)
        if hasattr(self, "read_only_guard"):
            self.read_only_guard.apply()  # the window's rules above, then the read-only reason on top

    def _add(self, parent_id: int | None, kind: str, position: int | None = None) -> NodeInfo | None:
        assert self.ctx.plan_id is not None
        command = AddNodeCommand(self.ctx, self.ctx.plan_id, parent_id, kind, f"{LABELS[kind]} جدید", position)
        error = execute(self.ctx, command)
        if error is not None:
            self.show_message(str(error))
            return None
        assert command.node is not None
        self.select_node(command.node.id)
        self.focus_form(select_title=True)
        return command.node

    def add_child(self, kind: str | None = None) -> NodeInfo | None:
        info = self.current()
        if info is None or self.ctx.plan_id is None:
            return None
        parent_kind = info.kind if isinstance(info, NodeInfo) else None
        allowed = CHILD_KINDS[parent_kind]
        if not allowed:
            self.show_message(f"زیر {LABELS[parent_kind or 'plan']} نمی‌توان گره دیگری افزود.")
            return None
        kind = kind if kind in allowed else allowed[0]
        return self._add(info.id if isinstance(info, NodeInfo) else None, kind)

    def add_sibling(self) -> NodeInfo | None:
        info = self.current()
        if not isinstance(info, NodeInfo):
            return None
        return self._add(info.parent_id, info.kind, info.sort_order + 1)

    def delete_selected(self) -> bool:
        info = self.current()
        if not isinstance(info, NodeInfo):
            return False
        count = nodes.count_descendants(self.ctx.db, info.id)
        what = f"{LABELS[info.kind]} «{info.title}»"
        text = (f"{what} و {to_persian_digits(count)} زیرمجموعه آن حذف شود؟" if count
                else f"{what} حذف شود؟")
        text += f"\nبا «واگردانی» ({undo_keys()}) می‌توانید آن را برگردانید."
        answer = QMessageBox.question(self, "حذف", text)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        error = execute(self.ctx, DeleteNodeCommand(self.ctx, info, count))
        if error is not None:
            self.show_message(str(error))
            return False
        self.select_node(info.parent_id or 0)
        return True

    def move_selected(self, step: int) -> bool:
        info = self.current()
        if not isinstance(info, NodeInfo):
            return False
        position = info.sort_order + step
        if position < 0:
            return False
        model = self.tree.model
        if position >= model.rowCount(model.index_of(info.parent_id or 0)):
            return False
        direction = "بالا" if step < 0 else "پایین"
        command = MoveNodeCommand(self.ctx, info, info.parent_id, position,
                                  text=f"جابه‌جایی {LABELS[info.kind]} {quoted(info.title)} به {direction}")
        error = execute(self.ctx, command)
        if error is not None:
            self.show_message(str(error))
            return False
        self.select_node(info.id)
        return True

    def select_node(self, node_id: int) -> bool:
        return self.tree.select_node(node_id)

    # --- focus, messages, closing -----------------------------------------------------------
    def focus_search(self) -> None:
        self.tree.search.setFocus()
        self.tree.search.selectAll()

    def focus_form(self, select_title: bool = False) -> None:
        form = self.detail.node_form if self.detail.node is not None else self.detail.plan_form
        self.detail.tabs.setCurrentIndex(0)
        form.title.setFocus()
        if select_title:
            form.title.selectAll()

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 10_000)
        QMessageBox.warning(self, APP_TITLE, text)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.detail.leave():
            event.ignore()
            return
        window_fit.save(self)
        super().closeEvent(event)
