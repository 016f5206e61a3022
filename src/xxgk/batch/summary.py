"""What a run of `xxgk convert` says about itself: each input's status, `summary.json` and
`汇总.csv`, and reading back the summary an earlier run left (which outputs belong to which input).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from xxgk.files.atomic import write_atomic
from xxgk.format.clean import clean_data, clean_text
from xxgk.format.jsonio import dumps_indented

SUMMARY_JSON = "summary.json"
SUMMARY_CSV = "汇总.csv"


TEMP_PREFIX = ".xxgk-tmp-"


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


IMPORT_COMMAND = "import"
# what an import summary calls the statuses it shares with convert
IMPORT_STATUS = {CONVERTED: "imported", FORCED: "imported_with_errors"}
IMPORT_STATUS_LABEL = {
    **STATUS_LABEL,
    CONVERTED: "已导入",
    FORCED: "已导入，有需要核对的地方",
    FAILED: "内部错误，未导入",
}
SUMMARY_KEYS = frozenset({"interrupted", "formats", "force", "totals", "files"})


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
    # what the check found, for an office scanning a thousand results: the codes (each once,
    # in the order found) and the first few findings, located
    error_codes: list[str] = field(default_factory=list)
    warning_codes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    temps: dict[str, str] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)
    # xxgk import only: the kind of published report (txt, html, docx, pdf…), the official
    # layout its tables follow (2021/2019) and every import finding, located in the source
    kind: str | None = None
    layout: str | None = None
    findings: list[dict[str, Any]] | None = None


def tally(items: Iterable[ItemResult]) -> dict[str, int]:
    """The summary's totals of these items, in one pass."""
    out = {"inputs": 0, **dict.fromkeys(STATUSES, 0), "errors": 0, "warnings": 0, "outputs": 0}
    for item in items:
        out["inputs"] += 1
        out[item.status] += 1
        out["errors"] += item.errors
        out["warnings"] += item.warnings
        out["outputs"] += len(item.outputs)
    return out


@runtime_checkable
class Counted(Protocol):
    """Items that keep their totals as they come (`itemstore.ItemStore`)."""

    def totals(self) -> dict[str, int]: ...


@dataclass
class RunResult:
    items: Sequence[ItemResult]
    formats: tuple[str, ...]
    force: bool
    interrupted: bool = False
    # summary files that could not be written (a full disk, no permission): the CLI says so
    summary_failures: list[tuple[Path, OSError]] = field(default_factory=list)
    # with a PDF: official font → the free font used instead (files/pdf.py), None without one
    pdf_fonts: dict[str, str] | None = None
    importing: bool = False  # xxgk import: the summary is in its shape (import_summary_doc)

    def totals(self) -> dict[str, int]:
        if isinstance(self.items, Counted):
            return self.items.totals()
        return tally(self.items)


def summary_outputs(doc: Any) -> dict[str, list[str]] | None:
    """Input → output names, if `doc` is a summary.json that `xxgk convert` wrote; else None."""
    if not isinstance(doc, dict) or not doc.keys() >= SUMMARY_KEYS:
        return None
    files = doc["files"]
    if not isinstance(files, list):
        return None
    out: dict[str, list[str]] = {}
    for entry in files:
        if isinstance(entry, dict) and doc.get("command") == IMPORT_COMMAND:
            # xxgk import's shape: "input" and one "output" (or null)
            entry = {"path": entry.get("input"), "outputs": [entry.get("output")]}
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            return None
        outputs = entry.get("outputs", [])
        out[input_key(entry["path"])] = [
            n
            for n in (outputs if isinstance(outputs, list) else [])
            # Only plain names in this folder: a tampered summary cannot delete elsewhere.
            if isinstance(n, str) and plain_name(n)
        ]
    return out


