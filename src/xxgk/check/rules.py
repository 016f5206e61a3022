"""Rules that need more than the schema but only this one report: dates and deadlines, the
parts no number can write, single-line fields, fee notices, 规章 power, the old format, years.

The narrative against the tables is in `narrative.py`; this year against last year in `years.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from xxgk.check import findings as fc
from xxgk.check.findings import Finding
from xxgk.check.rulebook import Rulebook, narratives, where_of
from xxgk.format import model as m
from xxgk.format.agency import Kind, agency_of
from xxgk.format.lazyre import lazy
from xxgk.format.paths import get_path, is_whole, number_or_zero
from xxgk.format.schema import YEAR_MAX, YEAR_MIN

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

RULES = Rulebook()
rule = RULES.rule


def _published(data: dict[str, Any]) -> tuple[int, dt.date] | None:
    year, text = data.get("year"), data.get("published_on")
    if not is_whole(year) or not isinstance(text, str):
        return None
    try:
        return year, dt.date.fromisoformat(text)
    except ValueError:
        return None


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@rule(fc.DATE_NOT_NEXT_YEAR)
def date_in_next_year(data: dict[str, Any]) -> Iterator[Finding]:
    """规则11：年度一致——报告的成文日期在报告年度的下一年。"""
    got = _published(data)
    if got and got[1].year != got[0] + 1 and YEAR_MIN <= got[0] <= YEAR_MAX:
        year, day = got
        yield fc.make(
            fc.DATE_NOT_NEXT_YEAR,
            "/published_on",
            where=where_of(("published_on",)),
            date=cn_date(day),
            year=year,
            next_year=year + 1,
        )


@rule(fc.DATE_LATE)
def date_deadline(data: dict[str, Any]) -> Iterator[Finding]:
    """规则12：条例第四十九条——县级以上人民政府部门应于每年1月31日前、本级人民政府应于每年
    3月31日前公布上一年度报告（乡镇、街道按本地通知，未另行规定的按1月31日提示）。"""
    got = _published(data)
    if not got or got[1].year != got[0] + 1:
        return
    year, day = got
    agency = agency_of(data)
    month, last = agency.deadline
    if day > dt.date(year + 1, month, last):
        yield fc.make(
            fc.DATE_LATE,
            "/published_on",
            where=where_of(("published_on",)),
            date=cn_date(day),
            next_year=year + 1,
            deadline=f"{month}月{last}日",
            kind=_DEADLINE_KIND.get(agency.kind, "政府部门的报告"),
        )


_DEADLINE_KIND = {
    Kind.PROVINCE_GOVERNMENT: "本级人民政府的报告",
    Kind.CITY_GOVERNMENT: "本级人民政府的报告",
    Kind.COUNTY_GOVERNMENT: "本级人民政府的报告",
    Kind.TOWNSHIP: "乡镇、街道的报告，本地通知可能另有规定",
}


_EMPTY_WORDS = {"", "无", "暂无", "没有", "无。", "暂无。"}


@rule(fc.SECTION5_EMPTY)
def section_five_present(data: dict[str, Any]) -> Iterator[Finding]:
    """规则13：第五部分“存在的主要问题及改进情况”不为空，也不只写“无”。"""
    for field in (m.PROBLEMS, m.IMPROVEMENTS):
        text = get_path(data, field.path)
        if isinstance(text, str) and re.sub(r"\s", "", text) in _EMPTY_WORDS:
            yield fc.make(fc.SECTION5_EMPTY, m.pointer(field.path), where=where_of(field.path))


# The parts of 总体情况 that no table holds: a blank one cannot be written from the numbers.
UNWRITABLE_PARTS = tuple(f for f in m.OVERVIEW_PARTS if f.path[-1] in m.UNWRITABLE_OVERVIEW)


@rule(fc.PART_EMPTY)
def parts_present(data: dict[str, Any]) -> Iterator[Finding]:
    """规则13：六个部分齐全——总体情况的（三）政府信息管理、（四）平台建设、（五）监督保障
    无法由表格数字生成，不能只有标题。"""
    for field in UNWRITABLE_PARTS:
        text = get_path(data, field.path)
        if isinstance(text, str) and not text.strip():
            yield fc.make(
                fc.PART_EMPTY, m.pointer(field.path), where=where_of(field.path), title=field.label
            )


_LINE_BREAK = re.compile(r"[\r\n\v\f\u2028\u2029]")
_SINGLE_LINE = tuple(leaf for leaf in m.leaves() if leaf.kind in (m.NAME, m.POSTCODE, m.LINE))


@rule(fc.TEXT_LINE_BREAK)
def single_line_fields(data: dict[str, Any]) -> Iterator[Finding]:
    """规则（本工具）：机关名称、地址、电话等单行内容中不应有换行，否则标题和落款会断开。"""
    for leaf in _SINGLE_LINE:
        text = get_path(data, leaf.path)
        if isinstance(text, str) and _LINE_BREAK.search(text.strip()):
            yield fc.make(fc.TEXT_LINE_BREAK, leaf.pointer, where=leaf.where)


@rule(fc.FEE_NOTICE_MISSING)
def fee_notices_stated(data: dict[str, Any]) -> Iterator[Finding]:
    """规则14：第22行“逾期未按收费通知要求缴纳费用”大于 0，说明发出过收费通知，
    第六部分应如实说明。"""
    row = ("requests", "results", "other", "fee_unpaid", "total")
    count = number_or_zero(get_path(data, row))
    notices = m.PROCESSING_FEE_NOTICES.path
    if count > 0 and get_path(data, notices) == 0:
        yield fc.make(
            fc.FEE_NOTICE_MISSING,
            m.pointer(notices),
            [m.pointer(notices), m.pointer(row)],
            where=where_of(notices),
            count=count,
        )


_RULES_ROW = m.TABLE2_BLOCKS[0].rows[0]  # 规章
_RULES_CELLS = tuple(
    (path, m.pointer(path), where_of(path))
    for path in (m.TABLE2_ROOT + _RULES_ROW.path + (col.id,) for col in m.TABLE2_BLOCKS[0].columns)
)


@rule(fc.RULES_NOT_ALLOWED)
def rules_power(data: dict[str, Any]) -> Iterator[Finding]:
    """规则9：没有规章制定权的机关（乡镇、街道、县级人民政府和各级政府部门；只有国务院部门、
    省级人民政府和设区的市人民政府可以制定规章），表二「规章」各数应为 0。"""
    agency = agency_of(data)
    if not agency.cannot_make_rules:
        return
    for path, pointer, where in _RULES_CELLS:
        value = get_path(data, path)
        if is_whole(value) and value > 0:  # a wrong type is the schema's finding, not this one
            yield fc.make(
                fc.RULES_NOT_ALLOWED,
                pointer,
                where=where,
                value=value,
                agency=agency.name,
                kind=agency.kind.value,
            )


# What only the 2019 format (国办公开办函〔2019〕60号) says: its notice, and its table columns.
_OLD_COLUMNS = (
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "政府集中采购",
    "采购项目数量",
)
_OLD_FORMAT = lazy(  # compiled when first used (0.5 ms): most paragraphs are not looked at
    r"(?:国办公开办函)?\s*[〔\[［(（【]\s*2019\s*[〕\]］)）】]\s*60\s*号|" + "|".join(_OLD_COLUMNS)
)


assert all("数量" in word or "采购" in word for word in _OLD_COLUMNS)  # as tested below


def _may_cite_old_format(text: str) -> bool:
    """A cheap look first (C-speed substring tests): most paragraphs hold none of it. The
    notice's number or a word each old column holds; a test of one character (memchr) before
    each word, several times faster than the word's."""
    return (
        ("9" in text and "2019" in text)
        or ("数" in text and "数量" in text)
        or ("购" in text and "采购" in text)
    )


