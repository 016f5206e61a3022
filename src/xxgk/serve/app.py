"""The application: the pages, the API, the static files, wrapped in the guard."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from xxgk import __version__
from xxgk.serve import api, county_api
from xxgk.serve.security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    SESSION_COOKIE,
    Guard,
    TooLarge,
    cookies,
    make_session,
    token_matches,
    too_large_message,
)
from xxgk.serve.settings import Settings
from xxgk.serve.store import Store

HERE = Path(__file__).parent
PAGES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "pages"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)
WRONG_TOKEN = "口令不正确，请重新输入。"
STATUS_TEXT = {
    400: "请求不正确。",
    404: "没有这个页面或接口。",
    405: "不支持这种请求方式。",
    422: "请求的参数不正确。",
}


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page, with the CSRF token its scripts send back (set as a cookie when new)."""
    token = cookies(request.scope).get(CSRF_COOKIE) or secrets.token_urlsafe(24)
    settings: Settings = request.app.state.settings
    html = PAGES.get_template(name).render(
        csrf=token, version=__version__, need_token=settings.token is not None, **context
    )
    response = HTMLResponse(html, status_code=status)
    if cookies(request.scope).get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=False, samesite="strict", path="/")
    return response


def login_html(csrf: str, error: str = "", next_path: str = "/") -> bytes:
    return (
        PAGES.get_template("login.html")
        .render(
            csrf=csrf,
            error=error,
            next=next_path,
            version=__version__,
            need_token=True,
            title="登录",
            active="",
        )
        .encode("utf-8")
    )


def safe_next(value: str) -> str:
    """Only a path on this server (never `//other.site` or `http://…`)."""
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def create_app(settings: Settings) -> Guard:
    app = FastAPI(
        title="xxgk serve：政府信息公开工作年度报告",
        version=__version__,
        description="校验、转换年度报告，汇总本地区各单位的报告。页面只使用这些接口。",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = Store(settings.data)
    app.include_router(api.router)
    app.include_router(county_api.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(TooLarge)
    async def too_large(request: Request, exc: TooLarge) -> Response:
        return JSONResponse({"error": too_large_message(settings.max_upload), "status": 413}, 413)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = STATUS_TEXT.get(exc.status_code, "请求未能完成。")
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message, "status": exc.status_code}, exc.status_code)
        return page(
            request, "error.html", exc.status_code, title="出错了", active="", message=message
        )

    @app.exception_handler(RequestValidationError)
    async def bad_params(request: Request, exc: RequestValidationError) -> Response:
        names = "、".join(str(e["loc"][-1]) for e in exc.errors())
        return JSONResponse({"error": f"参数不正确：{names}。", "status": 422}, 422)

    @app.get("/", include_in_schema=False)
    async def staff(request: Request) -> Response:
        return page(request, "staff.html", title="年度报告校验与转换", active="staff")

    @app.get("/county", include_in_schema=False)
    async def county_list(request: Request) -> Response:
        return page(request, "county_list.html", title="县（市）汇总", active="county")

    @app.get("/county/{cid}", include_in_schema=False)
    async def county_page(request: Request, cid: str) -> Response:
        return page(request, "county.html", title="县（市）汇总", active="county", cid=cid)

    @app.get("/county/{cid}/files/{fid}", include_in_schema=False)
    async def agency_page(request: Request, cid: str, fid: str) -> Response:
        return page(
            request, "agency.html", title="单位的校验结果", active="county", cid=cid, fid=fid
        )

    @app.get("/login", include_in_schema=False)
    async def login_form(request: Request, next: str = "/") -> Response:
        if settings.token is None:
            return RedirectResponse("/", 303)
        return page(request, "login.html", title="登录", active="", error="", next=safe_next(next))

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=5)
        given_csrf = str(form.get(CSRF_FIELD) or "")
        if not given_csrf or cookies(request.scope).get(CSRF_COOKIE) != given_csrf:
            return page(
                request,
                "login.html",
                403,
                title="登录",
                active="",
                error="页面已过期，请重新输入口令。",
                next="/",
            )
        next_path = safe_next(str(form.get("next") or "/"))
        if not token_matches(settings, str(form.get("token") or "")):
            return page(
                request,
                "login.html",
                401,
                title="登录",
                active="",
                error=WRONG_TOKEN,
                next=next_path,
            )
        response = RedirectResponse(next_path, 303)
        response.set_cookie(
            SESSION_COOKIE,
            make_session(settings.secret),
            httponly=True,
            samesite="strict",
            path="/",
        )
        return response

    def login_page(path: str) -> tuple[bytes, str]:
        csrf = secrets.token_urlsafe(24)
        return login_html(csrf, "", safe_next(path)), csrf

    return Guard(app, settings, login_page)
