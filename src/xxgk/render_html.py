"""The report as one self-contained web page for the agency's portal.

Inline CSS only (no fonts, scripts or images fetched from anywhere); headings h1 → h2 → h3;
tables with captions, `th scope` and the official row/column spans; wide tables scroll inside
their own container on a phone; print CSS for A4. Jinja2 autoescapes every piece of text.
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources
from typing import Any

from jinja2 import Environment, Template
from markupsafe import Markup, escape

from . import report_model as rm


@cache
def _template() -> Template:
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    source = resources.files("xxgk").joinpath("assets", "report.html.j2").read_text("utf-8")
    return env.from_string(source)


@lru_cache(maxsize=4096)  # labels and small numbers repeat across reports
def cell_html(cell: rm.Cell) -> Markup:
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


def render_document(doc: rm.Document) -> bytes:
    return _template().render(doc=doc, cell=cell_html).encode("utf-8")


def render(data: dict[str, Any]) -> bytes:
    """Report data (valid against the schema) → HTML bytes (UTF-8)."""
    return render_document(rm.build(data))
