"""Published text through the real path: the TXT/Markdown extractor (text.py) and the table
recogniser (tables.py), whose lines are what the narrative recogniser skips."""

from __future__ import annotations

from pathlib import Path

from xxgk.published.document import MD, TXT, Document
from xxgk.published.tables import read_tables
from xxgk.published.text import text_document

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = DATA / "corpus"
_END = "[excerpt ends here]"


def document(text: str) -> tuple[Document, set[int]]:
    doc = text_document(text.encode("utf-8"), TXT)
    return doc, read_tables(doc).used


def markdown_document(markdown: str) -> tuple[Document, set[int]]:
    doc = text_document(markdown.encode("utf-8"), MD)
    return doc, read_tables(doc).used


def corpus_text(name: str) -> str:
    """A corpus file's published text: below the `---` header, above the excerpt's end mark."""
    text = next(CORPUS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    return body.split(_END, 1)[0]
