"""Reading a filled template file (.xlsx/.xlsm) into a `check.source.Source`.

The fast path, without openpyxl: the zip is checked and inflated once (`package.py`), the defined
names and the sheet list come from xl/workbook.xml (lxml, DTDs refused; worked out once per
distinct workbook.xml and cached as a `Layout`), the named cells' values and the totals' formulas
from one scan of the bytes the guard inflated (`cellscan.py`, `scanread.py`), where the sheets
are laid out as spreadsheet programs write them — else the values from python-calamine (its
parse of each sheet) and the formulas from a scan or parse of the sheets holding totals
(`formulas.py`). The cells then go through the source-independent core (`core.py`), which the
xlwings add-in shares.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from types import MappingProxyType

from xxgk.check.source import Source
from xxgk.format.lazyre import lazy
from xxgk.format.record import field, record
from xxgk.workbook.blanks import Switch, says_yes
from xxgk.workbook.cellref import col_letters, split_cell
from xxgk.workbook.cellscan import Spot, spots_of
from xxgk.workbook.core import Reading, read_cells, resolve_cells, switch_cell
from xxgk.workbook.formulas import formula_texts
from xxgk.workbook.grid import check_grid
from xxgk.workbook.package import Package, WorkbookUnreadable, open_package
from xxgk.workbook.partxml import elements
from xxgk.workbook.rawcells import explain, suspicious
from xxgk.workbook.recorded import previous_from_names
from xxgk.workbook.scanread import Scan, scan_package, scanned_formulas
from xxgk.workbook.slots import CELL_LEAVES, SLOT, TOTAL_SLOTS
from xxgk.workbook.totals import Cell, TotalParts, total_part_cells
from xxgk.workbook.xmlsafe import parse_xml

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = NS_REL + "/officeDocument"
# expanded names, as `partxml.elements` gives them
_RELATIONSHIP = f"{NS_PKG_REL} Relationship"
_SHEET, _DEFINED_NAME = f"{NS_MAIN} sheet", f"{NS_MAIN} definedName"
_REL_ID = f"{NS_REL} id"
ROOT_RELS = "_rels/.rels"


def _rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _target(base_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))


def _relationships(xml: bytes | None, rels_part: str, base_part: str) -> dict[str, tuple[str, str]]:
    """rId → (type, member name) for one part's relationships."""
    if xml is None:
        return {}
    out = {}
    for _, rel, _ in elements(xml, rels_part, (_RELATIONSHIP,)):
        rid, kind, target = rel.get("Id"), rel.get("Type", ""), rel.get("Target", "")
        if rid and rel.get("TargetMode") != "External":
            out[rid] = (kind, _target(base_part, target))
    return out


@lru_cache(maxsize=16)  # the same bytes in every file saved by the same program
def _office_document(root_rels: bytes | None) -> str:
    for kind, target in _relationships(root_rels, ROOT_RELS, "").values():
        if kind == OFFICE_DOCUMENT:
            return target
    return "xl/workbook.xml"


def _not_a_workbook(pkg: Package) -> WorkbookUnreadable:
    names = pkg.names
    if "word/document.xml" in names:
        kind = "这是 Word 文档（.docx），不是 Excel 工作簿。"
    elif "ppt/presentation.xml" in names:
        kind = "这是 PowerPoint 演示文稿，不是 Excel 工作簿。"
    elif "xl/workbook.bin" in names:
        kind = "这是 Excel 二进制工作簿（.xlsb），本工具只读取 .xlsx。"
    elif "content.xml" in names and "mimetype" in names:
        kind = "这是 OpenDocument 文件（如 WPS/LibreOffice 的 .ods），不是 .xlsx。"
    else:
        kind = "这是一个压缩包，但不是 Excel 工作簿。"
    return WorkbookUnreadable(
        kind + "请提供填好的 .xlsx 模板（可在 Excel 或 WPS 中另存为 .xlsx）。"
    )


