"""The report's tables (二, 三, 四) in the official layout, laid out once per process.

A table's layout (labels, spans, header rows, widths) is the same in every report: it is built
once as a `TableLayout` whose number cells are slots. Per report only the numbers are read from
the data and filled in (`TableLayout.fill`). Renderers may use the layout too: `skeleton(layout)`
is the table with a marker in each slot, which they render once and split into fixed fragments,
then `fill_slots` puts each report's numbers between them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from functools import cache, cached_property
from typing import Any, TypeVar

from xxgk.format import model as m
from xxgk.report.content import Cell, FlatTable, Table
from xxgk.report.table_reads import Run, numbers, runs

T = TypeVar("T")


def _h(
    text: str, colspan: int = 1, rowspan: int = 1, scope: str = "col", left: bool = False
) -> Cell:
    return Cell(text, colspan, rowspan, True, scope, left)


SLOT_MARK = "\x00"  # never in report text: text.py drops it as forbidden in XML


def slot_text(index: int) -> str:
    """The skeleton's text for slot `index`; renderers split their output on SLOT_MARK."""
    return f"{SLOT_MARK}{index}{SLOT_MARK}"


# Number cells are shared between reports: the same few values (0, small counts) recur.
_NUMBER_CELLS: dict[tuple[str, int], Cell] = {}
_NUMBER_CELLS_MAX = 20000


def _number_cell(text: str, colspan: int) -> Cell:
    cell = _NUMBER_CELLS.get((text, colspan))
    if cell is None:
        cell = Cell(text, colspan)
        if len(_NUMBER_CELLS) < _NUMBER_CELLS_MAX:
            _NUMBER_CELLS[(text, colspan)] = cell
    return cell


@dataclass(frozen=True, eq=False)
class TableLayout:
    """What a table is apart from its numbers. A body cell is a `Cell` (a label) or an `int`:
    the index of a number in `fill`'s reading order (`reads`: a node's path from the data root,
    then the keys of that node read in turn)."""

    id: str
    caption: str
    widths: tuple[int, ...]
    head: tuple[tuple[Cell, ...], ...]
    bodies: tuple[tuple[tuple[Cell | int, ...], ...], ...]
    spans: tuple[int, ...]  # colspan of each slot
    reads: tuple[tuple[m.Path, tuple[str, ...]], ...]
    # flat versions: title, header, rows of (label, slot indices), note
    flat: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, tuple[int, ...]], ...], str], ...]
    wide: bool = False

    def fill(self, data: dict[str, Any]) -> Table:
        """The table of `data`'s numbers. Only the numbers are read here: its cells and flat
        versions are made when something reads them (`FilledTable`), which the DOCX and HTML
        renderers never do (they draw it from the layout's fragments and `numbers`)."""
        return FilledTable.of(self, *numbers(data, self._getters))

    @cached_property
    def _getters(self) -> tuple[Run, ...]:
        return runs(self.reads)

    def bodies_of(self, texts: Sequence[str]) -> tuple[tuple[tuple[Cell, ...], ...], ...]:
        cells = list(map(_number_cell, texts, self.spans))
        return tuple(
            tuple([tuple([c if isinstance(c, Cell) else cells[c] for c in row]) for row in body])
            for body in self.bodies
        )

    def flat_of(self, texts: Sequence[str]) -> tuple[FlatTable, ...]:
        return tuple(
            FlatTable(
                title, header, tuple([(label, *[texts[i] for i in idx]) for label, idx in rows]),
                note,
            )
            for title, header, rows, note in self.flat
        )  # fmt: skip

    def _mark(self, table: Table, texts: list[str]) -> Table:
        object.__setattr__(table, "layout", self)  # frozen: set once, right after creation
        object.__setattr__(table, "numbers", tuple(texts))
        return table

    def fill_texts(self, texts: list[str]) -> Table:
        spans = self.spans
        bodies = tuple(
            tuple(tuple(c if isinstance(c, Cell) else Cell(texts[c], spans[c]) for c in row)
                  for row in body)
            for body in self.bodies
        )  # fmt: skip
        return self._mark(
            Table(self.id, self.caption, self.widths, self.head, bodies, (), self.wide), texts
        )


class FilledTable(Table):
    """A `Table` filled from a layout, its `bodies` and `flat` made on first reading (the same
    values `Table` would hold; cached_property stores them in the instance, so a frozen table
    is still never changed once read). It equals, and hashes like, the same `Table`.
    `dataclasses.replace` of it builds a table through `Table.__init__`, with its cells given
    and no layout: drawn cell by cell."""

    # the values printed when each is a count from 0 to 9,999 (printed as `str` prints it, so
    # nothing to escape in any format), else None; set by `of`
    counts: list[int] | None = None

    @classmethod
    def of(
        cls, layout: TableLayout, texts: Sequence[str], counts: list[int] | None
    ) -> FilledTable:
        table = object.__new__(cls)
        table.__dict__.update(
            id=layout.id, caption=layout.caption, widths=layout.widths, head=layout.head,
            wide=layout.wide, layout=layout, numbers=tuple(texts), counts=counts,
        )  # fmt: skip
        return table

    @cached_property
    def counts_utf8(self) -> list[bytes]:
        """The numbers (all counts) in UTF-8, for the DOCX and the HTML alike: encoded at once
        and cut at the NULs joining them (digits only: none of them is a NUL)."""
        return SLOT_MARK.join(self.numbers).encode("ascii").split(b"\x00")

    @cached_property
    def bodies(self) -> tuple[tuple[tuple[Cell, ...], ...], ...]:
        layout = self.layout
        assert isinstance(layout, TableLayout)
        return layout.bodies_of(self.numbers)

    @cached_property
    def flat(self) -> tuple[FlatTable, ...]:
        layout = self.layout
        assert isinstance(layout, TableLayout)
        return layout.flat_of(self.numbers)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Table):
            return NotImplemented
        return _fields(self) == _fields(other)

    def __hash__(self) -> int:
        return hash(_fields(self))


