"""Render → import: a report rendered by report/markdown.py reads back with the same narrative
(whitespace aside) and metadata, and rendering what was read gives the same report again."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xxgk.format import model as m
from xxgk.format.paths import get_path
from xxgk.published.fold import squash
from xxgk.published.narrative import read_text
from xxgk.published.recognised import Recognised
from xxgk.report import markdown

from ..conftest import load_example
from .textdoc import markdown_document

TEXT_LEAVES = [
    leaf
    for leaf in m.leaves()
    if leaf.kind in (m.TEXT, m.LINE) or leaf.path[:1] == ("agency",) or leaf.kind == m.DATE
]
FEES = ("/other_matters/processing_fees/notices", "/other_matters/processing_fees/amount_yuan")


def _import(data: dict[str, Any]) -> Recognised:
    doc, skip = markdown_document(markdown.render(data).decode("utf-8"))
    return read_text(doc, skip)


def _expected(data: dict[str, Any]) -> dict[str, Any]:
    """What the data holds for every text leaf, the way an import states it: absent when empty
    and optional."""
    out: dict[str, Any] = {}
    for leaf in TEXT_LEAVES:
        value = get_path(data, leaf.path)
        if value in (None, "") and leaf.optional:
            continue
        out[leaf.pointer] = value if value is not None else ""
    out["/year"] = data["year"]
    for pointer in FEES:
        out[pointer] = get_path(data, tuple(pointer.split("/")[1:]))
    return out


def _got(r: Recognised) -> dict[str, Any]:
    keep = {leaf.pointer for leaf in TEXT_LEAVES} | {"/year", *FEES}
    return {p: v for p, v in r.values.items() if p in keep}


def _same(got: dict[str, Any], want: dict[str, Any]) -> None:
    squashed = {p: squash(v) if isinstance(v, str) else v for p, v in got.items()}
    assert squashed == {p: squash(v) if isinstance(v, str) else v for p, v in want.items()}


def _narrative(data: dict[str, Any]) -> list[str]:
    """The rendered report without its tables: what the narrative round trip must keep."""
    text = markdown.render(data).decode("utf-8")
    return [squash(line) for line in text.split("\n") if line.strip() and not line.startswith("|")]


def _apply(data: dict[str, Any], r: Recognised) -> dict[str, Any]:
    out = copy.deepcopy(data)
    for leaf in TEXT_LEAVES:
        node = out
        for key in leaf.path[:-1]:
            node = node.setdefault(key, {})
        node.pop(leaf.path[-1], None)
    for pointer, value in r.values.items():
        keys = pointer.split("/")[1:]
        node = out
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        node[keys[-1]] = value
    if not out.get("headings"):
        out.pop("headings", None)
    return out


def test_seed_round_trip() -> None:
    seed = load_example()
    r = _import(seed)
    _same(_got(r), _expected(seed))
    assert "/preamble" not in r.values  # the renderer's own preamble is not kept as text
    assert r.findings == []


def _contract11() -> dict[str, Any]:
    data = load_example()
    data["agency"]["email"] = "emxsgw@163.com"
    data["agency"]["website"] = "http://www.emin.gov.cn"
    data["report_url"] = "http://www.emin.gov.cn/xxgk/nb2024.html"
    data["headings"] = {
        "overview.management": "完善公开制度规范，加强政府信息管理",
        "overview.platform": "平台建设情况",
    }
    data["overview"]["management"] = "一是信息收集整合制度。\n二是多环节审核制度。"
    data["overview"]["platform"] = "积极建立健全各类信息公开制度。"
    return data


def _own_preamble() -> dict[str, Any]:
    data = load_example()
    data["preamble"] = (
        "本报告依据《中华人民共和国政府信息公开条例》编制。报告统计期限为2024年1月1日至2024年12月31日。"
        "如对本报告有疑问，请与本局办公室联系（地址：额敏县友好路；邮编834600；电话：0901-3344030）。"
    )
    data.pop("local_notice")
    return data


def _fees() -> dict[str, Any]:
    data = load_example()
    data["other_matters"] = {"processing_fees": {"notices": 2, "amount_yuan": 120}, "text": ""}
    return data


@pytest.mark.parametrize("make", [_contract11, _own_preamble, _fees], ids=lambda f: f.__name__)
def test_round_trip_of_contract_11_fields_and_fees(make: Any) -> None:
    data = make()
    r = _import(data)
    _same(_got(r), _expected(data))
    assert r.findings == []
    assert _narrative(_apply(data, r)) == _narrative(data)


def test_paragraphs_the_renderer_wrote_for_empty_fields() -> None:
    data = load_example()
    for key in ("summary", "proactive", "management", "oversight"):
        data["overview"][key] = ""
    data["problems"] = data["improvements"] = ""
    data["other_matters"]["text"] = ""
    r = _import(data)
    v = r.values
    # the summary sentence, 本部分未填写内容。 and the fee sentence read back as empty fields
    for pointer in ("/overview/summary", "/overview/management", "/overview/oversight"):
        assert v[pointer] == ""
    assert v["/problems"] == v["/improvements"] == v["/other_matters/text"] == ""
    assert v["/other_matters/processing_fees/notices"] == 0
    assert v["/other_matters/processing_fees/amount_yuan"] == 0
    # 主动公开 written from table 二 is kept as text: it depends on figures read elsewhere
    assert v["/overview/proactive"].startswith("2024年，本机关未制发、废止行政规范性文件")
    assert _narrative(_apply(data, r)) == _narrative(data)


SENTENCES = (
    "本局认真落实条例。",
    "全年公开信息20条，其中政策文件3件。",
    "一是健全制度，二是规范发布。",
    "（1）完善公开目录。",
    "1.信息发布情况。发布信息18条。",
    "坚持以公开为常态、不公开为例外。",
)
OWN_HEADINGS = {
    "overview.proactive": ("主动公开情况", "坚持主动公开，回应社会关切", "扎实推进各项工作"),
    "overview.on_request": ("依申请公开情况", "依法办理依申请公开"),
    "overview.management": ("完善公开制度规范，加强政府信息管理", "扎实推进各项工作"),
    "overview.platform": ("强化平台建设", "政府网站建设情况"),
    "overview.oversight": ("监督保障情况", "强化考核评议"),
    "problems": ("工作中存在的不足",),
    "improvements": ("下一步工作打算",),
}
PART_KEYS = ("proactive", "on_request", "management", "platform", "oversight")


@st.composite
def reports(draw: st.DrawFn) -> dict[str, Any]:
    data = load_example()
    paragraphs = st.lists(st.sampled_from(SENTENCES), max_size=3).map("\n".join)
    for key in ("summary", *PART_KEYS):
        data["overview"][key] = draw(paragraphs)
    data["problems"], data["improvements"] = draw(paragraphs), draw(paragraphs)
    headings = {}
    for key, choices in OWN_HEADINGS.items():
        if draw(st.booleans()):
            headings[key] = draw(st.sampled_from(choices))
    if headings:
        data["headings"] = headings
    data["agency"]["name"] = draw(
        st.sampled_from(["某县自然资源局", "某市人民政府办公室", "某镇人民政府"])
    )
    data["year"] = draw(st.integers(2021, 2025))
    data["published_on"] = (
        f"{data['year'] + 1}-0{draw(st.integers(1, 3))}-1{draw(st.integers(0, 9))}"
    )
    if draw(st.booleans()):
        data["agency"]["email"] = "gk@example.gov.cn"
    if draw(st.booleans()):
        data["agency"]["website"] = "http://www.example.gov.cn"
    if draw(st.booleans()):
        data["report_url"] = "http://www.example.gov.cn/nb.html"
    if draw(st.booleans()):
        data.pop("local_notice")
    data["other_matters"] = {
        "processing_fees": {
            "notices": draw(st.integers(0, 3)),
            "amount_yuan": draw(st.integers(0, 200)),
        },
        "text": draw(
            st.sampled_from(["", "本年度未收取信息处理费。", "落实政务公开工作要点情况良好。"])
        ),
    }
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_render_import_render_keeps_the_narrative(data: dict[str, Any]) -> None:
    r = _import(data)
    assert _narrative(_apply(data, r)) == _narrative(data)
    for pointer in ("/agency/name", "/agency/address", "/agency/phone", "/year", "/published_on"):
        assert r.values[pointer] == get_path(data, tuple(pointer.split("/")[1:]))
    assert "/preamble" not in r.values
    if "处理费" not in data["other_matters"]["text"]:
        fees = data["other_matters"]["processing_fees"]
        assert [r.values[p] for p in FEES] == [fees["notices"], fees["amount_yuan"]]
