"""Parsing the XML parts of an untrusted workbook: no DTD, no entity, no network.

Office never writes a DTD into a workbook part; one that carries a DTD (a billion-laughs bomb,
an external entity) is refused outright rather than parsed with its entities off.
"""

from __future__ import annotations

import contextlib
import re
from functools import cache, lru_cache
from types import ModuleType

from xxgk.format.lazyre import lazy
from xxgk.workbook.errors import WorkbookUnreadable, dtd_refused, not_xml

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from typing import Any

    from lxml import etree


@cache
def lxml_etree() -> ModuleType:
    """lxml.etree, imported when a part is first parsed: a workbook as Office writes it is
    read without it but for its workbook.xml and rels, and the import (it pulls in `inspect`)
    was 15 ms of every `xxgk validate`."""
    from lxml import etree

    return etree


@cache
def safe_parser() -> etree.XMLParser:
    """No DTD is loaded and no entity resolved or fetched; a DTD is refused outright (below)."""
    return lxml_etree().XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )


_SLICE = 4096  # fed to the parser at a time, so that it stops soon after the root's start tag


def _first_slice(data: bytes) -> int:
    """Where the root's start tag likely ends: the parser parses all it is given before it says
    where the root began, and a whole first slice of 4 KB made this guard 70 µs a part (1 ms a
    workbook) where 12 µs do. Only a hint: if the root has not started there, feeding goes on."""
    start = data.find(b"?>") + 2 if data.startswith((b"<?xml", b"\xef\xbb\xbf<?xml")) else 0
    end = data.find(b">", data.find(b"<", start) + 1)
    return end + 1 if 0 < end < _SLICE else _SLICE
# The start of a part as Excel, WPS and openpyxl write it: the XML declaration they write (or
# none), then the root's start tag in plain ASCII: nothing before the root can be a DTD, and the
# encoding is UTF-8. Only such a start skips the parser (`quick_root`), which took ~15 µs a part.
_QUICK_DECL = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    b'<?xml version="1.0" encoding="UTF-8"?>',
    b'<?xml version="1.0"?>',
)
_NAME = rb"[A-Za-z_][A-Za-z0-9_.-]*"
_VALUE = rb'"[\x20\x21\x23-\x25\x27-\x3b\x3d-\x7e]*"'  # printable ASCII but " & <
_QUICK_ROOT = re.compile(
    rb"(?:\r?\n)?<(?:(" + _NAME + rb"):)?" + _NAME + rb"((?:[ \t\r\n]+(?:" + _NAME
    + rb")(?::" + _NAME + rb")?[ \t\r\n]*=[ \t\r\n]*" + _VALUE + rb")*)[ \t\r\n]*/?>"
)
_QUICK_ATTR = re.compile(rb"(" + _NAME + rb")(?::(" + _NAME + rb'))?[ \t\r\n]*=[ \t\r\n]*"([^"]*)"')


def quick_root(data: bytes) -> bool:
    """Whether the part certainly starts as Office writes it, up to a well-formed root start
    tag (unprefixed, attributes unique, every prefix declared there, no reference): then the
    parser would find no DTD and UTF-8 (False says nothing).

    The answer depends on those bytes alone, the same in every file one program saves: it is
    cached by them, cut at the first ">" after the root's "<" (a ">" inside an attribute value
    cuts the tag short, and the cut tag is no quick root: the parser judges)."""
    end = _first_slice(data)
    return _quick_root_of(data[:end]) if end < _SLICE else _quick_root_of.__wrapped__(data)


@lru_cache(maxsize=256)
def _quick_root_of(data: bytes) -> bool:
    at = 0
    for decl in _QUICK_DECL:
        if data.startswith(decl):
            at = len(decl)
            break
    match = _QUICK_ROOT.match(data, at)
    if match is None:
        return False
    names = set()
    declared = {b"xml"}
    prefixed = [match.group(1)] if match.group(1) else []
    for prefix, local, value in _QUICK_ATTR.findall(match.group(2)):
        if prefix == b"xmlns" and local:
            if not value or local in (b"xml", b"xmlns"):
                return False
            declared.add(local)
        elif local:
            prefixed.append(prefix)
        key = (prefix, local)
        if key in names:
            return False
        names.add(key)
    return all(prefix in declared for prefix in prefixed)


