"""The banner above the tree: read-only and why, risky places, and for a damaged file what to do."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QSizePolicy, QWidget

from db.engine import Database
from planner_core.errors import PlannerError
from planner_core.safety import opening
from planner_core.text import ltr, to_persian_digits

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

APP_TITLE = "برنامه‌نگار"


class Banner(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("safetyBanner")
        self.setStyleSheet("#safetyBanner { background: #fff4d6; } QLabel { color: #5a3b00; padding: 4px; }")
        self.text = QLabel()
        self.text.setObjectName("safetyBannerText")
        self.text.setWordWrap(True)
        # A word-wrapped label asks for a narrow, tall box; let it take the bar's width instead.
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.text.setMinimumWidth(600)
        self.restore_button = QPushButton("بازگرداندن آخرین پشتیبان سالم")
        self.restore_button.setObjectName("restoreLatestButton")
        self.salvage_button = QPushButton("ذخیره بخش‌های خواندنی در فایل تازه…")
        self.salvage_button.setObjectName("salvageButton")
        self.retry_button = QPushButton("باز کردن دوباره برای ویرایش")
        self.retry_button.setObjectName("retryEditingButton")
        self.retry_button.setToolTip("اگر برنامه دیگر بسته شده یا قفل رهاشده است، فایل برای ویرایش باز می‌شود "
                                     "(قفل رهاشده گرفته می‌شود)؛ وگرنه همچنان فقط برای خواندن می‌ماند.")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.restore_button)
        layout.addWidget(self.salvage_button)
        layout.addWidget(self.retry_button)
        self.window_: QMainWindow | None = None
        self.restore_button.clicked.connect(self.restore_latest)
        self.salvage_button.clicked.connect(self.salvage)
        self.retry_button.clicked.connect(self.retry)

    def show_store(self, db: Database, window: QMainWindow) -> None:
        self.window_ = window
        self.text.setText("\n".join(db.notices))
        damaged = db.read_only_reason == "damaged"
        self.restore_button.setVisible(damaged)
        self.salvage_button.setVisible(damaged)
        self.retry_button.setVisible(db.read_only_reason == "locked")

    def retry(self) -> bool:
        """Open the file again for editing: a lock its holder left (crash, closed) is taken over."""
        path, window = self._path(), self.window_
        if path is None or window is None:
            return False
        window.open_database(path)  # type: ignore[attr-defined]
        if window.ctx.db.read_only:  # type: ignore[attr-defined]
            window.statusBar().showMessage("فایل هنوز در دست برنامه دیگری است؛ فقط برای خواندن ماند.", 10_000)
            return False
        return True

    def _path(self) -> Path | None:
        return getattr(self.window_, "path", None)

    def restore_latest(self) -> bool:
        path, window = self._path(), self.window_
        if path is None or window is None:
            return False
        backup = opening.latest_good_backup(path)
        if backup is None:
            QMessageBox.warning(window, APP_TITLE, "پشتیبان سالمی از این فایل پیدا نشد.")
            return False
        from planner_gui.safety.backups_window import restore_into_window

        return restore_into_window(window, backup)

    def salvage(self, _checked: bool = False, target: Path | None = None) -> Path | None:
        path, window = self._path(), self.window_
        if path is None or window is None:
            return None
        if target is None:
            name, _ = QFileDialog.getSaveFileName(window, "ذخیره بخش‌های خواندنی", str(path.with_name(
                f"{path.stem}-بازیابی.db")), "فایل برنامه‌نگار (*.db)")
            if not name:
                return None
            target = Path(name)
        try:
            copied = opening.salvage(path, target)
        except PlannerError as exc:
            QMessageBox.warning(window, APP_TITLE, str(exc))
            return None
        rows = sum(copied.values())
        QMessageBox.information(window, APP_TITLE, f"{to_persian_digits(rows)} ردیف خواندنی در «{ltr(target)}» "
                                "ذخیره شد و این فایل اکنون باز می‌شود.")
        window.open_database(target)  # type: ignore[attr-defined]
        return target
