"""A workbook's cells → report data + findings, whatever the cells were read from.

The file reader (`reader.py`) fills a `WorkbookView` from the .xlsx zip; the xlwings add-in
fills one from Excel's bulk-read values. This module never touches a file or Excel.

Rules, so that one mistake gives one finding at its cell:
- a count cell that cannot be used (blank, text, fraction, negative) gets its finding here and
  counts as 0 in the data; the validator therefore sees a valid number there;
- totals are always computed from the inputs (`arithmetic.TOTAL_PLAN`); the total cells are only
  checked (`totals.py`): a formula typed over, a formula that no longer sums exactly its parts'
  cells (found through the workbook's own names), or a cached value that disagrees (no cached
  value is fine: files written by openpyxl have none);
- a broken workbook (not our template, another template version, a sheet or names gone) gives one
  `fatal` finding and no data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from operator import itemgetter

from xxgk.check import findings as fc
from xxgk.check.findings import Finding
from xxgk.format import model as m
from xxgk.format.record import field, record
from xxgk.workbook import cells as cv
from xxgk.workbook.blanks import (
    REQUEST_SLOTS,
    Switch,
    group_blanks,
    no_requests_conflict,
    says_yes,
)
from xxgk.workbook.recorded import previous_from_names
from xxgk.workbook.sheets import (
    NO_REQUESTS_NAME,
    READABLE_VERSIONS,
    SHEET_OF_KEY,
    TEMPLATE_VERSION,
    VERSION_NAME,
)
from xxgk.workbook.slots import (
    ABSENT,
    CELL_LEAVES,
    COUNT,
    KINDS,
    OPTIONAL_OBJECTS,
    OTHER,
    STEPS,
    SUMS,
    TOTAL,
    TOTAL_SLOTS,
    build_data,
)
from xxgk.workbook.totals import Cell, TotalParts, check_totals, total_part_cells

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

_REF = re.compile(r"^=?(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


def expected_sheet(leaf: m.Leaf) -> str:
    key = leaf.path[0]
    if leaf.path[:1] == m.HEADINGS_ROOT:  # headings["overview.management"]: beside its part
        key = leaf.path[1].split(".")[0]
    return SHEET_OF_KEY[key]


@record
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


@record
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


def switch_cell(names: Mapping[str, str]) -> Cell | None:
    """The cell of the 本年度没有收到政府信息公开申请 switch; None in a workbook without it (an
    older template) or whose name no longer points at one cell."""
    ref = names.get(NO_REQUESTS_NAME)
    return parse_ref(ref) if ref is not None else None


def _constant(ref: str) -> str | None:
    text = ref.strip().removeprefix("=").strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].replace('""', '"')
    return None


def resolve_cells(view_sheets: tuple[str, ...], names: Mapping[str, str]) -> Reading:
    """Check the template marker, version, sheets and names; map every leaf to its cell.

    Returns a Reading whose `cells` holds every leaf (optional ones an older template lacks
    aside), or whose `fatal` says what is wrong.
    """
    marker = names.get(VERSION_NAME)
    if marker is None:
        return _fatal(fc.make(fc.WB_NOT_TEMPLATE, "", marker=VERSION_NAME))
    version = _constant(marker)
    if version not in READABLE_VERSIONS:
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
        if ref is None and leaf.optional:
            continue  # an older template has no cell for it: absent from the data
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
    if isinstance(raw, cv.Unusable):
        return cv.unusable(raw, leaf.kind in (m.INT, m.AMOUNT))
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
    return cv.read_text(raw, strip=leaf.kind in (m.NAME, m.LINE))


def _finding(leaf: m.Leaf, got: cv.CellValue) -> Finding:
    assert got.code is not None
    return fc.make(got.code, leaf.pointer, where=leaf.where, title=leaf.title, **got.args)


def read_view(view: WorkbookView, resolved: Reading | None = None) -> Reading:
    """The report a workbook holds, with a finding at every cell that needs attention.

    `resolved`: the result of `resolve_cells` for this view, if the caller already has it.
    """
    reading = resolved or resolve_cells(view.sheets, view.names)
    if reading.fatal:
        return reading
    cells = reading.cells
    get = view.values.get
    raws = [get(cells.get(leaf.pointer, ("", ""))) for leaf in CELL_LEAVES]
    formulas = view.formulas
    has_formula = (
        None if formulas is None else [cells[leaf.pointer] in formulas for _, leaf in TOTAL_SLOTS]
    )
    texts = view.formula_texts
    formula_texts = (
        None if texts is None else [texts.get(cells[leaf.pointer]) for _, leaf in TOTAL_SLOTS]
    )
    where = switch_cell(view.names)
    switch = None if where is None else Switch(where, says_yes(get(where)))
    return read_cells(raws, cells, has_formula, view.names, formula_texts, switch=switch)


_COUNT_SLOTS = tuple(slot for slot, kind in enumerate(KINDS) if kind == COUNT)
_REST = tuple(slot for slot, kind in enumerate(KINDS) if kind not in (COUNT, TOTAL))
_counts_of = itemgetter(*_COUNT_SLOTS)
# each slot's place in `_whole_counts(raws) + [0]`: a count's own value, else the 0 at the end
_SPREAD = itemgetter(
    *(
        _COUNT_SLOTS.index(slot) if kind == COUNT else len(_COUNT_SLOTS)
        for slot, kind in enumerate(KINDS)
    )
)
_FLOAT = frozenset({float})
assert all(len(parts) > 1 for _, parts in SUMS)  # itemgetter of one index gives no tuple
_SUMS = tuple((left, itemgetter(*parts)) for left, parts in SUMS)


# text cells: whether `read_text` strips the slot's text (None: no text cell); optional slots
_TEXT_STRIP = tuple(
    (leaf.kind in (m.NAME, m.LINE)) if leaf.kind in (m.TEXT, m.NAME, m.LINE) else None
    for leaf in CELL_LEAVES
)
_OPTIONAL = tuple(leaf.optional for leaf in CELL_LEAVES)


def _whole_counts(raws: list[Any]) -> list[int] | None:
    """The count cells' values when every one is a whole number ≥ 0 as python-calamine and
    the scan read it (a float), each as `plain_number` gives it (an int); else None, and each
    cell goes the general way. Checked over all 166 at once, at C speed: 0.01 ms a workbook
    less than one at a time."""
    counts = _counts_of(raws)
    if not _FLOAT.issuperset(map(type, counts)):
        return None
    try:
        whole = list(map(int, counts))  # NaN and infinity raise
    except (ValueError, OverflowError):
        return None
    if whole != list(counts) or min(counts) < 0:  # 2.5 != 2; -0.0 is 0, as plain_number has it
        return None
    return whole


def read_cells(
    raws: list[Any],
    cells: dict[str, Cell],
    has_formula: list[bool] | None,
    names: Mapping[str, str],
    formula_texts: list[str | None] | None = None,
    total_parts: TotalParts | None = None,
    switch: Switch | None = None,
    previous: Callable[[], dict[str, Any] | None] | None = None,
) -> Reading:
    """The core of `read_view`, on the cells' values already put in slot order.

    `raws[slot]`: the value of CELL_LEAVES[slot]'s cell (None when empty); `cells`: pointer →
    (sheet, cell), complete (from `resolve_cells`); `has_formula[k]`: whether the cell of the
    k-th of TOTAL_SLOTS holds a formula, or None when the source cannot tell; `formula_texts[k]`:
    its formula text (None: not known, not checked); `total_parts`: `total_part_cells(cells)`
    if the caller has it cached (the file reader keeps it per layout); `switch`: the
    workbook's 本年度没有收到政府信息公开申请 cell, if it has one (`blanks.py`); `previous`:
    what `previous_from_names(names)` gives, if the caller keeps it (a fresh copy each call).
    """
    found: list[Finding] = []
    flagged: set[str] = set()
    plain = cv.plain_number
    no_requests = REQUEST_SLOTS if switch is not None and switch.on else frozenset()
    counts = _whole_counts(raws) if len(raws) == len(KINDS) else None
    values: list[Any]
    todo: Sequence[int]
    if counts is None:
        values, todo = [0] * len(raws), range(len(raws))
    else:  # the common case: every count a whole number, read all at once; the rest below
        counts.append(0)  # what every other slot holds until it is read or summed
        values, todo = list(_SPREAD(counts)), _REST
    for slot in todo:
        raw = raws[slot]
        kind = KINDS[slot]
        if kind == TOTAL:
            continue  # summed below
        if kind != OTHER:
            # The common case, inlined: a whole number ≥ 0 as python-calamine returns it.
            if type(raw) is float and raw >= 0 and raw.is_integer():
                values[slot] = int(raw)
                continue
            number = plain(raw, kind == COUNT)
            if number is not None:  # any other number ≥ 0: nothing to say either
                values[slot] = number
                continue
        if slot in no_requests and cv.is_blank(raw):
            continue  # 0: the workbook says there were no requests this year
        strip = _TEXT_STRIP[slot]
        if strip is not None and type(raw) is str and not (_OPTIONAL[slot] and cv.is_blank(raw)):
            values[slot] = raw.strip(cv.SPACES) if strip else raw  # `read_text`'s, inlined
            continue
        leaf = CELL_LEAVES[slot]
        if leaf.optional and cv.is_blank(raw):
            values[slot] = ABSENT  # local_notice: absent from the data when not filled
            continue
        got = _read_leaf(leaf, raw)
        values[slot] = got.value
        if got.code:
            found.append(_finding(leaf, got))
            flagged.add(leaf.pointer)
    for left, parts in _SUMS:  # arithmetic.TOTAL_PLAN, over slots
        values[left] = sum(parts(values))
    if formula_texts is not None and total_parts is None:
        total_parts = total_part_cells(cells)
    found = group_blanks(found, cells, switch)
    if switch is not None and switch.on:
        conflict = no_requests_conflict(values, cells, switch)
        if conflict is not None:
            found.append(conflict)
    found.extend(
        check_totals(raws, values, cells, has_formula, flagged, formula_texts, total_parts)
    )
    last_year = previous_from_names(names) if previous is None else previous()
    return Reading(_build(values), found, cells, previous=last_year)


def _builder() -> Callable[[list[Any]], dict[str, Any]]:
    """`slots.build_data` as straight-line code, generated from its steps once: one statement
    a step, in its order (each dict grows as it does there), an optional leaf's key set only
    when filled (`read_cells` leaves no other slot ABSENT). The loop over the steps took twice
    as long: 0.02 ms a workbook."""
    lines = ["def build(v):", f"    b0 = {{'format': {m.FORMAT_ID!r}}}"]
    for parent, key, box, slot in STEPS:
        if box >= 0:
            lines.append(f"    b{box} = b{parent}[{key!r}] = {{}}")
        elif _OPTIONAL[slot]:
            lines.append(f"    if v[{slot}] is not ABSENT:")
            lines.append(f"        b{parent}[{key!r}] = v[{slot}]")
        else:
            lines.append(f"    b{parent}[{key!r}] = v[{slot}]")
    for (key,) in OPTIONAL_OBJECTS:
        lines.append(f"    if not b0[{key!r}]:")
        lines.append(f"        del b0[{key!r}]")
    lines.append("    return b0")
    namespace: dict[str, Any] = {"ABSENT": ABSENT}
    exec(compile("\n".join(lines), "<xxgk build_data, straight-line>", "exec"), namespace)  # noqa: S102
    built: Callable[[list[Any]], dict[str, Any]] = namespace["build"]
    return built


class _Build:
    """`slots.build_data`, by the straight-line code (`_builder`) from a process's third
    workbook on: compiling it costs 2.6 ms, which one `xxgk validate` would pay for a loop of
    0.04 ms (and every command that imports this module, if it were compiled on import)."""

    def __init__(self) -> None:
        self._compiled: Callable[[list[Any]], dict[str, Any]] | None = None
        self._calls = 0

    def __call__(self, values: list[Any]) -> dict[str, Any]:
        if self._compiled is not None:
            return self._compiled(values)
        self._calls += 1
        if self._calls == 2:
            self.compile()
        return build_data(values)

    def compile(self) -> None:
        if self._compiled is None:
            self._compiled = _builder()


_build = _Build()


def compile_builder() -> None:
    """Compile the straight-line data builder now, not at this process's second workbook: a
    batch's warm-up does, so that the workers it forks share it."""
    _build.compile()
