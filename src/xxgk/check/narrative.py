"""The narrative against the tables (rule 8): numbers and denials the text ties to one table
quantity, compared with it.

Exact rather than eager: a statement is read only where its words name one quantity
unambiguously — the quantity's own term right before the number («予以公开3件»), or a verb of
receiving right before the number of requests («收到8份政府信息公开申请»). A number the words do
not clearly tie to one quantity («其中自然人申请32件», «行政复议、行政诉讼共3件», «发布信息76条»)
is left alone. One wrong statement gives one finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from xxgk.check import findings as fc
from xxgk.check.cues import CueIndex
from xxgk.check.findings import Finding
from xxgk.check.rulebook import Rulebook, narratives, where_of
from xxgk.format import model as m
from xxgk.format.lazyre import lazy
from xxgk.format.paths import get_path, is_number, number_or_zero
from xxgk.format.record import record

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

RULES = Rulebook()
rule = RULES.rule

Path = m.Path


@record(frozen=True)
class Quantity:
    """A figure of the tables the narrative may state: the sum of `paths`."""

    table: str
    place: str  # how the message names it: 表三「一、本年新收政府信息公开申请数量」总计
    paths: tuple[Path, ...]
    unit: str = "件"


def _t3(*rows: m.Row) -> tuple[Path, ...]:
    return tuple(m.TABLE3_ROOT + r.path + ("total",) for r in rows)


def _group(key: str) -> tuple[m.Row, ...]:
    return tuple(r for r in m.TABLE3_OUTCOMES if r.path[1] == key)


def _t3_place(row: m.Row) -> str:
    return f"{m.TABLE3_NAME}「{row.label}」总计"


def _group_place(rows: tuple[m.Row, ...]) -> str:
    return f"{m.TABLE3_NAME}「{rows[0].group}」各项总计之和"


_OUT = {r.path[-1]: r for r in m.TABLE3_OUTCOMES}
_DENIED, _UNABLE, _NOT_PROCESSED, _OTHER = (
    _group(k) for k in ("denied", "unable", "not_processed", "other")
)
_REVIEW = m.TABLE4_ROOT + ("review", "total")
_LITIGATION = tuple(m.TABLE4_ROOT + (g.id, "total") for g in m.TABLE4_GROUPS[1:])
_RULES_ROW, _NORMATIVE_ROW = m.TABLE2_BLOCKS[0].rows
_ISSUED, _REPEALED, _IN_FORCE = m.TABLE2_BLOCKS[0].columns


def _t2(row: m.Row, column: m.Column) -> Quantity:
    return Quantity(
        m.TABLE2_NAME,
        f"{m.TABLE2_NAME}「{row.label}」行「{column.label}」",
        (m.TABLE2_ROOT + row.path + (column.id,),),
    )


def _decisions(row: m.Row) -> Quantity:
    return Quantity(
        m.TABLE2_NAME,
        f"{m.TABLE2_NAME}「{row.label}」行「本年处理决定数量」",
        (m.TABLE2_ROOT + row.path + ("decisions",),),
    )


_LICENSING, _PENALTY, _COERCION = (r for block in m.TABLE2_BLOCKS[1:3] for r in block.rows)
_FEE_ROW = m.TABLE2_BLOCKS[3].rows[0]

NEW = Quantity(m.TABLE3_NAME, _t3_place(m.TABLE3_NEW), _t3(m.TABLE3_NEW))
CARRIED_OVER = Quantity(m.TABLE3_NAME, _t3_place(m.TABLE3_CARRIED_OVER), _t3(m.TABLE3_CARRIED_OVER))
GRANTED = Quantity(m.TABLE3_NAME, _t3_place(_OUT["granted"]), _t3(_OUT["granted"]))
PARTIAL = Quantity(
    m.TABLE3_NAME, _t3_place(_OUT["partially_granted"]), _t3(_OUT["partially_granted"])
)
DENIED = Quantity(m.TABLE3_NAME, _group_place(_DENIED), _t3(*_DENIED))
UNABLE = Quantity(m.TABLE3_NAME, _group_place(_UNABLE), _t3(*_UNABLE))
NOT_PROCESSED = Quantity(m.TABLE3_NAME, _group_place(_NOT_PROCESSED), _t3(*_NOT_PROCESSED))
OTHER = Quantity(m.TABLE3_NAME, _group_place(_OTHER), _t3(*_OTHER))
DONE = Quantity(m.TABLE3_NAME, _t3_place(m.TABLE3_RESULTS_TOTAL), _t3(m.TABLE3_RESULTS_TOTAL))
FORWARD = Quantity(
    m.TABLE3_NAME, _t3_place(m.TABLE3_CARRIED_FORWARD), _t3(m.TABLE3_CARRIED_FORWARD)
)
REVIEW = Quantity(m.TABLE4_NAME, f"{m.TABLE4_NAME}「{m.TABLE4_REVIEW_HEADER}」总计", (_REVIEW,))
LITIGATION = Quantity(
    m.TABLE4_NAME, f"{m.TABLE4_NAME}「{m.TABLE4_LITIGATION_HEADER}」两组总计之和", _LITIGATION
)
FEE = Quantity(
    m.TABLE2_NAME,
    f"{m.TABLE2_NAME}「{_FEE_ROW.label}」行「{m.TABLE2_BLOCKS[3].columns[0].label}」",
    (m.TABLE2_ROOT + _FEE_ROW.path + ("amount",),),
    "万元",
)
NOTICES = Quantity(
    m.SECTIONS[5].heading, f"「{m.PROCESSING_FEE_NOTICES.label}」", (m.PROCESSING_FEE_NOTICES.path,)
)
PROCESSING_AMOUNT = Quantity(
    m.SECTIONS[5].heading,
    f"「{m.PROCESSING_FEE_AMOUNT.label}」",
    (m.PROCESSING_FEE_AMOUNT.path,),
    "元",
)

# -- the statements ------------------------------------------------------------------------------
# Between a quantity's term and its number: a few characters of the same clause, no digit, no
# clause break, no enumeration (a `、` lists several things).
_GAP = r"[^\d。；;，,、：:（）()\n]"
_N = r"(?P<n>\d+(?:\.\d+)?)"
_COUNT = _N + r"\s*(?:件|份|个)"
_VERB_IN = r"(?:新收|收到|接到|受理|接收)"
_DOC_VERB = r"(?:制发|制定|出台|发布|印发|新制定)(?:（修改）|\(修改\)|发布|出台|印发)?"
_RULES = r"(?:政府)?规章"
_NORMATIVE = r"(?:行政)?规范性文件"
# A 行政诉讼 named just after 行政复议 and a conjunction is half of a joint figure
# («被申请行政复议、提起行政诉讼共3件»): no one quantity's.
_JOINT_BEFORE_RX = r"(?:复议|诉讼)(?:[、和及与或]|以及)[^\d。；;，,\n]{0,4}$"


# Cases of review or litigation: no conjunction in the gap either (a joint figure is no one's).
_CASE_GAP = r"[^\d。；;，,、：:与和及或共计\n]{0,4}?"
_CASES = _N + r"\s*(?:件|起|宗)"


_rx = lazy
_JOINT_BEFORE = _rx(_JOINT_BEFORE_RX)


STATEMENTS: tuple[tuple[Quantity, re.Pattern[str]], ...] = (
    (NEW, _rx(_VERB_IN + _GAP + r"{0,14}?(?:申请|事项)" + _GAP + r"{0,4}?" + _COUNT)),
    (NEW, _rx(_VERB_IN + r"(?:了)?(?:共|共计|合计)?" + _COUNT + _GAP + r"{0,10}?申请")),
    (CARRIED_OVER, _rx(r"上年(?:度)?结转" + _GAP + r"{0,10}?" + _COUNT)),
    (GRANTED, _rx(r"予以公开" + _GAP + r"{0,2}?" + _COUNT)),
    (PARTIAL, _rx(r"部分公开" + _GAP + r"{0,2}?" + _COUNT)),
    (DENIED, _rx(r"不予公开" + _GAP + r"{0,2}?" + _COUNT)),
    (UNABLE, _rx(r"无法提供" + _GAP + r"{0,2}?" + _COUNT)),
    (NOT_PROCESSED, _rx(r"不予处理" + _GAP + r"{0,2}?" + _COUNT)),
    (OTHER, _rx(r"其他处理" + _GAP + r"{0,2}?" + _COUNT)),
    (DONE, _rx(r"(?:办理完毕|办结)" + _GAP + r"{0,4}?" + _COUNT)),
    (
        FORWARD,
        _rx(r"结转(?:至)?下(?:一)?年度?(?:继续)?(?:办理)?" + _GAP + r"{0,4}?" + _COUNT),
    ),
    (REVIEW, _rx(r"行政复议" + _CASE_GAP + _CASES)),
    (LITIGATION, _rx(r"行政诉讼" + _CASE_GAP + _CASES)),
    (_t2(_RULES_ROW, _ISSUED), _rx(_DOC_VERB + _RULES + _GAP + r"{0,2}?" + _COUNT)),
    (_t2(_RULES_ROW, _ISSUED), _rx(_DOC_VERB + _COUNT + _RULES)),
    (_t2(_RULES_ROW, _REPEALED), _rx(r"废止" + _RULES + _GAP + r"{0,2}?" + _COUNT)),
    (_t2(_RULES_ROW, _REPEALED), _rx(r"废止" + _COUNT + _RULES)),
    (_t2(_RULES_ROW, _IN_FORCE), _rx(r"现行有效(?:的)?" + _RULES + _GAP + r"{0,2}?" + _COUNT)),
    (_t2(_NORMATIVE_ROW, _ISSUED), _rx(_DOC_VERB + _NORMATIVE + _GAP + r"{0,2}?" + _COUNT)),
    (_t2(_NORMATIVE_ROW, _ISSUED), _rx(_DOC_VERB + _COUNT + _NORMATIVE)),
    (_t2(_NORMATIVE_ROW, _REPEALED), _rx(r"废止" + _NORMATIVE + _GAP + r"{0,2}?" + _COUNT)),
    (_t2(_NORMATIVE_ROW, _REPEALED), _rx(r"废止" + _COUNT + _NORMATIVE)),
    (
        _t2(_NORMATIVE_ROW, _IN_FORCE),
        _rx(r"现行有效(?:的)?" + _NORMATIVE + _GAP + r"{0,2}?" + _COUNT),
    ),
    (_decisions(_LICENSING), _rx(r"行政许可(?:决定)?" + _GAP + r"{0,4}?" + _N + r"\s*件")),
    (_decisions(_PENALTY), _rx(r"行政处罚(?:决定)?" + _GAP + r"{0,4}?" + _N + r"\s*件")),
    (_decisions(_COERCION), _rx(r"行政强制(?:决定)?" + _GAP + r"{0,4}?" + _N + r"\s*件")),
    (FEE, _rx(r"行政事业性收费" + _GAP + r"{0,6}?" + _N + r"\s*万元")),
    (NOTICES, _rx(r"发出(?:收费|缴费)通知(?:书)?" + _GAP + r"{0,2}?" + _COUNT)),
    (PROCESSING_AMOUNT, _rx(r"收取(?:政府信息公开)?信息处理费" + _GAP + r"{0,2}?" + _N + r"\s*元")),
)
# Statements of none that name exactly one quantity: the figure they state is 0.
NONE_STATEMENTS: tuple[tuple[Quantity, re.Pattern[str]], ...] = (
    (FORWARD, _rx(r"无(?:结转下年度|下年度结转|结转至下年度)")),
    (NOTICES, _rx(r"未发出(?:收费|缴费)通知")),
    (PROCESSING_AMOUNT, _rx(r"未收取(?:任何)?(?:政府信息公开)?信息处理费")),
)


def _figure(data: dict[str, Any], quantity: Quantity) -> Decimal | None:
    values = [get_path(data, p) for p in quantity.paths]
    if not all(is_number(v) for v in values):
        return None  # the schema reports it
    return sum((Decimal(str(v)) for v in values), Decimal(0))


def _stated(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return None


def _shown(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


@rule(fc.TEXT_NUMBER_MISMATCH)
def numbers_agree(data: dict[str, Any]) -> Iterator[Finding]:
    """规则8：叙述中的数字与表格一致——正文写明的申请数、办理结果、结转数、复议诉讼数、
    规章和规范性文件件数、处理决定数、收费金额、收费通知和信息处理费，与表格中的数相同。"""
    for path, text in narratives(data):
        said: set[tuple[str, int]] = set()
        for quantity, hit, stated in _statements(text):
            actual = _figure(data, quantity)
            if actual is None or stated == actual:
                continue
            key = (quantity.place, hit.end())  # «制定发布规范性文件4件» is read twice: once
            if key in said:
                continue
            said.add(key)
            yield fc.make(
                fc.TEXT_NUMBER_MISMATCH,
                m.pointer(path),
                [m.pointer(path), *(m.pointer(p) for p in quantity.paths)],
                where=where_of(path),
                quote=hit.group(),
                place=quantity.place,
                actual=_shown(actual),
                unit=quantity.unit,
                table=quantity.table,
                stated=_shown(stated),
            )


def _statements(text: str) -> Iterator[tuple[Quantity, re.Match[str], Decimal]]:
    """Each statement of a figure in `text`: its quantity, where it is, the figure stated.

    Every statement starts with one of its cue words, so one scan for all cues finds where to
    try which statement (measured on the seed: 6× faster than one scan per statement).
    """
    if not _may_state(text):
        return
    for quantity, hit in _INDEX.hits(text):
        if quantity in (REVIEW, LITIGATION) and _JOINT_BEFORE.search(
            text, max(0, hit.start() - 10), hit.start()
        ):
            continue
        number = hit.groupdict().get("n")
        value = Decimal(0) if number is None else _stated(number)
        if value is not None:
            yield quantity, hit, value


_INDEX = CueIndex((*STATEMENTS, *NONE_STATEMENTS))


def _units(pattern: str) -> list[str]:
    """The units a statement's number may carry («件», «万元»): what follows `_N` and spaces."""
    rest = pattern[pattern.index(_N + r"\s*") + len(_N) + 3 :]
    grouped = rest.startswith("(?:")
    end = (
        rest.index(")") + 1
        if grouped
        else next((i for i, ch in enumerate(rest) if ch in _SPECIAL), len(rest))
    )
    assert rest[end : end + 1] not in ("?", "*", "{"), pattern  # a unit it must have
    return rest[3 : end - 1].split("|") if grouped else [rest[:end]]


