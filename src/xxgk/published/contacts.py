"""What a preamble says besides its wording: contact details, the local notice, the web address
and the statistics period.

Everything is matched on the folded text (fold.py) and taken from the source as printed. A value
runs from its label (`地址：`, `邮编`, `电话：`, `电子邮箱：`, `网址：`) to the next separator
(`；` `，` `。` or the closing bracket of the contact details), which is how our own preamble
(report/text.py) and the published ones print them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from xxgk.published.fold import Folded, fold

_STOP = ";,。、"
_LABELS = re.compile(
    r"(?:通信|通讯|联系)?地址|邮编|邮政编码|(?:联系|咨询)?电话|传真|电子邮箱|邮箱|电子信箱|网址"
)
_FIELDS: tuple[tuple[str, str], ...] = (
    ("/agency/address", r"(?:通信|通讯|联系)?地址:?"),
    ("/agency/postcode", r"(?:邮编|邮政编码):?"),
    ("/agency/phone", r"(?:联系|咨询)?电话(?:号码)?:?"),
    ("/agency/email", r"(?:电子邮箱|电子信箱|邮箱|E-?mail|e-?mail):?"),
    ("/agency/website", r"(?:网址|网站):?"),
)
_CHECK = {
    "/agency/postcode": re.compile(r"\d{6}"),
    "/agency/phone": re.compile(r"(?:.*\d){7}"),
    "/agency/email": re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}"),
    "/agency/website": re.compile(r"^(?:https?://)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"),
}
_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9._~:/?#@!$&'*+=%-]+[A-Za-z0-9/]")
_PUBLISHED_AT = re.compile(r"电子版(?:可)?在(?P<v>.+?)(?:查阅|下载|查询|浏览|获取)")
_OWN_COLUMN = "本机关政府信息公开专栏"  # what report/text.py prints when there is no report_url
_PERIOD = re.compile(r"统计[^。]{0,16}?(?P<y>(?:19|20)\d\d)年?1月1日")
_BASIS = re.compile(r"根据|依据|按照|依照")
_NATIONAL = re.compile(r"政府信息公开条例|年度报告格式|^国务院|^国办")
_NATIONAL_NUMBER = re.compile(r"^\(?(?:国办|国发|国务院令|国函)")
_SEPARATORS = ("、", ",", "和", "及", "与", "根据", "依据", "按照", "依照", "以及", ")")


def contacts(text: str) -> dict[str, str]:
    """Contact details by pointer (only those the text states), and `/report_url`."""
    f = fold(text)
    out: dict[str, str] = {}
    sentences = list(_sentences(f))
    for start, end in sentences:
        sentence = f.text[start:end]
        published = "电子版" in sentence
        for pointer, label in _FIELDS:
            if pointer in out or published and pointer == "/agency/website":
                continue
            check = _CHECK.get(pointer)
            for value in _labelled(f, start, end, label):
                if value and (check is None or check.search(fold(value).text)):
                    out[pointer] = value
                    break
        if published and "/report_url" not in out:
            url = _URL.search(sentence)
            at = _PUBLISHED_AT.search(sentence)
            if url:
                out["/report_url"] = f.span(start + url.start(), start + url.end())
            elif at and at.group("v") != _OWN_COLUMN:
                out["/report_url"] = f.span(start + at.start("v"), start + at.end("v"))
    if "/agency/email" not in out:
        email = re.search(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", f.text)
        if email:
            out["/agency/email"] = f.span(email.start(), email.end())
    return out


def _sentences(f: Folded) -> list[tuple[int, int]]:
    out, start = [], 0
    for i, ch in enumerate(f.text):
        if ch == "。":
            out.append((start, i + 1))
            start = i + 1
    if start < len(f.text):
        out.append((start, len(f.text)))
    return out


def _labelled(f: Folded, start: int, end: int, label: str) -> Iterator[str]:
    """Each value after `label` up to the next separator or label, brackets kept balanced."""
    for match in re.compile(label).finditer(f.text, start, end):
        yield _value(f, match.end(), end)


def _value(f: Folded, i: int, end: int) -> str:
    depth = 0
    stop = i
    while stop < end:
        ch = f.text[stop]
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
        elif ch in _STOP and depth == 0 or _LABELS.match(f.text, stop, end) and stop > i:
            break
        stop += 1
    return f.span(i, stop).strip()


def period_year(text: str) -> int | None:
    """The year of the statistics period (`统计期限为2024年1月1日至…`; `20231月1日` too)."""
    match = _PERIOD.search(fold(text).text)
    return int(match.group("y")) if match else None


def local_notice(text: str) -> str:
    """The local notices the preamble cites among its grounds, as printed (`地区《…》`,
    `《…》（川办便函〔2021〕306号）`): every document of the first sentence that says 根据/依据…
    other than the regulation, the format notice and other State Council documents. Joined with
    `、` when there are several."""
    f = fold(text)
    sentence = next(((s, e) for s, e in _sentences(f) if _BASIS.search(f.text, s, e)), None)
    if sentence is None:
        return ""
    found = []
    for start, end, title, number in _citations(f, *sentence):
        if not (_NATIONAL.search(title) or _NATIONAL_NUMBER.search(number)):
            found.append(f.span(start, end).strip())
    return "、".join(found)


def _citations(f: Folded, start: int, end: int) -> list[tuple[int, int, str, str]]:
    """(start, end, title, document number) of each 《…》 outside brackets, with the words
    naming its issuer before it."""
    out = []
    text = f.text
    depth = 0
    i = start
    last = start
    while i < end:
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
            last = i + 1
        elif ch == "《" and depth == 0:
            close = _closing(text, i, end)
            if close < 0:
                break
            cut = _qualifier_start(text, last, i)
            number_end = close + 1
            if number_end < end and text[number_end] == "(":
                shut = text.find(")", number_end, end)
                number_end = shut + 1 if shut > 0 else number_end
            number = text[close + 1 : number_end]
            out.append((cut, number_end, text[i + 1 : close], number))
            i = last = number_end
            continue
        i += 1
    return out


def _closing(text: str, open_at: int, end: int) -> int:
    depth = 0
    for j in range(open_at, end):
        if text[j] == "《":
            depth += 1
        elif text[j] == "》":
            depth -= 1
            if depth == 0:
                return j
    return -1


def _qualifier_start(text: str, last: int, at: int) -> int:
    """Where the words naming a notice's issuer (`地区`, `自治区`) start before its 《."""
    cut = last
    for sep in _SEPARATORS:
        found = text.rfind(sep, last, at)
        if found >= 0:
            cut = max(cut, found + len(sep))
    return cut if at - cut <= 10 else at