def _workbook_xml(
    part: str, xml: bytes, rels: bytes | None
) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Sheets as (name, member) in order, and the workbook-level defined names."""
    found = elements(xml, part, (_SHEET, _DEFINED_NAME))
    members = _relationships(rels, _rels_path(part), part)
    sheets = []
    for tag, sheet, _ in found:
        if tag == _SHEET:
            rid = sheet.get(_REL_ID)
            _, member = members.get(rid or "", ("", ""))
            sheets.append((sheet.get("name", ""), member))
    names: dict[str, str] = {}
    folded: dict[str, str] = {}  # Excel's names are case-insensitive
    for tag, dn, text in found:
        name = dn.get("name")
        if tag == _DEFINED_NAME and dn.get("localSheetId") is None and name:
            key = name.casefold()
            if key in folded:  # Excel never saves a name twice; which one would it mean?
                raise WorkbookUnreadable(
                    f"工作簿的 {part} 部分把名称「{name}」定义了两次（指向 {names[folded[key]]} 和 "
                    f"{text or '（空）'}），无法确定数据在哪个单元格，文件可能被其他程序改坏。"
                    "请用新模板重新填写，或在 Excel「公式 → 名称管理器」中删去多余的一个。"
                )
            folded[key] = name
            names[name] = text
    return sheets, names


# -- where a workbook's cells are: worked out once per distinct workbook.xml --------------------


def _row_col(cell: str) -> tuple[int, int]:
    """A1 address "C6" → (5, 2): 0-based indices into python-calamine's grid read from A1."""
    row, col = split_cell(cell)
    return row - 1, col - 1


@record(frozen=True)
class Layout:
    """What a workbook.xml says, resolved: the same for every file that has the same one.

    Shared by every reading of such a file, so nothing here may be handed out to be changed:
    `names` is read-only and `resolved.cells` is copied for each Reading.
    """

    sheets: tuple[str, ...]
    names: Mapping[str, str]
    resolved: Reading  # resolve_cells: the cells of all leaves, or `fatal`
    members: Mapping[str, str]  # sheet → zip member
    # (sheet, [(slot, row, col) …]) for each sheet holding named cells, sheets sorted by name
    grid_reads: tuple[tuple[str, tuple[tuple[int, int, int], ...]], ...] = ()
    # sheet → its total cells
    total_sheets: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))
    total_cells: tuple[Cell, ...] = ()  # the cell of each of TOTAL_SLOTS
    total_parts: TotalParts = ()  # the cells each total's formula must sum
    switch: Cell | None = None  # the 本年度没有收到政府信息公开申请 cell (read as slot _SWITCH)
    previous: dict[str, Any] | None = None  # recorded.previous_from_names: copied for each use
    # the slots whose empty reading rawcells explains: (slot, sheet, A1)
    explained: tuple[tuple[int, str, str], ...] = ()
    # grid_reads as the value scan looks for them: (sheet, its zip member, Spots)
    scan_spots: tuple[tuple[str, str, tuple[Spot, ...]], ...] = ()


@lru_cache(maxsize=16)
def _layout(part: str, xml: bytes, rels: bytes | None) -> Layout:
    """The layout of a workbook.xml (and its rels), keyed by their exact bytes.

    A workbook whose names point elsewhere has other bytes, hence its own layout; files saved
    by Excel differ in other details of workbook.xml too and are then matched by content.
    """
    sheets, names = _workbook_xml(part, xml, rels)
    return _layout_of(tuple(sheets), tuple(names.items()))


def _by_sheet(cells: Iterable[Cell]) -> Mapping[str, frozenset[str]]:
    by_sheet: dict[str, set[str]] = {}
    for sheet, cell in cells:
        by_sheet.setdefault(sheet, set()).add(cell)
    return MappingProxyType({sheet: frozenset(found) for sheet, found in by_sheet.items()})


@lru_cache(maxsize=16)
def _layout_of(
    sheets: tuple[tuple[str, str], ...], names_items: tuple[tuple[str, str], ...]
) -> Layout:
    names = MappingProxyType(dict(names_items))
    sheet_names = tuple(name for name, _ in sheets)
    members = MappingProxyType(dict(sheets))
    resolved = resolve_cells(sheet_names, names)
    if resolved.fatal:
        return Layout(sheet_names, names, resolved, members)
    cells = resolved.cells
    by_sheet: dict[str, list[tuple[int, int, int]]] = {}
    for leaf in CELL_LEAVES:
        if leaf.pointer not in cells:
            continue  # optional, and this template version has no cell for it
        sheet, cell = cells[leaf.pointer]
        by_sheet.setdefault(sheet, []).append((SLOT[leaf.pointer], *_row_col(cell)))
    switch = switch_cell(names)
    if switch is not None and switch[0] not in members:
        switch = None  # a name left pointing at a deleted sheet: no switch
    if switch is not None:
        by_sheet.setdefault(switch[0], []).append((_SWITCH, *_row_col(switch[1])))
    scan_spots = tuple(
        (sheet, members[sheet], spots_of(by_sheet[sheet]))
        for sheet in sorted(by_sheet)
        if sheet in members
    )
    return Layout(
        sheet_names,
        names,
        resolved,
        members,
        tuple((sheet, tuple(by_sheet[sheet])) for sheet in sorted(by_sheet)),
        _by_sheet(cells[leaf.pointer] for _, leaf in TOTAL_SLOTS),
        tuple(cells[leaf.pointer] for _, leaf in TOTAL_SLOTS),
        total_part_cells(cells),
        switch,
        previous_from_names(names),
        tuple(
            (slot, sheet, f"{col_letters(col + 1)}{row + 1}")
            for sheet in sorted(by_sheet)
            for slot, row, col in by_sheet[sheet]
            if slot in _NOT_TOTAL
        ),
        scan_spots,
    )


