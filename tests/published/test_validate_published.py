"""`xxgk validate` on a published web page, Word file and PDF whose 勾稽关系 is broken: the
rule findings name the table cell (and the PDF's page) where the wrong number is printed.

One printed number is changed by hand in each file: table 三, row 一、本年新收, column 自然人,
7 more than rendered. Where that is, counted from the official layout (not from the importer):
表二 is the document's first table and 表三 its second; 表三 has three header rows, so
一、本年新收 is its 4th row; its three label columns are merged, so 自然人 is the 4th column and
总计 the 10th. In a PDF tables are counted per page, and 表三 is the first table on its page.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import docx
import lxml.html
import pytest

from xxgk.files.pdf import docx_to_pdf
from xxgk.report.registry import RENDERERS

from ..conftest import need_tool
from ..report_support import distinct_report
from .hostile_files import set_text
from .test_hostile_cli import _pages_with
from .test_import_cli import cli

NEW = "一、本年新收政府信息公开申请数量"
TABLE3 = {"table": 2, "row": 4}


def _html_with(data: dict[str, Any], natural_person: str) -> bytes:
    root = lxml.html.document_fromstring(RENDERERS["html"].render(data))
    (row,) = [tr for tr in root.iter("tr") if tr.text_content().strip().startswith(NEW)]
    cell = next(td for td in row.iter("td") if td.text_content().strip().isdigit())
    for child in list(cell):
        cell.remove(child)
    cell.text = None
    cell.append(lxml.html.fragment_fromstring(natural_person, create_parent="span"))
    return lxml.html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>")


def _docx_with(data: dict[str, Any], natural_person: str) -> bytes:
    document = docx.Document(io.BytesIO(RENDERERS["docx"].render(data)))
    (row,) = [r for r in document.tables[1].rows if r.cells[0].text == NEW]
    set_text(row.cells[3].paragraphs[0], natural_person)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def validate(path: Path) -> tuple[int, list[dict[str, Any]], str]:
    result = cli("validate", path, "--format", "json")
    text = cli("validate", path)
    return result.exit_code, json.loads(result.stdout)["files"][0]["findings"], text.output


def rule_sources(found: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    return {f["code"]: f.get("source") for f in found if f["code"].startswith("T3_")}


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return distinct_report()


def broken(data: dict[str, Any]) -> str:
    return str(data["requests"]["new"]["natural_person"] + 7)


def test_a_web_page_names_the_table_cell(tmp_path: Path, data: dict[str, Any]) -> None:
    src = tmp_path / "算错了.html"
    src.write_bytes(_html_with(data, broken(data)))
    code, found, text = validate(src)
    assert code == 1
    assert rule_sources(found) == {
        "T3_BALANCE": {**TABLE3, "column": 4},  # the 自然人 column no longer balances
        "T3_ROW_TOTAL": {**TABLE3, "column": 10},  # the row's 总计 no longer adds up
    }
    balance = next(f for f in found if f["code"] == "T3_BALANCE")
    assert balance["args"]["diff"] == 7
    assert "第2个表格第4行第4列" in text and "第2个表格第4行第10列" in text


def test_a_word_file_names_the_table_cell(tmp_path: Path, data: dict[str, Any]) -> None:
    src = tmp_path / "算错了.docx"
    src.write_bytes(_docx_with(data, broken(data)))
    code, found, text = validate(src)
    assert code == 1
    assert rule_sources(found) == {
        "T3_BALANCE": {**TABLE3, "column": 4},
        "T3_ROW_TOTAL": {**TABLE3, "column": 10},
    }
    assert "第2个表格第4行第4列" in text


def test_a_pdf_names_the_page_and_the_cell(tmp_path: Path, data: dict[str, Any]) -> None:
    soffice = need_tool("LibreOffice", shutil.which("soffice"), "apt-get install libreoffice")
    pdf = docx_to_pdf(_docx_with(data, broken(data)), soffice)
    (page,) = _pages_with(pdf, NEW)
    assert page not in _pages_with(pdf, "行政事业性收费")  # 表二 ends before 表三's page
    src = tmp_path / "算错了.pdf"
    src.write_bytes(pdf)
    code, found, text = validate(src)
    assert code == 1
    at = {"page": page, "table": 1, "row": 4}
    assert rule_sources(found) == {
        "T3_BALANCE": {**at, "column": 4},
        "T3_ROW_TOTAL": {**at, "column": 10},
    }
    assert f"第{page}页第1个表格第4行第4列" in text


def test_a_number_broken_over_two_lines_is_flagged_at_its_cell(
    tmp_path: Path, data: dict[str, Any]
) -> None:
    """A narrow column wraps 1749 as 1 / 749: that cell is not read, and says so; the other
    six numbers of the row are read where they are printed."""
    printed = str(data["requests"]["new"]["natural_person"])
    src = tmp_path / "折行.html"
    src.write_bytes(_html_with(data, f"{printed[0]}<br>{printed[1:]}"))
    out = tmp_path / "out"
    result = cli("import", src, "-o", out, "-j", "1")
    assert result.exit_code == 1, result.output
    entry = json.loads((out / "summary.json").read_text(encoding="utf-8"))["files"][0]
    errors = [(f["code"], f["source"]) for f in entry["findings"] if f["severity"] == "error"]
    assert errors == [("IMPORT_CELL_UNREADABLE", {**TABLE3, "column": 4})]
    message = next(f["message"] for f in entry["findings"] if f["severity"] == "error")
    assert f"「{printed[0]} / {printed[1:]}」" in message and "\n" not in message
    got = json.loads((out / "折行.json").read_text(encoding="utf-8"))["requests"]["new"]
    expected = dict(data["requests"]["new"], natural_person=0)
    assert got == expected
    assert re.search(r"第2个表格第4行第4列", result.output)
