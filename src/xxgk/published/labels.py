"""Row and column labels as printed, compared with the format's: how a published label is
recognised although it has spaces inside, traditional characters, other brackets or a typo.

Both sides go through `normalise`, so the official labels are never restated here: they come
from the format model and are normalised the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from typing import Any

# Everything that is not a letter, digit or ideograph: spaces, brackets of every width, the
# enumeration marks 、．. and quotes. Without them （三） and (三) and 三、 all read 三.
_NOT_WORD = re.compile(r"[\W_]+")
# Spellings that mean the same word in these reports (applied after t2s)
_VARIANTS = (("其它", "其他"),)
FUZZY_MIN = 0.8  # how alike a printed label must be to an official one to stand for it
FUZZY_MARGIN = 0.08  # and how much more alike than to any other label
FUZZY_MIN_LENGTH = 4  # shorter labels (规章, 3.其他) must be printed exactly


@cache
def _converter() -> Any:
    import opencc  # building the converter loads its dictionaries: only when a label is read

    return opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """The label as compared: NFKC, simplified characters, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = _converter().convert(text)
    for variant, usual in _VARIANTS:
        text = text.replace(variant, usual)
    return _NOT_WORD.sub("", text).lower()


def similarity(a: str, b: str, floor: float = 0.0) -> float:
    """How alike two normalised labels are, 0 to 1 (a missing or wrong character or two in a
    label of ten is still above FUZZY_MIN); 0 when it cannot reach `floor` (cheap bounds
    first: most comparisons are of unrelated lines)."""
    if not a or not b or 2 * min(len(a), len(b)) / (len(a) + len(b)) < floor:
        return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.quick_ratio() < floor:
        return 0.0
    return matcher.ratio()


@dataclass(frozen=True)
class Match:
    key: Hashable
    exact: bool
    official: str  # the official form it matched (normalised)


class Matcher:
    """Printed labels → the key of the official label they stand for."""

    def __init__(self, forms: Iterable[tuple[str, Hashable]]) -> None:
        self._exact: dict[str, Hashable] = {}
        for text, key in forms:
            self._exact.setdefault(normalise(text), key)

    def match(self, text: str) -> Match | None:
        norm = normalise(text)
        if not norm:
            return None
        key = self._exact.get(norm)
        if key is not None:
            return Match(key, True, norm)
        return self._fuzzy(norm)

    def _fuzzy(self, norm: str) -> Match | None:
        best: dict[Hashable, tuple[float, str]] = {}
        for form, key in self._exact.items():
            if len(form) < FUZZY_MIN_LENGTH:
                continue
            score = similarity(norm, form, FUZZY_MIN - FUZZY_MARGIN)  # a close second counts
            if score > best.get(key, (0.0, ""))[0]:
                best[key] = (score, form)
        ranked = sorted(best.items(), key=lambda kv: -kv[1][0])
        if not ranked or ranked[0][1][0] < FUZZY_MIN:
            return None
        if len(ranked) > 1 and ranked[0][1][0] - ranked[1][1][0] < FUZZY_MARGIN:
            return None  # alike to two labels: which one is meant is not certain
        key, (_, form) = ranked[0]
        return Match(key, False, form)


def strip_known(text: str, labels: Iterable[str]) -> str:
    """What is left of a normalised line once every known label in it (normalised, longest
    first) is taken out: a header line repeated after a page break leaves (almost) nothing."""
    for label in labels:
        if label:
            text = text.replace(label, "")
    return text
