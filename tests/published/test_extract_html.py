"""The HTML extractor on a hand-written CMS page (GBK, nested layout tables, spans, <br>,
&nbsp;), on our own renderer's page, and on hostile pages: every cell of table 三 in its row and
grid column, layout text as paragraphs, and a Chinese refusal instead of a traceback."""

from __future__ import annotations

import codecs

import pytest

from xxgk.check import findings as fc
from xxgk.published.document import HTML
from xxgk.published.html import MAX_DEPTH, html_document
from xxgk.report.html import render

from ..conftest import load_example
from ..oracle import TABLE3_ROWS, expected_grids
from ..report_support import distinct_report
from .extract_support import (
    TABLE3_STARTS,
    expected_table3,
    positions,
    refusal,
    squash,
    table3_rows,
)

# -- a portal page as a CMS writes it ----------------------------------------------------------

# table 三 of the hand-made page, typed in: row label → the seven numbers as printed ("" blank)
CMS_VALUES = {
    "一、本年新收政府信息公开申请数量": ["12", "3", "", "1", "0", "2", "18"],
    "二、上年结转政府信息公开申请数量": ["1", "0", "0", "0", "0", "0", "1"],
    "（一）予以公开": ["5", "1", "0", "0", "0", "1", "7"],
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": ["2", "0", "0", "0", "0", "0", "2"],
    "（七）总计": ["12", "3", "0", "1", "0", "2", "18"],
    "四、结转下年度继续办理": ["1", "/", "—", "0", "0", "0", "1"],
}
_GROUPS = [(g, sum(1 for _, gg, _ in TABLE3_ROWS if gg == g)) for g in
           dict.fromkeys(g for _, g, _ in TABLE3_ROWS if g)]


def _numbers(values: list[str]) -> str:
    # CMS editors pad numbers with &nbsp; and wrap them in Word's paragraph markup
    return "".join(
        f'<td width="56"><p class="MsoNormal" align="center"><span>&nbsp;{v}&nbsp;</span></p></td>'
        if v else "<td>&nbsp;</td>"
        for v in values
    )


def _value(label: str) -> list[str]:
    return CMS_VALUES.get(label, ["0", "0", "0", "0", "0", "0", "0"])


def _cms_table3() -> str:
    rows = [
        '<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，<br>'
        '等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>',
        '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td>'
        '<td rowspan="2">总计</td></tr>',
        "<tr><td>商业<br>企业</td><td>科研<br>机构</td><td>社会公益<br>组织</td>"
        "<td>法律服务<br>机构</td><td>其&nbsp;他</td></tr>",
    ]
    for label in ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"):
        rows.append(f'<tr><td colspan="3">{label}</td>{_numbers(_value(label))}</tr>')
    vertical = "<br>".join("三、本年度办理结果")
    done: set[str] = set()
    for path, group, label in TABLE3_ROWS:
        if path[:2] != ("requests", "results"):
            continue
        lead = f'<td rowspan="22">{vertical}</td>' if path[-1] == "granted" else ""
        if group is None:
            cells = f'<td colspan="2">{label}</td>'
        elif group not in done:
            done.add(group)
            size = dict(_GROUPS)[group]
            cells = f'<td rowspan="{size}">{group}</td><td>{label}</td>'
        else:
            cells = f"<td>{label}</td>"
        rows.append(f"<tr>{lead}{cells}{_numbers(_value(label))}</tr>")
    label = "四、结转下年度继续办理"
    rows.append(f'<tr><td colspan="3">{label}</td>{_numbers(_value(label))}</tr>')
    return '<table border="1" cellspacing="0"><tbody>' + "\n".join(rows) + "</tbody></table>"


