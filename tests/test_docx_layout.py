"""The Word report as printed: LibreOffice lays the DOCX out (to PDF, through `convert --to pdf`'s
own path and font mapping) and pdfplumber reads back where every character and table rule landed.

- the body sets 28 characters a line (GB/T 9704: 22 lines of 28 characters);
- no number in 表三 or 表四 is split over two lines, even with seven digits in every cell of
  表三, five in every count of 表四 and six in its 总计 cells;
- no label cell of 表三/表四 ends in a line of one character (`（三）不予公/开`, `自然/人`);
- no table rule or table text runs into the bottom margin: rows are never split over pages;
- 表三 is printed whole on one page, wherever the text before it ends, and so every page with
  rows of 表三 names the row group (三、本年度办理结果, （三）不予公开 …) of its first row: Word
  and LibreOffice print a vertically merged cell's text on its first page only;
- no page ends with a block title or column label row of 表二;
- nothing is lost on the way: every punctuation mark of the document is printed (LibreOffice
  drops one hanging at the end of a line filled to the margin).
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from xxgk.files import pdf as files_pdf
from xxgk.format import model as m
from xxgk.report import docx as render_docx

from .conftest import load_example, need_tool
from .report_support import W, docx_blocks
from .reports import set_path

pdfplumber = pytest.importorskip("pdfplumber")

PT = 1 / 20  # points per twip
LEFT = render_docx.MARGIN_LEFT * PT
RIGHT = (render_docx.PAGE_W - render_docx.MARGIN_RIGHT) * PT
TOP = render_docx.MARGIN_TOP * PT
BOTTOM = (render_docx.PAGE_H - render_docx.MARGIN_BOTTOM) * PT
BODY_PT = 16.0  # 三号
CHARS_PER_LINE = 28
FULL_WIDTH = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e“”‘’—…《》]")
PUNCT = re.compile(r"[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff5e“”‘’《》]")


def _busy_report() -> dict[str, Any]:
    """The seed with a different seven-digit number in every cell of 表三, a five-digit one in
    every count of 表四 and a six-digit one in its 总计 cells (totals set like the rest: the
    layout is checked, not the sums)."""
    data = copy.deepcopy(load_example())
    n = 0
    for leaf in m.leaves():
        if leaf.table not in ("表三", "表四") or leaf.kind not in m.NUMERIC_KINDS:
            continue
        n += 1
        digits = 7 if leaf.table == "表三" else 6 if leaf.path[-1] == "total" else 5
        set_path(data, leaf.path, 10 ** (digits - 1) + n * 7919 % 89_999)
    return data


def _table_numbers(data: dict[str, Any]) -> Counter[str]:
    """The numbers printed in 表三 and 表四."""
    out: Counter[str] = Counter()
    for leaf in m.leaves():
        if leaf.table in ("表三", "表四") and leaf.kind in m.NUMERIC_KINDS:
            node: Any = data
            for key in leaf.path:
                node = node[key]
            out[str(node)] += 1
    return out


def _pushed(data: dict[str, Any], lines: int) -> dict[str, Any]:
    """`data` with about `lines` more lines of text before the tables, so that 表三 starts
    lower on its page (or on another page)."""
    out = copy.deepcopy(data)
    out["overview"]["summary"] += "加长" * (CHARS_PER_LINE // 2 * lines)
    return out


# 表三 from the top of a page down to its bottom quarter: wherever it starts below about a fifth
# of the type area it no longer fits under the text, so it would be split or moved
PUSHED = {"busy+6": 6, "busy+11": 11, "busy+17": 17}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict[str, Any], Path]]:
    soffice = files_pdf.find_soffice()
    need_tool("LibreOffice", soffice, "apt-get install libreoffice-writer-nogui")
    assert soffice is not None
    tmp = tmp_path_factory.mktemp("docx-layout")
    busy = _busy_report()
    reports = {"seed": load_example(), "busy": busy}
    reports.update((name, _pushed(busy, lines)) for name, lines in PUSHED.items())
    out = {}
    for name, data in reports.items():
        pdf = tmp / f"{name}.pdf"
        pdf.write_bytes(files_pdf.docx_to_pdf(render_docx.render(data), soffice))
        out[name] = (data, pdf)
    return out


def _lines(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Characters grouped into printed lines (same baseline), each sorted left to right."""
    rows: dict[int, list[dict[str, Any]]] = {}
    for char in chars:
        rows.setdefault(round(char["bottom"]), []).append(char)
    return [sorted(row, key=lambda c: c["x0"]) for _, row in sorted(rows.items())]


