"""The narrative report as structured content: what every renderer (DOCX, HTML, Markdown) shows.

`build(data)` turns valid report data into a `Document`: a list of paragraphs (with their role:
title, heading, body…) and tables (cells with row/column spans in the official layout). Labels
come from `xxgk.model`; sentences from `xxgk.report_text`. Renderers only decide how it looks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import model as m
from . import report_text as t

# Paragraph kinds
TITLE = "title"
PREAMBLE = "preamble"
H1 = "h1"
H2 = "h2"
BODY = "body"
SIGNATURE = "signature"
DATE = "date"


@dataclass(frozen=True)
class Para:
    kind: str
    text: str
    lead: str = ""  # a run-in lead typed by staff, e.g. "（一）主动公开。", shown like a heading


@dataclass(frozen=True)
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    header: bool = False
    scope: str = ""  # HTML th scope: col, row, rowgroup
    left: bool = False  # left-aligned (long row labels); centred otherwise


@dataclass(frozen=True)
class FlatTable:
    """A simplified rectangular version for plain text: one header row, no spans."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class Table:
    id: str
    caption: str
    widths: tuple[int, ...]  # relative column widths (tenths of a millimetre on A4)
    head: tuple[tuple[Cell, ...], ...]  # header rows, repeated on each page
    bodies: tuple[tuple[tuple[Cell, ...], ...], ...]  # row groups
    flat: tuple[FlatTable, ...] = ()
    wide: bool = False  # needs horizontal scrolling on a phone

    @property
    def columns(self) -> int:
        return len(self.widths)


@dataclass(frozen=True)
class Section:
    number: str
    heading: str
    blocks: tuple[Para | Table, ...]


@dataclass(frozen=True)
class Document:
    title: str
    preamble: str
    sections: tuple[Section, ...]
    agency: str
    date: str  # 2025年2月13日
    date_iso: str
    blocks: tuple[Para | Table, ...] = field(default=())  # everything, in reading order


# A part's own lead-in typed by staff: （一）主动公开。/（二）依申请公开情况：…
_OWN_NUMERAL = re.compile(r"^（[一二三四五六七八九十]）")
_LEAD = re.compile(r"^（[一二三四五六七八九十]）[^。：:（）\n]{1,24}[。：:]")


def _get(data: Any, path: m.Path) -> Any:
    for key in path:
        data = data[key]
    return data


def _part(label: str, text: Any, generated: str = "") -> list[Para]:
    """A numbered part: its heading unless the staff's text starts with its own numeral."""
    paras = t.paragraphs(text)
    if not paras and generated:
        paras = [generated]
    if paras and _OWN_NUMERAL.match(paras[0]):
        lead = _LEAD.match(paras[0])
        first = Para(BODY, paras[0][lead.end() :], lead.group()) if lead else Para(BODY, paras[0])
        return [first, *(Para(BODY, p) for p in paras[1:])]
    return [Para(H2, label), *(Para(BODY, p) for p in paras)]


# ---------------------------------------------------------------------------------------------
# Tables


def _h(text: str, colspan: int = 1, rowspan: int = 1, scope: str = "col", left: bool = False):
    return Cell(text, colspan, rowspan, True, scope, left)


def _d(value: Any, colspan: int = 1) -> Cell:
    return Cell(t.number(value), colspan)


def table2(data: dict[str, Any]) -> Table:
    root = _get(data, m.TABLE2_ROOT)
    width = 1 + max(len(b.columns) for b in m.TABLE2_BLOCKS)
    bodies = []
    flat = []
    for block in m.TABLE2_BLOCKS:
        span = (width - 1) // len(block.columns)
        rows: list[tuple[Cell, ...]] = [(_h(block.title, width, scope="rowgroup"),)]
        rows.append((_h(m.TABLE2_CONTENT_HEADER), *(_h(c.label, span) for c in block.columns)))
        flat_rows = []
        for row in block.rows:
            values = _get(root, row.path)
            rows.append(
                (_h(row.label, scope="row"), *(_d(values[c.id], span) for c in block.columns))
            )
            flat_rows.append((row.label, *(t.number(values[c.id]) for c in block.columns)))
        bodies.append(tuple(rows))
        flat.append(
            FlatTable(
                block.title,
                (m.TABLE2_CONTENT_HEADER, *(c.label for c in block.columns)),
                tuple(flat_rows),
            )
        )
    return Table(
        "table2",
        "表二　" + m.SECTIONS[1].heading.split("、", 1)[1],
        (390,) * width,
        (),
        tuple(bodies),
        tuple(flat),
    )


