"""The words of the narrative report: cleaning staff text, dates, numbers, generated paragraphs.

Shared by every renderer (DOCX, HTML, Markdown) through `document.py`, so that all outputs say
exactly the same thing. Generated paragraphs state only facts the data holds.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Any

from xxgk.format import model as m
from xxgk.format.agency import agency_of
from xxgk.format.clean import MAX_NUMBER, in_range, out_of_range_text
from xxgk.format.paths import get_path, is_whole, number_or_zero

# Word pastes a manual line break as \x0b and a page break as \x0c: both are paragraph breaks
# to a reader. The other controls, lone surrogates and U+FFFE/U+FFFF are not allowed in XML 1.0
# (and are parse errors in HTML), so they are dropped: what is not \t, \n, printable ASCII,
# U+00A0–U+D7FF, U+E000–U+FFFD or beyond the BMP, written as what it is (re set a byte for each
# of the 60,000 code points of the allowed class, 5.6 ms of every `convert`'s start)
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_EDGE_SPACE = " \t\u3000\xa0"


def clean_name(text: Any) -> str:
    """A name on one line: a line break typed inside it (Alt+Enter) joins, it does not space."""
    if type(text) is str and text.isprintable():  # no break to join: all are unprintable
        return clean_line(text)
    return clean_line(re.sub(r"\s*[\r\n\v\f\u2028\u2029]+\s*", "", str(text or "")))


def year_of(data: dict[str, Any]) -> str:
    """The reporting year as printed; a blank year (converted with --force) as a gap to fill."""
    year = data.get("year")
    return str(year) if is_whole(year) else "____"


def office(agency_name: str) -> str:
    """Who to contact: the agency's 办公室 — unless the agency is itself an office."""
    return agency_name if agency_name.endswith("办公室") else f"{agency_name}办公室"


def _plain(line: str) -> bool:
    """Whether `line` holds nothing `clean_line` changes but its edges: no break, tab or
    forbidden character. All of those are control, separator, surrogate or unassigned
    code points, which `str.isprintable` refuses (in C), as it refuses the two spaces a text
    may well hold (U+3000, U+00A0): those are taken out for the test."""
    return line.isprintable() or line.replace("\u3000", "").replace("\xa0", "").isprintable()


def clean_line(text: str) -> str:
    """One line of text safe for XML 1.0 and HTML: forbidden characters dropped, tabs → space."""
    if _plain(text):
        return text.strip(_EDGE_SPACE)
    return _FORBIDDEN.sub("", _BREAKS.sub(" ", text)).replace("\t", " ").strip(_EDGE_SPACE)


def paragraphs(text: Any) -> list[str]:
    """Staff text → its non-empty paragraphs, cleaned. A newline (or a Word line break) ends a
    paragraph; indentation typed by hand (full-width spaces) is dropped, the layout indents."""
    if not isinstance(text, str) or not text:
        return []
    out = []
    for line in text.split("\n"):
        if _plain(line):
            line = line.strip(_EDGE_SPACE)
            if line:
                out.append(line)
            continue
        # other breaks inside: its parts, as if split with the text (an empty part between
        # \r and \n is dropped like every empty line)
        for part in _BREAKS.sub("\n", line).split("\n"):
            part = _FORBIDDEN.sub("", part).replace("\t", " ").strip(_EDGE_SPACE)
            if part:
                out.append(part)
    return out


def number(value: Any) -> str:
    """A table number as printed: integers plain, decimals without trailing zeros or exponent.
    A list or an object (data with errors, `convert --force`) prints as an empty cell, as it
    does when the data is completed leaf by leaf (`document.complete`)."""
    if type(value) is int and -MAX_NUMBER <= value <= MAX_NUMBER:  # a count: as below, sooner
        return str(value)
    if isinstance(value, (list, dict)):
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (int, float)) and not in_range(value):
        return out_of_range_text(value)  # only with --force: the validator refused it
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        text = repr(value)
        return format(Decimal(text), "f") if "e" in text or "E" in text else text
    return clean_line(str(value)) if value is not None else ""


