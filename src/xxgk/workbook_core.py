"""A workbook's cells → report data + findings, whatever the cells were read from.

The file reader (workbook_reader.py) fills a `WorkbookView` from the .xlsx zip; the xlwings add-in
fills one from Excel's bulk-read values. This module never touches a file or Excel.

Rules, so that one mistake gives one finding at its cell:
- a count cell that cannot be used (blank, text, fraction, negative) gets its finding here and
  counts as 0 in the data; the validator therefore sees a valid number there;
- totals are always computed from the inputs (`compute.compute_totals`); the total cells are only
  checked: a formula typed over, or a cached value that disagrees (no cached value is fine: files
  written by openpyxl have none);
- a broken workbook (not our template, another template version, a sheet or names gone) gives one
  `fatal` finding and no data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from . import cell_values as cv
from . import findings as fc
from . import model as m
from .compute import TOTAL_PLAN
from .findings import Finding
from .previous import previous_from_names

VERSION_NAME = "xxgk.template"
TEMPLATE_VERSION = "xxgk-2021-v1"
Cell = tuple[str, str]  # (sheet, "C6")

# The agreed sheet of each top-level key, to name a deleted sheet whose names Excel turned into
# #REF! (the reference then no longer says which sheet it was).
_SHEET_OF_KEY = {
    "year": "基本信息",
    "agency": "基本信息",
    "published_on": "基本信息",
    "local_notice": "基本信息",
    "overview": "总体情况",
    "proactive": "表二",
    "requests": "表三",
    "review_litigation": "表四",
    "problems": "问题与改进",
    "improvements": "问题与改进",
    "other_matters": "其他事项",
}
CELL_LEAVES: tuple[m.Leaf, ...] = tuple(leaf for leaf in m.leaves() if leaf.kind != m.CONST)
TOTAL_POINTERS: frozenset[str] = frozenset(m.pointer(p) for p in m.total_paths())
_REF = re.compile(r"^=?(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


def expected_sheet(leaf: m.Leaf) -> str:
    return _SHEET_OF_KEY[leaf.path[0]]


@dataclass
class WorkbookView:
    """The raw view of a workbook a reader needs.

    `names`: workbook-level defined names → their reference as Excel stores it
    ('基本信息'!$B$4, 表三!$D$5, "xxgk-2021-v1"; a leading = is allowed).
    `values`: (sheet, "D5") → the cell's value (None or "" when empty; for a formula, its cached
    value or None). Cells not in the mapping are empty.
    `formulas`: the cells that hold a formula, or None when the source cannot tell.
    """

    sheets: tuple[str, ...]
    names: Mapping[str, str]
    values: Mapping[Cell, Any] = field(default_factory=dict)
    formulas: frozenset[Cell] | None = None


@dataclass
class Reading:
    """What a workbook says: data (None if `fatal`), findings, and where each value sits."""

    data: dict[str, Any] | None
    findings: list[Finding] = field(default_factory=list)
    cells: dict[str, Cell] = field(default_factory=dict)  # JSON pointer → (sheet, cell)
    fatal: Finding | None = None
    # last year's figures recorded by `xxgk template --from` (hidden `xxgk.previous.*` names)
    previous: dict[str, Any] | None = None

    def locate(self, pointer: str) -> Cell | None:
        return self.cells.get(pointer)


@lru_cache(maxsize=4096)  # every workbook from the template repeats the same references
def parse_ref(ref: str) -> Cell | None:
    """'基本信息'!$B$4 → ("基本信息", "B4"); None for ranges, #REF! and anything else."""
    match = _REF.match(ref.strip())
    if not match:
        return None
    quoted, plain, col, row = match.groups()
    sheet = quoted.replace("''", "'") if quoted else plain
    return sheet, f"{col.upper()}{int(row)}"


def _constant(ref: str) -> str | None:
    text = ref.strip().removeprefix("=").strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].replace('""', '"')
    return None


def resolve_cells(view_sheets: tuple[str, ...], names: Mapping[str, str]) -> Reading:
    """Check the template marker, version, sheets and names; map every leaf to its cell.

    Returns a Reading whose `cells` is complete, or whose `fatal` says what is wrong.
    """
    marker = names.get(VERSION_NAME)
    if marker is None:
        return _fatal(fc.make(fc.WB_NOT_TEMPLATE, ""))
    version = _constant(marker)
    if version != TEMPLATE_VERSION:
        return _fatal(
            fc.make(
                fc.WB_OLD_TEMPLATE,
                "",
                found=version or marker.strip() or "（空）",
                expected=TEMPLATE_VERSION,
            )
        )
    present = set(view_sheets)
    cells: dict[str, Cell] = {}
    missing: list[m.Leaf] = []
    for leaf in CELL_LEAVES:
        ref = names.get(leaf.dotted)
        cell = parse_ref(ref) if ref is not None else None
        if cell is None or cell[0] not in present:
            missing.append(leaf)
        else:
            cells[leaf.pointer] = cell
    if not missing:
        # A renamed sheet is fine: Excel updates the names, and cells are found through them.
        return Reading(None, cells=cells)
    gone_sheets = [
        s for s in dict.fromkeys(expected_sheet(leaf) for leaf in missing) if s not in present
    ]
    if gone_sheets:
        listed = "、".join(f"「{s}」" for s in gone_sheets)
        return _fatal(fc.make(fc.WB_MISSING_SHEET, "", sheets=listed), cells)
    shown = "、".join(f"{leaf.where}（{leaf.dotted}）" for leaf in missing[:3])
    return _fatal(fc.make(fc.WB_MISSING_NAME, "", count=len(missing), names=shown), cells)


