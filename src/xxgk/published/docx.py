"""A Word file (.docx) as a Document: body paragraphs and tables in the order of the body.

The zip is checked by the workbook's guard (`workbook.package.check_zip`: member count, sizes
and ratios from the zip directory before anything is inflated, each member inflated in chunks
against its declared size, no DTD in any XML part) before python-docx opens it.

The reading rules:

- The body's children in order: a paragraph is one Line per line of it (a manual line break
  starts a new one) at Where(line=n), n counting these lines; content controls (`w:sdt`) are
  read through. Deleted text of tracked changes is left out, inserted text kept.
- A *data table* is a table none of whose cells holds a table, with at least two grid columns.
  Each `w:tr` is one grid Line at Where(table, row, column), column being the grid column where
  the cell starts: a horizontal merge (`gridSpan`) is one cell counted over its columns, and
  `gridBefore` moves the row's first cell right. A vertical merge (`vMerge`) is one cell, in
  its first row: the rows below have no cell at that column (like an HTML rowspan).
- A table holding a table only lays out the page: its cells' paragraphs and tables flow as if
  they stood in the body.
- Not read: text boxes and shapes (`w:txbxContent`; rare in a report, and their place in the
  reading order is unknown), headers and footers (page numbers), footnotes and comments.
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from xxgk.published.document import (
    DOCX,
    Cell,
    Document,
    Line,
    NotAReport,
    Where,
    lowered,
    raised,
    struck,
)
from xxgk.published.guard import MAX_DOCX_BYTES, SAVE_AS_DOCX, check_size
from xxgk.workbook.errors import SAVE_AS_XLSX
from xxgk.workbook.package import OLE_MAGIC, ZIP_MAGICS, WorkbookUnreadable, check_zip

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _TBL, _TR, _TC, _R = _W + "p", _W + "tbl", _W + "tr", _W + "tc", _W + "r"
_T, _TAB, _BR, _CR = _W + "t", _W + "tab", _W + "br", _W + "cr"
_WRAPPERS = frozenset({_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "smartTag"})
# inside a paragraph: what is not its text (deleted runs, text boxes, the fallback copy of
# drawing markup, ruby annotations)
_NOT_TEXT = frozenset(
    {_W + "del", _W + "moveFrom", _W + "txbxContent", _MC + "Fallback", _W + "rt", _W + "pPr",
     _W + "rPr", _W + "instrText", _W + "delText"}
)
_OFF = ("0", "false", "off")  # a toggle property switched off (w:val="0")
_SHIFTED = {"superscript": raised, "subscript": lowered}
_MAX_DEPTH = 240  # below lxml's own limit of 256 on XML nesting


def docx_document(raw: bytes) -> Document:
    check_size(raw, MAX_DOCX_BYTES, "Word 文档")
    _sniff(raw)
    try:
        check_zip(raw)
    except WorkbookUnreadable as exc:
        raise NotAReport(_as_word(str(exc))) from None
    try:
        body = docx.Document(BytesIO(raw)).element.body
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError):
        raise NotAReport(
            "不是 Word 文档（.docx），或文件已损坏，内容无法识别。" + SAVE_AS_DOCX
        ) from None
    reader = _Reader()
    reader.blocks(body, 0)
    if not reader.lines:
        raise NotAReport(
            "Word 文档中没有可读的文字（正文可能是图片或文本框）。"
            "请确认文档是年报原文；如是扫描图片，请先进行文字识别（OCR）。"
        )
    return Document(DOCX, reader.lines)


def _sniff(raw: bytes) -> None:
    if raw.startswith(ZIP_MAGICS):
        return
    if raw.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in raw:
            raise NotAReport(
                "Word 文档设置了打开密码（已加密），无法读取。请在 Word 或 WPS 中打开，"
                "清除密码后另存为 .docx，再导入。"
            )
        raise NotAReport(
            "这是旧版 Word（.doc）或 WPS 文字（.wps）文件，无法直接读取。" + SAVE_AS_DOCX
        )
    head = raw[:512].lstrip().lower()
    if head.startswith(b"{\\rtf"):
        raise NotAReport("这是 RTF 格式的文件，不是 .docx。" + SAVE_AS_DOCX)
    if head.startswith((b"<html", b"<!doctype", b"<?xml", b"mime-version")):
        raise NotAReport(
            "这是网页（HTML/MHT）格式的文件，只是扩展名为 Word。"
            "请改扩展名为 .html 后导入，或" + SAVE_AS_DOCX.removeprefix("请")
        )
    if raw.startswith(b"%PDF"):
        raise NotAReport("这是 PDF 文件，只是扩展名为 Word。请改扩展名为 .pdf 后再导入。")
    raise NotAReport("不是 Word 文档（.docx），内容无法识别。" + SAVE_AS_DOCX)


def _as_word(message: str) -> str:
    """The workbook guard's message, told of a Word file."""
    message = message.replace(SAVE_AS_XLSX, SAVE_AS_DOCX)
    for workbook, word in (("Excel 工作簿", "Word 文档"), ("工作簿", "文档"), ("Excel", "Word")):
        message = message.replace(workbook, word)
    return message


