"""Which cells of a sheet part hold a formula, and its text (shared formulas expanded).

python-calamine gives values only. The formulas of the sheets that hold totals come from a scan
of the part's bytes (`sheetscan.py`: 15 µs for 表三, where parsing it again with lxml cost
0.3 ms), or from lxml where the bytes are not as the scan assumes. A part broken after its root
start is then judged by python-calamine alone, as every other sheet is (the guard, `Prolog`,
saw every part's start when the package was opened).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import lru_cache

from xxgk.format.lazyre import lazy
from xxgk.workbook.cellref import col_letters, col_number, split_cell
from xxgk.workbook.errors import WorkbookUnreadable, not_xml
from xxgk.workbook.sheetscan import Unscannable, formula_cells, scannable, text_of
from xxgk.workbook.xmlsafe import lxml_etree, safe_parser

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_C = f"{{{NS_MAIN}}}c"
_F = f"{{{NS_MAIN}}}f"

# A cell reference in a formula's text, to move a shared formula from its master cell to
# another cell of its group (not inside a longer name, not a sheet name before "!", not a function).
_SHIFTABLE = lazy(
    r"(?<![A-Za-z0-9_.])(\$?)([A-Za-z]{1,3})(\$?)([0-9]{1,7})(?![A-Za-z0-9_(!])"
)
_MAX_ROW, _MAX_COL = 1048576, 16384

# (A1 reference, the <f>'s t, its si, its text: read, or as in the file) of each formula cell
FormulaCells = Sequence[tuple[str, str | None, str | None, str | bytes | None]]


@lru_cache(maxsize=256)
def shift_formula(text: str, rows: int, cols: int) -> str:
    """A shared formula's master text as Excel reads it `rows` down and `cols` right: relative
    references move, `$`-anchored parts stay; one moved off the sheet makes it `#REF!`.

    Only references are moved, by pattern: good enough for the sums a total must be (anything
    the pattern mistakes, such as a quoted sheet name that looks like a cell, is no plain sum
    of the total's own cells either way).
    """

    def move(match: re.Match[str]) -> str:
        col_abs, letters, row_abs, digits = match.groups()
        col = col_number(letters)
        row = int(digits)
        col = col if col_abs else col + cols
        row = row if row_abs else row + rows
        if not (1 <= row <= _MAX_ROW and 1 <= col <= _MAX_COL):
            return "#REF!"
        return f"{col_abs}{col_letters(col)}{row_abs}{row}"

    return _SHIFTABLE.sub(move, text)


def parsed_formula_cells(xml: bytes, part: str) -> FormulaCells:
    """`sheetscan.formula_cells` by a whole-part lxml parse (for what the scan does not take)."""
    etree = lxml_etree()
    try:
        root = etree.fromstring(xml, safe_parser())
    except etree.XMLSyntaxError:
        raise WorkbookUnreadable(not_xml(part)) from None
    found: list[tuple[str, str | None, str | None, str | bytes | None]] = []
    for f in root.iter(_F):
        parent = f.getparent()
        if parent is not None and parent.tag == _C:
            found.append((parent.get("r", ""), f.get("t"), f.get("si"), f.text or None))
    return found


def formula_texts(
    xml: bytes, part: str, small: bool, wanted: Collection[str]
) -> dict[str, str | None]:
    """A1 address → formula text, for the `wanted` cells of one sheet part that hold a formula;
    `small`: what `grid.check_grid` said of the part.

    Shared formulas (Excel writes `<f t="shared" si="0"/>` in the cells a formula was copied
    to; only the group's master cell has the text) are expanded: the master's text moved to
    the cell, as Excel itself reads them. A formula whose text cannot be known (a shared one
    without its master; an empty <f/>) maps to None: present, not checked.
    """
    if scannable(xml, small):
        try:
            return _texts(formula_cells(xml), wanted)
        except Unscannable:
            pass
    return _texts(parsed_formula_cells(xml, part), wanted)


def _read(text: str | bytes | None) -> str | None:
    return text_of(text) if isinstance(text, bytes) else text


def _texts(cells: FormulaCells, wanted: Collection[str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    masters: dict[str, tuple[str, str | bytes]] = {}  # si → (master cell, text)
    copies: list[tuple[str, str]] = []  # (cell, si)
    for ref, t, si, text in cells:
        if t == "shared":
            if not text:
                copies.append((ref, si or ""))
            else:
                masters[si or ""] = (ref, text)
        if ref in wanted:
            out[ref] = _read(text)
    for ref, si in copies:
        master = masters.get(si)
        if ref in wanted and master is not None and master[0]:
            try:
                row, col = split_cell(ref)
                master_row, master_col = split_cell(master[0])
            except ValueError:  # r="…" that is no cell reference: present, not checked
                continue
            text = _read(master[1])
            if text is not None:
                out[ref] = shift_formula(text, row - master_row, col - master_col)
    return out
