"""The real excerpts in tests/data/corpus: per file, the agency, the year, the sections found and
the parts mapped, written by hand from each file's text. Most are excerpts cut short: the
sections after the cut are reported missing, never invented."""

from __future__ import annotations

from typing import Any

import pytest

from xxgk.check import findings as fc
from xxgk.published.narrative import read_text
from xxgk.published.recognised import Recognised

from .textdoc import corpus_text, document

OVERVIEW = ("proactive", "on_request", "management", "platform", "oversight")
SECTIONS = "一二三四五六"

# name → agency (None: not in the excerpt), year, how the year was found ("title", "period" or
# None), the sections whose headings are in the text, the parts of 总体情况 found, own headings
CASES: dict[str, dict[str, Any]] = {
    "001": dict(agency=None, year=2024, year_from="period", sections="一二三", parts=(), own={}),
    "004": dict(
        agency="钦州市人民政府办公室",
        year=2024,
        year_from="title",
        sections="一",
        parts=("proactive", "on_request", "management", "platform"),
        own={
            "proactive": "主动公开情况",
            "on_request": "依申请公开情况",
            "management": "政府信息管理情况",
            "platform": "政府信息平台建设情况",
        },
    ),
    "005": dict(
        agency=None,
        year=2024,
        year_from="period",
        sections="一",
        parts=("proactive", "on_request"),
        own={"proactive": "主动公开情况", "on_request": "依申请公开情况"},
    ),
    "006": dict(agency=None, year=None, year_from=None, sections="一二三", parts=(), own={}),
    "007": dict(agency=None, year=None, year_from=None, sections="一二三", parts=(), own={}),
    "008": dict(agency=None, year=2022, year_from="period", sections="一二三", parts=(), own={}),
    "010": dict(
        agency="驼峰路街道办事处",
        year=None,
        year_from=None,
        sections="一二三",
        parts=("proactive", "on_request"),
        own={"proactive": "主动公开政府信息情况", "on_request": "政府信息依申请公开情况"},
    ),
    "016": dict(
        agency=None, year=2023, year_from="period", sections="一二三", parts=OVERVIEW, own={}
    ),
    "019": dict(
        agency="自然资源部",
        year=2024,
        year_from="title",
        sections="一",
        parts=("proactive",),
        own={"proactive": "主动公开情况"},
    ),
    "022": dict(
        agency=None,
        year=2022,
        year_from="period",
        sections="一",
        parts=("proactive", "on_request", "management"),
        own={},
    ),
    "026": dict(
        agency="万潮镇",
        year=2023,
        year_from="title",
        sections="一二",
        parts=("proactive", "platform"),
        own={},
    ),
    "030": dict(agency=None, year=None, year_from=None, sections="一二三", parts=(), own={}),
}


def _read(name: str) -> Recognised:
    doc, skip = document(corpus_text(name))
    return read_text(doc, skip)


def _codes(r: Recognised) -> list[str]:
    return [f.code for f in r.findings]


@pytest.mark.parametrize("name", sorted(CASES))
def test_agency_and_year(name: str) -> None:
    case, r = CASES[name], _read(name)
    assert r.values.get("/agency/name") == case["agency"]
    assert r.values.get("/year") == case["year"]
    codes = _codes(r)
    assert (fc.IMPORT_NO_TITLE in codes) == (case["agency"] is None)
    assert (fc.IMPORT_YEAR_FROM_PERIOD in codes) == (case["year_from"] == "period")
    assert (fc.IMPORT_NO_YEAR in codes) == (case["year"] is None)
    # none of these excerpts reaches the signature: no date, and a finding saying so
    assert "/published_on" not in r.values and fc.IMPORT_NO_DATE in codes


