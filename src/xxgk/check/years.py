"""This year's report against last year's: rules 6 and 7 of the official format.

Pure: report data in, findings out. Last year's report may be complete (`--previous LAST`) or
partial: the few figures (`RECORDED_PATHS`) a workbook made by `xxgk template --from LAST`
records (see `workbook.recorded`), so that the check also runs without the old file. A rule
whose last-year figure is missing is skipped.

Pointers into last year's report: a finding's `paths` lists this year's values as ordinary JSON
Pointers and last year's as `previous#` + pointer, e.g. `previous#/requests/carried_forward/total`
(the JSON Pointer as a URI fragment of the document "previous"). Locators of this year's workbook
must not be asked about them; `locate_previous` places them for a workbook.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from xxgk.check import findings as fc
from xxgk.check.findings import Finding, Locator
from xxgk.check.rulebook import NARRATIVE_FIELDS
from xxgk.format import model as m
from xxgk.format.paths import get_path, is_number, is_whole

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

PREVIOUS = "previous#"  # prefix of a pointer into last year's report

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
    return value if is_number(value) else None


def _year(value: Any) -> int | None:
    return value if is_whole(value) else None


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
    return [*_carried_over(this, last), *_in_force(this, last), *_copied(this, last)]


# A paragraph this long copied unchanged is no accident (short ones — "无。" — may well repeat).
COPIED_MIN_CHARS = 30


def _normalised(text: Any) -> str:
    return re.sub(r"\s+", "", text) if isinstance(text, str) else ""


def _copied(this: dict[str, Any], last: dict[str, Any]) -> Iterable[Finding]:
    """规则（国办公开办函〔2021〕30号）：年度报告内容不得与往年雷同——本年的叙述部分与上年同一部分
    一字不差（不计空白）。"""
    for field in NARRATIVE_FIELDS:
        here = _normalised(get_path(this, field.path))
        if len(here) >= COPIED_MIN_CHARS and here == _normalised(get_path(last, field.path)):
            yield fc.make(
                fc.PREV_COPIED,
                m.pointer(field.path),
                [m.pointer(field.path), previous_pointer(field.path)],
                where=m.LEAF_BY_POINTER[m.pointer(field.path)].where,
                previous_year=_year(last.get("year")) or "上",
            )


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






# -- recorded figures: hidden defined names in a workbook made by `template --from` --------------










