"""The API through the real server process: the same answers as the command line."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import httpx
from docx import Document
from openpyxl import load_workbook

from ..wb_helpers import EXAMPLE_XLSX
from .harness import (
    MISTAKE_NAME,
    Server,
    cell_address,
    cli_validate,
    environment,
    make_workbook,
)


def upload(path: Path, name: str | None = None) -> dict[str, tuple[str, bytes]]:
    return {"file": (name or path.name, path.read_bytes())}


def test_validate_answers_exactly_what_the_cli_prints(
    server: Server, books: dict[str, Path], tmp_path: Path
) -> None:
    junk = tmp_path / "坏文件.xlsx"
    junk.write_bytes(b"this is no workbook")
    cases = [books["good"], books["bad"], junk]
    with server.client() as c:
        for path in cases:
            r = c.post("/api/validate", files=upload(path))
            assert r.status_code == 200
            assert r.headers["content-type"].startswith("application/json")
            assert r.text == cli_validate(path), path.name


def test_the_mistake_is_reported_at_its_cell(server: Server, books: dict[str, Path]) -> None:
    sheet, cell = cell_address(books["bad"], MISTAKE_NAME)  # from the workbook's own names
    with server.client() as c:
        doc = c.post("/api/validate", files=upload(books["bad"])).json()
    assert doc["valid"] is False and doc["errors"] >= 1
    at_cell = [
        f for f in doc["files"][0]["findings"] if (f.get("sheet"), f.get("cell")) == (sheet, cell)
    ]
    assert [f["code"] for f in at_cell] == ["T3_BALANCE"]
    assert at_cell[0]["args"]["diff"] == 3


def test_convert_gives_the_report_and_refuses_one_with_errors(
    server: Server, books: dict[str, Path]
) -> None:
    with server.client() as c:
        r = c.post("/api/convert?to=docx", files=upload(books["good"]))
        assert r.status_code == 200
        assert (
            "商务局年报.docx"
            in httpx.QueryParams("x=" + r.headers["content-disposition"].split("''")[1])["x"]
        )
        text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
        assert "某县商务局2024年政府信息公开工作年度报告" in text

        r = c.post("/api/convert?to=json", files=upload(books["bad"]))
        assert r.status_code == 422
        assert r.json()["files"][0]["valid"] is False
        forced = c.post("/api/convert?to=json&force=1", files=upload(books["bad"]))
        assert forced.status_code == 200
        data = json.loads(forced.content)
        # the figure typed in the workbook, read back through openpyxl
        sheet, cell = cell_address(books["bad"])
        assert (
            data["requests"]["new"]["natural_person"]
            == load_workbook(books["bad"])[sheet][cell].value
        )

        assert c.post("/api/convert?to=pdf", files=upload(books["good"])).status_code == 400
        for to in ("html", "md"):
            r = c.post(f"/api/convert?to={to}", files=upload(books["good"]))
            assert r.status_code == 200 and "某县商务局" in r.content.decode("utf-8")


def test_convert_writes_what_the_cli_writes(
    server: Server, books: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "xxgk.cli.main",
            "convert",
            str(books["good"]),
            "-o",
            str(out),
            "--to",
            "docx,json",
            "-q",
        ],
        check=True,
        capture_output=True,
        env=environment(),
    )
    with server.client() as c:
        for to in ("docx", "json"):
            r = c.post(f"/api/convert?to={to}", files=upload(books["good"]))
            written = next(out.glob(f"*.{to}"))
            assert r.content == written.read_bytes(), to


def test_template_with_agency_and_year(server: Server) -> None:
    with server.client() as c:
        r = c.get("/api/template", params={"agency": "某县统计局", "year": "2025"})
        assert r.status_code == 200
        wb = load_workbook(io.BytesIO(r.content))
        values = {}
        for name in ("agency.name", "year"):
            sheet, ref = next(iter(wb.defined_names[name].destinations))
            values[name] = wb[sheet][ref.replace("$", "")].value
        assert values == {"agency.name": "某县统计局", "year": 2025}
        assert c.get("/api/template", params={"year": "1999"}).status_code == 400
        blank = c.get("/api/template")
        assert blank.status_code == 200 and blank.content[:2] == b"PK"


def test_annotated_copy(server: Server, books: dict[str, Path]) -> None:
    sheet, cell = cell_address(books["bad"])
    with server.client() as c:
        r = c.post("/api/annotate", files=upload(books["bad"]))
        assert r.status_code == 200
        wb = load_workbook(io.BytesIO(r.content))
        assert "校验结果" in wb.sheetnames
        assert wb[sheet][cell].comment is not None and "T3_BALANCE" in "".join(
            str(c.value) for row in wb["校验结果"].iter_rows() for c in row
        )
        js = c.post(
            "/api/annotate",
            files={"file": ("a.json", EXAMPLE_XLSX.with_suffix(".json").read_bytes())},
        )
        assert js.status_code == 400 and "工作簿" in js.json()["error"]


def test_last_years_report_beside_it(server: Server, tmp_path: Path) -> None:
    this = make_workbook(tmp_path / "2024.xlsx", "某县民政局", 2024)
    last = make_workbook(tmp_path / "2023.xlsx", "某县民政局", 2023)
    wb = load_workbook(last)
    sheet, ref = next(
        iter(wb.defined_names["requests.carried_forward.natural_person"].destinations)
    )
    wb[sheet][ref.replace("$", "")].value = 7  # 结转下年度 last year ≠ 上年结转 this year (0)
    wb.save(last)
    with server.client() as c:
        doc = c.post(
            "/api/validate",
            files={
                "file": ("2024.xlsx", this.read_bytes()),
                "previous": ("2023.xlsx", last.read_bytes()),
            },
        ).json()
        alone = c.post("/api/validate", files=upload(this)).json()
    codes = {f["code"] for f in doc["files"][0]["findings"]}
    assert "PREV_CARRIED_OVER" in codes
    assert "PREV_CARRIED_OVER" not in {f["code"] for f in alone["files"][0]["findings"]}


def test_openapi_document(server: Server) -> None:
    with server.client() as c:
        doc = c.get("/openapi.json").json()
    for path in ("/api/validate", "/api/convert", "/api/template", "/api/collections/{cid}/files"):
        assert path in doc["paths"], path


def test_pages_are_chinese_and_load_nothing_from_outside(server: Server) -> None:
    with server.client() as c:
        for path in ("/", "/county"):
            r = c.get(path)
            assert r.status_code == 200 and 'lang="zh-CN"' in r.text
            assert "http://" not in r.text and "https://" not in r.text
        for asset in ("app.css", "common.js", "staff.js", "county.js"):
            body = c.get(f"/static/{asset}").text
            assert "http://" not in body and "https://" not in body and "@import" not in body
        r = c.get("/api/nothing-here")
        assert r.status_code == 404 and "没有" in r.json()["error"]