@pytest.mark.parametrize("name", sorted(CASES))
def test_sections_found(name: str) -> None:
    case, r = CASES[name], _read(name)
    missing = {f.args["section"][0] for f in r.findings if f.code == fc.IMPORT_SECTION_MISSING}
    assert "".join(s for s in SECTIONS if s not in missing) == case["sections"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_parts_mapped(name: str) -> None:
    case, r = CASES[name], _read(name)
    found = tuple(p for p in OVERVIEW if f"/overview/{p}" in r.values)
    assert found == case["parts"]
    own = {p.split(".")[-1]: v for p, v in r.values.items() if p.startswith("/headings/")}
    assert own == case["own"]
    codes = _codes(r)
    if not case["parts"]:
        assert fc.IMPORT_NO_PARTS in codes  # all of 一 went to the summary
        assert r.values["/overview/summary"]
    else:
        missing = {f.path for f in r.findings if f.code == fc.IMPORT_PART_MISSING}
        assert missing == {f"/overview/{p}" for p in OVERVIEW if p not in case["parts"]}


def test_001_preamble_inside_the_overview_gives_the_year() -> None:
    r = _read("001")
    assert r.values["/overview/summary"].startswith("本年报根据《中华人民共和国政府信息公开条例》")
    assert r.origins["/year"].line == 2


def test_004_agency_on_the_first_line_year_on_the_second() -> None:
    r = _read("004")
    assert r.origins["/agency/name"].line == 1
    assert r.origins["/year"].line == 2
    assert r.values["/overview/on_request"] == (
        "2024年,我办共受理依申请公开事项36件(其中:自然人申请32件、企业申请2件、其他组织申请2件),"
        "上年结转7件,予以公开3件、部分公开24件、无法提供12件、结转下年度办理4件。"
    )
    assert r.values["/overview/summary"] == ""  # (一) follows 一、总体情况 at once


def test_005_contacts_and_web_address() -> None:
    r = _read("005")
    assert r.values["/agency/address"] == "九江市濂溪区九莲南路399号濂溪区市民服务中心8楼"
    assert r.values["/agency/postcode"] == "332005"
    assert r.values["/agency/phone"] == "0792-8251406"
    assert r.values["/report_url"] == "www.lianxi.gov.cn"
    assert "/agency/website" not in r.values  # the address is where the report is, not the agency's
    proactive = r.values["/overview/proactive"].split("\n")
    assert [p[:2] for p in proactive] == ["1.", "2.", "3."]


def test_007_narrative_inside_table_three_is_reported_not_dropped_silently() -> None:
    r = _read("007")
    unplaced = [f for f in r.findings if f.code == fc.IMPORT_TEXT_UNPLACED]
    assert [(f.path, f.source) for f in unplaced] == [("/requests", {"line": 20})]
    assert "/agency/name" not in r.values  # the cut 三、本年度办 is not a signature


def test_008_and_022_local_notices() -> None:
    assert _read("008").values["/local_notice"] == (
        "《关于做好2022年度我市行政机关政府信息公开年度报告编制和公布工作的通知》"
    )
    # the State Council's 2016 interpretation is not a local notice; Sichuan's is
    assert _read("022").values["/local_notice"] == (
        "《四川省人民政府办公厅关于政府信息公开工作年度报告有关要求的通知》(川办便函〔2021〕306号)"
    )


def test_010_old_format_parts_kept_with_the_part_before() -> None:
    r = _read("010")
    on_request = r.values["/overview/on_request"].split("\n")
    assert on_request == [
        "2020年度我街办未接到提出公开政府信息的申请。",
        "（三）政府信息公开的收费情况",
        "未收取任何政府信息公开费用。",
        "（四）因政府信息公开申请的行政复议、行政诉讼情况",
        "2020年驼峰路街道办未发生因政府信息公开申请提起的行政复议和行政诉讼案件。",
    ]
    unmapped = [f for f in r.findings if f.code == fc.IMPORT_PART_UNMAPPED]
    assert [(f.path, f.source) for f in unmapped] == [
        ("/overview/on_request", {"line": 8}),
        ("/overview/on_request", {"line": 10}),
    ]


def test_016_run_in_leads_stay_in_the_text() -> None:
    r = _read("016")
    assert r.values["/overview/oversight"] == (
        "（五）监督保障情况。局党组高度重视政府信息公开工作,多次召开会议安排相关工作,"
        "及时传达相关文件精神。按照上级抽查检查结果,及时对错敏信息进行整改。"
    )
    assert r.values["/agency/phone"] == "0479-2022416"


def test_019_paragraphs_of_a_part_with_yi_shi_er_shi() -> None:
    r = _read("019")
    paragraphs = r.values["/overview/proactive"].split("\n")
    assert [p[:2] for p in paragraphs] == ["坚持", "一是", "二是", "三是"]
    assert r.values["/overview/summary"].startswith("2024年,自然资源部政府信息公开工作坚持")


def test_022_spaced_numeral_is_written_as_the_renderer_knows_it() -> None:
    r = _read("022")
    assert r.values["/overview/on_request"] == (
        "（二）依申请公开情况。2022年,我局收到政府信息公开申请5件,均为自然人网上申请,办结5件。"
    )


def test_026_page_furniture_is_not_preamble_and_a_second_platform_part_is_kept() -> None:
    r = _read("026")
    assert r.values["/preamble"].startswith("本报告主要包括:总体情况、行政机关主动公开政府信息情况")
    assert "来源" not in r.values["/preamble"]
    platform = r.values["/overview/platform"].split("\n")
    assert platform[0].startswith("（二）政府性公开平台建设方面。")
    assert platform[1].startswith("（三）丰富公开渠道形式以政府网站为载体")
    assert [f.path for f in r.findings if f.code == fc.IMPORT_PART_UNMAPPED] == [
        "/overview/platform"
    ]


def test_030_traditional_characters() -> None:
    r = _read("030")
    # the headings 一、總體情況 … 三、收到和處理…申請情況 are found; the text is kept as printed
    assert r.values["/overview/summary"].startswith(
        "2022年,撫遠市自然資源局不斷強化宣傳信息報送工作"
    )
