"""Batch conversion: many inputs → report files in one output folder, plus a summary.

The library half of `xxgk convert`: finding the inputs, converting each one (read, check,
render, write to a temp file), naming and moving the outputs into place, removing stale
outputs of a previous run, and writing `summary.json` and `汇总.csv`. It prints nothing; the
click command in `cli_convert.py` wraps it.

Policy, in one place:
- An input with errors is reported and NOT converted, unless `force`; then whatever the
  renderers can make of it is written and its status says so.
- Each input's outputs are rendered fully in memory first, then written to temp files inside
  the output folder, and only then renamed (`os.replace`) to their final names by the parent
  process, which alone decides names so that they are deterministic whatever `jobs` is.
- Re-running into the same folder: outputs the previous `summary.json` lists for an input of
  this run, and that this run does not write again, are deleted. Nothing else is ever deleted.
- One input's failure is that input's status, never the run's end: unreadable, invalid, a
  renderer bug, a worker process that dies, an output that cannot be replaced.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import glob
import io
import json
import os
import re
import secrets
import signal
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from . import findings as fc
from .atomic import os_reason, write_atomic
from .filekind import OTHER_SPREADSHEET_SUFFIXES
from .findings import Finding, counts
from .previous import normalise_agency
from .previous_files import PreviousReports, load_previous
from .renderers import RENDERERS, build_document
from .sources import INPUT_SUFFIXES, check_source, read_source
from .validate import validate

SUMMARY_JSON = "summary.json"
SUMMARY_CSV = "汇总.csv"
# Folder scans also pick up old .xls and other programs' spreadsheets (.ods, .et) so that the
# reader can say clearly why they cannot be read, instead of silently leaving a report out.
SCAN_SUFFIXES = INPUT_SUFFIXES | OTHER_SPREADSHEET_SUFFIXES
TEMP_PREFIX = ".xxgk-tmp-"
MAX_STEM_CHARS = 60
MAX_STEM_BYTES = 180  # leaves room for "-99.html" under the 255-byte limit of most filesystems

# Status of one input in the summary.
CONVERTED = "converted"  # no errors; every requested format written
FORCED = "converted_with_errors"  # had errors, written anyway because of --force
INVALID = "invalid"  # had errors; nothing written
UNREADABLE = "unreadable"  # could not be read at all
FAILED = "failed"  # an internal error while converting (a bug): nothing written
INTERRUPTED = "interrupted"  # not processed because the run was stopped (Ctrl-C)
STATUSES = (CONVERTED, FORCED, INVALID, UNREADABLE, FAILED, INTERRUPTED)
STATUS_LABEL = {
    CONVERTED: "已转换",
    FORCED: "有错误，已强制转换",
    INVALID: "有错误，未转换",
    UNREADABLE: "无法读取",
    FAILED: "内部错误，未转换",
    INTERRUPTED: "已中断，未处理",
}


class InputError(Exception):
    """The command line names inputs that do not exist or hold nothing to convert (usage)."""


# -- finding the inputs -----------------------------------------------------------------------

_GLOB_CHARS = re.compile(r"[*?\[]")
# What xxgk itself wrote earlier, found again in a searched folder or glob: never an input
# there (a file named on the command line is taken whatever it is). Each kind is said once.
SKIP_SUMMARY = "summary"
SKIP_MANIFEST = "manifest"
SKIP_ANNOTATED = "annotated"
SKIP_OUTPUT = "output"
SKIP_LABEL = {
    SKIP_SUMMARY: "由 xxgk convert 写出的汇总文件（summary.json）",
    SKIP_MANIFEST: "由 xxgk aggregate 写出的清单文件（*.manifest.json）",
    SKIP_ANNOTATED: "由 xxgk validate --annotate 写出的校验副本（*.校验.xlsx）",
    SKIP_OUTPUT: "以前转换输出的文件（所在文件夹的 summary.json 列有它们）",
}
MANIFEST_SUFFIX = ".manifest.json"  # cli_aggregate.output_paths
# annotate.annotated_name: report.xlsx → report.校验.xlsx; annotate_all adds -2, -3 on a clash.
_ANNOTATED = re.compile(r"\.校验(?:-\d+)?\.xls[xm]$", re.IGNORECASE)
SUMMARY_KEYS = frozenset({"interrupted", "formats", "force", "totals", "files"})
_SUMMARY_PEEK = 256
MAX_SUMMARY_BYTES = 64 * 1024 * 1024


class Skipped:
    """What discovery left out, by kind, for one line each on stderr."""

    def __init__(self) -> None:
        self.by_kind: dict[str, list[Path]] = {}

    def add(self, kind: str, path: Path) -> None:
        self.by_kind.setdefault(kind, []).append(path)

    def total(self) -> int:
        return sum(len(v) for v in self.by_kind.values())

    def lines(self) -> list[str]:
        return [
            f"已跳过 {len(self.by_kind[kind])} 个{label}；要处理其中的文件，请直接写出文件名。"
            for kind, label in SKIP_LABEL.items()
            if self.by_kind.get(kind)
        ]


def _skipped_name(name: str) -> bool:
    """Office lock files (~$x.xlsx) and hidden files are never inputs."""
    return name.startswith(("~$", "."))


def _resolved(path: Path) -> str:
    return os.path.normcase(str(path.resolve()))


def summary_outputs(doc: Any) -> dict[str, list[str]] | None:
    """Input → output names, if `doc` is a summary.json that `xxgk convert` wrote; else None."""
    if not isinstance(doc, dict) or not doc.keys() >= SUMMARY_KEYS:
        return None
    files = doc["files"]
    if not isinstance(files, list):
        return None
    out: dict[str, list[str]] = {}
    for entry in files:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            return None
        outputs = entry.get("outputs", [])
        out[_key(entry["path"])] = [
            n
            for n in (outputs if isinstance(outputs, list) else [])
            # Only plain names in this folder: a tampered summary cannot delete elsewhere.
            if isinstance(n, str) and n == Path(n).name and n not in ("", ".", "..")
        ]
    return out


def _read_summary(path: Path) -> dict[str, list[str]] | None:
    """The outputs a summary file lists, or None if it is not one (or cannot be read)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_SUMMARY_PEEK)
            # Cheap first: every .json of a folder passes here, and a report never starts so.
            if path.name.casefold() != SUMMARY_JSON and not (
                head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and b'"interrupted"' in head
            ):
                return None
            if os.fstat(fh.fileno()).st_size > MAX_SUMMARY_BYTES:
                return None
            raw = head + fh.read()
        return summary_outputs(json.loads(raw.decode("utf-8-sig")))
    except (OSError, ValueError, RecursionError):
        return None


