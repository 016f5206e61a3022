"""The byte scan of a sheet (workbook/sheetscan.py) finds what an XML parser finds — formulas
with their text, and what a cell python-calamine read as empty holds — and hands every part it
cannot read exactly to the parser (formulas.py, rawcells.py): expected values by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from xxgk.files.read import read_source
from xxgk.workbook.cells import Unusable
from xxgk.workbook.formulas import formula_texts
from xxgk.workbook.grid import is_small_grid
from xxgk.workbook.package import WorkbookUnreadable, open_package
from xxgk.workbook.rawcells import explain
from xxgk.workbook.sheetscan import Unscannable, formula_cells, markup_free, scannable

from .wb_helpers import rewrite_member, sheet_member, write_workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def sheet(rows: str, root: str = f'<worksheet xmlns="{MAIN}">') -> bytes:
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    return (head + root + "<sheetData>" + rows + "</sheetData></worksheet>").encode()


PLAIN = sheet(
    '<row r="1"><c r="A1"><v>1</v></c>'
    '<c r="B1" s="2"><f>SUM(A1:A2)&amp;"&#19968;"&lt;&gt;"x"</f><v>3</v></c></row>'
    '<row r="2"><c r="B2"><f t="shared" ref="B2:D2" si="0">A2+1</f><v>2</v></c>'
    "<c r=\"C2\"><f t='shared' si='0'/><v>2</v></c><c r=\"D2\"><f t=\"shared\" si=\"0\"/></c>"
    '<c r="E2" t="inlineStr"><is><t>&#22635;&#20889;</t></is></c></row>'
    '<row r="3"><c r="A3"><f></f></c></row>'
)
EXPECTED = {
    "B1": 'SUM(A1:A2)&"一"<>"x"',
    "B2": "A2+1",
    "C2": "B2+1",  # the master's text moved one column right
    "D2": "C2+1",
    "A3": None,  # an empty <f/>: present, its text not known
}
ALL = {"A1", "B1", "B2", "C2", "D2", "E2", "A3"}


@pytest.mark.parametrize("small", [True, False])  # the scan, then the parse
def test_formulas_with_their_text_shared_ones_expanded(small: bool) -> None:
    assert is_small_grid(PLAIN)
    assert formula_texts(PLAIN, "xl/worksheets/sheet4.xml", small, ALL) == EXPECTED
    assert formula_texts(PLAIN, "p", small, {"B1", "C2"}) == {
        "B1": EXPECTED["B1"],
        "C2": "B2+1",
    }


def test_the_scan_reads_a_plain_sheet_itself() -> None:
    assert scannable(PLAIN, is_small_grid(PLAIN))
    refs = [ref for ref, *_ in formula_cells(PLAIN)]
    assert refs == ["B1", "B2", "C2", "D2", "A3"]


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        # a formula in a comment is none; the scan would have seen one
        (sheet('<!-- <c r="A1"><f>1+1</f></c> --><row r="1"><c r="A1"><v>2</v></c></row>'), {}),
        (sheet('<row r="1"><c r="A1"><v>2</v><f>1+1</f></c></row>'), {"A1": "1+1"}),  # f last
        # SpreadsheetML bound to a prefix too: <x:f> is a formula
        (
            sheet(
                '<row r="1"><c r="A1"><x:f>1+1</x:f></c></row>',
                f'<worksheet xmlns="{MAIN}" xmlns:x="{MAIN}">',
            ),
            {"A1": "1+1"},
        ),
        # another namespace (strict OOXML): no SpreadsheetML cell, no formula
        (
            sheet(
                '<row r="1"><c r="A1"><f>1+1</f></c></row>',
                '<worksheet xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main">',
            ),
            {},
        ),
        (sheet('<row r="1"><c r="A1"><f><![CDATA[1+1]]></f></c></row>'), {"A1": "1+1"}),
        (sheet('<row r="1"><c s="1" r="A1"><f>1+1</f></c></row>'), {"A1": "1+1"}),
    ],
)
def test_what_the_scan_cannot_read_exactly_is_parsed(xml: bytes, expected: dict[str, str]) -> None:
    small = is_small_grid(xml)
    if scannable(xml, small):
        with pytest.raises(Unscannable):
            formula_cells(xml)
    assert formula_texts(xml, "p", small, {"A1"}) == expected


@pytest.mark.parametrize("bad", ["1&#1;", "1&x;", "1&"])
def test_a_formula_text_no_parser_accepts_makes_the_part_unreadable(bad: str) -> None:
    xml = sheet(f'<row r="1"><c r="A1"><f>{bad}</f></c></row>')
    with pytest.raises(WorkbookUnreadable, match="不是有效的 XML"):
        formula_texts(xml, "xl/worksheets/sheet4.xml", True, {"A1"})


CELLS = sheet(
    '<row r="1"><c r="A1"><f>1+1</f></c><c r="A10"><v>5</v></c>'
    '<c r="B1" t="e"><v>#N/A</v></c><c r="C1"><v>NaN</v></c>'
    '<c r="D1"><f t="shared" si="0"/></c><c r="E1" s="3"/><c r="F1" t="str"><v></v></c>'
    '<c r="G1" t="s"><v>0</v></c><c r="H1" t="n"><v>INF</v></c></row>'
)


@pytest.mark.parametrize("small", [True, False])
def test_what_a_cell_read_as_empty_holds(small: bool) -> None:
    wanted = {"基本信息": ["A1", "B1", "C1", "D1", "E1", "F1", "G1", "H1", "Z9"]}
    found = explain({"基本信息": ("xl/worksheets/sheet1.xml", CELLS, small)}, wanted)
    assert found == {
        ("基本信息", "A1"): Unusable("=1+1", formula=True),
        ("基本信息", "B1"): Unusable("#N/A"),
        ("基本信息", "C1"): Unusable("NaN"),
        ("基本信息", "D1"): Unusable("（共享公式）", formula=True),
        ("基本信息", "H1"): Unusable("INF"),
    }


def test_our_templates_sheets_are_scanned_not_parsed(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "a.xlsx")
    pkg = open_package(path.read_bytes(), keep_xml=True)
    xml = pkg.members[sheet_member(path, "表三")]
    assert scannable(xml, is_small_grid(xml))
    assert len(formula_cells(xml)) > 20  # 表三's totals


BAD_NAME = b'<c r="B5" t="inlineStr"><is><t>x&#1;</t></is></c>'


def test_a_value_holding_a_character_xml_forbids_names_its_part(tmp_path: Path) -> None:
    # python-calamine reads &#1; as U+0001; lxml says the part is no XML, as before the scan
    path = write_workbook(tmp_path / "a.xlsx")
    member = sheet_member(path, "基本信息")
    rewrite_member(
        path,
        member,
        lambda xml: xml.replace(b'<c r="B5"', BAD_NAME + b'<c r="Z99"', 1),
    )
    source = read_source(path)
    assert not source.readable
    assert member in (source.error or "") and "不是有效的 XML" in (source.error or "")


_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@pytest.mark.parametrize(
    ("body", "free"),
    [
        (b"<worksheet><sheetData/></worksheet>", True),
        (b"<worksheet><c><is><t>Hello! Really?</t></is></c></worksheet>", True),
        (b"<worksheet><!-- a comment --></worksheet>", False),
        (b"<worksheet><c><is><t><![CDATA[<c r='D5'>]]></t></is></c></worksheet>", False),
        (b"<worksheet><?pi data?></worksheet>", False),
        (b"<worksheet>!<!x</worksheet>", False),
    ],
)
def test_markup_free_sees_every_comment_cdata_and_processing_instruction(
    body: bytes, free: bool
) -> None:
    assert markup_free(_DECL + body) is free
    assert markup_free(body) is free
