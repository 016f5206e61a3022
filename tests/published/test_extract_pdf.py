"""The PDF extractor on PDFs LibreOffice made from our DOCX (its keep rules taken out, so that
table 三 crosses a page as in many agencies' own files), and on
PDFs that must be refused: a scan, a text layer without character maps, table 三 as a picture,
an encrypted file, a broken one, 50 MB. Refusals are Chinese and say what to do."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pypdfium2
import pytest
from PIL import Image, ImageDraw

from xxgk.check import findings as fc
from xxgk.files.pdf import docx_to_pdf
from xxgk.published.document import PDF, Document
from xxgk.published.guard import MAX_PDF_PAGES
from xxgk.published.pdftext import pdf_document
from xxgk.report.docx import render

from ..conftest import load_example, need_tool
from ..report_support import distinct_report
from .extract_support import expected_table3, refusal, squash, table3_rows

OCR = "请先进行文字识别（OCR）"


@pytest.fixture(scope="module")
def soffice() -> str:
    return need_tool("LibreOffice", shutil.which("soffice"), "apt-get install libreoffice-writer")


def loose(docx_bytes: bytes) -> bytes:
    """Our DOCX without its keep-with-next rules, as many an agency's own Word file is: table 三
    then starts under the text before it and runs on over the page break."""
    src = zipfile.ZipFile(io.BytesIO(docx_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = re.sub(rb"<w:keepNext\s*/>", b"", data)
            dst.writestr(info, data)
    return out.getvalue()


@pytest.fixture(scope="module")
def seed_pdf(soffice: str) -> bytes:
    return docx_to_pdf(loose(render(load_example())), soffice)


@pytest.fixture(scope="module")
def distinct() -> dict:
    return distinct_report()


@pytest.fixture(scope="module")
def distinct_pdf(soffice: str, distinct: dict) -> bytes:
    return docx_to_pdf(loose(render(distinct)), soffice)


def _pages_of_table3(doc: Document) -> list[int]:
    labels = set(table3_rows(doc))
    pages = []
    for line in doc.lines:
        if line.grid and any(squash(c.text) in labels for c in line.cells):
            pages.append(line.where.page)
    return pages


def test_seed_table3_across_two_pages(seed_pdf: bytes) -> None:
    doc = pdf_document(seed_pdf)
    assert doc.kind == PDF and doc.findings == []
    rows = table3_rows(doc)
    assert len(rows) == 25
    assert set(map(tuple, rows.values())) == {("0",) * 7}  # the seed had no requests
    pages = _pages_of_table3(doc)
    assert len(set(pages)) == 2 and pages == sorted(pages)
    # between the two parts: the page number of the first page, as a line of text
    texts = [(line.grid, squash(line.text)) for line in doc.lines]
    assert (False, f"—{pages[0]}—") in texts


def test_distinct_numbers_every_cell_of_table3(distinct_pdf: bytes, distinct: dict) -> None:
    doc = pdf_document(distinct_pdf)
    assert table3_rows(doc) == expected_table3(distinct)
    pages = _pages_of_table3(doc)
    assert len(set(pages)) == 2  # this table crosses a page too
    for line in doc.lines:
        w = line.where
        assert w.page is not None
        if line.grid:
            assert all(c.where.table and c.where.row and c.where.column for c in line.cells)
        else:
            assert len(line.cells) == 1 and w.line is not None and w.table is None


def test_text_lines_in_page_order(distinct_pdf: bytes) -> None:
    doc = pdf_document(distinct_pdf)
    texts = [squash(line.text) for line in doc.lines if not line.grid]
    assert texts[0].startswith("额敏县商务和工业信息化局")
    heading = texts.index("三、收到和处理政府信息公开申请情况")
    assert heading < texts.index("四、政府信息公开行政复议、行政诉讼情况")
    where = [(line.where.page, line.where.line) for line in doc.lines if not line.grid]
    for page in {p for p, _ in where}:
        numbers = [n for p, n in where if p == page]
        assert numbers == list(range(1, len(numbers) + 1))


# -- what must be refused ------------------------------------------------------------------------


def _scan(pages: int = 2) -> bytes:
    """An image-only PDF, as a scanner writes it: pages of pixels, no text layer."""
    images = []
    for n in range(pages):
        image = Image.new("RGB", (1240, 1754), "white")
        draw = ImageDraw.Draw(image)
        for y in range(200, 1600, 60):
            draw.rectangle((150, y, 1090 - 37 * n, y + 25), fill="black")
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=150)
    return out.getvalue()


def test_a_scanned_pdf() -> None:
    message = refusal(pdf_document, _scan())
    assert "没有文字层" in message and OCR in message


def test_a_text_layer_without_character_maps(seed_pdf: bytes) -> None:
    assert seed_pdf.count(b"/ToUnicode") >= 1
    garbage = seed_pdf.replace(b"/ToUnicode", b"/ToUnicodX")  # same length: offsets hold
    message = refusal(pdf_document, garbage)
    assert "字符映射" in message and OCR in message


def test_table3_only_as_a_picture(soffice: str) -> None:
    document = docx.Document()
    document.add_paragraph("某某局2024年政府信息公开工作年度报告")
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    picture = io.BytesIO()
    Image.new("RGB", (1200, 1000), "white").save(picture, "PNG")
    picture.seek(0)
    document.add_picture(picture, width=docx.shared.Cm(15))
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    out = io.BytesIO()
    document.save(out)
    message = refusal(pdf_document, docx_to_pdf(out.getvalue(), soffice))
    assert "图片" in message and OCR in message


def test_a_scanned_page_among_text_pages(seed_pdf: bytes) -> None:
    merged = pypdfium2.PdfDocument(seed_pdf)
    text_pages = len(merged)
    merged.import_pages(pypdfium2.PdfDocument(_scan(1)))
    out = io.BytesIO()
    merged.save(out)
    doc = pdf_document(out.getvalue())
    assert [(f.code, f.source) for f in doc.findings] == [
        (fc.IMPORT_PAGE_NO_TEXT, {"page": text_pages + 1})
    ]
    assert f"第{text_pages + 1}页" in doc.findings[0].message
    assert len(table3_rows(doc)) == 25


def test_an_encrypted_pdf(soffice: str, tmp_path: Path) -> None:
    source = tmp_path / "年报.docx"
    source.write_bytes(render(load_example()))
    options = (
        'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
        '"DocumentOpenPassword":{"type":"string","value":"secret"}}'
    )
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", options,
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    assert "密码" in refusal(pdf_document, (tmp_path / "年报.pdf").read_bytes())


def test_broken_and_foreign_files(seed_pdf: bytes) -> None:
    assert "不是 PDF" in refusal(pdf_document, b"PK\x03\x04 a zip named .pdf")
    assert "文件为空" in refusal(pdf_document, b"")
    assert "损坏" in refusal(pdf_document, b"%PDF-1.4\n" + b"\x00garbage" * 100)
    assert "文件过大" in refusal(pdf_document, seed_pdf + b"\0" * (50 * 2**20))


def test_too_many_pages() -> None:
    pdf = pypdfium2.PdfDocument.new()
    for _ in range(MAX_PDF_PAGES + 1):
        pdf.new_page(595, 842)
    out = io.BytesIO()
    pdf.save(out)
    assert f"{MAX_PDF_PAGES + 1} 页" in refusal(pdf_document, out.getvalue())
