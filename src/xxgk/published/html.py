"""A saved portal page (.html/.htm) as a Document: paragraphs as lines, data tables as rows.

What a government portal's CMS writes: the whole page wrapped in layout tables, the report's own
tables with `rowspan`/`colspan`, `<br>` inside cells, `&nbsp;` for indentation, and often GBK
bytes declared by `<meta charset=gbk>`. The reading rules:

- Charset: a byte order mark, else the `<meta>` declaration in the first 4 KB, else UTF-8, and
  GB18030 (with the FILE_ENCODING warning) when the bytes are not UTF-8.
- Noise (`script`, `style`, `nav`, forms, hidden elements, the `<head>`) is skipped.
- A *data table* is a table none of whose cells holds a table, with at least two columns. Each
  of its `tr` is one grid Line, one Cell per `td`/`th`, at Where(table, row, column): row is the
  `tr`'s number in the table, column the grid column where the cell starts (colspans counted).
  A cell spanning rows appears once, in its first row: the rows below have no cell at that
  column (nothing is repeated, so nothing can be counted twice). Text in a cell keeps `<br>` and
  paragraph breaks as "\\n"; `&nbsp;` becomes a space.
- Everything else — layout tables included — flows as paragraphs: one one-cell Line per block
  (`p`, `div`, `li`, a layout cell…) or `<br>`-separated piece, at Where(line=n), n counting
  paragraph lines only.
- Bombs: the parser keeps lxml's limits (huge_tree off) and loads no DTD, entity or network
  resource; nesting deeper than MAX_DEPTH (or deep enough for libxml2 to stop) is refused,
  since libxml2 would otherwise drop the rest of the page without a word.
"""

from __future__ import annotations

import bisect
import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from xxgk.check import findings as fc
from xxgk.published.document import (
    HTML,
    Cell,
    Document,
    Line,
    NotAReport,
    Where,
    lowered,
    raised,
    struck,
)
from xxgk.published.guard import MAX_HTML_BYTES, check_size

MAX_DEPTH = 200  # a CMS page nests 20-60 deep; libxml2 itself stops at 256
# rowspans open at once: a report's table has a handful; thousands make the grid quadratic
MAX_SPANS = 1000
_MAX_COLSPAN = 1000  # the HTML standard's own caps
_MAX_ROWSPAN = 65534

_SKIP = frozenset(
    (
        "head", "script", "style", "noscript", "template", "nav", "iframe", "frame", "frameset",
        "object", "embed", "svg", "math", "canvas", "audio", "video", "map", "select", "option",
        "button", "textarea", "input", "datalist",
    )
)
_BLOCK = frozenset(
    (
        "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog",
        "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
        "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "menu", "ol", "p",
        "pre", "section", "summary", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "ul",
        "caption", "legend",
    )
)
# Inline markup that changes what a character is: a raised footnote mark, a struck-out digit
# (in a table cell, where a correction printed over a number must not join it)
_RAISE = {"sup": raised, "sub": lowered}
_STRIKE = frozenset({"del", "s", "strike"})
_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's collapsible white space (not NBSP, not U+3000)
_META = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_DIGITS = re.compile(r"\d+")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# what the WHATWG encoding standard decodes these labels as: GB18030 is GBK's superset, and a
# page labelled GB2312 nearly always holds GBK characters too
_GB = frozenset({"gb2312", "gbk", "gb18030", "gb_2312-80", "x-gbk", "chinese", "csgb2312"})
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))


