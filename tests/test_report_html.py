"""The web page read back (every cell in place, spans, scopes, headings, escaping) and laid out
by headless Chromium at phone and desktop widths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import html

from xxgk.format import model as m
from xxgk.report.html import render

from .conftest import need_tool
from .oracle import TABLE2_BLOCKS, expected_grids
from .report_support import (
    CHROMIUM,
    distinct_report,
    hostile_report,
    html_grid,
    html_grids,
    probe_layout,
)
from .reports import consistent_reports


def _tables(raw: bytes) -> dict[str, html.HtmlElement]:
    root = html.fromstring(raw)
    return {t.get("id"): t for t in root.iter("table")}


def _check_cells(raw: bytes, data: dict) -> None:
    """Every cell of the three tables, labels and numbers, as the oracle's hand-written layout
    of the official format says (tests/oracle.py), the numbers taken from `data` itself; the
    numbers are data cells (td), every label a header cell (th)."""
    got, want = html_grids(raw), expected_grids(data)
    assert set(got) == set(want)
    for name in want:
        assert len(got[name]) == len(want[name]), name
        for r, (row, expected) in enumerate(zip(got[name], want[name], strict=True)):
            assert row == expected, (name, r)
    heads = {title for title, _, _ in TABLE2_BLOCKS} | {"信息内容"}  # table 二's non-data rows
    for name, table in _tables(raw).items():
        for r, row in enumerate(html_grid(table)):
            for c, cell in enumerate(row):
                if name == "table2":
                    number = c >= 1 and row[0].text_content() not in heads
                else:  # below the three header rows; table 三's three label columns excepted
                    number = r >= 3 and (name == "table4" or c >= 3)
                assert cell.tag == ("td" if number else "th"), (name, r, c)


def test_document_structure() -> None:
    raw = render(distinct_report())
    root = html.fromstring(raw)
    assert root.get("lang") == "zh-CN"
    assert root.find(".//meta[@charset]") is not None
    assert "width=device-width" in root.find(".//meta[@name='viewport']").get("content")
    headings = [(el.tag, el.text_content()) for el in root.iter("h1", "h2", "h3")]
    assert headings[0][0] == "h1" and [h for t, h in headings if t == "h2"] == [
        s.heading for s in m.SECTIONS
    ]
    levels = [int(t[1]) for t, _ in headings]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))  # no skip
    assert [h for t, h in headings if t == "h3"] == [f.label for f in m.OVERVIEW_PARTS[1:]]
    # self-contained: no external resource of any kind
    assert root.find(".//script") is None and root.find(".//link") is None
    assert root.find(".//img") is None and b"url(" not in raw and b"@import" not in raw
    assert b"@media print" in raw
    # every wide table scrolls in its own container
    for table in root.iter("table"):
        assert table.getparent().get("class") == "table-wrap"
        assert table.find("caption") is not None


def test_tables_spans_scopes_and_numbers() -> None:
    data = distinct_report()
    raw = render(data)
    _check_cells(raw, data)
    tables = _tables(raw)
    t2, t3, t4 = (html_grid(tables[n]) for n in ("table2", "table3", "table4"))
    assert [len(row) for row in t3] == [10] * 28
    assert [len(row) for row in t4] == [15] * 4
    assert [len(row) for row in t2] == [4] * 14
    corner = t3[0][0]
    assert corner.text_content() == m.TABLE3_CORNER
    assert (corner.get("colspan"), corner.get("rowspan")) == ("3", "3")
    assert t3[2][2] is corner
    assert t3[5][0].text_content() == m.TABLE3_RESULTS_GROUP and t3[26][0] is t3[5][0]
    assert t3[5][0].get("scope") == "row"
    assert t3[7][1].text_content() == "（三）不予公开" and t3[14][1] is t3[7][1]
    assert t3[15][1].text_content() == "（四）无法提供"
    assert t3[1][4].text_content() == "法人或其他组织" and t3[1][8] is t3[1][4]
    assert t3[2][4].text_content() == "商业企业" and t3[2][4].get("scope") == "col"
    assert t4[0][5].text_content() == "行政诉讼" and t4[0][14] is t4[0][5]
    assert t4[1][0].text_content() == "结果维持" and t4[2][0] is t4[1][0]
    assert t4[2][10].text_content() == "结果维持"
    assert t2[0][0].get("scope") == "rowgroup" and t2[0][3] is t2[0][0]
    for grid in (t2, t3, t4):
        for row in grid:
            for cell in row:
                if cell.tag == "th":
                    assert cell.get("scope") in ("col", "row", "rowgroup")
    assert len(tables["table3"].findall("thead/tr")) == 3


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports(max_count=999))
def test_every_number_in_its_cell(data: dict) -> None:
    _check_cells(render(data), data)


def test_hostile_text_is_escaped() -> None:
    raw = render(hostile_report())
    raw.decode("utf-8")  # the lone surrogate did not break the encoding
    root = html.fromstring(raw)
    assert root.find(".//script") is None and root.find(".//img") is None
    assert root.find(".//b") is None and root.find(".//i") is None
    for el in root.iter():
        for name, value in el.attrib.items():
            assert not name.startswith("on") and "javascript:" not in value
    text = root.text_content()
    assert "<script>alert(1)</script>" in text and "A & B &amp; C" in text
    assert "]]> 结束" in text and "😀🇨🇳" in text and "孤\ufffd立" in text  # U+FFFD
    assert "测试局<b>&amp;</b>😀" in root.find(".//h1").text_content()
    for bad in ("\x0b", "\x0c", "\x00", "\x01", "\x7f", "\ufffe"):
        assert bad not in text
    assert "第一行" in text and "第二行" in text
    paragraphs = [p.text_content() for p in root.iter("p")]
    assert "管" * 20_000 in paragraphs and "x" * 20_000 in paragraphs


@pytest.mark.parametrize("width", [375, 1280])
def test_no_page_overflow_in_chromium(tmp_path: Path, width: int) -> None:
    found = CHROMIUM if os.access(CHROMIUM, os.X_OK) else None
    need_tool("Chromium", found, "apt-get install chromium")
    for data in (distinct_report(), hostile_report()):
        probe = probe_layout(render(data), width, tmp_path)
        scroll_width, inner_width = int(probe[0]), int(probe[1])
        assert inner_width == width
        assert scroll_width <= inner_width, probe
        tables = dict(p.split(":", 1) for p in probe[2:])
        assert set(tables) == {"table2", "table3", "table4"}
        for name, state in tables.items():
            assert state.startswith("auto:"), (name, state)
        if width == 375:  # the wide tables scroll inside their own box on a phone
            assert tables["table3"].endswith("scrolls") and tables["table4"].endswith("scrolls")
        else:
            assert all(state.endswith("fits") for state in tables.values())