def _fatal(finding: Finding, cells: dict[str, Cell] | None = None) -> Reading:
    return Reading(None, [finding], cells or {}, fatal=finding)


def _read_leaf(leaf: m.Leaf, raw: Any) -> cv.CellValue:
    if leaf.kind == m.INT:
        return cv.read_number(raw, integer=True)
    if leaf.kind == m.AMOUNT:
        return cv.read_number(raw, integer=False)
    if leaf.kind == m.YEAR:
        return cv.read_year(raw)
    if leaf.kind == m.DATE:
        return cv.read_date(raw)
    if leaf.kind == m.POSTCODE:
        return cv.read_postcode(raw)
    return cv.read_text(raw, strip=leaf.kind == m.NAME)


def _finding(leaf: m.Leaf, got: cv.CellValue) -> Finding:
    assert got.code is not None
    return fc.make(got.code, leaf.pointer, where=leaf.where, title=leaf.title, **got.args)


# -- the reading plan, built once from the model ----------------------------------------------
# Every leaf with a cell has a slot: its index in CELL_LEAVES. A workbook's cells are read into
# a list of raw values by slot, turned into data values by slot, the totals are summed by slot
# (compute.TOTAL_PLAN), and the nested data is built from the values by a fixed list of steps.

SLOT: dict[str, int] = {leaf.pointer: i for i, leaf in enumerate(CELL_LEAVES)}
_TOTAL, _COUNT, _AMOUNT, _OTHER = range(4)
_KINDS: tuple[int, ...] = tuple(
    _TOTAL
    if leaf.pointer in TOTAL_POINTERS
    else _COUNT
    if leaf.kind == m.INT
    else _AMOUNT
    if leaf.kind == m.AMOUNT
    else _OTHER
    for leaf in CELL_LEAVES
)
# The totals in `model.total_paths()` order (the order of their findings): slot, leaf.
TOTAL_SLOTS: tuple[tuple[int, m.Leaf], ...] = tuple(
    (SLOT[m.pointer(p)], m.LEAF_BY_POINTER[m.pointer(p)]) for p in m.total_paths()
)
_SUMS: tuple[tuple[int, tuple[int, ...]], ...] = tuple(
    (SLOT[m.pointer(left)], tuple(SLOT[m.pointer(p)] for p in right)) for left, right in TOTAL_PLAN
)
_ABSENT = object()  # an optional leaf left blank: no key in the data


def _build_steps() -> tuple[tuple[int, str, int, int], ...]:
    """(parent box, key, new box or -1, slot or -1): the data built in CELL_LEAVES order.

    Box 0 is the data itself; a step either makes a new dict under its parent (the first time
    a leaf's path needs it, so keys come in the same order as setting the leaves one by one)
    or sets a leaf's value.
    """
    boxes: dict[m.Path, int] = {(): 0}
    steps: list[tuple[int, str, int, int]] = []
    for slot, leaf in enumerate(CELL_LEAVES):
        # An optional leaf may be left out: it must not be the first user of a dict.
        assert not leaf.optional or len(leaf.path) == 1, leaf.dotted
        for depth in range(1, len(leaf.path)):
            prefix = leaf.path[:depth]
            if prefix not in boxes:
                boxes[prefix] = len(boxes)
                steps.append((boxes[prefix[:-1]], prefix[-1], boxes[prefix], -1))
        steps.append((boxes[leaf.path[:-1]], leaf.path[-1], -1, slot))
    return tuple(steps)


_STEPS = _build_steps()
_N_BOXES = 1 + sum(1 for step in _STEPS if step[2] >= 0)
# Every part of a sum is a number after reading (unusable cells read as 0), never left out.
assert all(
    _KINDS[i] in (_TOTAL, _COUNT, _AMOUNT) and not CELL_LEAVES[i].optional
    for left, parts in _SUMS
    for i in (left, *parts)
)


