"""The reader's fast paths give what the full paths give: layouts cached per workbook.xml,
numbers read without the parser, the grid bound's quick scan, lxml in place of defusedxml."""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xxgk.check import findings as fc
from xxgk.files.read import read_source
from xxgk.workbook import cells as cv
from xxgk.workbook import reader as wr
from xxgk.workbook.grid import _SMALL_GRID, MAX_GRID_CELLS, check_grid, grid_bound, is_small_grid
from xxgk.workbook.package import WorkbookUnreadable
from xxgk.workbook.xmlsafe import parse_xml

from .oracle import with_official_totals
from .test_workbook_reader import normalised
from .wb_helpers import cell_of, example_data, write_workbook

NP = "requests.new.natural_person"
PHONE = "agency.phone"


# -- numbers: plain_number is read_number's common case, exactly ------------------------------

ANY_RAW = st.one_of(
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.text(max_size=6),
    st.sampled_from(["3", " 4 ", "１２", "1,000", "-0", "2.5"]),
)


@settings(max_examples=300, deadline=None)
@given(raw=ANY_RAW, integer=st.booleans())
def test_plain_number_agrees_with_the_full_reading(raw: Any, integer: bool) -> None:
    plain = cv.plain_number(raw, integer)
    full = cv._read_number(raw, integer)
    if plain is not None:
        assert full.code is None and full.args == {}
        assert full.value == plain and type(full.value) is type(plain)
    assert cv.read_number(raw, integer=integer) == full


def test_plain_number_takes_the_common_cases() -> None:
    assert cv.plain_number(3.0, True) == 3 and type(cv.plain_number(3.0, True)) is int
    assert cv.plain_number(7, True) == 7
    assert cv.plain_number(2.5, False) == 2.5
    for odd in (2.5, -1, -1.0, math.nan, math.inf, True, "3", None):
        assert cv.plain_number(odd, True) is None


# -- the layout cache --------------------------------------------------------------------------


def _move(dotted: str, to: str):
    """An edit that points a defined name at another cell of the same sheet, value and all."""

    def edit(wb: Any) -> None:
        sheet, ref = cell_of(wb, dotted)
        wb[sheet][to].value = wb[sheet][ref].value
        wb[sheet][ref].value = None
        col, row = re.fullmatch(r"([A-Z]+)([0-9]+)", to).groups()
        wb.defined_names[dotted].attr_text = f"'{sheet}'!${col}${row}"

    return edit


def _swap(a: str, b: str):
    """An edit that exchanges the cells of two names (the values stay where they are)."""

    def edit(wb: Any) -> None:
        ref_a = wb.defined_names[a].attr_text
        wb.defined_names[a].attr_text = wb.defined_names[b].attr_text
        wb.defined_names[b].attr_text = ref_a

    return edit


def test_layout_is_cached_for_files_of_the_same_template(tmp_path: Path) -> None:
    data = example_data()
    first = write_workbook(tmp_path / "a.xlsx", data=data)
    data["requests"]["new"]["natural_person"] += 1
    second = write_workbook(tmp_path / "b.xlsx", data=data)
    wr._layout.cache_clear()
    assert read_source(first).readable
    source = read_source(second)
    info = wr._layout.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    assert source.data is not None
    assert (
        source.data["requests"]["new"]["natural_person"]
        == data["requests"]["new"]["natural_person"]
    )


def test_moved_and_swapped_cells_read_from_where_their_names_point(tmp_path: Path) -> None:
    data = example_data()
    data["requests"]["new"]["natural_person"] = 7  # not 0, which a blank cell also reads as
    data = with_official_totals(data)  # the reader must compute the same totals
    plain = write_workbook(tmp_path / "plain.xlsx", data=data)
    moved = write_workbook(tmp_path / "moved.xlsx", data=data, edit=_move(NP, "Z300"))
    swapped = write_workbook(tmp_path / "swapped.xlsx", data=data, edit=_swap(NP, PHONE))
    far = write_workbook(
        tmp_path / "far.xlsx", data=data, cells={NP: None}, edit=_move(NP, "ZZ999")
    )
    reads = [read_source(p) for p in (plain, moved, swapped, plain, moved, far)]
    assert all(r.readable for r in reads)
    want = normalised(data)
    for r in reads[:2] + reads[3:5]:
        assert normalised(r.data) == want
    assert reads[1].locator("/requests/new/natural_person") == ("表三", "Z300")
    assert reads[4].locator("/requests/new/natural_person") == ("表三", "Z300")
    assert reads[0].locator("/requests/new/natural_person") != ("表三", "Z300")
    # swapped: the count sits in the phone's cell and the phone number in the count's cell
    got = reads[2]
    assert got.data["agency"]["phone"] == cv.shown(data["requests"]["new"]["natural_person"])
    phone_cell = reads[0].locator("/agency/phone")
    assert [
        (f.code, got.locator(f.path))
        for f in got.findings
        if f.path == "/requests/new/natural_person"
    ] == [(fc.WB_NOT_NUMBER, phone_cell)]
    # far beyond what is filled (calamine's grid does not reach it): blank, at the new cell
    blank = [f for f in reads[5].findings if f.code == fc.WB_BLANK]
    assert [(f.path, reads[5].locator(f.path)) for f in blank] == [
        ("/requests/new/natural_person", ("表三", "ZZ999"))
    ]


