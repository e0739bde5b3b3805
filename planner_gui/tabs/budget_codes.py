"""A searchable budget-code picker: type part of a code or title in any spelling or digit script.

Search compares ``planner_core.text.fold`` keys, so Arabic or Persian yeh and kaf, ZWNJ or space and
Persian/Arabic/Latin digits do not matter: «301», «۳۰۱» and «حمل و نقل» all find
«۳۰۱ — حمل‌ونقل عمومی».
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from planner_core.budget import BudgetCodeInfo
from planner_core.text import fold, to_persian_digits

CODE_ROLE = Qt.ItemDataRole.UserRole + 20
FOLD_ROLE = Qt.ItemDataRole.UserRole + 21

Index = QModelIndex | QPersistentModelIndex


def code_label(code: str, title: str) -> str:
    return f"{to_persian_digits(code)} — {title}"


class BudgetCodeModel(QAbstractListModel):
    """The budget codes as ``budget.list_budget_codes`` returns them."""

    def __init__(self, codes: list[BudgetCodeInfo] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.codes: list[BudgetCodeInfo] = list(codes or [])
        self._keys = [fold(f"{c.code} {c.title}") for c in self.codes]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.codes)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        code = self.codes[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return code_label(code.code, code.title)
        if role == Qt.ItemDataRole.ToolTipRole:
            parent = f"\nزیر کد {to_persian_digits(code.parent_code)}" if code.parent_code else ""
            return code_label(code.code, code.title) + parent
        if role == CODE_ROLE:
            return code.code
        if role == FOLD_ROLE:
            return self._keys[index.row()]
        return None

    def row_of(self, code: str) -> int:
        key = fold(code)
        return next((i for i, c in enumerate(self.codes) if fold(c.code) == key), -1)


class FoldFilterProxy(QSortFilterProxyModel):
    """Keeps the rows whose fold key contains every word typed (folded the same way)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._words = [w for w in (fold(part) for part in text.replace("—", " ").split()) if w]
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._words:
            return True
        key = self.sourceModel().index(source_row, 0, source_parent).data(FOLD_ROLE) or ""
        return all(word in key for word in self._words)


class BudgetCodeCombo(QComboBox):
    """An editable combo over the budget codes with a fold-matching completer popup."""

    def __init__(self, codes: list[BudgetCodeInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("budgetCodeCombo")
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        self.codes = BudgetCodeModel(codes, self)
        self.setModel(self.codes)
        self.proxy = FoldFilterProxy(self)
        self.proxy.setSourceModel(self.codes)
        completer = QCompleter(self.proxy, self)
        # The proxy does the filtering (by fold key); the completer only shows what is left.
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        completer.activated[str].connect(self._chosen)
        self.lineEdit().textEdited.connect(self._search)
        self.lineEdit().setPlaceholderText("کد یا عنوان را بنویسید…")
        self.setCurrentIndex(-1)

    def _search(self, text: str) -> None:
        self.proxy.set_search(text)
        if self.proxy.rowCount() and text.strip():
            self.completer().complete()

    def _chosen(self, text: str) -> None:
        row = self.findText(text, Qt.MatchFlag.MatchExactly)
        if row >= 0:
            self.setCurrentIndex(row)

    def search(self, text: str) -> list[str]:
        """Codes the popup would offer for ``text`` (for tests and keyboard users)."""
        self.proxy.set_search(text)
        return [self.proxy.index(r, 0).data(CODE_ROLE) for r in range(self.proxy.rowCount())]

    def set_code(self, code: str | None) -> None:
        row = self.codes.row_of(code) if code else -1
        self.setCurrentIndex(row)
        if row < 0:
            self.setEditText("")

    def code(self) -> str:
        """The chosen code; what was typed when it names no listed code (the service then says so)."""
        text = self.currentText().strip()
        row = self.currentIndex()
        if row >= 0 and text == self.itemText(row):
            return str(self.itemData(row, CODE_ROLE))
        exact = self.codes.row_of(text)
        if exact >= 0:
            return self.codes.codes[exact].code
        matches = self.search(text) if text else []
        if len(matches) == 1:
            return matches[0]
        return text
