"""The report as one self-contained web page for the agency's portal.

Inline CSS only (no fonts, scripts or images fetched from anywhere); headings h1 → h2 → h3;
tables with captions, `th scope` and the official row/column spans; wide tables scroll inside
their own container on a phone; print CSS for A4. Jinja2 autoescapes every piece of text.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, Template

from . import report_model as rm


@cache
def _template() -> Template:
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    source = resources.files("xxgk").joinpath("assets", "report.html.j2").read_text("utf-8")
    return env.from_string(source)


def render_document(doc: rm.Document) -> bytes:
    return _template().render(doc=doc).encode("utf-8")


def render(data: dict[str, Any]) -> bytes:
    """Report data (valid against the schema) → HTML bytes (UTF-8)."""
    return render_document(rm.build(data))
