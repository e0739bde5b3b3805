"""Visual check: pages of the sample booklet are rendered and compared with the PNGs kept in
docs/screenshots/ (fonts are bundled, the edition date is fixed, so rendering is deterministic).
An unintended layout change shows up here. After an intended change, regenerate them with

    BARNAMENEGAR_UPDATE_SCREENSHOTS=1 python -m pytest tests/core/test_booklet_visual.py
"""

from __future__ import annotations

import io
import json
import os
import subprocess
from datetime import date
from pathlib import Path

import pytest

from planner_core.booklet import BookletOptions, render_booklet
from tests.core.test_booklet_support import needs_poppler

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample_plan.json"
SHOTS = ROOT / "docs" / "screenshots"
DPI = 80
UPDATE = os.environ.get("BARNAMENEGAR_UPDATE_SCREENSHOTS") == "1"
EDITION = date(2026, 11, 25)

# screenshot name → how to find its page in the booklet (a contents title, or a page number)
PAGES = {
    "booklet-cover.png": 1,
    "booklet-approvals.png": "تأیید و امضا",
    "booklet-toc.png": 4,
    "booklet-program.png": "برنامه عملیاتی ۱-۱-۱-۱: ",
    "booklet-budget-codes.png": "بودجه به تفکیک کد بودجه",
    "booklet-chart.png": "مرور پیشرفت شاخص‌ها",
    "booklet-matrix.png": "ماتریس مسئولیت",
}


@pytest.fixture(scope="module")
def sample_booklet(tmp_path_factory):
    if not SAMPLE.exists():
        pytest.skip("resources/sample_plan.json is not in this checkout")
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    out = tmp_path_factory.mktemp("visual") / "sample.pdf"
    result = render_booklet(doc, out, BookletOptions(edition_date=EDITION, prepared_by="دفتر برنامه‌ریزی"))
    album = out.with_name("album.pdf")
    render_booklet(doc, album, BookletOptions(kind="budget-album", year=1404, edition_date=EDITION))
    return out, result, album


def _render(pdf: Path, page: int):
    from PIL import Image

    data = subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), str(pdf)],
                          capture_output=True, check=True).stdout
    return Image.open(io.BytesIO(data)).convert("RGB")


def _page(result, where) -> int:
    if isinstance(where, int):
        return where
    return next(p for _, t, p in result.toc if t.startswith(where))


def _difference(a, b) -> tuple[float, float]:
    """(mean absolute grey difference, share of pixels that differ by more than a quarter)."""
    from PIL import ImageChops

    diff = ImageChops.difference(a.convert("L"), b.convert("L"))
    hist = diff.histogram()
    total = sum(hist)
    mean = sum(i * n for i, n in enumerate(hist)) / total
    changed = sum(hist[64:]) / total
    return mean, changed


@needs_poppler
@pytest.mark.parametrize("name", [*PAGES, "booklet-album.png"])
def test_rendered_pages_match_the_kept_screenshots(sample_booklet, name):
    from PIL import Image

    out, result, album = sample_booklet
    image = _render(album, 3) if name == "booklet-album.png" else _render(out, _page(result, PAGES[name]))
    kept = SHOTS / name
    if UPDATE:
        image.save(kept, optimize=True)
    assert kept.exists(), f"{kept} is missing: run with BARNAMENEGAR_UPDATE_SCREENSHOTS=1"
    reference = Image.open(kept).convert("RGB")
    assert reference.size == image.size, (name, reference.size, image.size)
    mean, changed = _difference(image, reference)
    assert mean < 1.5 and changed < 0.004, f"{name} changed: mean {mean:.2f}, {changed:.2%} of pixels"
