"""Editing the tree by keyboard and menu: the tree's context menu, cut/paste and «انتقال به…»
to move a node under another parent without dragging, rename (F2), opening a node's tabs, and
the discoverability the main window's actions need (shortcuts named in tooltips, a toolbar
that does not jump).  ``install(window)`` is called once from the main window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPoint, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planner_core import nodes
from planner_core.levels import CHILD_KINDS, LABELS, PARENT_KIND
from planner_core.nodes import NodeInfo
from planner_core.plans import PlanInfo
from planner_core.text import fold, to_persian_digits
from planner_gui.commands import MoveNodeCommand, execute, quoted
from planner_gui.common import ID_ROLE
from planner_gui.shortcuts import name_shortcuts

if TYPE_CHECKING:
    from planner_gui.main_window import MainWindow

UNDO_BUTTON_WIDTH = 96  # px: «واگردانی»/«ازنو» fit; the full undo text is in the tooltip
# objectName of a detail tab → the context-menu text that opens it
TAB_ACTIONS = (("indicatorsTab", "باز کردن &شاخص‌ها"), ("budgetTab", "باز کردن &بودجه"),
               ("monitoringTab", "باز کردن &پایش"))


def parent_candidates(db, plan_id: int, node: NodeInfo) -> list[NodeInfo]:
    """Every node that could hold ``node`` as a child (its level's parent level), in tree order,
    but its present parent.  Axes go under the plan itself: no candidates."""
    wanted = PARENT_KIND[node.kind]
    if wanted is None:
        return []
    found: list[NodeInfo] = []

    def walk(level: list[NodeInfo]) -> None:
        below = [n for n in level if n.kind != wanted and n.child_count]
        deeper = nodes.children_of_many(db, plan_id, [n.id for n in below]) if below else {}
        for item in level:
            if item.kind == wanted:
                if item.id != node.parent_id:
                    found.append(item)
            elif item.id in deeper:
                walk(deeper[item.id])

    walk(nodes.children(db, plan_id, None))
    return found


class _FoldProxy(QSortFilterProxyModel):
    """Filters the picker by fold key (letters, ZWNJ and digit scripts do not matter)."""

    key = ""

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # type: ignore[override]
        return not self.key or self.key in fold(self.sourceModel().index(row, 0, parent).data() or "")


class MoveToDialog(QDialog):
    """«انتقال به…»: pick the new parent of a node from the nodes of the right level."""

    def __init__(self, node: NodeInfo, candidates: list[NodeInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("moveToDialog")
        self.setWindowTitle(f"انتقال {LABELS[node.kind]} {quoted(node.title)}")
        self.setMinimumWidth(520)
        parent_label = LABELS[PARENT_KIND[node.kind] or "plan"]
        self.model = QStandardItemModel(self)
        for info in candidates:
            item = QStandardItem(f"{to_persian_digits(info.full_code)}  {info.title}")
            item.setData(info.id, ID_ROLE)
            item.setEditable(False)
            self.model.appendRow(item)
        self.proxy = _FoldProxy(self)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setObjectName("moveToSearch")
        self.search.setPlaceholderText(f"جستجوی {parent_label} در کد و عنوان…")
        self.search.textChanged.connect(self._filter)
        self.list = QListView()
        self.list.setObjectName("moveToList")
        self.list.setModel(self.proxy)
        self.list.doubleClicked.connect(lambda _i: self.accept())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("انتقال")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("انصراف")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        caption = QLabel(f"{LABELS[node.kind]} به زیر کدام {parent_label} برود؟")
        caption.setBuddy(self.search)
        layout.addWidget(caption)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        if not candidates:
            layout.addWidget(QLabel(f"{parent_label} دیگری در این برنامه نیست."))
        layout.addWidget(self.buttons)
        self._filter("")

    def _filter(self, text: str) -> None:
        self.proxy.key = fold(text)
        self.proxy.invalidate()
        if self.proxy.rowCount() and not self.list.currentIndex().isValid():
            self.list.setCurrentIndex(self.proxy.index(0, 0))

    def chosen_id(self) -> int | None:
        index = self.list.currentIndex()
        value = index.data(ID_ROLE) if index.isValid() else None
        return int(value) if value is not None else None


class TreeEditing:
    """The tree's context menu and the actions it adds to the main window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.ctx = window.ctx
        self.cut_id: int | None = None
        add = window._action  # the main window's action factory (shortcut context, tree-only keys)
        self.rename_action = add("&تغییر نام", self.rename, "F2", "rename", tree_only=True)
        self.cut_action = add("&برش (برای انتقال)", self.cut, QKeySequence.StandardKey.Cut, "cutNode",
                              tree_only=True)
        self.paste_action = add("&چسباندن زیر این گره", self.paste, QKeySequence.StandardKey.Paste,
                                "pasteNode", tree_only=True)
        self.move_to_action = add("انتقال &به…", self.move_to, "Ctrl+Shift+X", "moveTo", tree_only=True)
        self.tab_actions: list[tuple[str, QAction]] = []
        for name, text in TAB_ACTIONS:
            action = add(text, lambda _c=False, n=name: self.open_tab(n), None, f"open_{name}")
            self.tab_actions.append((name, action))
        view = window.tree.view
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self.show_menu)
        window.tree.current_changed.connect(lambda _info: self.update())
        self.update()

    # --- the menu ---------------------------------------------------------------------------
    def menu(self) -> QMenu:
        """The context menu for the selected row (built fresh: texts follow the row's level)."""
        w = self.window
        w._update_actions()
        self.update()
        menu = QMenu(w.tree.view)
        menu.setObjectName("treeContextMenu")
        menu.addActions([w.add_child_action, w.add_activity_action, w.add_sibling_action, self.rename_action])
        menu.addSeparator()
        menu.addActions([w.move_up_action, w.move_down_action, self.cut_action, self.paste_action,
                         self.move_to_action])
        menu.addSeparator()
        menu.addAction(w.delete_action)
        menu.addSeparator()
        menu.addActions([action for _name, action in self.tab_actions])
        for action in menu.actions():
            if not action.isSeparator() and not action.isEnabled() and action is w.add_activity_action:
                action.setVisible(False)  # only programs take activities
        return menu

    def show_menu(self, pos: QPoint) -> None:
        view = self.window.tree.view
        index = view.indexAt(pos)
        if index.isValid() and index.siblingAtColumn(0) != view.currentIndex().siblingAtColumn(0):
            view.setCurrentIndex(index)
        self.menu().popup(view.viewport().mapToGlobal(pos))

    def update(self) -> None:
        info = self.window.current()
        node = info if isinstance(info, NodeInfo) else None
        self.rename_action.setEnabled(info is not None)
        self.cut_action.setEnabled(node is not None)
        self.paste_action.setEnabled(info is not None and self._paste_target(info) is not None)
        self.move_to_action.setEnabled(node is not None and node.kind != "axis")
        for name, action in self.tab_actions:
            tab = self._tab(name)
            action.setEnabled(tab is not None and self.window.detail.tabs.indexOf(tab) >= 0)
        self.window.add_activity_action.setVisible(True)
        if hasattr(self.window, "read_only_guard"):
            self.window.read_only_guard.apply()

    # --- actions ----------------------------------------------------------------------------
    def rename(self) -> None:
        self.window.focus_form(select_title=True)

    def cut(self) -> None:
        info = self.window.current()
        if not isinstance(info, NodeInfo):
            return
        self.cut_id = info.id
        self.window.statusBar().showMessage(
            f"{LABELS[info.kind]} {quoted(info.title)} برای انتقال برداشته شد؛ گره مقصد را برگزینید و "
            f"«چسباندن» را بزنید.", 15_000)
        self.update()

    def _paste_target(self, target: NodeInfo | PlanInfo) -> tuple[int | None, int] | None:
        """(new parent id, position) for pasting the cut node at ``target``, or None."""
        if self.cut_id is None:
            return None
        cut = self.window.tree.model.info(self.cut_id)
        if not isinstance(cut, NodeInfo):
            return None
        target_kind = target.kind if isinstance(target, NodeInfo) else None
        if cut.kind in CHILD_KINDS[target_kind]:  # under the target, last
            parent_id = target.id if isinstance(target, NodeInfo) else None
            count = target.child_count if isinstance(target, NodeInfo) else \
                self.window.tree.model.rowCount(self.window.tree.model.index_of(0))
            return parent_id, count
        if isinstance(target, NodeInfo) and target.kind == cut.kind and target.id != cut.id:
            return target.parent_id, target.sort_order + 1  # beside the target, after it
        return None

    def paste(self) -> bool:
        info = self.window.current()
        if info is None or self.cut_id is None:
            return False
        place = self._paste_target(info)
        cut = self.window.tree.model.info(self.cut_id)
        if place is None or not isinstance(cut, NodeInfo):
            self.window.show_message("گره برداشته‌شده را نمی‌توان اینجا گذاشت؛ گرهی از سطح بالاتر برگزینید.")
            return False
        if self._move(cut, *place):
            self.cut_id = None
            self.update()
            return True
        return False

    def move_to(self) -> MoveToDialog | None:
        info = self.window.current()
        if not isinstance(info, NodeInfo) or self.ctx.plan_id is None:
            return None
        dialog = MoveToDialog(info, parent_candidates(self.ctx.db, self.ctx.plan_id, info), self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._moved_to(info, dialog.chosen_id()))
        dialog.open()
        return dialog

    def _moved_to(self, node: NodeInfo, parent_id: int | None) -> None:
        if parent_id is None:
            return
        parent = nodes.get_node(self.ctx.db, parent_id)
        self._move(node, parent_id, parent.child_count)

    def _move(self, node: NodeInfo, parent_id: int | None, position: int) -> bool:
        if parent_id is None:
            where = "برنامه راهبردی"
        else:
            parent = nodes.get_node(self.ctx.db, parent_id)
            where = f"{LABELS[parent.kind]} {quoted(parent.title)}"
        command = MoveNodeCommand(self.ctx, node, parent_id, position,
                                  text=f"انتقال {LABELS[node.kind]} {quoted(node.title)} به زیر {where}")
        error = execute(self.ctx, command)
        if error is not None:
            self.window.show_message(str(error))
            return False
        self.window.select_node(node.id)
        return True

    def _tab(self, name: str) -> QWidget | None:
        return next((t for t in self.window.detail.extra_tabs if t.objectName() == name), None)

    def open_tab(self, name: str) -> None:
        tab = self._tab(name)
        if tab is not None and self.window.detail.tabs.indexOf(tab) >= 0:
            self.window.detail.tabs.setCurrentWidget(tab)


