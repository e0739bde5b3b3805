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


def is_presentation_form(cp: int) -> bool:
    return 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF


def text_of(cp: int) -> str:
    """What a glyph drawn for code point ``cp`` means as text (for ToUnicode).

    Multi-letter glyphs (lam-alef, «الله», «ۀ») are written in *visual* order, right letter
    last: we draw RTL text as left-to-right glyph runs, and text extractors (poppler's
    pdftotext, pdf.js) rebuild reading order by reversing RTL runs character by character,
    ligature expansions included. Spelling them reversed here makes «اعلام» come back as
    «اعلام» and not «اعالم»."""
    if cp in _PUA_TEXT:
        return _PUA_TEXT[cp]
    if cp in _TEXT_OVERRIDES:
        return _TEXT_OVERRIDES[cp][::-1]
    ch = chr(cp)
    if is_presentation_form(cp):
        text = unicodedata.normalize("NFKC", ch).strip() or ch
        return text[::-1] if len(text) > 1 else text
    return ch


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """A ToUnicode CMap like ReportLab's, but mapping presentation forms to base letters."""
    entries = []
    for code, cp in enumerate(subset):
        text = text_of(cp)
        hexes = "".join(f"{ord(c):04X}" for c in text)
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
        pdfmetrics.registerFont(regular)
        pdfmetrics.registerFont(bold)
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
        _registered = True


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
