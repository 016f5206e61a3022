"""The value scan (workbook/cellscan.py) gives each named cell exactly what python-calamine
gives, cell typed by cell, or leaves the workbook to python-calamine; a broken cell that holds
nothing of the report no longer makes the workbook unreadable.

python-calamine is the oracle here: every value the scan returns is compared with its reading of
the same bytes, in the same form (type and value)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from xxgk.workbook import reader as rd
from xxgk.workbook.formulas import formula_texts
from xxgk.workbook.grid import check_grid
from xxgk.workbook.package import WorkbookUnreadable, open_package
from xxgk.workbook.scanread import Scan, scan_package, scanned_formulas

from .conftest import need_tool
from .wb_helpers import write_workbook, zip_of
from .workbooks import libreoffice_convert, soffice

SST_REL = (
    '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/>'
)


@cache
def _base() -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return write_workbook(Path(tmp) / "base.xlsx").read_bytes()


def _members(raw: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}



def _layout(raw: bytes) -> tuple[rd.Package, rd.Layout]:
    pkg = open_package(raw, keep=(rd.ROOT_RELS,), keep_xml=True)
    part = "xl/workbook.xml"
    return pkg, rd._layout(part, pkg.member(part), pkg.members.get(rd._rels_path(part)))


def _where(pointer: str) -> tuple[str, str]:
    pkg, layout = _layout(_base())
    sheet, cell = layout.resolved.cells[pointer]
    return layout.members[sheet], cell


def _with_cell(pointer: str, cell_xml: str, sst: str | None = None) -> bytes:
    """The base workbook with the cell of `pointer` written as `cell_xml` (its "{r}" filled)."""
    member, ref = _where(pointer)
    members = _members(_base())
    xml = members[member]
    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.S)
    assert pattern.search(xml), ref
    new = cell_xml.replace("{r}", ref).encode("utf-8")
    members[member] = pattern.sub(lambda _: new, xml, count=1)
    if sst is not None:
        members["xl/sharedStrings.xml"] = sst.encode("utf-8")
        rels = "xl/_rels/workbook.xml.rels"
        end = b"</Relationships>"
        members[rels] = members[rels].replace(end, SST_REL.encode() + end)
    return zip_of(members)


def _typed(values: list[Any]) -> list[tuple[type, Any]]:
    return [(type(v), v) for v in values]


def _compare(raw: bytes) -> bool:
    """Whether the scan read the workbook (True) or left it to python-calamine (False); when it
    read it, every value is python-calamine's."""
    pkg, layout = _layout(raw)
    scanned = _scan(pkg, layout)
    if scanned is None:
        return False
    assert _typed(scanned.raws) == _typed(rd._calamine_raws(pkg, layout))
    # empty is None, never "" or a datetime (reader._explain_unusable looks only at None)
    assert not any(raw == "" or type(raw) is dt.datetime for raw in scanned.raws)
    return True


def _small(pkg: rd.Package, layout: rd.Layout) -> dict[str, bool]:
    return {sheet: check_grid(pkg.members[member], sheet) for sheet, member, _ in layout.scan_spots}


def _scan(pkg: rd.Package, layout: rd.Layout) -> Scan | None:
    return scan_package(pkg, "xl/workbook.xml", layout.scan_spots, rd._SWITCH + 1)


def _value(raw: bytes, pointer: str) -> Any:
    scanned = _scan(*_layout(raw))
    assert scanned is not None
    return scanned.raws[rd.SLOT[pointer]]


NAME, YEAR, DATE, COUNT = "/agency/name", "/year", "/published_on", "/requests/new/natural_person"
SST = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5" '
    'uniqueCount="5"><si><t>示例县商务局</t></si><si><t xml:space="preserve"> 空格 </t></si>'
    '<si><r><rPr><b/><sz val="11"/></rPr><t>甲</t></r><r><t xml:space="preserve"> 乙</t></r></si>'
    '<si><t>&lt;A&amp;B&gt;&#19968;</t><rPh sb="0" eb="1"><t>ア</t></rPh>'
    '<phoneticPr fontId="1"/></si><si><t/></si></sst>'
)