_SPECIAL = "\\[(?*+{|.^$"
# A number and the first character of its unit, which every statement of a figure holds
_UNIT_CHARS = "".join(sorted({u[0] for _, p in STATEMENTS for u in _units(p.pattern)}))
assert len(NONE_STATEMENTS) == 3  # a new one: its word in _may_state too


def _may_state(text: str) -> bool:
    """Whether `text` may hold a statement: most paragraphs hold no number with a unit, which
    memchr-speed finds of each unit's character tell, ahead of the cues' scan and a look at
    each cue («发布», «制定» are everywhere). A digit and spaces before a unit's character, as a
    pattern \\d\\s*[units] would read them: str.isdecimal and str.isspace are its \\d and \\s."""
    for unit in _UNIT_CHARS:
        at = text.find(unit)
        while at != -1:
            before = at - 1
            while before >= 0 and text[before].isspace():
                before -= 1
            if before >= 0 and text[before].isdecimal():
                return True
            at = text.find(unit, at + 1)
    # each of NONE_STATEMENTS, in order, holds 结转, 未发出, 未收取: one character first
    return ("结" in text and "结转" in text) or (
        "未" in text and ("未发出" in text or "未收取" in text)
    )


# -- statements of none: requests, reviews and lawsuits ----------------------------------------
# Phrases that deny that requests were received, or that a review or lawsuit happened. They
# name the event itself ("未收到…申请", "无因…被申请行政复议"), so that a denial of something
# else nearby ("未出现超期答复依申请公开的情况", "未发生行政复议纠错") is not taken for one.
_CLAUSE = r"[^。；;！!？?\n，,]"
_NO_REQUESTS = _rx(
    r"(?:未|没有|无)(?:收到|接到|受理)(?P<who>" + _CLAUSE + r"{0,16}?)(?:依申请|申请)"
)
# Who a denial of requests is about, when it names the applicants: only those columns count.
_APPLICANTS: tuple[tuple[re.Pattern[str], tuple[str, ...], str], ...] = (
    (_rx(r"自然人|个人|公民"), ("natural_person",), "自然人"),
    (
        _rx(r"法人|组织|单位"),
        tuple(c.id for c in m.LEGAL_PERSON_COLUMNS),
        "法人或其他组织",
    ),
    (_rx(r"企业"), ("commercial",), "商业企业"),
)
_NO_LITIGATION = _rx(
    r"(?:无|未发生|未出现|没有|未有|不存在)"
    r"(?:因" + _CLAUSE + r"{0,20}?)?(?:被申请|被提起|提起|发生|被)?(?P<first>行政复议|行政诉讼)"
    r"(?P<second>(?:[、和及与或]|以及)(?:被提起|提起|被申请)?(?:行政复议|行政诉讼))?"
    r"(?!" + _CLAUSE + r"{0,4}?(?:纠错|纠正|败诉|被撤销))"
)


