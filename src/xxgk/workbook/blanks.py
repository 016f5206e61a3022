"""Blank count cells in bulk, and the one-step statement "no requests this year".

A blank template has some 170 blank count cells: one line each buries what matters. When a
sheet holds `BLOCK_MIN` or more blank count cells, its `WB_BLANK` findings become one
`WB_BLANK_BLOCK` finding naming the sheet and the cells as ranges (`D5:J27、D29:J29`); its
`paths` hold every blank cell, so that the annotated copy and the add-in mark each of them.
Fewer blank cells in a sheet keep one finding each: a cell or two forgotten is said exactly.

The workbook may also state 本年度没有收到政府信息公开申请 in one cell (`sheets.NO_REQUESTS_NAME`,
a 是/否 cell under 表三): when it says 是, blank 表三 cells read as 0 without a finding, and a
non-zero 本年新收 cell is pointed out (`WB_NO_REQUESTS_CONFLICT`, a warning: the figures win).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from xxgk.check import findings as fc
from xxgk.check.findings import Finding
from xxgk.format import arithmetic as ar
from xxgk.format import model as m
from xxgk.format.record import record
from xxgk.workbook.cellref import cell_ranges
from xxgk.workbook.sheets import NO_REQUESTS_LABEL, YES
from xxgk.workbook.slots import CELL_LEAVES, COUNT, KINDS

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

Cell = tuple[str, str]

# Blank count cells in one sheet from which they are reported as one block finding: a whole
# block of 表二 has 3, a row of 表四 15 (12 inputs), 表三 175 (144 inputs); 5 or fewer are the
# few cells staff forgot and are named one by one.
BLOCK_MIN = 6
RANGES_SHOWN = 6  # ranges named in the message; more are summed up as “等 N 处”

_REQUESTS = m.TABLE3_ROOT[0]
# Input count cells of 表三, and those of its 一、本年新收 row (slots of `slots.CELL_LEAVES`).
REQUEST_SLOTS = frozenset(
    slot
    for slot, leaf in enumerate(CELL_LEAVES)
    if KINDS[slot] == COUNT and leaf.path[0] == _REQUESTS
)
NEW_SLOTS = tuple(
    slot
    for slot in sorted(REQUEST_SLOTS)
    if CELL_LEAVES[slot].path[: len(m.TABLE3_NEW.path) + 1] == (_REQUESTS, *m.TABLE3_NEW.path)
    and CELL_LEAVES[slot].pointer not in ar.TOTAL_POINTERS
)


@record(frozen=True)
class Switch:
    """The workbook's 本年度没有收到政府信息公开申请 cell: where it is and whether it says 是."""

    cell: Cell
    on: bool


def says_yes(raw: Any) -> bool:
    """是 (full-width spaces and all), or TRUE as another program may store a tick; anything
    else, blank and 否 included, says nothing."""
    if raw is True:
        return True
    if isinstance(raw, str):
        return unicodedata.normalize("NFKC", raw).strip() == YES
    return False


def shown_ranges(coords: list[str]) -> str:
    ranges = cell_ranges(coords)
    text = "、".join(ranges[:RANGES_SHOWN])
    return text + (f" 等 {len(ranges)} 处" if len(ranges) > RANGES_SHOWN else "")


def switch_where(switch: Switch) -> str:
    sheet, cell = switch.cell
    return f"{sheet} {cell}「{NO_REQUESTS_LABEL}」"


def _block(sheet: str, group: list[Finding], cells: Mapping[str, Cell], hint: str) -> Finding:
    pointers = [f.path for f in group]
    return fc.make(
        fc.WB_BLANK_BLOCK,
        pointers[0],
        pointers,
        sheet=sheet,
        count=len(group),
        ranges=shown_ranges([cells[p][1] for p in pointers]),
        hint=hint,
    )


def group_blanks(
    found: list[Finding], cells: Mapping[str, Cell], switch: Switch | None
) -> list[Finding]:
    """`found` with the WB_BLANK findings of each sheet holding BLOCK_MIN or more of them
    replaced by one WB_BLANK_BLOCK, where the first of them was."""
    by_sheet: dict[str, list[Finding]] = {}
    for f in found:
        if f.code == fc.WB_BLANK:
            by_sheet.setdefault(cells[f.path][0], []).append(f)
    blocks = {sheet: group for sheet, group in by_sheet.items() if len(group) >= BLOCK_MIN}
    if not blocks:
        return found
    requests = {CELL_LEAVES[slot].pointer for slot in REQUEST_SLOTS}
    out = []
    for f in found:
        group = blocks.get(cells[f.path][0]) if f.code == fc.WB_BLANK else None
        if group is None:
            out.append(f)
        elif group[0] is f:
            hint = ""
            if switch is not None and any(g.path in requests for g in group):
                hint = (
                    f"；本年度没有收到申请的，在{switch_where(switch)}选“是”即可，"
                    "表三留空的单元格按 0 计"
                )
            out.append(_block(cells[f.path][0], group, cells, hint))
    return out


def no_requests_conflict(
    values: list[Any], cells: Mapping[str, Cell], switch: Switch
) -> Finding | None:
    """The switch says 是 but 本年新收 has requests: a warning at the first such cell."""
    nonzero = [slot for slot in NEW_SLOTS if values[slot]]
    if not nonzero:
        return None
    pointers = [CELL_LEAVES[slot].pointer for slot in nonzero]
    return fc.make(
        fc.WB_NO_REQUESTS_CONFLICT,
        pointers[0],
        pointers,
        where=switch_where(switch),
        count=len(nonzero),
        cells=shown_ranges([cells[p][1] for p in pointers]),
        total=sum(values[slot] for slot in nonzero),
    )