@pytest.mark.parametrize(
    ("pointer", "cell", "expected"),
    [
        (COUNT, '<c r="{r}" s="12"><v>51</v></c>', 51.0),
        (COUNT, '<c r="{r}" s="12" t="n"><v>007</v></c>', 7.0),
        (COUNT, '<c r="{r}" t="n" s="12"><v>3.25</v></c>', 3.25),
        (COUNT, '<c r="{r}" s="12"/>', None),
        (COUNT, '<c r="{r}" s="12"></c>', None),
        (COUNT, '<c r="{r}"><f>1+2</f><v>3</v></c>', 3.0),
        (COUNT, '<c r="{r}"><f>1+2</f></c>', None),  # no cached value: "" (rawcells explains)
        (YEAR, '<c r="{r}" s="5" t="n"><v>2024</v></c>', 2024.0),
        (DATE, '<c r="{r}" s="8" t="n"><v>45701</v></c>', dt.date(2025, 2, 13)),
        (DATE, '<c r="{r}" s="8"><v>61</v></c>', dt.date(1900, 3, 1)),
        (NAME, '<c r="{r}" s="7" t="inlineStr"><is><t>示例县第1局</t></is></c>', "示例县第1局"),
        (
            NAME,
            '<c r="{r}" t="inlineStr"><is><t xml:space="preserve"> 两端 </t></is></c>',
            " 两端 ",
        ),
        (
            NAME,
            '<c r="{r}" t="inlineStr"><is><t>&#31034;&lt;&amp;&gt;&quot;&apos;</t></is></c>',
            "示<&>\"'",
        ),
        (NAME, '<c r="{r}" t="inlineStr"><is><t>第一行\n第二行</t></is></c>', "第一行\n第二行"),
        (
            NAME,
            '<c r="{r}" t="inlineStr"><is><t>\u3000全角空格\u3000</t></is></c>',
            "\u3000全角空格\u3000",
        ),
        (NAME, '<c r="{r}" t="inlineStr"><is><t></t></is></c>', None),
    ],
)
def test_the_scan_reads_plain_cells_as_calamine_does(
    pointer: str, cell: str, expected: Any
) -> None:
    raw = _with_cell(pointer, cell)
    assert _compare(raw)
    got = _value(raw, pointer)
    assert (type(got), got) == (type(expected), expected)


@pytest.mark.parametrize(
    ("index", "expected"),
    [(0, "示例县商务局"), (1, " 空格 "), (2, "甲 乙"), (3, "<A&B>一"), (4, None)],
)
def test_shared_strings_are_read_as_calamine_does(index: int, expected: Any) -> None:
    raw = _with_cell(NAME, f'<c r="{{r}}" s="7" t="s"><v>{index}</v></c>', sst=SST)
    assert _compare(raw)
    assert _value(raw, NAME) == expected