class _Own:
    """What xxgk wrote earlier where we search: the output folder of this run (not searched
    when inside a searched folder; its files never inputs) and, in any folder searched, a
    summary.json and the outputs it lists."""

    def __init__(self, outdir: Path | None, skipped: Skipped) -> None:
        self.dir = _resolved(outdir) if outdir is not None else None
        self.skipped = skipped
        self.files: set[str] = set()
        if outdir is not None:
            names = {SUMMARY_JSON, SUMMARY_CSV}
            names.update(n for outs in _previous_outputs(outdir).values() for n in outs)
            self.files = {_resolved(outdir / n) for n in names}
        self._outputs: dict[str, set[str]] = {}  # folder → output names its summary lists

    def prune(self, folder: Path) -> bool:
        """The output folder inside a searched folder is not searched."""
        return self.dir is not None and _resolved(folder) == self.dir

    def outputs_in(self, folder: Path) -> set[str]:
        key = str(folder)  # as found: one summary read per folder, no resolve() per file
        if key not in self._outputs:
            listed = _read_summary(folder / SUMMARY_JSON) or {}
            self._outputs[key] = {os.path.normcase(n) for outs in listed.values() for n in outs}
        return self._outputs[key]

    def kind(self, path: Path) -> str | None:
        """Why `path` (found by a search) is not an input, or None if it is one."""
        name = path.name
        folded = name.casefold()
        if folded.endswith(MANIFEST_SUFFIX):
            return SKIP_MANIFEST
        if _ANNOTATED.search(name):
            return SKIP_ANNOTATED
        if folded.endswith(".json") and _read_summary(path) is not None:
            return SKIP_SUMMARY
        if os.path.normcase(name) in self.outputs_in(path.parent) or (
            self.files and _resolved(path) in self.files
        ):
            return SKIP_OUTPUT
        return None

    def wanted(self, path: Path) -> bool:
        if path.suffix.lower() not in SCAN_SUFFIXES or _skipped_name(path.name):
            return False
        kind = self.kind(path)
        if kind is None:
            return True
        self.skipped.add(kind, path)
        return False


