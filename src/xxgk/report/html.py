"""The report as one self-contained web page for the agency's portal.

Inline CSS only (no fonts, scripts or images fetched from anywhere); headings h1 → h2 → h3;
tables with captions, `th scope` and the official row/column spans; wide tables scroll inside
their own container on a phone; print CSS for A4. Jinja2 autoescapes every piece of text; the
tables are written here (their fixed layout once per process, see `table_parts`) with the same
escaping (markupsafe).
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources
from typing import Any

from jinja2 import Environment, Template
from markupsafe import Markup, escape

from xxgk.report import content as rc
from xxgk.report import document as rm
from xxgk.report import tables as rt


@cache
def _template() -> Template:
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    source = (resources.files("xxgk.report") / "assets" / "report.html.j2").read_text("utf-8")
    return env.from_string(source)


@lru_cache(maxsize=4096)  # labels and small numbers repeat across reports
def cell_html(cell: rc.Cell) -> Markup:
    """One table cell; built here rather than in a Jinja macro because a report has ~300 of
    them and a macro call costs ten times more. The text is escaped like everything else."""
    tag = "th" if cell.header else "td"
    attrs = f' scope="{cell.scope}"' if cell.header and cell.scope else ""
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    if cell.left:
        attrs += ' class="l"'
    return Markup(f"<{tag}{attrs}>{escape(cell.text)}</{tag}>")


def _rows(rows: tuple[tuple[rc.Cell, ...], ...]) -> str:
    return "".join("<tr>" + "".join(map(cell_html, row)) + "</tr>\n" for row in rows)


def _table_html(table: rc.Table) -> str:
    """A table from its column group to its last row group (the template writes the wrapper
    and the caption)."""
    total = sum(table.widths)
    cols = "".join(f'<col style="width:{100 * w / total:.2f}%">' for w in table.widths)
    out = [f"<colgroup>{cols}</colgroup>\n"]
    if table.head:
        out.append(f"<thead>\n{_rows(table.head)}</thead>\n")
    out.extend(f"<tbody>\n{_rows(body)}</tbody>\n" for body in table.bodies)
    return "".join(out)


@cache
def _table_fragments(layout: rt.TableLayout) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """A layout's table HTML split around its number slots (fixed parts, and the slot index
    after each but the last), rendered once per process from the skeleton by `_table_html`
    itself, so a filled table comes out exactly as `_table_html` would write it."""
    parts = _table_html(rt.skeleton(layout)).split(rt.SLOT_MARK)
    return tuple(parts[0::2]), tuple(int(i) for i in parts[1::2])


_NUMBER_HTML: dict[str, str] = {}  # a number's escaped text; the same few recur


def _number_html(text: str) -> str:
    return str(escape(text))


def table_parts(table: rc.Table) -> Markup:
    layout = table.layout
    if not isinstance(layout, rt.TableLayout) or len(table.numbers) != len(layout.spans):
        return Markup(_table_html(table))
    fixed, order = _table_fragments(layout)
    out = rt.interleave(fixed, order, table.numbers, _number_html, _NUMBER_HTML)
    return Markup("".join(out))


def render_document(doc: rc.Document) -> bytes:
    return _template().render(doc=doc, table_parts=table_parts).encode("utf-8")


def render(data: dict[str, Any]) -> bytes:
    """Report data (valid against the schema) → HTML bytes (UTF-8)."""
    return render_document(rm.build(data))