def _fields(table: Table) -> tuple[Any, ...]:
    return tuple(getattr(table, f.name) for f in fields(Table) if f.compare)


@cache  # layouts live as long as the process: one skeleton each
def skeleton(layout: TableLayout) -> Table:
    """The table with `slot_text(i)` in slot i (no flat versions)."""
    return layout.fill_texts([slot_text(i) for i in range(len(layout.spans))])


class _Slots:
    """Collects a layout's reads while its rows are being laid out."""

    def __init__(self) -> None:
        self.reads: list[tuple[m.Path, tuple[str, ...]]] = []
        self.spans: list[int] = []

    def row(self, path: m.Path, columns: tuple[str, ...], span: int = 1) -> tuple[int, ...]:
        first = len(self.spans)
        self.reads.append((path, columns))
        self.spans.extend([span] * len(columns))
        return tuple(range(first, len(self.spans)))


@cache
def table2_layout() -> TableLayout:
    width = 1 + max(len(b.columns) for b in m.TABLE2_BLOCKS)
    slots = _Slots()
    bodies = []
    flat = []
    for block in m.TABLE2_BLOCKS:
        span = (width - 1) // len(block.columns)
        rows: list[tuple[Cell | int, ...]] = [(_h(block.title, width, scope="rowgroup"),)]
        rows.append((_h(m.TABLE2_CONTENT_HEADER), *(_h(c.label, span) for c in block.columns)))
        flat_rows = []
        for row in block.rows:
            idx = slots.row((*m.TABLE2_ROOT, *row.path), tuple(c.id for c in block.columns), span)
            rows.append((_h(row.label, scope="row"), *idx))
            flat_rows.append((row.label, idx))
        bodies.append(tuple(rows))
        header = (m.TABLE2_CONTENT_HEADER, *(c.label for c in block.columns))
        flat.append((block.title, header, tuple(flat_rows), ""))
    return TableLayout(
        "table2",
        "表二　" + m.SECTIONS[1].heading.split("、", 1)[1],
        (390,) * width,
        (),
        tuple(bodies),
        tuple(slots.spans),
        tuple(slots.reads),
        tuple(flat),
    )


@cache
def table3_layout() -> TableLayout:
    cols = m.APPLICANT_COLUMNS
    legal = m.LEGAL_PERSON_COLUMNS
    head = (
        (
            _h(m.TABLE3_CORNER, 3, 3, left=True),
            _h(m.TABLE3_APPLICANT_HEADER, len(cols)),
        ),
        (
            _h(cols[0].label, rowspan=2),
            _h(m.TABLE3_LEGAL_PERSON_HEADER, len(legal)),
            _h(cols[-1].label, rowspan=2),
        ),
        tuple(_h(c.label) for c in legal),
    )
    outcomes_and_total = (*m.TABLE3_OUTCOMES, m.TABLE3_RESULTS_TOTAL)
    slots = _Slots()
    rows: list[tuple[Cell | int, ...]] = []
    flat_rows: list[tuple[str, tuple[int, ...]]] = []
    seen_groups: set[str] = set()
    group_size = {
        g: sum(1 for r in m.TABLE3_OUTCOMES if r.group == g) for g in m.TABLE3_GROUP_TITLES.values()
    }
    for row in m.TABLE3_ROWS:
        cells: list[Cell | int] = []
        if row in outcomes_and_total:
            if row is outcomes_and_total[0]:
                cells.append(
                    _h(m.TABLE3_RESULTS_GROUP, rowspan=len(outcomes_and_total), scope="row")
                )
            if row.group:
                if row.group not in seen_groups:
                    seen_groups.add(row.group)
                    cells.append(_h(row.group, rowspan=group_size[row.group], scope="row"))
                cells.append(_h(row.label, scope="row", left=True))
            else:
                cells.append(_h(row.label, 2, scope="row", left=True))
            flat_label = "·".join(x for x in (m.TABLE3_RESULTS_GROUP, row.group, row.label) if x)
        else:
            cells.append(_h(row.label, 3, scope="row", left=True))
            flat_label = row.label
        idx = slots.row((*m.TABLE3_ROOT, *row.path), tuple(c.id for c in cols))
        cells.extend(idx)
        rows.append(tuple(cells))
        flat_rows.append((flat_label, idx))

    header = (
        "项目",
        cols[0].label,
        *(f"{m.TABLE3_LEGAL_PERSON_HEADER}·{c.label}" for c in legal),
        cols[-1].label,
    )
    return TableLayout(
        "table3",
        "表三　" + m.SECTIONS[2].heading.split("、", 1)[1],
        (80, 140, 440) + (129,) * len(cols),  # tenths of a mm: 156 mm, room for 5 digits
        head,
        (tuple(rows),),
        tuple(slots.spans),
        tuple(slots.reads),
        (("", header, tuple(flat_rows), m.TABLE3_CORNER),),
        wide=True,
    )