def _body_lines(pdf: Path) -> list[str]:
    """Every full line of body text (三号, from the left margin to the right one, not the last
    line of its paragraph), as the characters inside the type area."""
    out = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            body = [c for c in page.chars if abs(c["size"] - BODY_PT) < 0.1 and c["top"] < BOTTOM]
            for line in _lines(body):
                inside = [c for c in line if c["x0"] < RIGHT - 1]  # a hanging stop is outside
                if abs(line[0]["x0"] - LEFT) < 1.5 and inside[-1]["x1"] > RIGHT - 4:
                    out.append("".join(c["text"] for c in inside))
    return out


@pytest.mark.parametrize("name", ["seed", "busy"])
def test_body_lines_hold_28_characters(pdfs, name: str) -> None:
    """A full line of Chinese text (full-width characters only, no two punctuation marks in a
    row, which the compression squeezes) holds exactly 28 characters."""
    lines = _body_lines(pdfs[name][1])
    chinese = [
        line
        for line in lines
        if all(FULL_WIDTH.match(ch) for ch in line)
        and not re.search(PUNCT.pattern + PUNCT.pattern, line)
    ]
    assert len(chinese) >= 20, lines
    wrong = [(len(line), line) for line in chinese if len(line) != CHARS_PER_LINE]
    assert not wrong


@pytest.mark.parametrize("name", ["seed", "busy"])
def test_every_punctuation_mark_is_printed(pdfs, name: str) -> None:
    data, pdf = pdfs[name]
    written = Counter("".join(docx_blocks(io.BytesIO(render_docx.render(data)))))
    with pdfplumber.open(pdf) as doc:
        printed = Counter(c["text"] for page in doc.pages for c in page.chars)
    # at least as many: 表三's header rows, repeated on a continuation page, print again
    marks = "，。、：；？！（）《》“”"
    lost = {p: (written[p], printed[p]) for p in marks if printed[p] < written[p]}
    assert not lost


def _cells(page: Any) -> dict[tuple[float, float, float, float], list[dict[str, Any]]]:
    """The table text of a page (小五 and 五号) by the table cell it lies in: the nearest rules
    to its left, right, above and below."""
    edges = page.edges
    out: dict[tuple[float, float, float, float], list[dict[str, Any]]] = {}
    for char in page.chars:
        if char["size"] > 11 or not char["text"].strip():
            continue
        mid_x, mid_y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        vertical = [
            e for e in edges if e["orientation"] == "v" and e["top"] - 1 <= mid_y <= e["bottom"] + 1
        ]
        horizontal = [
            e for e in edges if e["orientation"] == "h" and e["x0"] - 1 <= mid_x <= e["x1"] + 1
        ]
        left = max((e["x0"] for e in vertical if e["x0"] < mid_x), default=0.0)
        right = min((e["x0"] for e in vertical if e["x0"] > mid_x), default=page.width)
        top = max((e["top"] for e in horizontal if e["top"] < mid_y), default=0.0)
        bottom = min((e["top"] for e in horizontal if e["top"] > mid_y), default=page.height)
        out.setdefault(
            (round(left, 1), round(top, 1), round(right, 1), round(bottom, 1)), []
        ).append(char)
    return out


