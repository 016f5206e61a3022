"""The Excel template, generated from the format model (no label is typed here).

Every data cell gets a workbook-level defined name equal to its leaf's dotted JSON path; the
readers, the add-in and the tests find cells only through those names. Totals are formulas.
The sheets are written by `text_sheets` and `table_sheets` through one `SheetWriter`;
`python tools/regenerate.py` rewrites the committed template and the bundled filled example.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import quote_sheetname
from openpyxl.workbook.defined_name import DefinedName

from xxgk.format import arithmetic as ar
from xxgk.format import model as m
from xxgk.workbook import table_sheets, text_sheets
from xxgk.workbook.cellref import col_number, split_name
from xxgk.workbook.fill import fill_cells, write_value
from xxgk.workbook.sheets import (
    NO_REQUESTS_NAME,
    SHEETS,
    TEMPLATE_VERSION,
    VERSION_NAME,
    Layout,
)
from xxgk.workbook.validation import add_validations
from xxgk.workbook.writer import SheetWriter

# Fixed timestamp so that the same input always gives the same bytes.
FIXED_TIME = dt.datetime(2021, 1, 1)


def write_totals(w: SheetWriter) -> None:
    for check in ar.checks():
        if not check.computes_left:
            continue
        dotted = ".".join(check.left[0])
        if dotted in w.layout.totals:
            continue  # （七）总计's own total is computed once, from its row
        sheet, coord = w.layout.cells[dotted]
        parts = [w.layout.cells[".".join(p)] for p in check.right]
        assert all(s == sheet for s, _ in parts), "a total sums cells of its own sheet"
        formula = "=" + _sum_formula([c for _, c in parts])
        w.wb[sheet][coord].value = formula
        w.layout.totals[dotted] = formula


def write_names(w: SheetWriter) -> None:
    for dotted, (sheet, coord) in w.layout.cells.items():
        col, row = split_name(coord)
        ref = f"{quote_sheetname(sheet)}!${col}${row}"
        w.wb.defined_names[dotted] = DefinedName(dotted, attr_text=ref)
    if w.layout.no_requests is not None:
        sheet, coord = w.layout.no_requests
        col, row = split_name(coord)
        ref = f"{quote_sheetname(sheet)}!${col}${row}"
        w.wb.defined_names[NO_REQUESTS_NAME] = DefinedName(NO_REQUESTS_NAME, attr_text=ref)
    w.wb.defined_names[VERSION_NAME] = DefinedName(
        VERSION_NAME, attr_text=f'"{TEMPLATE_VERSION}"'
    )


def _sum_formula(coords: list[str]) -> str:
    """SUM over the cells, as one range when they are contiguous in a row or a column."""
    split = [split_name(c) for c in coords]
    cols = {c for c, _ in split}
    rows = [r for _, r in split]
    if len(cols) == 1 and rows == list(range(rows[0], rows[0] + len(rows))):
        return f"SUM({coords[0]}:{coords[-1]})"
    nums = [col_number(c) for c, _ in split]
    if len(set(rows)) == 1 and nums == list(range(nums[0], nums[0] + len(nums))):
        return f"SUM({coords[0]}:{coords[-1]})"
    return f"SUM({','.join(coords)})"


def _build(agency: str | None, year: int | None, data: dict[str, Any] | None) -> SheetWriter:
    w = SheetWriter()
    text_sheets.info(w)
    text_sheets.overview(w)
    table_sheets.table2(w)
    table_sheets.table3(w)
    table_sheets.table4(w)
    text_sheets.problems(w)
    text_sheets.other(w)
    text_sheets.help_sheet(w)
    write_totals(w)
    add_validations(w.wb, w.validations)
    write_names(w)
    assert w.wb.sheetnames == list(SHEETS), "the workbook contract's sheets, in its order"
    w.wb.active = 0
    props = w.wb.properties
    props.creator = "xxgk"
    props.title = "政府信息公开工作年度报告"
    props.created = FIXED_TIME
    if data is not None:
        w.notes = fill_cells(w.wb, w.layout, data)
    prefill: dict[str, Any] = {}
    if agency is not None:
        prefill["agency.name"] = agency
    if year is not None:
        prefill["year"] = year
    for dotted, value in prefill.items():
        sheet, coord = w.layout.cells[dotted]
        write_value(w.wb[sheet][coord], _LEAF_BY_DOTTED[dotted], value)
    return w


_LEAF_BY_DOTTED = {leaf.dotted: leaf for leaf in m.leaves()}


def build_template(
    agency: str | None = None, year: int | None = None, data: dict[str, Any] | None = None
) -> Workbook:
    """A fresh template; with `data`, every cell prefilled from that report.

    Totals stay formulas; text that starts with `=` stays text.
    """
    return _build(agency, year, data).wb


def build_filled(data: dict[str, Any]) -> tuple[Workbook, list[str]]:
    """A template filled from `data`, and notes on values that had to be changed to fit."""
    b = _build(None, None, data)
    return b.wb, b.notes


_LAYOUT: Layout | None = None


def layout() -> Layout:
    """Where every data cell of the template is (the same for every generated workbook)."""
    global _LAYOUT
    if _LAYOUT is None:
        _LAYOUT = _build(None, None, None).layout
    return _LAYOUT


# -- saving -----------------------------------------------------------------------------------


def workbook_bytes(wb: Workbook) -> bytes:
    """The xlsx bytes, with fixed timestamps: the same workbook always gives the same bytes."""
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            if info.filename == "docProps/core.xml":
                dst.writestr(fixed, _fixed_core(src.read(info.filename)))
                continue
            # copied a slice at a time: a summed workbook's sheet of 5,000 agencies is 4 MB
            with src.open(info) as member, dst.open(fixed, "w") as out_member:
                while chunk := member.read(1 << 16):
                    out_member.write(chunk)
    return out.getvalue()


def _fixed_core(xml: bytes) -> bytes:
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\2", xml)
