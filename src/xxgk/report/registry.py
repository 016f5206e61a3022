"""Output formats of `xxgk convert`: name → file suffix and a function report data → bytes.

Renderers are pure: they take valid report data and return the file's bytes; the CLI writes.
The narrative formats (DOCX, HTML, Markdown) all draw the same report model
(`document.build`); they also offer `render_doc(document) -> bytes`, so that a caller
producing several of them builds the model once (`build_document`) and shares it.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Any

from xxgk.format.jsonio import dump_report_bytes
from xxgk.format.record import record

if TYPE_CHECKING:
    from xxgk.report.document import Document


@record(frozen=True)
class Renderer:
    name: str
    suffix: str
    render: Callable[[dict[str, Any]], bytes]
    # the same output from an already built report model (None: the format does not use one)
    render_doc: Callable[[Document], bytes] | None = None
    # made when no format is named (`convert` without --to); the 图解 is asked for by name
    default: bool = True
    # the output with last year's report beside it (the 图解's change on last year)
    render_last: Callable[[dict[str, Any], dict[str, Any]], bytes] | None = None
    # the module its functions import on first use (`load`)
    module: str | None = None

    def load(self) -> None:
        """Import what the first rendering would: a batch does so before its first file, with
        Ctrl-C and SIGTERM held (batch/pool.py)."""
        if self.module is not None:
            import_module(self.module)


RENDERERS: dict[str, Renderer] = {}


def register(
    name: str,
    suffix: str,
    render: Callable[[dict[str, Any]], bytes],
    render_doc: Callable[[Document], bytes] | None = None,
    *,
    default: bool = True,
    render_last: Callable[[dict[str, Any], dict[str, Any]], bytes] | None = None,
    module: str | None = None,
) -> None:
    RENDERERS[name] = Renderer(name, suffix, render, render_doc, default, render_last, module)


def build_document(data: dict[str, Any], clean: bool = False) -> Document:
    from xxgk.report.document import build

    return build(data, clean)


register("json", ".json", dump_report_bytes)


# The narrative report (issue 4). Imported on first use so that commands which never render
# a report do not load Jinja2 and the templates.
def _docx(data: dict[str, Any]) -> bytes:
    from xxgk.report.docx import render

    return render(data)


def _docx_doc(document: Document) -> bytes:
    from xxgk.report.docx import render_document

    return render_document(document)


def _html(data: dict[str, Any]) -> bytes:
    from xxgk.report.html import render

    return render(data)


def _html_doc(document: Document) -> bytes:
    from xxgk.report.html import render_document

    return render_document(document)


def _md(data: dict[str, Any]) -> bytes:
    from xxgk.report.markdown import render

    return render(data)


def _md_doc(document: Document) -> bytes:
    from xxgk.report.markdown import render_document

    return render_document(document)


register("docx", ".docx", _docx, _docx_doc, module="xxgk.report.docx")
register("html", ".html", _html, _html_doc, module="xxgk.report.html")
register("md", ".md", _md, _md_doc, module="xxgk.report.markdown")


# The 图解 (one page of key figures), drawn by matplotlib: imported on first use.
def _png(data: dict[str, Any], last: dict[str, Any] | None = None) -> bytes:
    from xxgk.report.graphic import render_png

    return render_png(data, last)


def _svg(data: dict[str, Any], last: dict[str, Any] | None = None) -> bytes:
    from xxgk.report.graphic import render_svg

    return render_svg(data, last)


register("png", ".png", _png, default=False, render_last=_png, module="xxgk.report.graphic")
register("svg", ".svg", _svg, default=False, render_last=_svg, module="xxgk.report.graphic")
GRAPHIC_FORMATS = frozenset({"png", "svg"})

DEFAULT_FORMATS: tuple[str, ...] = tuple(n for n, r in RENDERERS.items() if r.default)


@record(frozen=True)
class Derived:
    """A format made from another format's bytes by a program outside Python (the batch layer
    runs it: renderers do no I/O). Asked for by name only: not among the default formats."""

    name: str
    suffix: str
    source: str  # the format it is made from
    needs: str  # what the user must have installed, in their words


DERIVED: dict[str, Derived] = {"pdf": Derived("pdf", ".pdf", "docx", "LibreOffice")}

OUTPUT_FORMATS: tuple[str, ...] = (*RENDERERS, *DERIVED)


def suffix(fmt: str) -> str:
    derived = DERIVED.get(fmt)
    return derived.suffix if derived is not None else RENDERERS[fmt].suffix
