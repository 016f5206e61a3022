"""Writing report data into the template's cells (used by `build_template(data=...)`).

Numbers go in as numbers, the date as a real date, text as text — a string that starts with `=`
stays text and never becomes a formula. Totals are not written: their formulas stay.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.workbook import Workbook

from xxgk.format import arithmetic as ar
from xxgk.format import model as m
from xxgk.format.clean import clean_text, in_range, out_of_range_text
from xxgk.format.paths import get_path, has_path
from xxgk.workbook.sheets import Layout

MAX_CELL_CHARS = 32767  # Excel's limit for one cell
# Characters XML 1.0 forbids; openpyxl refuses them and Excel would call the file damaged.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def clean_cell_text(text: str) -> str:
    """`text` without the characters XML 1.0 forbids (openpyxl refuses them in a cell), through
    the one cleaning step (format/clean.py)."""
    return _ILLEGAL.sub("", clean_text(text))


def write_value(cell: Cell, leaf: m.Leaf, value: Any) -> str | None:
    """Put one value into its cell; return a Chinese note if it had to be changed."""
    note = None
    if value is None:
        cell.value = None
        return None
    if isinstance(value, (bool, dict, list)):
        value = json.dumps(value, ensure_ascii=False)  # not a cell value: keep it visible as text
    if isinstance(value, (int, float)):
        if in_range(value):
            cell.value = value
            return None
        # no float holds 10**400 and Excel keeps 15 digits: kept visible as text, never lost
        # (the validator reports it; reading the workbook back says it is no number)
        cell.value = out_of_range_text(value)
        cell.data_type = "s"
        shown = out_of_range_text(value)
        return f"{leaf.where}的数值 {shown} 超出 Excel 能保存的范围，已作为文字填入。"
    text = clean_text(str(value))
    if leaf.kind == m.DATE and _ISO_DATE.match(text):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            pass  # e.g. 2025-02-30: kept as text, the validator names it
        else:
            fmt = cell.number_format
            cell.value = day
            cell.number_format = fmt  # openpyxl resets it on assignment
            return None
    cleaned = _ILLEGAL.sub("", text)
    if cleaned != text:
        note = f"{leaf.where}含有表格中不允许的控制字符，已删除。"
    if len(cleaned) > MAX_CELL_CHARS:
        cleaned = cleaned[:MAX_CELL_CHARS]
        note = f"{leaf.where}超过 Excel 单元格上限 {MAX_CELL_CHARS} 字，已截断，请精简。"
    cell.value = cleaned
    cell.data_type = "s"  # "=…" must stay text, never become a formula
    return note


def fill_cells(wb: Workbook, layout: Layout, data: Any) -> list[str]:
    """Write every leaf of `data` that has a cell; return notes about values that were changed."""
    notes: list[str] = []
    for leaf in m.leaves():
        dotted = leaf.dotted
        if leaf.pointer in ar.TOTAL_POINTERS or dotted not in layout.cells:
            continue
        if not has_path(data, leaf.path):
            continue
        value = get_path(data, leaf.path)
        sheet, coord = layout.cells[dotted]
        cell = wb[sheet][coord]
        note = write_value(cell, leaf, value)
        if note:
            notes.append(note)
        if leaf.kind == m.TEXT and isinstance(cell.value, str):
            _fit_height(wb[sheet], cell.row, cell.value)
    return notes


# A narrative cell is about 33 CJK characters of 仿宋 12pt wide and a line is about 16pt high.
_CHARS_PER_LINE, _LINE_PT, _MAX_ROW_PT = 33, 16.0, 409.0


def _fit_height(ws: Any, row: int, text: str) -> None:
    """Grow a narrative row so that the prefilled text shows (Excel's row maximum is 409pt)."""
    lines = sum(1 + len(part) // _CHARS_PER_LINE for part in text.split("\n"))
    want = min(_MAX_ROW_PT, lines * _LINE_PT + 8)
    current = ws.row_dimensions[row].height or 0
    if want > current:
        ws.row_dimensions[row].height = want