def plain_name(name: str) -> bool:
    """`name == Path(name).name` and not "." or "..": a file's name in one folder (on POSIX
    without making a Path: a rerun reads 3,000 of them from the summary of 1,000 inputs)."""
    if name in ("", ".", ".."):
        return False
    return "/" not in name if os.name == "posix" else name == Path(name).name


def input_key(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def previous_outputs(outdir: Path) -> dict[str, list[str]]:
    """Input (absolute) → outputs, from the summary a previous run left in `outdir`. Read once
    while the file stays the same (discovery and the run both ask; 20 ms for a summary of
    1,000 inputs): a copy each time."""
    path = outdir / SUMMARY_JSON
    try:
        st = os.stat(path)
        key = (os.path.abspath(path), st.st_mtime_ns, st.st_size, st.st_ino)
        if _LAST_READ and _LAST_READ[0] == key:
            return {k: list(v) for k, v in _LAST_READ[1].items()}
        raw = path.read_bytes()
        outputs = summary_outputs(_loads(raw)) or {}
    except (OSError, ValueError, RecursionError):
        return {}
    _LAST_READ[:] = [key, outputs]
    return {k: list(v) for k, v in outputs.items()}


_LAST_READ: list[Any] = []  # [(path, mtime, size, inode), its outputs] of the last summary read


def _loads(raw: bytes) -> Any:
    """`json.loads(raw.decode("utf-8"))`; orjson (a third of the time) where it reads the file:
    what it refuses (a NaN, an integer beyond 64 bits, a lone surrogate) json reads as before."""
    import orjson  # imported by every convert anyway

    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw.decode("utf-8"))


# -- the summary ------------------------------------------------------------------------------


# what an input's entry in summary.json holds: its fields in order, but these (import's are in
# its own shape, `import_summary_doc`)
_NOT_IN_ENTRY = frozenset({"index", "temps", "kind", "layout", "findings"})
_ENTRY_FIELDS = tuple(f.name for f in fields(ItemResult) if f.name not in _NOT_IN_ENTRY)


def _entry(item: ItemResult) -> dict[str, Any]:
    return clean_data(_fields(item))  # a path or a name may hold what UTF-8 cannot encode


def _fields(item: ItemResult) -> dict[str, Any]:
    # the item's own values, not `asdict`'s deep copy: they are encoded at once (asdict was
    # 0.1 ms an input, half of writing the summary)
    return {name: getattr(item, name) for name in _ENTRY_FIELDS}


def _entry_bytes(item: ItemResult) -> bytes:
    """`dumps_indented(_entry(item))`, without looking through every string for a lone
    surrogate first: orjson refuses one, and json's text of it cannot be encoded, so it is
    found as it is written (and only then is the entry cleaned)."""
    fields = _fields(item)
    try:
        return dumps_indented(fields)
    except UnicodeEncodeError:
        return dumps_indented(clean_data(fields))


def summary_doc(result: RunResult) -> dict[str, Any]:
    if result.importing:
        return import_summary_doc(result)
    doc: dict[str, Any] = {
        "interrupted": result.interrupted,
        "formats": list(result.formats),
        "force": result.force,
        "totals": result.totals(),
        "files": [_entry(item) for item in result.items],
    }
    if result.pdf_fonts is not None:
        doc["pdf_fonts_substituted"] = result.pdf_fonts
    return doc


def import_summary_doc(result: RunResult) -> dict[str, Any]:
    """`xxgk import`'s summary.json (docs/import.md): per input its output, status, the kind
    of report, the layout of its tables and the import findings."""
    files = []
    for item in result.items:
        entry: dict[str, Any] = {
            "input": item.path,
            "output": item.outputs[0] if item.outputs else None,
            "status": IMPORT_STATUS.get(item.status, item.status),
            "kind": item.kind,
            "format": item.layout,
            "agency": item.agency,
            "year": item.year,
            "errors": item.errors,
            "warnings": item.warnings,
            "findings": item.findings or [],
        }
        if item.status not in (CONVERTED, FORCED, INTERRUPTED):
            entry["error"] = item.first_error
            entry["error_code"] = item.first_error_code
        files.append(entry)
    totals = result.totals()
    for status, name in IMPORT_STATUS.items():
        totals[name] = totals.pop(status)
    return {
        "command": IMPORT_COMMAND,
        "interrupted": result.interrupted,
        "formats": list(result.formats),
        "force": True,
        "totals": totals,
        "files": clean_data(files),
    }


