"""A published report, read: its bytes and kind in, a contract report and findings out.

The one entry point of this package (files/ calls it). Each kind's extractor is imported only
when a file of that kind is read: PDF and Word readers are heavy, and a command that reads
workbooks should not pay for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from xxgk.check.findings import Finding
from xxgk.format import model as m
from xxgk.published.assemble import assemble, unaccounted
from xxgk.published.document import DOCX, HTML, MD, PDF, TXT, Document, NotAReport, Where

NARRATIVE = frozenset(
    m.pointer(f.path) for f in (*m.OVERVIEW_PARTS, m.PROBLEMS, m.IMPROVEMENTS, m.OTHER_TEXT)
)
NOT_A_REPORT = (
    "文件中既没有找到年度报告的表格，也没有找到它的正文（一、总体情况……），"
    "不像是政府信息公开工作年度报告。请确认选的是年度报告文件。"
)


@dataclass
class Imported:
    data: dict[str, Any]
    findings: list[Finding] = field(default_factory=list)
    origins: dict[str, Where] = field(default_factory=dict)
    kind: str = TXT
    layout: str = "2021"


def _extractor(kind: str) -> Callable[[bytes], Document]:
    if kind in (TXT, MD):
        from xxgk.published.text import text_document

        return lambda raw: text_document(raw, kind)
    if kind == HTML:
        from xxgk.published.html import html_document

        return html_document
    if kind == DOCX:
        from xxgk.published.docx import docx_document

        return docx_document
    if kind == PDF:
        from xxgk.published.pdftext import pdf_document

        return pdf_document
    raise ValueError(kind)


def import_report(raw: bytes, kind: str) -> Imported:
    """Read one published report of `kind` (published.document.KINDS). Raises NotAReport when
    the file cannot be read as a report at all (the message says what to do)."""
    from xxgk.published.narrative import read_text
    from xxgk.published.tables import read_tables

    doc = _extractor(kind)(raw)
    tables = read_tables(doc)
    text = read_text(doc, tables.used)
    if not tables.values and not NARRATIVE.intersection(text.values):
        raise NotAReport(NOT_A_REPORT)  # a web page, a letter: nothing of a report to import
    found = tables.merge(text)
    findings = doc.findings + found.findings
    findings += unaccounted(found.values, findings)
    return Imported(assemble(found.values), findings, found.origins, kind, found.layout)
