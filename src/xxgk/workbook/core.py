"""A workbook's cells → report data + findings, whatever the cells were read from.

The file reader (workbook_reader.py) fills a `WorkbookView` from the .xlsx zip; the xlwings add-in
fills one from Excel's bulk-read values. This module never touches a file or Excel.

Rules, so that one mistake gives one finding at its cell:
- a count cell that cannot be used (blank, text, fraction, negative) gets its finding here and
  counts as 0 in the data; the validator therefore sees a valid number there;
- totals are always computed from the inputs (`compute.compute_totals`); the total cells are only
  checked: a formula typed over, a formula that no longer sums exactly its parts' cells (found
  through the workbook's own names), or a cached value that disagrees (no cached value is fine:
  files written by openpyxl have none);
- a broken workbook (not our template, another template version, a sheet or names gone) gives one
  `fatal` finding and no data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from xxgk.check import findings as fc
from xxgk.check.findings import Finding
from xxgk.format import model as m
from xxgk.format.arithmetic import TOTAL_PLAN
from xxgk.workbook import cells as cv
from xxgk.workbook.cellref import col_letters, col_number
from xxgk.workbook.recorded import previous_from_names

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
    `formula_texts`: the formula text of formula cells (`=SUM(D7:D27)` or `SUM(D7:D27)`), at
    least of the total cells; a formula cell missing here (or None) is not checked for what it
    sums. None when the source cannot read formula text.
    """

    sheets: tuple[str, ...]
    names: Mapping[str, str]
    values: Mapping[Cell, Any] = field(default_factory=dict)
    formulas: frozenset[Cell] | None = None
    formula_texts: Mapping[Cell, str | None] | None = None


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
    texts = view.formula_texts
    formula_texts = (
        None if texts is None else [texts.get(cells[leaf.pointer]) for _, leaf in TOTAL_SLOTS]
    )
    return read_cells(raws, cells, has_formula, view.names, formula_texts)


def read_cells(
    raws: list[Any],
    cells: dict[str, Cell],
    has_formula: list[bool] | None,
    names: Mapping[str, str],
    formula_texts: list[str | None] | None = None,
    total_parts: TotalParts | None = None,
) -> Reading:
    """The core of `read_view`, on the cells' values already put in slot order.

    `raws[slot]`: the value of CELL_LEAVES[slot]'s cell (None when empty); `cells`: pointer →
    (sheet, cell), complete (from `resolve_cells`); `has_formula[k]`: whether the cell of the
    k-th of TOTAL_SLOTS holds a formula, or None when the source cannot tell; `formula_texts[k]`:
    its formula text (None: not known, not checked); `total_parts`: `total_part_cells(cells)`
    if the caller has it cached (the file reader keeps it per layout).
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
    if formula_texts is not None and total_parts is None:
        total_parts = total_part_cells(cells)
    found.extend(
        _check_totals(raws, values, cells, has_formula, flagged, formula_texts, total_parts)
    )
    return Reading(_build_data(values), found, cells, previous=previous_from_names(names))


def _parts() -> dict[str, tuple[str, ...]]:
    """Each total's pointer → the pointers it sums (for knowing which totals a bad input taints)."""
    out: dict[str, tuple[str, ...]] = {}
    for check in m.checks():
        if check.computes_left:
            out.setdefault(m.pointer(check.left[0]), tuple(m.pointer(p) for p in check.right))
    return out


_TOTAL_PARTS = _parts()


def _part_options() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """For each of TOTAL_SLOTS, every list of pointers a right formula may sum.

    Usually one; （七）总计's 总计 has two (its row, as the template writes it, or its column):
    both are sums that follow the format, so either formula is right.
    """
    options: dict[str, list[tuple[str, ...]]] = {}
    for check in m.checks():
        if check.computes_left:
            parts = tuple(m.pointer(p) for p in check.right)
            options.setdefault(m.pointer(check.left[0]), []).append(parts)
    return tuple(tuple(options[leaf.pointer]) for _, leaf in TOTAL_SLOTS)


_PART_OPTIONS = _part_options()
# For each of TOTAL_SLOTS: the sets of cells a right formula may sum (the first is the template's).
TotalParts = tuple[tuple[frozenset[Cell], ...], ...]