def _scan_folder(folder: Path, own: _Own) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = [d for d in dirs if not _skipped_name(d) and not own.prune(here / d)]
        found.extend(here / name for name in files if own.wanted(here / name))
    # Deterministic whatever the filesystem's listing order: by path components.
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def discover(
    inputs: Sequence[str], exclude: Path | None = None, skipped: Skipped | None = None
) -> list[Path]:
    """Expand files, folders (recursively) and globs, in argument order, without duplicates.

    `exclude` is the output folder: when it lies inside a searched folder it is not searched.
    What xxgk wrote earlier is not taken from a folder or a glob: summary.json files (known by
    their content), aggregate manifests, annotated copies (`*.校验.xlsx`), the outputs a
    summary.json lists in its folder, the files of `exclude`; `skipped` collects them. A file
    named explicitly is taken whatever it is. Raises InputError for an argument that matches
    nothing (to take).
    """
    skipped = skipped if skipped is not None else Skipped()
    own = _Own(exclude, skipped)
    out: list[Path] = []
    seen: set[str] = set()

    def add(path: Path) -> None:
        key = _resolved(path)
        if key not in seen:
            seen.add(key)
            out.append(path)

    for arg in inputs:
        path = Path(arg)
        before = skipped.total()
        if path.is_dir():
            found = _scan_folder(path, own)
            if not found:
                raise InputError(
                    f"文件夹 {arg} 里没有 .xlsx、.xlsm 或 .json 文件"
                    + _only(skipped.total() - before)
                )
        elif path.is_file():
            found = [path]  # named explicitly: converted whatever its suffix or name
        elif _GLOB_CHARS.search(arg):
            # Windows shells pass globs through unexpanded; expand them here for every shell.
            found = []
            for match in map(Path, sorted(glob.glob(arg, recursive=True))):
                if match.is_dir():
                    found.extend(_scan_folder(match, own))
                elif own.wanted(match):
                    found.append(match)
            if not found:
                raise InputError(
                    f"没有与 {arg} 匹配的 .xlsx、.xlsm 或 .json 文件"
                    + _only(skipped.total() - before)
                )
        else:
            raise InputError(f"找不到输入 {arg}。请检查路径是否写对。")
        for p in found:
            add(p)
    return out


def _only(n: int) -> str:
    if not n:
        return "。"
    return f"（只有 {n} 个 xxgk 以前写出的文件，已跳过；要处理它们，请直接写出文件名）。"


# -- safe, deterministic output names ---------------------------------------------------------

_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f]+')
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}
# Stems the output folder's own files use; an agency can never take them.
_OWN_STEMS = {Path(SUMMARY_JSON).stem.casefold(), Path(SUMMARY_CSV).stem.casefold()}


def safe_stem(text: str) -> str:
    """A file name stem that every common filesystem (Windows included) accepts, or ''."""
    text = unicodedata.normalize("NFC", text)
    text = _FORBIDDEN.sub("_", text)
    text = " ".join(text.split())  # newlines, tabs and runs of spaces → one space
    text = text.strip(" ._")  # Windows drops trailing dots/spaces; leading dots hide files
    if len(text) > MAX_STEM_CHARS:
        text = text[:MAX_STEM_CHARS]
    while len(text.encode("utf-8")) > MAX_STEM_BYTES:
        text = text[:-1]
    text = text.rstrip(" .")
    if text.split(".", 1)[0].casefold() in _RESERVED:
        text = "_" + text
    return text