_SWITCH = len(CELL_LEAVES)  # the slot after the leaves': the switch cell's value


def _calamine_raws(pkg: Package, layout: Layout) -> list[Any]:
    """Each leaf's cell value by slot (None when empty), and the switch cell's after them, with
    python-calamine, from the file's own bytes: it inflates the sheets again, in Rust, as fast
    as from a copy with them stored (measured: 0.65 ms either way), and the copy cost 0.05 ms.

    python-calamine is lenient where an XML parser is not: a sheet it cannot read, or a value
    holding a character XML forbids (`&#1;`), has its part parsed by lxml, which names a part
    that is no XML (as it did when it parsed the sheets holding totals for their formulas).
    """
    from python_calamine import CalamineWorkbook

    raws: list[Any] = [None] * (_SWITCH + 1)
    sheet = ""
    try:
        book = CalamineWorkbook.from_filelike(BytesIO(pkg.raw))
        for sheet, spots in layout.grid_reads:
            grid = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            height = len(grid)
            for slot, row, col in spots:
                if row < height:
                    cells = grid[row]
                    if col < len(cells):
                        value = cells[col]
                        if type(value) is str and _FORBIDDEN.search(value):
                            _rejudge(pkg, layout, sheet)
                        raws[slot] = None if value == "" else value
    except (KeyboardInterrupt, SystemExit, WorkbookUnreadable):
        raise
    except BaseException:  # CalamineError, XmlError, or a Rust panic (pyo3's PanicException)
        where = "工作簿"
        if sheet:
            _rejudge(pkg, layout, sheet)
            where = f"工作表「{sheet}」（{layout.members.get(sheet, '')}）"
        # the library's own text is English and about its internals: the place says enough
        raise WorkbookUnreadable(
            f"{where}的内容无法读取，文件可能已损坏。请在 Excel 中打开后重新保存，再用新文件。"
        ) from None
    return raws


