"""One input, read (`Source`), and every finding about it: reader, schema, rules, last year.

Pure: the readers (`files.read`, the workbook reader, the add-in) make Sources; this module
only checks them.
"""

from __future__ import annotations

from pathlib import Path

from xxgk.check import findings as fc
from xxgk.check.findings import Finding, Locator, locate
from xxgk.check.validate import sort_findings, validate
from xxgk.check.years import compare_with_previous, locate_previous
from xxgk.format import arithmetic as ar
from xxgk.format.record import field, record

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any


@record
class Source:
    """One input, read: its data (None if unreadable), findings and, for workbooks, cell map."""

    path: Path
    data: Any = None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None  # why it could not be read at all
    locator: Locator | None = None
    # Last year's figures recorded in a workbook made by `xxgk template --from` (a partial
    # report, see workbook.recorded): rules 6 and 7 then run without the old file.
    previous: dict[str, Any] | None = None
    # A published report (xxgk import): where in it each value was read, by JSON Pointer
    # ({"page": 3, "line": 12}…), so that every finding about a value names that place.
    origins: dict[str, dict[str, int]] | None = None
    kind: str | None = None  # txt, md, html, docx or pdf for a published report
    layout: str | None = None  # the official format its tables follow: 2021 or 2019

    @property
    def readable(self) -> bool:
        return self.error is None


def _unknown_values(reader: list[Finding], printed_totals: bool = False) -> set[str]:
    """Pointers whose value is not known: input cells the reader rejected (blank, 无, a fraction…:
    they stand as 0 in the data), and the totals computed from them — unless the totals are
    `printed_totals` (a published report: each total is what the source prints, known or not)."""
    bad = {
        p
        for f in reader
        if f.is_error
        for p in (f.path, *f.paths)  # a block of blank cells: each of them
        if printed_totals or p not in ar.TOTAL_POINTERS
    }
    return bad | ar.tainted_totals(bad) if bad and not printed_totals else bad


def _not_reported(
    found: list[Finding], reader: list[Finding], printed_totals: bool = False
) -> list[Finding]:
    """Drop validator findings about a value the reader already reported an error for: one
    mistake, one finding (a blank date cell is not also an invalid date; a blank count is not
    also an unbalanced column, with a difference made up from the 0 that stands in for it)."""
    if not reader:
        return found  # nothing reported: nothing to drop
    taken = {p for f in reader if f.is_error for p in (f.path, *f.paths)}
    unknown = _unknown_values(reader, printed_totals)
    return [
        f
        for f in found
        if (f.path not in taken if not f.paths else not _judges_unknown(f, unknown, printed_totals))
    ]


_ARITHMETIC = {rule.code for rule in ar.ARITHMETIC}
# A published report's unread value stands as 0 (a workbook's cell typed as text keeps its
# number): the narrative's figures compared with it say nothing either
_NARRATIVE = {fc.TEXT_NUMBER_MISMATCH, fc.TEXT_SAYS_NO_REQUESTS, fc.TEXT_SAYS_NO_LITIGATION}


def _judges_unknown(f: Finding, unknown: set[str], printed_totals: bool = False) -> bool:
    comparing = f.code in _ARITHMETIC or (printed_totals and f.code in _NARRATIVE)
    return comparing and any(p in unknown for p in f.paths)


def check_source(source: Source, previous: Source | None = None) -> list[Finding]:
    """Reader findings plus validator findings, located at cells when the input is a workbook;
    plus rules 6 and 7 against last year's report (`previous`, else the figures the workbook
    records)."""
    if not source.readable:
        return []
    printed = source.origins is not None  # a published report's totals are as printed
    kept = _not_reported(validate(source.data), source.findings, printed)
    # validate's findings come sorted: sorted again only with others among them
    found = sort_findings(source.findings + kept) if source.findings else kept
    if source.locator:
        found = locate(found, source.locator)
    years = across_years(source, previous)
    found = sort_findings(found + years) if years else found
    return traced(found, source.origins) if source.origins else found


def traced(found: list[Finding], origins: dict[str, dict[str, int]]) -> list[Finding]:
    """Give each finding about a value of a published report the place it was read from: its
    own value's, else the first of the values it involves (an arithmetic rule)."""
    for f in found:
        if f.source is None:
            hit = next((origins[p] for p in (f.path, *f.paths) if p in origins), None)
            if hit is not None:
                f.source = dict(hit)
    return found


RECORDED_LABEL = "工作簿中记录的上年数据"


def across_years(source: Source, previous: Source | None = None) -> list[Finding]:
    """Rules 6 and 7 for one read input: against `previous` (last year's file, read) when given,
    else against the figures recorded in the workbook; located at this year's cells."""
    if not source.readable or not isinstance(source.data, dict):
        return []
    if previous is not None:
        if not previous.readable or not isinstance(previous.data, dict):
            return []
        found = compare_with_previous(source.data, previous.data, previous.path.name)
        return locate_previous(found, source.locator, previous.locator, str(previous.path))
    if source.previous:
        found = compare_with_previous(source.data, source.previous, RECORDED_LABEL)
        return locate_previous(found, source.locator)
    return []
