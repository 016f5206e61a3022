"""The narrative and metadata of a published report: `read_text(doc, skip)`.

Reads everything but the tables (whose lines, `skip`, the table recogniser has taken) into the
data contract, as strings by JSON Pointer, each with the `Where` it was read from; what it cannot
read for certain is a finding with `source` and `path`, never a guess.

What goes in each field, so that rendering the import reproduces the report (report/document.py
prints these fields; whitespace aside, render → import → render gives the same narrative):

- `/agency/name`, `/year`: from the title (meta.py); the agency from the signature and the year
  from the statistics period (`统计期限为2024年1月1日…`, preamble first, else the first
  paragraph of 总体情况) when the title lacks them, each with a finding saying so.
- `/published_on`: the date under the signature, ISO; none printed → a finding, no value.
- `/preamble`: the lines between the title and 一、总体情况 (page furniture such as `来源：…`
  dropped), one paragraph per line, only when they differ from the preamble the renderer writes
  for the imported values (`report.text.preamble`); the contact details, `/local_notice` and
  `/report_url` are read from them either way (contacts.py).
- `/overview/summary`: the paragraphs of 一 before its first part; `/overview/<part>`: a part's
  paragraphs (parts.py: a heading line alone goes to `/headings/overview.<part>` unless it is
  the standard title; a run-in lead `（一）主动公开。…` stays in the text, numeral in full-width
  brackets). Paragraphs are joined with a newline, each stripped of edge spaces.
- `/problems`, `/improvements`: the same for 五's （一）（二）; without them, split where a
  paragraph opens with 改进/整改/下一步…; text before （一） belongs to `/problems`.
- `/other_matters/text`: 六's paragraphs before the signature; the fee figures from fees.py.

Paragraphs the renderer writes itself for an empty field are read back as empty, so that a
report whose narrative was generated imports with the same empty fields: the summary sentence
(`现将…报告如下。`), `本部分未填写内容。`, and 六's opening fee sentence when it is exactly the one
the imported figures give. The paragraphs written from the tables for an empty 主动公开 or
依申请公开 are kept as text: they depend on table figures this recogniser does not read.
"""

from __future__ import annotations

import re
from typing import Any

from xxgk.check import findings as fc
from xxgk.format import model as m
from xxgk.published import fees as fz
from xxgk.published.contacts import contacts, local_notice, period_year
from xxgk.published.document import PDF, Document, Where
from xxgk.published.fold import fold, one_line, paragraphs, squash
from xxgk.published.meta import Signature, find_signature, find_title
from xxgk.published.parts import OVERVIEW, SECTION5, Parts, Spec, split_by_words
from xxgk.published.parts import split as split_parts
from xxgk.published.recognised import Recognised
from xxgk.published.sections import Sections, narrative_lines
from xxgk.published.sections import split as split_sections
from xxgk.report import text as t

NAME, YEAR, DATE = "/agency/name", "/year", "/published_on"
SUMMARY = m.pointer(m.OVERVIEW_PARTS[0].path)
PROBLEMS, IMPROVEMENTS = m.pointer(m.PROBLEMS.path), m.pointer(m.IMPROVEMENTS.path)
OTHER = m.pointer(m.OTHER_TEXT.path)
_REQUIRED_CONTACTS = tuple((m.pointer(f.path), f.label) for f in m.AGENCY_FIELDS[1:])
_SECTION_PATHS: tuple[tuple[str, ...], ...] = (
    tuple(m.pointer(f.path) for f in m.OVERVIEW_PARTS),
    ("/proactive",),
    ("/requests",),
    ("/review_litigation",),
    (PROBLEMS, IMPROVEMENTS),
    (OTHER, fz.NOTICES, fz.AMOUNT),
)
# Fields of paragraphs, one a line; every other text is a single line.
_PARAGRAPHED = frozenset(
    (*(m.pointer(f.path) for f in m.OVERVIEW_PARTS), PROBLEMS, IMPROVEMENTS, OTHER, "/preamble")
)
# Portal furniture between the title and the preamble: not the agency's text.
_FURNITURE = re.compile(
    r"^(?:来源|发布(?:时间|日期|机构)|信息来源|浏览次数|点击数|字号|【|索引号|文号)"
)
# Lines under a table that belong to the table (its notes, block titles).
_TABLE_TEXT = re.compile(
    r"^(?:\*\*)?(?:第二十条|注:|\(本列数据|信息内容|申请人情况|表[二三四])|勾稽关系|滑动查看"
)