def table3(data: dict[str, Any]) -> Table:
    root = _get(data, m.TABLE3_ROOT)
    cols = m.APPLICANT_COLUMNS
    legal = m.LEGAL_PERSON_COLUMNS
    head = (
        (
            _h(m.TABLE3_CORNER, 3, 3, left=True),
            _h(m.TABLE3_APPLICANT_HEADER, len(cols)),
        ),
        (
            _h(cols[0].label, rowspan=2),
            _h(m.TABLE3_LEGAL_PERSON_HEADER, len(legal)),
            _h(cols[-1].label, rowspan=2),
        ),
        tuple(_h(c.label) for c in legal),
    )
    outcomes_and_total = (*m.TABLE3_OUTCOMES, m.TABLE3_RESULTS_TOTAL)
    rows: list[tuple[Cell, ...]] = []
    seen_groups: set[str] = set()
    group_size = {
        g: sum(1 for r in m.TABLE3_OUTCOMES if r.group == g) for g in m.TABLE3_GROUP_TITLES.values()
    }
    for row in m.TABLE3_ROWS:
        values = _get(root, row.path)
        cells: list[Cell] = []
        if row in outcomes_and_total:
            if row is outcomes_and_total[0]:
                cells.append(
                    _h(m.TABLE3_RESULTS_GROUP, rowspan=len(outcomes_and_total), scope="row")
                )
            if row.group:
                if row.group not in seen_groups:
                    seen_groups.add(row.group)
                    cells.append(_h(row.group, rowspan=group_size[row.group], scope="row"))
                cells.append(_h(row.label, scope="row", left=True))
            else:
                cells.append(_h(row.label, 2, scope="row", left=True))
        else:
            cells.append(_h(row.label, 3, scope="row", left=True))
        cells.extend(_d(values[c.id]) for c in cols)
        rows.append(tuple(cells))

    def flat_label(row: m.Row) -> str:
        if row in outcomes_and_total:
            return "·".join(x for x in (m.TABLE3_RESULTS_GROUP, row.group, row.label) if x)
        return row.label

    flat = FlatTable(
        "",
        (
            "项目",
            cols[0].label,
            *(f"{m.TABLE3_LEGAL_PERSON_HEADER}·{c.label}" for c in legal),
            cols[-1].label,
        ),
        tuple(
            (flat_label(r), *(t.number(_get(root, r.path)[c.id]) for c in cols))
            for r in m.TABLE3_ROWS
        ),
        note=m.TABLE3_CORNER,
    )
    return Table(
        "table3",
        "表三　" + m.SECTIONS[2].heading.split("、", 1)[1],
        (80, 140, 440) + (129,) * len(cols),  # tenths of a mm: 156 mm, room for 5 digits
        head,
        (tuple(rows),),
        (flat,),
        wide=True,
    )


def table4(data: dict[str, Any]) -> Table:
    root = _get(data, m.TABLE4_ROOT)
    review, *litigation = m.TABLE4_GROUPS
    n = len(m.REVIEW_COLUMNS)
    head = (
        (_h(m.TABLE4_REVIEW_HEADER, n), _h(m.TABLE4_LITIGATION_HEADER, n * len(litigation))),
        (
            *(_h(c.label, rowspan=2) for c in m.REVIEW_COLUMNS),
            *(_h(g.label, n) for g in litigation),
        ),
        tuple(_h(c.label) for _ in litigation for c in m.REVIEW_COLUMNS),
    )
    body = (tuple(_d(root[g.id][c.id]) for g in m.TABLE4_GROUPS for c in m.REVIEW_COLUMNS),)
    flat = FlatTable(
        "",
        ("", *(c.label for c in m.REVIEW_COLUMNS)),
        tuple(
            (g.title, *(t.number(root[g.id][c.id]) for c in m.REVIEW_COLUMNS))
            for g in m.TABLE4_GROUPS
        ),
    )
    return Table(
        "table4",
        "表四　" + m.SECTIONS[3].heading.split("、", 1)[1],
        (104,) * (n * len(m.TABLE4_GROUPS)),
        head,
        (body,),
        (flat,),
        wide=True,
    )


# ---------------------------------------------------------------------------------------------
# The document


def build(data: dict[str, Any]) -> Document:
    """The report's content. Valid data is used as it is; data with errors (`convert --force`)
    is first completed leaf by leaf, so that a missing key or a wrong type shows as an empty or
    literal cell instead of failing the whole report."""
    try:
        return _build(data)
    except (KeyError, TypeError, AttributeError, IndexError, ValueError):
        return _build(complete(data))


def _lookup(data: Any, path: m.Path) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def complete(data: Any) -> dict[str, Any]:
    """Every leaf of the data contract present: numbers kept as they are (anything else is
    printed as text by `report_text.number`), text as a string, missing values empty."""
    out: dict[str, Any] = {}
    for leaf in m.leaves():
        value = _lookup(data, leaf.path)
        if leaf.kind in m.NUMERIC_KINDS:
            keep = value if isinstance(value, (int, float, str)) else None
        elif leaf.kind == m.YEAR:
            keep = value if isinstance(value, int) and not isinstance(value, bool) else ""
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
    s1: list[Para | Table] = [Para(BODY, p) for p in t.paragraphs(ov["summary"])] or [
        Para(BODY, t.summary(data))
    ]
    generated = {"proactive": t.proactive(data), "on_request": t.on_request(data)}
    for part in parts[1:]:
        key = part.path[-1]
        s1.extend(_part(part.label, ov[key], generated.get(key, "")))

    s5: list[Para | Table] = [
        *_part(m.PROBLEMS.label, data["problems"]),
        *_part(m.IMPROVEMENTS.label, data["improvements"]),
    ]

    other = t.paragraphs(data["other_matters"]["text"])
    s6: list[Para | Table] = [Para(BODY, p) for p in other]
    if not t.states_processing_fee(other):
        s6.insert(0, Para(BODY, t.processing_fees(data)))

    contents: dict[str, list[Para | Table]] = {
        "一": s1,
        "二": [table2(data)],
        "三": [table3(data)],
        "四": [table4(data)],
        "五": s5,
        "六": s6,
    }
    sections = tuple(Section(s.number, s.heading, tuple(contents[s.number])) for s in m.SECTIONS)
    title = t.title(data)
    preamble = t.preamble(data)
    agency = t.clean_line(data["agency"]["name"])
    date = t.chinese_date(data["published_on"])
    blocks: list[Para | Table] = [Para(TITLE, title), Para(PREAMBLE, preamble)]
    for section in sections:
        blocks.append(Para(H1, section.heading))
        blocks.extend(section.blocks)
    blocks.extend((Para(SIGNATURE, agency), Para(DATE, date)))
    return Document(
        title, preamble, sections, agency, date, str(data["published_on"]), tuple(blocks)
    )
