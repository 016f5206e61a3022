"""Hostile published files through the real command line: `xxgk import` and `xxgk validate`.

A file that cannot be read gets a Chinese message naming it, exit 3, no traceback and no JSON;
one that can be read in part is imported with its findings naming the place in the source; and
one run over all of them imports the good ones and lists every other in summary.json. Expected
values are the data rendered or typed into the file here, never what the importer produced.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pypdfium2
import pytest

from xxgk.files.pdf import docx_to_pdf
from xxgk.format import model as m
from xxgk.report.registry import RENDERERS

from ..conftest import need_tool
from ..report_support import distinct_report
from ..reports import get_path
from .hostile_files import (
    OCR,
    cms_full_page,
    cms_page,
    html_bomb,
    huge_docx,
    merged_docx,
    scan_pdf,
    zip_bomb,
)
from .test_extract_html import CMS_VALUES
from .test_extract_pdf import loose
from .test_import_cli import busy_report, cli

TABLE_LEAVES = [leaf for leaf in m.leaves() if leaf.table]
SRC = Path(__file__).resolve().parents[2] / "src"
NEW_LABEL = "一、本年新收政府信息公开申请数量"

# name → (bytes, what the message must say)
UNREADABLE: dict[str, tuple[Any, tuple[str, ...]]] = {
    "扫描件.pdf": (scan_pdf, ("没有文字层", OCR)),
    "超大文件.docx": (huge_docx, ("文件超过 40 MB",)),
    "压缩炸弹.docx": (zip_bomb, ("压缩炸弹",)),
    "嵌套炸弹.html": (html_bomb, ("嵌套",)),
}
UNREADABLE_CODE = {
    "扫描件.pdf": "IMPORT_UNREADABLE",
    "超大文件.docx": "IMPORT_UNREADABLE",  # refused by its size, before any reader
    "压缩炸弹.docx": "IMPORT_UNREADABLE",
    "嵌套炸弹.html": "IMPORT_UNREADABLE",
}


def summary(out: Path) -> list[dict[str, Any]]:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))["files"]


def imported(out: Path, stem: str) -> dict[str, Any]:
    return json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))


def assert_tables(got: dict[str, Any], data: dict[str, Any], skip: set[str] = frozenset()) -> None:
    for leaf in TABLE_LEAVES:
        if leaf.pointer not in skip:
            assert get_path(got, leaf.path) == get_path(data, leaf.path), leaf.pointer


@pytest.fixture(scope="module")
def soffice() -> str:
    return need_tool(
        "LibreOffice", shutil.which("soffice"), "apt-get install libreoffice-writer-nogui"
    )


@pytest.mark.parametrize("name", list(UNREADABLE))
def test_an_unreadable_file_is_named_exit_3_and_nothing_written(tmp_path: Path, name: str) -> None:
    make, says = UNREADABLE[name]
    src = tmp_path / name
    src.write_bytes(make())
    out = tmp_path / "out"
    result = cli("import", src, "-o", out, "-j", "1")
    assert result.exit_code == 3, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    line = next(ln for ln in result.output.splitlines() if ln.startswith(str(src)))
    assert "无法读取" in line and all(word in line for word in says), line
    assert [p.name for p in out.glob("*.json")] == ["summary.json"]  # none for the file
    (entry,) = summary(out)
    assert entry["status"] == "unreadable" and entry["output"] is None
    assert all(word in entry["error"] for word in says), entry["error"]
    assert entry["error_code"] == UNREADABLE_CODE[name]
    checked = cli("validate", src)
    assert checked.exit_code == 3 and isinstance(checked.exception, SystemExit)
    assert str(src) in checked.output and all(word in checked.output for word in says)


def test_a_cms_page_in_gbk_is_read_cell_by_cell_and_its_missing_tables_are_errors(
    tmp_path: Path,
) -> None:
    src = tmp_path / "门户网站.html"
    src.write_bytes(cms_page())
    out = tmp_path / "out"
    result = cli("import", src, "-o", out, "-j", "1")
    assert result.exit_code == 1, result.output  # imported, with errors to check
    got = imported(out, "门户网站")
    new = got["requests"]["new"]
    # 一、本年新收 as typed: 12 3 (blank) 1 0 2 18; the blank is 0 with a warning
    assert [new[c.id] for c in m.APPLICANT_COLUMNS] == [12, 3, 0, 1, 0, 2, 18]
    # 四、结转下年度 as typed: 1 / — 0 0 0 1
    forward = got["requests"]["carried_forward"]
    assert [forward[c.id] for c in m.APPLICANT_COLUMNS] == [1, 0, 0, 0, 0, 0, 1]
    assert got["requests"]["results"]["granted"]["total"] == int(CMS_VALUES["（一）予以公开"][6])
    assert got["agency"]["name"] == "某某县自然资源局" and got["year"] == 2024
    (entry,) = summary(out)
    assert entry["status"] == "imported_with_errors" and entry["kind"] == "html"
    missing = [f for f in entry["findings"] if f["code"] == "IMPORT_TABLE_MISSING"]
    assert sorted(f["path"] for f in missing) == ["/proactive/rules/issued",
                                                  "/review_litigation/review/upheld"]  # fmt: skip
    blanks = [f for f in entry["findings"] if f["code"] == "IMPORT_CELL_BLANK"]
    # the first blank: table 1 (the layout tables are none), row 4 (一、本年新收), column 6
    assert blanks[0]["source"] == {"table": 1, "row": 4, "column": 6}


def test_a_whole_report_inside_cms_layout_tables_in_gbk_imports_exactly(tmp_path: Path) -> None:
    data = busy_report()
    src = tmp_path / "门户网站全文.html"
    src.write_bytes(cms_full_page(data))
    out = tmp_path / "out"
    result = cli("import", src, "-o", out, "-j", "1")
    assert result.exit_code == 0, result.output
    got = imported(out, "门户网站全文")
    assert_tables(got, data)
    assert got["agency"]["name"] == data["agency"]["name"] and got["year"] == data["year"]
    assert "不应读出" not in json.dumps(got, ensure_ascii=False)


# the merged cells of hostile_files.merged_docx, by JSON path
WITHHELD = "/requests/results/denied"
ROW_10 = [f"{WITHHELD}/endangers_safety_stability/{c.id}" for c in m.APPLICANT_COLUMNS]
ROW_9_NATURAL = f"{WITHHELD}/prohibited_by_law/natural_person"
TABLE4 = [leaf.pointer for leaf in TABLE_LEAVES if leaf.table == m.TABLE4_NAME]


def test_word_merges_in_unusual_places_refuse_the_rows_they_blur(tmp_path: Path) -> None:
    data = distinct_report()
    src = tmp_path / "合并单元格.docx"
    src.write_bytes(merged_docx(data))
    out = tmp_path / "out"
    result = cli("import", src, "-o", out, "-j", "1")
    assert result.exit_code == 1, result.output
    got = imported(out, "合并单元格")
    # the merged cell is read where it starts (row 9) as typed; the row it also covers (row
    # 10, 3.危及“三安全一稳定”) and 表四's row with one cell over two columns are not guessed
    assert get_path(got, tuple(ROW_9_NATURAL.strip("/").split("/"))) == 9
    for ptr in ROW_10 + TABLE4:
        assert get_path(got, tuple(ptr.strip("/").split("/"))) == 0, ptr
    assert_tables(got, data, skip={ROW_9_NATURAL, *ROW_10, *TABLE4})  # the header merge: none
    (entry,) = summary(out)
    errors = [(f["code"], f["source"]) for f in entry["findings"] if f["severity"] == "error"]
    assert sorted(errors, key=str) == sorted(
        [
            # 表三 is the document's 2nd table; row 10's label 3.危及… is in its 3rd column
            ("IMPORT_ROW_UNPLACED", {"table": 2, "row": 10, "column": 3}),
            # 表四 is the 3rd table; its numbers are in row 4, from column 1
            ("IMPORT_ROW_UNPLACED", {"table": 3, "row": 4, "column": 1}),
        ],
        key=str,
    )


def _pages_with(pdf: bytes, words: str) -> list[int]:
    """1-based pages whose text (pdfium's, not xxgk's reader) holds `words`, spaces ignored."""
    doc = pypdfium2.PdfDocument(pdf)
    found = []
    for n, page in enumerate(doc, 1):
        text = page.get_textpage().get_text_range()
        if words in re.sub(r"\s+", "", text):
            found.append(n)
    return found


@pytest.fixture(scope="module")
def crossing(soffice: str) -> tuple[dict[str, Any], bytes]:
    data = distinct_report()
    return data, docx_to_pdf(loose(RENDERERS["docx"].render(data)), soffice)


def test_a_pdf_whose_table_crosses_a_page_imports_exactly(
    tmp_path: Path, crossing: tuple[dict[str, Any], bytes]
) -> None:
    data, pdf = crossing
    first, last = _pages_with(pdf, NEW_LABEL), _pages_with(pdf, "四、结转下年度继续办理")
    assert len(first) == 1 and len(last) == 1 and first[0] < last[0]  # the input crosses a page
    src = tmp_path / "跨页表格.pdf"
    src.write_bytes(pdf)
    out = tmp_path / "out"
    result = cli("import", src, "-o", out, "-j", "1")
    assert result.exit_code == 0, result.output
    assert_tables(imported(out, "跨页表格"), data)
    assert summary(out)[0]["kind"] == "pdf"


def test_one_run_over_all_of_them_imports_the_good_and_lists_the_rest(
    tmp_path: Path, crossing: tuple[dict[str, Any], bytes]
) -> None:
    inbox = tmp_path / "各单位年报"
    inbox.mkdir()
    good = busy_report()
    (inbox / "好的年报.md").write_bytes(RENDERERS["md"].render(good))
    (inbox / "门户网站全文.html").write_bytes(cms_full_page(good))
    (inbox / "门户网站.html").write_bytes(cms_page())
    (inbox / "合并单元格.docx").write_bytes(merged_docx(distinct_report()))
    (inbox / "跨页表格.pdf").write_bytes(crossing[1])
    for name, (make, _) in UNREADABLE.items():
        (inbox / name).write_bytes(make())
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "xxgk.cli.main", "import", str(inbox), "-o", str(out), "-j", "2"],
        capture_output=True, text=True, encoding="utf-8",
        env=dict(os.environ, PYTHONPATH=str(SRC)), timeout=600,
    )  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr and "Error" not in done.stderr, done.stderr
    statuses = {Path(e["input"]).name: e for e in summary(out)}
    assert {name: e["status"] for name, e in statuses.items()} == {
        "好的年报.md": "imported",
        "门户网站全文.html": "imported",
        "跨页表格.pdf": "imported",
        "门户网站.html": "imported_with_errors",
        "合并单元格.docx": "imported_with_errors",
        **{name: "unreadable" for name in UNREADABLE},
    }
    for name, (_, says) in UNREADABLE.items():
        entry = statuses[name]
        assert entry["output"] is None and entry["error_code"] == UNREADABLE_CODE[name]
        assert all(word in entry["error"] for word in says), entry
        line = next(ln for ln in done.stderr.splitlines() if ln.startswith(str(inbox / name)))
        assert all(word in line for word in says), line
    written = sorted(p.name for p in out.glob("*.json"))
    assert written == sorted(
        ["summary.json", "好的年报.json", "门户网站全文.json", "跨页表格.json", "门户网站.json",
         "合并单元格.json"]
    )  # fmt: skip
    assert_tables(imported(out, "好的年报"), good)
    assert_tables(imported(out, "跨页表格"), crossing[0])
    # 汇总.csv in import's words, not convert's (已强制转换)
    with open(out / "汇总.csv", encoding="utf-8-sig", newline="") as fh:
        rows = {Path(r["输入文件"]).name: r["状态"] for r in csv.DictReader(fh)}
    assert rows["好的年报.md"] == "已导入"
    assert rows["门户网站.html"] == "已导入，有需要核对的地方"
    assert rows["扫描件.pdf"] == "无法读取"
