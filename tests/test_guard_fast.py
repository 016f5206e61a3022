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


@pytest.mark.parametrize(
    ("start", "quick"),
    [
        (b'<worksheet xmlns="u" a="x>y">', False),  # a ">" in a value: cut short, the parser's
        (b'<worksheet xmlns="u" a="xy">', True),
        (b'<worksheet xmlns="u" a="' + b"x" * 5000 + b'">', True),  # past the cached length
        (b'<x:worksheet xmlns:y="u" a="' + b"x" * 5000 + b'">', False),
    ],
)
def test_the_cached_verdict_is_the_tags_own(start: bytes, quick: bool) -> None:
    """quick_root caches its answer by the bytes up to the root's first ">": the same answer
    whatever follows, and the parser accepts what it passes."""
    for rest in (b"<rest/>", b"<other>1</other>", b"<!DOCTYPE a><a/>"):
        assert quick_root(start + rest) is quick
    if quick:
        check_no_dtd(start, "p")


def test_a_dtd_after_the_usual_declaration_is_still_refused() -> None:
    part = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE a><a/>'
    with pytest.raises(WorkbookUnreadable, match="DTD"):
        check_no_dtd(part, "xl/workbook.xml")


def _corrupt(raw: bytes, how: str) -> bytes:
    """The deflated workbook.xml of `_zip()` damaged: a byte of its stream flipped, its stream
    cut short, or its declared size understated."""
    info = zipfile.ZipFile(io.BytesIO(raw)).getinfo("xl/workbook.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data = bytearray(raw)
    if how == "flipped":
        data[start] ^= 0xFF
    elif how == "cut":
        data[start + 1 : start + info.compress_size] = b"\x00" * (info.compress_size - 1)
    elif how == "understated":  # the central directory says 4 bytes, the stream inflates to 11
        central = raw.index(b"PK\x01\x02")  # workbook.xml's entry: written first
        data[central + 24 : central + 28] = (4).to_bytes(4, "little")
    else:  # the same stream, another CRC declared for it
        central = raw.index(b"PK\x01\x02")
        data[central + 16 : central + 20] = (info.CRC ^ 1).to_bytes(4, "little")
    return bytes(data)


@pytest.mark.parametrize("how", ["flipped", "cut", "understated"])
def test_inflating_by_zlib_where_isal_is_missing_decides_alike(
    how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ISA-L inflates and checksums the members; zlib, where its wheel is missing, must give
    the same bytes and refuse the same damage with the same words."""
    import zlib

    from xxgk.workbook import package

    verdict = _verdict
    good, bad = _zip(), _corrupt(_zip(), how)
    ours = verdict(good), verdict(bad)
    assert "<workbook/>" in ours[0] and ours[1].startswith("refused: ")
    monkeypatch.setattr(package, "_zlib", zlib)
    monkeypatch.setattr(package, "_SEEN", {})  # or the good one is not inflated again
    assert (verdict(good), verdict(bad)) == ours


def _verdict(raw: bytes) -> str:
    try:
        return repr(sorted(check_zip(raw, keep_xml=True).members.items()))
    except WorkbookUnreadable as exc:
        return f"refused: {exc}"


@pytest.mark.parametrize("how", ["flipped", "understated", "crc"])
def test_a_member_met_before_is_known_only_by_its_whole_entry(
    how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A member inflated before is not inflated again (package._SEEN) only where its stream,
    declared size and CRC are all the same: the same stream under another size or CRC is
    refused as it would be in a workbook read first."""
    from xxgk.workbook import package

    bad = _corrupt(_zip(), how)
    monkeypatch.setattr(package, "_SEEN", {})
    first = _verdict(bad)
    assert first.startswith("refused: ") and "xl/workbook.xml" in first
    assert "<workbook/>" in _verdict(_zip())  # now met before, in a good workbook
    assert _verdict(bad) == first
    assert len(package._SEEN) == 2  # the good one's two members; nothing kept of a refusal


def test_a_part_refused_is_refused_every_time() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", b'<?xml version="1.0"?><!DOCTYPE a><a/>')
    raw = out.getvalue()
    assert _verdict(raw) == _verdict(raw)
    assert "DTD" in _verdict(raw)
