"""County collections through the real server: rows, search, replace, 缺报, downloads, and that
nothing is lost — an interrupted upload stores nothing, a restart keeps everything."""

from __future__ import annotations

import csv
import io
import json
import socket
import time
import zipfile
from pathlib import Path

import httpx

from .harness import Server, make_workbook, running

AGENCIES = ["某县商务局", "某县教育局", "某县民政局"]


def files_on_disk(data: Path) -> list[Path]:
    return sorted(p for p in (data / "collections").rglob("*") if p.is_file())


def create(c: httpx.Client, name: str) -> str:
    r = c.post("/api/collections", json={"name": name})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_a_county_collection(tmp_path: Path) -> None:
    books = tmp_path / "books"
    books.mkdir()
    paths = [
        make_workbook(books / "a.xlsx", AGENCIES[0]),
        make_workbook(books / "b.xlsx", AGENCIES[1], mistake=2),
        make_workbook(books / "c.xlsx", AGENCIES[2]),
    ]
    data = tmp_path / "data"
    with running(data) as server:
        c = server.client()
        cid = create(c, "某县2024年度")
        r = c.post(
            f"/api/collections/{cid}/files",
            files=[("file", (p.name, p.read_bytes())) for p in paths],
        )
        assert r.status_code == 200
        assert [s["status"] for s in r.json()["stored"]] == ["passed", "errors", "passed"]
        assert (
            c.put(
                f"/api/collections/{cid}/expected", json={"agencies": AGENCIES + ["某县水利局"]}
            ).status_code
            == 200
        )

        doc = c.get(f"/api/collections/{cid}").json()
        status = {row["agency"]: row["status"] for row in doc["rows"]}
        assert status == {
            "某县商务局": "passed",
            "某县教育局": "errors",
            "某县民政局": "passed",
            "某县水利局": "missing",
        }
        assert doc["counts"]["missing"] == 1 and doc["years"] == [2024]

        found = c.get(f"/api/collections/{cid}", params={"q": "教育"}).json()["rows"]
        assert [row["agency"] for row in found] == ["某县教育局"]
        errors = c.get(f"/api/collections/{cid}", params={"status": "errors"}).json()["rows"]
        assert [row["agency"] for row in errors] == ["某县教育局"]
        assert (
            c.get(f"/api/collections/{cid}", params={"year": 2023}).json()["rows"][0]["status"]
            == "missing"
        )

        # the education bureau fixes its workbook and uploads again: replaced, and said so
        fixed = make_workbook(books / "b2.xlsx", AGENCIES[1])
        r = c.post(f"/api/collections/{cid}/files", files={"file": ("b2.xlsx", fixed.read_bytes())})
        stored = r.json()["stored"][0]
        assert stored["replaced"]["name"] == "b.xlsx" and "替换" in stored["message"]
        rows = c.get(f"/api/collections/{cid}").json()["rows"]
        assert len([x for x in rows if x["agency"] == "某县教育局"]) == 1
        assert len(files_on_disk(data)) == 3 + 1  # three workbooks and the index

        # one agency's findings under its own file id
        edu = next(x for x in rows if x["agency"] == "某县教育局")
        one = c.get(f"/api/collections/{cid}/files/{edu['file_id']}").json()
        assert (
            one["file"]["agency"] == "某县教育局"
            and one["validate"]["files"][0]["path"] == "b2.xlsx"
        )
        assert (
            c.get(f"/api/collections/{cid}/files/{edu['file_id']}/original").content
            == fixed.read_bytes()
        )

        table = list(
            csv.reader(
                io.StringIO(
                    c.get(f"/api/collections/{cid}/summary.csv").content.decode("utf-8-sig")
                )
            )
        )
        assert table[0][:3] == ["单位", "年度", "状态"]
        assert {row[0]: row[2] for row in table[1:]} == {
            "某县商务局": "通过",
            "某县教育局": "通过",
            "某县民政局": "通过",
            "某县水利局": "缺报",
        }

        z = zipfile.ZipFile(
            io.BytesIO(c.get(f"/api/collections/{cid}/reports.zip?to=docx").content)
        )
        names = sorted(z.namelist())
        assert names == sorted(
            [f"{a}2024年政府信息公开工作年度报告.docx" for a in AGENCIES] + ["汇总.csv"]
        )
        for a in AGENCIES:  # each agency's report under its own name holds its own name
            assert a.encode() in z.read(
                f"{a}2024年政府信息公开工作年度报告.docx"
            ) or a in _docx_text(z.read(f"{a}2024年政府信息公开工作年度报告.docx"))

        summed = json.loads(
            c.get(
                f"/api/collections/{cid}/aggregate",
                params={"agency": "某县人民政府", "year": 2024, "to": "json"},
            ).content
        )
        each = [
            json.loads(
                c.post("/api/convert?to=json", files={"file": (p.name, p.read_bytes())}).content
            )
            for p in (paths[0], fixed, paths[2])
        ]
        assert summed["requests"]["new"]["total"] == sum(
            d["requests"]["new"]["total"] for d in each
        )
        xlsx = c.get(
            f"/api/collections/{cid}/aggregate", params={"agency": "某县人民政府", "year": 2024}
        )
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
        c.close()

    # a restart keeps the collection as it was
    with running(data) as again, again.client() as c:
        rows = c.get(f"/api/collections/{cid}").json()["rows"]
        assert {x["agency"]: x["status"] for x in rows}["某县教育局"] == "passed"
        assert len(rows) == 4


