"""What a narrative report is made of: paragraphs with their role, and tables whose cells carry
their row and column spans in the official layout. Every renderer draws these; nothing here
knows about DOCX, HTML or Markdown."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

# Paragraph kinds
TITLE = "title"
PREAMBLE = "preamble"
H1 = "h1"
H2 = "h2"
BODY = "body"
SIGNATURE = "signature"
DATE = "date"


@dataclass(frozen=True)
class Para:
    kind: str
    text: str
    lead: str = ""  # a run-in lead typed by staff, e.g. "（一）主动公开。", shown like a heading


def para(kind: str, text: str, lead: str = "") -> Para:
    """`Para(kind, text, lead)` at under half the cost, for the ~45 paragraphs of every report:
    a frozen dataclass's __init__ sets each field through object.__setattr__; this fills the
    new instance's dict with the same fields in the same order (Para has no __post_init__)."""
    p = object.__new__(Para)
    p.__dict__.update(kind=kind, text=text, lead=lead)
    return p


@dataclass(frozen=True)
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    header: bool = False
    scope: str = ""  # HTML th scope: col, row, rowgroup
    left: bool = False  # left-aligned (long row labels); centred otherwise


@dataclass(frozen=True)
class FlatTable:
    """A simplified rectangular version for plain text: one header row, no spans."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class Table:
    id: str
    caption: str
    widths: tuple[int, ...]  # relative column widths (tenths of a millimetre on A4)
    head: tuple[tuple[Cell, ...], ...]  # header rows, repeated on each page
    bodies: tuple[tuple[tuple[Cell, ...], ...], ...]  # row groups
    flat: tuple[FlatTable, ...] = ()
    wide: bool = False  # needs horizontal scrolling on a phone
    # The fixed layout this table was filled from, and its numbers as printed, in slot order:
    # lets renderers reuse fragments rendered once per process instead of walking every cell.
    # Set only by `TableLayout` (not init fields: `dataclasses.replace` of a table drops them, so
    # a changed copy is drawn cell by cell rather than from stale numbers).
    # (a `tables.TableLayout`, which builds on this module: typed loosely to keep it one-way)
    layout: Hashable | None = field(default=None, init=False, compare=False, repr=False)
    numbers: tuple[str, ...] = field(default=(), init=False, compare=False, repr=False)

    @property
    def columns(self) -> int:
        return len(self.widths)


@dataclass(frozen=True)
class Section:
    number: str
    heading: str
    blocks: tuple[Para | Table, ...]


@dataclass(frozen=True)
class Document:
    title: str
    preamble: str
    sections: tuple[Section, ...]
    agency: str
    date: str  # 2025年2月13日
    date_iso: str
    blocks: tuple[Para | Table, ...] = field(default=())  # everything, in reading order
    # the (cleaned) report data it was built from: the web page's 图解 section works its key
    # figures out from it, only when a web page is drawn
    data: Any = field(default=None, compare=False, repr=False)


def section(number: str, heading: str, blocks: tuple[Para | Table, ...]) -> Section:
    """`Section(number, heading, blocks)`, made as `para` makes a paragraph."""
    s = object.__new__(Section)
    s.__dict__.update(number=number, heading=heading, blocks=blocks)
    return s


def document(
    title: str,
    preamble: str,
    sections: tuple[Section, ...],
    agency: str,
    date: str,
    date_iso: str,
    blocks: tuple[Para | Table, ...],
    data: Any,
) -> Document:
    """`Document(…)` with every field given, made as `para` makes a paragraph."""
    d = object.__new__(Document)
    d.__dict__.update(
        title=title, preamble=preamble, sections=sections, agency=agency, date=date,
        date_iso=date_iso, blocks=blocks, data=data,
    )  # fmt: skip
    return d
