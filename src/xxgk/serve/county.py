"""A county's collection as the county page shows it: one row per agency with its status,
the search and filters, `汇总.csv`, every report as a zip and the summed county report."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from xxgk.aggregate.figures import KEY_FIGURES, key_figures
from xxgk.aggregate.sums import Aggregate, Candidate, aggregate
from xxgk.batch.names import safe_stem
from xxgk.check.findings import counts
from xxgk.check.outcome import Result, source_result
from xxgk.check.source import Source
from xxgk.check.years import normalise_agency
from xxgk.format.clean import clean_text
from xxgk.serve.store import Collection, StoredFile

PASSED, WARNINGS, ERRORS, UNREADABLE, MISSING = (
    "passed",
    "warnings",
    "errors",
    "unreadable",
    "missing",
)
STATUS_LABEL = {
    PASSED: "通过",
    WARNINGS: "有警告",
    ERRORS: "有错误",
    UNREADABLE: "无法读取",
    MISSING: "缺报",
}


def judged(result: Result) -> tuple[str, int, int, str]:
    """Status, errors, warnings and the first problem's message of one checked input."""
    if "error" in result:
        return UNREADABLE, 1, 0, str(result["error"])
    e, w = counts(result["findings"])
    first = next((f.message for f in result["findings"] if f.is_error), "")
    if e:
        return ERRORS, e, w, first
    return (WARNINGS if w else PASSED), 0, w, ""


def entry_for(
    fid: str, name: str, suffix: str, size: int, source: Source, when: str
) -> tuple[StoredFile, Result]:
    result = source_result(name, source)
    status, e, w, first = judged(result)
    data = source.data if isinstance(source.data, dict) else {}
    agency = data.get("agency", {}).get("name") if isinstance(data.get("agency"), dict) else None
    year = data.get("year")
    entry = StoredFile(
        id=fid,
        name=name,
        suffix=suffix,
        uploaded_at=when,
        size=size,
        agency=clean_text(agency).strip() if isinstance(agency, str) else "",
        year=year if isinstance(year, int) and not isinstance(year, bool) else None,
        status=status,
        errors=e,
        warnings=w,
        first_problem=first,
    )
    return entry, result


@dataclass
class Row:
    agency: str
    year: int | None
    status: str
    file: StoredFile | None = None

    def to_json(self) -> dict[str, Any]:
        f = self.file
        return {
            "agency": self.agency,
            "year": self.year,
            "status": self.status,
            "status_label": STATUS_LABEL[self.status],
            "errors": f.errors if f else 0,
            "warnings": f.warnings if f else 0,
            "first_problem": f.first_problem if f else "",
            "file_id": f.id if f else None,
            "file_name": f.name if f else None,
            "uploaded_at": f.uploaded_at if f else None,
        }


def rows(col: Collection, year: int | None = None) -> list[Row]:
    """Every stored file, then every expected agency that has none (缺报) — in `year` when
    given — sorted by agency name."""
    files = [f for f in col.files if year is None or f.year == year]
    out = [Row(f.agency or f.name, f.year, f.status, f) for f in files]
    have = {normalise_agency(f.agency) for f in files if f.agency}
    for name in col.expected:
        if normalise_agency(name) not in have:
            out.append(Row(name, year, MISSING))
    out.sort(key=lambda r: (normalise_agency(r.agency), r.year or 0))
    return out


def matching(found: list[Row], q: str = "", status: str = "") -> list[Row]:
    needle = normalise_agency(q).casefold()
    return [
        r
        for r in found
        if (not needle or needle in normalise_agency(r.agency).casefold())
        and (not status or r.status == status)
    ]


def years(col: Collection) -> list[int]:
    return sorted({f.year for f in col.files if f.year is not None}, reverse=True)


def summary_csv(found: list[Row], data_of: Callable[[StoredFile], Any]) -> bytes:
    """汇总.csv: one line per row; UTF-8 with a BOM so that Excel shows the Chinese."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(
        ["单位", "年度", "状态", "错误", "警告", "首个错误", "文件名", "上传时间"]
        + [h for h, _ in KEY_FIGURES]
    )
    for r in found:
        f = r.file
        figures: list[Any] = []
        if f is not None and f.status != UNREADABLE:
            data = data_of(f)
            figures = key_figures(data) if isinstance(data, dict) else []
        w.writerow(
            [
                _cell(r.agency),
                r.year if r.year is not None else "",
                STATUS_LABEL[r.status],
                f.errors if f else "",
                f.warnings if f else "",
                _cell(f.first_problem) if f else "",
                _cell(f.name) if f else "",
                f.uploaded_at if f else "",
            ]
            + figures
        )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _cell(text: str) -> str:
    """A text cell that a spreadsheet will not run as a formula."""
    text = " ".join(text.split())
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def report_stem(f: StoredFile) -> str:
    year = f"{f.year}年" if f.year is not None else ""
    return safe_stem(f"{f.agency}{year}政府信息公开工作年度报告") or f.id


def reports_zip(
    items: list[tuple[StoredFile, bytes]], suffix: str, extra: dict[str, bytes]
) -> bytes:
    """The zip of every report: one file per agency, named after the agency (never another's)."""
    buf = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for f, payload in items:
            stem, n = report_stem(f), 1
            while (stem if n == 1 else f"{stem}-{n}").casefold() in used:
                n += 1
            name = stem if n == 1 else f"{stem}-{n}"
            used.add(name.casefold())
            z.writestr(zipfile.ZipInfo(name + suffix, (1980, 1, 1, 0, 0, 0)), payload)
        for name, payload in extra.items():
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), payload)
    return buf.getvalue()


def summed(
    col: Collection,
    read: Callable[[StoredFile], tuple[Any, int]],
    agency: str,
    year: int,
    address: str = "",
    postcode: str = "",
    phone: str = "",
) -> Aggregate:
    """The county's summed report from the collection's readable reports of `year`."""
    candidates = []
    for f in sorted(col.files, key=lambda f: f.name):
        if f.status == UNREADABLE:
            candidates.append(Candidate(f.name, error=f.first_problem))
            continue
        data, errors = read(f)
        candidates.append(Candidate(f.name, data, errors))
    return aggregate(
        candidates,
        agency=agency,
        year=year,
        expected=col.expected or None,
        address=address,
        postcode=postcode,
        phone=phone,
    )