def output_stem(agency: Any, year: Any, fallback: str) -> str:
    """`<机关名称>-<年度>` from the data, else the input's own file name."""
    name = safe_stem(agency) if isinstance(agency, str) else ""
    if not name:
        name = safe_stem(fallback) or "报告"
    if isinstance(year, int) and not isinstance(year, bool):
        name = f"{name}-{year}"
    return name


class NameAllocator:
    """Hands out stems unique within one run, case-insensitively (Windows, macOS).

    `reserved` are file names that must never be written: the inputs that sit in the output
    folder itself (converting a folder into itself must not overwrite a report with another).
    """

    def __init__(self, reserved: Iterable[str] = (), suffixes: Iterable[str] = ()) -> None:
        self._taken: set[str] = set(_OWN_STEMS)
        self._reserved = {name.casefold() for name in reserved}
        self._suffixes = tuple(suffixes)

    def _free(self, candidate: str) -> bool:
        folded = candidate.casefold()
        return folded not in self._taken and not any(
            (folded + suffix).casefold() in self._reserved for suffix in self._suffixes
        )

    def take(self, stem: str) -> str:
        candidate, n = stem, 1
        while not self._free(candidate):
            n += 1
            candidate = f"{stem}-{n}"
        self._taken.add(candidate.casefold())
        return candidate


# -- converting one input (runs in a worker process) ------------------------------------------


@dataclass
class Task:
    index: int
    path: str
    outdir: str
    formats: tuple[str, ...]
    force: bool
    tag: str  # this run's temp-file tag
    previous: str | None = None  # --previous LAST: last year's report(s), read once per process


@dataclass
class ItemResult:
    """What the summary says about one input; `temps` are not yet renamed outputs."""

    index: int
    path: str
    status: str
    errors: int = 0
    warnings: int = 0
    first_error: str | None = None
    first_error_code: str | None = None
    agency: str | None = None
    year: int | None = None
    note: str | None = None
    duplicate_of: str | None = None  # an earlier input of this run with the same agency and year
    temps: dict[str, str] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)


def _place(f: Finding) -> str:
    if f.sheet and f.cell:
        return f"{f.sheet}!{f.cell}：{f.message}"
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
            result.first_error = _without_path(source.error or "", task.path)
            result.first_error_code = code
            return result
        last = _previous(task.previous).pick(source) if task.previous else None
        found = check_source(source, last)
        result.errors, result.warnings = counts(found)
        data = source.data
        if isinstance(data, dict):
            agency = data.get("agency")
            name = agency.get("name") if isinstance(agency, dict) else None
            result.agency = name if isinstance(name, str) else None
            year = data.get("year")
            result.year = year if isinstance(year, int) and not isinstance(year, bool) else None
        first = next((f for f in found if f.is_error), None)
        if first is not None:
            result.first_error, result.first_error_code = _place(first), first.code
            if not task.force:
                result.status = INVALID
                return result
            result.status = FORCED
        rendered = _render_all(data, task.formats, result)
        if rendered is None:
            return result
        try:
            _write_temps(task, rendered, result)
        except OSError as exc:  # disk full, no permission, output folder removed meanwhile
            _remove_temps(task.outdir, result.temps.values())
            result.temps = {}
            detail = os_reason(exc)
            _fail(result, fc.OUTPUT_WRITE, file=task.path, outdir=task.outdir, detail=detail)
    except (KeyboardInterrupt, SystemExit):
        _remove_temps(task.outdir, result.temps.values())
        raise
    except BaseException as exc:  # a bug in a reader or renderer must not stop the batch
        # BaseException: a panic inside a Rust extension (python-calamine) is not an Exception.
        _remove_temps(task.outdir, result.temps.values())
        result.temps = {}
        detail = f"{exc.__class__.__name__}: {exc}"
        _fail(result, fc.CONVERT_INTERNAL, file=task.path, detail=detail)
    return result


@functools.cache
def _previous(path: str) -> PreviousReports:
    return load_previous(Path(path))  # the parent checked it loads (PreviousError → exit 3)


