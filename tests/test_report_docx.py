"""The Word report read back: layout (GB/T 9704), fonts, tables cell by cell, LibreOffice."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from hypothesis import HealthCheck, given, settings
from lxml import etree

from xxgk.check.validate import validate
from xxgk.format import model as m
from xxgk.report.docx import render

from .conftest import need_tool
from .oracle import expected_grids
from .report_support import (
    W,
    distinct_report,
    docx_blocks,
    docx_grids,
    hostile_report,
    printed,
    soffice_to_pdf,
)
from .reports import consistent_reports


def _open(raw: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(raw))


def _east_asia(style) -> str | None:
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def _check_cells(raw: bytes, data: dict) -> None:
    """Every cell of the three tables, labels and numbers, as the oracle's hand-written layout
    of the official format says (tests/oracle.py), the numbers taken from `data` itself."""
    got, want = docx_grids(raw), expected_grids(data)
    for name in want:
        assert len(got[name]) == len(want[name]), name
        for r, (row, expected) in enumerate(zip(got[name], want[name], strict=True)):
            assert row == expected, (name, r)


def test_distinct_report_is_valid() -> None:
    assert [f.code for f in validate(distinct_report()) if f.severity == "error"] == []


def test_page_size_and_margins() -> None:
    section = _open(render(distinct_report())).sections[0]
    for measured, mm in (
        (section.page_width, 210),
        (section.page_height, 297),
        (section.top_margin, 37),
        (section.bottom_margin, 35),
        (section.left_margin, 28),
        (section.right_margin, 26),
    ):
        assert abs(measured - Mm(mm)) < Mm(0.1)
    # the type area is 156 mm wide, and so is every table
    type_area = section.page_width - section.left_margin - section.right_margin
    assert abs(type_area - Mm(156)) < Mm(0.1)


def test_styles_and_fonts() -> None:
    raw = render(distinct_report())
    document = _open(raw)
    styles = document.styles
    title, body = styles["Title"], styles["Normal"]
    assert _east_asia(title) == "方正小标宋简体" and title.font.size == Pt(22)
    assert _east_asia(body) == "仿宋_GB2312" and body.font.size == Pt(16)
    assert _east_asia(styles["Heading 1"]) == "黑体"
    assert _east_asia(styles["Heading 2"]) == "楷体_GB2312"
    pf = body.paragraph_format
    assert pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert abs(pf.line_spacing - Pt(28.95)) < Pt(0.05)
    assert pf.first_line_indent == Pt(32)  # two 16 pt characters
    assert styles["Table Text"].font.size == Pt(10.5)
    # 宋体 named as the east-Asian fallback of the title font, in the font table
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        fonts = etree.fromstring(zf.read("word/fontTable.xml"))
    alt = fonts.find(f"{W}font[@{W}name='方正小标宋简体']/{W}altName")
    assert alt is not None and alt.get(W + "val") == "宋体"
    # paragraphs use the styles
    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == "Title"
    assert [p.text for p in paragraphs if p.style.name == "Heading 1"] == [
        s.heading for s in m.SECTIONS
    ]
    # parts left blank get their own second-level headings; parts whose text starts with its
    # own lead-in (section 五 of the seed) keep it, set in 楷体 as a run-in heading, no duplicate
    assert [p.text for p in paragraphs if p.style.name == "Heading 2"] == [
        f.label for f in m.OVERVIEW_PARTS[1:]
    ]
    leads = [r.text for p in paragraphs for r in p.runs if r.style.name == "Lead In"]
    assert leads == ["（一）存在的主要问题。", "（二）改进情况。"]
    assert _east_asia(styles["Lead In"]) == "楷体_GB2312"


def test_page_numbers_odd_right_even_left() -> None:
    document = _open(render(distinct_report()))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        p = footer.paragraphs[0]
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert "PAGE" in "".join(t.text or "" for t in p._p.iter(qn("w:instrText")))
        assert p._p.pPr.find(qn("w:jc")).get(qn("w:val")) == align
        assert footer.paragraphs[0].style.font.size == Pt(14)
        assert _east_asia(footer.paragraphs[0].style) == "宋体"


def test_tables_dimensions_merges_and_numbers() -> None:
    data = distinct_report()
    raw = render(data)
    document = _open(raw)
    t2, t3, t4 = document.tables
    assert (len(t2.rows), len(t2.columns)) == (14, 4)
    assert (len(t3.rows), len(t3.columns)) == (3 + 25, 10)
    assert (len(t4.rows), len(t4.columns)) == (4, 15)
    _check_cells(raw, data)

    def same(t, a, b) -> bool:
        return t.cell(*a)._tc is t.cell(*b)._tc

    assert t3.cell(0, 0).text == m.TABLE3_CORNER and same(t3, (0, 0), (2, 2))
    assert same(t3, (0, 3), (0, 9)) and t3.cell(0, 3).text == "申请人情况"
    assert same(t3, (1, 3), (2, 3)) and t3.cell(1, 3).text == "自然人"
    assert same(t3, (1, 4), (1, 8)) and not same(t3, (1, 4), (2, 4))
    assert same(t3, (3, 0), (3, 2))  # 一、 spans the three label columns
    assert same(t3, (5, 0), (27 - 1, 0)) and t3.cell(5, 0).text == m.TABLE3_RESULTS_GROUP
    assert same(t3, (7, 1), (14, 1)) and not same(t3, (7, 1), (15, 1))
    assert t3.cell(7, 1).text == "（三）\n不予公开"  # in two lines, a break after the number
    assert same(t3, (26, 1), (26, 2)) and t3.cell(26, 1).text == "（七）总计"
    assert same(t4, (0, 0), (0, 4)) and same(t4, (0, 5), (0, 14))
    assert same(t4, (1, 0), (2, 0)) and same(t4, (1, 5), (1, 9))
    assert t4.cell(2, 14).text == "总计"
    assert t2.cell(4, 0).text == "第二十条第（五）项" and same(t2, (4, 0), (4, 3))
    # header rows repeat on every page; fixed layout filling the type area
    for table, head in ((t3, 3), (t4, 3)):
        repeated = [
            tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None
            for tr in table._tbl.tr_lst
        ]
        assert repeated == [True] * head + [False] * (len(repeated) - head)
    for table in (t2, t3, t4):
        tbl_pr = table._tbl.tblPr
        assert tbl_pr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        widths = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.iter(qn("w:gridCol"))]
        assert abs(sum(widths) * 25.4 / 1440 - 156) < 0.1
        assert tbl_pr.find(qn("w:tblBorders")) is not None


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(max_count=999))
def test_every_number_in_its_cell(data: dict) -> None:
    _check_cells(render(data), data)


def test_generated_paragraphs_state_the_figures() -> None:
    data = distinct_report()
    text = "".join(docx_blocks(io.BytesIO(render(data))))
    req = data["requests"]
    assert f"新收政府信息公开申请{req['new']['total']}件" in text
    assert f"上年结转{req['carried_over']['total']}件" in text
    assert f"结转下年度继续办理{req['carried_forward']['total']}件" in text
    fees = data["other_matters"]["processing_fees"]
    assert "国办函〔2020〕109号" in text
    assert f"发出收费通知{fees['notices']}件" in text
    assert f"收取信息处理费{printed(fees['amount_yuan'])}元" in text


def test_hostile_text_gives_valid_docx() -> None:
    raw = render(hostile_report())
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        for name in zf.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(zf.read(name))  # strict XML 1.0 parse
        document_xml = zf.read("word/document.xml").decode("utf-8")
    for bad in ("\x0b", "\x0c", "\x00", "\x01", "\x7f", "\ufffe"):
        assert bad not in document_xml
    text = "\n".join(docx_blocks(io.BytesIO(raw)))
    assert "<script>alert(1)</script>" in text  # shown as text, literally
    assert "]]> 结束" in text and "A & B &amp; C" in text and "😀🇨🇳" in text
    assert "第一行\n第二行" in text  # Word's line break became a paragraph break
    assert "管" * 20_000 in text and "x" * 20_000 in text
    assert "孤\ufffd立" in text  # a lone surrogate becomes U+FFFD (format/clean.py)


def test_libreoffice_converts_to_pdf(tmp_path: Path, example: dict) -> None:
    need_tool("LibreOffice", shutil.which("soffice"), "apt-get install libreoffice-writer-nogui")
    files = []
    for name, data in (
        ("seed", example),
        ("distinct", distinct_report()),
        ("hostile", hostile_report()),
    ):
        path = tmp_path / f"{name}.docx"
        path.write_bytes(render(data))
        files.append(path)
    done = soffice_to_pdf(files, tmp_path)
    assert done.returncode == 0, done.stderr
    for path in files:
        pdf = path.with_suffix(".pdf")
        assert pdf.exists() and pdf.stat().st_size > 10_000, done.stdout + done.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / "seed.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        compact = "".join(text.split())
        for heading in (s.heading for s in m.SECTIONS):
            assert heading in compact
        assert "—1—" in compact and "2025年2月13日" in compact
