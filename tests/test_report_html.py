"""The web page read back (every cell in place, spans, scopes, headings, escaping) and laid out
by headless Chromium at phone and desktop widths."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import html

from xxgk.format import model as m
from xxgk.report.html import render

from .conftest import load_example, need_tool
from .oracle import TABLE2_BLOCKS, expected_grids, with_official_totals
from .report_support import (
    CHROMIUM,
    distinct_report,
    hostile_report,
    html_grid,
    html_grids,
    probe_layout,
)
from .reports import INPUT_LEAVES, consistent_reports, get_path, set_path


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
    # the report itself is the <article>; the 图解 section follows it (test below)
    article = root.find(".//article")
    headings = [(el.tag, el.text_content()) for el in article.iter("h1", "h2", "h3")]
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


def test_hint_before_each_wide_table() -> None:
    root = html.fromstring(render(distinct_report()))
    for table in root.iter("table"):
        wrap = table.getparent()
        before = wrap.getprevious()
        wide = "wide" in (table.get("class") or "").split()
        assert (before is not None and before.get("class") == "hint") == wide, table.get("id")
        if wide:  # announced with the table, and said before it
            assert wrap.get("aria-describedby") == before.get("id")
            assert wrap.getnext() is None or wrap.getnext().get("class") != "hint"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Debian's chromium through chromium-driver, headless (as in tests/serve)."""
    webdriver = pytest.importorskip("selenium.webdriver")
    chromium = need_tool("Chromium", shutil.which("chromium"), "apt-get install chromium")
    driver_path = need_tool(
        "ChromeDriver", shutil.which("chromedriver"), "apt-get install chromium-driver"
    )
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    profile = tmp_path_factory.mktemp("profile")
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--hide-scrollbars",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=webdriver.ChromeService(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _open(driver: Any, page: bytes, width: int, folder: Path) -> None:
    path = folder / "report.html"
    path.write_bytes(page)
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 500},
    )
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "screen"})
    driver.get(path.as_uri())
    assert driver.execute_script("return innerWidth") == width


# For each body row of table 三 after its scroll box is swiped fully right: where the row's
# label cells are (horizontally) and which element is on top at their centres, and the same for
# the row's 总计 cell (its last cell) — at the row's own height, the page scrolled to it.
_SWIPED = """
const wrap = document.getElementById(arguments[0]).closest('.table-wrap');
wrap.scrollIntoView();
wrap.scrollLeft = wrap.scrollWidth;
const out = {scrolls: wrap.scrollWidth > wrap.clientWidth, left: wrap.scrollLeft,
             max: wrap.scrollWidth - wrap.clientWidth, rows: []};
for (const tr of wrap.querySelectorAll('tbody tr')) {
  const total = tr.lastElementChild;
  window.scrollTo(0, window.scrollY + total.getBoundingClientRect().top - innerHeight / 2);
  const t = total.getBoundingClientRect(), y = (t.top + t.bottom) / 2;
  const cell = (x) => {
    const e = document.elementFromPoint(x, y);
    return e && e.closest('th,td');
  };
  const row = {y: y, total: [t.left, t.right, cell((t.left + t.right) / 2) === total], labels: []};
  for (const th of tr.querySelectorAll('th')) {
    const r = th.getBoundingClientRect();
    const bg = getComputedStyle(th).backgroundColor;
    row.labels.push([th.textContent, r.left, r.right, cell((r.left + r.right) / 2) === th, bg]);
  }
  // the outermost label, at the box's left edge (a row group's cell is in an earlier row)
  const first = cell(wrap.getBoundingClientRect().left + 2);
  row.first = first ? [first.tagName, first.textContent] : null;
  out.rows.push(row);
}
return out;
"""


def _county_report() -> dict[str, Any]:
    """distinct_report's counts times 1,000: four- to six-digit counts, seven-digit totals."""
    data = distinct_report()
    for leaf in INPUT_LEAVES:
        if leaf.kind != m.AMOUNT:
            set_path(data, leaf.path, get_path(data, leaf.path) * 1_000)
    return with_official_totals(data)


REPORTS = {"small": distinct_report, "county": _county_report}


