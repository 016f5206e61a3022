"""The words of a report: generated text fits the agency and its own numbers, and the checks of
the narrative against the tables never object to text the tables themselves wrote."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xxgk.check import findings as fc
from xxgk.check.validate import validate
from xxgk.report import content as rc
from xxgk.report import document as rm
from xxgk.report import text as t

from .conftest import load_example
from .reports import consistent_reports

WORD_CODES = {fc.TEXT_NUMBER_MISMATCH, fc.TEXT_SAYS_NO_REQUESTS, fc.TEXT_SAYS_NO_LITIGATION}
AGENCIES = [
    "额敏县商务和工业信息化局",  # a county department
    "九江市濂溪区人民政府",  # a county-level government's own report
    "万潮镇人民政府",  # a township
    "驼峰路街道办事处",
    "新疆维吾尔自治区人民政府",  # may make 规章
    "自然资源部",
]


def _blank(data: dict[str, Any], agency: str) -> dict[str, Any]:
    data = copy.deepcopy(data)
    data["agency"]["name"] = agency
    for key in data["overview"]:
        data["overview"][key] = ""
    data["problems"] = data["improvements"] = data["other_matters"]["text"] = ""
    return data


def _written_from_the_tables(data: dict[str, Any]) -> dict[str, Any]:
    """The report with every paragraph the numbers can write written by xxgk itself."""
    data = copy.deepcopy(data)
    subject = t.subject_of(data)
    data["overview"]["summary"] = t.summary(data)
    data["overview"]["proactive"] = t.proactive(data, subject)
    data["overview"]["on_request"] = t.on_request(data, subject)
    data["other_matters"]["text"] = t.processing_fees(data, subject)
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(max_count=30), st.sampled_from(AGENCIES))
def test_text_written_from_the_numbers_never_contradicts_them(
    report: dict[str, Any], agency: str
) -> None:
    data = _written_from_the_tables(_blank(report, agency))
    found = [f for f in validate(data) if f.code in WORD_CODES]
    assert found == [], [f.message for f in found]


def test_a_changed_number_is_caught_in_the_generated_text() -> None:
    """The oracle above can fail: text written for one table, checked against another."""
    data = _blank(load_example(), AGENCIES[0])
    req = data["requests"]
    req["new"].update(natural_person=3, total=3)
    req["results"]["granted"].update(natural_person=3, total=3)
    req["results"]["total"].update(natural_person=3, total=3)
    written = _written_from_the_tables(data)
    req_w = written["requests"]
    req_w["new"].update(natural_person=4, total=4)
    req_w["results"]["granted"].update(natural_person=4, total=4)
    req_w["results"]["total"].update(natural_person=4, total=4)
    codes = [(f.code, f.path) for f in validate(written) if f.code in WORD_CODES]
    assert codes == [(fc.TEXT_NUMBER_MISMATCH, "/overview/on_request")] * 3  # 新收, 办结, 予以公开


def _section_texts(doc: rc.Document, number: str) -> list[str]:
    section = next(s for s in doc.sections if s.number == number)
    return [b.text for b in section.blocks if isinstance(b, rc.Para)]


def test_generated_text_fits_the_agency() -> None:
    base = load_example()
    department = rm.build(_blank(base, "额敏县商务和工业信息化局"))
    county = rm.build(_blank(base, "九江市濂溪区人民政府"))
    township = rm.build(_blank(base, "万潮镇人民政府"))
    province = rm.build(_blank(base, "新疆维吾尔自治区人民政府"))
    dept_one = "\n".join(_section_texts(department, "一"))
    assert "2024年，本机关未收到政府信息公开申请" in dept_one
    assert "规章" not in dept_one  # a department cannot make 规章: not told it made none
    county_one = "\n".join(_section_texts(county, "一"))
    assert "2024年，区政府本级未收到政府信息公开申请" in county_one
    assert "本机关" not in county_one and "规章" not in county_one
    assert "2024年，本镇" in "\n".join(_section_texts(township, "一"))
    assert "未制发、废止规章" in "\n".join(_section_texts(province, "一"))
    (fee,) = _section_texts(department, "六")
    assert fee == (
        "依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），"
        "2024年度本机关未收取信息处理费。"
    )


def test_parts_no_number_can_write_say_they_are_missing() -> None:
    doc = rm.build(_blank(load_example(), "额敏县商务和工业信息化局"))
    one = next(s for s in doc.sections if s.number == "一")
    blocks = [(b.kind, b.text) for b in one.blocks if isinstance(b, rc.Para)]
    for heading in ("（三）政府信息管理", "（四）政府信息公开平台建设", "（五）监督保障"):
        at = blocks.index((rc.H2, heading))
        assert blocks[at + 1] == (rc.BODY, "本部分未填写内容。")
    five = _section_texts(doc, "五")
    assert five.count("本部分未填写内容。") == 2


def test_review_and_litigation_sentence_gives_the_outcomes() -> None:
    data = _blank(load_example(), "额敏县商务和工业信息化局")
    rl = data["review_litigation"]
    rl["review"].update(upheld=1, corrected=1, total=2)
    rl["litigation_direct"].update(pending=1, total=1)
    text = t.on_request(data)
    assert "被申请行政复议2件（结果维持1件、结果纠正1件）" in text
    assert "被提起行政诉讼1件（尚未审结1件）" in text


def test_staff_text_on_the_fee_is_not_doubled() -> None:
    data = _blank(load_example(), "额敏县商务和工业信息化局")
    data["other_matters"]["text"] = "本年度未产生信息处理费。"
    assert _section_texts(rm.build(data), "六") == ["本年度未产生信息处理费。"]
