"""The narrative report as structured content: what every renderer (DOCX, HTML, Markdown) shows.

`build(data)` turns valid report data into a `content.Document`: paragraphs (with their role:
title, heading, body…) and tables (`tables.py`, the official layout). Labels come from the
format model; sentences from `text.py`. Renderers only decide how it looks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from xxgk.format import model as m
from xxgk.format.clean import clean_data
from xxgk.format.paths import get_path, is_number
from xxgk.report import text as t
from xxgk.report.content import (
    BODY,
    DATE,
    H1,
    H2,
    PREAMBLE,
    SIGNATURE,
    TITLE,
    Document,
    Para,
    Table,
    document,
    para,
    section,
)
from xxgk.report.tables import table2, table3, table4

# A part's own lead-in typed by staff: （一）主动公开。/（二）依申请公开情况：…
_OWN_NUMERAL = re.compile(r"^（[一二三四五六七八九十]）")
_LEAD = re.compile(r"^（[一二三四五六七八九十]）[^。：:（）\n]{1,24}[。：:]")


def _part(
    label: str, text: Any, generate: Callable[[], str] | None = None, own: bool = False
) -> list[Para]:
    """A numbered part: its heading unless the staff's text starts with its own numeral (an
    agency's own sub-heading, `own`, wins over that run-in lead). A part left blank is
    written from the numbers (`generate`) where it can be, else says so (never a bare
    heading)."""
    paras = t.paragraphs(text)
    if not paras:
        paras = [(generate() if generate is not None else "") or t.MISSING_PART]
    if own:
        lead = _LEAD.match(paras[0])
        opening = paras[0][lead.end() :] if lead else paras[0]
        return [para(H2, label), *(para(BODY, p) for p in [opening, *paras[1:]] if p)]
    if _OWN_NUMERAL.match(paras[0]):
        lead = _LEAD.match(paras[0])
        first = para(BODY, paras[0][lead.end() :], lead.group()) if lead else para(BODY, paras[0])
        return [first, *(para(BODY, p) for p in paras[1:])]
    return [para(H2, label), *(para(BODY, p) for p in paras)]


def _headed_part(
    data: dict[str, Any],
    part: m.TextField,
    text: Any,
    generate: Callable[[], str] | None = None,
) -> list[Para]:
    """A part under the agency's own sub-heading when it gave one (contract 1.1)."""
    heading = t.heading(data, part)
    return _part(heading, text, generate, own=heading != part.label)


def build(data: dict[str, Any], clean: bool = False) -> Document:
    """The report's content. Valid data is used as it is; data with errors (`convert --force`)
    is first completed leaf by leaf, so that a missing key or a wrong type shows as an empty or
    literal cell instead of failing the whole report. Its text goes through the one cleaning
    step (format/clean.py) first: every narrative format is drawn from this model. `clean`:
    the caller knows that step would return `data` itself (jsonio.dump_report_checked)."""
    if not clean:
        data = clean_data(data)
    try:
        return _build(data)
    except (KeyError, TypeError, AttributeError, IndexError, ValueError):
        return _build(complete(data))


def complete(data: Any) -> dict[str, Any]:
    """Every leaf of the data contract present: numbers kept as they are (anything else is
    printed as text by `text.number`), text as a string, missing values empty."""
    out: dict[str, Any] = {}
    for leaf in m.leaves():
        value = get_path(data, leaf.path)
        if leaf.kind in m.NUMERIC_KINDS:
            keep = value if isinstance(value, (int, float, str)) else None
        elif leaf.kind == m.YEAR:
            keep = value if isinstance(value, int) and is_number(value) else ""
            keep = keep if keep != "" else t.clean_line(value if isinstance(value, str) else "")
        else:
            keep = value if isinstance(value, str) else ("" if value is None else str(value))
        node = out
        for key in leaf.path[:-1]:
            node = node.setdefault(key, {})
        node[leaf.path[-1]] = keep
    return out


def _build(data: dict[str, Any]) -> Document:
    ov = data["overview"]
    parts = m.OVERVIEW_PARTS
    s1: list[Para | Table] = [para(BODY, p) for p in t.paragraphs(ov["summary"])] or [
        para(BODY, t.summary(data))
    ]
    subject = t.subject_of(data)
    # written from tables 二, 三 and 四 only for a part the staff left blank (they read nothing
    # that the tables, built below, do not read too: a shape they cannot take still fails)
    generated: dict[str, Callable[[], str]] = {
        "proactive": lambda: t.proactive(data, subject),
        "on_request": lambda: t.on_request(data, subject),
    }
    for part in parts[1:]:
        key = part.path[-1]
        s1.extend(_headed_part(data, part, ov[key], generated.get(key)))

    s5: list[Para | Table] = [
        *_headed_part(data, m.PROBLEMS, data["problems"]),
        *_headed_part(data, m.IMPROVEMENTS, data["improvements"]),
    ]

    other = t.paragraphs(data["other_matters"]["text"])
    s6: list[Para | Table] = [para(BODY, p) for p in other]
    if not t.states_processing_fee(other):
        s6.insert(0, para(BODY, t.processing_fees(data, subject)))

    contents: dict[str, list[Para | Table]] = {
        "一": s1,
        "二": [table2(data)],
        "三": [table3(data)],
        "四": [table4(data)],
        "五": s5,
        "六": s6,
    }
    sections = tuple(section(s.number, s.heading, tuple(contents[s.number])) for s in m.SECTIONS)
    title = t.title(data)
    preamble = t.preamble(data)
    agency = t.clean_name(data["agency"]["name"])
    date = t.chinese_date(data["published_on"])
    blocks: list[Para | Table] = [para(TITLE, title), para(PREAMBLE, preamble)]
    for numbered in sections:
        blocks.append(para(H1, numbered.heading))
        blocks.extend(numbered.blocks)
    blocks.extend((para(SIGNATURE, agency), para(DATE, date)))
    return document(
        title,
        preamble,
        sections,
        agency,
        date,
        str(data["published_on"]),
        tuple(blocks),
        data,
    )
