"""What every extractor gives the recognisers: a published report as lines and table rows.

A web page, a Word file, a PDF and a text file differ in how they hold a table; the
recognisers should not care. Each extractor turns its file into one `Document`: the text in
reading order as `Line`s, a paragraph line holding one cell and a table row one cell per cell of
the source (blank cells kept where the source has them). Every cell knows where in the source
it is, so that an imported number can always be traced back to the page, line or table cell it
came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xxgk.check.findings import source_place

# Kinds of published report, as `summary.json` names them
TXT = "txt"
MD = "md"
HTML = "html"
DOCX = "docx"
PDF = "pdf"
KINDS = (TXT, MD, HTML, DOCX, PDF)


@dataclass(frozen=True)
class Where:
    """A place in the source: page and line (text, PDF) or table, row and column (1-based)."""

    page: int | None = None
    line: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None

    def to_dict(self) -> dict[str, int]:
        """The finding's `source` object: only the parts that are known."""
        keys = ("page", "line", "table", "row", "column")
        return {k: v for k in keys if (v := getattr(self, k)) is not None}

    def text(self) -> str:
        """How a message names the place: 第3页第12行, 第2个表格第5行第3列."""
        return source_place(self.to_dict())


@dataclass(frozen=True)
class Cell:
    text: str  # as the source has it: spaces, line breaks and full-width forms kept
    where: Where


@dataclass(frozen=True)
class Line:
    """One paragraph line (one cell) or one row of a table (one cell per source cell).

    `grid` is True when the cells come from a real table (HTML, Word, a ruled PDF table, or a
    text line that separates cells with `|` or tabs): then a cell's position in the row is
    certain, blanks included. A text line whose numbers are separated only by spaces is not a
    grid: a blank cell there leaves no trace, so the recognisers may not assume positions.
    """

    cells: tuple[Cell, ...]
    grid: bool = False

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.cells)

    @property
    def where(self) -> Where:
        return self.cells[0].where if self.cells else Where()


@dataclass
class Document:
    """A published report as read from one file, before anything is recognised in it."""

    kind: str  # one of KINDS
    lines: list[Line] = field(default_factory=list)
    # What the extractor noticed on the way (a legacy encoding, a page without text…): findings
    # in the catalogue's shape, made by the extractor with check.findings.make.
    findings: list[Any] = field(default_factory=list)


# How an extractor keeps what a cell's formatting says about its characters. A footnote mark
# set as a superscript (5 with a raised 1) must not become the number 51, nor a struck-out
# digit part of the number: the marks survive as characters that published.numbers refuses to
# read as digits, so the cell is reported as printed instead of guessed.
_RAISED = str.maketrans("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")
_LOWERED = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_STROKE = "\u0336"  # COMBINING LONG STROKE OVERLAY


def raised(text: str) -> str:
    """Superscript text as printed: digits as superscript digits."""
    return text.translate(_RAISED)


def lowered(text: str) -> str:
    return text.translate(_LOWERED)


def struck(text: str) -> str:
    """Struck-out text as printed: each character with a stroke over it."""
    return "".join(ch + _STROKE if not ch.isspace() else ch for ch in text)


class NotAReport(Exception):
    """The file cannot be read as a published report at all (a scanned PDF, an old .doc, a
    bomb…). The message is Chinese and says what to do instead; nothing is guessed."""
