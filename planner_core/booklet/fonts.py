"""Vazirmatn for the booklet: registered once, embedded as subsets, searchable.

Why a TTFont subclass: we draw Persian as *shaped* text, i.e. Arabic presentation-form
code points (U+FB50–U+FDFF, U+FE70–U+FEFF) chosen by arabic-reshaper. ReportLab's
subsetter writes a ToUnicode CMap that maps every glyph back to the code point it was
drawn with, so `pdftotext` and a viewer's search would see presentation forms (which
look right but do not match a word typed on a keyboard). `SearchableTTFont` rewrites
that CMap after ReportLab built it: every presentation form maps to its base letter(s)
(NFKC; lam-alef → «لا», the Allah ligature → «الله»). The glyph drawn is unchanged.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

FONT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
REGULAR = "Vazirmatn"
BOLD = "Vazirmatn-Bold"

_lock = threading.Lock()
_registered = False

# Display-only substitutions whose text meaning differs from NFKC: «ۀ» is drawn for a heh
# followed by hamza above (see shaping.py), and must read back as the two letters stored.
_TEXT_OVERRIDES = {
    0x06C0: "\u0647\u0654",
    0xFBA4: "\u0647\u0654",
    0xFBA5: "\u0647\u0654",
}

# Mirrored brackets. A bracket at an RTL level is drawn with its mirror glyph («(» looks
# like «)»), but must read back as the character the author typed. The glyph alone cannot
# say which, so a mirrored bracket is drawn with a private-use code point that shows the
# mirror glyph and whose ToUnicode entry is the original character.
MIRROR_PAIRS = {"(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{", "«": "»", "»": "«",
                "<": ">", ">": "<", "‹": "›", "›": "‹"}
_PUA_BASE = 0xF5E0
MIRRORED_CODE = {ch: chr(_PUA_BASE + i) for i, ch in enumerate(MIRROR_PAIRS)}
_PUA_TEXT = {ord(code): ch for ch, code in MIRRORED_CODE.items()}

# Letters with combining marks (tanwin in «تقریباً», harakat). The mark is drawn as its own
# zero-advance glyph just after its base, where it lands on the base. Extraction would
# then read the mark before the letter (it reverses RTL runs glyph by glyph), so the base
# is drawn with a private code that reads back as letter+marks, and the mark with a
# private code that reads back as nothing. Codes are handed out on first use.
_CLUSTER_FIRST, _CLUSTER_LAST = 0xE000, 0xF4FF
_cluster_codes: dict[tuple[str, str], str] = {}
_silent_codes: dict[str, str] = {}
_fonts: list[TTFont] = []


def is_presentation_form(cp: int) -> bool:
    return 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF


def logical_text(cp: int) -> str:
    """The letters (in reading order) that a glyph drawn for code point ``cp`` stands for."""
    if cp in _PUA_TEXT:
        return _PUA_TEXT[cp]
    if cp in _TEXT_OVERRIDES:
        return _TEXT_OVERRIDES[cp]
    ch = chr(cp)
    if is_presentation_form(cp):
        return unicodedata.normalize("NFKC", ch).strip() or ch
    return ch


def text_of(cp: int) -> str:
    """What a glyph drawn for code point ``cp`` means as text (for ToUnicode).

    Multi-letter glyphs (lam-alef, «الله», «ۀ», a letter with its marks) are spelled in
    *visual* order: we draw RTL text as left-to-right glyph runs, and text extractors
    (poppler's pdftotext, pdf.js) rebuild reading order by reversing RTL runs character by
    character, ligature expansions included. Spelling them reversed here makes «اعلام»
    come back as «اعلام» and not «اعالم»."""
    text = logical_text(cp)
    return text[::-1] if len(text) > 1 else text


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """A ToUnicode CMap like ReportLab's, but mapping presentation forms to base letters."""
    entries = []
    for code, cp in enumerate(subset):
        text = text_of(cp)
        hexes = "".join(f"{ord(c):04X}" for c in text)  # empty for a silent mark: reads as nothing
        entries.append(f"<{code:02X}> <{hexes}>")
    blocks = []
    for i in range(0, len(entries), 100):  # the PDF spec allows 100 entries per block
        chunk = entries[i:i + 100]
        blocks.append(f"{len(chunk)} beginbfchar")
        blocks.extend(chunk)
        blocks.append("endbfchar")
    return "\n".join([
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        *blocks,
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ])


class SearchableTTFont(TTFont):
    """TTFont whose ToUnicode CMaps map presentation forms back to base letters."""

    def addObjects(self, doc) -> None:
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)
        # ReportLab registered one CMap stream per subset under a predictable name;
        # replace its content before the document is serialised.
        for n, subset in enumerate(subsets):
            base = (b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))).decode("pdfdoc")
            stream = doc.idToObject.get("toUnicodeCMap:" + base)
            if stream is not None:
                stream.content = _to_unicode_cmap(base, subset)


