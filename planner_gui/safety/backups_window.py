"""File → Backups: the file's backups (Jalali date, reason, size, plans and counts inside) and
restoring one after the planner confirms (the current file is backed up first)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner_core import backups
from planner_core.errors import PlannerError
from planner_core.jalali import format_jalali
from planner_core.safety import opening
from planner_core.text import ltr, to_persian_digits

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

APP_TITLE = "برنامه‌نگار"
COL_DATE, COL_REASON, COL_SIZE, COL_PLANS, COL_NODES = range(5)
HEADERS = ("تاریخ", "علت", "اندازه", "برنامه‌ها", "گره‌ها / شاخص‌ها")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


def moment_label(backup: backups.Backup) -> str:
    return f"{format_jalali(backup.created.date())}، {to_persian_digits(backup.created.strftime('%H:%M'))}"


class BackupsModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[backups.Backup, dict[str, Any]]] = []

    def load(self, path: Path | None) -> None:
        self.beginResetModel()
        self.rows = [(b, backups.backup_contents(b.path)) for b in backups.list_backups(path)]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        backup, contents = self.rows[index.row()]
        column = index.column()
        if role == SORT_ROLE:
            return (backup.created, backup.reason, backup.size, len(contents.get("plans", [])),
                    contents.get("plan_node", 0))[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return ltr(backup.path)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == COL_DATE:
            return moment_label(backup)
        if column == COL_REASON:
            return backup.reason_label
        if column == COL_SIZE:
            return f"{to_persian_digits(f'{backup.size / 1024:.0f}')} کیلوبایت"
        if column == COL_PLANS:
            if "error" in contents:
                return "ناخوانا"
            return "، ".join(dict.fromkeys(contents["plans"])) or "—"  # a plan's revisions share its title
        return (f"{to_persian_digits(contents.get('plan_node', 0))} گره، "
                f"{to_persian_digits(contents.get('indicator', 0))} شاخص")

    def backup_at(self, row: int) -> backups.Backup:
        return self.rows[row][0]


class BackupsDialog(QDialog):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("backupsDialog")
        self.setWindowTitle("پشتیبان‌ها")
        self.window_ = window
        path: Path | None = getattr(window, "path", None)
        self.folder_label = QLabel()
        self.folder_label.setObjectName("backupFolder")
        self.folder_label.setWordWrap(True)
        self.model = BackupsModel(self)
        self.view = QTableView()
        self.view.setObjectName("backupsTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The plans' titles take what is left (elided), so every column fits without scrolling sideways.
        self.view.horizontalHeader().setSectionResizeMode(COL_PLANS, QHeaderView.ResizeMode.Stretch)
        self.backup_button = QPushButton("پشتیبان‌گیری اکنون")
        self.backup_button.setObjectName("backupNow")
        self.restore_button = QPushButton("بازگرداندن این پشتیبان…")
        self.restore_button.setObjectName("restoreBackup")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.backup_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(lambda: self.restore_selected())
        self.resize(900, 420)
        self.path = path
        self.reload()

    def reload(self) -> None:
        self.model.load(self.path)
        if self.path is not None:
            self.folder_label.setText(f"پوشه پشتیبان‌ها: «{ltr(backups.backup_folder(self.path))}»")
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0, 0))
        self.restore_button.setEnabled(self.model.rowCount() > 0)
        self.backup_button.setEnabled(self.path is not None)

    def backup_now(self) -> None:
        if self.path is None:
            return
        try:
            backups.backup_to(self.path)
        except PlannerError as exc:
            QMessageBox.warning(self, APP_TITLE, str(exc))
        self.reload()

    def restore_selected(self, confirm: bool = True) -> bool:
        current = self.view.currentIndex()
        if not current.isValid():
            return False
        backup = self.model.backup_at(current.row())
        if confirm:
            answer = QMessageBox.question(
                self, APP_TITLE,
                f"پشتیبان {moment_label(backup)} ({backup.reason_label}) به جای فایل کنونی گذاشته شود؟\n"
                "پیش از آن از فایل کنونی پشتیبان گرفته می‌شود و تاریخچه واگردانی پاک می‌شود.")
            if answer != QMessageBox.StandardButton.Yes:
                return False
        done = restore_into_window(self.window_, backup)
        self.reload()
        return done


def restore_into_window(window: QMainWindow, backup: backups.Backup) -> bool:
    """Close the window's store, restore ``backup`` over its file, and open the file again."""
    path: Path = window.path  # type: ignore[attr-defined]
    window.ctx.db.dispose()  # type: ignore[attr-defined]
    try:
        opening.restore_backup(path, backup.path)
    except PlannerError as exc:
        window.open_database(path)  # type: ignore[attr-defined]
        QMessageBox.warning(window, APP_TITLE, str(exc))
        return False
    window.open_database(path)  # type: ignore[attr-defined]
    window.statusBar().showMessage(f"پشتیبان {moment_label(backup)} بازگردانده شد.", 10_000)
    return True


def open_backups(window: QMainWindow) -> BackupsDialog:
    dialog = BackupsDialog(window)
    dialog.show()
    window.windows.append(dialog)  # type: ignore[attr-defined]
    return dialog
