"""Render → import: a report rendered by report/markdown.py reads back with the same narrative
(whitespace aside) and metadata, and rendering what was read gives the same report again."""

from __future__ import annotations

import copy
from typing import Any

import pytest

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