@pytest.mark.parametrize("name", REPORTS)
def test_labels_stay_in_view_on_a_phone(browser: Any, tmp_path: Path, name: str) -> None:
    data = REPORTS[name]()
    _open(browser, render(data), 375, tmp_path)
    got = browser.execute_script(_SWIPED, "table3")
    assert got["scrolls"] and got["left"] > 0 and got["left"] >= got["max"] - 1, got
    assert len(got["rows"]) == 25
    for row in got["rows"]:
        left, right, on_top = row["total"]
        assert left >= 0 and right <= 375 and on_top, row  # the 总计 cell shows
        assert row["labels"], row
        for text, left, right, on_top, background in row["labels"]:
            assert left >= 0 and right <= 375, (text, row)  # still in view
            assert on_top, (text, row)  # not covered by the numbers scrolled beneath it
            assert background.startswith("rgb(") or background.endswith(", 1)"), background
        assert row["first"] and row["first"][0] == "TH", row  # the row group is named too
    # the visible labels leave room for numbers: at least three columns of them
    widest = max(right for row in got["rows"] for _, _, right, _, _ in row["labels"])
    assert widest <= 375 * 0.6, widest


# For each body row of table 三 before any swipe: its last label cell's text and right edge,
# and the left edges of each number cell and of its text.
_UNSWIPED = """
const wrap = document.getElementById(arguments[0]).closest('.table-wrap');
const rows = [];
for (const tr of wrap.querySelectorAll('tbody tr')) {
  const ths = tr.querySelectorAll('th'), last = ths[ths.length - 1];
  const numbers = [...tr.querySelectorAll('td')].map(td => {
    const range = document.createRange();
    range.selectNodeContents(td);
    return [td.textContent, td.getBoundingClientRect().left, range.getBoundingClientRect().left];
  });
  rows.push([last.textContent, last.getBoundingClientRect().right, numbers]);
}
return [wrap.scrollWidth > wrap.clientWidth, rows];
"""


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("name", REPORTS)
def test_labels_keep_their_width_beside_big_numbers(
    browser: Any, tmp_path: Path, name: str, width: int
) -> None:
    """Seven-digit numbers widen their own columns and never squeeze the sticky labels over
    them: before a swipe, every number cell and its text start right of the row's labels. On
    a wide screen the table still fits the page, no swiping needed."""
    _open(browser, render(REPORTS[name]()), width, tmp_path)
    scrolls, rows = browser.execute_script(_UNSWIPED, "table3")
    assert scrolls == (width < 500)
    assert len(rows) == 25
    for label, labels_right, numbers in rows:
        assert len(numbers) == 7
        for text, left, text_left in numbers:
            assert left >= labels_right - 1 and text_left >= labels_right, (label, text, numbers)


# Each row group label of table 三 (（三）不予公开 …): the line (top) each character is set on.
_GROUP_LINES = """
const out = {};
for (const th of document.querySelectorAll('#table3 th[rowspan]')) {
  const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT), tops = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      tops.push(Math.round(range.getBoundingClientRect().top));
    }
  }
  out[th.textContent] = tops;
}
return out;
"""


@pytest.mark.parametrize("width", [375, 1280])
def test_group_names_wrap_after_their_number(browser: Any, tmp_path: Path, width: int) -> None:
    """（三）不予公开 wraps, where it must, as （三） over 不予公开, never （三）不 over 予公开."""
    _open(browser, render(distinct_report()), width, tmp_path)
    lines = browser.execute_script(_GROUP_LINES)
    groups = {row.group for row in m.TABLE3_ROWS if row.group}
    assert groups <= set(lines)
    for group in groups:
        tops = lines[group]
        number = group.index("）") + 1
        assert len(set(tops[number:])) == 1, (group, tops)  # the name on one line


def test_hint_shows_above_the_table_on_a_phone(browser: Any, tmp_path: Path) -> None:
    _open(browser, render(distinct_report()), 375, tmp_path)
    got = browser.execute_script(
        """const wrap = document.getElementById('table3').closest('.table-wrap');
        const hint = document.getElementById(wrap.getAttribute('aria-describedby'));
        return hint && [getComputedStyle(hint).display, hint.getBoundingClientRect().bottom,
          wrap.getBoundingClientRect().top,
          !!(hint.compareDocumentPosition(wrap) & Node.DOCUMENT_POSITION_FOLLOWING),
          performance.getEntriesByType('resource').length];"""
    )
    assert got, "no hint"
    display, hint_bottom, wrap_top, precedes, fetched = got
    assert display != "none" and hint_bottom <= wrap_top + 1 and precedes
    assert fetched == 0  # nothing fetched: no font, script or image


