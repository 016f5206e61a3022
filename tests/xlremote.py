"""An Excel client for tests, without Excel: openpyxl workbooks ⇄ xlwings' remote engine.

`payload(wb)` is the JSON an Office.js client sends with a request (the book, every workbook
name with its `refers_to`, each sheet's values from A1 to the last used cell, its notes);
`xw.Book(json=payload(wb))` is then a Book of xlwings' remote engine. `apply(wb, actions)`
does to the openpyxl workbook what the client would do with the actions the engine returns, so
that a second request sees the first one's marks.

Excel sends a formula cell's computed value. openpyxl does not compute, so `payload` evaluates
each formula cell's own formula from the cells it refers to (`oracle.evaluate`: SUM skips text,
as Excel's does; checked against LibreOffice in tests/test_oracle.py), never with xxgk's
computation: a formula that sums the wrong cells gives the wrong number, as in Excel, and a
number typed over a total is sent as typed.

The remote engine cannot read formulas (`Range.formula` raises), so the add-in judges typed-over
totals by value only there. `DesktopBook` wraps the remote Book with what the Windows desktop
engine answers to `Range.formula` (COM's Range.Formula), so that the add-in's formula checks
run too.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # before xlwings is imported

import xlwings as xw  # noqa: E402
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from .oracle import evaluate


def formula_values(ws: Worksheet) -> dict[str, Any]:
    """Cell → the value Excel shows in each formula cell of the sheet."""
    return {
        cell.coordinate: evaluate(ws, cell.coordinate)
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    }


def _client_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, dt.date):
        return f"{value.isoformat()}T00:00:00.000Z"
    return value


def payload(wb: Workbook, name: str = "年报.xlsx") -> dict[str, Any]:
    names = []
    for key, dn in wb.defined_names.items():
        text = dn.attr_text or ""
        entry: dict[str, Any] = {
            "name": key,
            "sheet_index": None,
            "address": None,
            "book_scope": True,
            "scope_sheet_name": None,
            "scope_sheet_index": None,
            "refers_to": "=" + text,
        }
        dests = list(dn.destinations) if "!" in text else []
        if len(dests) == 1:
            sheet, ref = dests[0]
            if sheet in wb.sheetnames:
                entry["sheet_index"] = wb.sheetnames.index(sheet)
                entry["address"] = ref.replace("$", "")
            else:  # Excel rewrites a reference to a deleted sheet
                entry["refers_to"] = "=#REF!" + ref
        names.append(entry)
    sheets = []
    for ws in wb.worksheets:
        rows, cols = ws.max_row, ws.max_column
        computed = formula_values(ws)
        values = []
        for r in range(1, rows + 1):
            row = []
            for c in range(1, cols + 1):
                cell = ws.cell(r, c)
                value = cell.value
                if cell.data_type == "f":
                    value = computed[cell.coordinate]
                row.append(_client_value(value))
            values.append(row)
        notes = [
            {"address": cell.coordinate}
            for row in ws.iter_rows()
            for cell in row
            if cell.comment is not None
        ]
        sheets.append(
            {
                "name": ws.title,
                "values": values,
                "used_range_address": f"A1:{get_column_letter(cols)}{rows}",
                "visibility": "Visible" if ws.sheet_state == "visible" else "Hidden",
                "notes": notes,
                "pictures": [],
                "shapes": [],
                "charts": [],
                "tables": [],
                "print_area": None,
            }
        )
    return {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {
            "name": name,
            "active_sheet_index": wb.sheetnames.index(wb.active.title),
            "selection": "A1",
        },
        "names": names,
        "sheets": sheets,
    }


def remote_book(wb: Workbook, name: str = "年报.xlsx") -> xw.Book:
    return xw.Book(json=payload(wb, name))


class _Wrapper:
    """Everything of the wrapped xlwings object, but what a subclass answers itself."""

    def __init__(self, target: Any, wb: Workbook) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_wb", wb)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._target, name, value)


class DesktopRange(_Wrapper):
    @property
    def formula(self) -> Any:
        """As COM's Range.Formula: a formula cell's formula text, any other cell's value as
        text ("" when blank); one cell alone, a block as rows of cells."""
        ws = self._wb[self._target.sheet.name]
        min_col, min_row, max_col, max_row = range_boundaries(self._target.address)
        grid = tuple(
            tuple(
                "" if cell.value is None else str(cell.value)
                for cell in ws[row][min_col - 1 : max_col]
            )
            for row in range(min_row, max_row + 1)
        )
        return grid[0][0] if len(grid) == 1 and len(grid[0]) == 1 else grid


class DesktopSheet(_Wrapper):
    def range(self, *args: Any) -> DesktopRange:
        return DesktopRange(self._target.range(*args), self._wb)


class DesktopSheets(_Wrapper):
    def __iter__(self) -> Any:
        return (DesktopSheet(sheet, self._wb) for sheet in self._target)


class DesktopBook(_Wrapper):
    """A remote Book whose ranges read formulas as the Windows desktop engine does."""

    @property
    def sheets(self) -> DesktopSheets:
        return DesktopSheets(self._target.sheets, self._wb)


def desktop_book(wb: Workbook, name: str = "年报.xlsx") -> tuple[DesktopBook, xw.Book]:
    """(the book to give the add-in, the remote Book whose `json()` holds the actions)."""
    book = remote_book(wb, name)
    return DesktopBook(book, wb), book


def action_cell(wb: Workbook, action: dict[str, Any]) -> tuple[str, str]:
    """(sheet, "C6") of the top-left cell an action addresses."""
    ws = wb.worksheets[action["sheet_position"]]
    ref = f"{get_column_letter(action['start_column'] + 1)}{action['start_row'] + 1}"
    return ws.title, ref


def _fill(color: str | None) -> PatternFill:
    if color is None:
        return PatternFill(fill_type=None)
    return PatternFill("solid", fgColor="FF" + color.lstrip("#").upper())


def apply(wb: Workbook, actions: list[dict[str, Any]]) -> list[list[Any]]:
    """Do the actions to `wb` as the Excel client would; return the alerts' arguments."""
    alerts = []
    for a in actions:
        func, args = a["func"], a["args"]
        ws = wb.worksheets[a["sheet_position"]] if a["sheet_position"] is not None else None
        if func == "alert":
            alerts.append(args)
        elif func == "addSheet":
            wb.create_sheet(args[1], args[0])
        elif func == "sheetDelete":
            wb.remove(ws)
        elif func == "activateSheet":
            wb.active = args[0]
        elif func == "setSheetVisibility":
            ws.sheet_state = "visible" if args[0] == "Visible" else "hidden"
        elif func == "setValues":
            for r, row in enumerate(a["values"]):
                for c, value in enumerate(row):
                    ws.cell(a["start_row"] + r + 1, a["start_column"] + c + 1).value = value
        elif func == "setRangeColor":
            min_col, min_row = a["start_column"] + 1, a["start_row"] + 1
            for row in ws.iter_rows(
                min_row=min_row,
                max_row=min_row + a["row_count"] - 1,
                min_col=min_col,
                max_col=min_col + a["column_count"] - 1,
            ):
                for cell in row:
                    cell.fill = _fill(args[0])
        elif func in ("addNote", "setNoteText"):
            cell = ws[args[0].replace("$", "")]
            if func == "addNote":
                assert cell.comment is None, "Excel refuses a second note on a cell"
            else:
                assert cell.comment is not None, "setNoteText needs an existing note"
            cell.comment = Comment(args[1], "xxgk")
        elif func == "deleteNote":
            ws[args[0].replace("$", "")].comment = None
        elif func == "setNumberFormat":
            for ref in cells_in(_block(a)):
                ws[ref].number_format = args[0]
        elif func in ("setColumnWidth", "setWrapText"):
            pass  # formatting of the result sheet: nothing the checks read
        else:
            raise AssertionError(f"action the test client does not know: {func}")
    return alerts


def _block(action: dict[str, Any]) -> str:
    top = f"{get_column_letter(action['start_column'] + 1)}{action['start_row'] + 1}"
    last_col = action["start_column"] + action["column_count"]
    bottom = f"{get_column_letter(last_col)}{action['start_row'] + action['row_count']}"
    return f"{top}:{bottom}"


def cells_in(ref: str) -> list[str]:
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    return [
        f"{get_column_letter(c)}{r}"
        for r in range(min_row, max_row + 1)
        for c in range(min_col, max_col + 1)
    ]
