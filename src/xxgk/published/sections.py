"""The six section headings of a published report and the lines between them.

A heading is a whole line: an optional numeral (`一、`, `一.`, `第一部分`), then one of the
wordings agencies print for that section — the 2021 one, the older 2019 ones
(`行政机关主动公开政府信息情况`, `因政府信息公开工作被申请行政复议和提起行政诉讼情况`), the seed's
un-numbered `总体情况` — matched on the folded line (fold.py: spaces inside the heading and
traditional characters do not matter). Headings are taken in order only, so a table row such
as `三、本年度办理结果` or a sub-part `（四）因政府信息公开申请的行政复议、行政诉讼情况` is never
a section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xxgk.format import model as m
from xxgk.published.document import Document
from xxgk.published.fold import fold

_NUMERAL = r"(?:(?P<n>[一二三四五六七八九十]+)[、.,]|第(?P<p>[一二三四五六七八九十]+)部分[、:]?)?"
_END = r"[。:.]?"

# folded wordings of each section's title, in the order of m.SECTIONS
_TITLES: tuple[str, ...] = (
    r"(?:政府信息公开(?:工作)?)?(?:总体情况|总体概况|工作概况|概述)",
    r"(?:行政机关)?主动公开政府信息(?:的)?情况",
    r"(?:行政机关)?收到和处理政府信息公开申请(?:的)?情况",
    r"(?:因)?政府信息公开(?:工作)?(?:被申请)?行政复议(?:、|和|及|与)?(?:提起)?行政诉讼(?:的)?情况",
    r"(?:政府信息公开(?:工作)?)?存在的?主要问题(?:及|和|与)?改进(?:情况|措施)",
    r"其他需要报告的事项|其他报告的事项|其他需要报告事项",
)
_PATTERNS = tuple(re.compile(f"^{_NUMERAL}(?:{t}){_END}$") for t in _TITLES)
KEYS = tuple(s.number for s in m.SECTIONS)


def section_of(text: str) -> int | None:
    """The index (0–5) of the section whose heading this line is, if it is one."""
    if len(text) > 120:  # a heading is short, even with spaces between its characters
        return None
    flat = fold(text).text
    if len(flat) > 48:
        return None
    for i, pattern in enumerate(_PATTERNS):
        # A numeral that contradicts the wording (`五、其他需要报告的事项`) still names the
        # section by its words: only the wording is certain.
        if pattern.match(flat):
            return i
    return None


@dataclass
class Sections:
    """Where each section's heading is (line index) and the narrative lines in between."""

    heading: dict[int, int]  # section index → line index of its heading
    before: list[int]  # lines before the first heading (title, preamble)
    body: dict[int, list[int]]  # section index → its lines (heading excluded)


# A page number a PDF or a printed page puts between lines: -3-, — 3 —, 第3页 共10页, 3/10
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–~]*\d{1,4}[-—–~]*|第\d{1,4}页(?:共\d{1,4}页)?|\d{1,4}/\d{1,4})$"
)


def narrative_lines(doc: Document, skip: set[int]) -> list[int]:
    """The lines a narrative recogniser may read: not a table's, not a grid row of several
    cells, not a page number, not empty."""
    out = []
    for i, line in enumerate(doc.lines):
        text = line.text.strip()
        if i in skip or not text or len(text) <= 24 and _PAGE_NUMBER.match(fold(text).text):
            continue
        if line.grid and sum(1 for c in line.cells if c.text.strip()) > 1:
            continue
        out.append(i)
    return out


def split(doc: Document, lines: list[int]) -> Sections:
    heading: dict[int, int] = {}
    before: list[int] = []
    body: dict[int, list[int]] = {}
    current = -1
    for i in lines:
        found = section_of(doc.lines[i].text)
        if found is not None and found > current:
            heading[found] = i
            body[found] = []
            current = found
        elif current < 0:
            before.append(i)
        else:
            body[current].append(i)
    return Sections(heading, before, body)