def test_print_keeps_headings_with_tables(browser: Any, tmp_path: Path) -> None:
    _open(browser, render(distinct_report()), 1280, tmp_path)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    got = browser.execute_script(
        """const css = (sel, prop) => [...document.querySelectorAll(sel)].map(
             e => getComputedStyle(e)[prop]);
        const pages = [...document.styleSheets].flatMap(s => [...s.cssRules]).flatMap(
          r => r instanceof CSSMediaRule ? [...r.cssRules] : [r]).filter(
          r => r instanceof CSSPageRule).map(
          r => r.style.getPropertyValue('size').toUpperCase());
        return {print: matchMedia('print').matches, pages: pages,
          caption: css('caption', 'breakAfter'), captionInside: css('caption', 'breakInside'),
          h2: css('h2', 'breakAfter'), h3: css('h3', 'breakAfter'),
          thead: css('thead', 'display'), tr: css('tr', 'breakInside'),
          sticky: css('#table3 th', 'position'), hint: css('.hint', 'display'),
          wrap: css('.table-wrap', 'overflowX'), borders: css('table', 'borderCollapse')};"""
    )
    assert got["print"], "print media not emulated"
    assert got["pages"] == ["A4"]
    assert set(got["caption"]) == {"avoid"} and set(got["captionInside"]) == {"avoid"}
    assert set(got["h2"]) == {"avoid"} and set(got["h3"]) == {"avoid"}
    assert set(got["thead"]) == {"table-header-group"} and set(got["tr"]) == {"avoid"}
    assert set(got["sticky"]) == {"static"} and set(got["hint"]) == {"none"}
    assert set(got["wrap"]) == {"visible"}
    assert set(got["borders"]) == {"collapse"}  # a continued table's repeated head has its top


def _graphic(raw: bytes) -> Any:
    aside = html.fromstring(raw).find(".//aside[@class='graphic']")
    assert aside is not None, "no 图解 section"
    return aside


def test_the_graphic_section_shows_the_key_figures_as_text() -> None:
    """The 图解 section (issue 14) after the report: its figures are text (no image to describe),
    worked out here from the data, and the bars' widths follow the numbers."""
    data = distinct_report()
    aside = _graphic(render(data))
    assert aside.get("aria-labelledby") == "g-title"
    assert aside.find(".//h2").text_content() == f"图解：{data['year']}年主要数据"
    req = data["requests"]
    received = req["new"]["total"] + req["carried_over"]["total"]
    numbers = [el.text_content() for el in aside.find_class("g-num")]
    assert f"{received:,}件" in numbers
    assert f"{data['review_litigation']['review']['total']:,}件" in numbers
    bars = aside.find(".//ul[@class='g-bars']")
    assert bars.get("aria-label") == "办理结果"
    rows = {
        li.find_class("g-label")[0].text_content(): (
            li.find_class("g-val")[0].text_content(),
            float(li.find_class("g-bar")[0].get("style").removeprefix("width:").rstrip("%")),
        )
        for li in bars.iter("li")
    }
    results = req["results"]
    denied = sum(r["total"] for r in results["denied"].values())
    assert rows["予以公开"][0].startswith(f"{results['granted']['total']:,} 件（")
    assert rows["不予公开"][0].startswith(f"{denied:,} 件（")
    assert rows["结转下年度继续办理"][0] == f"{req['carried_forward']['total']:,} 件"
    widest = max(rows.values(), key=lambda r: r[1])
    assert widest[1] == 100.0
    granted_share = rows["予以公开"][1] / rows["不予公开"][1]
    assert abs(granted_share - results["granted"]["total"] / denied) < 0.05
    for el in aside.iter():  # decoration only: the bars are hidden from screen readers
        if el.get("class") == "g-track":
            assert el.get("aria-hidden") == "true"


def test_the_graphic_section_says_no_requests_in_words() -> None:
    aside = _graphic(render(load_example()))
    assert "本年度未收到政府信息公开申请。" in aside.text_content()
    assert aside.find(".//ul[@class='g-bars']") is None
