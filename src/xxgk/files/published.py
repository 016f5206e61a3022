"""Reading a published report from disk (xxgk import, and every command that takes one).

The file's suffix names its kind (a saved portal page is often `.shtml`); the bytes go to the
published reader, whose findings already say where in the source each problem is.
"""

from __future__ import annotations

from pathlib import Path

from xxgk.check import findings as fc
from xxgk.check.source import Source

# The kinds as `xxgk.published.document` names them (tests/test_startup.py holds them equal):
# written out here so that reading a workbook or JSON does not load the published reader.
TXT, MD, HTML, DOCX, PDF = "txt", "md", "html", "docx", "pdf"
KIND_BY_SUFFIX = {
    ".txt": TXT,
    ".text": TXT,
    ".md": MD,
    ".markdown": MD,
    ".html": HTML,
    ".htm": HTML,
    ".shtml": HTML,
    ".xhtml": HTML,
    ".docx": DOCX,
    ".pdf": PDF,
}
# Word's and WPS's old binary formats: said plainly instead of guessed at
OLD_DOCUMENT_SUFFIXES = frozenset({".doc", ".wps", ".wpt", ".dot", ".rtf"})
PUBLISHED_SUFFIXES = frozenset(KIND_BY_SUFFIX) | OLD_DOCUMENT_SUFFIXES
# A report with its seal scanned in may run to a few megabytes; anything this large is not one.
MAX_PUBLISHED_BYTES = 40 * 1024 * 1024

OLD_DOCUMENT = (
    "这是旧版 Word/WPS 文档（{suffix}），无法直接读取。"
    "请在 Word 或 WPS 中打开，另存为 .docx（或 PDF）后再导入。"
)


def too_large_published() -> str:
    return (
        f"文件超过 {MAX_PUBLISHED_BYTES // (1024 * 1024)} MB，不像是一份年度报告。"
        "请确认文件是否选对；如是扫描件，请先压缩或另存为文字版 PDF。"
    )


def published_kind(path: Path) -> str | None:
    """txt, md, html, docx or pdf when the name says the file is a published report."""
    return KIND_BY_SUFFIX.get(path.suffix.lower())


def sniff_published(head: bytes) -> str | None:
    """PDF or HTML by the first bytes, for a file whose name says nothing (`报告`, `x.bak`)."""
    if head.startswith(b"%PDF-"):
        return PDF
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html")) or (
        text.startswith(b"<") and b"<html" in head.lower()
    ):
        return HTML
    return None


def looks_like_json(head: bytes) -> bool:
    """Report data (JSON) in a file named as text: `{` first, after a BOM and blanks."""
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        head = head.removeprefix(bom)
    return head.replace(b"\x00", b"").lstrip().startswith(b"{")


def published_source(path: Path, raw: bytes, kind: str) -> Source:
    """Import `raw` (the bytes of `path`, a report of `kind`) into a Source."""
    from xxgk.published.document import NotAReport
    from xxgk.published.reader import import_report

    try:
        imported = import_report(raw, kind)
    except NotAReport as exc:
        return refused(path, str(exc))
    origins = {p: w.to_dict() for p, w in imported.origins.items()}
    return Source(
        path,
        data=imported.data,
        findings=imported.findings,
        origins=origins,
        kind=imported.kind,
        layout=imported.layout,
    )


def refused(path: Path, message: str) -> Source:
    """A published report that cannot be read at all, and why (IMPORT_UNREADABLE)."""
    return Source(
        path,
        findings=[fc.make(fc.IMPORT_UNREADABLE, "", detail=message)],
        error=f"{path}：{message}",
    )


def old_document(path: Path) -> Source:
    return refused(path, OLD_DOCUMENT.format(suffix=path.suffix.lower()))
