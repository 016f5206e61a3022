"""The summed report as a workbook: the filled template plus two sheets for the office.

`各单位对比`: one row per summed agency with its key figures (numbers as numbers, an autofilter
so Excel sorts and filters it, the header row frozen). `未汇总单位`: the inputs left out and why,
the agencies on the expect list that did not report (缺报), and agencies summed that were not on
the list. Both sheets come after the template's sheets; the reader ignores them.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xxgk.aggregate.sums import KEY_FIGURES, STATUS_LABEL, Aggregate, key_figures
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


def _text(ws: Worksheet, row: int, col: int, value: str) -> None:
    # Names and paths come from the inputs: a control character (which validate lets through
    # in a name) would make openpyxl refuse the cell, and Excel the file.
    cell = ws.cell(row=row, column=col, value=clean_cell_text(value)[:MAX_CELL_CHARS])
    cell.data_type = "s"  # an agency name or file name starting with "=" stays text
    cell.font = _FONT


def add_compare_sheet(wb: Workbook, agg: Aggregate) -> Worksheet:
    ws = wb.create_sheet(COMPARE_SHEET)
    _header(ws, COMPARE_HEADERS, [30, 24, *([12] * len(KEY_FIGURES))])
    for r, entry in enumerate(agg.included, start=2):
        _text(ws, r, 1, entry.agency)
        _text(ws, r, 2, entry.path)
        for c, value in enumerate(key_figures(entry.data), start=3):
            if not in_range(value):  # the one range check: no float holds it, Excel neither
                _text(ws, r, c, out_of_range_text(value))
                continue
            cell = ws.cell(row=r, column=c, value=value)
            cell.font = _FONT
            if isinstance(value, float):
                cell.number_format = "0.00##"
    last_row = max(len(agg.included) + 1, 2)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COMPARE_HEADERS))}{last_row}"
    ws.row_dimensions[1].height = 32
    return ws


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
