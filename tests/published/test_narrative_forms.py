"""The forms published reports take, one at a time, on a small report written for the test:
titles, dates, headings with spaces or in traditional characters, own sub-headings, missing
parts, section 五 without （一）（二）, the fee statements of 六, and each finding code."""

from __future__ import annotations

import pytest

from xxgk.check import findings as fc
from xxgk.published.document import PDF, Document
from xxgk.published.narrative import read_text
from xxgk.published.recognised import Recognised

from .textdoc import document

TITLE = "某县自然资源局2024年政府信息公开工作年度报告"
PREAMBLE = (
    "本报告根据《中华人民共和国政府信息公开条例》编制。报告统计期限为2024年1月1日至2024年12月31日。"
    "如对本报告有疑问，请与某县自然资源局办公室联系（地址：某县人民路1号；邮编100000；"
    "电话：010-12345678）。"
)
OVERVIEW = [
    "一、总体情况",
    "本局认真落实条例。",
    "（一）主动公开",
    "全年公开信息20条。",
    "（二）依申请公开",
    "全年收到申请1件。",
    "（三）政府信息管理",
    "一是健全制度。二是规范发布。",
    "（四）政府信息公开平台建设",
    "维护门户网站。",
    "（五）监督保障",
    "开展培训2次。",
]
TABLES = [
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
]
FIVE = [
    "五、存在的主要问题及改进情况",
    "（一）存在的主要问题",
    "人员不足。",
    "（二）改进情况",
    "加强培训。",
]
SIX = ["六、其他需要报告的事项", "本年度未收取信息处理费。"]
END = ["某县自然资源局", "2025年1月20日"]


def report(
    title: list[str] | None = None,
    preamble: list[str] | None = None,
    overview: list[str] | None = None,
    five: list[str] | None = None,
    six: list[str] | None = None,
    end: list[str] | None = None,
) -> Recognised:
    lines = [
        *([TITLE] if title is None else title),
        *([PREAMBLE] if preamble is None else preamble),
        *(OVERVIEW if overview is None else overview),
        *TABLES,
        *(FIVE if five is None else five),
        *(SIX if six is None else six),
        *(END if end is None else end),
    ]
    doc, skip = document("\n".join(lines))
    return read_text(doc, skip)


def codes(r: Recognised) -> list[str]:
    return [f.code for f in r.findings]


def test_the_small_report_reads_whole_without_findings() -> None:
    r = report()
    assert r.findings == []
    assert r.values["/agency/name"] == "某县自然资源局"
    assert r.values["/year"] == 2024
    assert r.values["/published_on"] == "2025-01-20"
    assert r.values["/overview/summary"] == "本局认真落实条例。"
    assert r.values["/overview/management"] == "一是健全制度。二是规范发布。"
    assert r.values["/problems"] == "人员不足。" and r.values["/improvements"] == "加强培训。"
    assert r.values["/other_matters/text"] == "本年度未收取信息处理费。"
    assert r.values["/agency/address"] == "某县人民路1号"
    assert "/preamble" in r.values  # shorter than the renderer's: kept as printed


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("2025年2月13日", "2025-02-13"),
        ("二〇二五年二月十三日", "2025-02-13"),
        ("二〇二五年十二月三十一日", "2025-12-31"),
        ("2025-02-13", "2025-02-13"),
        ("2025年 2月 3日", "2025-02-03"),
    ],
)
def test_date_forms(printed: str, iso: str) -> None:
    r = report(end=["某县自然资源局", printed])
    assert r.values["/published_on"] == iso
    assert "某县自然资源局" not in r.values["/other_matters/text"]


def test_signature_and_date_on_one_line() -> None:
    r = report(end=["某县自然资源局 2025年2月13日"])
    assert r.values["/published_on"] == "2025-02-13"
    assert r.values["/other_matters/text"] == "本年度未收取信息处理费。"


def test_no_date_is_a_finding_never_a_guess() -> None:
    r = report(end=["某县自然资源局"])
    assert "/published_on" not in r.values
    assert codes(r) == [fc.IMPORT_NO_DATE]
    assert r.findings[0].path == "/published_on"
    assert r.values["/other_matters/text"] == "本年度未收取信息处理费。"  # signature not text


