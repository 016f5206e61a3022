"""A marked-up copy of a checked workbook, for staff who cannot run the add-in (WPS, Mac).

Every cell with a finding is filled light red and gets a comment holding the messages; a
校验结果 sheet lists all findings with links to their cells, laid out as the add-in's
(`results.py`). Bytes in, bytes out: `files.annotated` reads the input and writes the copy.
openpyxl is fine here: this is not the batch hot path. It keeps the sheets' protection, the
defined names and the data validations of the template.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO
from typing import Any

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.properties import PageSetupProperties

from xxgk.check.findings import ERROR, Finding
from xxgk.format.arithmetic import TOTAL_POINTERS
from xxgk.workbook.results import (
    NOTE_SEPARATOR,
    RESULT_FIRST_ROW,
    RESULT_HEADER,
    RESULT_HEADER_ROW,
    RESULT_SHEET,
    RESULT_WIDTHS,
    marked_cells,
    note_text,
    row_values,
    summary_line,
    title_line,
)
from xxgk.workbook.sheets import BAD_ARGB, HEADER_ARGB
from xxgk.workbook.style import INPUT_FILL, TOTAL_FILL

PROBLEM_FILL = PatternFill("solid", fgColor=BAD_ARGB)
AUTHOR = "xxgk 校验"
_FONT = "宋体"
_MESSAGE_COL = RESULT_HEADER.index("说明") + 1
_LEVEL_COL = RESULT_HEADER.index("级别") + 1
_CELL_COL = RESULT_HEADER.index("单元格") + 1


class CannotOpen(Exception):
    """openpyxl cannot load a workbook that our reader could read (the message is Chinese)."""


def _clear_previous_marks(wb: Workbook) -> None:
    """A copy annotated before (it has a 校验结果 sheet): give the cells it marked their template
    colour back and take our comments off, so that only today's problems are marked (the cells
    listed there, and every named cell: a block finding's cells are not listed one by one)."""
    if RESULT_SHEET not in wb.sheetnames:
        return
    named: dict[tuple[str, str], str] = {}
    for name, dn in wb.defined_names.items():
        for sheet, ref in dn.destinations:
            named[(sheet, ref.replace("$", ""))] = "/" + name.replace(".", "/")
    sheet_col = RESULT_HEADER.index("工作表") + 1
    rows = wb[RESULT_SHEET].iter_rows(
        min_row=RESULT_FIRST_ROW, min_col=sheet_col, max_col=_CELL_COL, values_only=True
    )
    for sheet, ref in [*rows, *named]:
        if not (isinstance(sheet, str) and isinstance(ref, str)) or sheet not in wb.sheetnames:
            continue
        cell = wb[sheet][ref]
        if cell.fill.fgColor.rgb == PROBLEM_FILL.fgColor.rgb:
            pointer = named.get((sheet, ref))
            if pointer is None:
                cell.fill = PatternFill(fill_type=None)
            else:
                cell.fill = TOTAL_FILL if pointer in TOTAL_POINTERS else INPUT_FILL
        if cell.comment is not None and cell.comment.author == AUTHOR:
            _, sep, theirs = cell.comment.text.partition(NOTE_SEPARATOR)
            cell.comment = Comment(theirs, "") if sep and theirs else None


def _mark_cells(wb: Workbook, found: Iterable[Finding]) -> None:
    for (sheet, ref), here in marked_cells(found).items():
        if sheet not in wb.sheetnames:
            continue
        cell = wb[sheet][ref]
        cell.fill = PROBLEM_FILL
        text = note_text(here)
        if cell.comment is not None and cell.comment.author != AUTHOR:
            text = f"{text}{NOTE_SEPARATOR}{cell.comment.text}"  # keep what someone wrote there
        comment = Comment(text, AUTHOR)
        comment.width = 360
        comment.height = min(60 + 18 * len(text) // 22, 400)
        cell.comment = comment


def _result_sheet(wb: Workbook, name: str, found: list[Finding]) -> None:
    if RESULT_SHEET in wb.sheetnames:  # a copy annotated before: replace the old list
        wb.remove(wb[RESULT_SHEET])
    ws = wb.create_sheet(RESULT_SHEET)
    ws.sheet_properties.tabColor = "FFC00000"
    ws["A1"] = title_line(name)
    ws["A1"].font = Font(name=_FONT, size=14, bold=True)
    ws["A2"] = summary_line(found)
    ws["A2"].font = Font(name=_FONT, size=11)
    for col, (title, width) in enumerate(zip(RESULT_HEADER, RESULT_WIDTHS, strict=True), start=1):
        c = ws.cell(RESULT_HEADER_ROW, col, title)
        c.font = Font(name=_FONT, bold=True)
        c.fill = PatternFill("solid", fgColor=HEADER_ARGB)
        ws.column_dimensions[c.column_letter].width = width
    for i, f in enumerate(found, start=1):
        row = RESULT_HEADER_ROW + i
        values = row_values(i, f)
        for col, header in enumerate(RESULT_HEADER, start=1):
            c = ws.cell(row, col, values[header])
            error_level = f.severity == ERROR and col == _LEVEL_COL
            c.font = Font(name=_FONT, color="FFC00000" if error_level else None)
            c.alignment = Alignment(vertical="top", wrap_text=col == _MESSAGE_COL)
        ws.row_dimensions[row].height = _LINE_PT * _lines(f.message)
        if f.sheet and f.cell and f.sheet in wb.sheetnames:
            link = ws.cell(row, _CELL_COL)
            # An internal link (location), not a "#…" target that Excel treats as a file.
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{f.sheet}'!{f.cell}")
            link.font = Font(name=_FONT, color="FF0563C1", underline="single")
    ws.freeze_panes = ws.cell(RESULT_FIRST_ROW, 1)
    _print_on_a4(ws)
    # Open on the results: only this tab selected (several selected tabs would group sheets).
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    wb.active = wb.worksheets.index(ws)


# The message column holds about this many half-width characters a line (a CJK one is two);
# spreadsheet programs do not all grow a wrapped row by themselves (LibreOffice does not).
_LINE_UNITS = RESULT_WIDTHS[RESULT_HEADER.index("说明")] - 2
_LINE_PT = 15.0


def _lines(text: str) -> int:
    units = sum(1 if ord(ch) < 0x2E80 else 2 for ch in text)
    return max(1, -(-units // _LINE_UNITS))


def _print_on_a4(ws: Any) -> None:
    """Landscape A4, the columns fitted to the page width (long messages wrap onto more lines,
    never onto a page of their own), the header row repeated on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{RESULT_HEADER_ROW}:{RESULT_HEADER_ROW}"
    ws.page_margins.left = ws.page_margins.right = 0.4


def annotate_bytes(raw: bytes, name: str, found: list[Finding], keep_vba: bool = False) -> bytes:
    """The annotated copy of the workbook `raw` (its file name `name`), as bytes.

    Raises CannotOpen when openpyxl cannot load the workbook; anything else is a bug of ours.
    """
    try:
        wb = load_workbook(BytesIO(raw), keep_vba=keep_vba)
    except Exception as exc:  # openpyxl raises many kinds for files it does not understand
        raise CannotOpen(
            "无法为这个工作簿生成带标记的副本（制表程序无法打开它）。请用 Excel 加载项校验。"
        ) from exc
    _clear_previous_marks(wb)
    _mark_cells(wb, found)
    _result_sheet(wb, name, found)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
