"""The report's content, shared by every format: generated paragraphs, lead-ins, preamble,
cleaning, and the Markdown rendering of it."""

from __future__ import annotations

import copy
import io
import zipfile
from typing import Any

import docx
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from xxgk.format import model as m
from xxgk.report import content as rc
from xxgk.report import document as rm
from xxgk.report import text as t
from xxgk.report.docx import render as render_docx
from xxgk.report.html import render as render_html
from xxgk.report.markdown import render as render_md

from .conftest import load_example
from .oracle import expected_grids, expected_markdown_tables, markdown_tables, put
from .report_support import distinct_report, docx_grids, hostile_report, html_grids


def _blank(data: dict) -> dict:
    data = copy.deepcopy(data)
    for key in data["overview"]:
        data["overview"][key] = ""
    data["problems"] = data["improvements"] = ""
    data["other_matters"]["text"] = ""
    return data


def _section(doc: rc.Document, number: str) -> list[rc.Para]:
    section = next(s for s in doc.sections if s.number == number)
    return [b for b in section.blocks if isinstance(b, rc.Para)]


def test_all_zero_report_sentences(example: dict) -> None:
    doc = rm.build(_blank(example))
    paras = _section(doc, "一")
    assert [p.text for p in paras if p.kind == rc.H2] == [f.label for f in m.OVERVIEW_PARTS[1:]]
    texts = [p.text for p in paras if p.kind == rc.BODY]
    assert (
        "2024年，本机关未收到政府信息公开申请，"
        "未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
    ) in texts
    # a county department cannot make 规章: it is not told it made none
    assert any("未收取行政事业性收费" in x and "未制发、废止行政规范性文件" in x for x in texts)
    assert not any("规章" in x for x in texts)
    assert texts[0].startswith("现将额敏县商务和工业信息化局2024年")
    (fee,) = (p.text for p in _section(doc, "六"))
    assert "国办函〔2020〕109号" in fee and "未收取信息处理费" in fee


def test_review_without_requests(example: dict) -> None:
    data = _blank(example)
    data["review_litigation"]["review"].update(upheld=2, total=2)
    text = t.on_request(data)
    assert text.startswith("2024年，本机关未收到政府信息公开申请，")
    assert "被申请行政复议2件" in text and "未被提起行政诉讼" in text


def test_on_request_figures() -> None:
    data = distinct_report()
    req = data["requests"]
    text = t.on_request(data)
    assert f"新收政府信息公开申请{req['new']['total']}件" in text
    legal = sum(req["new"][c.id] for c in m.LEGAL_PERSON_COLUMNS)
    assert req["new"]["natural_person"] + legal == req["new"]["total"]
    assert (
        f"（其中自然人申请{req['new']['natural_person']}件，法人或其他组织申请{legal}件）" in text
    )
    assert f"本年度办理完毕{req['results']['total']['total']}件" in text
    assert f"予以公开{req['results']['granted']['total']}件" in text
    denied = sum(v["total"] for v in req["results"]["denied"].values())
    assert f"不予公开{denied}件" in text
    review = data["review_litigation"]["review"]["total"]
    assert f"被申请行政复议{review}件" in text


def test_proactive_figures() -> None:
    data = distinct_report()
    text = t.proactive(data)
    rules = data["proactive"]["rules"]
    assert f"制发规章{rules['issued']}件、废止{rules['repealed']}件" in text
    assert f"行政许可决定{data['proactive']['licensing']['decisions']}件" in text
    assert f"收取行政事业性收费{data['proactive']['fees']['amount']}万元" in text


def test_own_lead_in_kept_without_duplicate_heading(example: dict) -> None:
    doc = rm.build(example)
    paras = _section(doc, "一")
    assert not [p for p in paras if p.kind == rc.H2]
    assert [p.lead for p in paras[1:]] == [
        "（一）主动公开。",
        "（二）依申请公开情况。",
        "（三）政府信息管理情况。",
        "（四）平台建设情况。",
        "（五）监督保障情况。",
    ]
    # the staff's text is kept as it is: lead + rest == their paragraph
    assert paras[1].lead + paras[1].text == example["overview"]["proactive"]


def test_text_without_lead_gets_heading_and_paragraphs(example: dict) -> None:
    data = copy.deepcopy(example)
    data["overview"]["platform"] = "第一段。\n\n　　第二段。\x0b第三段。"
    paras = _section(rm.build(data), "一")
    i = next(i for i, p in enumerate(paras) if p.text == "（四）政府信息公开平台建设")
    assert paras[i].kind == rc.H2
    assert [p.text for p in paras[i + 1 : i + 4]] == ["第一段。", "第二段。", "第三段。"]


