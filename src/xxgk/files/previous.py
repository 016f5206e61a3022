"""`--previous LAST` for validate and convert: last year's report(s), read once.

LAST is one file (workbook or JSON: every input is compared with it, so a report of another
agency is reported as PREV_OTHER_AGENCY), or a folder of last year's reports, each input then
being compared with the one of the same agency (inputs without one are only checked against what
their workbook records).
"""

from __future__ import annotations

from pathlib import Path

from xxgk.check.source import Source
from xxgk.check.years import normalise_agency
from xxgk.files.read import ANY_INPUT_SUFFIXES, read_source
from xxgk.format.record import field, record


class PreviousError(Exception):
    """LAST cannot be used at all (exit code 3); the message is Chinese and names the file."""


@record
class PreviousReports:
    single: Source | None = None
    # agency → every readable report of that agency in the folder (an archive may hold years)
    by_agency: dict[str, list[Source]] = field(default_factory=dict)

    def pick(self, source: Source) -> Source | None:
        """Last year's report to compare `source` with, if any."""
        if self.single is not None:
            return self.single
        if not isinstance(source.data, dict):
            return None
        candidates = self.by_agency.get(_agency_key(source), [])
        year = source.data.get("year")
        # the report of the year before, else the first in name order (then PREV_WRONG_YEAR
        # says which year was found)
        for last in candidates:
            if isinstance(year, int) and _year(last) == year - 1:
                return last
        return candidates[0] if candidates else None


def _year(source: Source) -> object:
    return source.data.get("year") if isinstance(source.data, dict) else None


def _agency_key(source: Source) -> str:
    data = source.data if isinstance(source.data, dict) else {}
    agency = data.get("agency")
    return normalise_agency(agency.get("name") if isinstance(agency, dict) else None)


def load_previous(path: Path) -> PreviousReports:
    """Read LAST; raise PreviousError if it (the file, or every file of a folder) is unreadable."""
    if path.is_dir():
        files = sorted(
            p
            for p in path.iterdir()
            if p.is_file()
            and p.suffix.lower() in ANY_INPUT_SUFFIXES
            and not p.name.startswith(("~$", "."))
        )
        out = PreviousReports()
        for p in files:
            source = read_source(p)
            key = _agency_key(source) if source.readable else ""
            if key:
                out.by_agency.setdefault(key, []).append(source)
        if not out.by_agency:
            raise PreviousError(
                f"上年报告文件夹 {path} 里没有可读取的报告"
                "（.xlsx、.xlsm、.json 或已发布的年报）。请检查文件夹。"
            )
        return out
    if not path.exists():
        raise PreviousError(f"找不到上年报告 {path}。请检查路径是否写对。")
    source = read_source(path)
    if not source.readable:
        raise PreviousError(f"上年报告无法读取：{source.error}")
    return PreviousReports(single=source)
