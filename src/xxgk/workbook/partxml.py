"""The small parts that say where a workbook's sheets and names are — its relationships parts
and workbook.xml — read by the standard library's expat, namespaces on, no DTD.

lxml parsed them before; importing lxml (it pulls in `inspect`) was 15 ms of every `xxgk
validate`, for two parts of a few KB whose layout is then cached. Both parsers refuse what is
not well-formed XML (an undefined entity, an unbound prefix, an attribute twice), replace the
same references and normalise line ends and attribute white space as XML says; tests compare
the two on our template, on workbooks LibreOffice saved and on broken parts. The guard
(`xmlsafe.Prolog`) refused any DTD before; one met here is refused again.
"""

from __future__ import annotations

from collections.abc import Collection
from xml.parsers import expat

from xxgk.workbook.errors import WorkbookUnreadable, dtd_refused, not_xml

# An element met: its expanded name ("namespace local"), its attributes by expanded name, and its
# text before its first child ("" for none: what lxml's `.text or ""` gives).
Element = tuple[str, dict[str, str], str]


class _DTD(Exception):
    pass


def elements(data: bytes, part: str, wanted: Collection[str]) -> list[Element]:
    """Every element of the part whose expanded name is in `wanted`, in document order.
    Raises WorkbookUnreadable for a part that is not well-formed XML or carries a DTD."""
    found: list[tuple[str, dict[str, str], list[str]]] = []
    current: list[str] | None = None  # the text parts of the wanted element last opened

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal current
        current = None  # a child ends its parent's `.text`
        if name in wanted:
            current = []
            found.append((name, attrs, current))

    def stop(*_: object) -> None:  # an end tag; a comment or processing instruction, too
        nonlocal current
        current = None

    def text(data: str) -> None:
        if current is not None:
            current.append(data)

    def doctype(*_: object) -> None:
        raise _DTD

    parser = expat.ParserCreate("utf-8", namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = stop
    parser.CharacterDataHandler = text
    parser.CommentHandler = stop
    parser.ProcessingInstructionHandler = stop
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        raise WorkbookUnreadable(not_xml(part)) from None
    except _DTD:
        raise WorkbookUnreadable(dtd_refused(part)) from None
    return [(name, attrs, "".join(parts)) for name, attrs, parts in found]
