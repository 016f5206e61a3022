"""The named cells' values read from the sheet bytes the guard inflated, as python-calamine
would give them, without python-calamine: its second inflation and full parse of every sheet
(1.1 ms a workbook) was half of reading, for some 230 cells.

Exact for the cells it reads, by construction:
- each wanted cell is read only in the plainest forms (a number, a date by its style, an inline
  or shared string, empty, a formula with its cached number); any other raises `Miss`, and the
  workbook is read by python-calamine as before;
- the sheet must be laid out as spreadsheet programs write it (`scan_sheet`, with
  `sheetscan.scannable` and `markup_free`), so that the bytes found for a reference are the
  cell python-calamine would read there; a shared strings table is checked in full
  (`cellstrings.py`);
- whether a style formats a number as a date is asked of python-calamine itself, once per
  distinct styles.xml (`style_classes`).
What the scan does not judge is the rest of a sheet: python-calamine refuses a whole workbook
for one broken cell anywhere (an undefined entity in a label, a cell naming a shared string
where there is no table), which only a full parse tells, and a full parse costs what
python-calamine does. Such a cell holds nothing of the report, and the report is read.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from functools import lru_cache

from xxgk.format import ziparchive as za
from xxgk.format.lazyre import lazy
from xxgk.workbook.cellref import col_letters
from xxgk.workbook.cellstrings import Miss, SharedStrings, inline_text

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

NUM, DATE, OTHER = range(3)  # how python-calamine reads a number in a cell of a style
_EPOCH = dt.date(1899, 12, 30)
_FIRST_DATE, _LAST_DATE = 61, 2958465  # after Excel's 1900-02-29, up to 9999-12-31
_DECIMAL = lazy(rb"-?[0-9]{1,15}\.[0-9]{1,15}")
_CELL_ATTR = re.compile(rb' ([st])="([0-9A-Za-z]*)"')
# a cell's <f>: its attributes, its text; LibreOffice writes aca="false" on every formula (the
# calculation flags aca and ca leave its text as it is; t and si do not: formulas.py expands them)
_F_THEN = re.compile(rb"<f( [^<>]*?)?(?:/>|>([^<]*)</f>)")
_CALC_FLAGS = lazy(rb'(?: (?:aca|ca)="[a-z0-9]*")+')


Spot = tuple[int, bytes]  # a wanted cell: its slot in the reader's list, its tag b'<c r="D5"'


def spots_of(cells: Sequence[tuple[int, int, int]]) -> tuple[Spot, ...]:
    """(slot, row, col) 0-based → Spots in the order Excel writes cells (rows, then columns)."""
    ordered = sorted(cells, key=lambda c: (c[1], c[2]))
    return tuple(
        (slot, f'<c r="{col_letters(col + 1)}{row + 1}"'.encode("ascii"))
        for slot, row, col in ordered
    )


@lru_cache(maxsize=4096)
def _attrs(raw: bytes) -> tuple[int, bytes | None]:
    """A cell's attributes after its r="…" → (style index, type); Miss for anything else."""
    found = _CELL_ATTR.findall(raw)
    keys = [key for key, _ in found]
    if b"".join(b' %s="%s"' % pair for pair in found) != raw or len(set(keys)) != len(keys):
        raise Miss
    got = dict(found)
    style = got.get(b"s", b"0")
    if not style.isdigit():
        raise Miss
    return int(style), got.get(b"t")


def _number(text: bytes, kind: int) -> Any:
    if kind == NUM:
        if text.isdigit() or _DECIMAL.fullmatch(text):
            return float(text)
    elif kind == DATE and text.isdigit() and len(text) < 9:
        days = int(text)
        if _FIRST_DATE <= days <= _LAST_DATE:
            return _EPOCH + dt.timedelta(days=days)
    raise Miss


