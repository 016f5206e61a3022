"""Reading the open workbook through xlwings in a few bulk reads: names, values, formulas, marks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from xxgk.excel.marks import ADDED, KEPT, LISTED, MARKS_SHEET, MERGED, Mark
from xxgk.format.arithmetic import TOTAL_POINTERS
from xxgk.workbook.cellref import col_letters, split_cell
from xxgk.workbook.core import Cell, WorkbookView, switch_cell
from xxgk.workbook.results import RESULT_SHEET


@dataclass
class ExcelRead:
    """What the add-in read from Excel: the workbook core's raw view, plus our marks."""

    book_name: str
    sheets: dict[str, Any]  # sheet name → xlwings Sheet, in workbook order
    names: dict[str, str]  # workbook-level defined name → its formula text as Excel gives it
    cells: dict[str, Cell] = field(default_factory=dict)  # JSON pointer → (sheet, "C6")
    values: dict[Cell, Any] = field(default_factory=dict)
    formulas: frozenset[Cell] | None = None  # cells holding a formula; None: not known
    formula_texts: dict[Cell, str] | None = None  # their text (=SUM(D7:D27)); None: not known
    marks: dict[Cell, Mark] = field(default_factory=dict)  # what the previous run marked

    def view(self) -> WorkbookView:
        return WorkbookView(
            tuple(self.sheets), self.names, self.values, self.formulas, self.formula_texts
        )


_CELL = re.compile(r"[A-Z]{1,3}[1-9][0-9]{0,6}")


def _grid(raw: Any) -> list[list[Any]]:
    """A read result as rows of cells, whatever shape the engine returned."""
    if not isinstance(raw, (list, tuple)):
        return [[raw]]
    if raw and not isinstance(raw[0], (list, tuple)):
        return [list(raw)]
    return [list(row) for row in raw]


def read_names(book: Any) -> dict[str, str]:
    """Workbook-level defined names → formula text (`=表三!$C$6`, `="xxgk-2021-v1"`)."""
    names: dict[str, str] = {}
    for name in book.names:
        key = name.name
        refers_to = name.refers_to
        if "!" in key or refers_to is None:  # sheet-scoped (Print_Area …) or unknown
            continue
        names[key] = refers_to
    return names


def read_cells(read: ExcelRead) -> None:
    """Values of every named cell (the 本年度没有收到申请 switch too), one rectangle per sheet;
    formulas of the total sheets."""
    extent: dict[str, tuple[int, int]] = {}
    switch = switch_cell(read.names)
    extra = [switch] if switch is not None and switch[0] in read.sheets else []
    for sheet, cell in [*read.cells.values(), *extra]:
        row, col = split_cell(cell)
        r, c = extent.get(sheet, (1, 1))
        extent[sheet] = (max(r, row), max(c, col))
    total_sheets = {read.cells[p][0] for p in TOTAL_POINTERS if p in read.cells}
    formulas: dict[Cell, str] | None = {}
    for sheet_name, (rows, cols) in extent.items():
        rng = read.sheets[sheet_name].range((1, 1), (rows, cols))
        for r, cells in enumerate(_grid(rng.options(ndim=2).value), start=1):
            for c, value in enumerate(cells, start=1):
                read.values[(sheet_name, f"{col_letters(c)}{r}")] = value
        if sheet_name not in total_sheets or formulas is None:
            continue
        try:
            grid = _grid(rng.formula)
        except NotImplementedError:
            # An engine that cannot read formulas synchronously (xlwings' remote engine; the
            # desktop engines can): the core then judges typed-over totals by value only.
            formulas = None
            continue
        formulas.update(formula_texts(sheet_name, grid))
    # Excel gives each cell's own formula text (shared formulas already moved to the cell).
    read.formulas = frozenset(formulas) if formulas is not None else None
    read.formula_texts = formulas


def formula_texts(sheet: str, grid: list[list[Any]]) -> dict[Cell, str]:
    """The cells of a `Range.formula` grid read from A1 that hold a formula → its text."""
    return {
        (sheet, f"{col_letters(c)}{r}"): text
        for r, row in enumerate(grid, start=1)
        for c, text in enumerate(row, start=1)
        if isinstance(text, str) and text.startswith("=")
    }




def read_marks(read: ExcelRead) -> None:
    """What the last run marked: our hidden marks sheet, else the cells a 校验结果 sheet lists
    (a copy marked by `xxgk validate --annotate` has one but no marks sheet). One read."""
    sheet = read.sheets.get(MARKS_SHEET)
    if sheet is not None:
        for row in _grid(sheet.used_range.options(ndim=2).value):
            row = list(row) + [None] * (4 - len(row))
            sheet_name, cell, mode, original = row[:4]
            if isinstance(sheet_name, str) and isinstance(cell, str):
                mode = mode if mode in (ADDED, MERGED, KEPT) else ADDED
                read.marks[(sheet_name, cell)] = Mark(
                    mode, "" if original is None else str(original)
                )
        return
    results = read.sheets.get(RESULT_SHEET)
    if results is None:
        return
    rows = _grid(results.used_range.options(ndim=2).value)
    for i, row in enumerate(rows):
        if "工作表" in row and "单元格" in row:
            at_sheet, at_cell = row.index("工作表"), row.index("单元格")
            for below in rows[i + 1 :]:
                if len(below) <= max(at_sheet, at_cell):
                    continue
                sheet_name, cell = below[at_sheet], below[at_cell]
                if (
                    isinstance(sheet_name, str)
                    and isinstance(cell, str)
                    and _CELL.fullmatch(cell)
                    and sheet_name in read.sheets
                ):
                    read.marks[(sheet_name, cell)] = Mark(LISTED)
            return
