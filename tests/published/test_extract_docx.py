"""The Word extractor on our own renderer's DOCX, on Word files built with python-docx with
merged cells in unusual places, and on hostile files: cells at their grid columns, merges given
once, and a Chinese refusal (never a traceback) for bombs and files that are no .docx."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from xxgk.published.document import DOCX
from xxgk.published.docx import docx_document
from xxgk.report.docx import render

from ..conftest import load_example
from ..oracle import expected_grids
from ..report_support import distinct_report
from ..wb_helpers import zip_of
from .extract_support import TABLE3_STARTS, expected_table3, positions, refusal, table3_rows


def _save(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("which", ["seed", "distinct"])
def test_rendered_docx_table3_cells_as_the_oracle_lays_them_out(which: str) -> None:
    data = load_example() if which == "seed" else distinct_report()
    doc = docx_document(render(data))
    assert doc.kind == DOCX
    grid = positions(doc, 2)
    expected = expected_grids(data)["table3"]
    for row, starts in TABLE3_STARTS.items():
        assert sorted(c for r, c in grid if r == row) == list(starts), row
        for column in starts:
            assert grid[(row, column)].replace("\n", "") == expected[row - 1][column - 1]
    assert table3_rows(doc) == expected_table3(data)
    first = doc.lines[0]
    assert not first.grid and first.text.endswith("政府信息公开工作年度报告")


def _before_section(document: docx.document.Document, xml: str) -> None:
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(xml))  # the body's last child is its w:sectPr


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _merged_document() -> bytes:
    """A Word file with a layout table around a data table whose merges are all over the place.

    The data table, 5 rows × 6 grid columns, as typed (· a cell covered by a merge):
        r1: A(2×2)   ·   H(1×4)  ·  ·  ·
        r2:  ·       ·   c       d  e  f
        r3: V(3×1)   1   2       3  4  W(3×1, two paragraphs)
        r4:  ·       5   M(1×2)  ·  6   ·
        r5:  ·       7   8       9  10  ·
    """
    document = docx.Document()
    document.add_paragraph("某某局2024年政府信息公开工作年度报告")
    soft = document.add_paragraph("第一行")
    soft.add_run().add_break()
    soft.add_run("第二行")
    outer = document.add_table(rows=1, cols=1)
    frame = outer.cell(0, 0)
    frame.paragraphs[0].text = "一、总体情况"
    table = frame.add_table(rows=5, cols=6)
    frame.add_paragraph("表后的说明")
    typed = {
        (1, 2): "c", (1, 3): "d", (1, 4): "e", (1, 5): "f",
        (2, 1): "1", (2, 2): "2", (2, 3): "3", (2, 4): "4",
        (3, 1): "5", (3, 4): "6",
        (4, 1): "7", (4, 2): "8", (4, 3): "9", (4, 4): "10",
    }  # fmt: skip
    for (r, c), text in typed.items():
        table.cell(r, c).text = text
    table.cell(0, 0).merge(table.cell(1, 1)).text = "A"
    table.cell(0, 2).merge(table.cell(0, 5)).text = "H"
    table.cell(2, 0).merge(table.cell(4, 0)).text = "V"
    table.cell(3, 2).merge(table.cell(3, 3)).text = "M"
    last = table.cell(2, 5).merge(table.cell(4, 5))
    last.text = "W"
    last.add_paragraph("第二段")
    # a content control around a paragraph with tracked changes: deleted text is no text
    _before_section(
        document,
        f"<w:sdt {nsdecls('w')}><w:sdtContent><w:p><w:r><w:t>控件里的段落</w:t></w:r>"
        "<w:del w:id='1' w:author='x'><w:r><w:delText>删掉的字</w:delText></w:r></w:del>"
        "<w:ins w:id='2' w:author='x'><w:r><w:t>（插入的字）</w:t></w:r></w:ins>"
        "</w:p></w:sdtContent></w:sdt>",
    )
    # a row starting one grid column in (w:gridBefore), as WPS writes ragged tables
    _before_section(
        document,
        f"<w:tbl {nsdecls('w')}><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
        f"<w:tr><w:tc>{_p('甲')}</w:tc><w:tc>{_p('乙')}</w:tc><w:tc>{_p('丙')}</w:tc></w:tr>"
        '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>'
        f"<w:tc>{_p('二')}</w:tc><w:tc>{_p('三')}</w:tc></w:tr></w:tbl>",
    )
    document.add_paragraph("落款")
    return _save(document)


def test_merged_cells_in_unusual_places() -> None:
    doc = docx_document(_merged_document())
    grid = positions(doc, 1)
    assert grid == {
        (1, 1): "A", (1, 3): "H",
        (2, 3): "c", (2, 4): "d", (2, 5): "e", (2, 6): "f",
        (3, 1): "V", (3, 2): "1", (3, 3): "2", (3, 4): "3", (3, 5): "4", (3, 6): "W\n第二段",
        (4, 2): "5", (4, 3): "M", (4, 5): "6",
        (5, 2): "7", (5, 3): "8", (5, 4): "9", (5, 5): "10",
    }  # fmt: skip
    ragged = {(1, 1): "甲", (1, 2): "乙", (1, 3): "丙", (2, 2): "二", (2, 3): "三"}
    assert positions(doc, 2) == ragged
    texts = [line.text for line in doc.lines if not line.grid]
    assert texts == [
        "某某局2024年政府信息公开工作年度报告",
        "第一行",
        "第二行",
        "一、总体情况",  # the layout table's text flows as paragraphs, in order
        "表后的说明",
        "控件里的段落（插入的字）",
        "落款",
    ]
    lines = [line.where.line for line in doc.lines if not line.grid]
    assert lines == list(range(1, 8))
    order = [line.text for line in doc.lines]
    assert order.index("一、总体情况") < order.index("A H") < order.index("表后的说明")


# -- files that are no Word report ---------------------------------------------------------------

SAVE_AS = "请在 Word 或 WPS 中另存为 .docx 后再导入"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"



def test_zip_bomb_named_docx() -> None:
    members = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (33 * 2**20)}
    bomb = zip_of(members)
    assert len(bomb) < 100_000
    assert "压缩炸弹" in refusal(docx_document, bomb)


def test_xml_bomb_in_the_document_part() -> None:
    raw = _merged_document()
    src = zipfile.ZipFile(io.BytesIO(raw))
    members = {name: src.read(name) for name in src.namelist()}
    members["word/document.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        + members["word/document.xml"].split(b"?>", 1)[1]
    )
    message = refusal(docx_document, zip_of(members))
    assert "DTD" in message and "工作簿" not in message and "Excel" not in message


@pytest.mark.parametrize(
    "raw,words",
    [
        (OLE + b"\0" * 600 + "WordDocument".encode("utf-16-le"), SAVE_AS),  # Word 97-2003
        (OLE + b"\0" * 600 + "WpsCustomData".encode("utf-16-le"), SAVE_AS),  # WPS 文字 .wps
        (OLE + "EncryptedPackage".encode("utf-16-le"), "密码"),
        (b"{\\rtf1\\ansi 2024}", SAVE_AS),
        (b"<html><body>Word \xe7\xbd\x91\xe9\xa1\xb5</body></html>", ".html"),
        (b"%PDF-1.7\n", ".pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, SAVE_AS),
        (b"", "文件为空"),
        (b"PK\x03\x04" + b"\0" * 100, "损坏"),
    ],
    ids=["doc", "wps", "encrypted", "rtf", "html", "pdf", "png", "empty", "truncated-zip"],
)
def test_files_that_are_no_docx(raw: bytes, words: str) -> None:
    assert words in refusal(docx_document, raw)


def test_a_workbook_named_docx() -> None:
    from xxgk.workbook.template import build_template, workbook_bytes

    message = refusal(docx_document, workbook_bytes(build_template()))
    assert SAVE_AS in message


def test_a_50_mb_file() -> None:
    raw = _merged_document() + b"\0" * (50 * 2**20)
    assert "文件过大" in refusal(docx_document, raw)
