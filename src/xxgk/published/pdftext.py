"""A PDF with a text layer as a Document: per page, ruled tables as rows and the rest as lines.

(Named pdftext so as not to be taken for `files/pdf.py`, which makes PDFs with LibreOffice.)

The reading rules, with pdfplumber:

- Tables are found by their ruling lines (`Page.find_tables()`, the default "lines"
  strategy): Word, WPS and LibreOffice all draw the borders of a report's tables. Each table
  row is one grid Line at Where(page, table, row, column), table and row counted on the page,
  column being the table's grid column. A merged cell is one cell at its first column and row:
  the positions it covers are left out (pdfplumber's None), so nothing is repeated.
- The text outside the tables comes as lines (characters grouped by their y position, as
  pdfplumber groups them; CJK text keeps the spaces pdfplumber puts where glyphs stand apart)
  at Where(page, line), line counted on the page. Lines and tables are in the order of their
  top on the page, pages in order: a table that crosses a page gives its rows in order, with
  whatever the page repeats (header rows, a page number like `-3-`) in between.
- A table of a single cell is no table to pdfplumber: its text is a line (a table's first row
  left alone at the foot of a page reads so).
- Refused, never guessed (NotAReport, saying what to do): a PDF without text (a scan), a text
  layer that is garbage (fonts without a usable character map give `(cid:123)`, private-use or
  replacement characters, or letters that are not Chinese), table 三 present only as a picture,
  an encrypted or broken file. A page without text among pages with text (a scanned page) is
  read as empty with the IMPORT_PAGE_NO_TEXT warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfexceptions import PDFException, PSException
from pdfplumber.utils.exceptions import PdfminerException

from xxgk.check import findings as fc
from xxgk.published.document import PDF, Cell, Document, Line, NotAReport, Where
from xxgk.published.guard import MAX_PDF_BYTES, MAX_PDF_PAGES, OCR, check_size

# a page's text layer is garbage when more than this share of its characters is unusable
BAD_SHARE = 0.2
# a report is Chinese: below this share of CJK among the letters, the layer maps glyphs wrongly
MIN_CJK_SHARE = 0.3
MIN_LETTERS = 50  # too few letters to judge a page by
PICTURE_SHARE = 0.15  # of a page's area: a picture that large may be a table
# labels only table 三 has: when none is in the text but a large picture is, the table is one
_TABLE3_LABELS = ("予以公开", "申请人情况", "本年新收", "上年结转")
_SPACE = re.compile(r"\s+")


def pdf_document(raw: bytes) -> Document:
    check_size(raw, MAX_PDF_BYTES, "PDF 文件")
    if b"%PDF-" not in raw[:1024]:
        raise NotAReport("不是 PDF 文件，内容无法识别。请重新下载或重新导出该 PDF 后再导入。")
    reader = _Reader()
    try:
        with pdfplumber.open(BytesIO(raw)) as pdf:
            pages = pdf.pages
            if len(pages) > MAX_PDF_PAGES:
                raise NotAReport(
                    f"PDF 有 {len(pages)} 页，远多于一份年度报告（最多 {MAX_PDF_PAGES} 页）。"
                    "如果是多份年报的汇编，请拆分后逐份导入。"
                )
            for number, page in enumerate(pages, start=1):
                reader.page(number, page)
                page.close()  # its parsed objects are not needed again
    except PdfminerException as exc:
        raise NotAReport(_unreadable(exc.args[0] if exc.args else exc)) from None
    except (PDFException, PSException, RecursionError) as exc:
        raise NotAReport(_unreadable(exc)) from None
    reader.judge()
    return Document(PDF, reader.lines, reader.findings)


def _unreadable(cause: object) -> str:
    if isinstance(cause, PDFPasswordIncorrect):
        return (
            "PDF 设置了打开密码（已加密），无法读取。请用密码打开后另存（或打印）为不加密的 PDF，"
            "再导入；或向发布机关索取未加密的原文。"
        )
    if isinstance(cause, PDFEncryptionError):
        return "PDF 使用了不支持的加密方式，无法读取。请另存（或打印）为不加密的 PDF 后再导入。"
    return "PDF 文件已损坏或结构异常，无法读取。请重新下载该 PDF，或用 PDF 阅读器另存后再导入。"


@dataclass
class _Page:
    """What a page's characters say about its text layer."""

    chars: int = 0
    bad: int = 0  # (cid:n), private-use, replacement and control characters
    cjk: int = 0
    latin: int = 0
    picture: float = 0.0  # the largest picture's share of the page


