"""Helpers for the report renderer tests: reading DOCX/HTML back, the seed, external tools."""

from __future__ import annotations

import copy
import html as html_lib
import io
import os
import re
import shutil
import subprocess
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import docx
from lxml import etree
from lxml import html as lxml_html

from xxgk.format import model as m

from .conftest import load_example
from .oracle import with_official_totals
from .reports import INPUT_LEAVES, set_path

SEED_TEXT = Path(__file__).parent / "data" / "seed-2024-published.txt"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# The seed's headings as printed (two lack their numerals) → our section numbers.
SEED_HEADINGS = {
    "总体情况": "一",
    "二、主动公开政府信息情况": "二",
    "三、收到和处理政府信息公开申请情况": "三",
    "四、政府信息公开行政复议、行政诉讼情况": "四",
    "存在的主要问题及改进情况": "五",
    "六、其他需要报告的事项": "六",
}
NUMBER = re.compile(r"^\d+(\.\d+)?$")


def normalise(text: str) -> str:
    """Text for comparison with the published seed.

    - all whitespace removed (the seed's line breaks inside the title, stray spaces);
    - the seed's `[2021]` (ASCII brackets) read as our `〔2021〕` (the official 六角括号);
    - `行政规范性文件` (the 2021 format's label, which we print) read as the seed's older
      `规范性文件`.
    """
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"\[(\d{4})\]", r"〔\1〕", text)
    return text.replace("行政规范性文件", "规范性文件")


def seed_sections() -> dict[str, list[str]]:
    """The published seed's paragraphs by section ("" = title and preamble; "end" = signature).

    Table cells are the lines indented with a tab; they are kept as they are (labels and
    numbers) in the section's list.
    """
    sections: dict[str, list[str]] = {"": []}
    current = ""
    lines = [line for line in SEED_TEXT.read_text("utf-8").splitlines() if line.strip()]
    signature_from = len(lines) - 2  # agency name and date close the report
    for i, line in enumerate(lines):
        if i >= signature_from:
            sections.setdefault("end", []).append(line.strip())
        elif line.strip() in SEED_HEADINGS:
            current = SEED_HEADINGS[line.strip()]
            sections[current] = [line.strip()]
        else:
            sections[current].append(line.strip())
    return sections


def split_sections(blocks: Iterable[str]) -> dict[str, str]:
    """Our document's text blocks in order → normalised text per section (keys as above)."""
    heading_of = {s.heading: s.number for s in m.SECTIONS}
    out: dict[str, list[str]] = {"": []}
    current = ""
    for text in blocks:
        if text.strip() in heading_of:
            current = heading_of[text.strip()]
            out[current] = []
        out[current].append(text)
    return {k: normalise("".join(v)) for k, v in out.items()}


# ---------------------------------------------------------------------------------------------
# DOCX


def docx_blocks(path_or_stream: Any) -> list[str]:
    """Every paragraph and table cell of a DOCX body, in document order (cells once)."""
    document = docx.Document(path_or_stream)
    out: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag == W + "p":
            out.append("".join(t.text or "" for t in child.iter(W + "t")))
        elif child.tag == W + "tbl":
            for tc in child.iter(W + "tc"):
                out.append("".join(t.text or "" for t in tc.iter(W + "t")))
    return out


def docx_grids(raw: bytes) -> dict[str, list[list[str]]]:
    """The DOCX's three tables as python-docx reads them, merged cells expanded (a merged
    cell's text at every grid position it covers), a line break in a cell read as nothing (表三
    sets its group names in two lines, `（三）` and `不予公开`)."""
    tables = docx.Document(io.BytesIO(raw)).tables
    grids = [
        [[cell.text.replace("\n", "") for cell in row.cells] for row in table.rows]
        for table in tables
    ]
    return dict(zip(("table2", "table3", "table4"), grids, strict=True))


def docx_table_numbers(table_el: etree._Element) -> list[str]:
    """The numeric cells of a table, in document order (merged cells once)."""
    texts = ("".join(t.text or "" for t in tc.iter(W + "t")) for tc in table_el.iter(W + "tc"))
    return [t for t in texts if NUMBER.match(t)]


# ---------------------------------------------------------------------------------------------
# HTML


def html_blocks(raw: bytes) -> list[str]:
    root = lxml_html.fromstring(raw)
    tags = {"h1", "h2", "h3", "p", "th", "td", "caption"}
    return [el.text_content() for el in root.iter() if isinstance(el.tag, str) and el.tag in tags]


def html_grid(table: Any) -> list[list[Any]]:
    """The table's cell grid with row/column spans expanded: grid[r][c] is the cell element."""
    grid: list[list[Any]] = []
    pending: dict[tuple[int, int], Any] = {}
    for r, tr in enumerate(table.iter("tr")):
        row: list[Any] = []
        cells = [c for c in tr if c.tag in ("th", "td")]
        c = 0
        while cells or (r, c) in pending:
            if (r, c) in pending:
                row.append(pending.pop((r, c)))
                c += 1
                continue
            cell = cells.pop(0)
            colspan = int(cell.get("colspan", "1"))
            rowspan = int(cell.get("rowspan", "1"))
            for dc in range(colspan):
                row.append(cell)
                for dr in range(1, rowspan):
                    pending[(r + dr, c + dc)] = cell
            c += colspan
        grid.append(row)
    return grid


