"""The parts of a section: （一）…（五） of 总体情况, （一）（二） of section 五.

A part starts at a line that begins with its numeral `（三）` (`(三)`, `( 三)`), or at a short
line that is a part's standard title alone (`主动公开情况`). Which field it is, is decided by
what its lead says, not by its number — agencies renumber and retitle (`（三）完善公开制度规范，
加强政府信息管理` is 政府信息管理); the number settles a tie, and names the field of a lead whose
words name none. A part that fits only fields already filled, or that is about what the 2019
format had there (`（三）政府信息公开的收费情况`), keeps its text with the part before it and is
reported.

Two shapes, kept apart because the renderer prints them apart (report/document.py):
- a heading line alone (`（一）主动公开情况。` then paragraphs): the heading is the part's own
  title (`headings`, contract 1.1) unless it is the standard one, and the text is the paragraphs;
- a run-in lead (`（一）主动公开。按照…`, the seed): the whole paragraph is the text, lead
  included, with the numeral written in full-width brackets as the renderer recognises it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xxgk.format import model as m
from xxgk.published.document import Document, Where
from xxgk.published.fold import fold

_NUMBERED = re.compile(r"^\((?P<n>[一二三四五六七八九十]{1,2})\)")
_TRAILING = "。:.;,"
_MAX_HEADING = 40  # folded characters of a heading line alone
_NUMERALS = "一二三四五六七八九十"
# What the parts of 总体情况 were about in the 2019 format and are not in 2021's
_OLD_PARTS = re.compile("收费|复议|诉讼")


@dataclass(frozen=True)
class Spec:
    part: m.TextField
    keywords: tuple[str, ...]

    @property
    def pointer(self) -> str:
        return m.pointer(self.part.path)

    @property
    def title(self) -> str:
        """The standard title without its numeral: 主动公开."""
        return re.sub(r"^（[一二三四五六七八九十]+）", "", self.part.label)


OVERVIEW: tuple[Spec, ...] = tuple(
    Spec(part, words)
    for part, words in zip(
        m.OVERVIEW_PARTS[1:],
        (
            ("主动公开",),
            ("依申请", "申请公开"),
            ("信息管理", "管理", "制度"),
            ("平台", "网站", "渠道", "载体", "新媒体"),
            ("监督", "保障", "考核", "评议", "责任追究", "问责"),
        ),
        strict=True,
    )
)
SECTION5: tuple[Spec, ...] = (
    Spec(m.PROBLEMS, ("问题", "不足", "差距", "短板")),
    Spec(m.IMPROVEMENTS, ("改进", "整改", "措施", "计划", "下一步", "努力方向", "打算")),
)


@dataclass
class Piece:
    spec: Spec
    where: Where
    heading: str = ""  # the agency's own title, "" when standard or run in
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Unmapped:
    lead: str  # the part's lead as printed
    where: Where
    into: str  # pointer of the field its text was kept in


@dataclass
class Parts:
    intro: list[str] = field(default_factory=list)  # text before the first part
    pieces: dict[str, Piece] = field(default_factory=dict)  # pointer → the part found
    unmapped: list[Unmapped] = field(default_factory=list)


@dataclass(frozen=True)
class _Head:
    numeral: str  # "" for a standard title alone on its line
    lead: str  # folded words that say what the part is
    heading_only: bool
    heading: str  # the heading as printed (heading_only), numeral and final 。 dropped
    line: str  # the line to keep as text when it is run in: numeral in full-width brackets
    shown: str  # how a message quotes the part: （三）政府信息公开的收费情况


def split(doc: Document, lines: list[int], specs: tuple[Spec, ...], intro: str) -> Parts:
    """The parts among `lines`; `intro` is the pointer text before the first part belongs to."""
    out = Parts()
    current: Piece | None = None
    for i in lines:
        text = doc.lines[i].text.strip()
        head = _head(text, specs)
        if head is None:
            (current.lines if current else out.intro).append(text)
            continue
        spec = _choose(head, specs, set(out.pieces))
        if spec is None:
            (current.lines if current else out.intro).append(head.line)
            into = current.spec.pointer if current else intro
            out.unmapped.append(Unmapped(head.shown, doc.lines[i].where, into))
            continue
        current = Piece(spec, doc.lines[i].where)
        out.pieces[spec.pointer] = current
        if not head.heading_only:
            current.lines.append(head.line)
        elif fold(head.heading).text != fold(spec.title).text:
            current.heading = head.heading
    return out


def _head(text: str, specs: tuple[Spec, ...]) -> _Head | None:
    if text[:1] not in "(（" and len(text) > 40:
        return None  # neither numbered nor a title alone
    f = fold(text)
    match = _NUMBERED.match(f.text)
    if match is None:
        return _title_alone(f.text, text, specs)
    rest = f.text[match.end() :]
    bare = rest.rstrip(_TRAILING)
    numeral = match.group("n")
    line = f"（{numeral}）" + f.rest(match.end()).lstrip()
    if bare and len(bare) <= _MAX_HEADING and "。" not in bare:
        heading = f.span(match.end(), match.end() + len(bare)).strip()
        return _Head(numeral, bare, True, heading, line, f"（{numeral}）{heading}")
    stop = re.search(r"[。:;]", rest)
    lead = rest[: stop.start()] if stop and stop.start() <= _MAX_HEADING else rest[:_MAX_HEADING]
    shown = f"（{numeral}）" + f.span(match.end(), match.end() + min(len(lead), 20)).strip()
    shown += "……" if len(lead) > 20 else ""
    return _Head(numeral, lead, False, "", line, shown)


def _title_alone(flat: str, text: str, specs: tuple[Spec, ...]) -> _Head | None:
    bare = flat.rstrip(_TRAILING)
    for spec in specs:
        title = fold(spec.title).text
        if re.fullmatch(f"{re.escape(title)}(?:情况|方面|工作)?", bare):
            heading = text.strip().rstrip("。：:")
            return _Head("", title, True, heading, text, heading)
    return None


def _choose(head: _Head, specs: tuple[Spec, ...], taken: set[str]) -> Spec | None:
    """The field a part's lead names: among the free fields its words fit, the one its numeral
    stands for, else the one whose word comes first. A lead whose words fit no field at all
    goes by its numeral (an agency's own title such as `（三）扎实推进各项工作`), unless it
    speaks of what the 2019 format had there (收费, 复议, 诉讼). None: no free field fits."""
    hits: list[tuple[int, int, Spec]] = []
    fitting = False
    for n, spec in enumerate(specs):
        at = [head.lead.find(w) for w in spec.keywords if w in head.lead]
        fitting = fitting or bool(at)
        if at and spec.pointer not in taken:
            hits.append((min(at), n, spec))
    by_number = _NUMERALS.find(head.numeral) if len(head.numeral) == 1 else -1
    for _, n, spec in hits:
        if n == by_number:
            return spec
    if hits:
        return min(hits, key=lambda h: (h[0], h[1]))[2]
    if fitting or not 0 <= by_number < len(specs) or _OLD_PARTS.search(head.lead):
        return None
    spec = specs[by_number]
    return spec if spec.pointer not in taken else None


def split_by_words(lines: list[str], specs: tuple[Spec, ...]) -> tuple[list[str], list[str]]:
    """Section 五 without （一）（二）: the paragraphs up to the first that opens with words of
    the second part (改进、整改、下一步…) are the first part, the rest the second."""
    second = specs[1]
    for n, text in enumerate(lines):
        opening = fold(text).text[:12]
        if n and any(w in opening for w in second.keywords):
            return lines[:n], lines[n:]
    return lines, []