@dataclass
class _Reader:
    lines: list[Line] = field(default_factory=list)
    findings: list[Any] = field(default_factory=list)
    pages: list[_Page] = field(default_factory=list)
    # the text without white space, for the table-as-picture check
    labels: list[str] = field(default_factory=list)

    def page(self, number: int, page: Any) -> None:
        self.pages.append(_survey(page))
        blocks: list[tuple[float, list[Line]]] = []
        tables = page.find_tables()
        outside = page
        for k, table in enumerate(tables, start=1):
            blocks.append((table.bbox[1], _rows(table, number, k)))
            outside = outside.outside_bbox(table.bbox)
        text_lines = outside.extract_text_lines(return_chars=False)
        for n, item in enumerate(sorted(text_lines, key=lambda i: (i["top"], i["x0"])), 1):
            where = Where(page=number, line=n)
            blocks.append((item["top"], [Line((Cell(item["text"], where),))]))
        blocks.sort(key=lambda block: block[0])
        for _, lines in blocks:
            self.lines.extend(lines)
            self.labels.extend(_SPACE.sub("", cell.text) for x in lines for cell in x.cells)

    def judge(self) -> None:
        """Refuse a text layer that cannot be trusted; warn of pages that have none."""
        if sum(p.chars for p in self.pages) == 0:
            raise NotAReport(
                "PDF 没有文字层（可能是扫描件或图片），无法读取其中的文字和表格。" + OCR
            )
        garbage = [n for n, p in enumerate(self.pages, 1) if _garbage(p)]
        if garbage:
            raise NotAReport(
                f"PDF 第{_pages(garbage)}页的文字层无法识别（字体缺少字符映射，"
                "复制出的文字是乱码），读出的数字和文字都不可信。" + OCR
            )
        pictures = [n for n, p in enumerate(self.pages, 1) if p.picture >= PICTURE_SHARE]
        text = "".join(self.labels)
        if pictures and not any(label in text for label in _TABLE3_LABELS):
            raise NotAReport(
                f"PDF 中找不到表三（收到和处理政府信息公开申请情况）的文字，第{_pages(pictures)}页"
                "有大幅图片：表格可能是以图片形式插入的，无法读取。" + OCR
            )
        for n, p in enumerate(self.pages, 1):
            if p.chars == 0:
                finding = fc.make(fc.IMPORT_PAGE_NO_TEXT, "", page=n)
                finding.source = Where(page=n).to_dict()
                self.findings.append(finding)


def _pages(numbers: Iterable[int]) -> str:
    shown = [str(n) for n in numbers]
    return "、".join(shown[:5]) + ("等" if len(shown) > 5 else "")


def _garbage(page: _Page) -> bool:
    if page.chars and page.bad / page.chars > BAD_SHARE:
        return True
    letters = page.cjk + page.latin
    return letters >= MIN_LETTERS and page.cjk / letters < MIN_CJK_SHARE


def _survey(page: Any) -> _Page:
    out = _Page()
    for char in page.chars:
        text = char["text"]
        if text.startswith("(cid:"):
            out.chars += 1
            out.bad += 1
            continue
        for ch in text:
            if ch.isspace():
                continue
            out.chars += 1
            code = ord(ch)
            if 0xE000 <= code <= 0xF8FF or code == 0xFFFD or code < 0x20:
                out.bad += 1
            elif 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF:
                out.cjk += 1
            elif ch.isalpha():
                out.latin += 1
    area = float(page.width * page.height) or 1.0
    for image in page.images:
        share = abs((image["x1"] - image["x0"]) * (image["bottom"] - image["top"])) / area
        out.picture = max(out.picture, min(share, 1.0))
    return out


def _rows(table: Any, page: int, number: int) -> list[Line]:
    lines = []
    for r, (row, texts) in enumerate(zip(table.rows, table.extract(), strict=True), start=1):
        cells = tuple(
            Cell(text or "", Where(page=page, table=number, row=r, column=c))
            for c, (bbox, text) in enumerate(zip(row.cells, texts, strict=True), start=1)
            if bbox is not None
        )
        if cells:
            lines.append(Line(cells, grid=True))
    return lines
