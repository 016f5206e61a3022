"""This year's report against last year's: rules 6 and 7 of the official format.

Pure: report data in, findings out. Last year's report may be complete (`--previous LAST`) or
partial: the few figures a workbook made by `xxgk template --from LAST` records as hidden
defined names (see `recorded_names` / `previous_from_names`), so that the check also runs
without the old file. A rule whose last-year figure is missing is skipped.

Pointers into last year's report: a finding's `paths` lists this year's values as ordinary JSON
Pointers and last year's as `previous#` + pointer, e.g. `previous#/requests/carried_forward/total`
(the JSON Pointer as a URI fragment of the document "previous"). Locators of this year's workbook
must not be asked about them; `locate_previous` places them for a workbook.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from . import findings as fc
from . import model as m
from .findings import Finding, Locator
from .paths import get_path

if TYPE_CHECKING:  # sources imports this module lazily; no import cycle at run time
    from .sources import Source

PREVIOUS = "previous#"  # prefix of a pointer into last year's report
NAME_PREFIX = "xxgk.previous."  # prefix of the recorded defined names in a workbook

IN_FORCE_ROWS: tuple[m.Row, ...] = m.TABLE2_BLOCKS[0].rows  # 规章, 行政规范性文件
_ISSUED, _REPEALED, _IN_FORCE = (c.id for c in m.TABLE2_BLOCKS[0].columns)

# What a workbook made from last year's report records, as dotted JSON paths of last year's data.
RECORDED_PATHS: tuple[m.Path, ...] = (
    ("year",),
    ("agency", "name"),
    *(m.TABLE2_ROOT + row.path + (_IN_FORCE,) for row in IN_FORCE_ROWS),
    *(m.TABLE3_ROOT + m.TABLE3_CARRIED_FORWARD.path + (c.id,) for c in m.APPLICANT_COLUMNS),
)


def previous_pointer(path: m.Path) -> str:
    return PREVIOUS + m.pointer(path)


def normalise_agency(name: Any) -> str:
    """The agency name as compared across files: NFKC (full-width → half-width), no spaces."""
    if not isinstance(name, str):
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


def _count(value: Any) -> int | float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return None


def _year(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def compare_with_previous(
    this: dict[str, Any], last: dict[str, Any], source: str = "上年报告"
) -> list[Finding]:
    """Rules 6 and 7 of this year's report `this` against last year's `last`.

    If `last` is not last year's report of the same agency, only that is reported (comparing
    figures of another year or agency would only add noise). `source` names last year's report
    in messages (its file name).
    """
    if not isinstance(this, dict) or not isinstance(last, dict):
        return []
    identity = _identity(this, last, source)
    if identity:
        return identity
    return [*_carried_over(this, last), *_in_force(this, last)]


def _identity(this: dict[str, Any], last: dict[str, Any], source: str) -> list[Finding]:
    """Last year's report must be the same agency's, and of the year before."""
    out: list[Finding] = []
    year, last_year = _year(this.get("year")), _year(last.get("year"))
    if year is not None and last_year is not None and last_year != year - 1:
        out.append(
            fc.make(
                fc.PREV_WRONG_YEAR,
                "/year",
                ["/year", previous_pointer(("year",))],
                where=m.LEAF_BY_POINTER["/year"].where,
                year=year,
                previous_year=last_year,
                expected_year=year - 1,
                source=source,
            )
        )
    name, last_name = get_path(this, ("agency", "name")), get_path(last, ("agency", "name"))
    if (
        normalise_agency(name)
        and normalise_agency(last_name)
        and normalise_agency(name) != normalise_agency(last_name)
    ):
        out.append(
            fc.make(
                fc.PREV_OTHER_AGENCY,
                "/agency/name",
                ["/agency/name", previous_pointer(("agency", "name"))],
                where=m.LEAF_BY_POINTER["/agency/name"].where,
                agency=name,
                previous_agency=last_name,
                source=source,
            )
        )
    return out


def _carried_over(this: dict[str, Any], last: dict[str, Any]) -> Iterable[Finding]:
    """规则6：跨年度——本年“二、上年结转政府信息公开申请数量”等于上年“四、结转下年度继续办理”（逐列）。"""
    found_in_parts = False
    for col in m.APPLICANT_COLUMNS:
        here = m.TABLE3_ROOT + m.TABLE3_CARRIED_OVER.path + (col.id,)
        there = m.TABLE3_ROOT + m.TABLE3_CARRIED_FORWARD.path + (col.id,)
        value, previous = _count(get_path(this, here)), _count(get_path(last, there))
        if value is None or previous is None or value == previous:
            continue
        if col.id == "total" and found_in_parts:
            continue  # the 总计 differs because a column does: one mistake, one finding
        found_in_parts = True
        yield fc.make(
            fc.PREV_CARRIED_OVER,
            m.pointer(here),
            [m.pointer(here), previous_pointer(there)],
            where=m.LEAF_BY_POINTER[m.pointer(here)].where,
            reported=value,
            previous=previous,
            diff=abs(value - previous),
            column=col.label,
            previous_year=_year(last.get("year")) or "上",
        )


def _in_force(this: dict[str, Any], last: dict[str, Any]) -> Iterable[Finding]:
    """规则7：跨年度——现行有效件数约等于上年现行有效件数 + 本年制发件数 − 本年废止件数
    （规章、行政规范性文件；修订等情况可能使其不相等，故为警告）。"""
    for row in IN_FORCE_ROWS:
        base = m.TABLE2_ROOT + row.path
        in_force = _count(get_path(this, base + (_IN_FORCE,)))
        issued = _count(get_path(this, base + (_ISSUED,)))
        repealed = _count(get_path(this, base + (_REPEALED,)))
        previous = _count(get_path(last, base + (_IN_FORCE,)))
        if None in (in_force, issued, repealed, previous):
            continue
        computed = previous + issued - repealed  # type: ignore[operator]
        if in_force == computed:
            continue
        here = m.pointer(base + (_IN_FORCE,))
        yield fc.make(
            fc.PREV_IN_FORCE,
            here,
            [
                here,
                m.pointer(base + (_ISSUED,)),
                m.pointer(base + (_REPEALED,)),
                previous_pointer(base + (_IN_FORCE,)),
            ],
            where=m.LEAF_BY_POINTER[here].where,
            reported=in_force,
            computed=computed,
            diff=abs(in_force - computed),  # type: ignore[operator]
            previous=previous,
            issued=issued,
            repealed=repealed,
        )


RULE_DOCS = {fc.PREV_CARRIED_OVER: _carried_over.__doc__, fc.PREV_IN_FORCE: _in_force.__doc__}


def locate_previous(
    found: Iterable[Finding],
    where: Locator | None,
    previous_where: Locator | None = None,
    previous_file: str | None = None,
) -> list[Finding]:
    """Attach this year's sheet/cell(s) from `where`, never asking it about last year's pointers;
    last year's place goes into `args` (`previous_cell`, `previous_file`), not into `cells`, which
    name cells of this year's workbook."""
    out = []
    for f in found:
        own = [p for p in f.paths if not p.startswith(PREVIOUS)]
        theirs = [p[len(PREVIOUS) :] for p in f.paths if p.startswith(PREVIOUS)]
        if where:
            hit = where(f.path)
            if hit:
                f.sheet, f.cell = hit
            f.cells = [f"{s}!{c}" for s, c in (x for x in map(where, own) if x)]
        if previous_file:
            f.args["previous_file"] = previous_file
        if previous_where and theirs:
            hit = previous_where(theirs[0])
            if hit:
                f.args["previous_cell"] = f"{hit[0]}!{hit[1]}"
        out.append(f)
    return out


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


