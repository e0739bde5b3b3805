"""The indicator form: every field of an indicator, each with its error beside it.

The dialog only collects what was typed; ``submit`` (given by the tab) pushes the undo
command that calls the service and returns the service's error, which the dialog then
shows beside the field the error names.  The kinds offered are those the node's level allows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from planner_core.indicators import IndicatorInfo
from planner_core.levels import (
    ALLOWED_INDICATOR_KINDS,
    DIRECTION_LABELS,
    DIRECTIONS,
    FREQUENCIES,
    FREQUENCY_LABELS,
    INDICATOR_KIND_LABELS,
    LABELS,
)
from planner_core.text import to_persian_digits
from planner_gui.common import FormDialog, Submit
from planner_gui.widgets import NumberEdit, YearEdit


def _combo(keys: tuple[str, ...], labels: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    for key in keys:
        combo.addItem(labels[key], key)
    return combo


class IndicatorDialog(FormDialog):
    def __init__(self, node_kind: str, submit: Submit, indicator: IndicatorInfo | None = None,
                 parent: QWidget | None = None) -> None:
        where = LABELS.get(node_kind, node_kind)
        super().__init__(f"ویرایش شاخص «{indicator.title}»" if indicator else f"شاخص تازه برای {where}", submit,
                         parent, min_width=560)
        self.setObjectName("indicatorDialog")

        self.code = QLineEdit()
        self.code.setPlaceholderText("خودکار")
        self.title_edit = QLineEdit()
        self.kind = _combo(ALLOWED_INDICATOR_KINDS[node_kind], INDICATOR_KIND_LABELS)
        self.unit = QLineEdit()
        self.unit.setPlaceholderText("مثلاً درصد، مترمربع به ازای هر نفر")
        self.direction = _combo(DIRECTIONS, DIRECTION_LABELS)
        self.baseline_year = YearEdit()
        self.baseline_value = NumberEdit(decimals=3)
        self.definition = QPlainTextEdit()
        self.definition.setTabChangesFocus(True)
        self.definition.setFixedHeight(80)
        self.data_source = QLineEdit()
        self.frequency = _combo(FREQUENCIES, FREQUENCY_LABELS)
        self.weight = NumberEdit(decimals=2)
        self.weight.setValue(1)

        self.form.add_row("&کد", self.code, "code")
        self.form.add_row("&عنوان", self.title_edit, "title")
        self.form.add_row("&نوع شاخص", self.kind, "kind")
        self.form.add_row("&واحد سنجش", self.unit, "unit")
        self.form.add_row("&جهت مطلوب", self.direction, "direction")
        self.form.add_row("سال &پایه", self.baseline_year, "baseline_year")
        self.form.add_row("&مقدار پایه", self.baseline_value, "baseline_value")
        self.form.add_row("&تعریف", self.definition, "definition")
        self.form.add_row("&منبع داده", self.data_source, "data_source")
        self.form.add_row("&دوره گزارش", self.frequency, "frequency")
        self.form.add_row("و&زن", self.weight, "weight")
        self.finish_layout()
        if indicator is not None:
            self._fill(indicator)

    def _fill(self, ind: IndicatorInfo) -> None:
        self.code.setText(to_persian_digits(ind.code))
        self.title_edit.setText(ind.title)
        index = self.kind.findData(ind.kind)
        if index < 0:  # a kind the level no longer allows: show it, the service will say why
            self.kind.addItem(INDICATOR_KIND_LABELS.get(ind.kind, ind.kind), ind.kind)
            index = self.kind.count() - 1
        self.kind.setCurrentIndex(index)
        self.unit.setText(ind.unit)
        self.direction.setCurrentIndex(max(0, self.direction.findData(ind.direction)))
        self.baseline_year.setYear(ind.baseline_year)
        self.baseline_value.setValue(ind.baseline_value)
        self.definition.setPlainText(ind.definition)
        self.data_source.setText(ind.data_source)
        self.frequency.setCurrentIndex(max(0, self.frequency.findData(ind.frequency)))
        self.weight.setValue(ind.weight)

    def values(self) -> dict[str, Any]:
        """What was typed, as the indicator services take it (text for the service to read)."""
        values: dict[str, Any] = {
            "title": self.title_edit.text(),
            "kind": self.kind.currentData(),
            "unit": self.unit.text(),
            "direction": self.direction.currentData(),
            "baseline_year": self.baseline_year.text(),
            "baseline_value": self.baseline_value.text(),
            "definition": self.definition.toPlainText(),
            "data_source": self.data_source.text(),
            "frequency": self.frequency.currentData(),
            "weight": self.weight.text(),
        }
        if self.code.text().strip():
            values["code"] = self.code.text()
        return values
