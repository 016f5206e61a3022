"""What kind of agency a report is from, read from its name, and what the law makes of it.

《条例》第四十九条: the departments of governments at county level and above publish their
report by 1月31日, the 本级政府's own report by 3月31日 (townships: as local notices say).
《立法法》: only the State Council's departments, provinces (autonomous regions, municipalities)
and 设区的市 governments can make 规章. The data contract has no field for the kind of agency,
so it is read from the name — and only where the name makes it certain: a kind the name does
not settle is UNKNOWN, and every rule that depends on the kind then stays silent.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import cache, lru_cache

from xxgk.format.record import record

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any


class Kind(Enum):
    STATE_COUNCIL_DEPARTMENT = "国务院部门"
    PROVINCE_GOVERNMENT = "省级人民政府"
    CITY_GOVERNMENT = "市级人民政府"  # a 设区的市, or a county-level city: the name cannot tell
    COUNTY_GOVERNMENT = "县级人民政府"  # 县, 区, 旗, 自治县
    TOWNSHIP = "乡镇人民政府、街道办事处"
    GOVERNMENT_OFFICE = "人民政府办公室（厅）"  # reports the government's own 规章 as well
    DEPARTMENT = "政府部门"
    UNKNOWN = "未能识别"


# What the name ends (or starts) with, tested with str methods: the regular expressions they
# replace cost 1 ms to compile at every start (issue 16). The name has no whitespace left, so
# a pattern's `$` was its end (tests/test_agency_fast.py holds the patterns and compares).
_TOWNSHIP_ENDS = (
    *(unit + body for unit in ("镇", "乡", "苏木") for body in ("人民政府", "政府")),
    "街道",
    "街道办事处",
    "街道工作委员会",
)
_GOV_OFFICE_ENDS = ("人民政府办公室", "人民政府办公厅")
_MUNICIPALITIES = ("北京市人民政府", "天津市人民政府", "上海市人民政府", "重庆市人民政府")
_COUNTY_ENDS = ("县人民政府", "区人民政府", "旗人民政府")  # 自治县, 自治旗, 林区, 特区 too
_CITY_ENDS = ("市人民政府", "州人民政府", "盟人民政府", "地区人民政府")
_STATE_COUNCIL_STARTS = ("国务院", "国家", "中国", "中华人民共和国")
_STATE_COUNCIL_ENDS = ("部", "总署", "总局")
# A local department: a place, then the body (局, 委员会, 办公室…); never ends in 人民政府.
_DEPARTMENT = re.compile(
    r"^.{1,20}?(?:省|自治区|市|州|盟|地区|县|区|旗|镇|乡)"
    r".{1,30}?(?:局|委员会|委|办公室|办|厅|中心|所|署|院|馆|处|站|队|会)$"
)


@record(frozen=True)
class Agency:
    name: str
    kind: Kind

    @property
    def is_government(self) -> bool:
        """A 人民政府's own report (any level)."""
        return self.kind in (
            Kind.PROVINCE_GOVERNMENT,
            Kind.CITY_GOVERNMENT,
            Kind.COUNTY_GOVERNMENT,
            Kind.TOWNSHIP,
        ) and self.name.endswith(("人民政府", "政府"))

    @property
    def deadline(self) -> tuple[int, int]:
        """(month, day) of the 条例's deadline in the year after the report year: 3月31日 for a
        county-level-or-above 人民政府's own report, 1月31日 otherwise (townships and unknown
        kinds included: local notices may give them more, never less, and they say so)."""
        if self.kind in (
            Kind.PROVINCE_GOVERNMENT,
            Kind.CITY_GOVERNMENT,
            Kind.COUNTY_GOVERNMENT,
        ):
            return (3, 31)
        return (1, 31)

    @property
    def cannot_make_rules(self) -> bool:
        """Certainly without the power to make 规章 (a city government might be a 设区的市; a
        government office reports its government's 规章; unknown: not certain)."""
        return self.kind in (Kind.COUNTY_GOVERNMENT, Kind.TOWNSHIP, Kind.DEPARTMENT)

    @property
    def subject(self) -> str:
        """Who generated text says did the work, as real reports put it: a government's own
        report speaks of the government itself, not of the whole place (区政府本级, 县政府本级,
        省政府本级), a township of itself (本镇, 本乡), a street office of 本街道; anyone else
        is 本机关."""
        if self.kind is Kind.TOWNSHIP:
            unit = _unit().search(self.name)
            if unit and unit.group(1) in ("镇", "乡", "苏木"):
                return f"本{unit.group(1)}"
            return "本街道" if "街道" in self.name else "本机关"
        if self.is_government:
            place = _last_unit(re.sub(r"(?:人民)?政府$", "", self.name))
            unit = _unit().search(place)
            if unit:
                level = unit.group(1)
                return f"{level if level == '自治区' else level[-1]}政府本级"
        return "本机关"


@cache  # for the report's wording only: not compiled (0.3 ms) by a check
def _unit() -> re.Pattern[str]:
    return re.compile(
        r"(自治区|自治州|自治县|自治旗|苏木|省|市|州|盟|地区|县|区|旗|镇|乡)(?:人民政府|政府|街道.*)?$"
    )


def _last_unit(place: str) -> str:
    """九江市濂溪区 → 濂溪区; 新疆维吾尔自治区 → 新疆维吾尔自治区 (a province keeps its name)."""
    units = r".+?(?:自治区|自治州|自治县|自治旗|省|市|州|盟|地区|县|区|旗|镇|乡|苏木)"
    parts = re.findall(units, place)
    if not parts or "".join(parts) != place:
        return place
    return parts[-1]


def classify(name: object) -> Agency:
    """The agency a report names, with the kind its name makes certain."""
    text = "".join(name.split()) if isinstance(name, str) else ""  # str's whitespace is re's \s
    return Agency(text, _kind(text))


_classified = lru_cache(maxsize=64)(classify)


def agency_of(data: dict[str, Any]) -> Agency:
    """The agency a report's data names (`classify` of agency.name), classified once per name:
    the rules and the report's wording ask for it several times a report (Agency is frozen)."""
    agency = data.get("agency")
    name = agency.get("name") if isinstance(agency, dict) else None
    return _classified(name) if type(name) is str else classify(name)


def _province(name: str) -> bool:
    """2 to 12 characters, then 省人民政府 or 自治区人民政府; or a municipality's government."""
    for body in ("省人民政府", "自治区人民政府"):
        if name.endswith(body) and 2 <= len(name) - len(body) <= 12:
            return True
    return name in _MUNICIPALITIES


def _kind(name: str) -> Kind:
    if not name:
        return Kind.UNKNOWN
    if name.endswith(_TOWNSHIP_ENDS):
        return Kind.TOWNSHIP
    if name.endswith(_GOV_OFFICE_ENDS):
        return Kind.GOVERNMENT_OFFICE
    if _province(name):
        return Kind.PROVINCE_GOVERNMENT
    if name.endswith(_COUNTY_ENDS):
        return Kind.COUNTY_GOVERNMENT
    if name.endswith(_CITY_ENDS):
        return Kind.CITY_GOVERNMENT
    if name.endswith(("人民政府", "政府")):
        return Kind.UNKNOWN
    state_council = name.startswith(_STATE_COUNCIL_STARTS) or name.endswith(_STATE_COUNCIL_ENDS)
    if state_council and not _DEPARTMENT.search(name):
        return Kind.STATE_COUNCIL_DEPARTMENT
    if _DEPARTMENT.search(name):
        return Kind.DEPARTMENT
    return Kind.UNKNOWN
