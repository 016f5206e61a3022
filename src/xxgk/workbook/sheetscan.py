"""What python-calamine does not say of a sheet — which cells hold a formula and its text, and
what a cell it read as empty really holds — found by a scan of the part's bytes, not a parse.

python-calamine parses every sheet for its values; parsing 表三 once more with lxml only to
find its few <f> elements cost 0.3–0.5 ms a workbook (its inline strings' character references
are most of the work), this scan a fifth of that. The scan is used only where its patterns are
exact: every <c> and <row> unprefixed with its position as first attribute
(`grid.is_small_grid`, measured before any parser reads a sheet), SpreadsheetML the default
namespace, declared once and bound to no prefix (else a prefixed <x:f> could be a formula), no
comment, CDATA section or processing instruction after the prolog (they could hide or fake a
tag), every <f> a cell's first child, and no text a parser would refuse. Anything else raises
`Unscannable`, and the part is parsed with lxml as before (`formulas.py`, `rawcells.py`).

Only plain byte searches and patterns with a literal start: a pattern without one walks every
byte (0.1 ms for 表三). The same conditions (`scannable`, `markup_free`) and the same reading of
character data (`text_of`) serve the value scan (`cellscan.py`), which reads a workbook the way
these scans read python-calamine's leftovers, for the values themselves.
"""

from __future__ import annotations

import re

from xxgk.format.lazyre import lazy
from xxgk.format.record import record