def _build_data(values: list[Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"format": m.FORMAT_ID}
    boxes: list[Any] = [None] * _N_BOXES
    boxes[0] = data
    for parent, key, box, slot in _STEPS:
        if box >= 0:
            boxes[box] = boxes[parent][key] = {}
        else:
            value = values[slot]
            if value is not _ABSENT:
                boxes[parent][key] = value
    return data


def read_view(view: WorkbookView, resolved: Reading | None = None) -> Reading:
    """The report a workbook holds, with a finding at every cell that needs attention.

    `resolved`: the result of `resolve_cells` for this view, if the caller already has it.
    """
    reading = resolved or resolve_cells(view.sheets, view.names)
    if reading.fatal:
        return reading
    cells = reading.cells
    get = view.values.get
    raws = [get(cells[leaf.pointer]) for leaf in CELL_LEAVES]
    formulas = view.formulas
    has_formula = (
        None if formulas is None else [cells[leaf.pointer] in formulas for _, leaf in TOTAL_SLOTS]
    )
    return read_cells(raws, cells, has_formula, view.names)


def read_cells(
    raws: list[Any],
    cells: dict[str, Cell],
    has_formula: list[bool] | None,
    names: Mapping[str, str],
) -> Reading:
    """The core of `read_view`, on the cells' values already put in slot order.

    `raws[slot]`: the value of CELL_LEAVES[slot]'s cell (None when empty); `cells`: pointer →
    (sheet, cell), complete (from `resolve_cells`); `has_formula[k]`: whether the cell of the
    k-th of TOTAL_SLOTS holds a formula, or None when the source cannot tell.
    """
    values: list[Any] = [0] * len(raws)
    found: list[Finding] = []
    flagged: set[str] = set()
    plain = cv.plain_number
    for slot, raw in enumerate(raws):
        kind = _KINDS[slot]
        if kind == _TOTAL:
            continue  # summed below
        if kind != _OTHER:
            # The common case, inlined: a whole number ≥ 0 as python-calamine returns it.
            if type(raw) is float and raw >= 0 and raw.is_integer():
                values[slot] = int(raw)
                continue
            number = plain(raw, kind == _COUNT)
            if number is not None:  # any other number ≥ 0: nothing to say either
                values[slot] = number
                continue
        leaf = CELL_LEAVES[slot]
        if leaf.optional and cv.is_blank(raw):
            values[slot] = _ABSENT  # local_notice: absent from the data when not filled
            continue
        got = _read_leaf(leaf, raw)
        values[slot] = got.value
        if got.code:
            found.append(_finding(leaf, got))
            flagged.add(leaf.pointer)
    for left, parts in _SUMS:  # compute.TOTAL_PLAN, over slots
        values[left] = sum([values[i] for i in parts])
    found.extend(_check_totals(raws, values, cells, has_formula, flagged))
    return Reading(_build_data(values), found, cells, previous=previous_from_names(names))


def _parts() -> dict[str, tuple[str, ...]]:
    """Each total's pointer → the pointers it sums (for knowing which totals a bad input taints)."""
    out: dict[str, tuple[str, ...]] = {}
    for check in m.checks():
        if check.computes_left:
            out.setdefault(m.pointer(check.left[0]), tuple(m.pointer(p) for p in check.right))
    return out


_TOTAL_PARTS = _parts()


def _tainted(ptr: str, flagged: set[str], seen: dict[str, bool]) -> bool:
    """A total some of whose inputs needed a finding: Excel's own sum there may differ."""
    if ptr not in seen:
        seen[ptr] = False
        seen[ptr] = any(
            p in flagged or (p in _TOTAL_PARTS and _tainted(p, flagged, seen))
            for p in _TOTAL_PARTS.get(ptr, ())
        )
    return seen[ptr]


def _check_totals(
    raws: list[Any],
    values: list[Any],
    cells: dict[str, Cell],
    has_formula: list[bool] | None,
    flagged: set[str],
) -> list[Finding]:
    out: list[Finding] = []
    seen: dict[str, bool] = {}
    for k, (slot, leaf) in enumerate(TOTAL_SLOTS):
        raw = raws[slot]
        computed = values[slot]
        formula = has_formula is None or has_formula[k]
        if formula and (raw is None or (type(raw) in (int, float) and raw == computed)):
            continue  # the common case: a formula whose cached value (if any) agrees
        ptr = leaf.pointer
        number = cv.as_number(raw)
        args = {"where": leaf.where, "computed": computed}
        if not formula:
            if number is not None and number == computed:
                out.append(fc.make(fc.WB_TOTAL_TYPED, ptr, value=cv.shown(raw), **args))
            else:
                shown = "空白" if cv.is_blank(raw) else cv.shown(raw)
                out.append(fc.make(fc.WB_TOTAL_OVERWRITTEN, ptr, value=shown, **args))
        elif not cv.is_blank(raw) and number != computed and not _tainted(ptr, flagged, seen):
            out.append(fc.make(fc.WB_TOTAL_STALE, ptr, value=cv.shown(raw), **args))
    return out
