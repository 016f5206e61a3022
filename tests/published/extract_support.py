"""Table 三 as an extractor gives it, and what the oracle says it must be.

Nothing here comes from xxgk's own format model: the labels and the layout are the oracle's
(tests/oracle.py) or written out below by hand from the official format.
"""

from __future__ import annotations

import re
from typing import Any

from xxgk.published.document import Document, NotAReport

from ..oracle import COLUMNS, TABLE3_ROWS, shown

NUMBERS = tuple(range(4, 11))  # the seven number columns of table 三 (three label columns first)
# Where a cell starts in each row of table 三 as the official layout merges them (our renderers
# draw it so): the corner spans 3 columns and 3 rows, 申请人情况 7 columns, 自然人 and 总计 two
# rows, 法人或其他组织 five columns; a row label spans the three label columns, 三、本年度办理结果
# 22 rows, each group label its items' rows, a group-less outcome row two columns.
TABLE3_STARTS: dict[int, tuple[int, ...]] = {
    1: (1, 4),
    2: (4, 5, 10),
    3: (5, 6, 7, 8, 9),
    4: (1, *NUMBERS),
    5: (1, *NUMBERS),
    6: (1, 2, *NUMBERS),
    7: (2, *NUMBERS),
    **{r: (2, 3, *NUMBERS) for r in (8, 16, 19, 24)},
    **{r: (3, *NUMBERS) for r in (*range(9, 16), 17, 18, *range(20, 24), 25, 26)},
    27: (2, *NUMBERS),
    28: (1, *NUMBERS),
}

_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    return _SPACE.sub("", text)


def positions(doc: Document, table: int) -> dict[tuple[int, int], str]:
    """(row, column) → text of every cell of the document's `table`-th table."""
    out: dict[tuple[int, int], str] = {}
    for line in doc.lines:
        for cell in line.cells:
            w = cell.where
            if w.table == table and w.row is not None and w.column is not None:
                assert line.grid, line
                assert (w.row, w.column) not in out, f"two cells at {w}"
                out[(w.row, w.column)] = cell.text
    return out


def table3_rows(doc: Document) -> dict[str, list[str]]:
    """Each row of table 三 found in the document: its label (white space removed) → the texts
    of its seven number cells. A row counts when it has a cell in each number column and its
    last label cell is one of the official row labels; header rows a page repeats do not."""
    labels = {squash(label) for _, _, label in TABLE3_ROWS}
    out: dict[str, list[str]] = {}
    for line in doc.lines:
        if not line.grid:
            continue
        by_column = {c.where.column: c.text for c in line.cells}
        names = [squash(t) for col, t in sorted(by_column.items()) if col and col < 4 and t]
        if not names or names[-1] not in labels:
            continue
        assert sorted(col for col in by_column if col and col >= 4) == list(NUMBERS), line
        assert names[-1] not in out, f"{names[-1]} twice"
        out[names[-1]] = [squash(by_column[col]) for col in NUMBERS]
    return out


def expected_table3(data: dict[str, Any]) -> dict[str, list[str]]:
    """The oracle's table 三 of `data`: row label → the seven numbers as printed."""
    out = {}
    for path, _, label in TABLE3_ROWS:
        node: Any = data
        for key in path:
            node = node[key]
        out[squash(label)] = [shown(node[col]) for col in COLUMNS]
    return out


def refusal(extract: Any, raw: bytes) -> str:
    """The Chinese message an extractor refuses `raw` with (and nothing else escapes)."""
    try:
        extract(raw)
    except NotAReport as exc:
        message = str(exc)
        assert re.search(r"[\u4e00-\u9fff]", message), message
        return message
    raise AssertionError("the file was read, not refused")
