"""Converting one input (in a worker process or in-process): read, check, render every format
in memory, write temp files in the output folder. The parent names and places them.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xxgk.batch.summary import (
    CONVERTED,
    FAILED,
    FORCED,
    INVALID,
    TEMP_PREFIX,
    UNREADABLE,
    ItemResult,
)
from xxgk.check import findings as fc
from xxgk.check.findings import Finding
from xxgk.check.source import check_source
from xxgk.check.validate import sort_findings, validate
from xxgk.files.atomic import os_reason
from xxgk.files.errorlog import log_internal
from xxgk.files.pdf import PdfError, docx_to_pdf
from xxgk.files.previous import PreviousReports, load_previous
from xxgk.files.read import FD_FLAGS, read_source
from xxgk.format.jsonio import dump_report_bytes, dump_report_checked
from xxgk.format.packaged import packaged_bytes
from xxgk.format.paths import is_whole
from xxgk.report.registry import DERIVED, RENDERERS, build_document
from xxgk.workbook.core import compile_builder
from xxgk.workbook.reader import read_workbook


@dataclass(slots=True)  # one per input for the whole run: no __dict__ each
class Task:
    index: int
    path: str
    outdir: str
    formats: tuple[str, ...]
    force: bool
    tag: str  # this run's temp-file tag
    previous: str | None = None  # --previous LAST: last year's report(s), read once per process
    soffice: str | None = None  # LibreOffice, when the PDF is asked for
    importing: bool = False  # xxgk import: a published report → its JSON, findings as read


MAX_PROBLEMS = 3  # findings of one input listed in the summary and on the screen


def _place(f: Finding) -> str:
    if (f.sheet and f.cell) or f.source:
        return f.located
    return f.message


def temp_name(tag: str, index: int, fmt: str) -> str:
    return f"{TEMP_PREFIX}{tag}-{index}.{fmt}"


def convert_one(task: Task) -> ItemResult:
    """Read, check and render one input; outputs go to temp files in the output folder."""
    path = Path(task.path)
    result = ItemResult(task.index, task.path, CONVERTED)
    try:
        source = read_source(path)
        if not source.readable:
            result.status, result.errors = UNREADABLE, 1
            # a workbook that is not our template says so by its code (WB_NOT_TEMPLATE, …)
            code = source.findings[0].code if source.findings else fc.FILE_UNREADABLE
            result.first_error = without_path(source.error or "", task.path)
            result.first_error_code = code
            return result
        last = previous_reports(task.previous).pick(source) if task.previous else None
        if task.importing:
            # what reading found, located in the source; `xxgk validate` checks the rest
            # errors first: the few lines on the screen are the ones to check against the source
            found = sorted(sort_findings(source.findings), key=lambda f: not f.is_error)
            result.kind, result.layout = source.kind, source.layout
            result.findings = [f.to_dict() for f in found]
        else:
            found = check_source(source, last)
        _tally(found, result)
        result.problems = [f"{f.code} {_place(f)}" for f in found[:MAX_PROBLEMS]]
        data = source.data
        if isinstance(data, dict):
            agency = data.get("agency")
            name = agency.get("name") if isinstance(agency, dict) else None
            result.agency = name if isinstance(name, str) else None
            year = data.get("year")
            result.year = year if is_whole(year) else None
        first = next((f for f in found if f.is_error), None)
        if first is not None:
            result.first_error, result.first_error_code = _place(first), first.code
            if not task.force:
                result.status = INVALID
                return result
            result.status = FORCED
        last_data = last.data if last is not None and isinstance(last.data, dict) else None
        rendered = _render_all(data, task.formats, result, last_data)
        if rendered is None:
            return result
        try:
            _derive(task, rendered)
        except PdfError as exc:  # LibreOffice failed on this one: no output for it, as above
            return fail(result, fc.CONVERT_PDF, file=task.path, detail=str(exc))
        try:
            _write_temps(task, rendered, result)
        except OSError as exc:  # disk full, no permission, output folder removed meanwhile
            remove_temps(task.outdir, result.temps.values())
            result.temps = {}
            detail = os_reason(exc)
            fail(result, fc.OUTPUT_WRITE, file=task.path, outdir=task.outdir, detail=detail)
    except (KeyboardInterrupt, SystemExit):
        remove_temps(task.outdir, result.temps.values())
        raise
    except BaseException as exc:  # a bug in a reader or renderer must not stop the batch
        # BaseException: a panic inside a Rust extension (python-calamine) is not an Exception.
        remove_temps(task.outdir, result.temps.values())
        result.temps = {}
        where = log_internal(exc, f"转换 {task.path}")
        logged = f"详细信息已写入日志 {where}" if where else "详细信息未能写入日志"
        detail = f"{exc.__class__.__name__}；{logged}"
        fail(result, fc.CONVERT_INTERNAL, file=task.path, detail=detail)
    return result


def _tally(found: list[Finding], result: ItemResult) -> None:
    """The errors and warnings counted, and the codes of each (once each, in the order found),
    in one pass: three (`counts`, a generator for each list) took twice as long in the run."""
    errors: dict[str, None] = {}
    warnings: dict[str, None] = {}
    count = 0
    for f in found:
        if f.severity == fc.ERROR:
            errors[f.code] = None
            count += 1
        else:
            warnings[f.code] = None
    result.errors, result.warnings = count, len(found) - count
    result.error_codes, result.warning_codes = list(errors), list(warnings)


@functools.cache
def previous_reports(path: str) -> PreviousReports:
    return load_previous(Path(path))  # the parent checked it loads (PreviousError → exit 3)


def _render_all(
    data: Any, formats: Iterable[str], result: ItemResult, last: dict[str, Any] | None = None
) -> dict[str, bytes] | None:
    """Every format in memory first: one that fails means none is written for this input.
    The report model is built once and shared by the narrative formats (DOCX, HTML, MD);
    `last` (last year's report, from --previous) goes to the formats that show the change."""
    out = {}
    document = None
    clean = False  # known that the cleaning step changes nothing in `data` (see below)
    wanted = list(formats)
    for fmt in formats:
        if fmt in DERIVED and DERIVED[fmt].source not in wanted:
            wanted.append(DERIVED[fmt].source)  # rendered for it, not written (see `_derive`)
    for fmt in (f for f in wanted if f in RENDERERS):
        renderer = RENDERERS[fmt]
        try:
            if renderer.render_last is not None and last is not None:
                out[fmt] = renderer.render_last(data, last)
            elif renderer.render is dump_report_bytes:
                # the JSON's walk tells the model whether it need clean the data's text again
                out[fmt], clean = dump_report_checked(data)
            elif renderer.render_doc is None:
                out[fmt] = renderer.render(data)
            else:
                if document is None:
                    document = build_document(data, clean)
                out[fmt] = renderer.render_doc(document)
        except Exception as exc:
            if result.status != FORCED:
                raise
            # Data with errors may be beyond what a renderer can draw; say so, write nothing.
            result.status = INVALID
            result.note = f"有错误，--force 也无法生成 {fmt}（{exc.__class__.__name__}）。"
            return None
    return out


def _derive(task: Task, rendered: dict[str, bytes]) -> None:
    """The derived formats (PDF) from their sources' bytes; a source that was not asked for
    is dropped afterwards."""
    for fmt in task.formats:
        if fmt == "pdf":
            if task.soffice is None:
                raise PdfError("没有找到 LibreOffice")
            rendered[fmt] = docx_to_pdf(rendered[DERIVED[fmt].source], task.soffice)
    for fmt in list(rendered):
        if fmt not in task.formats:
            del rendered[fmt]


# the flags `open(path, "wb")` uses
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | FD_FLAGS


def _write_temps(task: Task, rendered: dict[str, bytes], result: ItemResult) -> None:
    for fmt, payload in rendered.items():
        name = temp_name(task.tag, task.index, fmt)
        result.temps[fmt] = name  # recorded first, so a failed write is cleaned up too
        write_file(os.path.join(task.outdir, name), payload)


def write_file(path: str, payload: bytes) -> None:
    """`open(path, "wb").write(payload)` in three system calls, not six (no fstat, isatty or
    seek of a buffered file): each input writes three of them."""
    fd = os.open(path, _NEW_FILE, 0o666)
    try:
        view = memoryview(payload)
        while view:  # a short write (the disk filling up) goes on, to the error
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def remove_temps(outdir: str, names: Iterable[str]) -> None:
    for name in names:
        with contextlib.suppress(FileNotFoundError):
            os.remove(os.path.join(outdir, name))


def worker_init(formats: tuple[str, ...]) -> None:
    # Ctrl-C goes to the whole process group; only the parent handles it, and kills us. SIGTERM
    # keeps its default (the pool's own clean-up of a broken pool terminates workers with it).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up(formats)  # a no-op where the pool forked from a warmed-up parent


_WARM: set[str] = set()


def warm_up(formats: Iterable[str]) -> None:
    """Build the validator and the renderers' templates once, on the bundled example.

    Done in the parent before a forking pool starts, so that workers share it instead of each
    paying it again. A renderer that fails here is a bug of ours: it goes to the error log, and
    the conversion of each input then reports it as that input's internal error.
    """
    todo = [f for f in formats if f not in _WARM and f in RENDERERS]
    if not todo:
        return
    data = json.loads(packaged_bytes("xxgk", "examples", "seed-2024.json"))
    validate(data)
    # the reading path's first uses too (the styles probe and python-calamine, the layout, its
    # patterns, the data builder, else compiled at a process's second workbook): a worker's
    # first 16 files took it 2.5 times as long as later ones
    example = packaged_bytes("xxgk", "examples", "seed-2024.xlsx")
    try:
        check_source(read_workbook(example, Path("seed-2024.xlsx")))
        compile_builder()
    except Exception as exc:
        log_internal(exc, "预先读取示例工作簿（批量转换开始前）")
    for fmt in todo:
        try:
            RENDERERS[fmt].render(data)
        except Exception as exc:
            log_internal(exc, f"预先生成 {fmt} 格式（批量转换开始前）")
    _WARM.update(todo)


def convert_chunk(tasks: list[Task]) -> list[ItemResult]:
    return [convert_one(task) for task in tasks]


def crashed(task: Task) -> ItemResult:
    return fail(ItemResult(task.index, task.path, FAILED), fc.CONVERT_WORKER_DIED, file=task.path)


def fail(item: ItemResult, code: str, **args: Any) -> ItemResult:
    """The input could not be finished: no outputs, one error, the catalogue's message."""
    item.status, item.errors = FAILED, item.errors + 1
    item.first_error = without_path(fc.make(code, "", **args).message, item.path)
    item.first_error_code = code
    return item


def without_path(message: str, path: str) -> str:
    """The reason alone: the summary and the problem list name the input beside it already
    (readers and the catalogue start their messages with the file for other callers)."""
    return message.removeprefix(f"{path}：")
