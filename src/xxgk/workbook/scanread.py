"""A checked workbook package read by the value scan (`cellscan.py`) where it is certain: the
reader's (`reader.py`) glue between the package, its layout and the scan.

The scan is tried on every workbook; it gives up (None) on anything it does not certainly read
as python-calamine would, and the workbook is then read by python-calamine as before. The
formulas of the total cells come from the same pass where each is a plain <f>…</f>; a shared
formula or one with attributes has its sheet scanned for formulas as before (`formulas.py`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

from xxgk.format.record import record
from xxgk.workbook.cells import Unusable
from xxgk.workbook.cellscan import Spot, scan_sheet, style_classes
from xxgk.workbook.cellstrings import Miss, SharedStrings
from xxgk.workbook.formulas import formula_texts
from xxgk.workbook.package import Package
from xxgk.workbook.rawcells import without_value
from xxgk.workbook.sheetscan import Unscannable, markup_free, plain_namespaces, text_of

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

WORKBOOK, RELS = "xl/workbook.xml", "xl/_rels/workbook.xml.rels"
STYLES, STRINGS = "xl/styles.xml", "xl/sharedStrings.xml"
# (sheet, its zip member, its wanted cells) for each sheet the reader reads
ScanSpots = Sequence[tuple[str, str, Sequence[Spot]]]


@record
class Scan:
    """What the scan read of a package: the values by slot, and by sheet the formulas of its
    wanted cells (`cellscan.scan_sheet`)."""

    raws: list[Any]
    formulas: dict[str, dict[bytes, bytes | bool]]

    def empty_reason(self, sheet: str, cell: str) -> Unusable | bool:
        """Of a wanted cell the scan read as empty: False if it is (no cell, or one without value
        or formula), what it holds when that is a plain formula without its value
        (`rawcells.without_value`), True when rawcells must look."""
        formula = self.formulas[sheet].get(b'<c r="' + cell.encode("ascii") + b'"')
        if formula is None:
            return False
        if type(formula) is bytes:
            try:
                return without_value(text_of(formula))
            except Unscannable:
                return True
        return True


def _plain_package(pkg: Package, part: str) -> bool:
    """Whether the workbook-level parts are as the scan assumes: the usual part names, dates
    counted from 1900, the styles and shared strings where the relationships say."""
    xml = pkg.members.get(part)
    return (
        xml is not None
        and part == WORKBOOK
        and STYLES in pkg.members
        and _plain_parts(xml, pkg.members.get(RELS) or b"", STRINGS in pkg.members)
    )


@lru_cache(maxsize=32)  # one template's parts repeat (and the guard gives the same bytes objects)
def _plain_parts(xml: bytes, rels: bytes, has_strings: bool) -> bool:
    return (
        xml.count(b"date1904") == xml.count(b'date1904="false"') + xml.count(b'date1904="0"')
        and b'Target="styles.xml"' in rels
        and (b"/sharedStrings" in rels) == has_strings
        and (not has_strings or b'Target="sharedStrings.xml"' in rels)
    )


def _scannable_sheet(xml: bytes) -> bool:
    # the guard let only UTF-8 parts through; the wanted cells' bytes are decoded one by one
    return plain_namespaces(xml) and markup_free(xml)


def scan_package(pkg: Package, part: str, spots: ScanSpots, slots: int) -> Scan | None:
    """The wanted cells' values by the scan (`slots` of them, None where empty); None where the
    scan cannot be used for this package. No sheet's grid need be measured first
    (`grid.check_grid`): the scan reads only sheets whose cells are all within ZZ999."""
    if not _plain_package(pkg, part):
        return None
    members = pkg.members
    if not all(member in members and _scannable_sheet(members[member]) for _, member, _ in spots):
        return None
    classes = style_classes(members[STYLES])
    strings = SharedStrings(members.get(STRINGS))
    if not classes or not strings.ok:
        return None
    raws: list[Any] = [None] * slots
    try:
        formulas = {
            sheet: scan_sheet(members[member], wanted, classes, strings, raws)
            for sheet, member, wanted in spots
        }
    except Miss:
        return None
    return Scan(raws, formulas)


def scanned_formulas(
    scan: Scan,
    pkg: Package,
    spots: ScanSpots,
    total_sheets: Mapping[str, frozenset[str]],
    small: Mapping[str, bool],
) -> dict[str, dict[str, str | None]]:
    """`formulas.formula_texts` of each sheet holding totals, from what the scan saw where that
    is what it would find: every total cell is a wanted cell, so where each one's formula is a
    plain <f>…</f> (nothing shared to expand), its text is the answer; else formula_texts."""
    out: dict[str, dict[str, str | None]] = {}
    for sheet, member, _ in spots:
        wanted = total_sheets.get(sheet)
        if wanted is None:
            continue
        found = scan.formulas[sheet]
        try:
            read = {tag[6:-1].decode("ascii"): _plain(text) for tag, text in found.items()}
            out[sheet] = {ref: text for ref, text in read.items() if ref in wanted}
        except Unscannable:
            xml = pkg.members[member]
            out[sheet] = formula_texts(xml, member, small[sheet], wanted)
    return out


def _plain(text: bytes | bool) -> str | None:
    if type(text) is not bytes:
        raise Unscannable  # a shared formula, or one with attributes: formula_texts reads it
    return text_of(text)
