"""Attacks on `xxgk import`'s worst defect, a silent wrong number: inputs as agencies and CMSs
produce them, each of which once put a number into the JSON that the source does not print
there, with no finding naming the cell. Each test says what must hold instead: the number as
printed, or a finding whose path names the cell.

The report is test_hostile_tables' BASE (row n of table 三 prints n, 0, 0, 0, 0, 100 + n,
200 + n), rewritten as each attack needs, and read through `import_report` like any file.
"""

from __future__ import annotations

import copy
import io
import shutil
import zipfile
from typing import Any

import docx
import pytest

from xxgk.check import findings as fc
from xxgk.format import model as m
from xxgk.published.document import DOCX, HTML, TXT
from xxgk.published.reader import Imported, import_report

from ..conftest import load_example, need_tool
from .test_hostile_tables import BASE, SECRET

# 1.属于国家秘密, row 5 of table 三, as BASE prints it
SECRET_ROW = "（三）不予公开 | 1.属于国家秘密 | 5 | 0 | 0 | 0 | 0 | 105 | 205"
QUERY = "/requests/results/denied/administrative_query"  # 8.属于行政查询事项, row 12
QUERY_ROW = "8.属于行政查询事项 | 12 | 0 | 0 | 0 | 0 | 112 | 212"
COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other",
    "total",
)


def named(imported: Imported, code: str | None = None) -> set[str]:
    return {
        p for f in imported.findings if code is None or f.code == code for p in (f.path, *f.paths)
    }


def cell(imported: Imported, pointer: str) -> Any:
    node: Any = imported.data
    for key in pointer.strip("/").split("/"):
        node = node[key]
    return node


def row_values(imported: Imported, root: str) -> list[Any]:
    return [cell(imported, f"{root}/{c}") for c in COLUMNS]


def html(text: str) -> bytes:
    """BASE as a portal page: each run of `|` lines one table, a `<tr` line kept as typed."""
    out: list[str] = []
    rows: list[str] = []
    for line in [*text.split("\n"), ""]:
        if line.startswith("<tr"):
            rows.append(line)
        elif " | " in line:
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in line.split(" | ")) + "</tr>")
        else:
            if rows:
                out.append('<table border="1">' + "".join(rows) + "</table>")
                rows.clear()
            out.append(f"<p>{line}</p>")
    return ("<html><body>" + "\n".join(out) + "</body></html>").encode()


# -- a mark beside a number is no digit of it ---------------------------------------------------


@pytest.mark.parametrize("printed", ["5①", "5¹", "5⑴", "5*"])
def test_a_footnote_mark_after_a_number_is_no_digit_of_it(printed: str) -> None:
    # NFKC makes ① and ¹ the digit 1: 5① was imported as 51 without a word
    got = import_report(
        BASE.replace(SECRET_ROW, SECRET_ROW.replace("| 5 |", f"| {printed} |")).encode(), TXT
    )
    assert cell(got, f"{SECRET}/natural_person") != 51
    assert f"{SECRET}/natural_person" in named(got, fc.IMPORT_CELL_UNREADABLE)
    assert cell(got, f"{SECRET}/other") == 105  # the rest of the row is read


@pytest.mark.parametrize(
    "printed",
    ["5<sup>1</sup>", "5<sub>2</sub>", "<del>3</del>5", "<s>3</s>5", "<strike>3</strike>5"],
)
def test_raised_and_struck_markup_in_a_web_cell_is_no_digit(printed: str) -> None:
    # the markup used to vanish and its text join the number: 51, 52, 35
    got = import_report(
        html(BASE.replace(SECRET_ROW, SECRET_ROW.replace("| 5 |", f"| {printed} |"))), HTML
    )
    assert cell(got, f"{SECRET}/natural_person") not in (51, 52, 35)
    assert f"{SECRET}/natural_person" in named(got, fc.IMPORT_CELL_UNREADABLE)


# -- what a page does not show is not read ------------------------------------------------------

_HIDDEN_ROW = '<tr style="display:none"><td>8.属于行政查询事项</td>' + "<td>9</td>" * 7 + "</tr>"


def test_a_hidden_row_is_not_read_and_does_not_spoil_the_row_shown() -> None:
    # a CMS's hidden old copy of a row: read alone, its 9s stood in the JSON for a row the
    # page does not show; beside the row shown, it refused that row as "printed twice"
    alone = import_report(html(BASE.replace(QUERY_ROW, _HIDDEN_ROW)), HTML)
    assert 9 not in row_values(alone, QUERY)
    assert f"{QUERY}/natural_person" in named(alone, fc.IMPORT_ROW_MISSING)
    both = import_report(html(BASE.replace(QUERY_ROW, _HIDDEN_ROW + "\n" + QUERY_ROW)), HTML)
    assert row_values(both, QUERY) == [12, 0, 0, 0, 0, 112, 212]
    assert f"{QUERY}/natural_person" not in named(both)


