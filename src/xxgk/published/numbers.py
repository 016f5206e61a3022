"""A table cell's text as printed → a number, a blank, or something that is not a number."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# What agencies print for "none" in a cell; NFKC has made ／ and － half-width already.
BLANK_MARKS = frozenset({"", "/", "\\", "-", "--", "—", "——", "–", "无", "空", "×"})
_INT = re.compile(r"\d+")
# 1,517 or 1 517 (a space or thin space between groups of three)
_GROUPED = re.compile(r"\d{1,3}(?:[, \u2009\u202f]\d{3})+")
_DECIMAL = re.compile(r"(\d+|\d{1,3}(?:[, \u2009\u202f]\d{3})+)\.(\d+)")

# Marks that NFKC would turn into digits or drop: a footnote mark (5①, 5¹) is no digit of the
# number, and a struck-out digit (an overlay, as the extractors write struck text) is no digit.
_MARKS = frozenset({"No", "Mn", "Me"})

NUMBER = "number"
BLANK = "blank"
BAD = "bad"


@dataclass(frozen=True)
class Value:
    kind: str  # NUMBER, BLANK or BAD
    number: int | float | None = None


def read_value(text: str, decimal: bool = False) -> Value:
    """The cell's value: an int (a float where `decimal`, the 万元 fee), a blank, or BAD."""
    if _marked(text):
        return Value(BAD)
    t = unicodedata.normalize("NFKC", text).strip()
    if t in BLANK_MARKS:
        return Value(BLANK)
    if _INT.fullmatch(t) or _GROUPED.fullmatch(t):
        return Value(NUMBER, int(re.sub(r"\D", "", t)))
    m = _DECIMAL.fullmatch(t)
    if m and decimal:
        return Value(NUMBER, float(re.sub(r"\D", "", m[1]) + "." + m[2]))
    return Value(BAD)


def value_like(text: str) -> bool:
    """A token that can stand in a number column: a number (any) or a blank mark."""
    if _marked(text):
        return False
    t = unicodedata.normalize("NFKC", text).strip()
    return t in BLANK_MARKS or bool(
        _INT.fullmatch(t) or _GROUPED.fullmatch(t) or _DECIMAL.fullmatch(t)
    )


def is_number(text: str) -> bool:
    if _marked(text):
        return False
    t = unicodedata.normalize("NFKC", text).strip()
    return bool(_INT.fullmatch(t) or _GROUPED.fullmatch(t) or _DECIMAL.fullmatch(t))


def _marked(text: str) -> bool:
    return any(unicodedata.category(ch) in _MARKS for ch in text)