def _cms_page(meta: str = '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'):
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head>{meta}<title>某某县政府门户网站</title>
<style>.nav{{color:red}} td{{font-size:14px}}</style>
<script>var 统计 = "不应读出的脚本";</script></head>
<body>
<table width="1000" align="center"><tr><td colspan="2">
  <div class="nav"><a href="/">首页</a> &gt; <a href="/xxgk">政府信息公开</a></div>
  <nav><a>网站地图</a></nav></td></tr>
<tr><td class="left" width="200"><ul><li><a href="#">政府信息公开指南</a></li>
  <li><a href="#">政府信息公开年报</a></li></ul></td>
<td class="content"><table width="100%"><tr><td>
  <div class="title">某某县自然资源局2024年政府信息公开工作年度报告</div>
  <div class="info">发布时间：2025-01-20　来源：某某县自然资源局<span
    style="display:none">隐藏的统计代码</span></div>
  <p>&nbsp;&nbsp;&nbsp;&nbsp;本报告根据《中华人民共和国政府信息公开条例》编制。</p>
  <p><strong>一、总体情况</strong></p>
  <p>第一行<br>第二行</p>
  <p><b>三、收到和处理政府信息公开申请情况</b></p>
  {_cms_table3()}
  <p>联系电话：0901-1234567</p>