def test_a_date_that_does_not_exist_is_not_imported() -> None:
    r = report(end=["某县自然资源局", "2025年2月30日"])
    assert "/published_on" not in r.values
    assert codes(r) == [fc.IMPORT_NO_DATE]
    assert "2025年2月30日" in r.findings[0].message


@pytest.mark.parametrize(
    ("title", "agency", "year"),
    [
        (["某县自然资源局2024年度政府信息公开工作年度报告"], "某县自然资源局", 2024),
        (["某县自然资源局", "2024年政府信息公开工作年度报告"], "某县自然资源局", 2024),
        (["某县自然资源局2024年政府信息", "公开工作年度报告"], "某县自然资源局", 2024),
        (["某县自然资源局 2024 年政府信息公开工作年度报告"], "某县自然资源局", 2024),
        (["某县自然资源局关于2024年政府信息公开工作的年度报告"], "某县自然资源局", 2024),
        (["自然资源部2024年政府信息公开工作报告"], "自然资源部", 2024),
    ],
)
def test_title_forms(title: list[str], agency: str, year: int) -> None:
    r = report(title=title)
    assert (r.values["/agency/name"], r.values["/year"]) == (agency, year)
    assert r.findings == []


def test_no_title_agency_from_signature_year_from_period() -> None:
    r = report(title=[])
    assert r.values["/agency/name"] == "某县自然资源局"
    assert r.values["/year"] == 2024
    assert sorted(codes(r)) == sorted([fc.IMPORT_AGENCY_FROM_SIGNATURE, fc.IMPORT_YEAR_FROM_PERIOD])
    year = next(f for f in r.findings if f.code == fc.IMPORT_YEAR_FROM_PERIOD)
    assert year.source == {"line": 1}  # the preamble's line


def test_nothing_to_name_the_agency_or_the_year() -> None:
    r = report(title=[], preamble=["本报告根据条例编制。"], end=[])
    assert "/agency/name" not in r.values and "/year" not in r.values
    assert {fc.IMPORT_NO_TITLE, fc.IMPORT_NO_YEAR, fc.IMPORT_NO_DATE} <= set(codes(r))
    no_title = next(f for f in r.findings if f.code == fc.IMPORT_NO_TITLE)
    assert no_title.severity == fc.ERROR and no_title.paths == ["/agency/name", "/year"]


def test_spaced_and_traditional_headings() -> None:
    overview = ["一 、總 體 情 況", *OVERVIEW[1:]]
    overview[2] = "（一）主動公開"
    r = report(overview=overview, five=["五、存在的主要問題及改進情況", *FIVE[1:]])
    assert fc.IMPORT_SECTION_MISSING not in codes(r)
    assert r.values["/overview/proactive"] == "全年公开信息20条。"
    assert "/headings/overview.proactive" not in r.values  # 主動公開 is the standard title


def test_own_sub_heading_mapped_by_its_words() -> None:
    overview = list(OVERVIEW)
    overview[6] = "（三）完善公开制度规范，加强政府信息管理"
    overview[8] = "（四）强化平台建设"
    r = report(overview=overview)
    assert r.values["/headings/overview.management"] == "完善公开制度规范，加强政府信息管理"
    assert r.values["/overview/management"] == "一是健全制度。二是规范发布。"
    assert r.values["/headings/overview.platform"] == "强化平台建设"
    assert r.findings == []


def test_parts_in_another_order_go_to_their_fields() -> None:
    overview = [
        "一、总体情况",
        "（一）监督保障情况。开展培训2次。",
        "（二）主动公开情况。全年公开信息20条。",
    ]
    r = report(overview=overview)
    assert r.values["/overview/oversight"] == "（一）监督保障情况。开展培训2次。"
    assert r.values["/overview/proactive"] == "（二）主动公开情况。全年公开信息20条。"
    missing = [f.path for f in r.findings if f.code == fc.IMPORT_PART_MISSING]
    assert missing == ["/overview/on_request", "/overview/management", "/overview/platform"]


def test_four_parts_instead_of_five_names_the_missing_one() -> None:
    r = report(overview=OVERVIEW[:10])  # no （五）监督保障
    assert codes(r) == [fc.IMPORT_PART_MISSING]
    assert r.findings[0].path == "/overview/oversight"
    assert "（五）监督保障" in r.findings[0].message
    assert r.findings[0].source == {"line": 3}  # the heading 一、总体情况