def chinese_date(iso: str) -> str:
    """2025-02-13 → 2025年2月13日 (GB/T 9704: Arabic numerals, no leading zeros)."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", iso.strip()) if iso else None
    if not match:
        return clean_line(iso or "")
    year, month, day = match.groups()
    return f"{int(year)}年{int(month)}月{int(day)}日"


# ---------------------------------------------------------------------------------------------
# The preamble, modelled on the seed's first paragraph.

ROADMAP = (
    "报告全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
    "因政府信息公开工作被申请行政复议和提起行政诉讼情况、"
    "政府信息公开工作存在的主要问题及改进情况，以及其他需要报告的事项六个部分。"
)
FORMAT_NOTICE_TITLE = "《关于印发<中华人民共和国政府信息公开工作年度报告格式>的通知》"


def title(data: dict[str, Any]) -> str:
    return f"{clean_name(data['agency']['name'])}{year_of(data)}年政府信息公开工作年度报告"


def preamble(data: dict[str, Any]) -> str:
    """The agency's own preamble (contract 1.1) as written, else one in the standard form."""
    own = paragraphs(data.get("preamble"))
    if own:
        return "".join(own)  # one paragraph, as the official layout has it
    agency = data["agency"]
    year = year_of(data)
    basis = f"{m.REGULATION}、{FORMAT_NOTICE_TITLE}（{m.FORMAT_NOTICE}）"
    notice = clean_line(data.get("local_notice") or "")
    if notice:
        basis += f"、{notice}"
    return (
        f"本报告根据{basis}要求编制。{ROADMAP}"
        f"报告统计期限为{year}年1月1日至{year}年12月31日。"
        f"如对本报告有疑问，请与{office(clean_name(agency['name']))}联系"
        f"（{_contact(agency)}）。"
        f"本报告电子版可在{_where_published(data)}查阅。"
    )


def _contact(agency: dict[str, Any]) -> str:
    parts = [
        f"地址：{clean_line(agency['address'])}",
        f"邮编{clean_line(agency['postcode'])}",
        f"电话：{clean_line(agency['phone'])}",
    ]
    for key, label in (("email", "电子邮箱"), ("website", "网址")):
        value = clean_line(agency.get(key) or "")
        if value:
            parts.append(f"{label}：{value}")
    return "；".join(parts)


def _where_published(data: dict[str, Any]) -> str:
    url = clean_line(data.get("report_url") or "")
    return url if url else "本机关政府信息公开专栏"


def heading(data: dict[str, Any], part: m.TextField) -> str:
    """A part's heading: the agency's own title (contract 1.1) after the standard numeral, else
    the standard label."""
    own = get_path(data, _heading_path(part))
    text = clean_line(own) if isinstance(own, str) else ""
    if not text:  # most reports: the standard label, the numeral not looked for
        return part.label
    numeral = _NUMERAL.match(part.label)
    if numeral is None:
        return part.label
    return numeral.group() + _NUMERAL.sub("", text)


_NUMERAL = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]\s*")


@cache  # a Leaf made anew for each part of each report was a fifth of the model's time
def _heading_path(part: m.TextField) -> m.Path:
    return m.heading_leaf(part).path


def summary(data: dict[str, Any]) -> str:
    """Blank summary: only announces what follows (nothing the data does not hold)."""
    name = clean_name(data["agency"]["name"])
    return f"现将{name}{year_of(data)}年政府信息公开工作情况报告如下。"


# ---------------------------------------------------------------------------------------------
# （一）主动公开 from table 二


_RULES_ROW = m.TABLE2_BLOCKS[0].rows[0]  # 规章


def subject_of(data: dict[str, Any]) -> str:
    """Who the generated paragraphs say did the work: 本机关, 区政府本级, 本镇 (see agency.py)."""
    return agency_of(data).subject