def register_fonts() -> None:
    """Register regular and bold Vazirmatn with ReportLab (idempotent, thread-safe)."""
    global _registered
    with _lock:
        if _registered:
            return
        # shapable=False: we shape ourselves (ReportLab's harfbuzz path would reorder again).
        # asciiReadable=False: codes are given out in order of first use, so the ~250 glyphs
        # of Persian text share one 256-code subset instead of switching fonts mid-line.
        regular = SearchableTTFont(REGULAR, str(FONT_DIR / "Vazirmatn-Regular.ttf"), shapable=False,
                                   asciiReadable=False)
        bold = SearchableTTFont(BOLD, str(FONT_DIR / "Vazirmatn-Bold.ttf"), shapable=False,
                                asciiReadable=False)
        for font in (regular, bold):
            _add_mirrored_codes(font)
            _fonts.append(font)
        pdfmetrics.registerFont(regular)
        pdfmetrics.registerFont(bold)
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
        _registered = True


def cluster_code(base: str, marks: str) -> tuple[str, str]:
    """Private codes for drawing ``base`` followed by its combining ``marks``: one for the
    base glyph that reads back as base+marks, and one per mark that reads back as nothing.
    Falls back to the plain characters when the codes run out or a glyph is missing."""
    with _lock:
        key = (base, marks)
        code = _cluster_codes.get(key)
        if code is None:
            cp = _CLUSTER_FIRST + len(_cluster_codes) + len(_silent_codes)
            if cp > _CLUSTER_LAST or not all(_has_glyph(c) for c in base + marks):
                return base, marks
            code = chr(cp)
            _cluster_codes[key] = code
            _PUA_TEXT[cp] = logical_text(ord(base)) + marks
            _alias(cp, ord(base))
        silent = []
        for mark in marks:
            m = _silent_codes.get(mark)
            if m is None:
                cp = _CLUSTER_FIRST + len(_cluster_codes) + len(_silent_codes)
                if cp > _CLUSTER_LAST:
                    return base, marks
                m = _silent_codes[mark] = chr(cp)
                _PUA_TEXT[cp] = ""
                _alias(cp, ord(mark))
            silent.append(m)
        return code, "".join(silent)


def _has_glyph(ch: str) -> bool:
    return all(ord(ch) in f.face.charToGlyph for f in _fonts)


def _alias(code: int, original: int) -> None:
    """Let private ``code`` draw the glyph of ``original`` in every registered font."""
    for font in _fonts:
        face = font.face
        face.charToGlyph[code] = face.charToGlyph[original]
        face.charWidths[code] = face.charWidths.get(original, face.defaultWidth)
    char_widths.cache_clear()
    covered.cache_clear()


def _add_mirrored_codes(font: TTFont) -> None:
    face = font.face
    for ch, code in MIRRORED_CODE.items():
        mirror = ord(MIRROR_PAIRS[ch])
        if mirror in face.charToGlyph:
            face.charToGlyph[ord(code)] = face.charToGlyph[mirror]
            face.charWidths[ord(code)] = face.charWidths.get(mirror, face.defaultWidth)


@cache
def char_widths(font_name: str) -> dict[int, float]:
    """Advance widths per code point in 1/1000 em, for fast measurement."""
    register_fonts()
    face = pdfmetrics.getFont(font_name).face
    return dict(face.charWidths)


@cache
def covered(font_name: str) -> frozenset[int]:
    register_fonts()
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)
