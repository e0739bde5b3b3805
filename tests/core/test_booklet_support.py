"""Support for the booklet tests (no tests here): a small plan holding the hard strings,
and readers for what poppler's tools say about a PDF (text, word boxes, pixels)."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import hard_strings

HAVE_POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdftoppm") is not None
needs_poppler = pytest.mark.skipif(not HAVE_POPPLER, reason="poppler-utils (pdftotext, pdftoppm) is not installed; "
                                   "CI installs it: apt-get install -y poppler-utils")

# Direction marks and embeddings. The booklet draws none (a test checks it); poppler wraps
# runs it reorders in LRE/RLE…PDF of its own. None of them is part of the words.
_MARKS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
DIRECTION_MARKS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """NFKC, no direction marks, whitespace collapsed: how the tests compare words."""
    return " ".join(_MARKS.sub("", unicodedata.normalize("NFKC", text)).split())


def pdftotext(pdf: Path, first: int | None = None, last: int | None = None, *extra: str) -> str:
    args = ["pdftotext", "-enc", "UTF-8", *extra]
    if first is not None:
        args += ["-f", str(first), "-l", str(last if last is not None else first)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _to_unicode(font) -> dict[int, str]:
    """A simple font's ToUnicode CMap (one-byte codes, as ReportLab's subsets write it)."""
    cmap = font.get("/ToUnicode")
    out: dict[int, str] = {}
    if cmap is None:
        return out
    data = cmap.get_object().get_data().decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for a, b, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for i, code in enumerate(range(int(a, 16), int(b, 16) + 1)):
                out[code] = chr(int(dst, 16) + i)
    return out


def drawn_lines(pdf: Path, first: int | None = None, last: int | None = None) -> list[list[tuple[float, float, str]]]:
    """The text layer as drawn, per page: (x, y, characters) for each text object, the glyphs
    read through their ToUnicode maps in drawing (visual) order. Nothing is reordered here."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(pdf)
    pages = []
    lo = (first or 1) - 1
    hi = last if last is not None else (first if first is not None else len(reader.pages))
    for page in reader.pages[lo:hi]:
        fonts = {name: _to_unicode(ref.get_object())
                 for name, ref in (page["/Resources"].get("/Font") or {}).items()}
        lines: list[tuple[float, float, str]] = []
        current: dict[int, str] = {}
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"Tf":
                current = fonts.get(operands[0], {})
            elif op == b"Tm":
                lines.append((float(operands[4]), float(operands[5]), ""))
            elif op == b"Tj" and lines:
                raw = operands[0]
                data = raw if isinstance(raw, bytes) else raw.original_bytes
                x, y, text = lines[-1]
                lines[-1] = (x, y, text + "".join(current.get(b, "\ufffd") for b in data))
        pages.append(lines)
    return pages


def reading_text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    """What a reader copies or searches: each drawn line given back in logical order by the
    Unicode bidi algorithm (as pdf.js and other bidi-aware viewers do), lines top to bottom."""
    from bidi import get_display

    out = []
    for lines in drawn_lines(pdf, first, last):
        for _, _, text in lines:
            rtl = re.search("[\u0600-\u06ff]", text)
            out.append(get_display(text, base_dir="R") if rtl else text)
    return "\n".join(out)


def words_with_boxes(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """(text in reading order, xMin, yMin, xMax, yMax) per word; y grows downwards.

    ``-bbox`` lists each word's characters in drawing order (left to right), so a Persian
    word comes out reversed; it is turned back here."""
    xml = pdftotext(pdf, page, page, "-bbox")
    out = []
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', xml):
        raw = _MARKS.sub("", m.group(5))
        text = raw[::-1] if re.search("[\u0600-\u06ff]", raw) and not re.fullmatch(r"[\u06f0-\u06f9٬٫]+", raw) else raw
        out.append((unicodedata.normalize("NFKC", text), *(float(m.group(i)) for i in range(1, 5))))
    return out


def page_pixels(pdf: Path, page: int, dpi: int = 40) -> tuple[int, int, bytes]:
    """A page as 8-bit grey pixels (pdftoppm -gray writes a binary PGM)."""
    data = subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf)],
                          capture_output=True, check=True).stdout
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert header, "pdftoppm -gray did not write a PGM"
    width, height = int(header.group(1)), int(header.group(2))
    return width, height, data[header.end():header.end() + width * height]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _id() -> str:
    return str(uuid.uuid4())


CASES = {c["id"]: c["normalized"] for c in hard_strings()}
LONG = CASES["long-paragraph"]
# Combining marks: tanwin (very common in formal Persian), kasra and shadda.
MARKS_TEXT = "این کار تقریباً و کاملاً انجام شد؛ مُهِمّ است که اِعراب بماند."


def _indicator(code: str, title: str, kind: str, unit: str, years: list[int], base: float = 10.0) -> dict[str, Any]:
    return {"id": _id(), "code": code, "title": title, "kind": kind, "unit": unit, "direction": "increase",
            "baseline": {"year": 1402, "value": base}, "definition": "", "data_source": "", "frequency": "annual",
            "weight": 1, "targets": [{"year": y, "value": base + 5 * (i + 1)} for i, y in enumerate(years)],
            "actuals": [{"year": years[0], "period": "annual", "value": base + 4, "note": ""}]}


