"""Output formats of `xxgk convert`: name → file suffix and a function report data → bytes.

Renderers are pure: they take valid report data and return the file's bytes; the CLI writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .jsonio import dump_report


@dataclass(frozen=True)
class Renderer:
    name: str
    suffix: str
    render: Callable[[dict[str, Any]], bytes]


RENDERERS: dict[str, Renderer] = {}


def register(name: str, suffix: str, render: Callable[[dict[str, Any]], bytes]) -> None:
    RENDERERS[name] = Renderer(name, suffix, render)


register("json", ".json", lambda data: dump_report(data).encode("utf-8"))


# The narrative report (issue 4). Imported on first use so that commands which never render
# a report do not load Jinja2 and the templates.
def _docx(data: dict[str, Any]) -> bytes:
    from .render_docx import render

    return render(data)


def _html(data: dict[str, Any]) -> bytes:
    from .render_html import render

    return render(data)


def _md(data: dict[str, Any]) -> bytes:
    from .render_md import render

    return render(data)


register("docx", ".docx", _docx)
register("html", ".html", _html)
register("md", ".md", _md)
