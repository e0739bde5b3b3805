"""Persian text on every write path: one normaliser, one search key, one number parser.

Every entry point (GUI, command line, imports) stores what :func:`normalize_text` returns,
so the store never holds Arabic yeh/kaf, Arabic-Indic digits, stray direction marks or
tatweel.  Search compares :func:`fold` keys so spelling variants find each other.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

ZWNJ = "\u200c"

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ASCII_DIGITS = "0123456789"

# Letters typed from an Arabic keyboard layout and their Persian forms.  Hamza forms
# (ؤ ئ أ ۀ هٔ) are real spelling and stay.
_LETTERS = {
    "\u064a": "ی",  # ARABIC LETTER YEH
    "\u0649": "ی",  # ARABIC LETTER ALEF MAKSURA
    "\u0643": "ک",  # ARABIC LETTER KAF
}
_TO_PERSIAN_TEXT = str.maketrans({**_LETTERS, **dict(zip(ARABIC_INDIC_DIGITS, PERSIAN_DIGITS, strict=True))})
_TO_PERSIAN_DIGITS = str.maketrans(ASCII_DIGITS + ARABIC_INDIC_DIGITS, PERSIAN_DIGITS * 2)
_TO_ASCII_DIGITS = str.maketrans(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, ASCII_DIGITS * 2)

# Invisible marks that arrive by copy-paste and break equality and search:
# LRM, RLM, ALM, LRE..RLO, LRI..PDI, BOM, and tatweel (decorative stretching).
_DROP = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069\ufeff\u0640"))
# Control characters arrive by pasting from Word and other programs and make Excel (and XML)
# refuse the whole file.  Line-breaking ones become a newline (Word's manual line break is
# VT, a page break FF; U+2028/2029 and NEL are Unicode's line and paragraph separators);
# every other C0/C1 control except tab and newline is dropped.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_SPACE_AROUND_ZWNJ = re.compile(r" *\u200c+ *")

# Search folding: diacritics (harakat, superscript alef, hamza above) and ZWNJ/space
# differences must not matter.  Letter variants fold to one base letter.
_FOLD_LETTERS = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ؤ": "و", "ئ": "ی", "ۀ": "ه", "ة": "ه",
    **_LETTERS,
})


def normalize_text(value: str | None) -> str:
    """The form the store keeps for any user-typed text.

    Newlines are kept (descriptions are multi-line); runs of other whitespace collapse to
    one space; ZWNJ is kept but a ZWNJ typed next to a space is reduced to the ZWNJ alone.
    """
    if value is None:
        return ""
    text = str(value)
    if _SURROGATE.search(text):
        # A half of a UTF-16 pair cannot be written to the store, a workbook or a PDF.
        raise TextError("متن نویسه نامعتبر (نیمه یک جفت جانشین یونی‌کد) دارد؛ آن را دوباره تایپ کنید.")
    text = _CONTROLS.sub("", _LINE_BREAKS.sub("\n", text))
    text = unicodedata.normalize("NFC", text).translate(_DROP).translate(_TO_PERSIAN_TEXT)
    lines = []
    for line in text.split("\n"):
        line = _SPACES.sub(" ", line)
        line = _SPACE_AROUND_ZWNJ.sub(ZWNJ, line)
        lines.append(line.strip(" " + ZWNJ))
    # Collapse blank-line runs but keep paragraph breaks.
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return _YEAR_RANGE.sub(_one_range, out).strip() if "14" in out or "13" in out or "۱" in out else out.strip()


# A range of Jalali years however it was typed («۱۴۰۳-۱۴۰۴», «۱۴۰۳ - ۱۴۰۴», «1403—1404») is kept
# one way, «۱۴۰۳–۱۴۰۴»: an en dash, no spaces, earlier year first, so it prints the same everywhere.
_YEAR_RANGE = re.compile(r"(?<![\d۰-۹/.٫-])([۱1][۳۴34][\d۰-۹]{2}) ?[-–—‐−] ?([۱1][۳۴34][\d۰-۹]{2})(?![\d۰-۹/.٫-])")


def _one_range(m: re.Match) -> str:
    first, last = (int(g.translate(_TO_ASCII_DIGITS)) for g in m.groups())
    if not 0 < last - first <= 30:
        return m.group(0)  # not a period of years (a code, a subtraction): left as typed
    return f"{m.group(1)}–{m.group(2)}"


def normalize_code(value: str | None) -> str:
    """Codes are identifiers: normalised text with ASCII digits and no inner spaces
    (a code that looks like a year range keeps its hyphen)."""
    return normalize_text(value).replace("–", "-").translate(_TO_ASCII_DIGITS).replace(" ", "")


def without_controls(value: object) -> str:
    """Text as it was, but writable anywhere (XML, a workbook, a PDF): line-breaking controls
    become a newline, other controls go, and a lone surrogate half becomes U+FFFD."""
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", _SURROGATE.sub("\ufffd", str(value))))


def shown(value: object, limit: int = 60) -> str:
    """A user's value quoted back in an error message: never a lone surrogate (it could not be
    printed or logged), never a control character, never a whole pasted book."""
    text = _CONTROLS.sub("", _LINE_BREAKS.sub(" ", _SURROGATE.sub("\ufffd", str(value))))
    return text if len(text) <= limit else text[:limit] + "…"


@lru_cache(maxsize=262_144)
def fold(value: str | None) -> str:
    """Search key: no ZWNJ, no diacritics, unified letters and digits, lower-case Latin.

    Cached: a search folds every title of the plan, and typing in the search box repeats it."""
    text = normalize_text(None if value is None else _SURROGATE.sub("", str(value)))
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFC", text).translate(_FOLD_LETTERS).translate(_TO_ASCII_DIGITS)
    text = text.replace(ZWNJ, "").replace(" ", "")
    return text.casefold()


def ltr(value: object) -> str:
    """A file path or Latin run inside Persian text, isolated so it reads left to right
    (U+2066 LEFT-TO-RIGHT ISOLATE … U+2069 POP DIRECTIONAL ISOLATE)."""
    return f"\u2066{value}\u2069"


def to_persian_digits(value: object) -> str:
    return str(value).translate(_TO_PERSIAN_DIGITS)


def to_ascii_digits(value: object) -> str:
    return str(value).translate(_TO_ASCII_DIGITS)


# --- numbers ---------------------------------------------------------------------------

class TextError(ValueError):
    """Text that cannot be stored at all (a lone UTF-16 surrogate half); ``str()`` is Persian."""


class NumberError(ValueError):
    """A typed number could not be read; ``str()`` is a Persian message for the user."""


_GROUPING = re.compile(r"[٬,'\u066c\u2009\u202f ]")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def parse_decimal(value: str | int | float | Decimal | None) -> Decimal:
    """Read a number typed with Latin, Persian or Arabic-Indic digits.

    Accepts ٬ (U+066C) or comma as thousands separators and ٫ (U+066B), '/' between digits
    (a common Persian decimal mark) or '.' as the decimal point.  Raises NumberError.
    """
    if isinstance(value, bool):
        raise NumberError("مقدار باید عدد باشد.")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise NumberError("مقدار باید عدد باشد.")
        return Decimal(str(value))
    try:
        text = normalize_text(value).translate(_TO_ASCII_DIGITS)
    except TextError as exc:
        raise NumberError(str(exc)) from exc
    text = text.replace("\u066b", ".").replace("\u2212", "-").replace("−", "-")
    text = re.sub(r"(?<=\d)/(?=\d)", ".", text)
    text = _GROUPING.sub("", text)
    if not text:
        raise NumberError("مقداری وارد نشده است.")
    if not _NUMBER.fullmatch(text):
        raise NumberError(f"«{shown(value)}» عدد نیست.")
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise NumberError(f"«{shown(value)}» عدد نیست.") from exc


def parse_int(value: str | int | Decimal | None) -> int:
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise NumberError("مقدار باید عدد صحیح باشد.")
    return int(number)


def parse_float(value: str | int | float | Decimal | None) -> float:
    return float(parse_decimal(value))


RIALS_PER_MILLION = 1_000_000
MONEY_UNIT = "میلیون ریال"


def parse_money_million(value: str | int | Decimal | None) -> int:
    """Money is typed in million rials (fractions allowed) and stored as whole rials."""
    number = parse_decimal(value) * RIALS_PER_MILLION
    if number != number.to_integral_value():
        raise NumberError("مبلغ بیش از شش رقم اعشار میلیون ریال دارد.")
    if number < 0:
        raise NumberError("مبلغ نمی‌تواند منفی باشد.")
    return int(number)


def format_int(value: int | None) -> str:
    """۱۲٬۵۰۰٬۰۰۰ — Persian digits with the Persian thousands separator."""
    if value is None:
        return ""
    return to_persian_digits(f"{int(value):,}").replace(",", "\u066c")


def format_number(value: float | int | Decimal | None, decimals: int = 1) -> str:
    """A measured value: grouping, at most ``decimals`` places, no trailing zeros, ٫ point."""
    if value is None:
        return ""
    text = f"{Decimal(str(value)):,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return to_persian_digits(text).replace(",", "\u066c").replace(".", "\u066b")


def format_money(rials: int | None) -> str:
    """Rials shown in million rials (the unit planners read budgets in), Persian grouping."""
    if rials is None:
        return ""
    millions = Decimal(int(rials)) / RIALS_PER_MILLION
    return format_number(millions, decimals=2)


def format_percent(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return "—"
    return format_number(value, decimals) + "٪"