def test_readings_do_not_share_what_the_cache_holds(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "a.xlsx")
    first = read_source(path)
    first.data["agency"]["name"] = "changed"
    pointer = "/" + NP.replace(".", "/")
    cell = first.locator(pointer)
    wr.read_package(path.read_bytes()).cells[pointer] = ("x", "A1")
    again = read_source(path)
    assert again.data["agency"]["name"] == example_data()["agency"]["name"]
    assert again.locator(pointer) == cell


def test_moved_total_keeps_its_formula_check(tmp_path: Path) -> None:
    total = "requests.results.total.total"

    def edit(wb: Any) -> None:
        _move(total, "Z300")(wb)
        sheet, _ = cell_of(wb, total)
        wb[sheet]["Z300"].value = 5  # a number where the formula was

    path = write_workbook(tmp_path / "t.xlsx", edit=edit)
    codes = {
        (f.code, f.path) for f in read_source(path).findings if f.code.startswith("WB")
    }
    assert (fc.WB_TOTAL_OVERWRITTEN, "/requests/results/total/total") in codes


# -- the grid bound's quick scan ---------------------------------------------------------------

TAGS = st.sampled_from(
    [
        b'<c r="A1"/>',
        b'<c r="ZZ999"/>',
        b'<c r="AAA1"/>',
        b'<c r="A1000"/>',
        b'<c r="B12" s="1"><v>1</v></c>',
        b'<c s="1" r="B12"/>',
        b"<c/>",
        b"<c>",
        b"</c>",
        b'<x:c r="A1"/>',
        b"<x:c/>",
        b'<row r="1">',
        b'<row r="999">',
        b'<row r="1000">',
        b"<row>",
        b'<row  r="3">',
        b"</row>",
        b"<col/>",
        b'<cols r="5"/>',
        b'<x r="1"/>',
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(parts=st.lists(TAGS, max_size=40), repeat=st.integers(1, 800))
def test_quick_scan_passes_only_small_grids(parts: list[bytes], repeat: int) -> None:
    xml = b"<worksheet><sheetData>" + b"".join(parts) * repeat + b"</sheetData></worksheet>"
    rows, cols = grid_bound(xml)
    if is_small_grid(xml):
        assert rows <= 999 and cols <= 702
    if rows * cols > MAX_GRID_CELLS:
        with pytest.raises(WorkbookUnreadable):
            check_grid(xml, "表三")
    else:
        check_grid(xml, "表三")


def test_small_grid_is_within_the_limit() -> None:
    assert _SMALL_GRID <= MAX_GRID_CELLS
    big = b'<row r="1000"><c r="ZZ1000"/></row>' + b"<row><c/></row>" * 2
    assert not is_small_grid(big)
    assert not is_small_grid(b'<x:row r="1"><x:c r="A1"/></x:row>')
    assert is_small_grid(b'<row r="999"><c r="ZZ999"/></row>')
    assert grid_bound(big) == (1002, 704)  # each unpositioned tag may add one


# -- workbook.xml and rels: lxml, DTDs still refused -------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_dtd_is_refused_in_any_encoding(encoding: str) -> None:
    doc = f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
    doc += '<!DOCTYPE a [<!ENTITY x "yyyy">]><a>&x;</a>'
    with pytest.raises(WorkbookUnreadable, match="DTD"):
        parse_xml(doc.encode(encoding), "xl/workbook.xml")


@pytest.mark.parametrize(
    "doc", [b"<a>&x;</a>", b"<a><b></a>", b"", b'<a xmlns:r="x" r:x="1" r:x="2"/>']
)
def test_broken_xml_is_unreadable(doc: bytes) -> None:
    with pytest.raises(WorkbookUnreadable, match="XML"):
        parse_xml(doc, "xl/workbook.xml")


def test_entities_of_xml_itself_are_read() -> None:
    root = parse_xml(b'<a n="&quot;x&quot;">&lt;&amp;&#x4E00;</a>', "xl/workbook.xml")
    assert root.get("n") == '"x"' and root.text == "<&一"
    assert re.fullmatch("<&一", root.text)


def test_a_word_document_named_xlsx_is_called_one(tmp_path: Path) -> None:
    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        "</Relationships>"
    )
    path = tmp_path / "报告.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", "<w:document xmlns:w='urn:w'/>")
    source = read_source(path)
    assert not source.readable and "Word" in (source.error or "")
