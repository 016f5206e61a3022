"""Reading one table's rows out of its part of a `Document`: what 表二, 表三 and 表四 share.

A row is found by its label (a label broken over two lines is joined again); its numbers go
to the row's cells in order, and only when their places are certain: a grid row has its blank
cells, a line of words must have exactly as many numbers as the row has columns.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

from xxgk.check import findings as fc
from xxgk.format import model as m
from xxgk.published import tablefindings as tf
from xxgk.published.document import Document, Line, Where
from xxgk.published.labels import Match, Matcher, normalise, strip_known
from xxgk.published.numbers import BAD, BLANK, read_value
from xxgk.published.recognised import Recognised
from xxgk.published.rows import Row, RowSpec, page_number, split_row

MAX_PENDING = 2  # text lines kept to join with the next row's label (a label over 2–3 lines)
MAX_LABEL = 80  # a longer text line is narrative, never part of a label
MAX_SKIPPED = 6  # lines a page break puts inside a row: a page number, the repeated header


_PREPARED: dict[type, tuple[Matcher, tuple[str, ...]]] = {}


class TableScan:
    """One table's reading; subclasses say which labels exist and how columns map."""

    name = ""  # 表二 / 表三 / 表四
    alternatives: frozenset[Hashable] = frozenset()  # rows another layout prints instead
    title = ""  # the table's section heading
    # the header cells over a row's first and last number, and how many numbers a row has
    number_headers: tuple[str, str, int] = ("", "", 0)
    # every number column's header, in the format's order (a table printing them in another
    # order would be read into the wrong columns)
    column_order: tuple[str, ...] = ()

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.out = Recognised()
        self.blanks: list[tuple[str, Where]] = []
        self.read: dict[Hashable, tuple[str, ...]] = {}  # row key → the texts read
        self.refused: set[Hashable] = set()
        self.last: Where | None = None  # the last row of the table read
        self.found_any = False
        self.columns_at = Columns(self.number_headers, self.column_order)
        self.consumed: set[int] = set()  # lines read as the end of a row's label

    # -- what a subclass declares ---------------------------------------------------------------
    def specs(self) -> dict[Hashable, RowSpec]:
        raise NotImplementedError

    def forms(self) -> Iterable[tuple[str, Hashable]]:
        """Every printed form a row label may take (with its group labels before it)."""
        return ((spec.label, key) for key, spec in self.specs().items())

    def headers(self) -> Iterable[str]:
        """Texts of the table's header rows, so that a repeated header is known as one."""
        return ()

    def leaves(self) -> list[str]:
        return [p for spec in self.specs().values() for p in spec.pointers]

    def on_text(self, row: Row) -> bool:
        """A row without numbers the table itself understands (a title, a header)."""
        return False

    def columns(self, key: Hashable, row: Row, printed: str) -> Sequence[str | None] | None:
        """The pointers the row's printed cells go to (None: a column not imported), or None
        when the row is refused (the subclass has made its finding)."""
        return self.specs()[key].pointers

    def on_unmatched(self, row: Row) -> bool:
        return False

    def wants_blank_row(self, key: Hashable) -> bool:
        return True

    def finish(self) -> None:
        """Table-specific checks after the last row."""

    # -- the reading ----------------------------------------------------------------------------
    def run(self, region: list[int]) -> Recognised:
        matcher, known = self._prepared()
        pending: list[Row] = []
        k = 0
        while k < len(region):
            idx = region[k]
            line = self.doc.lines[idx]
            k += 1
            if idx in self.consumed:
                continue
            if page_number(line):
                self.out.used.add(idx)
                continue
            row = split_row(idx, line)
            match = None
            if row.values:
                nxt = next_row(self.doc.lines, region, k, row, known)
                match, printed, joined = match_label(matcher, row, pending, nxt)
                if match is not None and not row.has_values and not self.wants_blank_row(match.key):
                    match = None
            if match is None and (not row.values or not row.has_values):
                self.columns_at.learn(row)
                if self.on_text(row):
                    self.out.used.add(idx)
                    pending.clear()
                    continue
                if line.grid or len(strip_known(normalise(line.text), known)) <= 2:
                    self.out.used.add(idx)
                if len(normalise(row.label)) <= MAX_LABEL:
                    pending = (pending + [row])[-MAX_PENDING:]
                continue
            if match is None:
                if self.on_unmatched(row):
                    self.out.used.add(idx)
                elif line.grid or len(row.values) >= 3:
                    self._unplaced(row, row.label or "（无行名）", "行名不是格式中的任何一行")
                    self.out.used.add(idx)
                pending.clear()
                continue
            for j in joined:
                self.out.used.add(j)
                if j > idx:
                    self.consumed.add(j)
            self.out.used.add(idx)
            self._take(match, row, printed)
            pending.clear()
        self._finish()
        return self.out

    def _prepared(self) -> tuple[Matcher, tuple[str, ...]]:
        # a table's labels are the format's: normalised once per process, not once per report
        cached = _PREPARED.get(type(self))
        if cached is None:
            known = {normalise(x) for x in self.headers()}
            cached = Matcher(self.forms()), tuple(sorted(known, key=len, reverse=True))
            _PREPARED[type(self)] = cached
        return cached

    def _take(self, match: Match, row: Row, printed: str) -> None:
        key = match.key
        spec = self.specs()[key]
        self.found_any = True
        self.last = row.where
        texts = tuple(normalise(c.text) for c in row.values)
        if key in self.read or key in self.refused:
            if key in self.read and self.read[key] != texts:
                self._drop(key)
                self.unplaced_row(key, row, "这一行印了两次，两次的数字不同")
            return  # a row repeated with the same numbers (a copied page) is read once
        pointers = self.columns(key, row, printed)
        if pointers is None:
            self.refused.add(key)
            return
        cells = list(row.values)
        while row.grid and len(cells) > len(pointers) and not cells[-1].text.strip():
            cells.pop()  # empty cells past the last column: layout, not values
        if len(cells) != len(pointers):
            self.refused.add(key)
            self.unplaced_row(key, row, tf.count_reason(len(cells), len(pointers), row.grid))
            return
        shifted = self.columns_at.shifted(cells[0].where)
        if shifted:
            self.refused.add(key)
            self.unplaced_row(key, row, shifted)
            return
        self.read[key] = texts
        if not match.exact:
            self._variant(row, printed, spec)
        for ptr, cell in zip(pointers, cells, strict=True):
            if ptr is not None:
                self._put(ptr, cell.text, cell.where)

    def _put(self, ptr: str, text: str, where: Where) -> None:
        leaf = m.LEAF_BY_POINTER[ptr]
        value = read_value(text, decimal=leaf.kind == m.AMOUNT)
        if value.kind == BAD:
            self.out.findings.append(tf.cell_unreadable(where, ptr, text))
            return
        if value.kind == BLANK:
            self.blanks.append((ptr, where))
        self.out.values[ptr] = 0 if value.kind == BLANK else value.number
        self.out.origins[ptr] = where

    def _drop(self, key: Hashable) -> None:
        for ptr in self.specs()[key].pointers:
            self.out.values.pop(ptr, None)
            self.out.origins.pop(ptr, None)
        self.blanks = [(p, w) for p, w in self.blanks if p in self.out.values]
        self.read.pop(key, None)
        self.refused.add(key)

    def _unplaced(self, row: Row, label: str, reason: str, paths: Sequence[str] = ()) -> None:
        self.out.findings.append(tf.row_unplaced(self.name, row.where, label, reason, paths))

    def unplaced_row(self, key: Hashable, row: Row, reason: str) -> None:
        spec = self.specs()[key]
        self._unplaced(row, spec.label, reason, spec.pointers)

    def _variant(self, row: Row, printed: str, spec: RowSpec) -> None:
        self.out.findings.append(tf.label_variant(self.name, row.where, printed, spec))

    def _finish(self) -> None:
        self.finish()
        named = {p for f in self.out.findings for p in (f.path, *f.paths)}
        if not self.found_any and not self.out.values:
            self.out.findings = [f for f in self.out.findings if f.code != fc.IMPORT_LABEL_VARIANT]
            self.out.findings.append(tf.table_missing(self.name, self.title, self.leaves()))
            return
        missing = [
            spec
            for key, spec in self.specs().items()
            if key not in self.alternatives
            and any(p not in self.out.values and p not in named for p in spec.pointers)
        ]
        if missing:
            self.out.findings.append(
                tf.rows_missing(self.name, self.last, missing, set(self.out.values))
            )
        if self.blanks:
            self.out.findings.append(tf.cells_blank(self.name, self.blanks))