def html_document(raw: bytes) -> Document:
    check_size(raw, MAX_HTML_BYTES, "网页")
    text, legacy = _decode(raw)
    # lxml.html's parser without its element classes (nothing here needs them, and looking
    # them up costs a third of the walk); a new one per page, since its error log is read below
    parser = etree.HTMLParser(
        remove_comments=True, remove_pis=True, huge_tree=False, no_network=True
    )
    try:
        root = etree.fromstring(text, parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        raise NotAReport(
            "网页内容为空或无法解析。请重新保存该网页（「网页，仅 HTML」）后再导入。"
        )
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        raise _too_deep()
    flow = _Flow()
    flow.walk(root, 0)
    flow.close()
    if not flow.lines:
        raise NotAReport("网页中没有可读的文字。请确认保存的是年报正文页面，而不是空白页或图片。")
    found = [fc.make(fc.FILE_ENCODING, "")] if legacy else []
    return Document(HTML, flow.lines, found)


def _too_deep() -> NotAReport:
    return NotAReport(
        f"网页的标签嵌套超过 {MAX_DEPTH} 层，不像正常的网页（可能是恶意文件），已拒绝读取。"
        "请从政府网站重新保存该年报页面后再导入。"
    )


def _odd_table(number: int) -> str:
    return (
        f"网页的第{number}个表格有上千个跨行的单元格，不像年度报告的表格（可能是恶意文件），"
        "已拒绝读取。请从政府网站重新保存该年报页面后再导入。"
    )


def _decode(raw: bytes) -> tuple[str, bool]:
    """The page's text and whether it was read as GB18030 without saying so."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(name, errors="replace"), False
    declared = _META.search(raw[:4096])
    if declared:
        label = declared.group(1).decode("ascii").lower()
        if label in _GB:
            return raw.decode("gb18030", errors="replace"), False
        try:
            codec = codecs.lookup(label).name
        except LookupError:
            codec = ""
        # a page cannot really be UTF-16 when its <meta> is readable as ASCII (WHATWG: UTF-8)
        if codec and not codec.startswith("utf-16") and codec != "utf-8":
            return raw.decode(codec, errors="replace"), False
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), True
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace"), False


def _tag(element: etree._Element) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def _hidden(element: etree._Element) -> bool:
    return element.get("hidden") is not None or bool(_HIDDEN.search(element.get("style") or ""))


def _span(element: etree._Element, name: str, cap: int) -> int:
    value = element.get(name)
    if value is None:
        return 1
    digits = _DIGITS.match(value.strip())
    number = int(digits.group()) if digits else 1
    return min(max(number, 0), cap)


@dataclass
class _Flow:
    """Text in reading order: inline text gathers into the current line until a break."""

    lines: list[Line] = field(default_factory=list)
    in_cell: bool = False  # inside a data table's cell: lines become the cell's "\n"-joined text
    _buffer: list[str] = field(default_factory=list)
    _pre: int = 0
    _marks: list[Callable[[str], str]] = field(default_factory=list)
    _paragraphs: int = 0
    _tables: int = 0

    def add(self, text: str | None) -> None:
        if not text:
            return
        for mark in self._marks:
            text = mark(text)
        if self._pre:
            first, *rest = text.split("\n")
            self._buffer.append(first)
            for piece in rest:
                self.brk()
                self._buffer.append(piece)
        else:
            self._buffer.append(_SPACE.sub(" ", text))

    def brk(self) -> None:
        text = "".join(self._buffer).replace("\xa0", " ").strip(" ")
        self._buffer.clear()
        if text:
            self._paragraphs += 1
            self.lines.append(Line((Cell(text, Where(line=self._paragraphs)),)))

    def close(self) -> None:
        self.brk()

    def walk(self, element: etree._Element, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise _too_deep()
        tag = _tag(element)
        if not tag or tag in _SKIP or _hidden(element):
            return  # a comment or processing instruction, noise, or hidden
        if tag == "br":
            self.brk()
            return
        if tag == "table" and not self.in_cell and _is_data_table(element):
            self.brk()
            self._table(element, depth)
            return
        block = tag in _BLOCK
        if block:
            self.brk()
        if tag == "pre":
            self._pre += 1
        mark = _RAISE.get(tag) or (struck if self.in_cell and tag in _STRIKE else None)
        if mark is not None:
            self._marks.append(mark)
        self.add(element.text)
        for child in element:
            self.walk(child, depth + 1)
            self.add(child.tail)
        if mark is not None:
            self._marks.pop()
        if tag == "pre":
            self._pre -= 1
        if block:
            self.brk()

    def _table(self, table: etree._Element, depth: int) -> None:
        for caption in table.iterchildren("caption"):
            self.walk(caption, depth + 1)
        self._tables += 1
        number = self._tables
        rows = _rows(table)
        spans: list[tuple[int, int, int]] = []  # (first column, last column, last row)
        for r, tr in enumerate(rows, start=1):
            spans = [s for s in spans if s[2] >= r]
            cells: list[Cell] = []
            column = 1
            for td in tr:
                if _tag(td) not in ("td", "th") or _hidden(td):
                    continue  # a hidden cell takes no place in the grid the page shows
                column = _free(column, spans)
                width = max(_span(td, "colspan", _MAX_COLSPAN), 1)
                height = _span(td, "rowspan", _MAX_ROWSPAN) or len(rows) - r + 1
                cells.append(Cell(_cell_text(td, depth), Where(table=number, row=r, column=column)))
                if height > 1:
                    bisect.insort(spans, (column, column + width - 1, r + height - 1))
                    if len(spans) > MAX_SPANS:
                        raise NotAReport(_odd_table(number))
                column += width
            if cells:
                self.lines.append(Line(tuple(cells), grid=True))


def _free(column: int, spans: list[tuple[int, int, int]]) -> int:
    """The first grid column from `column` on that no cell from a row above still covers.

    One pass suffices because `spans` is sorted by first column: a span passed over starts at
    or before the current column and so ends before it, or it would have moved it."""
    for first, last, _ in spans:
        if first <= column <= last:
            column = last + 1
    return column


def _rows(table: etree._Element) -> list[etree._Element]:
    rows = []
    for child in table:
        tag = _tag(child)
        if _hidden(child):
            continue  # a row the page does not show (a CMS's old copy of it) is no row
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(tr for tr in child if _tag(tr) == "tr" and not _hidden(tr))
    return rows


def _is_data_table(table: etree._Element) -> bool:
    """No table inside, and two columns at least: a one-column table only frames the page."""
    if next(table.iterdescendants("table"), None) is not None:
        return False
    return any(
        sum(1 for td in tr if _tag(td) in ("td", "th")) >= 2
        or any(_span(td, "colspan", _MAX_COLSPAN) >= 2 for td in tr if _tag(td) in ("td", "th"))
        for tr in _rows(table)
    )


def _cell_text(td: etree._Element, depth: int) -> str:
    if len(td) == 0:  # most cells: a number or a label, no markup inside
        return _SPACE.sub(" ", td.text or "").replace("\xa0", " ").strip(" ")
    flow = _Flow(in_cell=True)
    flow.add(td.text)
    for child in td:
        flow.walk(child, depth + 2)
        flow.add(child.tail)
    flow.close()
    return "\n".join(line.cells[0].text for line in flow.lines)
