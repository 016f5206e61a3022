"""The county collections' part of the JSON API (docs/serve.md)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from xxgk.aggregate.sums import is_summed_report
from xxgk.check.findings import counts
from xxgk.check.outcome import source_result, validate_document
from xxgk.files.atomic import os_reason
from xxgk.format.jsonio import dump_report
from xxgk.report.registry import RENDERERS, build_document
from xxgk.serve import county, inbox
from xxgk.serve.api import MEDIA, XLSX, attachment, media_of, problem
from xxgk.serve.store import (
    MAX_COLLECTION_NAME,
    MAX_EXPECTED,
    Collection,
    Store,
    StoredFile,
    StoreError,
    new_id,
    now,
)
from xxgk.serve.uploads import UploadError, read_at, read_form, suffix_of

router = APIRouter(prefix="/api/collections")
NOT_FOUND = "没有这个汇总集合（可能已被删除，或地址有误）。"
NO_FILE = "这个集合中没有该文件。"


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def collection_of(request: Request, cid: str) -> Collection | None:
    return store_of(request).get(cid)


def summary(col: Collection) -> dict[str, Any]:
    return {"id": col.id, "name": col.name, "created": col.created, "files": len(col.files)}


async def json_body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise UploadError(400, "请求内容应为 JSON 对象。")
    return body


@router.get("", summary="全部集合")
async def list_collections(request: Request) -> Response:
    cols = sorted(store_of(request).collections.values(), key=lambda c: c.created, reverse=True)
    return JSONResponse({"collections": [summary(c) for c in cols]})


@router.post("", summary="新建集合", status_code=201)
async def create_collection(request: Request) -> Response:
    """请求体 `{"name": "某县2024年度"}`。"""
    try:
        body = await json_body(request)
    except UploadError as exc:
        return problem(exc.status, exc.message)
    name = " ".join(str(body.get("name") or "").split())
    if not name or len(name) > MAX_COLLECTION_NAME:
        return problem(
            400, f"请填写集合名称（不超过 {MAX_COLLECTION_NAME} 个字），如“某县2024年度”。"
        )
    try:
        col = store_of(request).create(name)
    except StoreError as exc:
        return problem(500, str(exc))
    return JSONResponse(summary(col), status_code=201)


@router.get("/{cid}", summary="集合中的各单位")
async def get_collection(
    request: Request,
    cid: str,
    q: str = Query("", description="按单位名称查找"),
    status: str = Query("", description="passed、warnings、errors、unreadable 或 missing"),
    year: int | None = Query(None),
) -> Response:
    col = collection_of(request, cid)
    if col is None:
        return problem(404, NOT_FOUND)
    every = county.rows(col, year)
    shown = county.matching(every, q, status)
    tally = {s: sum(1 for r in every if r.status == s) for s in county.STATUS_LABEL}
    return JSONResponse(
        {
            **summary(col),
            "expected": col.expected,
            "years": county.years(col),
            "counts": tally,
            "rows": [r.to_json() for r in shown],
        }
    )


@router.put("/{cid}/expected", summary="应报单位名单")
async def set_expected(request: Request, cid: str) -> Response:
    """请求体 `{"agencies": ["某县教育局", …]}`。"""
    col = collection_of(request, cid)
    if col is None:
        return problem(404, NOT_FOUND)
    try:
        body = await json_body(request)
    except UploadError as exc:
        return problem(exc.status, exc.message)
    names = body.get("agencies")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return problem(400, "agencies 应为单位名称的列表。")
    clean: list[str] = []
    for n in names:
        n = " ".join(n.split())
        if n and n not in clean:
            clean.append(n[:100])
    if len(clean) > MAX_EXPECTED:
        return problem(400, f"名单最多 {MAX_EXPECTED} 个单位。")
    try:
        store_of(request).set_expected(col, clean)
    except StoreError as exc:
        return problem(500, str(exc))
    return JSONResponse({"expected": clean})


def _store_one(store: Store, col: Collection, name: str, data: bytes) -> dict[str, Any]:
    fid, suffix = new_id(), suffix_of(name)
    path = store.put_bytes(col, fid, suffix, data)
    try:
        entry, _ = county.entry_for(fid, name, suffix, len(data), read_at(path, name), now())
        old = store.add(col, entry)
    except BaseException:
        store.discard(col, fid, suffix)
        raise
    out: dict[str, Any] = {
        "file_id": entry.id,
        "name": entry.name,
        "agency": entry.agency,
        "year": entry.year,
        "status": entry.status,
        "status_label": county.STATUS_LABEL[entry.status],
        "errors": entry.errors,
        "warnings": entry.warnings,
        "replaced": None,
    }
    if old is not None:
        out["replaced"] = {"name": old.name, "uploaded_at": old.uploaded_at}
        who = entry.agency or entry.name
        out["message"] = f"已替换{who}此前上传的文件（{old.name}，{old.uploaded_at}）。"
    return out


@router.post("/{cid}/files", summary="上传工作簿（可多个）")
async def upload_files(request: Request, cid: str) -> Response:
    """字段 `file`，可重复。同一单位同一年度再次上传时替换此前的文件，答复中说明。"""
    col = collection_of(request, cid)
    if col is None:
        return problem(404, NOT_FOUND)
    try:
        files = await read_form(request)
    except UploadError as exc:
        return problem(exc.status, exc.message)
    uploads = files.get("file", [])
    if not uploads:
        return problem(400, "请在字段 file 中上传至少一个文件。")
    store = store_of(request)
    done = []
    try:
        for u in uploads:
            done.append(await run_in_threadpool(_store_one, store, col, u.name, u.data))
    except StoreError as exc:
        return JSONResponse({"error": str(exc), "status": 500, "stored": done}, status_code=500)
    return JSONResponse({"stored": done})


@router.get("/{cid}/folders", summary="可导入的文件夹（--data 下的「收件」中）")
async def list_folders(request: Request, cid: str) -> Response:
    """各单位的工作簿复制到 `--data/收件/<文件夹>/` 中后，列出这些文件夹和其中可导入的文件数。"""
    if collection_of(request, cid) is None:
        return problem(404, NOT_FOUND)
    data = request.app.state.settings.data

    def run() -> list[dict[str, Any]]:
        return [
            {"folder": f.name, "files": len(inbox.folder_files(data, f.name) or [])}
            for f in inbox.folders(data)
        ]

    return JSONResponse({"inbox": str(inbox.inbox(data)), "folders": await run_in_threadpool(run)})


@router.post("/{cid}/folder", summary="导入「收件」中的一个文件夹")
async def import_folder(request: Request, cid: str) -> Response:
    """JSON `{"folder": 名称}`：把该文件夹（含子文件夹）中的工作簿（.xlsx、.xlsm）、JSON 和已发布的
    年报（.html、.docx、.pdf、.txt、.md 等）逐个存入集合，
    与上传相同（同一单位同一年度替换此前的文件）；过大或读不出的文件列在 skipped 中。"""
    col = collection_of(request, cid)
    if col is None:
        return problem(404, NOT_FOUND)
    try:
        body = await json_body(request)
    except UploadError as exc:
        return problem(exc.status, exc.message)
    name = body.get("folder")
    settings = request.app.state.settings
    paths = inbox.folder_files(settings.data, name) if isinstance(name, str) else None
    if paths is None:
        return problem(404, f"「{inbox.INBOX}」文件夹中没有名为「{name}」的文件夹。")
    store = store_of(request)

    def run() -> dict[str, Any]:
        stored: list[dict[str, Any]] = []
        skipped: list[dict[str, str]] = []
        root = inbox.inbox(settings.data) / str(name)
        for path in paths:
            rel = path.relative_to(root).as_posix()
            try:
                if path.stat().st_size > settings.max_upload:
                    mb = settings.max_upload // (1024 * 1024)
                    skipped.append({"name": rel, "reason": f"文件超过 {mb} MB，未导入"})
                    continue
                data = path.read_bytes()
            except OSError as exc:
                skipped.append({"name": rel, "reason": f"无法读取（{os_reason(exc)}）"})
                continue
            stored.append(_store_one(store, col, rel, data))
        return {"folder": name, "stored": stored, "skipped": skipped}

    try:
        return JSONResponse(await run_in_threadpool(run))
    except StoreError as exc:
        return problem(500, str(exc))


@router.get("/{cid}/files/{fid}", summary="一个单位的问题")
async def file_findings(request: Request, cid: str, fid: str) -> Response:
    """答复该文件的校验结果（与 `xxgk validate --format json` 相同）和文件信息。"""
    col = collection_of(request, cid)
    f = col.file(fid) if col else None
    if col is None or f is None:
        return problem(404, NOT_FOUND if col is None else NO_FILE)
    store = store_of(request)

    def run() -> dict[str, Any]:
        source = read_at(store.file_path(col.id, f), f.name)
        return validate_document([source_result(f.name, source)])

    doc = await run_in_threadpool(run)
    row = county.Row(f.agency or f.name, f.year, f.status, f).to_json()
    return JSONResponse({"collection": summary(col), "file": row, "validate": doc})


@router.get("/{cid}/files/{fid}/original", summary="下载上传的原文件")
async def original(request: Request, cid: str, fid: str) -> Response:
    col = collection_of(request, cid)
    f = col.file(fid) if col else None
    if col is None or f is None:
        return problem(404, NOT_FOUND if col is None else NO_FILE)
    data = store_of(request).file_path(col.id, f).read_bytes()
    return attachment(data, f.name, media_of(f.suffix))


def _data_of(store: Store, col: Collection) -> Any:
    def data_of(f: StoredFile) -> Any:
        return read_at(store.file_path(col.id, f), f.name).data

    return data_of


@router.get("/{cid}/summary.csv", summary="汇总.csv")
async def summary_csv(
    request: Request, cid: str, q: str = "", status: str = "", year: int | None = None
) -> Response:
    """每个单位一行：状态、错误和警告数、主要数字；与页面上的筛选相同。"""
    col = collection_of(request, cid)
    if col is None:
        return problem(404, NOT_FOUND)
    shown = county.matching(county.rows(col, year), q, status)
    payload = await run_in_threadpool(county.summary_csv, shown, _data_of(store_of(request), col))
    return attachment(payload, "汇总.csv", "text/csv; charset=utf-8")


@router.get("/{cid}/reports.zip", summary="全部报告（zip）")
async def reports_zip(
    request: Request, cid: str, to: str = "docx", year: int | None = None
) -> Response:
    """没有错误的每份报告转换为 `to` 格式，按单位名称命名，另附 汇总.csv。"""
    col = collection_of(request, cid)
    if col is None:
        return problem(404, NOT_FOUND)
    if to not in RENDERERS:
        return problem(400, f"不支持的格式 {to!r}：可选 {'、'.join(RENDERERS)}。")
    store, renderer = store_of(request), RENDERERS[to]

    def run() -> bytes:
        items = []
        every = county.rows(col, year)
        for r in every:
            f = r.file
            if f is None or f.status not in (county.PASSED, county.WARNINGS):
                continue
            data = read_at(store.file_path(col.id, f), f.name).data
            doc = renderer.render_doc(build_document(data)) if renderer.render_doc else None
            items.append((f, doc if doc is not None else renderer.render(data)))
        csv_bytes = county.summary_csv(every, _data_of(store, col))
        return county.reports_zip(items, renderer.suffix, {"汇总.csv": csv_bytes})

    payload = await run_in_threadpool(run)
    return attachment(payload, f"{col.name}-全部报告.zip", "application/zip")


@router.get("/{cid}/aggregate", summary="本地区汇总报告")
async def summed_report(
    request: Request,
    cid: str,
    agency: str = Query(..., min_length=1, max_length=100, description="汇总报告的机关名称"),
    year: int = Query(..., ge=2021, le=2100),
    to: str = Query("xlsx", description="xlsx、json、docx、html 或 md"),
    address: str = "",
    postcode: str = "",
    phone: str = "",
) -> Response:
    """与 `xxgk aggregate` 相同：逐格相加纳入汇总的报告。

    xlsx 另有「各单位对比」和「未汇总单位」两张表。
    """
    col = collection_of(request, cid)
    if col is None:
        return problem(404, NOT_FOUND)
    if to != "xlsx" and to not in RENDERERS:
        return problem(400, f"不支持的格式 {to!r}。")
    store = store_of(request)

    def read(f: StoredFile) -> tuple[Any, int]:
        source = read_at(store.file_path(col.id, f), f.name)
        if is_summed_report(source.data):
            return source.data, 0
        found = source_result(f.name, source)["findings"]
        return source.data, counts(found)[0]

    def run() -> bytes:
        agg = county.summed(col, read, " ".join(agency.split()), year, address, postcode, phone)
        if to == "xlsx":
            from xxgk.aggregate.workbook import aggregate_workbook
            from xxgk.workbook.template import workbook_bytes

            wb, _ = aggregate_workbook(agg)
            return workbook_bytes(wb)
        if to == "json":
            return dump_report(agg.data).encode("utf-8")
        r = RENDERERS[to]
        return r.render_doc(build_document(agg.data)) if r.render_doc else r.render(agg.data)

    payload = await run_in_threadpool(run)
    suffix = ".xlsx" if to == "xlsx" else RENDERERS[to].suffix
    media = XLSX if to == "xlsx" else MEDIA.get(to, "application/octet-stream")
    return attachment(payload, f"{' '.join(agency.split())}{year}年汇总报告{suffix}", media)