def _value(
    attrs: bytes, body: bytes, classes: Sequence[int], strings: SharedStrings
) -> tuple[Any, bytes | bool | None]:
    """One wanted cell's value as python-calamine's grid holds it (None for ""), and its
    formula: None for none, the text of a plain <f>…</f> as in the file, False for another."""
    style, kind = _attrs(attrs)
    if not body:
        return None, None
    formula: bytes | bool | None = None
    if kind is None or kind == b"n":
        if body[:2] == b"<f":
            f = _F_THEN.match(body)
            if f is None:
                raise Miss
            flags, text = f.groups()
            plain = flags is None or _CALC_FLAGS.fullmatch(flags) is not None
            formula = text if text is not None and plain else False
            if f.end() == len(body):
                return None, formula  # a formula without its value: "" (rawcells explains it)
            body = body[f.end() :]
        if body == b"<v></v>" or body == b"<v/>":
            return None, formula  # openpyxl's formula without a computed value: ""
        if body[:3] == b"<v>" and body[-4:] == b"</v>" and style < len(classes):
            return _number(body[3:-4], classes[style]), formula
        raise Miss
    if kind == b"inlineStr":
        return inline_text(body) or None, None
    if kind == b"s" and body[:3] == b"<v>" and body[-4:] == b"</v>" and body[3:-4].isdigit():
        return strings.of(int(body[3:-4])) or None, None
    raise Miss


_CACHE_LIMIT = 50_000
_CACHED_BYTES = 96  # numbers and short texts repeat; a narrative would only hold memory
# a cell's bytes after its reference → its value (all immutable), by the styles' classes; values
# of shared strings are the file's own and are not kept
_CACHES: dict[tuple[int, ...], dict[bytes, Any]] = {}


# every cell's start in a sheet's data, with its reference if that is its first attribute
_CELL_START = re.compile(rb'<c(?: r="([A-Za-z0-9]*)")?[\s>/]')
# references as spreadsheet programs write them: in capitals, no "D05", all within ZZ999 (so
# python-calamine's grid of the sheet would be small: `grid.is_small_grid`)
_REFS = re.compile(rb"[A-Z]{1,2}[1-9][0-9]{0,2}(?: [A-Z]{1,2}[1-9][0-9]{0,2})*")
_PREFIXED = re.compile(rb":(?:c|row)[\s>/]")  # a prefixed <x:c> or <x:row>


_SEEN_REFS: set[bytes] = set()  # sequences of references found plain: a template's repeat
_SEEN_REFS_LIMIT = 256  # of a few KB each


def _plain_refs(refs: list[bytes]) -> bool:
    """Every cell's reference in capitals, without leading zeros, within ZZ999, none twice.
    A sheet's sequence of references seen so before is so again: the files of one template
    mostly repeat their sheets' cells, and the check cost 40 µs a workbook."""
    joined = b" ".join(refs)
    if joined in _SEEN_REFS:
        return True
    if len(set(refs)) != len(refs) or _REFS.fullmatch(joined) is None:
        return False
    if len(_SEEN_REFS) >= _SEEN_REFS_LIMIT:
        _SEEN_REFS.clear()
    _SEEN_REFS.add(joined)
    return True


