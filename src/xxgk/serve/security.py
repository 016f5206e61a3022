"""Who may come in, and what a request may carry: the token (or the session the login page
gives), protection against cross-site requests, the host name on a loopback bind, and the
upload limit. One ASGI wrapper around the whole application, so that no route can forget it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from xxgk.serve.settings import LOOPBACK_NAMES, Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SESSION_COOKIE = "xxgk_session"
CSRF_COOKIE = "xxgk_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Paths anyone may reach: the login page itself and the pages' own CSS and scripts (no data).
OPEN_PREFIXES = ("/login", "/static/")

NEED_LOGIN = (
    "需要访问口令：请在登录页输入启动 xxgk serve 时显示的口令"
    "（或在请求中带上 Authorization: Bearer 口令）。"
)
WRONG_HOST = "请求的主机名不是本机地址。本服务只接受 127.0.0.1 或 localhost 上的访问。"
CROSS_SITE = (
    "拒绝来自其他网站的请求（跨站请求）。请在本服务自己的页面上操作，必要时刷新页面后重试。"
)


def too_large_message(limit: int) -> str:
    return (
        f"上传的文件太大：超过 {limit // (1024 * 1024)} MB 的上限。"
        "年度报告工作簿通常不到 1 MB，请检查是否选错了文件。"
    )


class TooLarge(Exception):
    """The request body went over the upload limit."""


def cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is no cookie
                continue
    return {k: m.value for k, m in jar.items()}


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def make_session(secret: bytes) -> str:
    nonce = secrets.token_urlsafe(16)
    return nonce + "." + _sign(secret, nonce)


def _sign(secret: bytes, nonce: str) -> str:
    return hmac.new(secret, b"session:" + nonce.encode(), hashlib.sha256).hexdigest()


def valid_session(secret: bytes, value: str | None) -> bool:
    if not value or "." not in value:
        return False
    nonce, sig = value.rsplit(".", 1)
    return hmac.compare_digest(sig, _sign(secret, nonce))


def token_matches(settings: Settings, given: str | None) -> bool:
    return bool(settings.token and given) and hmac.compare_digest(
        str(given).encode("utf-8"), str(settings.token).encode("utf-8")
    )


def bearer(scope: Scope) -> str | None:
    value = header(scope, b"authorization")
    if value and value[:7].lower() == "bearer ":
        return value[7:].strip()
    return None


def wants_json(scope: Scope) -> bool:
    path = str(scope.get("path", ""))
    return path.startswith("/api/") or path in ("/openapi.json", "/docs")


async def reply(
    send: Send,
    status: int,
    message: str,
    scope: Scope,
    extra: list[tuple[bytes, bytes]] | None = None,
    html: bytes | None = None,
) -> None:
    if html is not None and not wants_json(scope):
        body, kind = html, b"text/html; charset=utf-8"
    else:
        body = json.dumps({"error": message, "status": status}, ensure_ascii=False).encode()
        kind = b"application/json"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    headers += extra or []
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """Wraps the application: host check, token, cross-site check, upload limit."""

    def __init__(
        self, app: ASGIApp, settings: Settings, login_page: Callable[[str], tuple[bytes, str]]
    ) -> None:
        self.app = app
        self.settings = settings
        self.login_page = login_page

    def authorised(self, scope: Scope) -> bool:
        if self.settings.token is None:
            return True
        if token_matches(self.settings, bearer(scope)):
            return True
        return valid_session(self.settings.secret, cookies(scope).get(SESSION_COOKIE))

    def host_ok(self, scope: Scope) -> bool:
        """On a loopback bind only loopback host names (a page of another site that made its
        name point at 127.0.0.1 — DNS rebinding — is refused)."""
        if not self.settings.loopback:
            return True
        host = header(scope, b"host")
        if host is None:
            return True
        name = urlsplit("//" + host).hostname or ""
        return name.lower() in LOOPBACK_NAMES or name.startswith("127.") or name == "::1"

    def cross_site(self, scope: Scope) -> bool:
        """An unsafe request a browser sent from another site, or without the page's CSRF
        token. A client that sends the token in Authorization is no browser acting on its own."""
        if scope["method"] not in UNSAFE or bearer(scope) is not None:
            return False
        origin = header(scope, b"origin")
        host = header(scope, b"host")
        if origin and origin != "null" and host and urlsplit(origin).netloc != host:
            return True
        if origin == "null":
            return True
        site = header(scope, b"sec-fetch-site")
        if site == "cross-site":
            return True
        from_browser = bool(origin or site or header(scope, b"cookie"))
        if not from_browser or str(scope.get("path")) == "/login":
            return False  # the login form carries its token in a field, checked by its route
        given = header(scope, b"x-csrf-token")
        expected = cookies(scope).get(CSRF_COOKIE)
        return not (given and expected and hmac.compare_digest(given, expected))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self.host_ok(scope):
            await reply(send, 400, WRONG_HOST, scope)
            return
        path = str(scope.get("path", ""))
        if not path.startswith(OPEN_PREFIXES) and not self.authorised(scope):
            extra = [(b"www-authenticate", b"Bearer")]
            page = None
            if scope["method"] == "GET" and not wants_json(scope):
                page, csrf = self.login_page(path)
                cookie = f"{CSRF_COOKIE}={csrf}; Path=/; SameSite=Strict"
                extra.append((b"set-cookie", cookie.encode("latin-1")))
            await reply(send, 401, NEED_LOGIN, scope, extra, page)
            return
        if self.cross_site(scope):
            await reply(send, 403, CROSS_SITE, scope)
            return
        limit = self.settings.max_upload + 64 * 1024  # the multipart envelope around a file
        length = header(scope, b"content-length")
        if length and length.isdigit() and int(length) > limit:
            await reply(send, 413, too_large_message(self.settings.max_upload), scope)
            return
        seen = 0

        async def bounded() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge(too_large_message(self.settings.max_upload))
            return message

        await self.app(scope, bounded, send)
