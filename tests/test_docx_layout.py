"""The Word report as printed: LibreOffice lays the DOCX out (to PDF) and pdfplumber reads
back where every character and table rule landed.

- the body sets 28 characters a line (GB/T 9704: 22 lines of 28 characters);
- no number in 表三 or 表四 is split over two lines, even with seven digits in every cell of
  表三 and five in every cell of 表四;
- no label cell of 表三/表四 ends in a line of one character (`（三）不予公/开`, `自然/人`);
- no table rule or table text runs into the bottom margin: rows are never split over pages;
- nothing is lost on the way: every punctuation mark of the document is printed (LibreOffice
  drops one hanging at the end of a line filled to the margin).
"""

from __future__ import annotations

import copy
import io
import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from xxgk.format import model as m
from xxgk.report import docx as render_docx

from .conftest import load_example, need_tool
from .report_support import W, docx_blocks, soffice_to_pdf
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
    """The seed with a different seven-digit number in every cell of 表三 and a five-digit one
    in every cell of 表四 (totals included: the layout is checked, not the sums)."""
    data = copy.deepcopy(load_example())
    n = 0
    for leaf in m.leaves():
        if leaf.table not in ("表三", "表四") or leaf.kind not in m.NUMERIC_KINDS:
            continue
        n += 1
        set_path(
            data, leaf.path, (1_000_000 if leaf.table == "表三" else 10_000) + n * 7919 % 89_999
        )
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


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict[str, Any], Path]]:
    need_tool("LibreOffice", shutil.which("soffice"), "apt-get install libreoffice-writer-nogui")
    tmp = tmp_path_factory.mktemp("docx-layout")
    reports = {"seed": load_example(), "busy": _busy_report()}
    files = []
    for name, data in reports.items():
        path = tmp / f"{name}.docx"
        path.write_bytes(render_docx.render(data))
        files.append(path)
    done = soffice_to_pdf(files, tmp)
    assert done.returncode == 0, done.stderr
    out = {}
    for name, data in reports.items():
        pdf = tmp / f"{name}.pdf"
        assert pdf.exists(), done.stdout + done.stderr
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
