"""Text folded for matching, with the way back to what the source printed.

Published reports write the same heading as `三、收到和处理政府信息公开申请情况`,
`三 、收 到和处理…`, `(三)` or `（三）`, in simplified or traditional characters. The recognisers
match on a folded copy — NFKC (full-width brackets, colons and digits become ASCII), traditional
→ simplified (OpenCC t2s), whitespace dropped — and take every value they keep from the source
text through `Folded.span`, so what the agency wrote is what the data holds.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc

_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional → simplified, character for character (the positions must survive)."""
    out = _t2s().convert(text)
    if len(out) == len(text):
        return str(out)
    # A phrase rule changed the length: convert one character at a time instead.
    return "".join(str(_t2s().convert(ch)) if len(_t2s().convert(ch)) == 1 else ch for ch in text)


@dataclass(frozen=True)
class Folded:
    source: str
    text: str
    index: tuple[int, ...]  # index[i]: where in `source` the folded character text[i] came from

    def span(self, start: int, end: int) -> str:
        """The source text behind folded text[start:end], as printed."""
        if end <= start:
            return ""
        return self.source[self.index[start] : self.index[end - 1] + 1]

    def rest(self, start: int) -> str:
        """The source text from folded position `start` to the end of the line."""
        return self.source[self.index[start] :] if start < len(self.text) else ""


def fold(source: str) -> Folded:
    simple = simplified(source)
    whole = unicodedata.normalize("NFKC", simple)
    if len(whole) == len(simple):  # one character for one (nearly always): no per-char work
        if _SPACE.search(whole) is None:
            return Folded(source, whole, tuple(range(len(whole))))
        kept = [(ch, i) for i, ch in enumerate(whole) if not ch.isspace()]
        return Folded(source, "".join(c for c, _ in kept), tuple(i for _, i in kept))
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(simple):
        for out in unicodedata.normalize("NFKC", ch):
            if not out.isspace():
                chars.append(out)
                index.append(i)
    return Folded(source, "".join(chars), tuple(index))


def folded(source: str) -> str:
    """Only the folded text (for comparing two texts)."""
    return fold(source).text


def squash(text: str) -> str:
    """Whitespace dropped, nothing else: how the round trip compares narrative."""
    return _SPACE.sub("", text)


# ---------------------------------------------------------------------------------------------
# Text as kept: a PDF's text layer is visual lines, with spaces wherever glyphs stand apart.

_CJK = "[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]"
_CJK_SPACE = re.compile(f"(?<={_CJK})[ \t\u00a0]+|[ \t\u00a0]+(?={_CJK})")
_WRAP = re.compile(r"[ \t\u00a0\u3000]*\n[ \t\u00a0\u3000]*")
_PARAGRAPH_END = tuple("。！？!?：:；;")


def one_line(text: str, pdf: bool) -> str:
    """A name, an address, a heading kept on one line: a line break inside it is where a PDF
    or a page wrapped it (and in a PDF, a space beside a Chinese character is layout)."""
    text = _WRAP.sub("", text)
    return _CJK_SPACE.sub("", text) if pdf else text


def paragraphs(lines: list[str], pdf: bool) -> list[str]:
    """The paragraphs of consecutive lines. Every line of a text, web or Word file is a
    paragraph; a PDF's lines are joined until one ends a sentence (。：；…), since a paragraph
    there is as many lines as it wrapped to."""
    if not pdf:
        return lines
    out: list[str] = []
    for line in lines:
        line = _CJK_SPACE.sub("", line)
        if out and not out[-1].endswith(_PARAGRAPH_END):
            out[-1] += line
        else:
            out.append(line)
    return out
