"""Files that are not a filled template, some of them made to hurt: each exits 3 with a Chinese
message naming the file, no traceback, and bounded memory."""

from __future__ import annotations

import io
import os
import resource
import struct
import subprocess
import sys
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import olefile
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xxgk.cli.main import main
from xxgk.files.read import read_source
from xxgk.workbook.grid import check_grid
from xxgk.workbook.package import MAX_RATIO, WorkbookUnreadable

from .wb_helpers import rewrite_member, sheet_member, write_workbook

MB = 1024 * 1024
FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def ole_file(streams: list[str]) -> bytes:
    """A minimal compound file (CFB v3, as .xls and encrypted .xlsx are): empty streams."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, 1)  # one FAT sector
    struct.pack_into("<I", header, 48, 1)  # the directory is sector 1
    struct.pack_into("<I", header, 56, 4096)
    struct.pack_into("<IIII", header, 60, END, 0, END, 0)
    struct.pack_into("<109I", header, 76, 0, *([FREE] * 108))
    fat = struct.pack("<128I", FATSECT, END, *([FREE] * 126))
    directory = bytearray(512)
    names = ["Root Entry", *streams]
    for i, name in enumerate(names):
        raw = name.encode("utf-16-le") + b"\0\0"
        off = i * 128
        directory[off : off + len(raw)] = raw
        struct.pack_into("<HBB", directory, off + 64, len(raw), 5 if i == 0 else 2, 1)
        child = 1 if i == 0 and streams else FREE
        right = i + 1 if 0 < i < len(names) - 1 else FREE
        struct.pack_into("<III", directory, off + 68, FREE, right, child)
        struct.pack_into("<I", directory, off + 116, END if i == 0 else 0)
    for j in range(len(names), 4):
        struct.pack_into("<III", directory, j * 128 + 68, FREE, FREE, FREE)
    return bytes(header) + fat + bytes(directory)


def deflated_zeros(size: int) -> tuple[bytes, int]:
    """Raw deflate of `size` zero bytes, and their CRC, without holding them in memory."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = bytes(MB)
    out, crc = [], 0
    for _ in range(size // MB):
        out.append(packer.compress(block))
        crc = zlib.crc32(block, crc)
    out.append(packer.flush())
    return b"".join(out), crc


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of pre-deflated members (name, deflated, crc, declared size): headers can lie."""
    body, central = io.BytesIO(), io.BytesIO()
    for name, data, crc, declared in members:
        encoded = name.encode()
        offset = body.tell()
        body.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                0,
                8,
                0,
                0,
                crc,
                len(data),
                declared,
                len(encoded),
                0,
            )
        )
        body.write(encoded + data)
        central.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0,
                crc,
                len(data),
                declared,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    cd = central.getvalue()
    eocd = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(cd), body.tell(), 0
    )
    return body.getvalue() + cd + eocd


def _filled(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "filled.xlsx")


def expect_unreadable(path: Path) -> str:
    """Through the CLI: exit 3, the file named on stderr, no traceback; returns the message."""
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(path)])
    assert result.exit_code == 3, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output + result.stderr
    assert str(path) in result.stderr
    assert '"FILE_UNREADABLE"' in result.stdout
    return result.stderr


def bounded_read(path: Path, limit: int = 8 * MB) -> str:
    tracemalloc.start()
    try:
        source = read_source(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not source.readable
    assert peak < limit, f"peak {peak / MB:.1f} MB"
    return source.error or ""


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("这只是一段文字，不是工作簿。\n", encoding="utf-8")
    assert "不是 Excel 工作簿" in expect_unreadable(path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    expect_unreadable(path)


def test_html_saved_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>1</td></tr></table></body></html>")
    assert "另存为" in expect_unreadable(path)


@pytest.mark.parametrize(
    ("members", "says"),
    [
        ({"readme.txt": "hello"}, "不是 Excel 工作簿"),
        ({"word/document.xml": "<w:document/>", "[Content_Types].xml": "<Types/>"}, "Word"),
    ],
)
def test_zip_that_is_not_a_workbook(tmp_path: Path, members: dict[str, str], says: str) -> None:
    path = tmp_path / "thing.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    assert says in expect_unreadable(path)


def test_truncated_workbook(tmp_path: Path) -> None:
    good = _filled(tmp_path).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good[: len(good) // 2])
    expect_unreadable(path)


def test_old_binary_xls(tmp_path: Path) -> None:
    payload = ole_file(["Workbook", "\x05SummaryInformation"])
    assert olefile.OleFileIO(io.BytesIO(payload)).exists("Workbook")  # a real OLE container
    path = tmp_path / "old.xls"
    path.write_bytes(payload)
    assert ".xlsx" in expect_unreadable(path) and "另存为" in expect_unreadable(path)


def test_password_protected_xlsx(tmp_path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with _filled(tmp_path).open("rb") as fh:
        OOXMLFile(fh).encrypt("密码123", out)
    path = tmp_path / "locked.xlsx"
    path.write_bytes(out.getvalue())
    assert "密码" in expect_unreadable(path)


def test_zip_bomb_declaring_gigabytes(tmp_path: Path) -> None:
    data, crc = deflated_zeros(MB)
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(raw_zip([("xl/worksheets/sheet1.xml", data, crc, 0xFFFF0000)]))
    assert path.stat().st_size < 16 * 1024
    assert "压缩炸弹" in bounded_read(path)
    expect_unreadable(path)


def test_zip_bomb_with_honest_headers(tmp_path: Path) -> None:
    size = 24 * MB
    data, crc = deflated_zeros(size)
    assert size / len(data) > MAX_RATIO
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(raw_zip([("xl/workbook.xml", data, crc, size)]))
    assert "压缩炸弹" in bounded_read(path)


def test_zip_bomb_whose_headers_understate_it(tmp_path: Path) -> None:
    # Declared 1 KB, really 64 MB: only inflating can tell, and it must stop at once.
    data, crc = deflated_zeros(64 * MB)
    path = tmp_path / "liar.xlsx"
    path.write_bytes(
        raw_zip([("xl/workbook.xml", data, crc, 1024), ("_rels/.rels", b"\x03\x00", 0, 0)])
    )
    assert "压缩炸弹" in bounded_read(path)
    expect_unreadable(path)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'.encode()
        for i in range(1, 10)
    )
    + b"]>\n"
)


@pytest.mark.parametrize("member", ["xl/workbook.xml", "xl/worksheets/sheet4.xml"])
def test_entity_expansion_in_workbook_xml(tmp_path: Path, member: str) -> None:
    path = _filled(tmp_path)

    def bomb(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
        return BILLION_LAUGHS + body.replace(b"</", b"&lol9;</", 1)

    rewrite_member(path, member, bomb)
    assert "DTD" in bounded_read(path)
    expect_unreadable(path)


def test_entity_expansion_in_a_part_only_calamine_reads(tmp_path: Path) -> None:
    path = _filled(tmp_path)
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("xl/sharedStrings.xml", BILLION_LAUGHS + b"<sst><si><t>&lol9;</t></si></sst>")
    assert "DTD" in bounded_read(path)


def test_input_is_never_modified(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_bytes(b"PK\x03\x04garbage")
    before = path.read_bytes()
    expect_unreadable(path)
    assert path.read_bytes() == before


def test_stray_value_in_the_last_cell_does_not_blow_up(tmp_path: Path) -> None:
    # python-calamine would allocate the whole used range (500 GB here) and abort the process:
    # run the real CLI in a child with a 2 GB address-space limit.
    path = _filled(tmp_path)
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    rewrite_member(
        path,
        sheet_member(path, "表三"),
        lambda xml: xml.replace(b"</sheetData>", far.encode() + b"</sheetData>"),
    )
    assert path.stat().st_size < 64 * 1024

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024 * MB, 2 * 1024 * MB))

    src = str(Path(__file__).resolve().parents[1] / "src")
    done = subprocess.run(
        [sys.executable, "-m", "xxgk.cli.main", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit,
        env={**os.environ, "PYTHONPATH": src},
    )
    assert done.returncode == 3, done.stderr[-2000:]
    assert "表三" in done.stderr and str(path) in done.stderr
    assert "Traceback" not in done.stderr


NASTY = [
    b"<",
    b">",
    b'"',
    b"&",
    b"\x00",
    b"&#0;",
    b"<f>1</f>",
    b'<c r="ZZZ99">',
    b"</row>",
    b'r="A0"',
    b'r="XFD1048576"',
    b"<v>1e309</v>",
    b"\xff\xfe",
    b"'!$A$1",
    b"#REF!",
]
_FUZZ_BASE: dict[str, bytes] = {}


def _fuzz_base(tmp_path: Path) -> bytes:
    if "x" not in _FUZZ_BASE:
        _FUZZ_BASE["x"] = _filled(tmp_path).read_bytes()
    return _FUZZ_BASE["x"]


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    member=st.sampled_from(
        [
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "xl/worksheets/sheet4.xml",
            "xl/worksheets/sheet1.xml",
            "[Content_Types].xml",
        ]
    ),
    where=st.floats(0, 1),
    token=st.sampled_from(NASTY),
    cut=st.booleans(),
)
def test_mangled_parts_never_raise(
    tmp_path: Path, member: str, where: float, token: bytes, cut: bool
) -> None:
    """Damage inside a well-formed zip (valid CRCs): the reader answers, it never raises."""
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(_fuzz_base(tmp_path))

    def mangle(xml: bytes) -> bytes:
        at = int(where * len(xml))
        return xml[:at] + token + (b"" if cut else xml[at:])

    rewrite_member(path, member, mangle)
    source = read_source(path)
    assert source.readable or (source.error and str(path) in source.error)


def test_unpositioned_rows_and_cells_count_towards_the_bound() -> None:
    # Rows and cells without r="…" take the next position; stray r attributes must not hide them.
    stray = b'<x r="1"/>' * 1000
    rows = b"<row><c/></row>" * 2000 + b"<row>" + b"<c/>" * 600 + b"</row>"
    with pytest.raises(WorkbookUnreadable):
        check_grid(b"<worksheet><sheetData>" + stray + rows + b"</sheetData></worksheet>", "表三")
    normal = b"".join(
        b'<row r="%d"><c r="A%d"/><c r="J%d"/></row>' % (i, i, i) for i in range(1, 40)
    )
    check_grid(b"<worksheet><sheetData>" + normal + b"</sheetData></worksheet>", "表三")