class _Reading:
    """One report being read: the values, their origins and the findings so far."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.out = Recognised()
        self.pdf = doc.kind == PDF

    def paragraphs(self, texts: list[str]) -> list[str]:
        return paragraphs(texts, self.pdf)

    def put(self, pointer: str, value: Any, where: Where) -> None:
        if isinstance(value, str) and pointer not in _PARAGRAPHED:
            value = one_line(value, self.pdf)
        self.out.values[pointer] = value
        self.out.origins[pointer] = where

    def flag(
        self, code: str, pointer: str, where: Where, paths: tuple[str, ...] = (), **args: Any
    ) -> None:
        finding = fc.make(code, pointer, paths, where=where.text(), **args)
        finding.source = where.to_dict() or None
        self.out.findings.append(finding)

    def where(self, line: int | None) -> Where:
        return self.doc.lines[line].where if line is not None else Where()


def read_text(doc: Document, skip: set[int]) -> Recognised:
    """Everything but the tables, by pointer; `skip`: the indices of the table lines."""
    r = _Reading(doc)
    lines = narrative_lines(doc, skip)
    sections = split_sections(doc, lines)
    title = find_title(doc, sections.before)
    # The signature and date close the last section found (六, unless the text is cut short).
    last = max(sections.body) if sections.body else None
    tail = sections.body[last] if last is not None else sections.before
    tail = [i for i in tail if not title or i not in title.lines]
    signature = find_signature(doc, tail, closing=last == 5)
    if last is not None:
        sections.body[last] = [i for i in tail if i not in signature.lines]
    # Lines before the title are the portal's (a path, a menu), not the agency's preamble.
    after_title = max(title.lines) if title else -1
    preamble_lines = [
        i
        for i in sections.before
        if i > after_title
        and i not in signature.lines
        and not _FURNITURE.match(fold(doc.lines[i].text).text)
    ]
    _agency(r, title.agency if title else "", title.agency_where if title else None, signature)
    if title and title.year is not None:
        r.put(YEAR, title.year, title.year_where)
    _date(r, signature)
    facts = _preamble(r, preamble_lines, sections)
    _missing_sections(r, sections)
    if 0 in sections.body:
        _overview(r, sections, facts)
    if 4 in sections.body:
        _section5(r, sections)
    if 5 in sections.body:
        _section6(r, sections, facts)
    _unplaced(r, sections)
    return r.out


def _agency(r: _Reading, name: str, where: Where | None, signature: Signature) -> None:
    if name:
        r.put(NAME, name, where or Where())
    elif signature.agency:
        r.put(NAME, signature.agency, signature.where)
        r.flag(fc.IMPORT_AGENCY_FROM_SIGNATURE, NAME, signature.where, agency=signature.agency)
    else:
        at = where or r.where(0 if r.doc.lines else None)
        r.flag(fc.IMPORT_NO_TITLE, NAME, at, (NAME, YEAR))


def _date(r: _Reading, signature: Signature) -> None:
    if signature.date:
        r.put(DATE, signature.date, signature.where)
        return
    if signature.printed:
        detail = f"落款日期「{signature.printed}」不是有效的日期"
    else:
        detail = "落款下没有成文日期"
    r.flag(fc.IMPORT_NO_DATE, DATE, signature.where, detail=detail)


def _facts(r: _Reading) -> dict[str, Any]:
    """The imported values as the renderer's text functions take them."""
    v = r.out.values
    agency = {k: v.get(f"/agency/{k}", "") for k in ("name", "address", "postcode", "phone")}
    for k in ("email", "website"):
        if v.get(f"/agency/{k}"):
            agency[k] = v[f"/agency/{k}"]
    return {
        "agency": agency,
        "year": v.get(YEAR),
        "local_notice": v.get("/local_notice", ""),
        "report_url": v.get("/report_url", ""),
    }


