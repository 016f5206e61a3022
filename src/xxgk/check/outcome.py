"""What `xxgk validate --format json` prints, built from read inputs: one result per input and
the document over all of them (docs/findings.md). The CLI and the web server (`xxgk serve`)
both answer with this document, so the two can never differ.
"""

from __future__ import annotations

from collections.abc import Sequence

from xxgk.check import findings as fc
from xxgk.check.findings import Finding, counts
from xxgk.check.source import Source, check_source

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

# One input's result: {"path", "valid", "findings": [Finding]} and, for an input that could
# not be read, "error" (the Chinese reason) and "code" (FILE_UNREADABLE, WB_NOT_TEMPLATE…).
Result = dict[str, "Any"]  # "Any": typing is imported only to type-check


def unreadable_result(path: str, source: Source) -> Result:
    """The result for an input that could not be read at all."""
    # a workbook that is not our template says so by its code (WB_NOT_TEMPLATE, …)
    code = source.findings[0].code if source.findings else fc.FILE_UNREADABLE
    return {"path": path, "valid": False, "error": source.error, "code": code, "findings": []}


def checked_result(path: str, found: list[Finding]) -> Result:
    """The result for a read input with its findings (`check_source`'s)."""
    errors, _ = counts(found)
    return {"path": path, "valid": errors == 0, "findings": found}


def source_result(path: str, source: Source, previous: Source | None = None) -> Result:
    """The result for one read input (`path` as the user named it), checked against last
    year's report `previous` when given."""
    if not source.readable:
        return unreadable_result(path, source)
    return checked_result(path, check_source(source, previous))


def totals(results: Sequence[Result]) -> tuple[int, int]:
    """Errors and warnings over all results; an unreadable input counts as one error."""
    total_e = total_w = 0
    for r in results:
        e, w = counts(r["findings"])
        if "error" in r:
            e += 1
        total_e, total_w = total_e + e, total_w + w
    return total_e, total_w


def unreadable_finding(message: str, code: str = fc.FILE_UNREADABLE) -> dict[str, object]:
    return {"code": code, "severity": fc.CATALOGUE[code].severity, "message": message, "path": ""}


def file_entry(r: Result) -> dict[str, Any]:
    findings: list[Finding] = r["findings"]
    return {
        "path": r["path"],
        "valid": r["valid"],
        "findings": (
            [unreadable_finding(str(r["error"]), str(r["code"]))]
            if "error" in r
            else [f.to_dict() for f in findings]
        ),
    }


def validate_document(results: Sequence[Result]) -> dict[str, Any]:
    """The document `xxgk validate --format json` prints for these results."""
    total_e, total_w = totals(results)
    return {
        "valid": all(r["valid"] for r in results),
        "errors": total_e,
        "warnings": total_w,
        "files": [file_entry(r) for r in results],
    }