def _texts(data: dict[str, Any]) -> Iterator[tuple[m.Path, str]]:
    """The narrative, the agency's own preamble (contract 1.1) and the local notice."""
    preamble = data.get("preamble")
    if isinstance(preamble, str) and preamble:
        yield m.PREAMBLE.path, preamble
    yield from narratives(data)
    notice = data.get("local_notice")
    if isinstance(notice, str) and notice:
        yield m.LOCAL_NOTICE.path, notice


@rule(fc.OLD_FORMAT_CITED)
def current_format_cited(data: dict[str, Any]) -> Iterator[Finding]:
    """规则10：2021 年度及以后的报告按国办公开办函〔2021〕30号的格式编写，不再引用
    〔2019〕60号通知或其表格栏目。"""
    year = data.get("year")
    if not is_whole(year) or not YEAR_MIN <= year <= YEAR_MAX:
        return  # an old year is YEAR_RANGE's finding
    for path, text in _texts(data):
        hit = _OLD_FORMAT.search(text) if _may_cite_old_format(text) else None
        if hit:
            yield fc.make(
                fc.OLD_FORMAT_CITED,
                m.pointer(path),
                where=where_of(path),
                quote=hit.group().strip(),
                year=data["year"],
            )


# A year that opens a sentence ("2022年，本机关…") speaks of the year the text is about; a
# statistics period names it too. Years mentioned inside a sentence ("发布2023年部门决算")
# are often right in the next year's report and are left alone, as are later years (plans).
_SENTENCE_YEAR = re.compile(r"(20\d\d)\s*年(?:度)?\s*[，,]")  # at a sentence's start: below
_SENTENCE_END = "。；;！!？?\n"
_PERIOD_YEAR = re.compile(r"(20\d\d)\s*年\s*1\s*月\s*1\s*日\s*(?:起\s*)?(?:至|到|—|-|~)")
_NOTICE_YEAR = lazy(r"(20\d\d)\s*年度")