def _fix_undo_buttons(window: MainWindow) -> None:
    """Toolbar undo/redo: a short fixed text and width (the toolbar does not jump as the undo
    text changes); the full text with its shortcut is in the tooltip."""
    for action, short in ((window.undo_action, "&واگردانی"), (window.redo_action, "&ازنو")):
        action.setIconText(short.replace("&", ""))
        for toolbar in window.findChildren(QToolBar):
            button = toolbar.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setFixedWidth(UNDO_BUTTON_WIDTH)


def ensure_mnemonics(menu: QMenu, skip: tuple[QMenu, ...] = ()) -> None:
    """Give every item of ``menu`` (and its submenus) a mnemonic: an item without one gets its
    first letter no other item of the menu uses (items added by feature packages too)."""
    actions = [a for a in menu.actions() if not a.isSeparator() and a.text()]
    used = {a.text()[a.text().index("&") + 1] for a in actions if "&" in a.text()[:-1]}
    for action in actions:
        text = action.text()
        if "&" not in text:
            position = next((i for i, c in enumerate(text) if c.isalpha() and c not in used), None)
            if position is not None:
                used.add(text[position])
                action.setText(text[:position] + "&" + text[position:])
        sub = action.menu()
        if isinstance(sub, QMenu) and sub not in skip:
            ensure_mnemonics(sub, skip)


def install(window: MainWindow) -> TreeEditing:
    """Add the tree's context menu and its actions; name every action's shortcut in its tooltip."""
    editing = TreeEditing(window)
    edit_menu = next((a.menu() for a in window.menuBar().actions() if a.menu() and a.text() == "&ویرایش"), None)
    if edit_menu is not None:
        edit_menu.addSeparator()
        edit_menu.addActions([editing.rename_action, editing.cut_action, editing.paste_action,
                              editing.move_to_action])
    _fix_undo_buttons(window)
    for top in window.menuBar().actions():
        if isinstance(top.menu(), QMenu):
            ensure_mnemonics(top.menu(), skip=(window.recent_menu,))
    name_shortcuts([a for a in window.findChildren(QAction) if not a.isSeparator() and a.text()])
    return editing