def match_label(
    matcher: Matcher, row: Row, pending: list[Row], nxt: Row | None
) -> tuple[Match | None, str, list[int]]:
    """The row a line's label stands for, with the text lines around it when the label was
    broken over lines: the matched label, the text it was read from and the lines it took."""
    own = matcher.match(row.label) if row.labels else None
    if own is not None and own.exact:
        return own, row.label, []
    for n in range(1, len(pending) + 1):  # the label's start on the lines before
        before = pending[-n:]
        text = " ".join(p.label for p in before) + " " + row.label
        joined = matcher.match(text)
        if joined is not None and (own is None or joined.exact):
            return joined, text.strip(), [p.index for p in before]
    if nxt is not None and nxt.labels and not nxt.has_values and row.labels:
        text = row.label + " " + nxt.label  # the label's end on the next line, without numbers
        joined = matcher.match(text)
        # the next line of a grid may be a row of its own, printed blank: only a whole label
        whole = joined is not None and (joined.exact or not nxt.values)
        if joined is not None and whole and (own is None or joined.exact):
            return joined, text, [nxt.index]
    return own, row.label, []


def next_row(
    lines: list[Line], region: list[int], k: int, row: Row, known: tuple[str, ...]
) -> Row | None:
    """The line after a row, for the end of its label. A grid row that a page break cut in two
    goes on under the page number and the header rows the next page repeats."""
    if k >= len(region):
        return None
    line = lines[region[k]]
    nxt = split_row(region[k], line)
    if not row.grid or not (page_number(line) or nxt.where.page != row.where.page):
        return nxt
    for j in region[k : k + MAX_SKIPPED]:
        line = lines[j]
        nxt = split_row(j, line)
        if page_number(line) or (
            not nxt.has_values and len(strip_known(normalise(line.text), known)) <= 2
        ):
            continue
        return nxt if nxt.where.page != row.where.page else None
    return None


