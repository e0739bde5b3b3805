"""Persian lines for a PDF canvas: wrap in logical order, then shape and reorder each line.

The order matters (STYLE.md): a paragraph reordered as a whole before wrapping comes out
with its lines in reverse. So:

1. `wrap()` splits logical text into words and fills lines greedily, measuring each word
   *as it will be drawn* (reshaped: joined forms and ligatures have other widths).
2. `visual()` turns one logical line into the string to draw left to right: each word is
   reshaped (arabic-reshaper, harakat kept; cached), the line is reordered with
   python-bidi (base direction RTL), brackets/guillemets at odd levels are mirrored here
   (python-bidi's Rust core does not do rule L4), combining marks are put after their
   base so their zero-advance glyph lands on it, and invisible controls are dropped.

ZWNJ: arabic-reshaper uses it to break joining; we keep it in the drawn string, where
Vazirmatn maps it to an empty zero-width glyph: it never shows as a box or a space, and
`pdftotext` returns «برنامه‌ریزی» with its ZWNJ in place (so search with ZWNJ works).

Each line is laid out by the plain Unicode bidi algorithm, as Qt and word processors show
the same text, and nothing but the user's characters is drawn: no direction marks, so the
text layer is exactly what was typed and a viewer's bidi pass gives back the logical order.
Two rules on top: a number and its percent sign are one unit («۹۰٪»: the sign always follows
the digits in reading order, whatever comes before them on the line), and a number is never
separated from the word after it (its unit) by a line break.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import arabic_reshaper
from bidi import get_display

from .fonts import MIRRORED_CODE, char_widths, cluster_code, covered, is_presentation_form

ZWNJ = "\u200c"
LRI, PDI = "\u2066", "\u2069"
# Isolates we add for bidi and stray controls: not drawn (they have no glyph).
_INVISIBLE = dict.fromkeys(map(ord, "\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"))
# Direction marks typed by a user are dropped before reordering (we add our own).
_STRAY_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"))
# A number followed by a percent sign: the digits are isolated so the sign is resolved with the
# text around it and always sits after them in reading order (W5 would otherwise glue it to
# the digits only at the start of a line, flipping its side). The isolates are never drawn.
_PERCENT = re.compile(r"([0-9۰-۹٠-٩]+(?:[.,٫٬][0-9۰-۹٠-٩]+)*)(?=[٪%])")
_UNIT_WORD = re.compile(r"[٪%]|[^\W\d_]")  # a sign, or a word starting with a letter (not a bracket)
_NUMBER_WORD = re.compile(r"[+\-−]?[0-9۰-۹٠-٩]+(?:[.,٫٬/:\-–][0-9۰-۹٠-٩]+)*[٪%]?")
_LEVEL = re.compile(r"Level\(\s*(\d+)")
_HEH_HAMZA = re.compile("\u0647\u0654")
# Combining marks we may meet (Latin and Arabic blocks): a quick test before the slow path.
_ANY_MARK = re.compile("[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670"
                      "\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u08d3-\u08ff\ufe20-\ufe2f]")

_reshaper = arabic_reshaper.ArabicReshaper(configuration={
    "delete_harakat": False,
    "delete_tatweel": False,
    "support_ligatures": True,
    "ARABIC LIGATURE ALLAH": True,
})


class _FrozenConfig:
    """The reshaper's settings read once: arabic-reshaper asks its ConfigParser for the same six
    booleans on every call, which cost more than the shaping itself on a 400-page booklet."""

    def __init__(self, section) -> None:
        self._section = section
        self._booleans: dict[str, bool | None] = {}

    def getboolean(self, key: str, fallback: bool | None = None) -> bool | None:
        if key not in self._booleans:
            self._booleans[key] = self._section.getboolean(key, fallback)
        return self._booleans[key]

    def get(self, key: str, fallback=None):
        return self._section.get(key, fallback)


_reshaper.__dict__["_ligatures_re"] = _reshaper._ligatures_re  # computed now, from the parser
_reshaper.configuration = _FrozenConfig(_reshaper.configuration)


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) == "Mn"


@lru_cache(maxsize=8)
def _fallback_table(font_name: str) -> dict[int, str]:
    """Presentation forms the font lacks (e.g. isolated «ۀ») fall back to the base letter,
    which fonts draw in its isolated shape."""
    have = covered(font_name)
    table: dict[int, str] = {}
    for cp in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFF00)):
        if cp in have:
            continue
        base = unicodedata.normalize("NFKC", chr(cp))
        if base and all(ord(c) in have for c in base):
            table[cp] = base
    return table


def prepare(text: str) -> str:
    """Display preparation of a logical string (no reordering yet)."""
    text = text.translate(_STRAY_MARKS)
    if "\u0654" in text:
        text = _HEH_HAMZA.sub("\u06c0", text)  # one glyph «ۀ»; ToUnicode reads it back as ه+ٔ
    if "٪" in text or "%" in text:
        text = _PERCENT.sub(lambda m: LRI + m.group(1) + PDI, text)
    return text


@lru_cache(maxsize=200_000)
def shape_word(word: str, font_name: str) -> str:
    """A logical word reshaped to presentation forms (still logical order)."""
    shaped = _reshaper.reshape(word) if _has_arabic(word) else word
    return shaped.translate(_fallback_table(font_name))


def _has_arabic(word: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f" for c in word)


@lru_cache(maxsize=200_000)
def word_width(word: str, font_name: str) -> float:
    """Width of a (logical) word at 1 pt, measured on its shaped form."""
    widths = char_widths(font_name)
    shaped = shape_word(word, font_name).translate(_INVISIBLE)
    return sum(widths.get(ord(c), 0.0) for c in shaped) / 1000.0


def space_width(font_name: str) -> float:
    return char_widths(font_name).get(32, 250.0) / 1000.0


def split_words(text: str) -> list[str]:
    """Words to fill lines with; a number and the word after it (its sign or unit) are one."""
    words = prepare(text).split()
    if len(words) < 2:
        return words
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if i + 1 < len(words) and _NUMBER_WORD.fullmatch(word.translate(_INVISIBLE)) \
                and _UNIT_WORD.match(words[i + 1].translate(_INVISIBLE)):
            word = f"{word} {words[i + 1]}"
            i += 1
        out.append(word)
        i += 1
    return out


def wrap(text: str, font_name: str, size: float, width: float) -> list[list[str]]:
    """Greedy line filling in logical order. Returns lines as lists of logical words.

    Newlines in ``text`` are hard breaks. A word wider than the line is broken by
    characters (rare: long Latin identifiers)."""
    return [list(line) for line in _wrap(text, font_name, size, round(width, 3))]


@lru_cache(maxsize=50_000)
def _wrap(text: str, font_name: str, size: float, width: float) -> tuple[tuple[str, ...], ...]:
    lines: list[list[str]] = []
    space = space_width(font_name) * size
    for hard in text.split("\n"):
        words = split_words(hard)
        if not words:
            lines.append([])
            continue
        current: list[str] = []
        used = 0.0
        pending = list(reversed(words))
        while pending:
            word = pending.pop()
            w = word_width(word, font_name) * size
            if w > width and " " in word:
                pending.extend(reversed(word.split(" ")))  # a number and its unit that cannot share a line
                continue
            if w > width:
                if current:
                    lines.append(current)
                pieces = _break_long(word, font_name, size, width)
                lines.extend([p] for p in pieces[:-1])
                current, used = [pieces[-1]], word_width(pieces[-1], font_name) * size
                continue
            if current and used + space + w > width + 1e-6:
                lines.append(current)
                current, used = [word], w
            else:
                used = used + space + w if current else w
                current.append(word)
        lines.append(current)
    return tuple(tuple(line) for line in lines)


def _break_long(word: str, font_name: str, size: float, width: float) -> list[str]:
    pieces, cur = [], ""
    for ch in word:
        if cur and word_width(cur + ch, font_name) * size > width:
            pieces.append(cur)
            cur = ch
        else:
            cur += ch
    pieces.append(cur)
    return pieces


@dataclass(frozen=True, slots=True)
class Line:
    """One line ready to draw: glyph string in visual (left-to-right) order."""

    text: str
    width: float  # at 1 pt
    spaces: int


_STRONG_R = frozenset(("R", "AL"))
_LTR_RUN = frozenset(("L", "EN", "AN"))


@lru_cache(maxsize=100_000)
def visual_line(words: tuple[str, ...], font_name: str) -> Line:
    """Shape, reorder and mirror one logical line; the result is drawn left to right.

    A line with any strong RTL letter, or with Persian digits and no Latin letter, is an RTL
    paragraph; any other is laid out LTR (a cell holding «GIS 2.5» reads as typed)."""
    if "٪" in "".join(words) or "%" in "".join(words):
        words = _percent_units(words)
    shaped = " ".join(shape_word(w, font_name) for w in words)
    classes = {_bidi_class(c) for c in set(shaped)}
    # Persian digits with no Latin letter («۱۴۰۳–۱۴۰۴» alone in a cell) belong to the Persian
    # text around them: laid out right to left like the same range inside a sentence.
    persian_numbers = "L" not in classes and any("\u06f0" <= c <= "\u06f9" for c in shaped)
    if classes.isdisjoint(_STRONG_R) and not persian_numbers:
        vis = get_display(shaped, base_dir="L")
    elif classes.isdisjoint(_LTR_RUN):
        # Everything sits at level 1: the display order is the reversed string.
        vis = get_display(shaped, base_dir="R").translate(_RTL_LEVEL_TABLE)
    else:
        vis = _reorder_rtl(shaped)
    vis = _marks_after_base(vis).translate(_INVISIBLE)
    widths = char_widths(font_name)
    width = sum(widths.get(ord(c), 0.0) for c in vis) / 1000.0
    return Line(vis, width, vis.count(" "))


_bidi_class = lru_cache(maxsize=4096)(unicodedata.bidirectional)


class _RtlLevelTable(dict):
    """str.translate table applying `_rtl_char` to every character (filled on demand)."""

    def __missing__(self, cp: int) -> str:
        self[cp] = value = _rtl_char(chr(cp))
        return value


_RTL_LEVEL_TABLE = _RtlLevelTable()


def _rtl_char(c: str) -> str:
    """A character at an RTL level: a bracket is drawn with its mirrored glyph."""
    return MIRRORED_CODE.get(c, c)


_ISOLATED_PERCENT = re.compile(LRI + r"([^" + PDI + r"]*)" + PDI + r"([٪%])")
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff]")


def _percent_units(words: tuple[str, ...]) -> tuple[str, ...]:
    """«۹۰٪» reads back as typed wherever it sits on the line. A viewer rebuilds the text with
    the bidi algorithm from the drawn order: digits with a Persian letter drawn to their left
    (later on the line) are Arabic numbers, and the sign must be drawn on their left; digits
    with none (the line's last words, a cell of their own) are European numbers, and the
    sign is drawn on their right, where the viewer attaches it (rule W5)."""
    line = " ".join(words)
    out, last = [], 0
    for m in _ISOLATED_PERCENT.finditer(line):
        out.append(line[last:m.start()])
        if _ARABIC_LETTER.search(line, m.end()):
            out.append(m.group(0))
        else:
            out.append(LRI + m.group(1) + m.group(2) + PDI)
        last = m.end()
    out.append(line[last:])
    return tuple("".join(out).split(" "))


def visual(text: str, font_name: str) -> Line:
    """A single-line string (no wrapping) in drawing order."""
    return visual_line(tuple(split_words(text)), font_name)


def _char_levels(text: str, base: str) -> list[int]:
    """Resolved embedding level per character, read from python-bidi's debug output
    (its levels are listed per UTF-8 byte)."""
    dbg = get_display(text, base_dir=base, debug=True)
    start = dbg.index("levels: [")
    end = dbg.index("paragraphs:", start)
    byte_levels = [int(x) for x in _LEVEL.findall(dbg, start, end)]
    levels, pos = [], 0
    for ch in text:
        levels.append(byte_levels[pos])
        pos += len(ch.encode("utf-8"))
    return levels


def _reorder_rtl(text: str) -> str:
    """Rules L1, L2 and L4 of the bidi algorithm on levels from python-bidi."""
    levels = _char_levels(text, "R")
    i = len(text) - 1
    while i >= 0 and (text[i] == " " or text[i] in "\u2066\u2067\u2068\u2069"):
        levels[i] = 1  # L1: trailing whitespace and isolate controls take the paragraph level
        i -= 1
    order = list(range(len(text)))
    top = max(levels)
    for k in range(top, 0, -1):  # L2
        i, n = 0, len(order)
        while i < n:
            if levels[order[i]] >= k:
                j = i
                while j < n and levels[order[j]] >= k:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    out: list[str] = []
    for idx in order:
        c, lv = text[idx], levels[idx]
        if lv % 2:
            out.append(_rtl_char(c))
            continue
        out.append(c)
    return "".join(out)


def _marks_after_base(vis: str) -> str:
    """Reordering puts an RTL base letter's combining marks before it; zero-advance mark
    glyphs are drawn over the glyph *before* the pen, so move them after their base."""
    if not _ANY_MARK.search(vis):
        return vis
    out: list[str] = []
    pending: list[str] = []
    for ch in vis:
        if _is_mark(ch):
            pending.append(ch)
            continue
        if pending and _is_rtl_letter(ch):
            base, marks = cluster_code(ch, "".join(reversed(pending)))
            out.append(base + marks)
        else:
            if pending:
                out.extend(pending)  # LTR: the mark already follows its base
            out.append(ch)
        pending = []
    out.extend(pending)
    return "".join(out)


def _is_rtl_letter(ch: str) -> bool:
    cp = ord(ch)
    return 0x0600 <= cp <= 0x06FF or is_presentation_form(cp) or 0x0750 <= cp <= 0x077F


def fit_text(text: str, font_name: str, size: float, width: float) -> str:
    """Shorten a single-line text with an ellipsis (in logical order) to fit ``width``."""
    words = split_words(text)
    if visual_line(tuple(words), font_name).width * size <= width:
        return text
    while words and visual_line((*words, "…"), font_name).width * size > width:
        words.pop()
    return " ".join([*words, "…"])
