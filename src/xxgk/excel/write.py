"""Writing the check's results into the open workbook: marks, notes, the 校验结果 sheet."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from xxgk.check.findings import Finding
from xxgk.excel.marks import MARKS_SHEET, Mark, mark_note, note_text, unmark
from xxgk.excel.read import ExcelRead
from xxgk.format.arithmetic import TOTAL_POINTERS
from xxgk.workbook.cellref import col_letters
from xxgk.workbook.core import Cell
from xxgk.workbook.results import (
    RESULT_HEADER,
    RESULT_SHEET,
    RESULT_WIDTHS,
    marked_cells,
    row_values,
    summary_line,
    title_line,
)
from xxgk.workbook.sheets import BAD_ARGB, INPUT_ARGB, TOTAL_ARGB, rgb_hex

# The colours of the template (input yellow, total grey), to restore a cell a run had marked.
MARK_COLOUR, INPUT_COLOUR, TOTAL_COLOUR = (rgb_hex(c) for c in (BAD_ARGB, INPUT_ARGB, TOTAL_ARGB))


@contextmanager
def _unprotected(sheets: Iterable[Any]) -> Iterator[None]:
    """Lift sheet protection (no password) while marking; put it back exactly as it was.

    The template protects its sheets without a password and without "format cells", so Excel
    refuses fill colours there. Only the desktop engines expose protection, through the COM
    object (`sheet.api`); elsewhere this does nothing.
    """
    restore: list[Callable[[], None]] = []
    try:
        for sheet in sheets:
            api = sheet.api
            if not hasattr(api, "ProtectContents") or not api.ProtectContents:
                continue
            p = api.Protection
            flags = {
                "DrawingObjects": api.ProtectDrawingObjects,
                "Contents": True,
                "Scenarios": api.ProtectScenarios,
                "AllowFormattingCells": p.AllowFormattingCells,
                "AllowFormattingColumns": p.AllowFormattingColumns,
                "AllowFormattingRows": p.AllowFormattingRows,
                "AllowInsertingColumns": p.AllowInsertingColumns,
                "AllowInsertingRows": p.AllowInsertingRows,
                "AllowInsertingHyperlinks": p.AllowInsertingHyperlinks,
                "AllowDeletingColumns": p.AllowDeletingColumns,
                "AllowDeletingRows": p.AllowDeletingRows,
                "AllowSorting": p.AllowSorting,
                "AllowFiltering": p.AllowFiltering,
                "AllowUsingPivotTables": p.AllowUsingPivotTables,
            }
            try:
                api.Unprotect()
            except Exception:  # pywintypes.com_error: a password, or anything else
                if api.ProtectContents:
                    raise Locked(sheet.name) from None  # still protected: it has a password
                raise  # not a password: our failure, for the caller's internal-error report
            restore.append(_protect_again(api, flags))
        yield
    finally:
        for put_back in reversed(restore):
            put_back()


def _protect_again(api: Any, flags: dict[str, Any]) -> Callable[[], None]:
    return lambda: api.Protect(**flags)


class Locked(Exception):
    """A sheet is protected with a password: nothing can be marked on it."""

    def __init__(self, sheet: str) -> None:
        super().__init__(sheet)
        self.sheet = sheet


def _safe_text(text: str) -> str:
    """Text that Excel keeps as text when written as a value (not a formula)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _link(sheet: str, cell: str) -> str:
    """A HYPERLINK formula to the cell: one bulk write, and every engine writes formulas."""
    target = "#'" + sheet.replace("'", "''") + "'!" + cell
    return '=HYPERLINK("' + target.replace('"', '""') + '","' + cell + '")'


def result_rows(book_name: str, found: list[Finding]) -> list[list[Any]]:
    """The 校验结果 sheet from A1, laid out like the one `xxgk validate --annotate` writes."""
    width = len(RESULT_HEADER)
    rows: list[list[Any]] = [
        [title_line(book_name)] + [""] * (width - 1),
        [summary_line(found)] + [""] * (width - 1),
        [""] * width,
        list(RESULT_HEADER),
    ]
    for i, f in enumerate(found, start=1):
        by_header = row_values(i, f)
        by_header["单元格"] = _link(f.sheet, f.cell) if f.sheet and f.cell else ""
        by_header["说明"] = _safe_text(f.message)
        rows.append([by_header[h] for h in RESULT_HEADER])
    return rows


def write_results(book: Any, read: ExcelRead, found: list[Finding]) -> None:
    mark, input_fill, total_fill = MARK_COLOUR, INPUT_COLOUR, TOTAL_COLOUR
    fill_of = {
        cell: (total_fill if ptr in TOTAL_POINTERS else input_fill)
        for ptr, cell in read.cells.items()
    }
    now = marked_cells(found)
    stale = {c: m for c, m in read.marks.items() if c not in now}
    sheets = read.sheets
    touched = {s for s, _ in list(now) + list(stale)}
    marks: dict[Cell, Mark] = {}
    with _unprotected(sheets[s] for s in touched if s in sheets):
        for (sheet_name, cell), previous in stale.items():
            if sheet_name in sheets:
                unmark(sheets[sheet_name].range(cell), fill_of.get((sheet_name, cell)), previous)
        for (sheet_name, cell), at_cell in now.items():
            rng = sheets[sheet_name].range(cell)
            rng.color = mark
            marks[(sheet_name, cell)] = mark_note(
                rng, note_text(at_cell), read.marks.get((sheet_name, cell))
            )
    for name in (RESULT_SHEET, MARKS_SHEET):
        if name in sheets:
            sheets.pop(name).delete()
    result = book.sheets.add(RESULT_SHEET, after=list(sheets)[-1])
    result.range("A1").value = result_rows(read.book_name, found)
    for col, width in enumerate(RESULT_WIDTHS, start=1):
        letter = col_letters(col)
        result.range(f"{letter}:{letter}").column_width = width
    message_col = col_letters(RESULT_HEADER.index("说明") + 1)
    result.range(f"{message_col}:{message_col}").wrap_text = True
    if marks:
        sheet = book.sheets.add(MARKS_SHEET, after=RESULT_SHEET)
        block = sheet.range((1, 1), (len(marks), 4))
        block.number_format = "@"  # text stays text: a note reading 2024 or =… comes back as is
        block.value = [[s, c, m.mode, _safe_text(m.original)] for (s, c), m in marks.items()]
        sheet.visible = False
    result.activate()
