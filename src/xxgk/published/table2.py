"""表二 (主动公开政府信息情况) as published: four blocks, each a 第二十条 title, a header row
and its rows. The header says which format's columns follow: the 2021 ones are read as they
are; of the 2019 ones only 处理决定数量 is the same quantity as a 2021 column."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from functools import cache

from xxgk.check import findings as fc
from xxgk.format import model as m
from xxgk.published import format2019 as f19
from xxgk.published.document import Document
from xxgk.published.labels import FUZZY_MIN, normalise, similarity
from xxgk.published.recognised import FORMAT_2019
from xxgk.published.rows import Row, RowSpec, finding, place
from xxgk.published.scan import TableScan

LATEST = "2021"
OLD = "2019"


def _block_of() -> dict[Hashable, m.Block]:
    return {r.path: b for b in m.TABLE2_BLOCKS for r in b.rows}


def _row_pointers(block: m.Block, row: m.Row) -> tuple[str, ...]:
    return tuple(m.pointer(m.TABLE2_ROOT + row.path + (c.id,)) for c in block.columns)


@cache
def _specs() -> dict[Hashable, RowSpec]:
    specs: dict[Hashable, RowSpec] = {
        r.path: RowSpec(r.label, _row_pointers(b, r)) for b in m.TABLE2_BLOCKS for r in b.rows
    }
    for label in f19.ROWS_DROPPED:
        specs[label] = RowSpec(label, ())
    return specs


_TEN_THOUSAND = "万元"


def _same(printed: str, official: str) -> bool:
    a, b = normalise(printed), normalise(official)
    if _TEN_THOUSAND in b and "元" in a.replace(_TEN_THOUSAND, "") :
        return False  # 收费金额（单位：元）is alike in words, but 10 000 times the number
    return a == b or a.startswith(b) or similarity(a, b, FUZZY_MIN) >= FUZZY_MIN


def _fits(header: list[str], labels: Sequence[str], grid: bool) -> bool:
    if grid:
        return len(header) == len(labels) and all(map(_same, header, labels))
    return _same("".join(header), "".join(labels))


class Table2(TableScan):
    name = m.TABLE2_NAME
    title = m.SECTIONS[1].heading

    def __init__(self, doc: Document) -> None:
        super().__init__(doc)
        self.header: list[str] | None = None
        self.header_grid = True
        self.old_at: Row | None = None  # where the 2019 layout was first seen
        self.old_rows: list[str] = []
        self.blocks = _block_of()
        self.titles = {normalise(b.title) for b in m.TABLE2_BLOCKS}

    def specs(self) -> dict[Hashable, RowSpec]:
        return _specs()

    def forms(self) -> Iterable[tuple[str, Hashable]]:
        return ((spec.label, key) for key, spec in _specs().items())

    def headers(self) -> Iterable[str]:
        yield from (b.title for b in m.TABLE2_BLOCKS)
        yield from (m.TABLE2_CONTENT_HEADER, f19.PURCHASE_BLOCK)
        yield from (c.label for b in m.TABLE2_BLOCKS for c in b.columns)
        yield from (c for cols in f19.COLUMNS_2019.values() for c in cols)
        yield from (f19.PURCHASE_ITEMS, f19.PURCHASE_AMOUNT)

    def leaves(self) -> list[str]:
        return [p for spec in _specs().values() for p in spec.pointers]

    def on_text(self, row: Row) -> bool:
        text = normalise(row.label)
        if text in self.titles or text == normalise(f19.PURCHASE_BLOCK):
            self.header = None
            if text == normalise(f19.PURCHASE_BLOCK):
                self._old(row)
            return True
        head = normalise(m.TABLE2_CONTENT_HEADER)
        if not text.startswith(head):
            return False
        if row.grid:
            self.header = [c.text for c in row.labels[1:]]
        else:
            self.header = [text[len(head) :]]
        self.header_grid = row.grid
        return True

    def _old(self, row: Row) -> None:
        if self.old_at is None:
            self.old_at = row

    def columns(self, key: Hashable, row: Row, printed: str) -> Sequence[str | None] | None:
        if key in f19.ROWS_DROPPED:
            self._old(row)
            self.old_rows.append(str(key))
            return [None] * len(row.values)
        block = self.blocks[key]
        pointers = _specs()[key].pointers
        if self.header is None:
            if self.old_at is not None:
                self.unplaced_row(key, row, "这一块没有表头，无法确定是哪种格式的列")
                return None
            return pointers
        if _fits(self.header, [c.label for c in block.columns], self.header_grid):
            return pointers
        old = f19.COLUMNS_2019.get(block.title, ())
        if old and _fits(self.header, old, self.header_grid):
            return self._old_columns(key, row, block, old)
        shown = " ".join(self.header)
        self.unplaced_row(key, row, f"表头「{shown}」不是格式中的列")
        return None

    def _old_columns(
        self, key: Hashable, row: Row, block: m.Block, old: Sequence[str]
    ) -> list[str | None]:
        self._old(row)
        by_id = dict(zip((c.id for c in block.columns), _specs()[key].pointers, strict=True))
        mapped = [by_id.get(f19.SAME_AS_2021.get(label, "")) for label in old]
        lost = [c for c in block.columns if by_id[c.id] not in mapped]
        if lost:
            paths = [by_id[c.id] for c in lost]
            self.out.findings.append(
                finding(
                    fc.IMPORT_OLD_COLUMNS,
                    row.where,
                    paths[0],
                    paths,
                    where=place(row.where),
                    table=self.name,
                    row=_specs()[key].label,
                    columns="、".join(old),
                    missing="、".join(c.label for c in lost),
                )
            )
        return mapped

    def _variant(self, row: Row, printed: str, spec: RowSpec) -> None:
        if self.old_at is not None and normalise(printed) == normalise(f19.NORMATIVE_2019):
            return  # the 2019 format's own name of the row
        super()._variant(row, printed, spec)

    def finish(self) -> None:
        if self.old_at is None:
            return
        decisions = next(c.label for b in m.TABLE2_BLOCKS for c in b.columns if c.id == "decisions")
        detail = f"「{f19.DECISIONS}」已按「{decisions}」导入"
        if self.old_rows:
            detail += f"；「{'」「'.join(self.old_rows)}」现行格式没有，未导入"
        where = self.old_at.where
        self.out.findings.append(
            finding(
                fc.IMPORT_FORMAT_2019,
                where,
                m.pointer(m.TABLE2_ROOT),
                [],
                where=place(where),
                table=self.name,
                detail=detail,
                notice=m.FORMAT_NOTICE,
            )
        )
        self.out.layout = FORMAT_2019
