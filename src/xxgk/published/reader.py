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
from xxgk.published.assemble import assemble, unaccounted
from xxgk.published.document import DOCX, HTML, MD, PDF, TXT, Document, Where


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
    found = tables.merge(read_text(doc, tables.used))
    findings = doc.findings + found.findings
    findings += unaccounted(found.values, findings)
    return Imported(assemble(found.values), findings, found.origins, kind, found.layout)
