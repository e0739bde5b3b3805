"""The Persian plan booklet: a print-ready, searchable PDF of a plan (ReportLab, no Qt).

    result = render_booklet(doc, Path("plan.pdf"), BookletOptions(axis="2"))

``doc`` is the plan document in dump format (docs/dump-format.md). Persian text is
wrapped in logical order and shaped/reordered per line (shaping.py); the fonts' ToUnicode
maps give back ordinary Persian letters to text extraction and search (fonts.py).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .document import BookletCancelled
from .options import KIND_LABELS, KINDS, ApprovalsInfo, BookletOptions, Signatory

__all__ = ["KINDS", "KIND_LABELS", "ApprovalsInfo", "BookletCancelled", "BookletOptions", "BookletResult",
           "Signatory", "render_booklet"]

Progress = Callable[[int, int, str], None]


@dataclass
class BookletResult:
    pages: int
    toc: list[tuple[int, str, int]] = field(default_factory=list)  # (level, title, page)
    warnings: list[str] = field(default_factory=list)  # Persian sentences for the user (CLI: stderr)


def _scope_text(options: BookletOptions, sel, doc: dict[str, Any]) -> str:
    """What part of the plan the booklet covers, for the cover («بخش ۲-۱: …؛ سال مالی ۱۴۰۴»)."""
    from planner_core.text import normalize_code, to_persian_digits

    from . import data

    parts = []
    if options.axis is not None:
        wanted = normalize_code(options.axis)
        for node, _ in data.walk(data.axes(sel.plan)):
            if node["id"] in sel.full and normalize_code(node.get("full_code", "")) == wanted:
                parts.append(f"بخش {to_persian_digits(node['full_code'])}: {node.get('title', '')}")
                break
    if sel.unit_code is not None:
        name = next((u["name"] for u in doc.get("org_units", []) if u["code"] == sel.unit_code), sel.unit_code)
        parts.append(f"واحد مسئول: {name}")
    if options.year is not None:
        parts.append(f"سال مالی {to_persian_digits(options.year)}")
    return "؛ ".join(parts)


def render_booklet(doc: dict[str, Any], out_path: Path, options: BookletOptions | None = None,
                   progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> BookletResult:
    """Write the booklet PDF to ``out_path`` (atomically) and describe what was written.

    Raises ValueError (Persian message) for an unknown plan, node or unit, and
    BookletCancelled when ``cancelled()`` turns true; then no file is left behind.
    ``progress(done, total, text)`` is called from the calling thread."""
    from planner_core.text import to_persian_digits

    from . import appendix, data, summary
    from .content import StoryBuilder
    from .document import TableOfContents
    from .fonts import register_fonts

    options = options or BookletOptions()
    out_path = Path(out_path)
    register_fonts()

    def check() -> None:
        if cancelled is not None and cancelled():
            raise BookletCancelled()

    def report(done: int, total: int, text: str) -> None:
        if progress is not None:
            progress(done, total, text)

    report(0, 1, "آماده‌سازی محتوا")
    plan = data.select_plan(doc, options.plan_code)
    sel = data.make_selection(doc, plan, options.axis, options.unit, options.year)
    if not sel.full and options.unit is not None:
        raise ValueError(f"واحد «{options.unit}» مسئول هیچ بخشی از این برنامه نیست.")
    builder = StoryBuilder(doc, sel, options, check)
    if options.kind == "budget-album":
        return _render_album(builder, out_path, options, progress, cancelled, check)
    builder.cover(_scope_text(options, sel, doc))
    builder.approvals()
    toc_index = len(builder.story)
    builder.front_texts()
    builder.vision()
    builder.tree()
    summary.budget_chapter(builder)
    appendix.budget_by_code_chapter(builder)
    summary.progress_chapter(builder)
    appendix.responsibility_matrix(builder)
    summary.appendices(builder)
    appendix.indicator_appendix(builder)
    appendix.glossary(builder)
    check()
    # The contents go before the vision chapter; its entries are all known by now.
    toc = TableOfContents(builder.toc)
    listed = TableOfContents(builder.listed) if builder.listed else None
    front, rest = builder.story[:toc_index], builder.story[toc_index:]
    builder.story = front
    builder.contents(toc, listed)
    story = builder.story + rest

    template = _write(out_path, story, builder, plan, options, progress, cancelled, check)
    pages = {e.key: template.heading_pages.get(e.key, 0) for e in builder.toc}
    warnings = []
    if options.year is not None and not data.year_has_data(plan, options.year):
        warnings.append(f"برای سال {to_persian_digits(options.year)} در این برنامه هیچ هدف، مقدار واقعی یا "
                        "اعتباری ثبت نشده است؛ دفترچه فقط همین را می‌گوید.")
    return BookletResult(pages=template.total_pages, toc=[(e.level, e.title, pages[e.key]) for e in builder.toc],
                         warnings=warnings)


def _render_album(builder, out_path: Path, options: BookletOptions, progress, cancelled, check) -> BookletResult:
    from planner_core.text import to_persian_digits

    from . import album, data
    from .document import TableOfContents

    assert options.year is not None
    album.album_story(builder, options.year)
    check()
    cover, rest = builder.story[:2], builder.story[2:]
    builder.story = cover
    builder.contents(TableOfContents(builder.toc))
    story = builder.story + rest
    template = _write(out_path, story, builder, builder.plan, options, progress, cancelled, check)
    pages = {e.key: template.heading_pages.get(e.key, 0) for e in builder.toc}
    warnings = []
    if not data.budget_by_code(builder.doc, builder.plan, options.year):
        warnings.append(f"برای سال {to_persian_digits(options.year)} بودجه یا اعتباری ثبت نشده است.")
    return BookletResult(pages=template.total_pages, toc=[(e.level, e.title, pages[e.key]) for e in builder.toc],
                         warnings=warnings)


def _write(out_path: Path, story: list, builder, plan: dict[str, Any], options: BookletOptions,
           progress: Progress | None, cancelled: Callable[[], bool] | None, check: Callable[[], None]):
    """Lay the story out into ``out_path``, atomically; returns the finished template."""
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A3, A4, landscape

    from .document import BookletDocTemplate

    out_path.parent.mkdir(parents=True, exist_ok=True)
    # Written next to the target and renamed at the end: no half-written booklet is ever
    # left under the real name (cancel, error, crash).
    tmp = out_path.with_name(f".{out_path.name}.{uuid.uuid4().hex}.tmp")
    # Binary (Flate only) streams: ASCII85 makes the file 25% bigger and, without ReportLab's
    # C accelerator, costs about a second per 400 pages. The setting is read while building.
    saved_a85 = rl_config.useA85
    rl_config.useA85 = 0
    try:
        album = options.kind == "budget-album"
        page = landscape(A3 if options.album_size == "A3" else A4) if album else A4
        template = BookletDocTemplate(str(tmp), plan_title=plan.get("title", ""), progress=progress,
                                      cancelled=cancelled, total_flowables=len(story),
                                      draft=plan.get("status") not in ("approved", "archived") and not album,
                                      crop_marks=options.crop_marks, pdfa=options.pdfa, page=page)
        template.build_story(story, [e.key for e in builder.toc + builder.listed])
        check()
        os.replace(tmp, out_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        rl_config.useA85 = saved_a85
    return template
