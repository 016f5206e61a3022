"""A stand-in for the TXT extractor while it is built elsewhere: one Line per text line, and the
lines that are table rows (cells separated by `|`, or the seed's tab-indented cells) as `skip`,
the way the table recogniser would hand them over."""

from __future__ import annotations

import re
from pathlib import Path

from xxgk.published.document import MD, TXT, Cell, Document, Line, Where

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = DATA / "corpus"
_END = "[excerpt ends here]"


def document(text: str) -> tuple[Document, set[int]]:
    lines: list[Line] = []
    skip: set[int] = set()
    for n, raw in enumerate(text.split("\n"), start=1):
        raw = raw.rstrip("\r")
        if "|" in raw:
            cells = tuple(Cell(c, Where(line=n)) for c in raw.strip().strip("|").split("|"))
            skip.add(len(lines))
            lines.append(Line(cells, grid=True))
            continue
        if raw.startswith("\t"):
            skip.add(len(lines))
        lines.append(Line((Cell(raw, Where(line=n)),)))
    return Document(TXT, lines), skip


def corpus_text(name: str) -> str:
    """A corpus file's published text: below the `---` header, above the excerpt's end mark."""
    text = next(CORPUS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    return body.split(_END, 1)[0]


_MD_ESCAPE = re.compile(r"\\([\\`*_\[\]|~#>+=.)-])")


def markdown_document(markdown: str) -> tuple[Document, set[int]]:
    """Our own Markdown read as plain lines: `#` marks, `**` and backslash escapes dropped,
    pipe-table rows as table lines (what the TXT/MD extractor will do)."""
    lines: list[Line] = []
    skip: set[int] = set()
    for n, raw in enumerate(markdown.split("\n"), start=1):
        if raw.startswith("|"):
            cells = tuple(Cell(c.strip(), Where(line=n)) for c in raw.strip("|").split(" | "))
            skip.add(len(lines))
            lines.append(Line(cells, grid=True))
            continue
        text = re.sub(r"^#+ ", "", raw).replace("**", "")
        text = _MD_ESCAPE.sub(r"\1", text).replace("&lt;", "<").replace("&amp;", "&")
        lines.append(Line((Cell(text.rstrip(), Where(line=n)),)))
    return Document(MD, lines), skip
