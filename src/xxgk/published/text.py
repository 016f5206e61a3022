"""A published report saved as plain text (.txt) or Markdown (.md) → a `Document`.

Text from portals comes in three table shapes: cells separated by `|` (Markdown pipe tables,
copies from a web page), cells separated by tabs, and the copy-from-Word shape where every cell
of a row is on its own tab-indented line and a blank line ends the row. Each of them becomes one
grid row; every other line is a paragraph line of one cell.
"""

from __future__ import annotations

import html
import re

from xxgk.check import findings as fc
from xxgk.format.textbytes import UndecodableText, decode
from xxgk.published.document import MD, Cell, Document, Line, NotAReport, Where

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A pipe not escaped with a backslash (Markdown writes a literal | as \|)
_PIPE = re.compile(r"(?<!\\)\|")
_RULE_CELL = re.compile(r"\s*:?-+:?\s*")  # a Markdown alignment row's cell: ---, ---:, :-:
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: a backslash before punctuation
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_STRONG = re.compile(r"\*\*|__")
_MD_LINE_END = re.compile(r"\s{2,}$")  # a hard line break: two trailing spaces
_NOT_TEXT = "文件无法按文字读取：{why}。请用记事本打开后另存为 UTF-8 编码的文本文件，再导入。"


def text_document(raw: bytes, kind: str) -> Document:
    """The lines of a .txt/.md report; raises NotAReport when the bytes are not text."""
    text, legacy = _decode(raw)
    doc = Document(kind)
    if legacy:
        doc.findings.append(fc.make(fc.FILE_ENCODING, ""))
    rows = _LINE_BREAK.split(text)
    number = 0
    group: list[tuple[int, str]] = []  # the tab-indented lines of one copied-from-Word row
    for number, line in enumerate(rows, start=1):
        if kind == MD:
            line = _markdown_line(line)
        if line.startswith("\t") and not _cells_by_tab(line):
            group.append((number, line[1:]))
            continue
        _flush(doc, group)
        if line.strip():
            doc.lines.extend(_line(line, number, kind))
    _flush(doc, group)
    return doc


def _decode(raw: bytes) -> tuple[str, bool]:
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        # UTF-16 without a BOM: ASCII and CJK alike leave NUL bytes, mostly on one side
        head = raw[:4096]
        codec = "utf-16-le" if head[1::2].count(0) >= head[0::2].count(0) else "utf-16-be"
        try:
            return raw.decode(codec), False
        except UnicodeDecodeError:
            raise NotAReport(_NOT_TEXT.format(why="含有无法识别的字节")) from None
    try:
        decoded = decode(raw)
    except UndecodableText as exc:
        why = f"按文件开头标明的 {exc.label} 编码无法解读" if exc.label else "不是可识别的文字编码"
        raise NotAReport(_NOT_TEXT.format(why=why)) from None
    if "\x00" in decoded.text:
        raise NotAReport(_NOT_TEXT.format(why="含有二进制内容，不像文本文件"))
    return decoded.text, decoded.legacy


def _markdown_line(line: str) -> str:
    # Markup is no part of a label: a heading's #, bold, a hard break; escapes are undone after
    # the cells are split, so that \| stays inside its cell.
    line = _MD_HEADING.sub("", line)
    line = _MD_STRONG.sub("", line)
    return _MD_LINE_END.sub("", line)


def _cells_by_tab(line: str) -> list[str]:
    """The cells of a line that separates them with tabs (leading tabs are indentation)."""
    body = line.lstrip("\t").rstrip()
    return body.split("\t") if "\t" in body else []


def _flush(doc: Document, group: list[tuple[int, str]]) -> None:
    if group:
        cells = tuple(
            Cell(text, Where(line=n, column=k)) for k, (n, text) in enumerate(group, start=1)
        )
        doc.lines.append(Line(cells, grid=True))
        group.clear()


def _line(line: str, number: int, kind: str) -> list[Line]:
    if _PIPE.search(line):
        parts = _PIPE.split(line)
        stripped = line.strip()
        if stripped.startswith("|"):
            parts = parts[1:]
        if stripped.endswith("|") and not stripped.endswith("\\|"):
            parts = parts[:-1]
        if _alignment(parts):
            return []
        return [_grid(parts, number, kind)]
    tabbed = _cells_by_tab(line)
    if tabbed:
        return [_grid(tabbed, number, kind)]
    return [Line((Cell(_unescape(line, kind), Where(line=number)),))]


def _alignment(parts: list[str]) -> bool:
    """A Markdown alignment row; one of - | - | - is more likely a row of blank marks."""
    rule = bool(parts) and all(_RULE_CELL.fullmatch(p) for p in parts)
    return rule and any("--" in p or ":" in p for p in parts)


def _grid(parts: list[str], number: int, kind: str) -> Line:
    cells = tuple(
        Cell(_unescape(p.strip(), kind), Where(line=number, column=k))
        for k, p in enumerate(parts, start=1)
    )
    return Line(cells, grid=True)


def _unescape(text: str, kind: str) -> str:
    text = text.replace("\\|", "|")
    # the renderer writes & and < as entities so that no HTML comes through: undo both
    return html.unescape(_MD_ESCAPE.sub(r"\1", text)) if kind == MD else text