@pytest.mark.parametrize(
    ("pointer", "cell"),
    [
        (COUNT, '<c r="{r}" s="12"><v>1e3</v></c>'),
        (COUNT, '<c r="{r}" s="12"><v> 5</v></c>'),
        (COUNT, '<c r="{r}" s="12"><v>-5</v></c>'),
        (COUNT, '<c r="{r}" s="12"><v>NaN</v></c>'),
        (COUNT, '<c r="{r}" t="e"><v>#N/A</v></c>'),
        (COUNT, '<c r="{r}" t="b"><v>1</v></c>'),
        (COUNT, '<c r="{r}" t="str"><v>5</v></c>'),
        (COUNT, '<c r="{r}" t="d"><v>2024-01-02</v></c>'),
        (COUNT, '<c r="{r}" s="999"><v>5</v></c>'),  # a style the workbook does not have
        (COUNT, '<c r="{r}" s="12" cm="1"><v>5</v></c>'),
        (COUNT, '<c r="{r}"><v>5</v><extLst/></c>'),
        (DATE, '<c r="{r}" s="8"><v>45701.5</v></c>'),
        (DATE, '<c r="{r}" s="8"><v>60</v></c>'),  # Excel's 1900-02-29
        (NAME, '<c r="{r}" t="inlineStr"><is><t> 未保留空格</t></is></c>'),
        (NAME, '<c r="{r}" t="inlineStr"><is><t>回车\r\n换行</t></is></c>'),
        (NAME, '<c r="{r}" t="inlineStr"><is><t>控制符&#1;</t></is></c>'),
        (NAME, '<c r="{r}" t="inlineStr"><is><t>&nbsp;</t></is></c>'),
        (NAME, '<c r="{r}" t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r></is></c>'),
        (NAME, '<c r="{r}" t="inlineStr"><is><t/></is></c>'),
    ],
)
def test_other_forms_are_left_to_calamine(pointer: str, cell: str) -> None:
    """Each of these either makes python-calamine give something the scan does not claim to
    know, or fail: the scan must not read the workbook (and the reading is python-calamine's)."""
    assert not _compare(_with_cell(pointer, cell))


def test_a_shared_string_out_of_the_table_is_left_to_calamine() -> None:
    assert not _compare(_with_cell(NAME, '<c r="{r}" t="s"><v>9</v></c>', sst=SST))


def test_an_odd_shared_string_is_left_to_calamine() -> None:
    odd = SST.replace("<si><t/></si>", "<si><t>a</t><extra/></si>")
    assert not _compare(_with_cell(NAME, '<c r="{r}" t="s"><v>4</v></c>', sst=odd))


def test_an_odd_shared_string_no_cell_refers_to_is_not_judged() -> None:
    odd = SST.replace("<si><t/></si>", "<si><t>a</t><extra/></si>")
    raw = _with_cell(NAME, '<c r="{r}" t="s"><v>0</v></c>', sst=odd)
    assert _value(raw, NAME) == "示例县商务局"


@pytest.mark.parametrize(
    "sst",
    [
        SST.replace("<si><t/></si>", '<si foo="1"><t/></si>'),  # an item with attributes
        SST.replace("</sst>", "<extLst/></sst>"),  # something after the last item
        SST.replace("uniqueCount", "other"),
    ],
)
def test_a_table_not_as_excel_writes_it_is_left_to_calamine(sst: str) -> None:
    assert not _compare(_with_cell(NAME, '<c r="{r}" t="s"><v>4</v></c>', sst=sst))


# -- the reader: the scan where it is certain, python-calamine otherwise -----------------------


def _read(raw: bytes) -> str:
    try:
        reading = rd.read_package(raw)
    except WorkbookUnreadable as exc:
        return f"refused: {exc}"
    return repr((reading.data, reading.findings, reading.fatal))


