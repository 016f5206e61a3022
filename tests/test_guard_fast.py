"""The guard's fast paths (workbook/package.py, xmlsafe.py) decide nothing the slow ones would
decide otherwise: a plain zip's central directory reads as zipfile reads it, anything else is
zipfile's; a part's prolog skips lxml only where it starts as Office writes it."""

from __future__ import annotations

import io
import zipfile

import pytest

from xxgk.workbook.package import WorkbookUnreadable, _plain_directory, check_zip
from xxgk.workbook.xmlsafe import check_no_dtd, quick_root

FIELDS = ("filename", "flag_bits", "compress_type", "CRC", "compress_size", "file_size")


def _zip(method: int = zipfile.ZIP_DEFLATED, comment: bytes = b"", extra: bytes = b"") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as zf:
        info = zipfile.ZipInfo("xl/workbook.xml")
        info.extra = extra
        zf.writestr(info, b"<workbook/>")
        zf.writestr("[Content_Types].xml", b"<Types/>")
        zf.comment = comment
    return out.getvalue()


@pytest.mark.parametrize("method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_a_plain_directory_reads_as_zipfile_reads_it(method: int) -> None:
    raw = _zip(method)
    got = _plain_directory(raw)
    assert got is not None
    expected = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    assert [[getattr(i, f) for f in FIELDS] + [i.header_offset] for i in got] == [
        [getattr(i, f) for f in FIELDS] + [i.header_offset] for i in expected
    ]


@pytest.mark.parametrize(
    "raw",
    [
        _zip(comment=b"a comment"),
        _zip(extra=b"\x99\x99\x02\x00ab"),  # an extra field in the entry
        b"junk before the zip" + _zip(),  # zipfile finds the members through the offset shift
        _zip()[:-1],  # truncated
        b"",
    ],
)
def test_anything_else_is_read_by_zipfile(raw: bytes) -> None:
    assert _plain_directory(raw) is None


def test_data_before_the_zip_is_still_read() -> None:
    pkg = check_zip(b"junk before the zip" + _zip(), keep_xml=True)
    assert pkg.members["xl/workbook.xml"] == b"<workbook/>"


@pytest.mark.parametrize(
    "start",
    [
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="u">',
        b'<worksheet xmlns="http://x" xmlns:r="http://r" r:id="1">',
        b'<?xml version="1.0"?>\n<a:theme xmlns:a="http://a" name="Office">',
        b"<Types/>",
    ],
)
def test_parts_as_office_writes_them_skip_the_parser(start: bytes) -> None:
    assert quick_root(start + b"<rest/>")
    check_no_dtd(start, "p")  # and the parser agrees


@pytest.mark.parametrize(
    "start",
    [
        b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE a [<!ENTITY x "y">]><a>',
        b'<?xml version="1.0" encoding="UTF-16"?><a>',
        b"\xef\xbb\xbf<a>",  # a byte order mark: the parser's
        b'<a b="1" b="2">',  # an attribute twice: no XML
        b'<x:a xmlns:y="u">',  # a prefix nobody declared
        b'<a b="&#60;">',
        b"<a b=1>",
        b" <a>",
    ],
)
def test_anything_else_goes_to_the_parser(start: bytes) -> None:
    assert not quick_root(start)


def test_a_dtd_after_the_usual_declaration_is_still_refused() -> None:
    part = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE a><a/>'
    with pytest.raises(WorkbookUnreadable, match="DTD"):
        check_no_dtd(part, "xl/workbook.xml")
