"""表四 (行政复议、行政诉讼情况) as published: the official layout's one row of 15 numbers under
three header rows, or one row per group of 5 (行政复议, 未经复议直接起诉, 复议后起诉) as the
Markdown rendering and some portals print it."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from functools import cache

from xxgk.format import model as m
from xxgk.published.labels import Match
from xxgk.published.rows import Row, RowSpec
from xxgk.published.scan import TableScan

ALL = "all"  # the key of the official row of 15 numbers


def _pointers(group: m.Group) -> tuple[str, ...]:
    return tuple(m.pointer(m.TABLE4_ROOT + (group.id, c.id)) for c in m.REVIEW_COLUMNS)


@cache
def _specs() -> dict[Hashable, RowSpec]:
    specs: dict[Hashable, RowSpec] = {g.id: RowSpec(g.title, _pointers(g)) for g in m.TABLE4_GROUPS}
    every = tuple(p for g in m.TABLE4_GROUPS for p in _pointers(g))
    specs[ALL] = RowSpec(m.SECTIONS[3].heading, every)
    return specs


class Table4(TableScan):
    name = m.TABLE4_NAME
    title = m.SECTIONS[3].heading
    alternatives = frozenset({ALL})
    number_headers = (m.REVIEW_COLUMNS[0].label, m.REVIEW_COLUMNS[-1].label, len(m.REVIEW_COLUMNS))

    def specs(self) -> dict[Hashable, RowSpec]:
        return _specs()

    def forms(self) -> Iterable[tuple[str, Hashable]]:
        for g in m.TABLE4_GROUPS:
            yield g.label, g.id
            yield g.title, g.id
            yield f"{m.TABLE4_LITIGATION_HEADER}{g.label}", g.id

    def headers(self) -> Iterable[str]:
        yield from (m.TABLE4_REVIEW_HEADER, m.TABLE4_LITIGATION_HEADER)
        yield from (g.label for g in m.TABLE4_GROUPS)
        yield from (c.label for c in m.REVIEW_COLUMNS)

    def leaves(self) -> list[str]:
        return list(_specs()[ALL].pointers)

    def on_unmatched(self, row: Row) -> bool:
        if row.labels or len(row.values) < len(m.REVIEW_COLUMNS):
            return False  # a stray number (a page number without its dashes) is not the row
        # the official layout's numbers row has no label: its place under the headers says all
        self._take(Match(ALL, True, ""), row, "")
        return True

    def columns(self, key: Hashable, row: Row, printed: str) -> Sequence[str | None] | None:
        both = ALL in self.read if key != ALL else any(g.id in self.read for g in m.TABLE4_GROUPS)
        if both:
            self.unplaced_row(key, row, "表四的数字既按一行 15 格印了，又按三行印了")
            return None
        return _specs()[key].pointers