_MAIN_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_XMLNS = re.compile(rb"xmlns[^:]")  # a default namespace declared
_MARKUP = lazy(rb"<[!?]")  # comment, CDATA, DOCTYPE, processing instruction
_F_OR_MARKUP = lazy(rb"<(?:[!?]|f[\s>/])")  # <f> but not <formula>, or the above
# A cell whose first child is the formula at hand: (reference, "<f", its attributes, its text)
_FORMULA_CELL = lazy(
    rb'<c r="([A-Za-z]{1,3}[0-9]{1,7})"(?:\s[^<>]*?)?(?<!/)>\s*(<f)(\s[^<>]*?)?(?:/>|>([^<]*)</f>)'
)
_ATTR = lazy(rb"""\s([A-Za-z]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CHILD_F = lazy(rb"<f(\s[^<>]*?)?(?:/>|>([^<]*)</f>)")
_CHILD_V = lazy(rb"<v(?:\s[^<>]*?)?(?:/>|>([^<]*)</v>)")
_ENTITY = re.compile(r"&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(lt|gt|amp|quot|apos));")
# C0 controls XML 1.0 forbids (tab, LF and CR it allows): 0.06 ms to compile, where one class
# with U+FFFE and U+FFFF in it took 0.43 (a table of the whole plane)
_C0 = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}

# (A1 reference, the <f>'s t, its si, its text as in the file: `text_of` reads it)
RawFormula = tuple[str, str | None, str | None, bytes | None]


class Unscannable(Exception):
    """The bytes are not as the patterns assume: parse the part instead."""


def scannable(xml: bytes, small: bool) -> bool:
    """Whether this sheet part may be scanned, as far as cheap checks tell (`formula_cells`
    and `markup_free` check the rest); `small`: `grid.is_small_grid(xml)`."""
    return small and plain_namespaces(xml)


def plain_namespaces(xml: bytes) -> bool:
    """SpreadsheetML the default namespace, declared once near the start and bound to no
    prefix, and no other default namespace declared: every unprefixed element is SpreadsheetML."""
    return (
        _MAIN_NS in xml[:2048]
        and xml.count(b"spreadsheetml/2006/main") == 1
        and len(_XMLNS.findall(xml)) == 1
    )


def _body_start(xml: bytes) -> int:
    """Where the part's body starts: after its XML declaration, if any."""
    return xml.find(b"?>") + 2 if xml.startswith((b"<?xml", b"\xef\xbb\xbf<?xml")) else 0


def markup_free(xml: bytes) -> bool:
    """No comment, CDATA section or processing instruction after the prolog."""
    start = _body_start(xml)
    if xml.find(b"!", start) < 0 and xml.find(b"?", start) < 0:
        return True  # most sheets have neither: two memchr calls, a tenth of the regex's pass
    return _MARKUP.search(xml, start) is None


def has_forbidden(text: str) -> bool:
    """Whether decoded UTF-8 holds a character XML 1.0 forbids: a C0 control but tab, LF and CR,
    or U+FFFE, U+FFFF (a surrogate cannot come out of UTF-8)."""
    return _C0.search(text) is not None or "\ufffe" in text or "\uffff" in text


def text_of(raw: bytes | None) -> str | None:
    """Character data as an XML parser gives it: entities replaced, line ends normalised.
    None for no text at all (lxml's `.text` of an empty element). Raises Unscannable for what
    a parser would refuse (a stray "&", a control character), so that the parser says so."""
    if not raw:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Unscannable from None
    if has_forbidden(text):
        raise Unscannable
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in text:
        if text.count("&") != len(_ENTITY.findall(text)):
            raise Unscannable
        text = _ENTITY.sub(_entity, text)
    return text


def _entity(match: re.Match[str]) -> str:
    hexa, decimal, name = match.groups()
    if name:
        return _NAMED[name]
    code = int(hexa, 16) if hexa else int(decimal)
    if not (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    ):
        raise Unscannable  # not a character XML allows
    return chr(code)


def _attributes(raw: bytes | None) -> dict[bytes, str]:
    if not raw:
        return {}
    # findall gives b"" for the quote style not used
    return {name: text_of(dq or sq) or "" for name, dq, sq in _ATTR.findall(raw)}


def formula_cells(xml: bytes) -> list[RawFormula]:
    """Every cell holding a formula, in document order, as the parse in `formulas.py` finds
    them (the text left as bytes: most are never needed). Raises Unscannable when a <f> is
    anywhere but a cell's first child, or the part has markup the scan cannot see through.
    Each <f> is matched from its enclosing <c>, so that only formulas cost a match."""
    found: list[RawFormula] = []
    for tag in _F_OR_MARKUP.finditer(xml, _body_start(xml)):
        at = tag.start()
        if xml[at + 1] != 0x66:  # "<!" or "<?", not "<f"
            raise Unscannable
        match = _FORMULA_CELL.match(xml, max(xml.rfind(b"<c ", 0, at), 0))
        if match is None or match.start(2) != at:
            raise Unscannable  # a <f> not where the pattern looks: let the parser judge
        ref, _, attrs, text = match.groups()
        got = _attributes(attrs)
        found.append((ref.decode("ascii"), got.get(b"t"), got.get(b"si"), text))
    return found


@record(frozen=True)
class CellParts:
    """One <c> element as the scan sees it: its type, and its <f> and <v> if present."""

    t: str | None
    has_f: bool
    f_text: str | None
    v_text: str | None


def cell_parts(xml: bytes, ref: str) -> CellParts | None:
    """The first <c r="ref"> of a scannable, markup-free sheet part; None when there is none."""
    at = xml.find(b'<c r="' + ref.encode("ascii") + b'"')  # the quote ends the reference
    if at < 0:
        return None
    end_tag = xml.find(b">", at)
    if end_tag < 0:
        raise Unscannable
    t = _attributes(xml[at + 2 : end_tag]).get(b"t")
    if xml[end_tag - 1] == 0x2F:  # "/>": an empty cell
        return CellParts(t, False, None, None)
    close = xml.find(b"</c>", end_tag)
    if close < 0:
        raise Unscannable
    inner = xml[end_tag + 1 : close]
    f = _CHILD_F.search(inner)
    v = _CHILD_V.search(inner)
    return CellParts(
        t,
        f is not None,
        None if f is None else text_of(f.group(2)),
        None if v is None else text_of(v.group(1)),
    )