def proactive(data: dict[str, Any], subject: str = "本机关") -> str:
    """Table 二 in words; `subject` names who did it (an aggregate: 本地区各单位合计). An agency
    that cannot make 规章 and has none is not told it made none."""
    t2 = data["proactive"]
    year = year_of(data)
    no_rule_power = agency_of(data).cannot_make_rules
    clauses: list[str] = []
    for row in m.TABLE2_BLOCKS[0].rows:
        values = get_path(t2, row.path)
        columns = m.TABLE2_BLOCKS[0].columns
        issued, repealed, in_force = (number_or_zero(values[c.id]) for c in columns)
        if row is _RULES_ROW and no_rule_power and not (issued or repealed or in_force):
            continue
        if issued or repealed or in_force:
            clauses.append(
                f"制发{row.label}{number(issued)}件、废止{number(repealed)}件，"
                f"现行有效{number(in_force)}件"
            )
        else:
            clauses.append(f"未制发、废止{row.label}，无现行有效{row.label}")
    made: list[str] = []
    none: list[str] = []
    for block in m.TABLE2_BLOCKS[1:3]:
        for row in block.rows:
            count = number_or_zero(get_path(t2, row.path)["decisions"])
            if count:
                made.append(f"{row.label}决定{number(count)}件")
            else:
                none.append(row.label)
    decisions = []
    if made:
        decisions.append("作出" + "、".join(made))
    if none:
        decisions.append("未作出" + "、".join(none) + "决定")
    clauses.append("，".join(decisions))
    fee_row = m.TABLE2_BLOCKS[3].rows[0]
    amount = number_or_zero(get_path(t2, fee_row.path)["amount"])
    if amount:
        clauses.append(f"收取{fee_row.label}{number(amount)}万元")
    else:
        clauses.append(f"未收取{fee_row.label}")
    return f"{year}年，{subject}" + "；".join(clauses) + "。具体数据见本报告第二部分。"


# ---------------------------------------------------------------------------------------------
# （二）依申请公开 from tables 三 and 四

_OUTCOME_GROUPS: tuple[tuple[str, tuple[m.Path, ...]], ...] = (
    ("予以公开", (("results", "granted"),)),
    ("部分公开", (("results", "partially_granted"),)),
    ("不予公开", tuple(r.path for r in m.TABLE3_OUTCOMES if r.path[1] == "denied")),
    ("无法提供", tuple(r.path for r in m.TABLE3_OUTCOMES if r.path[1] == "unable")),
    ("不予处理", tuple(r.path for r in m.TABLE3_OUTCOMES if r.path[1] == "not_processed")),
    ("其他处理", tuple(r.path for r in m.TABLE3_OUTCOMES if r.path[1] == "other")),
)


# each group's node under 三 and its rows (None: a row itself)
_GROUP_ROWS = tuple(
    (paths[0][1], None if len(paths[0]) == 2 else tuple(p[2] for p in paths))
    for _, paths in _OUTCOME_GROUPS
)
_NUMBERS = frozenset({int, float})


def _outcome_counts(req: dict[str, Any]) -> list[int | float]:
    """How many requests ended each way: the sum (from 0) of the 总计 of the group's rows."""
    try:  # the format's shape, every 总计 an int or a float: read straight, summed alike
        results: Any = req.get("results")
        totals: list[Any] = []
        ends = []
        for group, rows in _GROUP_ROWS:
            node = results.get(group)
            if rows is None:
                totals.append(node["total"])
            else:
                totals += [node.get(row)["total"] for row in rows]
            ends.append(len(totals))
        if _NUMBERS.issuperset(map(type, totals)):
            return [sum(totals[a:b]) for a, b in zip([0, *ends], ends, strict=False)]
    except (AttributeError, TypeError, KeyError):
        pass
    return [
        sum(number_or_zero(get_path(req, p)["total"]) for p in paths)
        for _, paths in _OUTCOME_GROUPS
    ]