def _table3_pages(pdf: Path) -> list[tuple[list[m.Row], set[str], str]]:
    """For each page that prints rows of 表三: those rows top to bottom (found by their labels),
    the text of every table cell on the page (its lines joined) and the page's text."""
    by_label = {row.label: row for row in m.TABLE3_ROWS}
    out = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            cells = {
                place: "".join(c["text"] for line in _lines(chars) for c in line)
                for place, chars in _cells(page).items()
            }
            rows = sorted((top, by_label[text]) for (_, top, _, _), text in cells.items()
                          if text in by_label)  # fmt: skip
            if rows:
                text = "".join(c["text"] for c in page.chars)
                out.append(([row for _, row in rows], set(cells.values()), text))
    return out


def _groups(row: m.Row) -> list[str]:
    """The row group labels to the left of a row of 表三, outermost first."""
    results = (*m.TABLE3_OUTCOMES, m.TABLE3_RESULTS_TOTAL)
    return [m.TABLE3_RESULTS_GROUP, *([row.group] if row.group else [])] if row in results else []


@pytest.mark.parametrize("name", ["seed", "busy", *PUSHED])
def test_every_page_of_table3_names_the_group_of_its_first_row(pdfs, name: str) -> None:
    pages = _table3_pages(pdfs[name][1])
    assert [row for rows, _, _ in pages for row in rows] == list(m.TABLE3_ROWS)
    for rows, cells, _ in pages:
        assert set(_groups(rows[0])) <= cells, (rows[0].label, _groups(rows[0]))


@pytest.mark.parametrize("name", ["seed", "busy", *PUSHED])
def test_table3_is_printed_whole_on_one_page_under_its_heading(pdfs, name: str) -> None:
    """Kept whole (it takes about 185 mm of the 225 mm type area): never continued, so no
    continuation page needs its groups named again, and its heading is on its page."""
    pages = _table3_pages(pdfs[name][1])
    assert len(pages) == 1
    assert m.SECTIONS[2].heading in pages[0][2]


def test_the_pushed_reports_move_table3_to_another_page(pdfs) -> None:
    """The pushed reports do test the keeping together: in at least two of them 表三 and its
    heading start a page although the page before ends more than two lines above its foot."""
    moved = 0
    for name in PUSHED:
        with pdfplumber.open(pdfs[name][1]) as doc:
            pages = [[c for c in page.chars if c["bottom"] <= BOTTOM + 1] for page in doc.pages]
        at = next(
            i for i, p in enumerate(pages) if m.SECTIONS[2].heading in "".join(c["text"] for c in p)
        )
        first_line = _lines(pages[at])[0]
        starts_page = "".join(c["text"] for c in first_line) == m.SECTIONS[2].heading
        room = BOTTOM - max(c["bottom"] for c in pages[at - 1])
        moved += starts_page and room > 2 * render_docx.LINE_PITCH * PT
    assert moved >= 2


def _cell_lines(pdf: Path) -> list[list[str]]:
    """Every table cell's text as printed, line by line."""
    out = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            for chars in _cells(page).values():
                out.append(["".join(c["text"] for c in line) for line in _lines(chars)])
    return out


@pytest.mark.parametrize("name", ["seed", "busy"])
def test_no_number_split_and_no_orphan_in_tables(pdfs, name: str) -> None:
    data, pdf = pdfs[name]
    cells = _cell_lines(pdf)
    numbers = Counter(lines[0] for lines in cells if len(lines) == 1 and lines[0].isdigit())
    missing = _table_numbers(data) - numbers
    split = [lines for lines in cells if len(lines) > 1 and any(x.isdigit() for x in lines)]
    assert not split and not missing, (split, missing)
    # a label whose last line is one character (the vertical 三、本年度办理结果 is one a line)
    orphans = [
        lines
        for lines in cells
        if len(lines) > 1 and len(lines[-1].rstrip("”）》")) == 1 and max(map(len, lines)) > 2
    ]
    assert not orphans


