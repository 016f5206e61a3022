"""Next year's template from last year's report (`xxgk template --from LAST`).

Carried over: the agency's name and contact details; the year advanced by one; table 三's
二、上年结转 prefilled, per applicant column, from last year's 四、结转下年度继续办理 (the total
column stays a formula). Recorded: last year's year, agency, 现行有效件数 and 结转下年度 as
hidden workbook-level defined names `xxgk.previous.<dotted path>` holding constants (see
`recorded.recorded_names`), which the workbook reader returns as `Source.previous`, so that
rules 6 and 7 are checked later without the old file.
"""

from __future__ import annotations

from typing import Any

from openpyxl.workbook import Workbook
from openpyxl.workbook.defined_name import DefinedName

from xxgk.format import model as m
from xxgk.format.paths import get_path, is_whole
from xxgk.workbook.recorded import name_formula, recorded_names
from xxgk.workbook.template import build_template

CARRIED_TEXT: tuple[m.Path, ...] = tuple(f.path for f in m.AGENCY_FIELDS)


def _count(value: Any) -> bool:
    return is_whole(value) and value >= 0


def next_year_data(last: dict[str, Any]) -> dict[str, Any]:
    """The partial report next year's template is prefilled with (only what last year gives)."""
    out: dict[str, Any] = {}
    year = last.get("year")
    if is_whole(year):
        out["year"] = year + 1
    for path in CARRIED_TEXT:
        value = get_path(last, path)
        if isinstance(value, str) and value.strip():
            out.setdefault(path[0], {})[path[1]] = value.strip()
    carried: dict[str, int] = {}
    for col in m.APPLICANT_PARTS:
        value = get_path(last, m.TABLE3_ROOT + m.TABLE3_CARRIED_FORWARD.path + (col.id,))
        if _count(value):
            carried[col.id] = value
    if carried:
        out["requests"] = {"carried_over": carried}
    return out


def record_previous(wb: Workbook, last: dict[str, Any]) -> dict[str, str | int | float]:
    """Add the hidden `xxgk.previous.*` names to `wb`; return what was recorded."""
    # Excel refuses a text constant over 255 characters in a name; no real agency name is so long.
    names = {
        k: v for k, v in recorded_names(last).items() if not isinstance(v, str) or len(v) <= 250
    }
    for name, value in names.items():
        wb.defined_names[name] = DefinedName(name, attr_text=name_formula(value), hidden=True)
    return names


def next_year_template(last: dict[str, Any]) -> Workbook:
    """Next year's template, prefilled and recording last year's figures."""
    wb = build_template(data=next_year_data(last))
    record_previous(wb, last)
    return wb