def _outcomes(groups: list[dict[str, Any]]) -> str:
    """（结果维持1件、尚未审结1件）: table 四's outcomes of the groups summed, those not 0."""
    said = []
    for col in m.REVIEW_PARTS:
        count = sum(number_or_zero(g.get(col.id)) for g in groups)
        if count:
            said.append(f"{col.label}{number(count)}件")
    return "（" + "、".join(said) + "）" if said else ""


def _review_sentence(data: dict[str, Any]) -> str:
    rl = data["review_litigation"]
    review = number_or_zero(rl["review"]["total"])
    groups = [rl[g.id] for g in m.TABLE4_GROUPS[1:]]
    litigation = sum(number_or_zero(g["total"]) for g in groups)
    if not review and not litigation:
        return "未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
    parts = []
    if review:
        parts.append(f"被申请行政复议{number(review)}件" + _outcomes([rl["review"]]))
    else:
        parts.append("未被申请行政复议")
    if litigation:
        parts.append(f"被提起行政诉讼{number(litigation)}件" + _outcomes(groups))
    else:
        parts.append("未被提起行政诉讼")
    return "因政府信息公开工作" + "，".join(parts) + "。"


def on_request(data: dict[str, Any], subject: str = "本机关") -> str:
    req = data["requests"]
    year = year_of(data)
    new = number_or_zero(req["new"]["total"])
    carried = number_or_zero(req["carried_over"]["total"])
    if not new and not carried:
        return f"{year}年，{subject}未收到政府信息公开申请，{_review_sentence(data)}"
    text = f"{year}年，{subject}新收政府信息公开申请{number(new)}件"
    if new:
        # 法人或其他组织 spans 商业企业 … 其他 in the official table
        natural = number_or_zero(req["new"]["natural_person"])
        legal = sum(number_or_zero(req["new"][c.id]) for c in m.LEGAL_PERSON_COLUMNS)
        who = [f"自然人申请{number(natural)}件"] if natural else []
        if legal:
            who.append(f"法人或其他组织申请{number(legal)}件")
        if who:
            text += "（其中" + "，".join(who) + "）"
    text += f"，上年结转{number(carried)}件。"
    done = number_or_zero(req["results"]["total"]["total"])
    if done:
        outcomes = []
        for (label, _), count in zip(_OUTCOME_GROUPS, _outcome_counts(req), strict=True):
            if count:
                outcomes.append(f"{label}{number(count)}件")
        text += f"本年度办理完毕{number(done)}件，其中" + "，".join(outcomes) + "。"
    else:
        text += "本年度未办理完毕政府信息公开申请。"
    forward = number_or_zero(req["carried_forward"]["total"])
    text += (
        f"结转下年度继续办理{number(forward)}件。" if forward else "无结转下年度继续办理的申请。"
    )
    return text + _review_sentence(data)


# ---------------------------------------------------------------------------------------------
# 六、其他需要报告的事项: the 信息处理费 statement


def processing_fees(data: dict[str, Any], subject: str = "本机关") -> str:
    fees = data["other_matters"]["processing_fees"]
    notices = number_or_zero(fees["notices"])
    amount = number_or_zero(fees["amount_yuan"])
    year = year_of(data)
    basis = f"依据{m.FEE_MEASURES}"
    if not notices and not amount:
        return f"{basis}，{year}年度{subject}未收取信息处理费。"
    sent = f"发出收费通知{number(notices)}件" if notices else "未发出收费通知"
    got = f"收取信息处理费{number(amount)}元" if amount else "未收取信息处理费"
    return f"{basis}，{year}年度{subject}{sent}，{got}。"


def states_processing_fee(paragraphs_: list[str]) -> bool:
    """Whether the staff's own text for 六 already speaks of the 信息处理费 (or cites the
    measures, 109号): then no generated sentence is added."""
    return any("109号" in p or "处理费" in p for p in paragraphs_)


# What the report says for a part that no number can write and the staff left blank: plainly
# missing (validate warns: PART_EMPTY, SECTION5_EMPTY), never a bare heading.
MISSING_PART = "本部分未填写内容。"
