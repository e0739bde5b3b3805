"""The booklet before it is saved or printed: QtPdf's QPdfView over the PDF just built into a
temporary file, with «ذخیره…» (copy it to the chosen path) and «چاپ…» (straight to a printer).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from planner_core.text import format_int, ltr
from planner_gui import window_fit
from planner_gui.common import MessageLabel

PRINT_DPI = 300  # pages are rendered as images at this resolution for the printer


class BookletPreview(QDialog):
    def __init__(self, pdf: Path, save_to: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bookletPreview")
        self.setWindowTitle("پیش‌نمایش دفترچه برنامه")
        self.pdf = pdf
        self.save_to = save_to
        self.saved: Path | None = None
        self.document = QPdfDocument(self)
        error = self.document.load(str(pdf))
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pages_label = QLabel()
        self.pages_label.setObjectName("previewPages")
        self.message = MessageLabel()
        self.save_button = QPushButton("ذخیره…")
        self.save_button.setObjectName("previewSave")
        self.save_button.setToolTip("ذخیره همین دفترچه در پرونده PDF")
        self.save_button.clicked.connect(lambda: self.save_dialog())
        self.print_button = QPushButton("چاپ…")
        self.print_button.setObjectName("previewPrint")
        self.print_button.setToolTip("چاپ مستقیم دفترچه با چاپگر")
        self.print_button.clicked.connect(lambda: self.print_dialog())
        close = QPushButton("بستن")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.pages_label)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        window_fit.place(self, (900, 1000))
        if error != QPdfDocument.Error.None_:
            self.message.show_error("پرونده پیش‌نمایش خوانده نشد؛ دفترچه را دوباره بسازید.")
            self.save_button.setEnabled(False)
            self.print_button.setEnabled(False)
        self.pages_label.setText(f"{format_int(self.document.pageCount())} صفحه")

    # saving --------------------------------------------------------------------------------
    def save_dialog(self) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, "ذخیره دفترچه", str(self.save_to or ""), "PDF (*.pdf)")
        return self.save(Path(name)) if name else None

    def save(self, target: Path) -> Path | None:
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            shutil.copyfile(self.pdf, target)
        except PermissionError:
            self.message.show_error(f"اجازه نوشتن «{ltr(target)}» نیست (شاید در برنامه دیگری باز است)؛ "
                                    "آن را ببندید یا نام دیگری برگزینید.")
            return None
        except OSError:
            self.message.show_error(f"دفترچه در «{ltr(target)}» ذخیره نشد؛ پوشه و جای خالی دیسک را بررسی کنید.")
            return None
        self.saved = target
        self.message.show_note(f"دفترچه ذخیره شد: {ltr(target)}")
        return target

    # printing ------------------------------------------------------------------------------
    def print_dialog(self) -> int:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("چاپ دفترچه")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
        return self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Every page (or the chosen range) on ``printer``, each scaled to the page; returns pages printed."""
        count = self.document.pageCount()
        first, last = printer.fromPage(), printer.toPage()
        pages = range(first - 1, last) if first > 0 and last >= first else range(count)
        printer.setResolution(PRINT_DPI)
        printer.setDocName(self.pdf.stem)
        painter = QPainter()
        if not painter.begin(printer):
            self.message.show_error("چاپگر آماده نیست؛ روشن بودن و اتصال آن را بررسی کنید.")
            return 0
        printed = 0
        try:
            area = printer.pageRect(QPrinter.Unit.DevicePixel)
            for page in pages:
                if page >= count:
                    break
                if printed:
                    printer.newPage()
                size = self.document.pagePointSize(page)
                scale = min(area.width() / size.width(), area.height() / size.height())
                target = QSize(int(size.width() * scale), int(size.height() * scale))
                image = self.document.render(page, target)
                origin = QPointF((area.width() - target.width()) / 2, (area.height() - target.height()) / 2)
                painter.drawImage(QRectF(origin, target.toSizeF()), image)
                printed += 1
        finally:
            painter.end()
        self.message.show_note(f"{format_int(printed)} صفحه به چاپگر فرستاده شد.")
        return printed


def open_preview(pdf: Path, save_to: Path | None, parent: QWidget | None) -> BookletPreview:
    preview = BookletPreview(pdf, save_to, parent)
    preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    preview.open()
    return preview
