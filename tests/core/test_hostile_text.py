"""Hostile text: pasted control characters, lone surrogates and formula-looking titles.

A planner pastes from Word (vertical tab for a manual line break, form feed for a page break)
or from a web page; none of it may make an export fail or turn a title into a formula."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import text as sql

from planner_core import budget, monitoring, nodes, plans
from planner_core.budget_rollups import budget_matrix
from planner_core.deviations import deviations
from planner_core.errors import ValidationError
from planner_core.excel import put_text, write_deviations, write_matrix
from planner_core.text import fold, normalize_code, normalize_text, parse_decimal, shown

HOSTILE_TITLES = ["=1+1", "@SUM(A1:A9)", "+98 21 1234", "-2+3", "=HYPERLINK(\"http://x\",\"y\")",
                  "=cmd|' /C calc'!A0", "عنوان\x0bدوم", "بند\x0cصفحه", "تب\tدار", "پایان\x00\x07\x1b"]


@pytest.mark.parametrize(("pasted", "stored"), [
    ("خط اول\x0bخط دوم", "خط اول\nخط دوم"),  # Word's manual line break
    ("صفحه اول\x0cصفحه دوم", "صفحه اول\nصفحه دوم"),  # page break
    ("بند اول\u2028بند دوم\u2029سوم", "بند اول\nبند دوم\nسوم"),
    ("الف\x85ب", "الف\nب"),  # NEL
    ("زنگ\x07 و\x00 پوچ\x1b\x7f\x9b", "زنگ و پوچ"),
    ("ستون\tدوم", "ستون دوم"),  # a tab is whitespace, collapsed as before
])
def test_normaliser_turns_line_controls_into_newlines_and_drops_the_rest(pasted, stored):
    assert normalize_text(pasted) == stored
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in normalize_text(pasted))


def test_lone_surrogate_is_a_persian_validation_error_naming_the_field(db):
    plan = plans.create_plan(db, code="P", title="برنامه", first_year=1403, last_year=1406)
    with pytest.raises(ValidationError) as caught:
        nodes.add_node(db, plan.id, None, "axis", title="محور \ud800 شکسته")
    assert caught.value.field == "title"
    assert str(caught.value).startswith("عنوان:")
    str(caught.value).encode("utf-8")  # printable: never a UnicodeEncodeError later
    with pytest.raises(ValidationError) as caught:
        budget.add_budget_code(db, code="3\udc80", title="کد")
    assert "کد" in str(caught.value)
    with pytest.raises(ValidationError):
        budget.set_ceiling(db, 1403, "3", "12\udfff")


def test_helpers_quote_surrogates_without_failing():
    assert "\ufffd" in shown("x\ud800y")
    shown("\ud800" * 5).encode("utf-8")
    assert len(shown("ب" * 10_000)) < 100
    assert fold("پارک\ud800") == fold("پارک")
    with pytest.raises(ValueError, match=r"عدد نیست|یونی‌کد"):
        parse_decimal("۱۲\ud800")
    assert normalize_code("۱۲\x07۳") == "123"


def _no_formulas(path):
    workbook = load_workbook(path)  # not read-only: formulas are kept as formulas
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert cells
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    return cells


def test_both_exports_write_pasted_controls_and_formula_titles_as_text(db, small_plan, tmp_path):
    project, program = small_plan["project"], small_plan["program"]
    for title in HOSTILE_TITLES:
        node = nodes.add_node(db, small_plan["plan"].id, program.id, "project", title=title,
                              start_date="1404/01/01", end_date="1404/06/31")
        monitoring.save_progress_report(db, node.id, year=1404, quarter=4, physical_progress=1,
                                        narrative="روایت", corrective_action="=2*3\x0bاقدام")
    nodes.update_node(db, program.id, title="=SUM(1;2)\x0bبرنامه")
    budget.add_budget_code(db, code="302", title="@cmd\x0cعنوان کد")
    budget.add_allocation(db, project.id, year=1404, budget_code="302", amount=1_000_000)

    rows = deviations(db, small_plan["plan"].id, 1404, 4)
    assert {normalize_text(t) for t in HOSTILE_TITLES} <= {r.title for r in rows}
    out = tmp_path / "انحراف‌ها.xlsx"
    write_deviations(rows, out, 1404, 4)
    texts = {c.value for c in _no_formulas(out)}
    assert {"=1+1", "@SUM(A1:A9)", "+98 21 1234", "-2+3", "عنوان\nدوم", "بند\nصفحه", "=2*3\nاقدام"} <= texts

    matrix_out = tmp_path / "ماتریس.xlsx"
    write_matrix(budget_matrix(db, small_plan["plan"].id, 1404), matrix_out)
    cells = _no_formulas(matrix_out)
    texts = {c.value for c in cells}
    assert "@cmd\nعنوان کد" in texts
    assert any(isinstance(v, str) and v.endswith("=SUM(1;2)\nبرنامه") for v in texts)
    quoted = [c for c in cells if isinstance(c.value, str) and c.value.startswith("@")]
    assert quoted and all(c.quotePrefix for c in quoted)


def test_exports_survive_controls_already_in_an_old_file(db, small_plan, tmp_path):
    """A file written before the normaliser dropped controls still exports (controls removed)."""
    monitoring.save_progress_report(db, small_plan["project"].id, year=1404, quarter=4, physical_progress=1)
    with db.engine.begin() as connection:
        connection.execute(sql("UPDATE plan_node SET title = :t WHERE id = :i"),
                           {"t": "پروژه\x01قدیمی\x0b=1", "i": small_plan["project"].id})
        connection.execute(sql("UPDATE budget_code SET title = :t WHERE code = '301'"), {"t": "=کد\x1bقدیمی"})
    write_deviations(deviations(db, small_plan["plan"].id, 1404, 4), tmp_path / "d.xlsx", 1404, 4)
    write_matrix(budget_matrix(db, small_plan["plan"].id, 1404), tmp_path / "m.xlsx")
    assert "پروژهقدیمی\n=1" in {c.value for c in _no_formulas(tmp_path / "d.xlsx")}
    assert "=کدقدیمی" in {c.value for c in _no_formulas(tmp_path / "m.xlsx")}


def test_put_text_keeps_the_text_of_a_formula_and_numbers_stay_numbers(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row, value in enumerate([*HOSTILE_TITLES, "\ud83dx", "ب" * 40_000], start=1):
        put_text(sheet.cell(row=row, column=1), value)
    workbook.save(tmp_path / "t.xlsx")
    values = [c.value for c in _no_formulas(tmp_path / "t.xlsx")]
    assert values[:6] == HOSTILE_TITLES[:6]
    assert values[6] == "عنوان\nدوم"
    assert values[-2] == "\ufffdx"
    assert len(values[-1]) == 32_767
