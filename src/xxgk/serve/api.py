"""The JSON API behind the pages (docs/serve.md; the OpenAPI document at /openapi.json).

Every answer is what the command line would give for the same file: `/api/validate` answers
the `xxgk validate --format json` document, `/api/convert` the bytes `xxgk convert` writes.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from xxgk.check.outcome import source_result, validate_document
from xxgk.check.source import Source
from xxgk.report.registry import RENDERERS, build_document
from xxgk.serve.uploads import Upload, UploadError, one_file, optional_file, read_form, read_upload
from xxgk.workbook.annotate import CannotOpen, annotate_bytes
from xxgk.workbook.template import build_template, workbook_bytes

router = APIRouter(prefix="/api")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "png": "image/png",
    "svg": "image/svg+xml",
}
# An uploaded original sent back as it came. A web page goes as bytes to save, never as
# text/html: someone else's page must not run in this server's origin.
ORIGINAL_MEDIA = {
    ".xlsx": XLSX,
    ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
    ".json": "application/json",
    ".docx": MEDIA["docx"],
    ".pdf": "application/pdf",
}


def media_of(suffix: str) -> str:
    return ORIGINAL_MEDIA.get(suffix.lower(), "application/octet-stream")


UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "工作簿或 JSON 报告",
                        },
                        "previous": {
                            "type": "string",
                            "format": "binary",
                            "description": "上年报告（可不传）",
                        },
                    },
                }
            }
        },
    }
}


def problem(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message, "status": status}, status_code=status)


def document_response(doc: dict[str, Any], status: int = 200) -> Response:
    """The validate document as the bytes `xxgk validate --format json` prints."""
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    return Response(text.encode("utf-8"), status, media_type="application/json")


def attachment(payload: bytes, filename: str, media: str) -> Response:
    ascii_name = "".join(c if c.isascii() and c.isalnum() or c in "._-" else "_" for c in filename)
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(payload, media_type=media, headers={"content-disposition": disposition})


def stem_of(name: str) -> str:
    from xxgk.batch.names import safe_stem

    stem = name.rsplit(".", 1)[0] if "." in name else name
    return safe_stem(stem) or "报告"


class Checked:
    """One upload read and checked (with last year's report when one came beside it)."""

    def __init__(self, upload: Upload, previous: Upload | None) -> None:
        self.upload = upload
        self.source: Source = read_upload(upload)
        self.previous_error: str | None = None
        last: Source | None = None
        if previous is not None and self.source.readable:
            prev = read_upload(previous)
            if not prev.readable:
                self.previous_error = prev.error or f"{previous.name}：无法读取"
                self.previous_name = previous.name
            else:
                last = prev
        self.result = source_result(upload.name, self.source, last)
        self.document = validate_document([self.result])
        if self.previous_error is not None:  # as `validate --previous` does: that file named
            from xxgk.check.outcome import unreadable_finding

            self.document = {
                "valid": False,
                "errors": 1,
                "warnings": 0,
                "files": [
                    {
                        "path": self.previous_name,
                        "valid": False,
                        "findings": [unreadable_finding(self.previous_error)],
                    }
                ],
            }


async def checked(request: Request) -> Checked:
    files = await read_form(request)
    upload = one_file(files)
    previous = optional_file(files, "previous")
    return await run_in_threadpool(Checked, upload, previous)


@router.post("/validate", openapi_extra=UPLOAD_BODY, summary="校验一个文件")
async def validate(request: Request) -> Response:
    """答复与 `xxgk validate --format json 文件` 打印的 JSON 完全相同。"""
    try:
        c = await checked(request)
    except UploadError as exc:
        return problem(exc.status, exc.message)
    return document_response(c.document)


@router.post("/convert", openapi_extra=UPLOAD_BODY, summary="转换一个文件")
async def convert(
    request: Request,
    to: str = Query("docx", description="docx、html、md、json，或图解 png、svg"),
    force: int = Query(0, description="1：有错误也转换"),
) -> Response:
    """答复转换后的文件；有错误时答复 422 和校验结果（force=1 时照样转换）。"""
    if to not in RENDERERS:
        return problem(400, f"不支持的格式 {to!r}：可选 {'、'.join(RENDERERS)}。")
    try:
        c = await checked(request)
    except UploadError as exc:
        return problem(exc.status, exc.message)
    blocked = not c.source.readable or c.previous_error is not None
    if blocked or (not c.document["valid"] and not force):
        return document_response(c.document, 422)
    renderer = RENDERERS[to]

    def render() -> bytes:
        if renderer.render_doc is not None:
            return renderer.render_doc(build_document(c.source.data))
        return renderer.render(c.source.data)

    payload = await run_in_threadpool(render)
    return attachment(
        payload, stem_of(c.upload.name) + renderer.suffix, MEDIA.get(to, "application/octet-stream")
    )


@router.post("/annotate", openapi_extra=UPLOAD_BODY, summary="带标记的副本")
async def annotate(request: Request) -> Response:
    """答复工作簿的带标记副本（`xxgk validate --annotate` 写出的同一文件）。"""
    try:
        c = await checked(request)
    except UploadError as exc:
        return problem(exc.status, exc.message)
    if not c.source.readable:
        return document_response(c.document, 422)
    if c.source.locator is None:
        return problem(400, "只有工作簿（.xlsx）才能生成带标记的副本；JSON 报告请看校验结果。")
    found = c.result["findings"]
    name = c.upload.name
    try:
        payload = await run_in_threadpool(
            annotate_bytes, c.upload.data, name, found, name.lower().endswith(".xlsm")
        )
    except CannotOpen as exc:
        return problem(422, str(exc))
    suffix = ".xlsm" if name.lower().endswith(".xlsm") else ".xlsx"
    return attachment(payload, stem_of(name) + ".校验" + suffix, XLSX)


@router.get("/template", summary="下载模板")
async def template(
    agency: str = Query("", max_length=100, description="机关名称（可不填）"),
    year: str = Query("", description="年度，2021–2100（可不填）"),
) -> Response:
    """答复 Excel 模板；给了机关名称和年度时预先填好。"""
    y: int | None = None
    if year.strip():
        try:
            y = int(year.strip().removesuffix("年"))
        except ValueError:
            y = None
        if y is None or not 2021 <= y <= 2100:
            return problem(400, "年度应为 2021 到 2100 之间的整数，如 2024。")
    name = " ".join(agency.split()) or None
    payload = await run_in_threadpool(lambda: workbook_bytes(build_template(name, y)))
    stem = stem_of(f"{name or ''}{f'{y}年' if y else ''}年报模板.xlsx")
    return attachment(payload, stem + ".xlsx", XLSX)
