"""The shortcuts rendering takes for the common case give what the general path gives.

Each shortcut tests in C that its case holds and otherwise takes the general path: texts
without breaks or forbidden characters (text.py), texts escaped without a Markup object
(html_tables.esc), a table's cells made only when read (tables.FilledTable), paragraphs made
without the dataclass's __init__ (content.para), the DOCX deflated by ISA-L. Expected
values are written out by hand from the rules they follow; where every code point is tried,
against the general path's own definition (the regular expressions of text.py).
"""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile
from importlib import resources
from typing import Any

import pytest
from markupsafe import escape

from xxgk.report import content as rc
from xxgk.report import tables as rt
from xxgk.report import text as t
from xxgk.report.html_tables import esc
from xxgk.report.registry import RENDERERS


def _seed() -> dict[str, Any]:
    text = resources.files("xxgk").joinpath("examples", "seed-2024.json").read_text("utf-8")
    return json.loads(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("正文一段。", ["正文一段。"]),
        ("　　首行缩进。\n\n　第二段 ", ["首行缩进。", "第二段"]),
        ("甲\r\n乙\r丙\x0b丁\x0c戊\x85己\u2028庚\u2029辛", list("甲乙丙丁戊己庚辛")),
        ("中\x00间\x1f有\x7f控\x9f制\ufffe字\uffff符", ["中间有控制字符"]),
        ("表\t格\t", ["表 格"]),
        ("不\xa0断\u3000行", ["不\xa0断\u3000行"]),  # kept inside a line, cut at its edges
        ("\ud800孤\udfff立", ["孤立"]),
        ("零宽\u200b与组合e\u0301及😀", ["零宽\u200b与组合e\u0301及😀"]),
        (" \t\u3000\xa0", []),
    ],
)
def test_paragraphs_by_hand(text: str, expected: list[str]) -> None:
    assert t.paragraphs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("某市　人民政府 ", "某市　人民政府"),
        ("第一行\r\n第二行", "第一行 第二行"),
        ("a\x00b\tc\u2028d", "ab c d"),
    ],
)
def test_clean_line_by_hand(text: str, expected: str) -> None:
    assert t.clean_line(text) == expected


def _general_paragraphs(text: str) -> list[str]:
    lines = t._BREAKS.sub("\n", text).split("\n")
    cleaned = (t._FORBIDDEN.sub("", line).replace("\t", " ").strip(t._EDGE_SPACE) for line in lines)
    return [line for line in cleaned if line]


def _general_line(text: str) -> str:
    return t._FORBIDDEN.sub("", t._BREAKS.sub(" ", text)).replace("\t", " ").strip(t._EDGE_SPACE)


def test_every_code_point_as_the_general_path_treats_it() -> None:
    """Any character, inside a line, next to a line break, at a line's edge."""
    for cp in range(0x110000):
        ch = chr(cp)
        for text in (f"前{ch}后", f"{ch}\n后", f"前\r{ch}", f"　{ch}"):
            assert t.paragraphs(text) == _general_paragraphs(text), hex(cp)
            assert t.clean_line(text) == _general_line(text), hex(cp)


def test_escape_as_markupsafe() -> None:
    assert esc("<a href='x'>&\"") == "&lt;a href=&#39;x&#39;&gt;&amp;&#34;"
    assert esc("&amp;") == "&amp;amp;"  # escaped again, as markupsafe does with a str
    for text in ("", "政府信息", "1 < 2 & 3 > 2", "'\"&<>" * 3, "\x00\ud800"):
        assert esc(text) == str(escape(text))


def test_a_filled_table_is_the_table_it_stands_for() -> None:
    data = _seed()
    keys = ("natural_person", "commercial", "research", "social_welfare", "legal_service")
    counts = (7, 1, 2, 3, 4, 5, 22)
    data["requests"]["new"] = dict(zip((*keys, "other", "total"), counts, strict=True))
    table = rt.table3(data)
    assert isinstance(table, rt.FilledTable)
    plain = rc.Table(
        table.id, table.caption, table.widths, table.head, table.bodies, table.flat, table.wide
    )
    assert table == plain and plain == table and hash(table) == hash(plain)
    assert table.bodies is table.bodies  # made once
    first = table.bodies[0][0]  # 一、本年新收政府信息公开申请数量: its label, then the numbers
    assert first[0].text == "一、本年新收政府信息公开申请数量"
    assert [c.text for c in first[1:]] == ["7", "1", "2", "3", "4", "5", "22"]
    assert table.flat[0].rows[0][1:] == ("7", "1", "2", "3", "4", "5", "22")
    changed = dataclasses.replace(table, caption="另一个")
    assert changed.layout is None and changed.bodies == table.bodies and changed != table


def test_a_lone_surrogate_reaches_no_output() -> None:
    data = _seed()
    data["overview"]["platform"] = "平台\ud800建设"
    html = RENDERERS["html"].render(data).decode("utf-8")
    assert "平台\ufffd建设" in html
    with zipfile.ZipFile(io.BytesIO(RENDERERS["docx"].render(data))) as z:
        assert "平台\ufffd建设" in z.read("word/document.xml").decode("utf-8")


def _members(docx: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        assert z.testzip() is None  # every member's CRC matches what it inflates to
        return [(i.filename, z.read(i)) for i in z.infolist()]


def test_docx_deflated_by_zlib_where_isal_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without ISA-L's wheel the document is deflated by zlib: the same members."""
    import zlib

    from xxgk.report import docx as render_docx
    from xxgk.report import docxzip

    data = _seed()
    ours = RENDERERS["docx"].render(data)
    monkeypatch.setattr(docxzip, "_zlib", zlib)
    monkeypatch.setattr(docxzip, "_LEVEL", 3)
    monkeypatch.setattr(docxzip, "FIXED_LEVEL", 3)
    render_docx._asset_records.cache_clear()  # the fixed parts deflated again, by zlib
    try:
        assert _members(RENDERERS["docx"].render(data)) == _members(ours)
    finally:
        render_docx._asset_records.cache_clear()


def test_a_paragraph_made_fast_is_the_dataclass() -> None:
    assert [f.name for f in dataclasses.fields(rc.Para)] == ["kind", "text", "lead"]
    assert not hasattr(rc.Para, "__post_init__")  # nothing that rc.para would skip
    for args in (("body", "正文"), ("body", "正文", "（一）主动公开。"), ("h2", "")):
        fast, plain = rc.para(*args), rc.Para(*args)
        assert fast == plain and hash(fast) == hash(plain) and repr(fast) == repr(plain)
        assert type(fast) is rc.Para
        with pytest.raises(dataclasses.FrozenInstanceError):
            fast.text = "改"  # type: ignore[misc]
