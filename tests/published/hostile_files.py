"""Hostile published files as an agency's portal, office or scanner makes them, for the tests of
the real `xxgk import`, `xxgk validate` and `xxgk serve` (the extractor-level tests build most
of these: they are reused here). Each returns bytes; the expectations are in the tests."""

from __future__ import annotations

import io
import re
from typing import Any

import docx

from xxgk.report.registry import RENDERERS

from ..wb_helpers import zip_of
from .test_extract_docx import _merged_document
from .test_extract_html import _cms_page
from .test_extract_pdf import _scan

OCR = "请先进行文字识别（OCR）"


def cms_page() -> bytes:
    """The hand-typed portal page of test_extract_html (only table 三, GBK, nested layout)."""
    return _cms_page().encode("gbk")


def cms_full_page(data: dict[str, Any]) -> bytes:
    """Our web page's body inside a CMS's nested layout tables, with its navigation and a
    `<meta charset=gbk>`, saved as GBK: every table of the report nested two tables deep."""
    page = RENDERERS["html"].render(data).decode("utf-8")
    body = re.search(r"<body[^>]*>(.*)</body>", page, re.S)
    assert body is not None
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>某某县政府门户网站</title><script>var 统计 = "不应读出";</script></head><body>
<table width="1000" align="center"><tr><td colspan="2"><div class="nav"><a href="/">首页</a>
 &gt; <a href="/xxgk">政府信息公开</a> &gt; 年度报告</div></td></tr>
<tr><td class="left" width="200"><ul><li><a href="#">政府信息公开指南</a></li></ul></td>
<td class="content"><table width="100%"><tr><td>{body[1]}</td></tr></table></td></tr>
</table></body></html>""".encode("gbk")


def merged_docx(data: dict[str, Any]) -> bytes:
    """Our Word file of `data` with merges where no template puts them (as staff do by hand):
    - 表三, 自然人 of （三）2. and 3. merged into one cell typed 9 (rows 9–10 of the table);
    - 表四, 行政复议 结果维持 and 结果纠正 merged into one cell typed 77 (its row 4);
    - 表三's header: 商业企业 and 科研机构 merged into one heading (row 3), numbers unmoved."""
    document = docx.Document(io.BytesIO(RENDERERS["docx"].render(data)))
    table3, table4 = document.tables[1], document.tables[2]
    _merge(table3.cell(8, 3), table3.cell(9, 3), "9")
    _merge(table4.cell(3, 0), table4.cell(3, 1), "77")
    _merge(table3.cell(2, 4), table3.cell(2, 5), "商业企业、科研机构")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _merge(a: Any, b: Any, text: str) -> None:
    merged = a.merge(b)
    keep = merged.paragraphs[0]
    for extra in merged.paragraphs[1:]:  # merge() appends the other cell's paragraphs
        extra._element.getparent().remove(extra._element)
    set_text(keep, text)


def set_text(paragraph: Any, text: str) -> None:
    """A paragraph's text replaced in its first run, so that its font and size stay."""
    runs = paragraph.runs
    runs[0].text = text
    for run in runs[1:]:
        run.text = ""


def scan_pdf() -> bytes:
    return _scan()


def zip_bomb() -> bytes:
    """Under 100 KB on disk, 33 MB of document.xml inflated."""
    return zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (33 * 2**20)})


def html_bomb(depth: int = 100_000) -> bytes:
    return (
        "<html><body>" + "<div>" * depth + "年报" + "</div>" * depth + "</body></html>"
    ).encode()


def huge_docx() -> bytes:
    """A Word file padded past 50 MB (a scan embedded, a file glued to another)."""
    return _merged_document() + b"\0" * (50 * 2**20)
