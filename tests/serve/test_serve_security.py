"""No one gets in who does not belong, and no upload can do harm (issue 13)."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import httpx

from .harness import Server, make_workbook, running

TOKEN = "s3cret-token-for-tests"


def test_a_lan_bind_needs_the_token(tmp_path: Path, books: dict[str, Path]) -> None:
    with running(tmp_path / "data", "--token", TOKEN, host="0.0.0.0") as server:
        with server.client() as anon:
            for method, path in (
                ("GET", "/"),
                ("GET", "/county"),
                ("GET", "/api/collections"),
                ("GET", "/api/template"),
                ("GET", "/openapi.json"),
            ):
                r = anon.request(method, path)
                assert r.status_code == 401, path
            r = anon.post("/api/validate", files={"file": ("a.xlsx", books["good"].read_bytes())})
            assert r.status_code == 401 and "口令" in r.json()["error"]
            page = anon.get("/")
            assert 'name="token"' in page.text and page.headers["content-type"].startswith(
                "text/html"
            )
            wrong = anon.get("/api/collections", headers={"Authorization": "Bearer nope"})
            assert wrong.status_code == 401
        with server.client(headers={"Authorization": f"Bearer {TOKEN}"}) as c:
            assert c.get("/api/collections").status_code == 200
            r = c.post("/api/validate", files={"file": ("a.xlsx", books["good"].read_bytes())})
            assert r.status_code == 200 and r.json()["valid"] is True
        # the login page: a session cookie, only with the right token and the form's CSRF token
        with server.client() as browser:
            form = browser.get("/login")
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
            bad = browser.post("/login", data={"token": "wrong", "csrf_token": csrf})
            assert bad.status_code == 401 and "口令不正确" in bad.text
            forged = browser.post("/login", data={"token": TOKEN, "csrf_token": "forged"})
            assert forged.status_code == 403
            ok = browser.post(
                "/login", data={"token": TOKEN, "csrf_token": csrf, "next": "//evil.example/"}
            )
            assert ok.status_code == 303 and ok.headers["location"] == "/"
            assert browser.get("/county").status_code == 200
            assert browser.get("/api/collections").status_code == 200


def test_without_a_token_one_is_generated_and_printed(tmp_path: Path) -> None:
    with running(tmp_path / "data", host="0.0.0.0") as server:
        deadline = time.monotonic() + 10
        while "访问口令" not in server.output() and time.monotonic() < deadline:
            time.sleep(0.1)
        token = re.search(r"访问口令：(\S+?)（", server.output()).group(1)  # type: ignore[union-attr]
        with server.client() as c:
            assert c.get("/api/collections").status_code == 401
            assert (
                c.get("/api/collections", headers={"Authorization": f"Bearer {token}"}).status_code
                == 200
            )


def test_a_name_that_climbs_out(server: Server, books: dict[str, Path], tmp_path: Path) -> None:
    raw = books["good"].read_bytes()
    with server.client() as c:
        doc = c.post("/api/validate", files={"file": ("../../x.xlsx", raw)}).json()
        assert doc["files"][0]["path"] == "x.xlsx"
        cid = c.post("/api/collections", json={"name": "路径测试"}).json()["id"]
        for name in ("../../x.xlsx", "..\\..\\x.xlsx", "/etc/passwd.xlsx"):
            r = c.post(f"/api/collections/{cid}/files", files={"file": (name, raw)})
            assert r.status_code == 200
        stored = sorted(p for p in server.data.rglob("*") if p.is_file() and p.name != "index.json")
        assert len(stored) == 1  # one agency, replaced twice
        assert re.fullmatch(r"[0-9a-f]{32}\.xlsx", stored[0].name)
        assert stored[0].parent.parent.parent == server.data / "collections"
        assert not list(server.data.parent.glob("x.xlsx")) and not (server.data / "x.xlsx").exists()
        rows = c.get(f"/api/collections/{cid}").json()["rows"]
        assert rows[0]["file_name"] == "passwd.xlsx"
        # ids are checked before any path is made from them
        for bad in ("..", "..%2F..%2Findex.json", "0" * 31 + "g"):
            assert c.get(f"/api/collections/{bad}").status_code == 404
            assert c.get(f"/api/collections/{cid}/files/{bad}/original").status_code == 404


def test_an_oversize_upload_is_refused_in_chinese(server: Server) -> None:
    big = b"\0" * (21 * 1024 * 1024)
    with server.client() as c:
        r = c.post("/api/validate", files={"file": ("big.xlsx", big)})
        assert r.status_code == 413 and "太大" in r.json()["error"]

        def chunks():  # no Content-Length: counted as it arrives
            yield (
                b'--zzz\r\nContent-Disposition: form-data; name="file"; filename="big.xlsx"\r\n'
                b"Content-Type: application/octet-stream\r\n\r\n"
            )
            for _ in range(22):
                yield b"x" * (1024 * 1024)
            yield b"\r\n--zzz--\r\n"

        r = c.post(
            "/api/validate",
            content=chunks(),
            headers={"Content-Type": "multipart/form-data; boundary=zzz"},
        )
        assert r.status_code == 413 and "太大" in r.json()["error"]


def test_a_zip_bomb_is_refused_before_any_parser(server: Server) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    assert len(buf.getvalue()) < 2 * 1024 * 1024
    with server.client() as c:
        t = time.monotonic()
        doc = c.post("/api/validate", files={"file": ("bomb.xlsx", buf.getvalue())}).json()
        assert time.monotonic() - t < 20
    finding = doc["files"][0]["findings"][0]
    assert doc["valid"] is False and finding["code"] == "FILE_UNREADABLE"
    assert "压缩炸弹" in finding["message"]


def test_html_in_an_agency_name_stays_text(server: Server, tmp_path: Path) -> None:
    evil = "<script>alert(1)</script>某局"
    book = make_workbook(tmp_path / "evil.xlsx", evil)
    with server.client() as c:
        cid = c.post("/api/collections", json={"name": "<b>集合</b>"}).json()["id"]
        c.post(f"/api/collections/{cid}/files", files={"file": ("evil.xlsx", book.read_bytes())})
        page = c.get(f"/county/{cid}").text
        assert "<script>alert" not in page and "<b>集合" not in page  # the page never inlines data
        assert c.get(f"/api/collections/{cid}").json()["rows"][0]["agency"] == evil
    with server.client() as c:  # without the page's cookie: not a browser
        html = c.post("/api/convert?to=html", files={"file": ("evil.xlsx", book.read_bytes())}).text
        assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_cross_site_requests_are_refused(server: Server) -> None:
    with server.client() as c:
        page = c.get("/county")
        csrf = c.cookies["xxgk_csrf"]
        assert f'content="{csrf}"' in page.text
        body = {"name": "跨站"}
        evil = {"Origin": "http://evil.example"}
        assert (
            c.post(
                "/api/collections", json=body, headers={**evil, "X-CSRF-Token": csrf}
            ).status_code
            == 403
        )
        assert (
            c.post(
                "/api/collections", json=body, headers={"Sec-Fetch-Site": "cross-site"}
            ).status_code
            == 403
        )
        # a browser (it has the cookie) without the page's token
        assert c.post("/api/collections", json=body).status_code == 403
        assert (
            c.post("/api/collections", json=body, headers={"X-CSRF-Token": "forged"}).status_code
            == 403
        )
        same = {"Origin": server.url, "X-CSRF-Token": csrf}
        assert c.post("/api/collections", json=body, headers=same).status_code == 201
    # a page of another site whose name was made to point at 127.0.0.1 (DNS rebinding)
    r = httpx.get(server.url + "/api/collections", headers={"Host": f"evil.example:{server.port}"})
    assert r.status_code == 400
