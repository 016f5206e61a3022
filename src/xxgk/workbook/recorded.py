"""Last year's figures recorded in next year's workbook (`xxgk template --from LAST`).

The figures that the cross-year rules need (`check.years.RECORDED_PATHS`) are kept as hidden
workbook-level defined names `xxgk.previous.<dotted path>` holding constants, so that rules 6 and
7 run later without the old file. This module writes and reads those names' formula texts; it
never evaluates anything.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from xxgk.check.years import RECORDED_PATHS
from xxgk.format.paths import get_path, is_number

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

NAME_PREFIX = "xxgk.previous."  # prefix of the recorded defined names in a workbook


def recorded_names(last: dict[str, Any]) -> dict[str, str | int | float]:
    """Defined name → value to record in next year's workbook (only values that are present)."""
    out: dict[str, str | int | float] = {}
    for path in RECORDED_PATHS:
        value = get_path(last, path)
        if isinstance(value, str) and value or is_number(value):
            out[NAME_PREFIX + ".".join(path)] = value
    return out


def name_formula(value: str | int | float) -> str:
    """A defined name's formula text for a constant: `"text"` (quotes doubled) or a number."""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return repr(value)


def parse_name_formula(text: str) -> str | int | float | None:
    """The constant a defined name's formula holds; None for anything else (a reference, a
    formula). Never evaluates anything."""
    text = text.strip()
    if text.startswith("="):
        text = text[1:].strip()
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        inner = text[1:-1]
        return None if re.search(r'(?<!")"(?!")', inner) else inner.replace('""', '"')
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    if re.fullmatch(r"-?[0-9]+\.[0-9]*(?:[eE][-+]?[0-9]+)?", text):
        return float(text)
    return None


_BY_NAME = {NAME_PREFIX + ".".join(p): p for p in RECORDED_PATHS}


def previous_from_names(names: Mapping[str, Any]) -> dict[str, Any] | None:
    """The partial last-year report recorded in a workbook's defined names.

    `names` maps defined names to their formula text exactly as stored (`"额敏县…"`, `2024`,
    with or without a leading `=`), or to numbers already parsed. Names that are not ours, and
    values that are not constants of the expected kind, are ignored. None if nothing is recorded.
    """
    out: dict[str, Any] = {}
    for name, raw in names.items():
        path = _BY_NAME.get(name)
        if path is None:
            continue
        value = parse_name_formula(raw) if isinstance(raw, str) else raw
        if value is None or (path == ("agency", "name")) != isinstance(value, str):
            continue  # not a constant of the expected kind: ignore rather than guess
        node = out
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    return out or None
