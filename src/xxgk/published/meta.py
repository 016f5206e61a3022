"""The title (agency and year) at the top and the signature and date at the bottom.

The title may be split over lines anywhere (`额敏县商务和工业信息化局2024年政府信息` +
`公开工作年度报告`, or the agency alone on the first line and `2024年政府信息公开工作年度报告` on
the second) and says `2024年` or `2024年度`; it is the first one to three lines before the first
section that together read as a title. The date is the last line (or the end of the signature
line) when it is a whole date: `2025年2月13日`, `二〇二五年二月十三日`, `2025-02-13`; it is
returned in ISO form only when it is a real calendar date, never completed or guessed.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from xxgk.published.document import Document, Where
from xxgk.published.fold import fold

_TITLE = re.compile(
    r"^(?P<agency>.*?)(?:关于)?(?:(?P<year>(?:19|20)\d\d)年度?)?(?:的)?"
    r"(?:政府信息公开|政务公开)(?:工作)?(?:的)?(?:年度)?(?:报告|年报)$"
)
_MAX_TITLE = 80  # folded characters: a longer line is prose, not a title
_NOT_AGENCY = re.compile(r"[>›»/|:。,;]")  # a portal's path or a sentence, not a name

_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0, "o": 0}
_CN = "〇零○Oo一二三四五六七八九"
_DATE = re.compile(
    r"(?:(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日"
    rf"|(?P<cy>[{_CN}]{{4}})年(?P<cm>[一二三四五六七八九十]{{1,3}})月(?P<cd>[一二三四五六七八九十]{{1,3}})日"
    r"|(?P<iy>\d{4})[-./](?P<im>\d{1,2})[-./](?P<id>\d{1,2}))[.。]?$"
)
_SENTENCE_END = "。;:,!?)）"
_SEARCH = 60  # lines back from the end where the date may be (a footer can follow it)
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\(|\d+[、.])")
# How a signature line ends: the kinds of body that publish these reports.
_AGENCY_END = re.compile(
    r"(?:局|办|办公室|委|委员会|政府|处|院|部|厅|中心|镇|乡|街道|所|站|队|会|署|室)$"
)


@dataclass(frozen=True)
class Title:
    agency: str  # "" when the title names no agency
    agency_where: Where
    year: int | None
    year_where: Where
    lines: tuple[int, ...]  # the document lines the title was read from


def find_title(doc: Document, before: list[int]) -> Title | None:
    """The title among the first lines before the first section heading: one with a year
    first (a portal's menu may say 政府信息公开年报 too), else one without."""
    head = before[:8]
    for need_year in (True, False):
        for start in range(len(head)):
            for count in (1, 2, 3):
                chosen = head[start : start + count]
                if len(chosen) < count:
                    break
                if len(fold("".join(doc.lines[i].text for i in chosen)).text) > _MAX_TITLE:
                    break
                title = _title(doc, chosen, need_year)
                if title is not None:
                    return title
    return None


def _title(doc: Document, chosen: list[int], need_year: bool) -> Title | None:
    texts = [doc.lines[i].text for i in chosen]
    joined = fold("".join(texts))
    match = _TITLE.match(joined.text)
    if match is None or need_year and not match.group("year"):
        return None
    if _NOT_AGENCY.search(match.group("agency")) or "政府信息公开" in match.group("agency"):
        return None  # a portal's menu above the title (政府信息公开指南, …年报) is no agency
    agency = joined.span(match.start("agency"), match.end("agency")).strip()
    year = int(match.group("year")) if match.group("year") else None
    year_at = joined.index[match.start("year")] if year is not None else 0
    line = _line_of(_line_ends(texts), year_at)
    where = doc.lines[chosen[0]].where
    return Title(agency, where, year, doc.lines[chosen[line]].where, tuple(chosen))


def _line_ends(texts: list[str]) -> list[int]:
    out, total = [], 0
    for text in texts:
        total += len(text)
        out.append(total)
    return out


def _line_of(ends: list[int], position: int) -> int:
    return next((n for n, end in enumerate(ends) if position < end), len(ends) - 1)


@dataclass(frozen=True)
class Signature:
    agency: str  # "" when there is no signature line
    date: str | None  # ISO YYYY-MM-DD, None when no date is printed (or it is not a real date)
    printed: str  # the date as printed, "" when none
    where: Where  # the date's line, or the last line
    lines: tuple[int, ...]  # the lines that are signature and date, not section text


def find_signature(doc: Document, tail: list[int], closing: bool) -> Signature:
    """The signature and date at the end of the report (`tail`: line indices in order): the
    last line that is a date alone (or a signature and a date), with the signature line above
    it. What follows it is not the report's text (a portal's footer, our web page's 图解).
    `closing`: the tail is the last section's (六), so a last line without a date can still be
    the signature; otherwise the text may be cut short and only a date line is taken."""
    if not tail:
        return Signature("", None, "", Where(), ())
    for back in range(1, min(_SEARCH, len(tail)) + 1):
        i = tail[-back]
        folded = fold(doc.lines[i].text)
        match = _DATE.search(folded.text) if len(folded.text) <= 60 else None
        if match is None:
            continue
        before = folded.span(0, match.start()).strip()
        if before and not _signature_line(before):
            continue  # a sentence that ends with a date, not the date under the signature
        printed = folded.span(match.start(), match.end()).strip()
        lines = tuple(tail[-back:])
        agency = before
        if not agency and len(tail) > back and _signature_line(doc.lines[tail[-back - 1]].text):
            agency = doc.lines[tail[-back - 1]].text.strip()
            lines = (tail[-back - 1], *lines)
        return Signature(agency, _iso(match), printed, doc.lines[i].where, lines)
    last = tail[-1]
    if closing and _signature_line(doc.lines[last].text):
        return Signature(doc.lines[last].text.strip(), None, "", doc.lines[last].where, (last,))
    return Signature("", None, "", doc.lines[last].where, ())


def _signature_line(text: str) -> bool:
    flat = fold(text).text
    if not 0 < len(flat) <= 40 or flat[-1] in _SENTENCE_END or _NUMBERED.match(flat):
        return False
    return bool(_AGENCY_END.search(flat))


def _iso(match: re.Match[str]) -> str | None:
    if match.group("y"):
        y, mo, d = int(match["y"]), int(match["m"]), int(match["d"])
    elif match.group("iy"):
        y, mo, d = int(match["iy"]), int(match["im"]), int(match["id"])
    else:
        y = int("".join(str(_DIGIT[c]) for c in match["cy"]))
        month, day = _cn_number(match["cm"]), _cn_number(match["cd"])
        if month is None or day is None:
            return None
        mo, d = month, day
    try:
        return datetime.date(y, mo, d).isoformat()
    except ValueError:
        return None


def _cn_number(text: str) -> int | None:
    """一 … 三十一 as written in dates; None for anything else."""
    match = re.fullmatch(r"(?:(?P<tens>[二三])?(?P<ten>十))?(?P<unit>[一二三四五六七八九])?", text)
    if not match or not text:
        return None
    tens = _DIGIT[match["tens"]] if match["tens"] else (1 if match["ten"] else 0)
    return tens * 10 + (_DIGIT[match["unit"]] if match["unit"] else 0)