def _render_all(data: Any, formats: Iterable[str], result: ItemResult) -> dict[str, bytes] | None:
    """Every format in memory first: one that fails means none is written for this input.
    The report model is built once and shared by the narrative formats (DOCX, HTML, MD)."""
    out = {}
    document = None
    for fmt in formats:
        renderer = RENDERERS[fmt]
        try:
            if renderer.render_doc is None:
                out[fmt] = renderer.render(data)
            else:
                if document is None:
                    document = build_document(data)
                out[fmt] = renderer.render_doc(document)
        except Exception as exc:
            if result.status != FORCED:
                raise
            # Data with errors may be beyond what a renderer can draw; say so, write nothing.
            result.status = INVALID
            result.note = f"有错误，--force 也无法生成 {fmt}（{exc.__class__.__name__}）。"
            return None
    return out


def _write_temps(task: Task, rendered: dict[str, bytes], result: ItemResult) -> None:
    for fmt, payload in rendered.items():
        name = temp_name(task.tag, task.index, fmt)
        result.temps[fmt] = name  # recorded first, so a failed write is cleaned up too
        with open(os.path.join(task.outdir, name), "wb") as fh:
            fh.write(payload)


def _remove_temps(outdir: str, names: Iterable[str]) -> None:
    for name in names:
        with contextlib.suppress(FileNotFoundError):
            os.remove(os.path.join(outdir, name))


def _worker_init(formats: tuple[str, ...]) -> None:
    # Ctrl-C goes to the whole process group; only the parent handles it, and terminates us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up(formats)  # a no-op where the pool forked from a warmed-up parent


_WARM: set[str] = set()


def warm_up(formats: Iterable[str]) -> None:
    """Import the reader, build the validator and the renderers' templates once.

    Done in the parent before a forking pool starts, so that workers share it instead of each
    paying it again; harmless if anything here fails (the real conversion reports it).
    """
    todo = [f for f in formats if f not in _WARM]
    if not todo:
        return
    try:
        from . import workbook_reader  # noqa: F401

        example = resources.files("xxgk").joinpath("examples", "seed-2024.json")
        data = json.loads(example.read_text(encoding="utf-8"))
        validate(data)
        for fmt in todo:
            RENDERERS[fmt].render(data)
    except Exception:
        pass
    _WARM.update(todo)


# -- the run ----------------------------------------------------------------------------------


@dataclass
class RunResult:
    items: list[ItemResult]
    formats: tuple[str, ...]
    force: bool
    interrupted: bool = False

    def totals(self) -> dict[str, int]:
        out = {"inputs": len(self.items)}
        for status in STATUSES:
            out[status] = sum(1 for i in self.items if i.status == status)
        out["errors"] = sum(i.errors for i in self.items)
        out["warnings"] = sum(i.warnings for i in self.items)
        out["outputs"] = sum(len(i.outputs) for i in self.items)
        return out