def html_grids(raw: bytes) -> dict[str, list[list[str]]]:
    """The page's tables by id, as text grids with row/column spans expanded."""
    root = lxml_html.fromstring(raw)
    return {
        table.get("id"): [[cell.text_content() for cell in row] for row in html_grid(table)]
        for table in root.iter("table")
    }


# ---------------------------------------------------------------------------------------------
# Report data


def distinct_report() -> dict[str, Any]:
    """A valid report whose input numbers are all different and non-zero; its totals are the
    oracle's plain sums (tests/oracle.py), not xxgk's."""
    data = copy.deepcopy(load_example())
    n = 0
    for leaf in INPUT_LEAVES:
        if leaf.table == "表三" and leaf.path[1] == "new":
            continue
        n += 1
        set_path(data, leaf.path, n + 0.25 if leaf.kind == m.AMOUNT else n)
    data = with_official_totals(data)
    req = data["requests"]
    for col in m.APPLICANT_PARTS:
        outcome = req["results"]["total"][col.id] + req["carried_forward"][col.id]
        req["new"][col.id] = outcome - req["carried_over"][col.id]
    for key in data["overview"]:
        if key != "summary":
            data["overview"][key] = ""  # the generated paragraphs, written from the numbers
    data["other_matters"]["text"] = ""
    return with_official_totals(data)


def printed(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


HOSTILE = {
    "vtab": "第一行\x0b第二行",
    "script": "<script>alert(1)</script>",
    "amp": "A & B &amp; C",
    "cdata": "]]> 结束",
    "emoji": "表情😀🇨🇳",
    "controls": "控制\x00字符\x01\x1f\x7f\ufffe",
    "surrogate": "孤\ud800立",
}


def hostile_report() -> dict[str, Any]:
    """The seed with text a real workbook can carry: Word's vertical tab, markup, a 20,000-
    character paragraph, emoji, '&', ']]>', controls and a lone surrogate."""
    data = copy.deepcopy(load_example())
    data["agency"]["name"] = "测试局<b>&amp;</b>😀"
    data["agency"]["address"] = "地址\x0b]]>"
    data["local_notice"] = '"引号" <i>通知</i> ]]>'
    data["overview"]["summary"] = " ".join(HOSTILE.values())
    data["overview"]["management"] = "管" * 20_000
    data["overview"]["platform"] = "x" * 20_000  # one unbreakable ASCII word
    data["problems"] = "（一）问题。" + HOSTILE["script"] + "\r\n" + HOSTILE["controls"]
    data["improvements"] = HOSTILE["surrogate"] + '<img src="http://example.com/x.png">'
    data["other_matters"]["text"] = "\x0c" + HOSTILE["cdata"]
    return data


# ---------------------------------------------------------------------------------------------
# External tools


def soffice_to_pdf(files: list[Path], outdir: Path) -> subprocess.CompletedProcess[str]:
    """Convert DOCX files to PDF in one LibreOffice run with a private profile."""
    profile = Path("/tmp") / f"lo-xxgk-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        return subprocess.run(
            [
                shutil.which("soffice") or "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                *map(str, files),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


CHROMIUM = "/usr/bin/chromium"


def chromium(args: list[str], profile: Path, timeout: int = 120) -> str:
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    return done.stdout


PROBE = """<script>
(function () {
  var d = document.documentElement, out = [d.scrollWidth, window.innerWidth];
  var wraps = document.querySelectorAll('.table-wrap');
  for (var i = 0; i < wraps.length; i++) {
    var w = wraps[i];
    out.push(w.querySelector('table').id + ':' + getComputedStyle(w).overflowX + ':' +
             (w.scrollWidth > w.clientWidth ? 'scrolls' : 'fits'));
  }
  parent.document.body.setAttribute('data-probe', out.join(' '));
})();
</script>"""


def probe_layout(page: bytes, width: int, workdir: Path) -> list[str]:
    """Lay the page out at `width` CSS px in headless Chromium; return the probe's findings:
    [document scrollWidth, innerWidth, 'tableid:overflow-x:scrolls|fits', ...].

    Headless Chromium will not make a window narrower than 500 px, so the page is shown in a
    `srcdoc` iframe of the wanted width (its own viewport, same origin as the wrapper)."""
    probed = page.replace(b"</body>", PROBE.encode() + b"</body>").decode("utf-8")
    wrapper = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">'
        f'<iframe style="border:0;width:{width}px;height:900px" '
        f'srcdoc="{html_lib.escape(probed, quote=True)}"></iframe></body></html>'
    )
    target = workdir / f"probe-{width}-{uuid.uuid4().hex[:6]}.html"
    target.write_text(wrapper, encoding="utf-8")
    dom = chromium(
        [f"--window-size={max(width + 40, 600)},1000", "--dump-dom", target.as_uri()],
        workdir / f"chrome-{uuid.uuid4().hex[:6]}",
    )
    match = re.search(r'data-probe="([^"]*)"', dom)
    assert match, dom[-2000:]
    return match.group(1).split(" ")
