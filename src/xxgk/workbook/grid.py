"""The used range of a sheet part, bounded from its XML before python-calamine allocates it."""

from __future__ import annotations

from xxgk.format.lazyre import lazy
from xxgk.workbook.cellref import col_number
from xxgk.workbook.package import WorkbookUnreadable

# python-calamine builds a dense grid of a sheet's used range before returning anything, and
# aborts the whole process when that allocation fails: one stray value in cell XFD1048576 (a
# 26 KB file) asks for 500 GB. The range is bounded here from the sheet XML first.
MAX_GRID_CELLS = 1_000_000  # ~32 MB in calamine; the template's largest sheet has ~300 cells
# Positions written as the first attribute (as Excel, WPS, LibreOffice and openpyxl do); any
# other <c>/<row> counts as unpositioned, which only widens the bound.
_PREFIX = rb"<(?:[A-Za-z_][\w.-]*:)?"
_ROW_REF = lazy(_PREFIX + rb'row r="([0-9]{1,9})"')
_CELL_REF = lazy(_PREFIX + rb'c r="([A-Za-z]{1,3})([0-9]{1,9})"')
_TAGS = lazy(_PREFIX + rb"(c|row)[\s>/]")  # every <c> and <row>
# A <c>/<row> that is not positioned within A1:ZZ999, and any prefixed <x:c>/<x:row>. When
# neither is found (two scans, nothing allocated: the common case), the range is at most
# 999 × 702 cells, under MAX_GRID_CELLS.
_BEYOND_SMALL = lazy(rb'<(?:c(?! r="[A-Za-z]{1,2}[0-9]{1,3}")|row(?! r="[0-9]{1,3}"))[\s>/]')
_PREFIXED_TAG = lazy(rb":(?:c|row)[\s>/]")
_SMALL_GRID = 999 * (26 + 26 * 26)


def grid_bound(xml: bytes) -> tuple[int, int]:
    """(rows, columns) that python-calamine's grid of this sheet part can at most span.

    Rows and cells without an explicit position follow the previous one, so each of them can
    extend the range by one: the bound counts them on top of the largest explicit position.
    """
    row_refs = _ROW_REF.findall(xml)
    cell_refs = _CELL_REF.findall(xml)
    rows = max(map(int, {*row_refs, *(digits for _, digits in cell_refs)}), default=0)
    cols = max((col_number(col.decode()) for col in {col for col, _ in cell_refs}), default=0)
    tags = _TAGS.findall(xml)
    n_cells = tags.count(b"c")
    rows += max(0, len(tags) - n_cells - len(row_refs))
    cols += max(0, n_cells - len(cell_refs))
    return rows, cols


def is_small_grid(xml: bytes) -> bool:
    """True when every <c> and <row> is unprefixed and positioned within A1:ZZ999, so that
    the grid has at most _SMALL_GRID cells; False says nothing (measure with grid_bound)."""
    return _BEYOND_SMALL.search(xml) is None and _PREFIXED_TAG.search(xml) is None


def check_grid(xml: bytes, sheet: str) -> bool:
    """Refuse a sheet whose used range is far beyond any filled template; True when it is
    small (`is_small_grid`: the byte scans of `sheetscan.py` rely on what that checks).

    This runs on every sheet python-calamine or lxml reads (the value scan reads only sheets
    whose cells it finds within ZZ999 itself): first one scan for a tag outside the small range
    (none in a filled template); only a sheet that has one is measured in full.
    """
    if is_small_grid(xml):
        return True
    rows, cols = grid_bound(xml)
    if rows * cols > MAX_GRID_CELLS:
        raise WorkbookUnreadable(
            f"工作表「{sheet}」的内容一直延伸到第 {rows} 行、第 {cols} 列"
            "（可能在远处误输入了内容），远超年报模板的范围。"
            "请在 Excel 中按 Ctrl+End 找到并删除多余的行列后保存。"
        )
    return False