def _read_both(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """repr of read_package's result (or its refusal) with the scan, then without it."""
    fast = _read(raw)
    with monkeypatch.context() as patch:
        patch.setattr(rd, "scan_package", lambda *_: None)
        slow = _read(raw)
    return fast, slow


def _no_calamine(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("python-calamine was asked")

    monkeypatch.setattr(rd, "_calamine_raws", refuse)


def test_a_filled_template_is_read_by_the_scan_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = _with_cell(COUNT, '<c r="{r}" s="12"><v>4242</v></c>')
    fast, slow = _read_both(raw, monkeypatch)
    assert fast == slow and "4242" in fast
    _no_calamine(monkeypatch)
    assert _read(raw) == fast


def _with_label(label: str) -> bytes:
    """The base workbook with the first cell of the agency name's sheet, A1 (a label, no cell
    of the report), replaced by `label`."""
    member, _ = _where(NAME)
    members = _members(_base())
    xml = members[member]
    first = re.search(rb'<c r="A1".*?</c>', xml, re.S)
    assert first is not None
    members[member] = xml[: first.start()] + label.encode() + xml[first.end() :]
    return zip_of(members)


@pytest.mark.parametrize(
    "label",
    [
        '<c r="A1" s="1" t="inlineStr"><is><t>&bogus;</t></is></c>',  # an undefined entity
        '<c r="A1" s="1" t="s"><v>5</v></c>',  # no shared strings table at all
    ],
)
def test_a_broken_cell_elsewhere_no_longer_refuses_the_workbook(
    label: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """python-calamine (or lxml, asked to name the part) refuses the whole workbook for such a
    label; the report's cells are intact, and the scan reads them as from the workbook with the
    label untouched."""
    fast, slow = _read_both(_with_label(label), monkeypatch)
    assert slow.startswith("refused: 工作")
    assert fast == _read(_base())


def test_a_wanted_cell_inside_another_cell_is_left_to_calamine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    member, ref = _where(NAME)
    members = _members(_base())
    xml = members[member]
    cell = re.search(rb'<c r="' + ref.encode() + rb'".*?</c>', xml, re.S)
    assert cell is not None
    # the cell before it left open around it, closed after it
    before = xml.rfind(b"</c>", 0, cell.start())
    members[member] = xml[:before] + xml[before + 4 : cell.end()] + b"</c>" + xml[cell.end() :]
    raw = zip_of(members)
    assert _scan(*_layout(raw)) is None
    fast, slow = _read_both(raw, monkeypatch)
    assert fast == slow


def test_a_wanted_cell_written_twice_is_left_to_calamine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """python-calamine keeps the last of two cells with one reference, a search finds the
    first: the scan must not read such a sheet."""
    twice = '<c r="{r}" s="12"><v>5</v></c><c r="{r}" s="12"><v>1</v></c>'
    raw = _with_cell(COUNT, twice)
    assert _scan(*_layout(raw)) is None
    fast, slow = _read_both(raw, monkeypatch)
    assert fast == slow


@pytest.mark.parametrize("ref", ["d5", "D05"])
def test_references_not_as_excel_writes_them_are_left_to_calamine(ref: str) -> None:
    member, _ = _where(NAME)
    members = _members(_base())
    xml = members[member]
    members[member] = xml.replace(b'<c r="A1"', f'<c r="{ref}"'.encode(), 1)
    assert _scan(*_layout(zip_of(members))) is None


@pytest.mark.parametrize(
    "cells",
    [
        '<c s="12"><v>51</v></c>',  # no position: python-calamine puts it after the one before
        '<c s="12" r="{r}"><v>51</v></c>',  # the position not the first attribute
        '<c  r="{r}" s="12"><v>51</v></c>',  # nor as Excel writes it
        '<c r="{r}" s="12"><v>51</v></c><c r="AAA9"><v>1</v></c>',  # a cell beyond ZZ999
        '<c r="{r}" s="12"><v>51</v></c><c r="B1000"><v>1</v></c>',
        '<c r="{r}" s="12"><v>51</v></c><c r="XFD1048576"><v>1</v></c>',  # far beyond: refused
        '<x:c r="{r}" s="12"><v>51</v></x:c>',  # prefixed
    ],
)
def test_a_cell_the_scan_cannot_place_leaves_the_sheet_to_calamine(
    cells: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """python-calamine places a cell by its own reference, or after the cell before it: the
    scan reads a sheet only where every cell in it has its reference first, within ZZ999."""
    raw = _with_cell(COUNT, cells)
    assert _scan(*_layout(raw)) is None
    fast, slow = _read_both(raw, monkeypatch)
    assert fast == slow
    if "XFD" in cells:  # measured as before python-calamine's grid: the workbook refused
        assert fast.startswith("refused: 工作表") and "1048576 行" in fast


def test_rows_do_not_place_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    """python-calamine places a cell by its reference, whatever its row says: a row numbered
    otherwise, or far away and empty, changes nothing the scan reads."""
    member, ref = _where(COUNT)
    members = _members(_base())
    row = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ").encode()
    xml = members[member].replace(b'<row r="' + row + b'"', b'<row r="7777"', 1)
    members[member] = xml.replace(b"</sheetData>", b'<row r="50000"/></sheetData>')
    raw = zip_of(members)
    assert _scan(*_layout(raw)) is not None
    fast, slow = _read_both(raw, monkeypatch)
    assert fast == slow == _read(_base())


def _total() -> tuple[str, str, str]:
    """A total's pointer, its sheet and cell, of the base workbook."""
    _, layout = _layout(_base())
    for sheet, cells in layout.total_sheets.items():
        for cell in sorted(cells):
            for pointer, where in layout.resolved.cells.items():
                if where == (sheet, cell):
                    return pointer, sheet, cell
    raise AssertionError("no total")


def _formulas_both(raw: bytes) -> tuple[dict[str, dict[str, str | None]], ...]:
    """The total cells' formulas from the scan, and from formulas.formula_texts."""
    pkg, layout = _layout(raw)
    small = _small(pkg, layout)
    scanned = _scan(pkg, layout)
    assert scanned is not None
    fast = scanned_formulas(scanned, pkg, layout.scan_spots, layout.total_sheets, small)
    slow = {
        sheet: formula_texts(pkg.members[layout.members[sheet]], "m", small[sheet], cells)
        for sheet, cells in layout.total_sheets.items()
    }
    return fast, slow


@pytest.mark.parametrize(
    "f",
    [
        "<f>SUM(D5:D6)</f>",
        '<f aca="false">SUM(D5:D6)</f>',  # as LibreOffice writes every formula
        "<f></f>",
        "<f/>",  # an empty formula: present, text unknown
        '<f t="shared" ref="D7:E7" si="0">SUM(D5:D6)</f>',  # a shared formula's master
    ],
)
def test_the_totals_formulas_are_formula_texts(f: str) -> None:
    pointer, sheet, cell = _total()
    fast, slow = _formulas_both(_with_cell(pointer, f'<c r="{{r}}" s="12">{f}<v>3</v></c>'))
    assert fast == slow
    assert cell in fast[sheet]
    if f.endswith(">SUM(D5:D6)</f>"):
        assert fast[sheet][cell] == "SUM(D5:D6)"


@pytest.mark.parametrize(
    "cell",
    [
        '<c r="{r}"><f>1+2</f></c>',  # a formula never calculated: "=1+2"
        '<c r="{r}"><f>"a&amp;b"</f></c>',
        '<c r="{r}"><f t="shared" si="7"/></c>',  # a shared one whose master is elsewhere
        '<c r="{r}" t="n"><f aca="false">1+2</f></c>',
        '<c r="{r}" s="12"/>',
        '<c r="{r}" s="12"><v></v></c>',
    ],
)
def test_an_empty_reading_is_explained_as_by_the_old_path(
    cell: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A named cell read as empty: what it holds (a formula without its value) is said as the
    path through python-calamine and rawcells says it."""
    raw = _with_cell(COUNT, cell)
    assert _scan(*_layout(raw)) is not None
    fast, slow = _read_both(raw, monkeypatch)
    assert fast == slow
    if "1+2" in cell:
        assert "=1+2" in fast


# -- what staff type, as openpyxl saves it: read alike either way -------------------------------

_N, _G = "requests.new.natural_person", "requests.results.granted.natural_person"
TYPED: list[dict[str, Any]] = [
    {_N: "12", _G: "１２"},  # a number typed as text, full-width digits
    {_N: " 12 ", _G: "12.0"},
    {_N: -3, _G: 2.5},  # negative, fractional
    {_N: None, _G: ""},  # blank
    {_N: 1e20, _G: True},  # far too large, a boolean
    {_N: "=1+2", _G: "三"},  # a formula typed into an input cell (openpyxl: no value), a word
    {"requests.new.total": 999},  # a total overwritten by a number
    {"published_on": dt.datetime(2025, 2, 13), "year": "2024年"},
    {"published_on": "2025年2月13日", "agency.postcode": 834600},
    {"agency.name": "  额敏县商务和工业信息化局 ", "preamble": "第一段\n\n第二段  "},
    {"agency.name": "<&>\"'", "overview.summary": "\u3000全角空格开头"},
]


@pytest.mark.parametrize("cells", TYPED, ids=lambda cells: ",".join(cells))
def test_typed_cells_are_read_as_through_calamine(
    cells: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = write_workbook(tmp_path / "typed.xlsx", cells=cells).read_bytes()
    fast, slow = _read_both(raw, monkeypatch)
    assert fast == slow
    assert not fast.startswith("refused")


def test_what_staff_type_is_mostly_read_by_the_scan(tmp_path: Path) -> None:
    """The comparison above is not between python-calamine and itself: the scan reads all of
    these but the negative count and the boolean and 1e20 (calamine's to read)."""
    scanned = []
    for cells in TYPED:
        raw = write_workbook(tmp_path / "typed.xlsx", cells=cells).read_bytes()
        scanned.append(_scan(*_layout(raw)) is not None)
    assert scanned.count(False) == 2 and not scanned[2] and not scanned[4]


@pytest.fixture(scope="module")
def libreoffice_saved(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    """The typed workbooks above opened and saved again by LibreOffice (shared strings, its own
    styles and formula flags: a file as a spreadsheet program writes it), in one soffice call."""
    need_tool("LibreOffice", soffice(), "apt-get install libreoffice-calc-nogui")
    folder = tmp_path_factory.mktemp("typed")
    files = [write_workbook(folder / f"typed{i}.xlsx", cells=c) for i, c in enumerate(TYPED)]
    proc = libreoffice_convert(files, folder / "saved")
    saved = [folder / "saved" / f.name for f in files]
    assert all(path.exists() for path in saved), proc.stderr
    return [path.read_bytes() for path in saved]


def test_workbooks_libreoffice_saved_read_as_through_calamine(
    libreoffice_saved: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    scanned = 0
    for raw in libreoffice_saved:
        assert b"sharedStrings" in raw  # as a spreadsheet program writes text
        fast, slow = _read_both(raw, monkeypatch)
        assert fast == slow
        scanned += _scan(*_layout(raw)) is not None
    assert scanned >= len(TYPED) - 2


@pytest.mark.parametrize(
    "refs",
    [
        [b"A1", b"B1", b"A1"],  # twice
        [b"A1", b"b1"],  # in small letters
        [b"A1", b"D05"],  # a leading zero
        [b"A1", b"AAA1"],  # beyond ZZ
        [b"A1", b"A1000"],  # beyond row 999
        [b"A1", b""],  # no reference
    ],
)
def test_a_sequence_of_references_seen_plain_lets_no_other_through(refs: list[bytes]) -> None:
    from xxgk.workbook import cellscan

    plain = [b"A1", b"B1", b"A2", b"ZZ999"]
    assert cellscan._plain_refs(plain) and b" ".join(plain) in cellscan._SEEN_REFS
    assert cellscan._plain_refs(plain)  # again, from what it has seen
    assert not cellscan._plain_refs(refs)
    assert not cellscan._plain_refs(refs)  # a refusal is not kept as seen
    assert b" ".join(refs) not in cellscan._SEEN_REFS


def test_the_sequences_seen_are_bounded() -> None:
    from xxgk.workbook import cellscan

    for n in range(cellscan._SEEN_REFS_LIMIT * 2):
        refs = [b"A1", f"B{n % 999 + 1}".encode(), f"C{n // 999 + 1}".encode()]
        assert cellscan._plain_refs(refs)
        assert len(cellscan._SEEN_REFS) <= cellscan._SEEN_REFS_LIMIT
