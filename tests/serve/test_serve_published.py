"""Published reports (web page, Word, PDF, text) through the real server: the staff API answers
what the command line prints and writes for the same file, and a county collection takes them
beside workbooks, uploaded or from a folder under --data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from xxgk.report.registry import RENDERERS

from ..published.hostile_files import cms_full_page, scan_pdf
from ..published.test_import_cli import busy_report
from ..published.test_validate_published import _html_with
from .harness import Server, cli_validate, environment, make_workbook, running
from .test_serve_county import create


def upload(path: Path) -> dict[str, tuple[str, bytes]]:
    return {"file": (path.name, path.read_bytes())}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A report as agencies publish it, as a web page and a Word file; the web page with one
    number of 表三 7 too many; a portal page; a scan."""
    root = tmp_path_factory.mktemp("published")
    data = busy_report()
    data["agency"]["name"] = "某县统计局"
    wrong = str(data["requests"]["new"]["natural_person"] + 7)
    files = {
        "html": ("统计局年报.html", RENDERERS["html"].render(data)),
        "docx": ("统计局年报.docx", RENDERERS["docx"].render(data)),
        "wrong": ("算错了.html", _html_with(data, wrong)),
        "cms": ("门户网站.htm", cms_full_page(data)),
        "md": ("统计局年报.md", RENDERERS["md"].render(data)),
        "scan": ("扫描件.pdf", scan_pdf()),
    }
    out = {}
    for key, (name, raw) in files.items():
        out[key] = root / name
        out[key].write_bytes(raw)
    return out


def cli_import(path: Path, out: Path) -> bytes:
    """The JSON `xxgk import` writes for `path`."""
    subprocess.run(
        [sys.executable, "-m", "xxgk.cli.main", "import", str(path), "-o", str(out), "-j", "1"],
        check=False, capture_output=True, env=environment(),
    )  # fmt: skip
    return (out / (path.stem + ".json")).read_bytes()


@pytest.mark.parametrize("key", ["html", "docx", "wrong", "cms", "md", "scan"])
def test_validate_answers_what_the_cli_prints(
    server: Server, published: dict[str, Path], key: str
) -> None:
    path = published[key]
    with server.client() as c:
        r = c.post("/api/validate", files=upload(path))
    assert r.status_code == 200
    assert r.text == cli_validate(path)
    doc = r.json()
    assert doc["files"][0]["path"] == path.name
    if key == "wrong":  # the rule finding names the printed cell: 表三 is the 2nd table
        found = [f for f in doc["files"][0]["findings"] if f["code"] == "T3_BALANCE"]
        assert [f["source"] for f in found] == [{"table": 2, "row": 4, "column": 4}]
    if key == "scan":
        assert doc["valid"] is False and "扫描件.pdf" in json.dumps(doc, ensure_ascii=False)


@pytest.mark.parametrize("key", ["html", "docx", "md"])
def test_convert_to_json_gives_the_imported_report(
    server: Server, published: dict[str, Path], key: str, tmp_path: Path
) -> None:
    path = published[key]
    with server.client() as c:
        r = c.post("/api/convert?to=json", files=upload(path))
    assert r.status_code == 200, r.text
    assert r.content == cli_import(path, tmp_path / "out")
    got = json.loads(r.content)
    expected = busy_report()
    assert got["requests"] == expected["requests"]
    assert got["agency"]["name"] == "某县统计局"
    disposition = r.headers["content-disposition"]
    assert disposition.endswith("%E7%BB%9F%E8%AE%A1%E5%B1%80%E5%B9%B4%E6%8A%A5.json")  # 统计局年报


def test_convert_of_a_scan_answers_why_not(server: Server, published: dict[str, Path]) -> None:
    with server.client() as c:
        r = c.post("/api/convert?to=docx", files=upload(published["scan"]))
    assert r.status_code == 422
    assert "OCR" in json.dumps(r.json(), ensure_ascii=False)


def test_a_county_collection_takes_published_reports(
    tmp_path: Path, published: dict[str, Path]
) -> None:
    data = tmp_path / "data"
    folder = data / "收件" / "各部门已发布"
    folder.mkdir(parents=True)
    for key in ("docx", "scan"):
        (folder / published[key].name).write_bytes(published[key].read_bytes())
    book = make_workbook(tmp_path / "商务局.xlsx", "某县商务局")
    with running(data) as server:
        c = server.client()
        cid = create(c, "某县2024年度")
        r = c.post(
            f"/api/collections/{cid}/files",
            files=[("file", (p.name, p.read_bytes())) for p in (published["html"], book)],
        )
        assert r.status_code == 200, r.text
        stored = r.json()["stored"]
        assert [(s["name"], s["status"]) for s in stored] == [
            ("统计局年报.html", "warnings"),  # its 表二 has 规章, which a 局 does not make
            ("商务局.xlsx", "passed"),
        ]
        rows = {row["agency"]: row for row in c.get(f"/api/collections/{cid}").json()["rows"]}
        assert set(rows) == {"某县统计局", "某县商务局"}
        one = c.get(f"/api/collections/{cid}/files/{rows['某县统计局']['file_id']}").json()
        assert one["validate"]["files"][0]["path"] == "统计局年报.html"
        original = c.get(f"/api/collections/{cid}/files/{rows['某县统计局']['file_id']}/original")
        assert original.content == published["html"].read_bytes()
        # a web page goes back to be saved, not shown: it must not run in the server's origin
        assert original.headers["content-type"] == "application/octet-stream"
        assert original.headers["content-disposition"].startswith("attachment")

        # the Word file from a folder replaces the web page (same agency, same year)
        listed = c.get(f"/api/collections/{cid}/folders").json()["folders"]
        assert listed == [{"folder": "各部门已发布", "files": 2}]
        done = c.post(f"/api/collections/{cid}/folder", json={"folder": "各部门已发布"}).json()
        by_name = {s["name"]: s for s in done["stored"]}
        assert by_name["统计局年报.docx"]["status"] == "warnings"
        assert by_name["统计局年报.docx"]["replaced"]["name"] == "统计局年报.html"
        assert by_name["扫描件.pdf"]["status"] == "unreadable"
        word = by_name["统计局年报.docx"]["file_id"]
        kept = c.get(f"/api/collections/{cid}/files/{word}/original")
        assert kept.content == published["docx"].read_bytes()
        assert kept.headers["content-type"].startswith("application/vnd.openxmlformats")
        rows_after: list[dict[str, Any]] = c.get(f"/api/collections/{cid}").json()["rows"]
        assert sorted(row["status"] for row in rows_after) == ["passed", "unreadable", "warnings"]
