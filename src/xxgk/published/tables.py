"""The table recogniser of `xxgk import`: 表二, 表三 and 表四 out of a published report.

The document is cut into each table's part first — from the table's section heading (or its
first header: a 第二十条 title, the 勾稽关系 corner, 行政复议/行政诉讼) to the next one — so that
numbers in the narrative are never taken for a table's. Each part is then read row by row
(table2/3/4.py on scan.py). Every value comes with where it was printed; every value that is
not there has a finding that names it.
"""

from __future__ import annotations

import re
import unicodedata

from xxgk.format import model as m
from xxgk.published.document import Document, Line
from xxgk.published.labels import FUZZY_MIN, normalise, similarity
from xxgk.published.recognised import Recognised
from xxgk.published.scan import TableScan
from xxgk.published.table2 import Table2
from xxgk.published.table3 import Table3
from xxgk.published.table4 import Table4

T2, T3, T4 = m.TABLE2_NAME, m.TABLE3_NAME, m.TABLE4_NAME
_SECTION_TABLE = {"二": T2, "三": T3, "四": T4}
# a section heading's own numeral (一、 or 一. ); （一） is a part inside a section
_NUMBERED = re.compile(r"\s*([一二三四五六七八九十]+)\s*[、.．，,]")
_MAX_EXTRA = 8  # a heading line is the heading and little more


def read_tables(doc: Document) -> Recognised:
    """Tables 二, 三 and 四 of a published report: their values by JSON Pointer, where each was
    printed, findings for what could not be read with certainty, and the lines they used."""
    regions = _regions(doc)
    out = Recognised()
    scans: tuple[tuple[str, type[TableScan]], ...] = ((T2, Table2), (T3, Table3), (T4, Table4))
    for name, scan in scans:
        out = out.merge(scan(doc).run(regions[name]))
    return out


def _regions(doc: Document) -> dict[str, list[int]]:
    regions: dict[str, list[int]] = {T2: [], T3: [], T4: []}
    current: str | None = None
    for idx, line in enumerate(doc.lines):
        section = _section(line)
        if section is not None:
            current = _SECTION_TABLE.get(section)
            continue
        anchor = _anchor(line)
        if anchor is not None:
            current = anchor
        if current is not None:
            regions[current].append(idx)
    return regions


def _section(line: Line) -> str | None:
    """The number of the section whose heading the line is (二 for 二、主动公开政府信息情况)."""
    if len(line.cells) != 1 and not (
        line.grid and len([c for c in line.cells if c.text.strip()]) == 1
    ):
        return None
    text = unicodedata.normalize("NFKC", line.text).strip()
    if text.startswith("("):
        return None  # （一）主动公开情况 is a part of section 一, not a section
    numbered = _NUMBERED.match(text)
    numeral = numbered[1] if numbered else None
    body = normalise(text[numbered.end() :] if numbered else text)
    for s in m.SECTIONS:
        if numeral is not None and numeral != s.number:
            continue
        official = normalise(s.heading[len(s.number) + 1 :])
        if len(body) > len(official) + _MAX_EXTRA:
            continue
        if body == official or similarity(body, official, FUZZY_MIN) >= FUZZY_MIN:
            return s.number
    return None


_TITLES = {normalise(b.title) for b in m.TABLE2_BLOCKS}
_CORNER = normalise(m.TABLE3_CORNER)
_T4_HEAD = normalise(m.TABLE4_REVIEW_HEADER + m.TABLE4_LITIGATION_HEADER)


def _anchor(line: Line) -> str | None:
    """The table whose first header the line is, when its section heading is missing."""
    first = next((c.text for c in line.cells if c.text.strip()), "")
    head = normalise(first)
    if head in _TITLES:
        return T2
    if head == _CORNER or (len(head) > 10 and similarity(head, _CORNER, FUZZY_MIN) >= FUZZY_MIN):
        return T3
    if normalise(line.text) == _T4_HEAD:
        return T4
    return None