@rule(fc.YEAR_IN_TEXT)
def years_agree(data: dict[str, Any]) -> Iterator[Finding]:
    """规则11：年度一致——正文所写的年度、统计期限和引用的本地通知与报告年度一致
    （如 2023 年度报告写成“2022年，本机关……”）。"""
    year = data.get("year")
    if not is_whole(year) or not YEAR_MIN <= year <= YEAR_MAX:
        return  # a wrong year is YEAR_RANGE's finding
    for path, text in _texts(data):
        if not _may_name_earlier_year(text, year):
            continue
        notice = path == m.LOCAL_NOTICE.path
        patterns = (_NOTICE_YEAR,) if notice else (_SENTENCE_YEAR, _PERIOD_YEAR)
        for pattern in patterns:
            hit = next(
                (
                    h
                    for h in pattern.finditer(text)
                    if int(h.group(1)) < year
                    and (pattern is not _SENTENCE_YEAR or _opens_sentence(text, h.start()))
                ),
                None,
            )
            if hit:
                yield fc.make(
                    fc.YEAR_IN_TEXT,
                    m.pointer(path),
                    where=where_of(path),
                    quote=_around(text, hit),
                    found=int(hit.group(1)),
                    year=year,
                )
                break  # one wrong paragraph, one finding


_YEAR_DIGITS = re.compile(r"20\d\d")  # what each pattern above reads as the year


def _may_name_earlier_year(text: str, year: int) -> bool:
    """Whether a pattern above may read a year before `year` in `text`: one C-speed scan for
    «20» and two digits, instead of two scans for the patterns. The scan reports one of two
    such that overlap (2020 and 2019 in «202019»): a pair that may hide another is a maybe."""
    for digits in _YEAR_DIGITS.findall(text):
        if int(digits) < year or digits[2:] == "20" or digits[3] == "2":
            return True
    return False


def _opens_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \t\u3000")
    return not before or before[-1] in _SENTENCE_END


def _around(text: str, hit: re.Match[str]) -> str:
    """The year and a few characters after it, as the message quotes it."""
    start = hit.start(1)
    return text[start : start + 12].split("\n")[0]