def test_no_sub_headings_all_in_the_summary() -> None:
    r = report(overview=["一、总体情况", "本局认真落实条例。", "全年公开信息20条。"])
    assert r.values["/overview/summary"] == "本局认真落实条例。\n全年公开信息20条。"
    assert codes(r) == [fc.IMPORT_NO_PARTS]
    assert r.findings[0].paths == [
        f"/overview/{k}" for k in ("proactive", "on_request", "management", "platform", "oversight")
    ]


def test_a_sub_heading_with_no_field_is_kept_with_the_part_before() -> None:
    overview = [*OVERVIEW[:6], "（三）政府信息公开的收费情况", "未收取费用。", *OVERVIEW[6:]]
    r = report(overview=overview)
    assert r.values["/overview/on_request"] == (
        "全年收到申请1件。\n（三）政府信息公开的收费情况\n未收取费用。"
    )
    assert codes(r) == [fc.IMPORT_PART_UNMAPPED]
    assert r.findings[0].args["lead"] == "（三）政府信息公开的收费情况"


def test_section_five_without_numbered_parts_split_at_the_improvements() -> None:
    r = report(five=["五、存在的主要问题及改进情况", "一是人员不足。", "下一步，我局将加强培训。"])
    assert r.values["/problems"] == "一是人员不足。"
    assert r.values["/improvements"] == "下一步，我局将加强培训。"
    assert r.findings == []


def test_section_five_with_problems_only() -> None:
    r = report(five=["五、存在的主要问题及改进情况", "人员不足。"])
    assert r.values["/problems"] == "人员不足。"
    assert "/improvements" not in r.values
    assert codes(r) == [fc.IMPORT_PART_MISSING] and r.findings[0].path == "/improvements"


@pytest.mark.parametrize(
    ("text", "notices", "amount"),
    [
        ("依据《政府信息公开信息处理费管理办法》，本年度未收取信息处理费。", 0, 0),
        ("本年度发出收费通知2件，收取信息处理费120元。", 2, 120),
        ("本年度未发出收费通知，未收取信息处理费。", 0, 0),
        ("发出收费通知1件，收取信息处理费12.5元。", 1, 12.5),
    ],
)
def test_fee_statements(text: str, notices: int, amount: float) -> None:
    r = report(six=["六、其他需要报告的事项", text])
    assert r.values["/other_matters/processing_fees/notices"] == notices
    assert r.values["/other_matters/processing_fees/amount_yuan"] == amount
    assert r.values["/other_matters/text"] == text
    assert r.findings == []


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("本机关按照《政府信息公开信息处理费管理办法》执行。", 2),  # the title is no statement
        ("本年度收取信息处理费0.5万元。", 2),  # 万元: not certain what in 元
        ("本年度发出收费通知3件。", 1),
    ],
)
def test_fees_not_stated_for_certain(text: str, missing: int) -> None:
    r = report(six=["六、其他需要报告的事项", text])
    assert codes(r) == [fc.IMPORT_FEES_UNSTATED]
    assert len(r.findings[0].paths) == missing


def test_preamble_contacts_email_website_and_report_url() -> None:
    preamble = PREAMBLE.replace(
        "电话：010-12345678）。",
        "电话：010-12345678；电子邮箱：zrzy@example.gov.cn；网址：http://zrzy.example.gov.cn）。"
        "本报告电子版可在http://www.example.gov.cn/xxgk/2024.html查阅。",
    )
    r = report(preamble=[preamble])
    assert r.values["/agency/email"] == "zrzy@example.gov.cn"
    assert r.values["/agency/website"] == "http://zrzy.example.gov.cn"
    assert r.values["/report_url"] == "http://www.example.gov.cn/xxgk/2024.html"
    assert r.values["/agency/postcode"] == "100000"


def test_no_contact_details() -> None:
    r = report(preamble=["本报告根据条例编制。报告统计期限为2024年1月1日至2024年12月31日。"])
    assert codes(r) == [fc.IMPORT_NO_CONTACT]
    assert r.findings[0].paths == ["/agency/address", "/agency/postcode", "/agency/phone"]