_ENCODING_DECL = lazy(rb"""^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_UTF8_NAMES = {"utf-8", "utf8"}


def _encoding_of(head: bytes) -> str:
    """The encoding of an XML document by its first bytes, as XML 1.0 Appendix F says."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "UTF-8"
    if head.startswith(
        (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\x00<", b"<\x00\x00\x00")
    ):
        return "UTF-32"
    if head.startswith((b"\xfe\xff", b"\xff\xfe", b"\x00<", b"<\x00")):
        return "UTF-16"
    match = _ENCODING_DECL.match(head)
    return match.group(1).decode("ascii") if match else "UTF-8"


class Prolog:
    """The guard on one XML part: its start, up to the root element, as an XML parser reads it.

    The parser (lxml, with no DTD loaded, no entity resolved, no network) decodes whatever
    encoding XML allows — UTF-16, UTF-32, a declared legacy one — so a DTD cannot hide from it
    the way it hides from a search of the raw bytes. Refused: any DTD (Office never writes
    one), a part that is not XML up to its root, and a part not in UTF-8 (Office writes only
    UTF-8, and python-calamine would read any other as empty cells).
    """

    def __init__(self, part: str) -> None:
        self.part = part
        self.done = False
        self.head = b""
        self._parser: Any = None  # made on the first feed the quick check does not settle

    def feed(self, data: bytes) -> None:
        if self.done:
            return
        if not self.head and quick_root(data):
            self.done = True
            return
        if len(self.head) < 256:
            self.head += data[: 256 - len(self.head)]
        etree = lxml_etree()
        if self._parser is None:
            self._parser = etree.XMLPullParser(
                events=("start",), resolve_entities=False, no_network=True, load_dtd=False
            )
        at, size = 0, _first_slice(data)
        while at < len(data):
            chunk = data[at : at + size]
            at, size = at + size, _SLICE
            try:
                self._parser.feed(chunk)
            except etree.XMLSyntaxError:
                # an error after the root's start tag is the readers' business (Excel's own VML
                # is not well-formed); one before it means the part is no XML at all
                if not self._judge():
                    raise WorkbookUnreadable(not_xml(self.part)) from None
                return
            if self._judge():
                return

    def _judge(self) -> bool:
        for _, element in self._parser.read_events():
            root: etree._Element = element
            info: Any = root.getroottree().docinfo
            if info.doctype or info.internalDTD is not None or info.system_url:
                raise WorkbookUnreadable(dtd_refused(self.part))
            encoding = _encoding_of(self.head)
            if encoding.casefold() not in _UTF8_NAMES:
                raise WorkbookUnreadable(
                    f"工作簿的 {self.part} 部分是 {encoding} 编码（Excel 和 WPS 只用 UTF-8 保存），"
                    "其中的内容无法可靠读取。请在 Excel 或 WPS 中打开后重新保存，再用新文件。"
                )
            self.done = True
            self._parser = None
            return True
        return False

    def close(self) -> None:
        """The part ended: it must have had a root element (an empty part has nothing to hide)."""
        if self.done or not self.head:
            return
        with contextlib.suppress(lxml_etree().XMLSyntaxError):
            self._parser.close()
        if not self._judge():
            raise WorkbookUnreadable(not_xml(self.part))


def check_no_dtd(data: bytes, part: str) -> None:
    """The guard (`Prolog`) on a whole part already in memory."""
    prolog = Prolog(part)
    prolog.feed(data)
    prolog.close()


def parse_xml(data: bytes, part: str) -> etree._Element:
    """Parse one small workbook part: DTDs, entities and external references refused.

    What defusedxml's forbid_dtd did, with lxml (several times faster): the guard (`Prolog`)
    has seen every part when the package was opened; the parsed document is checked again;
    without a DTD an entity other than XML's own five is a syntax error.
    """
    etree = lxml_etree()
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError:
        raise WorkbookUnreadable(not_xml(part)) from None
    info = root.getroottree().docinfo
    if info.internalDTD is not None or info.doctype:
        raise WorkbookUnreadable(dtd_refused(part))
    return root
