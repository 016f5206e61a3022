"""Text of cells as python-calamine gives it, read from the bytes, for the fast value scan
(`cellscan.py`): inline strings and the shared strings table.

What python-calamine does, measured on its own output (tests/test_cellscan.py): character and
entity references replaced, line ends normalised, a `<t>` without xml:space="preserve" trimmed
of ASCII white space (after its references are replaced), rich-text runs joined, phonetic runs
left out. Only the plainest forms are read here; anything else raises `Miss`, and the workbook
is read by python-calamine instead — including text it would pass on with a character XML
forbids, which the reader then has judged by lxml.
"""

from __future__ import annotations

from xxgk.format.lazyre import lazy
from xxgk.workbook.sheetscan import Unscannable, has_forbidden, text_of


class Miss(Exception):
    """The bytes are not as the fast scan assumes: read the workbook with python-calamine."""


_EDGE = " \t\n\r"  # what python-calamine trims from a <t> that does not preserve space
_T_PRESERVE = b'<t xml:space="preserve">'


def t_text(raw: bytes, preserve: bool) -> str:
    """The text of one <t> element as python-calamine gives it; raises Miss where unsure."""
    if b"\r" in raw:
        raise Miss  # a literal CR: line-end handling is the parser's business
    if b"&" in raw:
        try:  # refuses a reference to a character XML forbids, which python-calamine passes on
            text = text_of(raw) or ""
        except Unscannable:
            raise Miss from None
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Miss from None
        if has_forbidden(text):
            raise Miss
    if not text:
        return text
    if not preserve and (text[0] in _EDGE or text[-1] in _EDGE):
        raise Miss  # trimmed by python-calamine: not worth knowing exactly how
    return text


def _one_t(body: bytes, at: int, end: int) -> str:
    """`<t>…</t>` or `<t xml:space="preserve">…</t>` filling body[at:end] exactly."""
    if body.startswith(b"<t>", at):
        start, preserve = at + 3, False
    elif body.startswith(_T_PRESERVE, at):
        start, preserve = at + len(_T_PRESERVE), True
    else:
        raise Miss
    close = end - 4
    if close < start or not body.startswith(b"</t>", close) or b"<" in body[start:close]:
        raise Miss
    return t_text(body[start:close], preserve)


def inline_text(body: bytes) -> str:
    """The text of an inline-string cell whose body is `<is><t …>text</t></is>`."""
    if not (body.startswith(b"<is>") and body.endswith(b"</is>")):
        raise Miss
    return _one_t(body, 4, len(body) - 5)


# -- the shared strings table -----------------------------------------------------------------

_TEXT = rb"[^<&\r]*(?:&(?:lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});[^<&\r]*)*"
_T = rb'(?:<t(?: xml:space="preserve")?>' + _TEXT + rb"</t>|<t/>)"
_ATTRS = rb'(?: [A-Za-z]+="[^"<>&]*")*'
_RPR = rb"<rPr>(?:<[A-Za-z]+" + _ATTRS + rb"/>)*</rPr>"
_RUN = rb"<r>(?:" + _RPR + rb")?" + _T + rb"</r>"
# one item of the table, after its "<si>"
_ITEM = lazy(
    rb"(?:"
    + _T
    + rb"|(?:"
    + _RUN
    + rb")+)(?:<rPh"
    + _ATTRS
    + rb">"
    + _T
    + rb"</rPh>)*(?:<phoneticPr"
    + _ATTRS
    + rb"/>)?</si>"
)
_SST_START = lazy(
    rb'(?:<\?xml [^<>?]*\?>\s*)?<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml'
    rb'/2006/main"(?: (?:count|uniqueCount)="[0-9]+")*>'
)
_SST_END = b"</sst>"
_RUN_T = lazy(rb'<t( xml:space="preserve")?>([^<]*)</t>|<t/>')


class SharedStrings:
    """A shared strings table split into its items, each checked and decoded only when a wanted
    cell refers to it (`of` raises Miss for one python-calamine may read otherwise). The other
    items are not judged: they hold nothing of the report (checking all of them cost 0.2 ms a
    workbook)."""

    def __init__(self, xml: bytes | None) -> None:
        self.items: list[bytes] = []
        self.ok = xml is None
        if xml is None:
            return
        head = _SST_START.match(xml)
        body = xml.rstrip(b" \t\r\n")
        if head is None or not body.endswith(_SST_END):
            return
        pieces = body[head.end() : -len(_SST_END)].split(b"<si>")
        # nothing before the first item, and "<si" only as an item's start: the k-th piece is
        # then the k-th item (up to the next one, which `of` checks ends with it)
        if pieces[0] or xml.count(b"<si") != len(pieces) - 1:
            return
        self.items = pieces[1:]
        self.ok = True

    def __len__(self) -> int:
        return len(self.items)

    def of(self, index: int) -> str:
        if not self.ok or index >= len(self.items):
            raise Miss
        item = self.items[index]
        if _ITEM.fullmatch(item) is None:
            raise Miss
        end = len(item) - 5  # its "</si>"
        phonetic = item.find(b"<rPh", 0, end)
        if phonetic < 0:
            phonetic = item.find(b"<phoneticPr", 0, end)
        body = item[: phonetic if phonetic >= 0 else end]
        if body.startswith(b"<t"):
            return "" if body == b"<t/>" else _one_t(body, 0, len(body))
        return "".join(t_text(raw, bool(preserve)) for preserve, raw in _RUN_T.findall(body))
