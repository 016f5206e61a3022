"""Output file names: safe on every common filesystem, deterministic, unique within a run."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from xxgk.batch.summary import SUMMARY_CSV, SUMMARY_JSON
from xxgk.format.clean import clean_text
from xxgk.format.paths import is_whole

MAX_STEM_CHARS = 60
MAX_STEM_BYTES = 180  # leaves room for "-99.html" under the 255-byte limit of most filesystems


_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f]+')
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}
# Stems the output folder's own files use; an agency can never take them.
_OWN_STEMS = {Path(SUMMARY_JSON).stem.casefold(), Path(SUMMARY_CSV).stem.casefold()}


def safe_stem(text: str) -> str:
    """A file name stem that every common filesystem (Windows included) accepts, or ''."""
    return text if _plain_stem(text) else _safe_stem(text)


_SPECIAL = frozenset('\\/:*?"<>|')  # what _FORBIDDEN takes but control characters


def _plain_stem(text: str) -> bool:
    """Whether `_safe_stem` leaves `text` as it is, told by C-speed tests (the step each makes
    a no-op): printable (no control or format character, no lone surrogate, no space but
    U+0020), in NFC, no forbidden character, no run of spaces, nothing to strip at either end,
    short enough, not a reserved name. An agency's name, as a rule: 14 µs an input the other
    way, in the run."""
    return (
        0 < len(text) <= MAX_STEM_CHARS
        and text.isprintable()
        and text[0] not in " ._"
        and text[-1] not in " ._"
        and "  " not in text
        and _SPECIAL.isdisjoint(text)
        and unicodedata.is_normalized("NFC", text)
        and len(text.encode("utf-8")) <= MAX_STEM_BYTES
        and text.split(".", 1)[0].casefold() not in _RESERVED
    )


def _safe_stem(text: str) -> str:
    text = unicodedata.normalize("NFC", clean_text(text))
    # format characters (right-to-left overrides, zero-width spaces…) only hide what a name says
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = _FORBIDDEN.sub("_", text)
    text = " ".join(text.split())  # newlines, tabs and runs of spaces → one space
    text = text.strip(" ._")  # Windows drops trailing dots/spaces; leading dots hide files
    if len(text) > MAX_STEM_CHARS:
        text = text[:MAX_STEM_CHARS]
    while len(text.encode("utf-8")) > MAX_STEM_BYTES:
        text = text[:-1]
    text = text.rstrip(" .")
    if text.split(".", 1)[0].casefold() in _RESERVED:
        text = "_" + text
    return text


def path_stem(path: str) -> str:
    """`Path(path).stem` of a path as a Path writes it, without making the Path (15 µs an
    input in the run): the last part, less its suffix (none when the only dot leads or ends)."""
    name = os.path.basename(path)
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def output_stem(agency: Any, year: Any, fallback: str) -> str:
    """`<机关名称>-<年度>` from the data, else the input's own file name."""
    name = safe_stem(agency) if isinstance(agency, str) else ""
    if not name:
        name = safe_stem(fallback) or "报告"
    if is_whole(year):
        name = f"{name}-{year}"
    return name


class NameAllocator:
    """Hands out stems unique within one run, case-insensitively (Windows, macOS).

    `reserved` are file names that must never be written: the inputs that sit in the output
    folder itself (converting a folder into itself must not overwrite a report with another).
    """

    def __init__(self, reserved: Iterable[str] = (), suffixes: Iterable[str] = ()) -> None:
        self._taken: set[str] = set(_OWN_STEMS)
        self._reserved = {name.casefold() for name in reserved}
        self._suffixes = tuple(suffixes)

    def _free(self, candidate: str) -> bool:
        folded = candidate.casefold()
        return folded not in self._taken and not any(
            (folded + suffix).casefold() in self._reserved for suffix in self._suffixes
        )

    def take(self, stem: str) -> str:
        candidate, n = stem, 1
        while not self._free(candidate):
            n += 1
            candidate = f"{stem}-{n}"
        self._taken.add(candidate.casefold())
        return candidate