# -- recorded figures: hidden defined names in a workbook made by `template --from` --------------


def recorded_names(last: dict[str, Any]) -> dict[str, str | int | float]:
    """Defined name → value to record in next year's workbook (only values that are present)."""
    out: dict[str, str | int | float] = {}
    for path in RECORDED_PATHS:
        value = get_path(last, path)
        if isinstance(value, str) and value or _count(value) is not None:
            out[NAME_PREFIX + ".".join(path)] = value
    return out


def name_formula(value: str | int | float) -> str:
    """A defined name's formula text for a constant: `"text"` (quotes doubled) or a number."""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return repr(value)


def parse_name_formula(text: str) -> str | int | float | None:
    """The constant a defined name's formula holds; None for anything else (a reference, a
    formula). Never evaluates anything."""
    text = text.strip()
    if text.startswith("="):
        text = text[1:].strip()
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        inner = text[1:-1]
        return None if re.search(r'(?<!")"(?!")', inner) else inner.replace('""', '"')
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    if re.fullmatch(r"-?[0-9]+\.[0-9]*(?:[eE][-+]?[0-9]+)?", text):
        return float(text)
    return None


_BY_NAME = {NAME_PREFIX + ".".join(p): p for p in RECORDED_PATHS}


def previous_from_names(names: Mapping[str, Any]) -> dict[str, Any] | None:
    """The partial last-year report recorded in a workbook's defined names.

    `names` maps defined names to their formula text exactly as stored (`"额敏县…"`, `2024`,
    with or without a leading `=`), or to numbers already parsed. Names that are not ours, and
    values that are not constants of the expected kind, are ignored. None if nothing is recorded.
    """
    out: dict[str, Any] = {}
    for name, raw in names.items():
        path = _BY_NAME.get(name)
        if path is None:
            continue
        value = parse_name_formula(raw) if isinstance(raw, str) else raw
        if value is None or (path == ("agency", "name")) != isinstance(value, str):
            continue  # not a constant of the expected kind: ignore rather than guess
        node = out
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    return out or None