def test_section_six_statement_not_duplicated(example: dict) -> None:
    doc = rm.build(example)  # the seed's own text cites 国办函〔2020〕109号
    assert len(_section(doc, "六")) == 1
    data = copy.deepcopy(example)
    data["other_matters"]["text"] = "本年度无其他需要报告的事项。"
    texts = [p.text for p in _section(rm.build(data), "六")]
    assert len(texts) == 2 and "109号" in texts[0] and texts[1] == "本年度无其他需要报告的事项。"


def test_preamble(example: dict) -> None:
    text = t.preamble(example)
    assert "（国办公开办函〔2021〕30号）、地区《关于做好2024年度" in text
    assert "报告统计期限为2024年1月1日至2024年12月31日。" in text
    assert "额敏县商务和工业信息化局办公室联系（地址：额敏县友好路；邮编834600；" in text
    data = copy.deepcopy(example)
    del data["local_notice"]
    assert "（国办公开办函〔2021〕30号）要求编制。" in t.preamble(data)
    assert rm.build(data).title == "额敏县商务和工业信息化局2024年政府信息公开工作年度报告"


def test_dates_and_numbers() -> None:
    assert t.chinese_date("2025-02-13") == "2025年2月13日"
    assert t.chinese_date("2025-10-01") == "2025年10月1日"
    assert [t.number(v) for v in (0, 7, 3.0, 26.55, 18.871, 1e-05)] == [
        "0",
        "7",
        "3",
        "26.55",
        "18.871",
        "0.00001",
    ]


def test_cleaning() -> None:
    assert t.paragraphs("a\x0bb\r\nc\x0cd\u2028e") == ["a", "b", "c", "d", "e"]
    assert t.paragraphs("\x00x\x01\x1f\x7f\ud800\ufffe\uffffy\t z") == ["xy  z"]
    assert t.paragraphs("　　缩进 ") == ["缩进"]
    assert t.paragraphs(None) == []


def test_markdown(example: dict) -> None:
    text = render_md(example).decode("utf-8")
    assert text.startswith("# 额敏县商务和工业信息化局2024年政府信息公开工作年度报告\n")
    assert [line[3:] for line in text.splitlines() if line.startswith("## ")] == [
        s.heading for s in m.SECTIONS
    ]
    # a bold lead CommonMark can close: the 。 stays outside the **
    assert "**（一）主动公开**。按照" in text
    assert text.rstrip().endswith("额敏县商务和工业信息化局  \n2025年2月13日")


def test_markdown_hostile() -> None:
    data = hostile_report()
    data["overview"]["oversight"] = "# 不是标题 | 竖线 *星* [链接](x) &lt;"
    text = render_md(data).decode("utf-8")
    assert "<script" not in text and "<b>" not in text and "<img" not in text
    assert "&lt;script>alert(1)&lt;/script>" in text
    assert "\\# 不是标题 \\| 竖线 \\*星\\* \\[链接\\](x) &amp;lt;" in text
    for bad in ("\x0b", "\x0c", "\x00", "\ud800"):
        assert bad not in text
    text.encode("utf-8")


DELETE = object()  # the key is removed
BAD_VALUES = st.sampled_from([None, "无", "—", -3, 1.5, [], {}, True, "<b>&</b>", DELETE])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(m.leaves()), BAD_VALUES), min_size=1, max_size=4))
def test_data_with_errors_still_renders(mutations: list) -> None:
    """`convert --force` renders data with errors: a wrong or missing value never fails the
    report; it shows as an empty or literal cell. (A list or object in a table cell is left to
    the tests below: how it prints depends on the rest of the data.)"""
    data = load_example()
    for leaf, value in mutations:
        assume(not (leaf.table and isinstance(value, (list, dict))))
        node = data
        for key in leaf.path[:-1]:
            node = node.setdefault(key, {}) if isinstance(node, dict) else {}
        if value is DELETE:
            node.pop(leaf.path[-1], None)
        else:
            node[leaf.path[-1]] = value
    _check_read_back(data)


