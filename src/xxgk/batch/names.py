"""Output file names: safe on every common filesystem, deterministic, unique within a run."""

from __future__ import annotations

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
