"""The seed report as published (tests/data/seed-2024-published.txt): every narrative field and
its metadata, expected values written from the published text."""

from __future__ import annotations

import pytest

from xxgk.check import findings as fc
from xxgk.published.narrative import read_text
from xxgk.published.recognised import Recognised

from .textdoc import DATA, document


@pytest.fixture(scope="module")
def seed() -> Recognised:
    doc, skip = document((DATA / "seed-2024-published.txt").read_text(encoding="utf-8"))
    return read_text(doc, skip)


def test_title_split_over_two_lines_gives_agency_and_year(seed: Recognised) -> None:
    assert seed.values["/agency/name"] == "额敏县商务和工业信息化局"
    assert seed.values["/year"] == 2024
    assert seed.origins["/agency/name"].line == 1
    assert seed.origins["/year"].line == 1  # 2024年 is on the first of the two title lines


def test_date_under_the_signature(seed: Recognised) -> None:
    assert seed.values["/published_on"] == "2025-02-13"
    assert seed.origins["/published_on"].line == 410


def test_preamble_contacts_and_local_notice(seed: Recognised) -> None:
    v = seed.values
    assert v["/agency/address"] == "额敏县友好路"
    assert v["/agency/postcode"] == "834600"
    assert v["/agency/phone"] == "0901-3344030"
    assert (
        v["/local_notice"] == "地区《关于做好2024年度政府信息公开工作年度报告编制发布工作的通知》"
    )
    assert "/agency/email" not in v and "/agency/website" not in v and "/report_url" not in v
    # The published preamble cites 〔2021〕 as [2021] and has no 电子版 sentence: not the one the
    # renderer writes, so it is kept as printed.
    preamble = v["/preamble"]
    assert preamble.startswith("本报告根据《中华人民共和国政府信息公开条例》（国务院令第711号）")
    assert "（国办公开办函[2021]30号）" in preamble
    assert preamble.endswith("（地址：额敏县友好路；邮编834600；电话：0901-3344030）")
    assert seed.origins["/preamble"].line == 4


def test_overview_summary_and_five_run_in_parts(seed: Recognised) -> None:
    v = seed.values
    assert v["/overview/summary"].startswith("2024年，额敏县商务和工业信息化局严格依照")
    assert v["/overview/summary"].endswith("稳步推进政府信息公开工作向纵深发展。")
    assert v["/overview/proactive"] == (
        "（一）主动公开。按照《中华人民共和国政府信息公开条例》要求，2024年度，"
        "额敏县商务和工业信息化局全年累计公开各类政府信息5条。"
        "其中政务动态类信息2条，建议答复1条，新闻信息1条，招商引资1条。"
    )
    assert v["/overview/on_request"] == (
        "（二）依申请公开情况。2024年，额敏县商务和工业信息化局未收到依申请公开内容，"
        "无因政府信息公开申请工作被申请行政复议和行政诉讼的情况。"
    )
    # 一是…二是…三是 stay inside the part
    assert v["/overview/management"].startswith("（三）政府信息管理情况。一是信息收集整合制度。")
    assert "二是多环节审核制度。" in v["/overview/management"]
    assert v["/overview/management"].endswith("增强政务服务效能 。")
    assert v["/overview/platform"].startswith("（四）平台建设情况。积极建立健全各类信息公开制度")
    assert v["/overview/oversight"].startswith("（五）监督保障情况。严格遵循自治区考核要求")
    assert not any(p.startswith("/headings/") for p in v)  # every lead is run in, none alone
    for pointer, line in (("/overview/summary", 7), ("/overview/proactive", 9)):
        assert seed.origins[pointer].line == line


def test_section_five_and_six(seed: Recognised) -> None:
    v = seed.values
    assert v["/problems"].startswith("（一）存在的主要问题。额敏县商务和工业信息化局政务公开工作")
    assert v["/problems"].endswith("导致工作质量不高。")
    assert v["/improvements"].startswith("（二）改进情况。一是细化公开标准，建立审核机制。")
    assert v["/improvements"].endswith("定期组织培训。")
    assert v["/other_matters/text"] == (
        "本机关按照《国务院办公厅关于印发<政府信息公开信息处理费管理办法>的通知》"
        "（国办函〔2020〕109号）规定的按件、按量收费标准，本年度未产生信息公开处理费。"
    )  # the signature and the date are not part of it
    assert v["/other_matters/processing_fees/notices"] == 0
    assert v["/other_matters/processing_fees/amount_yuan"] == 0


def test_the_seed_imports_without_findings(seed: Recognised) -> None:
    # every section found, un-numbered 总体情况 and 存在的主要问题及改进情况 included
    codes = [f.code for f in seed.findings]
    assert fc.IMPORT_SECTION_MISSING not in codes
    assert codes == []


def test_every_value_has_its_origin(seed: Recognised) -> None:
    assert set(seed.origins) == set(seed.values)
    assert all(w.line for w in seed.origins.values())