# characters XML 1.0 does not allow, which python-calamine passes on from a character reference
_FORBIDDEN = lazy("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _rejudge(pkg: Package, layout: Layout, sheet: str) -> None:
    """Raise `not_xml` if the sheet's part is not well-formed XML (lxml's judgement)."""
    member = layout.members.get(sheet, "")
    if member in pkg.members:
        parse_xml(pkg.members[member], member)


# totals have their own checks; an optional cell left empty is normal (no XML parse for it)
_NOT_TOTAL = frozenset(range(len(CELL_LEAVES))) - {slot for slot, _ in TOTAL_SLOTS} - {
    slot for slot, leaf in enumerate(CELL_LEAVES) if leaf.optional
}


def _explain_unusable(
    pkg: Package, layout: Layout, raws: list[Any], small: Mapping[str, bool], scan: Scan | None
) -> None:
    """Cells python-calamine read as empty (or as 1899-12-30) that hold a formula without its
    value, an error value or NaN: their raw value becomes `Unusable` (rawcells.py). Of a
    workbook the scan read, it knows most of them already (`Scan.empty_reason`)."""
    wanted: dict[str, dict[str, int]] = {}
    if scan is None:
        unsure = [cell for cell in layout.explained if suspicious(raws[cell[0]])]
    else:  # the scan gives None for a cell it read as empty, never "" or calamine's NaN date
        unsure = [cell for cell in layout.explained if raws[cell[0]] is None]
    for slot, sheet, cell in unsure:
        if scan is not None:
            reason = scan.empty_reason(sheet, cell)
            if reason is False:
                continue
            if reason is not True:
                raws[slot] = reason
                continue
        wanted.setdefault(sheet, {})[cell] = slot
    if not wanted:
        return
    sheets = {s: (layout.members[s], pkg.members[layout.members[s]], small[s]) for s in wanted}
    for (sheet, cell), found in explain(sheets, wanted).items():
        raws[wanted[sheet][cell]] = found


class _Grids(dict[str, bool]):
    """`grid.check_grid` of each sheet (raising for one far beyond the template), measured when
    first asked for: the value scan reads only sheets it finds small itself, and a workbook it
    read needs the measure only for a sheet read otherwise after all (a shared formula)."""

    def __init__(self, pkg: Package, members: Mapping[str, str]) -> None:
        super().__init__()
        self._pkg, self._members = pkg, members

    def __missing__(self, sheet: str) -> bool:
        small = self[sheet] = check_grid(self._pkg.members[self._members[sheet]], sheet)
        return small

    def measure(self, sheets: Iterable[str]) -> None:
        for sheet in sheets:
            if sheet not in self:
                self.__missing__(sheet)


def read_package(raw: bytes) -> Reading:
    """Bytes of a workbook file → the core's Reading. Raises WorkbookUnreadable."""
    pkg = open_package(raw, keep=(ROOT_RELS,), keep_xml=True)
    part = _office_document(pkg.members.get(ROOT_RELS))
    # word/document.xml: a .docx; xl/workbook.bin: an .xlsb
    if part not in pkg.names or not part.startswith("xl/") or part.endswith(".bin"):
        raise _not_a_workbook(pkg)
    layout = _layout(part, pkg.member(part), pkg.members.get(_rels_path(part)))
    if layout.resolved.fatal:
        return layout.resolved
    for sheet, _ in layout.grid_reads:
        if layout.members.get(sheet, "") not in pkg.members:
            raise WorkbookUnreadable(f"工作簿缺少工作表「{sheet}」的内容，文件可能已损坏。")
    small = _Grids(pkg, layout.members)
    scan = scan_package(pkg, part, layout.scan_spots, _SWITCH + 1)
    if scan is not None:
        raws = scan.raws
        formulas = scanned_formulas(scan, pkg, layout.scan_spots, layout.total_sheets, small)
    else:  # the formulas first: lxml names a part that is no XML (python-calamine does not)
        small.measure(sheet for sheet, _ in layout.grid_reads)  # before calamine's grids
        formulas = {
            sheet: formula_texts(pkg.members[member], member, small[sheet], wanted)
            for sheet, _ in layout.grid_reads
            if (wanted := layout.total_sheets.get(sheet)) is not None
            and (member := layout.members[sheet]) in pkg.members
        }
        raws = _calamine_raws(pkg, layout)
    said = raws.pop()  # the switch cell's value
    switch = None if layout.switch is None else Switch(layout.switch, says_yes(said))
    _explain_unusable(pkg, layout, raws, small, scan)
    has_formula = [cell in formulas[sheet] for sheet, cell in layout.total_cells]
    texts = [formulas[sheet].get(cell) for sheet, cell in layout.total_cells]
    cells = dict(layout.resolved.cells)  # the layout's own stays as it is
    return read_cells(
        raws,
        cells,
        has_formula,
        layout.names,
        texts,
        layout.total_parts,
        switch=switch,
        previous=lambda: _copied(layout.previous),
    )


def _copied(previous: dict[str, Any] | None) -> dict[str, Any] | None:
    """Last year's report as the template recorded it, a copy for each caller to change."""
    if not previous:
        return None
    import copy  # only when asked: `xxgk validate` of a workbook does not load it (issue 16)

    return copy.deepcopy(previous)


def read_workbook(raw: bytes, path: Path) -> Source:
    """A workbook file's bytes → its Source; bad input makes `error` (raises only for our bugs)."""
    try:
        reading = read_package(raw)
    except WorkbookUnreadable as exc:
        return Source(path, error=f"{path}：{exc}")
    except MemoryError:
        return Source(path, error=f"{path}：文件过大，内存不足，无法读取。")
    return source_from_reading(path, reading, f"{path}：")


def source_from_reading(path: Path, reading: Reading, prefix: str = "") -> Source:
    """The core's reading as the `Source` that `check_source` takes (the add-in uses it too);
    a fatal finding (not our template, a sheet deleted…) makes it unreadable."""
    if reading.fatal:
        return Source(path, findings=[reading.fatal], error=prefix + reading.fatal.message)
    return Source(
        path,
        data=reading.data,
        findings=reading.findings,
        locator=reading.locate,
        previous=reading.previous,
    )
