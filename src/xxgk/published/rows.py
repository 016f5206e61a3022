"""A `Line` seen as a table row: its label cells, then the cells that should hold numbers."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from xxgk.check import findings as fc
from xxgk.check.findings import Finding
from xxgk.published.document import Cell, Line, Where
from xxgk.published.numbers import is_number, value_like

# -3-, — 3 —, 第 3 页, 第3页 共10页, 3/10, - 3 - 共 10 页
_PAGE_NUMBER = re.compile(
    r"[-—–－~]*\s*\d{1,4}\s*[-—–－~]*(\s*/\s*\d{1,4})?|第\s*\d{1,4}\s*页(\s*[,，]?\s*共\s*\d{1,4}\s*页)?"
    r"|[-—–－]\s*\d{1,4}\s*[-—–－]\s*共\s*\d{1,4}\s*页|page\s*\d{1,4}(\s*of\s*\d{1,4})?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RowSpec:
    """A row of the format as a table reader looks for it."""

    label: str  # the official label, as a message names the row
    pointers: tuple[str, ...]  # the row's cells, in printed order


@dataclass(frozen=True)
class Row:
    index: int  # in Document.lines
    labels: tuple[Cell, ...]  # the non-empty text cells before the numbers
    values: tuple[Cell, ...]  # every cell after the label, blanks included (tokens, not grid)
    grid: bool
    where: Where

    @property
    def label(self) -> str:
        return " ".join(c.text for c in self.labels)

    @property
    def has_values(self) -> bool:
        return any(c.text.strip() for c in self.values)


def page_number(line: Line) -> bool:
    """A page number printed between table rows (PDF text, a copied page)."""
    if len(line.cells) != 1 or line.grid:
        return False
    text = unicodedata.normalize("NFKC", line.cells[0].text).strip()
    # a bare number is a page number only with a mark around it: "3" alone may be a value
    return bool(_PAGE_NUMBER.fullmatch(text)) and not text.isdigit()


def split_row(index: int, line: Line) -> Row:
    """Label cells, then value cells. In a grid the values are the cells after the last text
    cell (blank cells keep their place); in a line of words they are the trailing tokens that
    look like numbers or blank marks, which is all a line without cell borders can say."""
    if line.grid:
        return _grid_row(index, line)
    cell = line.cells[0]
    tokens = cell.text.split()
    cut = len(tokens)
    while cut > 0 and value_like(tokens[cut - 1]):
        cut -= 1
    label = " ".join(tokens[:cut])
    labels = (Cell(label, cell.where),) if label else ()
    values = tuple(Cell(t, cell.where) for t in tokens[cut:])
    return Row(index, labels, values, False, cell.where)


def _grid_row(index: int, line: Line) -> Row:
    cells = line.cells
    first_number = next((k for k, c in enumerate(cells) if is_number(c.text)), len(cells))
    last_text = -1
    for k, c in enumerate(cells[:first_number]):
        if not value_like(c.text):
            last_text = k
    # a count printed wrongly in the first number column (约5, 5件, or 1 / 756 wrapped in a
    # narrow PDF column) is that column's cell, not part of the label: the grid places it, and
    # the cell gets its own finding
    while last_text > 0 and _misprinted_number(cells[last_text].text):
        last_text -= 1
    labels = tuple(c for c in cells[: last_text + 1] if c.text.strip())
    where = labels[0].where if labels else line.where
    return Row(index, labels, cells[last_text + 1 :], True, where)


_ROW_NUMBER = re.compile(r"\d+\s*[.、．]")  # 1.属于国家秘密: a label, numbered


def _misprinted_number(text: str) -> bool:
    t = unicodedata.normalize("NFKC", text).strip()
    return 0 < len(t) <= 8 and any(ch.isdigit() for ch in t) and not _ROW_NUMBER.match(t)


def place(where: Where) -> str:
    """How a message starts: 原文第12行, 原文第2个表格第5行第3列."""
    text = where.text()
    return text if text == "原文" else f"原文{text}"


def finding(
    code: str, source: Where | None, path: str, paths: list[str] | None = None, **args: Any
) -> Finding:
    """A catalogue finding that says where in the published report it is (`source`)."""
    found = fc.make(code, path, paths or (), **args)
    if source is not None:  # a new finding, ours alone: set in place (a record, not a dataclass)
        found.source = source.to_dict() or None
    return found
