"""Page layout: A4 portrait and landscape templates, header and footer, the table of
contents and the PDF outline — in one layout pass.

Page numbers that are only known at the end (the total in «صفحه ۳ از ۴۰», the page of each
heading in the table of contents) are drawn as PDF form XObjects: every page refers to a
named form, and the forms are defined after the last page, just before saving. So the
document is laid out once (not twice as with multiBuild), and the numbers in the table of
contents are, by construction, the pages the headings were drawn on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import ActionFlowable

from . import shaping
from .flowables import ACCENT, INK, MUTED, RULE, Heading, TextStyle, draw_line
from .fonts import BOLD, REGULAR

MARGIN_X = 18 * mm
# Binding: the inside margin (at the spine) is wider. The book is bound on the right (R2L):
# a recto (odd) page has its spine at the right, a verso (even) page at the left.
MARGIN_INSIDE = 22 * mm
MARGIN_OUTSIDE = 2 * MARGIN_X - MARGIN_INSIDE
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm
HEADER_SIZE = 8.5
BLEED = 3 * mm
MARK_BORDER = 12 * mm  # room around the trimmed cover for the bleed and the crop marks
# A landscape page keeps a portrait media box (duplex printing and binding stay as for the
# other sheets) and turns its content; viewers show it upright from /Rotate.
LANDSCAPE_ROTATE = 90
WATERMARK = "پیش‌نویس"
WATERMARK_COLOR = colors.HexColor("#E4E7EB")  # drawn first, under the page: no transparency


class BookletCancelled(Exception):
    """The user cancelled the export; no file was written."""


def persian_digits(value: object) -> str:
    from planner_core.text import to_persian_digits

    return to_persian_digits(str(value))


@dataclass
class TocEntry:
    level: int
    title: str
    key: str


class TableOfContents(Flowable):
    """Entries known before layout; their page numbers are forms filled in at the end."""

    def __init__(self, entries: list[TocEntry], *, first: bool = True) -> None:
        super().__init__()
        self.entries = entries
        self.first = first
        self.size = 10.0
        self.leading = 18.0
        self.num_w = 34.0
        self._lines: list[tuple[TocEntry, list[list[str]], str]] | None = None
        self._for_width: float | None = None

    def _style(self, entry: TocEntry) -> tuple[str, float]:
        return (BOLD, self.size + 0.5) if entry.level == 0 else (REGULAR, self.size)

    def _layout(self, width: float):
        if self._for_width != width:
            laid = []
            for e in self.entries:
                font, size = self._style(e)
                avail = width - self.num_w - 10 - e.level * 14
                laid.append((e, shaping.wrap(e.title, font, size, avail), font))
            self._lines = laid
            self._for_width = width
        return self._lines

    def _entry_height(self, lines) -> float:
        return max(len(lines), 1) * self.leading

    def wrap(self, avail_width, avail_height):
        laid = self._layout(avail_width)
        self.width = avail_width
        self.height = sum(self._entry_height(lines) for _, lines, _ in laid)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        laid = self._layout(avail_width)
        used, fit = 0.0, 0
        for _, lines, _ in laid:
            h = self._entry_height(lines)
            if used + h > avail_height:
                break
            used += h
            fit += 1
        if fit == 0:
            return []
        if fit >= len(laid):
            return [self]
        return [TableOfContents(self.entries[:fit], first=self.first),
                TableOfContents(self.entries[fit:], first=False)]

    def draw(self):
        canv = self.canv
        y = self.height
        for entry, lines, font in self._lines or []:
            size = self.size + (0.5 if entry.level == 0 else 0)
            right = self.width - entry.level * 14
            canv.setFillColor(INK if entry.level == 0 else MUTED if entry.level >= 3 else INK)
            last_left = right
            for i, words in enumerate(lines):
                line = shaping.visual_line(tuple(words), font)
                base = y - i * self.leading - (self.leading + size * 0.62) / 2
                draw_line(canv, line, font, size, right, base, right - self.num_w)
                last_left = right - line.width * size
            base = y - (len(lines) - 1) * self.leading - (self.leading + size * 0.62) / 2
            # Leader dots as graphics, not text: they must not end up in extracted text.
            x0, x1 = self.num_w + 4, last_left - 6
            if x1 > x0:
                canv.saveState()
                canv.setStrokeColor(RULE)
                canv.setLineWidth(0.9)
                canv.setLineCap(1)
                canv.setDash([0.1, 3.2])
                canv.line(x0, base + 1.5, x1, base + 1.5)
                canv.restoreState()
            canv.saveState()
            canv.translate(self.num_w, base)
            canv.doForm(page_form(entry.key))
            canv.restoreState()
            link_bottom = y - self._entry_height(lines)
            ax0, ay0 = canv.absolutePosition(0, link_bottom)
            ax1, ay1 = canv.absolutePosition(self.width, y)
            canv.linkAbsolute("", entry.key, Rect=(ax0, ay0, ax1, ay1), thickness=0, F=4)  # printable (PDF/A)
            y -= self._entry_height(lines)


def page_form(key: str) -> str:
    return "pg_" + key.replace("-", "_")


TOTAL_FORM = "pg__total"


class BookletCanvas(Canvas):
    """A canvas that lets the template define late forms just before saving."""

    before_save: Callable[[Canvas], None] | None = None

    def __init__(self, *args, **kw) -> None:
        super().__init__(*args, **kw)
        self.listed_pages: dict[str, int] = {}  # listed table/figure key → page it starts on

    def save(self):
        if self.before_save is not None:
            self.before_save(self)
        super().save()


class RectoBreak(ActionFlowable):
    """Start the next content on a recto (odd) page, leaving a verso blank if needed."""

    def __init__(self) -> None:
        super().__init__(("rectoBreak",))


def page_margins(page: int) -> tuple[float, float]:
    """(left, right) margins of a page: the inside (spine) margin is the wider one."""
    return (MARGIN_OUTSIDE, MARGIN_INSIDE) if page % 2 else (MARGIN_INSIDE, MARGIN_OUTSIDE)


class BookletDocTemplate(BaseDocTemplate):
    def __init__(self, filename, *, plan_title: str, progress: Callable[[int, int, str], None] | None,
                 cancelled: Callable[[], bool] | None, total_flowables: int, draft: bool = False,
                 crop_marks: bool = False, pdfa: bool = False, page: tuple[float, float] = A4, **kw) -> None:
        self.sheet = page  # the main page size (A4 portrait; A4 or A3 landscape for a budget album)
        super().__init__(filename, pagesize=page, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                         topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
                         title=plan_title, author="برنامه‌نگار", creator="برنامه‌نگار",
                         lang="fa-IR", initialFontName=REGULAR, **kw)  # no Helvetica in any page
        self.plan_title = plan_title
        self.draft = draft
        self.pdfa = pdfa
        # Crop marks around the cover only, outside a 3 mm bleed its colour bands run into.
        self._marks = SimpleNamespace(borderWidth=MARK_BORDER, bleedWidth=0, markLength=8 * mm, markWidth=0.4,
                                      markColor=colors.black, markLast=1) if crop_marks else None
        self.heading_pages: dict[str, int] = {}
        self.total_pages = 0
        self._progress = progress
        self._cancelled = cancelled
        self._total = max(total_flowables, 1)
        self._done = 0
        # The running header fits the text width: a long title is cut at a word with «…».
        self._header_line = shaping.visual(
            shaping.fit_text(plan_title, REGULAR, HEADER_SIZE, min(page) - 2 * MARGIN_X), REGULAR)
        pw, ph = page
        lw, lh = landscape(A4)
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, pw - 2 * MARGIN_X, ph - MARGIN_TOP - MARGIN_BOTTOM,
                      id="portrait", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        # The landscape frame is in the turned page's coordinates (see _turn).
        lframe = Frame(MARGIN_X, MARGIN_BOTTOM, lw - 2 * MARGIN_X, lh - MARGIN_TOP - MARGIN_BOTTOM,
                       id="landscape", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover = Frame(MARGIN_X, MARGIN_BOTTOM, pw - 2 * MARGIN_X, ph - 2 * MARGIN_BOTTOM, id="cover",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        blank = Frame(MARGIN_X, MARGIN_BOTTOM, pw - 2 * MARGIN_X, ph - 2 * MARGIN_BOTTOM, id="blank",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate(id="cover", frames=[cover], pagesize=page, autoNextPageTemplate="portrait",
                         onPage=self._decorate_cover),
            # The back of the cover is left blank on purpose (no header, no number).
            PageTemplate(id="blank", frames=[blank], pagesize=page, autoNextPageTemplate="portrait",
                         onPage=self._decorate_blank),
            PageTemplate(id="portrait", frames=[frame], pagesize=page, onPage=self._decorate),
            # ReportLab writes a portrait media box for a landscape size turned by /Rotate 90.
            PageTemplate(id="landscape", frames=[lframe], pagesize=landscape(A4), onPage=self._decorate_landscape),
        ])
        self.pageTemplates[-1].rotation = LANDSCAPE_ROTATE  # read by ReportLab when the page ends

    def handle_rectoBreak(self) -> None:
        if not self.frame._atTop:
            self.handle_pageBreak()
            self.clean_hanging()  # begin the next page now, to know its number
        if self.page % 2 == 0:
            self.handle_pageBreak()  # this verso stays empty

    # page furniture -------------------------------------------------------
    def _decorate_cover(self, canv: Canvas, doc) -> None:
        w, h = canv._pagesize
        bleed = 0.0
        if self._marks is not None:
            bleed, border = BLEED, MARK_BORDER
            canv._cropMarks = self._marks
            canv.setTrimBox((border, border, border + w, border + h))
            canv.setBleedBox((border - bleed, border - bleed, border + w + bleed, border + h + bleed))
        canv.saveState()
        canv.setFillColor(ACCENT)
        canv.rect(-bleed, h - 16 * mm, w + 2 * bleed, 16 * mm + bleed, stroke=0, fill=1)
        canv.rect(-bleed, -bleed, w + 2 * bleed, 10 * mm + bleed, stroke=0, fill=1)
        canv.restoreState()
        # Pages progress right to left: viewers show spreads, and print booklets, bound on the right.
        canv.setViewerPreference("Direction", "R2L")
        self._watermark(canv, w, h)

    @staticmethod
    def _plain_sheet(canv: Canvas) -> None:
        """Pages after the cover: no crop marks, no trim or bleed box."""
        canv._cropMarks = None
        canv._trimBox = canv._bleedBox = None

    def _decorate_blank(self, canv: Canvas, doc) -> None:
        self._plain_sheet(canv)
        self._watermark(canv, *self.sheet)

    def _decorate_landscape(self, canv: Canvas, doc) -> None:
        # Turn the page: content drawn in landscape coordinates (u, v) lands at x = w - v, y = u
        # on the portrait sheet, and /Rotate 90 shows it upright. The turn lasts to the page's end.
        self._plain_sheet(canv)
        canv.transform(0, 1, -1, 0, A4[0], 0)
        self._furniture(canv, doc, *landscape(A4), MARGIN_X, MARGIN_X)

    def _decorate(self, canv: Canvas, doc) -> None:
        self._plain_sheet(canv)
        left, right = page_margins(doc.page)
        frame = doc.pageTemplate.frames[0]
        frame._x1 = left  # mirrored binding margin; the width stays the same
        frame._geom()
        self._furniture(canv, doc, *self.sheet, left, right)

    def _watermark(self, canv: Canvas, w: float, h: float) -> None:
        """«پیش‌نویس» across every page of a plan that is not approved."""
        if not self.draft:
            return
        canv.saveState()
        canv.setFillColor(WATERMARK_COLOR)
        canv.translate(w / 2, h / 2)
        canv.rotate(40)
        line = shaping.visual(WATERMARK, BOLD)
        size = 96.0
        from .flowables import emit_text

        emit_text(canv, -line.width * size / 2, -size * 0.3, line.text, BOLD, size)
        canv.restoreState()

    def _furniture(self, canv: Canvas, doc, w: float, h: float, left: float, right: float) -> None:
        self._watermark(canv, w, h)
        canv.saveState()
        # Header: plan title at the right, a rule under it.
        canv.setFillColor(MUTED)
        draw_line(canv, self._header_line, REGULAR, HEADER_SIZE, w - right, h - MARGIN_TOP + 9 * mm,
                  w - left - right)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(left, h - MARGIN_TOP + 7 * mm, w - right, h - MARGIN_TOP + 7 * mm)
        # Footer: «صفحه ۳ از ۴۰»; the total is a form defined once the count is known.
        canv.line(left, MARGIN_BOTTOM - 6 * mm, w - right, MARGIN_BOTTOM - 6 * mm)
        label = shaping.visual(f"صفحه {persian_digits(doc.page)} از", REGULAR)
        size = 9.0
        total_w = shaping.visual("۸۸۸", REGULAR).width * size
        gap = shaping.space_width(REGULAR) * size
        full = label.width * size + gap + total_w
        right_x = left + (w - left - right) / 2 + full / 2
        y = MARGIN_BOTTOM - 11 * mm
        draw_line(canv, label, REGULAR, size, right_x, y, full)
        canv.translate(right_x - label.width * size - gap, y)
        canv.doForm(TOTAL_FORM)
        canv.restoreState()

    # bookkeeping ----------------------------------------------------------
    def afterFlowable(self, flowable):
        if isinstance(flowable, Heading) and flowable.toc_level is not None:
            self.heading_pages.setdefault(flowable.key, self.page)
        self._done += 1
        if self._done % 25 == 0:
            if self._cancelled is not None and self._cancelled():
                raise BookletCancelled()
            if self._progress is not None:
                self._progress(min(self._done, self._total), self._total,
                               f"صفحه‌آرایی: صفحه {persian_digits(self.page)}")

    def handle_pageBegin(self):
        if self._cancelled is not None and self._cancelled():
            raise BookletCancelled()
        super().handle_pageBegin()

    def _define_forms(self, canv: Canvas, toc_keys: list[str]) -> None:
        """The late numbers: total pages for every footer, a page for every contents entry."""
        self.total_pages = self.page
        if self.pdfa:
            from .pdfa import add_pdfa_parts

            add_pdfa_parts(canv)
        if self._progress is not None:
            self._progress(self._total, self._total, "ذخیره پرونده")
        self._number_form(canv, TOTAL_FORM, self.total_pages, 9.0)
        for key in toc_keys:
            # A heading that was never drawn cannot happen; point at the last page if it did.
            page = canv.listed_pages.get(key) or self.heading_pages.setdefault(key, self.page)
            self._number_form(canv, page_form(key), page, 10.0)

    @staticmethod
    def _number_form(canv: Canvas, name: str, number: int, size: float) -> None:
        """A form drawing ``number`` in Persian digits, its right edge at the origin."""
        line = shaping.visual(persian_digits(number), REGULAR)
        canv.beginForm(name, lowerx=-200, lowery=-10, upperx=10, uppery=20)
        canv.setFillColor(INK)
        canv.setFont(REGULAR, size)
        canv.drawString(-line.width * size, 0, line.text)
        canv.endForm()

    def build_story(self, story: list[Flowable], toc_keys: list[str]) -> None:
        """Lay out and write the story; the late forms are defined just before saving."""

        class _Canvas(BookletCanvas):
            before_save = staticmethod(lambda canv: self._define_forms(canv, toc_keys))

        self.build(story, canvasmaker=_Canvas)


def heading_style(level: int) -> TextStyle:
    sizes = {0: (17.0, 26.0, 10.0, 8.0), 1: (14.0, 22.0, 10.0, 5.0), 2: (12.5, 20.0, 8.0, 4.0),
             3: (11.5, 18.0, 8.0, 3.0), 4: (10.5, 17.0, 6.0, 2.0)}
    size, leading, before, after = sizes.get(level, sizes[4])
    return TextStyle(font=BOLD, size=size, leading=leading, align="right", space_before=before,
                     space_after=after, color=INK)
