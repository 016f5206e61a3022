"""Writing one template workbook: the cell helpers every sheet uses and what they record
(where each data cell is, which cells take which validation)."""

from __future__ import annotations

from copy import copy
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from xxgk.format import arithmetic as ar
from xxgk.format import model as m
from xxgk.workbook.sheets import SHEET_HELP, Layout
from xxgk.workbook.style import (
    BORDER,
    CENTER,
    DATE_FORMAT,
    FONT,
    FONT_BOLD,
    FONT_TEXT,
    FONT_TITLE,
    INPUT_FILL,
    LEFT,
    LOCKED,
    TEXT_ALIGN,
    TEXT_FORMAT,
    TOTAL_FILL,
    UNLOCKED,
)
from xxgk.workbook.validation import Validation

# Free-text leaves that are one line, not a paragraph: set left-aligned like names.
SHORT_TEXT = {m.LOCAL_NOTICE.path}
_LEAF_BY_PATH = {leaf.path: leaf for leaf in m.leaves()}


def leaf(*path: str) -> m.Leaf:
    return _LEAF_BY_PATH[tuple(path)]


class SheetWriter:
    """One workbook being written: the cell helpers every sheet uses, and what they record."""

    def __init__(self) -> None:
        self.wb = Workbook()
        self.wb.remove(self.wb.worksheets[0])  # openpyxl starts with one sheet: ours come later
        self.layout = Layout()
        self.validations: dict[tuple[str, Validation], list[str]] = {}
        self.notes: list[str] = []  # values changed while prefilling
        self.styles: dict[tuple[Any, ...], Any] = {}

    # generic cell helpers
    def sheet(self, name: str) -> Worksheet:
        ws = self.wb.create_sheet(name)
        ws.sheet_view.showGridLines = name in (SHEET_HELP,)
        return ws

    def style(
        self,
        cell: Any,
        font: Font | None = FONT,
        align: Alignment | None = CENTER,
        border: bool = True,
        fill: PatternFill | None = None,
        protection: Protection | None = None,
        number_format: str | None = None,
    ) -> None:
        """Apply a style combination; each is built once per workbook and then copied.

        Assigning openpyxl style objects hashes them deeply on every cell; copying the
        finished style array keeps building a template in the tens of milliseconds.
        """
        key = (id(font), id(align), border, id(fill), id(protection), number_format)
        cached = self.styles.get(key)
        if cached is not None:
            cell._style = copy(cached)
            return
        if font is not None:
            cell.font = font
        if align is not None:
            cell.alignment = align
        if border:
            cell.border = BORDER
        if fill is not None:
            cell.fill = fill
        if protection is not None:
            cell.protection = protection
        if number_format is not None:
            cell.number_format = number_format
        self.styles[key] = copy(cell._style)

    def put(
        self,
        ws: Worksheet,
        coord: str,
        value: Any,
        font: Font = FONT,
        align: Alignment = CENTER,
        border: bool = True,
        fill: PatternFill | None = None,
    ) -> None:
        cell = ws[coord]
        cell.value = value
        self.style(cell, font, align, border, fill)

    @staticmethod
    def merge(ws: Worksheet, rng: str) -> None:
        """Merge a range whose top-left cell is already styled.

        Every covered cell gets the top-left cell's style, as Excel does when it merges: the
        frame is drawn from each cell's border, and an input range is unlocked throughout.
        """
        mcr = MergedCellRange(ws, rng)
        ws.merged_cells.add(mcr)
        cells = mcr.cells
        row, col = next(cells)
        style = ws.cell(row, col)._style  # type: ignore[union-attr]  # openpyxl's style array
        for row, col in cells:
            merged = MergedCell(ws, row, col)
            merged._style = copy(style)  # type: ignore[attr-defined]
            ws._cells[row, col] = merged

    def title(self, ws: Worksheet, text: str, last_col: int, row: int = 1) -> None:
        rng = f"A{row}:{get_column_letter(last_col)}{row}"
        self.put(ws, f"A{row}", text, FONT_TITLE, CENTER, border=False)
        if last_col > 1:
            self.merge(ws, rng)
        ws.row_dimensions[row].height = 30

    def data_cell(
        self, ws: Worksheet, coord: str, leaf: m.Leaf, validation: Validation | None
    ) -> None:
        """An input or total cell for `leaf`, named by its dotted path."""
        total = m.pointer(leaf.path) in ar.TOTAL_POINTERS
        if leaf.kind in m.NUMERIC_KINDS or leaf.kind == m.YEAR:
            align, font = CENTER, FONT
        elif leaf.kind == m.TEXT and leaf.path not in SHORT_TEXT:
            align, font = TEXT_ALIGN, FONT_TEXT
        else:
            align, font = LEFT, FONT
        number_format = {
            m.POSTCODE: TEXT_FORMAT,
            m.NAME: TEXT_FORMAT,
            m.LINE: TEXT_FORMAT,
            m.TEXT: TEXT_FORMAT,
            m.DATE: DATE_FORMAT,
            m.YEAR: "0",
        }.get(leaf.kind)
        if total:
            self.style(ws[coord], FONT_BOLD, align, True, TOTAL_FILL, LOCKED, number_format)
        else:
            self.style(ws[coord], font, align, True, INPUT_FILL, UNLOCKED, number_format)
            if validation is not None:
                self.validations.setdefault((ws.title, validation), []).append(coord)
        self.layout.cells[leaf.dotted] = (ws.title, coord)

    @staticmethod
    def finish(ws: Worksheet, landscape: bool) -> None:
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        # The landscape tables print on one page each, like the official tables.
        ws.page_setup.fitToHeight = 1 if landscape else 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        # Protected against accidental edits of labels and formulas; no password, so staff
        # can lift it (审阅 → 撤销工作表保护). Resizing rows and columns stays allowed.
        ws.protection.sheet = True
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
