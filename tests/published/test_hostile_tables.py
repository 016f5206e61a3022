"""Tables as agencies really print them: each variant of a hand-made report must be read to the
same numbers, or refused with a finding where the numbers cannot be placed with certainty."""

from __future__ import annotations

import opencc
import pytest

from xxgk.check import findings as fc
from xxgk.published.document import TXT
from xxgk.published.recognised import FORMAT_2019, Recognised
from xxgk.published.tables import read_tables
from xxgk.published.text import text_document

T3_LABELS = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果 | （一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开 | 1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "（四）无法提供 | 1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "（五）不予处理 | 1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理 | 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
]
# Row n of table 三 prints n in 自然人, 100 + n in 其他 and 200 + n in 总计: a number read into
# the wrong row or column cannot pass for the right one.
T3_ROWS = [
    f"{label} | {n} | 0 | 0 | 0 | 0 | {100 + n} | {200 + n}"
    for n, label in enumerate(T3_LABELS, start=1)
]
BASE = "\n".join(
    [
        "一、总体情况",
        "本年共收到申请 25 件，其中 3 件予以公开。",
        "二、主动公开政府信息情况",
        "第二十条第（一）项",
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数",
        "规章 | 1 | 2 | 3",
        "行政规范性文件 | 4 | 5 | 6",
        "第二十条第（五）项",
        "信息内容 | 本年处理决定数量",
        "行政许可 | 1,517",
        "第二十条第（六）项",
        "信息内容 | 本年处理决定数量",
        "行政处罚 | 8",
        "行政强制 | 9",
        "第二十条第（八）项",
        "信息内容 | 本年收费金额（单位：万元）",
        "行政事业性收费 | 18.8710",
        "三、收到和处理政府信息公开申请情况",
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况",
        "自然人 | 法人或其他组织 | 总计",
        "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他",
        *T3_ROWS,
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议 | 行政诉讼",
        "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉",
        " | ".join(["结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计"] * 3),
        "1 | 2 | 3 | 4 | 10 | 5 | 6 | 7 | 8 | 26 | 0 | 0 | 0 | 1 | 1",
        "五、存在的主要问题及改进情况",
        "（一）存在的主要问题。人员 2 名 3 处。",
    ]
)

SECRET = "/requests/results/denied/state_secret"
PROHIBITED = "/requests/results/denied/prohibited_by_law"
PARTIAL = "/requests/results/partially_granted"
THIRD = "/requests/results/denied/third_party_rights"


def read(text: str) -> Recognised:
    return read_tables(text_document(text.encode("utf-8"), TXT))


def codes(result: Recognised) -> list[str]:
    return sorted(f.code for f in result.findings)


def test_the_base_report_reads_whole() -> None:
    got = read(BASE)
    assert codes(got) == []
    assert len(got.values) == 10 + 25 * 7 + 15
    assert got.values["/proactive/licensing/decisions"] == 1517
    assert got.values["/proactive/fees/amount"] == 18.871
    assert got.values["/proactive/normative_documents/in_force"] == 6
    assert got.values["/requests/new/natural_person"] == 1
    assert got.values[f"{SECRET}/other"] == 105 and got.values[f"{SECRET}/total"] == 205
    assert got.values["/requests/carried_forward/total"] == 225
    assert got.values["/review_litigation/litigation_direct/total"] == 26
    assert got.values["/review_litigation/litigation_after_review/pending"] == 1


@pytest.mark.parametrize(
    "variant",
    [
        lambda t: t.replace("三、本年度办理结果", "三 、本 年 度办 理 结果").replace(
            "1.属于国家秘密", "1. 属于 国家 秘密"
        ),
        lambda t: opencc.OpenCC("s2t").convert(t),
        lambda t: t.replace("（", "(").replace("）", ")").replace("：", ":").replace("，", ","),
        lambda t: t.replace("1.属于", "1、属于").replace("“", '"').replace("”", '"'),
        # the label's end on the next line, then its start on the line before
        lambda t: t.replace("不计其他情形） | 4 |", "不计其他 | 4 |").replace(
            "| 204\n", "| 204\n情形）\n"
        ),
        lambda t: t.replace("（三）不予公开 | 1.属于", "（三）不予公开\n1.属于"),
        lambda t: t.replace("（七）总计 |", "（七）\n总计 |"),
        # a page break: a page number and the header rows again
        lambda t: t.replace(
            "\n5.属于",
            "\n- 3 -\n第 3 页\n自然人 | 法人或其他组织 | 总计\n"
            "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他\n5.属于",
        ),
        lambda t: t.replace("| 1,517", "| １５１７").replace("规章 | 1 |", "规章 | １ |"),
        lambda t: t.replace(" | ", "\t"),  # tab-separated cells
        lambda t: t.replace("\n1 | 2 | 3 | 4 | 10 |", "\n7\n1 | 2 | 3 | 4 | 10 |"),
    ],
    ids=[
        "spaces",
        "traditional",
        "half-width",
        "marks",
        "label-over-lines",
        "group-line",
        "total-over-lines",
        "page-break",
        "full-width",
        "tabs",
        "bare-page-number",
    ],
)
def test_variants_read_the_same_numbers(variant) -> None:  # type: ignore[no-untyped-def]
    base = read(BASE)
    got = read(variant(BASE))
    assert got.values == base.values
    assert codes(got) == []


