"""An Excel client for tests, without Excel: openpyxl workbooks ⇄ xlwings' remote engine.

`payload(wb)` is the JSON an Office.js client sends with a request (the book, every workbook
name with its `refers_to`, each sheet's values from A1 to the last used cell, its notes);
`xw.Book(json=payload(wb))` is then a Book of xlwings' remote engine. `apply(wb, actions)`
does to the openpyxl workbook what the client would do with the actions the engine returns, so
that a second request sees the first one's marks.

Excel sends a formula cell's computed value. openpyxl does not compute, so `payload` supplies
what the template's SUM formulas give: the model's totals over the numeric inputs (SUM skips
text).
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

from xxgk.format import arithmetic as ar
from xxgk.format import model as m
from xxgk.format.arithmetic import compute_totals


def _cell_names(wb: Workbook) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for name, dn in wb.defined_names.items():
        dests = list(dn.destinations) if dn.attr_text and "!" in dn.attr_text else []
        if len(dests) == 1 and ":" not in dests[0][1]:
            out[name] = (dests[0][0], dests[0][1].replace("$", ""))
    return out


def _numeric(value: Any) -> int | float:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    return value if ok else 0


def computed_totals(wb: Workbook) -> dict[tuple[str, str], Any]:
    """(sheet, cell) → the value Excel shows in each total formula cell."""
    cells = {k: v for k, v in _cell_names(wb).items() if v[0] in wb.sheetnames}
    data: dict[str, Any] = {}
    for leaf in m.leaves():
        if leaf.kind in m.NUMERIC_KINDS and leaf.dotted in cells:
            sheet, ref = cells[leaf.dotted]
            node = data
            for key in leaf.path[:-1]:
                node = node.setdefault(key, {})
            node[leaf.path[-1]] = _numeric(wb[sheet][ref].value)
    computed = compute_totals(data)
    out = {}
    for path in ar.total_paths():
        node: Any = computed
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if ".".join(path) in cells:
            out[cells[".".join(path)]] = node
    return out


def _client_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, dt.date):
        return f"{value.isoformat()}T00:00:00.000Z"
    return value


def payload(wb: Workbook, name: str = "年报.xlsx") -> dict[str, Any]:
    totals = computed_totals(wb) if "xxgk.template" in wb.defined_names else {}
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
        values = []
        for r in range(1, rows + 1):
            row = []
            for c in range(1, cols + 1):
                cell = ws.cell(r, c)
                value = cell.value
                if cell.data_type == "f":
                    value = totals.get((ws.title, cell.coordinate))
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
