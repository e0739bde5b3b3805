"""Workbooks print well: converted to PDF by LibreOffice (skipped where it is not installed) and read
back with poppler.  Wrapped rows must not run into the next row, the header row comes back on every
page, wide sheets are landscape, and an empty matrix cell prints blank, not «0»."""

from __future__ import annotations

import re
import shutil
import subprocess
from itertools import pairwise
from pathlib import Path

import pytest

from planner_core import nodes
from planner_core.budget_rollups import budget_matrix
from planner_core.excel import write_matrix
from planner_core.workbooks import export_workbook, write_update_workbooks

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                   reason="LibreOffice (soffice) or poppler is not installed")
PERSIAN = "بهسازی و نوسازی پیاده‌راه‌های محله‌ای با مشارکت شهروندان و شورایاران"


def to_pdf(workbook: Path) -> Path:
    out = workbook.parent / "pdf"
    out.mkdir(exist_ok=True)
    # A profile of its own, so a test never meets a running LibreOffice or a user's settings.
    profile = workbook.parent / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(workbook)], check=True, capture_output=True, timeout=180)
    return out / (workbook.stem + ".pdf")


def pages(pdf: Path) -> list[str]:
    """Each page's text, without the direction marks poppler puts around right-to-left runs."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    text = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)
    return [re.sub(r"[ ]+", " ", page) for page in text.split("\f")[:-1]]


def boxes(pdf: Path, page: int) -> list[tuple[str, float, float]]:
    xml = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [(m.group(3), float(m.group(1)), float(m.group(2))) for m in
            re.finditer(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', xml)]


@needs_soffice
def test_long_project_lists_print_with_repeated_headers_and_no_overlapping_rows(db, small_plan, tmp_path):
    for n in range(1, 41):
        words = " ".join(f"w{n}x{k}" for k in range(12))
        nodes.add_node(db, small_plan["plan"].id, small_plan["program"].id, "project",
                       title=f"{PERSIAN} {words}", description=f"{PERSIAN} {words} {PERSIAN}")
    out = tmp_path / "برنامه.xlsx"
    export_workbook(db, out)
    pdf = to_pdf(out)
    texts = pages(pdf)
    project_pages = [i for i, t in enumerate(texts, start=1) if any(f"w{n}x0" in t for n in range(1, 41))]
    assert len(project_pages) >= 2, "forty long projects take more than one page"
    for index in project_pages:
        assert "عنوان" in texts[index - 1], f"page {index} has no header row"
        rows: dict[int, tuple[float, float]] = {}
        for word, top, bottom in boxes(pdf, index):
            match = re.fullmatch(r"w(\d+)x\d+", word)
            if match:
                n = int(match.group(1))
                low, high = rows.get(n, (top, bottom))
                rows[n] = (min(low, top), max(high, bottom))
        ordered = sorted(rows.items())
        for (n, (_top, bottom)), (m, (next_top, _b)) in pairwise(ordered):
            if m == n + 1:
                assert bottom <= next_top + 0.5, f"row of project {n} runs into project {m} on page {index}"


@needs_soffice
def test_budget_matrix_prints_blank_cells_not_zero(db, small_plan, tmp_path):
    nodes.add_node(db, small_plan["plan"].id, small_plan["strategy"].id, "program", title="برنامه بدون اعتبار",
                   first_year=1403, last_year=1404)
    out = tmp_path / "matrix.xlsx"
    write_matrix(budget_matrix(db, small_plan["plan"].id, 1403), out)
    text = "\n".join(pages(to_pdf(out)))
    assert "40,000" in text  # the one allocation, in million rials
    assert not re.search(r"(?<![\d,.])0(?![\d,.])", text), "an empty matrix cell printed as 0"


@needs_soffice
def test_update_workbook_prints_on_landscape_pages(db, small_plan, tmp_path):
    [path] = write_update_workbooks(db, tmp_path, 1403, 1)
    pdf = to_pdf(path)
    from pypdf import PdfReader

    first = PdfReader(pdf).pages[0]
    assert float(first.mediabox.width) > float(first.mediabox.height)
    # (poppler drops the space between a Persian word and a number, so compare without spaces)
    assert "خرید۵۰دستگاهاتوبوسبرقی" in "".join(pages(pdf)[0].split())