class Columns:
    """Where a real table (web page, Word, PDF) prints its numbers: the header cells over a
    row's first and last number, that many columns apart, give the first number column. A row
    whose numbers start elsewhere lost or gained a cell, and counting its cells from the right
    would put its numbers under the wrong headers."""

    def __init__(self, headers: tuple[str, str, int], order: tuple[str, ...] = ()) -> None:
        head, tail, self.width = headers
        self.head, self.tail = normalise(head), normalise(tail)
        self.first: dict[tuple[int | None, int | None], int] = {}  # per source table
        self.order = {normalise(label): n for n, label in enumerate(order)}
        self.labels = order
        # per source table: each number column's header → the grid column it was printed in
        self.seen: dict[tuple[int | None, int | None], dict[str, int]] = {}

    def learn(self, row: Row) -> None:
        if not row.grid or not self.head or row.where.table is None:
            return
        columns = [(normalise(c.text), c.where.column or 0) for c in row.labels]
        seen = self.seen.setdefault((row.where.page, row.where.table), {})
        for text, col in columns:
            if text in self.order and col:
                seen.setdefault(text, col)
        start = next((col for text, col in columns if text == self.head), 0)
        end = next((col for text, col in columns if text == self.tail and col > start), 0)
        if start and end - start == self.width - 1:
            self.first.setdefault((row.where.page, row.where.table), start)

    def shifted(self, first: Where) -> str:
        """Why a grid row's numbers are not under the number columns ("" if they are)."""
        disorder = self._disorder((first.page, first.table))
        if disorder:
            return disorder
        start = self.first.get((first.page, first.table))
        if start is None or first.column is None or first.column == start:
            return ""
        return (
            f"这一行的数字从第 {first.column} 列起，表头的数字列从第 {start} 列起，数字与列对不齐"
        )

    def _disorder(self, table: tuple[int | None, int | None]) -> str:
        """Why the table's number columns are not in the format's order ("" if they are)."""
        start = self.first.get(table)
        if start is None:  # a header not laid on the grid (typed row by row): nothing to compare
            return ""
        inside = range(start, start + self.width)
        seen = {t: col for t, col in self.seen.get(table, {}).items() if col in inside}
        by_column = sorted(seen, key=lambda text: seen[text])
        if [self.order[t] for t in by_column] == sorted(self.order[t] for t in by_column):
            return ""
        printed = "、".join(self.labels[self.order[t]] for t in by_column)
        return f"表头各列的顺序（{printed}）与格式不同，无法确定每个数字属于哪一列"