def test_a_hidden_cell_takes_no_column() -> None:
    hidden = SECRET_ROW.replace("| 5 | 0 |", '| 5 | <span class="x">7</span> | 0 |')
    page = html(BASE.replace(SECRET_ROW, hidden)).replace(
        b'<td><span class="x">7</span></td>', b'<td style="display: none">7</td>'
    )
    got = import_report(page, HTML)
    assert row_values(got, SECRET) == [5, 0, 0, 0, 0, 105, 205]
    assert f"{SECRET}/natural_person" not in named(got)


# -- a row whose numbers are not under the header's columns -------------------------------------

_NUMBERS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def _official_table3(rows: list[str]) -> str:
    """Table 三 as Word or a CMS editor saves it: the corner over three label columns, the
    applicant header over seven number columns, each row's label spanning the label columns."""
    head = [
        '<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，'
        '等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>',
        '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td>'
        '<td rowspan="2">总计</td></tr>',
        "<tr>" + "".join(f"<td>{c}</td>" for c in _NUMBERS[1:6]) + "</tr>",
    ]
    return '<table border="1">' + "".join(head + rows) + "</table>"


def _numbers_row(label: str, values: list[str], span: int = 3) -> str:
    return (
        f'<tr><td colspan="{span}">{label}</td>'
        + "".join(f"<td>{v}</td>" for v in values)
        + "</tr>"
    )


def test_numbers_shifted_off_their_columns_are_refused() -> None:
    # a row whose label spans one column too few, with an empty cell in its place, and whose
    # last cell was deleted: the page shows 12 under 自然人 and nothing under 总计; counted
    # from the right, 12 went to 商业企业 and 2 to 总计
    rows = [
        _numbers_row("一、本年新收政府信息公开申请数量", ["12", "3", "", "1", "0", "2", "18"]),
        _numbers_row("二、上年结转政府信息公开申请数量", ["1", "0", "0", "0", "0", "0", "1"]),
        _numbers_row("（一）予以公开", ["5", "1", "0", "0", "0", "1", "7"], span=2)
        .replace(
            '<td colspan="2">（一）予以公开</td>', '<td colspan="2">（一）予以公开</td><td></td>'
        )
        .replace("<td>7</td></tr>", "</tr>"),
    ]
    page = (
        "<html><body><p>三、收到和处理政府信息公开申请情况</p>"
        + _official_table3(rows)
        + "</body></html>"
    )
    got = import_report(page.encode(), HTML)
    assert row_values(got, "/requests/new") == [12, 3, 0, 1, 0, 2, 18]
    granted = "/requests/results/granted"
    assert all(f"{granted}/{c}" in named(got, fc.IMPORT_ROW_UNPLACED) for c in COLUMNS)
    assert cell(got, f"{granted}/commercial") != 5 and cell(got, f"{granted}/total") != 1


# -- Word: hidden, raised and struck runs -------------------------------------------------------


def _docx(text: str, cell_xml: str) -> bytes:
    """BASE as a Word file whose 1.属于国家秘密 自然人 cell holds `cell_xml` (its runs)."""
    document = docx.Document()
    block: list[list[str]] = []
    for line in [*text.split("\n"), ""]:
        if " | " in line:
            block.append(line.split(" | "))
            continue
        if block:
            table = document.add_table(rows=len(block), cols=max(map(len, block)))
            for r, cells in enumerate(block):
                for c, value in enumerate(cells):
                    table.cell(r, c).text = value
            block = []
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    src = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:r><w:t>MARK</w:t></w:r>", cell_xml.encode(), 1)
            dst.writestr(info, data)
    return patched.getvalue()


def _word_cell(runs: str) -> Imported:
    text = BASE.replace(SECRET_ROW, SECRET_ROW.replace("| 5 |", "| MARK |"))
    return import_report(_docx(text, runs), DOCX)


def test_hidden_text_in_a_word_cell_is_not_read() -> None:
    # Word does not show a run formatted as hidden (w:vanish): 5 with a hidden 0 read as 50
    got = _word_cell("<w:r><w:t>5</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>0</w:t></w:r>")
    assert row_values(got, SECRET) == [5, 0, 0, 0, 0, 105, 205]
    assert f"{SECRET}/natural_person" not in named(got)