def test_a_typo_in_a_label_is_read_with_a_warning() -> None:
    got = read(BASE.replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开"))
    assert got.values[f"{PROHIBITED}/total"] == 206
    assert codes(got) == [fc.IMPORT_LABEL_VARIANT]
    assert got.findings[0].source == {"line": 27, "column": 1}


def test_a_label_too_unlike_any_row_is_not_guessed() -> None:
    got = read(BASE.replace("4.保护第三方合法权益", "4.其他情况"))
    assert not any(p.startswith(THIRD) for p in got.values)
    assert codes(got) == [fc.IMPORT_ROW_MISSING, fc.IMPORT_ROW_UNPLACED]


def test_space_separated_numbers_must_be_complete() -> None:
    whole = read(
        BASE.replace(
            "4.保护第三方合法权益 | 8 | 0 | 0 | 0 | 0 | 108 | 208",
            "4.保护第三方合法权益 8 0 0 0 0 108 208",
        )
    )
    assert whole.values[f"{THIRD}/other"] == 108 and codes(whole) == []
    # one cell printed blank: with spaces only, which column is empty cannot be known
    gap = read(
        BASE.replace(
            "4.保护第三方合法权益 | 8 | 0 | 0 | 0 | 0 | 108 | 208",
            "4.保护第三方合法权益 8 0 0    0 108 208",
        )
    )
    assert not any(p.startswith(THIRD) for p in gap.values)
    assert codes(gap) == [fc.IMPORT_ROW_UNPLACED]
    assert gap.findings[0].source == {"line": 29}
    assert THIRD + "/natural_person" in gap.findings[0].paths


def test_blank_marks_are_zero_with_one_warning() -> None:
    got = read(
        BASE.replace(
            "1.属于国家秘密 | 5 | 0 | 0 | 0 | 0 |", "1.属于国家秘密 | 5 | / | — | － | 无 |"
        ).replace("规章 | 1 | 2 | 3", "规章 | 1 | | 3")
    )
    assert got.values[f"{SECRET}/commercial"] == 0 and got.values[f"{SECRET}/legal_service"] == 0
    assert got.values["/proactive/rules/repealed"] == 0
    assert codes(got) == [fc.IMPORT_CELL_BLANK, fc.IMPORT_CELL_BLANK]  # one per table
    t3 = next(f for f in got.findings if f.path.startswith("/requests"))
    assert len(t3.paths) == 4 and t3.severity == fc.WARNING


def test_an_unreadable_cell_is_left_out_and_the_rest_of_its_row_read() -> None:
    got = read(BASE.replace("行政规范性文件 | 4 | 5 | 6", "行政规范性文件 | 4 | 约5 | 6"))
    assert "/proactive/normative_documents/repealed" not in got.values
    assert got.values["/proactive/normative_documents/in_force"] == 6
    assert codes(got) == [fc.IMPORT_CELL_UNREADABLE]
    assert got.findings[0].source == {"line": 7, "column": 3}


def test_a_row_printed_twice_with_different_numbers_is_refused() -> None:
    got = read(
        BASE.replace(
            "\n8.属于行政查询事项",
            "\n7.属于行政执法案卷 | 9 | 0 | 0 | 0 | 0 | 0 | 9\n8.属于行政查询事项",
        )
    )
    assert not any(p.startswith("/requests/results/denied/enforcement_files") for p in got.values)
    assert codes(got) == [fc.IMPORT_ROW_UNPLACED]
    same = read(
        BASE.replace(
            "\n8.属于行政查询事项",
            "\n7.属于行政执法案卷 | 11 | 0 | 0 | 0 | 0 | 111 | 211\n8.属于行政查询事项",
        )
    )
    assert codes(same) == [] and same.values == read(BASE).values


def test_wrong_published_totals_are_imported_as_printed() -> None:
    got = read(
        BASE.replace(
            "（七）总计 | 24 | 0 | 0 | 0 | 0 | 124 | 224",
            "（七）总计 | 24 | 0 | 0 | 0 | 0 | 124 | 999",
        )
    )
    assert got.values["/requests/results/total/total"] == 999 and codes(got) == []


def test_the_2019_single_other_row() -> None:
    old = "\n".join(T3_ROWS[20:23])
    got = read(BASE.replace(old, "（六）其他处理 | 7 | 0 | 0 | 0 | 0 | 0 | 7"))
    assert got.values["/requests/results/other/other/natural_person"] == 7
    assert "/requests/results/other/no_correction/total" not in got.values
    assert codes(got) == [fc.IMPORT_FORMAT_2019] and got.layout == FORMAT_2019
    assert "/requests/results/other/fee_unpaid/total" in got.findings[0].paths


def test_table_four_in_three_labelled_rows() -> None:
    rows = "\n".join(
        [
            "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计",
            "行政复议 | 1 | 2 | 3 | 4 | 10",
            "行政诉讼·未经复议直接起诉 | 5 | 6 | 7 | 8 | 26",
            "行政诉讼·复议后起诉 | 0 | 0 | 0 | 1 | 1",
        ]
    )
    start = BASE.index("行政复议 | 行政诉讼")
    end = BASE.index("五、存在")
    got = read(BASE[:start] + rows + "\n" + BASE[end:])
    assert got.values == read(BASE).values and codes(got) == []


def test_a_missing_table_is_one_finding() -> None:
    got = read(BASE[: BASE.index("四、政府信息公开行政复议")])
    assert codes(got) == [fc.IMPORT_TABLE_MISSING]
    assert len(got.findings[0].paths) == 15 and got.findings[0].source is None


def test_numbers_in_the_narrative_are_not_a_table() -> None:
    got = read(BASE)
    narrative = {0, 1, len(text_document(BASE.encode(), TXT).lines) - 1}
    assert not narrative & got.used
    assert all(w.line not in (2, 61) for w in got.origins.values())