@cache
def table4_layout() -> TableLayout:
    review, *litigation = m.TABLE4_GROUPS
    n = len(m.REVIEW_COLUMNS)
    head = (
        (_h(m.TABLE4_REVIEW_HEADER, n), _h(m.TABLE4_LITIGATION_HEADER, n * len(litigation))),
        (
            *(_h(c.label, rowspan=2) for c in m.REVIEW_COLUMNS),
            *(_h(g.label, n) for g in litigation),
        ),
        tuple(_h(c.label) for _ in litigation for c in m.REVIEW_COLUMNS),
    )
    slots = _Slots()
    columns = tuple(c.id for c in m.REVIEW_COLUMNS)
    flat_rows = tuple(
        (g.title, slots.row((*m.TABLE4_ROOT, g.id), columns)) for g in m.TABLE4_GROUPS
    )
    body = (tuple(i for _, idx in flat_rows for i in idx),)
    return TableLayout(
        "table4",
        "表四　" + m.SECTIONS[3].heading.split("、", 1)[1],
        (104,) * (n * len(m.TABLE4_GROUPS)),
        head,
        (body,),
        tuple(slots.spans),
        tuple(slots.reads),
        (("", ("", *(c.label for c in m.REVIEW_COLUMNS)), flat_rows, ""),),
        wide=True,
    )


def table2(data: dict[str, Any]) -> Table:
    return table2_layout().fill(data)


def table3(data: dict[str, Any]) -> Table:
    return table3_layout().fill(data)


def table4(data: dict[str, Any]) -> Table:
    return table4_layout().fill(data)


def woven(fixed: Sequence[T], values: Sequence[T]) -> list[T]:
    """fixed[0], values[0], fixed[1], …, fixed[-1]: a table's fixed fragments with its numbers
    (already escaped, in slot order) between them, put in place by slicing, in C."""
    out = [fixed[0]] * (2 * len(fixed) - 1)
    out[0::2] = fixed
    out[1::2] = values  # ValueError unless there is one number between each two fragments
    return out


_CACHE_LIMIT = 20000  # escaped numbers kept per format: the same few recur


def fill_slots(
    fixed: Sequence[Any],
    order: Sequence[int],
    numbers: Sequence[str],
    escape: Callable[[str], str],
    cache: dict[str, Any],
    encoded: bool,
) -> list[Any]:
    """A table's fixed fragments (str, or UTF-8 bytes when `encoded`) with its numbers
    escaped by `escape` between them, in slot order `order` — what both the DOCX and the HTML
    renderer write for a table with a known layout. Numbers with nothing to escape (counts:
    almost always) are looked at together and put in place by `woven`, each taken as it is,
    or, `encoded`, all encoded at once and cut at the NULs joining them (no other character's
    UTF-8 holds a zero byte, and text.py keeps NUL out of every text; counted to be sure);
    the others one by one (text, with --force), each escaped once per process."""
    if not (len(order) == len(numbers) and order == _in_turn(len(order))):
        numbers = tuple(map(numbers.__getitem__, order))
    joined = SLOT_MARK.join(numbers)
    if escape(joined) == joined and joined.count(SLOT_MARK) == len(numbers) - 1:
        if encoded:
            return woven(fixed, joined.encode("utf-8").split(b"\x00"))
        return woven(fixed, numbers)
    out = [fixed[0]]
    for part, text in zip(fixed[1:], numbers, strict=True):
        done = cache.get(text)
        if done is None:
            done = escape(text).encode("utf-8") if encoded else escape(text)
            if len(cache) < _CACHE_LIMIT:
                cache[text] = done
        out += (done, part)
    return out


def fill_table(
    fixed: Sequence[bytes],
    order: Sequence[int],
    table: Table,
    escape: Callable[[str], str],
    cache: dict[str, Any],
) -> list[bytes]:
    """`fill_slots(fixed, order, table.numbers, escape, cache, encoded=True)`: a table whose
    numbers are all counts (`FilledTable.counts`) from their UTF-8 made once for every format,
    with nothing to escape or count."""
    counts = table.counts if isinstance(table, FilledTable) else None
    if not isinstance(table, FilledTable) or counts is None or len(order) != len(counts):
        return fill_slots(fixed, order, table.numbers, escape, cache, True)
    utf8 = table.counts_utf8
    if order != _in_turn(len(order)):
        utf8 = list(map(utf8.__getitem__, order))
    return woven(fixed, utf8)


@cache
def _in_turn(n: int) -> tuple[int, ...]:
    return tuple(range(n))
