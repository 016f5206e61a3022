"""The expected-units list of `xxgk aggregate --expect`: one agency name per line."""

from __future__ import annotations

import re

from xxgk.check.years import normalise_agency
from xxgk.format.textbytes import UndecodableText, decode


class ExpectListError(ValueError):
    """The expect list cannot be read as text (the message is Chinese, for the user)."""


# Controls other than line ends and tabs mean the encoding was guessed wrong (UTF-16 without a
# BOM decodes as text full of NULs); XML 1.0 would refuse them in the workbook anyway.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_ENCODING_HINT = "请用记事本「另存为」UTF-8 编码的文本文件（每行一个单位名称）后重试。"


def decode_text(raw: bytes) -> str:
    """Text of a list file (see `format.textbytes.decode`). Raises `ExpectListError` if no
    encoding fits or the text holds control characters."""
    try:
        text = decode(raw).text
    except UndecodableText as exc:
        what = f"不是有效的 {exc.label} 文本" if exc.label else "既不是 UTF-8 也不是 GBK 编码的文本"
        raise ExpectListError(f"{what}。{_ENCODING_HINT}") from None
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise ExpectListError(
            f"第{line}行含有控制字符（U+{ord(bad.group()):04X}），不是普通文本。{_ENCODING_HINT}"
        )
    return text


def parse_expect(raw: bytes) -> list[str]:
    """An expect list: one agency name per line, UTF-8 / UTF-16 (with BOM) or GBK; blank lines
    and spaces ignored; repeated names kept once. Raises `ExpectListError` (see `decode_text`)."""
    text = decode_text(raw)
    out: dict[str, str] = {}
    for line in text.splitlines():
        name = "".join(line.split())
        if name:
            out.setdefault(normalise_agency(name), name)
    return list(out.values())