def _check_read_back(data: dict) -> None:
    """Each format opens with its reader and shows the six official sections, and every table
    cell the value `data` holds there, literally (tests/oracle.py), empty where it has none."""
    raw = render_docx(data)
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        etree.fromstring(zf.read("word/document.xml"))
    document = docx.Document(io.BytesIO(raw))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == SECTION_HEADINGS
    assert docx_grids(raw) == expected_grids(data)
    page = render_html(data)
    assert b"<b>" not in page
    article = lxml_html.fromstring(page).find(".//article")
    assert [h.text_content() for h in article.iter("h2")] == SECTION_HEADINGS
    assert html_grids(page) == expected_grids(data)
    text = render_md(data).decode("utf-8")
    assert [line[3:] for line in text.splitlines() if line.startswith("## ")] == SECTION_HEADINGS
    assert markdown_tables(text) == expected_markdown_tables(data)


SECTION_HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]


def test_not_even_a_report_renders() -> None:
    for data in ({}, {"agency": "x", "requests": []}):
        _check_read_back(data)


ODD_CELLS = {("proactive", "rules", "issued"): [], ("requests", "new", "commercial"): {"x": 1}}
ODD_MARK = "\ue000"  # stands for an odd cell in the expected grid


def _odd(example: dict, complete: bool) -> dict:
    data = copy.deepcopy(example)
    for path, value in ODD_CELLS.items():
        put(data, path, value)
    if not complete:
        del data["problems"]  # an unrelated key missing
    return data


def test_a_list_or_object_in_a_table_cell_does_not_break_the_report(example: dict) -> None:
    """Every other cell as the data says; the odd ones empty or showing their text."""
    for complete in (True, False):
        data = _odd(example, complete)
        marked = copy.deepcopy(data)
        for path in ODD_CELLS:
            put(marked, path, ODD_MARK)
        allowed = {"", "[]", "{'x': 1}"}
        for got, want in (
            (docx_grids(render_docx(data)), expected_grids(marked)),
            (html_grids(render_html(data)), expected_grids(marked)),
            (markdown_tables(render_md(data).decode()), expected_markdown_tables(marked)),
        ):
            flat_got = [c for t in _values(got) for row in t for c in row]
            flat_want = [c for t in _values(want) for row in t for c in row]
            assert len(flat_got) == len(flat_want)
            for g, w in zip(flat_got, flat_want, strict=True):
                assert g in allowed if w == ODD_MARK else g == w, (g, w)


def _values(tables: Any) -> list[list[list[str]]]:
    return list(tables.values()) if isinstance(tables, dict) else tables


def test_a_list_or_object_in_a_table_cell_prints_alike_whatever_else_is_missing(
    example: dict,
) -> None:
    complete, incomplete = _odd(example, True), _odd(example, False)
    assert docx_grids(render_docx(complete)) == docx_grids(render_docx(incomplete))
    assert html_grids(render_html(complete)) == html_grids(render_html(incomplete))
    md = markdown_tables(render_md(complete).decode())
    assert md == markdown_tables(render_md(incomplete).decode())


def test_markdown_numbered_lines_stay_text_without_stray_backslashes(example: dict) -> None:
    example["problems"] = "2. 完善制度\n10. 第十项\n# 不是标题"
    md = render_md(example).decode("utf-8")
    assert "2\\. 完善制度" in md and "10\\. 第十项" in md and "\\# 不是标题" in md
    assert "\\2" not in md and "\\10" not in md


def test_an_office_is_not_told_to_contact_its_own_office(example: dict) -> None:
    example["agency"]["name"] = "某县人民政府办公室"
    assert "请与某县人民政府办公室联系" in t.preamble(example)
    example["agency"]["name"] = "某县财政局"
    assert "请与某县财政局办公室联系" in t.preamble(example)


def test_a_blank_year_prints_a_gap_not_none(example: dict) -> None:
    example["year"] = None
    text = render_md(example).decode("utf-8")
    assert "None" not in text
    assert t.title(example).endswith("____年政府信息公开工作年度报告")


def test_a_line_break_inside_the_agency_name_joins(example: dict) -> None:
    example["agency"]["name"] = "某县\n商务局"
    md = render_md(example).decode("utf-8")
    assert md.splitlines()[0] == "# 某县商务局2024年政府信息公开工作年度报告"
    assert "某县商务局\n2025年2月13日" in md.replace("  \n", "\n")


def test_markdown_tildes_do_not_strike_through(example: dict) -> None:
    example["problems"] = "~~删~~ 与 ~示例~"
    md = render_md(example).decode("utf-8")
    assert "\\~\\~删\\~\\~" in md and "~~删~~" not in md