def scan_sheet(
    xml: bytes,
    spots: Sequence[Spot],
    classes: Sequence[int],
    strings: SharedStrings,
    raws: list[Any],
) -> dict[bytes, bytes | bool]:
    """The wanted cells of one sheet part, their values put in `raws` by slot (None: empty) →
    tag → formula (`_value`) of the wanted cells that hold one. Raises Miss.

    The part must already have `sheetscan.plain_namespaces` and be markup-free (no comment can
    hide a cell). On top of that, in its one <sheetData>: every cell is an unprefixed <c> with
    its position as first attribute (python-calamine places a cell by its own reference; one
    without would take the place after the previous one), written in capitals without leading
    zeros, within ZZ999 and none twice (python-calamine keeps the last of two, a search the
    first); and no wanted cell starts inside another cell.
    """
    find = xml.find
    start = find(b"<sheetData>")
    end = xml.rfind(b"</sheetData>")
    if start < 0 or end < start or xml.count(b"sheetData") != 2:
        raise Miss
    refs = _CELL_START.findall(xml, start, end)
    if _PREFIXED.search(xml, start, end) is not None or (refs and not _plain_refs(refs)):
        raise Miss  # a reference twice, missing, in small letters, as "D05", far out; <x:c>
    formulas: dict[bytes, bytes | bool] = {}
    at = start
    cache = _CACHES.setdefault(tuple(classes), {})
    if len(cache) > _CACHE_LIMIT or len(_CACHES) > 8:
        _CACHES.clear()
        cache = {}
    for slot, tag in spots:
        found = find(tag, at, end)
        if found < 0:
            if find(tag, start, end) >= 0:
                raise Miss  # out of the usual order
            raws[slot] = None
            continue
        before = xml.rfind(b"<c ", at, found)  # the last cell started since the previous one
        if (
            before >= 0
            and xml.rfind(b"</c>", before, found) < 0
            and xml[find(b">", before) - 1] != 0x2F
        ):
            raise Miss  # inside a cell that is still open
        close = find(b">", found)
        if xml[close - 1] == 0x2F:  # "/>": an empty cell
            at = close + 1
            key = xml[found + len(tag) : close]
        else:
            at = find(b"</c>", close, end)
            if at < 0:
                raise Miss
            key = xml[found + len(tag) : at]
            at += 4
        got = cache.get(key)
        if got is None:
            got = _cell_value(key, classes, strings)
            # a shared string's number means another text in another file
            if len(key) <= _CACHED_BYTES and b't="s"' not in key:
                cache[key] = got
        raws[slot] = got[0]
        if got[1] is not None:
            formulas[tag] = got[1]
    return formulas


def _cell_value(
    key: bytes, classes: Sequence[int], strings: SharedStrings
) -> tuple[Any, bytes | bool | None]:
    if key[-1:] == b"/":
        return _value(key[:-1], b"", classes, strings)
    close = key.find(b">")
    return _value(key[:close], key[close + 1 :], classes, strings)


# -- styles: which formats a number as a date, asked of python-calamine -----------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAX_STYLES = 2048


def _probe_book(styles: bytes, count: int) -> bytes:
    """A one-sheet workbook with these styles: row 1 holds 2.5, row 2 45701 in every style."""
    rows = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{col_letters(s + 1)}{r}" s="{s}"><v>{v}</v></c>' for s in range(count))
        + "</row>"
        for r, v in ((1, "2.5"), (2, "45701"))
    )
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://'
        'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
        'Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC}'
        '/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets><sheet '
        'name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
        f'Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
        f'Type="{_DOC}/styles" Target="styles.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{_MAIN}"><sheetData>{rows}'
        "</sheetData></worksheet>",
    }
    members = [za.stored(name, text.encode("utf-8")) for name, text in parts.items()]
    members.append(za.stored("xl/styles.xml", styles))
    return za.archive([za.records(member) for member in members])


@lru_cache(maxsize=32)  # a county's files mostly share a few
def style_classes(styles: bytes) -> tuple[int, ...]:
    """NUM, DATE or OTHER for each style index a cell may name (empty: the scan cannot be used)."""
    from python_calamine import CalamineWorkbook

    count = styles.count(b"<xf ") + styles.count(b"<xf>")
    if not 0 < count <= _MAX_STYLES:
        return ()
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(_probe_book(styles, count)))
        grid = book.get_sheet_by_name("S").to_python(skip_empty_area=False)
    except BaseException as exc:  # noqa: BLE001 - any refusal: no fast path for these styles
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return ()
    if len(grid) != 2 or len(grid[0]) != count or len(grid[1]) != count:
        return ()
    out = []
    for half, whole in zip(grid[0], grid[1], strict=True):
        if type(half) is float and half == 2.5 and type(whole) is float and whole == 45701:
            out.append(NUM)
        elif type(half) is dt.datetime and type(whole) is dt.date and whole == dt.date(2025, 2, 13):
            out.append(DATE)
        else:
            out.append(OTHER)
    return tuple(out)