def _too_deep() -> NotAReport:
    return NotAReport(
        "Word 文档的结构嵌套过深，不像 Word 保存的文件（可能是恶意文件），已拒绝读取。"
    )


class _Reader:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self._paragraphs = 0
        self._tables = 0

    def blocks(self, parent: Any, depth: int) -> None:
        """Paragraphs and tables under the body, a content control or a layout cell."""
        if depth > _MAX_DEPTH:
            raise _too_deep()
        for child in parent:
            if child.tag == _P:
                for text in _text(child, depth).split("\n"):
                    self._paragraph(text)
            elif child.tag == _TBL:
                self._table(child, depth + 1)
            elif child.tag in _WRAPPERS:
                self.blocks(child, depth + 1)

    def _paragraph(self, text: str) -> None:
        text = text.strip(" \t")
        if text:
            self._paragraphs += 1
            self.lines.append(Line((Cell(text, Where(line=self._paragraphs)),)))

    def _table(self, tbl: Any, depth: int) -> None:
        rows = list(_children(tbl, _TR))
        if next(tbl.iterdescendants(_TBL), None) is not None or _width(rows) < 2:
            for tr in rows:
                for tc in _children(tr, _TC):
                    self.blocks(tc, depth + 2)
            return
        self._tables += 1
        for r, tr in enumerate(rows, start=1):
            column = 1 + _number(_props(tr, "trPr"), "gridBefore", 0)
            cells: list[Cell] = []
            for tc in _children(tr, _TC):
                props = _props(tc, "tcPr")
                span = max(_number(props, "gridSpan", 1), 1)
                if not _continues(props):
                    where = Where(table=self._tables, row=r, column=column)
                    cells.append(Cell(_cell_text(tc, depth), where))
                column += span
            if cells:
                self.lines.append(Line(tuple(cells), grid=True))


def _children(parent: Any, tag: str) -> Any:
    """The rows of a table or the cells of a row, through content controls around them."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _props(element: Any, group: str) -> dict[str, str | None]:
    """The properties of a row (trPr) or cell (tcPr): local name → w:val (None: no value).

    The properties come first in a row or cell; one pass over them, since every lookup through
    python-docx's element classes costs a proxy object."""
    for child in element:
        if child.tag == _W + group:
            return {
                str(prop.tag).rpartition("}")[2]: prop.get(_W + "val") for prop in child
            }
        if child.tag in (_TC, _P, _TBL):
            break
    return {}


def _number(props: dict[str, str | None], name: str, default: int) -> int:
    value = props.get(name)
    return int(value) if value is not None and value.isdigit() else default


def _continues(props: dict[str, str | None]) -> bool:
    """A cell continuing a merge: vertical (`vMerge` without "restart") or legacy horizontal."""
    return any(
        name in props and (props[name] or "continue") == "continue"
        for name in ("vMerge", "hMerge")
    )


def _width(rows: list[Any]) -> int:
    widest = 0
    for tr in rows:
        width = _number(_props(tr, "trPr"), "gridBefore", 0)
        for tc in _children(tr, _TC):
            width += max(_number(_props(tc, "tcPr"), "gridSpan", 1), 1)
        widest = max(widest, width)
    return widest


def _cell_text(tc: Any, depth: int) -> str:
    lines: list[str] = []
    for child in _paragraphs(tc, depth):
        lines.extend(piece.strip(" \t") for piece in _text(child, depth, cell=True).split("\n"))
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines).strip("\n")


def _paragraphs(parent: Any, depth: int) -> Any:
    if depth > _MAX_DEPTH:
        raise _too_deep()
    for child in parent:
        if child.tag == _P:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _paragraphs(child, depth + 1)


def _text(p: Any, depth: int, cell: bool = False) -> str:
    out: list[str] = []
    _collect(p, out, depth, cell)
    return "".join(out)


def _collect(element: Any, out: list[str], depth: int, cell: bool) -> None:
    if depth > _MAX_DEPTH:
        raise _too_deep()
    for child in element:
        tag = child.tag
        if tag == _R:
            _run(child, out, depth, cell)
        elif tag == _T:
            out.append(child.text or "")
        elif tag == _TAB:
            out.append("\t")
        elif tag in (_BR, _CR):
            out.append("\n")
        elif tag == _W + "noBreakHyphen":
            out.append("-")
        elif tag not in _NOT_TEXT and isinstance(tag, str):
            _collect(child, out, depth + 1, cell)


def _run(run: Any, out: list[str], depth: int, cell: bool) -> None:
    """A run's text as Word shows it: hidden text (`w:vanish`) is not shown; a raised or
    struck-out character in a table cell is no digit of the number beside it."""
    props = _props(run, "rPr")
    if _on(props, "vanish"):
        return
    mine: list[str] = []
    _collect(run, mine, depth + 1, cell)
    text = "".join(mine)
    shift = _SHIFTED.get(props.get("vertAlign") or "")
    if shift is not None:
        text = shift(text)
    if cell and (_on(props, "strike") or _on(props, "dstrike")):
        text = struck(text)
    out.append(text)


def _on(props: dict[str, str | None], name: str) -> bool:
    return name in props and (props[name] or "true").lower() not in _OFF
