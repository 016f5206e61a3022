"""The report as Markdown, for pasting into a portal's content system.

Tables are GitHub pipe tables. Pipe tables have no merged cells, so the official layout is
simplified, with every number kept: table 二 becomes one small table per 第二十条 item;
table 三 has one header row whose labels join the merged headers with "·"
(法人或其他组织·商业企业) and row labels that join the row-span groups
(三、本年度办理结果·（三）不予公开·1.属于国家秘密), with the 勾稽关系 note under it; table 四 is
turned into three rows (行政复议 and the two 行政诉讼 groups) by five columns.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from xxgk.report import content as rc
from xxgk.report import document as rm

# Characters that would start Markdown syntax inside Chinese prose; escaped with a backslash.
_INLINE = re.compile(r"([\\`*_\[\]|~])")
_HTML_START = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(?:(#|>|[-+=])|(\d+)([.)]) )")


def _line_start(m: re.Match[str]) -> str:
    # "2. text" would become a list item: escape its dot (a backslash before a digit would be
    # printed, CommonMark only escapes punctuation).
    return "\\" + m[1] if m[1] else f"{m[2]}\\{m[3]} "


# What any of the patterns above needs in a text (but _LINE_START's start, matched itself):
# without them (most texts), `_escape` changes nothing. `in` finds a character by memchr.
_SPECIAL = ("\\", "`", "*", "_", "[", "]", "|", "~", "&", "<")


def _escape(text: str) -> str:
    if not any(map(text.__contains__, _SPECIAL)) and not _LINE_START.match(text):
        return text
    text = _INLINE.sub(r"\\\1", text)
    text = _ENTITY.sub("&amp;", text)  # "&lt;" typed by staff stays literal
    text = _HTML_START.sub("&lt;", text)  # no raw HTML tag can come through
    return _LINE_START.sub(_line_start, text)


def _para(p: rc.Para) -> str:
    if p.kind == rc.H2:
        return f"### {_escape(p.text)}"
    if p.lead:
        # CommonMark does not close ** right after CJK punctuation followed by a letter, so the
        # lead's final 。/： stays outside the emphasis.
        lead = p.lead.rstrip("。：:")
        return f"**{_escape(lead)}**{_escape(p.lead[len(lead) :] + p.text)}"
    return _escape(p.text)


# a table's labels and counts: the same few hundred in every report
_cell = lru_cache(maxsize=8192)(_escape)


def _pipe(header: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> str:
    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(map(_cell, cells)) + " |"

    rule = "| " + " | ".join(["---"] + ["---:"] * (len(header) - 1)) + " |"
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def _table(table: rc.Table) -> list[str]:
    out = []
    for flat in table.flat:
        if flat.title:
            out.append(f"**{_escape(flat.title)}**")
        out.append(_pipe(flat.header, flat.rows))
        if flat.note:
            out.append(f"注：{_escape(flat.note)}")
    return out


def render_document(doc: rc.Document) -> bytes:
    out = [f"# {_escape(doc.title)}", _escape(doc.preamble)]
    for section in doc.sections:
        out.append(f"## {_escape(section.heading)}")
        for block in section.blocks:
            if isinstance(block, rc.Table):
                out.extend(_table(block))
            else:
                out.append(_para(block))
    out.append(f"{_escape(doc.agency)}  \n{_escape(doc.date)}")
    return ("\n\n".join(out) + "\n").encode("utf-8")


def render(data: dict[str, Any]) -> bytes:
    """Report data (valid against the schema) → Markdown bytes (UTF-8)."""
    return render_document(rm.build(data))
