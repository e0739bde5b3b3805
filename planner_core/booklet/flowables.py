"""Right-to-left flowables: paragraphs, headings, key/value blocks and tables.

Everything here lays Persian out in logical order (see shaping.py) and only turns each
line into drawing order at the end, so wrapped lines run top to bottom and tables read
right to left (the first column is drawn at the right edge).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from . import shaping
from .fonts import BOLD, REGULAR

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#52606D")
RULE = colors.HexColor("#9AA5B1")
HEAD_BG = colors.HexColor("#E4E7EB")
TOTAL_BG = colors.HexColor("#F5F7FA")
ACCENT = colors.HexColor("#0B5563")
ZEBRA = colors.HexColor("#FAFBFC")


@dataclass(frozen=True)
class TextStyle:
    font: str = REGULAR
    size: float = 10.0
    leading: float = 17.0
    color: colors.Color = INK
    align: str = "right"  # right | center | left | justify
    space_before: float = 0.0
    space_after: float = 4.0
    indent: float = 0.0  # from the right edge (RTL start)


BODY = TextStyle(align="justify")


# PDF string escapes for the one-byte codes of a font subset.
_ESCAPES = {i: f"\\{i:03o}" for i in (*range(32), *range(127, 256))}
_ESCAPES.update({ord("("): "\\(", ord(")"): "\\)", ord("\\"): "\\\\"})


def emit_text(canv, x: float, y: float, text: str, font_name: str, size: float, word_space: float = 0.0) -> None:
    """Append one text run to the page as PDF operators (drawn in the current fill colour).

    Equivalent to ``canv.drawString`` for our subset TrueType fonts, but formats its few
    numbers directly: ReportLab's pure-Python number formatting (its C accelerator is a
    separate package) was the largest cost of a 400-page booklet. Word spacing (Tw) is
    set and reset inside the BT…ET block so it cannot leak into later text."""
    font = pdfmetrics.getFont(font_name)
    doc = canv._doc
    parts = [f"BT 1 0 0 1 {x:.3f} {y:.3f} Tm"]
    if word_space:
        parts.append(f"{word_space:.3f} Tw")
    for subset, data in font.splitString(text, doc):
        name = font.getSubsetInternalName(subset, doc)
        parts.append(f"{name} {size:g} Tf ({data.decode('latin-1').translate(_ESCAPES)}) Tj")
    if word_space:
        parts.append("0 Tw")
    parts.append("ET")
    canv._code.append(" ".join(parts))


def draw_line(canv, line: shaping.Line, font: str, size: float, x_right: float, y: float,
              width: float, align: str = "right", justify: bool = False) -> None:
    """Draw one visual line inside [x_right - width, x_right] on baseline y."""
    w = line.width * size
    if justify and line.spaces and width - w > 0.5:
        extra = (width - w) / line.spaces
        if extra < size * 1.2:  # a very loose line reads worse than a ragged one
            emit_text(canv, x_right - width, y, line.text, font, size, extra)
            return
    if align == "center":
        x = x_right - width + (width - w) / 2
    elif align == "left":
        x = x_right - width
    else:
        x = x_right - w
    emit_text(canv, x, y, line.text, font, size)


def _baseline(top: float, leading: float, size: float) -> float:
    """Baseline of a line whose box starts at ``top`` (Vazirmatn sits high: ascent ~1.0 em)."""
    return top - (leading + size * 0.62) / 2


class RTLParagraph(Flowable):
    """A Persian paragraph wrapped in logical order; splits across frames by lines."""

    def __init__(self, text: str, style: TextStyle = BODY, *, lines: list[list[str]] | None = None,
                 last_is_end: bool = True) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self._lines = lines
        self._for_width: float | None = None if lines is None else -1.0
        self._last_is_end = last_is_end
        self.spaceBefore = style.space_before
        self.spaceAfter = style.space_after

    def _layout(self, avail_width: float) -> list[list[str]]:
        if self._lines is None or (self._for_width not in (-1.0, avail_width)):
            st = self.style
            self._lines = shaping.wrap(self.text, st.font, st.size, avail_width - st.indent)
            self._for_width = avail_width
        return self._lines

    def wrap(self, avail_width, avail_height):
        lines = self._layout(avail_width)
        self.width = avail_width
        self.height = len(lines) * self.style.leading
        return self.width, self.height

    def split(self, avail_width, avail_height):
        lines = self._layout(avail_width)
        fit = int(avail_height // self.style.leading)
        if fit >= len(lines):
            return [self]
        if len(lines) < 4 or fit < 2:
            return []  # keep short paragraphs whole; never leave a single orphan line
        fit = min(fit, len(lines) - 2)
        first = type(self)(self.text, self.style, lines=lines[:fit], last_is_end=False)
        rest = type(self)(self.text, replace(self.style, space_before=0), lines=lines[fit:],
                          last_is_end=self._last_is_end)
        return [first, rest]

    def draw(self):
        st = self.style
        canv = self.canv
        canv.setFillColor(st.color)
        right = self.width - st.indent
        width = right
        top = self.height
        hard_breaks = _hard_break_ends(self.text) if st.align == "justify" else set()
        for i, words in enumerate(self._lines or []):
            line = shaping.visual_line(tuple(words), st.font)
            y = _baseline(top - i * st.leading, st.leading, st.size)
            is_last = i == len(self._lines) - 1 and self._last_is_end
            justify = st.align == "justify" and not is_last and (words[-1] if words else "") not in hard_breaks
            draw_line(canv, line, st.font, st.size, right, y, width,
                      "right" if st.align == "justify" else st.align, justify)


def _hard_break_ends(text: str) -> set[str]:
    """Last words of hard-broken lines (they are not justified)."""
    ends = set()
    for part in text.split("\n")[:-1]:
        words = shaping.split_words(part)
        if words:
            ends.add(words[-1])
    return ends


class Heading(RTLParagraph):
    """A heading that lands in the table of contents and the PDF outline.

    ``toc_level`` None keeps it out of both (project titles)."""

    def __init__(self, text: str, style: TextStyle, key: str, toc_level: int | None = None,
                 toc_text: str | None = None, **kw) -> None:
        super().__init__(text, style, **kw)
        self.key = key
        self.toc_level = toc_level
        self.toc_text = toc_text or text

    def split(self, avail_width, avail_height):
        return []  # headings are never broken

    def draw(self):
        if self.toc_level is not None:
            canv = self.canv
            _, y = canv.absolutePosition(0, self.height)
            canv.bookmarkHorizontalAbsolute(self.key, y + self.style.space_before)
            canv.addOutlineEntry(self.toc_text, self.key, self.toc_level, closed=self.toc_level >= 1)
        super().draw()


class Rule(Flowable):
    """A thin horizontal rule."""

    def __init__(self, color=RULE, thickness: float = 0.6, space: float = 4.0) -> None:
        super().__init__()
        self.color, self.thickness = color, thickness
        self.spaceBefore = self.spaceAfter = space

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, self.thickness

    def draw(self):
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(self.thickness)
        self.canv.line(0, 0, self.width, 0)


class CenteredRule(Flowable):
    """A short rule centred on the line (the cover's ornament, placed under the title)."""

    def __init__(self, color, length: float, thickness: float = 0.8, space: float = 8.0) -> None:
        super().__init__()
        self.color, self.length, self.thickness = color, length, thickness
        self.spaceBefore = self.spaceAfter = space

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, self.thickness

    def draw(self):
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(self.thickness)
        x0 = (self.width - self.length) / 2
        self.canv.line(x0, 0, x0 + self.length, 0)


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Column:
    title: str
    weight: float = 1.0  # share of the table width
    align: str = "right"  # right | center | left
    min_width: float = 0.0


@dataclass
class Cell:
    text: str
    bold: bool = False
    align: str | None = None
    color: colors.Color | None = None
    background: colors.Color | None = None
    span: int = 1  # columns covered, counted in reading order (towards the left)
    merge_up: bool = False  # continues the cell above (a header spanning two rows)
    blank_line: bool = False  # a dotted line to write or sign on, near the cell's foot
    symbol: str | None = None  # a status shape drawn beside the text ("circle", "triangle", "square")


@dataclass
class TableStyle:
    size: float = 8.5
    leading: float = 13.0
    pad_x: float = 3.0
    pad_y: float = 2.5
    header_bg: colors.Color = HEAD_BG
    grid: colors.Color = RULE
    zebra: colors.Color | None = ZEBRA
    space_before: float = 4.0
    space_after: float = 8.0


Row = Sequence["str | Cell | None"]
SPLIT_ROW_LINES = 6  # a row this tall may be split across pages (nothing the user wrote is cut)
NOT_SET = "تعیین نشده"


class RTLTable(Flowable):
    """A table laid out right to left: ``columns[0]`` is the rightmost column.

    Cells wrap Persian text in logical order; header rows repeat after a page break, and so
    does the caption, with «(ادامه)». A row too tall for the rest of a page is split between
    its lines: no cell is ever cut short. Rows marked as totals are bold on a tinted background."""

    def __init__(self, columns: Sequence[Column], rows: Sequence[Row], *, header_rows: int = 1,
                 style: TableStyle | None = None, total_rows: Sequence[int] = (),
                 header: Sequence[Row] | None = None, caption: RTLParagraph | None = None) -> None:
        super().__init__()
        self.caption = caption
        self.continued = False
        self.list_key: str | None = None  # listed in «فهرست جدول‌ها»: its page is recorded when drawn
        self._cap_h = 0.0
        self.columns = list(columns)
        self.style = style or TableStyle()
        head = [list(r) for r in header] if header is not None else [[Cell(c.title, bold=True) for c in columns]]
        self.head = head[:header_rows] if header is None else head
        self.rows = [list(r) for r in rows]
        self.total_rows = set(total_rows)
        self.spaceBefore = self.style.space_before
        self.spaceAfter = self.style.space_after
        self._laid_for: float | None = None
        self._prelaid = False

    # layout ---------------------------------------------------------------
    def _widths(self, avail_width: float) -> list[float]:
        fixed = sum(c.min_width for c in self.columns)
        total = sum(c.weight for c in self.columns) or 1.0
        free = max(avail_width - fixed, 0.0)
        return [c.min_width + free * c.weight / total for c in self.columns]

    def _cell(self, value, row_index: int | None) -> Cell:
        if isinstance(value, Cell):
            return value
        return Cell("" if value is None else str(value), bold=row_index in self.total_rows)

    def _lay_row(self, row: Row, row_index: int | None, header: bool) -> tuple[float, list]:
        st = self.style
        placed = []
        col = 0
        height = 0.0
        for value in row:
            if col >= len(self.columns):
                break
            cell = self._cell(value, row_index)
            if header:
                cell = replace(cell, bold=True)
            span = max(1, min(cell.span, len(self.columns) - col))
            width = sum(self._col_w[col:col + span])
            font = BOLD if cell.bold else REGULAR
            inner = width - 2 * st.pad_x - (SYMBOL_W if cell.symbol else 0.0)
            lines = shaping.wrap(cell.text, font, st.size, max(inner, 8.0)) if cell.text else []
            placed.append((col, span, cell, font, lines))
            height = max(height, len(lines) * st.leading)
            col += span
        return height + 2 * st.pad_y, placed

    def _layout(self, avail_width: float) -> None:
        # A part made by split() keeps the layout it was cut from (frames of mirrored pages
        # differ in width only by rounding).
        if self._laid_for is not None and (self._prelaid or abs(self._laid_for - avail_width) < 0.01):
            return
        self._col_w = self._widths(avail_width)
        self._head = [self._lay_row(r, None, True) for r in self.head]
        self._body = [self._lay_row(r, i, False) for i, r in enumerate(self.rows)]
        self._totals = [i in self.total_rows for i in range(len(self.rows))]
        self._lay_caption(avail_width)
        self._laid_for = avail_width

    def _lay_caption(self, avail_width: float) -> None:
        if self.caption is not None:
            _, h = self.caption.wrap(avail_width, 10_000)
            self._cap_h = h + self.caption.spaceAfter

    def wrap(self, avail_width, avail_height):
        self._layout(avail_width)
        self.width = avail_width
        self.height = self._cap_h + sum(h for h, _ in self._head) + sum(h for h, _ in self._body)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        self._layout(avail_width)
        st = self.style
        used = self._cap_h + sum(h for h, _ in self._head)
        fit = 0
        for h, _ in self._body:
            if used + h > avail_height:
                break
            used += h
            fit += 1
        if fit >= len(self._body):
            return [self]
        # The next row does not fit: split it between its lines when it is tall.
        _, placed = self._body[fit]
        tallest = max((len(lines) for *_, lines in placed), default=0)
        room = int((avail_height - used - 2 * st.pad_y) // st.leading)
        if tallest >= SPLIT_ROW_LINES and room >= 3:
            k = min(room, tallest - 2)
            top, rest = self._split_row(placed, k)
            return [self._part([*self._body[:fit], top], self._totals[:fit + 1], avail_width, False),
                    self._part([rest, *self._body[fit + 1:]], self._totals[fit:], avail_width, True)]
        if fit == 0:
            return []
        if fit < 2 and len(self._body) > 2:
            return []  # a header with one row alone at the foot of a page looks lost
        return [self._part(self._body[:fit], self._totals[:fit], avail_width, False),
                self._part(self._body[fit:], self._totals[fit:], avail_width, True)]

    def _split_row(self, placed: list, k: int) -> tuple[tuple[float, list], tuple[float, list]]:
        st = self.style
        top = [(c, s, cell, f, lines[:k]) for c, s, cell, f, lines in placed]
        rest = [(c, s, replace(cell, blank_line=False), f, lines[k:]) for c, s, cell, f, lines in placed]
        height = max((len(lines) for *_, lines in rest), default=1)
        return (k * st.leading + 2 * st.pad_y, top), (height * st.leading + 2 * st.pad_y, rest)

    def _part(self, body: list, totals: list[bool], avail_width: float, continued: bool) -> RTLTable:
        """A part of this table, laid out for ``avail_width``; a continued part repeats the
        header rows and the caption with «(ادامه)»."""
        caption = self.caption
        if caption is not None and continued and not self.continued:
            caption = RTLParagraph(f"{caption.text} (ادامه)", replace(caption.style, space_before=0))
        part = RTLTable(self.columns, [], style=self.style, header=self.head, caption=caption)
        part.continued = self.continued or continued
        part.list_key = self.list_key
        part._col_w, part._head, part._body = self._col_w, self._head, body
        part._totals = totals
        part.total_rows = {i for i, t in enumerate(totals) if t}
        part._lay_caption(avail_width)
        part._laid_for = avail_width
        part._prelaid = True
        part.spaceBefore = 0 if continued else self.spaceBefore
        return part

    # drawing --------------------------------------------------------------
    def draw(self):
        canv = self.canv
        st = self.style
        xs = [self.width]
        for w in self._col_w:
            xs.append(xs[-1] - w)
        rows = self._head + self._body
        # Columns whose cell continues into the next row (no rule between, text centred on both).
        merged_below = [{c for c, _, cell, _, _ in rows[i + 1][1] if cell.merge_up} if i + 1 < len(rows) else set()
                        for i in range(len(rows))]
        if self.list_key is not None and not self.continued:
            record_listed(canv, self.list_key, self.height)
        if self.caption is not None:
            self.caption.drawOn(canv, 0, self.height - self.caption.height)
        table_h = self.height - self._cap_h
        tops = [table_h]
        for h, _ in rows:
            tops.append(tops[-1] - h)
        # Fills first: a cell centred over two rows must not be painted over by the second.
        for index, (h, placed) in enumerate(rows):
            body_index = index - len(self._head)
            row_bg = st.header_bg if index < len(self._head) else (
                TOTAL_BG if body_index in self.total_rows else (st.zebra if body_index % 2 else None))
            if row_bg is not None:
                _fill_rect(canv, row_bg, 0, tops[index + 1], self.width, h)
            for col, span, cell, _, _ in placed:
                if cell.background is not None:
                    _fill_rect(canv, cell.background, xs[col + span], tops[index + 1], xs[col] - xs[col + span], h)
        grid: list[str] = []  # rules are collected and stroked once, after the text
        dots: list[str] = []
        ink = None
        for index, (h, placed) in enumerate(rows):
            is_head = index < len(self._head)
            y, y_bottom = tops[index], tops[index + 1]
            for col, span, cell, font, lines in placed:
                x_right, x_left = xs[col], xs[col + span]
                top = y - st.pad_y
                if col in merged_below[index] and lines:
                    both = h + rows[index + 1][0]
                    top = y - (both - len(lines) * st.leading) / 2
                if lines and (cell.color or INK) is not ink:
                    ink = cell.color or INK
                    canv.setFillColor(ink)
                align = cell.align or ("center" if is_head else self.columns[col].align)
                inner = x_right - x_left - 2 * st.pad_x
                text_right = x_right - st.pad_x
                if cell.symbol and lines:
                    # The shape goes just right of the text (before it, reading right to left);
                    # shape and text are aligned in the cell as one group.
                    group = shaping.visual_line(tuple(lines[0]), font).width * st.size + SYMBOL_W
                    if align == "center":
                        text_right = x_left + st.pad_x + (inner + group) / 2
                    elif align == "left":
                        text_right = x_left + st.pad_x + group
                    base = _baseline(top, st.leading, st.size)
                    draw_symbol(canv, cell.symbol, text_right - SYMBOL_W / 2 + 1, base + st.size * 0.3, 3.2,
                                cell.color or INK)
                    text_right -= SYMBOL_W
                    inner -= SYMBOL_W
                    align = "right"
                    canv.setFillColor(ink)
                for i, words in enumerate(lines):
                    line = shaping.visual_line(tuple(words), font)
                    base = _baseline(top - i * st.leading, st.leading, st.size)
                    draw_line(canv, line, font, st.size, text_right, base, inner, align)
                if cell.blank_line:
                    dots.append(f"{x_left + 12:.2f} {y_bottom + 10:.2f} m {x_right - 12:.2f} {y_bottom + 10:.2f} l")
                if col + span < len(self.columns):
                    grid.append(f"{x_left:.2f} {y_bottom:.2f} m {x_left:.2f} {y:.2f} l")
                if col not in merged_below[index]:
                    grid.append(f"{x_left:.2f} {y_bottom:.2f} m {x_right:.2f} {y_bottom:.2f} l")
        grid.append(f"0 0 {self.width:.2f} {table_h:.2f} re")
        canv.setStrokeColor(st.grid)
        canv.setLineWidth(0.4)
        canv._code.append(" ".join(grid) + " S")
        if dots:
            canv._code.append("q 1 J [0.1 3] 0 d 0.8 w " + " ".join(dots) + " S Q")


def record_listed(canv, key: str, top: float) -> None:
    """Note the page a listed table or figure starts on (for the list of tables and figures)
    and leave a destination there for its link."""
    pages = getattr(canv, "listed_pages", None)
    if pages is not None and key not in pages:
        pages[key] = canv.getPageNumber()
        _, y = canv.absolutePosition(0, top)
        canv.bookmarkHorizontalAbsolute(key, y + 4)


class ListedFigure(Flowable):
    """A chart listed in «فهرست جدول‌ها و نمودارها»."""

    def __init__(self, drawing, key: str) -> None:
        super().__init__()
        self.drawing = drawing
        self.key = key

    def wrap(self, avail_width, avail_height):
        self.width, self.height = self.drawing.wrap(avail_width, avail_height)
        return self.width, self.height

    def draw(self):
        record_listed(self.canv, self.key, self.height)
        self.drawing.drawOn(self.canv, 0, 0)


SYMBOL_W = 9.0  # room a status shape takes beside its text


def draw_symbol(canv, shape: str, cx: float, cy: float, r: float, color) -> None:
    """A black-and-white-safe status mark: ● on track, ▲ at risk, ■ off track (drawn: the
    font has no such glyphs), filled with the status colour."""
    canv.saveState()
    canv.setFillColor(color)
    canv.setStrokeColor(color)
    if shape == "circle":
        canv.circle(cx, cy, r, stroke=0, fill=1)
    elif shape == "triangle":
        path = canv.beginPath()
        path.moveTo(cx - r * 1.1, cy - r * 0.9)
        path.lineTo(cx + r * 1.1, cy - r * 0.9)
        path.lineTo(cx, cy + r * 1.1)
        path.close()
        canv.drawPath(path, stroke=0, fill=1)
    elif shape == "square":
        canv.rect(cx - r * 0.9, cy - r * 0.9, r * 1.8, r * 1.8, stroke=0, fill=1)
    canv.restoreState()


class StatusLegend(Flowable):
    """«● در مسیر  ▲ در معرض خطر  ■ عقب از برنامه», right to left, shapes drawn."""

    def __init__(self, items: Sequence[tuple[str, str, colors.Color]], size: float = 8.5) -> None:
        super().__init__()
        self.items = list(items)
        self.size = size
        self.spaceBefore, self.spaceAfter = 2.0, 6.0

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = self.size * 1.8
        return self.width, self.height

    def draw(self):
        canv = self.canv
        x = self.width
        y = self.height * 0.3
        for shape, label, color in self.items:
            draw_symbol(canv, shape, x - 4, y + self.size * 0.3, 3.2, color)
            line = shaping.visual(label, REGULAR)
            canv.setFillColor(MUTED)
            emit_text(canv, x - SYMBOL_W - line.width * self.size, y, line.text, REGULAR, self.size)
            x -= SYMBOL_W + line.width * self.size + 14


def _fill_rect(canv, color, x: float, y: float, w: float, h: float) -> None:
    canv.setFillColor(color)
    canv._code.append(f"{x:.2f} {y:.2f} {w:.2f} {h:.2f} re f")


def key_value_table(pairs: Sequence[tuple[str, str]], per_row: int = 2, style: TableStyle | None = None) -> RTLTable:
    """Facts about a node («کد», «واحد مسئول», dates…) as label/value pairs, two per row."""
    cols: list[Column] = []
    for _ in range(per_row):
        cols += [Column("", 0.55), Column("", 1.45)]
    rows = []
    pairs = [(label, value or NOT_SET) for label, value in pairs]  # an empty field is said, not dropped
    for i in range(0, len(pairs), per_row):
        row: list = []
        for label, value in pairs[i:i + per_row]:
            row += [Cell(label, bold=True, background=TOTAL_BG), value]
        rows.append(row)
    st = style or TableStyle(zebra=None, space_after=6.0)
    return RTLTable(cols, rows, header=[], style=st)
