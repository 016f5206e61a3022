"""The .txt/.md extractor: encodings, and the three shapes of a table row in text."""

from __future__ import annotations

import pytest

from xxgk.check import findings as fc
from xxgk.published.document import MD, TXT, NotAReport, Where
from xxgk.published.text import text_document

SAMPLE = "二、主动公开政府信息情况\n规章 | 1 | 2 | 3 |\n"


@pytest.mark.parametrize(
    ("raw", "legacy"),
    [
        (SAMPLE.encode("utf-8"), False),
        (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), False),
        (b"\xff\xfe" + SAMPLE.encode("utf-16-le"), False),
        (b"\xfe\xff" + SAMPLE.encode("utf-16-be"), False),
        (SAMPLE.encode("utf-16-le"), False),  # no BOM: found by its NUL bytes
        (SAMPLE.encode("utf-16-be"), False),
        (SAMPLE.encode("gb18030"), True),
    ],
)
def test_encodings(raw: bytes, legacy: bool) -> None:
    doc = text_document(raw, TXT)
    assert [c.text for c in doc.lines[1].cells] == ["规章", "1", "2", "3"]
    assert doc.lines[0].text == "二、主动公开政府信息情况"
    assert [f.code for f in doc.findings] == ([fc.FILE_ENCODING] if legacy else [])


@pytest.mark.parametrize("raw", [b"\xff\xfe\x00\xd8", b"\x81\x30\xff\xff\xfe"])
def test_undecodable_text_is_not_a_report(raw: bytes) -> None:
    with pytest.raises(NotAReport, match="UTF-8"):
        text_document(raw, TXT)


def test_pipe_rows_keep_blank_cells_and_drop_the_edges() -> None:
    doc = text_document(b"| a | | 3 |\n| --- | ---: | :-: |\nb | 1\n", MD)
    assert [(c.text, c.where) for c in doc.lines[0].cells] == [
        ("a", Where(line=1, column=1)),
        ("", Where(line=1, column=2)),
        ("3", Where(line=1, column=3)),
    ]
    assert len(doc.lines) == 2 and doc.lines[1].grid  # the alignment row is skipped


def test_tab_separated_and_copied_from_word_rows() -> None:
    raw = "规章\t0\t5\n\n\t行政许可\n\t\n\t7\n\n正文一行 0 0\n".encode()
    doc = text_document(raw, TXT)
    assert [c.text for c in doc.lines[0].cells] == ["规章", "0", "5"]
    word = doc.lines[1]
    assert word.grid and [c.text for c in word.cells] == ["行政许可", "", "7"]
    assert [c.where.line for c in word.cells] == [3, 4, 5]
    assert not doc.lines[2].grid and doc.lines[2].text == "正文一行 0 0"


def test_markdown_markup_and_escapes_are_not_text() -> None:
    raw = (
        "## 二、主动公开\n**第二十条第（一）项**\n| 其他\\|说明 &amp; x | 1 |\n2\\. 条目\n".encode()
    )
    doc = text_document(raw, MD)
    assert [ln.text for ln in doc.lines] == [
        "二、主动公开",
        "第二十条第（一）项",
        "其他|说明 & x 1",
        "2. 条目",
    ]