def _preamble(r: _Reading, lines: list[int], sections: Sections) -> dict[str, Any]:
    texts = r.paragraphs([r.doc.lines[i].text.strip() for i in lines])
    text = "\n".join(texts)
    where = r.where(lines[0]) if lines else r.where(sections.heading.get(0))
    found = contacts(text)
    for pointer, value in found.items():
        r.put(pointer, value, _line_with(r, lines, value))
    notice = local_notice(text)
    if notice:
        r.put("/local_notice", notice, _line_with(r, lines, notice))
    missing = [(p, label) for p, label in _REQUIRED_CONTACTS if p not in found]
    if missing:
        fields = "、".join(f"「{label}」" for _, label in missing)
        r.flag(
            fc.IMPORT_NO_CONTACT, missing[0][0], where, tuple(p for p, _ in missing), fields=fields
        )
    if YEAR not in r.out.values:
        _year_from_period(r, lines, sections)
    facts = _facts(r)
    if texts and squash(t.preamble(facts)) != squash(text):
        r.put("/preamble", text, where)
    return facts


def _year_from_period(r: _Reading, lines: list[int], sections: Sections) -> None:
    first_of_overview = sections.body.get(0, [])[:1]
    for i in [*lines, *first_of_overview]:
        year = period_year(r.doc.lines[i].text)
        if year is not None:
            r.put(YEAR, year, r.where(i))
            r.flag(fc.IMPORT_YEAR_FROM_PERIOD, YEAR, r.where(i), year=year)
            return
    title = r.out.origins.get(NAME)
    at = r.where(lines[0]) if lines else title if title is not None else _last(r)
    r.flag(fc.IMPORT_NO_YEAR, YEAR, at)


def _last(r: _Reading) -> Where:
    return r.where(len(r.doc.lines) - 1 if r.doc.lines else None)


def _line_with(r: _Reading, lines: list[int], value: str) -> Where:
    return next((r.where(i) for i in lines if value in r.doc.lines[i].text), r.where(lines[0]))


def _missing_sections(r: _Reading, sections: Sections) -> None:
    for n, section in enumerate(m.SECTIONS):
        if n in sections.heading:
            continue
        later = [sections.heading[k] for k in sorted(sections.heading) if k > n]
        at = r.where(later[0]) if later else _last(r)
        paths = _SECTION_PATHS[n]
        r.flag(fc.IMPORT_SECTION_MISSING, paths[0], at, paths, section=section.heading)


def _text(r: _Reading, lines: list[str]) -> str:
    text = "\n".join(r.paragraphs(lines))
    return "" if squash(text) == squash(t.MISSING_PART) else text


def _put_parts(r: _Reading, parts: Parts, specs: tuple[Spec, ...], section: str) -> None:
    for spec in specs:
        piece = parts.pieces.get(spec.pointer)
        if piece is None:
            continue
        r.put(spec.pointer, _text(r, piece.lines), piece.where)
        if piece.heading:
            r.put(m.heading_leaf(spec.part).pointer, piece.heading, piece.where)
    labels = {s.pointer: s.part.label for s in specs} | {SUMMARY: m.OVERVIEW_PARTS[0].label}
    for u in parts.unmapped:
        into = labels.get(u.into, u.into)
        r.flag(fc.IMPORT_PART_UNMAPPED, u.into, u.where, lead=u.lead, section=section, into=into)


def _overview(r: _Reading, sections: Sections, facts: dict[str, Any]) -> None:
    heading = r.where(sections.heading[0])
    section = m.SECTIONS[0].heading
    parts = split_parts(r.doc, sections.body[0], OVERVIEW, SUMMARY)
    summary = _text(r, parts.intro)
    if squash(summary) == squash(t.summary(facts)):
        summary = ""
    r.put(SUMMARY, summary, r.where(sections.body[0][0]) if sections.body[0] else heading)
    _put_parts(r, parts, OVERVIEW, section)
    if not parts.pieces:
        paths = tuple(s.pointer for s in OVERVIEW)
        label = m.OVERVIEW_PARTS[0].label
        r.flag(fc.IMPORT_NO_PARTS, SUMMARY, heading, paths, section=section, summary=label)
        return
    for spec in OVERVIEW:
        if spec.pointer not in parts.pieces:
            r.flag(
                fc.IMPORT_PART_MISSING, spec.pointer, heading, section=section, part=spec.part.label
            )