def _chunksize(n: int, jobs: int) -> int:
    # Big enough to amortise the pipe, small enough to keep both cores busy to the end.
    return max(1, min(16, n // (jobs * 4)))


def convert_chunk(tasks: list[Task]) -> list[ItemResult]:
    return [convert_one(task) for task in tasks]


def _crashed(task: Task) -> ItemResult:
    return _fail(ItemResult(task.index, task.path, FAILED), fc.CONVERT_WORKER_DIED, file=task.path)


def _fail(item: ItemResult, code: str, **args: Any) -> ItemResult:
    """The input could not be finished: no outputs, one error, the catalogue's message."""
    item.status, item.errors = FAILED, item.errors + 1
    item.first_error = _without_path(fc.make(code, "", **args).message, item.path)
    item.first_error_code = code
    return item


def _without_path(message: str, path: str) -> str:
    """The reason alone: the summary and the problem list name the input beside it already
    (readers and the catalogue start their messages with the file for other callers)."""
    return message.removeprefix(f"{path}：")


class _Pool:
    """A process pool that survives a worker dying (a crash, the OOM killer) mid-file.

    concurrent.futures reports a dead worker as BrokenProcessPool on every pending future
    (multiprocessing.Pool would wait forever); we then start a fresh pool, rerun the broken
    chunk one file at a time, and a file that breaks a pool again, alone, is marked failed.
    """

    def __init__(self, jobs: int, formats: tuple[str, ...]) -> None:
        self.jobs, self.formats = jobs, formats
        self.executor = self._start(jobs)

    def _start(self, jobs: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(jobs, initializer=_worker_init, initargs=(self.formats,))

    def results(self, chunks: list[list[Task]]) -> Iterator[ItemResult]:
        queue = deque((c, self.executor.submit(convert_chunk, c)) for c in chunks)
        while queue:
            chunk, future = queue.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                rest = [c for c, _ in queue]
                self.stop()
                self.executor = self._start(self.jobs)
                if len(chunk) == 1:
                    results = [self._alone(chunk[0])]
                else:
                    rest = [[t] for t in chunk] + rest
                    results = []
                queue = deque((c, self.executor.submit(convert_chunk, c)) for c in rest)
            yield from results

    def _alone(self, task: Task) -> ItemResult:
        """A file whose pool broke: once more in a pool of its own, to tell culprit from victim."""
        single = self._start(1)
        try:
            return single.submit(convert_one, task).result()
        except BrokenProcessPool:
            return _crashed(task)
        finally:
            single.shutdown(wait=True)

    def stop(self) -> None:
        """Stop now: pending work cancelled, running workers terminated mid-file, then reaped."""
        executor = self.executor
        processes = list(getattr(executor, "_processes", {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for proc in processes:
            proc.terminate()
        for proc in processes:
            proc.join()

    def close(self) -> None:
        self.executor.shutdown(wait=True)


def _results(tasks: list[Task], jobs: int) -> Iterator[ItemResult]:
    """Results in input order; in-process for one job, else worker processes streaming back."""
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield convert_one(task)
        return
    formats = tasks[0].formats
    warm_up(formats)  # before the workers fork, so that they share it
    size = _chunksize(len(tasks), jobs)
    chunks = [tasks[i : i + size] for i in range(0, len(tasks), size)]
    pool = _Pool(min(jobs, len(chunks)), formats)
    try:
        yield from pool.results(chunks)
    except BaseException:
        pool.stop()  # Ctrl-C or an error in the parent: stop workers mid-file
        raise
    pool.close()


def run(
    paths: Sequence[Path],
    outdir: Path,
    formats: Sequence[str],
    *,
    force: bool = False,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    last_year: Path | None = None,
) -> RunResult:
    """Convert every input into `outdir`; write the summary. Never stops at a bad input.

    On KeyboardInterrupt: workers are terminated, temp files removed, finished outputs kept
    (each complete), the summary written with the rest marked interrupted, and the
    KeyboardInterrupt re-raised for the caller to turn into an exit code.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    tag = f"{os.getpid()}-{secrets.token_hex(4)}"
    last = str(last_year) if last_year is not None else None
    _previous.cache_clear()  # a LAST file changed since an earlier run in this process
    tasks = [
        Task(i, str(p), str(outdir), tuple(formats), force, tag, last) for i, p in enumerate(paths)
    ]
    previous = _previous_outputs(outdir)
    here = outdir.resolve()
    inputs_here = [p.name for p in paths if p.resolve().parent == here]
    names = NameAllocator(inputs_here, (RENDERERS[f].suffix for f in formats))
    items: list[ItemResult] = []
    interrupted = False
    try:
        with contextlib.closing(_results(tasks, jobs)) as results:
            for item in results:
                _place_outputs(item, outdir, names)
                items.append(item)
                if progress:
                    progress(len(items), len(tasks))
    except KeyboardInterrupt:
        interrupted = True
    finally:
        _remove_run_temps(outdir, tag)
    for task in tasks[len(items) :]:
        kept = [n for n in previous.get(_key(task.path), []) if (outdir / n).is_file()]
        items.append(ItemResult(task.index, task.path, INTERRUPTED, outputs=kept))
    result = RunResult(items, tuple(formats), force, interrupted)
    mark_duplicates(result.items)
    _remove_stale(outdir, previous, result)
    write_summary(outdir, result)
    if interrupted:
        raise KeyboardInterrupt
    return result


def mark_duplicates(items: Sequence[ItemResult]) -> list[list[ItemResult]]:
    """Inputs that are reports of the same agency and year (two versions of one report, most
    likely): each but the first gets `duplicate_of` = the first's path. Returns the groups."""
    groups: dict[tuple[str, int], list[ItemResult]] = {}
    for item in items:
        key = normalise_agency(item.agency)
        if key and item.year is not None:
            groups.setdefault((key, item.year), []).append(item)
    out = [group for group in groups.values() if len(group) > 1]
    for first, *rest in out:
        for item in rest:
            item.duplicate_of = first.path
    return out


def _place_outputs(item: ItemResult, outdir: Path, names: NameAllocator) -> None:
    if not item.temps:
        return
    stem = names.take(output_stem(item.agency, item.year, Path(item.path).stem))
    pending = dict(item.temps)
    for fmt, temp in item.temps.items():
        final = stem + RENDERERS[fmt].suffix
        try:
            os.replace(outdir / temp, outdir / final)
        except OSError as exc:  # e.g. on Windows the old file is open in Word
            detail = os_reason(exc)
            _fail(item, fc.OUTPUT_REPLACE, target=str(outdir / final), detail=detail)
            break
        del pending[fmt]
        item.outputs.append(final)
    _remove_temps(str(outdir), pending.values())  # those not moved into place
    item.temps = {}


def _remove_run_temps(outdir: Path, tag: str) -> None:
    for leftover in outdir.glob(f"{TEMP_PREFIX}{tag}-*"):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def _key(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def _previous_outputs(outdir: Path) -> dict[str, list[str]]:
    """Input (absolute) → outputs, from the summary a previous run left in `outdir`."""
    try:
        doc = json.loads((outdir / SUMMARY_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return summary_outputs(doc) or {}


def _remove_stale(outdir: Path, previous: dict[str, list[str]], result: RunResult) -> None:
    written = {n for item in result.items for n in item.outputs}
    for item in result.items:
        if item.status == INTERRUPTED:
            continue
        for name in previous.get(_key(item.path), []):
            if name not in written and name not in (SUMMARY_JSON, SUMMARY_CSV):
                with contextlib.suppress(FileNotFoundError, IsADirectoryError, PermissionError):
                    (outdir / name).unlink()


# -- the summary ------------------------------------------------------------------------------


def summary_doc(result: RunResult) -> dict[str, Any]:
    files = []
    for item in result.items:
        entry = asdict(item)
        del entry["index"], entry["temps"]
        files.append(entry)
    return {
        "interrupted": result.interrupted,
        "formats": list(result.formats),
        "force": result.force,
        "totals": result.totals(),
        "files": files,
    }


CSV_HEADER = [
    "序号",
    "输入文件",
    "状态",
    "机关名称",
    "年度",
    "错误数",
    "警告数",
    "第一个错误",
    "输出文件",
    "重复",
]


def _cell(text: str | None) -> str:
    # Excel would evaluate text starting with = + - @ as a formula: keep it text.
    text = text or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def summary_csv(result: RunResult) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for n, item in enumerate(result.items, 1):
        writer.writerow(
            [
                n,
                _cell(item.path),
                STATUS_LABEL[item.status],
                _cell(item.agency),
                item.year if item.year is not None else "",
                item.errors,
                item.warnings,
                _cell(item.first_error or item.note),
                _cell("；".join(item.outputs)),
                _cell(f"与 {item.duplicate_of} 同一机关、同一年度") if item.duplicate_of else "",
            ]
        )
    # UTF-8 with BOM: Excel on Chinese Windows opens it as UTF-8 instead of GBK.
    return buf.getvalue().encode("utf-8-sig")


def write_summary(outdir: Path, result: RunResult) -> None:
    doc = json.dumps(summary_doc(result), ensure_ascii=False, indent=2) + "\n"
    write_atomic(outdir / SUMMARY_JSON, doc.encode("utf-8"), TEMP_PREFIX)
    write_atomic(outdir / SUMMARY_CSV, summary_csv(result), TEMP_PREFIX)
