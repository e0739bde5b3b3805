"""Shortcuts shown one way everywhere: «کنترل+شیفت+Z», the Persian key names of Qt's own
Persian translation (qtbase_fa), so a tooltip says what the menu beside it says."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

# Qt's portable key names → the names qtbase_fa gives them.
PERSIAN_KEYS = {
    "Ctrl": "کنترل", "Shift": "شیفت", "Alt": "دگرساز", "Meta": "متا",
    "Up": "بالا", "Down": "پایین", "Left": "چپ", "Right": "راست",
    "Home": "خانه", "End": "پایان", "PgUp": "صفحه\u200cبالا", "PgDown": "صفحه\u200cپایین",
    "Ins": "درج", "Del": "حذف", "Return": "بازگشت", "Enter": "ورود",
}


def key_text(sequence: QKeySequence | QKeySequence.StandardKey | str) -> str:
    """One key sequence in Persian: «کنترل+Z», «درج», «کنترل+بالا»."""
    portable = QKeySequence(sequence).toString(QKeySequence.SequenceFormat.PortableText)
    chords = []
    for chord in portable.split(", "):
        keys = [*chord[:-1].split("+"), "+"] if chord.endswith("++") or chord == "+" else chord.split("+")
        chords.append("+".join(PERSIAN_KEYS.get(key, key) for key in keys if key))
    return "، ".join(chords)


def action_keys(action: QAction) -> str:
    """All shortcuts of ``action`` in Persian, joined by «یا»; '' when it has none."""
    return " یا ".join(key_text(s) for s in action.shortcuts() if not s.isEmpty())


def plain_text(action: QAction) -> str:
    """The action's text without its mnemonic marker (&&: a literal &)."""
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


DISABLED_REASON = "offReason"  # an action property: while the action is disabled, its tooltip says why


def tooltip_for(action: QAction) -> str:
    reason = action.property(DISABLED_REASON)
    if reason and not action.isEnabled():  # a disabled action says why instead (no plan open…)
        return str(reason)
    keys = action_keys(action)
    return f"{plain_text(action)} ({keys})" if keys else plain_text(action)


def name_shortcuts(actions: list[QAction]) -> None:
    """Give every action a tooltip naming its shortcut, kept right when its text changes
    (the undo/redo texts, «افزودن پروژه»)."""
    for action in actions:
        _refresh(action)
        action.changed.connect(lambda a=action: _refresh(a))


def _refresh(action: QAction) -> None:
    try:
        if action.property("_plain_tooltip") is not None:
            return  # greyed by planner_gui.read_only: the tooltip says why, until it is given back
        tip = tooltip_for(action)
    except RuntimeError:  # the action is being destroyed with its window
        return
    if action.toolTip() != tip:  # setToolTip emits changed again: only when it differs
        action.setToolTip(tip)


def standard_keys(key: QKeySequence.StandardKey) -> str:
    """A standard shortcut (Undo, Save, Find…) in Persian, as the menus show it."""
    return key_text(QKeySequence(key))


def undo_keys() -> str:
    return standard_keys(QKeySequence.StandardKey.Undo)
