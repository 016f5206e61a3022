"""Reading inputs from disk: the one place that turns a path into report data plus findings.

JSON files are parsed here; workbooks are handed to the workbook reader. Every failure to read
becomes a ReportLoadError with a Chinese message naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import model as m
from .findings import Finding, Locator, locate
from .jsonio import ReportLoadError, parse_report_json
from .validate import sort_findings, validate

JSON_SUFFIXES = {".json"}
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
INPUT_SUFFIXES = JSON_SUFFIXES | WORKBOOK_SUFFIXES


@dataclass
class Source:
    """One input, read: its data (None if unreadable), findings and, for workbooks, cell map."""

    path: Path
    data: Any = None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None  # why it could not be read at all
    locator: Locator | None = None
    # Last year's figures recorded in a workbook made by `xxgk template --from` (a partial
    # report, see previous.previous_from_names): rules 6 and 7 then run without the old file.
    previous: dict[str, Any] | None = None

    @property
    def readable(self) -> bool:
        return self.error is None


def read_source(path: Path) -> Source:
    """Read one input file; never raises for bad input. A .json is JSON and an .xlsx/.xlsm a
    workbook; any other name (.xls, .ods, .et, .bak, none) is read as what its content is."""
    suffix = path.suffix.lower()
    try:
        if suffix in WORKBOOK_SUFFIXES or (suffix not in JSON_SUFFIXES and _workbook_inside(path)):
            from .workbook_reader import read_workbook_file  # heavy: only when needed

            return read_workbook_file(path)
        raw = path.read_bytes()
    except ReportLoadError as exc:  # filekind.Unrecognised too
        return Source(path, error=f"{path}：{exc}")
    except (OSError, MemoryError) as exc:
        return Source(path, error=f"{path}：{open_error(exc)}")
    try:
        loaded = parse_report_json(raw)
    except ReportLoadError as exc:
        return Source(path, error=f"{path}：{exc}")
    return Source(path, data=loaded.data, findings=loaded.findings)


def _workbook_inside(path: Path) -> bool:
    """True when the content is a workbook (or an old/foreign spreadsheet the workbook reader
    explains), False for JSON; raises filekind.Unrecognised (a ReportLoadError) or OSError."""
    from .filekind import WORKBOOK, sniff_path

    return sniff_path(path) == WORKBOOK


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
    return f"无法打开文件（{getattr(exc, 'strerror', None) or exc.__class__.__name__}）。"


def _unknown_values(reader: list[Finding]) -> set[str]:
    """Pointers whose value is not known: input cells the reader rejected (blank, 无, a fraction…:
    they stand as 0 in the data), and the totals computed from them."""
    totals = {m.pointer(p) for p in m.total_paths()}
    bad = {f.path for f in reader if f.is_error and f.path not in totals}
    if not bad:
        return bad
    computing = [c for c in m.checks() if c.computes_left]
    for _ in range(2):  # row totals feed （七）总计: two passes settle it
        for check in computing:
            if any(m.pointer(p) in bad for p in check.right):
                bad.add(m.pointer(check.left[0]))
    return bad


def _not_reported(found: list[Finding], reader: list[Finding]) -> list[Finding]:
    """Drop validator findings about a value the reader already reported an error for: one
    mistake, one finding (a blank date cell is not also an invalid date; a blank count is not
    also an unbalanced column, with a difference made up from the 0 that stands in for it)."""
    taken = {f.path for f in reader if f.is_error}
    unknown = _unknown_values(reader)
    return [
        f
        for f in found
        if (f.path not in taken if not f.paths else not _judges_unknown(f, unknown))
    ]


_ARITHMETIC = {rule.code for rule in m.ARITHMETIC}


def _judges_unknown(f: Finding, unknown: set[str]) -> bool:
    return f.code in _ARITHMETIC and any(p in unknown for p in f.paths)


def check_source(source: Source, previous: Source | None = None) -> list[Finding]:
    """Reader findings plus validator findings, located at cells when the input is a workbook;
    plus rules 6 and 7 against last year's report (`previous`, else the figures the workbook
    records)."""
    if not source.readable:
        return []
    found = sort_findings(source.findings + _not_reported(validate(source.data), source.findings))
    if source.locator:
        found = locate(found, source.locator)
    from .previous import across_years

    return sort_findings(found + across_years(source, previous))
