"""How a table label breaks into lines in the Word report's narrow cells (小五, tables 三 and 四).

A model of LibreOffice's (and Word's) greedy CJK line breaking, in ems of the table font: the
DOCX renderer uses it to choose cell padding and explicit breaks so that labels break at
sensible places, and tests/test_docx_layout.py checks the result against the printed PDF.
"""

from __future__ import annotations

import re

NO_LINE_START = frozenset("，。、；：？！）》”’〕】")  # kinsoku: never first on a line
# an enumerated label: （三）不予公开 → （三） and 不予公开
_NUMBERED = re.compile(r"^(（[一二三四五六七八九十]+）)(.+)$")


def em_width(char: str) -> float:
    """A character's advance in ems in the table font (Times New Roman for Latin text)."""
    if char.isascii():  # digits: Times New Roman 0.5, the CJK fonts' fallback digits 0.56
        return 0.25 if char in ".,;:()[] " else 0.55
    return 1.0


def text_width(text: str) -> float:
    return sum(map(em_width, text))


def wrap(text: str, width: float) -> list[str]:
    """Greedy line breaking of CJK text as LibreOffice does it in a table cell, `width` in
    ems: a punctuation mark that may not start a line takes the character before it along."""
    lines: list[str] = []
    line, used = "", 0.0
    for char in text:
        advance = em_width(char)
        if line and used + advance > width + 1e-6:
            carry = ""
            if char in NO_LINE_START and len(line) > 1:
                line, carry = line[:-1], line[-1]
            lines.append(line)
            line, used = carry, text_width(carry)
        line += char
        used += advance
    lines.append(line)
    return lines


def numbered(text: str) -> tuple[str, str] | None:
    """An enumerated label's number and name (`（三）`, `不予公开`), None for another text."""
    found = _NUMBERED.match(text)
    return (found[1], found[2]) if found else None


def numbered_lines(text: str, width: float) -> tuple[str, str] | None:
    """A group label too wide for its cell whose name fits a line after its number, as two
    lines (`（三）` / `不予公开`): greedy breaking would cut the name (`（三）不` / `予公开`).
    None for any other label."""
    parts = numbered(text)
    if parts is None or text_width(text) <= width + 1e-6:
        return None
    return parts if text_width(parts[1]) <= width + 1e-6 else None


def balance(text: str, width: float) -> float:
    """How many ems narrower a label cell `width` ems wide should set its text so that its last
    line holds two or more characters (`4.保护第三方合/法权益`, not `4.保护第三方合法权/益`), the
    number of lines kept. 0 when the text wraps well as it is."""
    lines = wrap(text, width)
    if len(lines) < 2 or len(lines[-1].rstrip("".join(NO_LINE_START))) > 1:
        return 0.0
    # between the narrowest width that keeps the number of lines and the widest that leaves two
    # characters on the last one: a good margin both ways for fonts a little off the model
    narrowest = widest = width
    while narrowest > 1 and len(wrap(text, narrowest - 0.25)) == len(lines):
        narrowest -= 0.25
    while widest > narrowest and len(wrap(text, widest)[-1]) < 2:
        widest -= 0.25
    return width - (narrowest + widest) / 2
