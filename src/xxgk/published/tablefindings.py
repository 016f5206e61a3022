"""The findings a table's reading makes, each naming where in the published report it is."""

from __future__ import annotations

from collections.abc import Sequence

from xxgk.check import findings as fc
from xxgk.check.findings import Finding
from xxgk.format import model as m
from xxgk.published.document import Where
from xxgk.published.rows import RowSpec, finding, place

MAX_NAMED_ROWS = 6  # a missing-rows message names this many rows, then says 等


def row_unplaced(
    table: str, where: Where, label: str, reason: str, paths: Sequence[str] = ()
) -> Finding:
    return finding(
        fc.IMPORT_ROW_UNPLACED,
        where,
        paths[0] if paths else "",
        list(paths),
        where=place(where),
        table=table,
        label=label,
        reason=reason,
    )


def label_variant(table: str, where: Where, printed: str, spec: RowSpec) -> Finding:
    return finding(
        fc.IMPORT_LABEL_VARIANT,
        where,
        spec.pointers[0] if spec.pointers else "",
        list(spec.pointers),
        where=place(where),
        table=table,
        printed=" ".join(printed.split()),
        label=spec.label,
    )


def cell_unreadable(where: Where, ptr: str, text: str) -> Finding:
    leaf = m.LEAF_BY_POINTER[ptr]
    return finding(
        fc.IMPORT_CELL_UNREADABLE,
        where,
        ptr,
        where=place(where),
        cell=leaf.where,
        text=" / ".join(text.split("\n")).strip(),  # a line break would break the message line
        expected="数" if leaf.kind == m.AMOUNT else "整数",
    )


def rows_missing(table: str, last: Where | None, missing: list[RowSpec], read: set[str]) -> Finding:
    labels = [f"「{spec.label}」" for spec in missing]
    shown = "、".join(labels[:MAX_NAMED_ROWS]) + ("等" if len(labels) > MAX_NAMED_ROWS else "")
    paths = [p for s in missing for p in s.pointers if p not in read]
    return finding(
        fc.IMPORT_ROW_MISSING,
        last,
        paths[0],
        paths,
        where=f"原文（读到{(last or Where()).text()}为止）",
        table=table,
        count=len(missing),
        rows=shown,
    )


def cells_blank(table: str, blanks: list[tuple[str, Where]]) -> Finding:
    first = blanks[0][1]
    return finding(
        fc.IMPORT_CELL_BLANK,
        first,
        blanks[0][0],
        [p for p, _ in blanks],
        where=place(first),
        table=table,
        count=len(blanks),
    )


def table_missing(name: str, title: str, leaves: list[str]) -> Finding:
    return finding(fc.IMPORT_TABLE_MISSING, None, leaves[0], leaves, table=name, title=title)


def count_reason(got: int, want: int, grid: bool) -> str:
    if grid:
        return f"应有 {want} 格，印了 {got} 格"
    if got < want:
        return f"数字之间只以空格分隔，只有 {got} 个（应有 {want} 个），空着的格在哪一列无法确定"
    return f"有 {got} 个数（应有 {want} 个）"