def test_group_names_break_after_their_number(pdfs) -> None:
    """表三's narrow group column prints a group name in two lines, （三） over 不予公开,
    never cut inside the name (（三）不/予公开)."""
    printed = {tuple(lines) for lines in _cell_lines(pdfs["busy"][1])}
    groups = {row.group for row in m.TABLE3_ROWS if row.group}
    assert len(groups) == 4
    for group in groups:
        number, name = group.split("）", 1)
        assert (number + "）", name) in printed


@pytest.mark.parametrize("name", ["seed", "busy", *PUSHED])
def test_no_page_ends_with_a_heading_row_of_table2(pdfs, name: str) -> None:
    """A block of 表二 starts on the page of its first row of numbers: its title
    (第二十条第（一）项) and column labels (信息内容…) are never left at the foot of a page."""
    headings = {b.title for b in m.TABLE2_BLOCKS} | {m.TABLE2_CONTENT_HEADER}
    with pdfplumber.open(pdfs[name][1]) as doc:
        for page in doc.pages:
            cells = _cells(page)
            if not cells:
                continue
            bottom = max(place[3] for place in cells)
            last = {
                "".join(c["text"] for c in chars)
                for place, chars in cells.items()
                if place[3] == bottom
            }
            assert not last & headings, (page.page_number, last)


@pytest.mark.parametrize("name", ["seed", "busy"])
def test_tables_stay_inside_the_type_area(pdfs, name: str) -> None:
    """No table rule and no table text below the type area's foot (or above its head): rows
    are never split over two pages, and 表三 repeats its header rows where it continues."""
    with pdfplumber.open(pdfs[name][1]) as doc:
        header_pages = 0
        for page in doc.pages:
            rules = [e for e in page.edges if e["orientation"] == "h"]
            assert all(TOP - 1 <= e["top"] <= BOTTOM + 1 for e in rules), page.page_number
            text = [c for c in page.chars if c["size"] < 11]
            assert all(c["top"] >= TOP - 1 and c["bottom"] <= BOTTOM + 1 for c in text)
            header_pages += m.TABLE3_CORNER in "".join(c["text"] for c in page.chars)
        assert header_pages >= 1


def test_package_states_language_grid_and_table_fonts() -> None:
    """What the layout rests on, in the package itself (no LibreOffice needed)."""
    with zipfile.ZipFile(io.BytesIO(render_docx.render(load_example()))) as zf:
        settings = etree.fromstring(zf.read("word/settings.xml"))
        styles = etree.fromstring(zf.read("word/styles.xml"))
        document = etree.fromstring(zf.read("word/document.xml"))
    assert settings.find(f"{W}themeFontLang").get(W + "eastAsia") == "zh-CN"
    assert settings.find(f"{W}characterSpacingControl").get(W + "val") == "compressPunctuation"
    style = {s.get(W + "styleId"): s for s in styles.iter(W + "style")}
    normal = style["Normal"].find(f"{W}rPr")
    assert normal.find(f"{W}lang").get(W + "eastAsia") == "zh-CN"
    condense = int(normal.find(f"{W}spacing").get(W + "val"))
    assert condense == render_docx.BODY_CONDENSE
    advance = render_docx.BODY_SIZE * 10 + condense  # twips a character
    assert advance * CHARS_PER_LINE <= render_docx.TYPE_AREA_W < advance * (CHARS_PER_LINE + 1)
    for name in ("TableTextCompact", "TableHeaderCompact"):  # 小五
        assert style[name].find(f"{W}rPr/{W}sz").get(W + "val") == "18"
    grid = document.find(f".//{W}sectPr/{W}docGrid")
    assert grid.get(W + "linePitch") == str(render_docx.LINE_PITCH)
    tables = document.findall(f".//{W}tbl")
    for table in tables[1:]:  # 表三, 表四: 小五, header rows repeated, rows kept whole
        assert {p.get(W + "val") for p in table.iter(f"{W}pStyle")} <= {
            "TableTextCompact",
            "TableHeaderCompact",
        }
        rows = table.findall(f"{W}tr")
        assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)
        assert [tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in rows[:4]] == [
            True,
            True,
            True,
            False,
        ]
