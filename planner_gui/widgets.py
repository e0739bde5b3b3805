"""Shared input widgets: numbers in any digit script, money, years, Jalali dates, field errors.

Widgets only read and show; they never decide what is allowed.  A form passes what the user
typed to a planner_core service, and when the service raises ``ValidationError`` the form
shows ``exc.message`` beside the widget named by ``exc.field`` (see :class:`FormWithErrors`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TypeVar

from PySide6.QtCore import QCalendar, QDate, QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtGui import QColor, QTextCharFormat
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from planner_core.errors import PlannerError, ValidationError
from planner_core.text import (
    MONEY_UNIT,
    RIALS_PER_MILLION,
    NumberError,
    format_int,
    format_money,
    format_number,
    parse_decimal,
    parse_int,
    parse_money_million,
)

T = TypeVar("T")

PERSIAN_LOCALE = QLocale(QLocale.Language.Persian, QLocale.Country.Iran)
JALALI = QCalendar(QCalendar.System.Jalali)
ERROR_COLOR = "#b3261e"
DATE_FORMAT = "d MMMM yyyy"  # with the Persian locale and Jalali calendar: «۲۵ شهریور ۱۴۰۴»

__all__ = [
    "DATE_FORMAT",
    "JALALI",
    "PERSIAN_LOCALE",
    "FieldError",
    "FormWithErrors",
    "JalaliDateEdit",
    "MoneyEdit",
    "NumberEdit",
    "YearEdit",
]


# --- numbers ---------------------------------------------------------------------------------

class NumberEdit(QLineEdit):
    """A number typed with Latin, Persian or Arabic-Indic digits, ٬ or , grouping, ٫ or . point.

    After editing, a readable number is shown again in Persian digits with ٬ grouping.
    ``value()`` never raises: it returns None for empty or unreadable text, and ``error()``
    then holds the Persian reason.  Forms should still send ``text()`` to the service, which
    parses the same way and names the field in its message.
    """

    value_edited = Signal()  # the user finished editing (focus out or Enter)

    def __init__(self, parent: QWidget | None = None, *, decimals: int = 2, integer: bool = False,
                 grouping: bool = True) -> None:
        super().__init__(parent)
        self._decimals = 0 if integer else decimals
        self._integer = integer
        self._grouping = grouping
        self._error = ""
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
        self.editingFinished.connect(self._reformat)

    # reading -----------------------------------------------------------------------------
    def _parse(self, text: str) -> Decimal:
        return Decimal(parse_int(text)) if self._integer else parse_decimal(text)

    def _read(self, parse: Callable[[str], T]) -> T | None:
        """``parse`` of the text; None when empty or unreadable, with the reason kept for ``error()``."""
        text = self.text().strip()
        self._error = ""
        if not text:
            return None
        try:
            return parse(text)
        except NumberError as exc:
            self._error = str(exc)
            return None

    def value(self) -> Decimal | None:
        return self._read(self._parse)

    def error(self) -> str:
        """Why the current text is not a number ('' when it is, or when it is empty)."""
        self.value()
        return self._error

    def is_empty(self) -> bool:
        return not self.text().strip()

    # showing -----------------------------------------------------------------------------
    def format_value(self, number: Decimal | int | float) -> str:
        if not self._grouping and self._integer:
            return format_int(int(number)).replace("\u066c", "")
        if self._integer:
            return format_int(int(number))
        return format_number(Decimal(str(number)), self._decimals)

    def setValue(self, number: Decimal | int | float | None) -> None:
        self._error = ""
        self.setText("" if number is None else self.format_value(number))

    def _reformat(self) -> None:
        number = self.value()
        if number is not None:
            shown = self.format_value(number)
            if shown != self.text():
                self.setText(shown)
        self.value_edited.emit()


class YearEdit(NumberEdit):
    """A Jalali year (۱۴۰۳) in any digit script, shown without grouping."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, integer=True, grouping=False)
        self.setMaxLength(8)
        self.setPlaceholderText("۱۴۰۳")

    def year(self) -> int | None:
        number = self.value()
        return int(number) if number is not None else None

    def setYear(self, year: int | None) -> None:
        self.setValue(year)


