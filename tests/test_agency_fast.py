"""format/agency.py classifies a name with str methods where it had regular expressions (issue
16: 1 ms of compiling at every start). The patterns it had are kept here, verbatim, as the
oracle: over names built from the pieces the patterns turn on, both give the same kind."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.format import agency
from xxgk.format.agency import Kind, classify

_SPACES = re.compile(r"\s+")
_TOWNSHIP = re.compile(r"(?:镇|乡|苏木)(?:人民政府|政府)$|街道(?:办事处)?$|街道工作委员会$")
_GOV_OFFICE = re.compile(r"人民政府办公(?:室|厅)$")
_PROVINCE = re.compile(r"^.{2,12}?(?:省|自治区)人民政府$|^(?:北京|天津|上海|重庆)市人民政府$")
_COUNTY = re.compile(r"(?:县|区|旗|自治县|自治旗|林区|特区)人民政府$")
_CITY = re.compile(r"(?:市|州|盟|地区)人民政府$")
_STATE_COUNCIL = re.compile(r"^(?:国务院|国家|中国|中华人民共和国)|(?:部|总署|总局)$")


def old_kind(name: str) -> Kind:
    """format/agency._kind as it was, with its regular expressions."""
    if not name:
        return Kind.UNKNOWN
    if _TOWNSHIP.search(name):
        return Kind.TOWNSHIP
    if _GOV_OFFICE.search(name):
        return Kind.GOVERNMENT_OFFICE
    if _PROVINCE.search(name):
        return Kind.PROVINCE_GOVERNMENT
    if _COUNTY.search(name):
        return Kind.COUNTY_GOVERNMENT
    if _CITY.search(name):
        return Kind.CITY_GOVERNMENT
    if name.endswith(("人民政府", "政府")):
        return Kind.UNKNOWN
    if _STATE_COUNCIL.search(name) and not agency._DEPARTMENT.search(name):
        return Kind.STATE_COUNCIL_DEPARTMENT
    if agency._DEPARTMENT.search(name):
        return Kind.DEPARTMENT
    return Kind.UNKNOWN


PIECES = [
    *"镇乡省市州盟县区旗部委局办厅会院所处站队中心",
    "苏木",
    "街道",
    "办事处",
    "工作委员会",
    "人民政府",
    "政府",
    "办公室",
    "办公厅",
    "自治区",
    "自治县",
    "自治旗",
    "自治州",
    "林区",
    "特区",
    "地区",
    "国务院",
    "国家",
    "中国",
    "中华人民共和国",
    "总署",
    "总局",
    "北京",
    "天津",
    "上海",
    "重庆",
    "新疆维吾尔",
    "额敏",
    "商务和工业信息化",
    "a",
    " ",
    "\n",
    "\u3000",
    "\x1c",
]
names = st.lists(st.sampled_from(PIECES), max_size=9).map("".join)


@settings(max_examples=3000, deadline=None)
@given(names)
def test_each_name_is_the_kind_the_patterns_made_it(name: str) -> None:
    text = _SPACES.sub("", name)
    got = classify(name)
    assert got.name == text
    assert got.kind is old_kind(text)


def test_province_names_of_every_length_around_the_bounds() -> None:
    for n in range(0, 16):
        for body in ("省人民政府", "自治区人民政府", "市人民政府"):
            name = "甲" * n + body
            assert classify(name).kind is old_kind(name), name


def test_whitespace_is_what_the_pattern_took_out() -> None:
    spaces = "".join(chr(i) for i in range(sys.maxunicode + 1) if _SPACES.fullmatch(chr(i)))
    name = f"{spaces}额敏县{spaces}商务局{spaces}"
    assert classify(name).name == "额敏县商务局"


def test_known_names() -> None:
    """By hand, from the law's levels (format/agency.py's docstring)."""
    assert classify("额敏县商务和工业信息化局").kind is Kind.DEPARTMENT
    assert classify("额敏县人民政府").kind is Kind.COUNTY_GOVERNMENT
    assert classify("北京市人民政府").kind is Kind.PROVINCE_GOVERNMENT
    assert classify("新疆维吾尔自治区人民政府").kind is Kind.PROVINCE_GOVERNMENT
    assert classify("九江市人民政府").kind is Kind.CITY_GOVERNMENT
    assert classify("上户镇人民政府").kind is Kind.TOWNSHIP
    assert classify("友好路街道办事处").kind is Kind.TOWNSHIP
    assert classify("额敏县人民政府办公室").kind is Kind.GOVERNMENT_OFFICE
    assert classify("国家统计局").kind is Kind.STATE_COUNCIL_DEPARTMENT
    assert classify("教育部").kind is Kind.STATE_COUNCIL_DEPARTMENT
