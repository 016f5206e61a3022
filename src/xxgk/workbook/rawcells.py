"""What a cell really holds when python-calamine gives nothing usable for it.

python-calamine returns "" for a formula whose file holds no computed value and for an error
value such as #N/A, and the date 1899-12-30 for a date-formatted cell holding NaN. Reported as
read, such a cell would be "为空" or a date nobody typed. For the few named cells that read so,
their sheet's XML is looked at (only then: a well-filled workbook never pays for it) and the
truth handed to the cell rules (`cells.Unusable`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import Any

from xxgk.workbook.cells import Unusable
from xxgk.workbook.xmlsafe import parse_xml

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_C, _F, _V = (f"{{{NS_MAIN}}}{tag}" for tag in ("c", "f", "v"))
NAN_DATE = dt.datetime(1899, 12, 30)  # serial 0, or NaN, in a date-formatted cell


def suspicious(raw: Any) -> bool:
    """Whether python-calamine's value may hide what the cell holds."""
    return raw is None or raw == "" or (isinstance(raw, dt.datetime) and raw == NAN_DATE)


def _unusable(cell: Any) -> Unusable | None:
    f = cell.find(_F)
    v = cell.find(_V)
    value = v.text if v is not None and v.text else None
    if f is not None and value is None:
        text = f"={f.text}" if f.text else "（共享公式）"
        return Unusable(text, formula=True)
    if value is None:
        return None
    if cell.get("t") == "e":
        return Unusable(value)
    if cell.get("t") in (None, "n"):
        try:
            number = float(value)
        except ValueError:
            return Unusable(value)
        if not math.isfinite(number):
            return Unusable(value)
    return None


def explain(
    sheets: Mapping[str, tuple[str, bytes]], wanted: Mapping[str, Iterable[str]]
) -> dict[tuple[str, str], Unusable]:
    """(sheet, A1) → what the cell holds, for the `wanted` cells of each sheet that hold a
    formula without its value, an error value or a number that is none. `sheets`: sheet name →
    (zip member, its XML)."""
    out: dict[tuple[str, str], Unusable] = {}
    for sheet, cells in wanted.items():
        member, xml = sheets[sheet]
        todo = set(cells)
        for cell in parse_xml(xml, member).iter(_C):
            ref = cell.get("r", "")
            if ref in todo:
                todo.discard(ref)
                found = _unusable(cell)
                if found is not None:
                    out[sheet, ref] = found
                if not todo:
                    break
    return out