def _quote(text: str, match: re.Match[str]) -> str:
    return text[match.start() : match.end()]


def _denied_requests(who: str) -> tuple[tuple[str, ...], str] | None:
    """The columns a denial of requests covers: all (None) unless it names the applicants."""
    for pattern, columns, label in _APPLICANTS:
        if pattern.search(who):
            return columns, label
    return None


def _may_deny_requests(text: str) -> bool:
    """Whether `text` holds a verb of _NO_REQUESTS (收到, 接到, 受理): C-speed tests, ten times
    the pattern's scan; a test of one character (memchr) first, several times that of a word."""
    received = "到" in text and ("收到" in text or "接到" in text)
    return received or ("受" in text and "受理" in text)


@rule(fc.TEXT_SAYS_NO_REQUESTS)
def text_vs_requests(data: dict[str, Any]) -> Iterator[Finding]:
    """规则8：叙述中的数字与表格一致——文字写未收到申请，而表三本年新收申请不为 0
    （只写“未收到自然人申请”的，只与自然人一列比较）。"""
    new = m.TABLE3_ROOT + m.TABLE3_NEW.path
    for path, text in narratives(data):
        if not _may_deny_requests(text):
            continue
        for hit in _NO_REQUESTS.finditer(text):
            narrowed = _denied_requests(hit.group("who"))
            columns, label = narrowed if narrowed else (("total",), "")
            count = sum(number_or_zero(get_path(data, new + (c,))) for c in columns)
            if count <= 0:
                continue
            yield fc.make(
                fc.TEXT_SAYS_NO_REQUESTS,
                m.pointer(path),
                [m.pointer(path), *(m.pointer(new + (c,)) for c in columns)],
                where=where_of(path),
                quote=_quote(text, hit),
                count=count,
                column=f"「{label}」" if label else "总计",
            )
            break  # one wrong paragraph, one finding


