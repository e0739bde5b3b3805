"""The shape of a plan document checked before anything is written (docs/dump-format.md).

A document comes from another municipality's file, another tool or a careless edit.  Before
the importer touches the store, :func:`check_document` walks it once and refuses, naming the
place in the document, what the importer could only fail on half-way or store as garbage:
a list where an object belongs, a number where text belongs, a lone surrogate, a string or
a number far beyond anything real, an id used twice, two siblings with the same code, two
targets for one year.  Values themselves (years, dates, choices) are still the field
cleaners' business; unknown keys are allowed (fields may be added to the format).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from planner_core.errors import ValidationError
from planner_core.levels import CHILDREN_KEY
from planner_core.text import ltr, normalize_code, shown, to_persian_digits

MAX_STRING = 50_000  # the longest field the store keeps is 20,000 characters
MAX_INTEGER = 10**18  # money in rials fits SQLite's 64-bit integers with room to sum
MAX_ID = 100
MAX_DEPTH = 40  # plan → axis → goal → strategy → program → project is a dozen containers deep

TEXT, CODE, NUMBER, ID, PERIOD = "text", "code", "number", "id", "period"

MUNICIPALITY: dict[str, Any] = {"id": ID, "name": TEXT, "province": TEXT}
LESSON: dict[str, Any] = {"id": ID, "title": TEXT, "body": TEXT, "recorded_on": TEXT,
                          "source_municipality": MUNICIPALITY}
INDICATOR: dict[str, Any] = {
    "id": ID, "code": CODE, "title": TEXT, "kind": TEXT, "unit": TEXT, "direction": TEXT,
    "baseline": {"year": NUMBER, "value": NUMBER}, "definition": TEXT, "data_source": TEXT,
    "frequency": TEXT, "weight": NUMBER,
    "targets": [{"year": NUMBER, "value": NUMBER}],
    "actuals": [{"year": NUMBER, "period": PERIOD, "value": NUMBER, "note": TEXT}],
}
NODE: dict[str, Any] = {
    "id": ID, "kind": TEXT, "code": CODE, "full_code": TEXT, "title": TEXT, "description": TEXT,
    "responsible_unit": CODE, "order": NUMBER, "indicators": [INDICATOR], "lessons": [LESSON],
    "first_year": NUMBER, "last_year": NUMBER, "start_date": TEXT, "end_date": TEXT, "location": TEXT,
    "weight": NUMBER, "state": TEXT,
    "allocations": [{"id": ID, "year": NUMBER, "budget_code": CODE, "amount": NUMBER, "spent": NUMBER}],
    "progress_reports": [{"id": ID, "year": NUMBER, "quarter": NUMBER, "physical_progress": NUMBER,
                          "spent": NUMBER, "narrative": TEXT, "corrective_action": TEXT, "reported_on": TEXT}],
}
for _children in CHILDREN_KEY.values():
    NODE[_children] = [NODE]
PLAN: dict[str, Any] = {
    "id": ID, "code": CODE, "title": TEXT, "first_year": NUMBER, "last_year": NUMBER, "vision": TEXT,
    "mission": TEXT, "status": TEXT, "thresholds": {"on_track": NUMBER, "at_risk": NUMBER},
    "source_municipality": MUNICIPALITY, "lessons": [LESSON], "axes": [NODE],
}
DOCUMENT: dict[str, Any] = {
    "format": TEXT, "version": NUMBER, "exported_at": TEXT, "municipality": MUNICIPALITY,
    "org_units": [{"id": ID, "code": CODE, "name": TEXT, "kind": TEXT, "parent": CODE}],
    "budget_codes": [{"id": ID, "code": CODE, "title": TEXT, "parent": CODE, "level": NUMBER}],
    "annual_budgets": [{
        "id": ID, "year": NUMBER, "title": TEXT, "approved_on": TEXT,
        "lines": [{"budget_code": CODE, "ceiling": NUMBER}],
        "amendments": [{"id": ID, "budget_code": CODE, "date": TEXT, "kind": TEXT, "delta": NUMBER,
                        "reason": TEXT}],
    }],
    "plans": [PLAN],
}

_KIND_NAMES = {TEXT: "متن", CODE: "کد (متن یا عدد)", NUMBER: "عدد", ID: "شناسه (متن)", PERIOD: "دوره"}


def _problem(path: str, message: str) -> ValidationError:
    return ValidationError("document", f"سند برنامه، {ltr(path or 'ریشه')}: {message}")


def _scalar(path: str, kind: str, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, str):
        limit = MAX_STRING if kind == TEXT else MAX_ID if kind == ID else 1000
        if len(value) > limit:
            raise _problem(path, f"متن {to_persian_digits(len(value))} نویسه‌ای بیش از اندازه بلند است.")
        _check_surrogates(path, value)
        if kind == ID and not value.strip():
            raise _problem(path, "شناسه (id) نباید خالی باشد.")
        return
    if isinstance(value, bool) or kind in (TEXT, ID) or not isinstance(value, int | float):
        raise _problem(path, f"باید {_KIND_NAMES[kind]} باشد، نه «{shown(value)}».")
    if isinstance(value, float) and not math.isfinite(value):
        raise _problem(path, f"«{value}» عدد نیست.")
    if abs(value) > MAX_INTEGER:
        raise _problem(path, f"عدد «{shown(value)}» بیش از اندازه بزرگ است.")


def _check_surrogates(path: str, value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise _problem(path, "متن نویسه نامعتبر (نیمه یک جفت جانشین یونی‌کد) دارد.") from exc


def _walk(path: str, spec: Any, value: Any, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise _problem(path, "تودرتویی سند بیش از اندازه عمیق است.")
    if isinstance(spec, str):
        _scalar(path, spec, value)
    elif isinstance(spec, list):
        if not isinstance(value, list):
            raise _problem(path, f"باید فهرست باشد، نه «{shown(value)}».")
        for index, item in enumerate(value):
            _walk(f"{path}[{index}]", spec[0], item, depth + 1)
    elif value is not None:  # an object; null is "none" (a baseline, a source municipality)
        if not isinstance(value, dict):
            raise _problem(path, f"باید شیء (object) باشد، نه «{shown(value)}».")
        for key, item in value.items():
            if not isinstance(key, str):
                raise _problem(path, f"کلید «{shown(key)}» متن نیست.")
            _check_surrogates(f"{path}.{shown(key)}", key)
            inner = spec.get(key)
            if inner is not None:
                if isinstance(inner, list) and item is None:
                    raise _problem(f"{path}.{key}", "باید فهرست باشد، نه null.")
                _walk(f"{path}.{key}" if path else key, inner, item, depth + 1)
            else:
                _unknown(f"{path}.{key}" if path else key, item)


def _unknown(path: str, value: Any) -> None:
    """A key this version does not know: kept out of the store, but it must not be a trap either."""
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            if len(item) > MAX_STRING:
                raise _problem(where, "متن بیش از اندازه بلند است.")
        elif isinstance(item, dict):
            stack.extend((f"{where}.{shown(k)}", v) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((f"{where}[{i}]", v) for i, v in enumerate(item))


def _nodes(path: str, node: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    yield path, node
    for key in CHILDREN_KEY.values():
        for index, child in enumerate(node.get(key) or []):
            yield from _nodes(f"{path}.{key}[{index}]", child)


def _unique(seen: dict[Any, str], key: Any, path: str, what: str) -> None:
    if key in seen:
        raise _problem(path, f"{what} پیش‌تر در {ltr(seen[key])} آمده است.")
    seen[key] = path


def _code(value: Any) -> str:
    return normalize_code(str(value)) if value is not None else ""


def check_document(doc: Any) -> None:
    """Raise ValidationError (field ``document``) naming the first place where ``doc`` cannot be
    a plan document, before the importer writes anything."""
    if not isinstance(doc, dict):
        raise _problem("", "سند برنامه باید یک شیء JSON باشد.")
    _walk("", DOCUMENT, doc)
    ids: dict[tuple[str, str], str] = {}

    def entity(kind: str, path: str, item: dict[str, Any]) -> None:
        if item.get("id") is not None:
            _unique(ids, (kind, item["id"]), f"{path}.id", f"شناسه «{shown(item['id'])}»")

    for index, unit in enumerate(doc.get("org_units", [])):
        entity("org_unit", f"org_units[{index}]", unit)
    for index, code in enumerate(doc.get("budget_codes", [])):
        entity("budget_code", f"budget_codes[{index}]", code)
    for index, annual in enumerate(doc.get("annual_budgets", [])):
        path = f"annual_budgets[{index}]"
        entity("annual_budget", path, annual)
        lines: dict[Any, str] = {}
        for number, line in enumerate(annual.get("lines", [])):
            _unique(lines, _code(line.get("budget_code")), f"{path}.lines[{number}]", "سقف همین کد بودجه")
        for number, amendment in enumerate(annual.get("amendments", [])):
            entity("amendment", f"{path}.amendments[{number}]", amendment)
    for index, plan in enumerate(doc.get("plans", [])):
        path = f"plans[{index}]"
        entity("plan", path, plan)
        for number, lesson in enumerate(plan.get("lessons", [])):
            entity("lesson", f"{path}.lessons[{number}]", lesson)
        siblings: dict[Any, str] = {}
        for number, axis in enumerate(plan.get("axes", [])):
            _unique(siblings, _code(axis.get("code") or number + 1), f"{path}.axes[{number}].code", "کد همین محور")
            for where, node in _nodes(f"{path}.axes[{number}]", axis):
                _check_node(where, node, entity)


def _check_node(path: str, node: dict[str, Any], entity: Any) -> None:
    entity("node", path, node)
    for key in CHILDREN_KEY.values():
        codes: dict[Any, str] = {}
        for number, child in enumerate(node.get(key) or []):
            _unique(codes, _code(child.get("code") or number + 1), f"{path}.{key}[{number}].code",
                    "همین کد در میان هم‌سطح‌ها")
    codes = {}
    for number, indicator in enumerate(node.get("indicators", [])):
        where = f"{path}.indicators[{number}]"
        entity("indicator", where, indicator)
        _unique(codes, _code(indicator.get("code") or number + 1), f"{where}.code", "همین کد شاخص در این گره")
        years: dict[Any, str] = {}
        for index, target in enumerate(indicator.get("targets", [])):
            _unique(years, _code(target.get("year")), f"{where}.targets[{index}]", "هدف همین سال")
        periods: dict[Any, str] = {}
        for index, actual in enumerate(indicator.get("actuals", [])):
            _unique(periods, (_code(actual.get("year")), str(actual.get("period", "annual"))),
                    f"{where}.actuals[{index}]", "مقدار واقعی همین سال و دوره")
    for number, lesson in enumerate(node.get("lessons", [])):
        entity("lesson", f"{path}.lessons[{number}]", lesson)
    keys: dict[Any, str] = {}
    for number, allocation in enumerate(node.get("allocations", [])):
        where = f"{path}.allocations[{number}]"
        entity("allocation", where, allocation)
        _unique(keys, (_code(allocation.get("year")), _code(allocation.get("budget_code"))), where,
                "تخصیص همین سال و کد بودجه")
    quarters: dict[Any, str] = {}
    for number, report in enumerate(node.get("progress_reports", [])):
        where = f"{path}.progress_reports[{number}]"
        entity("report", where, report)
        _unique(quarters, (_code(report.get("year")), _code(report.get("quarter"))), where,
                "گزارش همین سال و فصل")
