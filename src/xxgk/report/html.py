"""The report as one self-contained web page for the agency's portal.

Inline CSS only (no fonts, scripts or images fetched from anywhere); headings h1 → h2 → h3;
tables with captions, `th scope` and the official row/column spans; wide tables scroll inside
their own container on a phone, announced by a hint above them, their row labels kept in view
(sticky, see `html_tables.py`); print CSS for A4 that keeps headings and captions with their
tables and repeats the header rows.

The page's frame (head, styles, title, signature) is the Jinja2 template
assets/report.html.j2, rendered with a marker in each place that changes and split there, once,
into assets/report.frame.json (`frame_json`, by tools/regenerate.py); per report, its parts are
joined with the report's texts, encoded. The sections, the tables and the 图解 are written
here, a few thousand cells and lines a report that a template would render at ten times the
cost. Every text is escaped the one way (markupsafe's, which the template autoescapes with).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from markupsafe import Markup

from xxgk.format.packaged import packaged_bytes
from xxgk.report import content as rc
from xxgk.report import document as rm
from xxgk.report import figures as kf
from xxgk.report import tables as rt
from xxgk.report.html_tables import esc, table_attrs, table_block_parts, table_parts

__all__ = ["render", "render_document", "table_attrs", "table_parts", "tile"]

# the frame's slots, in the order `render_document` fills them
_FRAME_SLOTS = ("title", "preamble", "agency", "date_iso", "date", "sections", "graphic")


FRAME_FILE = "report.frame.json"  # assets/: generated from report.html.j2 (`frame_json`)


def frame_json() -> str:
    """assets/report.frame.json: report.html.j2 rendered by Jinja2 with a marker in each slot,
    split there, the parts and the slots between them. Made by tools/regenerate.py (a test
    keeps it equal to this), and read by `_frame`: a process that writes web pages then needs
    no Jinja2, whose import and compiling of the template took 65 ms of every `xxgk convert`'s
    start (issue 16). Slot markers pass autoescape unchanged (rt.slot_text)."""
    from importlib import resources

    from jinja2 import Environment

    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    source = (resources.files("xxgk.report") / "assets" / "report.html.j2").read_text("utf-8")
    marks = {name: Markup(rt.slot_text(i)) for i, name in enumerate(_FRAME_SLOTS)}
    parts = env.from_string(source).render(marks).split(rt.SLOT_MARK)
    frame = {
        "generated": "by tools/regenerate.py from report.html.j2: edit that, then regenerate",
        "parts": [part.splitlines(keepends=True) for part in parts[0::2]],  # diffs by lines
        "slots": [_FRAME_SLOTS[int(i)] for i in parts[1::2]],
    }
    return json.dumps(frame, ensure_ascii=False, indent=1) + "\n"


@cache
def _frame() -> tuple[tuple[bytes, ...], tuple[int, ...]]:
    """The page's fixed parts (UTF-8) and, after each but the last, the slot (index in
    _FRAME_SLOTS) that follows it."""
    frame = json.loads(packaged_bytes("xxgk.report", "assets", FRAME_FILE))
    fixed = tuple("".join(lines).encode("utf-8") for lines in frame["parts"])
    return fixed, tuple(_FRAME_SLOTS.index(slot) for slot in frame["slots"])


def _section_parts(number: int, section: rc.Section, page: list[bytes]) -> None:
    """A section in UTF-8, added to `page`: its texts encoded together between its tables,
    whose fixed parts are UTF-8 already (`table_block_parts`)."""
    out = [f'<section aria-labelledby="s{number}">\n<h2 id="s{number}">']
    out += (esc(section.heading), "</h2>\n")
    for b in section.blocks:
        if isinstance(b, rc.Table):
            page.append("".join(out).encode("utf-8"))
            out = []
            page += table_block_parts(b)
        elif b.kind == rc.H2:
            out += ("<h3>", esc(b.text), "</h3>\n")
        elif b.lead:
            out += ('<p><span class="lead">', esc(b.lead), "</span>", esc(b.text), "</p>\n")
        else:
            out += ("<p>", esc(b.text), "</p>\n")
    out.append("</section>\n")
    page.append("".join(out).encode("utf-8"))


# the 图解's numbers: kf.number writes digits, commas, a point, a sign, inf or nan, nothing
# to escape
_num = kf.number


_label = cache(esc)  # the 图解's labels and units: a few dozen, the same in every report


def tile(f: kf.Figure) -> Markup:
    """One key figure of the 图解 section: the number, what it counts, the change on last year."""
    return Markup(_tile(f))


@cache  # what follows a figure's number, for each label and unit: the same in every report
def _tile_tail(unit: str, label: str) -> str:
    return f'<small>{esc(unit)}</small></span><span class="g-name">{esc(label)}</span>'


def _tile(f: kf.Figure) -> str:
    change = kf.change_text(f)
    changed = f'<span class="g-change">{esc(change)}</span>' if change else ""
    return f'<span class="g-num">{_num(f.value)}{_tile_tail(f.unit, f.label)}{changed}'


@cache
def _bar_head(label: str) -> str:
    return (
        f'<li><span class="g-label">{esc(label)}</span><span class="g-track" '
        'aria-hidden="true"><span class="g-bar" style="width:'
    )


def _bars(outcomes: list[int | float], labels: list[str]) -> str:
    """How the requests ended: a bar each, scaled to the largest, with its share of those
    finished (all but the last, 结转下年度)."""
    top = max(outcomes) or 1
    handled = sum(outcomes[:-1])
    out = ['<ul class="g-bars" aria-label="办理结果">\n']
    last = len(outcomes)
    for i, (value, label) in enumerate(zip(outcomes, labels, strict=True), 1):
        # %-formatting: what the template's format filter did, figure for figure
        share = "（%.0f%%）" % (100 * value / handled) if handled and i < last else ""
        out += (
            _bar_head(label),
            "%.1f" % (100 * value / top),
            '%"></span></span><span class="g-val">',
            _num(value),
            " 件",
            share,
            "</span></li>\n",
        )
    out.append("</ul>\n")
    return "".join(out)


@cache
def _part_head(label: str) -> str:
    return f'<span class="g-part">{esc(label)} '


_TILE = '<span class="g-num">'


def _graphic(data: dict[str, Any]) -> str:
    """The 图解 section: the year's key figures at a glance (kf.key_figures' figures, drawn
    from their values: this year's only, so no change on last year's is shown)."""
    v = kf.values(data)
    labels = kf.labels()
    year = kf.year_of(data)
    out = [
        '<aside class="graphic" aria-labelledby="g-title">\n<h2 id="g-title">图解：',
        f"{year}年" if year is not None else "",  # digits (or True/False): nothing to escape
        '主要数据</h2>\n<h3>主动公开</h3>\n<ul class="g-tiles">\n',
    ]
    for i in kf.proactive_shown(v):
        out += ("<li>", _TILE, _num(v[i]), _tile_tail("件", labels[i]), "</li>\n")
    new, carried = v[kf.NEW], v[kf.CARRIED_OVER]
    received = new + carried
    out += (
        '</ul>\n<h3>依申请公开</h3>\n<ul class="g-tiles"><li class="g-wide">',
        _TILE,
        _num(received),
        _tile_tail("件", kf.RECEIVED),
        f'<span class="g-sub">本年新收 {_num(new)} 件，上年结转 {_num(carried)} 件</span>'
        "</li></ul>\n",
        _bars([v[i] for i in kf.OUTCOMES], [labels[i] for i in kf.OUTCOMES])
        if received
        else '<p class="g-none">本年度未收到政府信息公开申请。</p>\n',
        '<h3>行政复议、行政诉讼</h3>\n<ul class="g-tiles">\n',
    )
    for head, parts in ((kf.REVIEW, kf.REVIEW_PARTS), (kf.LITIGATION, kf.LITIGATION_PARTS)):
        out += ("<li>", _TILE, _num(v[head]), _tile_tail("件", labels[head]))
        out.append('<span class="g-sub">')
        for n, i in enumerate(parts, 1):
            end = "，</span>" if n < len(parts) else "</span>"
            out += (_part_head(labels[i]), _num(v[i]), end)
        out.append("</span></li>\n")
    out.append("</ul>\n</aside>\n")
    return "".join(out)


def render_document(doc: rc.Document) -> bytes:
    fixed, order = _frame()
    sections: list[bytes] = []
    for i, s in enumerate(doc.sections, 1):
        _section_parts(i, s, sections)
    graphic = _graphic(doc.data) if isinstance(doc.data, dict) else ""
    texts = (doc.title, doc.preamble, doc.agency, doc.date_iso, doc.date)
    values = (*(esc(t).encode("utf-8") for t in texts), b"".join(sections), graphic.encode())
    out = [fixed[0]]
    for part, slot in zip(fixed[1:], order, strict=True):
        out += (values[slot], part)
    return b"".join(out)


def render(data: dict[str, Any]) -> bytes:
    """Report data (valid against the schema) → HTML bytes (UTF-8)."""
    return render_document(rm.build(data))
