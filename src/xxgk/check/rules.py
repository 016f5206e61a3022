"""Rules that need more than the schema but only this one report.

Each rule is a small function whose docstring is the rule as the official format states it,
registered with its code. Rules read the data defensively: the schema reports shape problems,
so a rule silently skips values that are missing or of the wrong type.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from xxgk.check import findings as fc
from xxgk.check.findings import Finding
from xxgk.format import model as m
from xxgk.format.paths import get_path, number_or_zero
from xxgk.format.schema import YEAR_MAX, YEAR_MIN

RuleFn = Callable[[dict[str, Any]], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    fn: RuleFn

    @property
    def doc(self) -> str:
        return (self.fn.__doc__ or "").strip()


RULES: list[Rule] = []


def rule(code: str) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        RULES.append(Rule(code, fn))
        return fn

    return register


def run_rules(data: dict[str, Any]) -> list[Finding]:
    out: list[Finding] = []
    for r in RULES:
        out.extend(r.fn(data))
    return out


def _where(path: m.Path) -> str:
    return m.LEAF_BY_POINTER[m.pointer(path)].where


def _published(data: dict[str, Any]) -> tuple[int, dt.date] | None:
    year, text = data.get("year"), data.get("published_on")
    if not isinstance(year, int) or isinstance(year, bool) or not isinstance(text, str):
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
            where=_where(("published_on",)),
            date=cn_date(day),
            year=year,
            next_year=year + 1,
        )


@rule(fc.DATE_LATE)
def date_deadline(data: dict[str, Any]) -> Iterator[Finding]:
    """规则12：条例第四十九条——县级以上人民政府部门应于每年1月31日前公布上一年度报告。"""
    got = _published(data)
    if got and got[1].year == got[0] + 1 and got[1] > dt.date(got[0] + 1, 1, 31):
        year, day = got
        yield fc.make(
            fc.DATE_LATE,
            "/published_on",
            where=_where(("published_on",)),
            date=cn_date(day),
            next_year=year + 1,
        )


_EMPTY_WORDS = {"", "无", "暂无", "没有", "无。", "暂无。"}


@rule(fc.SECTION5_EMPTY)
def section_five_present(data: dict[str, Any]) -> Iterator[Finding]:
    """规则13：第五部分“存在的主要问题及改进情况”不为空，也不只写“无”。"""
    for field in (m.PROBLEMS, m.IMPROVEMENTS):
        text = get_path(data, field.path)
        if isinstance(text, str) and re.sub(r"\s", "", text) in _EMPTY_WORDS:
            yield fc.make(fc.SECTION5_EMPTY, m.pointer(field.path), where=_where(field.path))


def _narratives(data: dict[str, Any]) -> Iterator[tuple[m.Path, str]]:
    for f in (*m.OVERVIEW_PARTS, m.PROBLEMS, m.IMPROVEMENTS, m.OTHER_TEXT):
        text = get_path(data, f.path)
        if isinstance(text, str) and text:
            yield f.path, text


# Phrases that deny that requests were received, or that a review or lawsuit happened. They
# name the event itself ("未收到…申请", "无因…被申请行政复议"), so that a denial of something
# else nearby ("未出现超期答复依申请公开的情况", "未发生行政复议纠错") is not taken for one.
_CLAUSE = r"[^。；;！!？?\n，,]"
_NO_REQUESTS = re.compile(
    r"(?:未|没有|无)(?:收到|接到|受理)" + _CLAUSE + r"{0,16}?(?:依申请|申请)"
)
_NO_LITIGATION = re.compile(
    r"(?:无|未发生|未出现|没有|未有|不存在)"
    r"(?:因" + _CLAUSE + r"{0,20}?)?(?:被申请|被提起|提起|发生|被)?(?:行政复议|行政诉讼)"
    r"(?!" + _CLAUSE + r"{0,4}?(?:纠错|纠正|败诉|被撤销))"
)


def _quote(text: str, match: re.Match[str]) -> str:
    return text[match.start() : match.end()]


@rule(fc.TEXT_SAYS_NO_REQUESTS)
def text_vs_requests(data: dict[str, Any]) -> Iterator[Finding]:
    """规则8：叙述中的数字与表格一致——文字写未收到申请，而表三本年新收申请不为 0。"""
    count = number_or_zero(get_path(data, ("requests", "new", "total")))
    if count <= 0:
        return
    for path, text in _narratives(data):
        hit = _NO_REQUESTS.search(text)
        if hit:
            yield fc.make(
                fc.TEXT_SAYS_NO_REQUESTS,
                m.pointer(path),
                [m.pointer(path), "/requests/new/total"],
                where=_where(path),
                quote=_quote(text, hit),
                count=count,
            )


@rule(fc.TEXT_SAYS_NO_LITIGATION)
def text_vs_litigation(data: dict[str, Any]) -> Iterator[Finding]:
    """规则8：叙述中的数字与表格一致——文字写没有行政复议、行政诉讼，而表四不为 0。"""
    totals = [("review_litigation", g.id, "total") for g in m.TABLE4_GROUPS]
    count = sum(number_or_zero(get_path(data, p)) for p in totals)
    if count <= 0:
        return
    for path, text in _narratives(data):
        hit = _NO_LITIGATION.search(text)
        if hit:
            yield fc.make(
                fc.TEXT_SAYS_NO_LITIGATION,
                m.pointer(path),
                [m.pointer(path), *(m.pointer(p) for p in totals)],
                where=_where(path),
                quote=_quote(text, hit),
                count=count,
            )


_LINE_BREAK = re.compile(r"[\r\n\v\f\u2028\u2029]")
_SINGLE_LINE = tuple(leaf for leaf in m.leaves() if leaf.kind in (m.NAME, m.POSTCODE))


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
            where=_where(notices),
            count=count,
        )