def _project(code: str, full: str, title: str, description: str, unit: str, budget_code: str,
             location: str = "منطقه ۳") -> dict[str, Any]:
    return {"id": _id(), "kind": "project", "code": code, "full_code": full, "title": title,
            "description": description, "responsible_unit": unit, "order": int(code), "indicators": [
                _indicator("1", "تعداد ایستگاه‌های ساخته‌شده", "output", "ایستگاه", [1403, 1404], 0)],
            "lessons": [], "start_date": "2024-04-20", "end_date": "2025-12-01", "location": location,
            "weight": 1, "state": "in_progress",
            "allocations": [{"id": _id(), "year": 1403, "budget_code": budget_code, "amount": 12_345_000_000_000,
                             "spent": 4_000_000_000},
                            {"id": _id(), "year": 1404, "budget_code": budget_code, "amount": 7_000_000_000,
                             "spent": 0}],
            "progress_reports": [{"id": _id(), "year": 1403, "quarter": 2, "physical_progress": 35.0,
                                  "spent": 3_000_000_000, "narrative": "", "corrective_action": "",
                                  "reported_on": "2024-09-20"}]}


def hard_strings_doc() -> dict[str, Any]:
    """A two-axis plan whose titles and descriptions are the hard strings (normalised, as a
    plan holds them). Each string sits where it is typeset as a full-width line or paragraph."""
    c = CASES
    years = list(range(1403, 1411))
    program = {
        "id": _id(), "kind": "program", "code": "1", "full_code": "1-1-1-1", "title": c["lam-alef"],
        "description": c["budget-code"] + "\n" + c["thousands"], "responsible_unit": "D-TRF", "order": 1,
        "first_year": 1403, "last_year": 1404,
        "indicators": [_indicator("1", "طول خطوط اتوبوس تندرو", "output", "کیلومتر", [1403, 1404])],
        "lessons": [{"id": _id(), "title": c["quotes"], "body": c["heh-yeh"], "recorded_on": "2025-02-01",
                     "source_municipality": None}],
        "projects": [
            _project("1", "1-1-1-1-1", c["arabic-yeh-kaf"], c["decimal"] + "\n" + c["date"], "R14", "301002"),
            _project("2", "1-1-1-1-2", c["arabic-indic-digits"], c["latin-digits-in-number-field"], "D-TRF",
                     "301003", location=c["rlm-lrm"]),
        ],
    }
    strategy = {"id": _id(), "kind": "strategy", "code": "1", "full_code": "1-1-1", "title": c["parentheses"],
                "description": c["tatweel"], "responsible_unit": "D-TRF", "order": 1, "indicators": [],
                "lessons": [], "programs": [program]}
    goal = {"id": _id(), "kind": "goal", "code": "1", "full_code": "1-1", "title": c["mixed-ltr"],
            "description": LONG, "responsible_unit": "D-TRF", "order": 1,
            "indicators": [_indicator("1", "سهم سفرهای عمومی", "outcome", "درصد", years, 35)],
            "lessons": [], "strategies": [strategy]}
    axis1 = {"id": _id(), "kind": "axis", "code": "1", "full_code": "1", "title": c["percent-digits"],
             "description": LONG, "responsible_unit": "D-TRF", "order": 1, "indicators": [], "lessons": [],
             "goals": [goal]}
    program2 = {"id": _id(), "kind": "program", "code": "1", "full_code": "2-1-1-1", "title": "برنامه نگهداری پارک‌ها",
                "description": MARKS_TEXT, "responsible_unit": "R14", "order": 1, "first_year": 1404, "last_year": 1404,
                "indicators": [], "lessons": [],
                "projects": [_project("1", "2-1-1-1-1", "نوسازی پارک محله‌ای", "", "R14", "301003")]}
    axis2 = {"id": _id(), "kind": "axis", "code": "2", "full_code": "2", "title": "محیط زیست و فضای سبز",
             "description": "", "responsible_unit": "R14", "order": 2, "indicators": [], "lessons": [],
             "goals": [{"id": _id(), "kind": "goal", "code": "1", "full_code": "2-1", "title": "گسترش فضای سبز",
                        "description": "", "responsible_unit": "R14", "order": 1, "indicators": [], "lessons": [],
                        "strategies": [{"id": _id(), "kind": "strategy", "code": "1", "full_code": "2-1-1",
                                        "title": "بوستان‌های محله‌ای", "description": "", "responsible_unit": "R14",
                                        "order": 1, "indicators": [], "lessons": [], "programs": [program2]}]}]}
    return {
        "format": "barnamenegar", "version": 1, "exported_at": "2026-11-25T10:00:00+00:00",
        "municipality": {"id": _id(), "name": "شهرداری اصفهان", "province": "اصفهان"},
        "org_units": [{"id": _id(), "code": "D-TRF", "name": "معاونت حمل‌ونقل و ترافیک", "kind": "deputy",
                       "parent": None},
                      {"id": _id(), "code": "R14", "name": "شهرداری منطقه ۱۴", "kind": "district", "parent": None}],
        "budget_codes": [{"id": _id(), "code": "3", "title": "عمران شهری", "parent": None, "level": 1},
                         {"id": _id(), "code": "301", "title": "حمل‌ونقل عمومی", "parent": "3", "level": 2},
                         {"id": _id(), "code": "301002", "title": "اتوبوس تندرو", "parent": "301", "level": 3},
                         {"id": _id(), "code": "301003", "title": "پارک‌ها", "parent": "301", "level": 3}],
        "annual_budgets": [],
        "plans": [{"id": _id(), "code": "T-1410", "title": c["zwnj-title"], "first_year": 1403, "last_year": 1410,
                   "vision": LONG, "mission": c["quotes"], "status": "approved",
                   "thresholds": {"on_track": 90, "at_risk": 70}, "source_municipality": None,
                   "lessons": [], "axes": [axis1, axis2]}],
    }
