"""Dialogs and the ceiling delegate of the budget window.

Dialogs collect what the user typed and hand it to a callback that calls a service (through an
undo command where one exists); a refusal comes back as a PlannerError and is shown beside its
field, and the dialog stays open.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from planner_core.budget import BudgetCodeInfo
from planner_core.levels import AMENDMENT_KIND_LABELS, AMENDMENT_KINDS
from planner_core.text import to_persian_digits
from planner_gui.common import FormDialog, Submit
from planner_gui.widgets import JalaliDateEdit, MoneyEdit

AnyIndex = QModelIndex | QPersistentModelIndex


class MoneyDelegate(QStyledItemDelegate):
    """Edits a money cell with a MoneyEdit (million rials, any digit script)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:
        editor = MoneyEdit(parent)
        editor.setObjectName("ceilingEditor")
        return editor

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, MoneyEdit)
        editor.setRials(index.data(Qt.ItemDataRole.EditRole))
        editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        assert isinstance(editor, MoneyEdit)
        # The text as typed: the service parses it (million rials) and names the field when it cannot.
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class CodeDialog(FormDialog):
    """Add a budget code (code, title, parent) or edit a code's title."""

    def __init__(self, codes: list[BudgetCodeInfo], submit: Submit, parent: QWidget | None = None, *,
                 editing: BudgetCodeInfo | None = None, parent_code: str | None = None) -> None:
        super().__init__("ویرایش کد بودجه" if editing else "کد بودجه تازه", submit,
                         parent, ok_text="ثبت", min_width=460)
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("code")
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("title")
        self.parent_combo = QComboBox()
        self.parent_combo.setObjectName("parent")
        self.parent_combo.addItem("— بدون والد (ردیف اصلی) —", None)
        for code in codes:
            self.parent_combo.addItem(f"{to_persian_digits(code.code)} {code.title}", code.code)
        self.form.add_row("کد:", self.code_edit, "budget_code", "code")
        self.form.add_row("عنوان:", self.title_edit, "title")
        self.form.add_row("کد والد:", self.parent_combo, "parent")
        if editing is not None:
            self.code_edit.setText(to_persian_digits(editing.code))
            self.code_edit.setReadOnly(True)
            self.title_edit.setText(editing.title)
            self.parent_combo.setCurrentIndex(max(0, self.parent_combo.findData(editing.parent_code)))
            self.parent_combo.setEnabled(False)
            self.title_edit.setFocus()
        elif parent_code:
            self.parent_combo.setCurrentIndex(max(0, self.parent_combo.findData(parent_code)))
        self.finish_layout()

    def values(self) -> dict[str, object]:
        return {"code": self.code_edit.text(), "title": self.title_edit.text(),
                "parent_code": self.parent_combo.currentData()}


class AmendmentDialog(FormDialog):
    """Record a supplement or amendment (متمم/اصلاحیه) to one code's line: date, reason, ± amount."""

    INCREASE, DECREASE = 0, 1

    def __init__(self, code: str, title: str, year: int, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(f"متمم یا اصلاحیه بودجه {to_persian_digits(year)}", submit,
                         parent, ok_text="ثبت", min_width=460)
        self.target = QLineEdit(f"{to_persian_digits(code)} {title}")
        self.target.setReadOnly(True)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kind")
        for kind in AMENDMENT_KINDS:
            self.kind_combo.addItem(AMENDMENT_KIND_LABELS[kind], kind)
        self.date_edit = JalaliDateEdit(optional=False)
        self.date_edit.setObjectName("date")
        self.sign_combo = QComboBox()
        self.sign_combo.setObjectName("sign")
        self.sign_combo.addItems(["افزایش سقف", "کاهش سقف"])
        self.amount_edit = MoneyEdit()
        self.amount_edit.setObjectName("delta")
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setObjectName("reason")
        self.reason_edit.setFixedHeight(70)
        self.form.add_row("کد بودجه:", self.target, "budget_code")
        self.form.add_row("نوع:", self.kind_combo, "kind")
        self.form.add_row("تاریخ:", self.date_edit, "date")
        self.form.add_row("جهت تغییر:", self.sign_combo)
        self.form.add_row("مبلغ تغییر:", self.amount_edit, "delta")
        self.form.add_row("دلیل:", self.reason_edit, "reason")
        self.finish_layout()

    def values(self) -> dict[str, object]:
        amount = self.amount_edit.text().strip()
        if amount and self.sign_combo.currentIndex() == self.DECREASE:
            amount = "-" + amount
        return {"kind": self.kind_combo.currentData(), "when": self.date_edit.date_value(), "delta": amount,
                "reason": self.reason_edit.toPlainText()}
