"""Issue 16's sixth round of rendering shortcuts give what the careful paths give.

A table's numbers read in runs of rows side by side and printed by one lookup, a table of
counts encoded once for the DOCX and the HTML (tables.fill_table), the HTML's longest number
taken from the largest count, document.xml deflated at ISA-L's fastest level. Expected values
are worked out by hand from the data each test writes.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from xxgk.report import document as rm
from xxgk.report import tables as rt
from xxgk.report.registry import RENDERERS

from .conftest import load_example
from .oracle import COLUMNS, OUTCOMES

DENIED = tuple(path[1] for path, _, _ in OUTCOMES if path[0] == "denied")  # the eight reasons


def _row(*values: Any) -> dict[str, Any]:
    return dict(zip(COLUMNS, values, strict=True))


def _docx_xml(data: dict[str, Any]) -> str:
    with zipfile.ZipFile(io.BytesIO(RENDERERS["docx"].render(data))) as z:
        assert z.testzip() is None  # every member's CRC matches what it inflates to
        return z.read("word/document.xml").decode("utf-8")


def test_the_eight_denied_rows_are_read_in_one_run() -> None:
    runs = rt.table3_layout()._getters
    parents = [path for path, *_ in runs]
    assert parents == [
        ("requests",),  # 本年新收, 上年结转
        ("requests", "results"),  # 予以公开, 部分公开
        ("requests", "results", "denied"),  # its eight rows
        ("requests", "results", "unable"),
        ("requests", "results", "not_processed"),
        ("requests", "results", "other"),
        ("requests", "results"),  # 总计
        ("requests",),  # 结转下年度继续办理
    ]


def test_table_numbers_read_in_runs_are_each_rows_in_turn() -> None:
    data = load_example()
    for n, reason in enumerate(DENIED, 1):
        data["requests"]["results"]["denied"][reason] = _row(n, 0, 0, 0, 0, 0, n)
    data["requests"]["results"]["denied"]["internal_affairs"]["research"] = 12345
    table = rt.table3(data)
    # 表三's rows: 一, 二, 予以公开, 部分公开, then the eight 不予公开 ones
    denied = [table.numbers[(4 + i) * 7 : (5 + i) * 7] for i in range(8)]
    assert denied[0] == ("1", "0", "0", "0", "0", "0", "1")
    assert denied[4] == ("5", "0", "12345", "0", "0", "0", "5")  # beyond the looked-up ones
    assert denied[7] == ("8", "0", "0", "0", "0", "0", "8")
    assert table.counts is None  # one number beyond 9,999: not all counts


def test_a_row_missing_still_fails_the_read_and_the_data_is_completed() -> None:
    data = load_example()
    del data["requests"]["results"]["denied"]["third_party_rights"]
    table = rm.build(data).sections[2].blocks[0]
    assert isinstance(table, rt.FilledTable)
    assert table.numbers[(4 + 3) * 7 : (5 + 3) * 7] == ("",) * 7  # the missing row: blank


def test_a_table_of_counts_keeps_them_and_their_utf8() -> None:
    data = load_example()
    data["review_litigation"]["review"] = {
        "upheld": 1, "corrected": 0, "other": 2, "pending": 30, "total": 33,
    }  # fmt: skip
    table = rt.table4(data)
    assert table.counts is not None and table.numbers[:5] == ("1", "0", "2", "30", "33")
    assert table.counts[:5] == [1, 0, 2, 30, 33]
    assert table.counts_utf8[:5] == [b"1", b"0", b"2", b"30", b"33"]
    assert len(table.counts_utf8) == len(table.numbers) == 15


def test_counts_written_once_for_both_formats_are_in_their_cells() -> None:
    data = load_example()
    data["review_litigation"]["litigation_direct"] = {
        "upheld": 4, "corrected": 0, "other": 0, "pending": 5, "total": 9,
    }  # fmt: skip
    html = RENDERERS["html"].render(data).decode("utf-8")
    xml = _docx_xml(data)
    for number in ("4", "5", "9"):
        assert f"<td>{number}</td>" in html
        assert f'<w:t xml:space="preserve">{number}</w:t></w:r></w:p></w:tc>' in xml


def test_a_table_filled_in_another_order_than_read_is_reordered() -> None:
    table = rt.table4(load_example())
    assert table.counts is not None
    n = len(table.numbers)
    fixed = [f"<{i}>".encode() for i in range(n + 1)]
    backwards = list(range(n))[::-1]
    got = b"".join(rt.fill_table(fixed, backwards, table, str, {}))
    expected = b"".join(
        fixed[i] + table.numbers[backwards[i]].encode() for i in range(n)
    ) + fixed[n]  # fmt: skip
    assert got == expected


def test_the_longest_count_sets_the_number_columns_width() -> None:
    data = load_example()
    data["requests"]["new"] = _row(1234, 0, 0, 0, 0, 0, 1234)
    html = RENDERERS["html"].render(data).decode("utf-8")
    assert re.search(r'<table id="table3"[^>]*--nd:4"', html)
    data["requests"]["new"] = _row(-12345, 0, 0, 0, 0, 0, 7)  # no count: every number looked at
    html = RENDERERS["html"].render(data).decode("utf-8")
    assert re.search(r'<table id="table3"[^>]*--nd:6"', html)


def test_names_and_headings_cleaned_as_before_their_shortcuts() -> None:
    from xxgk.format import model as m
    from xxgk.report import text as t

    assert t.clean_name("　示例县商务局 ") == "示例县商务局"  # printable: only its edges go
    assert t.clean_name("示例县\n商务局") == "示例县商务局"  # a break typed inside: joined
    assert t.clean_name("示例县 \u2028 商务局") == "示例县商务局"
    assert t.paragraphs("") == [] and t.paragraphs("　\n") == []
    part = m.OVERVIEW_PARTS[1]
    data = load_example()
    data.pop("headings", None)
    assert t.heading(data, part) == part.label  # no title of its own: the standard label
    data["headings"] = {".".join(part.path): "（九）本机关的主动公开"}
    numeral = re.match(r"（[一二三四五六七八九十]+）", part.label)
    assert numeral is not None
    assert t.heading(data, part) == numeral.group() + "本机关的主动公开"  # ours, its numeral
