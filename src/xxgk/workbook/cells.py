"""What staff really type into a cell, turned into the value the report data holds.

Pure functions of one cell's value as a spreadsheet library returns it (None or "" for empty,
int/float, str, bool, date/datetime). Each returns a `CellValue`: the value for the data and,
when the cell needs attention, the finding code and its message arguments. The caller decides
where the finding points; nothing here knows about files.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from decimal import Decimal, InvalidOperation

from xxgk.check import findings as fc
from xxgk.format.lazyre import lazy
from xxgk.format.paths import is_number
from xxgk.format.record import field, record

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

# Excel serial day 1 is 1900-01-01, with the 1900 leap-year bug: serials count from 1899-12-30.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_RANGE = (36526, 73051)  # 2000-01-01 .. 2099-12-31: a bare number there is a date
_SPACES = " \t\r\n\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff"
SPACES = _SPACES  # what a name or a line typed into a cell is stripped of
_PLAIN_NUMBER = lazy(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_GROUPED_NUMBER = lazy(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_DATE_TEXT = lazy(
    r"(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})\s*日?"
    r"(?:\s+\d{1,2}:\d{2}(:\d{2})?)?"
)
_YEAR_TEXT = lazy(r"(\d{4})\s*(年度|年)?")


@record(frozen=True)
class CellValue:
    value: Any
    code: str | None = None
    args: dict[str, Any] = field(default_factory=dict)


@record(frozen=True)
class Unusable:
    """A cell that is not empty but holds no value to use: a formula whose file has no computed
    value (`formula`), an error value such as #N/A, or a number that is none (NaN). `text` is
    what the cell holds, as shown to staff."""

    text: str
    formula: bool = False


def unusable(raw: Unusable, numeric: bool) -> CellValue:
    """What an `Unusable` cell gives: its own finding for a formula, else the value as text
    (a count or amount says it is no number; a text, date or year cell keeps it for the
    validator to judge)."""
    if raw.formula:
        return CellValue(0 if numeric else "", fc.WB_NO_VALUE, {"value": raw.text})
    if numeric:
        return CellValue(0, fc.WB_NOT_NUMBER, {"value": raw.text})
    return CellValue(raw.text)


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip(_SPACES) == "")


def _whole(value: float | int) -> int | float:
    """3.0 → 3: spreadsheets store every number as a float."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def shown(raw: Any) -> str:
    """How a typed value is quoted back to staff."""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"  # as Excel shows it
    if isinstance(raw, float):
        return repr(_whole(raw)) if math.isfinite(raw) else str(raw)
    if isinstance(raw, dt.datetime):
        return raw.strftime("%Y-%m-%d %H:%M")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw)


def _text_number(text: str) -> tuple[int | float | None, bool]:
    """A number written as text, and whether full-width characters had to be converted."""
    stripped = text.strip(_SPACES)
    folded = unicodedata.normalize("NFKC", stripped).strip(_SPACES)
    fullwidth = folded != stripped
    folded = folded.replace("，", ",")
    if _GROUPED_NUMBER.fullmatch(folded):
        folded = folded.replace(",", "")
    if not _PLAIN_NUMBER.fullmatch(folded):
        return None, fullwidth
    try:
        number = Decimal(folded)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return None, fullwidth
    value: int | float = int(number) if number == number.to_integral_value() else float(number)
    return value, fullwidth


def plain_number(raw: Any, integer: bool) -> int | float | None:
    """The common case of `read_number`, without allocating: a number ≥ 0 as the spreadsheet
    library returns it (an int, or a float that is whole for a count) → its value for the data;
    None for anything that needs `read_number` (and maybe a finding).
    """
    kind = type(raw)
    if kind is int:
        return raw if raw >= 0 else None
    if kind is float and raw >= 0:  # NaN fails the comparison, inf fails is_integer / isfinite
        if raw.is_integer():
            return int(raw)
        if not integer and math.isfinite(raw):
            return raw
    return None


def read_number(raw: Any, *, integer: bool) -> CellValue:
    """A count (integer ≥ 0) or an amount (number ≥ 0).

    An unusable cell gives its finding and 0 for the data, so that one mistake is one finding
    (the validator sees a valid number there) and the totals can still be computed.
    """
    plain = plain_number(raw, integer)
    if plain is not None:
        return CellValue(plain)
    return _read_number(raw, integer)


