"""The quick looks that let the text rules skip a paragraph skip only paragraphs where the rule's
pattern finds nothing; the cue index finds the statements one by one trying would."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.check import narrative as n
from xxgk.check import rules as r

# Pieces of the words the patterns read, and of what stands around them
CUE_PIECES = [*n._INDEX.by_cue, "件", "份", "个", "起", "宗", "万元", "元", "申请", "政府信息公开"]
CUE_PIECES += ["事项", "了", "共", "合计", "规章", "规范性文件", "（修改）", "决定", "通知", "书"]
CUE_PIECES += ["收费", "缴费", "下年度", "至下年度", "继续", "办理", "的", "信息处理费", "因"]
CUE_PIECES += ["被申请", "提起", "、", "和", "。", "，", "\n", " ", "3", "12", "0.5", "３", "其中"]
CUE_PIECES += ["\u3000", "无结转", "下年度结转", "未发出", "未收取", "任何"]
TEXT_PIECES = [*CUE_PIECES, "未", "没有", "无", "不存在", "未发生", "自然人", "企业", "纠错"]
TEXT_PIECES += ["2019", "20", "2", "0", "19", "23", "24", "2024", "2020", "年", "年度", "1月1日"]
TEXT_PIECES += ["至", "〔", "〕", "60", "号", "国办公开办函", "数量", "采购", "本年新制作"]
TEXT_PIECES += ["政府集中", "对外公开总", "项目", "收", "到", "接", "受", "理", "讼", "议"]
TEXT_PIECES += ["行政", "复议", "诉讼"]


def texts(pieces: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=30).map("".join)


def one_by_one(text: str) -> list[tuple[object, tuple[int, int], str]]:
    """At each cue of the scan, each statement filed under it tried in turn."""
    out = []
    for cue in n._INDEX.words.finditer(text):
        for quantity, pattern in n._INDEX.by_cue[cue.group()]:
            hit = re.compile(pattern.pattern).match(text, cue.start())
            if hit:
                out.append((quantity, hit.span(), hit.group()))
    return out


@settings(max_examples=600, deadline=None)
@given(texts(CUE_PIECES))
def test_cue_index_finds_what_trying_each_statement_finds(text) -> None:
    got = [(q, hit.span(), hit.group()) for q, hit in n._INDEX.hits(text)]
    assert got == one_by_one(text)
    if not n._may_state(text):
        assert got == []


@pytest.mark.parametrize(
    "text",
    ["无结转下年度", "未发出收费通知", "未收取信息处理费", "予以公开3 件", "予以公开３\u3000件"],
)
def test_a_paragraph_with_a_statement_is_read(text) -> None:
    assert one_by_one(text) and n._may_state(text)


def test_cue_index_on_known_statements() -> None:
    text = "本年度新收政府信息公开申请8件，予以公开3件，制定发布规范性文件4件。"
    got = [(q.place, hit.group()) for q, hit in n._INDEX.hits(text)]
    assert (n.NEW.place, "新收政府信息公开申请8件") in got
    assert (n.GRANTED.place, "予以公开3件") in got
    assert got == [(q.place, g) for q, _, g in one_by_one(text)]


@settings(max_examples=600, deadline=None)
@given(texts(TEXT_PIECES))
def test_a_skipped_paragraph_holds_nothing_the_rule_reads(text) -> None:
    if not n._may_deny_requests(text):
        assert n._NO_REQUESTS.search(text) is None
    if not n._may_deny_litigation(text):
        assert n._NO_LITIGATION.search(text) is None
    if not r._may_cite_old_format(text):
        assert r._OLD_FORMAT.search(text) is None
    for year in (2021, 2024, 2100):
        if not r._may_name_earlier_year(text, year):
            for pattern in (r._SENTENCE_YEAR, r._PERIOD_YEAR, r._NOTICE_YEAR):
                assert all(int(h.group(1)) >= year for h in pattern.finditer(text))


def test_years_that_overlap_are_a_maybe() -> None:
    # the scan reads 2022 and then 019年: 2019 is hidden inside the first
    assert r._SENTENCE_YEAR.search("2022019年，").group(1) == "2019"
    assert r._may_name_earlier_year("2022019年，", 2022)
    assert not r._may_name_earlier_year("2024年，本机关", 2024)
    assert r._may_name_earlier_year("2023年，本机关", 2024)
    assert r._may_name_earlier_year("20２３年，", 2024)  # a full-width digit is a digit too


@pytest.mark.parametrize(
    ("gate", "pattern", "text"),
    [
        (n._may_deny_requests, n._NO_REQUESTS, "本年度未收到政府信息公开申请。"),
        (n._may_deny_requests, n._NO_REQUESTS, "没有接到自然人的申请"),
        (n._may_deny_requests, n._NO_REQUESTS, "无受理依申请公开事项"),
        (n._may_deny_litigation, n._NO_LITIGATION, "未发生行政复议"),
        (n._may_deny_litigation, n._NO_LITIGATION, "无因政府信息公开被提起行政诉讼的情况"),
        (r._may_cite_old_format, r._OLD_FORMAT, "按国办公开办函〔2019〕60号要求"),
        (r._may_cite_old_format, r._OLD_FORMAT, "本年新制作数量"),
        (r._may_cite_old_format, r._OLD_FORMAT, "政府集中采购项目"),
        (r._may_cite_old_format, r._OLD_FORMAT, "对外公开总数量"),
    ],
)
def test_a_paragraph_the_rule_reads_is_looked_at(gate, pattern, text) -> None:
    assert pattern.search(text) is not None
    assert gate(text)