def _may_deny_litigation(text: str) -> bool:
    """Whether `text` names 行政复议 or 行政诉讼, as each match of _NO_LITIGATION does (one
    character's test first, as above)."""
    return ("讼" in text and "行政诉讼" in text) or ("议" in text and "行政复议" in text)


@rule(fc.TEXT_SAYS_NO_LITIGATION)
def text_vs_litigation(data: dict[str, Any]) -> Iterator[Finding]:
    """规则8：叙述中的数字与表格一致——文字写没有行政复议（或行政诉讼），而表四相应的数
    不为 0。"""
    for path, text in narratives(data):
        if not _may_deny_litigation(text):
            continue
        for hit in _NO_LITIGATION.finditer(text):
            named = {hit.group("first")[-2:]}
            if hit.group("second"):
                named.add(hit.group("second")[-2:])
            totals = ([_REVIEW] if "复议" in named else []) + (
                list(_LITIGATION) if "诉讼" in named else []
            )
            count = sum(number_or_zero(get_path(data, p)) for p in totals)
            if count <= 0:
                continue
            yield fc.make(
                fc.TEXT_SAYS_NO_LITIGATION,
                m.pointer(path),
                [m.pointer(path), *(m.pointer(p) for p in totals)],
                where=where_of(path),
                quote=_quote(text, hit),
                count=count,
                what="、".join(f"行政{w}" for w in ("复议", "诉讼") if w in named),
            )
            break
