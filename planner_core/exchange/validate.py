"""What a plan document must satisfy beyond its schema, checked before anything is written.

The schema (package.py) checks shapes and types; this checks the document as a whole: every
UUID used once, every reference (parent unit, parent budget code, responsible unit, budget code
of an allocation or a budget line) pointing at something the document holds, no cycles among
parents, years in order.  Errors are PackageError: one Persian + English line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from planner_core.exchange.package import PackageError
from planner_core.levels import CHILDREN_KEY
from planner_core.text import normalize_code, to_persian_digits


def _bad(persian: str, english: str) -> PackageError:
    return PackageError(f"سند برنامه نامعتبر است: {persian}", f"invalid plan document: {english}")


def walk_nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    stack = list(reversed(plan.get("axes", [])))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.get(CHILDREN_KEY.get(node.get("kind", ""), ""), [])))


def _uuids(doc: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Every (uuid, what) in the document; municipalities may repeat (they are references)."""
    for unit in doc.get("org_units", []):
        yield unit["id"], f"واحد {unit.get('code')}"
    for code in doc.get("budget_codes", []):
        yield code["id"], f"کد بودجه {code.get('code')}"
    for budget in doc.get("annual_budgets", []):
        yield budget["id"], f"بودجه سال {budget.get('year')}"
        for amendment in budget.get("amendments", []):
            yield amendment["id"], "اصلاحیه بودجه"
    for plan in doc.get("plans", []):
        yield plan["id"], f"برنامه {plan.get('code')}"
        for lesson in plan.get("lessons", []):
            yield lesson["id"], "درس‌آموخته"
        for node in walk_nodes(plan):
            yield node["id"], f"گره {to_persian_digits(node.get('full_code') or node.get('code'))}"
            for indicator in node.get("indicators", []):
                yield indicator["id"], f"شاخص «{indicator.get('title')}»"
            for lesson in node.get("lessons", []):
                yield lesson["id"], "درس‌آموخته"
            for allocation in node.get("allocations", []):
                yield allocation["id"], "تخصیص"
            for report in node.get("progress_reports", []):
                yield report["id"], "گزارش پیشرفت"


def _acyclic(parents: dict[str, str | None], what: str, english: str) -> None:
    for start in parents:
        seen = {start}
        current = parents[start]
        while current is not None:
            if current in seen:
                raise _bad(f"والدهای {what} «{start}» دور می‌زنند (به خودش برمی‌گردد).",
                           f"{english} '{start}' has a parent cycle")
            seen.add(current)
            current = parents.get(current)


def validate_document(doc: dict[str, Any]) -> None:
    """Raise PackageError on the first problem that would make the import fail or corrupt the store."""
    seen: dict[str, str] = {}
    for uuid, what in _uuids(doc):
        key = uuid.lower()
        if key in seen:
            raise _bad(f"شناسه {uuid} هم برای {seen[key]} و هم برای {what} آمده است.", f"duplicate UUID {uuid}")
        seen[key] = what

    unit_parents: dict[str, str | None] = {}
    for unit in doc.get("org_units", []):
        code = normalize_code(unit["code"])
        if code in unit_parents:
            raise _bad(f"کد واحد «{code}» دو بار آمده است.", f"duplicate org unit code '{code}'")
        unit_parents[code] = normalize_code(unit["parent"]) if unit.get("parent") else None
    for code, parent in unit_parents.items():
        if parent is not None and parent not in unit_parents:
            raise _bad(f"واحد «{code}» به واحد والد «{parent}» اشاره می‌کند که در سند نیست.",
                       f"org unit '{code}' has unknown parent '{parent}'")
    _acyclic(unit_parents, "واحد", "org unit")

    code_parents: dict[str, str | None] = {}
    for item in doc.get("budget_codes", []):
        code = normalize_code(item["code"])
        if code in code_parents:
            raise _bad(f"کد بودجه «{code}» دو بار آمده است.", f"duplicate budget code '{code}'")
        code_parents[code] = normalize_code(item["parent"]) if item.get("parent") else None
    for code, parent in code_parents.items():
        if parent is not None and parent not in code_parents:
            raise _bad(f"کد بودجه «{code}» به کد والد «{parent}» اشاره می‌کند که در سند نیست.",
                       f"budget code '{code}' has unknown parent '{parent}'")
    _acyclic(code_parents, "کد بودجه", "budget code")

    def known_code(code: str, where: str) -> None:
        if normalize_code(code) not in code_parents:
            raise _bad(f"{where} به کد بودجه «{code}» اشاره می‌کند که در سند نیست.",
                       f"a row refers to unknown budget code '{code}'")

    budget_years: set[tuple[str | None, int]] = set()
    for budget in doc.get("annual_budgets", []):
        key = (budget.get("municipality"), budget["year"])
        if key in budget_years:
            raise _bad(f"بودجه سال {to_persian_digits(budget['year'])} دو بار آمده است.",
                       f"annual budget {budget['year']} twice")
        budget_years.add(key)
        lines = set()
        for line in budget.get("lines", []):
            known_code(line["budget_code"], f"سقف بودجه سال {to_persian_digits(budget['year'])}")
            lines.add(normalize_code(line["budget_code"]))
        for amendment in budget.get("amendments", []):
            if normalize_code(amendment["budget_code"]) not in lines:
                raise _bad(f"اصلاحیه بودجه سال {to_persian_digits(budget['year'])} برای کد "
                           f"«{amendment['budget_code']}» است که در آن سال سقفی ندارد.",
                           "amendment of a code without a ceiling")

    plan_codes: set[tuple[str, int]] = set()
    for plan in doc.get("plans", []):
        code = normalize_code(plan["code"])
        revision = plan.get("revision", 1)  # an amendment is a later revision of the same code
        if (code, revision) in plan_codes:
            raise _bad(f"کد برنامه «{code}» (ویرایش {to_persian_digits(revision)}) دو بار آمده است.",
                       f"duplicate plan code '{code}' revision {revision}")
        plan_codes.add((code, revision))
        if plan["first_year"] > plan["last_year"]:
            raise _bad(f"برنامه «{code}»: سال شروع پس از سال پایان است.", f"plan '{code}' years reversed")
        for node in walk_nodes(plan):
            where = f"گره {to_persian_digits(node.get('full_code') or node.get('code'))} برنامه «{code}»"
            unit = node.get("responsible_unit")
            if unit and normalize_code(unit) not in unit_parents:
                raise _bad(f"{where} به واحد مسئول «{unit}» اشاره می‌کند که در سند نیست.",
                           f"node refers to unknown org unit '{unit}'")
            if node["kind"] == "program" and node["first_year"] > node["last_year"]:
                raise _bad(f"{where}: سال شروع پس از سال پایان است.", "program years reversed")
            for allocation in node.get("allocations", []):
                known_code(allocation["budget_code"], f"تخصیص {where}")