def summary_json(result: RunResult) -> Iterator[bytes]:
    """`summary_doc` as `json.dumps(…, indent=2)` writes it, one input at a time: the whole
    text of a run of 5,000 inputs made at once lifted peak memory by a third."""
    if result.importing:  # a few hundred published reports at most: one piece
        yield dumps_indented(import_summary_doc(result)) + b"\n"
        return
    files = result.items
    doc = summary_doc(RunResult([], result.formats, result.force, result.interrupted))
    doc["totals"] = result.totals()
    if result.pdf_fonts is not None:
        doc["pdf_fonts_substituted"] = result.pdf_fonts
    head, empty, tail = dumps_indented(doc).partition(b'"files": []')
    if not files or not empty:  # (a key holding the very text "files": [] cannot occur)
        yield dumps_indented(summary_doc(result)) + b"\n"
        return
    yield head + b'"files": ['
    for n, item in enumerate(files):
        # each entry indented as the list's elements are: orjson escapes a newline in a string
        entry = _entry_bytes(item).replace(b"\n", b"\n    ")
        yield (b"\n    " if n == 0 else b",\n    ") + entry
    yield b"\n  ]" + tail + b"\n"


CSV_HEADER = [
    "序号",
    "输入文件",
    "状态",
    "机关名称",
    "年度",
    "错误数",
    "警告数",
    "错误代码",
    "警告代码",
    "第一个错误",
    "输出文件",
    "重复",
]


def _cell(text: str | None) -> str:
    # Excel would evaluate text starting with = + - @ as a formula: keep it text.
    text = clean_text(text or "")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def summary_csv(result: RunResult) -> Iterator[bytes]:
    """汇总.csv, a row at a time."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    # UTF-8 with BOM: Excel on Chinese Windows opens it as UTF-8 instead of GBK.
    writer.writerow(CSV_HEADER)
    yield buf.getvalue().encode("utf-8-sig")
    labels = IMPORT_STATUS_LABEL if result.importing else STATUS_LABEL
    for n, item in enumerate(result.items, 1):
        buf.seek(0)
        buf.truncate()
        writer.writerow(
            [
                n,
                _cell(item.path),
                labels[item.status],
                _cell(item.agency),
                item.year if item.year is not None else "",
                item.errors,
                item.warnings,
                _cell("、".join(item.error_codes)),
                _cell("、".join(item.warning_codes)),
                _cell(item.first_error or item.note),
                _cell("；".join(item.outputs)),
                _cell(f"与 {item.duplicate_of} 同一机关、同一年度") if item.duplicate_of else "",
            ]
        )
        yield buf.getvalue().encode("utf-8")


def write_summary(outdir: Path, result: RunResult) -> list[tuple[Path, OSError]]:
    """Write summary.json and 汇总.csv, each atomically; the smaller CSV first, so that on a full
    disk the list staff open in Excel is the likelier to be there. One failing does not stop the
    other; returns what could not be written (a previous run's file there is then left whole,
    but removed when it no longer describes this run, so that no stale summary is mistaken for
    this run's)."""
    failed: list[tuple[Path, OSError]] = []
    for name, payload in ((SUMMARY_CSV, summary_csv(result)), (SUMMARY_JSON, summary_json(result))):
        try:
            write_atomic(outdir / name, payload, TEMP_PREFIX)
        except OSError as exc:
            failed.append((outdir / name, exc))
            with contextlib.suppress(OSError):
                (outdir / name).unlink()  # the previous run's, which would now mislead
    result.summary_failures = failed
    return failed