def _docx_text(raw: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_an_interrupted_upload_stores_nothing(server: Server, tmp_path: Path) -> None:
    with server.client() as c:
        cid = create(c, "中断测试")
        good = make_workbook(tmp_path / "a.xlsx", "某县商务局")
        assert (
            c.post(
                f"/api/collections/{cid}/files", files={"file": ("a.xlsx", good.read_bytes())}
            ).status_code
            == 200
        )
    before = files_on_disk(server.data)
    index_before = (server.data / "collections" / cid / "index.json").read_bytes()
    payload = good.read_bytes()
    boundary = "xxgkboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="b.xlsx"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body_len = len(head) + len(payload) + 100
    with socket.create_connection(("127.0.0.1", server.port)) as s:
        s.sendall(
            (
                f"POST /api/collections/{cid}/files HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                f"Content-Length: {body_len}\r\n\r\n"
            ).encode()
            + head
            + payload[: len(payload) // 2]
        )
        time.sleep(0.5)
    time.sleep(1.0)
    assert files_on_disk(server.data) == before
    assert (server.data / "collections" / cid / "index.json").read_bytes() == index_before
    with server.client() as c:
        assert len(c.get(f"/api/collections/{cid}").json()["rows"]) == 1


def test_a_folder_under_data_is_imported_into_a_collection(tmp_path: Path) -> None:
    """Workbooks copied to --data/收件/<folder>/ go into a collection in one request; nothing
    outside that folder can be named, links and Office lock files are passed over."""
    data = tmp_path / "data"
    folder = data / "收件" / "某县2024"
    (folder / "乡镇").mkdir(parents=True)
    make_workbook(folder / "a.xlsx", AGENCIES[0])
    make_workbook(folder / "b.xlsx", AGENCIES[1], mistake=2)
    make_workbook(folder / "乡镇" / "c.xlsx", AGENCIES[2])
    (folder / "~$a.xlsx").write_bytes(b"lock")
    secret = make_workbook(tmp_path / "elsewhere.xlsx", "某县保密局")
    (folder / "link.xlsx").symlink_to(secret)
    (data / "收件" / "outside").symlink_to(tmp_path, target_is_directory=True)
    with running(data) as server:
        c = server.client()
        cid = create(c, "某县2024年度")
        listed = c.get(f"/api/collections/{cid}/folders").json()
        assert listed["folders"] == [{"folder": "某县2024", "files": 3}]
        r = c.post(f"/api/collections/{cid}/folder", json={"folder": "某县2024"})
        assert r.status_code == 200, r.text
        stored = {s["name"]: s["status"] for s in r.json()["stored"]}
        assert stored == {"a.xlsx": "passed", "b.xlsx": "errors", "乡镇/c.xlsx": "passed"}
        rows = c.get(f"/api/collections/{cid}").json()["rows"]
        assert sorted(row["agency"] for row in rows) == sorted(AGENCIES)
        # importing again replaces each agency's file and says so
        again = c.post(f"/api/collections/{cid}/folder", json={"folder": "某县2024"}).json()
        assert all("已替换" in s["message"] for s in again["stored"])
        assert len(c.get(f"/api/collections/{cid}").json()["rows"]) == 3
        for name in ("../data", "..", "outside", "某县2024/乡镇", "", None, 1):
            r = c.post(f"/api/collections/{cid}/folder", json={"folder": name})
            assert r.status_code == 404, (name, r.text)
            assert "收件" in r.json()["error"]