def test_missing_section_and_prose_under_a_table() -> None:
    doc, skip = document(
        "\n".join(
            [
                TITLE,
                PREAMBLE,
                *OVERVIEW,
                TABLES[0],
                TABLES[1],
                "本年度共收到申请1件，已按期答复。",
                *FIVE,
                *SIX,
                *END,
            ]
        )
    )
    r = read_text(doc, skip)
    assert sorted(codes(r)) == sorted([fc.IMPORT_SECTION_MISSING, fc.IMPORT_TEXT_UNPLACED])
    missing = next(f for f in r.findings if f.code == fc.IMPORT_SECTION_MISSING)
    assert missing.path == "/review_litigation" and missing.source == {"line": 18}
    unplaced = next(f for f in r.findings if f.code == fc.IMPORT_TEXT_UNPLACED)
    assert unplaced.path == "/requests" and unplaced.source == {"line": 17}


def test_table_rows_that_look_like_headings_are_not_sections() -> None:
    # 三、本年度办理结果 and 四、结转下年度继续办理 are table 三's rows, not sections 三 and 四
    doc, skip = document(
        "\n".join(
            [
                TITLE,
                PREAMBLE,
                *OVERVIEW,
                TABLES[0],
                "三、本年度办理结果",
                "四、结转下年度继续办理",
                *FIVE,
                *SIX,
                *END,
            ]
        )
    )
    r = read_text(doc, skip)
    missing = sorted(f.args["section"] for f in r.findings if f.code == fc.IMPORT_SECTION_MISSING)
    assert missing == [
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]


def test_page_furniture_is_not_preamble() -> None:
    r = report(preamble=["来源：某县人民政府  发布时间：2025-01-20", PREAMBLE])
    assert r.values["/preamble"] == PREAMBLE
    assert r.origins["/preamble"].line == 3


def test_page_numbers_between_lines_are_not_text() -> None:
    overview = [*OVERVIEW[:8], "- 3 -", "第4页 共10页", *OVERVIEW[8:]]
    r = report(overview=overview)
    assert r.values["/overview/management"] == "一是健全制度。二是规范发布。"
    assert r.findings == []


def test_a_portal_path_before_the_title_is_not_preamble() -> None:
    r = report(title=["首页 > 政府信息公开 > 政府信息公开年报", TITLE])
    assert r.values["/agency/name"] == "某县自然资源局"
    assert r.values["/preamble"] == PREAMBLE


def test_a_footer_after_the_date_is_not_text() -> None:
    footer = ["图解：2024年主要数据", "主动公开", "20件主动公开信息", "【打印本页】【关闭窗口】"]
    r = report(end=[*END, *footer])
    assert r.values["/published_on"] == "2025-01-20"
    assert r.values["/other_matters/text"] == "本年度未收取信息处理费。"
    assert r.findings == []


def test_a_sentence_ending_with_a_date_is_not_the_date_line() -> None:
    r = report(six=[*SIX, "以上数据统计截至2024年12月31日"], end=["某县自然资源局"])
    assert "/published_on" not in r.values
    assert r.values["/other_matters/text"].endswith("以上数据统计截至2024年12月31日")


def test_a_pdf_s_wrapped_lines_are_joined_into_paragraphs() -> None:
    # A PDF's text layer: visual lines of about 28 characters, spaces beside digits, a page
    # number between two lines of one paragraph.
    lines = [
        "某县自然资源局 2024 年政府信息",
        "公开工作年度报告",
        "本报告根据《中华人民共和国政府信息公开条例》编制。报告统计期",
        "限为 2024 年 1 月 1 日至 2024 年 12 月 31 日。如对本报告有疑问，请与",
        "本局办公室联系（地址：某县人民",
        "路 1 号；邮编 100000；电话：010-12345678）。",
        *OVERVIEW[:3],
        "全年公开信息 20 条，其中政策文",
        "— 2 —",
        "件 3 件。",
        *OVERVIEW[4:],
        *TABLES,
        *FIVE,
        *SIX,
        "某县自然资源局",
        "2025 年 1 月 20 日",
    ]
    doc, skip = document("\n".join(lines))
    r = read_text(Document(PDF, doc.lines), skip)
    assert r.values["/agency/name"] == "某县自然资源局"
    assert r.values["/agency/address"] == "某县人民路1号"
    assert r.values["/overview/proactive"] == "全年公开信息20条，其中政策文件3件。"
    assert r.values["/published_on"] == "2025-01-20"
    assert r.values["/preamble"].startswith(
        "本报告根据《中华人民共和国政府信息公开条例》编制。报告统计期限为2024年"
    )