def total_part_cells(cells: Mapping[str, Cell]) -> TotalParts:
    """The cells each total's formula must sum, found through the workbook's own names (so a
    moved layout still checks right). Cached per layout by the file reader."""
    return tuple(
        tuple(frozenset(cells[p] for p in parts) for parts in options) for options in _PART_OPTIONS
    )


# -- what a total's formula sums ---------------------------------------------------------------
# Lenient on form, strict on content: `SUM(…)` over cells and ranges separated by commas, or
# cells (and SUMs) joined by `+`; `$` anchors, a leading `=`, any case and spaces are fine, and
# so is a reference naming the total's own sheet. Anything else (a number, another function,
# -, *, a whole column) is not a plain sum of cells, hence not the total's formula.

_MAX_RANGE_CELLS = 4096  # larger than any block of the format; beyond it, no need to expand
_TOKEN = re.compile(
    r"""\s*(?:
    (?P<ref>
        (?:(?:'(?P<quoted>(?:[^']|'')+)'|(?P<plain>[^\s'!(),:+\-*/&^=<>"{}$]+))!)?
        \$?(?P<c1>[A-Za-z]{1,3})\$?(?P<r1>[0-9]{1,7})
        (?:\s*:\s*\$?(?P<c2>[A-Za-z]{1,3})\$?(?P<r2>[0-9]{1,7}))?
    )(?![A-Za-z0-9_(!])
    |(?P<sum>SUM\s*\()
    |(?P<op>[+,)])
    )""",
    re.VERBOSE | re.IGNORECASE,
)


def _ref_cells(match: re.Match[str], sheet: str, allow_range: bool) -> list[Cell] | None:
    quoted, plain = match.group("quoted"), match.group("plain")
    if quoted is not None or plain is not None:
        named = quoted.replace("''", "'") if quoted is not None else plain
        if named.casefold() != sheet.casefold():
            return None  # another sheet: never the total's own parts
    c1, r1 = col_number(match.group("c1")), int(match.group("r1"))
    if match.group("c2") is None:
        return [(sheet, f"{col_letters(c1)}{r1}")]
    if not allow_range:
        return None  # a bare range outside SUM is no sum
    c2, r2 = col_number(match.group("c2")), int(match.group("r2"))
    cols = range(min(c1, c2), max(c1, c2) + 1)
    rows = range(min(r1, r2), max(r1, r2) + 1)
    if len(cols) * len(rows) > _MAX_RANGE_CELLS:
        return None
    return [(sheet, f"{col_letters(c)}{r}") for r in rows for c in cols]


@lru_cache(maxsize=1024)  # files from the template repeat the same few formulas
def summed_cells(text: str, sheet: str) -> tuple[Cell, ...] | None:
    """The cells a formula adds up, in order and with repeats; None if it is not a plain sum.

    `sheet`: the sheet the formula sits on (what unqualified references mean).
    """
    body = text.strip().removeprefix("=")
    tokens: list[re.Match[str]] = []
    pos = 0
    end = len(body.rstrip())
    while pos < end:
        match = _TOKEN.match(body, pos)
        if match is None or match.end() == pos:
            return None
        tokens.append(match)
        pos = match.end()
    cells: list[Cell] = []
    i = 0
    while True:  # term ('+' term)*
        if i >= len(tokens):
            return None
        tok = tokens[i]
        if tok.group("ref") is not None:
            got = _ref_cells(tok, sheet, allow_range=False)
            if got is None:
                return None
            cells.extend(got)
            i += 1
        elif tok.group("sum") is not None:
            i += 1
            while True:  # arg (',' arg)* ')'
                if i >= len(tokens) or tokens[i].group("ref") is None:
                    return None
                got = _ref_cells(tokens[i], sheet, allow_range=True)
                if got is None:
                    return None
                cells.extend(got)
                i += 1
                if i < len(tokens) and tokens[i].group("op") == ",":
                    i += 1
                    continue
                if i < len(tokens) and tokens[i].group("op") == ")":
                    i += 1
                    break
                return None
        else:
            return None
        if i == len(tokens):
            return tuple(cells)
        if tokens[i].group("op") != "+":
            return None
        i += 1