def _section5(r: _Reading, sections: Sections) -> None:
    heading = r.where(sections.heading[4])
    section = m.SECTIONS[4].heading
    body = sections.body[4]
    parts = split_parts(r.doc, body, SECTION5, PROBLEMS)
    if not parts.pieces:
        problems, improvements = split_by_words(parts.intro, SECTION5)
        at = r.where(body[0]) if body else heading
        r.put(PROBLEMS, _text(r, problems), at)
        if improvements or not problems:
            r.put(IMPROVEMENTS, _text(r, improvements), at)
        else:
            label = m.IMPROVEMENTS.label
            r.flag(fc.IMPORT_PART_MISSING, IMPROVEMENTS, heading, section=section, part=label)
        return
    first = parts.pieces.get(PROBLEMS)
    if first is not None:
        first.lines[:0] = parts.intro
    elif parts.intro:
        r.put(PROBLEMS, _text(r, parts.intro), r.where(body[0]))
    _put_parts(r, parts, SECTION5, section)
    for spec in SECTION5:
        if spec.pointer not in r.out.values:
            r.flag(
                fc.IMPORT_PART_MISSING, spec.pointer, heading, section=section, part=spec.part.label
            )


def _section6(r: _Reading, sections: Sections, facts: dict[str, Any]) -> None:
    heading = r.where(sections.heading[5])
    body = sections.body[5]
    texts = r.paragraphs([r.doc.lines[i].text.strip() for i in body])
    figures = fz.fees("\n".join(texts))
    for pointer, value in figures.items():
        r.put(pointer, value, _line_with(r, body, "处理费") if body else heading)
    missing = [p for p in (fz.NOTICES, fz.AMOUNT) if p not in figures]
    if missing:
        labels = {
            fz.NOTICES: m.PROCESSING_FEE_NOTICES.label,
            fz.AMOUNT: m.PROCESSING_FEE_AMOUNT.label,
        }
        fields = "、".join(f"「{labels[p]}」" for p in missing)
        section = m.SECTIONS[5].heading
        r.flag(
            fc.IMPORT_FEES_UNSTATED,
            missing[0],
            heading,
            tuple(missing),
            section=section,
            fields=fields,
        )
    if texts and len(figures) == 2:
        data = {
            **facts,
            "year": r.out.values.get(YEAR),
            "agency": {"name": r.out.values.get(NAME, "")},
            "other_matters": {
                "processing_fees": {
                    "notices": figures[fz.NOTICES],
                    "amount_yuan": figures[fz.AMOUNT],
                }
            },
        }
        generated = t.processing_fees(data, t.subject_of(data))
        if squash(texts[0]) == squash(generated):
            texts = texts[1:]
    r.put(OTHER, "\n".join(texts), r.where(body[0]) if body else heading)


def _prose(text: str) -> bool:
    """A sentence of the agency's, not a table's label, note or a fragment of a cell."""
    flat = fold(text).text
    return len(flat) >= 15 and bool(re.search("[。,;]", flat)) and not _TABLE_TEXT.search(flat)


def _unplaced(r: _Reading, sections: Sections) -> None:
    """Prose inside sections 二 to 四 has no field: say so rather than lose it silently."""
    for n in (1, 2, 3):
        prose = [i for i in sections.body.get(n, []) if _prose(r.doc.lines[i].text)]
        if prose:
            text = r.doc.lines[prose[0]].text.strip()
            excerpt = text if len(text) <= 30 else text[:30] + "……"
            paths = _SECTION_PATHS[n]
            section = m.SECTIONS[n].heading
            r.flag(
                fc.IMPORT_TEXT_UNPLACED,
                paths[0],
                r.where(prose[0]),
                section=section,
                excerpt=excerpt,
            )