def _read_number(raw: Any, integer: bool) -> CellValue:
    """`read_number` in full, for every kind of value (the reference for `plain_number`)."""
    if is_blank(raw):
        return CellValue(0, fc.WB_BLANK)
    warn: str | None = None
    if is_number(raw):
        if not math.isfinite(raw):
            return CellValue(0, fc.WB_NOT_NUMBER, {"value": shown(raw)})
        value: int | float = _whole(raw)
    elif isinstance(raw, str):
        parsed, fullwidth = _text_number(raw)
        if parsed is None:
            return CellValue(0, fc.WB_NOT_NUMBER, {"value": raw.strip(_SPACES)})
        value = parsed
        warn = fc.WB_FULLWIDTH if fullwidth else fc.WB_NUMBER_TEXT
    else:  # a date, a time, a boolean
        return CellValue(0, fc.WB_NOT_NUMBER, {"value": shown(raw)})
    if value < 0:
        return CellValue(0, fc.VALUE_NEGATIVE, {"value": shown(value)})
    if integer and not float(value).is_integer():
        return CellValue(0, fc.WB_FRACTION, {"value": shown(value)})
    if integer:
        value = int(value)
    if warn:
        return CellValue(value, warn, {"value": str(raw).strip(_SPACES) or str(raw), "read": value})
    return CellValue(value)


def read_text(raw: Any, *, strip: bool = False) -> CellValue:
    """Narrative or a name. Numbers and dates typed into a text cell become their text."""
    if raw is None:
        return CellValue("")
    if is_number(raw):
        return CellValue(shown(raw))
    if isinstance(raw, (dt.date, dt.datetime)):
        return CellValue(shown(raw))
    if isinstance(raw, bool):
        return CellValue("是" if raw else "否")
    text = str(raw)
    return CellValue(text.strip(_SPACES) if strip else text)


def read_postcode(raw: Any) -> CellValue:
    """Six digits, typed as text or as a number (834600)."""
    if is_blank(raw):
        return CellValue("", fc.VALUE_EMPTY)
    if is_number(raw) and math.isfinite(raw) and float(raw).is_integer():
        return CellValue(str(int(raw)))
    text = unicodedata.normalize("NFKC", str(raw)).strip(_SPACES)
    return CellValue(text)


def read_year(raw: Any) -> CellValue:
    """The reporting year, as a number or as text such as 2024 / 2024年 / ２０２４."""
    if is_blank(raw):
        return CellValue(None, fc.VALUE_EMPTY)
    if is_number(raw) and math.isfinite(raw) and float(raw).is_integer():
        return CellValue(int(raw))
    if isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip(_SPACES)
        match = _YEAR_TEXT.fullmatch(text)
        if match:
            return CellValue(int(match.group(1)))
        return CellValue(raw.strip(_SPACES))
    return CellValue(shown(raw))  # a date or a fraction: the validator says it is no year


def _excel_serial(value: float) -> dt.date:
    return _EXCEL_EPOCH + dt.timedelta(days=int(value))


def read_date(raw: Any) -> CellValue:
    """A real Excel date, or text such as 2025年2月13日, 2025-2-13, 2025.2.13, 2025/2/13.

    Text that names no real day is kept as typed, for the validator's date finding.
    """
    if is_blank(raw):
        return CellValue("", fc.VALUE_EMPTY)
    if isinstance(raw, dt.datetime):
        return CellValue(raw.date().isoformat())
    if isinstance(raw, dt.date):
        return CellValue(raw.isoformat())
    if is_number(raw):
        if math.isfinite(raw) and _SERIAL_RANGE[0] <= raw <= _SERIAL_RANGE[1]:
            return CellValue(_excel_serial(raw).isoformat())
        return CellValue(shown(raw))
    text = unicodedata.normalize("NFKC", str(raw)).strip(_SPACES)
    match = _DATE_TEXT.fullmatch(text)
    if match:
        year, month, day = (int(match.group(i)) for i in (1, 2, 3))
        try:
            return CellValue(dt.date(year, month, day).isoformat())
        except ValueError:
            pass
    return CellValue(str(raw).strip(_SPACES))


def as_number(raw: Any) -> int | float | None:
    """A cell's value as a number if it plainly is one (for cached totals), else None."""
    if is_number(raw) and math.isfinite(raw):
        return _whole(raw)
    return None