@pytest.mark.parametrize(
    "runs",
    [
        '<w:r><w:t>5</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        "<w:t>1</w:t></w:r>",
        "<w:r><w:rPr><w:strike/></w:rPr><w:t>3</w:t></w:r><w:r><w:t>5</w:t></w:r>",
    ],
    ids=["superscript", "struck"],
)
def test_a_raised_or_struck_run_in_a_word_cell_is_no_digit(runs: str) -> None:
    got = _word_cell(runs)
    assert cell(got, f"{SECRET}/natural_person") not in (51, 35)
    assert f"{SECRET}/natural_person" in named(got, fc.IMPORT_CELL_UNREADABLE)


def test_a_struck_off_toggle_is_plain_text() -> None:
    got = _word_cell('<w:r><w:rPr><w:strike w:val="0"/></w:rPr><w:t>5</w:t></w:r>')
    assert cell(got, f"{SECRET}/natural_person") == 5


# -- the fee in 元 under a header that says so --------------------------------------------------


@pytest.mark.parametrize("header", ["本年收费金额（单位：元）", "本年收费金额（元）"])
def test_a_fee_printed_in_yuan_is_not_taken_for_ten_thousand_yuan(header: str) -> None:
    # 本年收费金额（单位：元）was alike enough to the format's （单位：万元） to pass: 18.8710 元
    # went into the JSON as 18.871 万元
    got = import_report(BASE.replace("本年收费金额（单位：万元）", header).encode(), TXT)
    assert cell(got, "/proactive/fees/amount") != 18.871
    assert "/proactive/fees/amount" in named(got, fc.IMPORT_ROW_UNPLACED)


# -- a PDF whose row goes on over the page break ------------------------------------------------


@pytest.fixture(scope="module")
def soffice() -> str:
    return need_tool("LibreOffice", shutil.which("soffice"), "apt-get install libreoffice-writer")


def test_a_row_cut_by_a_page_break_is_read_whole(soffice: str) -> None:
    """The label 4.无正当理由大量反复申请 breaks over the page: its start and the numbers on one
    page, the rest of the label under the header rows the next page repeats. The rest alone
    looked like the row (a label variant) with blank cells: seven zeros for 19 … 20."""
    from xxgk.files.pdf import docx_to_pdf
    from xxgk.report.docx import render

    from .test_extract_pdf import loose

    data = copy.deepcopy(load_example())
    printed = [19, 0, 0, 1, 0, 0, 20]
    results = data["requests"]["results"]
    results["not_processed"]["excessive"] = dict(zip(COLUMNS, printed, strict=True))
    raw = loose(render(data))
    label = '<w:r><w:t xml:space="preserve">4.无正当理由大量反复申请</w:t></w:r></w:p>'
    broken = (
        '<w:r><w:t>4.无正</w:t></w:r></w:p><w:p><w:pPr><w:spacing w:before="10500"/></w:pPr>'
        "<w:r><w:t>当理由大量反复申请</w:t></w:r></w:p>"
    )
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            part = src.read(info)
            if info.filename == "word/document.xml":
                xml = part.decode()
                at = xml.index(label)
                row = xml.rindex("<w:tr>", 0, at)  # the row may break over the page
                kept = xml[row:at].replace("<w:cantSplit/>", "")
                part = (xml[:row] + kept + broken + xml[at + len(label) :]).encode()
            dst.writestr(info, part)
    got = import_report(docx_to_pdf(out.getvalue(), soffice), "pdf")
    excessive = "/requests/results/not_processed/excessive"
    assert row_values(got, excessive) == printed


def test_number_columns_printed_in_another_order_are_refused() -> None:
    """商业企业 and 科研机构 printed the other way round: read in the format's order, every
    commercial figure would land under 科研机构 without a word."""
    swapped = [_NUMBERS[2], _NUMBERS[1], *_NUMBERS[3:6]]
    page = (
        "<html><body><p>一、总体情况</p><p>本年共收到申请13件。</p>"
        "<p>三、收到和处理政府信息公开申请情况</p>"
        + _official_table3(
            [
                _numbers_row(m.TABLE3_NEW.label, ["9", "0", "4", "0", "0", "0", "13"]),
                _numbers_row(m.TABLE3_CARRIED_OVER.label, ["1", "0", "2", "0", "0", "0", "3"]),
            ]
        ).replace(
            "".join(f"<td>{c}</td>" for c in _NUMBERS[1:6]),
            "".join(f"<td>{c}</td>" for c in swapped),
        )
        + "</body></html>"
    )
    got = import_report(page.encode(), HTML)
    refused = named(got, fc.IMPORT_ROW_UNPLACED)
    for root in ("/requests/new", "/requests/carried_over"):
        assert all(f"{root}/{c}" in refused for c in COLUMNS)
        assert cell(got, f"{root}/research") == 0  # not the 4 / 2 printed under 商业企业
    assert any("顺序" in f.message for f in got.findings if f.code == fc.IMPORT_ROW_UNPLACED)
