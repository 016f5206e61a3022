"""Checking the total cells of a workbook: a number typed over a formula, a formula that no
longer sums exactly its parts' cells (found through the workbook's own names), a stale cached
value. Totals are never read from the cells: they are computed from the inputs.

What a total's formula sums is judged lenient on form, strict on content: `SUM(…)` over cells
and ranges separated by commas, or cells (and SUMs) joined by `+`; `$` anchors, a leading `=`,
any case and spaces are fine, and so is a reference naming the total's own sheet. Anything else
(a number, another function, -, *, a whole column) is not a plain sum of cells, hence not the
total's formula.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from xxgk.check import findings as fc
from xxgk.check.findings import Finding
from xxgk.format import arithmetic as ar
from xxgk.format import model as m
from xxgk.format.lazyre import lazy
from xxgk.workbook import cells as cv
from xxgk.workbook.cellref import col_letters, col_number, split_cell
from xxgk.workbook.slots import TOTAL_SLOTS

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

Cell = tuple[str, str]  # (sheet, "C6")

# For each of TOTAL_SLOTS: every list of pointers a right formula may sum (the first is the
# template's); see `arithmetic.PARTS_OF`.
_PART_OPTIONS = tuple(ar.PARTS_OF[leaf.pointer] for _, leaf in TOTAL_SLOTS)
# For each of TOTAL_SLOTS: the sets of cells a right formula may sum (the first is the template's).
TotalParts = tuple[tuple[frozenset[Cell], ...], ...]


def total_part_cells(cells: Mapping[str, Cell]) -> TotalParts:
    """The cells each total's formula must sum, found through the workbook's own names (so a
    moved layout still checks right). Cached per layout by the file reader."""
    return tuple(
        tuple(frozenset(cells[p] for p in parts) for parts in options) for options in _PART_OPTIONS
    )


_MAX_RANGE_CELLS = 4096  # larger than any block of the format; beyond it, no need to expand


# compiled when first needed: case-blind and with a class of what a sheet name may hold, it took
# 1.9 ms of a start, and the template's own totals are read by `_ONE_RANGE`
_TOKEN = lazy(
    r"""\s*(?:
    (?P<ref>
        (?:(?:'(?P<quoted>(?:[^']|'')+)'|(?P<plain>[^\s'!(),:+\-*/&^=<>"{}$]+))!)?
        \$?(?P<c1>[A-Za-z]{1,3})\$?(?P<r1>[0-9]{1,7})
        (?:\s*:\s*\$?(?P<c2>[A-Za-z]{1,3})\$?(?P<r2>[0-9]{1,7}))?
    )(?![A-Za-z0-9_(!])
    |(?P<sum>SUM\s*\()
    |(?P<op>[+,)])
    )""",
    re.VERBOSE | re.IGNORECASE,
)


# the template's totals, and most typed over them: one range of the sheet summed, in capitals
_ONE_RANGE = lazy(r"SUM\(\$?([A-Z]{1,3})\$?([0-9]{1,7}):\$?([A-Z]{1,3})\$?([0-9]{1,7})\)")


def _ref_cells(match: re.Match[str], sheet: str, allow_range: bool) -> list[Cell] | None:
    quoted, plain = match.group("quoted"), match.group("plain")
    if quoted is not None or plain is not None:
        named = quoted.replace("''", "'") if quoted is not None else plain
        if named.casefold() != sheet.casefold():
            return None  # another sheet: never the total's own parts
    if match.group("c2") is None:
        return [(sheet, f"{col_letters(col_number(match.group('c1')))}{int(match.group('r1'))}")]
    if not allow_range:
        return None  # a bare range outside SUM is no sum
    return _range_cells(sheet, *match.group("c1", "r1", "c2", "r2"))


def _range_cells(sheet: str, col1: str, row1: str, col2: str, row2: str) -> list[Cell] | None:
    c1, r1, c2, r2 = col_number(col1), int(row1), col_number(col2), int(row2)
    cols = range(min(c1, c2), max(c1, c2) + 1)
    rows = range(min(r1, r2), max(r1, r2) + 1)
    if len(cols) * len(rows) > _MAX_RANGE_CELLS:
        return None
    return [(sheet, f"{col_letters(c)}{r}") for r in rows for c in cols]


@lru_cache(maxsize=1024)  # files from the template repeat the same few formulas
def summed_cells(text: str, sheet: str) -> tuple[Cell, ...] | None:
    """The cells a formula adds up, in order and with repeats; None if it is not a plain sum.

    `sheet`: the sheet the formula sits on (what unqualified references mean).
    """
    body = text.strip().removeprefix("=")
    one = _ONE_RANGE.fullmatch(body)
    if one is not None:  # what the tokens below would give, read with a simpler pattern
        summed = _range_cells(sheet, *one.groups())
        return None if summed is None else tuple(summed)
    tokens: list[re.Match[str]] = []
    pos = 0
    end = len(body.rstrip())
    while pos < end:
        match = _TOKEN.match(body, pos)
        if match is None or match.end() == pos:
            return None
        tokens.append(match)
        pos = match.end()
    cells: list[Cell] = []
    i = 0
    while True:  # term ('+' term)*
        if i >= len(tokens):
            return None
        tok = tokens[i]
        if tok.group("ref") is not None:
            got = _ref_cells(tok, sheet, allow_range=False)
            if got is None:
                return None
            cells.extend(got)
            i += 1
        elif tok.group("sum") is not None:
            i += 1
            while True:  # arg (',' arg)* ')'
                if i >= len(tokens) or tokens[i].group("ref") is None:
                    return None
                got = _ref_cells(tokens[i], sheet, allow_range=True)
                if got is None:
                    return None
                cells.extend(got)
                i += 1
                if i < len(tokens) and tokens[i].group("op") == ",":
                    i += 1
                    continue
                if i < len(tokens) and tokens[i].group("op") == ")":
                    i += 1
                    break
                return None
        else:
            return None
        if i == len(tokens):
            return tuple(cells)
        if tokens[i].group("op") != "+":
            return None
        i += 1


@lru_cache(maxsize=1024)
def formula_sums(text: str, sheet: str, options: tuple[frozenset[Cell], ...]) -> bool:
    """Whether a total's formula sums each cell of one of `options` exactly once, and no other.

    A cell counted twice (overlapping ranges) is a wrong sum too, though its set is right.
    """
    cells = summed_cells(text, sheet)
    if cells is None:
        return False
    found = frozenset(cells)
    return len(found) == len(cells) and found in options


def sum_text(cells: frozenset[Cell]) -> str:
    """How a total's right formula reads, for the message: =SUM(D7:D27) or =SUM(C8,D8,…)."""
    spots = sorted(split_cell(c) for _, c in cells)
    rows = [r for r, _ in spots]
    cols = [c for _, c in spots]
    names = [f"{col_letters(c)}{r}" for r, c in spots]
    line = list(range(0, len(spots)))
    if len(set(cols)) == 1 and [r - rows[0] for r in rows] == line:
        return f"=SUM({names[0]}:{names[-1]})"
    if len(set(rows)) == 1 and [c - cols[0] for c in cols] == line:
        return f"=SUM({names[0]}:{names[-1]})"
    return "=SUM(" + ",".join(names) + ")"