class MoneyEdit(NumberEdit):
    """Money typed and shown in million rials, with the unit «میلیون ریال» inside the field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, decimals=2)
        # The unit is the label below; a placeholder saying it too showed «میلیون ریال» twice.
        self.setPlaceholderText("مثلاً ۱۲٬۵۰۰")
        self._unit = QLabel(MONEY_UNIT, self)
        self._unit.setObjectName("moneyUnit")
        self._unit.setStyleSheet("color: palette(placeholder-text); background: transparent;")
        self._unit.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._place_unit()

    def unit_text(self) -> str:
        return self._unit.text()

    def _place_unit(self) -> None:
        hint = self._unit.sizeHint()
        margin = hint.width() + 10
        # The unit sits at the end of the reading line: the left edge in right-to-left.
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        self.setTextMargins(margin if rtl else 0, 0, 0 if rtl else margin, 0)
        y = (self.height() - hint.height()) // 2
        x = 6 if rtl else self.width() - hint.width() - 6
        self._unit.setGeometry(x, y, hint.width(), hint.height())

    def resizeEvent(self, event: QEvent) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._place_unit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LayoutDirectionChange:
            self._place_unit()

    def rials(self) -> int | None:
        """The amount in whole rials, or None when empty or unreadable (see ``error()``)."""
        return self._read(parse_money_million)

    def setRials(self, rials: int | None) -> None:
        self._error = ""
        self.setText("" if rials is None else format_money(rials))

    def format_value(self, number: Decimal | int | float) -> str:
        return format_money(int(Decimal(str(number)) * RIALS_PER_MILLION))


# --- dates -----------------------------------------------------------------------------------

class _PopupFiller(QObject):
    """When an empty date's calendar opens, show today's month instead of the sentinel."""

    def __init__(self, edit: JalaliDateEdit) -> None:
        super().__init__(edit)
        self._edit = edit

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self._edit.date_value() is None:
            today = QDate.currentDate()
            calendar = self._edit.calendarWidget()
            calendar.setCurrentPage(today.year(JALALI), today.month(JALALI))
        return False


class JalaliDateEdit(QDateEdit):
    """A date in Qt's Jalali calendar, Persian locale: «۲۵ شهریور ۱۴۰۴».

    The popup week starts on Saturday and shows Friday as the weekend.  With ``optional``
    the field may be empty: the empty state is the minimum date, shown as «—».
    """

    EMPTY_TEXT = "—"

    def __init__(self, parent: QWidget | None = None, *, optional: bool = True) -> None:
        super().__init__(parent)
        self._optional = optional
        self.setCalendar(JALALI)
        self.setLocale(PERSIAN_LOCALE)
        self._apply_format()
        self.setCalendarPopup(True)
        # Leading: the reading start, i.e. the right edge in right-to-left.
        self.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        # 1300/01/01 is the sentinel for "no date"; real plan dates are far later.
        self._empty = QDate(1300, 1, 1, JALALI)
        self.setMinimumDate(self._empty)
        self.setMaximumDate(QDate(1500, 12, 29, JALALI))
        if optional:
            self.setSpecialValueText(self.EMPTY_TEXT)
        calendar = self.calendarWidget()
        calendar.setLocale(PERSIAN_LOCALE)
        calendar.setFirstDayOfWeek(Qt.DayOfWeek.Saturday)
        weekend = QTextCharFormat()
        weekend.setForeground(QColor(ERROR_COLOR))
        calendar.setWeekdayTextFormat(Qt.DayOfWeek.Friday, weekend)
        workday = QTextCharFormat()
        workday.setForeground(self.palette().text().color())
        calendar.setWeekdayTextFormat(Qt.DayOfWeek.Saturday, workday)
        calendar.setWeekdayTextFormat(Qt.DayOfWeek.Sunday, workday)
        calendar.setGridVisible(True)
        calendar.installEventFilter(_PopupFiller(self))
        if optional:
            self.setDate(self._empty)
        else:
            self.setDate(QDate.currentDate())

    def _apply_format(self) -> None:
        # QDateTimeEdit reverses the order of sections when right-to-left (meant for
        # "dd/MM/yyyy" shown left-to-right); give it the reversed format so the text keeps
        # the logical Persian order «۲۵ شهریور ۱۴۰۴».
        sections = DATE_FORMAT.split(" ")
        self.setDisplayFormat(" ".join(reversed(sections)) if self.isRightToLeft() else DATE_FORMAT)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LayoutDirectionChange:
            current = self.date()
            self._apply_format()
            self.setDate(current)

    def date_value(self) -> date | None:
        current = self.date()
        if self._optional and current == self._empty:
            return None
        return date(current.year(), current.month(), current.day())  # QDate's own y/m/d are Gregorian

    def set_date_value(self, value: date | None) -> None:
        if value is None:
            self.setDate(self._empty if self._optional else QDate.currentDate())
        else:
            self.setDate(QDate(value.year, value.month, value.day))

    def clear_date(self) -> None:
        self.set_date_value(None)

    def keyPressEvent(self, event) -> None:
        # One Tab stop for the whole date: Tab leaves the field instead of walking its
        # day/month/year sections (and an empty «—» date no longer swallows Tab).
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not event.modifiers() & ~(
                Qt.KeyboardModifier.ShiftModifier):
            forward = event.key() == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            QWidget.focusNextPrevChild(self, forward)
            event.accept()
            return
        # Delete/Backspace on a whole selection empties an optional date.
        if self._optional and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) \
                and self.lineEdit().selectedText() == self.lineEdit().text():
            self.clear_date()
            return
        super().keyPressEvent(event)


# --- errors beside fields --------------------------------------------------------------------

class FieldError(QLabel):
    """Red Persian text under a field; hidden while there is nothing to say."""

    shown = Signal(str)  # an error appeared: a window clears its stale success line

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {ERROR_COLOR};")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_error(self, message: str) -> None:
        self.setText(message)
        self.setVisible(bool(message))
        if message:
            self.shown.emit(message)

    def clear_error(self) -> None:
        self.clear()
        self.hide()


class FormWithErrors(QObject):
    """A QFormLayout whose rows each carry a FieldError, found by service field names.

    ``add_row("عنوان", edit, "title")`` puts ``edit`` with an error label under it; a
    ``ValidationError(field="title")`` then shows beside it.  Errors for fields the form
    does not show go to the general error label at the bottom.
    """

    def __init__(self, layout: QFormLayout | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.layout = layout or QFormLayout()
        self.layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        self._errors: dict[str, FieldError] = {}
        self._widgets: dict[str, QWidget] = {}
        self._rows: dict[str, QWidget] = {}
        self._order: list[QWidget] = []  # the field widgets top to bottom, for the Tab order
        self.general = FieldError()
        self.general.setObjectName("formError")

    def add_row(self, label: str, widget: QWidget, *fields: str) -> FieldError:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = FieldError(box)
        column.addWidget(error)
        caption = QLabel(label)
        caption.setBuddy(widget)
        self.layout.addRow(caption, box)
        self._order.append(widget)
        for name in fields:
            self._errors[name] = error
            self._widgets[name] = widget
            self._rows[name] = box
        return error

    def add_general_row(self) -> None:
        self.layout.addRow(self.general)

    def set_row_visible(self, field: str, visible: bool) -> None:
        box = self._rows.get(field)
        if box is not None:
            self.layout.setRowVisible(box, visible)

    def field_widgets(self) -> list[QWidget]:
        """The field widgets, top to bottom."""
        return list(self._order)

    def fields(self) -> list[str]:
        """The service field names of the rows, top to bottom."""
        return list(self._widgets)

    def set_tab_order(self, *after: QWidget) -> None:
        """Tab walks the fields top to bottom, then ``after`` (the buttons), whatever the creation order."""
        chain = [w for w in self._order] + [w for w in after if w is not None]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def clear_error(self, field: str) -> None:
        error = self._errors.get(field)
        if error is not None:
            error.clear_error()

    def error_label(self, field: str) -> FieldError | None:
        return self._errors.get(field)

    def widget(self, field: str) -> QWidget | None:
        return self._widgets.get(field)

    def clear_errors(self) -> None:
        for error in {id(e): e for e in self._errors.values()}.values():
            error.clear_error()
        self.general.clear_error()

    def show_message(self, field: str | None, message: str, focus: bool = True) -> bool:
        """Show ``message`` beside ``field``; True if the form has that field."""
        error = self._errors.get(field or "")
        if error is None:
            self.general.show_error(message)
            return False
        error.show_error(message)
        if focus:
            widget = self._widgets[field or ""]
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def show_exception(self, exc: PlannerError, focus: bool = True) -> bool:
        """Show a service error: beside its field for ValidationError, else at the bottom."""
        if isinstance(exc, ValidationError):
            return self.show_message(exc.field, exc.message, focus)
        self.general.show_error(str(exc))
        return False

    def visible_errors(self) -> dict[str, str]:
        """Field name → shown message, for tests and screenshots."""
        return {name: e.text() for name, e in self._errors.items() if not e.isHidden() and e.text()}