</td></tr></table></td></tr></table>
<script>document.write("<p>脚本写出的段落</p>")</script>
</body></html>"""


@pytest.fixture(scope="module")
def cms():
    return html_document(_cms_page().encode("gbk"))


def test_cms_page_table3_every_cell_in_its_row_and_column(cms) -> None:
    grid = positions(cms, 1)
    assert sorted({r for r, _ in grid}) == list(range(1, 29))
    for row, starts in TABLE3_STARTS.items():
        assert sorted(c for r, c in grid if r == row) == list(starts), row
    # spans: the group labels and 三、本年度办理结果 once, in their first row
    assert grid[(6, 1)] == "三\n、\n本\n年\n度\n办\n理\n结\n果"
    assert grid[(8, 2)] == "（三）不予公开" and grid[(8, 3)] == "1.属于国家秘密"
    assert grid[(9, 3)] == "2.其他法律行政法规禁止公开"
    assert grid[(16, 2)] == "（四）无法提供" and grid[(19, 2)] == "（五）不予处理"
    assert grid[(24, 2)] == "（六）其他处理" and grid[(26, 3)] == "3.其他"
    assert grid[(2, 4)] == "自然人" and grid[(2, 10)] == "总计"
    assert grid[(3, 5)] == "商业\n企业" and grid[(3, 9)] == "其 他"  # <br>, &nbsp;
    assert grid[(1, 1)].startswith("（本列数据的勾稽关系为：第一项加第二项之和，\n等于")
    # numbers: &nbsp; padding gone, a blank cell kept blank at its place
    assert grid[(4, 4)] == "12" and grid[(4, 6)] == "" and grid[(4, 10)] == "18"
    assert grid[(28, 5)] == "/" and grid[(28, 6)] == "—"
    rows = table3_rows(cms)
    assert len(rows) == 25
    for label, values in CMS_VALUES.items():
        assert rows[squash(label)] == values, label
    assert rows[squash("5.要求行政机关确认或重新出具已获取信息")] == ["0"] * 7


def test_cms_page_layout_tables_flow_as_paragraphs(cms) -> None:
    assert cms.kind == HTML and cms.findings == []  # GBK as declared: no warning
    tables = {c.where.table for line in cms.lines for c in line.cells}
    assert tables == {None, 1}  # the three layout tables are no data tables
    paragraphs = [line for line in cms.lines if not line.grid]
    texts = [line.text for line in paragraphs]
    assert all(len(line.cells) == 1 for line in paragraphs)
    assert [line.where.line for line in paragraphs] == list(range(1, len(paragraphs) + 1))
    assert "某某县自然资源局2024年政府信息公开工作年度报告" in texts
    assert "本报告根据《中华人民共和国政府信息公开条例》编制。" in texts  # &nbsp; indent gone
    assert "一、总体情况" in texts
    assert texts.index("第一行") + 1 == texts.index("第二行")  # <br> breaks the paragraph
    assert "发布时间：2025-01-20　来源：某某县自然资源局" in texts  # U+3000 kept
    whole = "\n".join(line.text for line in cms.lines)
    for noise in ("不应读出的脚本", "脚本写出的段落", "隐藏的统计代码", "网站地图", "td{"):
        assert noise not in whole
    # reading order: the heading before the table, the phone number after it
    order = [line.text for line in cms.lines]
    heading = order.index("三、收到和处理政府信息公开申请情况")
    assert cms.lines[heading + 1].grid and order[-1] == "联系电话：0901-1234567"


@pytest.mark.parametrize(
    "meta",
    ['<meta charset="gb2312">', "<META HTTP-EQUIV='content-type' CONTENT='text/html;charset=GBK'>"],
)
def test_declared_gb_charsets(meta: str) -> None:
    page = _cms_page(meta).replace("某某县", "喆县")  # 喆: in GBK, not in GB2312
    doc = html_document(page.encode("gbk"))
    assert "喆县自然资源局2024年政府信息公开工作年度报告" in [line.text for line in doc.lines]
    assert doc.findings == []


def test_undeclared_gbk_read_with_a_warning() -> None:
    doc = html_document(_cms_page(meta="").encode("gbk"))
    assert [f.code for f in doc.findings] == [fc.FILE_ENCODING]
    assert table3_rows(doc)[squash("（七）总计")] == CMS_VALUES["（七）总计"]


@pytest.mark.parametrize(
    "bom,codec", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")]
)
def test_byte_order_marks(bom: bytes, codec: str) -> None:
    doc = html_document(bom + _cms_page(meta="").encode(codec))
    assert doc.findings == []
    assert "一、总体情况" in [line.text for line in doc.lines]


# -- our own renderer's page -------------------------------------------------------------------


@pytest.mark.parametrize("which", ["seed", "distinct"])
def test_rendered_page_table3_cells_as_the_oracle_lays_them_out(which: str) -> None:
    data = load_example() if which == "seed" else distinct_report()
    doc = html_document(render(data))
    grid = positions(doc, 2)  # table 二 comes first
    expected = expected_grids(data)["table3"]
    for row, starts in TABLE3_STARTS.items():
        assert sorted(c for r, c in grid if r == row) == list(starts), row
        for column in starts:
            assert squash(grid[(row, column)]) == squash(expected[row - 1][column - 1])
    assert table3_rows(doc) == expected_table3(data)
    if which == "seed":  # the seed as published: no requests at all
        assert set(map(tuple, table3_rows(doc).values())) == {("0",) * 7}


# -- hostile pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [MAX_DEPTH + 20, 100_000])
def test_deep_nesting_is_refused(depth: int) -> None:
    page = "<html><body>" + "<div>" * depth + "x" + "</div>" * depth + "</body></html>"
    assert "嵌套" in refusal(html_document, page.encode())


def test_deep_nested_tables_are_refused() -> None:
    page = "<html><body>" + "<table><tr><td>" * 5000 + "x</body></html>"
    assert "嵌套" in refusal(html_document, page.encode())


def test_a_span_bomb_is_refused() -> None:
    rows = '<tr><td rowspan="65534" colspan="1000">x</td><td>1</td></tr>' * 3000
    page = f"<html><body><table>{rows}</table></body></html>".encode()
    assert "跨行" in refusal(html_document, page)


def test_a_huge_page_is_refused() -> None:
    page = b"<html><body><p>" + "年报".encode() * (11 * 1024 * 1024) + b"</p></body></html>"
    assert "文件过大" in refusal(html_document, page)


def test_a_page_without_text_is_refused() -> None:
    assert "没有可读的文字" in refusal(html_document, b"<html><body><img src=a.png></body></html>")
    assert "文件为空" in refusal(html_document, b"")
