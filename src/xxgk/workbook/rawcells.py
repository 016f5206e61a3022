"""What a cell really holds when python-calamine gives nothing usable for it.

python-calamine returns "" for a formula whose file holds no computed value and for an error
value such as #N/A, and the date 1899-12-30 for a date-formatted cell holding NaN. Reported as
read, such a cell would be "为空" or a date nobody typed. For the few named cells that read so,
their sheet's bytes are looked at (only then: a well-filled workbook never pays for it) — by a
scan for the cell (`sheetscan.py`; a blank narrative cell is common, and parsing its sheet
again cost more than reading the workbook's values), or by lxml where the scan cannot be
trusted — and the truth handed to the cell rules (`cells.Unusable`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping

from xxgk.workbook.cells import Unusable
from xxgk.workbook.sheetscan import Unscannable, cell_parts, markup_free, scannable
from xxgk.workbook.xmlsafe import parse_xml

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_C, _F, _V = (f"{{{NS_MAIN}}}{tag}" for tag in ("c", "f", "v"))
NAN_DATE = dt.datetime(1899, 12, 30)  # serial 0, or NaN, in a date-formatted cell


def suspicious(raw: Any) -> bool:
    """Whether python-calamine's value may hide what the cell holds."""
    return raw is None or raw == "" or (isinstance(raw, dt.datetime) and raw == NAN_DATE)


def without_value(f_text: str | None) -> Unusable:
    """A cell holding a formula (its <f>'s text, None for none) and no computed value."""
    return Unusable(f"={f_text}" if f_text else "（共享公式）", formula=True)


def _judge(t: str | None, has_f: bool, f_text: str | None, value: str | None) -> Unusable | None:
    """A cell's type, whether it has a <f>, the <f>'s and the <v>'s text → what it holds."""
    if has_f and value is None:
        return without_value(f_text)
    if value is None:
        return None
    if t == "e":
        return Unusable(value)
    if t in (None, "n"):
        try:
            number = float(value)
        except ValueError:
            return Unusable(value)
        if not math.isfinite(number):
            return Unusable(value)
    return None


def _parsed(xml: bytes, member: str, cells: Iterable[str]) -> dict[str, Unusable]:
    out: dict[str, Unusable] = {}
    todo = set(cells)
    for cell in parse_xml(xml, member).iter(_C):
        ref = cell.get("r", "")
        if ref in todo:
            todo.discard(ref)
            f = cell.find(_F)
            v = cell.find(_V)
            value = v.text if v is not None and v.text else None
            found = _judge(cell.get("t"), f is not None, None if f is None else f.text, value)
            if found is not None:
                out[ref] = found
            if not todo:
                break
    return out


def _scanned(xml: bytes, cells: Iterable[str]) -> dict[str, Unusable]:
    out: dict[str, Unusable] = {}
    for ref in cells:
        parts = cell_parts(xml, ref)
        if parts is not None:
            found = _judge(parts.t, parts.has_f, parts.f_text, parts.v_text)
            if found is not None:
                out[ref] = found
    return out


def explain(
    sheets: Mapping[str, tuple[str, bytes, bool]], wanted: Mapping[str, Iterable[str]]
) -> dict[tuple[str, str], Unusable]:
    """(sheet, A1) → what the cell holds, for the `wanted` cells of each sheet that hold a
    formula without its value, an error value or a number that is none. `sheets`: sheet name →
    (zip member, its XML, what `grid.check_grid` said of it)."""
    out: dict[tuple[str, str], Unusable] = {}
    for sheet, cells in wanted.items():
        member, xml, small = sheets[sheet]
        found: dict[str, Unusable] | None = None
        if scannable(xml, small) and markup_free(xml):
            try:
                found = _scanned(xml, cells)
            except Unscannable:
                found = None
        if found is None:
            found = _parsed(xml, member, cells)
        out.update(((sheet, ref), unusable) for ref, unusable in found.items())
    return out
