"""Reading inputs from disk: the one place that turns a path into a `Source`.

JSON files are parsed here; workbooks are handed to the workbook reader as bytes. Every failure
to read becomes the Source's `error`, a Chinese message naming the file; nothing here raises for
bad input. A bug of ours while reading is reported as ours (内部错误, details in the log), never
as a broken file.
"""

from __future__ import annotations

import os
from pathlib import Path

from xxgk.check import findings as fc
from xxgk.check.source import Source
from xxgk.files.errorlog import internal_message
from xxgk.files.kind import HEAD_BYTES, OTHER_SPREADSHEET_SUFFIXES, WORKBOOK, kind_of
from xxgk.files.published import (
    MAX_PUBLISHED_BYTES,
    MD,
    OLD_DOCUMENT_SUFFIXES,
    PUBLISHED_SUFFIXES,
    TXT,
    looks_like_json,
    old_document,
    published_kind,
    published_source,
    refused,
    sniff_published,
    too_large_published,
)
from xxgk.format.jsonio import MAX_JSON_BYTES, ReportLoadError, parse_report_json, too_large
from xxgk.workbook.package import MAX_FILE_BYTES, WorkbookUnreadable, too_big
from xxgk.workbook.reader import read_workbook

JSON_SUFFIXES = {".json"}
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
INPUT_SUFFIXES = JSON_SUFFIXES | WORKBOOK_SUFFIXES
# What a named file, a glob or `xxgk import`'s folder scan may also be: a published report
ANY_INPUT_SUFFIXES = INPUT_SUFFIXES | PUBLISHED_SUFFIXES


class TooLarge(Exception):
    """The file is far larger than any report; the message is Chinese."""


# what `open()` adds to a descriptor's flags: binary on Windows, not inherited by a child
# (LibreOffice); batch/convert.py writes its outputs with them too
FD_FLAGS = getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOINHERIT", 0)


def read_bounded(path: Path, limit: int, message: str) -> bytes:
    """The file's bytes, refusing a file over `limit` bytes before reading it (`message`).

    The descriptor is read directly, as `open(path, "rb").read(size + 1)` would read it: the
    buffered file object around it cost 15–30 µs a workbook (issue 16)."""
    fd = os.open(path, os.O_RDONLY | FD_FLAGS)
    try:
        size = os.fstat(fd).st_size
        if size > limit:
            raise TooLarge(message)
        # what the file holds and one byte more, to see it grew meanwhile (not `limit` bytes:
        # os.read reserves what it is asked for)
        parts, wanted = [], size + 1
        while wanted > 0 and (chunk := os.read(fd, wanted)):
            parts.append(chunk)
            wanted -= len(chunk)
    finally:
        os.close(fd)
    raw = parts[0] if len(parts) == 1 else b"".join(parts)
    if len(raw) > limit:
        raise TooLarge(message)
    return raw


def open_error(exc: BaseException) -> str:
    """Why a file could not be opened, in the user's words."""
    if isinstance(exc, FileNotFoundError):
        return "文件不存在。请检查文件名和所在文件夹。"
    if isinstance(exc, IsADirectoryError):
        return "这是一个文件夹，不是文件。要处理文件夹里的全部报告，请用 xxgk convert。"
    if isinstance(exc, PermissionError):
        return "没有读取这个文件的权限；如文件正在 Excel 中打开，请先关闭。"
    if isinstance(exc, MemoryError):
        return "文件太大，内存不足，无法读取。"
    return "无法打开文件（操作系统拒绝读取）。请检查文件是否完好、所在位置能否访问。"


def read_source(path: Path) -> Source:
    """Read one input file; never raises for bad input. A .json is JSON and an .xlsx/.xlsm a
    workbook; any other name (.xls, .ods, .et, .bak, none) is read as what its content is."""
    try:
        return _read(path)
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # ours: a reader bug must not pass for the user's broken file
        found = fc.make(fc.INTERNAL_ERROR, "", detail=internal_message(exc, f"读取 {path}"))
        return Source(path, findings=[found], error=f"{path}：{found.message}")


def _read(path: Path) -> Source:
    suffix = path.suffix.lower()
    if suffix in OLD_DOCUMENT_SUFFIXES:
        return old_document(path)
    try:
        named = published_kind(path)
        # the first bytes, read once, when the name leaves the kind open (a report.json.txt, an
        # .xls that is a web page, a file without a suffix)
        open_kind = named in (TXT, MD) or (named is None and suffix not in INPUT_SUFFIXES)
        head = _head(path) if open_kind else b""
        # an .xls that is really a web page is a spreadsheet export: the guard says so
        sniff = named is None and open_kind and suffix not in OTHER_SPREADSHEET_SUFFIXES
        kind = named or (sniff_published(head) if sniff else None)
        if kind in (TXT, MD) and looks_like_json(head):
            kind = None  # report data saved as report.json.txt: read as the JSON it is
        if kind is not None:
            try:
                raw = read_bounded(path, MAX_PUBLISHED_BYTES, too_large_published())
            except TooLarge as exc:
                return refused(path, str(exc))
            return published_source(path, raw, kind)
        if suffix in WORKBOOK_SUFFIXES or (
            suffix not in JSON_SUFFIXES and kind_of(head, suffix) == WORKBOOK
        ):
            return read_workbook(read_bounded(path, MAX_FILE_BYTES, too_big(MAX_FILE_BYTES)), path)
        raw = read_bounded(path, MAX_JSON_BYTES, too_large(MAX_JSON_BYTES))
    except (ReportLoadError, WorkbookUnreadable, TooLarge) as exc:  # kind.Unrecognised too
        return Source(path, error=f"{path}：{exc}")
    except (OSError, MemoryError) as exc:
        return Source(path, error=f"{path}：{open_error(exc)}")
    try:
        loaded = parse_report_json(raw)
    except ReportLoadError as exc:
        return Source(path, error=f"{path}：{exc}")
    found = [fc.make(fc.FILE_ENCODING, "")] if loaded.encoding else []
    return Source(path, data=loaded.data, findings=found)


def _head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(HEAD_BYTES)
