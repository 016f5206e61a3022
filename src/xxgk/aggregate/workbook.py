"""The summed report as a workbook: the filled template plus two sheets for the office.

`各单位对比`: one row per summed agency with its key figures (numbers as numbers, an autofilter
so Excel sorts and filters it, the header row frozen). `未汇总单位`: the inputs left out and why,
the agencies on the expect list that did not report (缺报), and agencies summed that were not on
the list. Both sheets come after the template's sheets; the reader ignores them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet import _writer
from openpyxl.worksheet.worksheet import Worksheet

from xxgk.aggregate.figures import KEY_FIGURES
from xxgk.aggregate.sums import STATUS_LABEL, Aggregate, Entry
from xxgk.format.clean import in_range, out_of_range_text
from xxgk.workbook.fill import MAX_CELL_CHARS, clean_cell_text
from xxgk.workbook.template import build_filled

COMPARE_SHEET = "各单位对比"
LEFT_OUT_SHEET = "未汇总单位"
COMPARE_HEADERS: tuple[str, ...] = ("单位", "文件", *(h for h, _ in KEY_FIGURES))
LEFT_OUT_HEADERS: tuple[str, ...] = ("类别", "单位", "文件", "说明")
MISSING_LABEL = "缺报"
UNEXPECTED_LABEL = "名单外（已汇总）"

_FONT = Font(name="宋体", size=11)
_BOLD = Font(name="宋体", size=11, bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="FFD9E1F2")
_WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _header(ws: Worksheet, headers: tuple[str, ...], widths: list[int]) -> None:
    for i, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(row=1, column=i, value=text)
        cell.font, cell.fill, cell.alignment = _BOLD, _HEADER_FILL, _WRAP
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"


def _text(ws: Worksheet, row: int, col: int, value: str, keep: bool = True) -> Cell:
    # Names and paths come from the inputs: a control character (which validate lets through
    # in a name) would make openpyxl refuse the cell, and Excel the file.
    text = clean_cell_text(value)[:MAX_CELL_CHARS]
    cell = ws.cell(row=row, column=col, value=text) if keep else Cell(ws, row, col, text)
    cell.data_type = "s"  # an agency name or file name starting with "=" stays text
    cell.font = _FONT
    return cell


def _compare_row(ws: Worksheet, r: int, entry: Entry) -> list[Cell]:
    """One agency's row, its cells made as the sheet is written and not kept in it."""
    row = [_text(ws, r, 1, entry.agency, False), _text(ws, r, 2, entry.path, False)]
    for c, value in enumerate(entry.key_figures(), start=3):
        if not in_range(value):  # the one range check: no float holds it, Excel neither
            row.append(_text(ws, r, c, out_of_range_text(value), False))
            continue
        cell = Cell(ws, r, c, value)
        cell.font = _FONT
        if isinstance(value, float):
            cell.number_format = "0.00##"
        row.append(cell)
    return row


def add_compare_sheet(wb: Workbook, agg: Aggregate) -> Worksheet:
    """The sheet with its header; its rows are made as it is written (`_streamed_rows`): kept
    in the sheet, the cells of 5,000 agencies took 36 MB (issue 16)."""
    ws = wb.create_sheet(COMPARE_SHEET)
    _header(ws, COMPARE_HEADERS, [30, 24, *([12] * len(KEY_FIGURES))])
    if agg.included:  # where the first row's cells would register it: the same style indices
        wb._fonts.add(_FONT)  # type: ignore[attr-defined]
        figures = (v for e in agg.included for v in e.key_figures())
        if any(isinstance(v, float) and in_range(v) for v in figures):
            wb._number_formats.add("0.00##")  # type: ignore[attr-defined]
    included = agg.included
    last_row = max(len(included) + 1, 2)
    last_column = get_column_letter(len(COMPARE_HEADERS))
    ws.auto_filter.ref = f"A1:{last_column}{last_row}"
    ws.row_dimensions[1].height = 32
    setattr(ws, _ROWS, lambda: ((r, _compare_row(ws, r, e)) for r, e in enumerate(included, 2)))
    if included:  # the range of the rows to come, as openpyxl would say it of cells it held
        ref = f"A1:{last_column}{len(included) + 1}"
        ws.calculate_dimension = lambda: ref
    return ws


# openpyxl writes a sheet's rows from the cells it holds (`WorksheetWriter.rows`); a sheet with
# this attribute also gets the rows it makes, after its own.
_ROWS = "_xxgk_streamed_rows"
_held_rows = _writer.WorksheetWriter.rows


def _streamed_rows(self: Any) -> Any:
    made = getattr(self.ws, _ROWS, None)
    held = _held_rows(self)
    return held if made is None else _chain(held, made())


def _chain(held: list[Any], made: Iterator[Any]) -> Iterator[Any]:
    yield from held
    yield from made


_writer.WorksheetWriter.rows = _streamed_rows  # type: ignore[method-assign]


def add_left_out_sheet(wb: Workbook, agg: Aggregate) -> Worksheet:
    ws = wb.create_sheet(LEFT_OUT_SHEET)
    _header(ws, LEFT_OUT_HEADERS, [18, 30, 30, 60])
    rows: list[tuple[str, str, str, str]] = [
        (f"未汇总：{STATUS_LABEL[e.status]}", e.agency, e.path, e.reason) for e in agg.excluded
    ]
    rows += [(MISSING_LABEL, x.agency, "", x.note) for x in agg.missing]
    rows += [(UNEXPECTED_LABEL, name, "", "不在 --expect 名单中") for name in agg.unexpected]
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            _text(ws, r, c, value)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(LEFT_OUT_HEADERS))}{max(len(rows) + 1, 2)}"
    return ws


def aggregate_workbook(agg: Aggregate) -> tuple[Workbook, list[str]]:
    """The filled template of the summed report plus the two sheets; notes from filling."""
    wb, notes = build_filled(agg.data)
    add_compare_sheet(wb, agg)
    add_left_out_sheet(wb, agg)
    return wb, notes