_TYPED_NUMBER_CODES = (None, fc.WB_NUMBER_TEXT, fc.WB_FULLWIDTH)


def _typed_number(raw: Any, integer: bool) -> int | float | None:
    """What a total typed over reads as, with the input cells' rules: "0" (text) is 0 too."""
    number = cv.as_number(raw)
    if number is not None or not isinstance(raw, str):
        return number
    got = cv.read_number(raw, integer=integer)
    return got.value if got.code in _TYPED_NUMBER_CODES else None


def check_totals(
    raws: list[Any],
    values: list[Any],
    cells: dict[str, Cell],
    has_formula: list[bool] | None,
    flagged: set[str],
    formula_texts: list[str | None] | None,
    total_parts: TotalParts | None,
) -> list[Finding]:
    out: list[Finding] = []
    tainted: set[str] | None = None  # the totals whose inputs needed a finding: known lazily
    for k, (slot, leaf) in enumerate(TOTAL_SLOTS):
        raw = raws[slot]
        computed = values[slot]
        formula = has_formula is None or has_formula[k]
        text = None if formula_texts is None or not formula else formula_texts[k]
        if (
            text is not None
            and total_parts is not None
            and not formula_sums(text, cells[leaf.pointer][0], total_parts[k])
        ):
            # One mistake, one finding: the cached value of a wrong formula is no staleness.
            out.append(
                fc.make(
                    fc.WB_TOTAL_FORMULA,
                    leaf.pointer,
                    where=leaf.where,
                    formula=text if text.startswith("=") else "=" + text,
                    expected=sum_text(total_parts[k][0]),
                    computed=computed,
                )
            )
            continue
        if formula and (raw is None or (type(raw) in (int, float) and raw == computed)):
            continue  # the common case: a formula whose cached value (if any) agrees
        ptr = leaf.pointer
        args = {"where": leaf.where, "computed": computed}
        if not formula:
            number = _typed_number(raw, leaf.kind == m.INT)
            if number is not None and number == computed:
                out.append(fc.make(fc.WB_TOTAL_TYPED, ptr, value=cv.shown(raw), **args))
            else:
                shown = "空白" if cv.is_blank(raw) else cv.shown(raw)
                out.append(fc.make(fc.WB_TOTAL_OVERWRITTEN, ptr, value=shown, **args))
        elif not cv.is_blank(raw) and cv.as_number(raw) != computed:
            if tainted is None:  # Excel's own sum of a cell that needed a finding may differ
                tainted = ar.tainted_totals(flagged)
            if ptr in tainted:
                continue
            out.append(fc.make(fc.WB_TOTAL_STALE, ptr, value=cv.shown(raw), **args))
    return out