@lru_cache(maxsize=1024)
def formula_sums(text: str, sheet: str, options: tuple[frozenset[Cell], ...]) -> bool:
    """Whether a total's formula sums each cell of one of `options` exactly once, and no other.

    A cell counted twice (overlapping ranges) is a wrong sum too, though its set is right.
    """
    cells = summed_cells(text, sheet)
    if cells is None:
        return False
    found = frozenset(cells)
    return len(found) == len(cells) and found in options


def _row_col(cell: str) -> tuple[int, int]:
    letters = cell.rstrip("0123456789")
    return int(cell[len(letters) :]), col_number(letters)


def sum_text(cells: frozenset[Cell]) -> str:
    """How a total's right formula reads, for the message: =SUM(D7:D27) or =SUM(C8,D8,…)."""
    spots = sorted(_row_col(c) for _, c in cells)
    rows = [r for r, _ in spots]
    cols = [c for _, c in spots]
    names = [f"{col_letters(c)}{r}" for r, c in spots]
    line = list(range(0, len(spots)))
    if len(set(cols)) == 1 and [r - rows[0] for r in rows] == line:
        return f"=SUM({names[0]}:{names[-1]})"
    if len(set(rows)) == 1 and [c - cols[0] for c in cols] == line:
        return f"=SUM({names[0]}:{names[-1]})"
    return "=SUM(" + ",".join(names) + ")"


def _tainted(ptr: str, flagged: set[str], seen: dict[str, bool]) -> bool:
    """A total some of whose inputs needed a finding: Excel's own sum there may differ."""
    if ptr not in seen:
        seen[ptr] = False
        seen[ptr] = any(
            p in flagged or (p in _TOTAL_PARTS and _tainted(p, flagged, seen))
            for p in _TOTAL_PARTS.get(ptr, ())
        )
    return seen[ptr]


_TYPED_NUMBER_CODES = (None, fc.WB_NUMBER_TEXT, fc.WB_FULLWIDTH)


def _typed_number(raw: Any, integer: bool) -> int | float | None:
    """What a total typed over reads as, with the input cells' rules: "0" (text) is 0 too."""
    number = cv.as_number(raw)
    if number is not None or not isinstance(raw, str):
        return number
    got = cv.read_number(raw, integer=integer)
    return got.value if got.code in _TYPED_NUMBER_CODES else None


def _check_totals(
    raws: list[Any],
    values: list[Any],
    cells: dict[str, Cell],
    has_formula: list[bool] | None,
    flagged: set[str],
    formula_texts: list[str | None] | None,
    total_parts: TotalParts | None,
) -> list[Finding]:
    out: list[Finding] = []
    seen: dict[str, bool] = {}
    for k, (slot, leaf) in enumerate(TOTAL_SLOTS):
        raw = raws[slot]
        computed = values[slot]
        formula = has_formula is None or has_formula[k]
        text = None if formula_texts is None or not formula else formula_texts[k]
        if (
            text is not None
            and total_parts is not None
            and not formula_sums(text, cells[leaf.pointer][0], total_parts[k])
        ):
            # One mistake, one finding: the cached value of a wrong formula is no staleness.
            out.append(
                fc.make(
                    fc.WB_TOTAL_FORMULA,
                    leaf.pointer,
                    where=leaf.where,
                    formula=text if text.startswith("=") else "=" + text,
                    expected=sum_text(total_parts[k][0]),
                    computed=computed,
                )
            )
            continue
        if formula and (raw is None or (type(raw) in (int, float) and raw == computed)):
            continue  # the common case: a formula whose cached value (if any) agrees
        ptr = leaf.pointer
        args = {"where": leaf.where, "computed": computed}
        if not formula:
            number = _typed_number(raw, leaf.kind == m.INT)
            if number is not None and number == computed:
                out.append(fc.make(fc.WB_TOTAL_TYPED, ptr, value=cv.shown(raw), **args))
            else:
                shown = "空白" if cv.is_blank(raw) else cv.shown(raw)
                out.append(fc.make(fc.WB_TOTAL_OVERWRITTEN, ptr, value=shown, **args))
        elif (
            not cv.is_blank(raw)
            and cv.as_number(raw) != computed
            and not _tainted(ptr, flagged, seen)
        ):
            out.append(fc.make(fc.WB_TOTAL_STALE, ptr, value=cv.shown(raw), **args))
    return out
